"""Robust meter baselines: median and MAD per meter × day group × time-of-day slot.

Built from a history frame shaped like `streams.history.reads.energy_series` with
``bucket`` equal to the slot width: columns bucket (tz-aware), device, avg_value,
max_value. Day groups come from `calendar.WorkCalendar.baseline_group` (workday:
workdays and make-up workdays; offday: weekends and holidays). A slot needs
`min_days` days of history, otherwise there is no baseline and the baseline-driven
checks stay quiet (cold start).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import cast

import numpy as np
import pandas as pd

from detectors.core.calendar import WorkCalendar, minute_of_day

MAD_TO_SIGMA = 1.4826


@dataclass(frozen=True, slots=True)
class SlotStats:
    median: float  # median over days of the slot's mean value
    sigma: float  # 1.4826 × MAD of the slot means
    peak: float  # median over days of the slot's largest reading
    peak_sigma: float
    best: float  # 90th percentile of the slot means (PV: a clear day)
    days: int


@dataclass(frozen=True, slots=True)
class Baseline:
    slot_min: int = 15
    stats: Mapping[tuple[str, str, int], SlotStats] = field(default_factory=dict)
    daily_peak: Mapping[str, float] = field(
        default_factory=dict
    )  # device -> max median
    # (device, day group) -> the smallest slot median: an empty building's load
    empty: Mapping[tuple[str, str], float] = field(default_factory=dict)

    def slot_of(self, ts: datetime, tz: tzinfo) -> int:
        return minute_of_day(ts, tz) // self.slot_min

    def lookup(self, device: str, group: str, slot: int) -> SlotStats | None:
        return self.stats.get((device, group, slot))


def _mad(values: np.ndarray) -> float:
    return float(MAD_TO_SIGMA * np.median(np.abs(values - np.median(values))))


def build_baseline(
    frame: pd.DataFrame,
    calendar: WorkCalendar,
    tz: tzinfo,
    slot_min: int = 15,
    min_days: int = 3,
) -> Baseline:
    """Per (device, day group, slot) robust statistics of `frame`'s slot means."""
    frame = frame.dropna(subset=["avg_value", "max_value"])  # gaps are no data
    if frame.empty:
        return Baseline(slot_min)
    local = pd.to_datetime(frame["bucket"], utc=True).dt.tz_convert(tz)
    data = pd.DataFrame(
        {
            "device": frame["device"].astype(str),
            "group": [calendar.baseline_group(d) for d in local.dt.date],
            "slot": (local.dt.hour * 60 + local.dt.minute) // slot_min,
            "mean": frame["avg_value"].astype(float),
            "peak": frame["max_value"].astype(float),
        }
    )
    stats: dict[tuple[str, str, int], SlotStats] = {}
    for key, rows in data.groupby(["device", "group", "slot"]):
        if len(rows) < min_days:
            continue
        device, group, slot = cast(tuple[str, str, int], key)
        means, peaks = rows["mean"].to_numpy(), rows["peak"].to_numpy()
        stats[(str(device), str(group), int(slot))] = SlotStats(
            median=float(np.median(means)),
            sigma=_mad(means),
            peak=float(np.median(peaks)),
            peak_sigma=_mad(peaks),
            best=float(np.quantile(means, 0.9)),
            days=len(rows),
        )
    daily_peak: dict[str, float] = {}
    empty: dict[tuple[str, str], float] = {}
    for (device, group, _), s in stats.items():
        daily_peak[device] = max(daily_peak.get(device, 0.0), s.median)
        empty[(device, group)] = min(empty.get((device, group), s.median), s.median)
    return Baseline(slot_min, stats, daily_peak, empty)


def upper_bound(stats: SlotStats, k: float, ratio: float, floor: float) -> float:
    """The largest value still normal: median + the widest of k·σ, ratio·median,
    floor."""
    margin = max(k * stats.sigma, ratio * abs(stats.median), floor)
    return stats.median + margin if math.isfinite(margin) else math.inf
