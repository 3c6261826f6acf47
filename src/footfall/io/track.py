"""RawTrack: what every format reader returns before cleaning.

Samples keep the file's own timing (irregular, paused, sometimes out of order); channels are
already in contract units except cadence, which stays in the file's unit as ``cadence_raw``
because the unit is decided from the values themselves (science §3.1) in
:mod:`footfall.series.units`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from footfall.model import ChannelSource


@dataclass
class CadenceHint:
    """How the file declares its cadence, before the values are looked at."""

    source: str  # e.g. "record.cadence + fractional_cadence", "gpxtpx:cad"
    stored_unit: str  # what the format says, e.g. "strides/min (one foot)"
    prior_factor: float = 2.0  # multiply by this to get steps/min if the values agree


@dataclass(eq=False)  # holds series: == on them is identity (field-wise it would raise)
class RawTrack:
    """What a reader returns: the records as they are in the file, before any cleaning."""

    fmt: str  # fit | gpx | tcx
    #: ``time`` (float UNIX seconds, UTC) + contract channels + ``cadence_raw``;
    #: optional ``activity_type`` (FIT enum code) used by the state machine
    samples: pd.DataFrame
    channels: dict[str, ChannelSource] = field(default_factory=dict)
    cadence_hint: CadenceHint | None = None
    sport: str | None = None
    #: where ``sport`` came from: file | type | name | creator (footfall.io.sport.STRENGTH)
    sport_source: str = "file"
    sub_sport: str | None = None
    device: str | None = None
    name: str | None = None
    laps: list[float] = field(default_factory=list)  # lap start times, UNIX seconds
    pauses: list[tuple[float, float]] = field(default_factory=list)  # timer stopped, UNIX s
    legs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: problems that cut the file short (kind, message, byte offset); records before are kept
    damage: list[tuple[str, str, int | None]] = field(default_factory=list)
    treadmill: bool = False
    relative_time: bool = False  # times count from device power-on, not a real clock
    #: the device's timer time over the kept legs (s), None when the file records none
    timer_time_s: float | None = None
    #: the device's own distance total over the kept legs (m), None when not recorded
    device_distance_m: float | None = None
    #: UNIX [start, end] of each run leg joined from a multisport or multi-session file
    leg_spans: list[tuple[float, float]] = field(default_factory=list)
    #: what the file says of the runner: height_cm, weight_kg (FIT user_profile)
    athlete: dict[str, float] = field(default_factory=dict)


#: running legs further apart than this are separate outings, not one multisport event
SEPARATE_OUTING_S = 3600.0


def choose_outing(spans: list[tuple[float, float]]) -> tuple[list[int], str | None]:
    """Group time spans into outings and pick the longest outing.

    A triathlon's run leg follows the ride within minutes; a TCX that holds runs from several
    days holds separate activities. Returns the indices of the chosen spans and a warning
    when others were left out.
    """
    if len(spans) <= 1:
        return list(range(len(spans))), None
    order = sorted(range(len(spans)), key=lambda i: spans[i][0])
    outings: list[list[int]] = [[order[0]]]
    for i in order[1:]:
        last_end = max(spans[j][1] for j in outings[-1])
        if spans[i][0] - last_end > SEPARATE_OUTING_S:
            outings.append([i])
        else:
            outings[-1].append(i)
    if len(outings) == 1:
        return outings[0], None
    best = max(outings, key=lambda o: sum(spans[i][1] - spans[i][0] for i in o))
    return sorted(best), (
        f"the file holds {len(outings)} separate runs more than an hour apart; "
        "the longest was analysed"
    )
