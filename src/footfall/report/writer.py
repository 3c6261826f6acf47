"""Writing reports to a folder: one page (and/or JSON) per activity, and an index at the end.

Each activity is written as soon as it is analysed, so a batch holds no series in memory;
only the small JSON dicts are kept for the index.

One report is one self-contained file. As soon as a second report is written, the pages of
the batch share one copy of plotly.js in ``assets/`` (4.8 MB once instead of once a page),
and the first page is rewritten to use it; ``self_contained=True`` keeps every page whole.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from footfall.model import Analysis
from footfall.report.files import report_stem

if TYPE_CHECKING:
    from footfall.report.html import ReportPage

#: output formats: html pages, json files, or both
FORMATS = ("html", "json", "both")


class ReportWriter:
    """Writes each activity's report as soon as it is analysed, and the index at the end."""

    def __init__(self, output_format: str, out_dir: Path, *, self_contained: bool = False) -> None:
        if output_format not in FORMATS:
            raise ValueError(f"output format must be one of {FORMATS}, not {output_format!r}")
        self.format = output_format
        self.out_dir = out_dir
        self.self_contained = self_contained
        self.written: list[Path] = []
        self.entries: list[tuple[str, dict[str, Any]]] = []
        #: files that gave no report: (path, reason, skipped) where skipped means "not a run"
        self.rejected: list[tuple[str, str, bool]] = []
        self._stems: set[str] = set()
        #: the first page while it is still self-contained (it is rewritten if a second comes)
        self._first: tuple[Path, ReportPage] | None = None
        self._pages = 0
        self.asset: Path | None = None
        out_dir.mkdir(parents=True, exist_ok=True)

    @property
    def html(self) -> bool:
        return self.format in ("html", "both")

    @property
    def json(self) -> bool:
        return self.format in ("json", "both")

    def _stem(self, source_path: str) -> str:
        stem = base = report_stem(source_path)
        n = 1
        while stem.lower() in self._stems:
            n += 1
            stem = f"{base}-{n}"
        self._stems.add(stem.lower())
        return stem

    def add(self, analysis: Analysis, result: dict[str, Any]) -> None:
        stem = self._stem(result["source"]["path"])
        if self.json:
            target = self.out_dir / f"{stem}.json"
            target.write_text(
                json.dumps(result, indent=2, ensure_ascii=False),
                encoding="utf-8",
                errors="backslashreplace",
            )
            self.written.append(target)
        if self.html:
            self._add_page(self.out_dir / f"{stem}.html", analysis)
        self.entries.append((stem, result))

    def _add_page(self, target: Path, analysis: Analysis) -> None:
        from footfall.report.html import ReportPage

        page = ReportPage(analysis)
        self._pages += 1
        if self.self_contained:
            target.write_text(page.html(), encoding="utf-8", errors="backslashreplace")
        elif self._pages == 1:
            target.write_text(page.html(), encoding="utf-8", errors="backslashreplace")
            self._first = (target, page)
        else:
            if self._first is not None:  # the first page now shares the batch's copy too
                first, first_page = self._first
                if first_page.has_plots:
                    first.write_text(
                        first_page.html(self._shared_plotly()),
                        encoding="utf-8",
                        errors="backslashreplace",
                    )
                self._first = None
            src = self._shared_plotly() if page.has_plots else None
            target.write_text(page.html(src), encoding="utf-8", errors="backslashreplace")
        self.written.append(target)

    def _shared_plotly(self) -> str:
        """The relative URL of the batch's plotly.js, written on first use."""
        from footfall.report.html import plotly_asset_name, plotly_bundle

        name = plotly_asset_name()
        if self.asset is None:
            asset = self.out_dir / name
            data = plotly_bundle().encode("utf-8")
            # another batch may have left the same file: rewrite it only when it differs
            if (
                not asset.is_file()
                or asset.stat().st_size != len(data)
                or asset.read_bytes() != data
            ):
                asset.parent.mkdir(parents=True, exist_ok=True)
                asset.write_bytes(data)
            self.asset = asset
            self.written.append(asset)
        return name

    def reject(self, path: str, reason: str, *, skipped: bool = False) -> None:
        """Remember a file that gave no report, for the index."""
        self.rejected.append((path, reason, skipped))

    def finish(self) -> list[Path]:
        if self.html and len(self.entries) > 1:
            from footfall.report.html import IndexPage

            index = IndexPage(self.entries, self.rejected)
            shared = index.has_plots and not self.self_contained
            target = self.out_dir / "index.html"
            target.write_text(
                index.html(self._shared_plotly() if shared else None),
                encoding="utf-8",
                errors="backslashreplace",
            )
            self.written.append(target)
        return self.written


def shared_plotly(root: Path) -> Path:
    """The one plotly.js of a folder of pages (``root/assets/plotly-<version>.min.js``),
    written when missing or different; pages in sub-folders load it with ``../``."""
    from footfall.report.html import plotly_asset_name, plotly_bundle

    asset = root / plotly_asset_name()
    data = plotly_bundle().encode("utf-8")
    if not asset.is_file() or asset.stat().st_size != len(data) or asset.read_bytes() != data:
        asset.parent.mkdir(parents=True, exist_ok=True)
        asset.write_bytes(data)
    return asset
