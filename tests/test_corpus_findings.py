"""Over the real corpus: every running file with cadence gets findings or an explicit ok, with
numbers in the explanation."""

from __future__ import annotations

import re

import pytest

import footfall
from footfall.errors import NotARun, NoUsableData
from tests.conftest import REAL, corpus_params, real_corpus_rows

ROWS = [
    r for r in real_corpus_rows() if r["is_running"] == "True" and r["n_cadence"] not in ("", "0")
]
NUMBER_WITH_UNIT = re.compile(r"\d+ (spm|steps/min)")
PACE_SENTENCE = re.compile(r"\d+ spm at \d+:\d\d/km; about \d+ is typical at that pace")


@pytest.mark.corpus
@pytest.mark.parametrize("row", corpus_params(ROWS))
def test_running_file_gets_a_verdict_with_numbers(row: dict[str, str]) -> None:
    try:
        analysis = footfall.analyze(REAL / row["path"], footfall.Profile(height_cm=178))
    except (NotARun, NoUsableData) as exc:
        assert "guessed" in str(exc) or "no movement" in str(exc), exc
        pytest.skip(str(exc))
    verdicts = [f for f in analysis.findings if f.detector != "data_quality"]
    quality = [f for f in analysis.findings if f.detector == "data_quality"]
    assert quality, "the data-quality verdict is always given"
    if analysis.summary["running_time_s"] < 120:
        assert not any(f.detector == "low_cadence" for f in verdicts)
        return
    target = [f for f in verdicts if f.detector == "low_cadence" and f.basis == "target"]
    assert target, [f.detector for f in analysis.findings]
    assert NUMBER_WITH_UNIT.search(target[0].explanation), target[0].explanation
    assert target[0].severity in ("ok", "watch", "warning")
    speed_based = [
        f for f in verdicts if f.basis == "speed_and_height" and f.detector == "low_cadence"
    ]
    if analysis.segments and not analysis.activity.treadmill:
        assert speed_based, "steady running with speed gets the speed-and-height verdict"
        assert PACE_SENTENCE.search(speed_based[0].explanation), speed_based[0].explanation
    for f in analysis.findings:
        assert f.severity == "ok" or f.explanation
