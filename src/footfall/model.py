"""The data footfall passes between stages: channels and units, Activity, Finding, Analysis.

The column names and units below are the data contract of DESIGN.md ("Units and channels"):
every reader produces them, every later stage relies on them, and the JSON states them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import pandas as pd

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
Severity = Literal["ok", "watch", "warning", "alert"]
Confidence = Literal["low", "medium", "high"]
SEVERITY_ORDER: dict[str, int] = {"ok": 0, "watch": 1, "warning": 2, "alert": 3}


@dataclass(frozen=True)
class ChannelSource:
    """Where a contract channel came from in the file, and in which unit it was stored."""

    source: str  # e.g. "record.stance_time" or "developer field 'Ground Time' (Stryd)"
    stored_unit: str  # unit as written in the file, e.g. "cm", "strides/min"
    note: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"source": self.source, "stored_unit": self.stored_unit, "note": self.note}


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
    container: str | None = None  # e.g. "export.zip!activities/1.fit.gz"

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


@dataclass
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
    cadence_trusted: bool = True  # False when the unit could not be decided (SCIENCE.md §3.1)
    quality: dict[str, int] = field(default_factory=dict)  # counts of what cleaning repaired

    @property
    def duration_s(self) -> float:
        return float(len(self.data))

    def has(self, channel: str) -> bool:
        """True when the channel exists and holds at least one value."""
        return channel in self.data.columns and bool(self.data[channel].notna().any())


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
    rule: str = ""  # the rule and threshold applied, with its source (§ of SCIENCE.md)
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


@dataclass
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
