"""Cadence units: strides/min vs steps/min, per stretch of a file (SCIENCE.md §3.1)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from footfall.io.fit.messages import FIT_EPOCH_UNIX, DevChannel, FitMessages
from footfall.io.fit.reader import fit_to_track
from footfall.model import SourceInfo
from footfall.series.build import build_activity
from footfall.series.units import decide_cadence_factor

RNG = np.random.default_rng(7)


def test_strides_are_doubled() -> None:
    raw = 86 + RNG.normal(0, 1.5, 1800)
    decision = decide_cadence_factor(raw, np.full(1800, 3.0))
    assert set(decision.factor) == {2.0}
    assert decision.trusted
    assert "doubled" in decision.description


def test_steps_are_kept() -> None:
    raw = 172 + RNG.normal(0, 2, 1800)
    decision = decide_cadence_factor(raw, np.full(1800, 3.0))
    assert set(decision.factor) == {1.0}
    assert "already steps/min" in decision.description


def test_mid_file_switch_from_strides_to_steps() -> None:
    # The real treadmill case: 86 (strides) for 25 min, then 178 (steps) at the same speed.
    raw = np.concatenate([86 + RNG.normal(0, 1, 1500), 178 + RNG.normal(0, 2, 1500)])
    decision = decide_cadence_factor(raw, np.full(3000, 3.0))
    spm = raw * decision.factor
    assert abs(np.median(spm[:1500]) - 172) < 2
    assert abs(np.median(spm[1500:]) - 178) < 2
    assert len(decision.stretches) == 2
    switch = decision.stretches[1][0]
    assert abs(switch - 1500) <= 20
    assert "switches mid-file" in decision.description


def test_walking_strides_stay_strides_and_short_odd_minutes_do_not_flip() -> None:
    run = 84 + RNG.normal(0, 1, 600)
    walk = 55 + RNG.normal(0, 1, 120)  # walking, strides/min (= 110 spm)
    blip = np.full(20, 175.0)  # 20 s of doubled values from a glitching sensor
    raw = np.concatenate([run, walk, run, blip, run])
    speed = np.concatenate(
        [np.full(600, 3), np.full(120, 1.4), np.full(600, 3), np.full(20, 3), np.full(600, 3)]
    )
    decision = decide_cadence_factor(raw, speed.astype(float))
    assert set(decision.factor) == {2.0}


def test_ambiguous_band_uses_speed() -> None:
    raw = np.full(600, 120.0)  # 120: a brisk walk in steps/min, or a sprint in strides/min
    slow = decide_cadence_factor(raw, np.full(600, 1.5))
    fast = decide_cadence_factor(raw, np.full(600, 5.0))
    assert set(slow.factor) == {1.0}
    assert set(fast.factor) == {2.0}


def test_undecidable_file_keeps_prior_and_is_untrusted() -> None:
    raw = np.full(600, 120.0)
    decision = decide_cadence_factor(raw, None, prior_factor=2.0)
    assert not decision.trusted
    assert "untrusted" in decision.description


def _stryd_messages(dev_cadence: np.ndarray, vo_cm: np.ndarray) -> FitMessages:
    n = len(dev_cadence)
    t = np.arange(n, dtype=float) + 1_000_000_000.0
    speed = np.full(n, 3.1)
    m = FitMessages(
        records={
            "timestamp": t,
            "enhanced_speed": speed,
            "distance": np.cumsum(speed),
        },
        dev_records={
            "Cadence": DevChannel("Cadence", "RPM", dev_cadence, 4, 1),
            "Vertical Oscillation": DevChannel("Vertical Oscillation", "Centimeters", vo_cm, 39, 1),
            "Ground Time": DevChannel("Ground Time", "Milliseconds", np.full(n, 245.0), 41, 1),
        },
        sessions=[{"sport": "running", "sub_sport": "generic", "start_time": t[0]}],
        n_records=n,
    )
    return m


def test_stryd_developer_cadence_in_steps_per_min() -> None:
    # Older Stryd apps write developer `Cadence` in steps/min although its unit says RPM.
    n = 1800
    messages = _stryd_messages(176 + RNG.normal(0, 2, n), np.full(n, 7.4))
    track = fit_to_track(messages, "stryd.fit")
    activity = build_activity(track, SourceInfo("stryd.fit", "fit", "0"))
    running = activity.data.loc[activity.data["state"] == "run"]
    assert abs(running["cadence_spm"].median() - 176) < 1.5
    assert running["vertical_oscillation_mm"].median() == 74.0  # cm -> mm
    assert running["stance_time_ms"].median() == 245.0
    assert "Stryd" in activity.channels["cadence_spm"].source
    assert "already steps/min" in (activity.cadence_unit or "")
    assert activity.channels["vertical_oscillation_mm"].note == "converted cm -> mm"


def test_stryd_developer_cadence_in_strides_is_doubled() -> None:
    n = 1800
    messages = _stryd_messages(87 + RNG.normal(0, 1, n), np.full(n, 7.0))
    track = fit_to_track(messages, "stryd.fit")
    activity = build_activity(track, SourceInfo("stryd.fit", "fit", "0"))
    assert abs(activity.data["cadence_spm"].median() - 174) < 1.5


def test_native_fields_win_over_developer_fields() -> None:
    n = 600
    messages = _stryd_messages(np.full(n, 90.0), np.full(n, 7.0))
    messages.records["cadence"] = np.full(n, 85.0)
    messages.records["vertical_oscillation"] = np.full(n, 95.0)
    track = fit_to_track(messages, "both.fit")
    assert track.channels["vertical_oscillation_mm"].source == "record.vertical_oscillation"
    assert track.cadence_hint is not None and track.cadence_hint.source == "record.cadence"
    frame = pd.DataFrame(track.samples)
    assert frame["cadence_raw"].median() == 85.0
    assert frame["vertical_oscillation_mm"].median() == 95.0
    assert FIT_EPOCH_UNIX > 0
