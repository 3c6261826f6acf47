"""The process pool's fork server, started as early as a command knows it will need it.

Importing this module imports nothing of footfall and nothing heavier than
:mod:`multiprocessing`, so a command can start the server before its own imports: the
server's preload (the analysis with pandas and numpy, about a second) then runs on one core
while the command imports the same on the other, instead of one after the other.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver

#: what the fork server imports once, before it forks any worker: the analysis and the FIT
#: decoder, which every worker would otherwise import again on its first file
FORKSERVER_PRELOAD = ["footfall.batch.imports", "footfall.io.fit.fast.decoder"]


def warm_up(engine: str = "pool") -> None:
    """Start the pool's fork server now (nothing for Dask, whose workers live elsewhere)."""
    if engine == "pool":
        multiprocessing.get_context("forkserver").set_forkserver_preload(FORKSERVER_PRELOAD)
        multiprocessing.forkserver.ensure_running()
