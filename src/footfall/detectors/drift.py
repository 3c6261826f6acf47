"""Late-run form drift (science §6.5): in the last 25 % of steady time, cadence relative to
C_ref falls >= 3 % against the first post-warm-up 25 %, at a speed within +-5 %."""

from __future__ import annotations

import pandas as pd

from footfall.detectors.base import Context, clock, has_channels
from footfall.metrics import DRIFT_SHARE, DRIFT_SPEED_MATCH
from footfall.model import Finding, Severity

NAME: str = "drift"
NEEDS: tuple[str, ...] = ("cadence_spm", "speed_mps")
KIND: str = "form"
PRIORITY: int = 3  # rank among equal severities, form first [heuristic]
#: a flagged finding asks for the next cadence step of the plan (science §1.5)
CADENCE_STEP: bool = False

DRIFT_PCT = -3.0  # science §6.5: R falls >= 3 %
RULE = (
    f"R = cadence / C_ref falls >= {-DRIFT_PCT:g}% in the last {DRIFT_SHARE:.0%} of steady time "
    f"against the first {DRIFT_SHARE:.0%} after warm-up, speed within +-{DRIFT_SPEED_MATCH:.0%} "
    "(science §6.5, grade C)"
)
GCT_RISE_MS = 10.0  # context only: a contact-time rise worth naming [heuristic]


def detect(series: pd.DataFrame, ctx: Context) -> list[Finding]:
    d = ctx.drift
    if not has_channels(series, NEEDS) or d is None:
        return []
    change = float(d["ratio_change_pct"])
    severity: Severity = "watch" if change <= DRIFT_PCT else "ok"
    gct = d.get("stance_time_ms_change")
    parts = [
        f"cadence went from {d['early_cadence_spm']:.0f} to {d['late_cadence_spm']:.0f} spm "
        f"({change:+.1f}% against the speed-typical value)"
    ]
    if gct is not None:
        parts.append(f"ground contact changed by {gct:+.0f} ms")
    matched = "at a matched speed" if d["speed_matched"] else "(speed differed by more than 5%)"
    explanation = (
        f"From the first quarter of steady running ({clock(d['early_window_s'][0])}–"
        f"{clock(d['early_window_s'][1])}) to the last ({clock(d['late_window_s'][0])}–"
        f"{clock(d['late_window_s'][1])}) {matched}: " + "; ".join(parts) + "."
    )
    if severity != "ok":
        explanation += (
            " Form that fades late in a run adds load just when feet are tired and swollen."
        )
    return [
        Finding(
            detector=NAME,
            severity=severity,
            confidence="medium" if d["speed_matched"] else "low",
            title="Cadence fades late in the run" if severity != "ok" else "Form holds to the end",
            explanation=explanation,
            evidence={
                "ratio_change_pct": change,
                "early_cadence_spm": d["early_cadence_spm"],
                "late_cadence_spm": d["late_cadence_spm"],
                "early_speed_mps": d["early_speed_mps"],
                "late_speed_mps": d["late_speed_mps"],
                "stance_time_change_ms": gct,
                "speed_matched": d["speed_matched"],
            },
            windows=[(float(d["late_window_s"][0]), float(d["late_window_s"][1]))]
            if severity != "ok"
            else [],
            rule=RULE,
            basis="speed_and_height",
            references=["Hanley & Mohan 2014", "Kasmer 2014", "Burns 2019"],
        )
    ]
