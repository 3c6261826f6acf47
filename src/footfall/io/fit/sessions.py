"""FIT summary messages: which sessions are runs, their legs, the device's timer and distance
totals, lap starts and timer pauses.

Every value comes from the file, so every value is checked for type and range before use: a
definition message may declare ``start_time`` as a string or an array, and a number may be
far outside any clock (those values are treated as missing, never fed to ``float()``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from footfall.errors import NotARun
from footfall.io.fit.messages import FIT_EPOCH_UNIX, FitMessages
from footfall.io.sport import is_run
from footfall.io.track import choose_outing

#: record.activity_type codes (FIT profile, enum `activity_type`)
ACTIVITY_TYPE_NAMES = {
    0: "generic",
    1: "running",
    2: "cycling",
    3: "transition",
    4: "fitness_equipment",
    5: "swimming",
    6: "walking",
    8: "sedentary",
}
#: FIT date_time is a uint32 of seconds (FIT profile, base type uint32)
MAX_FIT_TIME = 2**32 - 1
#: no session lasts longer than this; a larger total is a broken field [heuristic: ten days]
MAX_SESSION_S = 10 * 86_400.0


def number(value: Any) -> float | None:
    """A finite number from a file's field, or None (strings, arrays, booleans, NaN)."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        return None
    out = float(value)
    return out if math.isfinite(out) else None


def fit_time(msg: dict[str, Any], key: str) -> float | None:
    """A date_time field as UNIX seconds, or None when missing or not a FIT time."""
    raw = number(msg.get(key))
    if raw is None or not 0 <= raw <= MAX_FIT_TIME:
        return None
    return raw + FIT_EPOCH_UNIX


def duration(msg: dict[str, Any], key: str) -> float | None:
    value = number(msg.get(key))
    return value if value is not None and 0 < value <= MAX_SESSION_S else None


def text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


@dataclass
class RunSessions:
    """What the session messages say about the run legs kept."""

    sport: str | None = None
    sub_sport: str | None = None
    legs: list[str] = field(default_factory=list)
    spans: list[tuple[float, float]] = field(default_factory=list)  # UNIX, joined legs only
    timer_s: float | None = None  # sum of the kept sessions' total_timer_time
    distance_m: float | None = None  # sum of the kept sessions' total_distance


def file_sport(m: FitMessages) -> str | None:
    for source in (m.sessions, m.sports, m.laps):
        for msg in source:
            sport = text(msg.get("sport"))
            if sport is not None:
                return sport
    return None


def choose_run_sessions(
    m: FitMessages, unix: np.ndarray, keep: np.ndarray, path: str, notes: list[str]
) -> RunSessions:
    """Keep only the records of running sessions (``keep`` is narrowed in place); raise
    NotARun when there are none."""
    sessions = [s for s in m.sessions if fit_time(s, "start_time") is not None]
    if not sessions:
        sport = file_sport(m) or _activity_type_sport(m)
        if is_run(sport) is False:
            raise NotARun(path, str(sport))
        return RunSessions(sport, None, timer_s=_timer_from_events(m, float(np.nanmax(unix))))
    runs = [s for s in sessions if is_run(text(s.get("sport"))) is True]
    undecided = [s for s in sessions if is_run(text(s.get("sport"))) is None]
    if not runs and not undecided:
        names = ", ".join(dict.fromkeys(str(text(s.get("sport"))) for s in sessions))
        raise NotARun(path, names)
    chosen = runs or undecided
    if len(sessions) == 1:
        s = chosen[0]
        return RunSessions(
            text(s.get("sport")),
            text(s.get("sub_sport")),
            timer_s=duration(s, "total_timer_time")
            or _timer_from_events(m, float(np.nanmax(unix))),
            distance_m=number(s.get("total_distance")),
        )
    spans = [_span(s, unix) for s in chosen]
    picked, outing_note = choose_outing(spans)
    if outing_note:
        notes.append(outing_note)
    keep[:] = False
    out = RunSessions(
        text(chosen[picked[0]].get("sport")), text(chosen[picked[0]].get("sub_sport"))
    )
    timers, distances = [], []
    for i in picked:
        start, end = spans[i]
        keep |= (unix >= start) & (unix <= end)
        s = chosen[i]
        out.legs.append(f"{text(s.get('sport'))} leg {sessions.index(s) + 1} of {len(sessions)}")
        out.spans.append((start, end))
        timers.append(duration(s, "total_timer_time"))
        distances.append(number(s.get("total_distance")))
    out.timer_s = sum(t for t in timers if t is not None) if all(timers) else None
    out.distance_m = sum(d for d in distances if d is not None) if all(distances) else None
    return out


def _span(s: dict[str, Any], unix: np.ndarray) -> tuple[float, float]:
    start = fit_time(s, "start_time")
    assert start is not None  # sessions are filtered on it
    elapsed = duration(s, "total_elapsed_time") or duration(s, "total_timer_time")
    if elapsed is not None:
        return start, start + elapsed
    end = fit_time(s, "timestamp")
    if end is not None and end >= start:
        return start, end
    return start, float(np.nanmax(unix))


def _activity_type_sport(m: FitMessages) -> str | None:
    codes = m.records.get("activity_type")
    if codes is None:
        return None
    codes = codes[np.isfinite(codes)]
    if codes.size == 0:
        return None
    values, counts = np.unique(codes.astype(int), return_counts=True)
    return ACTIVITY_TYPE_NAMES.get(int(values[np.argmax(counts)]))


def lap_starts(m: FitMessages) -> list[float]:
    starts = [t for lap in m.laps if (t := fit_time(lap, "start_time")) is not None]
    return sorted(set(starts))


def timer_pauses(m: FitMessages) -> list[tuple[float, float]]:
    """Intervals between a timer stop and the next timer start (FIT `event` = timer)."""
    pauses: list[tuple[float, float]] = []
    stopped_at: float | None = None
    for ev in m.events:
        t = fit_time(ev, "timestamp")
        if ev.get("event") != "timer" or t is None:
            continue
        kind = str(ev.get("event_type"))
        if kind.startswith("stop"):
            if stopped_at is None:
                stopped_at = t
        elif kind == "start" and stopped_at is not None:
            if t > stopped_at:
                pauses.append((stopped_at, t))
            stopped_at = None
    return pauses


def _timer_from_events(m: FitMessages, last_record: float) -> float | None:
    """Timer time from the timer events alone (start ... stop, summed; a start never stopped
    runs to the last record), for files without a session message; None without events."""
    total = 0.0
    started: float | None = None
    seen = False
    for ev in m.events:
        t = fit_time(ev, "timestamp")
        if ev.get("event") != "timer" or t is None:
            continue
        seen = True
        kind = str(ev.get("event_type"))
        if kind == "start" and started is None:
            started = t
        elif kind.startswith("stop") and started is not None:
            total += max(0.0, t - started)
            started = None
    if started is not None:
        total += max(0.0, last_record - started)
    return total if seen and total > 0 else None
