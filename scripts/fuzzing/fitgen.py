"""FIT files built message by message with hostile definitions.

A definition message says, for each field, its number, size and base type, and the message's
byte order. A device bug (or an attacker) can declare a session's ``start_time`` as a
string, an event's ``timestamp`` as an array of four, a record's ``speed`` as a float64 of
size 3, and switch byte order between messages. These generators write such files around a
short, otherwise sound run, so the reader gets past the header and meets them.
"""

from __future__ import annotations

from fuzzing.choice import Chooser
from fuzzing.rawfit import (
    BASE_TYPES,
    ENUM,
    EVENT,
    FILE_ID,
    LAP,
    RECORD,
    SESSION,
    SPORT,
    TIMESTAMP,
    UINT32,
    FieldDef,
    RawFit,
    fit_time,
)

#: profile fields of the summary messages the reader looks at (FIT profile field numbers)
SUMMARY_FIELDS = {
    SESSION: (TIMESTAMP, 2, 5, 6, 7, 8, 9, 254),  # start_time, sport, sub_sport, elapsed...
    LAP: (TIMESTAMP, 2, 7, 8, 9, 254),
    EVENT: (TIMESTAMP, 0, 1, 4),  # event, event_type, event_group
    SPORT: (0, 1, 3),
    FILE_ID: (0, 1, 2, 3, 4, 8),
    RECORD: (TIMESTAMP, 0, 1, 2, 3, 4, 5, 6, 39, 40, 41, 53, 73, 78, 83, 84, 85),
}
_MESSAGES = (SESSION, LAP, EVENT, SPORT, FILE_ID, RECORD, 23, 34, 206, 207, 0xFFFF, 0x1234)
START_UNIX = 1_715_585_400.0  # 2024-05-13T07:30Z, the samples' morning


def hostile_field(c: Chooser, mesg: int) -> FieldDef:
    nums = SUMMARY_FIELDS.get(mesg, (TIMESTAMP, 0, 1, 2))
    num = c.pick(nums) if c.chance(0.85) else c.int(0, 255)
    base = c.pick(sorted(BASE_TYPES)) if c.chance(0.9) else c.int(0, 255)
    width = BASE_TYPES.get(base, ("B", 1))[1]
    size = c.pick([width, width * c.int(2, 8), c.int(0, 255), width + 1, 0])
    return FieldDef(num, size, base)


def hostile_value(c: Chooser, field: FieldDef, t0: int) -> object:
    kind = c.pick(["time", "zero", "max", "invalid", "random", "text", "array", "small"])
    if kind == "time":
        return t0 + c.int(-100_000, 100_000)
    if kind == "zero":
        return 0
    if kind == "max":
        return 0xFFFFFFFFFFFFFFFF
    if kind == "invalid":
        return None
    if kind == "text":
        return c.pick(["running", "stop_all", "timer", "\x1b[2J", "12345", ""])
    if kind == "array":
        return [t0 + c.int(0, 100) for _ in range(c.int(1, 8))]
    if kind == "small":
        return c.int(0, 20)
    return c.bytes(max(0, field.size))


#: (size, base type) a field can be declared with instead of its own: a string, an array of
#: four uint32, a float, a byte blob, a size that is not a multiple of the type
_CONFUSIONS = ((8, 0x07), (16, UINT32), (4, 0x88), (8, 0x89), (6, 0x0D), (3, UINT32), (0, UINT32))


def sound_summaries(t0: int, seconds: int) -> list[tuple[int, list[FieldDef], list[object]]]:
    """Two sessions, a lap and timer events of a sound file, as (mesg, fields, values)."""
    session = [
        FieldDef(TIMESTAMP, 4, UINT32),
        FieldDef(2, 4, UINT32),
        FieldDef(5, 1, ENUM),
        FieldDef(7, 4, UINT32),
    ]
    half = seconds // 2
    return [
        (
            EVENT,
            [FieldDef(TIMESTAMP, 4, UINT32), FieldDef(0, 1, ENUM), FieldDef(1, 1, ENUM)],
            [t0 + half, 0, 4],
        ),  # timer stop_all
        (
            EVENT,
            [FieldDef(TIMESTAMP, 4, UINT32), FieldDef(0, 1, ENUM), FieldDef(1, 1, ENUM)],
            [t0 + half + 5, 0, 0],
        ),  # timer start
        (LAP, [FieldDef(TIMESTAMP, 4, UINT32), FieldDef(2, 4, UINT32)], [t0 + half, t0]),
        (SESSION, list(session), [t0 + half, t0, 1, half * 1000]),
        (SESSION, list(session), [t0 + seconds, t0 + half, 1, half * 1000]),
    ]


def hostile_fit(c: Chooser) -> bytes:
    """A short run with hostile summary messages (and sometimes hostile records)."""
    w = RawFit()
    t0 = fit_time(START_UNIX)
    seconds = c.pick([5, 60, 600])
    if c.chance(0.9):
        w.define(0, FILE_ID, [FieldDef(0, 1, ENUM), FieldDef(1, 2, 0x84), FieldDef(4, 4, UINT32)])
        w.data(0, [4, 1, t0])
    w.define(1, EVENT, [FieldDef(TIMESTAMP, 4, UINT32), FieldDef(0, 1, ENUM), FieldDef(1, 1, ENUM)])
    w.data(1, [t0, 0, 0])
    record = [
        FieldDef(TIMESTAMP, 4, UINT32),
        FieldDef(5, 4, UINT32),
        FieldDef(6, 2, 0x84),
        FieldDef(4, 1, 0x02),
        FieldDef(3, 1, 0x02),
    ]
    if c.chance(0.2):
        record.append(hostile_field(c, RECORD))
    big = c.chance(0.2)
    w.define(2, RECORD, record, big=big)
    for i in range(seconds):
        extra = [hostile_value(c, record[-1], t0)] if len(record) > 5 else []
        w.data(2, [t0 + i, i * 300, 3000, 88, 150, *extra])
    for local, (mesg, fields, values) in enumerate(sound_summaries(t0, seconds), start=3):
        if c.chance(0.5):  # one field of a sound message given another type or size
            i = c.int(0, len(fields) - 1)
            fields[i] = FieldDef(fields[i].num, *c.pick(_CONFUSIONS))
            values[i] = hostile_value(c, fields[i], t0)
        w.define(local, mesg, fields, big=c.chance(0.1))
        w.data(local, values)
    for local in range(8, 8 + c.int(0, 6)):
        mesg = c.pick(_MESSAGES)
        fields = [hostile_field(c, mesg) for _ in range(c.int(0, 8))]
        w.define(local & 0x0F, mesg, fields, big=c.chance(0.3))
        for _ in range(c.int(1, 3)):
            w.data(local & 0x0F, [hostile_value(c, f, t0) for f in fields])
    if c.chance(0.1):
        w.raw(bytes([c.int(0, 255)]) + c.bytes(c.int(0, 40)))  # a header of an undefined type
    declared = None if c.chance(0.9) else c.pick([0, 1, 0xFFFFFFFF, 12])
    return w.to_bytes(crc=c.chance(0.8), declared_size=declared)
