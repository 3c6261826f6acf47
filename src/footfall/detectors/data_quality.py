"""Data quality (science §3.3-3.4): what limits trust in the other findings.

A note earns a severity ("watch") only when it limits what the report can claim: no cadence,
no speed, an undecided cadence unit, noisy GPS speed, a treadmill, no steady running, or a
large share of running time repaired. Small repairs (a few seconds of dropouts) are reported
with an "ok" severity: they are worth knowing, not worth a badge.
"""

from __future__ import annotations

import pandas as pd

from footfall.detectors.base import GPS_FLAGGED_LOW_CONFIDENCE, Context
from footfall.model import Finding

NAME: str = "data_quality"
NEEDS: tuple[str, ...] = ()
KIND: str = "data"
PRIORITY: int = 9  # rank among equal severities, form first [heuristic]

#: a share of running time with repaired or missing cadence above which medians and windows
#: are no longer the runner's own numbers [heuristic; science §3.3 interpolates gaps <= 5 s
#: and drops longer ones, this bounds how much of a run may rest on that]
REPAIRED_SHARE_LIMIT = 0.10

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
    activity = ctx.activity
    limits: list[str] = []
    repairs: list[str] = []
    evidence: dict[str, object] = {}
    missing = [label for col, label in FORM_CHANNELS.items() if not activity.has(col)]
    if missing:
        evidence["missing_channels"] = ", ".join(missing)
    if "cadence" in missing:
        limits.append("no cadence in this file, so no form findings: only context ones")
    if "speed" in missing:
        limits.append("no speed in this file, so cadence is judged against the target only")
    if ctx.gps_flagged_share > GPS_FLAGGED_LOW_CONFIDENCE:
        limits.append(
            f"{100 * ctx.gps_flagged_share:.0f}% of speed samples were GPS spikes: "
            "speed-based findings carry low confidence"
        )
    evidence["gps_flagged_pct"] = round(100 * ctx.gps_flagged_share, 1)
    if activity.treadmill:
        limits.append(
            "treadmill: wrist speed is estimated, so speed-based comparisons are weak "
            "(science §3.4)"
        )
    if not activity.cadence_trusted:
        limits.append("the cadence unit could not be decided from the values")
    if activity.has("cadence_spm") and "speed" not in missing and not ctx.segments:
        limits.append("no steady stretch of running was found, so speed-based checks were skipped")
    running_s = max(1, int(ctx.summary.get("running_time_s") or 0))
    interpolated = int(activity.quality.get("cadence_dropout_s", 0))
    lost = int(activity.quality.get("cadence_lost_s", 0))
    repaired_share = (interpolated + lost) / running_s
    evidence["cadence_repaired_pct"] = round(100 * repaired_share, 1)
    parts = []
    if interpolated:
        parts.append(f"{interpolated} s of cadence dropouts interpolated")
    if lost:
        parts.append(f"{lost} s of cadence lost by the sensor left out")
    if parts:
        text = " and ".join(parts) + f" ({100 * repaired_share:.1f}% of running time)"
        (limits if repaired_share > REPAIRED_SHARE_LIMIT else repairs).append(text)
    evidence["steady_segments"] = len(ctx.segments)
    rule = (
        "a note limits the report (watch) when the file has no cadence or no speed, the cadence "
        "unit is undecided, more than "
        f"{GPS_FLAGGED_LOW_CONFIDENCE:.0%} of speed samples are GPS spikes, it is a treadmill "
        "run, no steady running was found, or more than "
        f"{REPAIRED_SHARE_LIMIT:.0%} of running time has repaired cadence (science §3.3-3.4)"
    )
    if not limits:
        explanation = "Cadence and speed were present and steady stretches were found."
        if repairs:
            explanation += (
                " Small repairs that do not change the findings: " + "; ".join(repairs) + "."
            )
        return [
            Finding(
                detector=NAME,
                severity="ok",
                confidence="high",
                title="Data look sound",
                explanation=explanation,
                evidence=evidence,
                rule=rule,
                basis="data",
            )
        ]
    text = "; ".join(limits + repairs)
    return [
        Finding(
            detector=NAME,
            severity="watch",
            confidence="high",
            title="Limits of this file",
            explanation=text[:1].upper() + text[1:] + ".",
            evidence=evidence,
            rule=rule,
            basis="data",
        )
    ]
