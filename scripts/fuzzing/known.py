"""Failures the fuzzer finds in readers owned elsewhere, already reported (issue 11) with a
strict-xfail reproducer in tests/test_hostile_corpus.py: matched by exception type and the
footfall file it was raised in. The pytest run and ``scripts/fuzz`` report them apart from
new failures; an entry goes when its fix lands (its xfail then fails first)."""

from __future__ import annotations

from fuzzing.oracle import Failure

KNOWN_OPEN = {
    ("TypeError", "footfall/io/fit/reader.py"): "class 1: FIT summary field of another type",
    ("ValueError", "footfall/io/fit/reader.py"): "class 1: FIT summary field of another type",
    ("LookupError", "footfall/io/tcx.py"): "class 4: TCX with an unknown encoding",
    ("UnicodeError", "footfall/io/tcx.py"): "class 4: TCX declared idna (no 'replace' errors)",
    ("UnicodeDecodeError", "footfall/io/tcx.py"): "class 4: TCX declared punycode",
    ("ValueError", "footfall/io/tcx.py"): "TCX: multi-byte encoding, a time offset >= 24 h, NaT",
    ("DateParseError", "footfall/io/tcx.py"): "TCX: a <Time> or StartTime that is no time",
    ("OutOfBoundsDatetime", "footfall/io/tcx.py"): "TCX: a <Time> past pandas' year 2262",
    # on main (226b6de), not on this branch: expat in salvage_truncated meets the encoding
    ("LookupError", "footfall/io/xml_salvage.py"): "class 4: unknown encoding, cut-short XML",
    ("UnicodeError", "footfall/io/xml_salvage.py"): "class 4: idna declared, cut-short XML",
    ("UnicodeDecodeError", "footfall/io/xml_salvage.py"): "class 4: punycode, cut-short XML",
    ("ValueError", "footfall/io/xml_salvage.py"): "class 4: multi-byte encoding, cut-short XML",
}


def is_known(failure: Failure) -> bool:
    if failure.kind != "exception":
        return False
    kind, _, place = failure.signature.partition(" ")
    return (kind, place.rsplit(":", 1)[0]) in KNOWN_OPEN
