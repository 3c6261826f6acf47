"""The import rules of docs/architecture.md, checked on every module of src/footfall.

Run it alone with ``.venv/bin/python -m pytest tests/test_architecture.py``. Each module
belongs to a layer; a layer may import only the layers listed for it, and third-party
libraries stay in their room. Imports inside functions count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "footfall"

#: layer -> the footfall layers it may import (besides itself)
ALLOWED: dict[str, set[str]] = {
    "core": set(),  # errors, model, config, reference: the shared vocabulary
    "io": {"core"},
    "series": {"core", "io"},
    "metrics": {"core", "series"},
    "detectors": {"core", "io", "series", "metrics"},
    "coaching": {"core", "detectors", "metrics", "series"},
    "report": {"core", "io", "detectors", "coaching", "metrics", "duplicates"},
    "pipeline": {"core", "io", "series", "metrics", "detectors", "coaching"},
    "season": {"core", "metrics", "coaching", "duplicates"},
    "duplicates": {"core"},
    "batch": {"core", "io", "coaching", "pipeline", "duplicates", "fork_server"},
    "fork_server": set(),  # stdlib only: imported before anything heavy
    "store": {"core", "duplicates"},
    "web": {"core", "batch", "store", "report", "season", "coaching", "duplicates", "api"},
    "cli": {
        "core",
        "batch",
        "store",
        "report",
        "season",
        "coaching",
        "duplicates",
        "api",
        "fork_server",
    },
    "api": {"core", "pipeline", "report", "io"},  # footfall/__init__.py: the curated API
}

#: third-party package -> the layers that may import it
ROOMS: dict[str, set[str]] = {
    "fitparse": {"io"},
    "gpxpy": {"io"},
    "plotly": {"report"},
    "jinja2": {"report", "web"},
    "markupsafe": {"report", "web"},
    "sqlite3": {"store"},
    "zstandard": {"store"},
    "fastapi": {"web"},
    "starlette": {"web"},
    "uvicorn": {"web", "cli"},
    "argon2": {"web", "store"},
    "itsdangerous": {"web"},
    # the command line is parsed in cli/ alone, with the standard library's argparse; typer
    # and click are not dependencies (start-up cost, see footfall/cli/parsing.py)
    "argparse": {"cli"},
    "typer": set(),
    "click": set(),
    "rich": {"cli"},
    "dask": {"batch"},
    "distributed": {"batch"},
    "scipy": set(),  # not a run-time dependency
}

CORE = {"errors", "model", "config", "reference", "version", "parsed_cache"}


def layer_of(module: str) -> str:
    """'footfall.io.fit.reader' -> 'io'; 'footfall.model' -> 'core'; 'footfall' -> 'api'."""
    parts = module.split(".")
    if parts == ["footfall"]:
        return "api"
    head = parts[1]
    if head in CORE:
        return "core"
    if head == "__main__":  # `python -m footfall`: the console script's twin
        return "cli"
    return head


def _module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, int]] = []
    package = (
        _module_name(path) if path.name == "__init__.py" else _module_name(path).rsplit(".", 1)[0]
    )
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            found.append((name, node.lineno))
    return found


MODULES = sorted(SRC.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_module_imports_follow_the_layers(path: Path) -> None:
    own = layer_of(_module_name(path))
    assert own in ALLOWED, f"{path}: no layer named {own!r} in docs/architecture.md"
    broken = []
    for name, line in _imports(path):
        top = name.split(".")[0]
        if top == "footfall":
            target = "api" if name == "footfall" else layer_of(name)
            if target != own and target not in ALLOWED[own]:
                broken.append(f"line {line}: {own} imports {name} ({target})")
        elif top in ROOMS and own not in ROOMS[top]:
            broken.append(f"line {line}: {top} belongs in {sorted(ROOMS[top]) or 'no layer'}")
    assert not broken, "; ".join(broken)


def test_every_module_is_under_400_lines() -> None:
    long = {
        str(p.relative_to(SRC)): n
        for p in MODULES
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert not long, long
