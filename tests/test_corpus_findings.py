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
PACE_SENTENCE = re.compile(r"At \d+:\d\d/km runners of .* typically use about \d+ spm")


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
    cadence = [f for f in verdicts if f.detector == "low_cadence"]
    assert len(cadence) == 1, [f.title for f in cadence]  # one verdict on cadence
    assert NUMBER_WITH_UNIT.search(cadence[0].explanation), cadence[0].explanation
    assert cadence[0].severity in ("ok", "watch", "warning")
    if analysis.segments and not analysis.activity.treadmill:
        assert cadence[0].basis == "target_and_pace", "steady running gets the pace reference"
        assert PACE_SENTENCE.search(cadence[0].explanation), cadence[0].explanation
    for f in analysis.findings:
        assert f.severity == "ok" or f.explanation
    verdict = analysis.summary["verdict"]
    assert verdict["detector"] != "data_quality"  # the headline is never a data note
    if verdict["detector"] is None:
        assert verdict["severity"] == "ok"
        assert all(f.severity == "ok" for f in verdicts)
    else:
        chosen = next(f for f in analysis.findings if f.detector == verdict["detector"])
        assert (chosen.severity, chosen.title) == (verdict["severity"], verdict["title"])


@pytest.mark.corpus
def test_a_sound_184_spm_run_has_nothing_to_work_on(real_dir: object) -> None:
    """sports-lib/6916663933.fit: 184 spm, every form check fine, 4 s of dropouts repaired."""
    analysis = footfall.analyze(REAL / "sports-lib/6916663933.fit")
    assert analysis.summary["verdict"] == {
        "severity": "ok",
        "detector": None,
        "title": "Nothing in this run needs work",
    }
    quality = next(f for f in analysis.findings if f.detector == "data_quality")
    assert quality.severity == "ok"  # a few repaired seconds limit nothing
    assert "4 s of cadence dropouts interpolated" in quality.explanation


@pytest.mark.corpus
def test_below_target_but_right_for_pace_gets_one_cadence_finding(real_dir: object) -> None:
    """GoldenCheetah/Fr955v19.28andStryd.fit: 166 spm, about what its pace calls for."""
    analysis = footfall.analyze(REAL / "GoldenCheetah/Fr955v19.28andStryd.fit")
    cadence = [f for f in analysis.findings if f.detector == "low_cadence"]
    assert len(cadence) == 1
    f = cadence[0]
    assert f.severity == "watch" and f.evidence["severity_from"] == "target"
    assert "166 spm" in f.title and "14 below your 180 target" in f.title
    assert "right for your pace" in f.title and "direction for later" in f.explanation
    assert analysis.summary["verdict"]["detector"] == "low_cadence"
