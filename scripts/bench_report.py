"""Report size and render time (a benchmark, not a test).

    .venv/bin/python scripts/bench_report.py                 # generated 1 h and 4 h runs
    .venv/bin/python scripts/bench_report.py a.fit ...       # or the files given
    .venv/bin/python scripts/bench_report.py --batch DIR     # page sizes of a folder's batch

Render time is the median of several renders of the same Analysis (reading and analysing are
timed once, separately). ``--batch`` writes the folder's reports twice, as ``footfall analyze``
does (pages sharing one plotly.js in assets/) and self-contained, and prints the median page
size of each form with the issue's target (a batch page at most 400 kB), and checks that no
page lost a plot. Files and reports are written to bench-out/ (git-ignored).
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import footfall
from bench import running_fit, season  # the same synthetic runs as scripts/bench.py
from footfall.report.html import plotly_bundle, plotly_js, render_report
from footfall.report.json import analysis_to_dict
from footfall.report.writer import ReportWriter

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench-out"
#: the issue's target for the median page of a batch
BATCH_MEDIAN_TARGET_BYTES = 400_000
_PLOT = re.compile(r'data-figure="([^"]+)"')


def measure(path: Path, runs: int) -> None:
    start = time.perf_counter()
    analysis = footfall.analyze(path)
    analysed = time.perf_counter() - start
    render_report(analysis)  # warm-up: template compilation, plotly import
    times = []
    html = ""
    for _ in range(runs):
        start = time.perf_counter()
        html = render_report(analysis)
        times.append(time.perf_counter() - start)
    size = len(html.encode("utf-8"))
    bundle = len(plotly_js().encode("utf-8")) if html.count("plotly.js v") else 0
    target = OUT / f"{path.stem}.html"
    target.write_text(html, encoding="utf-8")
    hours = analysis.summary["duration_s"] / 3600
    print(
        f"{path.name:<24} {hours:5.2f} h  report {size / 1e6:6.2f} MB  "
        f"without plotly.js {(size - bundle) / 1e3:7.1f} kB  "
        f"render median {statistics.median(times) * 1e3:7.1f} ms "
        f"(min {min(times) * 1e3:.1f}, {runs} runs)  analyze {analysed * 1e3:.0f} ms"
    )


@dataclass
class BatchSizes:
    """Page sizes (bytes) of one batch written both ways, and what the folder holds."""

    pages: int
    shared: list[int]
    single: list[int]
    shared_total: int  # the batch folder, the shared plotly.js and the index included
    single_total: int
    plots_lost: list[str]  # pages whose shared form has fewer plots than the single form
    rejected: int

    @property
    def shared_median(self) -> float:
        return statistics.median(self.shared) if self.shared else float("nan")

    @property
    def single_median(self) -> float:
        return statistics.median(self.single) if self.single else float("nan")


def _write(paths: list[Path], out: Path, self_contained: bool) -> ReportWriter:
    if out.exists():
        shutil.rmtree(out)
    writer = ReportWriter("html", out, self_contained=self_contained)
    for path in paths:
        try:
            analysis = footfall.analyze(path)
        except footfall.FootfallError as exc:  # not a run, damaged...: left out, as the CLI does
            writer.reject(str(path), exc.problem, skipped=isinstance(exc, footfall.NotARun))
            continue
        writer.add(analysis, analysis_to_dict(analysis))
    writer.finish()
    return writer


def batch_sizes(paths: list[Path], out: Path) -> BatchSizes:
    """Write ``paths`` as one batch in both forms under ``out`` and measure the pages."""
    shared = _write(paths, out / "batch", self_contained=False)
    single = _write(paths, out / "self-contained", self_contained=True)

    def pages(writer: ReportWriter) -> dict[str, Path]:
        return {p.name: p for p in writer.written if p.suffix == ".html" and p.name != "index.html"}

    def total(folder: Path) -> int:
        return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())

    shared_pages, single_pages = pages(shared), pages(single)
    lost = [
        name
        for name, page in shared_pages.items()
        if len(_PLOT.findall(page.read_text("utf-8")))
        < len(_PLOT.findall(single_pages[name].read_text("utf-8")))
    ]
    return BatchSizes(
        pages=len(shared_pages),
        shared=[p.stat().st_size for p in shared_pages.values()],
        single=[p.stat().st_size for p in single_pages.values()],
        shared_total=total(out / "batch"),
        single_total=total(out / "self-contained"),
        plots_lost=lost,
        rejected=len(shared.rejected),
    )


def print_batch(label: str, sizes: BatchSizes) -> bool:
    met = sizes.shared_median <= BATCH_MEDIAN_TARGET_BYTES and not sizes.plots_lost
    print(
        f"{label}: {sizes.pages} reports ({sizes.rejected} files left out)\n"
        f"  median page, batch (shared plotly.js): {sizes.shared_median / 1e3:8.1f} kB  "
        f"(max {max(sizes.shared, default=0) / 1e3:.1f} kB; target <= "
        f"{BATCH_MEDIAN_TARGET_BYTES / 1e3:.0f} kB: {'met' if met else 'MISSED'})\n"
        f"  median page, self-contained:           {sizes.single_median / 1e3:8.1f} kB\n"
        f"  whole folder: batch {sizes.shared_total / 1e6:.1f} MB "
        f"(plotly.js {len(plotly_bundle().encode('utf-8')) / 1e6:.1f} MB once), "
        f"self-contained {sizes.single_total / 1e6:.1f} MB\n"
        f"  pages that lost a plot in the batch form: {len(sizes.plots_lost)}"
        + (f" ({', '.join(sizes.plots_lost)})" if sizes.plots_lost else "")
    )
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("files", nargs="*", type=Path, help="FIT/GPX/TCX files to measure")
    parser.add_argument("--runs", type=int, default=7, help="renders per file (median)")
    parser.add_argument(
        "--batch", type=Path, metavar="DIR", help="page sizes of a folder written as one batch"
    )
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    if args.batch:
        from footfall.batch import expand_paths

        paths, problems = expand_paths([args.batch])
        if problems:
            print(f"bench_report: {problems[0]}", file=sys.stderr)
            return 2
        return 0 if print_batch(str(args.batch), batch_sizes(paths, OUT / "batch-sizes")) else 1
    files: list[Path] = list(args.files)
    if not files:
        for hours in (1, 4):
            target = OUT / f"run_{hours}h.fit"
            target.write_bytes(running_fit(hours * 3600, seed=hours))
            files.append(target)
    print(f"plotly.js bundle: {len(plotly_js().encode('utf-8')) / 1e6:.2f} MB (embedded once)")
    for path in files:
        measure(path, args.runs)
    generated = OUT / "season"
    generated.mkdir(exist_ok=True)
    print_batch("8 generated runs", batch_sizes(season(generated, 8), OUT / "batch-sizes"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
