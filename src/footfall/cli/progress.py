"""Progress on long commands: a rich bar on stderr when it is a terminal, else nothing."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any


class Bar:
    """``with Bar("analysing", total) as update: update(done, name)``; ``total`` None when
    the count is not known in advance (an archive's members are found as it is read)."""

    def __init__(self, what: str, total: int | None = None) -> None:
        self.what = what
        self.total = total
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> Callable[[int, str], None]:
        if not sys.stderr.isatty() or self.total == 1:  # a bar for one item is noise
            return lambda done, name: None
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        columns = [
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        ]
        self._bar = Progress(*columns, console=Console(stderr=True), transient=True)
        self._bar.start()
        self._task = self._bar.add_task(self.what, total=self.total)

        def update(done: int, name: str) -> None:
            label = name.rsplit("/", 1)[-1][-40:]
            self._bar.update(self._task, completed=done, description=f"{self.what} {label}")

        return update

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
