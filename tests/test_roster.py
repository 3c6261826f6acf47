"""The coach's roster from a store of three synthetic athletes, in the order their truth
says: a load spike and numbness in the last two weeks first, a worsening trend next, a
steady runner last. Through the real commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests import season_samples as ss


def footfall(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FOOTFALL_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-c", "from footfall.cli import main; main()", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def three_athletes(root: Path) -> Path:
    """A store with ana (spike + numbness), ben (cadence falling) and cat (steady)."""
    home = root / "home"
    ana = [ss.Run(ss.days(w, d), 3.0, 170.0, seed=10 * w + d) for w in range(4) for d in (0, 3)]
    ana.append(ss.Run(ss.days(4, 1), 3.0, 170.0, minutes=30, seed=99))
    ben = [
        ss.Run(ss.days(w, d), 3.0, 172.0 - 1.5 * w, seed=200 + 10 * w + d)
        for w in range(6)
        for d in (0, 3)
    ]
    cat = [
        ss.Run(ss.days(w, d), 3.0, 171.0, seed=400 + 10 * w + d) for w in range(6) for d in (0, 3)
    ]
    for name, runs in (("ana", ana), ("ben", ben), ("cat", cat)):
        ss.write(root / name, runs)
        done = footfall(home, "season", str(root / name), "--athlete", name, "-f", "json")
        assert done.returncode == 0, done.stderr[-2000:]
    day = ss.days(4, 1).date().isoformat()
    done = footfall(
        home, "log-symptom", "--athlete", "ana", "--date", day, "--side", "left", "--at", "22m"
    )
    assert done.returncode == 0, done.stderr
    return home


@pytest.fixture(scope="module")
def roster(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    home = three_athletes(tmp_path_factory.mktemp("roster"))
    done = footfall(home, "report", "roster", "--format", "json")
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_the_roster_ranks_by_what_needs_attention(roster: dict[str, Any]) -> None:
    assert roster["schema"] == "footfall.roster/1"
    assert [a["athlete"] for a in roster["athletes"]] == ["ana", "ben", "cat"]
    assert [a["rank"] for a in roster["athletes"]] == [1, 2, 3]
    ana, ben, cat = roster["athletes"]
    assert {r["kind"] for r in ana["reasons"]} >= {"session_spike", "numbness"}
    assert [r["kind"] for r in ben["reasons"]] == ["worsening_trend"]
    assert ben["trend"]["cadence"] == "worsening" and ben["trend"]["cadence_arrow"] == "↓"
    assert cat["reasons"] == [] and cat["points"] == 0
    assert cat["trend"]["cadence"] == "steady"
    assert ana["points"] > ben["points"] > cat["points"]
    assert ana["points"] == sum(r["points"] for r in ana["reasons"])
    assert ana["last_session"]["date"] == ss.days(4, 1).date().isoformat()
    assert ana["sessions"] == 9 and ben["sessions"] == cat["sessions"] == 12
