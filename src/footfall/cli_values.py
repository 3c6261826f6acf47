"""Option values of the `footfall` command converted with the standard library.

typer 0.2x converts every option value (even a flag's default) through a pydantic
TypeAdapter. Importing pydantic and building those adapters cost about a quarter of
`import pandas` on each run, for values that are paths, numbers, words and flags. The
command classes below give typer's parameters a plain converter before parsing; anything
they do not know keeps typer's own. tests/test_cli_startup.py checks that both agree.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

import typer
from typer.core import TyperCommand, TyperGroup


class PlainValue:
    """One parameter's converter, in the shape typer calls (``coerce(value, param, ctx)``)."""

    def __init__(self, convert: Callable[[Any], Any], multiple: bool) -> None:
        self.convert = convert
        self.multiple = multiple

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        if value is None:
            return () if self.multiple else None
        try:
            if self.multiple:
                return [self.convert(item) for item in value]
            return self.convert(value)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), ctx=ctx, param=param) from None


def _number(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number):
        raise ValueError(f"'{value}' is not a number")
    return number


def _integer(value: Any) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise ValueError(f"'{value}' is not a whole number") from None


def _choice(enum: type[Enum]) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        try:
            return enum(value)
        except ValueError:
            names = ", ".join(f"'{member.value}'" for member in enum)
            raise ValueError(f"'{value}' is not one of {names}.") from None

    return convert


def _converter(annotation: Any) -> Callable[[Any], Any] | None:
    if annotation is Path:
        return Path
    if annotation is float:
        return _number
    if annotation is int:
        return _integer
    if annotation is str:
        return str
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return _choice(annotation)
    return None  # anything else keeps typer's own conversion


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"'{value}' is not a flag value: give the flag alone, without a value")
    return value


def use_plain_values(params: list[Any]) -> None:
    """Give each typer parameter whose type is known here a plain converter."""
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or getattr(param, "_runtime_param", False) is not None:
            continue  # not a typer parameter, or its converter is already built
        annotation, origin = descriptor.annotation, get_origin(descriptor.annotation)
        if origin is list:
            (annotation,) = get_args(annotation)
        convert = _flag if annotation is bool else _converter(annotation)
        if convert is not None:
            param._runtime_param = PlainValue(convert, origin is list)


class PlainCommand(TyperCommand):
    """A typer command whose flag, path, number, text and choice values skip pydantic."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        use_plain_values(self.get_params(ctx))
        return super().parse_args(ctx, args)


class PlainGroup(TyperGroup):
    """The command group, with the same conversion (--version, --help)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        use_plain_values(self.get_params(ctx))
        return super().parse_args(ctx, args)
