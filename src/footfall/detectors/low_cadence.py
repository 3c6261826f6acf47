"""Low cadence, judged two ways: against the runner's target (180 spm by default) and against
what is typical for their speed and height, C_ref (SCIENCE.md §6.2). Each finding says which
of the two it rests on (``basis``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from footfall.detectors.base import (
    Context,
    clock,
    has_channels,
    windows_of,
)
from footfall.model import Confidence, Finding, Severity
from footfall.reference import c_ref, pace_text
from footfall.series.segments import Segment

NAME: str = "low_cadence"
NEEDS: tuple[str, ...] = ("cadence_spm",)

#: within this many spm of the target counts as on target: the +-3 spm watch alert band of
#: SCIENCE.md §5 ("Watch cadence alert (target band +-3 spm)")
TARGET_BAND_SPM = 3.0
#: a gap of more than 5 % of the target is "warning": +5 % is the smallest step-rate change
#: with measurable joint-load effects (SCIENCE.md §1.3, Heiderscheit 2011)
TARGET_WARNING_SHARE = 0.05
#: SCIENCE.md §6.2: R >= 0.97 OK, 0.93-0.97 WATCH, < 0.93 LOW
R_OK = 0.97  # SCIENCE.md §6.2
R_LOW = 0.93  # SCIENCE.md §6.2
#: SCIENCE.md §6.4: without height, WATCH widens to 0.91-0.97 (R < 0.91 is LOW)
R_LOW_NO_HEIGHT = 0.91
#: SCIENCE.md §6.2: run-level LOW if >= 30 % of steady time (and >= 10 min) is LOW
RUN_FLAG_SHARE = 0.30  # SCIENCE.md §6.2
RUN_FLAG_MIN_S = 600  # SCIENCE.md §6.2
#: SCIENCE.md §6.2: context only, the Luedke 2016 shin-injury association at <= 166 spm
LUEDKE_SPM = 166.0
MIN_RUNNING_S = 120  # below two minutes of running there is nothing to judge [heuristic]


def detect(series: pd.DataFrame, ctx: Context) -> list[Finding]:
    if not has_channels(series, NEEDS) or "state" not in series.columns:
        return []
    running = series["state"].to_numpy() == "run"
    cad = series["cadence_spm"].to_numpy(dtype=float)[running]
    cad = cad[np.isfinite(cad)]
    if cad.size < MIN_RUNNING_S:
        return []
    findings = [_against_target(cad, series, ctx)]
    by_speed = _against_reference(ctx)
    if by_speed is not None:
        findings.append(by_speed)
    return findings


def _against_target(cad: np.ndarray, series: pd.DataFrame, ctx: Context) -> Finding:
    target = ctx.target_spm
    median = float(np.median(cad))
    gap = target - median
    below_pct = 100.0 * float(np.mean(cad < target))
    severity: Severity = "ok"
    if gap > TARGET_WARNING_SHARE * target:
        severity = "warning"
    elif gap > TARGET_BAND_SPM:
        severity = "watch"
    confidence: Confidence = "high" if ctx.activity.cadence_trusted else "low"
    title = (
        f"Cadence {median:.0f} spm, {gap:.0f} below your {target:.0f} target"
        if severity != "ok"
        else f"Cadence {median:.0f} spm, on your {target:.0f} target"
    )
    explanation = (
        f"Over {clock(cad.size)} of running your median cadence was {median:.0f} steps/min; "
        f"{below_pct:.0f}% of that time was below your target of {target:.0f}."
    )
    if median <= LUEDKE_SPM:
        explanation += (
            f" For context: high-school runners at or below {LUEDKE_SPM:.0f} spm had more shin "
            "injuries in one season (Luedke 2016, an association, not proof of cause)."
        )
    if not ctx.activity.cadence_trusted:
        explanation += " The file's cadence unit was ambiguous, so treat this number with care."
    running = series["state"].to_numpy() == "run"
    return Finding(
        detector=NAME,
        severity=severity,
        confidence=confidence,
        title=title,
        explanation=explanation,
        evidence={
            "median_cadence_spm": round(median, 1),
            "target_spm": target,
            "gap_spm": round(gap, 1),
            "time_below_target_pct": round(below_pct, 1),
            "running_time_s": int(running.sum()),
        },
        windows=_below_windows(series, target) if severity != "ok" else [],
        rule=(
            f"median running cadence more than {TARGET_BAND_SPM:.0f} spm below the target is "
            f"'watch' (SCIENCE.md §5 alert band), more than {100 * TARGET_WARNING_SHARE:.0f}% "
            "below is 'warning' (SCIENCE.md §1.3: +5% is the smallest effective change)"
        ),
        basis="target",
        references=["Heiderscheit 2011", "Luedke 2016", "Daniels' Running Formula"],
    )


def _below_windows(series: pd.DataFrame, target: float) -> list[tuple[float, float]]:
    """Minutes of running whose median cadence is below the target band, merged."""
    running = series["state"].to_numpy() == "run"
    cad = np.where(running, series["cadence_spm"].to_numpy(dtype=float), np.nan)
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


def ratio_class(r: float, has_height: bool) -> str:
    low = R_LOW if has_height else R_LOW_NO_HEIGHT
    if r >= R_OK:
        return "ok"
    return "watch" if r >= low else "low"


def _against_reference(ctx: Context) -> Finding | None:
    segments = [s for s in ctx.segments if not s.interval] or list(ctx.segments)
    if not segments:
        return None
    if ctx.activity.treadmill and ctx.speed_from_gps_positions:
        return None  # SCIENCE.md §3.4: no trusted speed on a treadmill
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
    spm = float(np.median([s.cadence_spm for s in segments]))
    ref = float(c_ref(v, ctx.height_cm))
    r = spm / ref
    who = "runners of your height" if has_height else "runners of average height (181 cm)"
    explanation = (
        f"{spm:.0f} spm at {pace_text(v)}; about {ref:.0f} is typical at that pace for "
        f"{who} (C_ref, SCIENCE.md §1.2), so you run at {100 * r:.0f}% of it over "
        f"{clock(steady)} of steady running."
    )
    if not has_height:
        explanation += " Give your height (--height) for a sharper reference."
    return Finding(
        detector=NAME,
        severity=severity,
        # SCIENCE.md §3.4: wrist speed on a treadmill is estimated
        confidence=ctx.speed_confidence(treadmill_is_low=True),
        title=(
            f"Cadence low for your pace: {spm:.0f} vs about {ref:.0f} spm"
            if severity != "ok"
            else f"Cadence fits your pace: {spm:.0f} vs about {ref:.0f} spm"
        ),
        explanation=explanation,
        evidence={
            "median_cadence_spm": round(spm, 1),
            "median_speed_mps": round(v, 3),
            "c_ref_spm": round(ref, 1),
            "ratio": round(r, 3),
            "steady_time_s": steady,
            "low_time_s": low_s,
            "watch_or_low_time_s": watch_s,
            "height_cm": ctx.height_cm,
        },
        windows=windows_of(_pick(segments, classes, ("low", "watch"))),
        rule=(
            "R = cadence / C_ref per steady segment; R >= 0.97 ok, "
            f"{R_LOW if has_height else R_LOW_NO_HEIGHT}-0.97 watch, below that low; warning "
            "when >= 30% of steady time and >= 10 min is low (SCIENCE.md §6.2, §6.4)"
        ),
        basis="speed_and_height",
        references=["van Oeveren wearable study", "Luedke 2016", "de Ruiter 2014"],
    )


def _pick(segments: list[Segment], classes: list[str], keep: tuple[str, ...]) -> list[Segment]:
    return [s for s, k in zip(segments, classes, strict=True) if k in keep]
