"""RawTrack -> Activity: the 1 Hz grid, cleaned channels, cadence units, states."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from footfall.errors import NoUsableData
from footfall.io.track import RawTrack
from footfall.model import CHANNEL_UNITS, Activity, ChannelSource, SourceInfo, has_values
from footfall.series.clean import (
    MAX_DV_MPS,
    CleanReport,
    clean_ranges,
    convert_cadence,
    derive_distance_and_speed,
    derive_step_length,
)
from footfall.series.clock import ClockJump, find_clock_jumps, repair, shift_times
from footfall.series.resample import to_grid
from footfall.series.states import MOVING_SPEED_MPS, classify_states, stopped_seconds

#: column order of the cleaned frame
COLUMN_ORDER = list(CHANNEL_UNITS)
#: a minute of lost cadence is worth a note of its own (shorter losses show in the
#: data-quality share) [heuristic]
LOST_NOTE_S = 60


def build_activity(track: RawTrack, source: SourceInfo) -> Activity:
    """The cleaned 1 Hz Activity of a RawTrack: grid, ranges, speed, cadence, states."""
    path = source.path
    track = _in_time_order(track)
    track, jumps = _repair_clock(track)
    try:
        grid = to_grid(track.samples)
    except ValueError as exc:
        raise NoUsableData(path, f"broken time stamps: {exc}") from None
    frame = grid.frame
    if frame.empty or len(frame) < 2:
        raise NoUsableData(path, "fewer than two timed records")
    report = CleanReport()
    clean_ranges(frame)
    derive_distance_and_speed(frame, report)
    channels = dict(track.channels)
    _cadence(frame, track, report, channels)
    if derive_step_length(frame):
        channels["step_length_m"] = ChannelSource(
            "computed as speed / step rate", "m", derived=True
        )
    if report.speed_derived and ("speed_mps" not in channels or report.speed_replaced):
        note = "the recorded speed disagreed with the distance" if report.speed_replaced else ""
        channels["speed_mps"] = ChannelSource(report.speed_derived, "m/s", note, derived=True)
    pauses = _merge(_elapsed_pauses(track.pauses, grid.t0, len(frame)) + grid.gaps)
    frame["state"] = classify_states(frame, pauses)
    moving_s = int((~stopped_seconds(frame, pauses)).sum())
    if not any(has_values(frame, c) for c in MOTION_CHANNELS):
        raise NoUsableData(path, "no cadence and no speed to analyse")
    frame["timestamp"] = pd.to_datetime(grid.t0 + frame.index.to_numpy(), unit="s", utc=True)
    frame = _tidy(frame)
    return Activity(
        source=source,
        data=frame,
        start_time=None if track.relative_time else datetime.fromtimestamp(grid.t0, tz=UTC),
        channels={k: v for k, v in channels.items() if k in frame.columns},
        cadence_unit=report.unit.description if report.unit else None,
        laps=sorted({round(t - grid.t0, 1) for t in track.laps if 0 < t - grid.t0 < len(frame)}),
        pauses=sorted(pauses),
        legs=list(track.legs),
        warnings=_jump_notes(jumps)
        + _notes(track, grid.dropped_backwards, grid.dropped_glitches, report),
        treadmill=track.treadmill,
        cadence_trusted=report.unit.trusted if report.unit else True,
        moving_time_s=moving_s,
        timer_time_s=track.timer_time_s,
        device_distance_m=track.device_distance_m,
        leg_spans=_elapsed_pauses(track.leg_spans, grid.t0, len(frame)),
        athlete=dict(track.athlete),
        quality={
            "speed_spikes": report.speed_spikes,
            "cadence_fixed": report.cadence_fixed,
            "cadence_dropout_s": report.cadence_dropouts,
            "cadence_lost_s": report.cadence_lost,
            "records_backwards": grid.dropped_backwards,
            "clock_glitches": grid.dropped_glitches,
            "clock_jumps": len(jumps),
        },
    )


#: a file whose records step back in time this often was written newest first [heuristic:
#: a recording steps back only by a few glitches, see resample.clean_times]
REVERSED_SHARE = 0.9


def _in_time_order(track: RawTrack) -> RawTrack:
    """Some exporters write the points newest first: reverse them rather than drop all but
    the first as "going back in time"."""
    t = track.samples["time"].to_numpy(dtype=float)
    steps = np.diff(t[np.isfinite(t)])
    steps = steps[steps != 0]
    if steps.size < 2 or np.mean(steps < 0) < REVERSED_SHARE:
        return track
    samples = track.samples.iloc[::-1].reset_index(drop=True)
    note = "the records were written newest first; they were put back in time order"
    return replace(track, samples=samples, warnings=[*track.warnings, note])


def _repair_clock(track: RawTrack) -> tuple[RawTrack, list[ClockJump]]:
    """A device clock that jumped inside the recording is an offset to repair (clock.py):
    records, laps and timer pauses after the jump move back together."""
    t = track.samples["time"].to_numpy(dtype=float)
    jumps = find_clock_jumps(t, track.pauses)
    if not jumps:
        return track, []
    samples = track.samples.copy()
    samples["time"] = repair(t, jumps)
    starts = shift_times([a for a, _ in track.pauses], t, jumps)
    ends = shift_times([b for _, b in track.pauses], t, jumps)
    return (
        replace(
            track,
            samples=samples,
            laps=shift_times(track.laps, t, jumps),
            pauses=list(zip(starts, ends, strict=True)),
        ),
        jumps,
    )


def _jump_notes(jumps: list[ClockJump]) -> list[str]:
    return [
        f"the device clock jumped by {_span_text(j.shift)} during the recording; the records "
        "after it were moved back so both sides are kept and the jump is not counted as time"
        for j in jumps
    ]


def _span_text(seconds: float) -> str:
    sign = "-" if seconds < 0 else "+"
    s = abs(seconds)
    if s >= 86_400:
        return f"{sign}{s / 86_400:.1f} days"
    return f"{sign}{s / 3600:.1f} h"


#: a series needs one of these to be analysed at all
MOTION_CHANNELS = ("cadence_spm", "speed_mps")


def _cadence(
    frame: pd.DataFrame, track: RawTrack, report: CleanReport, channels: dict[str, ChannelSource]
) -> None:
    """cadence_raw in the file's unit -> cadence_spm, with its source and unit decision."""
    if "cadence_raw" not in frame.columns:
        return
    if not np.nan_to_num(frame["cadence_raw"].to_numpy()).any():
        frame.pop("cadence_raw")
        return
    hint = track.cadence_hint
    convert_cadence(
        frame, hint.prior_factor if hint else 2.0, hint.stored_unit if hint else "", report
    )
    assert report.unit is not None
    channels["cadence_spm"] = ChannelSource(
        hint.source if hint else "cadence",
        hint.stored_unit if hint else "",
        report.unit.description,
    )


def _notes(track: RawTrack, backwards: int, glitches: int, report: CleanReport) -> list[str]:
    """The data-quality notes of cleaning, one sentence each."""
    notes = list(track.warnings)
    if backwards:
        notes.append(f"{backwards} records went back in time and were dropped")
    if glitches:
        notes.append(f"{glitches} records with a jumping clock were dropped")
    if report.unit is not None and not report.unit.trusted:
        notes.append("cadence unit could not be decided from the values; treat with care")
    notes.extend(report.notes)
    if report.speed_spikes:
        notes.append(f"{report.speed_spikes} speed spikes (> {MAX_DV_MPS:g} m/s in 1 s) removed")
    if report.cadence_fixed:
        notes.append(f"{report.cadence_fixed} cadence values were half/double or implausible")
    if report.cadence_lost >= LOST_NOTE_S:
        notes.append(
            f"cadence read 0 for {report.cadence_lost} s while moving at {MOVING_SPEED_MPS:g} "
            "m/s or faster: the sensor lost count there, so those seconds are left out of "
            "cadence statistics"
        )
    if report.cadence_dropouts:
        notes.append(f"{report.cadence_dropouts} s of cadence dropouts interpolated")
    return notes


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Contract column order; absent channels are absent, not empty columns (a multisport
    file may carry running dynamics only in the legs that were dropped)."""
    frame.index.name = "elapsed_s"
    filled = frame.notna().any()  # one pass over the frame's blocks, not one per column
    keep = [c for c in frame.columns if c == "state" or filled[c]]
    ordered = [c for c in COLUMN_ORDER if c in keep]
    return frame[ordered + [c for c in keep if c not in ordered]]


def _merge(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Timer pauses and recording gaps usually coincide: one interval each, overlaps merged."""
    merged: list[tuple[int, int]] = []
    for a, b in sorted(intervals):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _elapsed_pauses(pauses: list[tuple[float, float]], t0: float, n: int) -> list[tuple[int, int]]:
    out = []
    for a, b in pauses:
        start, end = int(np.floor(a - t0)), int(np.ceil(b - t0))
        if end > 0 and start < n:
            out.append((max(start, 0), min(end, n)))
    return out
