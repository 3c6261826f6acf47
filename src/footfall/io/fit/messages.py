"""What a FIT decoder hands to the FIT reader: record columns plus the few summary messages.

Both decoders (fitparse in :mod:`footfall.io.fit.fitparse_decoder`, the numpy one in
:mod:`footfall.io.fit.fast.decoder`) return a :class:`FitMessages`, so the reader above them
does not care which one ran, and the differential test compares them field by field.

Conventions, shared by both decoders:

- ``records`` holds one float64 array per *native* record field, by fitparse's profile name,
  after scale and offset; invalid values are NaN. Enum fields keep their raw integer code.
  ``timestamp`` is the raw FIT time (seconds since 1989-12-31T00:00Z), NaN when absent.
- ``dev_records`` holds developer fields of the record message by their declared name.
- ``sessions``, ``laps``, ``events``, ``file_id`` and ``device_infos`` are small lists of
  dicts with fitparse's rendered values (enum names as strings, times as raw FIT seconds).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: FIT time zero (1989-12-31T00:00:00Z) as a UNIX timestamp; FIT profile, "date_time" type.
FIT_EPOCH_UNIX = 631065600

#: summary messages both decoders keep besides records (a few per file)
SUMMARY_MESSAGES = (
    "session",
    "lap",
    "event",
    "file_id",
    "device_info",
    "sport",
    "user_profile",
)

#: date_time values below this are "seconds since device power-on", not absolute (FIT profile).
FIT_MIN_ABSOLUTE_TIME = 0x10000000


@dataclass(eq=False)  # holds series: == on them is identity (field-wise it would raise)
class DevChannel:
    """One developer field of the record message, e.g. Stryd's 'Ground Time'."""

    name: str
    units: str
    values: np.ndarray
    native_field_num: int | None = None
    developer_index: int = 0


@dataclass
class DecodeProblem:
    """A damage found while decoding; what was read before it is kept."""

    kind: str  # "truncated" | "corrupt" | "crc" | "header_size"
    message: str
    offset: int | None = None


@dataclass(eq=False)  # holds series: == on them is identity (field-wise it would raise)
class FitMessages:
    """A decoded FIT file: record columns and the messages the reader uses."""

    records: dict[str, np.ndarray] = field(default_factory=dict)
    dev_records: dict[str, DevChannel] = field(default_factory=dict)
    sessions: list[dict[str, Any]] = field(default_factory=list)
    laps: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    file_id: dict[str, Any] = field(default_factory=dict)
    device_infos: list[dict[str, Any]] = field(default_factory=list)
    sports: list[dict[str, Any]] = field(default_factory=list)  # `sport` messages
    user_profiles: list[dict[str, Any]] = field(default_factory=list)  # height, weight...
    problems: list[DecodeProblem] = field(default_factory=list)
    decoder: str = "fitparse"
    n_records: int = 0

    def add_summary(self, name: str, values: dict[str, Any]) -> None:
        """File one summary message's values (by field name) under its message name."""
        if name == "session":
            self.sessions.append(values)
        elif name == "lap":
            self.laps.append(values)
        elif name == "event":
            self.events.append(values)
        elif name == "file_id":
            if not self.file_id:
                self.file_id = values
        elif name == "device_info":
            self.device_infos.append(values)
        elif name == "sport":
            self.sports.append(values)
        elif name == "user_profile":
            self.user_profiles.append(values)

    @property
    def fatal_problem(self) -> DecodeProblem | None:
        """The problem that stopped decoding early, if any (CRC mismatches are not fatal)."""
        for p in self.problems:
            if p.kind in ("truncated", "corrupt"):
                return p
        return None
