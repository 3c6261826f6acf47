"""The athlete's own cadence-speed line B(v) (science §1.5 step 1) and reading it at a speed.

B(v) is fitted over the steady, non-interval segments of the last 4 weeks once there are at
least 5 runs and 20 steady minutes; a straight line over a narrow speed span, a quadratic when
the span exceeds 1 m/s. Before that, the cold start: B(v) = median easy cadence
+ 6.0·(v − v_easy), the population slope of science §1.2.

The slope is estimated *within* weeks (each week's segments centred on the week's own means)
whenever the weeks hold runs at different speeds: a runner whose cadence rises week after week
while they also get faster would otherwise see the progress read as the cadence-speed slope,
and the cadence at the reference speed would hide it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from footfall.metrics import MIN_SPEED_SPAN_MPS
from footfall.reference import SLOPE_SPM_PER_MPS
from footfall.season.facts import RunFacts, weighted_median

BASELINE_WEEKS = 4  # science §1.5 step 1: "the last 4 weeks"
BASELINE_MIN_RUNS = 5  # science §1.5 step 1
BASELINE_MIN_STEADY_S = 20 * 60  # science §1.5 step 1: 20 steady minutes
QUADRATIC_SPAN_MPS = 1.0  # science §1.5 step 1: quadratic when the span exceeds 1 m/s
#: within-week speed spread (SD) below which weeks hold one speed each and the slope is
#: fitted over the pooled window instead [heuristic: GPS speed noise on a steady run]
WITHIN_WEEK_SD_MPS = 0.15
#: slopes outside this range are not a person's cadence-speed line but noise or different
#: runners in one store: the population slope is used instead [heuristic: groups show
#: 5.6-7 spm per m/s (science §1.2); an individual at twice that is already rare]
PLAUSIBLE_SLOPE_SPM_PER_MPS = (0.0, 15.0)
#: one robust pass: segments further than this many MADs from the line are left out
#: [heuristic, the usual 3.5 of Iglewicz & Hoaglin's modified z-score]
OUTLIER_MADS = 3.5


@dataclass(frozen=True)
class Line:
    """A curve y(v) = level + b1·(v − centre) + b2·(v − centre)², evaluated inside the
    fitted speed span and extended straight (with the slope at the edge) outside it."""

    level: float
    b1: float
    b2: float
    centre: float
    lo: float
    hi: float
    method: str
    #: fitted | narrow_span (own level, population slope) | cold_start (science §1.5)
    kind: str = "fitted"

    def __call__(self, v: float | np.ndarray) -> np.ndarray:
        x = np.asarray(v, dtype=float)
        inside = np.clip(x, self.lo, self.hi)
        d = inside - self.centre
        y = self.level + self.b1 * d + self.b2 * d * d
        edge_slope = self.b1 + 2.0 * self.b2 * d
        return np.asarray(y + edge_slope * (x - inside), dtype=float)

    def at(self, v: float) -> float:
        return float(self(v))

    def slope_at(self, v: float) -> float:
        d = float(np.clip(v, self.lo, self.hi)) - self.centre
        return self.b1 + 2.0 * self.b2 * d

    def to_dict(self) -> dict[str, object]:
        def bound(v: float) -> float | None:
            return round(v, 2) if np.isfinite(v) else None

        return {
            "kind": self.kind,
            "method": self.method,
            "slope_spm_per_mps": round(self.b1, 2),
            "curvature": round(self.b2, 3),
            "speed_min_mps": bound(self.lo),
            "speed_max_mps": bound(self.hi),
        }


@dataclass
class Pooled:
    """Segments of several runs side by side, with each run's week number."""

    speed: np.ndarray
    value: np.ndarray
    seconds: np.ndarray
    week: np.ndarray

    @classmethod
    def of(cls, runs: Sequence[RunFacts], channel: str = "cadence") -> Pooled:
        parts = [(r, getattr(r, channel)) for r in runs]
        keep = [(r, v) for r, v in parts if v.size]
        if not keep:
            empty = np.zeros(0)
            return cls(empty, empty, empty, empty)
        speed = np.concatenate([r.speed for r, _ in keep])
        value = np.concatenate([v for _, v in keep])
        seconds = np.concatenate([r.seconds for r, _ in keep])
        week = np.concatenate([np.full(r.speed.size, r.monday.toordinal() // 7) for r, _ in keep])
        ok = np.isfinite(speed) & np.isfinite(value) & (seconds > 0)
        return cls(speed[ok], value[ok], seconds[ok], week[ok])


def _centred(values: np.ndarray, groups: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Each value minus the weighted mean of its group (weights > 0, as Pooled keeps)."""
    _, index = np.unique(groups, return_inverse=True)
    sums = np.bincount(index, weights=values * weights)
    totals = np.bincount(index, weights=weights)
    return np.asarray(values - (sums / totals)[index], dtype=float)


def _solve(columns: list[np.ndarray], y: np.ndarray, w: np.ndarray) -> np.ndarray:
    a = np.column_stack(columns) * np.sqrt(w)[:, None]
    coef, *_ = np.linalg.lstsq(a, y * np.sqrt(w), rcond=None)
    return np.asarray(coef, dtype=float)


def fit_line(
    pooled: Pooled, centre: float, quadratic_allowed: bool = True, plausible: bool = True
) -> Line | None:
    """The weighted least-squares line (or quadratic) through the segments, slope from within
    weeks when the weeks vary in speed, level = weighted median of what the slope leaves.
    None when the speeds span too little to carry a slope, or (``plausible``) the slope is
    outside PLAUSIBLE_SLOPE_SPM_PER_MPS."""
    v, y, w, g = pooled.speed, pooled.value, pooled.seconds, pooled.week
    if v.size < 3 or float(v.max() - v.min()) < MIN_SPEED_SPAN_MPS:
        return None
    span = float(v.max() - v.min())
    quadratic = quadratic_allowed and span > QUADRATIC_SPAN_MPS
    d = v - centre
    columns = [d, d * d] if quadratic else [d]
    within = _centred(d, g, w)
    sd = float(np.sqrt(np.average(within * within, weights=w)))
    how = "within weeks" if sd >= WITHIN_WEEK_SD_MPS else "pooled"
    if how == "within weeks":
        columns = [_centred(c, g, w) for c in columns]
        target = _centred(y, g, w)
    else:
        columns = [c - np.average(c, weights=w) for c in columns]
        target = y - np.average(y, weights=w)
    keep = np.ones(v.size, dtype=bool)
    for _ in range(2):  # fit, leave out the outliers, fit again
        coef = _solve([c[keep] for c in columns], target[keep], w[keep])
        residual = target - np.column_stack(columns) @ coef
        mad = float(np.median(np.abs(residual - np.median(residual)))) * 1.4826
        if mad <= 0:
            break
        keep = np.abs(residual) <= OUTLIER_MADS * mad
    b1 = float(coef[0])
    b2 = float(coef[1]) if quadratic else 0.0
    lo, hi = PLAUSIBLE_SLOPE_SPM_PER_MPS
    edges = (b1 + 2 * b2 * (float(v.min()) - centre), b1 + 2 * b2 * (float(v.max()) - centre))
    if plausible and not all(lo <= e <= hi for e in edges):
        return None
    level = weighted_median(y - b1 * d - b2 * d * d, w)
    shape = "quadratic" if quadratic else "line"
    return Line(
        level or 0.0,
        b1,
        b2,
        centre,
        float(v.min()),
        float(v.max()),
        f"{shape} fitted {how} over steady segments",
    )


def cold_start(pooled: Pooled, v_easy: float) -> Line:
    """science §1.5: median easy cadence + 6.0 spm per m/s around the easy speed."""
    level = weighted_median(pooled.value, pooled.seconds) if pooled.value.size else None
    return Line(
        level if level is not None else float("nan"),
        SLOPE_SPM_PER_MPS,
        0.0,
        v_easy,
        -np.inf,
        np.inf,
        "cold start: median easy cadence + population slope 6 spm per m/s (science §1.5)",
        "cold_start",
    )


def enough_for_baseline(runs: Sequence[RunFacts]) -> bool:
    """science §1.5 step 1: at least 5 runs and 20 steady minutes."""
    steady = sum(r.steady_s for r in runs if r.cadence.size)
    return sum(1 for r in runs if r.cadence.size) >= BASELINE_MIN_RUNS and (
        steady >= BASELINE_MIN_STEADY_S
    )


def baseline(runs: Sequence[RunFacts], v_easy: float) -> Line:
    """B(v) over ``runs`` (the last 4 weeks): fitted when there are enough of them and their
    speeds span enough, otherwise the cold start."""
    pooled = Pooled.of(runs)
    if enough_for_baseline(runs):
        fitted = fit_line(pooled, v_easy)
        if fitted is not None:
            return fitted
        line = cold_start(pooled, v_easy)
        return Line(
            line.level,
            line.b1,
            0.0,
            v_easy,
            -np.inf,
            np.inf,
            "own level + population slope 6 spm per m/s (speed span too narrow to fit a "
            "plausible line)",
            "narrow_span",
        )
    return cold_start(pooled, v_easy)


def contact_line(runs: Sequence[RunFacts], v_easy: float) -> Line | None:
    """The athlete's contact time against speed (a straight line), or None when the window
    has no contact time or too narrow a speed span; no population slope is published."""
    pooled = Pooled.of(runs, "stance_ms")
    if pooled.value.size < 3:
        return None
    return fit_line(pooled, v_easy, quadratic_allowed=False, plausible=False)


def at_speed(values: np.ndarray, speeds: np.ndarray, line: Line | None, v_ref: float) -> np.ndarray:
    """Each value moved along ``line`` to the reference speed: y + L(v_ref) − L(v); unmoved
    when there is no line."""
    if line is None:
        return np.asarray(values, dtype=float)
    return np.asarray(values + line.at(v_ref) - line(speeds), dtype=float)
