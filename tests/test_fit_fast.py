"""The numpy FIT decoder (footfall.io.fit.fast.decoder) against fitparse, value for value.

Every FIT file of the real corpus and of sample_activities/ is decoded both ways: the fast path
must give exactly what footfall.io.fit.fitparse_decoder gives (record channels, developer channels,
summary messages, damage reports) or decline. Hand-built files cover the protocol features one
at a time (byte order, compressed timestamps, interleaved definitions, developer fields,
chained files, truncation, bad CRC, invalid values).
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from footfall.io.fit.crc import crc16, crc_bytewise
from footfall.io.fit.fast.decoder import decode_fast
from footfall.io.fit.fitparse_decoder import decode_with_fitparse
from footfall.io.fit.messages import FitMessages
from footfall.pipeline import read_activity
from samples.fit_write import HEADER_SIZE, DevField, FitWriter, chain, fit_crc, semicircles
from tests.conftest import REAL, ROOT, SAMPLES, real_corpus_rows

UNIX0 = 1_714_807_800  # 2024-05-04T07:30:00Z


# --- comparison --------------------------------------------------------------------------
def assert_same(ref: FitMessages, fast: FitMessages) -> None:
    """The fast result equals fitparse's in every field the FIT reader uses."""
    assert list(fast.records) == list(ref.records)
    for name, values in ref.records.items():
        np.testing.assert_array_equal(fast.records[name], values, err_msg=name)
    assert list(fast.dev_records) == list(ref.dev_records)
    for name, ch in ref.dev_records.items():
        got = fast.dev_records[name]
        assert (got.name, got.units, got.native_field_num, got.developer_index) == (
            ch.name,
            ch.units,
            ch.native_field_num,
            ch.developer_index,
        )
        np.testing.assert_array_equal(got.values, ch.values, err_msg=name)
    assert fast.n_records == ref.n_records
    assert fast.sessions == ref.sessions
    assert fast.laps == ref.laps
    assert fast.events == ref.events
    assert fast.file_id == ref.file_id
    assert fast.device_infos == ref.device_infos
    assert fast.sports == ref.sports
    assert fast.user_profiles == ref.user_profiles
    problems = [(p.kind, p.message, p.offset) for p in ref.problems]
    assert [(p.kind, p.message, p.offset) for p in fast.problems] == problems


def differential(data: bytes) -> FitMessages | None:
    """Decode both ways; the fast result (None when it declined) after checking it."""
    fast = decode_fast(data, strict=True)
    try:
        ref = decode_with_fitparse(data)
    except Exception:
        assert fast is None, "fitparse cannot read this file, so the fast path must decline"
        return None
    if fast is not None:
        assert_same(ref, fast)
    return fast


# --- files on disk -----------------------------------------------------------------------
def _fit_files(folder: Path) -> list[Path]:
    if not folder.exists():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() == ".fit")


def _params(folder: Path, what: str) -> list[Any]:
    files = _fit_files(folder)
    if not files:
        reason = f"no FIT files in {folder} ({what})"
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason))]
    marks = [pytest.mark.corpus] if folder == REAL else []
    return [pytest.param(p, id=str(p.relative_to(folder)), marks=marks) for p in files]


@pytest.mark.parametrize("path", _params(REAL, "real corpus not found"))
def test_real_corpus_file_equals_fitparse(path: Path) -> None:
    differential(path.read_bytes())


@pytest.mark.parametrize("path", _params(SAMPLES, "not generated yet"))
def test_sample_file_equals_fitparse(path: Path) -> None:
    differential(path.read_bytes())


def _running_fit_rows() -> list[dict[str, str]]:
    return [r for r in real_corpus_rows() if r["format"] == "fit" and r["is_running"] == "True"]


@pytest.mark.corpus
def test_most_running_files_take_the_fast_path() -> None:
    rows = _running_fit_rows()
    if not rows:
        pytest.skip(f"real corpus not found at {REAL}")
    declined = [r["path"] for r in rows if decode_fast((REAL / r["path"]).read_bytes()) is None]
    fast = len(rows) - len(declined)
    summary = f"fast path: {fast} of {len(rows)} running FIT files; declined: {declined}"
    print(summary)
    assert fast >= 0.8 * len(rows), summary


def _small_running_files(count: int) -> list[Path]:
    rows = [
        r
        for r in _running_fit_rows()
        if 300 <= int(r["n_records"] or 0) <= 3000 and int(r["n_cadence"] or 0) >= 300
    ]
    paths = sorted((REAL / r["path"] for r in rows), key=lambda p: p.stat().st_size)
    return [p for p in paths if decode_fast(p.read_bytes()) is not None][:count]


@pytest.mark.corpus
@pytest.mark.parametrize("index", range(4))
def test_read_activity_is_the_same_with_the_fast_path(index: int) -> None:
    paths = _small_running_files(4) if REAL.exists() else []
    if index >= len(paths):
        pytest.skip(f"real corpus not found at {REAL}")
    path = paths[index]
    fast = read_activity(path, fast=True)
    slow = read_activity(path, fast=False)
    pd.testing.assert_frame_equal(fast.data, slow.data)
    assert fast.warnings == slow.warnings


# --- hand-built files --------------------------------------------------------------------
def _start(w: FitWriter) -> None:
    ident = {"type": "activity", "manufacturer": "garmin", "product": 3113}
    w.message("file_id", {**ident, "serial_number": 1234567, "time_created": UNIX0})
    w.message("sport", {"sport": "running", "sub_sport": "street", "name": "Run"}, local=1)
    values = {"timestamp": UNIX0, "event": "timer", "event_type": "start", "event_group": 0}
    w.message("event", values, local=1)


def _records(n: int, seed: int = 1) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    speed = 3.0 + rng.normal(0.0, 0.1, n)
    return {
        "timestamp": UNIX0 + np.arange(n),
        "position_lat": semicircles(45.0 + np.arange(n) * 1e-5),
        "position_long": semicircles(5.7 + np.arange(n) * 1e-5),
        "distance": np.cumsum(speed),
        "speed": speed,  # speed and altitude expand into enhanced_* (components)
        "altitude": 200.0 + np.sin(np.arange(n) / 50.0),
        "heart_rate": np.rint(140 + rng.normal(0.0, 3.0, n)),
        "cadence": np.full(n, 88.0),
        "fractional_cadence": np.full(n, 0.5),
        "stance_time": 240.0 + rng.normal(0.0, 3.0, n),
        "vertical_oscillation": 80.0 + rng.normal(0.0, 2.0, n),
        "temperature": np.full(n, -3.0),  # a signed value
        "activity_type": np.full(n, 1.0),  # an enum: kept as its code
    }


def _finish(w: FitWriter, n: int) -> bytes:
    session = {
        "timestamp": UNIX0 + n,
        "start_time": UNIX0,
        "total_elapsed_time": float(n),
        "total_timer_time": float(n),
        "sport": "running",
        "sub_sport": "street",
        "avg_running_cadence": 88,  # a subfield of avg_cadence, chosen by sport = running
        "avg_speed": 3.0,  # a component: enhanced_avg_speed
    }
    w.message("session", session, local=3)
    return w.to_bytes()


def _simple_file(n: int = 300, *, big_endian: bool = False) -> bytes:
    w = FitWriter(big_endian=big_endian)
    _start(w)
    w.messages("record", _records(n), local=2)
    return _finish(w, n)


def test_little_endian_file() -> None:
    fast = differential(_simple_file())
    assert fast is not None
    assert fast.records["enhanced_speed"] == pytest.approx(fast.records["speed"])
    assert fast.records["activity_type"][0] == 1.0
    assert fast.sessions[0]["avg_running_cadence"] == 88
    assert fast.sessions[0]["sport"] == "running"


def test_big_endian_definitions() -> None:
    fast = differential(_simple_file(big_endian=True))
    assert fast is not None
    little = decode_fast(_simple_file(), strict=True)
    assert little is not None
    for name, values in little.records.items():
        np.testing.assert_array_equal(fast.records[name], values)


def test_compressed_timestamps() -> None:
    n = 200
    rec = _records(n)
    rec["timestamp"] = UNIX0 + np.cumsum(np.r_[0, np.full(n - 1, 1)])
    rec["timestamp"][120:] += 100  # a gap longer than 31 s: written with a full timestamp
    w = FitWriter()
    _start(w)
    w.messages("record", rec, local=0, compressed_time=True, full_local=4)
    fast = differential(_finish(w, n))
    assert fast is not None
    np.testing.assert_array_equal(fast.records["timestamp"], rec["timestamp"] - 631065600)


def test_two_local_definitions_interleaved_and_redefined() -> None:
    n = 60
    rec = _records(n)
    w = FitWriter()
    _start(w)
    first = {k: rec[k] for k in ("timestamp", "heart_rate", "speed")}
    second = {k: rec[k] for k in ("timestamp", "cadence", "distance", "stance_time")}
    for i in range(n // 2):
        w.message("record", {k: v[i] for k, v in first.items()}, local=2)
        w.message("record", {k: v[i] for k, v in second.items()}, local=5)
    third = {k: rec[k] for k in ("timestamp", "altitude", "heart_rate")}  # redefines local 2
    w.messages("record", {k: v[n // 2 :] for k, v in third.items()}, local=2)
    fast = differential(_finish(w, n))
    assert fast is not None
    assert fast.n_records == n // 2 * 2 + n - n // 2
    assert np.isnan(fast.records["cadence"][::2]).all()


def test_developer_fields() -> None:
    n = 120
    w = FitWriter()
    _start(w)
    w.developer(0)
    gct = w.dev_field(DevField(0, 0, "Ground Time", "float32", "ms", native_field_num=41))
    vo = w.dev_field(DevField(0, 1, "Vertical Oscillation", "uint16", "cm"))
    note = w.dev_field(DevField(0, 2, "Note", "string"))  # skipped by both, size respected
    values = 230.0 + np.arange(n) / 7.0
    notes = ["ok"] * n
    w.messages(
        "record",
        _records(n),
        local=2,
        dev={gct: values, note: notes, vo: np.full(n, 8.0)},
    )
    fast = differential(_finish(w, n))
    assert fast is not None
    ch = fast.dev_records["Ground Time"]
    assert (ch.units, ch.native_field_num, ch.developer_index) == ("ms", 41, 0)
    np.testing.assert_array_equal(ch.values, values.astype(np.float32).astype(np.float64))
    assert "Note" not in fast.dev_records


def test_chained_files() -> None:
    fast = differential(chain(_simple_file(100), _simple_file(50, big_endian=True)))
    assert fast is not None
    assert fast.n_records == 150
    assert len(fast.sessions) == 2


def test_truncated_file_keeps_the_records_before_the_cut() -> None:
    w = FitWriter()
    _start(w)
    w.messages("record", _records(400), local=2)
    _finish(w, 400)
    fast = differential(w.truncated(0.5))
    assert fast is not None
    assert fast.n_records == 200
    assert [p.kind for p in fast.problems] == ["header_size", "truncated"]


def test_bad_crc_is_reported_and_the_file_read() -> None:
    data = bytearray(_simple_file())
    data[-1] ^= 0xFF
    fast = differential(bytes(data))
    assert fast is not None
    assert [p.kind for p in fast.problems] == ["crc"]
    assert fast.n_records == 300


def test_invalid_values_are_nan() -> None:
    n = 50
    rec = _records(n)
    rec["heart_rate"][10:20] = np.nan  # written as the uint8 invalid value 0xFF
    rec["speed"][5] = np.nan  # invalid speed: no enhanced_speed from its component either
    rec["temperature"][7] = np.nan  # sint8 invalid 0x7F
    w = FitWriter()
    _start(w)
    w.messages("record", rec, local=2)
    fast = differential(_finish(w, n))
    assert fast is not None
    assert np.isnan(fast.records["heart_rate"][10:20]).all()
    assert np.isnan(fast.records["enhanced_speed"][5])
    assert np.isnan(fast.records["temperature"][7])


def test_unfinished_header_is_repaired_like_fitparse() -> None:
    data = bytearray(_simple_file())
    data[4:8] = struct.pack("<I", 0)  # the device had not written the data size yet
    fast = differential(bytes(data))
    assert fast is not None
    assert fast.n_records == 300


def _rebuilt(body: bytes) -> bytes:
    """A complete FIT file around ``body`` (data records), with correct CRCs."""
    head = struct.pack("<BBHI4s", HEADER_SIZE, 0x20, 2132, len(body), b".FIT")
    head += struct.pack("<H", fit_crc(head))
    return head + body + struct.pack("<H", fit_crc(head + body))


def test_undefined_local_message_type_is_corruption_after_the_records() -> None:
    data = _simple_file(100)
    body = data[HEADER_SIZE:-2] + bytes([0x0E])  # local type 14 was never defined
    fast = differential(_rebuilt(body))
    assert fast is not None
    assert [p.kind for p in fast.problems] == ["corrupt"]


def test_accumulating_components_are_declined() -> None:
    n = 20
    w = FitWriter()
    _start(w)
    packed = [[i % 256, 0x10, 0x00] for i in range(n)]
    w.messages("record", {"timestamp": UNIX0 + np.arange(n), "compressed_speed_distance": packed})
    data = _finish(w, n)
    assert decode_fast(data, strict=True) is None
    assert decode_with_fitparse(data).n_records == n


def test_not_a_fit_file_is_declined() -> None:
    assert decode_fast(b"not a FIT file at all", strict=True) is None
    assert decode_fast(b"", strict=True) is None


def _damaged(seed: int) -> bytes:
    """A small hand-built file with a few random bytes changed and/or cut short."""
    rng = np.random.default_rng(seed)
    kind = seed % 4
    if kind == 0:
        w = FitWriter()
        _start(w)
        w.developer(0)
        gct = w.dev_field(DevField(0, 0, "Ground Time", "float32", "ms", native_field_num=41))
        w.messages("record", _records(30), local=2, dev={gct: np.arange(30.0)})
        data = bytearray(_finish(w, 30))
    elif kind == 1:
        data = bytearray(_simple_file(30, big_endian=True))
    elif kind == 2:
        w = FitWriter()
        _start(w)
        w.messages("record", _records(30), local=0, compressed_time=True, full_local=4)
        data = bytearray(_finish(w, 30))
    else:
        data = bytearray(chain(_simple_file(15), _simple_file(15, big_endian=True)))
    for _ in range(int(rng.integers(0, 4))):
        data[int(rng.integers(len(data)))] = int(rng.integers(256))
    if rng.random() < 0.4:
        data = data[: int(rng.integers(len(data)))]
    return bytes(data)


@pytest.mark.parametrize("seed", range(120))
def test_damaged_files_equal_fitparse_or_are_declined(seed: int) -> None:
    differential(_damaged(seed))


# --- the CRC -----------------------------------------------------------------------------
@pytest.mark.parametrize("size", [0, 1, 255, 256, 257, 4096, 128 * 128 + 3, 100_000])
def test_vectorised_crc_equals_the_bytewise_one(size: int) -> None:
    data = np.random.default_rng(size).integers(0, 256, size, dtype=np.uint8).tobytes()
    assert crc16(data) == crc_bytewise(data) == fit_crc(data)
    assert crc16(data, 3, size // 2) == crc_bytewise(data[3 : size // 2])


def test_the_corpus_is_looked_for_next_to_the_repository() -> None:
    assert ROOT.parent / "shared" / "data" / "real" == REAL
