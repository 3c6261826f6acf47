"""Cleaning invariants: a monotonic 1 Hz index, no negative durations, units in range."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from footfall.io.track import CadenceHint, RawTrack
from footfall.model import Activity, SourceInfo
from footfall.series.build import build_activity
from footfall.series.clean import VALID_RANGES
from footfall.series.resample import to_grid
from footfall.series.states import _held, _hysteresis, classify_states


def _track(samples: pd.DataFrame) -> RawTrack:
    return RawTrack(
        fmt="fit",
        samples=samples,
        cadence_hint=CadenceHint("record.cadence", "strides/min", 2.0),
        sport="running",
    )


def _build(samples: pd.DataFrame) -> Activity:
    return build_activity(_track(samples), SourceInfo("t.fit", "fit", "0"))


@st.composite
def messy_samples(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(min_value=5, max_value=400))
    steps = draw(
        st.lists(
            st.sampled_from([0, 1, 1, 1, 2, 3, 5, 8, 30, -3, 120, 900]),
            min_size=n - 1,
            max_size=n - 1,
        )
    )
    t = 1_600_000_000.0 + np.concatenate([[0], np.cumsum(steps)]).astype(float)
    cad = np.array(
        draw(
            st.lists(
                st.sampled_from([0.0, 44.0, 85.0, 86.0, 170.0, np.nan, 255.0]),
                min_size=n,
                max_size=n,
            )
        )
    )
    speed = np.array(
        draw(st.lists(st.sampled_from([0.0, 1.2, 3.0, 3.1, 25.0, np.nan]), min_size=n, max_size=n))
    )
    gct = np.array(
        draw(st.lists(st.sampled_from([0.0, 240.0, 260.0, 6553.5, np.nan]), min_size=n, max_size=n))
    )
    return pd.DataFrame({"time": t, "cadence_raw": cad, "speed_mps": speed, "stance_time_ms": gct})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messy_samples())
def test_cleaning_invariants(samples: pd.DataFrame) -> None:
    try:
        activity = _build(samples)
    except Exception as exc:  # only typed errors are allowed
        from footfall.errors import FootfallError

        assert isinstance(exc, FootfallError), exc
        return
    frame = activity.data
    index = frame.index.to_numpy()
    assert (index == np.arange(len(frame))).all()
    assert (np.diff(frame["timestamp"].to_numpy()) > np.timedelta64(0, "s")).all()
    assert set(frame["state"]) <= {"run", "walk", "stop"}
    if "cadence_spm" in frame:
        moving = frame["speed_mps"].fillna(0) > 0.5 if "speed_mps" in frame else slice(None)
        cad = frame.loc[moving, "cadence_spm"].dropna()
        assert ((cad == 0) | ((cad >= 40) & (cad <= 240))).all()
    if "stance_time_ms" in frame:
        lo, hi = VALID_RANGES["stance_time_ms"]
        gct = frame["stance_time_ms"].dropna()
        assert ((gct >= lo) & (gct <= hi)).all()
    if "speed_mps" in frame:
        assert (frame["speed_mps"].dropna() <= 12.5).all()
    for a, b in activity.pauses:
        assert 0 <= a < b <= len(frame)


def test_smart_recording_is_time_weighted() -> None:
    # records every 1-8 s: values hold until the next record
    t = 1_600_000_000.0 + np.array([0, 1, 4, 12, 13, 20])
    grid = to_grid(pd.DataFrame({"time": t, "heart_rate_bpm": [100, 110, 120, 130, 140, 150]}))
    hr = grid.frame["heart_rate_bpm"].to_numpy()
    assert list(hr[:4]) == [100, 110, 110, 110]
    assert list(hr[4:12]) == [120] * 8  # 8 s interval is within the smart-recording hold
    assert hr[20] == 150
    assert grid.gaps == []


def test_long_silence_is_a_gap_not_filled() -> None:
    t = 1_600_000_000.0 + np.array([0, 1, 2, 300, 301])
    grid = to_grid(pd.DataFrame({"time": t, "speed_mps": [3.0, 3.0, 3.0, 3.0, 3.0]}))
    assert np.isnan(grid.frame["speed_mps"].iloc[100])
    assert grid.gaps == [(3, 300)]


def test_time_going_backwards_and_clock_glitches_are_dropped() -> None:
    t = 1_600_000_000.0 + np.array([0, 1, 2, 3, 1, 4, 5, 90_000_000, 6, 7])
    grid = to_grid(pd.DataFrame({"time": t, "speed_mps": np.arange(10.0)}))
    assert grid.dropped_backwards == 1
    assert grid.dropped_glitches == 1
    assert len(grid.frame) == 8


def test_duplicate_seconds_keep_the_last_value() -> None:
    t = 1_600_000_000.0 + np.array([0, 1, 1, 2])
    grid = to_grid(pd.DataFrame({"time": t, "heart_rate_bpm": [100.0, 110.0, 111.0, 120.0]}))
    assert list(grid.frame["heart_rate_bpm"]) == [100.0, 111.0, 120.0]


def _run(n: int, spm: float, speed: float) -> pd.DataFrame:
    t = 1_600_000_000.0 + np.arange(n, dtype=float)
    return pd.DataFrame(
        {"time": t, "cadence_raw": np.full(n, spm / 2), "speed_mps": np.full(n, speed)}
    )


def test_cadence_dropouts_while_running_are_interpolated() -> None:
    samples = _run(600, 170, 3.2)
    samples.loc[300:302, "cadence_raw"] = 0.0  # 3 s of zeros at 3.2 m/s: wrist dropout
    activity = _build(samples)
    assert activity.data["cadence_spm"].iloc[301] == 170.0
    assert (activity.data["state"].iloc[290:310] == "run").all()
    assert any("dropouts" in w for w in activity.warnings)


def test_half_and_double_glitches_are_corrected() -> None:
    samples = _run(600, 170, 3.2)
    samples.loc[200, "cadence_raw"] = 170.0  # doubled
    samples.loc[400, "cadence_raw"] = 42.5  # halved
    activity = _build(samples)
    assert activity.data["cadence_spm"].iloc[200] == 170.0
    assert activity.data["cadence_spm"].iloc[400] == 170.0


def test_speed_spike_removed() -> None:
    samples = _run(300, 170, 3.0)
    samples.loc[150, "speed_mps"] = 9.0
    activity = _build(samples)
    assert abs(activity.data["speed_mps"].iloc[150] - 3.0) < 0.01
    assert any("speed spikes" in w for w in activity.warnings)


def test_states_run_walk_stop_with_hysteresis() -> None:
    cad = np.concatenate([np.full(60, 170.0), np.full(60, 110.0), np.zeros(30), np.full(60, 172.0)])
    speed = np.concatenate([np.full(60, 3.0), np.full(60, 1.4), np.zeros(30), np.full(60, 3.0)])
    frame = pd.DataFrame({"cadence_spm": cad, "speed_mps": speed})
    state = classify_states(frame)
    assert (state[5:50] == "run").all()
    assert (state[75:110] == "walk").all()
    assert (state[125:145] == "stop").all()
    assert (state[160:] == "run").all()
    # 135 spm for 5 s inside a run is neither an exit nor a new state (hysteresis)
    cad2 = np.full(100, 170.0)
    cad2[50:55] = 135.0
    state2 = classify_states(pd.DataFrame({"cadence_spm": cad2, "speed_mps": np.full(100, 3.0)}))
    assert (state2 == "run").all()


def _hysteresis_second_by_second(values: np.ndarray, enter: float, leave: float, hold: int):
    """The rule of science section 3.2 walked one second at a time: the reference for the
    jump-to-the-next-change walk that states.py uses."""
    above = _held(np.nan_to_num(values, nan=-np.inf) >= enter, hold)
    below = _held(np.nan_to_num(values, nan=np.inf) <= leave, hold)
    out = np.zeros(len(values), dtype=bool)
    state = False
    for i in range(len(values)):
        if not state and above[i]:
            state = True
            out[max(0, i - hold + 1) : i + 1] = True
        elif state and below[i]:
            state = False
            out[max(0, i - hold + 1) : i + 1] = False
        else:
            out[i] = state
    return out


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([0.0, 120.0, 129.0, 135.0, 141.0, 160.0, np.nan]), max_size=200),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=9),
)
def test_hysteresis_matches_the_second_by_second_rule(
    levels: list[float], hold: int, repeat: int
) -> None:
    values = np.repeat(np.asarray(levels, dtype=float), repeat)
    expected = _hysteresis_second_by_second(values, 140.0, 130.0, hold)
    assert (_hysteresis(values, 140.0, 130.0, hold) == expected).all()


def test_timer_pauses_are_stops() -> None:
    frame = pd.DataFrame({"cadence_spm": np.full(200, 170.0), "speed_mps": np.full(200, 3.0)})
    state = classify_states(frame, pauses=[(100, 120)])
    assert (state[95:125] == "stop").all()  # padded 5 s each side (SCIENCE.md §3.2)
    assert state[90] == "run"


def test_step_length_derived_from_speed_and_cadence() -> None:
    activity = _build(_run(300, 180, 3.0))
    assert abs(activity.data["step_length_m"].median() - 1.0) < 1e-9
    assert activity.channels["step_length_m"].source == "computed as speed / step rate"


def test_states_on_a_series_shorter_than_the_stop_padding() -> None:
    frame = pd.DataFrame({"cadence_spm": [0.0, 170.0], "speed_mps": [0.0, 3.0]})
    state = classify_states(frame)
    assert list(state) == ["stop", "stop"]


def test_smart_recording_silence_while_running_is_not_a_stop() -> None:
    # records every 20 s while the distance keeps growing at 3 m/s: the runner never stopped
    t = 1_600_000_000.0 + np.arange(0, 1200, 20, dtype=float)
    samples = pd.DataFrame(
        {"time": t, "distance_m": (t - t[0]) * 3.0, "cadence_raw": 85.0, "speed_mps": 3.0}
    )
    activity = _build(samples)
    assert activity.pauses == []
    assert (activity.data["state"].iloc[10:-10] == "run").all()
    # ... but silences where the distance stood still are gaps, not bridged
    still = samples.copy()
    still.loc[30:, "distance_m"] = still.loc[29, "distance_m"]
    activity = _build(still)
    assert activity.pauses[0] == (29 * 20 + 1, 30 * 20)
    assert (activity.data["state"].iloc[600:1100] == "stop").all()


def test_a_lost_cadence_sensor_is_unknown_not_a_stop() -> None:
    samples = _run(2400, 170, 3.2)
    samples.loc[1200:, "cadence_raw"] = 0.0  # the footpod died at 20 min, the run went on
    activity = _build(samples)
    state = activity.data["state"].to_numpy()
    assert (state[1300:2300] == "run").all()
    assert activity.data["cadence_spm"].iloc[1300:].isna().all()
    assert activity.quality["cadence_lost_s"] == 1200
    assert any("sensor lost count" in w for w in activity.warnings)


def test_speed_that_disagrees_with_distance_is_recomputed() -> None:
    # an export round trip wrote speed at the wrong scale (seen in a real GoldenCheetah file)
    samples = _run(900, 170, 3.0)
    samples["distance_m"] = np.arange(900) * 3.0
    samples["speed_mps"] = 0.06
    activity = _build(samples)
    assert abs(activity.data["speed_mps"].median() - 3.0) < 0.01
    source = activity.channels["speed_mps"]
    assert source.source == "speed from distance over 5 s"
    assert source.note == "the recorded speed disagreed with the distance"
