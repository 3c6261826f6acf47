"""docs/science.md, the evidence base users get: its sections, citations and references."""

from __future__ import annotations

import ast
import re
import tomllib
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

from footfall.report.science import CITATION, cited, linkify, render_markdown, sections

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "footfall"
DOC = ROOT / "docs" / "science.md"
KNOWLEDGE = SRC / "coaching" / "knowledge.toml"
UNCHECKED = ("to verify", "not re-verified", "from memory")
#: the numbering code and rule texts rely on (SCIENCE.md's, kept as is)
REQUIRED = (
    *("1", "1.1", "1.2", "1.3", "1.4", "1.5"),
    *("2", "2.1", "2.2", "2.3", "2.4"),
    *("3", "3.1", "3.2", "3.3", "3.4", "3.5"),
    *("4", "4.1", "4.2", "4.3"),
    "5",
    *("6", "6.1", "6.2", "6.3", "6.4", "6.5"),
    "8",
)


def _source_files() -> list[Path]:
    return sorted(p for p in SRC.rglob("*") if p.suffix in (".py", ".toml", ".html"))


def test_every_section_cited_in_src_exists() -> None:
    known = sections()
    missing, count = [], 0
    for path in _source_files():
        text = path.read_text(encoding="utf-8")
        spans = [m.span() for m in CITATION.finditer(text)]
        # every "§<digit>" must be read as a citation, or the regex silently skips some
        for sign in re.finditer(r"§\s?\d", text):
            assert any(a <= sign.start() < b for a, b in spans), (path, text[sign.start() :][:20])
        for m in CITATION.finditer(text):
            for number in (m.group("first"), m.group("last")):
                if number is not None:
                    count += 1
                    if number not in known:
                        missing.append(f"{path.relative_to(SRC)}: §{number}")
    assert count > 100  # the code does cite the page; a regex finding nothing must fail
    assert not missing, missing


def test_numbering_and_headings_are_kept() -> None:
    known = sections()
    assert [n for n in REQUIRED if n not in known] == []
    assert known["1"].level == 2 and known["1"].title == "Cadence"
    assert known["1.2"].level == 3
    assert "## 1 Cadence" in DOC.read_text(encoding="utf-8")
    assert "7" not in known or known["7"].title == "Limits"


def test_a_section_runs_to_the_next_heading_of_its_level() -> None:
    known = sections()
    assert "### 1.5 " in known["1"].markdown and "## 2 " not in known["1"].markdown
    assert known["1.2"].markdown.startswith("### 1.2 ")
    assert "### 1.3" not in known["1.2"].markdown
    assert "C_ref(v, h) = (150.0 + 6.0·v) − 0.5·(h_cm − 181)" in known["1.2"].markdown
    # appendix entries start at h3 whatever their level in the page
    assert str(known["1.2"].html).startswith('<h3 id="science-1-2">1.2 ')
    assert str(known["6"].html).startswith('<h3 id="science-6">6 ')
    assert '<h4 id="science-6-2">' in known["6"].html


def test_packaged_copy_is_the_docs_file() -> None:
    link = SRC / "report" / "science.md"
    assert link.is_symlink() and link.resolve() == DOC.resolve()
    packaged = files("footfall.report").joinpath("science.md").read_text(encoding="utf-8")
    assert packaged == DOC.read_text(encoding="utf-8")
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "report/*.md" in pyproject["tool"]["setuptools"]["package-data"]["footfall"]


def test_linkify_escapes_and_links_citations() -> None:
    html = str(
        linkify(
            '<script>alert("x")</script> SCIENCE.md §6.3–6.4, §3.3-3.4, '
            "docs/science.md §1.2, science §4.2 and §99."
        )
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'science <a class="cite" href="#science-6-3">§6.3–6.4</a>,' in html
    assert '<a class="cite" href="#science-3-3">§3.3-3.4</a>' in html
    assert 'science <a class="cite" href="#science-1-2">§1.2</a>' in html
    assert 'science <a class="cite" href="#science-4-2">§4.2</a>' in html
    assert "SCIENCE.md" not in html and "docs/science.md" not in html
    assert "§99." in html and "science-99" not in html  # no link to a missing section


def test_render_markdown_subset() -> None:
    html = str(
        render_markdown(
            "## 9 Title\n\n| a | b |\n|---|---|\n| **x** | `<y>` \\| z |\n\n"
            "- one\n  more\n- [two](https://e.org/a_(b)) and [bad](javascript:alert(1))\n\n"
            "<b>raw</b> *it* & done"
        )
    )
    assert '<h2 id="science-9">9 Title</h2>' in html
    assert (
        "<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td><strong>x</strong>"
        "</td><td><code>&lt;y&gt;</code> | z</td></tr></tbody></table>"
    ) in html
    assert "<ul><li>one more</li><li>" in html
    assert '<a href="https://e.org/a_(b)" target="_blank" rel="noopener noreferrer">two</a>' in html
    assert "javascript" not in html and "and bad</li></ul>" in html
    assert "<p>&lt;b&gt;raw&lt;/b&gt; <em>it</em> &amp; done</p>" in html


def test_cited_sections_in_order_once() -> None:
    texts = ["see §6.3–6.4", "SCIENCE.md §1.2 and §1.2", "science §6.2-6.3", "§99"]
    assert [s.number for s in cited(texts)] == ["1.2", "6.2", "6.3", "6.4"]
    assert [s.number for s in cited(["§6.3", "§6"])] == ["6"]
    assert [s.number for s in cited(["§4-§5"])] == ["4", "5"]
    assert cited(["no citation here"]) == []


def test_doc_is_checked_and_uses_the_supported_markdown() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert [p for p in UNCHECKED if p in text.lower()] == []
    lines = text.splitlines()
    # the renderer knows headings, paragraphs, "-" lists and pipe tables only
    assert [ln for ln in lines if re.match(r"\s*(\d+\.\s|>|```|\* )", ln)] == []


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _check_reference(ref: str, keys: dict[str, str]) -> str | None:
    """A problem with one `references` entry: a section citation or a [references] key."""
    citation = CITATION.search(ref)
    if citation:
        return None if citation.group("first") in sections() else f"no section: {ref}"
    return None if ref in keys else f"no [references] entry: {ref}"


def test_knowledge_references_exist_and_are_checked() -> None:
    data = tomllib.loads(KNOWLEDGE.read_text(encoding="utf-8"))
    keys: dict[str, str] = data["references"]
    used = [r for entry in data["numbness"].values() for r in entry.get("references", [])]
    used += [r for drill in data["drills"] for r in drill.get("references", [])]
    assert len(used) > 10
    problems = [p for r in used if (p := _check_reference(r, keys))]
    assert not problems, problems
    # nothing a user sees names a file they do not have or a check that was not done
    visible = list(_strings(data))
    assert [s for s in visible if "SCIENCE.md" in s] == []
    assert [s for s in visible if any(p in s.lower() for p in UNCHECKED)] == []
    # each DOI shown to users is one docs/science.md lists as checked
    doc = DOC.read_text(encoding="utf-8")
    dois = [m for text in keys.values() for m in re.findall(r"https://doi\.org/(\S+)", text)]
    assert len(dois) > 15
    assert [d for d in dois if d not in doc] == []


def test_detector_references_exist() -> None:
    keys = tomllib.loads(KNOWLEDGE.read_text(encoding="utf-8"))["references"]
    problems, count = [], 0
    for path in sorted((SRC / "detectors").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "references":
                assert isinstance(node.value, ast.List), path
                for item in node.value.elts:
                    assert isinstance(item, ast.Constant) and isinstance(item.value, str), path
                    count += 1
                    if problem := _check_reference(item.value, keys):
                        problems.append(f"{path.name}: {problem}")
    assert count > 5
    assert not problems, problems
