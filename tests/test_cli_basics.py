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


def test_json_output_does_not_import_plotly_or_fastapi() -> None:
    code = (
        "import sys, io, contextlib\n"
        "from footfall.cli import main\n"
        "sys.argv = ['footfall', 'analyze', 'sample_activities/efficient_runner.fit', "
        "'--format', 'json']\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit as exc:\n"
        "        assert exc.code == 0, exc.code\n"
        "heavy = [m for m in ('plotly', 'fastapi', 'jinja2', 'scipy') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"heavy modules imported: {result.stdout}"


def test_chained_fit_files_read_as_one_run(tmp_path: Path) -> None:
    import numpy as np

    import footfall
    from samples.fit_write import FitWriter, chain

    def part(start: float, seconds: int, strides: float) -> bytes:
        w = FitWriter()
        w.message("file_id", {"type": "activity", "manufacturer": "garmin", "time_created": start})
        t = start + np.arange(seconds, dtype=float)
        speed = np.full(seconds, 3.0)
        w.messages(
            "record",
            {
                "timestamp": t,
                "speed": speed,
                "distance": np.cumsum(speed),
                "cadence": np.full(seconds, strides),
            },
        )
        return w.to_bytes()

    # FIT protocol: a file may hold several complete FIT parts back to back (chained)
    path = tmp_path / "chained.fit"
    path.write_bytes(chain(part(1_700_000_000.0, 900, 80), part(1_700_000_900.0, 900, 90)))
    for fast in (True, False):
        activity = footfall.read_activity(path, fast=fast)
        assert activity.duration_s == 1800
        cadence = activity.data["cadence_spm"]
        assert cadence.iloc[450] == 160.0 and cadence.iloc[1350] == 180.0


def test_a_folder_stands_for_its_activity_files(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1] / "sample_activities"
    folder = tmp_path / "runs"
    (folder / "week1").mkdir(parents=True)
    (folder / "week1" / "a.fit").write_bytes((root / "efficient_runner.fit").read_bytes())
    (folder / "b.gpx").write_bytes((root / "gpx_cadence_only.gpx").read_bytes())
    (folder / "notes.txt").write_text("not an activity")
    (folder / ".hidden").mkdir()
    (folder / ".hidden" / "c.fit").write_bytes(b"junk")
    result = run_cli("analyze", str(folder), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert [r["source"]["format"] for r in json.loads(result.stdout)] == ["gpx", "fit"]


def test_unwritable_output_folder_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where a folder should be")
    sample = Path(__file__).resolve().parents[1] / "sample_activities" / "efficient_runner.fit"
    result = run_cli("analyze", str(sample), "-o", str(blocker / "reports"))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert str(blocker) in result.stderr and "Traceback" not in result.stderr
