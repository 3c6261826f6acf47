"""What one web app is configured with, and the limits it enforces (each with its reason)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: the largest upload: a 10-hour FIT file at 1 Hz is about 3 MB, a few months of Strava
#: export (one zip of .fit.gz) a few tens; a whole multi-year export belongs to
#: ``footfall season`` on the command line [heuristic]
MAX_UPLOAD_BYTES = 64 * 1024 * 1024
#: the largest body of any other request (sign-in, JSON, forms) [heuristic: the biggest
#: legitimate one, a symptom note, is a few hundred bytes]
MAX_FORM_BYTES = 64 * 1024
#: how long a request waits for another writer of the store before answering 503: a writer
#: in the web app holds the lock for one short transaction; longer means an import from the
#: command line is running [heuristic]
WRITER_WAIT_S = 5.0
#: what a 503 asks the client to wait before trying again [heuristic: a CLI import commits
#: one file at a time, a few per second]
RETRY_AFTER_S = 5
#: how long a sign-in lasts: a working day of reviewing sessions, then sign in again
#: [heuristic]
SESSION_MAX_AGE_S = 12 * 3600
#: failed sign-ins allowed per account name, and per client address, within the window
#: before 429; NIST SP 800-63B asks for at most 100 consecutive failures per account, and
#: 10 in 15 minutes caps a guesser at ~1000 a day [heuristic under that ceiling]
MAX_FAILURES_PER_NAME = 10
#: a client address (a shared office, a NAT) may hold a few people mistyping [heuristic]
MAX_FAILURES_PER_CLIENT = 30
#: the sliding window the failures are counted over [heuristic, see above]
FAILURE_WINDOW_S = 15 * 60
#: the environment variables ``footfall serve`` hands its options to the app through
SECURE_COOKIES_VARIABLE = "FOOTFALL_WEB_SECURE_COOKIES"
WORKERS_VARIABLE = "FOOTFALL_WEB_WORKERS"


@dataclass(frozen=True)
class WebSettings:
    """One app's configuration: the store's folder and the limits above."""

    home: Path
    #: send cookies with ``Secure`` (behind an HTTPS proxy); off for http://127.0.0.1
    secure_cookies: bool = False
    #: analysis processes (default: the cores)
    workers: int | None = None
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    writer_wait_s: float = WRITER_WAIT_S
    session_max_age_s: int = SESSION_MAX_AGE_S
    max_failures_per_name: int = MAX_FAILURES_PER_NAME
    max_failures_per_client: int = MAX_FAILURES_PER_CLIENT
    failure_window_s: float = FAILURE_WINDOW_S
    #: analyse files left pending by a server that stopped (on start-up)
    resume_pending: bool = True

    @classmethod
    def from_environment(cls, home: Path) -> WebSettings:
        workers = os.environ.get(WORKERS_VARIABLE)
        return cls(
            home=home,
            secure_cookies=os.environ.get(SECURE_COOKIES_VARIABLE) == "1",
            workers=int(workers) if workers else None,
        )
