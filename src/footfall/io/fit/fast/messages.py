"""The few non-record messages, decoded one by one in plain Python the way fitparse does.

Sessions, laps, events, file_id, device_info, sport and the developer-field bookkeeping
messages are a handful per file, so they are decoded exactly as fitparse's
``_parse_data_message`` does: same raw unpacking and invalid values, subfields resolved by
fitparse's own ``_resolve_subfield``, components expanded, values rendered (enum names) and
scaled by the profile's ``Field`` objects. Only the record messages go through numpy.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from functools import cache
from typing import Any

from fitparse.base import FitFile
from fitparse.profile import FIELD_TYPE_TIMESTAMP
from fitparse.records import BASE_TYPES, DevField

from footfall.io.fit.fast.definitions import (
    DEVELOPER_DATA_ID,
    FIELD_DESCRIPTION,
    Decline,
    Definition,
    DevTypes,
    FieldSpec,
    Stop,
)
from footfall.io.fit.messages import FitMessages


@dataclass
class FieldValue:
    """fitparse's FieldData, reduced to what the summaries and dev bookkeeping read."""

    spec: FieldSpec | None  # None for component and compressed-timestamp values
    field: Any
    parent: Any
    value: Any
    raw_value: Any

    @property
    def name(self) -> str:
        if self.field is not None:
            return str(self.field.name)
        assert self.spec is not None
        return f"unknown_{self.spec.def_num}"

    def is_named(self, name: str) -> bool:
        """fitparse's FieldData.is_named for a field name (names are never numbers here)."""
        if self.field is not None and name == self.field.name:
            return True
        return self.parent is not None and name == self.parent.name


def scale_offset(field: Any, raw: Any) -> Any:
    """fitparse's _apply_scale_offset, line for line (ints stay ints without a scale)."""
    if isinstance(raw, tuple):
        return tuple(scale_offset(field, x) for x in raw)
    if isinstance(raw, int | float):
        if field.scale:
            raw = float(raw) / field.scale
        if field.offset:
            raw = raw - field.offset
    return raw


@cache
def _reader(base: Any, endian: str, size: int) -> tuple[struct.Struct, bool]:
    count = size // base.size
    return struct.Struct(f"{endian}{count}{base.fmt}"), base.name == "byte"


def raw_values(definition: Definition, data: bytes, pos: int) -> list[Any]:
    """fitparse's _parse_raw_values_from_data_message for the message at ``pos``."""
    out: list[Any] = []
    for spec in definition.specs:
        reader, is_byte = _reader(spec.base, definition.endian, spec.size)
        unpacked = reader.unpack_from(data, pos + spec.offset)
        raw = unpacked if (len(unpacked) > 1 or is_byte) else unpacked[0]
        parse = spec.base.parse
        if isinstance(raw, tuple) and not is_byte:
            out.append(tuple(parse(rv) for rv in raw))
        else:
            out.append(parse(raw))
    return out


def decode_message(
    definition: Definition, data: bytes, pos: int, timestamp: int | None
) -> list[FieldValue]:
    """All field values of one data message, in fitparse's order.

    ``timestamp`` is the value of a compressed-timestamp header, None for a normal header.
    """
    raws = raw_values(definition, data, pos)
    mesg_type = definition.mesg_type
    out: list[FieldValue] = []
    for spec, raw in zip(definition.specs, raws, strict=True):
        field, parent = spec.field, None
        if field is None:
            out.append(FieldValue(spec, None, None, raw, raw))
            continue
        if not spec.is_dev:
            field, parent = FitFile._resolve_subfield(field, definition, raws)
            for component in field.components or ():
                try:
                    cmp_raw = component.render(raw)
                except ValueError:
                    continue
                if component.accumulate and cmp_raw is not None:
                    raise Decline(f"accumulating component {component.name} in {mesg_type.name}")
                cmp_raw = scale_offset(component, cmp_raw)
                cmp_field = mesg_type.fields[component.def_num]
                cmp_field, cmp_parent = FitFile._resolve_subfield(cmp_field, definition, raws)
                value = cmp_field.render(cmp_raw)
                out.append(FieldValue(None, cmp_field, cmp_parent, value, cmp_raw))
        out.append(FieldValue(spec, field, parent, scale_offset(field, field.render(raw)), raw))
    if timestamp is not None:
        value = FIELD_TYPE_TIMESTAMP.render(timestamp)
        out.append(FieldValue(None, FIELD_TYPE_TIMESTAMP, None, value, timestamp))
    return out


def _raw(values: list[FieldValue], name: str) -> Any:
    """fitparse's DataMessage.get_raw_value: the first field answering to ``name``."""
    for fv in values:
        if fv.is_named(name):
            return fv.raw_value
    return None


def apply_developer_message(
    definition: Definition, data: bytes, pos: int, dev_types: DevTypes
) -> None:
    """fitparse's add_dev_data_id / add_dev_field_description, on the per-file registry."""
    values = decode_message(definition, data, pos, None)
    index = _raw(values, "developer_data_index")
    if not isinstance(index, int):
        # fitparse goes on with None or a tuple here, then fails with a TypeError later
        raise Decline(f"developer data index {index!r}")
    if definition.mesg_num == DEVELOPER_DATA_ID:
        dev_types[index] = {}
        return
    assert definition.mesg_num == FIELD_DESCRIPTION
    num = _raw(values, "field_definition_number")
    if index not in dev_types:
        end = pos + definition.size  # fitparse raises after reading the whole message
        raise Stop("corrupt", f"No such dev_data_index={index} found", end, pos)
    if not isinstance(num, int):
        raise Decline(f"developer field number {num!r}")  # fitparse: TypeError or no match
    base_id = _raw(values, "fit_base_type_id")
    if base_id not in BASE_TYPES:
        raise Decline(f"developer field base type {base_id}")  # fitparse: KeyError
    dev_types[index][num] = DevField(
        dev_data_index=index,
        def_num=num,
        type=BASE_TYPES[base_id],
        name=_raw(values, "field_name") or f"unnamed_dev_field_{num}",
        units=_raw(values, "units"),
        native_field_num=_raw(values, "native_field_num"),
    )


def add_summary(out: FitMessages, name: str, values: list[FieldValue]) -> None:
    """fit_fitparse._summary: rendered values by field name, developer fields left out."""
    kept: dict[str, Any] = {}
    for fv in values:
        if (fv.spec is not None and fv.spec.is_dev) or fv.field is None:
            continue
        if fv.value is not None:
            kept[fv.name] = fv.value
    out.add_summary(name, kept)
