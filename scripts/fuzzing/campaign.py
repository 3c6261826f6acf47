"""The fuzz campaign: inputs from four families, each judged by :func:`fuzzing.oracle.check`.

Families: ``bytes`` (blind damage to a sample FIT, GPX or TCX), ``xml`` (GPX/TCX damage that
keeps the XML), ``fit`` (hostile definition messages, :mod:`fuzzing.fitgen`) and ``archive``
(zip and gzip, :mod:`fuzzing.archgen`). Input ``i`` of a family is a pure function of the
seed and ``i``, so any failure can be rebuilt from its ``(family, seed, index)``.

:func:`run_here` runs in this process for a time budget (the pytest run); :func:`run_isolated`
runs each input in a worker process that is killed when one input takes too long, which is
what ``scripts/fuzz --minutes N`` uses.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing import Pipe, Process
from multiprocessing.connection import Connection
from pathlib import Path

from fuzzing.archgen import hostile_archive
from fuzzing.choice import Chooser, RandomChooser
from fuzzing.fitgen import hostile_fit
from fuzzing.mutate import blind, xml
from fuzzing.oracle import Failure, Result, check

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_activities"
#: samples the mutations start from (small and of every format)
SEED_FILES = (
    "run_walk.fit",
    "truncated.fit",
    "efficient_runner.fit",
    "stryd_spm.fit",
    "script_name.gpx",
    "gpx_cadence_only.gpx",
    "unit_switch.tcx",
    "multisport.fit",
)
#: file names that test how footfall prints a path it was given
HOSTILE_FILE_NAMES = ("in\nput", "in\x1b[31mput", "in\u202eput", "in put", "inpüt")
#: an input that takes more CPU than this is a failure [issue 11: "0 inputs over 10 s"];
#: CPU, not wall time, so that a niced run on a busy machine does not report stalls
SLOW_S = 10.0
#: a worker that has not answered after this long (wall clock) is killed [heuristic: far
#: beyond SLOW_S even for a niced worker on a shared machine]
KILL_S = 120.0
#: a worker whose peak memory passes this is a failure [issue 11: a bomb archive must stay
#: under 600 MB]
MAX_RSS_MB = 1024
#: address space of a worker: a runaway allocation fails there, not on the machine [heuristic]
WORKER_ADDRESS_SPACE = 4 * 1024**3
FAMILIES = ("bytes", "xml", "fit", "archive")


def load_samples() -> dict[str, bytes]:
    return {n: (SAMPLES / n).read_bytes() for n in SEED_FILES if (SAMPLES / n).exists()}


def make_input(c: Chooser, family: str, samples: dict[str, bytes]) -> tuple[bytes, str]:
    """One input of ``family`` and the file name it is written under."""
    names = sorted(samples)
    stem = c.pick(HOSTILE_FILE_NAMES) if c.chance(0.05) else "input"
    if family == "bytes":
        name = c.pick(names)
        return blind(c, samples[name]), stem + Path(name).suffix
    if family == "xml":
        name = c.pick([n for n in names if not n.endswith(".fit")])
        data = xml(c, samples[name])
        if c.chance(0.2):
            data = xml(c, data)
        if c.chance(0.1):
            data = blind(c, data)
        return data, stem + Path(name).suffix
    if family == "fit":
        data = hostile_fit(c)
        return (blind(c, data) if c.chance(0.2) else data), stem + ".fit"
    small = [
        samples[n]
        for n in names
        if n in ("run_walk.fit", "script_name.gpx", "unit_switch.tcx", "truncated.fit")
    ]
    return hostile_archive(c, small or list(samples.values())), stem + ".zip"


def inputs(family: str, seed: int, samples: dict[str, bytes]) -> Iterator[tuple[int, bytes, str]]:
    index = 0
    while True:
        c = RandomChooser(f"{seed}/{family}/{index}")
        data, name = make_input(c, family, samples)
        yield index, data, name
        index += 1


@dataclass
class Report:
    """What a campaign saw: counts, and each distinct failure once with its first input."""

    inputs: Counter[str] = field(default_factory=Counter)
    analysed: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    failures: dict[str, tuple[Failure, str, int]] = field(default_factory=dict)  # first seen
    counts: Counter[str] = field(default_factory=Counter)  # failure key -> occurrences
    slowest: tuple[float, str] = (0.0, "")

    def add(self, family: str, index: int, name: str, result: Result) -> list[Failure]:
        """Count one input; returns the failures not seen before."""
        self.inputs[family] += 1
        self.analysed += result.analysed
        self.refused.update(result.refused)
        if result.cpu_seconds > self.slowest[0]:
            self.slowest = (result.cpu_seconds, f"{family}#{index}")
        new = []
        for failure in result.failures:
            self.counts[failure.key] += 1
            if failure.key not in self.failures:
                self.failures[failure.key] = (failure, family, index)
                new.append(failure)
        return new

    def summary(self) -> dict[str, object]:
        return {
            "inputs": dict(self.inputs),
            "total_inputs": sum(self.inputs.values()),
            "activities_analysed": self.analysed,
            "refused_by_kind": dict(self.refused),
            "slowest_cpu_s": round(self.slowest[0], 2),
            "slowest_input": self.slowest[1],
            "failures": [
                {
                    "exception": f.signature.split(" ", 1)[0],
                    "file": f.signature.partition(" ")[2].rsplit(":", 1)[0],
                    "kind": f.kind,
                    "signature": f.signature,
                    "detail": f.detail,
                    "family": family,
                    "index": index,
                    "count": self.counts[key],
                }
                for key, (f, family, index) in self.failures.items()
            ],
        }


def run_here(family: str, seconds: float, seed: int, folder: Path) -> Report:
    """Inputs of one family, in this process, until ``seconds`` have passed."""
    report = Report()
    samples = load_samples()
    deadline = time.monotonic() + seconds
    for index, data, name in inputs(family, seed, samples):
        if time.monotonic() > deadline:
            break
        path = folder / name
        path.write_bytes(data)
        result = check(path)
        _judge_time(result)
        report.add(family, index, name, result)
        path.unlink()
    return report


def _judge_time(result: Result) -> None:
    if result.cpu_seconds > SLOW_S:
        detail = f"{result.cpu_seconds:.1f} s of CPU ({result.seconds:.1f} s wall)"
        result.failures.append(Failure("slow", f"over {SLOW_S:g} s of CPU", detail))


def _worker(conn: Connection) -> None:
    """Judge the paths the parent sends, one at a time, and send back each Result."""
    resource.setrlimit(resource.RLIMIT_AS, (WORKER_ADDRESS_SPACE, WORKER_ADDRESS_SPACE))
    while True:
        path = conn.recv()
        if path is None:
            return
        result = check(Path(path))
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        conn.send((result, peak_mb))


class _Worker:
    def __init__(self) -> None:
        self.conn, child = Pipe()
        self.process = Process(target=_worker, args=(child,), daemon=True)
        self.process.start()

    def judge(self, path: Path, timeout: float) -> tuple[Result, float] | None:
        self.conn.send(str(path))
        if not self.conn.poll(timeout):
            return None
        answer: tuple[Result, float] = self.conn.recv()
        return answer

    def stop(self, *, kill: bool = False) -> None:
        if kill and self.process.pid is not None:
            os.kill(self.process.pid, signal.SIGKILL)
        else:
            self.conn.send(None)
        self.process.join(5)


def run_isolated(
    minutes: float, seed: int, out: Path, say: Callable[[str], None] = print
) -> Report:
    """All families in turn, each input in a worker process with a time limit; each new
    failure is kept in ``out`` as a reproducer file plus a ``.txt`` with what happened."""
    out.mkdir(parents=True, exist_ok=True)
    known = {p.stem.split("-", 1)[1] for p in out.glob("*.txt") if "-" in p.stem}
    report = Report()
    samples = load_samples()
    streams = {family: inputs(family, seed, samples) for family in FAMILIES}
    deadline = time.monotonic() + minutes * 60
    worker = _Worker()
    with tempfile.TemporaryDirectory(prefix="footfall-fuzz-") as tmp:
        while time.monotonic() < deadline:
            for family, stream in streams.items():
                index, data, name = next(stream)
                path = Path(tmp) / name
                path.write_bytes(data)
                answer = worker.judge(path, KILL_S)
                if answer is None:  # hung: kill the worker, count the input as slow
                    worker.stop(kill=True)
                    worker = _Worker()
                    result = Result(seconds=KILL_S)
                    result.failures.append(Failure("slow", "killed", f"no answer in {KILL_S:g} s"))
                else:
                    result, peak_mb = answer
                    _judge_time(result)
                    if peak_mb > MAX_RSS_MB:
                        result.failures.append(
                            Failure("memory", "worker over 1 GB", f"{peak_mb:.0f} MB")
                        )
                        worker.stop()
                        worker = _Worker()
                for failure in report.add(family, index, name, result):
                    if failure.key not in known:
                        _keep(out, failure, data, name, family, seed, index)
                        say(f"new failure [{family} #{index}] {failure.detail}")
    worker.stop()
    (out / "summary.json").write_text(json.dumps(report.summary(), indent=2) + "\n")
    return report


def _keep(
    out: Path, failure: Failure, data: bytes, name: str, family: str, seed: int, index: int
) -> None:
    suffix = Path(name).suffix or ".bin"
    (out / f"{failure.kind}-{failure.key}{suffix}").write_bytes(data)
    note = (
        f"{failure.detail}\nfamily={family} seed={seed} index={index} name={name!r}\n\n"
        f"{failure.trace}"
    )
    (out / f"{failure.kind}-{failure.key}.txt").write_text(note, encoding="utf-8")
