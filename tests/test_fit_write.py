"""The FIT encoder (samples.fit_write) against two independent decoders.

Every file built here is read back with fitparse (footfall's reference decoder) and with
fitdecode (another implementation of the FIT protocol), with CRC checks on, and the decoded
values must be the ones that were written.
"""

from __future__ import annotations

import io
import math
import time
from datetime import UTC, datetime
from typing import Any

import fitdecode
import fitparse
import numpy as np
import pytest
from fitparse.records import Crc
from fitparse.utils import FitCRCError, FitEOFError

from samples.fit_write import HEADER_SIZE, DevField, FitWriter, chain, fit_crc, semicircles

T0 = datetime(2024, 5, 4, 7, 30, tzinfo=UTC)
UNIX0 = int(T0.timestamp())


def fitparse_messages(data: bytes) -> list[Any]:
    fitparse.records.DEV_TYPES.clear()  # fitparse keeps developer fields module-wide
    return list(fitparse.FitFile(io.BytesIO(data), check_crc=True).get_messages())


def fitdecode_frames(data: bytes) -> list[Any]:
    with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE) as reader:
        return list(reader)


def decoded(data: bytes, decoder: str, name: str) -> list[dict[str, Any]]:
    """Values of every ``name`` message, as {field: value} dicts, from one decoder."""
    if decoder == "fitparse":
        return [m.get_values() for m in fitparse_messages(data) if m.name == name]
    out = []
    for frame in fitdecode_frames(data):
        if isinstance(frame, fitdecode.FitDataMessage) and frame.name == name:
            out.append({f.name: f.value for f in frame.fields})
    return out


def utc(value: datetime) -> datetime:
    """fitparse gives naive UTC datetimes, fitdecode aware ones."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def header(w: FitWriter) -> None:
    ident = {"type": "activity", "manufacturer": "garmin", "product": 3113}
    w.message("file_id", {**ident, "serial_number": 1234567, "time_created": T0})


DECODERS = ["fitparse", "fitdecode"]


def test_crc_is_the_fit_crc() -> None:
    rng = np.random.default_rng(0)
    for size in (0, 1, 2, 13, 1000, 4097):
        data = rng.integers(0, 256, size, dtype=np.uint8).tobytes()
        assert fit_crc(data) == Crc.calculate(data)
        assert fit_crc(data[size // 2 :], fit_crc(data[: size // 2])) == Crc.calculate(data)


@pytest.mark.parametrize("decoder", DECODERS)
def test_scaled_fields_decode_to_physical_values(decoder: str) -> None:
    w = FitWriter()
    header(w)
    record = {
        "timestamp": T0,
        "position_lat": round(float(semicircles(45.1885))),
        "position_long": round(float(semicircles(-5.7245))),
        "altitude": 212.4,  # scale 5, offset 500
        "distance": 1234.56,  # scale 100
        "speed": 3.217,  # scale 1000
        "heart_rate": 151,
        "cadence": 89,
        "fractional_cadence": 0.5,  # scale 128
        "temperature": -3,  # sint8
        "stance_time": 225.3,  # scale 10, ms
        "vertical_oscillation": 78.1,  # scale 10, mm
        "vertical_ratio": 7.02,  # scale 100, %
        "stance_time_balance": 50.25,  # scale 100, %
        "step_length": 1070.4,  # scale 10, mm
    }
    w.message("record", record)
    w.message("record", {**record, "timestamp": UNIX0 + 1, "heart_rate": None, "speed": math.nan})
    first, second = decoded(w.to_bytes(), decoder, "record")
    assert utc(first["timestamp"]) == T0
    assert utc(second["timestamp"]) == datetime.fromtimestamp(UNIX0 + 1, UTC)
    for name, value in record.items():
        if name == "timestamp":
            continue
        assert first[name] == pytest.approx(value, abs=1e-6), name
    assert first["position_lat"] * 180 / 2**31 == pytest.approx(45.1885, abs=1e-7)
    assert first["enhanced_speed"] == pytest.approx(3.217)  # component of speed, per profile
    assert second["heart_rate"] is None  # None -> invalid sentinel
    assert second["speed"] is None  # NaN -> invalid sentinel


@pytest.mark.parametrize("decoder", DECODERS)
def test_enums_strings_subfields_and_arrays(decoder: str) -> None:
    w = FitWriter()
    header(w)
    w.message("sport", {"sport": "running", "sub_sport": "treadmill", "name": "Treadmill run"})
    w.message("event", {"timestamp": T0, "event": "timer", "event_type": "stop_all"}, local=1)
    session = {"timestamp": UNIX0 + 60, "start_time": T0, "sport": "running"}
    session |= {"total_elapsed_time": 60.0, "avg_running_cadence": 88, "trigger": "activity_end"}
    w.message("session", session, local=2)
    w.developer(3, bytes(range(240, 256)))  # 0xFF is a valid byte in an array
    (file_id,) = decoded(w.to_bytes(), decoder, "file_id")
    (sport,) = decoded(w.to_bytes(), decoder, "sport")
    (event,) = decoded(w.to_bytes(), decoder, "event")
    (sess,) = decoded(w.to_bytes(), decoder, "session")
    (dev,) = decoded(w.to_bytes(), decoder, "developer_data_id")
    assert (file_id["type"], file_id["manufacturer"]) == ("activity", "garmin")
    assert (sport["sport"], sport["sub_sport"], sport["name"]) == (
        "running",
        "treadmill",
        "Treadmill run",
    )
    assert (event["event"], event["event_type"]) == ("timer", "stop_all")
    assert sess["sport"] == "running" and sess["trigger"] == "activity_end"
    assert sess["total_elapsed_time"] == pytest.approx(60.0)
    # avg_running_cadence is a subfield of avg_cadence (field 18) when sport is running
    assert sess.get("avg_running_cadence", sess.get("avg_cadence")) == 88
    assert bytes(dev["application_id"]) == bytes(range(240, 256))
    assert dev["developer_data_index"] == 3


def test_bad_values_are_refused() -> None:
    w = FitWriter()
    with pytest.raises(ValueError, match="enum"):
        w.message("session", {"sport": "skateboarding"})
    with pytest.raises(ValueError, match="does not fit uint8"):
        w.message("record", {"heart_rate": 300})
    with pytest.raises(ValueError, match="does not fit uint8"):
        w.message("record", {"heart_rate": 255})  # 0xFF is uint8's invalid value
    with pytest.raises(KeyError):
        w.message("record", {"not_a_field": 1})
    with pytest.raises(ValueError, match="described"):
        w.message("record", {"heart_rate": 150}, dev={DevField(0, 0, "Power", "uint16"): 200})


@pytest.mark.parametrize("decoder", DECODERS)
def test_developer_fields_with_units_and_any_base_type(decoder: str) -> None:
    w = FitWriter()
    header(w)
    w.developer(0, bytes.fromhex("18fb2cf01a4b430dad66988c847421f4"))
    fields = [
        DevField(0, 0, "Power", "uint16", "Watts", native_field_num=7),
        DevField(0, 1, "Vertical Oscillation", "float32", "Centimeters"),
        DevField(0, 2, "Balance", "sint8", "%"),
        DevField(0, 3, "Energy", "float64", "kJ"),
        DevField(0, 4, "Steps", "uint32", "steps"),
    ]
    for field in fields:
        w.dev_field(field)
    values = [262, 7.5, -4, 1234.5678, 4_000_000]
    w.messages(
        "record",
        {"timestamp": [UNIX0, UNIX0 + 1], "heart_rate": [150, 151]},
        dev={f: [v, None] for f, v in zip(fields, values, strict=True)},
    )
    data = w.to_bytes()
    first, second = decoded(data, decoder, "record")
    for field, value in zip(fields, values, strict=True):
        assert first[field.name] == pytest.approx(value), field.name
        assert second[field.name] is None, field.name  # None -> invalid value of the type
    assert first["heart_rate"] == 150
    descriptions = decoded(data, decoder, "field_description")
    units = {d["field_name"]: d["units"] for d in descriptions}
    assert units["Vertical Oscillation"] == "Centimeters"
    assert descriptions[0]["native_field_num"] == 7
    if decoder == "fitdecode":  # units travel to the decoded record field too
        frame = next(
            f
            for f in fitdecode_frames(data)
            if isinstance(f, fitdecode.FitDataMessage) and f.name == "record"
        )
        assert frame.get_field("Vertical Oscillation").units == "Centimeters"


def running_file(n: int, *, big_endian: bool = False, compressed: bool = False) -> bytes:
    rng = np.random.default_rng(7)
    w = FitWriter(big_endian=big_endian)
    header(w)
    t = UNIX0 + np.arange(n)
    columns = {
        "timestamp": t,
        "distance": np.arange(n) * 3.2,
        "enhanced_speed": 3.2 + rng.normal(0, 0.05, n),
        "heart_rate": np.full(n, 150),
        "cadence": np.full(n, 90),
        "stance_time": np.full(n, 225.5),
        "vertical_oscillation": np.full(n, 78.1),
    }
    w.messages("record", columns, local=1, compressed_time=compressed)
    return w.to_bytes()


def definition_frames(data: bytes) -> list[Any]:
    frames = fitdecode_frames(data)
    return [f for f in frames if isinstance(f, fitdecode.FitDefinitionMessage)]


@pytest.mark.parametrize("decoder", DECODERS)
def test_big_endian_definitions_decode_like_little_endian(decoder: str) -> None:
    little, big = running_file(50), running_file(50, big_endian=True)
    assert little != big
    assert {d.endian for d in definition_frames(big)} == {">"}
    assert {d.endian for d in definition_frames(little)} == {"<"}
    assert decoded(big, decoder, "record") == decoded(little, decoder, "record")


def test_big_endian_per_message() -> None:
    w = FitWriter()
    header(w)
    w.message("record", {"timestamp": T0, "heart_rate": 140, "speed": 3.0}, big_endian=True)
    w.message("record", {"timestamp": UNIX0 + 1, "heart_rate": 141, "speed": 3.1})
    data = w.to_bytes()
    assert [d.endian for d in definition_frames(data)] == ["<", ">", "<"]
    for decoder in DECODERS:
        rows = decoded(data, decoder, "record")
        assert [r["heart_rate"] for r in rows] == [140, 141]
        assert [r["speed"] for r in rows] == pytest.approx([3.0, 3.1])


@pytest.mark.parametrize("decoder", DECODERS)
def test_compressed_timestamps_decode_to_the_written_times(decoder: str) -> None:
    # 1 Hz, then gaps of 27 and 31 s (still compressible, crossing the 5-bit roll-over),
    # 32 s and 300 s (need a full timestamp); the event at 100 s moves the reference time.
    seconds = [0, 1, 2, 3, 30, 61, 93, 110, 111, 411, 412, 436, 442]
    w = FitWriter()
    header(w)
    w.messages(
        "record",
        {"timestamp": [UNIX0 + s for s in seconds[:7]], "heart_rate": [140] * 7},
        compressed_time=True,
    )
    event = {"timestamp": UNIX0 + 100, "event": "timer", "event_type": "start"}
    w.message("event", event, local=7)
    w.messages(
        "record",
        {"timestamp": [UNIX0 + s for s in seconds[7:]], "heart_rate": [141] * 6},
        compressed_time=True,
    )
    data = w.to_bytes()
    rows = decoded(data, decoder, "record")
    got = [int(utc(r["timestamp"]).timestamp()) - UNIX0 for r in rows]
    assert got == seconds
    assert [r["heart_rate"] for r in rows] == [140] * 7 + [141] * 6
    offsets = [
        f.time_offset
        for f in fitdecode_frames(data)
        if isinstance(f, fitdecode.FitDataMessage) and f.name == "record"
    ]
    full = [i for i, off in enumerate(offsets) if off is None]
    assert full == [0, 6, 9]  # the first row, 61 -> 93 s and 111 -> 411 s


def test_compressed_timestamps_make_smaller_files() -> None:
    plain, packed = running_file(3600), running_file(3600, compressed=True)
    assert len(packed) < len(plain) - 3 * 3500
    for decoder in DECODERS:
        assert decoded(packed, decoder, "record") == decoded(plain, decoder, "record")


def test_interleaved_local_types_and_redefinitions() -> None:
    w = FitWriter()
    header(w)
    for i in range(3):
        w.message("record", {"timestamp": UNIX0 + i, "heart_rate": 140 + i}, local=2)
        w.message(
            "event", {"timestamp": UNIX0 + i, "event": "lap", "event_type": "marker"}, local=3
        )
        w.message("record", {"timestamp": UNIX0 + i, "cadence": 80 + i}, local=2)  # redefines 2
    data = w.to_bytes()
    for decoder in DECODERS:
        rows = decoded(data, decoder, "record")
        assert [r.get("heart_rate") for r in rows] == [140, None, 141, None, 142, None]
        assert [r.get("cadence") for r in rows] == [None, 80, None, 81, None, 82]
        assert len(decoded(data, decoder, "event")) == 3
    locals_used = {d.local_mesg_num for d in definition_frames(data)}
    assert locals_used == {0, 2, 3}


def test_valid_crcs_and_a_corrupted_byte_is_caught() -> None:
    data = running_file(100)
    assert data[0] == HEADER_SIZE and data[8:12] == b".FIT"
    assert int.from_bytes(data[12:14], "little") == fit_crc(data[:12])
    assert int.from_bytes(data[-2:], "little") == fit_crc(data[:-2])
    fitparse_messages(data)  # check_crc=True
    crc_frames = [f for f in fitdecode_frames(data) if isinstance(f, fitdecode.FitCRC)]
    assert [f.matched for f in crc_frames] == [True]
    broken = bytearray(data)
    broken[-3] ^= 0x01  # a bit of the last record's vertical_oscillation
    with pytest.raises(FitCRCError):
        fitparse_messages(bytes(broken))


def test_chained_files_read_as_two_parts() -> None:
    first, second = running_file(30), running_file(20, compressed=True)
    data = chain(first, second)
    assert len(decoded(data, "fitparse", "record")) == 50
    frames = fitdecode_frames(data)
    assert sum(isinstance(f, fitdecode.FitHeader) for f in frames) == 2
    assert [f.matched for f in frames if isinstance(f, fitdecode.FitCRC)] == [True, True]
    assert len(decoded(data, "fitdecode", "record")) == 50


def test_truncated_file_stops_mid_message_without_crc() -> None:
    w = FitWriter()
    header(w)
    n = 90
    w.messages("record", {"timestamp": UNIX0 + np.arange(n), "heart_rate": np.full(n, 150)})
    full = w.to_bytes()
    cut = w.truncated(2 / 3)
    starts, ends = w.spans("record")
    i = int(2 / 3 * n)
    assert starts[i] < len(cut) < ends[i]
    assert full.startswith(cut)
    assert int.from_bytes(cut[4:8], "little") == len(full) - HEADER_SIZE - 2  # full size
    fitparse.records.DEV_TYPES.clear()
    reader = fitparse.FitFile(io.BytesIO(cut), check_crc=False)
    read = []
    with pytest.raises(FitEOFError):
        for message in reader.get_messages():
            if message.name == "record":
                read.append(message)
    assert len(read) == i


def test_spans_cover_every_record_message() -> None:
    w = FitWriter()
    header(w)
    w.messages("record", {"timestamp": UNIX0 + np.arange(10), "heart_rate": np.full(10, 150)})
    w.message("event", {"timestamp": UNIX0 + 10, "event": "timer", "event_type": "stop_all"})
    w.messages(
        "record",
        {"timestamp": UNIX0 + 11 + np.arange(5), "heart_rate": np.full(5, 151)},
        compressed_time=True,
    )
    data = w.to_bytes()
    starts, ends = w.spans("record")
    assert len(starts) == 15
    for a, b in zip(starts, ends, strict=True):
        first = data[a]
        assert first & 0x40 == 0  # a data message header, not a definition
        assert b - a in (6, 2)  # header + uint32 time + uint8 HR, or compressed: header + HR


def test_four_hour_file_builds_fast() -> None:
    n = 4 * 3600
    rng = np.random.default_rng(1)
    columns = {
        "timestamp": UNIX0 + np.arange(n),
        "position_lat": semicircles(45 + np.cumsum(rng.normal(0, 1e-5, n))),
        "position_long": semicircles(5 + np.cumsum(rng.normal(0, 1e-5, n))),
        "distance": np.arange(n) * 3.0,
        "enhanced_speed": 3.0 + rng.normal(0, 0.1, n),
        "enhanced_altitude": 200 + rng.normal(0, 1, n),
        "heart_rate": np.full(n, 150),
        "cadence": np.full(n, 88),
        "fractional_cadence": np.full(n, 0.5),
        "stance_time": np.full(n, 240.0),
        "vertical_oscillation": np.full(n, 80.0),
        "step_length": np.full(n, 1050.0),
    }
    start = time.perf_counter()
    w = FitWriter()
    header(w)
    w.messages("record", columns)
    data = w.to_bytes()
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0, f"{elapsed:.2f} s for a 4-hour file"
    assert len(data) > n * 30
    assert int.from_bytes(data[-2:], "little") == Crc.calculate(data[:-2])
