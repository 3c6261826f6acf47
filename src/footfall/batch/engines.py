"""Where analyses run: a ``concurrent.futures`` process pool, or Dask distributed.

:func:`stream` sends ``fn(*args)`` jobs to the workers, keeps a few per worker in flight
and yields each result as it finishes. The pool forks its workers from a fork server (a
clean interpreter that has imported footfall, not this process with its threads); a worker
that dies takes only its own file with it. Dask (the ``[distributed]`` extra) runs on the
cluster at ``--scheduler ADDRESS``, or on a ``LocalCluster`` bound to loopback. No
scheduling of footfall's own: both hand out work as workers free up.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Literal

from footfall.errors import FootfallError, UnexpectedError
from footfall.fork_server import warm_up
from footfall.model import SessionResult

Engine = Literal["pool", "dask"]
ENGINES: tuple[str, ...] = ("pool", "dask")
#: originals in flight per worker: enough to keep every worker busy while the parent writes,
#: few enough that memory stays flat [heuristic]
IN_FLIGHT_PER_WORKER = 4
#: jobs taken ahead while the workers start, in windows of in-flight jobs: enough to fill
#: the fork server's start-up, few enough that memory stays flat [heuristic]
EARLY_PER_WINDOW = 4


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


Job = tuple[Any, tuple[Any, ...]]


def stream(
    fn: Callable[..., Any],
    jobs: Iterable[Job],
    engine: Engine = "pool",
    workers: int | None = None,
    scheduler: str | None = None,
) -> Iterator[tuple[Any, Any]]:
    """``(key, fn(*args))`` for each ``(key, args)`` job, in the order they finish.

    ``fn`` must be a module-level function (it travels to the workers by name) that returns
    rather than raises; a worker that dies is reported as that job's
    :class:`UnexpectedError` (``fn`` is then expected to take the job's path first).
    """
    n = workers or default_workers()
    if engine == "dask":
        yield from _dask(fn, jobs, n, scheduler)
    elif engine == "pool":
        yield from _pool(fn, jobs, n)
    else:
        raise FootfallError(None, f"engine {engine!r}: use one of {', '.join(ENGINES)}")


def _died(args: tuple[Any, ...], exc: BaseException) -> SessionResult:
    path = str(args[0]) if args else None
    text = f"the worker analysing this file stopped ({type(exc).__name__}: {exc})"
    return SessionResult(path or "", error=UnexpectedError(path, " ".join(text.split())[:300]))


def _pool(fn: Callable[..., Any], jobs: Iterable[Job], workers: int) -> Iterator[tuple[Any, Any]]:
    """A process pool; when a worker dies, the jobs it took down are run again one by one,
    and the one that takes down its own pool is that job's error."""
    queue = iter(jobs)
    while True:
        broken = yield from _one_pool(fn, queue, workers, workers * IN_FLIGHT_PER_WORKER)
        if broken is None:
            return
        for job in broken:
            if (yield from _one_pool(fn, iter([job]), 1, 1)) is not None:
                yield job[0], _died(job[1], BrokenProcessPool("the process died"))


def _one_pool(
    fn: Callable[..., Any], source: Iterator[Job], workers: int, window: int
) -> Generator[tuple[Any, Any], None, list[Job] | None]:
    """Run jobs from ``source`` until it ends (returns None) or the pool breaks (returns the
    jobs that were in flight). Workers fork from a fork server, not from this process."""
    warm_up("pool")  # the same fork server, with its preload, whoever started it
    context = multiprocessing.get_context("forkserver")
    broken: list[Job] = []
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        source = _while_spawning(pool, workers, source, window)
        futures: dict[Future[Any], Job] = {}
        while True:
            while not broken and len(futures) < window and (job := next(source, None)):
                futures[pool.submit(fn, *job[1])] = job
            if not futures:
                return broken or None
            finished, _ = wait(futures, return_when=FIRST_COMPLETED)
            for future in finished:
                job = futures.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:
                    broken.append(job)
                    continue
                except Exception as exc:  # a result that could not travel back
                    result = _died(job[1], exc)
                yield job[0], result


def _while_spawning(
    pool: ProcessPoolExecutor, workers: int, source: Iterator[Job], window: int
) -> Iterator[Job]:
    """Start the pool's workers in a thread and take jobs from ``source`` meanwhile.

    A worker is spawned on a submit, and the first spawn waits until the fork server has
    imported its preload (about a second of pandas and numpy). Taking a job keeps its
    original (read, hash, compress, fsync), so the parent does that work for the first files
    while it would otherwise wait, on the core the fork server leaves free. At most
    ``EARLY_PER_WINDOW`` windows of jobs are held."""

    def spawn() -> None:
        try:
            for _ in range(workers):
                pool.submit(int)  # a no-op job: each submit spawns one worker
        except Exception:  # a pool that cannot start shows on the first real job
            pass

    spawner = threading.Thread(target=spawn, name="footfall-pool-start", daemon=True)
    spawner.start()
    early: list[Job] = []
    while spawner.is_alive() and len(early) < EARLY_PER_WINDOW * window:
        job = next(source, None)
        if job is None:
            break
        early.append(job)
    spawner.join()
    return itertools.chain(early, source)


def _dask(
    fn: Callable[..., Any], jobs: Iterable[Job], workers: int, scheduler: str | None
) -> Iterator[tuple[Any, Any]]:
    """Dask distributed: the cluster at ``scheduler``, or a LocalCluster on loopback."""
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise FootfallError(
            None, "--engine dask needs Dask: pip install 'footfall[distributed]'"
        ) from None
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="10s")
        else:
            cluster = LocalCluster(
                host="127.0.0.1",
                n_workers=workers,
                threads_per_worker=1,
                dashboard_address=None,
                processes=True,
            )
            client = Client(cluster)
    except (OSError, TimeoutError) as exc:
        where = scheduler or "a local cluster"
        raise FootfallError(None, f"cannot reach the Dask scheduler at {where}: {exc}") from None
    try:
        window = max(1, sum(client.nthreads().values()) or workers) * IN_FLIGHT_PER_WORKER
        pending = iter(jobs)
        keys: dict[Any, Job] = {}
        finished = as_completed()

        def submit() -> None:
            while len(keys) < window:
                job = next(pending, None)
                if job is None:
                    return
                future = client.submit(fn, *job[1], pure=False)
                keys[future.key] = job
                finished.add(future)

        submit()
        for future in finished:
            job = keys.pop(future.key)
            try:
                result = future.result()
            except Exception as exc:  # a worker died (KilledWorker) or the task failed
                result = _died(job[1], exc)
            future.release()
            yield job[0], result
            submit()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
