"""The sample_activities/ folder: which samples it holds, writing it, and ``--check``."""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from samples.fit_samples import (
    cycling,
    efficient_runner,
    multisport,
    overstrider,
    run_walk,
    stryd_spm,
    truncated,
)
from samples.gpx_samples import gpx_cadence_only, no_cadence, script_name, steps_per_min
from samples.tcx_samples import unit_switch

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "sample_activities"

SAMPLES: dict[str, Callable[[], tuple[bytes, dict[str, Any]]]] = {
    "efficient_runner.fit": efficient_runner,
    "overstrider.fit": overstrider,
    "run_walk.fit": run_walk,
    "steps_per_min.gpx": steps_per_min,
    "unit_switch.tcx": unit_switch,
    "truncated.fit": truncated,
    "cycling.fit": cycling,
    "gpx_cadence_only.gpx": gpx_cadence_only,
    "stryd_spm.fit": stryd_spm,
    "no_cadence.gpx": no_cadence,
    "multisport.fit": multisport,
    "script_name.gpx": script_name,
}


def build(out: Path) -> list[Path]:
    """Write every sample, its truth sidecar and the folder's README into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    written, rows = [], []
    for name, make in SAMPLES.items():
        data, info = make()
        info["generator"] = "scripts/make_samples.py"
        stem = name.rsplit(".", 1)[0]
        sidecar = json.dumps(info, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        for path, content in ((out / name, data), (out / f"{stem}.truth.json", sidecar.encode())):
            path.write_bytes(content)
            written.append(path)
        rows.append(f"| `{name}` | {len(data) // 1024} KB | {escape(info['description'])} |")
    readme = (
        "# Sample activities\n\nSynthetic files with known ground truth, written by "
        "`scripts/make_samples.py` (do not edit by hand: run it, and `--check` verifies them).\n"
        "Each `X.ext` has an `X.truth.json` sidecar with what footfall must find in it.\n\n"
        "| file | size | what it holds |\n|---|---|---|\n" + "\n".join(rows) + "\n"
    )
    (out / "README.md").write_bytes(readme.encode())
    return [*written, out / "README.md"]


def check() -> int:
    """Regenerate into a temporary folder; 1 when anything differs from sample_activities/."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = {p.name: p.read_bytes() for p in build(Path(tmp))}
    committed = (
        {p.name: p.read_bytes() for p in OUT.iterdir() if p.is_file()} if OUT.is_dir() else {}
    )
    problems = [f"missing: {n}" for n in sorted(set(fresh) - set(committed))]
    problems += [f"not generated: {n}" for n in sorted(set(committed) - set(fresh))]
    problems += [
        f"differs: {n}" for n in sorted(set(fresh) & set(committed)) if fresh[n] != committed[n]
    ]
    for line in problems:
        print(f"make_samples --check: {line}", file=sys.stderr)
    if not problems:
        print(f"make_samples --check: {len(fresh)} files match {OUT}")
    return 1 if problems else 0
