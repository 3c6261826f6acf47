"""Broken GPX and TCX that real downloads and hostile users produce: each is read as far as
it can be, or refused with one line naming the file, never a traceback (issue 11)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import footfall
from footfall.errors import FootfallError, TruncatedFile
from samples.gpx_samples import gpx_document
from tests.conftest import SAMPLES

T0 = 1_714_550_400


def _gpx(n: int = 1200) -> bytes:
    t = T0 + np.arange(n, dtype=float)
    lat = 45.0 + np.cumsum(np.full(n, 3.0)) / 111_195.0
    extra = {"cad": np.full(n, 84), "hr": np.full(n, 150)}
    return gpx_document(t, lat, np.full(n, 5.0), extra=extra, sport_type="running")


@pytest.mark.parametrize("fraction", [0.31, 0.5, 0.77, 0.999])
def test_a_truncated_gpx_keeps_its_readable_points(tmp_path: Path, fraction: float) -> None:
    data = _gpx()
    path = tmp_path / "cut.gpx"
    path.write_bytes(data[: int(len(data) * fraction)])
    activity = footfall.read_activity(path)
    assert activity.duration_s == pytest.approx(1200 * fraction, abs=15)
    assert "damaged" in activity.warnings[0] and "ends early" in activity.warnings[0]
    with pytest.raises(TruncatedFile) as caught:
        footfall.read_activity(path, errors="strict")
    assert caught.value.partial is not None


def test_a_truncated_tcx_keeps_its_readable_points(tmp_path: Path) -> None:
    data = (SAMPLES / "unit_switch.tcx").read_bytes()
    path = tmp_path / "cut.tcx"
    path.write_bytes(data[: len(data) // 2])
    activity = footfall.read_activity(path)
    whole = footfall.read_activity(SAMPLES / "unit_switch.tcx")
    assert 0.3 * whole.duration_s < activity.duration_s < 0.7 * whole.duration_s
    assert "ends early" in activity.warnings[0]
    with pytest.raises(TruncatedFile):
        footfall.read_activity(path, errors="strict")


def test_a_tcx_with_an_unknown_encoding_is_read(tmp_path: Path) -> None:
    data = (SAMPLES / "unit_switch.tcx").read_bytes()
    data = re.sub(rb'encoding="[^"]+"', b'encoding="x-footfall-unknown"', data, count=1)
    if b"encoding=" not in data[:100]:
        data = data.replace(
            b'<?xml version="1.0"', b'<?xml version="1.0" encoding="x-footfall-unknown"', 1
        )
    path = tmp_path / "enc.tcx"
    path.write_bytes(data)
    activity = footfall.read_activity(path)
    assert activity.has("cadence_spm")
    assert any("x-footfall-unknown" in w for w in activity.warnings)


def test_a_gpx_with_a_24_hour_offset_loses_only_those_points(tmp_path: Path) -> None:
    data = _gpx()
    stamps = re.findall(rb"<time>[^<]+</time>", data)
    bad = stamps[600].replace(b"Z</time>", b"+25:00</time>")
    data = data.replace(stamps[600], bad, 1)
    path = tmp_path / "tz.gpx"
    path.write_bytes(data)
    try:
        activity = footfall.read_activity(path)
    except FootfallError as exc:  # gpxpy may refuse the offset itself: one line, no traceback
        assert "\n" not in str(exc) and str(path) in str(exc)
        return
    assert activity.duration_s == pytest.approx(1200, abs=2)


def test_tcx_trackpoints_without_time(tmp_path: Path) -> None:
    data = (SAMPLES / "unit_switch.tcx").read_bytes()
    data = re.sub(rb"<Time>[^<]*</Time>", b"", data)
    path = tmp_path / "notime.tcx"
    path.write_bytes(data)
    with pytest.raises(FootfallError, match="carry no time stamps"):
        footfall.read_activity(path)


def test_deeply_nested_gpx_extensions(tmp_path: Path) -> None:
    data = _gpx(600)
    deep = b"<x>" * 1500 + b"1" + b"</x>" * 1500
    data = data.replace(b"<gpxtpx:TrackPointExtension>", b"<gpxtpx:TrackPointExtension>" + deep, 1)
    path = tmp_path / "deep.gpx"
    path.write_bytes(data)
    try:
        activity = footfall.read_activity(path)
    except FootfallError as exc:
        assert str(path) in str(exc) and "\n" not in str(exc)
        return
    assert activity.has("cadence_spm")


def test_a_gpx_written_newest_first(tmp_path: Path) -> None:
    data = _gpx()
    head, *points = data.split(b"<trkpt ")
    last = points[-1]
    tail = last[last.index(b"</trkpt>") + len(b"</trkpt>") :]
    points[-1] = last[: last.index(b"</trkpt>") + len(b"</trkpt>")] + b"\n"
    reversed_points = list(reversed(points))
    body = b"<trkpt ".join([head, *reversed_points]) + tail
    path = tmp_path / "backwards.gpx"
    path.write_bytes(body)
    activity = footfall.read_activity(path)
    assert activity.duration_s == pytest.approx(1200, abs=2)
    assert any("newest first" in w for w in activity.warnings)
