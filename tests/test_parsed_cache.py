"""parsed_cache: parsed package data kept between runs, never stale, never failing a run."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from footfall import parsed_cache
from footfall.coaching import knowledge

TOML = 'title = "drills"\n[[drill]]\nname = "metronome"\nminutes = 10\nshare = 0.05\n'


class Counting:
    """tomllib.loads, counting its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, text: str) -> Any:
        self.calls += 1
        return tomllib.loads(text)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "footfall"


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_parsed_once_then_read_back(cache: Path) -> None:
    parse = Counting()
    first = parsed_cache.parsed("drills", TOML, parse)
    second = parsed_cache.parsed("drills", TOML, parse)
    assert first == second == tomllib.loads(TOML)
    assert parse.calls == 1
    (stored,) = files(cache)
    assert stored.startswith("drills-v1-") and stored.endswith(".json")
    assert json.loads((cache / stored).read_text()) == tomllib.loads(TOML)


def test_an_edited_source_is_parsed_again_and_the_old_copy_dropped(cache: Path) -> None:
    parse = Counting()
    parsed_cache.parsed("drills", TOML, parse)
    (old,) = files(cache)
    edited = TOML.replace("minutes = 10", "minutes = 12")
    assert parsed_cache.parsed("drills", edited, parse)["drill"][0]["minutes"] == 12
    assert parse.calls == 2
    (new,) = files(cache)
    assert new != old
    parsed_cache.parsed("other", TOML, parse)  # another name keeps its own file
    assert len(files(cache)) == 2


def test_a_damaged_file_is_parsed_again_and_repaired(cache: Path) -> None:
    parse = Counting()
    parsed_cache.parsed("drills", TOML, parse)
    (stored,) = files(cache)
    (cache / stored).write_bytes(b'{"title": "dri')  # cut short, as by a full disk
    assert parsed_cache.parsed("drills", TOML, parse) == tomllib.loads(TOML)
    assert parse.calls == 2
    assert json.loads((cache / stored).read_text()) == tomllib.loads(TOML)


def test_an_unusable_folder_only_costs_the_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    parse = Counting()
    assert parsed_cache.parsed("drills", TOML, parse) == tomllib.loads(TOML)
    assert parsed_cache.parsed("drills", TOML, parse) == tomllib.loads(TOML)
    assert parse.calls == 2


def test_a_relative_xdg_cache_home_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", "/home/runner")
    assert parsed_cache.cache_folder() == Path("/home/runner/.cache/footfall")


def test_data_json_cannot_hold_is_never_cached(cache: Path) -> None:
    def with_a_date(text: str) -> dict[str, Any]:
        return {"when": datetime.date(2026, 12, 2)}

    assert parsed_cache.parsed("dated", "x", with_a_date) == {"when": datetime.date(2026, 12, 2)}
    assert not list(cache.glob("dated-*.json"))  # not a half-written file either


def test_the_knowledge_file_reads_the_same_from_the_cache(cache: Path) -> None:
    source = Path(knowledge.__file__).with_name("knowledge.toml").read_text(encoding="utf-8")
    knowledge.knowledge.cache_clear()
    try:
        parsed = knowledge.knowledge()  # parsed and stored
        knowledge.knowledge.cache_clear()
        again = knowledge.knowledge()  # read back from the cache
    finally:
        knowledge.knowledge.cache_clear()
    assert parsed == again == tomllib.loads(source)
    assert len(list(cache.glob("knowledge-v1-*.json"))) == 1


def test_an_analysis_with_a_warm_cache_does_not_import_tomllib(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from footfall.coaching.knowledge import drill_entries\n"
        "assert drill_entries('low_cadence')\n"
        "print('tomllib' in sys.modules)\n"
    )
    env = {"XDG_CACHE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    runs = [
        subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
        for _ in range(2)
    ]
    assert [r.stdout.strip() for r in runs] == ["True", "False"], [r.stderr for r in runs]
