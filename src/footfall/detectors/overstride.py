"""Overstride score 0-100 from the components a file has (science §6.3), with the careful
GPX-only fallback of §6.4. A wrist never measures where the foot lands: findings speak of
"a pattern consistent with overstriding", never of overstriding as a measured fact.
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
from footfall.model import Finding, Severity
from footfall.reference import band_top, c_ref, pace_text
from footfall.series.segments import Segment

NAME: str = "overstride"
NEEDS: tuple[str, ...] = ("cadence_spm", "speed_mps")
KIND: str = "form"
PRIORITY: int = 1  # rank among equal severities, form first [heuristic]
#: a flagged finding asks for the next cadence step of the plan (science §1.5)
CADENCE_STEP: bool = True

# Component weights and scalings (science §6.3). c2 (step speed loss, HRM 600 only) and
# c3 (contact time vs the runner's own GCT(v) line) need >= 8 runs of history: a single file
# cannot supply them, so the weights are renormalised over c1 and c4.
W_STEP_LENGTH = 0.55  # c1
W_BOUNCE = 0.10  # c4, science §6.3
C1_START, C1_SPAN = 1.02, 0.08  # c1 = clamp((C_ref/spm - 1.02) / 0.08, 0, 1)
#: c4 = clamp((VR - 8.6) / 1.5, 0, 1): from the top of Garmin's green VR band (science §6.3)
C4_START, C4_SPAN = band_top("vertical_ratio_pct", "green"), 1.5
BAND_WATCH, BAND_LIKELY, BAND_STRONG = 30.0, 50.0, 70.0  # science §6.3 bands
MIN_FLAG_SEGMENTS, MIN_FLAG_S = 3, 600  # science §6.3: a flag needs >= 3 segments, >= 10 min
RULE = (
    f"score = 100 x weighted mean of c1 (step length excess at speed, w {W_STEP_LENGTH:g}) and "
    f"c4 (bounce, w {W_BOUNCE:g}) over the components present; < {BAND_WATCH:g} none, "
    f"{BAND_WATCH:g}-{BAND_LIKELY - 1:g} watch, >= {BAND_LIKELY:g} likely, >= {BAND_STRONG:g} "
    f"strong; a run flag needs >= {MIN_FLAG_SEGMENTS} segments totalling >= "
    f"{MIN_FLAG_S // 60} min above the band (science §6.3; GPX-only fallback §6.4)"
)


def component_c1(spm: float, speed: float, height_cm: float | None) -> float:
    r = float(c_ref(speed, height_cm)) / spm
    return float(np.clip((r - C1_START) / C1_SPAN, 0.0, 1.0))


def component_c4(vertical_ratio_pct: float | None) -> float | None:
    if vertical_ratio_pct is None:
        return None
    return float(np.clip((vertical_ratio_pct - C4_START) / C4_SPAN, 0.0, 1.0))


def segment_score(seg: Segment, height_cm: float | None, use_bounce: bool) -> tuple[float, dict]:
    c1 = component_c1(seg.cadence_spm, seg.speed_mps, height_cm)
    parts = {"c1_step_length": c1}
    weighted, weights = W_STEP_LENGTH * c1, W_STEP_LENGTH
    c4 = component_c4(seg.vertical_ratio_pct) if use_bounce else None
    if c4 is not None:
        parts["c4_bounce"] = c4
        weighted += W_BOUNCE * c4
        weights += W_BOUNCE
    return 100.0 * weighted / weights, parts


def detect(series: pd.DataFrame, ctx: Context) -> list[Finding]:
    if not has_channels(series, NEEDS):
        return []
    segments = [s for s in ctx.segments if not s.interval] or list(ctx.segments)
    if not segments or (ctx.activity.treadmill and ctx.speed_from_gps_positions):
        return []
    fallback = ctx.gps_only_file
    scored = [(s, *segment_score(s, ctx.height_cm, use_bounce=not fallback)) for s in segments]
    total = sum(s.duration_s for s in segments)
    run_score = sum(score * s.duration_s for s, score, _ in scored) / total
    severity = _severity(scored)
    if fallback and severity == "alert":
        severity = "warning"  # §6.4: cadence and speed alone are a hint, never the top band
    confidence = ctx.speed_confidence(treadmill_is_low=False)
    v = float(np.median([s.speed_mps for s in segments]))
    spm = float(np.median([s.cadence_spm for s in segments]))
    ref = float(c_ref(v, ctx.height_cm))
    vr = [s.vertical_ratio_pct for s in segments if s.vertical_ratio_pct is not None]
    mean_c1 = float(np.mean([p["c1_step_length"] for _, _, p in scored]))
    bounce = [p["c4_bounce"] for _, _, p in scored if "c4_bounce" in p]
    who = "your height" if ctx.height_cm is not None else "average height (181 cm)"
    top = (
        f"at {pace_text(v)} you averaged {spm:.0f} spm; runners of {who} typically use "
        f"~{ref:.0f} spm at that pace"
    )
    if bounce and np.mean(bounce) * W_BOUNCE > mean_c1 * W_STEP_LENGTH:
        top = f"vertical ratio {np.mean(vr):.1f}% (above Garmin's {C4_START:g}% green band)"
    if fallback:
        title = (
            "Cadence is low for your speed — a common sign of long strides"
            if severity != "ok"
            else "Cadence fits your speed: no sign of long strides"
        )
        wording = (
            f"Only cadence and speed are available, so footfall cannot see how your foot lands; "
            f"{top}. This is a hint, not a measurement."
        )
    else:
        title = {
            "ok": "No overstriding pattern",
            "watch": "Some signs of a long-stride pattern",
            "warning": "A pattern consistent with overstriding",
            "alert": "A strong pattern consistent with overstriding",
        }[severity]
        wording = f"Score {run_score:.0f}/100 over {clock(total)} of steady running; {top}."
    selected = [s for s, score, _ in scored if score >= BAND_WATCH]
    return [
        Finding(
            detector=NAME,
            severity=severity,
            confidence=confidence,
            title=title,
            explanation=wording,
            evidence={
                "score": round(run_score, 1),
                "c1_step_length": round(mean_c1, 3),
                "c4_bounce": round(float(np.mean(bounce)), 3) if bounce else None,
                "median_cadence_spm": round(spm, 1),
                "median_speed_mps": round(v, 3),
                "c_ref_spm": round(ref, 1),
                "vertical_ratio_pct": round(float(np.mean(vr)), 2) if vr else None,
                "segments": len(segments),
                "segments_above_watch": len(selected),
                "steady_time_s": total,
                "components_used": "c1" if fallback or not bounce else "c1+c4",
                # science §1.5 step 2: an overstride score >= 50 warrants a cadence block
                "cadence_block": run_score >= BAND_LIKELY,
            },
            windows=windows_of(selected),
            rule=RULE,
            basis="speed_and_height",
            references=["Lieberman 2015", "Heiderscheit 2011", "Wille 2014", "Napier 2018"],
        )
    ]


def _severity(scored: list[tuple[Segment, float, dict]]) -> Severity:
    for band, severity in ((BAND_STRONG, "alert"), (BAND_LIKELY, "warning"), (BAND_WATCH, "watch")):
        above = [s for s, score, _ in scored if score >= band]
        if len(above) >= MIN_FLAG_SEGMENTS and sum(s.duration_s for s in above) >= MIN_FLAG_S:
            return severity  # type: ignore[return-value]
    return "ok"
