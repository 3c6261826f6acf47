"""Failures the fuzzer finds in readers owned elsewhere, already reported (issue 11) with a
strict-xfail reproducer in tests/test_hostile_corpus.py: matched by exception type and the
footfall file it was raised in. The pytest run and ``scripts/fuzz`` report them apart from
new failures; an entry goes when its fix lands (its xfail then fails first)."""

from __future__ import annotations

from fuzzing.oracle import Failure

#: (exception type, footfall file) -> what it is; empty: every case reported in issue 11 is
#: fixed, and any exception outside FootfallError is a new failure
KNOWN_OPEN: dict[tuple[str, str], str] = {}


def is_known(failure: Failure) -> bool:
    if failure.kind != "exception":
        return False
    kind, _, place = failure.signature.partition(" ")
    return (kind, place.rsplit(":", 1)[0]) in KNOWN_OPEN
