"""On every single-session running file of the real corpus, footfall's distance and timer
time agree with the watch's own totals (session / lap) within 1 %. The files that do not are
listed below with the reason, and the test checks that each reason still holds."""

from __future__ import annotations

import pytest

import footfall
from footfall.errors import FootfallError
from tests.conftest import REAL, corpus_params, real_corpus_rows

TOLERANCE = 0.01  # issue 10: within 1 % of the file's own session or lap total

#: file -> why its device total is not the runner's distance (each asserted below)
EXPLAINED = {
    # 216 s at 13-14 m/s (about 50 km/h) in a "running" file: impossible steps, dropped as
    # GPS error (science §3.3); the watch's total counts them
    "sportstracker/Forerunner305-Running-NoHeartrate-1Lap.tcx": "impossible_speed",
    # the trackpoints cover 1,730 s of the laps' 1,916 s: part of the run is not in the file
    "sports-lib/unknown_example.tcx": "track_shorter_than_laps",
    # the laps' totals (1,999 m, 625 s) disagree with the file's own distance counter
    # (2,919 m over 907 s of trackpoints); footfall follows the counter
    "sports-lib/movescount.tcx": "laps_disagree_with_counter",
    # damaged: the records stop at byte 7,471 ("local message 11 not defined"); the rest
    # of the run cannot be read, the session total covers all of it
    "python-fitparse/strava-android-app-201.10-b1218918.fit": "damaged",
}

ROWS = [
    r
    for r in real_corpus_rows()
    if r["is_running"] == "True" and ";" not in r["sport"] and r["chained_fit_files"] in ("", "1")
]


@pytest.mark.corpus
@pytest.mark.parametrize("row", corpus_params(ROWS))
def test_distance_and_timer_agree_with_the_watch(row: dict[str, str]) -> None:
    activities = [
        a for a in footfall.iter_activities(REAL / row["path"]) if not isinstance(a, FootfallError)
    ]
    if not activities:
        pytest.skip("no activity read (tiny or not a run)")
    for activity in activities:
        summary = footfall.analyze(activity).summary
        device, ours = summary["device_distance_m"], summary["distance_m"]
        reason = EXPLAINED.get(row["path"])
        if device is not None and device > 100 and ours is not None:
            off = abs(ours - device) / device
            if reason is None:
                assert off <= TOLERANCE, (ours, device)
            else:
                assert off > TOLERANCE, f"{row['path']} agrees now: drop it from EXPLAINED"
                _assert_reason(reason, activity, summary)
        if activity.timer_time_s is not None:
            assert summary["timer_time_source"] == "device"
            assert summary["timer_time_s"] == pytest.approx(activity.timer_time_s, rel=TOLERANCE)


def _assert_reason(reason: str, activity: footfall.Activity, summary: dict) -> None:
    if reason == "impossible_speed":
        d = activity.data["distance_m"].diff()
        assert int((d > 12.5).sum()) >= 100  # seconds faster than any runner
    elif reason == "track_shorter_than_laps":
        assert summary["elapsed_time_s"] < 0.95 * summary["timer_time_s"]
    elif reason == "laps_disagree_with_counter":
        assert summary["timer_time_s"] < 0.8 * summary["elapsed_time_s"]
    elif reason == "damaged":
        assert any("damaged" in w for w in activity.warnings)
