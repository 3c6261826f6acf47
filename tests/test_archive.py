"""Strava / Garmin bulk exports: .gz and .zip read in memory with limits."""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import footfall
from footfall.errors import ArchiveLimitExceeded, CorruptFile, NotARun, UnsupportedFormat
from footfall.io.archive import ArchiveLimits, gunzip, iter_members
from tests.conftest import SAMPLES


def _strava_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("activities.csv", "id,name\n1,run\n")
        z.writestr(
            "activities/1.fit.gz", gzip.compress((SAMPLES / "efficient_runner.fit").read_bytes())
        )
        z.writestr(
            "activities/2.gpx.gz", gzip.compress((SAMPLES / "gpx_cadence_only.gpx").read_bytes())
        )
        z.writestr("activities/3.tcx.gz", gzip.compress((SAMPLES / "unit_switch.tcx").read_bytes()))
        z.writestr("activities/4.fit", (SAMPLES / "cycling.fit").read_bytes())
        z.writestr("activities/5.fit.gz", b"\x1f\x8b\x08\x00broken")
        z.writestr("media/photo.jpg", b"\xff\xd8\xff\xe0 not an activity")
    return path


def test_strava_export_yields_each_activity_and_each_error(tmp_path: Path) -> None:
    items = list(footfall.iter_activities(_strava_zip(tmp_path / "export.zip")))
    activities = [i for i in items if isinstance(i, footfall.Activity)]
    errors = [i for i in items if isinstance(i, footfall.FootfallError)]
    assert [a.source.format for a in activities] == ["fit", "gpx", "tcx"]
    assert activities[0].source.path.endswith("export.zip!activities/1.fit.gz")
    assert {type(e) for e in errors} == {NotARun, CorruptFile}
    assert all("export.zip!activities/" in str(e) for e in errors)


def test_cli_analyses_an_export_and_goes_on_past_bad_members(tmp_path: Path) -> None:
    archive = _strava_zip(tmp_path / "export.zip")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from footfall.cli import main; main()",
            "analyze",
            str(archive),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1  # some members could not be read ...
    assert len(json.loads(result.stdout)) == 3  # ... and the others were analysed
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("footfall: ") for line in lines)


def test_plain_gz_file(tmp_path: Path) -> None:
    path = tmp_path / "run.fit.gz"
    path.write_bytes(gzip.compress((SAMPLES / "efficient_runner.fit").read_bytes()))
    activity = footfall.read_activity(path)
    assert activity.source.format == "fit"


def test_format_comes_from_content_not_name(tmp_path: Path) -> None:
    path = tmp_path / "misnamed.txt"
    path.write_bytes((SAMPLES / "gpx_cadence_only.gpx").read_bytes())
    assert footfall.read_activity(path).source.format == "gpx"


def test_member_outside_the_target_is_refused(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("../../etc/evil.fit", (SAMPLES / "efficient_runner.fit").read_bytes())
        z.writestr("/abs/evil2.fit", (SAMPLES / "efficient_runner.fit").read_bytes())
    members = list(iter_members(buf.getvalue(), "x.zip"))
    assert all(isinstance(m.error, ArchiveLimitExceeded) for m in members)
    assert all("outside" in str(m.error) for m in members)


def test_too_many_members(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i in range(12):
            z.writestr(f"{i}.txt", "x")
    with pytest.raises(ArchiveLimitExceeded, match="12 members"):
        list(iter_members(buf.getvalue(), "x.zip", ArchiveLimits(max_members=10)))


def test_zip_bomb_member_is_refused() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("bomb.fit", b"\x00" * 5_000_000)
    (member,) = list(iter_members(buf.getvalue(), "x.zip"))
    assert isinstance(member.error, ArchiveLimitExceeded)


def test_gzip_size_limit() -> None:
    data = gzip.compress(b"\x00" * 3_000_000)
    with pytest.raises(ArchiveLimitExceeded):
        gunzip(data, "big.gz", ArchiveLimits(max_member_bytes=1_000_000))


def test_truncated_gzip_is_corrupt() -> None:
    data = gzip.compress((SAMPLES / "efficient_runner.fit").read_bytes())[:-200]
    with pytest.raises(CorruptFile, match=r"ends early|damaged"):
        gunzip(data, "cut.gz")


def test_nested_garmin_style_zip(tmp_path: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("123_ACTIVITY.fit", (SAMPLES / "efficient_runner.fit").read_bytes())
    outer = tmp_path / "garmin.zip"
    with zipfile.ZipFile(outer, "w") as z:
        z.writestr(
            "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip", inner.getvalue()
        )
    (activity,) = list(footfall.iter_activities(outer))
    assert isinstance(activity, footfall.Activity)
    assert activity.source.path.endswith("UploadedFiles_0-_Part1.zip!123_ACTIVITY.fit")


def test_read_activity_on_multi_activity_archive_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFormat, match="iter_activities"):
        footfall.read_activity(_strava_zip(tmp_path / "export.zip"))


def test_empty_and_random_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.fit"
    empty.write_bytes(b"")
    with pytest.raises(UnsupportedFormat, match="empty"):
        footfall.read_activity(empty)
    kml = tmp_path / "route.kml"
    kml.write_text('<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"></kml>')
    with pytest.raises(UnsupportedFormat, match="root element <kml>"):
        footfall.read_activity(kml)
