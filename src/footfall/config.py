"""Athlete profile: height, target cadence, numbness history, from TOML or CLI flags.

A profile file looks like::

    [athlete]
    name = "Ana"
    height_cm = 168
    target_cadence_spm = 180
    knee_or_shin_history = false

Everything is optional: without a height the detectors use the reference stature of
science §1.2 (181 cm) and lower their confidence.
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from footfall.errors import ProfileError

#: the user's headline target (docs/science.md, "Product decision on the cadence target")
DEFAULT_TARGET_SPM = 180.0
#: accepted ranges, to catch typos such as a height in metres or feet
HEIGHT_RANGE_CM = (120.0, 230.0)
TARGET_RANGE_SPM = (140.0, 220.0)


@dataclass(frozen=True)
class Profile:
    name: str | None = None
    height_cm: float | None = None
    target_cadence_spm: float = DEFAULT_TARGET_SPM
    knee_or_shin_history: bool = False

    def __post_init__(self) -> None:
        if self.height_cm is not None:
            lo, hi = HEIGHT_RANGE_CM
            if not lo <= self.height_cm <= hi:
                raise ProfileError(
                    None,
                    f"height {self.height_cm:g} cm is outside {lo:g}-{hi:g} cm (give it in cm)",
                )
        lo, hi = TARGET_RANGE_SPM
        if not lo <= self.target_cadence_spm <= hi:
            raise ProfileError(
                None,
                f"target cadence {self.target_cadence_spm:g} spm is outside {lo:g}-{hi:g} spm",
            )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def with_overrides(self, **overrides: Any) -> Profile:
        values = self.to_dict()
        values.update({k: v for k, v in overrides.items() if v is not None})
        return Profile(**values)


def load_profile(path: str | Path) -> Profile:
    """Read ``[athlete]`` (or top-level keys) from a TOML file."""
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProfileError(str(p), "profile file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ProfileError(str(p), f"not valid TOML: {exc}") from None
    section = data.get("athlete", data)
    if not isinstance(section, dict):
        raise ProfileError(str(p), "[athlete] must be a table")
    known = {f.name for f in fields(Profile)}
    unknown = sorted(set(section) - known)
    if unknown:
        raise ProfileError(
            str(p), f"unknown keys: {', '.join(unknown)} (known: {', '.join(sorted(known))})"
        )
    try:
        return Profile(**section)
    except ProfileError as exc:
        raise ProfileError(str(p), exc.problem) from None
    except TypeError as exc:
        raise ProfileError(str(p), str(exc)) from None
