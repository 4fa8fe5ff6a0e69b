"""Meter readings: every meter every interval, sampled from the day's load curves.

Power meters (``*_kw``) report the current kW, energy meters (``*_kwh``) the interval's
kWh or, when ``cumulative``, a running total that integrates the kW; water meters the
interval's m³. Readings carry a little noise and never exceed the meter's ``max_value``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime

import numpy as np

from streams.config.site import Meter, Site
from streams.simulator.dayplan import DayPlan
from streams.simulator.draft import Draft, py_rng
from streams.simulator.loads import DayLoads

Source = Callable[[DayLoads, Meter], np.ndarray]
SOURCES: dict[str, Source] = {
    "electric": lambda loads, meter: loads.electric[meter.building],
    "hvac": lambda loads, meter: loads.hvac[meter.building],
    "pv": lambda loads, meter: loads.pv[meter.building],
    "water": lambda loads, meter: loads.water[meter.id],
}


def initial_totals(site: Site, seed: int) -> dict[str, float]:
    """Starting values of the cumulative meters (1-5 % of their range)."""
    return {
        m.id: round(
            py_rng(seed, site.id, m.id, "total").uniform(0.01, 0.05) * m.max_value, 3
        )
        for m in site.meters
        if m.cumulative
    }


def _interval_amount(meter: Meter, rate: float, interval_s: int) -> float:
    """What one reading adds up: kWh from kW, m³ from m³/min."""
    if meter.quantity == "water_m3":
        return rate * interval_s / 60.0
    return rate * interval_s / 3600.0


def read_meter(
    meter: Meter,
    rate: float,
    interval_s: int,
    totals: dict[str, float],
    rng: random.Random,
) -> float:
    """One reading of `meter` whose source runs at `rate` (kW or m³/min) right now."""
    noisy = max(0.0, rate * rng.gauss(1.0, 0.015))
    if meter.quantity.endswith("_kw"):
        return round(min(noisy, meter.max_value), 2)
    if meter.quantity == "water_m3":
        noisy = rate * rng.lognormvariate(0.0, 0.15)
    amount = _interval_amount(meter, noisy, interval_s)
    if not meter.cumulative:
        return round(min(amount, meter.max_value), 4)
    totals[meter.id] = (totals[meter.id] + amount) % meter.max_value
    return round(totals[meter.id], 3)


def energy_drafts(
    site: Site,
    plan: DayPlan,
    loads: DayLoads,
    ticks: list[datetime],
    interval_s: int,
    totals: dict[str, float],
    rng: random.Random,
) -> list[Draft]:
    """Readings of every meter at each tick (all ticks within the plan's day)."""
    drafts = []
    for ts in ticks:
        minute = plan.minute(ts)
        for meter in site.meters:
            source = SOURCES[meter.quantity.split("_")[0]](loads, meter)
            value = read_meter(meter, float(source[minute]), interval_s, totals, rng)
            fields = {
                "quantity": meter.quantity,
                "value": value,
                "cumulative": meter.cumulative,
                "interval_s": interval_s,
            }
            drafts.append(Draft(ts, "energy", meter.id, fields))
    return drafts
