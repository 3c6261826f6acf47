"""The one place the stages are chained: bytes -> RawTrack -> Activity -> Analysis.

``read_activity`` and ``analyze`` are the Python API; the CLI, the batch runner and the web app
call them and nothing deeper.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from footfall.coaching.symptoms import Numbness
from footfall.config import Profile
from footfall.errors import (
    CorruptFile,
    FootfallError,
    NoUsableData,
    TruncatedFile,
    UnsupportedFormat,
)
from footfall.io.archive import ArchiveLimits, iter_members
from footfall.io.files import read_file
from footfall.io.read import read_track
from footfall.io.registry import ErrorPolicy, ReadOptions
from footfall.io.sniff import sniff
from footfall.io.sport import (
    SportClaim,
    is_run,
    judge_profile,
    needs_profile_check,
    refuse_declared_non_run,
)
from footfall.metrics import summarize
from footfall.model import Activity, Analysis, Finding, SourceInfo, moving
from footfall.series.build import build_activity

if TYPE_CHECKING:
    from footfall.detectors import Context


def _read_bytes(path: str | Path) -> bytes:
    """A regular file's bytes, within the size limit (io/files.py): a FIFO, a device or a
    folder is refused by name, never read."""
    return read_file(path)


def activity_from_bytes(
    data: bytes,
    name: str,
    *,
    errors: ErrorPolicy = "recover",
    fast: bool = True,
    fmt: str | None = None,
) -> Activity:
    """Read one (decompressed) activity file's bytes into a cleaned Activity.

    ``fmt`` is the format when the caller has sniffed it (an archive member); otherwise the
    bytes are sniffed here.
    """
    fmt = fmt or sniff(data[:4096], name)
    track = read_track(data, name, fmt, ReadOptions(errors=errors, fast=fast))
    source = SourceInfo(
        path=name,
        format=track.fmt,
        sha256=hashlib.sha256(data).hexdigest(),
        device=track.device,
        sport=track.sport,
        sub_sport=track.sub_sport,
        name=track.name,
    )
    claim = SportClaim(track.sport, track.sport_source) if track.sport else None
    refuse_declared_non_run(claim, name)
    activity = build_activity(track, source)
    if not moving(activity.data).any():
        raise NoUsableData(name, f"no movement in {len(activity.data)} s of records")
    if needs_profile_check(claim):
        frame = activity.data
        judge_profile(
            frame["state"].to_numpy(),
            frame["speed_mps"].to_numpy(dtype=float) if "speed_mps" in frame.columns else None,
            frame["cadence_spm"].to_numpy(dtype=float) if activity.has("cadence_spm") else None,
            claim,
            name,
        )
        if claim is None or is_run(claim.sport) is not True:
            activity.warnings.append(
                f"the file declares no running sport ({track.sport or 'none'}); it was treated "
                "as a run because its cadence and speed look like running"
            )
    if track.damage:
        kind, message, offset = track.damage[0]
        if errors == "strict":
            if kind == "truncated":
                raise TruncatedFile(name, message, offset, partial=activity)
            raise CorruptFile(name, message, offset)
        where = f" at byte {offset}" if offset is not None else ""
        activity.warnings.insert(
            0,
            f"file damaged{where} ({message}); the {len(track.samples)} records read before "
            "it were kept and analysed",
        )
    return activity


def read_activity(
    path: str | Path, *, errors: ErrorPolicy = "recover", fast: bool = True
) -> Activity:
    """Read a FIT, GPX or TCX file (or a .gz of one) into a cleaned 1 Hz Activity.

    ``errors="recover"`` keeps what a damaged file holds and says so in ``warnings``;
    ``errors="strict"`` raises :class:`TruncatedFile` / :class:`CorruptFile` instead.
    Archives holding several activities are read with :func:`iter_activities`.
    """
    name = str(path)
    members = list(iter_members(_read_bytes(path), name))
    if len(members) != 1:
        raise UnsupportedFormat(
            name,
            f"the archive holds {len(members)} activities, not one: read it with iter_activities()",
        )
    member = members[0]
    if member.error is not None:
        raise member.error
    assert member.data is not None
    return activity_from_bytes(member.data, member.name, errors=errors, fast=fast, fmt=member.fmt)


def iter_activities(
    path: str | Path,
    *,
    errors: ErrorPolicy = "recover",
    fast: bool = True,
    limits: ArchiveLimits | None = None,
) -> Iterator[Activity | FootfallError]:
    """Every activity of a file or archive; a bad member yields its error and reading goes on."""
    name = str(path)
    try:
        data = _read_bytes(path)
        members = iter_members(data, name, limits) if limits else iter_members(data, name)
        for member in members:
            if member.error is not None:
                yield member.error.detached()
                continue
            assert member.data is not None
            try:
                yield activity_from_bytes(
                    member.data, member.name, errors=errors, fast=fast, fmt=member.fmt
                )
            except FootfallError as exc:
                yield exc.detached()  # a traceback would keep the member's bytes alive
    except FootfallError as exc:
        yield exc.detached()


def analyze(
    source: str | Path | Activity,
    profile: Profile | None = None,
    numbness: Numbness | None = None,
    *,
    numbness_at: str | int | None = None,
    side: str | None = None,
) -> Analysis:
    """Analyse one activity (a path or an already read Activity).

    ``numbness`` (or, as text, ``numbness_at`` "25m", "1h05m", "25:30" or seconds, and
    ``side`` "left", "right", "both") logs when numbness started and on which foot; the
    analysis then relates the onset to what form did before it and brings the red flags
    forward.
    """
    from footfall.coaching import coach
    from footfall.detectors import REGISTRY

    profile = profile or Profile()
    if numbness is None:
        numbness = Numbness.parse(numbness_at, side)
    activity = source if isinstance(source, Activity) else read_activity(source)
    profile, height_source = _with_file_height(profile, activity)
    summary = summarize(activity, profile.target_cadence_spm)
    ctx = _context(activity, profile, summary)
    findings = [f for detector in REGISTRY for f in detector.detect(activity.data, ctx)]
    symptom = _symptom(activity, numbness, findings)
    cadence = summary.get("cadence_spm")
    coaching = coach(
        findings,
        cadence["median"] if cadence else None,
        profile.target_cadence_spm,
        symptom,
        knee_or_shin_history=profile.knee_or_shin_history,
    )
    summary["verdict"] = coaching.verdict
    warnings = list(activity.warnings)
    if profile.height_cm is None and cadence:
        warnings.append(
            "height not given: the speed-typical cadence uses 181 cm (the reference stature); "
            "give your height for a sharper reference"
        )
    metrics: dict[str, Any] = {
        "cadence_speed_fit": ctx.fit,
        "drift": ctx.drift,
        "steady_time_s": ctx.steady_time_s(),
        "c_ref": _c_ref_summary(summary, profile),
        "not_medical_advice": coaching.not_medical_advice,
    }
    return Analysis(
        activity=activity,
        summary=summary,
        findings=findings,
        red_flags=coaching.red_flags,
        warnings=warnings,
        checklist=coaching.checklist,
        plan=coaching.plan,
        symptom=symptom,
        profile={**profile.to_dict(), "height_source": height_source},
        segments=[s.to_dict() for s in ctx.segments],
        metrics=metrics,
        references=coaching.references,
    )


def _with_file_height(profile: Profile, activity: Activity) -> tuple[Profile, str | None]:
    """The runner's height: the profile's (or a flag's) first, else the file's own (a FIT
    user_profile message), else none (the reference stature of science §1.2 is used)."""
    if profile.height_cm is not None:
        return profile, "profile"
    height = activity.athlete.get("height_cm")
    if height is None:
        return profile, None
    try:
        return profile.with_overrides(height_cm=height), "file (FIT user_profile)"
    except FootfallError:  # a height outside the accepted range: ignore the file's
        return profile, None


def _context(activity: Activity, profile: Profile, summary: dict[str, Any]) -> Context:
    """What every detector shares: steady segments, the cadence-speed line, drift."""
    from footfall.detectors import Context
    from footfall.metrics import cadence_speed_fit, drift
    from footfall.series.segments import steady_segments

    segments = steady_segments(activity)
    running_s = max(1, summary["running_time_s"])
    return Context(
        activity=activity,
        profile=profile,
        segments=segments,
        summary=summary,
        fit=cadence_speed_fit(segments),
        drift=drift(segments, profile.height_cm),
        gps_flagged_share=min(1.0, activity.quality.get("speed_spikes", 0) / running_s),
    )


def _symptom(
    activity: Activity, numbness: Numbness | None, findings: list[Finding]
) -> dict[str, Any] | None:
    """The logged numbness related to what form did before it (coaching.symptoms)."""
    from footfall.coaching.symptoms import relate

    if numbness is None:
        return None
    drift_seen = any(f.detector == "drift" and f.severity != "ok" for f in findings)
    onset = numbness.at_s if numbness.at_s is not None else -1
    symptom = relate(activity.data, onset, numbness.side, drift_seen)
    if numbness.at_s is None:
        symptom["observations"] = ["No onset time was logged."]
    return symptom


def _c_ref_summary(summary: dict[str, Any], profile: Profile) -> dict[str, Any] | None:
    from footfall.reference import c_ref

    speed = summary.get("speed_mps")
    if not speed:
        return None
    v = speed["median"]
    return {
        "speed_mps": v,
        "height_cm": profile.height_cm,
        "height_assumed": profile.height_cm is None,
        "c_ref_spm": round(float(c_ref(v, profile.height_cm)), 1),
    }
