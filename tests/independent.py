"""An independent reading of running cadence, for cross-checking footfall's readers.

Deliberately simple and separate from footfall's code: fitdecode (not fitparse) for FIT,
plain ElementTree for GPX/TCX. Cadence is doubled when the file's values are stride-like,
held for up to 10 s between records (time-weighting), and the median is taken over the
seconds at running cadence (>= 140 spm, SCIENCE.md §3.2).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import fitdecode
import numpy as np

FIT_EPOCH = datetime(1989, 12, 31).timestamp()
RUN_SPM = 140.0
HOLD_S = 10


def _time_weighted(times: list[float], spm: list[float]) -> np.ndarray:
    if not times:
        return np.array([])
    order = np.argsort(times, kind="stable")
    t = np.asarray(times, dtype=float)[order]
    v = np.asarray(spm, dtype=float)[order]
    dt = np.diff(t, append=t[-1] + 1)
    weights = np.clip(np.where(dt <= HOLD_S, dt, 1), 0, HOLD_S).astype(int)
    return np.repeat(v, weights)


def _median_running(seconds: np.ndarray) -> float | None:
    running = seconds[np.isfinite(seconds) & (seconds >= RUN_SPM) & (seconds <= 240)]
    if running.size < 60:
        return None
    return float(np.median(running))


def fit_running_cadence(path: Path) -> float | None:
    sessions: list[tuple[float, float, str]] = []
    records: list[tuple[float, float]] = []
    with fitdecode.FitReader(str(path), check_crc=fitdecode.CrcCheck.DISABLED) as reader:
        try:
            for frame in reader:
                if not isinstance(frame, fitdecode.FitDataMessage):
                    continue
                if frame.name == "session":
                    start = frame.get_value("start_time", fallback=None)
                    elapsed = frame.get_value("total_elapsed_time", fallback=None)
                    sport = str(frame.get_value("sport", fallback=""))
                    if isinstance(start, datetime) and elapsed is not None:
                        s = start.timestamp()
                        sessions.append((s, s + float(elapsed), sport))
                elif frame.name == "record":
                    ts = frame.get_value("timestamp", fallback=None)
                    cad = frame.get_value("cadence", fallback=None)
                    if ts is None or cad is None:
                        continue
                    # a device without a clock writes seconds since power-on (FIT profile)
                    ts_s = ts.timestamp() if isinstance(ts, datetime) else float(ts)
                    frac = frame.get_value("fractional_cadence", fallback=None) or 0.0
                    records.append((ts_s, float(cad) + float(frac)))
        except fitdecode.FitError:
            pass  # damaged tail: keep what was read
    runs = [(a, b) for a, b, sport in sessions if sport == "running"]
    if runs and len(sessions) > 1:
        records = [r for r in records if any(a <= r[0] <= b for a, b in runs)]
    if not records:
        return None
    times, raw = zip(*records, strict=True)
    factor = 2.0 if np.median([r for r in raw if r > 0] or [0]) < 120 else 1.0
    return _median_running(_time_weighted(list(times), [r * factor for r in raw]))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def xml_running_cadence(path: Path) -> float | None:
    """GPX or TCX: <time>/<Time> and the first cadence-like element of each point."""
    text = path.read_bytes().lstrip(b"\xef\xbb\xbf \r\n\t")
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        # undeclared prefixes (Strava GPX): drop prefixes and parse again
        import re

        text = re.sub(rb"<(/?)[A-Za-z_][\w.-]*:", rb"<\1", text)
        root = ET.fromstring(text)
    is_tcx = _local(root.tag) == "TrainingCenterDatabase"
    point_tag = "Trackpoint" if is_tcx else "trkpt"
    times: list[float] = []
    cads: list[float] = []
    activities = [a for a in root.iter() if _local(a.tag) == "Activity"] if is_tcx else [root]
    if is_tcx:
        activities = [a for a in activities if a.get("Sport") == "Running"] or activities
    for container in activities:
        for point in container.iter():
            if _local(point.tag) != point_tag:
                continue
            t = c = None
            for child in point.iter():
                name = _local(child.tag)
                if name.lower() == "time" and child.text:
                    t = datetime.fromisoformat(child.text.strip().replace("Z", "+00:00"))
                elif name in ("RunCadence", "cad", "cadence", "Cadence") and c is None:
                    try:
                        c = float((child.text or "").strip())
                    except ValueError:
                        c = None
            if t is not None and c is not None:
                times.append(t.timestamp())
                cads.append(c)
    if not cads:
        return None
    factor = 2.0 if np.median([c for c in cads if c > 0] or [0]) < 120 else 1.0
    return _median_running(_time_weighted(times, [c * factor for c in cads]))


def running_cadence(path: Path) -> float | None:
    head = path.read_bytes()[:16]
    if head[8:12] == b".FIT":
        return fit_running_cadence(path)
    return xml_running_cadence(path)
