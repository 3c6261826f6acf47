"""Synthetic seasons whose truth is built in (tests/season_samples.py), imported through the
real store and a real process pool, and read back as a season.

- cadence rising 1 spm a week at one speed: an improving trend of about +1 spm a week;
- cadence that follows one personal cadence-speed line while the runs get faster: the raw
  median rises, the cadence at the reference speed is steady;
- a run twice as long as any before it, and a numbness entry: their alerts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from footfall.batch.imports import import_files
from footfall.season import season_analysis
from footfall.store import Ledger, Store, queries
from tests import season_samples as ss


def imported_season(
    home: Path,
    name: str,
    files: list[Path],
    symptoms: list[dict[str, Any]] = (),  # type: ignore[assignment]
) -> dict[str, Any]:
    with Store(home) as store:
        athlete, _ = store.ensure_athlete(name)
        ledger = Ledger(store, athlete)
        import_files(files, ledger, athlete.profile, engine="pool", workers=2)
        for entry in symptoms:
            store.log_symptom(athlete, entry["date"], entry["side"], entry.get("onset_s"), None)
        return season_analysis(
            athlete.to_dict(),
            queries.analyses(store, athlete),
            store.symptoms(athlete),
            ledger.report.to_dict(),
        )


@pytest.fixture(scope="module")
def seasons(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, dict[str, Any]]]:
    root = tmp_path_factory.mktemp("seasons")
    home = root / "home"
    improving = ss.write(root / "improving", list(ss.improving()))
    speed_only = ss.write(root / "speed_only", list(ss.speed_only()))
    base = [
        ss.Run(ss.days(w, d), 3.0, 170.0, seed=500 + 10 * w + d) for w in range(4) for d in (0, 3)
    ]
    spike = replace(base[-1], start=ss.days(4, 1), minutes=30, seed=999)
    load = ss.write(root / "load", [*base, spike])
    symptom = {"date": ss.days(4, 1).date().isoformat(), "side": "left", "onset_s": 1500}
    yield {
        "improving": imported_season(home, "improver", improving),
        "speed_only": imported_season(home, "speeder", speed_only),
        "load": imported_season(home, "loader", load, [symptom]),
    }


def test_every_synthetic_run_is_a_session(seasons: dict[str, dict[str, Any]]) -> None:
    for key, count in (("improving", 30), ("speed_only", 30), ("load", 9)):
        report = seasons[key]["import"]
        assert report["imported"] == count, (key, report)
        assert report["failed"] == [] and report["not_run"] == []
        assert len(seasons[key]["sessions"]) == count


def test_cadence_rising_a_spm_a_week_is_an_improving_trend_of_about_one(
    seasons: dict[str, dict[str, Any]],
) -> None:
    season = seasons["improving"]
    weeks = season["weeks"]
    assert [w["runs"] for w in weeks] == [3] * 10
    assert season["reference_speed_mps"] == pytest.approx(3.0, abs=0.05)
    trend = season["trend"]["cadence_at_ref_speed_spm_per_week"]
    assert trend["weeks"] == 10
    assert trend["slope"] == pytest.approx(1.0, abs=0.15)
    assert trend["low"] > 0.6 and trend["high"] < 1.4
    assert season["trend"]["direction"] == "improving"
    # the first weeks have too few runs for a fitted baseline: the cold start of §1.5
    assert weeks[0]["baseline"] == "cold_start"
    assert weeks[-1]["baseline"] in ("fitted", "narrow_span")
    first, last = weeks[0]["cadence_at_ref_speed_spm"], weeks[-1]["cadence_at_ref_speed_spm"]
    assert last - first == pytest.approx(9.0, abs=1.5)


def test_cadence_rising_only_with_speed_is_steady_at_the_reference_speed(
    seasons: dict[str, dict[str, Any]],
) -> None:
    season = seasons["speed_only"]
    trend = season["trend"]
    raw = trend["median_cadence_spm_per_week"]
    at_ref = trend["cadence_at_ref_speed_spm_per_week"]
    assert raw["slope"] == pytest.approx(0.8, abs=0.3)  # 10 spm per m/s x 0.08 m/s a week
    assert raw["direction"] == "improving"
    assert abs(at_ref["slope"]) < 0.25
    assert trend["direction"] == "steady"
    fitted = [w for w in season["weeks"] if w["baseline"] == "fitted"]
    assert len(fitted) >= 8
    # the athlete's own slope (10 spm per m/s), not the population's 6
    assert all(w["baseline_slope_spm_per_mps"] == pytest.approx(10.0, abs=1.5) for w in fitted)


def test_a_long_run_and_a_numbness_entry_give_their_alerts(
    seasons: dict[str, dict[str, Any]],
) -> None:
    season = seasons["load"]
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for alert in season["alerts"]:
        by_kind.setdefault(alert["kind"], []).append(alert)
    (spike,) = by_kind["session_spike"]
    last = season["sessions"][-1]
    assert spike["sessions"] == [last["sha256"]]
    assert spike["date"] == ss.days(4, 1).date().isoformat()
    numbers = spike["numbers"]
    assert numbers["excess_pct"] == pytest.approx(100.0 * (30 / 14 - 1), abs=6.0)
    assert numbers["band"] == "over 100 %" and spike["severity"] == "alert"
    (numb,) = by_kind["numbness"]
    assert numb["sessions"] == [last["sha256"]]
    assert numb["numbers"]["side"] == "left" and numb["numbers"]["onset_min"] == 25.0
    (run,) = numb["numbers"]["runs"]
    assert run["median_cadence_spm"] == pytest.approx(170.0, abs=1.0)
    assert run["cadence_at_ref_speed_spm"] == pytest.approx(170.0, abs=1.5)
    assert numb["severity"] == "warning"
    # no other run was longer than 1.10 x the month before it
    assert len(by_kind["session_spike"]) == 1


def test_the_weekly_rows_add_up(seasons: dict[str, dict[str, Any]]) -> None:
    season = seasons["load"]
    weeks = season["weeks"]
    assert [w["week"] for w in weeks] == [
        "2026-W10",
        "2026-W11",
        "2026-W12",
        "2026-W13",
        "2026-W14",
    ]
    assert sum(w["runs"] for w in weeks) == 9
    total = sum(s["distance_m"] for s in season["sessions"])
    assert sum(w["distance_m"] for w in weeks) == pytest.approx(total, rel=1e-3)
    assert weeks[-1]["running_time_s"] == pytest.approx(30 * 60, abs=30)
