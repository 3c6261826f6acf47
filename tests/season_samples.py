"""Synthetic seasons with their truth built in, written with the project's FIT writer.

Each run is a short steady run (a few minutes of warm-up, then steady running) whose speed
and cadence are chosen by the test: cadence that rises week by week at one speed, cadence
that follows one personal cadence-speed line while the runs get faster, a long run among
short ones. Runs are short so that a season of 30 stays a few seconds of analysis.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from samples.fit_write import FitWriter, semicircles

#: a Monday, 07:00 UTC: week 0 of every synthetic season
SEASON_START = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
RUN_MINUTES = 14  # 5 min warm-up (science §3.5) + 9 min of steady windows


@dataclass(frozen=True)
class Run:
    start: datetime
    speed_mps: float
    cadence_spm: float
    minutes: int = RUN_MINUTES
    stance_ms: float | None = None
    seed: int = 0


def run_fit(run: Run) -> bytes:
    """One run: 1 Hz records at the given speed and cadence (small noise), one lap."""
    rng = np.random.default_rng(run.seed)
    n = run.minutes * 60
    t0 = int(run.start.timestamp())
    t = np.arange(n)
    speed = run.speed_mps + rng.normal(0.0, 0.04, n)
    spm = run.cadence_spm + rng.normal(0.0, 0.8, n)
    half = np.rint(spm / 2.0 * 128.0) / 128.0
    distance = np.cumsum(speed)
    records = {
        "timestamp": t + t0,
        "position_lat": semicircles(45.0 + distance / 111_195.0),
        "position_long": semicircles(np.full(n, 5.7)),
        "distance": distance,
        "enhanced_speed": speed,
        "enhanced_altitude": np.full(n, 200.0),
        "heart_rate": np.rint(140.0 + 10.0 * (speed - 3.0)),
        "cadence": np.floor(half),
        "fractional_cadence": half - np.floor(half),
    }
    if run.stance_ms is not None:
        records["stance_time"] = run.stance_ms + rng.normal(0.0, 3.0, n)
        records["vertical_oscillation"] = 85.0 + rng.normal(0.0, 1.5, n)
        records["vertical_ratio"] = 8.0 + rng.normal(0.0, 0.2, n)
    w = FitWriter()
    ident = {"type": "activity", "manufacturer": "garmin", "product": 3113}
    w.message("file_id", {**ident, "serial_number": 3_912_345_678, "time_created": t0})
    w.message("sport", {"sport": "running", "sub_sport": "street", "name": "Run"}, local=1)
    timer = {"event": "timer", "event_group": 0}
    w.message("event", {**timer, "timestamp": t0, "event_type": "start"}, local=1)
    w.messages("record", records, local=2)
    end = t0 + n
    lap = {
        "timestamp": end,
        "start_time": t0,
        "total_elapsed_time": float(n),
        "total_timer_time": float(n),
        "total_distance": float(distance[-1]),
        "sport": "running",
        "event": "lap",
        "event_type": "stop",
    }
    w.message("lap", lap, local=3)
    w.message("event", {**timer, "timestamp": end, "event_type": "stop_all"}, local=1)
    session = {
        "timestamp": end,
        "start_time": t0,
        "total_elapsed_time": float(n),
        "total_timer_time": float(n),
        "total_distance": float(distance[-1]),
        "sport": "running",
        "sub_sport": "street",
    }
    w.message("session", session, local=4)
    values = {"timestamp": end, "total_timer_time": float(n), "num_sessions": 1}
    w.message("activity", {**values, "type": "manual", "event": "activity", "event_type": "stop"})
    return w.to_bytes()


def write(folder: Path, runs: list[Run]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k, run in enumerate(runs):
        path = folder / f"{run.start:%Y-%m-%d}-{k:03d}.fit"
        path.write_bytes(run_fit(run))
        paths.append(path)
    return paths


def days(week: int, day: int) -> datetime:
    return SEASON_START + timedelta(weeks=week, days=day)


def improving(weeks: int = 10, per_week: float = 1.0) -> Iterator[Run]:
    """Cadence rising ``per_week`` spm a week at a constant 3.0 m/s (truth: +1 spm a week)."""
    for week in range(weeks):
        for k, day in enumerate((0, 2, 4)):
            yield Run(
                days(week, day), 3.0, 165.0 + per_week * week + 0.4 * (k - 1), seed=100 * week + k
            )


def speed_only(weeks: int = 10) -> Iterator[Run]:
    """One personal line all season, cadence = 140 + 10·v, runs faster week by week: the raw
    median rises, the cadence at the reference speed does not (truth: steady)."""
    for week in range(weeks):
        base = 2.6 + 0.08 * week
        for k, (day, offset) in enumerate(((0, -0.3), (2, 0.0), (4, 0.35))):
            v = base + offset
            yield Run(days(week, day), v, 140.0 + 10.0 * v, seed=1000 + 100 * week + k)


def slug_safe(name: str) -> str:
    """A folder name for an athlete, as the CLI makes it."""
    from footfall.cli.outputs import slug

    return slug(name)
