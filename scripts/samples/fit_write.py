"""A small FIT encoder: sample activities, edge-case test files and benchmark inputs.

footfall only *reads* FIT in production; this writer exists so the tests and the samples can
state exactly what a file holds. Field numbers, base types, scales, offsets and enum names
come from fitparse's profile (``fitparse.profile.MESSAGE_TYPES``, ``fitparse.records.
BASE_TYPES``), the same tables the reader decodes with, so there is one source of truth.

Callers give physical values by profile field name (record ``speed`` in m/s, ``stance_time``
in ms, ``timestamp`` as UNIX seconds or a datetime, enums by name such as
``sport="running"``); the writer applies ``raw = (value + offset) * scale`` and writes the
base type's invalid value for None/NaN. Rows are packed with numpy structured arrays, so an
hour of 1 Hz records is a handful of array operations, not a Python loop per byte.

"FIT protocol" below means the protocol description of the Garmin FIT SDK
(https://developer.garmin.com/fit/protocol/), cited by section name: "File Header", "Record
Header" (normal and "Compressed Timestamp Header"), "Definition Message", "Developer Data",
"CRC" and chained FIT files.
"""

from __future__ import annotations

import functools
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from fitparse.profile import MESSAGE_TYPES
from fitparse.records import BASE_TYPES

from footfall.io.fit.messages import FIT_EPOCH_UNIX

HEADER_SIZE = 14  # FIT protocol, "File Header": the 14-byte form ends with a CRC of bytes 0-11
PROTOCOL_VERSION = 0x20  # 2.0, the protocol version with developer data (FIT protocol)
PROFILE_VERSION = 2132  # 21.32, written as profile version * 100
_NUMPY_CODE = {"B": "u1", "b": "i1", "h": "i2", "H": "u2", "i": "i4", "I": "u4", "q": "i8"}
_NUMPY_CODE.update({"Q": "u8", "f": "f4", "d": "f8"})
_BY_MESSAGE = {m.name: m for m in MESSAGE_TYPES.values()}
_BASE_BY_NAME = {b.name: b for b in BASE_TYPES.values()}


@dataclass(frozen=True)
class DevField:
    """A developer field (FIT protocol, "Developer Data"), declared by a field_description."""

    index: int  # developer_data_index of the developer_data_id message it belongs to
    number: int  # field_definition_number
    name: str
    base_type: str = "float32"  # a fitparse base type name
    units: str = ""
    native_field_num: int | None = None  # the native record field it stands for, if any


@dataclass(frozen=True)
class _Spec:
    """How one field is encoded: profile number, base type, scale/offset, enum names."""

    num: int
    base: Any  # fitparse BaseType
    scale: float
    offset: float
    names: Mapping[str, int]
    is_time: bool


@functools.cache
def _field_spec(message: str, name: str) -> _Spec:
    """Resolve a profile field (or subfield, e.g. ``avg_running_cadence``) by name."""
    mtype = _BY_MESSAGE.get(message)
    if mtype is None:
        raise KeyError(f"FIT profile has no message {message!r}")
    for field in mtype.fields.values():
        for candidate in [field, *(field.subfields or ())]:
            if candidate.name == name:
                ftype = candidate.type
                base = ftype if hasattr(ftype, "fmt") else ftype.base_type
                values = getattr(ftype, "values", None) or {}
                scale = candidate.scale if isinstance(candidate.scale, int | float) else 1
                offset = candidate.offset if isinstance(candidate.offset, int | float) else 0
                is_time = getattr(ftype, "name", "") in ("date_time", "local_date_time")
                names = {str(v): int(k) for k, v in values.items()}
                return _Spec(field.def_num, base, scale or 1, offset or 0, names, is_time)
    raise KeyError(f"FIT profile message {message!r} has no field {name!r}")


def _limits(base: Any) -> tuple[float, float, float]:
    """(lowest valid, highest valid, invalid sentinel) of an integer base type."""
    name, bits = base.name, 8 * struct.calcsize(base.fmt)
    if name == "byte":  # only an all-0xFF array is invalid, so any single byte is valid
        return 0, 255, 255
    if name.endswith("z"):  # zero is the invalid value of the *z types
        return 1, 2**bits - 1, 0
    if name.startswith("sint"):
        return -(2 ** (bits - 1)), 2 ** (bits - 1) - 2, 2 ** (bits - 1) - 1
    return 0, 2**bits - 2, 2**bits - 1  # uint, enum, byte: all ones is invalid


def _to_unix(values: Any) -> np.ndarray:
    arr = np.asarray(values)
    if arr.dtype.kind == "M":
        return arr.astype("datetime64[ms]").astype(np.int64) / 1000.0
    if arr.dtype == object:
        flat = [
            v.timestamp() if isinstance(v, datetime) else (np.nan if v is None else v)
            for v in arr.ravel()
        ]
        return np.asarray(flat, dtype=np.float64).reshape(arr.shape)
    return arr.astype(np.float64)


def _encode(spec: _Spec, values: Any, n: int, endian: str) -> tuple[np.ndarray, int]:
    """Raw column (numpy, one row per message) and its size in bytes per message."""
    base = spec.base
    if base.name == "string":
        texts = [b"" if v is None else str(v).encode("utf-8") for v in values]
        size = max(len(t) for t in texts) + 1  # null-terminated UTF-8 (FIT base type "string")
        return np.array(texts, dtype=f"S{size}"), size
    if not isinstance(values, np.ndarray) or values.dtype.kind in "OSU":
        values = list(values)
        if any(isinstance(v, bytes) for v in values):
            values = [np.frombuffer(v, dtype=np.uint8) for v in values]
        if any(isinstance(v, str) for v in values):
            values = [_enum(spec, v) for v in values]
    floats = _to_unix(values) if spec.is_time else np.asarray(values, dtype=np.float64)
    if floats.shape[0] != n:
        raise ValueError(f"field #{spec.num}: {floats.shape[0]} values for {n} messages")
    if spec.is_time:
        floats = floats - FIT_EPOCH_UNIX
    scaled = (floats + spec.offset) * spec.scale
    dtype = np.dtype(endian + _NUMPY_CODE[base.fmt])
    size = dtype.itemsize * (int(np.prod(floats.shape[1:])) if floats.ndim > 1 else 1)
    if dtype.kind == "f":
        return scaled.astype(dtype), size  # NaN is the float invalid value
    lo, hi, invalid = _limits(base)
    ok = np.isfinite(scaled)
    raw = np.rint(np.where(ok, scaled, 0.0))
    if ((raw[ok] < lo) | (raw[ok] > hi)).any():
        bad = floats[ok][(raw[ok] < lo) | (raw[ok] > hi)][0]
        raise ValueError(f"field #{spec.num}: value {bad} does not fit {base.name}")
    out = raw.astype(dtype)
    out[~ok] = int(invalid)
    return out, size


def _enum(spec: _Spec, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return spec.names[value]
    except KeyError:
        raise ValueError(f"field #{spec.num}: {value!r} is not one of its enum names") from None


@functools.cache
def _crc_tables() -> tuple[list[int], list[int]]:
    """Byte table and two-byte table of the FIT CRC (FIT protocol, "CRC"; a CRC-16/ARC)."""
    nibbles = [0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401]
    nibbles += [0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400]

    def one_byte(byte: int) -> int:  # the SDK's nibble-wise routine, from crc 0
        crc = 0
        for nib in (byte & 0xF, byte >> 4):
            tmp = nibbles[crc & 0xF]
            crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ nibbles[nib]
        return crc

    table = np.array([one_byte(b) for b in range(256)], dtype=np.int64)
    # Two bytes at once: with x = crc ^ word the new crc depends on x alone.
    x = np.arange(65536, dtype=np.int64)
    low = table[x & 0xFF]
    pair = (low >> 8) ^ table[((x >> 8) ^ low) & 0xFF]
    return table.tolist(), pair.tolist()


def fit_crc(data: bytes, crc: int = 0) -> int:
    """FIT CRC of ``data`` continuing from ``crc``: one table look-up per two bytes."""
    table, pair = _crc_tables()
    for word in np.frombuffer(data, dtype="<u2", count=len(data) // 2).tolist():
        crc = pair[crc ^ word]
    if len(data) % 2:
        crc = (crc >> 8) ^ table[(crc ^ data[-1]) & 0xFF]
    return crc


class FitWriter:
    """Collects messages and returns a complete FIT file from :meth:`to_bytes`.

    A local message type keeps its definition until a message with another layout is
    written to it, then a new definition message is emitted (FIT protocol, "Definition
    Message"), so several
    local types can be interleaved freely.
    """

    def __init__(self, *, big_endian: bool = False) -> None:
        self.big_endian = big_endian
        self._chunks: list[bytes] = []
        self._size = 0
        self._defined: dict[int, tuple[Any, ...]] = {}
        self._dev_fields: dict[tuple[int, int], DevField] = {}
        self._last_time: int | None = None  # reference of compressed timestamps
        self._spans: list[tuple[str, np.ndarray, np.ndarray]] = []

    def message(
        self,
        name: str,
        values: Mapping[str, Any],
        *,
        local: int = 0,
        dev: Mapping[DevField, Any] | None = None,
        big_endian: bool | None = None,
    ) -> None:
        """Write one message; a value may be a number, a datetime, an enum name (``sport=
        "running"``), a string, None (written as the invalid value) or a list (an array)."""
        columns = {k: [v] for k, v in values.items()}
        devs = {f: [v] for f, v in (dev or {}).items()}
        self.messages(name, columns, local=local, dev=devs, big_endian=big_endian)

    def messages(
        self,
        name: str,
        columns: Mapping[str, Any],
        *,
        local: int = 0,
        dev: Mapping[DevField, Any] | None = None,
        compressed_time: bool = False,
        full_local: int | None = None,
        big_endian: bool | None = None,
    ) -> None:
        """Write one message per row of ``columns`` (equal-length arrays or lists).

        With ``compressed_time`` the rows carry a compressed timestamp header (FIT protocol,
        "Compressed Timestamp Header": local type 0-3, 5-bit offset from the last full
        timestamp, which any message's timestamp field resets); rows more than 31 s
        after the previous time are written in full, with local type ``full_local``.
        """
        big = self.big_endian if big_endian is None else big_endian
        endian = ">" if big else "<"
        mesg_num = _BY_MESSAGE[name].mesg_num
        n = len(next(iter([*columns.values(), *(dev or {}).values()]), []))
        if n == 0:
            return
        cols = [(_field_spec(name, k), v) for k, v in columns.items()]
        for field in dev or {}:
            if (field.index, field.number) not in self._dev_fields:
                raise ValueError(f"developer field {field.name!r} was not described first")
        dcols = [
            (_Spec(f.number, _BASE_BY_NAME[f.base_type], 1, 0, {}, False), v, f.index)
            for f, v in (dev or {}).items()
        ]
        encoded = [(s, *_encode(s, v, n, endian)) for s, v in cols]
        dev_encoded = [(s, *_encode(s, v, n, endian), i) for s, v, i in dcols]
        times = None
        if "timestamp" in columns:  # FIT time of each row, the compressed-header reference
            raw, _ = _encode(_field_spec(name, "timestamp"), columns["timestamp"], n, "<")
            times = raw.astype(np.int64)
        if not compressed_time:
            block, starts, ends = self._block(local, mesg_num, big, n, encoded, dev_encoded, None)
            self._emit(name, block, starts, ends)
            if times is not None:
                self._last_time = int(times[-1])
            return
        fl = local + 4 if full_local is None else full_local
        if times is None or not 0 <= local <= 3 or fl == local:
            raise ValueError(
                "compressed timestamps need a timestamp column, local type 0-3 and another "
                "local type for the rows with a full timestamp"
            )
        prev = np.concatenate([[-(2**40) if self._last_time is None else self._last_time], times])
        full = (np.diff(prev) < 0) | (np.diff(prev) > 31)
        other = [e for e in encoded if e[0].num != 253]
        packed = self._block(local, mesg_num, big, n, other, dev_encoded, times & 0x1F)
        whole = self._block(fl, mesg_num, big, n, encoded, dev_encoded, None)
        self._emit(name, *_interleave(full, whole, packed))
        self._last_time = int(times[-1])

    def developer(self, index: int, application_id: bytes = bytes(16)) -> None:
        """Write a developer_data_id message (must precede its field descriptions)."""
        values = {"developer_data_index": index, "application_id": list(application_id)}
        self.message("developer_data_id", values, local=15)

    def dev_field(self, field: DevField, native_mesg: str = "record") -> DevField:
        """Write the field_description message that declares ``field``; returns it."""
        values: dict[str, Any] = {
            "developer_data_index": field.index,
            "field_definition_number": field.number,
            "fit_base_type_id": _BASE_BY_NAME[field.base_type].identifier,
            "field_name": field.name,
            "units": field.units,
        }
        if field.native_field_num is not None:
            values["native_mesg_num"] = _BY_MESSAGE[native_mesg].mesg_num
            values["native_field_num"] = field.native_field_num
        self.message("field_description", values, local=15)
        self._dev_fields[(field.index, field.number)] = field
        return field

    def spans(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """Start and end byte offsets (in the whole file) of every data message ``name``."""
        parts = [(s, e) for n, s, e in self._spans if n == name]
        if not parts:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        starts = np.concatenate([s for s, _ in parts]) + HEADER_SIZE
        return starts, np.concatenate([e for _, e in parts]) + HEADER_SIZE

    def to_bytes(self) -> bytes:
        """Header (with its CRC) + data records + file CRC (FIT protocol, "File Header", "CRC")."""
        version = (HEADER_SIZE, PROTOCOL_VERSION, PROFILE_VERSION)
        head = struct.pack("<BBHI4s", *version, self._size, b".FIT")
        head += struct.pack("<H", fit_crc(head))
        body = head + b"".join(self._chunks)
        return body + struct.pack("<H", fit_crc(body))

    def truncated(self, fraction: float, name: str = "record") -> bytes:
        """The file cut in the middle of the ``name`` message at ``fraction`` of them.

        This is what a copy interrupted mid-transfer looks like: the header still declares
        the full data size, the last message is incomplete and there is no CRC.
        """
        starts, ends = self.spans(name)
        i = min(int(fraction * len(starts)), len(starts) - 1)
        return self.to_bytes()[: int(starts[i] + (ends[i] - starts[i]) // 2)]

    def _block(
        self,
        local: int,
        mesg_num: int,
        big: bool,
        n: int,
        fields: Sequence[tuple[_Spec, np.ndarray, int]],
        dev_fields: Sequence[tuple[_Spec, np.ndarray, int, int]],
        time_offsets: np.ndarray | None,
    ) -> tuple[bytes, np.ndarray, np.ndarray]:
        """Definition (when the layout changed) + packed data rows; row spans in the block."""
        layout = tuple((s.num, size, s.base.identifier) for s, _, size in fields)
        dev_layout = tuple((s.num, size, index) for s, _, size, index in dev_fields)
        key = (mesg_num, big, layout, dev_layout)
        head = b""
        if self._defined.get(local) != key:
            self._defined[local] = key
            head = _definition(local, mesg_num, big, layout, dev_layout)
        columns = [(f"f{i}", raw) for i, (_, raw, _) in enumerate(fields)]
        columns += [(f"d{i}", raw) for i, (_, raw, _, _) in enumerate(dev_fields)]
        dtype = np.dtype([("h", "u1")] + [(k, raw.dtype, raw.shape[1:]) for k, raw in columns])
        rows = np.zeros(n, dtype=dtype)
        rows["h"] = local & 0x0F  # normal header; the developer flag is on definitions only
        if time_offsets is not None:  # bit 7 set, local type in bits 5-6, time offset in 0-4
            rows["h"] = 0x80 | (local << 5) | time_offsets
        for k, raw in columns:
            rows[k] = raw
        starts = len(head) + np.arange(n, dtype=np.int64) * dtype.itemsize
        return head + rows.tobytes(), starts, starts + dtype.itemsize

    def _emit(self, name: str, block: bytes, starts: np.ndarray, ends: np.ndarray) -> None:
        self._spans.append((name, starts + self._size, ends + self._size))
        self._chunks.append(block)
        self._size += len(block)


def _definition(
    local: int,
    mesg_num: int,
    big: bool,
    layout: tuple[tuple[int, int, int], ...],
    dev_layout: tuple[tuple[int, int, int], ...],
) -> bytes:
    """Definition message (FIT protocol); architecture byte 1 makes the message big-endian."""
    header = 0x40 | (local & 0x0F) | (0x20 if dev_layout else 0)
    out = struct.pack(">BBBHB" if big else "<BBBHB", header, 0, int(big), mesg_num, len(layout))
    out += bytes(b for triple in layout for b in triple)
    if dev_layout:
        out += bytes([len(dev_layout)]) + bytes(b for triple in dev_layout for b in triple)
    return out


def _interleave(
    full: np.ndarray,
    whole: tuple[bytes, np.ndarray, np.ndarray],
    packed: tuple[bytes, np.ndarray, np.ndarray],
) -> tuple[bytes, np.ndarray, np.ndarray]:
    """Rows in order, each from ``whole`` (full timestamp) or ``packed`` (compressed);
    both blocks hold every row after their optional definition message."""
    heads, tables = b"", []
    for block, starts, ends in (whole, packed):
        heads += block[: int(starts[0])]
        size = int(ends[0] - starts[0])
        tables.append(np.frombuffer(block, np.uint8, offset=int(starts[0])).reshape(-1, size))
    sizes = np.where(full, tables[0].shape[1], tables[1].shape[1]).astype(np.int64)
    ends = len(heads) + np.cumsum(sizes)
    starts = ends - sizes
    out = np.empty(int(ends[-1]), np.uint8)
    out[: len(heads)] = np.frombuffer(heads, np.uint8)
    for table, mask in ((tables[0], full), (tables[1], ~full)):
        if mask.any():
            out[starts[mask][:, None] + np.arange(table.shape[1])] = table[mask]
    return out.tobytes(), starts, ends


def chain(*files: bytes) -> bytes:
    """Chained FIT file (FIT protocol): complete files one after the other, each with its
    own header and CRC, as devices write several activities into one file."""
    return b"".join(files)


def semicircles(degrees: Any) -> np.ndarray:
    """Degrees -> FIT semicircles (2^31 per 180°), the unit of position fields."""
    return np.asarray(degrees, dtype=np.float64) * (2**31 / 180.0)
