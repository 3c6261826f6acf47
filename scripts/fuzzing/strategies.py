"""Hypothesis strategies for hostile inputs: FIT definition messages (field numbers, sizes,
base types, byte order) and XML structure (GPX and TCX documents built from parts).

They shrink: a failing FIT file shrinks towards one message with one field, a failing GPX
towards one point with one odd value, which is the reproducer a fix needs.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from fuzzing.choice import DrawChooser
from fuzzing.fitgen import START_UNIX, hostile_fit, hostile_value
from fuzzing.mutate import HOSTILE_NUMBERS, HOSTILE_TEXT, HOSTILE_TIMES, XML_MUTATIONS
from fuzzing.rawfit import BASE_TYPES, EVENT, LAP, SESSION, FieldDef, fit_time, minimal_run

#: base type bytes: the profile's, and a few that are not (reserved bits set)
BASES = st.sampled_from(sorted(BASE_TYPES)) | st.integers(0, 255)
#: field sizes: the type's own, a multiple (an array), zero, or anything up to 255
SIZES = st.sampled_from([1, 2, 4, 8, 16]) | st.integers(0, 255)
#: fields of the summary messages the reader uses (FIT profile: start_time is 2 in session
#: and lap, timestamp 253 everywhere, event/event_type 0/1, total_elapsed_time 7)
FIELD_NUMBERS = st.sampled_from([253, 2, 0, 1, 5, 7, 8, 254]) | st.integers(0, 255)


@st.composite
def field_definitions(draw: Any) -> FieldDef:
    return FieldDef(draw(FIELD_NUMBERS), draw(SIZES), draw(BASES))


@st.composite
def fit_with_definitions(draw: Any) -> bytes:
    """A short sound run whose session, lap or event message has a drawn definition
    (any fields, sizes, base types and byte order) and drawn values."""
    c = DrawChooser(draw)
    t0 = fit_time(START_UNIX)
    fields = draw(st.lists(field_definitions(), min_size=0, max_size=6))
    values = [hostile_value(c, f, t0) for f in fields]
    which = draw(st.sampled_from([SESSION, LAP, EVENT]))
    keyword = {SESSION: "session", LAP: "lap", EVENT: "event"}[which]
    return minimal_run(
        START_UNIX,
        draw(st.sampled_from([5, 120])),
        **{f"{keyword}_fields": fields or None, f"{keyword}_values": values or None},
    )


@st.composite
def hostile_fit_files(draw: Any) -> bytes:
    return hostile_fit(DrawChooser(draw))


@st.composite
def mutated_xml(draw: Any, source: bytes) -> bytes:
    """``source`` (a GPX or TCX sample) after one to three XML mutations."""
    c = DrawChooser(draw)
    data = source
    for name in draw(st.lists(st.sampled_from(sorted(XML_MUTATIONS)), min_size=1, max_size=3)):
        data = XML_MUTATIONS[name](c, data)
    return data


_VALUES = st.sampled_from(HOSTILE_NUMBERS) | st.floats(allow_nan=True).map(
    lambda x: repr(x).encode()
)
_TIMES = st.sampled_from(HOSTILE_TIMES) | st.integers(0, 7200).map(
    lambda s: f"2024-05-13T{7 + s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}Z".encode()
)


@st.composite
def gpx_documents(draw: Any) -> bytes:
    """A GPX built from parts: points with or without time, odd coordinates and values,
    extensions nested to a drawn depth, a hostile track name."""
    points = []
    for i in range(draw(st.integers(0, 40))):
        lat = draw(_VALUES) if draw(st.booleans()) else f"{45.18 + i * 1e-4:.6f}".encode()
        lon = draw(_VALUES) if draw(st.booleans()) else f"{5.73 + i * 1e-4:.6f}".encode()
        parts = [b'<trkpt lat="' + lat + b'" lon="' + lon + b'">']
        if draw(st.booleans()):
            parts.append(b"<ele>" + draw(_VALUES) + b"</ele>")
        if draw(st.integers(0, 9)):
            parts.append(b"<time>" + draw(_TIMES) + b"</time>")
        depth = draw(st.sampled_from([0, 1, 2, 30, 1200]))
        cad = b"<gpxtpx:cad>" + draw(_VALUES) + b"</gpxtpx:cad>"
        if depth:
            parts.append(
                b"<extensions>" + b"<x>" * depth + cad + b"</x>" * depth + b"</extensions>"
            )
        parts.append(b"</trkpt>")
        points.append(b"".join(parts))
    name = draw(st.sampled_from(HOSTILE_TEXT))
    return (
        b'<?xml version="1.0" encoding="UTF-8"?><gpx version="1.1" creator="fuzz" '
        b'xmlns="http://www.topografix.com/GPX/1/1" '
        b'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        b"<trk><name>"
        + name
        + b"</name><type>running</type><trkseg>"
        + b"".join(points)
        + b"</trkseg></trk></gpx>"
    )


@st.composite
def tcx_documents(draw: Any) -> bytes:
    """A TCX built from parts: laps with odd start times, trackpoints with or without
    <Time>, odd values, a drawn Sport."""
    laps = []
    for _ in range(draw(st.integers(0, 3))):
        points = []
        for _ in range(draw(st.integers(0, 30))):
            parts = [b"<Trackpoint>"]
            if draw(st.integers(0, 5)):
                parts.append(b"<Time>" + draw(_TIMES) + b"</Time>")
            parts.append(b"<DistanceMeters>" + draw(_VALUES) + b"</DistanceMeters>")
            parts.append(b"<Cadence>" + draw(_VALUES) + b"</Cadence>")
            parts.append(b"<HeartRateBpm><Value>" + draw(_VALUES) + b"</Value></HeartRateBpm>")
            parts.append(b"</Trackpoint>")
            points.append(b"".join(parts))
        start = draw(_TIMES)
        laps.append(
            b'<Lap StartTime="' + start + b'"><Track>' + b"".join(points) + b"</Track></Lap>"
        )
    sport = draw(st.sampled_from([b"Running", b"Biking", b"Other", b"", b"\x1b[2J"]))
    return (
        b'<?xml version="1.0" encoding="UTF-8"?><TrainingCenterDatabase '
        b'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"><Activities>'
        b'<Activity Sport="'
        + sport
        + b'"><Id>2024-05-13T07:30:00Z</Id>'
        + b"".join(laps)
        + b"</Activity></Activities></TrainingCenterDatabase>"
    )
