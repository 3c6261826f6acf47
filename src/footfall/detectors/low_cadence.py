"""Low cadence: one finding that states both numbers and says which one sets its severity.

The runner's target (180 spm by default) is the headline: the finding always gives the median
against it. What is typical for the runner's speed and height, C_ref (science §1.2, §6.2),
then says whether being below the target matters now or is a direction for later:

- cadence low for the pace (§6.2 run flag): the pace reference sets the severity, "matters now";
- cadence right for the pace but below the target: "watch", a direction for later;
- no pace reference (no speed, no steady running, a treadmill without trusted speed): the gap
  to the target alone sets the severity.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from footfall.detectors.base import Context, clock, has_channels, windows_of
from footfall.model import Confidence, Finding, Severity, running
from footfall.reference import REFERENCE_HEIGHT_CM, c_ref, pace_text
from footfall.series.segments import Segment

NAME: str = "low_cadence"
NEEDS: tuple[str, ...] = ("cadence_spm",)
KIND: str = "form"
PRIORITY: int = 2  # rank among equal severities, form first [heuristic]
#: a flagged finding asks for the next cadence step of the plan (science §1.5)
CADENCE_STEP: bool = True

#: within this many spm of the target counts as on target: the +-3 spm watch alert band of
#: science §5 ("Watch cadence alert (target band +-3 spm)")
TARGET_BAND_SPM = 3.0
#: without a pace reference, a gap of more than 5 % of the target is "warning": +5 % is the
#: smallest step-rate change with measurable joint-load effects (science §1.3)
TARGET_WARNING_SHARE = 0.05
#: science §6.2: R >= 0.97 OK, 0.93-0.97 WATCH, < 0.93 LOW
R_OK = 0.97  # science §6.2
R_LOW = 0.93  # science §6.2
#: science §6.4: without height, WATCH widens to 0.91-0.97 (R < 0.91 is LOW)
R_LOW_NO_HEIGHT = 0.91
#: science §6.2: run-level LOW if >= 30 % of steady time (and >= 10 min) is LOW
RUN_FLAG_SHARE = 0.30  # science §6.2
RUN_FLAG_MIN_S = 600  # science §6.2
#: science §6.2: context only, the Luedke 2016 shin-injury association at <= 166 spm
LUEDKE_SPM = 166.0
MIN_RUNNING_S = 120  # below two minutes of running there is nothing to judge [heuristic]


def rule_text() -> str:
    """The rule, written from the constants above (docs/analysis-json.md quotes it)."""
    return (
        f"the median running cadence is compared with the target (within {TARGET_BAND_SPM:g} "
        "spm is on target, science §5) and, per steady segment, with C_ref for the speed "
        f"and height: R = cadence / C_ref, R >= {R_OK:g} fits the pace, {R_LOW:g}-{R_OK:g} "
        f"watch, below {R_LOW:g} low ({R_LOW_NO_HEIGHT:g} without a height, §6.4). Severity: "
        f"'warning' when >= {RUN_FLAG_SHARE:.0%} of steady time and >= {RUN_FLAG_MIN_S // 60} "
        f"min is low, 'watch' when >= {RUN_FLAG_SHARE:.0%} is watch or low (§6.2: below the "
        "target matters now); 'watch' when the cadence fits the pace but is below the target "
        "(a direction for later); without a pace reference, more than "
        f"{TARGET_WARNING_SHARE:.0%} below the target is 'warning' (§1.3), more than "
        f"{TARGET_BAND_SPM:g} spm below is 'watch'"
    )


@dataclass
class PaceVerdict:
    """Cadence against C_ref over the steady segments (science §6.2)."""

    severity: Severity
    speed_mps: float
    cadence_spm: float
    c_ref_spm: float
    steady_s: int
    low_s: int
    watch_s: int
    windows: list[tuple[float, float]]

    @property
    def ratio(self) -> float:
        return self.cadence_spm / self.c_ref_spm


def detect(series: pd.DataFrame, ctx: Context) -> list[Finding]:
    if not has_channels(series, NEEDS) or "state" not in series.columns:
        return []
    cad = series["cadence_spm"].to_numpy(dtype=float)[running(series)]
    cad = cad[np.isfinite(cad)]
    if cad.size < MIN_RUNNING_S:
        return []
    return [_finding(cad, series, ctx, against_pace(ctx))]


def ratio_class(r: float, has_height: bool) -> str:
    low = R_LOW if has_height else R_LOW_NO_HEIGHT
    if r >= R_OK:
        return "ok"
    return "watch" if r >= low else "low"


def against_pace(ctx: Context) -> PaceVerdict | None:
    """The §6.2 run-level verdict on C_ref, or None when there is no pace reference."""
    segments = [s for s in ctx.segments if not s.interval] or list(ctx.segments)
    if not segments:
        return None
    if ctx.activity.treadmill and ctx.speed_from_gps_positions:
        return None  # science §3.4: no trusted speed on a treadmill
    has_height = ctx.height_cm is not None
    classes = [
        ratio_class(s.cadence_spm / float(c_ref(s.speed_mps, ctx.height_cm)), has_height)
        for s in segments
    ]
    steady = sum(s.duration_s for s in segments)
    low_s = sum(s.duration_s for s, k in zip(segments, classes, strict=True) if k == "low")
    watch_s = sum(s.duration_s for s, k in zip(segments, classes, strict=True) if k != "ok")
    severity: Severity = "ok"
    if low_s >= RUN_FLAG_SHARE * steady and low_s >= RUN_FLAG_MIN_S:
        severity = "warning"
    elif watch_s >= RUN_FLAG_SHARE * steady:
        severity = "watch"
    v = float(np.median([s.speed_mps for s in segments]))
    return PaceVerdict(
        severity=severity,
        speed_mps=v,
        cadence_spm=float(np.median([s.cadence_spm for s in segments])),
        c_ref_spm=float(c_ref(v, ctx.height_cm)),
        steady_s=steady,
        low_s=low_s,
        watch_s=watch_s,
        windows=windows_of(_pick(segments, classes, ("low", "watch"))),
    )


def _severity_from_target(gap: float, target: float) -> Severity:
    if gap > TARGET_WARNING_SHARE * target:
        return "warning"
    return "watch" if gap > TARGET_BAND_SPM else "ok"


def _finding(
    cad: np.ndarray, series: pd.DataFrame, ctx: Context, pace: PaceVerdict | None
) -> Finding:
    target = ctx.target_spm
    median = float(np.median(cad))
    shown = round(median)  # one rounding for every sentence that names the median
    gap = target - median
    below_pct = 100.0 * float(np.mean(cad < target))
    on_target = gap <= TARGET_BAND_SPM
    head = f"Cadence {shown} spm" + (
        f", on your {target:.0f} target"
        if on_target
        else f": {gap:.0f} below your {target:.0f} target"
    )
    explanation = (
        f"Over {clock(cad.size)} of running your median cadence was {shown} steps/min; "
        f"{below_pct:.0f}% of that time was below your target of {target:.0f}."
    )
    confidence: Confidence = "high" if ctx.activity.cadence_trusted else "low"
    evidence: dict[str, object] = {
        "median_cadence_spm": round(median, 1),
        "target_spm": target,
        "gap_spm": round(gap, 1),
        "time_below_target_pct": round(below_pct, 1),
        "running_time_s": int(running(series).sum()),
    }
    windows: list[tuple[float, float]] = []
    if pace is None:
        severity = _severity_from_target(gap, target)
        severity_from = "target"
        title = head
        explanation += (
            " There is no pace reference for this run (no steady running with a trusted speed), "
            "so the gap to the target alone sets how much it matters."
        )
        if severity != "ok":
            windows = _below_windows(series, target)
    else:
        who = (
            "your height"
            if ctx.height_cm is not None
            else f"average height ({REFERENCE_HEIGHT_CM:.0f} cm)"
        )
        ref = round(pace.c_ref_spm)
        pace_words = (
            f"At {pace_text(pace.speed_mps)} runners of {who} typically use about {ref} spm "
            f"(C_ref, science §1.2); over {clock(pace.steady_s)} of steady running you ran "
            f"{round(pace.cadence_spm)} spm, {100 * pace.ratio:.0f}% of it."
        )
        evidence.update(
            {
                "pace_cadence_spm": round(pace.cadence_spm, 1),
                "median_speed_mps": round(pace.speed_mps, 3),
                "c_ref_spm": round(pace.c_ref_spm, 1),
                "ratio": round(pace.ratio, 3),
                "steady_time_s": pace.steady_s,
                "low_time_s": pace.low_s,
                "watch_or_low_time_s": pace.watch_s,
                "height_cm": ctx.height_cm,
            }
        )
        confidence = ctx.speed_confidence(treadmill_is_low=True)  # §3.4 treadmill speed
        if pace.severity != "ok":
            severity, severity_from = pace.severity, "pace"
            title = f"{head}, and low for your pace (about {ref} typical)"
            explanation += f" {pace_words} That is low for your pace, so it matters now."
            windows = pace.windows
        elif not on_target:
            severity, severity_from = "watch", "target"
            title = f"{head}; right for your pace (about {ref} typical)"
            explanation += (
                f" {pace_words} Your cadence fits your pace, so the target is a direction for "
                "later, not a problem now."
            )
            windows = _below_windows(series, target)
        else:
            severity, severity_from = "ok", "target"
            title = head
            explanation += f" {pace_words}"
        if ctx.height_cm is None:
            explanation += " With your height the pace reference would be sharper."
    if median <= LUEDKE_SPM:
        explanation += (
            f" For context: high-school runners at or below {LUEDKE_SPM:.0f} spm had more shin "
            "injuries in one season (Luedke 2016, an association, not proof of cause)."
        )
    if not ctx.activity.cadence_trusted:
        explanation += " The file's cadence unit was ambiguous, so treat this number with care."
    evidence["severity_from"] = severity_from
    # science §1.5 step 2: a low-cadence flag (against the pace) warrants a cadence block
    evidence["cadence_block"] = severity_from == "pace" and severity != "ok"
    return Finding(
        detector=NAME,
        severity=severity,
        confidence=confidence,
        title=title,
        explanation=explanation,
        evidence=evidence,
        windows=windows,
        rule=rule_text(),
        basis="target" if pace is None else "target_and_pace",
        references=[
            "Heiderscheit 2011",
            "van Oeveren wearable study",
            "Luedke 2016",
            "de Ruiter 2014",
        ],
    )


def _below_windows(series: pd.DataFrame, target: float) -> list[tuple[float, float]]:
    """Minutes of running whose median cadence is below the target band, merged."""
    cad = np.where(running(series), series["cadence_spm"].to_numpy(dtype=float), np.nan)
    minutes = len(cad) // 60
    # each whole minute sorted with its unknown seconds (NaN) last: the median of the k
    # known values is the middle of the first k, all minutes at once
    blocks = np.sort(np.where(np.isfinite(cad), cad, np.nan)[: minutes * 60].reshape(-1, 60))
    known = np.isfinite(blocks).sum(axis=1)
    rows = np.arange(minutes)
    middle = (blocks[rows, np.maximum(known - 1, 0) // 2] + blocks[rows, known // 2]) / 2
    with np.errstate(invalid="ignore"):
        below = (known >= 30) & (middle < target - TARGET_BAND_SPM)
    out: list[tuple[float, float]] = []
    for minute in np.flatnonzero(below):
        a = float(minute * 60)
        if out and out[-1][1] == a:
            out[-1] = (out[-1][0], a + 60.0)
        else:
            out.append((a, a + 60.0))
    return out


def _pick(segments: list[Segment], classes: list[str], keep: tuple[str, ...]) -> list[Segment]:
    return [s for s, k in zip(segments, classes, strict=True) if k in keep]
