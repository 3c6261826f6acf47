"""A raw FIT encoder for hostile files: any definition message, any field type and size.

:class:`samples.fit_write.FitWriter` writes what the FIT profile allows; this one writes what
a hostile or broken device can: a session ``start_time`` declared as a string or an array, a
field whose size is not a multiple of its base type, a big-endian message after a
little-endian one, a local type used before it is defined. Layout from the FIT protocol
description ("File Header", "Record Header", "Definition Message", "CRC").
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from samples.fit_write import fit_crc

#: base type byte -> (struct code, size); FIT protocol, "Base Types" (string: 1 byte per char)
BASE_TYPES: dict[int, tuple[str, int]] = {
    0x00: ("B", 1),  # enum
    0x01: ("b", 1),  # sint8
    0x02: ("B", 1),  # uint8
    0x83: ("h", 2),  # sint16
    0x84: ("H", 2),  # uint16
    0x85: ("i", 4),  # sint32
    0x86: ("I", 4),  # uint32
    0x07: ("s", 1),  # string
    0x88: ("f", 4),  # float32
    0x89: ("d", 8),  # float64
    0x0A: ("B", 1),  # uint8z
    0x8B: ("H", 2),  # uint16z
    0x8C: ("I", 4),  # uint32z
    0x0D: ("B", 1),  # byte
    0x8E: ("q", 8),  # sint64
    0x8F: ("Q", 8),  # uint64
    0x90: ("Q", 8),  # uint64z
}
STRING = 0x07
UINT32 = 0x86
ENUM = 0x00

#: global message numbers of the messages footfall reads (FIT profile, mesg_num)
FILE_ID, SESSION, LAP, RECORD, EVENT, SPORT = 0, 18, 19, 20, 21, 12
#: field numbers (FIT profile): timestamp is 253 in every message
TIMESTAMP = 253
FIT_EPOCH_UNIX = 631065600  # 1989-12-31T00:00Z (FIT profile, date_time)


@dataclass(frozen=True)
class FieldDef:
    """One field of a definition message: number, size in bytes, base type byte."""

    num: int
    size: int
    base: int


@dataclass
class RawFit:
    """Definition and data messages in the order given, then header and CRCs."""

    big_endian_header: bool = False
    chunks: list[bytes] = field(default_factory=list)
    layouts: dict[int, tuple[tuple[FieldDef, ...], bool]] = field(default_factory=dict)

    def define(
        self, local: int, mesg_num: int, fields: list[FieldDef], *, big: bool = False
    ) -> None:
        arch = ">" if big else "<"
        head = struct.pack(
            f"{arch}BBBHB", 0x40 | (local & 0x0F), 0, int(big), mesg_num, len(fields)
        )
        body = bytes(b for f in fields for b in (f.num & 0xFF, f.size & 0xFF, f.base & 0xFF))
        self.chunks.append(head + body)
        self.layouts[local] = (tuple(fields), big)

    def data(self, local: int, values: list[object]) -> None:
        """One data message: each value packed by its field's base type and size (a list
        packs an array, a str/bytes fills a string field, None writes 0xFF bytes)."""
        fields, big = self.layouts[local]
        out = bytearray([local & 0x0F])
        for f, value in zip(fields, values, strict=True):
            out += pack_value(f, value, big)
        self.chunks.append(bytes(out))

    def raw(self, data: bytes) -> None:
        self.chunks.append(data)

    def to_bytes(self, *, crc: bool = True, declared_size: int | None = None) -> bytes:
        body = b"".join(self.chunks)
        size = len(body) if declared_size is None else declared_size
        head = struct.pack("<BBHI4s", 14, 0x20, 2132, size & 0xFFFFFFFF, b".FIT")
        head += struct.pack("<H", fit_crc(head))
        whole = head + body
        return whole + (struct.pack("<H", fit_crc(whole)) if crc else b"")


def pack_value(f: FieldDef, value: object, big: bool) -> bytes:
    """``value`` as ``f.size`` bytes of base type ``f.base`` (padded or cut to the size)."""
    code = BASE_TYPES.get(f.base, ("B", 1))[0]
    arch = ">" if big else "<"
    if value is None:
        raw = b"\xff" * f.size
    elif isinstance(value, bytes):
        raw = value
    elif isinstance(value, str):
        raw = value.encode("utf-8", "replace") + b"\x00"
    elif code == "s":
        raw = str(value).encode() + b"\x00"
    else:
        items = value if isinstance(value, list | tuple) else [value]
        raw = b"".join(_pack_one(arch + code, v) for v in items)
    return raw[: f.size].ljust(f.size, b"\x00")


def _pack_one(fmt: str, value: object) -> bytes:
    try:
        return struct.pack(fmt, value)
    except struct.error:
        try:
            return struct.pack(fmt, int(value))  # type: ignore[call-overload]
        except (struct.error, TypeError, ValueError, OverflowError):
            return b"\xff" * struct.calcsize(fmt)


def fit_time(unix: float) -> int:
    return int(unix - FIT_EPOCH_UNIX) & 0xFFFFFFFF


def minimal_run(
    start_unix: float = 1_700_000_000.0,
    seconds: int = 600,
    *,
    session_fields: list[FieldDef] | None = None,
    session_values: list[object] | None = None,
    lap_fields: list[FieldDef] | None = None,
    lap_values: list[object] | None = None,
    event_fields: list[FieldDef] | None = None,
    event_values: list[object] | None = None,
) -> bytes:
    """A short run (1 Hz records with speed, distance, cadence) whose session, lap and event
    messages may carry any declared layout; each defaults to a sound one."""
    w = RawFit()
    w.define(0, FILE_ID, [FieldDef(0, 1, ENUM), FieldDef(1, 2, 0x84), FieldDef(4, 4, UINT32)])
    w.data(0, [4, 1, fit_time(start_unix)])  # type activity, manufacturer garmin
    t0 = fit_time(start_unix)
    w.define(
        1,
        EVENT,
        event_fields
        or [FieldDef(TIMESTAMP, 4, UINT32), FieldDef(0, 1, ENUM), FieldDef(1, 1, ENUM)],
    )
    w.data(1, event_values or [t0, 0, 0])  # timer start
    record = [
        FieldDef(TIMESTAMP, 4, UINT32),
        FieldDef(5, 4, UINT32),
        FieldDef(6, 2, 0x84),
        FieldDef(4, 1, 0x02),
        FieldDef(3, 1, 0x02),
    ]
    w.define(2, RECORD, record)
    for i in range(seconds):
        w.data(2, [t0 + i, int(i * 3.0 * 100), 3000, 88, 150])
    w.define(3, LAP, lap_fields or [FieldDef(TIMESTAMP, 4, UINT32), FieldDef(2, 4, UINT32)])
    w.data(3, lap_values or [t0 + seconds, t0])
    w.define(
        4,
        SESSION,
        session_fields
        or [
            FieldDef(TIMESTAMP, 4, UINT32),
            FieldDef(2, 4, UINT32),
            FieldDef(5, 1, ENUM),
            FieldDef(7, 4, UINT32),
        ],
    )
    w.data(4, session_values or [t0 + seconds, t0, 1, seconds * 1000])
    return w.to_bytes()
