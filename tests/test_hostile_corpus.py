"""The hostile corpus (tests/hostile/, written by scripts/make_hostile.py): one file per way
issue 11 broke footfall, each with the answer MANIFEST.json gives for it.

A case whose ``owner`` is set still fails in a reader owned elsewhere; it is a strict xfail
with the reason, so the fix turns it into a failure here and the owner is removed from
scripts/fuzzing/corpus.py. A case whose fix is on main already (``fixed_on_main``) is a
non-strict xfail until the merge.
"""

from __future__ import annotations

import importlib.util
import json
from typing import Any

import pytest

import footfall
from footfall.errors import CorruptFile, FootfallError, TruncatedFile
from fuzzing.oracle import check
from tests.conftest import ROOT

HOSTILE = ROOT / "tests" / "hostile"
MANIFEST: list[dict[str, str]] = json.loads((HOSTILE / "MANIFEST.json").read_text("utf-8"))


def _param(entry: dict[str, str]) -> Any:
    """Strict xfail while the owner's fix is missing; not strict when the fix is on main
    already (``fixed_on_main``), so this branch and its merge are both green."""
    marks = []
    if entry["owner"]:
        fixed = entry["fixed_on_main"]
        reason = f"{entry['owner']} (fixed on main: {fixed})" if fixed else entry["owner"]
        marks.append(pytest.mark.xfail(strict=not fixed, reason=reason))
    return pytest.param(entry, id=entry["file"], marks=marks)


def test_corpus_matches_its_generator() -> None:
    spec = importlib.util.spec_from_file_location(
        "make_hostile", ROOT / "scripts" / "make_hostile.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.check() == 0, "run scripts/make_hostile.py and commit tests/hostile/"


@pytest.mark.parametrize("entry", [_param(e) for e in MANIFEST])
def test_hostile_file_gets_its_answer(entry: dict[str, str]) -> None:
    path = HOSTILE / entry["file"]
    result = check(path)
    assert not result.failures, [f.detail for f in result.failures]
    expect = entry["expect"]
    if expect == "ok":
        assert result.analysed >= 1, result.refused
    elif expect == "answer":  # analysed or refused with a typed error: either is an answer
        assert result.analysed + sum(result.refused.values()) >= 1
    elif expect != "archive":
        assert result.analysed == 0
        assert set(result.refused) == {expect}, result.refused


def test_every_issue_class_has_a_file() -> None:
    classes = {e["issue_class"] for e in MANIFEST}
    assert {"1", "2", "3", "4", "5", "6", "7", "10", "11", "span", "partial"} <= classes


def test_member_names_are_escaped_in_errors_and_results() -> None:
    items = list(footfall.iter_activities(HOSTILE / "zip_terminal_names.zip"))
    errors = [str(i) for i in items if isinstance(i, FootfallError)]
    (good,) = [i for i in items if isinstance(i, footfall.Activity)]
    assert len(errors) == 2
    assert all("\x1b" not in e and "\n" not in e for e in errors)
    assert any("!\\x1b[2J\\x1b[31mred.fit.gz: " in e for e in errors)
    assert any("!line\\nfootfall: all fine\\n.fit.gz: gzip file ends early" in e for e in errors)
    assert good.source.path.endswith("zip_terminal_names.zip!\\u202eevil.fit")


@pytest.mark.parametrize("name", ["gpx_truncated.gpx", "tcx_truncated.tcx"])
def test_truncated_xml_is_refused_in_strict_mode(name: str) -> None:
    with pytest.raises((TruncatedFile, CorruptFile)):
        footfall.read_activity(HOSTILE / name, errors="strict")


def test_zip_exceptions_name_their_kind() -> None:
    """zipfile's own exceptions end as CorruptFile, saying which (they used to escape)."""
    seen = {}
    for entry in MANIFEST:
        if entry["issue_class"] == "7":
            (item,) = list(footfall.iter_activities(HOSTILE / entry["file"]))
            assert isinstance(item, CorruptFile), entry["file"]
            seen[entry["file"]] = str(item)
    assert "LZMAError" in seen["zip_lzma_damaged.zip"]
    assert "EOFError" in seen["zip_ends_early.zip"]
    assert "ValueError: negative seek" in seen["zip_negative_seek.zip"]
    assert "NotImplementedError: zip file version" in seen["zip_version_63.zip"]
    assert "UnicodeDecodeError" in seen["zip_names_not_utf8.zip"]
    assert "method 99 is not supported" in seen["zip_method_unknown.zip"]


def test_hostile_corpus_is_small() -> None:
    total = sum(p.stat().st_size for p in HOSTILE.iterdir())
    assert total < 2 * 1024**2, f"{total} bytes: bombs belong in the tests, not the corpus"
