"""footfall's evidence base, docs/science.md, shipped as ``footfall/report/science.md``.

Reports cite it as "science §1.2". This module lets a report show those sections offline:

- ``sections()`` splits the page into numbered sections ("1.2" -> ``Section``);
- ``render_markdown()`` renders the small markdown subset the page uses (headings, paragraphs,
  ``-`` lists, pipe tables, bold, italic, code, http(s) links) and escapes everything else;
- ``linkify()`` escapes a text and turns each citation into a link to the in-page appendix;
- ``cited()`` picks the sections cited in a set of texts, so a report appends just those.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from urllib.parse import urlsplit

from markupsafe import Markup, escape

#: A citation: "science §1.2", "science §1.2", "docs/science.md §1.2" or a bare "§1.2", and
#: ranges such as "§6.3–6.4", "§3.3-3.4" or "§4-§5" (the link goes to the first section).
CITATION = re.compile(
    r"(?:(?<![\w/.])(?P<prefix>(?i:docs/science\.md|science\.md|science))\s+)?"
    r"§\s?(?P<first>\d+(?:\.\d+)*)"
    r"(?:\s?[–-]\s?§?\s?(?P<last>\d+(?:\.\d+)*))?"
)

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*$")
_NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)\s+(.+)$")
_TABLE_RULE = re.compile(r"^\|?(\s*:?-+:?\s*\|)+\s*:?-*:?\s*$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_INLINE = re.compile(
    r"`(?P<code>[^`]+)`"
    r"|\[(?P<label>[^\]]+)\]\((?P<url>(?:[^()\s]|\([^()\s]*\))+)\)"
    r"|\*\*(?P<bold>.+?)\*\*"
    r"|\*(?P<em>[^\s*](?:.*?[^\s*])?)\*"
)
#: appendix entries start at <h3>: the report's own sections use <h2>
_APPENDIX_LEVEL = 3


@dataclass(frozen=True)
class Section:
    """One numbered section: its heading and everything up to the next heading of the same or
    a higher level (so "1" holds 1.1-1.5, "1.2" holds only itself)."""

    number: str
    title: str
    level: int
    markdown: str
    html: Markup

    @property
    def anchor(self) -> str:
        return anchor(self.number)


def anchor(number: str) -> str:
    """'1.2' -> 'science-1-2', the id of that section in a report."""
    return "science-" + number.replace(".", "-")


def _key(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in number.split("."))


@lru_cache(maxsize=1)
def sections() -> dict[str, Section]:
    """The numbered sections of the packaged science.md, by number (do not mutate)."""
    text = files("footfall.report").joinpath("science.md").read_text(encoding="utf-8")
    return parse_sections(text)


def parse_sections(text: str) -> dict[str, Section]:
    lines = text.splitlines()
    headings: list[tuple[int, int, str]] = []  # (line index, level, heading text)
    for i, line in enumerate(lines):
        m = _HEADING.match(line)
        if m:
            headings.append((i, len(m.group(1)), m.group(2)))
    out: dict[str, Section] = {}
    for pos, (start, level, heading) in enumerate(headings):
        numbered = _NUMBERED.match(heading)
        if not numbered:
            continue
        end = next((i for i, lv, _ in headings[pos + 1 :] if lv <= level), len(lines))
        markdown = "\n".join(lines[start:end]).strip("\n")
        number, title = numbered.group(1), numbered.group(2)
        html = render_markdown(markdown, heading_offset=_APPENDIX_LEVEL - level)
        out[number] = Section(number, title, level, markdown, html)
    return out


def render_markdown(text: str, *, heading_offset: int = 0) -> Markup:
    """The markdown subset of science.md as HTML; any other markup is shown as text.

    Numbered headings get the id ``science-<number>`` so citations can link to them;
    ``heading_offset`` moves every heading level by that much (clamped to h1-h6).
    """
    lines = text.splitlines()
    out: list[str] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            out.append(f"<p>{_inline(' '.join(s.strip() for s in para))}</p>")
            para.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        heading = _HEADING.match(line)
        if not line.strip():
            flush()
            i += 1
        elif heading:
            flush()
            level = min(6, max(1, len(heading.group(1)) + heading_offset))
            numbered = _NUMBERED.match(heading.group(2))
            ident = f' id="{anchor(numbered.group(1))}"' if numbered else ""
            out.append(f"<h{level}{ident}>{_inline(heading.group(2))}</h{level}>")
            i += 1
        elif (
            line.lstrip().startswith("|") and i + 1 < len(lines) and _TABLE_RULE.match(lines[i + 1])
        ):
            flush()
            i = _table(lines, i, out)
        elif line.startswith("- "):
            flush()
            i = _bullets(lines, i, out)
        else:
            para.append(line)
            i += 1
    flush()
    return Markup("\n".join(out))


def _cells(row: str) -> list[str]:
    row = row.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    return [cell.strip().replace("\\|", "|") for cell in _CELL_SPLIT.split(row)]


def _table(lines: list[str], i: int, out: list[str]) -> int:
    head = "".join(f"<th>{_inline(c)}</th>" for c in _cells(lines[i]))
    i += 2
    body = []
    while i < len(lines) and lines[i].lstrip().startswith("|"):
        body.append("<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in _cells(lines[i])) + "</tr>")
        i += 1
    out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")
    return i


def _bullets(lines: list[str], i: int, out: list[str]) -> int:
    items: list[str] = []
    while i < len(lines):
        line = lines[i]
        if line.startswith("- "):
            items.append(line[2:].strip())
        elif items and line.strip() and line[:1].isspace():
            items[-1] += " " + line.strip()  # continuation of the item above
        else:
            break
        i += 1
    out.append("<ul>" + "".join(f"<li>{_inline(item)}</li>" for item in items) + "</ul>")
    return i


def _inline(text: str) -> str:
    parts: list[str] = []
    pos = 0
    for m in _INLINE.finditer(text):
        parts.append(escape(text[pos : m.start()]))
        if m.group("code") is not None:
            parts.append(f"<code>{escape(m.group('code'))}</code>")
        elif m.group("label") is not None:
            label, url = _inline(m.group("label")), m.group("url")
            if urlsplit(url).scheme in ("http", "https"):
                parts.append(
                    f'<a href="{escape(url)}" target="_blank" rel="noopener noreferrer">{label}</a>'
                )
            else:
                parts.append(label)  # only web links: no javascript:, data: or local paths
        elif m.group("bold") is not None:
            parts.append(f"<strong>{_inline(m.group('bold'))}</strong>")
        else:
            parts.append(f"<em>{_inline(m.group('em'))}</em>")
        pos = m.end()
    parts.append(escape(text[pos:]))
    return "".join(parts)


def linkify(text: str) -> Markup:
    """Escape ``text`` and link each citation of a known section to the report appendix.

    "science §1.2" and "docs/science.md §1.2" read "science §1.2" afterwards (the name of
    the page users have); a range links to its first section and keeps its text.
    """
    known = sections()
    parts: list[str] = []
    pos = 0
    for m in CITATION.finditer(text):
        parts.append(escape(text[pos : m.start()]))
        prefix = m.group("prefix")
        if prefix is not None:
            parts.append(escape(prefix if prefix.lower() == "science" else "science") + " ")
        cite = escape(text[text.index("§", m.start()) : m.end()])
        number = m.group("first")
        if number in known:
            parts.append(f'<a class="cite" href="#{anchor(number)}">{cite}</a>')
        else:
            parts.append(cite)  # no such section: leave the text, do not link to nothing
        pos = m.end()
    parts.append(escape(text[pos:]))
    return Markup("".join(parts))


def _expand(first: str, last: str | None, known: dict[str, Section]) -> list[str]:
    """The known sections a citation names; a range also takes the siblings in between."""
    if last is None:
        return [first] if first in known else []
    lo, hi = _key(first), _key(last)
    if len(lo) != len(hi) or lo[:-1] != hi[:-1] or hi < lo:
        return [n for n in (first, last) if n in known]
    return [n for n in known if len(_key(n)) == len(lo) and lo <= _key(n) <= hi]


def cited(texts: Iterable[str]) -> list[Section]:
    """The sections cited anywhere in ``texts``, in numeric order, each once.

    A subsection pulls only itself; a cited section already contains its subsections, so they
    are not repeated after it.
    """
    known = sections()
    numbers: set[str] = set()
    for text in texts:
        for m in CITATION.finditer(text):
            numbers.update(_expand(m.group("first"), m.group("last"), known))

    def inside_another(n: str) -> bool:
        return any(n != a and n.startswith(a + ".") for a in numbers)

    return [known[n] for n in sorted(numbers, key=_key) if not inside_another(n)]
