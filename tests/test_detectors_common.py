"""Common checks over every registered detector (after scikit-learn's check_estimator):
an empty series, a series without the channels it needs, and a normal run."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from footfall.config import Profile
from footfall.detectors import REGISTRY, Context
from footfall.model import SEVERITY_ORDER, Activity, Finding, SourceInfo
from footfall.series.segments import steady_segments

IDS = [d.NAME for d in REGISTRY]


def _activity(frame: pd.DataFrame, fmt: str = "fit") -> Activity:
    frame.index.name = "elapsed_s"
    return Activity(source=SourceInfo("t", fmt, "0"), data=frame, start_time=None)


def _normal_run(n: int = 3600) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    t = np.arange(n)
    speed = 3.0 + rng.normal(0, 0.05, n)
    return pd.DataFrame(
        {
            "timestamp": pd.to_datetime(1_700_000_000 + t, unit="s", utc=True),
            "distance_m": np.cumsum(speed),
            "speed_mps": speed,
            "cadence_spm": 165 + rng.normal(0, 1.5, n),
            "stance_time_ms": 260 + rng.normal(0, 4, n),
            "stance_balance_left_pct": 50.4 + rng.normal(0, 0.3, n),
            "vertical_oscillation_mm": 90 + rng.normal(0, 2, n),
            "vertical_ratio_pct": 8.0 + rng.normal(0, 0.2, n),
            "step_length_m": 1.09 + rng.normal(0, 0.01, n),
            "altitude_m": 100 + 0.001 * t,
            "temperature_c": np.full(n, 27.0),
            "state": np.full(n, "run", dtype=object),
        },
        index=t,
    )


def _check(findings: object, name: str) -> None:
    assert isinstance(findings, list)
    for f in findings:
        assert isinstance(f, Finding)
        assert f.detector == name
        assert f.severity in SEVERITY_ORDER
        assert f.confidence in ("low", "medium", "high")
        assert f.title and f.explanation
        assert f.rule, "every finding states its rule"
        assert all(a <= b for a, b in f.windows)
        f.to_dict()  # serialisable shape


@pytest.mark.parametrize("detector", REGISTRY, ids=IDS)
def test_empty_series(detector: object) -> None:
    frame = pd.DataFrame({"state": pd.Series([], dtype=object)})
    ctx = Context(activity=_activity(frame), profile=Profile())
    findings = detector.detect(frame, ctx)  # type: ignore[attr-defined]
    _check(findings, detector.NAME)  # type: ignore[attr-defined]
    assert findings == [] or all(f.severity in ("ok", "watch") for f in findings)


@pytest.mark.parametrize("detector", REGISTRY, ids=IDS)
def test_series_without_its_channels(detector: object) -> None:
    n = 1200
    frame = pd.DataFrame({"heart_rate_bpm": np.full(n, 140.0), "state": ["run"] * n})
    ctx = Context(activity=_activity(frame), profile=Profile())
    findings = detector.detect(frame, ctx)  # type: ignore[attr-defined]
    _check(findings, detector.NAME)  # type: ignore[attr-defined]
    needs = detector.NEEDS  # type: ignore[attr-defined]
    if needs:
        assert findings == [], f"{detector.NAME} needs {needs} but produced findings"  # type: ignore[attr-defined]


@pytest.mark.parametrize("detector", REGISTRY, ids=IDS)
def test_normal_run(detector: object) -> None:
    frame = _normal_run()
    activity = _activity(frame)
    activity.channels = {}
    ctx = Context(
        activity=activity,
        profile=Profile(height_cm=175),
        segments=steady_segments(activity, window_s=60),
    )
    findings = detector.detect(frame, ctx)  # type: ignore[attr-defined]
    _check(findings, detector.NAME)  # type: ignore[attr-defined]


def test_registry_names_are_unique_and_documented() -> None:
    names = [d.NAME for d in REGISTRY]
    assert len(names) == len(set(names))
    for detector in REGISTRY:
        doc = detector.__doc__ or ""
        assert "§" in doc or "SCIENCE" in doc, f"{detector.NAME} docstring names its source"


def _below_minute_by_minute(series: pd.DataFrame, target: float) -> list[tuple[float, float]]:
    """The low-cadence windows as the rule states them, one minute at a time: the reference
    for the all-minutes-at-once version in low_cadence.py."""
    from footfall.detectors.low_cadence import TARGET_BAND_SPM
    from footfall.model import running

    cad = np.where(running(series), series["cadence_spm"].to_numpy(dtype=float), np.nan)
    out: list[tuple[float, float]] = []
    for a in range(0, len(cad) - 59, 60):
        part = cad[a : a + 60]
        part = part[np.isfinite(part)]
        if part.size >= 30 and float(np.median(part)) < target - TARGET_BAND_SPM:
            if out and out[-1][1] == a:
                out[-1] = (out[-1][0], float(a + 60))
            else:
                out.append((float(a), float(a + 60)))
    return out


def test_low_cadence_windows_match_the_minute_by_minute_rule() -> None:
    from footfall.detectors.low_cadence import _below_windows

    rng = np.random.default_rng(3)
    levels = [150.0, 160.0, 165.0, 170.0, 175.0, 180.0, np.nan, np.inf]
    found = 0
    for _ in range(300):
        n = int(rng.integers(0, 900))
        cad = np.repeat(rng.choice(levels, n), int(rng.integers(1, 40)))[:n]
        state = rng.choice(np.array(["run", "walk", "stop"], dtype=object), n, p=[0.8, 0.1, 0.1])
        series = pd.DataFrame({"cadence_spm": cad, "state": state})
        expected = _below_minute_by_minute(series, 175.0)
        assert _below_windows(series, 175.0) == expected
        found += len(expected)
    assert found > 50  # the cases do cross the threshold
