"""The one sport policy (footfall.io.sport): the file's sport field, a GPX <type> or a track
name outrank the speed and cadence profile, which outranks the creator app's name."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import footfall
from footfall.errors import NotARun
from footfall.io.sport import is_run, sport_from_label, sport_from_name
from samples.gpx_samples import gpx_document


def _track(speed: float, strides: float, seconds: int = 1800) -> tuple[np.ndarray, ...]:
    t = 1_714_550_400 + np.arange(seconds, dtype=float)
    lat = 45.0 + np.cumsum(np.full(seconds, speed)) / 111_195.0
    lon = np.full(seconds, 5.0)
    cad = np.full(seconds, strides)
    return t, lat, lon, cad


def _gpx(tmp_path: Path, speed: float, strides: float, **header: str) -> Path:
    t, lat, lon, cad = _track(speed, strides)
    path = tmp_path / "track.gpx"
    path.write_bytes(gpx_document(t, lat, lon, extra={"cad": cad}, **header))  # type: ignore[arg-type]
    return path


def test_a_ride_from_an_app_named_run_is_not_a_run(tmp_path: Path) -> None:
    """The creator says "Run", the track is named "Cycling…", the median speed is 6.7 m/s."""
    path = _gpx(tmp_path, 6.7, 80, creator="RunTracker Pro", name="Cycling to the lake")
    with pytest.raises(NotARun) as caught:
        footfall.read_activity(path)
    assert caught.value.sport == "cycling"
    assert "from its name" in str(caught.value)


def test_the_speed_profile_outranks_the_creator(tmp_path: Path) -> None:
    path = _gpx(tmp_path, 6.7, 80, creator="RunTracker Pro")
    with pytest.raises(NotARun) as caught:
        footfall.read_activity(path)
    assert caught.value.sport == "cycling" and "median speed of 24 km/h" in str(caught.value)


def test_a_run_from_a_bike_app_is_a_run(tmp_path: Path) -> None:
    """An app named for cycling that recorded a run: the data say run, and they win."""
    activity = footfall.read_activity(_gpx(tmp_path, 3.0, 84, creator="Urban Biker"))
    assert activity.data["state"].eq("run").mean() > 0.8


def test_a_gpx_type_is_trusted(tmp_path: Path) -> None:
    with pytest.raises(NotARun) as caught:
        footfall.read_activity(_gpx(tmp_path, 3.0, 84, sport_type="1"))  # Strava: ride
    assert caught.value.sport == "cycling"
    activity = footfall.read_activity(_gpx(tmp_path, 3.0, 84, sport_type="running"))
    assert activity.source.sport == "running"


@pytest.mark.parametrize(
    ("label", "sport"),
    [("9", "running"), ("1", "cycling"), ("Running", "running"), ("generic", None), ("", None)],
)
def test_labels(label: str, sport: str | None) -> None:
    assert sport_from_label(label) == sport


@pytest.mark.parametrize(
    ("name", "sport"),
    [
        ("Morning Run", "running"),
        ("Brunch ride", "cycling"),
        ("Cycling to work", "cycling"),
        ("Afternoon Walk", "walking"),
        ("Rose X-Lite CRS Force", None),
    ],
)
def test_names(name: str, sport: str | None) -> None:
    assert sport_from_name(name) == sport


def test_undecided_labels_agree_everywhere() -> None:
    for label in ("generic", "all", "multisport", None):
        assert is_run(sport_from_label(label)) is None
    assert is_run("running (virtual run)") is True and is_run("cycling") is False
