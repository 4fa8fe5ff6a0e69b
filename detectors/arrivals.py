"""Canteen arrival profiles: diners arriving per minute at the same time of past
weeks, per canteen and day group, from history (meals settled + queue growth)."""

from __future__ import annotations

from datetime import datetime, tzinfo

import numpy as np
import pandas as pd

from detectors.calendar import WorkCalendar, minute_of_day
from detectors.congestion import ArrivalProfile, CongestionParams

Profiles = dict[tuple[str, str], np.ndarray]  # (canteen, day group) -> 1,440 minutes


def _daily(frame: pd.DataFrame, column: str, tz: tzinfo) -> dict[tuple, np.ndarray]:
    """(canteen, local date) -> per-minute values of `column` (0 where absent)."""
    out: dict[tuple, np.ndarray] = {}
    if frame.empty:
        return out
    local = pd.to_datetime(frame["bucket"], utc=True).dt.tz_convert(tz)
    minutes = (local.dt.hour * 60 + local.dt.minute).to_numpy()
    for (canteen, day), rows in frame.assign(day=local.dt.date, m=minutes).groupby(
        ["canteen", "day"]
    ):
        values = np.zeros(1440)
        np.add.at(values, rows["m"].to_numpy(), rows[column].to_numpy(dtype=float))
        out[(canteen, day)] = values
    return out


def arrival_profiles(
    served: pd.DataFrame,
    queue: pd.DataFrame,
    calendar: WorkCalendar,
    tz: tzinfo,
) -> Profiles:
    """Mean arrivals per minute per (canteen, day group).

    `served`: bucket (1 minute), canteen, meals. `queue`: bucket, canteen, count (the
    queue camera's largest count that minute). Arrivals = served + queue growth."""
    meals, counts = _daily(served, "meals", tz), _daily(queue, "count", tz)
    sums: dict[tuple[str, str], np.ndarray] = {}
    days: dict[tuple[str, str], int] = {}
    for (canteen, day), eaten in meals.items():
        waiting = counts.get((canteen, day), np.zeros(1440))
        growth = np.diff(waiting, prepend=waiting[0])
        arrived = np.clip(eaten + growth, 0.0, None)
        key = (str(canteen), calendar.baseline_group(day))
        sums[key] = sums.get(key, np.zeros(1440)) + arrived
        days[key] = days.get(key, 0) + 1
    return {key: total / days[key] for key, total in sums.items()}


def profile_at(
    curve: np.ndarray, at: datetime, tz: tzinfo, params: CongestionParams
) -> ArrivalProfile:
    """The profile around `at`: the last `recent_min` and the next `horizon_min`."""
    minute = minute_of_day(at, tz)
    recent = curve[max(0, minute - params.recent_min) : minute]
    ahead = curve[minute : minute + params.horizon_min]
    return ArrivalProfile(
        float(recent.sum()) / params.recent_min, float(ahead.sum()) / params.horizon_min
    )
