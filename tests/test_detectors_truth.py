"""Detectors against the synthetic samples whose truth is known (scripts/make_samples.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import footfall
from footfall.model import Finding
from tests.conftest import SAMPLES

HEIGHT = 175.0


def _analysis(name: str, **kwargs: Any) -> footfall.Analysis:
    profile = kwargs.pop("profile", footfall.Profile(height_cm=HEIGHT))
    return footfall.analyze(SAMPLES / name, profile, **kwargs)


def _truth(stem: str) -> dict[str, Any]:
    return json.loads((SAMPLES / f"{stem}.truth.json").read_text())


def _by(analysis: footfall.Analysis, detector: str, basis: str | None = None) -> Finding:
    for f in analysis.findings:
        if f.detector == detector and (basis is None or f.basis == basis):
            return f
    raise AssertionError(f"no {detector} finding in {[f.detector for f in analysis.findings]}")


def test_overstrider_is_flagged() -> None:
    a = _analysis("overstrider.fit")
    cadence = [f for f in a.findings if f.detector == "low_cadence"]
    assert len(cadence) == 1  # one verdict on cadence, never two that disagree
    target = cadence[0]
    assert target.severity == "warning"
    assert target.evidence["median_cadence_spm"] == pytest.approx(150, abs=2)
    assert target.evidence["gap_spm"] == pytest.approx(30, abs=2)
    assert target.evidence["ratio"] < 0.93  # SCIENCE.md §6.2 LOW
    assert target.evidence["severity_from"] == "pace"  # low for the pace: it matters now
    assert "below your 180 target" in target.title and "low for your pace" in target.title
    over = _by(a, "overstride")
    assert over.evidence["score"] >= 50
    assert over.severity in ("warning", "alert")
    assert over.confidence == "medium"  # FIT + height, no 8-run baseline (§6.3)
    assert "consistent with overstriding" in over.title
    assert over.windows
    asym = _by(a, "asymmetry")
    assert asym.severity == "watch" and "left" in asym.title
    assert _by(a, "drift").severity == "watch"
    assert a.summary["verdict"] == {
        "severity": over.severity,
        "detector": "overstride",
        "title": over.title,
    }


def test_overstrider_gets_one_plan_with_progressive_target() -> None:
    a = _analysis("overstrider.fit")
    f = _by(a, "low_cadence")
    assert f.numbness_link is not None and f.numbness_link["status"] == "plausible"
    assert f.numbness_link["grade"].startswith("B")
    assert "metronome" in f.drills
    drills = a.plan["drills"]
    ids = [d["id"] for d in drills]
    assert len(ids) == len(set(ids))  # each drill once
    metronome = next(d for d in drills if d["id"] == "metronome")
    assert metronome["dose"] and {"low_cadence", "overstride"} <= set(metronome["for"])
    step = a.plan["next_step"]
    assert step is not None and step["warranted"]
    current = step["current_spm"]
    assert f.title.startswith(f"Cadence {current:.0f} spm")  # the same number everywhere
    assert step["target_spm"] == pytest.approx(round(current * 1.05), abs=0.5)  # +5 %
    assert step["target_spm"] < 180
    assert not any("forefoot" in d["name"].lower() for d in drills)


def test_efficient_runner_is_not_flagged() -> None:
    a = _analysis("efficient_runner.fit")
    flagged = [f for f in a.findings if f.severity != "ok"]
    assert flagged == [], [(f.detector, f.title) for f in flagged]
    assert _by(a, "overstride").evidence["score"] < 30
    assert _by(a, "low_cadence").title.startswith("Cadence 180 spm, on your 180")
    assert a.summary["verdict"] == {
        "severity": "ok",
        "detector": None,
        "title": "Nothing in this run needs work",
    }
    assert a.plan == {"next_step": None, "drills": []}


def test_run_walk_walking_is_excluded_from_form_statistics() -> None:
    truth = _truth("run_walk")
    a = _analysis("run_walk.fit")
    assert a.summary["running_time_s"] == pytest.approx(truth["running_time_s"], abs=90)
    assert a.summary["walking_time_s"] == pytest.approx(truth["walking_time_s"], abs=90)
    assert a.summary["cadence_spm"]["median"] == pytest.approx(172, abs=2)
    assert a.summary["cadence_spm"]["p10"] > 160  # no walking seconds at ~110 spm
    walk = a.activity.data["state"] == "walk"
    for segment in a.segments:
        assert not walk.iloc[segment["start_s"] : segment["end_s"]].any()


def test_gpx_without_height_is_low_confidence_and_never_a_fact() -> None:
    a = _analysis("gpx_cadence_only.gpx", profile=footfall.Profile())
    over = _by(a, "overstride")
    assert over.confidence == "low"
    assert "overstriding" not in over.title.lower()
    assert "overstriding" not in over.explanation.lower()
    assert "common sign of long strides" in over.title or "no sign" in over.title
    assert over.evidence["components_used"] == "c1"
    speed = _by(a, "low_cadence", "target_and_pace")
    assert speed.confidence == "low"
    assert "average height (181 cm)" in speed.explanation
    assert any("height not given" in w for w in a.warnings)


def test_no_cadence_file_gets_no_form_findings() -> None:
    a = _analysis("no_cadence.gpx")
    detectors = {f.detector for f in a.findings}
    assert "low_cadence" not in detectors and "overstride" not in detectors
    quality = _by(a, "data_quality")
    assert "no cadence" in quality.explanation.lower()


def test_target_is_configurable() -> None:
    a = _analysis(
        "run_walk.fit", profile=footfall.Profile(height_cm=HEIGHT, target_cadence_spm=170)
    )
    assert _by(a, "low_cadence").severity == "ok"
    assert a.summary["target_cadence_spm"] == 170


def test_numbness_log_relates_onset_and_shows_red_flags() -> None:
    a = _analysis("overstrider.fit", numbness_at="40m", side="left")
    assert a.symptom is not None
    assert a.symptom["at_s"] == 2400 and a.symptom["side"] == "left"
    assert any("cadence" in o for o in a.symptom["observations"])
    assert len(a.red_flags) >= 9
    assert {r["urgency"] for r in a.red_flags} == {"emergency", "urgent", "clinician"}


def test_numbness_in_both_feet_withholds_drills_and_targets() -> None:
    a = _analysis("overstrider.fit", numbness_at="20m", side="both")
    assert all(not f.drills for f in a.findings)
    assert a.plan["next_step"] is None and a.plan["drills"] == []
    assert a.summary["verdict"]["detector"] == "red_flags"
    assert any("emergency" in o for o in a.symptom["observations"])  # type: ignore[index]


def test_symptom_after_the_recording_is_explained() -> None:
    a = _analysis("efficient_runner.fit", numbness_at="3h")
    assert "after the end of the recording" in a.symptom["observations"][0]  # type: ignore[index]


@pytest.mark.parametrize("path", sorted(Path(SAMPLES).glob("*.fit")), ids=lambda p: p.name)
def test_every_sample_analysis_serialises(path: Path) -> None:
    from footfall.errors import FootfallError
    from footfall.report.json import analysis_to_json

    try:
        a = footfall.analyze(path)
    except FootfallError:
        return
    json.loads(analysis_to_json(a))


def _runner_below_target_but_right_for_pace(tmp_path: Path) -> Path:
    """A 181 cm runner at 3.0 m/s and 168 spm: 12 below 180, exactly C_ref for the pace."""
    import numpy as np

    from samples.fit_write import FitWriter

    n = 2400
    rng = np.random.default_rng(5)
    t = 1_700_000_000 + np.arange(n, dtype=float)
    speed = 3.0 + rng.normal(0, 0.03, n)
    half = np.round((168.0 + rng.normal(0, 0.8, n)) / 2 * 128) / 128
    w = FitWriter()
    w.message("file_id", {"type": "activity", "manufacturer": "garmin", "time_created": t[0]})
    w.messages(
        "record",
        {
            "timestamp": t,
            "enhanced_speed": speed,
            "distance": np.cumsum(speed),
            "cadence": np.floor(half),
            "fractional_cadence": half - np.floor(half),
        },
    )
    w.message("session", {"timestamp": t[-1], "start_time": t[0], "sport": "running"}, local=1)
    path = tmp_path / "right_for_pace.fit"
    path.write_bytes(w.to_bytes())
    return path


def test_below_target_but_right_for_pace_is_a_direction_for_later(tmp_path: Path) -> None:
    a = footfall.analyze(
        _runner_below_target_but_right_for_pace(tmp_path), footfall.Profile(height_cm=181)
    )
    cadence = [f for f in a.findings if f.detector == "low_cadence"]
    assert len(cadence) == 1
    f = cadence[0]
    assert f.severity == "watch"
    assert f.evidence["severity_from"] == "target"
    assert f.evidence["c_ref_spm"] == pytest.approx(168, abs=1)
    assert f.evidence["gap_spm"] == pytest.approx(12, abs=1)
    assert "12 below your 180 target" in f.title and "right for your pace" in f.title
    assert "direction for later" in f.explanation
    step = a.plan["next_step"]
    assert step is not None and not step["warranted"]  # §1.5: no block is called for
    assert step["text"].startswith("When you want to move towards your target")


def test_cadence_without_pace_reference_uses_the_target(tmp_path: Path) -> None:
    """No speed at all: the gap to the target alone sets the severity (> 5 %: warning)."""
    import numpy as np

    from samples.fit_write import FitWriter

    n = 1800
    t = 1_700_000_000 + np.arange(n, dtype=float)
    w = FitWriter()
    w.message("file_id", {"type": "activity", "manufacturer": "garmin", "time_created": t[0]})
    w.messages("record", {"timestamp": t, "cadence": np.full(n, 80.0)})
    w.message("session", {"timestamp": t[-1], "start_time": t[0], "sport": "running"}, local=1)
    path = tmp_path / "no_speed.fit"
    path.write_bytes(w.to_bytes())
    a = footfall.analyze(path, footfall.Profile(height_cm=181))
    f = _by(a, "low_cadence", "target")
    assert f.severity == "warning" and f.evidence["severity_from"] == "target"
    assert "no pace reference" in f.explanation
    quality = _by(a, "data_quality")
    assert quality.severity == "watch" and "no speed" in quality.explanation.lower()
    assert a.summary["verdict"]["detector"] == "low_cadence"
