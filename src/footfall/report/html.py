"""The offline HTML report: Jinja2 (autoescape on) + plotly.js, inlined or shared per batch.

Nothing on a page is loaded from a URL. A single report is one self-contained file: plotly.js
and the styles are inlined. When one command writes several reports, they load one local copy
of plotly.js from the output folder (:func:`plotly_asset_name`) instead of carrying 4.8 MB
each. A Content-Security-Policy forbids every fetch. Inline scripts may run only when their
SHA-256 hash is in the policy, so text from the file can never run as script even if it slipped
past escaping; the shared copy is admitted by ``'self'`` (on ``file://`` Chromium treats local
files as 'self' and refuses the ``integrity`` check of a no-CORS file load, so a hash cannot
admit it). Figures travel as JSON in ``<script type="application/json">`` blocks, with ``<``,
``>`` and ``&`` written as ``\\u003c``-style escapes so they cannot close the tag.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from footfall.model import Analysis
from footfall.report.science import linkify
from footfall.report.template_cache import bytecode_cache
from footfall.report.view import report_view, science_appendix

_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
#: the generated line of plotly/offline/_plotlyjs_version.py that get_plotlyjs_version reads
_PLOTLYJS_VERSION = re.compile(r"""^__plotlyjs_version__ = ["']([^"']+)["']""", re.M)


def json_for_script(text: str) -> Markup:
    """JSON text made safe inside a ``<script>`` element (no ``</script>``, no ``<!--``)."""
    for raw, escaped in _JSON_ESCAPES.items():
        text = text.replace(raw, escaped)
    return Markup(text)


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("footfall.report", "templates"),
        autoescape=select_autoescape(["html"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=bytecode_cache(),  # compiled once per machine, not once per run
    )
    env.filters["script_json"] = json_for_script
    env.filters["cite"] = linkify  # "science §1.2" -> a link to the appendix of the page
    return env


def _plotly_file(*parts: str) -> Path | None:
    """A file of the installed plotly package, found without importing plotly: its
    ``__init__`` alone costs ~80 ms (importlib.metadata) and plotly.offline ~110 ms more, for a
    file the page only copies."""
    spec = importlib.util.find_spec("plotly")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder, *parts)
        if path.is_file():
            return path
    return None


@lru_cache(maxsize=1)
def plotly_bundle() -> str:
    """The plotly.js bundle shipped with the plotly package (never the CDN), as a file holds it."""
    path = _plotly_file("package_data", "plotly.min.js")
    if path is not None:
        return path.read_bytes().decode("utf-8")  # bytes: no newline translation
    from plotly.offline import get_plotlyjs  # a plotly that keeps its bundle elsewhere

    js: str = get_plotlyjs()
    return js


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """The bundle ready to inline: it must not be able to close its ``<script>`` element."""
    return plotly_bundle().replace("</script", "<\\/script")


@lru_cache(maxsize=1)
def plotly_asset_name() -> str:
    """Where a batch keeps its one plotly.js, relative to the reports (versioned, so a folder
    written by another footfall keeps working)."""
    path = _plotly_file("offline", "_plotlyjs_version.py")
    found = _PLOTLYJS_VERSION.search(path.read_text("utf-8")) if path is not None else None
    if found is not None:
        version = found.group(1)
    else:  # the version is no longer where plotly.offline keeps it: ask plotly
        from plotly.offline import get_plotlyjs_version

        version = get_plotlyjs_version()
    return f"assets/plotly-{version}.min.js"


@lru_cache(maxsize=8)
def _script_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _csp(inline_scripts: Iterable[str], local_script: bool = False) -> str:
    """No network at all; only the listed inline scripts (and, if asked, local files) run."""
    sources = (["'self'"] if local_script else []) + [_script_hash(s) for s in inline_scripts]
    script_src = " ".join(sources) or "'none'"
    return (
        "default-src 'none'; "
        f"script-src {script_src}; "
        "style-src 'unsafe-inline'; "
        "img-src data: blob:; font-src data:; "
        "connect-src 'none'; base-uri 'none'; form-action 'none'"
    )


def _scripts(has_plots: bool, plotly_src: str | None) -> dict[str, Any]:
    """Template variables for the scripts at the bottom of a page, and its policy."""
    if not has_plots:
        none = {"plotly_src": None, "plotly_js": "", "boot_js": ""}
        return {"has_plots": False, **none, "csp": _csp([])}
    boot = _env().get_template("_boot_js.html").render()
    inline = [boot] if plotly_src else [plotly_js(), boot]
    return {
        "has_plots": True,
        "plotly_src": plotly_src,
        "plotly_js": "" if plotly_src else Markup(plotly_js()),
        "boot_js": Markup(boot),
        "csp": _csp(inline, local_script=plotly_src is not None),
    }


class ReportPage:
    """One activity's page, computed once (view and figures) and rendered in either form.

    A batch writes its first page before it knows whether a second follows, so it may need
    the same page self-contained first and with the shared plotly.js later.
    """

    def __init__(self, analysis: Analysis) -> None:
        from footfall.report.figures import report_figures

        self.view = report_view(analysis)
        self.figures = report_figures(analysis)
        self.has_plots = any(f.get("json") for group in self.figures.values() for f in group)
        captions = [str(f.get("caption") or "") for g in self.figures.values() for f in g]
        self.view["science"] = science_appendix([*self.view["cited_texts"], *captions])

    def html(self, plotly_src: str | None = None) -> str:
        """The page; with ``plotly_src`` (a relative URL such as :func:`plotly_asset_name`) it
        loads that local copy of plotly.js, without it the page is self-contained."""
        return (
            _env()
            .get_template("report.html")
            .render(
                v=self.view,
                figures=self.figures,
                plots_state="pending" if self.has_plots else "none",
                version=_version(),
                **_scripts(self.has_plots, plotly_src),
            )
        )


def render_report(analysis: Analysis, *, plotly_src: str | None = None) -> str:
    """One activity's report page, working from ``file://`` (see :meth:`ReportPage.html`)."""
    return ReportPage(analysis).html(plotly_src)


class IndexPage:
    """The index page: one row per run (several exports of one run are one row), newest first,
    a plot of median cadence over the runs, and the files that gave no report.

    ``entries`` are (stem, analysis JSON dict) of pages written as ``<stem>.html``; ``rejected``
    are (path, reason, skipped) with skipped meaning "not a run".
    """

    def __init__(
        self,
        entries: list[tuple[str, dict[str, Any]]],
        rejected: Iterable[tuple[str, str, bool]] = (),
    ) -> None:
        from footfall.report.index import index_view

        self.view = index_view(entries, list(rejected))
        self.has_plots = self.view["figure"] is not None

    def html(self, plotly_src: str | None = None) -> str:
        return (
            _env()
            .get_template("index.html")
            .render(
                ix=self.view,
                plots_state="pending" if self.has_plots else "none",
                version=_version(),
                title="footfall reports",
                **_scripts(self.has_plots, plotly_src),
            )
        )


def render_index(
    entries: list[tuple[str, dict[str, Any]]],
    rejected: Iterable[tuple[str, str, bool]] = (),
    *,
    plotly_src: str | None = None,
) -> str:
    """The index page of a batch (see :class:`IndexPage`)."""
    return IndexPage(entries, rejected).html(plotly_src)


def render_page(
    template: str, *, has_plots: bool, plotly_src: str | None = None, **values: Any
) -> str:
    """Another page of the family (the season page, the roster): the same base, scripts and
    Content-Security-Policy as a report, with ``values`` for its template."""
    return (
        _env()
        .get_template(template)
        .render(
            plots_state="pending" if has_plots else "none",
            version=_version(),
            **_scripts(has_plots, plotly_src),
            **values,
        )
    )


def _version() -> str:
    from footfall.version import installed_version

    return installed_version()
