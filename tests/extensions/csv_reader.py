"""An extra reader: a tiny CSV format ("footfall-csv" first line, then time,cadence,speed)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from footfall.io.registry import ReadOptions
from footfall.io.track import CadenceHint, RawTrack
from footfall.model import ChannelSource

MAGIC = b"footfall-csv\n"


def looks_like_csv(head: bytes) -> bool:
    return head.startswith(MAGIC)


def read_csv(data: bytes, path: str, options: ReadOptions | None = None) -> RawTrack:
    frame = pd.read_csv(io.BytesIO(data[len(MAGIC) :]))
    samples = pd.DataFrame(
        {
            "time": frame["time"].to_numpy(dtype=float),
            "speed_mps": frame["speed"].to_numpy(dtype=float),
            "cadence_raw": frame["cadence"].to_numpy(dtype=float),
            "distance_m": np.cumsum(frame["speed"].to_numpy(dtype=float)),
        }
    )
    return RawTrack(
        fmt="csv",
        samples=samples,
        channels={"speed_mps": ChannelSource("csv speed", "m/s")},
        cadence_hint=CadenceHint("csv cadence", "steps/min", 1.0),
        sport="running",
    )
