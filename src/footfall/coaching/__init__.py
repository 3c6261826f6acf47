"""Coaching: what findings mean for foot numbness, the plan (drills with dose, the progressive
target), the verdict, red flags and the non-form checklist. Knowledge lives in knowledge.toml;
logic stays small.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from footfall.coaching.knowledge import (
    checklist,
    not_medical_advice,
    numbness_link,
    red_flags,
    reference_text,
)
from footfall.coaching.plan import plan, verdict
from footfall.model import Finding


@dataclass
class Coaching:
    """What coaching adds to the findings: red flags, checklist, plan and verdict."""

    red_flags: list[dict[str, Any]] = field(default_factory=list)
    checklist: list[dict[str, Any]] = field(default_factory=list)
    references: list[dict[str, str]] = field(default_factory=list)
    verdict: dict[str, Any] = field(default_factory=dict)
    plan: dict[str, Any] = field(default_factory=dict)
    not_medical_advice: str = ""


def coach(
    findings: list[Finding],
    median_cadence_spm: float | None,
    target_spm: float,
    symptom: dict[str, Any] | None = None,
    *,
    knee_or_shin_history: bool = False,
) -> Coaching:
    """Attach numbness links and drill ids to findings (in place); build the verdict and plan."""
    emergency = symptom is not None and symptom.get("side") == "both"
    for finding in findings:
        if finding.severity != "ok":
            finding.numbness_link = numbness_link(finding.detector)
    result = Coaching(
        red_flags=red_flags(),
        checklist=checklist(),
        not_medical_advice=not_medical_advice(),
        verdict=verdict(findings, median_cadence_spm is not None, emergency),
        plan=plan(
            findings,
            median_cadence_spm,
            target_spm,
            knee_or_shin_history=knee_or_shin_history,
            emergency=emergency,
        ),
    )
    keys: dict[str, None] = {}
    for finding in findings:
        keys.update(dict.fromkeys(finding.references))
        if finding.numbness_link:
            keys.update(dict.fromkeys(finding.numbness_link.get("references", [])))
    for drill in result.plan.get("drills", []):
        keys.update(dict.fromkeys(drill.get("references", [])))
    result.references = [
        {"key": key, "text": text} for key in keys if (text := reference_text(key)) is not None
    ]
    return result
