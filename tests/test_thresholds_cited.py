"""Every threshold in the analysis code points at the § or reference it comes from."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "footfall"
MODULES = [
    *sorted((SRC / "detectors").glob("*.py")),
    *sorted((SRC / "series").glob("*.py")),
    SRC / "metrics.py",
    SRC / "reference.py",
    *sorted((SRC / "coaching").glob("*.py")),
    SRC / "pipeline.py",
    SRC / "duplicates.py",
    SRC / "store" / "accounts.py",
    *sorted((SRC / "web").glob("*.py")),
]
CITATION_MARKS = (
    "§",
    "SCIENCE.md",
    "heuristic",
    "FIT profile",
    "PMID",
    "IUGG",
    "model]",
    "NIST",
    "RFC",
    "OWASP",
)


def _numeric_constants(tree: ast.Module) -> list[tuple[str, int]]:
    out = []
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            value = node.value
            if value is None or not names or not names[0].isupper():
                continue
            numbers = [n for n in ast.walk(value) if isinstance(n, ast.Constant)]
            if numbers and all(isinstance(n.value, int | float) for n in numbers):
                out.append((names[0], node.lineno))
    return out


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_thresholds_cite_their_source(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    missing = []
    for name, lineno in _numeric_constants(ast.parse(text)):
        # the constant's own line, or the comment block right above it, or the module
        # docstring when it names the constant
        context = [lines[lineno - 1]]
        i = lineno - 2
        while i >= 0 and lines[i].lstrip().startswith("#"):
            context.append(lines[i])
            i -= 1
        if not any(mark in line for line in context for mark in CITATION_MARKS):
            missing.append(f"{name} (line {lineno})")
    assert not missing, f"{path.name}: thresholds without a source: {', '.join(missing)}"
