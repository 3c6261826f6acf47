"""Bombs in bounded memory and time (issue 11, classes 9 and 10). The bombs are built here,
never committed: each is a gzip of 160 MB that repeats a random 30 KB block, ~100:1, so
the ratio check lets it through and the 128 MB member limit must stop it as it streams."""

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
from footfall.errors import ArchiveLimitExceeded
from footfall.io.archive import ArchiveLimits, gunzip, iter_members
from footfall.io.limits import MAX_GZIP_MEMBERS, MAX_MEMBER_BYTES, MIB
from fuzzing.corpus import empty_gzip_members, gzip_bomb
from tests.conftest import SAMPLES

#: issue 11: a zip of four gzip bombs must peak under 600 MB (it was 2.2 GB)
PEAK_LIMIT_MB = 600
BOMB_BYTES = 160 * MIB  # more than MAX_MEMBER_BYTES
#: the CLI in a child process; at exit it writes its peak resident memory (VmHWM, kB)
_MEASURED = """
import atexit, sys
report = sys.argv.pop(1)
def _write():
    with open("/proc/self/status") as status:
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM"))
    with open(report, "w") as out:
        out.write(peak)
atexit.register(_write)
from footfall.cli import main
main()
"""


def gzip_member(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


@pytest.fixture(scope="module")
def bomb() -> bytes:
    assert BOMB_BYTES > MAX_MEMBER_BYTES
    return gzip_bomb(BOMB_BYTES)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_zip_of_four_gzip_bombs_peaks_under_600_mb(tmp_path: Path, bomb: bytes) -> None:
    archive = tmp_path / "bombs.zip"
    with zipfile.ZipFile(archive, "w") as z:  # stored: the zip itself declares nothing odd
        for i in range(4):
            z.writestr(f"activities/{i}.fit.gz", bomb)
        z.writestr("activities/good.fit", (SAMPLES / "run_walk.fit").read_bytes())
    peak_file = tmp_path / "peak.txt"
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED, str(peak_file), "analyze", str(archive), "-f", "json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1, done.stderr[-2000:]
    lines = done.stderr.splitlines()
    assert lines == [
        f"footfall: {archive}!activities/{i}.fit.gz: decompresses to more than 128 MB"
        for i in range(4)
    ]
    # the good member is still analysed (one activity: the JSON is one object)
    assert json.loads(done.stdout)["source"]["path"] == f"{archive}!activities/good.fit"
    peak_mb = int(peak_file.read_text()) / 1024
    assert peak_mb < PEAK_LIMIT_MB, f"peak {peak_mb:.0f} MB"


def test_a_bomb_is_refused_by_its_decompressed_size(bomb: bytes) -> None:
    with pytest.raises(ArchiveLimitExceeded, match="decompresses to more than 128 MB"):
        gunzip(bomb, "bomb.gz")


def test_the_ratio_check_refuses_a_denser_bomb_early() -> None:
    dense = gzip.compress(bytes(8 * MIB), compresslevel=9)  # ~1000:1, deflate's ceiling
    with pytest.raises(ArchiveLimitExceeded, match="compressed more than 200:1"):
        gunzip(dense, "dense.gz")


def test_300k_empty_gzip_members_are_refused_by_count() -> None:
    data = empty_gzip_members(300_000)  # 6 MB: used to take > 20 s
    with pytest.raises(ArchiveLimitExceeded, match=f"more than {MAX_GZIP_MEMBERS} gzip members"):
        gunzip(data, "empty.gz")


def test_concatenated_members_are_read_in_order() -> None:
    parts = [bytes([i]) * (i * 1000) for i in range(1, 40)]
    data = b"".join(gzip_member(p) for p in parts) + b"\x00" * 100  # NUL padding after
    assert gunzip(data, "many.gz") == b"".join(parts)


def test_total_limit_counts_decompressed_bytes_of_gz_members() -> None:
    """Twenty .gz members of 1 MB each weigh a few KB compressed: the archive's total limit
    counts what they decompress to."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i in range(20):
            z.writestr(f"{i}.fit.gz", gzip_member(bytes(range(256)) * 4096))
    limits = ArchiveLimits(max_total_bytes=10 * MIB)
    with pytest.raises(ArchiveLimitExceeded, match="decompresses to more than 10 MB in all"):
        list(iter_members(buf.getvalue(), "export.zip", limits))


def test_a_gz_of_a_gz_of_a_run_is_read(tmp_path: Path) -> None:
    path = tmp_path / "run.fit.gz.gz"
    path.write_bytes(gzip_member(gzip_member((SAMPLES / "run_walk.fit").read_bytes())))
    assert footfall.read_activity(path).source.format == "fit"
