"""The data footfall passes between stages: channels and units, Activity, Finding, Analysis.

The column names and units below are the data contract of DESIGN.md ("Units and channels"):
every reader produces them, every later stage relies on them, and the JSON states them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import numpy as np
import pandas as pd

from footfall.errors import FootfallError

#: contract column -> unit. Absent channels are absent from the DataFrame, never zero-filled.
CHANNEL_UNITS: dict[str, str] = {
    "timestamp": "UTC datetime",
    "distance_m": "m",
    "speed_mps": "m/s",
    "cadence_spm": "steps/min (both feet)",
    "stance_time_ms": "ms",
    "stance_balance_left_pct": "% (left share)",
    "vertical_oscillation_mm": "mm",
    "vertical_ratio_pct": "%",
    "step_length_m": "m",
    "heart_rate_bpm": "beats/min",
    "power_w": "W",
    "temperature_c": "°C",
    "altitude_m": "m",
    "lat": "degrees",
    "lon": "degrees",
    "form_power_w": "W (Stryd Form Power)",
    "leg_spring_stiffness_kn_m": "kN/m (Stryd Leg Spring Stiffness)",
    "state": "run / walk / stop",
}

#: numeric channels summarised in the analysis JSON (contract name -> JSON key)
SUMMARY_CHANNELS: dict[str, str] = {
    "cadence_spm": "cadence_spm",
    "stance_time_ms": "stance_time_ms",
    "step_length_m": "step_length_m",
    "vertical_oscillation_mm": "vertical_oscillation_mm",
    "vertical_ratio_pct": "vertical_ratio_pct",
    "stance_balance_left_pct": "stance_balance_left_pct",
    "speed_mps": "speed_mps",
    "heart_rate_bpm": "heart_rate_bpm",
}

State = Literal["run", "walk", "stop"]
RUN: State = "run"
WALK: State = "walk"
STOP: State = "stop"


def has_values(frame: pd.DataFrame, column: str) -> bool:
    """True when ``frame`` has ``column`` and it holds at least one value (not NaN/None).

    Asked a few dozen times per analysis: numpy on the column's array, without the two
    pandas Series and the pandas reduction that ``frame[column].notna().any()`` builds."""
    if column not in frame.columns:
        return False
    values = frame[column].to_numpy()
    if values.dtype.kind == "f":
        return bool(values.size) and not bool(np.isnan(values).all())
    return bool(pd.notna(values).any())


def running(frame: pd.DataFrame) -> np.ndarray:
    """Per second of a cleaned series: True while running (science §3.2 states)."""
    return np.asarray(frame["state"].to_numpy() == RUN, dtype=bool)


def moving(frame: pd.DataFrame) -> np.ndarray:
    """Per second of a cleaned series: True while running or walking (not stopped)."""
    return np.asarray(frame["state"].to_numpy() != STOP, dtype=bool)


Severity = Literal["ok", "watch", "warning", "alert"]
Confidence = Literal["low", "medium", "high"]
SEVERITY_ORDER: dict[str, int] = {"ok": 0, "watch": 1, "warning": 2, "alert": 3}


@dataclass(frozen=True)
class ChannelSource:
    """Where a contract channel came from in the file, and in which unit it was stored."""

    source: str  # e.g. "record.stance_time" or "developer field 'Ground Time' (Stryd)"
    stored_unit: str  # unit as written in the file, e.g. "cm", "strides/min"
    note: str = ""
    derived: bool = False  # computed by footfall (speed from positions...), not recorded

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "stored_unit": self.stored_unit,
            "note": self.note,
            "derived": self.derived,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ChannelSource:
        return cls(
            str(data["source"]),
            str(data["stored_unit"]),
            str(data.get("note") or ""),
            bool(data.get("derived", False)),
        )


@dataclass
class SourceInfo:
    """What the file is: path, detected format, content hash, device, declared sport."""

    path: str
    format: str  # fit | gpx | tcx
    sha256: str
    device: str | None = None
    sport: str | None = None
    sub_sport: str | None = None
    name: str | None = None  # activity name from the file (untrusted text)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "format": self.format,
            "sha256": self.sha256,
            "device": self.device,
            "sport": self.sport,
            "sub_sport": self.sub_sport,
            "name": self.name,
        }


@dataclass(eq=False)  # holds series: == on them is identity (field-wise it would raise)
class Activity:
    """One run: metadata plus the cleaned 1 Hz series.

    ``data`` is indexed by whole elapsed seconds from the first record (``elapsed_s``) and
    holds the contract columns of :data:`CHANNEL_UNITS` that the file provides.
    """

    source: SourceInfo
    data: pd.DataFrame
    start_time: datetime | None
    channels: dict[str, ChannelSource] = field(default_factory=dict)
    cadence_unit: str | None = None  # how the file's cadence was interpreted, in words
    laps: list[float] = field(default_factory=list)  # lap boundaries, elapsed seconds
    pauses: list[tuple[int, int]] = field(default_factory=list)  # timer pauses / gaps, [a, b)
    legs: list[str] = field(default_factory=list)  # e.g. "run leg 2 of 5 (multisport)"
    warnings: list[str] = field(default_factory=list)
    treadmill: bool = False
    cadence_trusted: bool = True  # False when the unit could not be decided (science §3.1)
    quality: dict[str, int] = field(default_factory=dict)  # counts of what cleaning repaired
    #: seconds not stopped, before the stop padding that serves the analysis windows
    moving_time_s: int | None = None
    #: the device's timer time (FIT session / timer events, TCX laps), None when not recorded
    timer_time_s: float | None = None
    #: the device's own distance total (FIT session, TCX laps), None when not recorded
    device_distance_m: float | None = None
    #: run legs joined from a multisport or multi-session file, [start, end) elapsed seconds
    leg_spans: list[tuple[int, int]] = field(default_factory=list)
    #: the runner's height and weight as the file records them (FIT user_profile)
    athlete: dict[str, float] = field(default_factory=dict)

    @property
    def duration_s(self) -> float:
        return float(len(self.data))

    def has(self, channel: str) -> bool:
        """True when the channel exists and holds at least one value."""
        return has_values(self.data, channel)


@dataclass
class Finding:
    """One detector result. Detectors fill the numbers; coaching adds links and drills."""

    detector: str
    severity: Severity
    confidence: Confidence
    title: str
    explanation: str
    evidence: dict[str, Any] = field(default_factory=dict)
    windows: list[tuple[float, float]] = field(default_factory=list)
    rule: str = ""  # the rule and threshold applied, with its source (a § of docs/science.md)
    basis: str = ""  # what the finding rests on, e.g. "target" or "speed_and_height"
    numbness_link: dict[str, Any] | None = None
    drills: list[str] = field(default_factory=list)  # ids of the plan's drills it answers
    references: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "detector": self.detector,
            "severity": self.severity,
            "confidence": self.confidence,
            "title": self.title,
            "explanation": self.explanation,
            "evidence": self.evidence,
            "windows": [[float(a), float(b)] for a, b in self.windows],
            "rule": self.rule,
            "basis": self.basis,
            "numbness_link": self.numbness_link,
            "drills": self.drills,
            "references": self.references,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(
            detector=data["detector"],
            severity=data["severity"],
            confidence=data["confidence"],
            title=data["title"],
            explanation=data["explanation"],
            evidence=dict(data.get("evidence") or {}),
            windows=[(float(a), float(b)) for a, b in data.get("windows") or []],
            rule=data.get("rule") or "",
            basis=data.get("basis") or "",
            numbness_link=data.get("numbness_link"),
            drills=list(data.get("drills") or []),
            references=list(data.get("references") or []),
        )


#: the schema of :meth:`Analysis.to_dict` (docs/analysis-json.md)
ANALYSIS_SCHEMA = "footfall.analysis/1"


@dataclass(eq=False)  # holds series: == on them is identity (field-wise it would raise)
class Analysis:
    """Everything computed for one activity; the JSON and the HTML are both rendered from it."""

    activity: Activity
    summary: dict[str, Any]
    findings: list[Finding] = field(default_factory=list)
    red_flags: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    checklist: list[dict[str, Any]] = field(default_factory=list)
    plan: dict[str, Any] = field(default_factory=dict)  # {"next_step", "drills"} (coaching)
    symptom: dict[str, Any] | None = None
    profile: dict[str, Any] = field(default_factory=dict)
    segments: list[dict[str, Any]] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)
    references: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The analysis JSON of docs/analysis-json.md: plain, JSON-safe values (NaN -> null)."""
        activity = self.activity
        source = activity.source.to_dict()
        source["cadence_unit"] = activity.cadence_unit
        source["cadence_trusted"] = activity.cadence_trusted
        source["channels"] = {k: v.to_dict() for k, v in sorted(activity.channels.items())}
        source["legs"] = activity.legs
        source["treadmill"] = activity.treadmill
        out: dict[str, Any] = {
            "schema": ANALYSIS_SCHEMA,
            "source": source,
            "profile": self.profile,
            "summary": self.summary,
            "findings": [f.to_dict() for f in self.findings],
            "plan": self.plan,
            "red_flags": self.red_flags,
            "warnings": self.warnings,
            "checklist": self.checklist,
            "symptom": self.symptom,
            "segments": self.segments,
            "metrics": self.metrics,
            "references": self.references,
        }
        return json_safe(out)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Analysis:
        """An Analysis read back from its JSON. The series is not in the JSON: ``activity.data``
        is empty, and everything else (source, findings, plan, summary...) is as written."""
        if data.get("schema") != ANALYSIS_SCHEMA:
            raise ValueError(f"not a {ANALYSIS_SCHEMA} document: {data.get('schema')!r}")
        src = dict(data["source"])
        start = (data.get("summary") or {}).get("start_time")
        activity = Activity(
            source=SourceInfo(
                path=src["path"],
                format=src["format"],
                sha256=src["sha256"],
                device=src.get("device"),
                sport=src.get("sport"),
                sub_sport=src.get("sub_sport"),
                name=src.get("name"),
            ),
            data=pd.DataFrame(),
            start_time=datetime.fromisoformat(start) if start else None,
            channels={
                k: ChannelSource.from_dict(v) for k, v in (src.get("channels") or {}).items()
            },
            cadence_unit=src.get("cadence_unit"),
            legs=list(src.get("legs") or []),
            treadmill=bool(src.get("treadmill")),
            cadence_trusted=bool(src.get("cadence_trusted", True)),
        )
        return cls(
            activity=activity,
            summary=dict(data.get("summary") or {}),
            findings=[Finding.from_dict(f) for f in data.get("findings") or []],
            red_flags=list(data.get("red_flags") or []),
            warnings=list(data.get("warnings") or []),
            checklist=list(data.get("checklist") or []),
            plan=dict(data.get("plan") or {}),
            symptom=data.get("symptom"),
            profile=dict(data.get("profile") or {}),
            segments=list(data.get("segments") or []),
            metrics=dict(data.get("metrics") or {}),
            references=list(data.get("references") or []),
        )


def json_safe(value: Any) -> Any:
    """Plain JSON values: NaN and infinity become null, tuples lists, numpy scalars Python."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return json_safe(value.item())
    return value


@dataclass
class SessionResult:
    """What a batch returns for one file (or archive member): small, picklable, no series.

    ``analysis`` is the analysis JSON dict; ``error`` the reason there is none. Exactly one
    of the two is set.
    """

    source_path: str
    sha256: str | None = None
    analysis: dict[str, Any] | None = None
    error: FootfallError | None = None

    @property
    def ok(self) -> bool:
        return self.analysis is not None

    @property
    def skipped(self) -> bool:
        """Not a run: left out on purpose, which is not a failure."""
        return self.error is not None and self.error.kind == "not_a_run"

    def to_dict(self) -> dict[str, Any]:
        return {
            "source_path": self.source_path,
            "sha256": self.sha256,
            "analysis": self.analysis,
            "error": self.error.to_dict() if self.error is not None else None,
        }
