"""The TCX sample: a treadmill export whose cadence unit switches halfway."""

from __future__ import annotations

from typing import Any

import numpy as np

from samples.motion import DAY, ar1, cadence_spm, heart_rate, held, irregular, iso
from samples.truth import NO_DYNAMICS, RUN_CHANNELS, channels, median, truth

TCX_NS = (
    'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" '
    'xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
)


def unit_switch() -> tuple[bytes, dict[str, Any]]:
    t0, n, switch = DAY + 8 * 86_400, 3000, 1500
    rng = np.random.default_rng(501)
    v = 3.05 + ar1(rng, n, 0.02, 0.9)  # belt speed via a calibrated foot pod
    d = np.cumsum(v) - v[0]
    first = np.arange(n) < switch
    spm = cadence_spm(rng, np.where(first, 172.0, 178.0))
    raw = np.where(first, np.rint(spm / 2), np.rint(spm))  # the export switches unit
    hr = heart_rate(rng, v, 8.0)
    idx = irregular(rng, n, 3, 7)
    lines = [
        f'<?xml version="1.0" encoding="UTF-8"?>\n<TrainingCenterDatabase {TCX_NS}>\n'
        f'<Activities><Activity Sport="Running"><Id>{iso(t0)}</Id>\n'
    ]
    for lap in range(5):
        a, b = 600 * lap, 600 * lap + 600
        pts = idx[(idx >= a) & (idx < b)]
        lines.append(
            f'<Lap StartTime="{iso(t0 + a)}"><TotalTimeSeconds>600.0</TotalTimeSeconds>'
            f"<DistanceMeters>{d[b - 1] - d[a]:.1f}</DistanceMeters><Calories>0</Calories>"
            f"<AverageHeartRateBpm><Value>{int(np.mean(hr[a:b]))}</Value></AverageHeartRateBpm>"
            "<Intensity>Active</Intensity><TriggerMethod>Time</TriggerMethod><Track>\n"
        )
        for i in pts:
            lines.append(
                f"<Trackpoint><Time>{iso(t0 + i)}</Time><DistanceMeters>{d[i]:.1f}"
                f"</DistanceMeters><HeartRateBpm><Value>{int(hr[i])}</Value></HeartRateBpm>"
                f"<Extensions><ns3:TPX><ns3:Speed>{v[i]:.3f}</ns3:Speed><ns3:RunCadence>"
                f"{int(raw[i])}</ns3:RunCadence></ns3:TPX></Extensions></Trackpoint>\n"
            )
        lines.append("</Track></Lap>\n")
    lines.append(
        '<Creator xsi:type="Device_t"><Name>Forerunner 245</Name><UnitId>3998877665'
        "</UnitId><ProductID>3076</ProductID></Creator>\n</Activity></Activities>\n"
        "</TrainingCenterDatabase>\n"
    )
    true_spm = held(np.where(first, raw * 2, raw)[idx], idx, n)
    margin = 120  # away from the switch, where a rolling decision may lag
    a_ = {"spm_q": true_spm, "speed": v, "hr": held(hr[idx], idx, n)}
    seg1, seg2 = np.arange(n) < switch - margin, np.arange(n) >= switch + margin
    return "".join(lines).encode(), truth(
        "unit_switch.tcx",
        "50 min treadmill TCX (no positions) at a steady ~3.05 m/s whose RunCadence is ~86 "
        "(strides/min) for 25 min, then ~178 (steps/min) for 25 min, like a real treadmill "
        "export; the true cadence is ~172-178 spm throughout.",
        start_time=iso(t0),
        duration_s=n,
        running_time_s=n,
        walking_time_s=0,
        median_running_cadence_spm=median(true_spm),
        cadence_stored_unit="strides/min, then steps/min",
        channels=channels(a_, np.ones(n, dtype=bool), RUN_CHANNELS),
        absent_channels=["lat", "lon", *NO_DYNAMICS],
        lap_starts_s=[600, 1200, 1800, 2400],
        unit_switch_at_s=switch,
        segments=[
            {
                "start_s": 0,
                "end_s": switch - margin,
                "stored_unit": "strides/min",
                "median_cadence_spm": median(true_spm, seg1),
            },
            {
                "start_s": switch + margin,
                "end_s": n,
                "stored_unit": "steps/min",
                "median_cadence_spm": median(true_spm, seg2),
            },
        ],
    )
