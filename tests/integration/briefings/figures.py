"""The briefing's figures recomputed straight from the raw rows, another way than the
report (Python over the fetched rows), for the briefing tests."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import psycopg

from streams.briefings.periods import Period
from streams.config.site import Site

TZ = ZoneInfo("Asia/Shanghai")


def local(day: date, hhmm: str = "00:00") -> datetime:
    return datetime.combine(day, time.fromisoformat(hhmm), TZ)


def raw_figures(
    site: Site, conn: psycopg.Connection, period: Period
) -> dict[str, float]:
    """The period's figures straight from the raw rows."""
    start, end = period.bounds(TZ)
    top = {m.id: m.quantity for m in site.meters if m.parent is None}
    kwh = water = pv = 0.0
    for device, quantity, value, interval_s, cumulative in conn.execute(
        "SELECT device, quantity, value, interval_s, cumulative FROM energy_readings"
        " WHERE ts >= %s AND ts < %s",
        (start, end),
    ):
        if cumulative or top.get(device) != quantity:
            continue
        if quantity == "electric_kw":
            kwh += value * interval_s / 3600
        elif quantity == "pv_kw":
            pv += value * interval_s / 3600
        elif quantity == "water_m3":
            water += value
    people: dict[date, set[tuple[str, str]]] = defaultdict(set)
    visitors = 0
    for ts, subject, credential in conn.execute(
        "SELECT ts, subject, credential FROM gate_events WHERE ts >= %s AND ts < %s"
        " AND result = 'granted' AND direction = 'in'",
        (start, end),
    ):
        people[ts.astimezone(TZ).date()].add((subject, credential))
    person_days = sum(len(v) for v in people.values())
    visitors = sum(1 for v in people.values() for s, _ in v if s == "visitor")
    meals = conn.execute(
        "SELECT sum(count) FROM canteen_events WHERE kind = 'settlement'"
        " AND ts >= %s AND ts < %s",
        (start, end),
    ).fetchone()[0]  # type: ignore[index]
    return {
        "b_electricity": kwh,
        "b_water": water,
        "b_pv": pv,
        "b_people": person_days,
        "b_visitors": visitors,
        "b_meals": float(meals),
        "b_kwh_person": kwh / person_days,
        "b_water_person": 1000 * water / person_days,
        "b_kwh_meal": kwh / float(meals),
        "b_carbon": (kwh - pv) * site.grid_kg_co2_per_kwh,  # PV all used on site
    }
