"""Vectorised numpy decoder for FIT files (placeholder until issue 5 lands: declines all)."""

from __future__ import annotations

from footfall.io.fit_messages import FitMessages


def decode_fast(data: bytes) -> FitMessages | None:
    """Decode ``data`` or return None to hand the file to fitparse."""
    return None
