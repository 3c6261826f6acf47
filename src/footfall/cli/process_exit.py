"""Leaving the `footfall` process without the interpreter's teardown.

When a command is done, Python still tears its interpreter down: the objects of every
module are freed one by one. With pandas loaded that took 140 to 210 ms on this project's
2-core reference machine (`python -c "import pandas"` against the same with ``os._exit(0)``
at the end), more than analysing a one-hour run, for memory the operating system takes back
at once anyway. So the console script ends as Instagram's web servers came to
("Dismissing Python Garbage Collection at Instagram", Instagram Engineering, 2017): it does
first what Python's own exit would still do that matters, then calls ``os._exit``.

Done first, in Python's order: the exit handlers run (``atexit``: temporary folders removed,
logging flushed, process pools' finalizers), then stdout and stderr are flushed. When any
other thread is alive, Python's normal exit is used instead: it waits for non-daemon threads,
and what a thread still has to finish cannot be known here.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from typing import NoReturn


def leave(code: int) -> NoReturn:
    """End the process with exit status ``code``, skipping only the interpreter's teardown."""
    if threading.active_count() > 1:
        sys.exit(code)
    atexit._run_exitfuncs()  # what the interpreter itself calls at exit
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a reader that left (`| head`), a closed stream
            pass
    os._exit(code)
