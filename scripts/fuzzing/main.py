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
        f"slowest input: {summary['slowest_s']} s ({summary['slowest_input']}; limit {SLOW_S:g} s)"
    )
    failures = summary["failures"]
    assert isinstance(failures, list)
    print(f"distinct failures: {len(failures)}")
    for f in failures:
        print(f"  {f['count']:>5} x {f['kind']}: {f['detail']} [{f['family']} #{f['index']}]")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
