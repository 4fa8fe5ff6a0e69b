"""Per-minute meter series of the simulated compound, straight from its load curves.

Much faster than stepping the simulator through every event: a day's plan and loads
are built once, then each meter's per-minute values get the simulator's reading noise
(1.5 % on power, log-normal 15 % on water). Used by `bench.anomalies` and the
detection tests to build baselines ("past weeks") and labelled series.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from streams.config.site import Site
from streams.simulator import SimOptions, Simulator
from streams.simulator.draft import Day
from streams.simulator.energy import SOURCES

SLOT_MIN = 15


def meter_days(
    site: Site, first: date, days: int, seed: int = 0, options: SimOptions | None = None
) -> Iterator[tuple[Day, dict[str, np.ndarray]]]:
    """(day, meter id -> 1,440 per-minute readings) for non-cumulative meters."""
    tz_start = datetime(first.year, first.month, first.day)
    sim = None
    rng = np.random.default_rng(seed)
    for offset in range(days):
        when = tz_start + timedelta(days=offset)
        if sim is None:
            from zoneinfo import ZoneInfo

            zone = ZoneInfo(site.timezone)
            sim = Simulator(
                site, when.replace(tzinfo=zone), options or SimOptions(seed=seed)
            )
        day = Day(when.date(), sim.tz)
        _plan, loads = sim.day_state(day)
        values = {}
        for meter in site.meters:
            if meter.cumulative:
                continue
            rate = SOURCES[meter.quantity.split("_")[0]](loads, meter).astype(float)
            if meter.quantity == "water_m3":
                noisy = rate * rng.lognormal(0.0, 0.15, rate.size)
            else:
                noisy = np.clip(rate * rng.normal(1.0, 0.015, rate.size), 0.0, None)
            values[meter.id] = np.minimum(noisy, meter.max_value)
        yield day, values


def slot_frame(days: list[tuple[Day, dict[str, np.ndarray]]]) -> pd.DataFrame:
    """The `energy_series` frame (15-minute buckets) of per-minute series (NaN: no
    reading; a slot without any is NaN, as a missing bucket)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return _slot_frame(days)


def _slot_frame(days: list[tuple[Day, dict[str, np.ndarray]]]) -> pd.DataFrame:
    rows = []
    for day, values in days:
        for meter, series in values.items():
            slots = series.reshape(-1, SLOT_MIN)
            for i, (mean, peak) in enumerate(
                zip(np.nanmean(slots, 1), np.nanmax(slots, 1), strict=True)
            ):
                rows.append((day.at(i * SLOT_MIN), meter, float(mean), float(peak)))
    return pd.DataFrame(rows, columns=["bucket", "device", "avg_value", "max_value"])
