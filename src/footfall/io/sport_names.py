"""Sport labels as exporters write them (GPX <type>, TCX Sport=, Strava codes) -> FIT names."""

from __future__ import annotations

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
    (("bik", "cycl", "ride", "velo", "vélo"), "cycling"),
    (("swim",), "swimming"),
    (("row",), "rowing"),
    (("ski",), "skiing"),
    (("multisport",), "multisport"),
)


def sport_from_label(label: str | None) -> str | None:
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
    if text in ("other", "generic", "unknown"):
        return None
    return text


def is_running_label(sport: str | None) -> bool | None:
    """True for runs, False for another sport, None when the label does not tell."""
    if sport is None or sport in ("generic", "all", "multisport"):
        return None
    return sport.startswith("running")
