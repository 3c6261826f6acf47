"""The one sport policy: what a file says it records, how much that counts, and what the data
say when the file says nothing.

Evidence, strongest first:

1. ``file``: the format's own sport field (FIT session/sport, TCX ``Activity Sport=``);
2. ``type``: a GPX track's ``<type>`` (Strava writes numeric codes);
3. ``name``: the track or activity name ("Morning Run", "Cycling to work");
4. the speed and cadence profile of the cleaned series (:func:`judge_profile`);
5. ``creator``: the app's name ("Urban Biker"), the weakest: an app named for one sport
   records others too.

A declared non-run (1-3) is refused before the series is built; a run declared by ``file`` or
``type`` is trusted; anything weaker is checked against the profile.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from footfall.errors import NotARun

#: Strava's numeric activity types as written in its GPX exports (<type>9</type> is a run)
STRAVA_TYPES: dict[int, str] = {
    1: "cycling",
    2: "alpine_skiing",
    3: "backcountry_skiing",
    4: "hiking",
    5: "ice_skating",
    6: "inline_skating",
    7: "cross_country_skiing",
    8: "roller_skiing",
    9: "running",
    10: "walking",
    11: "workout",
    12: "snowboarding",
    13: "snowshoeing",
    16: "swimming",
    17: "cycling (virtual ride)",
    18: "e_biking",
    23: "rowing",
    53: "running (virtual run)",
}

_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("run", "jog", "trail", "treadmill", "laufen", "course"), "running"),
    (("walk", "marche"), "walking"),
    (("hik",), "hiking"),
    (("bik", "cycl", "ride", "velo", "vélo", "biking"), "cycling"),
    (("swim",), "swimming"),
    (("row",), "rowing"),
    (("ski",), "skiing"),
    (("multisport",), "multisport"),
)

#: labels that name no sport: the data decide (FIT enum `sport` generic/all)
UNDECIDED = frozenset({"generic", "all", "multisport", "other", "unknown", "transition"})

#: evidence strength by where a sport label came from (see the module docstring)
STRENGTH: dict[str, int] = {"file": 3, "type": 3, "name": 2, "creator": 1}
TRUSTED_STRENGTH = 3  # a run declared this strongly is not second-guessed by the data

#: a file whose sport is not declared is a run when running is at least this share of the
#: moving time [heuristic; the walk/run cadence boundary of science §3.2 decides the seconds]
MIN_RUNNING_SHARE = 0.2
#: median moving speed above this is a ride, not a run: 18 km/h is faster than a 2:20
#: marathon, and the median includes any easy running [heuristic]
CYCLING_SPEED_MPS = 5.0
#: without cadence, a median moving speed below this is a walk (science §3.2)
WALKING_SPEED_MPS = 1.8


@dataclass(frozen=True)
class SportClaim:
    """A sport label and where it came from (``file``, ``type``, ``name`` or ``creator``)."""

    sport: str | None
    source: str

    @property
    def strength(self) -> int:
        return STRENGTH.get(self.source, 0)


def sport_from_label(label: object) -> str | None:
    """Normalise a free-text or numeric sport label; None when there is none."""
    if label is None:
        return None
    text = str(label).strip().lower()
    if not text:
        return None
    if text.isdigit():
        return STRAVA_TYPES.get(int(text), f"strava type {text}")
    for words, sport in _WORDS:
        if any(w in text for w in words):
            return sport
    return None if text in UNDECIDED else text


def sport_from_name(name: object) -> str | None:
    """A sport named in free text (a track name): words that start with a sport word count,
    so "Morning Run" is a run and "Brunch ride" a ride (not a run hidden in "brunch")."""
    if name is None:
        return None
    words = re.findall(r"[^\W\d_]+", str(name).lower())
    for stems, sport in _WORDS:
        if sport != "multisport" and any(w.startswith(stems) for w in words):
            return sport
    return None


def is_run(sport: str | None) -> bool | None:
    """True for runs, False for another sport, None when the label does not tell."""
    if sport is None or sport in UNDECIDED:
        return None
    return sport.startswith("running")


def strongest(claims: list[SportClaim]) -> SportClaim | None:
    """The strongest claim that names a sport (ties: the first)."""
    named = [c for c in claims if c.sport is not None and is_run(c.sport) is not None]
    return max(named, key=lambda c: c.strength) if named else None


def refuse_declared_non_run(claim: SportClaim | None, path: str) -> None:
    """A file, type or name that says "cycling" is refused before any cleaning."""
    if claim is not None and claim.source != "creator" and is_run(claim.sport) is False:
        raise NotARun(
            path, str(claim.sport), "" if claim.source == "file" else f"from its {claim.source}"
        )


def needs_profile_check(claim: SportClaim | None) -> bool:
    """Only a run declared by the file's own sport field or GPX type skips the data check."""
    return claim is None or claim.strength < TRUSTED_STRENGTH or is_run(claim.sport) is not True


def judge_profile(
    state: np.ndarray,
    speed: np.ndarray | None,
    cadence: np.ndarray | None,
    claim: SportClaim | None,
    path: str,
) -> None:
    """Raise NotARun when the speed and cadence profile is not running (science §3.2).

    ``state`` is the run/walk/stop label per second, ``speed`` m/s and ``cadence`` steps/min
    per second (or None when the file has none). The claim only words the message.
    """
    moving = state != "stop"
    label = "no sport declared"
    if claim is not None and claim.sport is not None:
        label = f"{claim.sport} by its {claim.source}" if claim.source != "file" else claim.sport
    moving_speed = None
    if speed is not None:
        moving_speed = speed[moving]
        moving_speed = moving_speed[np.isfinite(moving_speed)]
    if moving_speed is not None and moving_speed.size:
        median = float(np.median(moving_speed))
        if median > CYCLING_SPEED_MPS:
            raise NotARun(
                path, "cycling", f"{label}; guessed from a median speed of {median * 3.6:.0f} km/h"
            )
    if cadence is not None and np.isfinite(cadence).any() and moving.any():
        share = float(np.sum(state == "run")) / float(moving.sum())
        if share < MIN_RUNNING_SHARE:
            cad = cadence[moving]
            med = float(np.nanmedian(cad)) if np.isfinite(cad).any() else float("nan")
            raise NotARun(
                path,
                "walking",
                f"{label}; guessed: only {share:.0%} of moving time at running cadence, "
                f"median {med:.0f} spm",
            )
    elif moving_speed is not None and moving_speed.size:
        median = float(np.median(moving_speed))
        if median < WALKING_SPEED_MPS:
            raise NotARun(
                path, "walking", f"{label}; guessed from a median speed of {median:.1f} m/s"
            )
