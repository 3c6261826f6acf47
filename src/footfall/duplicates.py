"""One run in several files: the same activity exported as FIT, GPX and TCX (or twice).

Works on analysis-JSON dicts (DESIGN.md, "The analysis JSON"), so the index page and the
store compare runs the same way without any series in memory. Two files are one run when
they start within :data:`SAME_START_S` of each other and their distances agree within
:data:`SAME_DISTANCE_FRACTION`. A file without a start time or a distance is never merged
with another: hiding a real run is worse than listing one twice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar, cast

#: [heuristic] exports of one run start within a minute of each other: a FIT file starts at
#: the timer start, a GPX/TCX export at its first track point, which trails the start by the
#: seconds the watch took to get a fix (sports-lib's 6782987395.fit/.gpx/.tcx: 0 s apart).
#: Two different runs do not start within a minute, so the window can be generous.
SAME_START_S = 60.0
#: [heuristic] their distances agree within 2 % of the longer one: a GPX distance is summed
#: from positions while FIT and TCX carry the watch's own (6782987395: 0.55 % apart); an
#: interval session repeated later the same hour differs by more than that.
SAME_DISTANCE_FRACTION = 0.02

T = TypeVar("T")


def start_time(result: Mapping[str, Any]) -> datetime | None:
    """The run's start from ``summary.start_time`` (ISO 8601; naive means UTC), or None."""
    raw = (result.get("summary") or {}).get("start_time")
    if not isinstance(raw, str) or not raw:
        return None
    try:
        stamp = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def _distance(result: Mapping[str, Any]) -> float | None:
    value = (result.get("summary") or {}).get("distance_m")
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        return None
    return float(value)


def same_run(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Whether two analysis-JSON dicts describe one run (start within 60 s, distance within
    2 % of the longer)."""
    start_a, start_b = start_time(a), start_time(b)
    dist_a, dist_b = _distance(a), _distance(b)
    if start_a is None or start_b is None or dist_a is None or dist_b is None:
        return False
    if abs((start_a - start_b).total_seconds()) > SAME_START_S:
        return False
    return abs(dist_a - dist_b) <= SAME_DISTANCE_FRACTION * max(dist_a, dist_b)


def richness(result: Mapping[str, Any]) -> int:
    """How much a file holds: the number of channels read from it (``source.channels``)."""
    channels = (result.get("source") or {}).get("channels")
    return len(channels) if isinstance(channels, Mapping | Sequence) else 0


def group_same_runs(
    entries: Sequence[T], result: Callable[[T], Mapping[str, Any]] | None = None
) -> list[list[T]]:
    """``entries`` grouped by run, each group richest file first (most channels; ties keep
    the input order), groups in the order of their first entry.

    ``result`` gives an entry's analysis-JSON dict; without it the entries are the dicts.
    Each entry joins the group of the first earlier entry it is the same run as.
    """
    get = result or cast("Callable[[T], Mapping[str, Any]]", lambda entry: entry)
    groups: list[list[int]] = []
    group_of: dict[int, int] = {}
    # candidates are looked for among entries sorted by start, within SAME_START_S
    starts = [start_time(get(e)) for e in entries]
    timed = sorted((s.timestamp(), i) for i, s in enumerate(starts) if s is not None)
    position = {i: k for k, (_, i) in enumerate(timed)}
    for i, entry in enumerate(entries):
        home = None
        if i in position:
            k = position[i]
            near = []
            for step in (-1, 1):
                j = k + step
                while 0 <= j < len(timed) and abs(timed[j][0] - timed[k][0]) <= SAME_START_S:
                    near.append(timed[j][1])
                    j += step
            earlier = sorted(j for j in near if j < i and same_run(get(entries[j]), get(entry)))
            if earlier:
                home = group_of[earlier[0]]
        if home is None:
            home = len(groups)
            groups.append([])
        groups[home].append(i)
        group_of[i] = home
    return [
        [entries[i] for i in sorted(members, key=lambda i: -richness(get(entries[i])))]
        for members in groups
    ]
