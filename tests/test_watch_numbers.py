"""Numbers a runner can check against the watch (issue 10): each class of lost or invented
distance and time, on synthetic files written by the project's own FIT and GPX writers, whose
truth is built in."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import footfall
from samples.fit_write import FitWriter, semicircles
from samples.gpx_samples import gpx_document

T0 = 1_714_550_400  # 2024-05-01 08:00 UTC


def _records(t: np.ndarray, distance: np.ndarray, speed: np.ndarray, spm: float = 172.0) -> dict:
    half = np.full(t.size, spm / 2)
    return {
        "timestamp": t,
        "distance": distance,
        "enhanced_speed": speed,
        "cadence": np.floor(half),
        "fractional_cadence": half - np.floor(half),
        "position_lat": semicircles(45.0 + distance / 111_195.0),
        "position_long": semicircles(np.full(t.size, 5.7)),
    }


def _fit(path: Path, parts: list[dict], sessions: list[dict] | None = None, events=()) -> Path:
    w = FitWriter()
    first = float(parts[0]["timestamp"][0])
    w.message("file_id", {"type": "activity", "manufacturer": "garmin", "time_created": first})
    for when, kind in events:
        w.message("event", {"timestamp": when, "event": "timer", "event_type": kind}, local=1)
    for part in parts:
        w.messages("record", part, local=2)
    for s in sessions or []:
        w.message("session", s, local=3)
    path.write_bytes(w.to_bytes())
    return path


def test_gps_catch_ups_after_a_stall_are_kept(tmp_path: Path) -> None:
    """A counter that stalls 3 s then makes up 4 x 4.2 m in one second, six times."""
    n = 3600
    t = T0 + np.arange(n, dtype=float)
    speed = np.full(n, 4.2)
    truth = np.cumsum(speed) - speed[0]
    distance = truth.copy()
    for k in range(6):
        a = 500 + 500 * k
        distance[a : a + 3] = distance[a - 1]  # stalled; the next record catches up 16.8 m
    path = _fit(tmp_path / "catch_up.fit", [_records(t, distance, speed)])
    summary = footfall.analyze(path).summary
    assert summary["distance_m"] == pytest.approx(truth[-1], abs=1.0)


def test_a_gps_jump_is_still_dropped(tmp_path: Path) -> None:
    n = 1200
    t = T0 + np.arange(n, dtype=float)
    speed = np.full(n, 3.0)
    distance = np.cumsum(speed) - 3.0
    distance[600:] += 400.0  # 400 m in one second at 3 m/s: a jump, not a catch-up
    path = _fit(tmp_path / "jump.fit", [_records(t, distance, speed)])
    summary = footfall.analyze(path).summary
    assert summary["distance_m"] == pytest.approx(3.0 * (n - 1), abs=4.0)  # the jump's 403 m


def test_a_clock_jump_keeps_both_sides(tmp_path: Path) -> None:
    """102 records, then the clock jumps 3 days ahead; the run goes on for 1 h."""
    n1, n2 = 102, 3600
    speed = np.full(n1 + n2, 3.4)
    distance = np.cumsum(speed) - 3.4
    t = np.concatenate([T0 + np.arange(n1), T0 + 3 * 86_400 + n1 + np.arange(n2)]).astype(float)
    path = _fit(tmp_path / "clock.fit", [_records(t, distance, speed)])
    analysis = footfall.analyze(path)
    summary = analysis.summary
    assert summary["elapsed_time_s"] == pytest.approx(n1 + n2, abs=2)  # the jump is not time
    assert summary["distance_m"] == pytest.approx(distance[-1], abs=5.0)  # both sides kept
    assert analysis.activity.quality["clock_jumps"] == 1
    assert any("clock jumped by +3.0 days" in w for w in analysis.warnings)
    assert summary["start_time"].startswith("2024-05-01T08:00")


def test_a_long_timer_pause_is_not_a_clock_jump(tmp_path: Path) -> None:
    n = 1200
    speed = np.full(2 * n, 3.0)
    distance = np.cumsum(speed)
    gap = 8 * 3600
    t = np.concatenate([T0 + np.arange(n), T0 + n + gap + np.arange(n)]).astype(float)
    events = [(T0, "start"), (T0 + n, "stop_all"), (T0 + n + gap, "start")]
    analysis = footfall.analyze(
        _fit(tmp_path / "paused.fit", [_records(t, distance, speed)], events=events)
    )
    assert analysis.activity.quality["clock_jumps"] == 0


def _gpx_points(n: int, speed: float = 3.0, skip: tuple[int, ...] = ()) -> tuple[np.ndarray, ...]:
    t = T0 + np.arange(n, dtype=float)
    keep = np.setdiff1d(np.arange(n), np.array(skip, dtype=int))
    lat = 45.0 + np.cumsum(np.full(n, speed)) / 111_195.0
    return t[keep], lat[keep], np.full(keep.size, 5.0), keep


def test_one_gpx_point_without_a_position_is_skipped(tmp_path: Path) -> None:
    t, lat, lon, _ = _gpx_points(1800)
    body = gpx_document(t, lat, lon, extra={"cad": np.full(t.size, 84)}, sport_type="running")
    head, *points = body.split(b"<trkpt ")
    points[900] = re.sub(rb'^lat="[^"]*" ', b"", points[900])  # one point of 1800 has no lat
    body = b"<trkpt ".join([head, *points])
    path = tmp_path / "one_bad.gpx"
    path.write_bytes(body)
    activity = footfall.read_activity(path)
    assert any(
        "1 track points without a valid position were skipped" in w for w in activity.warnings
    )
    assert activity.duration_s == pytest.approx(1800, abs=2)
    assert not any("None" in w for w in activity.warnings)


def test_gpx_1_0_keeps_its_extensions(tmp_path: Path) -> None:
    t, lat, lon, _ = _gpx_points(1200)
    extra = {"hr": np.full(t.size, 150), "cad": np.full(t.size, 86)}
    path = tmp_path / "v10.gpx"
    path.write_bytes(gpx_document(t, lat, lon, extra=extra, version="1.0", sport_type="running"))
    activity = footfall.read_activity(path)
    assert activity.has("heart_rate_bpm") and activity.has("cadence_spm")
    assert float(activity.data["cadence_spm"].median()) == pytest.approx(172, abs=1)


def test_position_only_gpx_bridges_silences_while_moving(tmp_path: Path) -> None:
    """Smart recording: a point every 1 s, but 20 s silences every 5 minutes at 3 m/s."""
    silent = tuple(i for start in range(300, 3000, 300) for i in range(start, start + 20))
    t, lat, lon, _ = _gpx_points(3000, skip=silent)
    path = tmp_path / "silences.gpx"
    path.write_bytes(
        gpx_document(t, lat, lon, extra={"cad": np.full(t.size, 84)}, sport_type="running")
    )
    summary = footfall.analyze(path).summary
    assert summary["moving_time_s"] >= 2990  # the 180 s of silences were running
    assert summary["distance_m"] == pytest.approx(3.0 * 2999, rel=0.01)


def test_multisport_run_legs_restart_distance_and_time(tmp_path: Path) -> None:
    """run 20 min at 3 m/s, ride 49 min (24 km) with the counter running on, run 15 min."""
    run1, ride, run2 = 1200, 49 * 60, 900
    speeds = np.concatenate([np.full(run1, 3.0), np.full(ride, 24_000 / ride), np.full(run2, 3.2)])
    distance = np.cumsum(speeds)
    t = T0 + np.arange(speeds.size, dtype=float)
    legs = [
        (0, run1, "running"),
        (run1, run1 + ride, "cycling"),
        (run1 + ride, speeds.size, "running"),
    ]
    parts = [
        _records(t[a:b], distance[a:b], speeds[a:b]) for a, b, sport in legs if sport == "running"
    ]
    sessions = [
        {
            "timestamp": t[b - 1],
            "start_time": t[a],
            "total_elapsed_time": float(b - a),
            "total_timer_time": float(b - a),
            "total_distance": float(distance[b - 1] - distance[a]),
            "sport": sport,
        }
        for a, b, sport in legs
    ]
    analysis = footfall.analyze(_fit(tmp_path / "multi.fit", parts, sessions))
    summary = analysis.summary
    run_distance = (run1 - 1) * 3.0 + (run2 - 1) * 3.2
    assert summary["distance_m"] == pytest.approx(run_distance, rel=0.01)
    assert summary["device_distance_m"] == pytest.approx(run_distance, rel=0.01)
    assert summary["elapsed_time_s"] == pytest.approx(run1 + run2, abs=3)
    assert summary["timer_time_s"] == pytest.approx(run1 + run2, abs=1)
    assert len(analysis.activity.legs) == 2


def test_walking_with_a_silent_pod_is_walking(tmp_path: Path) -> None:
    """110 s of walking at 1.3 m/s where the pod reads cadence 0, inside a run."""
    n = 1800
    speed = np.full(n, 3.0)
    speed[900:1010] = 1.3
    spm = np.full(n, 172.0)
    spm[900:1010] = 0.0
    t = T0 + np.arange(n, dtype=float)
    records = _records(t, np.cumsum(speed), speed)
    half = spm / 2
    records["cadence"], records["fractional_cadence"] = np.floor(half), half - np.floor(half)
    analysis = footfall.analyze(_fit(tmp_path / "walk.fit", [records]))
    state = analysis.activity.data["state"].to_numpy()
    assert (state[910:1000] == "walk").all()  # not stopped
    assert analysis.summary["moving_time_s"] == n
    assert analysis.summary["running_time_s"] == pytest.approx(n - 110, abs=25)


def test_timer_time_and_moving_time(tmp_path: Path) -> None:
    """A 60 s stop with the timer paused: timer = elapsed - 60; moving time loses 60 s, not
    60 s plus the padding around the stop."""
    n = 2400
    speed = np.full(n, 3.0)
    speed[1200:1260] = 0.0
    t = T0 + np.arange(n, dtype=float)
    events = [(T0, "start"), (T0 + 1200, "stop_all"), (T0 + 1260, "start")]
    session = {
        "timestamp": t[-1],
        "start_time": t[0],
        "total_elapsed_time": float(n),
        "total_timer_time": float(n - 60),
        "sport": "running",
    }
    path = _fit(tmp_path / "pause.fit", [_records(t, np.cumsum(speed), speed)], [session], events)
    summary = footfall.analyze(path).summary
    assert summary["timer_time_s"] == pytest.approx(n - 60)
    assert summary["timer_time_source"] == "device"
    assert summary["moving_time_s"] == n - 60
    assert summary["elapsed_time_s"] == n
    no_session = _fit(
        tmp_path / "events.fit", [_records(t, np.cumsum(speed), speed)], events=events
    )
    assert footfall.analyze(no_session).summary["timer_time_s"] == pytest.approx(n - 60, abs=1)


def test_gpx_timer_time_is_elapsed_less_pauses(tmp_path: Path) -> None:
    t, lat, lon, _ = _gpx_points(1800)
    t = np.where(np.arange(t.size) >= 900, t + 300, t)  # a 5-minute gap in the recording
    path = tmp_path / "gap.gpx"
    path.write_bytes(
        gpx_document(t, lat, lon, extra={"cad": np.full(t.size, 84)}, sport_type="running")
    )
    summary = footfall.analyze(path).summary
    assert summary["elapsed_time_s"] == pytest.approx(2100, abs=2)
    assert summary["timer_time_source"] == "derived"
    assert summary["timer_time_s"] == pytest.approx(1800, abs=3)


def test_the_files_height_is_used_and_said_so(tmp_path: Path) -> None:
    n = 1800
    t = T0 + np.arange(n, dtype=float)
    speed = np.full(n, 3.0)
    w = FitWriter()
    w.message("file_id", {"type": "activity", "manufacturer": "garmin", "time_created": t[0]})
    w.message("user_profile", {"height": 1.72, "weight": 64.0, "gender": "female"}, local=1)
    w.messages("record", _records(t, np.cumsum(speed), speed), local=2)
    path = tmp_path / "profile.fit"
    path.write_bytes(w.to_bytes())
    analysis = footfall.analyze(path)
    assert analysis.profile["height_cm"] == pytest.approx(172.0)
    assert analysis.profile["height_source"] == "file (FIT user_profile)"
    cadence = next(f for f in analysis.findings if f.detector == "low_cadence")
    assert cadence.evidence["height_cm"] == pytest.approx(172.0)
    assert "your height" in cadence.explanation
    given = footfall.analyze(path, footfall.Profile(height_cm=180))
    assert given.profile["height_cm"] == 180 and given.profile["height_source"] == "profile"


def test_the_report_shows_the_time_figures_under_their_json_names(tmp_path: Path) -> None:
    n = 2400
    speed = np.full(n, 3.0)
    speed[1200:1260] = 0.0
    t = T0 + np.arange(n, dtype=float)
    events = [(T0, "start"), (T0 + 1200, "stop_all"), (T0 + 1260, "start")]
    session = {"timestamp": t[-1], "start_time": t[0], "total_timer_time": float(n - 60)}
    path = _fit(tmp_path / "times.fit", [_records(t, np.cumsum(speed), speed)], [session], events)
    html = footfall.render_report(footfall.analyze(path))
    times = html[html.index('id="times"') :][:2000]
    for key, label in (
        ("elapsed_time_s", "Elapsed time"),
        ("timer_time_s", "Timer time"),
        ("moving_time_s", "Moving time"),
        ("running_time_s", "Running time"),
    ):
        assert f'data-key="{key}"' in times and label in times
    assert "<b>40:00</b>" in times and "<b>39:00</b>" in times  # elapsed, timer
    assert "the watch&#39;s timer" in times or "the watch's timer" in times


def test_the_cli_summary_uses_the_same_names(tmp_path: Path) -> None:
    import subprocess
    import sys

    n = 1800
    t = T0 + np.arange(n, dtype=float)
    speed = np.full(n, 3.0)
    session = {"timestamp": t[-1], "start_time": t[0], "total_timer_time": float(n)}
    path = _fit(tmp_path / "run.fit", [_records(t, np.cumsum(speed), speed)], [session])
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from footfall.cli import main; main()",
            "analyze",
            str(path),
            "-o",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    line = done.stdout.strip().splitlines()[-1]
    assert line.startswith(f"{path}: 5.40 km")
    for label in ("elapsed time 30:00", "timer time 30:00", "moving time", "running time"):
        assert label in line
