"""Coaching: what findings mean for foot numbness, drills with dose, the progressive target,
red flags and the non-form checklist. Knowledge lives in knowledge.toml; logic stays small.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from footfall.coaching.knowledge import (
    checklist,
    drills_for,
    not_medical_advice,
    numbness_link,
    red_flags,
    reference_text,
)
from footfall.coaching.targets import next_step
from footfall.model import SEVERITY_ORDER, Finding

#: findings that get a next-step cadence target (the form findings of SCIENCE.md §6.2-6.3)
TARGETED = ("low_cadence", "overstride")


@dataclass
class Coaching:
    red_flags: list[dict[str, Any]] = field(default_factory=list)
    checklist: list[dict[str, Any]] = field(default_factory=list)
    references: list[dict[str, str]] = field(default_factory=list)
    next_focus: dict[str, Any] | None = None
    not_medical_advice: str = ""


def coach(
    findings: list[Finding],
    median_cadence_spm: float | None,
    target_spm: float,
    symptom: dict[str, Any] | None = None,
) -> Coaching:
    """Attach numbness links, drills and next steps to findings (in place)."""
    emergency = symptom is not None and symptom.get("side") == "both"
    for finding in findings:
        if finding.severity == "ok":
            continue
        finding.numbness_link = numbness_link(finding.detector)
        if emergency:
            continue  # SCIENCE.md §4.3: never drills or targets next to an emergency red flag
        finding.drills = drills_for(finding.detector)
        if finding.detector in TARGETED and median_cadence_spm is not None:
            finding.next_step = next_step(median_cadence_spm, target_spm)
    result = Coaching(
        red_flags=red_flags(),
        checklist=checklist(),
        not_medical_advice=not_medical_advice(),
    )
    keys: dict[str, None] = {}
    for finding in findings:
        keys.update(dict.fromkeys(finding.references))
        if finding.numbness_link:
            keys.update(dict.fromkeys(finding.numbness_link.get("references", [])))
    result.references = [
        {"key": key, "text": text} for key in keys if (text := reference_text(key)) is not None
    ]
    result.next_focus = _next_focus(findings, emergency)
    return result


def _next_focus(findings: list[Finding], emergency: bool) -> dict[str, Any] | None:
    if emergency:
        return {
            "title": "See a clinician first",
            "text": "Numbness in both feet: get it checked before changing how you run.",
            "detector": "red_flags",
        }
    flagged = [f for f in findings if f.severity != "ok" and f.detector != "data_quality"]
    if not flagged:
        return None
    # Form findings that a runner can act on come before context; then by severity.
    form_first = {"overstride": 0, "low_cadence": 1, "drift": 2}
    best = sorted(
        flagged,
        key=lambda f: (-SEVERITY_ORDER[f.severity], form_first.get(f.detector, 9)),
    )[0]
    text = best.next_step["text"] if best.next_step else best.explanation
    return {"title": best.title, "text": text, "detector": best.detector}
