"""Every FootfallError is one printable line: names that come from a file (a zip member, a
path, a quoted value) are escaped, and a kept error holds no traceback (issue 11, class 11
and the memory of class 9)."""

from __future__ import annotations

import gzip
import io
import pickle
import zipfile

import pytest

from footfall.errors import ArchiveLimitExceeded, CorruptFile, UnexpectedError, printable
from footfall.io.archive import ArchiveLimits, iter_members


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("run.fit", "run.fit"),
        ("a\nb", "a\\nb"),
        ("a\r\nb", "a\\r\\nb"),
        ("\x1b[2J\x1b[31mred", "\\x1b[2J\\x1b[31mred"),
        ("\x9b31m", "\\x9b31m"),  # the one-byte CSI of C1 controls
        ("tab\there", "tab\\there"),
        ("\x7f", "\\x7f"),
        ("\u202eevil.fit", "\\u202eevil.fit"),  # right-to-left override
        ("zero\u200bwidth", "zero\\u200bwidth"),
        ("line\u2028sep", "line\\u2028sep"),
        ("bad\udcffbyte", "bad\\udcffbyte"),  # an undecodable byte of a file name
        ("C:\\Users\\ana\\run.fit", "C:\\Users\\ana\\run.fit"),  # backslashes stay
        ("Läufe/Ночь/跑步.gpx", "Läufe/Ночь/跑步.gpx"),
        ("no\u00a0break", "no\u00a0break"),  # a space is not a control
    ],
)
def test_printable(raw: str, shown: str) -> None:
    assert printable(raw) == shown
    assert printable(shown) == shown  # escaping twice changes nothing


def test_message_escapes_the_path_and_the_problem_but_keeps_the_path() -> None:
    error = CorruptFile("x.zip!\x1b[31mrun\n.fit", "bad value '\x07'", offset=3)
    assert str(error) == "x.zip!\\x1b[31mrun\\n.fit: bad value '\\x07' (at byte 3)"
    assert error.path == "x.zip!\x1b[31mrun\n.fit"  # the path itself, to open or store
    back = pickle.loads(pickle.dumps(error))
    assert str(back) == str(error) and back.path == error.path


def test_unexpected_error_text_is_escaped_too() -> None:
    error = UnexpectedError.wrap("run.fit", ValueError("could not convert '\x1b[2J'"))
    assert "\x1b" not in str(error) and "\\x1b[2J" in str(error)


def test_detached_error_holds_no_traceback_or_chain() -> None:
    try:
        try:
            raise KeyError("inner")
        except KeyError:
            raise CorruptFile("a.fit", "bad") from None
    except CorruptFile as exc:
        error = exc
    assert error.__traceback__ is not None and error.__context__ is not None
    assert error.detached() is error
    assert (error.__traceback__, error.__context__, error.__cause__) == (None, None, None)


def test_archive_member_errors_are_kept_detached() -> None:
    """A refused member's error is kept without the frames (and buffers) that raised it."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("bomb.fit.gz", gzip.compress(b"\x00" * 3_000_000))
        z.writestr("cut.fit.gz", gzip.compress(bytes(range(256)) * 40)[:-30])
    members = list(iter_members(buf.getvalue(), "x.zip", ArchiveLimits(max_member_bytes=10**6)))
    errors = [m.error for m in members]
    assert [type(e) for e in errors] == [ArchiveLimitExceeded, CorruptFile]
    assert all(e is not None and e.__traceback__ is None for e in errors)
    assert all(e is not None and e.__context__ is None for e in errors)
