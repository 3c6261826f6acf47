#!/usr/bin/env python3
"""Write tests/hostile/: one small hostile file per way issue 11 broke footfall, and
MANIFEST.json with what footfall must answer for each (docs/reliability.md).

Built from the synthetic samples (never a real GPS track) and deterministic: ``--check``
rebuilds into a temporary folder and exits 1 when anything differs from the committed files.
Bombs are not committed; the tests build them.

    .venv/bin/python scripts/make_hostile.py            # (re)write tests/hostile/
    .venv/bin/python scripts/make_hostile.py --check    # verify the committed files
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # scripts/, for `fuzzing`

from fuzzing.corpus import CASES, OUT

MANIFEST = "MANIFEST.json"


def build(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for case in CASES:
        path = out / case.name
        path.write_bytes(case.build())
        written.append(path)
    entries = [
        {
            "file": c.name,
            "what": c.what,
            "expect": c.expect,
            "issue_class": c.issue_class,
            "owner": c.owner,
            "fixed_on_main": c.fixed_on_main,
        }
        for c in CASES
    ]
    manifest = out / MANIFEST
    manifest.write_text(json.dumps(entries, indent=1, ensure_ascii=False) + "\n", "utf-8")
    return [*written, manifest]


def check(out: Path = OUT) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        fresh = {p.name: p.read_bytes() for p in build(Path(tmp))}
    present = {p.name: p.read_bytes() for p in out.iterdir()} if out.exists() else {}
    differ = sorted(n for n in fresh if present.get(n) != fresh[n])
    extra = sorted(set(present) - set(fresh))
    for name in differ:
        print(f"differs or missing: {out / name}")
    for name in extra:
        print(f"not generated: {out / name}")
    return 1 if differ or extra else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="verify instead of writing")
    args = parser.parse_args(argv)
    if args.check:
        return check()
    for path in build(OUT):
        print(f"{path.stat().st_size:>8}  {path.relative_to(OUT.parents[1])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
