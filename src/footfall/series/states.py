"""Run / walk / stop state per second (science §3.2).

- stop: speed < 0.5 m/s or cadence 0, timer pauses and recording gaps, padded 5 s each side;
- run: cadence >= 140 spm held for 10 s enters, <= 130 spm held for 10 s leaves (hysteresis);
- walk: everything else that moves (60-130 spm at 0.5-2.2 m/s, or FIT activity_type walking).
Without cadence, speed alone decides (run from 2.2 m/s), which §3.2 warns is a poor
classifier (55-79 % accuracy): findings built on it carry low confidence.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from footfall.model import has_values

RUN_ENTER_SPM = 140.0  # PMID 37336086: 140 spm classified walk/run 91 % (science §3.2)
RUN_LEAVE_SPM = 130.0  # hysteresis lower edge (science §3.2 [heuristic])
HOLD_S = 10  # a state change must hold this long (science §3.2)
STOP_SPEED_MPS = 0.5  # science §3.2
RUN_SPEED_MPS = 2.2  # speed-only fallback, upper walking speed of §3.2
STOP_PAD_S = 5  # science §3.2: pad stops 5 s each side
#: at or above this speed a runner moves whatever the cadence sensor says [heuristic: GPS
#: drift while standing stays under it; slow walking (science §3.2, 0.5-2.2 m/s) is above]
MOVING_SPEED_MPS = 1.0
WALKING_ACTIVITY_TYPE = 6  # FIT profile: enum activity_type.walking


def stopped_seconds(frame: pd.DataFrame, pauses: list[tuple[int, int]] | None = None) -> np.ndarray:
    """Per second: stopped (slow, cadence 0 at a slow or unknown speed, a timer pause or a
    recording gap), before any padding. Moving time counts the rest (science §3.2)."""
    n = len(frame)
    speed = _col(frame, "speed_mps")
    cadence = _col(frame, "cadence_spm")
    stopped = np.zeros(n, dtype=bool)
    if speed is not None:
        stopped |= np.nan_to_num(speed, nan=0.0) < STOP_SPEED_MPS
        if cadence is not None:
            # A speed dropout while the feet keep running is not a stop.
            stopped &= ~(np.nan_to_num(cadence) >= RUN_ENTER_SPM)
    if cadence is not None:
        zero = np.nan_to_num(cadence, nan=-1.0) == 0
        if speed is None:
            stopped |= zero | np.isnan(cadence)
        else:
            # cadence 0 while the speed says the runner moves is a sensor that lost count
            # (missing data), not a stop: only a slow or unknown speed makes it one
            stopped |= zero & ~(np.nan_to_num(speed, nan=0.0) >= MOVING_SPEED_MPS)
    if speed is None and cadence is None:
        stopped[:] = True
    for a, b in pauses or []:
        stopped[max(a, 0) : min(b, n)] = True
    return stopped


def classify_states(frame: pd.DataFrame, pauses: list[tuple[int, int]] | None = None) -> np.ndarray:
    """Return an object array of 'run' / 'walk' / 'stop' for each second of ``frame``.

    Stops are padded by STOP_PAD_S each side: the padding keeps the analysis windows clear
    of the slow seconds around a stop; time accounting uses :func:`stopped_seconds`.
    """
    n = len(frame)
    if n == 0:
        return np.array([], dtype=object)
    speed = _col(frame, "speed_mps")
    cadence = _col(frame, "cadence_spm")
    stopped = _pad(stopped_seconds(frame, pauses), STOP_PAD_S)
    if cadence is not None and np.isfinite(cadence).any():
        running = _hysteresis(cadence, RUN_ENTER_SPM, RUN_LEAVE_SPM, HOLD_S)
        if speed is not None:
            # where the cadence sensor lost count, the speed decides (science §3.2's speed
            # fallback): a walk with a silent pod is a walk, not the run before it
            by_speed = _hysteresis(speed, RUN_SPEED_MPS, RUN_SPEED_MPS - 0.2, HOLD_S)
            unknown = np.isnan(cadence) & np.isfinite(speed)
            running = np.where(unknown, by_speed, running)
    elif speed is not None:
        running = _hysteresis(speed, RUN_SPEED_MPS, RUN_SPEED_MPS - 0.2, HOLD_S)
    else:
        running = np.zeros(n, dtype=bool)
    if "activity_type" in frame.columns:
        walking_type = frame["activity_type"].to_numpy() == WALKING_ACTIVITY_TYPE
        running &= ~walking_type
    state = np.where(stopped, "stop", np.where(running, "run", "walk")).astype(object)
    return state


def _col(frame: pd.DataFrame, name: str) -> np.ndarray | None:
    if not has_values(frame, name):
        return None
    return frame[name].to_numpy(dtype=float)


def _pad(mask: np.ndarray, pad: int) -> np.ndarray:
    if not mask.any() or pad <= 0:
        return mask
    kernel = np.ones(2 * pad + 1)
    # "full" then slice: "same" returns max(len(mask), len(kernel)) values for short masks
    full = np.convolve(mask.astype(float), kernel, mode="full")
    return full[pad : pad + len(mask)] > 0


def _hysteresis(values: np.ndarray, enter: float, leave: float, hold: int) -> np.ndarray:
    """True while in the high state; entering needs ``hold`` s >= enter, leaving ``hold`` s
    <= leave. Unknown values (NaN) neither enter nor leave.

    Entering marks the ``hold`` seconds that earned it, leaving clears the ``hold`` seconds
    that earned it. The walk jumps from one change of state to the next (a search in the
    sorted positions where entering or leaving is allowed), so it costs the number of
    changes, not the number of seconds."""
    n = len(values)
    above = np.nan_to_num(values, nan=-np.inf) >= enter
    below = np.nan_to_num(values, nan=np.inf) <= leave
    enters = np.flatnonzero(_held(above, hold))
    leaves = np.flatnonzero(_held(below, hold))
    out = np.zeros(n, dtype=bool)
    i = 0  # the first second not decided yet; the state there is "low"
    while i < n:
        k = int(np.searchsorted(enters, i))
        if k == len(enters):
            break
        on = int(enters[k])
        out[max(0, on - hold + 1) : on + 1] = True
        k = int(np.searchsorted(leaves, on + 1))
        if k == len(leaves):
            out[on:] = True
            break
        off = int(leaves[k])
        out[on : off + 1] = True
        out[max(0, off - hold + 1) : off + 1] = False
        i = off + 1
    return out


def _held(mask: np.ndarray, hold: int) -> np.ndarray:
    """True at i when mask held for the last ``hold`` samples (i-hold+1..i)."""
    if hold <= 1:
        return mask
    csum = np.concatenate([[0], np.cumsum(mask.astype(np.int64))])
    out = np.zeros(len(mask), dtype=bool)
    if len(mask) >= hold:
        window = csum[hold:] - csum[:-hold]
        out[hold - 1 :] = window == hold
    return out
