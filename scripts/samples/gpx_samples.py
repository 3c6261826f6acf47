"""The GPX samples and their writer: compact track points with Garmin TrackPointExtension."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape, quoteattr

import numpy as np

from samples.motion import DAY, Arrays, held, irregular, iso, run_data
from samples.truth import NO_DYNAMICS, RUN_CHANNELS, channels, median, truth

GPX_NS = (
    'xmlns="http://www.topografix.com/GPX/1/1" '
    'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1"'
)


def gpx_points(t: np.ndarray, lat: np.ndarray, lon: np.ndarray, extra: Arrays) -> str:
    """One compact <trkpt> per line; ``extra`` may hold ele, hr and cad."""
    lines = []
    for i in range(len(t)):
        text = f'<trkpt lat="{lat[i]:.6f}" lon="{lon[i]:.6f}">'
        if "ele" in extra:
            text += f"<ele>{extra['ele'][i]:.1f}</ele>"
        text += f"<time>{iso(t[i])}</time>"
        ext = "".join(
            f"<gpxtpx:{k}>{int(extra[k][i])}</gpxtpx:{k}>" for k in ("hr", "cad") if k in extra
        )
        if ext:
            text += f"<extensions><gpxtpx:TrackPointExtension>{ext}</gpxtpx:TrackPointExtension>"
            text += "</extensions>"
        lines.append(text + "</trkpt>\n")
    return "".join(lines)


def gpx_file(
    points: str, t0: int, creator: str, name: str | None = None, desc: str | None = None
) -> bytes:
    meta = f"<metadata>{f'<name>{escape(name)}</name>' if name else ''}"
    meta += f"{f'<desc>{escape(desc)}</desc>' if desc else ''}<time>{iso(t0)}</time></metadata>"
    trk = f"<trk>{f'<name>{escape(name)}</name>' if name else ''}"
    trk += f"{f'<desc>{escape(desc)}</desc>' if desc else ''}<type>running</type><trkseg>\n"
    head = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator={quoteattr(creator)} '
    )
    return (f"{head}{GPX_NS}>\n{meta}\n{trk}{points}</trkseg></trk>\n</gpx>\n").encode()


def gpx_run(
    seed: int,
    n: int,
    speed: float,
    spm: float,
    factor: float,
    step: tuple[int, int],
    kind: str = "loop",
) -> tuple[Arrays, np.ndarray, Arrays]:
    """A run sampled at irregular points; cad written as spm / factor (integers, as in GPX)."""
    a = run_data(seed, n, np.full(n, speed), np.full(n, spm), kind=kind)
    idx = irregular(np.random.default_rng(seed + 1), n, *step)
    cad = np.rint(a["spm"] / factor)
    extra = {"ele": a["alt"][idx], "hr": a["hr"][idx], "cad": cad[idx]}
    a["spm_q"] = held(cad[idx] * factor, idx, n)
    a["hr"] = held(a["hr"][idx], idx, n)
    return a, idx, extra


def steps_per_min() -> tuple[bytes, dict[str, Any]]:
    t0, n = DAY + 7 * 86_400, 1800
    a, idx, extra = gpx_run(401, n, 3.1, 172.0, 1.0, (1, 5), "out_and_back")
    points = gpx_points(t0 + idx, a["lat"][idx], a["lon"][idx], extra)
    run = np.ones(n, dtype=bool)
    return gpx_file(points, t0, "StravaGPX"), truth(
        "steps_per_min.gpx",
        "30 min run, GPX with Garmin TrackPointExtension v1 whose gpxtpx:cad is already in "
        "steps/min (~172), as some exporters write it; points every 1-5 s.",
        start_time=iso(t0),
        duration_s=n,
        running_time_s=n,
        walking_time_s=0,
        median_running_cadence_spm=median(a["spm_q"], run),
        cadence_stored_unit="steps/min",
        channels=channels(a, run, RUN_CHANNELS | {"altitude_m": ("alt", 1.5)}),
        absent_channels=NO_DYNAMICS,
    )


def gpx_cadence_only() -> tuple[bytes, dict[str, Any]]:
    t0, n = DAY + 9 * 86_400, 2100
    a, idx, extra = gpx_run(801, n, 2.9, 162.0, 2.0, (1, 5))
    points = gpx_points(t0 + idx, a["lat"][idx], a["lon"][idx], extra)
    run = np.ones(n, dtype=bool)
    return gpx_file(points, t0, "Garmin Connect"), truth(
        "gpx_cadence_only.gpx",
        "35 min run, GPX with gpxtpx:cad in strides/min (~81, i.e. ~162 spm), positions, "
        "elevation and HR, and no athlete height anywhere: overstriding can only be judged "
        "with low confidence.",
        start_time=iso(t0),
        duration_s=n,
        running_time_s=n,
        walking_time_s=0,
        median_running_cadence_spm=median(a["spm_q"], run),
        cadence_stored_unit="strides/min",
        channels=channels(a, run, RUN_CHANNELS),
        absent_channels=NO_DYNAMICS,
        height_cm=None,
        expected_overstride_confidence="low",
    )


def no_cadence() -> tuple[bytes, dict[str, Any]]:
    t0, n = DAY + 10 * 86_400, 1800
    a = run_data(1001, n, np.full(n, 3.0), np.full(n, 170.0), kind="out_and_back")
    t = np.arange(n)
    points = gpx_points(t0 + t, a["lat"], a["lon"], {})
    run = np.ones(n, dtype=bool)
    return gpx_file(points, t0, "Open GPX Tracker"), truth(
        "no_cadence.gpx",
        "30 min run at ~3.0 m/s, GPX with positions and times only (no cadence, HR or "
        "elevation): states come from speed alone.",
        start_time=iso(t0),
        duration_s=n,
        running_time_s=n,
        walking_time_s=0,
        median_running_cadence_spm=None,
        cadence_stored_unit=None,
        channels=channels(a, run, {"speed_mps": ("speed", 0.15)}),
        absent_channels=["cadence_spm", "heart_rate_bpm", "altitude_m", *NO_DYNAMICS],
    )


SCRIPT_NAME = '<script>alert("footfall")</script>'
SCRIPT_DESC = 'Hills & "tempo" <b>5 < 6 > 4</b> it\'s <img src=x onerror=alert(1)>'
SCRIPT_CREATOR = 'Footfall "Test" <GPX> & Co\'s app'


def script_name() -> tuple[bytes, dict[str, Any]]:
    t0, n = DAY + 11 * 86_400, 600
    a, idx, extra = gpx_run(1201, n, 3.0, 170.0, 2.0, (1, 3))
    points = gpx_points(t0 + idx, a["lat"][idx], a["lon"][idx], extra)
    run = np.ones(n, dtype=bool)
    data = gpx_file(points, t0, SCRIPT_CREATOR, SCRIPT_NAME, SCRIPT_DESC)
    return data, truth(
        "script_name.gpx",
        "10 min run whose track name is a <script> element and whose description and creator "
        "hold other HTML-special characters (all XML-escaped): reports must escape them.",
        start_time=iso(t0),
        duration_s=n,
        running_time_s=n,
        walking_time_s=0,
        median_running_cadence_spm=median(a["spm_q"], run),
        cadence_stored_unit="strides/min",
        channels=channels(a, run, RUN_CHANNELS),
        name=SCRIPT_NAME,
        desc=SCRIPT_DESC,
        creator=SCRIPT_CREATOR,
    )


def gpx_document(
    t: np.ndarray,
    lat: np.ndarray,
    lon: np.ndarray,
    *,
    creator: str = "footfall samples",
    name: str | None = None,
    sport_type: str | None = None,
    version: str = "1.1",
    extra: Arrays | None = None,
) -> bytes:
    """A GPX of one track, for tests that need a particular header: the creator, the track's
    name and <type>, the version (1.0 or 1.1), and ``extra`` (ele, hr, cad) per point."""
    points = gpx_points(t, lat, lon, extra or {})
    trk = f"<trk>{f'<name>{escape(name)}</name>' if name else ''}"
    trk += f"{f'<type>{escape(sport_type)}</type>' if sport_type else ''}<trkseg>\n"
    ns = GPX_NS.replace("GPX/1/1", "GPX/1/0") if version == "1.0" else GPX_NS
    head = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<gpx version={quoteattr(version)} creator={quoteattr(creator)} "
    )
    return (f"{head}{ns}>\n{trk}{points}</trkseg></trk>\n</gpx>\n").encode()
