"""Where the fuzz generators get their decisions: a seeded ``random.Random`` (the time-bound
campaign of ``scripts/fuzz`` and of the pytest run) or hypothesis's ``draw`` (the strategies
in :mod:`fuzzing.strategies`, which shrink a failure to a small example).

Every generator takes a :class:`Chooser`, so one generator serves both.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class Chooser(Protocol):
    def int(self, lo: int, hi: int) -> int: ...

    def pick(self, options: Sequence[T]) -> T: ...

    def chance(self, p: float) -> bool: ...

    def bytes(self, n: int) -> bytes: ...


class RandomChooser:
    """Decisions from a seeded generator: the same seed gives the same inputs."""

    def __init__(self, seed: int | str) -> None:
        self.rng = random.Random(seed)

    def int(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)

    def pick(self, options: Sequence[T]) -> T:
        return options[self.rng.randrange(len(options))]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def bytes(self, n: int) -> bytes:
        return self.rng.randbytes(n)


class DrawChooser:
    """Decisions drawn by hypothesis, so that a failing input shrinks."""

    def __init__(self, draw: Callable[[Any], Any]) -> None:
        from hypothesis import strategies as st

        self.draw = draw
        self.st = st

    def int(self, lo: int, hi: int) -> int:
        value: int = self.draw(self.st.integers(lo, hi))
        return value

    def pick(self, options: Sequence[T]) -> T:
        value: T = self.draw(self.st.sampled_from(options))
        return value

    def chance(self, p: float) -> bool:
        # hypothesis shrinks towards False: the rarer branch is the one taken on True
        value: bool = self.draw(self.st.integers(0, 999)) < int(p * 1000)
        return value

    def bytes(self, n: int) -> bytes:
        value: bytes = self.draw(self.st.binary(min_size=n, max_size=n))
        return value
