"""The hostile corpus (tests/hostile/): one small file per way of breaking footfall that
issue 11 found, built from the synthetic samples (never a real GPS track), with what footfall
must answer for each in MANIFEST.json. ``scripts/make_hostile.py`` writes it.

Bombs are not here: they are built at test time (tests/test_hostile_memory.py), see
:func:`gzip_bomb` and :func:`empty_gzip_members`.
"""

from __future__ import annotations

import bz2
import gzip
import io
import random
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fuzzing.rawfit import (
    ENUM,
    FILE_ID,
    RECORD,
    SESSION,
    STRING,
    TIMESTAMP,
    UINT32,
    FieldDef,
    RawFit,
    fit_time,
    minimal_run,
)

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_activities"
OUT = ROOT / "tests" / "hostile"
START = 1_715_585_400.0  # 2024-05-13T07:30Z
T0 = fit_time(START)
ZIP_TIME = (2024, 5, 13, 7, 30, 0)  # fixed member dates: the same bytes on every run


@dataclass(frozen=True)
class Case:
    """One hostile file: its name, how it is built, what it is, and what footfall answers:
    ``ok`` (analysed) or the error kind; ``owner`` names who must fix a case footfall still
    fails, with the reason (the tests mark it strict-xfail)."""

    name: str
    build: Callable[[], bytes]
    what: str
    expect: str
    issue_class: str
    owner: str = ""
    #: set when the owner's fix is on main already (its commit): the xfail is not strict, so
    #: both this branch and the merge stay green; drop ``owner`` once merged
    fixed_on_main: str = ""


def _gz(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=6, mtime=0)


def small_gpx() -> bytes:
    """gpx_cadence_only.gpx cut to its first 300 points (10 min, ~25 KB)."""
    data = (SAMPLES / "gpx_cadence_only.gpx").read_bytes()
    points = list(re.finditer(rb"<trkpt\b.*?</trkpt>\s*", data, re.S))
    return (
        data[: points[0].start()]
        + b"".join(p.group(0) for p in points[:300])
        + data[points[-1].end() :]
    )


def small_tcx() -> bytes:
    """unit_switch.tcx cut to its first lap (10 min)."""
    data = (SAMPLES / "unit_switch.tcx").read_bytes()
    laps = list(re.finditer(rb"<Lap\b.*?</Lap>\s*", data, re.S))
    return data[: laps[0].start()] + laps[0].group(0) + data[laps[-1].end() :]


def _sub_times(data: bytes, tag: bytes, value: bytes, count: int = 0) -> bytes:
    pattern = re.compile(b"<" + tag + rb">[^<]*</" + tag + b">")
    return pattern.sub(b"<" + tag + b">" + value + b"</" + tag + b">", data, count=count)


def _records_defined() -> RawFit:
    """A FIT activity with record messages defined as local type 2: timestamp, distance,
    speed, cadence (each data message then takes those four values)."""
    w = RawFit()
    w.define(0, FILE_ID, [FieldDef(0, 1, ENUM)])
    w.data(0, [4])
    w.define(
        2,
        RECORD,
        [
            FieldDef(TIMESTAMP, 4, UINT32),
            FieldDef(5, 4, UINT32),
            FieldDef(6, 2, 0x84),
            FieldDef(4, 1, 0x02),
        ],
    )
    return w


def two_sessions(second: list[FieldDef], values: list[object]) -> bytes:
    """A 10 min run in two sessions; the second session's definition is ``second``."""
    w = _records_defined()
    for i in range(600):
        w.data(2, [T0 + i, i * 300, 3000, 88])
    first = [
        FieldDef(TIMESTAMP, 4, UINT32),
        FieldDef(2, 4, UINT32),
        FieldDef(5, 1, ENUM),
        FieldDef(7, 4, UINT32),
    ]
    w.define(4, SESSION, first)
    w.data(4, [T0 + 300, T0, 1, 300_000])
    w.define(5, SESSION, second)
    w.data(5, values)
    return w.to_bytes()


def spread_fit(hours: float, step_s: float = 9.0) -> bytes:
    """A run whose records spread over ``hours`` (every ``step_s``), moving all along."""
    w = _records_defined()
    for i in range(int(hours * 3600 / step_s)):
        w.data(2, [T0 + int(i * step_s), int(i * step_s * 300), 3000, 88])
    return w.to_bytes()


def _zip(members: list[tuple[str, bytes, int]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data, method in members:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = method
            z.writestr(info, data)
    return buf.getvalue()


def _patch_central(data: bytes, offset: int, fmt: str, value: int) -> bytes:
    """Set one field of the first central directory entry (APPNOTE 4.3.12)."""
    at = data.index(b"PK\x01\x02") + offset
    return data[:at] + struct.pack(fmt, value) + data[at + struct.calcsize(fmt) :]


def _patch_end(data: bytes, offset: int, fmt: str, value: int) -> bytes:
    """Set one field of the end of central directory record (APPNOTE 4.3.16)."""
    at = data.rindex(b"PK\x05\x06") + offset
    return data[:at] + struct.pack(fmt, value) + data[at + struct.calcsize(fmt) :]


def zip_negative_seek() -> bytes:
    """The end record's directory offset moved up by 100: the directory is still found (its
    place is computed from the end), but every member's offset is now 100 bytes before
    the start of the file, and zipfile seeks there (ValueError: negative seek value)."""
    raw = _zip([("run.fit", _good_fit(), 8)])
    offset = struct.unpack_from("<I", raw, raw.rindex(b"PK\x05\x06") + 16)[0]
    return _patch_end(raw, 16, "<I", offset + 100)


def _good_fit() -> bytes:
    return minimal_run(START, 600)


def zip_lzma_damaged() -> bytes:
    raw = bytearray(_zip([("run.fit", _good_fit(), zipfile.ZIP_LZMA)]))
    start = raw.index(b"PK\x03\x04") + 30 + len("run.fit")
    raw[start + 4 : start + 40] = b"\xff" * 36  # the LZMA properties and stream
    return bytes(raw)


def zip_bz2_damaged() -> bytes:
    member = bz2.compress(_good_fit())
    raw = _zip([("run.fit", _good_fit(), zipfile.ZIP_BZIP2)])
    at = raw.index(member[:16])
    cut = len(member) // 2  # the stream turns to zeros half-way; sizes say it is whole
    return raw[:at] + member[:cut] + b"\x00" * (len(member) - cut) + raw[at + len(member) :]


def zip_ends_early() -> bytes:
    """A stored member whose sizes (central directory) say 100 MB: zipfile reads to the end
    of the file and raises EOFError, which click used to show as "interrupted"."""
    raw = _zip([("run.fit", _good_fit(), zipfile.ZIP_STORED)])
    raw = _patch_central(raw, 20, "<I", 100_000_000)  # compressed size
    return _patch_central(raw, 24, "<I", 100_000_000)  # uncompressed size


def zip_names_not_utf8() -> bytes:
    raw = _zip([("run_.fit", _good_fit(), zipfile.ZIP_STORED)])
    entry = raw.index(b"PK\x01\x02")
    flags = struct.unpack_from("<H", raw, entry + 8)[0]
    raw = _patch_central(raw, 8, "<H", flags | 0x0800)  # says UTF-8 ...
    name = entry + 46 + len("run")
    return raw[:name] + b"\xff" + raw[name + 1 :]  # ... and is not


def zip_terminal_names() -> bytes:
    return _zip(
        [
            ("\x1b[2J\x1b[31mred.fit.gz", _gz(_good_fit()[:40]), zipfile.ZIP_STORED),
            ("line\nfootfall: all fine\n.fit.gz", b"\x1f\x8b\x08\x00broken", zipfile.ZIP_STORED),
            ("\u202eevil.fit", _good_fit(), zipfile.ZIP_DEFLATED),
        ]
    )


def gzip_nested(depth: int) -> bytes:
    data = small_gpx()
    for _ in range(depth):
        data = gzip.compress(data, compresslevel=1, mtime=0)
    return data


def gzip_bomb(size: int, period: int = 30_000) -> bytes:
    """A gzip of ``size`` bytes that repeat a random block of ``period`` bytes: ~75:1, so the
    ratio check lets it through and the member size limit has to stop it."""
    block = random.Random(11).randbytes(period)
    compressor = zlib.compressobj(1, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return compressor.compress(block * (size // period + 1)) + compressor.flush()


def empty_gzip_members(count: int) -> bytes:
    return gzip.compress(b"", mtime=0) * count


def backwards_gpx() -> bytes:
    head, _, tail = small_gpx().partition(b"<trkseg>")
    order = iter(re.findall(rb"<time>[^<]*</time>", tail)[::-1])
    return head + b"<trkseg>" + re.sub(rb"<time>[^<]*</time>", lambda m: next(order), tail)


LEAD_FIT = "lead: io/fit/reader.py calls float() on a summary field of another type"
LEAD_TCX_TIME = "lead: io/tcx.py _parse_time (pandas) raises on a time that is no time"
LEAD_TCX_ENC = "lead: io/tcx.py hands the declared encoding to expat (LookupError/ValueError)"
LEAD_PARTIAL = "lead: a truncated GPX/TCX is refused; its readable points should be kept"
LEAD_BACKWARDS = "lead: a GPX whose points all run backwards keeps one point"
LEAD_SALVAGE = "lead: io/xml_salvage.py salvage_truncated: expat raises LookupError/UnicodeError"
#: main's commits with the fixes (issue 10 and issue 11 readers)
ON_MAIN_FIT = "2340875 (io/fit/sessions.py, typed field access)"
ON_MAIN_XML = "226b6de (truncated GPX/TCX kept, unknown TCX encoding, records put back in order)"

CASES = (
    Case(
        "fit_session_start_time_string.fit",
        lambda: two_sessions([FieldDef(2, 8, STRING), FieldDef(5, 1, ENUM)], ["12:00", 1]),
        "second session's start_time declared as a string",
        "answer",
        "1",
    ),
    Case(
        "fit_session_start_time_array.fit",
        lambda: two_sessions(
            [FieldDef(2, 8, UINT32), FieldDef(5, 1, ENUM)], [[T0 + 300, T0 + 301], 1]
        ),
        "second session's start_time declared as an array of two",
        "answer",
        "1",
    ),
    Case(
        "fit_session_elapsed_string.fit",
        lambda: two_sessions(
            [FieldDef(2, 4, UINT32), FieldDef(5, 1, ENUM), FieldDef(7, 6, STRING)],
            [T0 + 300, 1, "long"],
        ),
        "session total_elapsed_time declared as a string",
        "answer",
        "1",
    ),
    Case(
        "fit_lap_start_time_string.fit",
        lambda: minimal_run(START, 600, lap_fields=[FieldDef(2, 8, STRING)], lap_values=["noon"]),
        "lap start_time declared as a string",
        "answer",
        "1",
    ),
    Case(
        "fit_event_timestamp_array.fit",
        lambda: minimal_run(
            START,
            600,
            event_fields=[
                FieldDef(TIMESTAMP, 8, UINT32),
                FieldDef(0, 1, ENUM),
                FieldDef(1, 1, ENUM),
            ],
            event_values=[[T0, T0], 0, 0],
        ),
        "timer event timestamp declared as an array",
        "answer",
        "1",
    ),
    Case(
        "fit_over_48h.fit",
        lambda: spread_fit(60.0, 60.0),
        "a record a minute for 60 h, moving all along",
        "no_usable_data",
        "span",
    ),
    Case(
        "gpx_tz_offset_24h.gpx",
        lambda: _sub_times(small_gpx(), b"time", b"2024-05-13T07:30:00+24:00", count=5),
        "a few times with a time-zone offset of +24:00",
        "ok",
        "2",
    ),
    Case(
        "gpx_all_tz_offset_24h.gpx",
        lambda: _sub_times(small_gpx(), b"time", b"2024-05-13T07:30:00-24:00"),
        "every time with an offset of -24:00",
        "no_usable_data",
        "2",
    ),
    Case(
        "gpx_idna_encoding.gpx",
        lambda: small_gpx().replace(b'encoding="UTF-8"', b'encoding="idna"', 1),
        "an encoding whose codec cannot replace bad bytes (UnicodeError)",
        "ok",
        "4",
    ),
    Case(
        "gpx_deep_extensions.gpx",
        lambda: small_gpx().replace(
            b"</trkpt>",
            b"<extensions>" + b"<x>" * 1500 + b"</x>" * 1500 + b"</extensions></trkpt>",
            1,
        ),
        "extensions nested 1,500 deep",
        "ok",
        "5",
    ),
    Case(
        "gpx_truncated.gpx",
        lambda: small_gpx()[: len(small_gpx()) * 2 // 3],
        "cut two thirds in (a copy interrupted)",
        "ok",
        "partial",
    ),
    Case(
        "gpx_backwards.gpx",
        backwards_gpx,
        "points in reverse time order",
        "ok",
        "backwards",
    ),
    Case(
        "gpx_xss_name.gpx",
        lambda: small_gpx().replace(
            b"<trk>", b"<trk><name>&lt;script&gt;alert(1)&lt;/script&gt;&lt;img/src=x&gt;</name>", 1
        ),
        "a track name with a script element and an img tag",
        "ok",
        "xss",
    ),
    Case(
        "gpx_entities.gpx",
        lambda: small_gpx().replace(
            b"?>", b'?><!DOCTYPE g [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>', 1
        ),
        "a DTD with entity declarations",
        "corrupt_file",
        "xml",
    ),
    Case(
        "tcx_no_time.tcx",
        lambda: re.sub(rb"<Time>[^<]*</Time>", b"", small_tcx()),
        "trackpoints without <Time>",
        "no_usable_data",
        "3",
    ),
    Case(
        "tcx_time_garbage.tcx",
        lambda: _sub_times(small_tcx(), b"Time", b"yesterday", count=1),
        "one <Time> that is no time",
        "ok",
        "3",
    ),
    Case(
        "tcx_lap_start_garbage.tcx",
        lambda: re.sub(rb'StartTime="[^"]*"', b'StartTime="noon"', small_tcx(), count=1),
        "a lap StartTime that is no time",
        "ok",
        "3",
    ),
    Case(
        "tcx_time_out_of_bounds.tcx",
        lambda: _sub_times(small_tcx(), b"Time", b"9999999999999999999999", count=1),
        "a <Time> that pandas cannot hold (OutOfBoundsDatetime)",
        "ok",
        "3",
    ),
    Case(
        "tcx_lap_start_nan.tcx",
        lambda: re.sub(rb'StartTime="[^"]*"', b'StartTime="nan"', small_tcx(), count=1),
        "a lap StartTime of nan (pandas reads it as NaT)",
        "ok",
        "3",
    ),
    Case(
        "tcx_idna_encoding.tcx",
        lambda: small_tcx().replace(b'encoding="UTF-8"', b'encoding="idna"', 1),
        "an encoding whose codec cannot replace bad bytes (UnicodeError)",
        "answer",
        "4",
    ),
    Case(
        "tcx_unknown_encoding.tcx",
        lambda: small_tcx().replace(b'encoding="UTF-8"', b'encoding="x-unknown-42"', 1),
        "an encoding no codec knows",
        "answer",
        "4",
    ),
    Case(
        "tcx_utf32_declared.tcx",
        lambda: small_tcx().replace(b'encoding="UTF-8"', b'encoding="UTF-32"', 1),
        "UTF-8 bytes declared as UTF-32 (expat: multi-byte encodings are not supported)",
        "answer",
        "4",
    ),
    Case(
        "tcx_tz_offset_99h.tcx",
        lambda: _sub_times(small_tcx(), b"Time", b"2024-05-12T07:30:00+99:59", count=3),
        "a few times with an offset of +99:59",
        "ok",
        "2",
    ),
    Case(
        "tcx_truncated.tcx",
        lambda: small_tcx()[: len(small_tcx()) * 2 // 3],
        "cut two thirds in",
        "ok",
        "partial",
    ),
    Case(
        "gpx_truncated_unknown_encoding.gpx",
        lambda: small_gpx().replace(b'encoding="UTF-8"', b'encoding="x-unknown-42"', 1)[:40_000],
        "cut short, and declared in an encoding no codec knows",
        "ok",
        "partial",
    ),
    Case(
        "tcx_truncated_idna.tcx",
        lambda: small_tcx().replace(b'encoding="UTF-8"', b'encoding="idna"', 1)[:15_000],
        "cut short, and declared idna",
        "ok",
        "partial",
    ),
    Case(
        "zip_gzip_nested_1500.zip",
        lambda: _zip([("deep.gpx.gz", gzip_nested(1500), zipfile.ZIP_STORED)]),
        "a zip member of gzip nested 1,500 deep",
        "archive_limit",
        "6",
    ),
    Case(
        "zip_lzma_damaged.zip",
        zip_lzma_damaged,
        "an LZMA member with a broken stream",
        "corrupt_file",
        "7",
    ),
    Case(
        "zip_bz2_damaged.zip",
        zip_bz2_damaged,
        "a bzip2 member whose stream turns to zeros",
        "corrupt_file",
        "7",
    ),
    Case(
        "zip_ends_early.zip",
        zip_ends_early,
        "a member said to be larger than the file (EOFError)",
        "corrupt_file",
        "7",
    ),
    Case(
        "zip_negative_seek.zip",
        zip_negative_seek,
        "a directory offset that puts the member before the file (ValueError)",
        "corrupt_file",
        "7",
    ),
    Case(
        "zip_directory_too_large.zip",
        lambda: _patch_end(_zip([("run.fit", _good_fit(), 8)]), 12, "<I", 0x7FFFFFFF),
        "a central directory size larger than the file",
        "corrupt_file",
        "7",
    ),
    Case(
        "zip_version_63.zip",
        lambda: _patch_central(_zip([("run.fit", _good_fit(), 8)]), 6, "<H", 99),
        "a member that needs zip version 9.9",
        "corrupt_file",
        "7",
    ),
    Case(
        "zip_method_unknown.zip",
        lambda: _patch_central(_zip([("run.fit", _good_fit(), 8)]), 10, "<H", 99),
        "a member compressed with method 99 (AES)",
        "corrupt_file",
        "7",
    ),
    Case(
        "zip_names_not_utf8.zip",
        zip_names_not_utf8,
        "a member name flagged UTF-8 that is not",
        "corrupt_file",
        "7",
    ),
    Case(
        "zip_terminal_names.zip",
        zip_terminal_names,
        "member names with terminal escapes, a newline, a bidi override",
        "archive",
        "11",
    ),
    Case(
        "zip_traversal.zip",
        lambda: _zip([("../../etc/run.fit", _good_fit(), 8), ("/abs/run.fit", _good_fit(), 8)]),
        "member paths outside the archive",
        "archive_limit",
        "zip",
    ),
    Case(
        "gz_101_members.fit.gz",
        lambda: empty_gzip_members(101) + _gz(_good_fit()),
        "101 gzip members, the last one a run",
        "archive_limit",
        "10",
    ),
)
