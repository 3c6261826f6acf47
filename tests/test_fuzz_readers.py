"""Damaged bytes of every kind of sample: an Activity or a typed error, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import footfall
from footfall.errors import FootfallError
from tests.conftest import SAMPLES

SOURCES = {
    name: (SAMPLES / name).read_bytes()
    for name in ("efficient_runner.fit", "run_walk.fit", "gpx_cadence_only.gpx", "unit_switch.tcx")
    if (SAMPLES / name).exists()
}


def _read(tmp: Path, data: bytes) -> None:
    path = tmp / "damaged"
    path.write_bytes(data)
    try:
        footfall.analyze(footfall.read_activity(path))
    except FootfallError as exc:
        text = str(exc)
        assert text.startswith(str(path)) and "\n" not in text


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    data = bytearray(SOURCES[draw(st.sampled_from(sorted(SOURCES)))])
    kind = draw(st.sampled_from(["cut", "flip", "splice", "zero"]))
    n = len(data)
    if kind == "cut":
        return bytes(data[: draw(st.integers(0, n))])
    if kind == "flip":
        for _ in range(draw(st.integers(1, 20))):
            i = draw(st.integers(0, n - 1))
            data[i] = draw(st.integers(0, 255))
        return bytes(data)
    if kind == "splice":
        a = draw(st.integers(0, n))
        b = draw(st.integers(a, min(n, a + 5000)))
        return bytes(data[:a] + data[b:])
    a = draw(st.integers(0, n - 1))
    data[a : a + draw(st.integers(1, 64))] = b"\x00" * len(data[a : a + 64])
    return bytes(data)


@pytest.mark.skipif(not SOURCES, reason="sample_activities/ not generated")
@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=damaged())
def test_damaged_files_never_raise_untyped(tmp_path: Path, data: bytes) -> None:
    _read(tmp_path, data)
