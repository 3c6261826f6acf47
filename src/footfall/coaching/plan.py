"""The verdict (the one thing that matters most in a run) and the plan (each drill once, with
the findings it answers, and the next cadence step).

The verdict is the most important form finding, never a data-quality note: findings are
ranked by severity, then by their detector's kind (form before context) and priority.
"""

from __future__ import annotations

from typing import Any

from footfall.coaching.knowledge import drill_entries
from footfall.coaching.targets import next_step
from footfall.detectors import BY_NAME
from footfall.model import SEVERITY_ORDER, Finding

_KIND_ORDER = {"form": 0, "context": 1, "data": 2}


def _kind(f: Finding) -> str:
    """The detector's kind; a finding from an unknown detector counts as context."""
    module = BY_NAME.get(f.detector)
    return module.KIND if module is not None else "context"


def _rank(f: Finding) -> tuple[int, int, int]:
    module = BY_NAME.get(f.detector)
    priority = module.PRIORITY if module is not None else 99
    return (-SEVERITY_ORDER.get(f.severity, 0), _KIND_ORDER.get(_kind(f), 1), priority)


def verdict(findings: list[Finding], has_cadence: bool, emergency: bool) -> dict[str, Any]:
    """``{"severity", "detector", "title"}``: the finding the headline and the index show.

    ``detector`` is None when nothing needs work. Data-quality notes never become the
    verdict; their limits are stated in their own finding.
    """
    if emergency:
        return {
            "severity": "alert",
            "detector": "red_flags",
            "title": "Numbness in both feet: see a clinician before changing how you run",
        }
    candidates = [f for f in findings if f.severity != "ok" and _kind(f) != "data"]
    if candidates:
        best = sorted(candidates, key=_rank)[0]
        return {"severity": best.severity, "detector": best.detector, "title": best.title}
    title = "Nothing in this run needs work"
    if not has_cadence:
        title = "No form verdict: this file has no cadence"
    return {"severity": "ok", "detector": None, "title": title}


def _warranted(findings: list[Finding], knee_or_shin_history: bool) -> bool:
    """science §1.5 step 2: a cadence block is warranted when a detector says its finding
    calls for one (a low-cadence flag against the pace, an overstride score >= 50), or on a
    knee/shin history."""
    return knee_or_shin_history or any(f.evidence.get("cadence_block") is True for f in findings)


def _asks_for_cadence_step(f: Finding) -> bool:
    module = BY_NAME.get(f.detector)
    return module is not None and module.CADENCE_STEP


def plan(
    findings: list[Finding],
    median_cadence_spm: float | None,
    target_spm: float,
    *,
    knee_or_shin_history: bool = False,
    emergency: bool = False,
) -> dict[str, Any]:
    """Drills for every flagged finding, each drill once with the findings it answers, and
    the next cadence step; nothing at all next to an emergency red flag (science §4.3)."""
    if emergency:
        return {"next_step": None, "drills": [], "withheld": "red flag"}
    flagged = [f for f in findings if f.severity != "ok"]
    drills: dict[str, dict[str, Any]] = {}
    for finding in sorted(flagged, key=_rank):
        for drill in drill_entries(finding.detector):
            entry = drills.setdefault(drill["id"], {**drill, "for": []})
            entry["for"].append(finding.detector)
        finding.drills = [d["id"] for d in drill_entries(finding.detector)]
    step = None
    cadence_flagged = any(_asks_for_cadence_step(f) for f in flagged)
    if cadence_flagged and median_cadence_spm is not None:
        step = next_step(
            median_cadence_spm,
            target_spm,
            warranted=_warranted(flagged, knee_or_shin_history),
        )
    return {"next_step": step, "drills": list(drills.values())}
