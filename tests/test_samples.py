"""The committed sample activities against their ground truth (``X.truth.json`` sidecars).

scripts/make_samples.py writes every sample and computes its truth from the values it wrote;
these tests hold footfall's reading of each file to that truth.
"""

from __future__ import annotations

import functools
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import fitdecode
import fitparse
import numpy as np
import pandas as pd
import pytest

import footfall
from footfall import Analysis, NotARun, TruncatedFile

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_activities"
TRUTHS = {p.name.removesuffix(".truth.json"): p for p in sorted(SAMPLES.glob("*.truth.json"))}
MAX_FILE_BYTES = 250 * 1024
MAX_FOLDER_BYTES = 1.5 * 1024 * 1024


def truth_of(stem: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(TRUTHS[stem].read_text(encoding="utf-8"))
    return result


def readable() -> list[str]:
    return [stem for stem in TRUTHS if truth_of(stem)["expected_error"] is None]


@functools.cache
def analysis(stem: str) -> Analysis:
    return footfall.analyze(SAMPLES / truth_of(stem)["file"])


def run_values(a: Analysis, column: str) -> np.ndarray:
    frame = a.activity.data
    values = frame[column].to_numpy(dtype=float)[(frame["state"] == "run").to_numpy()]
    finite: np.ndarray = values[np.isfinite(values)]
    return finite


def test_every_sample_has_a_truth_sidecar_and_the_folder_is_small() -> None:
    samples = {p.name for p in SAMPLES.iterdir() if p.suffix in (".fit", ".gpx", ".tcx")}
    assert samples == {truth_of(stem)["file"] for stem in TRUTHS}
    assert len(samples) == 12
    sizes = {p.name: p.stat().st_size for p in SAMPLES.iterdir()}
    assert max(sizes[name] for name in samples) < MAX_FILE_BYTES
    assert sum(sizes.values()) < MAX_FOLDER_BYTES


def test_make_samples_check_passes() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_samples.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert "match" in result.stdout


@pytest.mark.parametrize("stem", readable())
def test_median_running_cadence(stem: str) -> None:
    truth, a = truth_of(stem), analysis(stem)
    expected = truth["median_running_cadence_spm"]
    stats = a.summary["cadence_spm"]
    if expected is None:
        assert stats is None
        assert not a.activity.has("cadence_spm")
    else:
        assert stats is not None
        assert stats["median"] == pytest.approx(expected, abs=2.0)


@pytest.mark.parametrize("stem", readable())
def test_duration_start_and_sport(stem: str) -> None:
    truth, a = truth_of(stem), analysis(stem)
    activity = a.activity
    assert activity.duration_s == pytest.approx(
        truth["duration_s"], abs=truth["duration_tolerance_s"]
    )
    assert activity.start_time is not None
    assert activity.start_time.isoformat().replace("+00:00", "Z") == truth["start_time"]
    assert activity.source.format == truth["format"]
    assert activity.source.sport == truth["sport"]


@pytest.mark.parametrize("stem", readable())
def test_running_and_walking_seconds(stem: str) -> None:
    truth, summary = truth_of(stem), analysis(stem).summary
    tolerance = truth["state_tolerance_s"]
    assert summary["running_time_s"] == pytest.approx(truth["running_time_s"], abs=tolerance)
    assert summary["walking_time_s"] == pytest.approx(truth["walking_time_s"], abs=tolerance)


@pytest.mark.parametrize("stem", readable())
def test_channels_present_with_their_values(stem: str) -> None:
    truth, a = truth_of(stem), analysis(stem)
    for column, spec in truth["channels"].items():
        assert a.activity.has(column), column
        got = float(np.median(run_values(a, column)))
        assert got == pytest.approx(spec["median"], abs=spec["tolerance"]), column
    for column in truth["absent_channels"]:
        assert not a.activity.has(column), column
    for column, unit in truth["stored_units"].items():
        assert a.activity.channels[column].stored_unit == unit, column


@pytest.mark.parametrize("stem", readable())
def test_cadence_unit_is_decided_from_the_values(stem: str) -> None:
    stored, activity = truth_of(stem)["cadence_stored_unit"], analysis(stem).activity
    if stored is None:
        assert activity.cadence_unit is None
        return
    assert activity.cadence_trusted
    unit = activity.cadence_unit or ""
    expected = {
        "strides/min": "strides/min of one foot, doubled;",
        "steps/min": "already steps/min, used as is;",
        "strides/min, then steps/min": "unit switches mid-file",
    }[stored]
    assert unit.startswith(expected), unit


@pytest.mark.parametrize("stem", readable())
def test_laps_and_pauses(stem: str) -> None:
    truth, activity = truth_of(stem), analysis(stem).activity
    assert activity.laps == pytest.approx(truth["lap_starts_s"], abs=1)
    for a, b in truth["pauses_s"]:
        assert any(abs(x - a) <= 1 and abs(y - b) <= 1 for x, y in activity.pauses), (a, b)
        stopped = activity.data["state"].to_numpy()[a:b]
        assert (stopped == "stop").all()


def test_a_timer_pause_is_listed_once() -> None:
    activity = analysis("efficient_runner").activity
    assert activity.pauses == [(1500, 1545)]


def test_cycling_is_refused_as_not_a_run() -> None:
    truth = truth_of("cycling")
    assert truth["expected_error"] == {"type": "NotARun", "sport": "cycling"}
    with pytest.raises(NotARun) as caught:
        footfall.read_activity(SAMPLES / truth["file"])
    assert caught.value.sport == "cycling"
    assert caught.value.to_dict()["kind"] == "not_a_run"
    (only,) = list(footfall.iter_activities(SAMPLES / truth["file"]))
    assert isinstance(only, NotARun) and only.sport == "cycling"


def test_truncated_file_keeps_the_records_before_the_cut() -> None:
    truth = truth_of("truncated")
    activity = analysis("truncated").activity
    assert activity.duration_s == truth["records_before_cut"]
    damage = [w for w in activity.warnings if "damaged" in w]
    assert damage, activity.warnings
    assert f"{truth['records_before_cut']} records" in damage[0]
    for text in truth["warnings_contain"]:
        assert any(text in w for w in activity.warnings)


def test_truncated_file_in_strict_mode_raises_with_the_partial_activity() -> None:
    truth = truth_of("truncated")
    assert truth["strict_error"] == "TruncatedFile"
    with pytest.raises(TruncatedFile) as caught:
        footfall.read_activity(SAMPLES / truth["file"], errors="strict")
    error = caught.value
    assert error.offset is not None and 0 < error.offset <= truth["cut_at_byte"]
    assert error.partial is not None
    assert error.partial.duration_s == truth["records_before_cut"]


def test_truncated_error_message_says_it_once() -> None:
    with pytest.raises(TruncatedFile) as caught:
        footfall.read_activity(SAMPLES / "truncated.fit", errors="strict")
    assert str(caught.value).count("file ends early") == 1


def test_multisport_gives_only_the_run_leg() -> None:
    truth = truth_of("multisport")
    activity = analysis("multisport").activity
    assert truth["sessions"][-1] == "running"
    assert activity.legs == [truth["legs_contain"]]
    assert activity.duration_s == pytest.approx(truth["duration_s"], abs=2)
    speed = activity.data["speed_mps"].dropna().to_numpy()
    assert np.percentile(speed, 99) < 4.5  # no bike leg (8 m/s) and no swim leg
    assert (
        activity.data["timestamp"].iloc[0].isoformat().replace("+00:00", "Z")
        == (truth["start_time"])
    )


def test_run_walk_split() -> None:
    truth, a = truth_of("run_walk"), analysis("run_walk")
    assert a.summary["running_time_s"] == pytest.approx(truth["running_time_s"], abs=60)
    assert a.summary["walking_time_s"] == pytest.approx(truth["walking_time_s"], abs=60)
    frame = a.activity.data
    walking = frame.loc[frame["state"] == "walk", "cadence_spm"].dropna()
    assert float(walking.median()) == pytest.approx(truth["median_walking_cadence_spm"], abs=3)
    state = frame["state"].to_numpy()
    for k in range(8):  # the middle of every interval is in the right state
        assert (state[300 * k + 20 : 300 * k + 220] == "run").all()
        assert (state[300 * k + 250 : 300 * k + 290] == "walk").all()


def test_overstrider_late_drift() -> None:
    drift, frame = truth_of("overstrider")["drift"], analysis("overstrider").activity.data
    early = frame.iloc[: drift["from_s"]]
    late = frame.iloc[drift["from_s"] + drift["ramp_s"] :]
    drop = early["cadence_spm"].median() - late["cadence_spm"].median()
    rise = late["stance_time_ms"].median() - early["stance_time_ms"].median()
    assert drop == pytest.approx(drift["cadence_drop_spm"], abs=1.0)
    assert rise == pytest.approx(drift["stance_time_rise_ms"], abs=3.0)
    speed_change = late["speed_mps"].median() - early["speed_mps"].median()
    assert abs(speed_change) < 0.05


def test_unit_switch_is_detected_and_both_halves_are_steps_per_minute() -> None:
    truth = truth_of("unit_switch")
    activity = analysis("unit_switch").activity
    assert "unit switches mid-file" in (activity.cadence_unit or "")
    cadence = activity.data["cadence_spm"]
    for segment in truth["segments"]:
        part = cadence.iloc[segment["start_s"] : segment["end_s"]]
        assert float(part.median()) == pytest.approx(segment["median_cadence_spm"], abs=2.0)
        assert float(part.quantile(0.05)) > 160  # no stretch left in strides/min


def test_stryd_developer_fields_in_contract_units() -> None:
    activity = analysis("stryd_spm").activity
    vo = activity.channels["vertical_oscillation_mm"]
    assert vo.stored_unit == "Centimeters" and "cm -> mm" in vo.note
    assert "Stryd" in activity.channels["cadence_spm"].source
    median_vo = float(np.median(run_values(analysis("stryd_spm"), "vertical_oscillation_mm")))
    assert 70 <= median_vo <= 80  # 7.5 cm in the file


def test_script_name_is_kept_verbatim_for_the_report_to_escape() -> None:
    truth, activity = truth_of("script_name"), analysis("script_name").activity
    assert activity.source.name == truth["name"] == '<script>alert("footfall")</script>'
    assert activity.source.device == truth["creator"]
    raw = (SAMPLES / truth["file"]).read_text(encoding="utf-8")
    assert "<script>" not in raw  # escaped in the XML itself
    assert "&lt;script&gt;" in raw


def test_gpx_cadence_only_has_no_height_and_no_dynamics() -> None:
    truth, a = truth_of("gpx_cadence_only"), analysis("gpx_cadence_only")
    assert truth["height_cm"] is None
    assert a.profile.get("height_cm") is None
    assert a.summary["stance_time_ms"] is None
    assert a.summary["vertical_oscillation_mm"] is None


@pytest.mark.parametrize(
    "stem", [s for s in TRUTHS if s != "truncated" and truth_of(s)["format"] == "fit"]
)
def test_fit_samples_have_valid_crcs_for_both_decoders(stem: str) -> None:
    data = (SAMPLES / truth_of(stem)["file"]).read_bytes()
    fitparse.records.DEV_TYPES.clear()
    assert list(fitparse.FitFile(io.BytesIO(data), check_crc=True).get_messages())
    with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE) as reader:
        crcs = [f.matched for f in reader if isinstance(f, fitdecode.FitCRC)]
    assert crcs == [True]


@pytest.mark.parametrize("stem", [s for s in readable() if truth_of(s)["format"] == "fit"])
def test_fast_decoder_reads_fit_samples_like_fitparse(stem: str) -> None:
    path = SAMPLES / truth_of(stem)["file"]
    fast, reference = footfall.read_activity(path), footfall.read_activity(path, fast=False)
    pd.testing.assert_frame_equal(fast.data, reference.data)
    assert (fast.laps, fast.pauses, fast.legs) == (reference.laps, reference.pauses, reference.legs)
    assert fast.warnings == reference.warnings
