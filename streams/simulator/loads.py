"""Building loads per minute of a day: electric and HVAC kW, PV kW, water m³/min.

Electric load = a night base (25-33 % of the building's peak) + an occupancy-driven part
(lights, plugs; dips over lunch) + HVAC following the outdoor temperature in office
hours + kitchen load where a canteen cooks. Peak scales with floor area and occupants.
Water = a near-zero night floor + use per person on site + canteen kitchens (peaks at
meals). Physical values do not grow with ``--rate``: curves use the share on site.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from streams.config.site import Building, Site
from streams.simulator.dayplan import DayPlan
from streams.simulator.draft import MINUTES_PER_DAY, Day, hhmm_minutes, py_rng
from streams.simulator.incidents import Incident, water_site_wide
from streams.simulator.weather import MINUTES, outdoor_temperature, sunshine

KW_PER_M2 = 0.030
KW_PER_OCCUPANT = 1.2
KITCHEN_KW_PER_SEAT = 0.35
HVAC_SHARE = 0.33
WATER_PER_PERSON_M3_MIN = 0.00008
WATER_PER_MEAL_M3 = 0.01
KITCHEN_WATER_PER_SEAT_M3_MIN = 0.00012
WATER_FLOOR_M3_MIN = 0.0008
LEAK_M3_MIN = 0.04


@dataclass(slots=True)
class DayLoads:
    electric: dict[str, np.ndarray]
    hvac: dict[str, np.ndarray]
    pv: dict[str, np.ndarray]
    water: dict[str, np.ndarray]


def incident_mask(
    day: Day, incidents: list[Incident], kind: str, target: str
) -> np.ndarray:
    """Minutes of `day` during which an incident of `kind` on `target` is active."""
    mask = np.zeros(MINUTES_PER_DAY, dtype=bool)
    for incident in incidents:
        if incident.kind == kind and target in (incident.building, incident.device):
            first = int(np.clip(np.ceil(day.minute_of(incident.start)), 0, 1440))
            last = int(np.clip(np.ceil(day.minute_of(incident.end)), 0, 1440))
            mask[first:last] = True
    return mask


def _cooking(site: Site, building: str, day: Day) -> np.ndarray:
    """Seats of the canteens cooking in `building` per minute (from an hour before)."""
    seats = np.zeros(MINUTES_PER_DAY)
    for canteen in site.canteens:
        if canteen.building != building:
            continue
        for meal in canteen.meals:
            if day.workday or meal.meal == "lunch":
                start = hhmm_minutes(meal.start) - 60
                seats[max(start, 0) : hhmm_minutes(meal.end)] += canteen.seats
    return seats


def _hvac_demand(temperature: np.ndarray) -> np.ndarray:
    cooling = np.clip((temperature - 22.0) / 8.0, 0.0, 1.0)
    heating = 0.8 * np.clip((12.0 - temperature) / 10.0, 0.0, 1.0)
    return np.maximum(np.maximum(cooling, heating), 0.15)


def _building_load(
    site: Site,
    plan: DayPlan,
    building: Building,
    temperature: np.ndarray,
    after_hours: np.ndarray,
    seed: int,
) -> tuple[np.ndarray, np.ndarray]:
    """(total kW, HVAC kW) of one building per minute."""
    peak = KW_PER_M2 * building.area_m2 + KW_PER_OCCUPANT * building.occupants
    base = 0.25 + 0.08 * py_rng(seed, site.id, building.id, "load").random()
    staff = max(1, plan.building_staff[building.id])
    occupancy = np.clip(plan.by_building[building.id] / staff, 0.0, 1.2)
    occupancy = np.where(after_hours, np.maximum(occupancy, 0.9), occupancy)
    lunch = np.where((MINUTES >= 720) & (MINUTES < 810), 0.8, 1.0)
    plug = peak * (base + (0.72 - base) * occupancy * lunch)
    if plan.day.workday:
        schedule = ((MINUTES >= 450) & (MINUTES < 1110)).astype(float)
    else:
        schedule = 0.5 * (occupancy > 0.01)
    schedule = np.where(after_hours, 1.0, schedule)
    hvac = peak * HVAC_SHARE * _hvac_demand(temperature) * schedule
    kitchen = KITCHEN_KW_PER_SEAT * _cooking(site, building.id, plan.day)
    return plug + hvac + kitchen, hvac


def _pv_capacity(site: Site, building: Building) -> float:
    """Rated PV kW on the building: from its pv_kw meters, else guessed from area."""
    mine = [m for m in site.meters if m.building == building.id]
    rated = [m.max_value for m in mine if m.quantity == "pv_kw"]
    if rated:
        return 0.9 * max(rated)
    if any(m.quantity == "pv_kwh" for m in mine):
        return 0.01 * building.area_m2
    return 0.0


def _water_use(
    site: Site, plan: DayPlan, building: str, leak: np.ndarray
) -> np.ndarray:
    """m³ per minute used in `building` (people on site, kitchen, leak)."""
    people = plan.by_building[building] / max(plan.rate, 1e-9)
    use = WATER_FLOOR_M3_MIN + WATER_PER_PERSON_M3_MIN * people
    use = use + KITCHEN_WATER_PER_SEAT_M3_MIN * _cooking(site, building, plan.day)
    for canteen in site.canteens:
        if canteen.building == building:
            use = use + WATER_PER_MEAL_M3 * plan.served[canteen.id] / max(
                plan.rate, 1e-9
            )
    return use + LEAK_M3_MIN * leak


def build_day_loads(
    site: Site, plan: DayPlan, seed: int, incidents: list[Incident]
) -> DayLoads:
    """Every building's and water meter's per-minute curve for the plan's day."""
    day = plan.day
    temperature = outdoor_temperature(day, seed, site.id)
    sun = sunshine(day, seed, site.id)
    loads = DayLoads({}, {}, {}, {})
    water_by_building = {}
    for building in site.buildings:
        after = incident_mask(day, incidents, "after_hours_load", building.id)
        total, hvac = _building_load(site, plan, building, temperature, after, seed)
        loads.electric[building.id], loads.hvac[building.id] = total, hvac
        loads.pv[building.id] = _pv_capacity(site, building) * sun
        leak = incident_mask(day, incidents, "water_leak", building.id)
        water_by_building[building.id] = _water_use(site, plan, building.id, leak)
    for meter in site.meters:
        if meter.quantity != "water_m3":
            continue
        if water_site_wide(meter.id, meter.name):
            loads.water[meter.id] = np.sum(list(water_by_building.values()), axis=0)
        else:
            loads.water[meter.id] = water_by_building[meter.building]
    return loads
