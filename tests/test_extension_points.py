"""Adding a detector or a reader takes one module plus one registry line (docs/architecture.md):
the pipeline, the verdict, the JSON and the report pick it up with nothing else changed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import footfall
import footfall.detectors
from footfall.io import registry
from footfall.io.registry import Reader
from tests.conftest import SAMPLES
from tests.extensions import csv_reader, long_stop


def test_an_extra_detector_is_one_registry_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(footfall.detectors, "REGISTRY", (*footfall.detectors.REGISTRY, long_stop))
    monkeypatch.setitem(footfall.detectors.BY_NAME, long_stop.NAME, long_stop)
    analysis = footfall.analyze(SAMPLES / "run_walk.fit", footfall.Profile(height_cm=175))
    found = [f for f in analysis.findings if f.detector == "long_stop"]
    data = analysis.to_dict()
    assert [f["detector"] for f in data["findings"]].count("long_stop") == len(found)
    html = footfall.render_report(analysis)
    for f in found:
        assert f.title in html
    # the common checks of every registered detector hold for it too
    from footfall.detectors import Context
    from footfall.model import Activity, SourceInfo
    from tests.test_detectors_common import _check, _normal_run

    frame = _normal_run(1200)
    frame.loc[400:800, "state"] = "stop"
    activity = Activity(SourceInfo("t", "fit", "0"), frame, None)
    findings = long_stop.detect(frame, Context(activity, footfall.Profile()))
    _check(findings, "long_stop")
    assert findings and findings[0].evidence["longest_stop_s"] == 401


def test_an_extra_reader_is_one_registry_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    extra = Reader(
        "csv",
        (".csv",),
        "tests.extensions.csv_reader",
        "read_csv",
        frozenset({registry.DEVICE_SPEED}),
        magic=csv_reader.looks_like_csv,
    )
    monkeypatch.setattr(registry, "READERS", (*registry.READERS, extra))
    n = 1800
    lines = ["time,cadence,speed"] + [
        f"{1_700_000_000 + i},{170 + (i % 3)},{3.0 + 0.01 * np.sin(i / 60):.3f}" for i in range(n)
    ]
    path = tmp_path / "run.csv"
    path.write_bytes(csv_reader.MAGIC + "\n".join(lines).encode())
    analysis = footfall.analyze(path, footfall.Profile(height_cm=175))
    assert analysis.activity.source.format == "csv"
    assert analysis.summary["cadence_spm"]["median"] == pytest.approx(171, abs=1)
    assert ".csv" in registry.activity_suffixes()
    # capabilities, not the format name, decide what the file can claim: no running dynamics
    cadence = next(f for f in analysis.findings if f.detector == "low_cadence")
    assert cadence.basis == "target_and_pace"
