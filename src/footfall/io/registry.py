"""The readers footfall knows, in one tuple: how each format is recognised from its bytes,
which module reads it (imported on first use), its file suffixes and its capabilities.

Adding a format is one reader module plus one line in :data:`READERS`. Capabilities say what
a format can carry, so later stages ask "does this file have running dynamics?" instead of
"is it FIT?", and a new format is never silently treated like another.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from footfall.io.fit.header import looks_like_fit

if TYPE_CHECKING:
    from footfall.io.track import RawTrack

ErrorPolicy = Literal["recover", "strict"]

#: what a format can record (``Reader.capabilities``)
RUNNING_DYNAMICS = "running_dynamics"  # contact time, oscillation, balance, step length
DEVICE_SPEED = "device_speed"  # speed from the device (foot pod, GPS chip), not positions
LAPS = "laps"
TIMER_EVENTS = "timer_events"  # pauses recorded as timer start/stop events


@dataclass(frozen=True)
class ReadOptions:
    """How a reader treats damage: ``recover`` keeps what it can read before the damage and
    says so; ``strict`` reports the damage so the caller refuses the file. ``fast`` lets the
    FIT reader use its numpy decoder in front of fitparse."""

    errors: ErrorPolicy = "recover"
    fast: bool = True


@dataclass(frozen=True)
class Reader:
    """One input format: how its bytes are recognised and which function reads them."""

    format: str
    suffixes: tuple[str, ...]
    module: str
    function: str
    capabilities: frozenset[str]
    #: recognises the first bytes (binary formats)
    magic: Callable[[bytes], bool] | None = None
    #: the local name of the XML root element (XML formats), lower case
    xml_root: str | None = None

    def read(self, data: bytes, path: str, options: ReadOptions) -> RawTrack:
        function = getattr(importlib.import_module(self.module), self.function)
        track: RawTrack = function(data, path, options)
        return track


READERS: tuple[Reader, ...] = (
    Reader(
        "fit",
        (".fit",),
        "footfall.io.fit.reader",
        "read_fit",
        frozenset({RUNNING_DYNAMICS, DEVICE_SPEED, LAPS, TIMER_EVENTS}),
        magic=looks_like_fit,
    ),
    Reader("gpx", (".gpx",), "footfall.io.gpx", "read_gpx", frozenset(), xml_root="gpx"),
    Reader(
        "tcx",
        (".tcx",),
        "footfall.io.tcx",
        "read_tcx",
        frozenset({LAPS}),
        xml_root="trainingcenterdatabase",
    ),
)

#: containers read by footfall.io.archive, not by a reader
ARCHIVE_FORMATS = {"gzip": (".gz",), "zip": (".zip",)}


def activity_suffixes() -> tuple[str, ...]:
    """Every suffix a folder is searched for (the content of each file is still sniffed)."""
    own = [s for reader in READERS for s in reader.suffixes]
    return tuple(own) + tuple(s for suffixes in ARCHIVE_FORMATS.values() for s in suffixes)


def reader_for(fmt: str) -> Reader:
    for reader in READERS:
        if reader.format == fmt:
            return reader
    raise KeyError(f"no reader for format {fmt!r}")


def capabilities(fmt: str) -> frozenset[str]:
    """What files of this format can carry (empty for an unknown format)."""
    try:
        return reader_for(fmt).capabilities
    except KeyError:
        return frozenset()
