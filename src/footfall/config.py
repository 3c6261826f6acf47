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

import datetime
import math
import stat
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from footfall.errors import ProfileError, printable

#: the user's headline target (docs/science.md, "Product decision on the cadence target")
DEFAULT_TARGET_SPM = 180.0
#: accepted ranges, to catch typos such as a height in metres or feet
HEIGHT_RANGE_CM = (120.0, 230.0)
TARGET_RANGE_SPM = (140.0, 220.0)
#: a profile holds four keys: anything larger is not a profile [heuristic]
MAX_PROFILE_BYTES = 64 * 1024


@dataclass(frozen=True)
class Profile:
    """The runner's settings: name, height, target cadence and knee or shin history."""

    name: str | None = None
    height_cm: float | None = None
    target_cadence_spm: float = DEFAULT_TARGET_SPM
    knee_or_shin_history: bool = False

    def __post_init__(self) -> None:
        _check_types(self)
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


def _check_types(profile: Profile) -> None:
    """Each value has the type its key needs, or a ProfileError that says which and why
    (a TOML file can hold text, lists, tables and dates where a number belongs)."""
    wanted = {
        "name": ("text", lambda v: v is None or isinstance(v, str)),
        "height_cm": ("a number of cm", lambda v: v is None or _is_number(v)),
        "target_cadence_spm": ("a number of steps/min", _is_number),
        "knee_or_shin_history": ("true or false", lambda v: isinstance(v, bool)),
    }
    for key, (what, ok) in wanted.items():
        value = getattr(profile, key)
        if not ok(value):
            raise ProfileError(None, f"{key} must be {what}, not {_describe(value)}")
    for key in ("height_cm", "target_cadence_spm"):
        value = getattr(profile, key)
        if value is not None and not math.isfinite(value):
            raise ProfileError(None, f"{key} must be a finite number, not {value}")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _describe(value: Any) -> str:
    """A TOML user's name for what a value is."""
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:40] + "..."
        return f'the text "{printable(text)}"'
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, datetime.date | datetime.time):
        return "a date or time"
    if isinstance(value, int | float):
        return f"the number {value:g}"
    return f"a {type(value).__name__}"


def _read_profile_text(p: Path) -> str:
    try:
        info = p.stat()
        if not stat.S_ISREG(info.st_mode):
            raise ProfileError(str(p), "the profile is not a regular file")
        if info.st_size > MAX_PROFILE_BYTES:
            raise ProfileError(str(p), f"the profile is larger than {MAX_PROFILE_BYTES} bytes")
        return p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProfileError(str(p), "profile file not found") from None
    except UnicodeDecodeError as exc:
        raise ProfileError(str(p), f"not valid TOML: {exc}") from None
    except (OSError, ValueError) as exc:  # permission denied, a NUL in the name...
        problem = getattr(exc, "strerror", None) or str(exc)
        raise ProfileError(str(p), f"cannot read the profile: {problem}") from None


def load_profile(path: str | Path) -> Profile:
    """Read ``[athlete]`` (or top-level keys) from a TOML file."""
    import tomllib  # here, not at the top: most runs have no profile file (4 ms to import)

    p = Path(path)
    text = _read_profile_text(p)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(str(p), f"not valid TOML: {exc}") from None
    except RecursionError:
        raise ProfileError(str(p), "not valid TOML: nested too deep") from None
    section = data.get("athlete", data)
    if not isinstance(section, dict):
        raise ProfileError(str(p), "[athlete] must be a table")
    known = {f.name for f in fields(Profile)}
    unknown = sorted(set(section) - known)
    if unknown:
        names = ", ".join(printable(k) for k in unknown[:10])
        raise ProfileError(str(p), f"unknown keys: {names} (known: {', '.join(sorted(known))})")
    try:
        return Profile(**section)
    except ProfileError as exc:
        raise ProfileError(str(p), exc.problem) from None
    except TypeError as exc:
        raise ProfileError(str(p), str(exc)) from None
