"""Energy and water intensity (#4): use per person on site and per meal served, pure.

Denominators (docs/briefing.md, "Intensity"):
- **people on site** of a day: distinct credentials granted *entry* at any gate that
  local day — staff and visitors by face/card/QR, vehicles by plate (one person per
  car: drivers pass only the vehicle gate). A person who uses two credentials on one
  day counts twice; passengers in a car are not counted.
- **meals served** of a day: the ``count`` of every canteen settlement that day.

Numerators are the site totals of the day: electricity from the top-level
``electric_kw`` meters (kW × interval), water from the top-level ``water_m3`` meters
— the same definitions as the wall's "electricity today" and "water today".
Over several days the ratios are totals over totals (kWh per person-day, per meal).
A day without people (or meals) has no ratio: ``None``, never 0 or infinity.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class DayUse:
    """One local day of the compound: what it used and whom it served."""

    day: date
    electricity_kwh: float
    water_m3: float
    people: int
    meals: int


@dataclass(frozen=True, slots=True)
class Intensity:
    """Ratios over one or more days (None when the denominator is zero)."""

    days: int
    electricity_kwh: float
    water_m3: float
    person_days: int
    meals: int
    kwh_per_person: float | None
    water_m3_per_person: float | None
    kwh_per_meal: float | None
    water_m3_per_meal: float | None


def _ratio(numerator: float, denominator: int) -> float | None:
    return numerator / denominator if denominator > 0 else None


def intensity(days: Iterable[DayUse]) -> Intensity:
    """Per person on site and per meal served, totals over totals."""
    rows = list(days)
    kwh = sum(d.electricity_kwh for d in rows)
    water = sum(d.water_m3 for d in rows)
    people = sum(d.people for d in rows)
    meals = sum(d.meals for d in rows)
    return Intensity(
        days=len(rows),
        electricity_kwh=kwh,
        water_m3=water,
        person_days=people,
        meals=meals,
        kwh_per_person=_ratio(kwh, people),
        water_m3_per_person=_ratio(water, people),
        kwh_per_meal=_ratio(kwh, meals),
        water_m3_per_meal=_ratio(water, meals),
    )


@dataclass(frozen=True, slots=True)
class PvUse:
    """PV generation against consumption, slot by slot."""

    generated_kwh: float
    self_consumed_kwh: float
    consumed_kwh: float

    @property
    def self_consumption(self) -> float | None:
        """Share of PV generation used on site (自发自用率)."""
        return _fraction(self.self_consumed_kwh, self.generated_kwh)

    @property
    def grid_kwh(self) -> float:
        """Electricity not covered by PV (what the grid supplied)."""
        return max(0.0, self.consumed_kwh - self.self_consumed_kwh)


def _fraction(part: float, whole: float) -> float | None:
    return part / whole if whole > 0 else None


def pv_use(consumed_kwh: Sequence[float], generated_kwh: Sequence[float]) -> PvUse:
    """PV used on site: in each slot, generation counts as used up to that slot's
    consumption; the rest is exported. The site has no export meter, so this is
    the estimate (15-minute slots keep it close to what a meter would read)."""
    if len(consumed_kwh) != len(generated_kwh):
        raise ValueError("consumption and generation need the same slots")
    used = sum(
        min(max(0.0, c), max(0.0, g))
        for c, g in zip(consumed_kwh, generated_kwh, strict=True)
    )
    return PvUse(
        generated_kwh=float(sum(max(0.0, g) for g in generated_kwh)),
        self_consumed_kwh=float(used),
        consumed_kwh=float(sum(max(0.0, c) for c in consumed_kwh)),
    )


def change_pct(current: float | None, previous: float | None) -> float | None:
    """Percent change from `previous` to `current` (None without a base)."""
    if current is None or previous is None or previous == 0:
        return None
    return 100.0 * (current - previous) / previous
