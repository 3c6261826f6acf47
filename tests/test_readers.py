"""Reader edge cases that real exporters produce."""

from __future__ import annotations

from pathlib import Path

import pytest

import footfall
from footfall.errors import CorruptFile, NotARun


def _points(n: int, cad: str = "85", start_minute: int = 0, day: int = 1) -> str:
    out = []
    for i in range(n):
        t = start_minute * 60 + i
        out.append(
            f'<trkpt lat="{45 + i * 2.7e-5:.6f}" lon="5.0"><ele>100</ele>'
            f"<time>2024-05-{day:02d}T10:{t // 60 % 60:02d}:{t % 60:02d}Z</time>"
            f"<extensions><gpxdata:cadence>{cad}</gpxdata:cadence></extensions></trkpt>"
        )
    return "".join(out)


def test_gpx_with_undeclared_prefix_is_repaired(tmp_path: Path) -> None:
    # StravaGPX writes gpxdata:cadence without declaring the gpxdata namespace
    path = tmp_path / "strava.gpx"
    path.write_text(
        '\ufeff<?xml version="1.0" encoding="UTF-8"?><gpx version="1.1" creator="StravaGPX" '
        'xmlns="http://www.topografix.com/GPX/1/1"><trk><type>9</type><trkseg>'
        f"{_points(900)}</trkseg></trk></gpx>",
        encoding="utf-8",
    )
    activity = footfall.read_activity(path)
    assert any("never declares" in w for w in activity.warnings)
    assert activity.data["cadence_spm"].median() == 170.0
    assert activity.source.sport == "running"  # Strava type 9


def test_strava_type_1_is_a_ride(tmp_path: Path) -> None:
    path = tmp_path / "ride.gpx"
    path.write_text(
        '<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxdata="urn:x"><trk><type>1</type><trkseg>'
        f"{_points(100)}</trkseg></trk></gpx>"
    )
    with pytest.raises(NotARun) as caught:
        footfall.read_activity(path)
    assert caught.value.sport == "cycling"


def test_xml_entities_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "laughs.gpx"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
        '<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>&b;</name>'
        "</trk></gpx>"
    )
    with pytest.raises(CorruptFile, match="entity"):
        footfall.read_activity(path)


def test_tcx_with_whitespace_before_declaration_and_runs_on_two_days(tmp_path: Path) -> None:
    def activity(day: int, minutes: int) -> str:
        points = "".join(
            f"<Trackpoint><Time>2024-05-{day:02d}T10:{i // 60:02d}:{i % 60:02d}Z</Time>"
            f"<DistanceMeters>{i * 3.0}</DistanceMeters><Cadence>84</Cadence></Trackpoint>"
            for i in range(minutes * 60)
        )
        return (
            f'<Activity Sport="Running"><Id>2024-05-{day:02d}T10:00:00Z</Id>'
            f'<Lap StartTime="2024-05-{day:02d}T10:00:00Z"><Track>{points}</Track></Lap></Activity>'
        )

    path = tmp_path / "two.tcx"
    path.write_text(
        '\n  <?xml version="1.0"?><TrainingCenterDatabase '
        'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"><Activities>'
        f"{activity(1, 20)}{activity(3, 30)}</Activities></TrainingCenterDatabase>"
    )
    a = footfall.read_activity(path)
    assert a.duration_s == pytest.approx(30 * 60, abs=2)  # the longest outing only
    assert any("separate runs" in w for w in a.warnings)
    assert a.data["cadence_spm"].median() == 168.0


def test_recover_and_strict_policies_on_a_damaged_fit(tmp_path: Path) -> None:
    from tests.conftest import SAMPLES

    data = (SAMPLES / "efficient_runner.fit").read_bytes()
    cut = tmp_path / "cut.fit"
    cut.write_bytes(data[: len(data) // 2])
    kept = footfall.read_activity(cut)
    assert 0 < kept.duration_s < 40 * 60
    assert "damaged" in kept.warnings[0]
    with pytest.raises(footfall.TruncatedFile) as caught:
        footfall.read_activity(cut, errors="strict")
    assert caught.value.partial is not None
    assert caught.value.offset is not None


def test_gpx_10_speed_and_latin1_encoding(tmp_path: Path) -> None:
    points = "".join(
        f'<trkpt lat="{45 + i * 2.7e-5:.6f}" lon="5.0"><time>2024-05-01T10:{i // 60:02d}:'
        f"{i % 60:02d}Z</time><speed>3.0</speed></trkpt>"
        for i in range(900)
    )
    path = tmp_path / "old.gpx"
    path.write_bytes(
        (
            '<?xml version="1.0" encoding="ISO-8859-1"?><gpx version="1.0" creator="x" '
            'xmlns="http://www.topografix.com/GPX/1/0"><trk><name>Läufer</name><trkseg>'
            f"{points}</trkseg></trk></gpx>"
        ).encode("latin-1")
    )
    activity = footfall.read_activity(path)
    assert activity.source.name == "Läufer"
    assert activity.channels["speed_mps"].source == "trkpt/speed (GPX 1.0)"
    assert activity.data["speed_mps"].median() == 3.0
