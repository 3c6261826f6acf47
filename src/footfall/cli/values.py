"""Option values of the `footfall` command: the converters given to argparse as ``type=``.

Each raises ``argparse.ArgumentTypeError`` with the problem in the value's own words (argparse
keeps that text; for a ValueError it would print its generic "invalid float value"), and
footfall.cli.parsing names the option in front of it: ``Invalid value for '--height': 'nan' is
not a number``.
"""

from __future__ import annotations

import math
from argparse import ArgumentTypeError
from collections.abc import Callable
from enum import Enum
from typing import TypeVar

E = TypeVar("E", bound=Enum)


def number(text: str) -> float:
    """A finite number: 'nan' and 'inf' parse as floats but measure nothing."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ArgumentTypeError(f"'{text}' is not a number")
    return value


def whole_number(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise ArgumentTypeError(f"'{text}' is not a whole number") from None


def choice(enum: type[E]) -> Callable[[str], E]:
    """A converter to one of ``enum``'s values, naming them all when given another word."""

    def convert(text: str) -> E:
        try:
            return enum(text)
        except ValueError:
            names = ", ".join(f"'{member.value}'" for member in enum)
            raise ArgumentTypeError(f"'{text}' is not one of {names}") from None

    return convert


def choices_metavar(enum: type[Enum]) -> str:
    """How help shows a choice: ``<json|html|both>``."""
    return "<" + "|".join(str(member.value) for member in enum) + ">"
