"""Values of a document's texts, converted in bulk: :func:`gather` copies the texts of
chosen elements into a fixed-width byte matrix (eight bytes at a time, see
:func:`footfall.io.xml_columns.blocks`); :func:`decimals` converts such a matrix as Python's
``float`` does, exactly, and :func:`iso_times` reads ISO 8601 times from one.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from footfall.io.xml_columns import blocks


@dataclass
class Texts:
    """Texts of a document as a byte matrix: row ``i`` holds ``data[start[i]:start[i] +
    length[i]]`` zero-padded (``fits`` False where the text is wider than the matrix)."""

    data: bytes
    start: np.ndarray
    length: np.ndarray
    rows: np.ndarray
    fits: np.ndarray

    def __len__(self) -> int:
        return len(self.start)

    @classmethod
    def of(cls, values: list[bytes]) -> Texts:
        """The matrix of texts given as bytes (a regex's findall)."""
        lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
        starts = np.cumsum(lengths) - lengths
        return gather(b"".join(values) + bytes(8), starts, lengths)

    def text(self, i: int, codec: str = "utf-8") -> str:
        start = int(self.start[i])
        return self.data[start : start + int(self.length[i])].decode(codec, errors="replace")


def gather(data: bytes, start: np.ndarray, length: np.ndarray, width: int = 32) -> Texts:
    """The texts at ``start`` (``length`` bytes each), zero-padded to the matrix's width (32
    bytes, or 64 when asked for more)."""
    width = 64 if width > 32 else 32
    raw = blocks(data, start, width).view(np.uint8)
    rows = np.where(np.arange(width) < length[:, None], raw, np.uint8(0))
    return Texts(data, start, length, rows, length <= width)


_POW10 = np.array([10**k for k in range(20)], dtype=np.uint64)
_POW10F = np.array([10.0**k for k in range(20)])
_LONG = np.longdouble
_LONG_EXACT = (
    np.finfo(_LONG).nmant >= 63
    and np.dtype(_LONG).itemsize == 16
    and np.little_endian
    and (_LONG(1) + _LONG(2.0**-60)) - _LONG(1) == _LONG(2.0**-60)
)


def decimals(texts: Texts, codec: str = "utf-8") -> tuple[np.ndarray, np.ndarray]:
    """``float(text.strip())`` of each text and whether it converted (NaN where it did not).

    A plain decimal (``[+-]digits[.digits]``, at most 19 digits) is converted in bulk, exactly,
    texts of one layout (length, place of the point, sign) at a time: its digits are a
    mantissa (a matrix product), and a mantissa up to 2**53 divided by a power of ten that a
    double holds is one correctly rounded division (Clinger's fast path); a larger one is
    divided in 64-bit extended precision, which rounds to the same double unless it lands on
    a midpoint between two. Those, and every other text but an empty one, Python's ``float``
    converts."""
    values = np.full(len(texts), math.nan)
    done = np.zeros(len(texts), dtype=bool)
    for rows in _row_blocks(len(texts)):
        values[rows], done[rows] = _plain_decimals(texts.rows[rows], texts.length[rows])
    done &= texts.fits
    ok = done.copy()
    for i in np.flatnonzero(~done & (texts.length > 0)):
        try:
            values[i] = float(texts.text(int(i), codec).strip())
            ok[i] = True
        except ValueError:
            values[i] = math.nan
    return values, ok


def _row_blocks(n: int, size: int = 16384) -> Iterator[slice]:
    return (slice(i, min(i + size, n)) for i in range(0, n, size))


def _plain_decimals(rows: np.ndarray, length: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    width = rows.shape[1]
    values = np.full(len(rows), math.nan)
    ok = np.zeros(len(rows), dtype=bool)
    dot = rows == 46
    point = dot.argmax(axis=1)
    point = np.where(dot[np.arange(len(rows)), point], point, length)
    signed = (rows[:, 0] == 45) | (rows[:, 0] == 43)
    layouts, kinds = pd.factorize((length * 64 + point) * 2 + signed)
    for layout, key in enumerate(kinds.tolist()):
        size, at, sign = key // 128, key // 2 % 64, key % 2
        if not 0 < size - sign - (at < size) <= 19 or size > width:
            continue
        members = slice(None) if len(kinds) == 1 else np.flatnonzero(layouts == layout)
        digits = rows[members, sign:size] - np.uint8(48)
        if at < size:
            digits[:, at - sign] = 0  # the point: no digit, weight 0
        place = np.cumsum([c != at for c in range(size - 1, sign - 1, -1)])[::-1] - 1
        weights = np.where(np.arange(sign, size) == at, 0, _POW10[np.maximum(place, 0)])
        mantissa = digits.astype(np.uint64) @ weights.astype(np.uint64)
        value, exact = _divide(mantissa, size - 1 - at if at < size else 0)
        values[members] = np.where(rows[members, 0] == 45, -value, value)
        ok[members] = (digits.max(axis=1) < 10) & exact
    return values, ok


def _divide(mantissa: np.ndarray, fraction: int) -> tuple[np.ndarray, np.ndarray]:
    """mantissa / 10**fraction, correctly rounded, and where that is certain."""
    values = mantissa.astype(np.float64) / _POW10F[fraction]
    exact = np.ones(len(mantissa), dtype=bool)
    big = mantissa > np.uint64(2**53)
    if big.any():
        if _LONG_EXACT:
            values[big], exact[big] = _extended(mantissa[big], np.full(big.sum(), fraction))
        else:
            exact[big] = False
    return values, exact


def _extended(mantissa: np.ndarray, fraction: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    quotient = mantissa.astype(_LONG) / _POW10F[fraction].astype(_LONG)
    significand = quotient.view(np.uint64).reshape(-1, 2)[:, 0]
    return quotient.astype(np.float64), (significand & np.uint64(0x7FF)) != np.uint64(0x400)


@dataclass
class IsoTimes:
    """ISO 8601 times read from a byte matrix: wall-clock seconds since 1970, microseconds
    (the first six fraction digits), the zone's offset in minutes (hh * 60 + mm, as gpxpy's
    SimpleTZ) and whether a zone was written; ``ok`` where the text is
    ``YYYY-MM-DDTHH:MM:SS[.f][Z|±hh:mm]`` with a valid date and time, a year in [1700, 2200]
    and 1 to ``max_fraction`` fraction digits; ``tidy`` where a written offset is below 24 h
    with its minutes below 60."""

    seconds: np.ndarray
    micro: np.ndarray
    offset: np.ndarray
    aware: np.ndarray
    ok: np.ndarray
    tidy: np.ndarray


def iso_times(texts: Texts, max_fraction: int) -> IsoTimes:
    blocks = [
        _iso_block(texts.rows[part], texts.length[part], texts.fits[part], max_fraction)
        for part in _row_blocks(len(texts))
    ]
    if not blocks:
        empty = np.empty(0, dtype=np.int64)
        return IsoTimes(
            empty, empty, empty, empty.astype(bool), empty.astype(bool), empty.astype(bool)
        )
    return IsoTimes(
        *(np.concatenate(field) for field in zip(*(_values(b) for b in blocks), strict=True))
    )


def _iso_block(
    texts: np.ndarray, length: np.ndarray, fits: np.ndarray, max_fraction: int
) -> IsoTimes:
    n = len(texts)
    rows = np.zeros((n, 48), dtype=np.uint8)
    rows[:, : min(48, texts.shape[1])] = texts[:, :48]
    d = rows.astype(np.int16) - 48
    digit = (d >= 0) & (d <= 9)
    ok = digit[:, [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]].all(axis=1) & fits
    for at, char in ((4, "-"), (7, "-"), (10, "T"), (13, ":"), (16, ":")):
        ok &= rows[:, at] == ord(char)
    has_fraction = rows[:, 19] == ord(".")
    run = np.argmin(np.c_[digit[:, 20:40], np.zeros(n, dtype=bool)], axis=1)
    ok &= ~has_fraction | ((run >= 1) & (run <= max_fraction))
    micro = np.where(
        has_fraction, _number(np.where(np.arange(6) < run[:, None], d[:, 20:26], 0)), 0
    )
    zone = np.where(has_fraction, 20 + run, 19)
    rest = length - zone
    z = np.take_along_axis(d, np.minimum(zone, 42)[:, None] + np.arange(6), axis=1)
    zone_digits = ((z >= 0) & (z <= 9))[:, [1, 2, 4, 5]].all(axis=1)
    signed = (rest == 6) & np.isin(z[:, 0], (ord("+") - 48, ord("-") - 48)) & zone_digits
    signed &= z[:, 3] == ord(":") - 48
    utc = (rest == 1) & (z[:, 0] == ord("Z") - 48)
    ok &= (rest == 0) | utc | signed
    hours, minutes = _number(z[:, 1:3]), _number(z[:, 4:6])
    offset = np.where(signed, hours * 60 + minutes, 0)
    offset = np.where(z[:, 0] == ord("-") - 48, -offset, offset)
    fields = [_number(d[:, at : at + size]) for at, size in _FIELDS]
    ok &= _calendar_ok(*fields)
    year, month, day, hour, minute, second = fields
    seconds = _days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second
    tidy = ~signed | ((hours < 24) & (minutes < 60))
    return IsoTimes(seconds, micro, offset, utc | signed, ok, tidy)


def _values(times: IsoTimes) -> list[np.ndarray]:
    return [getattr(times, f.name) for f in fields(times)]


#: (start, width) of year, month, day, hour, minute and second
_FIELDS = ((0, 4), (5, 2), (8, 2), (11, 2), (14, 2), (17, 2))


def _number(digits: np.ndarray) -> np.ndarray:
    """The decimal number each row of digit values spells."""
    weights = 10 ** np.arange(digits.shape[1] - 1, -1, -1, dtype=np.int64)
    return digits @ weights


def _calendar_ok(*fields: np.ndarray) -> np.ndarray:
    year, month, day, hour, minute, second = fields
    ok = (year >= 1700) & (year <= 2200) & (month >= 1) & (month <= 12)
    ok &= (hour < 24) & (minute < 60) & (second < 60)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    days = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[np.clip(month, 1, 12) - 1]
    return ok & (day >= 1) & (day <= days + (leap & (month == 2)))


def _days_from_civil(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm)."""
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * ((month + 9) % 12) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468
