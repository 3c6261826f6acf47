"""Report size and render time for a 1-hour and a 4-hour run (a benchmark, not a test).

    .venv/bin/python scripts/bench_report.py            # generates the two FIT files
    .venv/bin/python scripts/bench_report.py a.fit ...  # or measures the files given

Files and reports are written to bench-out/ (git-ignored). Render time is the median of
several renders of the same Analysis (reading and analysing are timed once, separately).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import footfall
from bench import running_fit  # the same synthetic runs as scripts/bench.py
from footfall.report.html import plotly_js, render_report

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench-out"


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("files", nargs="*", type=Path, help="FIT/GPX/TCX files to measure")
    parser.add_argument("--runs", type=int, default=7, help="renders per file (median)")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    files: list[Path] = list(args.files)
    if not files:
        for hours in (1, 4):
            target = OUT / f"run_{hours}h.fit"
            target.write_bytes(running_fit(hours * 3600, seed=hours))
            files.append(target)
    print(f"plotly.js bundle: {len(plotly_js().encode('utf-8')) / 1e6:.2f} MB (embedded once)")
    for path in files:
        measure(path, args.runs)


if __name__ == "__main__":
    main()
