"""One run in several files (footfall.duplicates): the rule at its edges, and real exports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import footfall
from footfall.duplicates import (
    SAME_DISTANCE_FRACTION,
    SAME_START_S,
    group_same_runs,
    richness,
    same_run,
)
from footfall.report.json import analysis_to_dict

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "real"


def run(
    start: str | None = "2024-05-01T08:00:00+00:00",
    distance: float | None = 10_000.0,
    channels: int = 3,
    name: str = "run",
) -> dict[str, Any]:
    """The parts of an analysis-JSON dict the rule reads."""
    return {
        "source": {"path": name, "channels": {f"c{i}": {} for i in range(channels)}},
        "summary": {"start_time": start, "distance_m": distance},
    }


def test_start_within_a_minute() -> None:
    assert SAME_START_S == 60.0
    assert same_run(run(), run(start="2024-05-01T08:00:59+00:00"))
    assert same_run(run(start="2024-05-01T08:00:59+00:00"), run())  # symmetric
    assert not same_run(run(), run(start="2024-05-01T08:01:01+00:00"))
    assert not same_run(run(), run(start="2024-05-01T07:58:59+00:00"))


def test_time_zones_are_compared_as_moments() -> None:
    assert same_run(run(), run(start="2024-05-01T10:00:30+02:00"))
    assert same_run(run(), run(start="2024-05-01T08:00:30Z"))
    assert same_run(run(), run(start="2024-05-01T08:00:30"))  # naive is UTC
    assert not same_run(run(), run(start="2024-05-01T08:00:30+01:00"))


def test_distance_within_two_percent_of_the_longer() -> None:
    assert SAME_DISTANCE_FRACTION == 0.02
    assert same_run(run(distance=10_000.0), run(distance=9_810.0))  # 1.9 %
    assert same_run(run(distance=9_810.0), run(distance=10_000.0))
    assert not same_run(run(distance=10_000.0), run(distance=9_790.0))  # 2.1 %
    assert not same_run(run(distance=9_790.0), run(distance=10_000.0))


@pytest.mark.parametrize(
    "other",
    [
        run(start=None),
        run(start="not a date"),
        run(distance=None),
        run(distance=0.0),
        {"summary": None, "source": {}},
        {},
    ],
)
def test_without_a_start_or_a_distance_nothing_is_merged(other: dict[str, Any]) -> None:
    assert not same_run(run(), other)
    assert not same_run(other, other)


def test_groups_put_the_richest_file_first_and_keep_their_order() -> None:
    gpx = run(channels=9, name="a.gpx")
    fit = run(start="2024-05-01T08:00:20+00:00", distance=10_050.0, channels=14, name="a.fit")
    tcx = run(start="2024-05-01T07:59:50+00:00", distance=9_990.0, channels=8, name="a.tcx")
    other_day = run(start="2024-05-02T08:00:00+00:00", name="b.fit", channels=20)
    undated = run(start=None, name="c.gpx")
    undated_twin = run(start=None, name="c.tcx")
    groups = group_same_runs([gpx, other_day, fit, undated, tcx, undated_twin])
    names = [[r["source"]["path"] for r in g] for g in groups]
    assert names == [["a.fit", "a.gpx", "a.tcx"], ["b.fit"], ["c.gpx"], ["c.tcx"]]
    assert richness(fit) == 14 and richness({}) == 0


def test_equal_richness_keeps_the_input_order_and_entries_may_be_pairs() -> None:
    first, second = run(name="x.fit"), run(name="x-copy.fit", distance=10_001.0)
    groups = group_same_runs([("x", first), ("x-2", second)], result=lambda e: e[1])
    assert groups == [[("x", first), ("x-2", second)]]


def test_distinct_runs_stay_apart() -> None:
    every_61_s = [
        run(start=f"2024-05-01T08:{s // 60:02d}:{s % 60:02d}+00:00") for s in range(0, 610, 61)
    ]
    assert [len(g) for g in group_same_runs(every_61_s)] == [1] * 10
    same_start = [run(distance=10_000.0 * 1.05**k) for k in range(5)]  # 5 % apart
    assert [len(g) for g in group_same_runs(same_start)] == [1] * 5


def _real(name: str) -> dict[str, Any]:
    path = REAL / name
    if not path.exists():
        pytest.skip(f"real corpus file not found: {path}")
    return analysis_to_dict(footfall.analyze(path))


def test_real_fit_gpx_tcx_exports_of_one_run_are_one_group() -> None:
    fit, gpx, tcx = (_real(f"sports-lib/6782987395.{ext}") for ext in ("fit", "gpx", "tcx"))
    other = _real("sports-lib/6860622916.tcx")
    assert same_run(fit, gpx) and same_run(gpx, tcx) and same_run(fit, tcx)
    assert not same_run(fit, other)
    groups = group_same_runs([tcx, other, gpx, fit])
    assert [[r["source"]["format"] for r in g] for g in groups] == [["fit", "gpx", "tcx"], ["tcx"]]
    assert richness(fit) > richness(gpx) > richness(tcx)
