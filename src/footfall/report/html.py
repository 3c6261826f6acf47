"""The offline HTML report: Jinja2 (autoescape on) + plotly.js embedded once per page.

Nothing on the page is loaded from a URL: plotly.js is inlined, the styles are inlined, and a
Content-Security-Policy forbids every fetch. Only the page's own scripts may run (their SHA-256
hashes are in the policy), so text from the file can never run as script even if it slipped
past escaping. Figures travel as JSON in ``<script type="application/json">`` blocks, with
``<``, ``>`` and ``&`` written as ``\\u003c``-style escapes so they cannot close the tag.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from footfall.model import Analysis
from footfall.report.science import linkify
from footfall.report.view import index_row, report_view

_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


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
    )
    env.filters["script_json"] = json_for_script
    env.filters["cite"] = linkify  # "science §1.2" -> a link to the appendix of the page
    return env


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """The plotly.js bundle shipped with the plotly package (never the CDN)."""
    from plotly.offline import get_plotlyjs

    js: str = get_plotlyjs()
    # the bundle is inlined in a <script> element: it must not be able to close it
    return js.replace("</script", "<\\/script")


@lru_cache(maxsize=8)
def _script_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _csp(scripts: list[str]) -> str:
    """No network at all; only the listed inline scripts may run."""
    script_src = " ".join(_script_hash(s) for s in scripts) or "'none'"
    return (
        "default-src 'none'; "
        f"script-src {script_src}; "
        "style-src 'unsafe-inline'; "
        "img-src data: blob:; font-src data:; "
        "connect-src 'none'; base-uri 'none'; form-action 'none'"
    )


def render_report(analysis: Analysis) -> str:
    """One activity's report page, self-contained and working from ``file://``."""
    from footfall.report.figures import report_figures

    env = _env()
    view = report_view(analysis)
    figures = report_figures(analysis)
    has_plots = any(f.get("json") for group in figures.values() for f in group)
    boot = env.get_template("_boot_js.html").render() if has_plots else ""
    scripts = [plotly_js(), boot] if has_plots else []
    return env.get_template("report.html").render(
        v=view,
        figures=figures,
        has_plots=has_plots,
        plots_state="pending" if has_plots else "none",
        plotly_js=Markup(scripts[0]) if scripts else "",
        boot_js=Markup(boot),
        csp=_csp(scripts),
        version=_version(),
    )


def render_index(entries: list[tuple[str, dict[str, Any]]]) -> str:
    """An index page linking ``<stem>.html`` for each (stem, analysis JSON dict), newest first."""
    rows = [index_row(stem, result) for stem, result in entries]
    rows.sort(key=lambda r: r["start_time"], reverse=True)
    return (
        _env()
        .get_template("index.html")
        .render(rows=rows, csp=_csp([]), version=_version(), title="footfall reports")
    )


def _version() -> str:
    from footfall.version import installed_version

    return installed_version()
