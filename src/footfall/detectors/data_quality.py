"""Data quality (SCIENCE.md §3.3-3.4): what limits trust in the other findings."""

from __future__ import annotations

import pandas as pd

from footfall.detectors.base import GPS_FLAGGED_LOW_CONFIDENCE, Context
from footfall.model import Finding

NAME: str = "data_quality"
NEEDS: tuple[str, ...] = ()

FORM_CHANNELS = {
    "cadence_spm": "cadence",
    "speed_mps": "speed",
    "stance_time_ms": "ground-contact time",
    "vertical_oscillation_mm": "vertical oscillation",
    "step_length_m": "step length",
}


def detect(series: pd.DataFrame, ctx: Context) -> list[Finding]:
    if series.empty:
        return []
    issues: list[str] = []
    evidence: dict[str, object] = {}
    missing = [label for col, label in FORM_CHANNELS.items() if not ctx.activity.has(col)]
    if "cadence" in missing:
        issues.append("no cadence in this file, so no form findings: only context ones")
    if missing:
        evidence["missing_channels"] = ", ".join(missing)
    if ctx.gps_flagged_share > GPS_FLAGGED_LOW_CONFIDENCE:
        issues.append(
            f"{100 * ctx.gps_flagged_share:.0f}% of speed samples were GPS spikes: "
            "speed-based findings carry low confidence"
        )
    evidence["gps_flagged_pct"] = round(100 * ctx.gps_flagged_share, 1)
    if ctx.activity.treadmill:
        issues.append(
            "treadmill: wrist speed is estimated, so cadence is compared with your target only "
            "(SCIENCE.md §3.4)"
        )
    if not ctx.activity.cadence_trusted:
        issues.append("the cadence unit could not be decided from the values")
    if ctx.activity.has("cadence_spm") and not ctx.segments:
        issues.append("no steady stretch of running was found, so speed-based checks were skipped")
    dropouts = [w for w in ctx.activity.warnings if "dropouts" in w]
    if dropouts:
        issues.append(dropouts[0])
    evidence["steady_segments"] = len(ctx.segments)
    if not issues:
        return [
            Finding(
                detector=NAME,
                severity="ok",
                confidence="high",
                title="Data look sound",
                explanation="Cadence and speed were present and steady stretches were found.",
                evidence=evidence,
                rule="SCIENCE.md §3.3-3.4 checks",
                basis="data",
            )
        ]
    return [
        Finding(
            detector=NAME,
            severity="watch",
            confidence="high",
            title="Limits of this file",
            explanation="; ".join(issues) + ".",
            evidence=evidence,
            rule="SCIENCE.md §3.3 (noise, dropouts) and §3.4 (treadmill)",
            basis="data",
        )
    ]
