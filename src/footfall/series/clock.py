"""Device clocks that jump: an offset to repair, not a new activity (and not lost records).

A watch whose clock is set (GPS time arrives, a time zone changes, a battery swap resets it)
can jump by hours or days between two consecutive records of one recording. The records keep
coming at their usual interval on both sides, and the distance counter goes on: the runner did
not stop for days. Such a jump is removed from the timeline by shifting every later record;
a pause the timer recorded (a stop before the gap, a start after) is a real pause and stays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: a forward step longer than this between two records of one recording is a clock jump, not
#: a pause [heuristic: no one pauses a run for six hours and goes on in the same recording
#: without stopping the timer; shorter silences are left to the gap rules of resample.py]
FORWARD_JUMP_S = 6 * 3600
#: a backward step longer than this is a clock set back [heuristic: duplicate or reordered
#: records step back by a few seconds, and those are dropped record by record instead]
BACKWARD_JUMP_S = 300
#: records on each side that must follow at a recording's pace for the step to be a jump
#: [heuristic: fewer could be a lone garbage time stamp, which resample.py drops]
MIN_SIDE_RECORDS = 10
#: the longest ordinary interval between records (smart recording, science §3.3) [heuristic]
ORDINARY_STEP_S = 10.0


@dataclass(frozen=True)
class ClockJump:
    """Records from ``index`` (file order; ``at`` on the device's clock) on are moved back by
    ``shift`` seconds (negative when the clock was set back)."""

    index: int
    at: float
    shift: float


def find_clock_jumps(t: np.ndarray, pauses: list[tuple[float, float]]) -> list[ClockJump]:
    """The jumps in ``t`` (UNIX seconds in file order), first to last.

    A step is a jump when it is longer than :data:`FORWARD_JUMP_S` (or goes back by more than
    :data:`BACKWARD_JUMP_S`), at least :data:`MIN_SIDE_RECORDS` records on each side follow
    at an ordinary pace, and no timer pause spans it.
    """
    if t.size < 2 * MIN_SIDE_RECORDS:
        return []
    steps = np.diff(t)
    candidates = np.flatnonzero((steps > FORWARD_JUMP_S) | (steps < -BACKWARD_JUMP_S))
    jumps: list[ClockJump] = []
    for i in candidates:
        before = steps[max(0, i - MIN_SIDE_RECORDS) : i]
        after = steps[i + 1 : i + 1 + MIN_SIDE_RECORDS]
        if before.size < MIN_SIDE_RECORDS - 1 or after.size < MIN_SIDE_RECORDS - 1:
            continue
        if not (_ordinary(before) and _ordinary(after)):
            continue
        a, b = float(t[i]), float(t[i + 1])
        if any(p0 <= a + ORDINARY_STEP_S and p1 >= b - ORDINARY_STEP_S for p0, p1 in pauses):
            continue  # the timer was stopped across it: a real pause
        typical = float(np.median(np.concatenate([before, after])))
        jumps.append(ClockJump(int(i) + 1, b, float(steps[i]) - max(typical, 1.0)))
    return jumps


def _ordinary(steps: np.ndarray) -> bool:
    return bool(np.all((steps >= 0) & (steps <= ORDINARY_STEP_S)))


def offsets(n: int, jumps: list[ClockJump]) -> np.ndarray:
    """Per record (file order), the seconds to take off its time."""
    out = np.zeros(n)
    for jump in jumps:
        out[jump.index :] += jump.shift
    return out


def repair(t: np.ndarray, jumps: list[ClockJump]) -> np.ndarray:
    """``t`` (file order) with every record from each jump on moved back by its shift."""
    return np.asarray(t, dtype=float) - offsets(len(t), jumps)


def shift_times(values: list[float], t: np.ndarray, jumps: list[ClockJump]) -> list[float]:
    """Device times of laps or pauses, moved like the record nearest to each of them."""
    if not jumps or not values or t.size == 0:
        return list(values)
    shift = offsets(len(t), jumps)
    order = np.argsort(t, kind="stable")
    ts = t[order]
    out = []
    for value in values:
        k = int(np.clip(np.searchsorted(ts, value), 0, len(ts) - 1))
        if k > 0 and abs(ts[k - 1] - value) <= abs(ts[k] - value):
            k -= 1
        out.append(float(value - shift[order[k]]))
    return out
