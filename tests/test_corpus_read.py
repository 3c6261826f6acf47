"""Every file of the real corpus: an Activity or a typed error, and honest cadence numbers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import footfall
from footfall.errors import FootfallError, NotARun, NoUsableData
from footfall.io.sport import sport_from_label
from footfall.pipeline import analyze, iter_activities
from footfall.report.json import analysis_to_dict
from tests.conftest import REAL, corpus_params, real_corpus_rows
from tests.independent import running_cadence

ROWS = real_corpus_rows()


def _outcome(row: dict[str, str]) -> footfall.Activity | FootfallError:
    try:
        return footfall.read_activity(REAL / row["path"])
    except FootfallError as exc:
        return exc


@pytest.mark.corpus
@pytest.mark.timeout(60)  # "no hang": each file is read well within a minute
@pytest.mark.parametrize("row", corpus_params(ROWS))
def test_every_file_reads_or_fails_typed(row: dict[str, str]) -> None:
    outcome = _outcome(row)  # any other exception fails the test
    if isinstance(outcome, FootfallError):
        message = str(outcome)
        assert message.startswith(str(REAL / row["path"]))
        assert "\n" not in message
        return
    frame = outcome.data
    assert frame.index.name == "elapsed_s"
    assert (frame.index.to_numpy() == range(len(frame))).all(), "1 Hz index without holes"
    assert set(frame["state"].unique()) <= {"run", "walk", "stop"}
    assert str(frame["timestamp"].dt.tz) == "UTC"
    if "cadence_spm" in frame:
        running = frame.loc[frame["state"] == "run", "cadence_spm"].dropna()
        assert running.empty or 120 <= running.median() <= 230, "cadence in steps/min"
    if "vertical_oscillation_mm" in frame:
        assert 30 <= frame["vertical_oscillation_mm"].median() <= 200, "VO in mm"
    if "stance_time_ms" in frame:
        assert 150 <= frame["stance_time_ms"].median() <= 450, "GCT in ms"


@pytest.mark.corpus
@pytest.mark.parametrize("row", corpus_params([r for r in ROWS if r["is_running"] == "False"]))
def test_non_running_files_are_rejected_with_their_sport(row: dict[str, str]) -> None:
    outcome = _outcome(row)
    if row["sport"] == "" and isinstance(outcome, footfall.Activity):
        # The file declares no sport: footfall may judge it from the data, and must say so.
        assert any("declares no running sport" in w for w in outcome.warnings)
        return
    assert isinstance(outcome, NotARun | NoUsableData), outcome
    if isinstance(outcome, NotARun):
        assert outcome.sport
        declared = sport_from_label(row["sport"].split("/")[0].split(";")[0])
        if declared and declared not in ("generic", "running"):
            assert outcome.sport.startswith(declared), (outcome.sport, declared)


@pytest.mark.corpus
@pytest.mark.parametrize(
    "row",
    corpus_params([r for r in ROWS if r["is_running"] == "True" and ";" in r["sport"]]),
)
def test_multisport_files_give_their_run_leg(row: dict[str, str]) -> None:
    outcome = _outcome(row)
    if isinstance(outcome, NoUsableData) and int(row["n_records"] or 0) < 100:
        pytest.skip(f"a tiny test file: {outcome}")
    assert isinstance(outcome, footfall.Activity), outcome
    assert outcome.source.sport == "running"
    legs = [s for s in row["sport"].split(";") if s.lower().startswith("running")]
    assert outcome.legs and all("running" in leg for leg in outcome.legs)
    assert len(outcome.legs) <= len(legs)


RUNNING_WITH_CADENCE = [
    r for r in ROWS if r["is_running"] == "True" and r["n_cadence"] not in ("", "0")
]


@pytest.mark.corpus
@pytest.mark.parametrize("row", corpus_params(RUNNING_WITH_CADENCE))
def test_median_cadence_matches_an_independent_reading(row: dict[str, str]) -> None:
    path = REAL / row["path"]
    try:
        result = analysis_to_dict(analyze(path))
    except NotARun as exc:
        # Only a data-based guess may reject a file the catalogue calls a run.
        assert "guessed" in str(exc), exc
        pytest.skip(f"footfall judged it not a run: {exc}")
    except NoUsableData as exc:
        pytest.skip(f"no usable data: {exc}")
    ours = result["summary"]["cadence_spm"]
    theirs = running_cadence(path)
    if theirs is None:
        assert ours is None or result["summary"]["running_time_s"] < 600
        return
    assert ours is not None, "independent reading found running cadence, footfall did not"
    # the reading itself (units, fractional cadence, time-weighting), compared on the same
    # definition as the independent one: running seconds at >= 140 spm
    series = [a for a in iter_activities(path) if not isinstance(a, FootfallError)]
    cadence = np.concatenate(
        [a.data["cadence_spm"].to_numpy() for a in series if a.has("cadence_spm")]
    )
    same_definition = float(np.median(cadence[np.isfinite(cadence) & (cadence >= 140)]))
    assert abs(same_definition - theirs) <= 2.0, (same_definition, theirs)
    # and the summary's median over footfall's running state (hysteresis keeps short dips
    # below 140 inside a run, science §3.2) stays close to it
    assert abs(ours["median"] - theirs) <= 5.0, (ours["median"], theirs)


@pytest.mark.corpus
def test_same_run_three_formats_agree(real_dir: Path) -> None:
    medians = []
    for ext in ("fit", "gpx", "tcx"):
        result = analysis_to_dict(analyze(real_dir / f"sports-lib/6782987395.{ext}"))
        medians.append(result["summary"]["cadence_spm"]["median"])
    assert max(medians) - min(medians) <= 1.0, medians
