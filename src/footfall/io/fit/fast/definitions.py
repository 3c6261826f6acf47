"""Definition messages for the fast FIT decoder, read the way fitparse reads them.

Field names, scales, offsets, units and base types come from fitparse's own tables
(``fitparse.profile.MESSAGE_TYPES``, ``fitparse.records.BASE_TYPES``): one source of truth,
so the fast path cannot drift from the reference decoder. Where the bytes end early or a
definition is malformed, :class:`Stop` carries the exact problem fitparse would report
(same message, same stream offset), so both decoders keep the same records and report the
same damage.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
from fitparse.profile import MESSAGE_TYPES
from fitparse.records import BASE_TYPE_BYTE, BASE_TYPES

#: FIT global message numbers of the developer-field bookkeeping messages (FIT profile)
DEVELOPER_DATA_ID = 207
FIELD_DESCRIPTION = 206
TIMESTAMP_FIELD = 253  # every message's `timestamp` field number (FIT protocol)


class Decline(Exception):
    """The fast path does not reproduce this file exactly: fitparse must read it."""


class Stop(Exception):
    """Decoding stops here the way fitparse's would (EOF or a parse error).

    ``offset`` is where fitparse's stream stands when it raises; messages starting at or
    after ``cut`` were not delivered by fitparse and are dropped.
    """

    def __init__(self, kind: str, message: str, offset: int, cut: int) -> None:
        super().__init__(message)
        self.kind = kind  # "truncated" | "corrupt"
        self.message = message
        self.offset = offset
        self.cut = cut


def need(data: bytes, at: int, size: int, cut: int) -> None:
    """Raise fitparse's end-of-file problem when ``size`` bytes are not there at ``at``."""
    if at + size > len(data):
        got = max(0, len(data) - at)
        text = f"file ends early: Tried to read {size} bytes from .FIT file but got {got}"
        raise Stop("truncated", text, len(data), cut)


@dataclass(eq=False)
class FieldSpec:
    """One field of a definition: where its bytes are and what the profile says it is."""

    def_num: int
    size: int
    base: Any  # fitparse BaseType (as decoded from the definition, not the profile's)
    offset: int  # from the start of the data message (its header byte is offset 0)
    field: Any  # fitparse Field, DevField (developer field) or None (not in the profile)
    dev_index: int | None = None  # developer data index, for developer fields

    @property
    def count(self) -> int:
        return self.size // self.base.size

    @property
    def is_numeric_scalar(self) -> bool:
        """fitparse gives a single number here (arrays become tuples, bytes/strings not)."""
        return self.count == 1 and self.base.name not in ("byte", "string")

    @property
    def is_dev(self) -> bool:
        return self.dev_index is not None


@dataclass(eq=False)
class Definition:
    """A definition message and the positions of the data messages that use it."""

    local: int
    mesg_num: int
    endian: str  # "<" or ">" (struct notation)
    field_defs: list[FieldSpec]  # native fields; the name fitparse's _resolve_subfield reads
    dev_defs: list[FieldSpec]
    size: int  # data message size, header byte included
    positions: list[int] = field(default_factory=list)
    done: int = 0  # positions already handed to the Python decoder (developer messages)

    @property
    def mesg_type(self) -> Any:
        return MESSAGE_TYPES.get(self.mesg_num)

    @property
    def name(self) -> str:
        mesg_type = self.mesg_type
        return str(mesg_type.name) if mesg_type else f"unknown_{self.mesg_num}"

    @property
    def specs(self) -> list[FieldSpec]:
        return self.field_defs + self.dev_defs


#: developer fields by data index, then field number (fitparse's DEV_TYPES, per file)
DevTypes = dict[Any, dict[int, Any]]


def parse_definition(data: bytes, pos: int, dev_types: DevTypes) -> tuple[Definition, int]:
    """Read the definition message at ``pos``; return it and where the next message starts."""
    header = data[pos]
    at = pos + 1
    need(data, at, 2, pos)
    endian = ">" if data[at + 1] else "<"  # fitparse: any non-zero architecture is big endian
    at += 2
    need(data, at, 3, pos)
    mesg_num, num_fields = struct.unpack_from(endian + "HB", data, at)
    at += 3
    mesg_type = MESSAGE_TYPES.get(mesg_num)
    native: list[FieldSpec] = []
    offset = 1
    for _ in range(num_fields):
        need(data, at, 3, pos)
        def_num, size, base_num = data[at], data[at + 1], data[at + 2]
        at += 3
        base = BASE_TYPES.get(base_num, BASE_TYPE_BYTE)
        if size % base.size:
            text = (
                f"Invalid field size {size} for type '{base.name}' "
                f"(expected a multiple of {base.size})"
            )
            raise Stop("corrupt", text, at, pos)
        profile_field = mesg_type.fields.get(def_num) if mesg_type else None
        native.append(FieldSpec(def_num, size, base, offset, profile_field))
        offset += size
    devs: list[FieldSpec] = []
    if header & 0x20:
        need(data, at, 1, pos)
        num_dev = data[at]
        at += 1
        for _ in range(num_dev):
            need(data, at, 3, pos)
            def_num, size, dev_index = data[at], data[at + 1], data[at + 2]
            at += 3
            dev_field = _dev_field(dev_types, dev_index, def_num, at, pos)
            base = dev_field.type
            if size == 0 or size % base.size:
                # fitparse would read int(size / base size) values and lose its place
                raise Decline(f"developer field size {size} for {base.name}")
            devs.append(FieldSpec(def_num, size, base, offset, dev_field, dev_index))
            offset += size
    if any(spec.size == 0 for spec in native):
        raise Decline("zero-size field")  # fitparse fails on every message of such a definition
    definition = Definition(header & 0x0F, mesg_num, endian, native, devs, offset)
    return definition, at


def _dev_field(dev_types: DevTypes, index: int, num: int, at: int, pos: int) -> Any:
    """fitparse's get_dev_type: a developer field must have been described before use."""
    if index not in dev_types:
        text = f"No such dev_data_index={index} found when looking up field {num}"
        raise Stop("corrupt", text, at, pos)
    if num not in dev_types[index]:
        raise Stop("corrupt", f"No such field {num} for dev_data_index {index}", at, pos)
    return dev_types[index][num]


@dataclass(frozen=True)
class NumpyBase:
    """How numpy reads one base type: dtype (with byte order) and the invalid sentinel."""

    dtype: np.dtype[Any]
    invalid: int | None  # None for floats, whose invalid value is NaN


@cache
def numpy_base(base_name: str, endian: str) -> NumpyBase:
    """Derived from fitparse's BaseType (its struct format and its ``parse`` sentinel test)."""
    base = next(b for b in BASE_TYPES.values() if b.name == base_name)
    dtype = np.dtype(endian + base.fmt)
    if dtype.kind == "f":
        return NumpyBase(dtype, None)
    info = np.iinfo(dtype)
    for candidate in (int(info.max), 0, int(info.min)):
        if base.parse(candidate) is None:
            return NumpyBase(dtype, candidate)
    raise Decline(f"no invalid value known for {base_name}")
