"""The limits on what footfall reads (docs/reliability.md): each a named constant with the
reason for its value, and reading from disk refuses what is not a regular file."""

from __future__ import annotations

import ast
import os
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from footfall.errors import LimitExceeded, UnsupportedFormat
from footfall.io import limits
from footfall.io.archive import DEFAULT_LIMITS
from footfall.io.files import read_file
from tests.conftest import ROOT
from tests.test_thresholds_cited import CITATION_MARKS, _numeric_constants

SRC = ROOT / "src" / "footfall"
#: the limits cite issue 11, the zip specification, or say why they are heuristic
MARKS = (*CITATION_MARKS, "issue 11", "APPNOTE", "Garmin export", "IEC 80000")


@pytest.mark.parametrize("name", ["io/limits.py", "io/archive.py", "io/files.py"])
def test_every_limit_says_where_it_comes_from(name: str) -> None:
    lines = (SRC / name).read_text(encoding="utf-8").splitlines()
    missing = []
    for constant, lineno in _numeric_constants(ast.parse("\n".join(lines))):
        context = [lines[lineno - 1]]
        i = lineno - 2
        while i >= 0 and lines[i].lstrip().startswith("#"):
            context.append(lines[i])
            i -= 1
        if not any(mark in line for line in context for mark in MARKS):
            missing.append(constant)
    assert not missing, f"{name}: limits without a reason: {missing}"


def test_archive_defaults_are_the_named_limits() -> None:
    assert DEFAULT_LIMITS.max_member_bytes == limits.MAX_MEMBER_BYTES == 128 * limits.MIB
    assert DEFAULT_LIMITS.max_total_bytes == limits.MAX_TOTAL_BYTES
    assert DEFAULT_LIMITS.max_gzip_members == limits.MAX_GZIP_MEMBERS == 100
    assert DEFAULT_LIMITS.max_layers == limits.MAX_LAYERS


def test_read_file_reads_a_regular_file_up_to_its_limit(tmp_path: Path) -> None:
    path = tmp_path / "a.fit"
    path.write_bytes(b"x" * 1000)
    assert read_file(path, max_bytes=1000) == b"x" * 1000
    with pytest.raises(LimitExceeded, match="larger than"):
        read_file(path, max_bytes=999)


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda p: None, "file not found"),
        (lambda p: p.mkdir(), "is a folder, not a file"),
        (lambda p: os.mkfifo(p), r"is a pipe \(FIFO\), not a file"),
        (lambda p: p.symlink_to(p), "too many levels of symbolic links"),
    ],
    ids=["missing", "folder", "fifo", "symlink-loop"],
)
def test_read_file_refuses_what_is_not_a_regular_file(
    tmp_path: Path, make: Callable[[Path], object], problem: str
) -> None:
    path = tmp_path / "x.fit"
    make(path)
    with pytest.raises(UnsupportedFormat, match=problem):
        read_file(path)


def test_read_file_refuses_devices_and_sockets(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFormat, match="is a device, not a file"):
        read_file("/dev/zero")
    path = tmp_path / "s.fit"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        with pytest.raises(UnsupportedFormat, match=r"is not a regular file \(a socket\?\)"):
            read_file(path)


def test_read_file_with_a_nul_in_the_name() -> None:
    with pytest.raises(UnsupportedFormat, match="null byte"):
        read_file("a\x00b.fit")


def test_every_limit_is_in_the_reliability_doc() -> None:
    text = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    steps = {"MIB", "FEED_BYTES", "OUTPUT_BYTES"}  # units and step sizes, not limits
    names = [n for n in vars(limits) if n.isupper() and n not in steps]
    assert len(names) >= 10
    assert [n for n in names if f"`{n}`" not in text] == []
