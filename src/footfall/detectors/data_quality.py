"""Data quality (science §3.3-3.4): what limits trust in the other findings.

A note earns a severity ("watch") only when it limits what the report can claim: no cadence,
no speed, an undecided cadence unit, noisy GPS speed, a treadmill, no steady running, or a
large share of running time repaired. Small repairs (a few seconds of dropouts) are reported
with an "ok" severity: they are worth knowing, not worth a badge.
"""

from __future__ import annotations

import pandas as pd

from footfall.detectors.base import GPS_FLAGGED_LOW_CONFIDENCE, Context
from footfall.model import Finding, Severity

NAME: str = "data_quality"
NEEDS: tuple[str, ...] = ()
KIND: str = "data"
PRIORITY: int = 9  # rank among equal severities, form first [heuristic]
#: a flagged finding asks for the next cadence step of the plan (science §1.5)
CADENCE_STEP: bool = False

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


RULE = (
    "a note limits the report (watch) when the file has no cadence or no speed, the cadence "
    f"unit is undecided, more than {GPS_FLAGGED_LOW_CONFIDENCE:.0%} of speed samples are GPS "
    "spikes, it is a treadmill run, no steady running was found, or more than "
    f"{REPAIRED_SHARE_LIMIT:.0%} of running time has repaired cadence (science §3.3-3.4)"
)


def detect(series: pd.DataFrame, ctx: Context) -> list[Finding]:
    if series.empty:
        return []
    evidence: dict[str, object] = {}
    limits = _limits(ctx, evidence)
    repairs: list[str] = []
    repaired = _repaired(ctx, evidence)
    if repaired is not None:
        text, share = repaired
        (limits if share > REPAIRED_SHARE_LIMIT else repairs).append(text)
    evidence["steady_segments"] = len(ctx.segments)
    if not limits:
        explanation = "Cadence and speed were present and steady stretches were found."
        if repairs:
            explanation += " Small repairs that do not change the findings: "
            explanation += "; ".join(repairs) + "."
        return [_finding("ok", "Data look sound", explanation, evidence)]
    text = "; ".join(limits + repairs)
    return [_finding("watch", "Limits of this file", text[:1].upper() + text[1:] + ".", evidence)]


def _finding(severity: Severity, title: str, explanation: str, evidence: dict) -> Finding:
    return Finding(
        detector=NAME,
        severity=severity,
        confidence="high",
        title=title,
        explanation=explanation,
        evidence=evidence,
        rule=RULE,
        basis="data",
    )


def _limits(ctx: Context, evidence: dict[str, object]) -> list[str]:
    """What keeps the report from claiming all it could (science §3.3-3.4)."""
    activity = ctx.activity
    limits: list[str] = []
    missing = [label for col, label in FORM_CHANNELS.items() if not activity.has(col)]
    if missing:
        evidence["missing_channels"] = ", ".join(missing)
    if "cadence" in missing:
        limits.append("no cadence in this file, so no form findings: only context ones")
    if "speed" in missing:
        limits.append("no speed in this file, so cadence is judged against the target only")
    evidence["gps_flagged_pct"] = round(100 * ctx.gps_flagged_share, 1)
    if ctx.gps_flagged_share > GPS_FLAGGED_LOW_CONFIDENCE:
        limits.append(
            f"{100 * ctx.gps_flagged_share:.0f}% of speed samples were GPS spikes: "
            "speed-based findings carry low confidence"
        )
    if activity.treadmill:
        limits.append(
            "treadmill: wrist speed is estimated, so speed-based comparisons are weak "
            "(science §3.4)"
        )
    if not activity.cadence_trusted:
        limits.append("the cadence unit could not be decided from the values")
    if activity.has("cadence_spm") and "speed" not in missing and not ctx.segments:
        limits.append("no steady stretch of running was found, so speed-based checks were skipped")
    return limits


def _repaired(ctx: Context, evidence: dict[str, object]) -> tuple[str, float] | None:
    """Cadence seconds interpolated or left out, as a sentence and a share of running time."""
    running_s = max(1, int(ctx.summary.get("running_time_s") or 0))
    interpolated = int(ctx.activity.quality.get("cadence_dropout_s", 0))
    lost = int(ctx.activity.quality.get("cadence_lost_s", 0))
    share = (interpolated + lost) / running_s
    evidence["cadence_repaired_pct"] = round(100 * share, 1)
    parts = []
    if interpolated:
        parts.append(f"{interpolated} s of cadence dropouts interpolated")
    if lost:
        parts.append(f"{lost} s of cadence lost by the sensor left out")
    if not parts:
        return None
    return " and ".join(parts) + f" ({100 * share:.1f}% of running time)", share
