"""The season's pure functions on hand-made facts: the trend's interval, the baseline's
within-week slope, the alert edges, the progression's advance, hold and step back, and every
threshold of season/ citing its source."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from footfall.config import Profile
from footfall.season.alerts import session_spikes
from footfall.season.baseline import Pooled, baseline
from footfall.season.facts import RunFacts, iso_week
from footfall.season.progression import season_progression
from footfall.season.trend import direction, sen_slope
from footfall.season.weeks import build_weeks

SEASON = Path(__file__).resolve().parents[1] / "src" / "footfall" / "season"
MONDAY = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


def run(
    day: int,
    speed: float,
    cadence: float,
    *,
    km: float = 5.0,
    n: int = 10,
    block: bool = False,
    score: float | None = 40.0,
) -> RunFacts:
    """A run of ``n`` one-minute steady segments at one speed and cadence."""
    return RunFacts(
        sha256=f"{day:04d}{speed:.2f}{cadence:.1f}",
        start=MONDAY + timedelta(days=day),
        running_time_s=n * 60.0,
        distance_m=km * 1000.0,
        median_cadence_spm=cadence,
        cadence_block=block,
        overstride_score=score,
        speed=np.full(n, speed),
        cadence=np.full(n, cadence),
        seconds=np.full(n, 60.0),
        stance_ms=np.full(n, np.nan),
        heart_rate=np.full(n, 150.0),
    )


def test_iso_weeks() -> None:
    assert iso_week(datetime(2026, 5, 1).date()) == "2026-W18"
    assert iso_week(datetime(2027, 1, 1).date()) == "2026-W53"


def test_sen_interval_matches_scipy() -> None:
    from scipy.stats import theilslopes

    rng = np.random.default_rng(3)
    x = np.arange(12.0)
    y = 160 + 0.8 * x + rng.normal(0, 1.0, 12)
    slope, low, high = sen_slope(x, y)
    ref = theilslopes(y, x, alpha=0.95)
    assert (slope, low, high) == pytest.approx((ref.slope, ref.low_slope, ref.high_slope))


def test_direction_needs_the_interval_and_a_meaningful_slope() -> None:
    assert direction(1.0, 0.5, 1.5, 0.25, True) == "improving"
    assert direction(1.0, -0.1, 1.5, 0.25, True) == "steady"
    assert direction(0.2, 0.1, 0.3, 0.25, True) == "steady"
    assert direction(-1.0, -1.5, -0.5, 0.25, True) == "worsening"
    assert direction(-2.0, -3.0, -1.0, 1.0, False) == "improving"  # contact time falling


def test_the_slope_comes_from_within_weeks_when_progress_and_speed_rise_together() -> None:
    # cadence = 130 + 12 v + 2 per week: pooled over weeks the slope would absorb the progress
    runs = [
        run(7 * w + d, 2.6 + 0.15 * w + off, 130 + 12 * (2.6 + 0.15 * w + off) + 2 * w)
        for w in range(4)
        for d, off in ((0, -0.3), (2, 0.0), (4, 0.3))
    ]
    line = baseline(runs, 3.0)
    assert line.kind == "fitted" and "within weeks" in line.method
    assert line.b1 == pytest.approx(12.0, abs=0.5)


def test_too_few_runs_is_the_cold_start() -> None:
    runs = [run(0, 2.8, 160.0), run(2, 3.2, 165.0)]
    line = baseline(runs, 3.0)
    assert line.kind == "cold_start" and line.b1 == 6.0
    assert Pooled.of(runs).value.size == 20


def test_spike_edges() -> None:
    runs = [
        run(0, 3.0, 170, km=10.0),
        run(10, 3.0, 170, km=11.0),
        run(20, 3.0, 170, km=12.2),
        run(60, 3.0, 170, km=30.0),
    ]
    spikes = session_spikes(runs)
    assert [a["date"] for a in spikes] == [runs[2].day.isoformat()]  # 11.0 is exactly 1.10 x
    assert spikes[0]["severity"] == "watch" and spikes[0]["numbers"]["band"] == "10-30 %"
    # the 30 km run has no run in the 30 days before it: nothing to compare with


def _progression(runs: list[RunFacts], symptoms: list[dict[str, str]] = ()) -> dict:  # type: ignore[assignment]
    weeks = build_weeks(runs, 3.0)
    result = season_progression(weeks, Profile(height_cm=175), 3.0, symptoms)
    assert result is not None
    return result


def _low_then(cadences: list[float]) -> list[RunFacts]:
    """A week at 150 spm that warrants a block (it starts the next week), then a week per
    given cadence."""
    runs = [run(d, 3.0, 150.0, block=True) for d in (0, 2, 4)]
    for k, cadence in enumerate(cadences):
        runs += [run(7 * (k + 1) + d, 3.0, cadence, block=True) for d in (0, 2, 4)]
    return runs


def test_a_block_starts_advances_on_adherence_and_holds_at_ten_percent() -> None:
    # baseline 150 spm: +5 % = 157.5, +7.5 % = 161.25, +10 % = 165 (C_ref(3.0, 175) = 171)
    result = _progression(_low_then([157.5, 157.5, 161.3, 161.3, 165.0, 165.0]))
    changes = [(c["change"], c["to_pct"]) for c in result["changes"]]
    assert changes[:3] == [("start", 5.0), ("advance", 7.5), ("advance", 10.0)]
    assert changes[3] == ("hold", 10.0)
    assert changes[-1] == ("end", 0.0)
    assert [w["adherence_pct"] for w in result["weekly"]] == [100.0] * 6
    assert [w["target_at_easy_speed_spm"] for w in result["weekly"]] == [
        157.5,
        157.5,
        161.2,
        161.2,
        165.0,
        165.0,
    ]


def test_low_adherence_steps_back_and_middling_adherence_holds() -> None:
    back = _progression(_low_then([150.0, 150.0]))
    assert [(c["change"], c["to_pct"]) for c in back["changes"]] == [
        ("start", 5.0),
        ("step_back", 0.0),
    ]
    assert "< 50 %" in back["last_change"]["reason"]
    runs = _low_then([])
    for w in (1, 2):  # two runs of three on target: 67 % of steady time
        runs += [run(7 * w + d, 3.0, c, block=True) for d, c in ((0, 157.5), (2, 157.5), (4, 150))]
    held = _progression(runs)
    assert held["changes"][-1]["change"] == "hold" and held["current_step"]["pct"] == 5.0


def test_numbness_steps_back_at_once() -> None:
    runs = _low_then([157.5])
    result = _progression(runs, [{"date": runs[-1].day.isoformat(), "side": "left"}])
    assert result["changes"][-1]["change"] == "step_back"
    assert "numbness logged" in result["changes"][-1]["reason"]
    assert result["current_step"]["pct"] == 0.0


def test_no_block_when_cadence_fits_the_pace() -> None:
    result = _progression([run(7 * w + d, 3.0, 171.0) for w in range(4) for d in (0, 3)])
    assert not result["warranted"] and result["changes"] == []
    assert result["text"] == "cadence is fine for your pace: no block needed"


CITATION_MARKS = ("§", "heuristic", "SCIENCE.md")


@pytest.mark.parametrize("path", sorted(SEASON.glob("*.py")), ids=lambda p: p.name)
def test_every_threshold_cites_its_source(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    missing = []
    for node in ast.parse(text).body:
        if not isinstance(node, ast.Assign | ast.AnnAssign):
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        names = [t.id for t in targets if isinstance(t, ast.Name)]
        numbers = (
            [n for n in ast.walk(node.value) if isinstance(n, ast.Constant)] if node.value else []
        )
        if not names or not names[0].isupper() or not numbers:
            continue
        if not all(isinstance(n.value, int | float) for n in numbers):
            continue
        context = [lines[node.lineno - 1]]
        i = node.lineno - 2
        while i >= 0 and lines[i].lstrip().startswith("#"):
            context.append(lines[i])
            i -= 1
        if not any(mark in line for line in context for mark in CITATION_MARKS):
            missing.append(names[0])
    assert not missing, f"{path.name}: thresholds without a source: {missing}"


def test_segment_facts_keep_only_plain_numbers() -> None:
    """Untrusted analysis dicts: bools, text, infinities and zeros are unknown, intervals and
    segments without a speed or a cadence are left out, and a missing start counts as 0."""
    from footfall.season.facts import _segments

    nan = float("nan")
    segments = [
        {"start_s": 0, "end_s": 60, "speed_mps": 3.0, "cadence_spm": 170, "heart_rate_bpm": 0},
        {"start_s": 60, "end_s": 120, "speed_mps": True, "cadence_spm": 171},  # bool speed
        {"start_s": 120, "end_s": 180, "speed_mps": 3.1, "cadence_spm": 172, "interval": 1},
        {"end_s": 240, "speed_mps": 3.2, "cadence_spm": 173.5, "stance_time_ms": "250"},
        {"start_s": 240, "end_s": 200, "speed_mps": 0.0, "cadence_spm": 174, "heart_rate_bpm": 150},
        {"start_s": 300, "end_s": 360, "speed_mps": float("inf"), "cadence_spm": 175},
        "not a segment",
    ]
    facts = _segments({"segments": segments})
    assert np.array_equal(facts["speed"], [3.0, 3.2, nan], equal_nan=True)
    assert np.array_equal(facts["cadence"], [170.0, 173.5, 174.0])
    assert np.array_equal(facts["seconds"], [60.0, 240.0, 0.0])
    assert np.isnan(facts["stance_ms"]).all()
    assert np.array_equal(facts["heart_rate"], [nan, nan, 150.0], equal_nan=True)
    # an in-memory analysis dict may hold numpy floats: numbers like any other
    in_memory = _segments(
        {
            "segments": [
                {"end_s": 60, "speed_mps": np.float64(3.0), "cadence_spm": np.float64(171.0)}
            ]
        }
    )
    assert in_memory["speed"].tolist() == [3.0] and in_memory["seconds"].tolist() == [60.0]
