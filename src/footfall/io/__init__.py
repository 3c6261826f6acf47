"""Readers: one module per format, chosen by content (sniff), archives opened with limits."""

from footfall.io.archive import ArchiveLimits, Member, iter_members
from footfall.io.read import read_track
from footfall.io.sniff import sniff
from footfall.io.track import CadenceHint, RawTrack

__all__ = [
    "ArchiveLimits",
    "CadenceHint",
    "Member",
    "RawTrack",
    "iter_members",
    "read_track",
    "sniff",
]
