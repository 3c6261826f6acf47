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

import numpy as np

import footfall
from footfall.report.html import plotly_js, render_report

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench-out"
T0 = 1_714_550_400  # 2024-05-01 08:00 UTC


def synthetic_fit(seconds: int, seed: int = 1) -> bytes:
    """A running FIT with cadence, speed, HR and full running dynamics at 1 Hz."""
    from footfall.io.fit_write import FitWriter, semicircles

    rng = np.random.default_rng(seed)
    t = np.arange(seconds)
    speed = 3.0 + 0.25 * np.sin(t / 600.0) + rng.normal(0, 0.05, seconds)
    walk = (t % 1800) > 1740  # a 1-minute walk every 30 minutes
    speed = np.where(walk, 1.4, speed)
    spm = np.where(walk, 112.0, 166.0 + 5.0 * (speed - 3.0)) + rng.normal(0, 1.0, seconds)
    half = spm / 2.0
    distance = np.cumsum(speed)
    lat = 45.0 + distance / 111_195.0
    w = FitWriter()
    ident = {"type": "activity", "manufacturer": "garmin", "product": 3113}
    w.message("file_id", {**ident, "serial_number": 12345, "time_created": T0})
    w.message("sport", {"sport": "running", "sub_sport": "street", "name": "Run"}, local=1)
    records = {
        "timestamp": t + T0,
        "position_lat": semicircles(lat),
        "position_long": semicircles(np.full(seconds, 5.0)),
        "distance": distance,
        "enhanced_speed": speed,
        "enhanced_altitude": 200 + 10 * np.sin(t / 900.0),
        "heart_rate": np.round(140 + 10 * (speed - 3.0) + t / 600.0),
        "cadence": np.floor(half),
        "fractional_cadence": np.floor((half - np.floor(half)) * 128) / 128,
        "stance_time": 265 + rng.normal(0, 4, seconds),
        "vertical_oscillation": 88 + rng.normal(0, 2, seconds),
        "vertical_ratio": 8.2 + rng.normal(0, 0.2, seconds),
        "stance_time_balance": 49.6 + rng.normal(0, 0.4, seconds),
        "step_length": 60_000.0 * speed / spm,
    }
    w.messages("record", records, local=2)
    session = {
        "timestamp": T0 + seconds,
        "start_time": T0,
        "total_elapsed_time": float(seconds),
        "total_timer_time": float(seconds),
        "total_distance": float(distance[-1]),
        "sport": "running",
        "sub_sport": "street",
    }
    w.message("session", session, local=3)
    values = {"timestamp": T0 + seconds, "total_timer_time": float(seconds), "num_sessions": 1}
    w.message("activity", {**values, "type": "manual", "event": "activity", "event_type": "stop"})
    return w.to_bytes()


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
            target.write_bytes(synthetic_fit(hours * 3600, seed=hours))
            files.append(target)
    print(f"plotly.js bundle: {len(plotly_js().encode('utf-8')) / 1e6:.2f} MB (embedded once)")
    for path in files:
        measure(path, args.runs)


if __name__ == "__main__":
    main()
