"""``scripts/fuzz --minutes N``: a long fuzz run; each new failure is kept as a reproducer.

Reproducers go to ``fuzz-findings/`` (not committed): ``<kind>-<key>.<ext>`` is the input,
``<kind>-<key>.txt`` what happened (message, traceback, and the family, seed and index that
rebuild it). ``summary.json`` holds the counts. Exit status 1 when anything failed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # scripts/, for `fuzzing`

from fuzzing.campaign import ROOT, SLOW_S, run_isolated
from fuzzing.known import KNOWN_OPEN


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--minutes", type=float, default=5.0, help="how long (default 5)")
    parser.add_argument("--seed", type=int, default=int(time.time()), help="default: now")
    parser.add_argument("--out", type=Path, default=ROOT / "fuzz-findings")
    args = parser.parse_args(argv)
    print(f"fuzzing for {args.minutes:g} min, seed {args.seed}, reproducers in {args.out}")
    started = time.monotonic()
    report = run_isolated(args.minutes, args.seed, args.out)
    summary = report.summary()
    elapsed = time.monotonic() - started
    print(f"{summary['total_inputs']} inputs in {elapsed / 60:.1f} min: {summary['inputs']}")
    print(
        f"activities analysed: {summary['activities_analysed']}; refused by kind: "
        f"{summary['refused_by_kind']}"
    )
    print(
        f"slowest input: {summary['slowest_cpu_s']} s of CPU ({summary['slowest_input']}; "
        f"limit {SLOW_S:g} s)"
    )
    failures = summary["failures"]
    assert isinstance(failures, list)
    known = [
        f
        for f in failures
        if f["kind"] == "exception" and (f["exception"], f["file"]) in KNOWN_OPEN
    ]
    new = [f for f in failures if f not in known]
    outside = sum(f["count"] for f in failures if f["kind"] == "exception")
    print(
        f"inputs with an exception outside the FootfallError family: {outside}, of which "
        f"{sum(f['count'] for f in known)} in readers owned elsewhere (fuzzing/known.py)"
    )
    for title, group in (("new failures", new), ("known, reported in issue 11", known)):
        print(f"{title}: {len(group)} distinct")
        for f in group:
            print(f"  {f['count']:>5} x {f['kind']}: {f['detail']} [{f['family']} #{f['index']}]")
    return 1 if new else 0


if __name__ == "__main__":
    sys.exit(main())
