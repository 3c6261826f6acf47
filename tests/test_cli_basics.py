from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from footfall.cli import main


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from footfall.cli import main; main()", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_missing_file_is_one_line_exit_2(tmp_path: Path) -> None:
    result = run_cli("analyze", str(tmp_path / "nope.fit"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"footfall: {tmp_path / 'nope.fit'}: file not found"
    assert "Traceback" not in result.stderr


def test_garbage_file_is_unsupported(tmp_path: Path) -> None:
    bad = tmp_path / "run.fit"
    bad.write_bytes(b"this is not a fit file at all")
    result = run_cli("analyze", str(bad), "--format", "json")
    assert result.returncode == 2
    assert "not a FIT, GPX, TCX, gzip or zip file" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_bad_option_value_exits_2() -> None:
    result = run_cli("analyze", "--format", "xml", "x.fit")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_profile_height_out_of_range_is_user_error(tmp_path: Path) -> None:
    result = run_cli("analyze", "x.fit", "--height", "1.75")
    assert result.returncode == 2
    assert "height 1.75 cm is outside" in result.stderr


def test_main_is_importable() -> None:
    assert callable(main)


def test_json_to_stdout_parses(tmp_path: Path) -> None:
    gpx = tmp_path / "tiny.gpx"
    points = "".join(
        f'<trkpt lat="{45 + i * 1e-5:.6f}" lon="5.0">'
        f"<time>2024-05-01T10:{i // 60:02d}:{i % 60:02d}Z</time>"
        "<extensions><gpxtpx:TrackPointExtension><gpxtpx:cad>85</gpxtpx:cad>"
        "</gpxtpx:TrackPointExtension></extensions></trkpt>"
        for i in range(0, 600)
    )
    gpx.write_text(
        '<?xml version="1.0"?><gpx version="1.1" creator="test" '
        'xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"<trk><type>running</type><trkseg>{points}</trkseg></trk></gpx>"
    )
    result = run_cli("analyze", str(gpx), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema"] == "footfall.analysis/1"
    assert data["source"]["format"] == "gpx"
    assert data["summary"]["cadence_spm"]["median"] == 170.0
