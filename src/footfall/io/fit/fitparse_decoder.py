"""FIT decoding through fitparse: the reference decoder and the fallback of the fast path.

fitparse is correct and slow (~0.6 s for an hour of 1 Hz records). It stays the source of
truth: the numpy decoder must equal it value for value, and hands every file it cannot handle
back to this module.
"""

from __future__ import annotations

import io
import struct
from typing import Any

import fitparse
import fitparse.records
import numpy as np
from fitparse.processors import FitFileDataProcessor
from fitparse.records import DevFieldDefinition
from fitparse.utils import FitCRCError, FitEOFError, FitHeaderError, FitParseError

from footfall.io.fit.header import repair_unfinished
from footfall.io.fit.messages import (
    SUMMARY_MESSAGES,
    DecodeProblem,
    DevChannel,
    FitMessages,
)


class _RawProcessor(FitFileDataProcessor):
    """Leave values as decoded: no datetime objects, no unit conversions (faster, and the
    same convention as the numpy decoder)."""

    def run_type_processor(self, field_data: Any) -> None:
        pass

    def run_field_processor(self, field_data: Any) -> None:
        pass

    def run_unit_processor(self, field_data: Any) -> None:
        pass

    def run_message_processor(self, data_message: Any) -> None:
        pass


def _is_enum(field: Any) -> bool:
    return field is not None and bool(getattr(getattr(field, "type", None), "values", None))


def _numeric(value: Any) -> float | None:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return float(value)
    return None


def decode_with_fitparse(data: bytes, check_crc: bool = True) -> FitMessages:
    """Decode FIT bytes; damage after the first records is reported, not raised.

    Raises ``fitparse`` errors only when not a single message could be read.
    """
    data, repair_note = repair_unfinished(data)
    out = FitMessages(decoder="fitparse")
    if repair_note:
        out.problems.append(DecodeProblem("header_size", repair_note))
    try:
        _decode_into(data, out, check_crc=check_crc)
    except FitCRCError as exc:
        if not check_crc:
            raise
        # Read again without the check: a wrong CRC usually means an edited file whose
        # content is still sound. The mismatch is reported as a warning.
        out = decode_with_fitparse(data, check_crc=False)
        out.problems.insert(0, DecodeProblem("crc", f"CRC mismatch ({exc}); read anyway"))
    return out


def _decode_into(data: bytes, out: FitMessages, check_crc: bool) -> None:
    # fitparse keeps developer field definitions in a module-level dict; a file that reuses
    # a developer index without defining it would otherwise inherit another file's fields.
    fitparse.records.DEV_TYPES.clear()
    stream = io.BytesIO(data)
    fit = fitparse.FitFile(stream, check_crc=check_crc, data_processor=_RawProcessor())
    rows: list[dict[str, float]] = []
    dev_rows: list[dict[str, float]] = []
    dev_meta: dict[str, tuple[str, int | None, int]] = {}
    try:
        for message in fit.get_messages():
            name = message.name
            if name == "record":
                row, dev = _record_row(message, dev_meta)
                rows.append(row)
                dev_rows.append(dev)
            elif name in SUMMARY_MESSAGES:
                _summary(out, name, message)
    except FitCRCError:
        raise
    except FitEOFError as exc:
        out.problems.append(DecodeProblem("truncated", f"file ends early: {exc}", stream.tell()))
    except (FitHeaderError, FitParseError, struct.error) as exc:
        if not rows and not out.sessions and not out.file_id:
            raise
        out.problems.append(DecodeProblem("corrupt", str(exc), stream.tell()))
    _columns(out, rows, dev_rows, dev_meta)


def _record_row(
    message: Any, dev_meta: dict[str, tuple[str, int | None, int]]
) -> tuple[dict[str, float], dict[str, float]]:
    row: dict[str, float] = {}
    dev: dict[str, float] = {}
    for fd in message.fields:
        if isinstance(fd.field_def, DevFieldDefinition):
            value = _numeric(fd.value)
            if value is None:
                continue
            field = fd.field_def.field
            dname = str(getattr(field, "name", None) or fd.name)
            dev[dname] = value
            if dname not in dev_meta:
                native = getattr(field, "native_field_num", None)
                dev_meta[dname] = (
                    str(getattr(field, "units", "") or ""),
                    native if isinstance(native, int) else None,
                    int(fd.field_def.dev_data_index),
                )
            continue
        if fd.field is None:  # unknown_N fields: not in the profile, not used
            continue
        raw = fd.raw_value if _is_enum(fd.field) else fd.value
        value = _numeric(raw)
        if value is not None:
            row[fd.name] = value
    return row, dev


def _summary(out: FitMessages, name: str, message: Any) -> None:
    values: dict[str, Any] = {}
    for fd in message.fields:
        if isinstance(fd.field_def, DevFieldDefinition) or fd.field is None:
            continue
        if fd.value is not None:
            values[fd.name] = fd.value
    out.add_summary(name, values)


def _columns(
    out: FitMessages,
    rows: list[dict[str, float]],
    dev_rows: list[dict[str, float]],
    dev_meta: dict[str, tuple[str, int | None, int]],
) -> None:
    n = len(rows)
    out.n_records = n
    names: dict[str, None] = {}
    for row in rows:
        names.update(dict.fromkeys(row))
    for key in names:
        out.records[key] = np.array([row.get(key, np.nan) for row in rows], dtype=np.float64)
    for dname, (units, native, index) in dev_meta.items():
        values = np.array([row.get(dname, np.nan) for row in dev_rows], dtype=np.float64)
        out.dev_records[dname] = DevChannel(dname, units, values, native, index)
