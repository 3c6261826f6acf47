"""Writing reports to a folder: one page (and/or JSON) per activity, and an index at the end.

Each activity is written as soon as it is analysed, so a batch holds no series in memory;
only the small JSON dicts are kept for the index.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from footfall.model import Analysis
from footfall.report.files import report_stem

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
            target.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
            self.written.append(target)
        if self.html:
            from footfall.report.html import render_report

            target = self.out_dir / f"{stem}.html"
            target.write_text(render_report(analysis), encoding="utf-8")
            self.written.append(target)
        self.entries.append((stem, result))

    def reject(self, path: str, reason: str, *, skipped: bool = False) -> None:
        """Remember a file that gave no report, for the index."""
        self.rejected.append((path, reason, skipped))

    def finish(self) -> list[Path]:
        if self.html and len(self.entries) > 1:
            from footfall.report.html import render_index

            target = self.out_dir / "index.html"
            target.write_text(render_index(self.entries), encoding="utf-8")
            self.written.append(target)
        return self.written
