"""Results travel between processes: errors pickle, analyses round-trip through their JSON
dict, and a process pool over the whole real corpus gives one SessionResult per activity."""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import pickle
from pathlib import Path

import pytest

import footfall
from footfall.batch import session_results
from footfall.errors import (
    ArchiveLimitExceeded,
    CorruptFile,
    FootfallError,
    LimitExceeded,
    NotARun,
    NoUsableData,
    ProfileError,
    TruncatedFile,
    UnexpectedError,
    UnsupportedFormat,
    error_from_dict,
)
from footfall.model import Analysis, SessionResult
from footfall.store import StoreBusy
from tests.conftest import REAL, SAMPLES, corpus_params, real_corpus_rows

ERRORS: list[FootfallError] = [
    UnsupportedFormat("a.fit", "not a FIT, GPX, TCX, gzip or zip file"),
    CorruptFile("b.fit", "bad record", offset=1234),
    TruncatedFile(
        "c.fit",
        "ends early",
        offset=99,
        partial=footfall.read_activity(SAMPLES / "efficient_runner.fit"),
    ),
    NotARun("d.fit", "cycling", "guessed from speed"),
    NoUsableData("e.gpx", "no track points"),
    ArchiveLimitExceeded("f.zip!x.gz", "too large"),
    LimitExceeded("h.fit", "3000 MB is larger than the 2048 MB footfall reads"),
    ProfileError(None, "height 1.7 cm is outside 120-230 cm"),
    UnexpectedError.wrap("g.fit", KeyError("time")),
    StoreBusy("/home/.footfall", "another footfall command is writing to this store"),
]


def _all_error_classes() -> set[type[FootfallError]]:
    seen: set[type[FootfallError]] = set()
    todo = [FootfallError]
    while todo:
        cls = todo.pop()
        seen.add(cls)
        todo.extend(cls.__subclasses__())
    return seen


def test_every_error_class_is_covered() -> None:
    assert {type(e) for e in ERRORS} | {FootfallError} >= _all_error_classes()


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: type(e).__name__)
def test_error_survives_pickle(error: FootfallError) -> None:
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is type(error)
    assert (back.path, back.problem, str(back)) == (error.path, error.problem, str(error))
    assert back.to_dict() == error.to_dict()
    assert getattr(back, "offset", None) == getattr(error, "offset", None)
    assert error_from_dict(error.to_dict()).to_dict() == error.to_dict()


def test_truncated_file_leaves_its_series_behind() -> None:
    error = next(e for e in ERRORS if isinstance(e, TruncatedFile))
    assert error.partial is not None
    blob = pickle.dumps(error)
    assert pickle.loads(blob).partial is None
    assert len(blob) < 2_000  # no DataFrame inside


ROWS = real_corpus_rows()


@pytest.mark.corpus
@pytest.mark.parametrize("row", corpus_params(ROWS))
def test_analysis_round_trips_through_its_dict(row: dict[str, str]) -> None:
    for item in footfall.iter_activities(REAL / row["path"]):
        if isinstance(item, FootfallError):
            continue
        data = footfall.analyze(item, footfall.Profile(height_cm=175)).to_dict()
        back = Analysis.from_dict(data)
        assert back.to_dict() == data
        assert back.activity.source.sha256 == data["source"]["sha256"]
        assert [f.detector for f in back.findings] == [f["detector"] for f in data["findings"]]


def _pool_task(path: str) -> tuple[str, list[SessionResult]]:
    return path, session_results(path, footfall.Profile(height_cm=175))


@pytest.mark.corpus
@pytest.mark.slow
def test_process_pool_over_the_corpus_gives_one_result_per_activity(
    real_dir: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "broken.fit"
    bad.write_bytes(b"\x0e\x10" + b"\x00" * 40)
    paths = [str(real_dir / r["path"]) for r in ROWS] + [str(bad)]
    context = multiprocessing.get_context("spawn")
    by_file: dict[str, list[SessionResult]] = {}
    with concurrent.futures.ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        for path, results in pool.map(_pool_task, paths, chunksize=4):
            by_file[path] = results
    assert set(by_file) == set(paths)
    assert all(by_file[p] for p in paths)  # every file answers, with one result or more
    flat = [r for p in paths for r in by_file[p]]
    for result in flat:
        assert (result.analysis is None) != (result.error is None)
        assert isinstance(result.to_dict(), dict)
    assert by_file[str(bad)][0].error is not None and not by_file[str(bad)][0].ok
    analysed = [r for r in flat if r.ok]
    assert len(analysed) >= 60  # the running files of the corpus
    assert all(r.sha256 and len(r.sha256) == 64 for r in analysed)
    skipped = [r for r in flat if r.skipped]
    assert skipped and all("not a run" in str(r.error) for r in skipped)
