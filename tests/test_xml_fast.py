"""The streaming GPX and TCX readers (io/gpx_fast.py, io/tcx_fast.py) against the reference
readers (gpxpy, ElementTree), RawTrack for RawTrack.

Every GPX and TCX file of the real corpus and of sample_activities/ is read both ways: the fast
path must give what the reference gives (columns, values, warnings, metadata, damage, or the
same one-line error) or decline. Hypothesis writes GPX and TCX documents with the variations
exporters and hostile users produce (prefixes, missing fields, odd spacing, CDATA, comments,
entities, time zones, truncation) and checks the same.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from footfall.errors import FootfallError
from footfall.io.gpx import _read_fast, read_gpx
from footfall.io.registry import ReadOptions
from footfall.io.tcx import prepare, read_tcx
from footfall.io.tcx_fast import scan_tcx
from footfall.io.track import RawTrack
from footfall.io.xml_text import strip_bom
from tests.conftest import REAL, SAMPLES, real_corpus_rows

READERS = {"gpx": read_gpx, "tcx": read_tcx}
META = (
    "fmt",
    "channels",
    "cadence_hint",
    "sport",
    "sport_source",
    "sub_sport",
    "device",
    "name",
    "laps",
    "pauses",
    "legs",
    "warnings",
    "damage",
    "timer_time_s",
    "device_distance_m",
    "leg_spans",
)


def takes_fast_path(fmt: str, data: bytes) -> bool:
    if fmt == "tcx":
        return scan_tcx(prepare(data, "x")[0]) is not None
    try:
        return _read_fast(strip_bom(data).lstrip(), "x") is not None
    except FootfallError:  # the fast path read the points; the assembly refused the file
        return True


def _read(fmt: str, data: bytes, fast: bool) -> RawTrack | str:
    try:
        return READERS[fmt](data, "file.xml", ReadOptions(fast=fast))
    except FootfallError as exc:
        return f"{type(exc).__name__}: {exc}"


def assert_same(fmt: str, data: bytes) -> bool:
    """Read both ways and compare; whether the fast path read the file."""
    ref = _read(fmt, data, fast=False)
    fast = _read(fmt, data, fast=True)
    if isinstance(ref, str) or isinstance(fast, str):
        assert fast == ref
        return False
    pd.testing.assert_frame_equal(fast.samples, ref.samples, check_exact=False, rtol=1e-12)
    for name in META:
        assert getattr(fast, name) == getattr(ref, name), name
    return True


def _files(folder: Path, suffix: str) -> list[Any]:
    files = sorted(p for p in folder.rglob(f"*{suffix}") if p.is_file()) if folder.exists() else []
    if not files:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"no {suffix} in {folder}"))]
    marks = [pytest.mark.corpus] if folder == REAL else []
    return [pytest.param(p, id=str(p.relative_to(folder)), marks=marks) for p in files]


@pytest.mark.parametrize("path", _files(REAL, ".gpx") + _files(SAMPLES, ".gpx"))
def test_gpx_file_reads_the_same_both_ways(path: Path) -> None:
    read = assert_same("gpx", path.read_bytes())
    if SAMPLES in path.parents:  # footfall's own samples are plain: never declined
        assert read and takes_fast_path("gpx", path.read_bytes())


@pytest.mark.parametrize("path", _files(REAL, ".tcx") + _files(SAMPLES, ".tcx"))
def test_tcx_file_reads_the_same_both_ways(path: Path) -> None:
    read = assert_same("tcx", path.read_bytes())
    if SAMPLES in path.parents:
        assert read and takes_fast_path("tcx", path.read_bytes())


@pytest.mark.corpus
@pytest.mark.parametrize("fmt", ["gpx", "tcx"])
def test_most_corpus_files_take_the_fast_path(fmt: str) -> None:
    rows = [r for r in real_corpus_rows() if r["format"] == fmt]
    if not rows:
        pytest.skip(f"real corpus not found at {REAL}")
    declined = [
        r["path"] for r in rows if not takes_fast_path(fmt, (REAL / r["path"]).read_bytes())
    ]
    summary = f"{fmt} fast path: {len(rows) - len(declined)} of {len(rows)}; declined: {declined}"
    print(summary)
    assert len(declined) <= 0.15 * len(rows), summary


# --- damaged files take the fast path through the same repairs --------------------------
@pytest.mark.parametrize(
    ("name", "fraction"), [("gpx_cadence_only.gpx", 0.5), ("unit_switch.tcx", 0.6)]
)
def test_a_truncated_file_is_repaired_the_same_way(name: str, fraction: float) -> None:
    path = SAMPLES / name
    if not path.exists():
        pytest.skip("sample_activities/ not generated")
    data = path.read_bytes()
    cut = data[: int(len(data) * fraction)]
    fmt = name.rsplit(".", 1)[1]
    assert takes_fast_path(fmt, cut)
    assert assert_same(fmt, cut)
    fast = READERS[fmt](cut, "cut", ReadOptions(fast=True))
    assert fast.damage and fast.damage[0][0] == "truncated"


def test_an_undeclared_prefix_is_repaired_the_same_way() -> None:
    points = "".join(
        f'<trkpt lat="45.{i:04d}" lon="5.0"><time>2024-05-01T10:{i // 60:02d}:{i % 60:02d}Z'
        f"</time><extensions><gpxdata:cadence>{80 + i % 5}</gpxdata:cadence></extensions>"
        "</trkpt>"
        for i in range(600)
    )
    data = (
        '<?xml version="1.0" encoding="UTF-8"?><gpx version="1.1" creator="StravaGPX" '
        f'xmlns="http://www.topografix.com/GPX/1/1"><trk><type>9</type><trkseg>{points}'
        "</trkseg></trk></gpx>"
    ).encode()
    assert takes_fast_path("gpx", data)
    assert assert_same("gpx", data)
    track = read_gpx(data, "strava.gpx")
    assert track.cadence_hint is not None
    assert track.cadence_hint.source == "GPX extension <urn:footfall:undeclared:gpxdata:cadence>"
    np.testing.assert_array_equal(track.samples["cadence_raw"][:5], [80, 81, 82, 83, 84])


# --- generated documents ----------------------------------------------------------------
T0 = 1_714_550_400  # 2024-05-01T08:00:00Z
SPACE = st.sampled_from(["", " ", "\n", "\r\n", "\n    ", "\t"])


def _stamp(draw: st.DrawFn, i: int) -> str:
    whole = np.datetime64(T0 + i * draw(st.integers(1, 5)), "s").astype(str)
    fraction = draw(st.sampled_from(["", ".0", ".000", ".855", ".1234567", ".123456789"]))
    zone = draw(st.sampled_from(["Z", "Z", "+00:00", "+02:00", "-05:30", "", "+25:00"]))
    return f"{whole}{fraction}{zone}"


def _value(draw: st.DrawFn, number: float) -> str:
    """A number as exporters write it, or something odd."""
    kind = draw(st.sampled_from(["plain"] * 6 + ["spaced", "cdata", "entity", "empty", "junk"]))
    text = f"{number:.6g}"
    return {
        "plain": text,
        "spaced": f" {text}\n",
        "cdata": f"<![CDATA[{text}]]>",
        "entity": f"&#{ord(text[0])};{text[1:]}",
        "empty": "",
        "junk": "n/a",
    }[kind]


@st.composite
def gpx_documents(draw: st.DrawFn) -> bytes:
    prefix = draw(st.sampled_from(["gpxtpx", "ns3", "x"]))
    version = draw(st.sampled_from(["1.1", "1.1", "1.0"]))
    sp = draw(SPACE)
    points = []
    for i in range(draw(st.integers(1, 30))):
        parts = []
        if draw(st.booleans()):
            parts.append(f"<ele>{_value(draw, 200 + i / 10)}</ele>")
        if draw(st.integers(0, 9)):
            parts.append(f"<time>{_stamp(draw, i)}</time>")
        if version == "1.0" and draw(st.booleans()):
            parts.append(f"<speed>{_value(draw, 3.1)}</speed>")
        ext = []
        if draw(st.booleans()):
            ext.append(f"<{prefix}:hr>{_value(draw, 140 + i)}</{prefix}:hr>")
        if draw(st.booleans()):
            ext.append(f"<{prefix}:cad>{_value(draw, 84)}</{prefix}:cad>")
        inner = sp.join(ext)
        if draw(st.booleans()):
            inner = f"<{prefix}:TrackPointExtension>{inner}</{prefix}:TrackPointExtension>"
        if draw(st.booleans()):
            inner = f"<power>{_value(draw, 250)}</power>{sp}{inner}"
        if ext or draw(st.booleans()):
            parts.append(f"<extensions>{inner}</extensions>")
        if draw(st.integers(0, 12)) == 0:
            parts.append("<!-- a comment -->")
        parts = draw(st.permutations(parts)) if draw(st.integers(0, 5)) == 0 else parts
        lat, lon = f'lat="{45 + i * 1e-4:.6f}"', f'lon="{5 + i * 1e-4:.6f}"'
        attrs = f"{lat} {lon}" if draw(st.integers(0, 5)) else f"{lon}  {lat}"
        points.append(f"<trkpt {attrs}>{sp}{sp.join(parts)}{sp}</trkpt>")
    declare = draw(st.integers(0, 5)) > 0
    head = (
        f'<?xml version="1.0" encoding="UTF-8"?>{sp}<gpx version="{version}" creator="gen" '
        f'xmlns="http://www.topografix.com/GPX/1/{version[-1]}"'
        + (
            f' xmlns:{prefix}="http://www.garmin.com/xmlschemas/TrackPointExtension/v1"'
            if declare
            else ""
        )
        + f">{sp}<trk><name>{draw(st.sampled_from(['Run', 'Morning Run', 'A &amp; B', 'Ride']))}"
        f"</name><type>{draw(st.sampled_from(['running', '9', '1']))}</type>{sp}<trkseg>{sp}"
    )
    data = (head + sp.join(points) + f"{sp}</trkseg></trk>{sp}</gpx>{sp}").encode()
    if draw(st.integers(0, 6)) == 0:
        data = data[: draw(st.integers(len(head), len(data)))]
    return data


def _trackpoint(draw: st.DrawFn, t: int, q: str, sp: str) -> str:
    parts = []
    if draw(st.integers(0, 9)):
        parts.append(f"<Time>{_stamp(draw, t)}</Time>")
    if draw(st.booleans()):
        parts.append(
            f"<Position><LatitudeDegrees>{45 + t * 1e-4:.6f}</LatitudeDegrees>{sp}"
            f"<LongitudeDegrees>{_value(draw, 5.5)}</LongitudeDegrees></Position>"
        )
    if draw(st.booleans()):
        parts.append(f"<DistanceMeters>{_value(draw, t * 3.0)}</DistanceMeters>")
    if draw(st.booleans()):
        parts.append(f"<HeartRateBpm><Value>{_value(draw, 150)}</Value></HeartRateBpm>")
    if draw(st.booleans()):
        parts.append(f"<Cadence>{_value(draw, 85)}</Cadence>")
    ext = []
    if draw(st.booleans()):
        ext.append(f"<{q}Speed>{_value(draw, 3.2)}</{q}Speed>")
    if draw(st.booleans()):
        ext.append(f"<{q}RunCadence>{_value(draw, 86)}</{q}RunCadence>")
    if ext:
        decl = ' xmlns="http://www.garmin.com/xmlschemas/ActivityExtension/v2"' if not q else ""
        parts.append(f"<Extensions><{q}TPX{decl}>{sp.join(ext)}</{q}TPX></Extensions>")
    if draw(st.integers(0, 12)) == 0:
        parts.append("<!-- c -->")
    parts = draw(st.permutations(parts)) if draw(st.integers(0, 6)) == 0 else parts
    return f"<Trackpoint>{sp}{sp.join(parts)}{sp}</Trackpoint>"


@st.composite
def tcx_documents(draw: st.DrawFn) -> bytes:
    q = draw(st.sampled_from(["ns3:", "ext:", ""]))
    sp = draw(SPACE)
    laps = []
    t = 0
    for _lap in range(draw(st.integers(1, 3))):
        points = []
        for _ in range(draw(st.integers(0, 15))):
            t += 1
            points.append(_trackpoint(draw, t, q, sp))
        total = f"<TotalTimeSeconds>{_value(draw, 60.0)}</TotalTimeSeconds>"
        laps.append(
            f'<Lap StartTime="{np.datetime64(T0 + t, "s")}Z">{total}{sp}<Track>{sp}'
            + sp.join(points)
            + f"{sp}</Track></Lap>"
        )
    sport = draw(st.sampled_from(["Running", "Running", "Biking", "Other"]))
    ns = ' xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2"' if q == "ns3:" else ""
    ns += (
        ' xmlns:ext="http://www.garmin.com/xmlschemas/ActivityExtension/v2"' if q == "ext:" else ""
    )
    head = (
        f'<?xml version="1.0" encoding="UTF-8"?>{sp}<TrainingCenterDatabase '
        f'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"{ns}><Activities>'
        f'<Activity Sport="{sport}"><Id>2024-05-01T08:00:00Z</Id>{sp}'
    )
    tail = "<Notes>Easy &amp; steady</Notes>" if draw(st.booleans()) else ""
    tail += "<Creator><Name>Forerunner 945</Name></Creator></Activity></Activities>"
    data = (head + sp.join(laps) + tail + f"</TrainingCenterDatabase>{sp}").encode()
    if draw(st.integers(0, 6)) == 0:
        data = data[: draw(st.integers(len(head), len(data)))]
    return data


HYPOTHESIS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@HYPOTHESIS
@given(data=gpx_documents())
def test_generated_gpx_reads_the_same_both_ways(data: bytes) -> None:
    assert_same("gpx", data)


@HYPOTHESIS
@given(data=tcx_documents())
def test_generated_tcx_reads_the_same_both_ways(data: bytes) -> None:
    assert_same("tcx", data)


# --- long documents: tags are classified a part (65,536 tags) at a time ------------------
def long_tcx(points: int) -> bytes:
    """A plain TCX of ``points`` track points (18 tags each)."""
    track = "".join(
        f"<Trackpoint><Time>{np.datetime64(T0 + i, 's')}Z</Time><Position>"
        f"<LatitudeDegrees>{45 + i * 1e-5:.6f}</LatitudeDegrees>"
        f"<LongitudeDegrees>{5.5 + i * 1e-5:.6f}</LongitudeDegrees></Position>"
        f"<DistanceMeters>{i * 3.1:.1f}</DistanceMeters>"
        f"<HeartRateBpm><Value>{140 + i % 20}</Value></HeartRateBpm>"
        f"<Cadence>{85 + i % 5}</Cadence></Trackpoint>\n"
        for i in range(points)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<TrainingCenterDatabase '
        'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"><Activities>'
        '<Activity Sport="Running"><Id>2024-05-01T08:00:00Z</Id>'
        f'<Lap StartTime="{np.datetime64(T0, "s")}Z"><Track>\n{track}</Track></Lap>'
        "</Activity></Activities></TrainingCenterDatabase>\n"
    ).encode()


@pytest.mark.parametrize("points", [3_000, 10_000, 20_000], ids=["1 part", "3 parts", "6 parts"])
def test_a_long_document_takes_the_fast_path_and_reads_the_same(points: int) -> None:
    """One part, a few (whose key words are kept between the two passes) and more than
    xml_columns keeps (read again): the same track either way, never declined."""
    data = long_tcx(points)
    assert takes_fast_path("tcx", data)
    assert assert_same("tcx", data)
    assert len(read_tcx(data, "long.tcx").samples) == points
