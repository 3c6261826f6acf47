"""Every kind of figure, built from real inputs (the sample activities, the index of them, a
synthetic season and a roster), is plotly JSON that plotly's own validators take as it is.

The report writes its figures as plain dicts (footfall.report.plotjson) and no longer imports
plotly to draw a page, so nothing checks a property name at run time: here
``plotly.graph_objects.Figure`` does, and a misspelt property or value fails the suite. Drawing
the pages in a fresh interpreter imports no plotly at all.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go
import pytest

import footfall
from footfall.batch.imports import import_files
from footfall.errors import NotARun
from footfall.report import plotkit as pk
from footfall.report.figures import report_figures
from footfall.report.html import plotly_asset_name, plotly_bundle
from footfall.report.index import index_view
from footfall.report.plotjson import figure_json
from footfall.report.season_figures import season_figures
from footfall.report.season_view import roster_figure
from footfall.season import season_analysis
from footfall.store import Ledger, Store, queries
from tests import season_samples as ss
from tests.conftest import SAMPLES
from tests.test_cli_startup import _probe

PLOTLY = ("plotly", "plotly.graph_objects", "plotly.io")
RUNS = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".fit", ".gpx", ".tcx"))


def _season_runs() -> dict[str, list[ss.Run]]:
    """ana: low cadence that warrants a block (the progression steps), contact time, a month
    off (a gap in the lines), a long run at the end (a load spike), numbness logged; ben: a
    steady second athlete for the roster."""
    ana = []
    for week, cadence in ((0, 150.0), (1, 150.0), (2, 157.5), (3, 157.5), (8, 160.0), (9, 160.0)):
        for k, day in enumerate((0, 2, 4)):
            speed = 3.0 + 0.2 * (k - 1)
            stance = 250.0 - week if week % 2 == 0 else None
            seed = 10 * week + k
            ana.append(ss.Run(ss.days(week, day), speed, cadence, stance_ms=stance, seed=seed))
    ana.append(ss.Run(ss.days(9, 6), 3.0, 160.0, minutes=40, seed=999))
    ben = [
        ss.Run(ss.days(w, d), 3.0, 171.0, seed=500 + 10 * w + d) for w in range(4) for d in (0, 3)
    ]
    return {"ana": ana, "ben": ben}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of two athletes' seasons, imported as `footfall season` does."""
    root = tmp_path_factory.mktemp("plot-schema")
    with Store(root / "home") as store:
        for name, runs in _season_runs().items():
            athlete, _ = store.ensure_athlete(name)
            import_files(ss.write(root / name, runs), Ledger(store, athlete), athlete.profile)
            if name == "ana":
                store.log_symptom(athlete, ss.days(9, 6).date().isoformat(), "left", 1500, None)
    return root / "home"


@pytest.fixture(scope="module")
def seasons(home: Path) -> list[dict[str, Any]]:
    with Store(home) as store:
        athletes = [store.ensure_athlete(name)[0] for name in ("ana", "ben")]
        return [
            season_analysis(a.to_dict(), queries.analyses(store, a), store.symptoms(a))
            for a in athletes
        ]


@pytest.fixture(scope="module")
def figures(seasons: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """name -> figure spec, for every figure the pages draw."""
    out: dict[str, dict[str, Any]] = {}
    entries = []
    for path in RUNS:
        try:
            analyses = [footfall.analyze(path)]
        except NotARun:
            continue
        entries.append((path.stem, analyses[0].to_dict()))
        analyses.append(footfall.analyze(path, numbness_at="12m", side="left"))
        for k, analysis in enumerate(analyses):
            for group in report_figures(analysis).values():
                out.update({f"{path.name}{'+numb' * k}:{f['key']}": f for f in group if f["json"]})
    out["index:dated"] = index_view(entries, [])["figure"]
    undated = [(s, {**r, "summary": {**r["summary"], "start_time": None}}) for s, r in entries]
    out["index:undated"] = index_view(undated, [])["figure"]
    for season in seasons:
        name = season["athlete"]["name"]
        out.update({f"{name}:{f['key']}": f for f in season_figures(season)})
    out["roster"] = roster_figure(seasons) or {}
    return out


def _parsed(spec: dict[str, Any]) -> dict[str, Any]:
    return dict(json.loads(spec["json"]))


def test_every_kind_of_figure_and_trace_is_here(figures: dict[str, dict[str, Any]]) -> None:
    """The inputs reach every branch worth checking, so the test below sees them all."""
    keys = {f["key"] for f in figures.values()}
    assert keys == {
        "cadence_time",
        "cadence_speed",
        "stance_time_ms",
        "vertical_oscillation_mm",
        "vertical_ratio_pct",
        "step_length_m",
        "stance_balance_left_pct",
        "index_cadence",
        "season_cadence",
        "season_load",
        "season_form",
        "season_distribution",
        "roster_cadence",
    }
    traces = [t for f in figures.values() for t in _parsed(f)["data"]]
    names = {t.get("name") for t in traces}
    assert {"progression target", "numbness logged", "contact time at reference pace"} <= names
    assert any(t["type"] == "bar" and t.get("orientation") == "h" for t in traces)  # lanes
    assert any(t["marker"].get("showscale") for t in traces if "colorbar" in t.get("marker", {}))
    assert any(None in t["x"] for t in traces if isinstance(t.get("x"), list))  # a month off
    assert any(isinstance(t.get("x"), dict) for t in traces)  # typed arrays
    numbness = _parsed(figures["overstrider.fit+numb:cadence_time"])["layout"]["annotations"]
    assert "numbness logged" in [a["text"] for a in numbness]


def test_plotly_takes_every_figure_as_it_is(figures: dict[str, dict[str, Any]]) -> None:
    """plotly's validators accept each figure (a misspelt property raises ValueError) and
    write it back unchanged: nothing in it needed plotly.py's normalising (a colour scale by
    name, say, which plotly.js would read with other stops), so the page sees what plotly.py
    drew before. Only the template differs: plotly.py adds one, the page needs none."""
    for name, spec in figures.items():
        ours = _parsed(spec)
        try:
            fig = go.Figure(ours)
        except ValueError as exc:
            pytest.fail(f"{name}: {exc}")
        back = json.loads(fig.to_json())
        back["layout"].pop("template")
        assert back == ours, name
        assert spec["height"] == ours["layout"]["height"], name


def test_a_misspelt_property_is_caught() -> None:
    layout = pk.layout("y", "x")
    trace = {"type": "scatter", "x": [1, 2], "y": [3, 4], "line": {"colour": "red"}}
    spec = pk.spec("typo", "A typo", [trace], layout, "")
    with pytest.raises(ValueError, match="colour"):
        go.Figure(_parsed(spec))


def _plotly_x(value: Any) -> Any:
    """What plotly.py's own to_json writes for ``value`` as a trace's x."""
    return json.loads(go.Figure([go.Scatter(x=value)]).to_json())["data"][0]["x"]


@pytest.mark.parametrize(
    "value",
    [
        np.array([1.5, np.nan, 2.25], dtype="f4"),
        np.array([[1.0, 2.0], [3.0, np.inf]]),
        np.array([1, 2, 300]),  # int64: narrowed to int16
        np.array([1, 2**40]),  # too wide for plotly.js: a list
        np.array([3, 4], dtype="uint64"),
        np.array([True, False]),
        np.array(["a", "b"]),
        np.array(["a", None, 1.5], dtype=object),
        np.array([], dtype=float),
        np.array(["2024-05-01T08:00:00"], dtype="datetime64[s]"),
        np.array(["2024-05-01"], dtype="datetime64[D]"),
        [np.float32(1.1), np.float64(2.2), np.int64(3), np.bool_(True), np.nan, -np.inf],
        [datetime(2024, 5, 1, 8, 0, 0, 123456), datetime(2024, 5, 1, 8, tzinfo=UTC)],
        [date(2024, 5, 1), np.datetime64("2024-05-01T08:00:00"), np.datetime64("2024-05-02")],
        [None, "x", 1, 2.5, float("nan")],
        (1, 2),
    ],
    ids=repr,
)
def test_values_are_written_as_plotly_wrote_them(value: Any) -> None:
    ours = json.loads(figure_json([{"type": "scatter", "x": value}], {}))["data"][0]["x"]
    assert ours == _plotly_x(value)


def test_nan_is_a_gap_and_layout_values_are_plain() -> None:
    y = np.array([1.0, np.nan], dtype="f4")
    layout = {
        "height": np.int64(300),
        "xaxis": {"range": np.array([0.0, np.nan])},  # a range stays a list (as plotly.py's)
        "shapes": [{"type": "line", "x0": np.float32(0.5), "x1": datetime(2024, 5, 1)}],
    }
    fig = json.loads(figure_json([{"type": "scatter", "x": [1.0, float("inf")], "y": y}], layout))
    trace = fig["data"][0]
    assert trace["x"] == [1.0, None]
    assert trace["y"]["dtype"] == "f4"
    decoded = np.frombuffer(base64.b64decode(trace["y"]["bdata"]), dtype="f4")
    assert decoded[0] == 1.0 and np.isnan(decoded[1])  # plotly.js reads NaN as a gap
    assert fig["layout"] == {
        "height": 300,
        "xaxis": {"range": [0.0, None]},
        "shapes": [{"type": "line", "x0": 0.5, "x1": "2024-05-01T00:00:00"}],
    }
    not_a_time = np.array(["NaT"], dtype="datetime64[s]")
    assert json.loads(figure_json([{"x": not_a_time}], {}))["data"][0]["x"] == [None]
    with pytest.raises(TypeError, match="a plot cannot hold"):
        figure_json([{"x": [object()]}], {})


def test_the_bundle_and_its_name_are_plotlys() -> None:
    """The page's plotly.js is read from plotly's package data without importing plotly:
    the same text and version plotly.offline gives."""
    from plotly.offline import get_plotlyjs, get_plotlyjs_version

    assert plotly_bundle() == get_plotlyjs()
    assert plotly_asset_name() == f"assets/plotly-{get_plotlyjs_version()}.min.js"


def test_drawing_pages_imports_no_plotly(home: Path, tmp_path: Path) -> None:
    """A report (self-contained, and two sharing one plotly.js with their index), a season
    page and the roster, each in a fresh interpreter: plotly's Python package is not loaded
    (its graph objects and plotly.io took 0.2-0.3 s of every such process, and even
    ``import plotly`` costs ~80 ms)."""
    one, two = str(SAMPLES / "overstrider.fit"), str(SAMPLES / "run_walk.fit")
    store = f"import os; os.environ['FOOTFALL_HOME'] = {str(home)!r}; "
    runs: list[tuple[list[str], str]] = [
        (["analyze", one, "--output", str(tmp_path / "one")], ""),
        (["analyze", one, two, "--output", str(tmp_path / "two")], ""),
        (["report", "season", "--athlete", "ana", "--output", str(tmp_path / "s")], store),
        (["report", "roster", "--output", str(tmp_path / "s")], store),
    ]
    for args, setup in runs:
        entry = setup + "from footfall.cli import main; main()"
        _, loaded = _probe(args, entry=entry, modules=PLOTLY)
        assert loaded == [], args
    pages = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.html"))
    assert pages == [
        "one/overstrider.html",
        "s/ana/season.html",
        "s/ben/season.html",  # the roster draws each athlete's season page too
        "s/roster.html",
        "two/index.html",
        "two/overstrider.html",
        "two/run_walk.html",
    ]
    for page in pages:
        assert '<script type="application/json"' in (tmp_path / page).read_text("utf-8"), page
