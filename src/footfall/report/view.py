"""Analysis -> a plain view-model dict for the HTML templates (no HTML, no plotly here).

The stages stay separate (STYLE.md, ydata-profiling): the Analysis is computed once; this
module only picks and formats what the page shows, so every section can test for its own data
and degrade to a one-line note when it is missing.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from footfall.coaching.plan import verdict
from footfall.detectors.low_cadence import TARGET_BAND_SPM
from footfall.model import CHANNEL_UNITS, SEVERITY_ORDER, Analysis, Finding
from footfall.reference import REFERENCE_HEIGHT_CM
from footfall.report import formatting as fmt
from footfall.report.science import cited

_CONFIDENCE_ORDER = {"low": 0, "medium": 1, "high": 2}
_URGENCY_ORDER = {"emergency": 0, "urgent": 1, "clinician": 2}
URGENCY_TEXT = {
    "emergency": "Emergency: go now",
    "urgent": "Urgent: see a clinician soon",
    "clinician": "See a clinician",
}
#: how `Finding.basis` reads for a runner (science, "Product decision")
BASIS_TEXT = {
    "target": "your cadence target",
    "target_and_pace": "your cadence target, and what is typical for your speed and height",
    "speed_and_height": "what is typical for your speed and height",
    "speed": "what is typical for your speed",
    "running_dynamics": "running dynamics from the watch or pod",
    "cadence_and_speed": "cadence and speed only (no running dynamics)",
}
_HIDDEN_CHANNELS = {"timestamp", "state"}


def _stat(summary: dict[str, Any], key: str, stat: str = "median") -> float | None:
    block = summary.get(key)
    if isinstance(block, dict) and fmt.is_number(block.get(stat)):
        return float(block[stat])
    return None


def _finding_rank(f: Finding) -> tuple[int, int]:
    return (SEVERITY_ORDER.get(f.severity, 0), _CONFIDENCE_ORDER.get(f.confidence, 0))


def worst_severity(findings: list[dict[str, Any]] | list[Finding]) -> str | None:
    """The most severe finding's severity ('ok' … 'alert'), or None without findings."""
    levels = [f.severity if isinstance(f, Finding) else f.get("severity") for f in findings]
    known = [s for s in levels if s in SEVERITY_ORDER]
    return max(known, key=lambda s: SEVERITY_ORDER[s]) if known else None


def _overstride(findings: list[Finding]) -> dict[str, Any] | None:
    """The headline's score card: the first finding that carries a 0-100 ``score``."""
    for f in findings:
        if fmt.is_number(f.evidence.get("score")):
            score = f.evidence.get("score")
            return {
                "score": fmt.number(score, 0) if fmt.is_number(score) else None,
                "confidence": f.confidence,
                "severity": f.severity,
                "title": f.title,
            }
    return None


def _focus(analysis: Analysis, anchors: dict[int, str]) -> dict[str, Any] | None:
    """The verdict of the analysis (summary.verdict), as the headline shows it."""
    given = analysis.summary.get("verdict")
    if not isinstance(given, dict) or not given.get("title"):
        if not analysis.findings:
            return None
        emergency = (analysis.symptom or {}).get("side") == "both"
        given = verdict(analysis.findings, analysis.activity.has("cadence_spm"), emergency)
    detector = given.get("detector")
    step = analysis.plan.get("next_step") if isinstance(analysis.plan, dict) else None
    finding = next((f for f in analysis.findings if f.detector == detector), None)
    text = ""
    if detector is None:
        text = "Keep your current habits; the plots and checks below show why."
    elif finding is not None:
        text = finding.explanation
    return {
        "severity": str(given.get("severity") or "ok"),
        "title": str(given["title"]),
        "text": text,
        "detector": detector,
        "href": anchors.get(id(finding), "") if finding is not None else "",
        "step": str(step["text"]) if isinstance(step, dict) and step.get("text") else None,
    }


def headline(analysis: Analysis, anchors: dict[int, str] | None = None) -> dict[str, Any]:
    """The numbers at the top: cadence vs target, C_ref, time below, overstride, the verdict."""
    summary = analysis.summary
    target = fmt.as_float(summary.get("target_cadence_spm"))
    median = _stat(summary, "cadence_spm")
    gap = None
    status = None
    if median is not None and target is not None:
        gap = target - median
        status = "at" if gap <= 0 else ("near" if gap <= TARGET_BAND_SPM else "below")
    ref: dict[str, Any] | None = None
    c_ref = analysis.metrics.get("c_ref")
    if isinstance(c_ref, dict) and fmt.is_number(c_ref.get("c_ref_spm")):
        value = float(c_ref["c_ref_spm"])
        height = c_ref.get("height_cm")
        ref = {
            "value": fmt.number(value, 0),
            "pace": fmt.pace(c_ref.get("speed_mps")),
            "height": fmt.number(height if height is not None else REFERENCE_HEIGHT_CM, 0),
            "height_given": height is not None,
            "height_from_file": str(analysis.profile.get("height_source") or "").startswith("file"),
            "diff": None if median is None else fmt.number(abs(median - value), 0),
            "diff_raw": None if median is None else round(median - value, 1),
        }
    below = fmt.as_float(summary.get("time_below_target_pct"))
    return {
        "cadence": fmt.number(median, 0) if median is not None else None,
        "cadence_p10": fmt.number(_stat(summary, "cadence_spm", "p10"), 0),
        "cadence_p90": fmt.number(_stat(summary, "cadence_spm", "p90"), 0),
        "target": fmt.number(target, 0) if target is not None else "180",
        "gap": fmt.number(abs(gap), 0) if gap is not None else None,
        "status": status,
        "c_ref": ref,
        "time_below": fmt.percent(below) if below is not None else None,
        "time_below_raw": below,
        "overstride": _overstride(analysis.findings),
        "focus": _focus(analysis, anchors or {}),
        "cadence_trusted": analysis.activity.cadence_trusted,
    }


def _facts(analysis: Analysis) -> list[dict[str, str]]:
    s = analysis.summary
    distance = fmt.distance(s.get("distance_m"))
    device = s.get("device_distance_m")
    if fmt.is_number(device) and fmt.distance(device) != distance:
        distance += f" (the watch: {fmt.distance(device)})"
    rows = [
        ("Date", fmt.timestamp(s.get("start_time"))),
        ("Distance", distance),
        ("Median running pace", fmt.pace(_stat(s, "speed_mps"))),
        ("Median heart rate", fmt.number(_stat(s, "heart_rate_bpm"), 0) + " bpm"),
    ]
    return [{"label": k, "value": v} for k, v in rows if not v.startswith(fmt.DASH)]


def _times(analysis: Analysis) -> list[dict[str, str]]:
    """Elapsed, timer, moving and running time side by side, named as in the JSON summary
    (elapsed_time_s, timer_time_s, moving_time_s, running_time_s), each explained."""
    s = analysis.summary
    timer_note = (
        "what the watch's timer counted: its pauses left out"
        if s.get("timer_time_source") == "device"
        else "elapsed time less the pauses and gaps in the recording (no timer in the file)"
    )
    legs = " of the run legs" if analysis.activity.leg_spans else ""
    rows = [
        (
            "elapsed_time_s",
            "Elapsed time",
            f"from the first record to the last{legs}, pauses included",
        ),
        ("timer_time_s", "Timer time", timer_note),
        ("moving_time_s", "Moving time", "running and walking: the seconds you were not stopped"),
        ("running_time_s", "Running time", "at running cadence: walking and stops left out"),
    ]
    return [
        {"key": key, "label": label, "value": fmt.duration(s.get(key)), "note": note}
        for key, label, note in rows
        if fmt.is_number(s.get(key))
    ]


def _windows(windows: list[tuple[float, float]]) -> dict[str, Any] | None:
    if not windows:
        return None
    total = sum(max(0.0, float(b) - float(a)) for a, b in windows)
    shown = [f"{fmt.duration(a)}–{fmt.duration(b)}" for a, b in windows[:6]]
    return {
        "count": len(windows),
        "total": fmt.duration(total),
        "shown": shown,
        "more": max(0, len(windows) - len(shown)),
    }


def finding_view(
    f: Finding, ref_texts: dict[str, str], anchor: str, drill_names: dict[str, str]
) -> dict[str, Any]:
    link = f.numbness_link or None
    return {
        "anchor": anchor,
        "detector": f.detector,
        "severity": f.severity,
        "confidence": f.confidence,
        "title": f.title,
        "explanation": f.explanation,
        "evidence": fmt.evidence_rows(f.evidence),
        "windows": _windows(list(f.windows)),
        "rule": f.rule,
        "basis": f.basis,
        "basis_text": BASIS_TEXT.get(f.basis, f.basis),
        "numbness_link": (
            {
                "text": str(link.get("text") or ""),
                "grade": link.get("grade"),
                "status": link.get("status"),
            }
            if link
            else None
        ),
        "drills": [{"id": d, "name": drill_names[d]} for d in f.drills if d in drill_names],
        "references": [ref_texts.get(r, r) for r in f.references],
    }


def plan_view(analysis: Analysis, anchors: dict[str, list[tuple[str, str]]]) -> dict[str, Any]:
    """The plan section: the next cadence step once, then each drill once with the findings it
    answers (links to their cards)."""
    plan = analysis.plan if isinstance(analysis.plan, dict) else {}
    step = plan.get("next_step")
    drills = []
    for d in plan.get("drills") or []:
        answers = [link for name in d.get("for") or [] for link in anchors.get(name, [])]
        drills.append(
            {
                "id": str(d.get("id") or ""),
                "name": str(d.get("name") or ""),
                "dose": d.get("dose"),
                "progression": d.get("progression"),
                "evidence_grade": d.get("evidence_grade"),
                "reference": d.get("reference"),
                "answers": [{"href": href, "title": title} for href, title in answers],
            }
        )
    return {
        "next_step": (
            {
                "text": str(step.get("text") or ""),
                "current": fmt.spm(step.get("current_spm")),
                "target": fmt.spm(step.get("target_spm")),
                "progression": [fmt.spm(v) for v in step.get("progression_spm") or []],
                "warranted": bool(step.get("warranted", True)),
            }
            if isinstance(step, dict)
            else None
        ),
        "drills": drills,
        "withheld": plan.get("withheld"),
    }


def _red_flags(flags: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Red flags grouped by urgency (emergency first), each sign on one line with its details."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in sorted(flags, key=lambda r: _URGENCY_ORDER.get(str(r.get("urgency")), 9)):
        urgency = str(r.get("urgency") or "clinician")
        sign = str(r.get("sign") or "")
        groups.setdefault(urgency, []).append(
            {
                "short": str(r.get("short") or sign),
                "sign": sign,
                "suggests": r.get("suggests"),
                "action": r.get("action"),
            }
        )
    return [
        {"urgency": u, "urgency_text": URGENCY_TEXT.get(u, u), "flags": items}
        for u, items in groups.items()
    ]


def _symptom(symptom: dict[str, Any] | None) -> dict[str, Any] | None:
    if symptom is None:
        return None
    at = symptom.get("at_s")
    return {
        "at": fmt.duration(at) if fmt.is_number(at) else None,
        "side": symptom.get("side"),
        "text": symptom.get("text"),
        "observations": [str(o) for o in symptom.get("observations") or []],
    }


def _channels(analysis: Analysis) -> list[dict[str, str]]:
    activity = analysis.activity
    rows = []
    for column in activity.data.columns:
        if column in _HIDDEN_CHANNELS or column not in CHANNEL_UNITS:
            continue
        if not activity.has(column):
            continue
        src = activity.channels.get(column)
        rows.append(
            {
                "channel": column,
                "unit": CHANNEL_UNITS[column],
                "source": src.source if src else "derived",
                "stored_unit": src.stored_unit if src else "",
                "note": src.note if src else "",
            }
        )
    return rows


def _cited_texts(analysis: Analysis) -> list[str]:
    """Every text the page shows that may cite science sections."""
    texts = list(analysis.warnings)
    for f in analysis.findings:
        texts += [f.explanation, f.rule, str((f.numbness_link or {}).get("text") or "")]
    for d in (analysis.plan or {}).get("drills") or []:
        texts.append(str(d.get("reference") or ""))
    texts += [str(c.get("source") or "") for c in analysis.checklist]
    texts += [str(o) for o in (analysis.symptom or {}).get("observations") or []]
    return texts


def report_view(analysis: Analysis) -> dict[str, Any]:
    """Everything the report template shows, as plain strings, numbers, lists and dicts."""
    activity = analysis.activity
    source = activity.source
    ref_texts = {r.get("key", ""): r.get("text", "") for r in analysis.references}
    ranked = sorted(analysis.findings, key=_finding_rank, reverse=True)
    flagged = [f for f in ranked if f.severity != "ok"]
    anchors = {id(f): f"finding-{i}" for i, f in enumerate(flagged, start=1)}
    by_detector: dict[str, list[tuple[str, str]]] = {}
    for f in flagged:
        by_detector.setdefault(f.detector, []).append((anchors[id(f)], f.title))
    plan = analysis.plan if isinstance(analysis.plan, dict) else {}
    drill_names = {str(d.get("id")): str(d.get("name") or "") for d in plan.get("drills") or []}
    file_name = PurePath(source.path.partition("!")[2] or source.path).name
    return {
        "title": source.name or file_name,
        "file_name": file_name,
        "path": source.path,
        "format": source.format.upper(),
        "device": source.device,
        "sport": " / ".join(s for s in (source.sport, source.sub_sport) if s) or None,
        "treadmill": activity.treadmill,
        "legs": list(activity.legs),
        "facts": _facts(analysis),
        "times": _times(analysis),
        "has_cadence": activity.has("cadence_spm"),
        "headline": headline(analysis, {k: f"#{v}" for k, v in anchors.items()}),
        "findings": [finding_view(f, ref_texts, anchors[id(f)], drill_names) for f in flagged],
        "ok_findings": [
            finding_view(f, ref_texts, f"ok-{f.detector}", drill_names)
            for f in ranked
            if f.severity == "ok"
        ],
        "has_findings": bool(analysis.findings),
        "plan": plan_view(analysis, by_detector),
        "checklist": [
            {
                "item": str(c.get("item") or ""),
                "detail": c.get("detail"),
                "source": c.get("source"),
            }
            for c in analysis.checklist
        ],
        "red_flags": _red_flags(analysis.red_flags),
        "numbness_logged": analysis.symptom is not None,
        "symptom": _symptom(analysis.symptom),
        "warnings": [str(w) for w in analysis.warnings],
        "cadence_unit": activity.cadence_unit,
        "cadence_trusted": activity.cadence_trusted,
        "channels": _channels(analysis),
        "references": [
            {"key": str(r.get("key") or ""), "text": str(r.get("text") or "")}
            for r in analysis.references
        ],
        "cited_texts": _cited_texts(analysis),
        "science": science_appendix(_cited_texts(analysis)),
    }


def science_appendix(texts: list[str]) -> list[dict[str, Any]]:
    """The science sections cited anywhere in ``texts``, for the page's evidence appendix."""
    return [
        {"anchor": s.anchor, "number": s.number, "title": s.title, "html": s.html}
        for s in cited(texts)
    ]
