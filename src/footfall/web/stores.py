"""How requests reach the store and the analysis workers, without blocking the event loop.

- A reader (``Store(home, readonly=True)``) per request, opened in a worker thread: WAL lets
  it read while an import or another request writes.
- The writer only for the length of one write (keeping an upload's originals, recording one
  result, a symptom entry, a grant), so ``footfall season`` can still import while the app
  runs. A writer that waits longer than ``writer_wait_s`` for the lock is a 503 with
  ``Retry-After``.
- Analysis and page drawing on a process pool (forked from a fork server, as the batch does),
  so one slow file never holds up another user's requests. A worker that dies costs only the
  job it ran; the pool is started again for the next one.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool

from footfall.errors import FootfallError
from footfall.store import Store, StoreBusy
from footfall.web.problems import Problem
from footfall.web.settings import RETRY_AFTER_S, WebSettings

T = TypeVar("T")
#: modules the fork server imports once, so each worker starts with them loaded
WORKER_PRELOAD = ["footfall.batch.imports", "footfall.web.rendering"]


def busy(detail: str) -> Problem:
    return Problem(503, detail, {"Retry-After": str(RETRY_AFTER_S)})


class WorkerDied(Exception):
    """The process running a job stopped (killed, out of memory) before it answered."""


class StoreAccess:
    """The app's way to the store (readers, the writer) and to the analysis processes."""

    def __init__(self, settings: WebSettings) -> None:
        self.settings = settings
        self.home = settings.home
        self._pool: ProcessPoolExecutor | None = None
        self._pool_lock = threading.Lock()

    # --- the store ------------------------------------------------------------------------
    @contextmanager
    def reader(self) -> Iterator[Store]:
        try:
            store = Store(self.home, readonly=True)
        except FootfallError as exc:
            raise busy(f"the store cannot be read now ({exc.problem})") from None
        try:
            yield store
        finally:
            store.close()

    @contextmanager
    def writer(self) -> Iterator[Store]:
        try:
            store = Store(self.home, lock_wait_s=self.settings.writer_wait_s)
        except StoreBusy:
            raise busy("another footfall command is writing to the store; try again") from None
        except FootfallError as exc:
            raise busy(f"the store cannot be written now ({exc.problem})") from None
        try:
            yield store
        except StoreBusy:
            raise busy("the store is busy with another writer; try again") from None
        finally:
            store.close()

    async def read(self, fn: Callable[[Store], T]) -> T:
        """``fn(reader)`` in a worker thread."""

        def run() -> T:
            with self.reader() as store:
                return fn(store)

        return await run_in_threadpool(run)

    async def write(self, fn: Callable[[Store], T]) -> T:
        """``fn(writer)`` in a worker thread, the writer lock held only while it runs."""

        def run() -> T:
            with self.writer() as store:
                return fn(store)

        return await run_in_threadpool(run)

    # --- the analysis processes -----------------------------------------------------------
    def _executor(self) -> ProcessPoolExecutor:
        with self._pool_lock:
            if self._pool is None:
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(WORKER_PRELOAD)
                self._pool = ProcessPoolExecutor(
                    max_workers=self.settings.workers, mp_context=context
                )
            return self._pool

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        with self._pool_lock:
            if self._pool is pool:
                self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)

    async def compute(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` in an analysis process (``fn`` is a module-level function)."""
        pool = self._executor()
        try:
            return await asyncio.wrap_future(pool.submit(fn, *args))
        except BrokenProcessPool as exc:
            self._discard(pool)
            raise WorkerDied(str(exc) or "the process died") from None

    def close(self) -> None:
        with self._pool_lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
