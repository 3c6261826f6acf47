#!/usr/bin/env python3
"""Write sample_activities/: synthetic FIT, GPX and TCX runs whose ground truth is known.

Each sample ``X.ext`` comes with ``X.truth.json``: what footfall must find in it (median running
cadence, run/walk seconds, channels and their medians, expected error...). The truth is
computed from the very values written to the file (after the format's quantisation), on the
seconds the generator made running, so tests can hold footfall to tight tolerances.

Deterministic: every sample has its own seeded numpy generator and nothing depends on the
clock, so running the script twice gives identical bytes. ``--check`` regenerates into a
temporary folder and exits 1 when anything differs from the committed files.

    .venv/bin/python scripts/make_samples.py            # (re)write sample_activities/
    .venv/bin/python scripts/make_samples.py --check    # verify the committed files
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from samples.folder import OUT, build, check


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="verify instead of writing")
    parser.add_argument(
        "--out", type=Path, default=OUT, help="folder to write (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    if args.check:
        return check()
    for path in build(args.out):
        print(f"{path.stat().st_size:>8}  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
