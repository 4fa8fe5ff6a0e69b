"""Assemble the `Briefing` of a period from its history and its comparison periods
(previous period, same period last year). Pure: no I/O, no clock."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from dashboard.briefing import portraits
from dashboard.briefing.report import KPI_SPECS, Totals, meter_ids, totals
from layouts.briefing.model import (
    AlarmKind,
    Briefing,
    Incident,
    IsaFigure,
    Kpi,
    Quality,
    Series,
)
from streams.alarms import metrics as alarm_metrics
from streams.alarms.model import Alarm
from streams.alarms.policy import DEFAULT_CONSOLE
from streams.briefings.collect import PeriodData
from streams.config.site import Site

SEVERITY_RANK = {"critical": 0, "major": 1, "minor": 2, "notice": 3}
TOP_INCIDENTS = 5


def build_briefing(
    site: Site,
    current: PeriodData,
    previous: PeriodData | None = None,
    last_year: PeriodData | None = None,
) -> Briefing:
    tz = ZoneInfo(site.timezone)
    start, end = current.period.bounds(tz)
    now = totals(site, current, start, end)
    before = _totals_of(site, previous, tz)
    year = _totals_of(site, last_year, tz)
    figures = alarm_metrics.compute(
        current.journal,
        current.floods,
        current.active_at_end,
        DEFAULT_CONSOLE,
        start,
        end,
    )
    return Briefing(
        site_name=site.name,
        kind=current.period.kind,
        start=current.period.start,
        end=current.period.end,
        has_previous=before is not None,
        has_last_year=year is not None,
        kpis=kpis(now, before, year),
        energy=energy_series(site, current, previous),
        meals=meals_series(site, current, previous),
        buildings=portraits.buildings(site, current, previous),
        canteens=portraits.canteens(site, current, previous),
        alarm_kinds=alarm_kinds(current.journal),
        isa=tuple(
            IsaFigure(f.key, f.text, f.target, f.verdict) for f in figures.figures
        ),
        eemua_level=alarm_metrics.eemua_level(figures.figure("m_per_10min").value or 0),
        incidents=incidents(current.raised, current.actions),
        quality=quality(site, current),
        grid_kg_co2_per_kwh=site.grid_kg_co2_per_kwh,
        timezone=site.timezone,
        coverage=coverage(current),
        previous_coverage=coverage(previous) if before is not None else None,
    )


def coverage(data: PeriodData | None) -> tuple[int, int]:
    """Days of the period with any energy, gate or canteen data, and its length."""
    if data is None:
        return 0, 0
    days = {d for d in data.people["day"]} | {d for d in data.meals["day"]}
    if len(data.energy):
        days |= set(pd.to_datetime(data.energy["slot"]).dt.date)
    return len(days & set(data.period.dates())), data.period.days


def _totals_of(site: Site, data: PeriodData | None, tz: ZoneInfo) -> Totals | None:
    """A comparison period's totals, or None when history has nothing for it."""
    if data is None or not data.has_data:
        return None
    start, end = data.period.bounds(tz)
    return totals(site, data, start, end)


def kpis(now: Totals, before: Totals | None, year: Totals | None) -> tuple[Kpi, ...]:
    def value(t: Totals | None, getter: Any) -> float | None:
        if t is None:
            return None
        raw = getter(t)
        return None if raw is None else float(raw)

    return tuple(
        Kpi(
            key,
            unit,
            value(now, get),
            value(before, get),
            value(year, get),
            digits,
            better,  # type: ignore[arg-type]  # KPI_SPECS holds Better literals
            group,
        )
        for key, unit, digits, better, group, get in KPI_SPECS
    )


def _positions(data: PeriodData) -> tuple[list[str], list[Any]]:
    """Bar labels and keys: hours of a day, else days."""
    if data.period.kind == "day":
        return [f"{h:02d}" for h in range(24)], list(range(24))
    days = data.period.dates()
    return [d.strftime("%m-%d") for d in days], days


def _energy_by_position(site: Site, data: PeriodData) -> dict[Any, float]:
    frame = data.energy[data.energy["device"].isin(meter_ids(site, "electric_kw"))]
    if not len(frame):
        return {}
    stamps = pd.to_datetime(frame["slot"])
    keys = stamps.dt.hour if data.period.kind == "day" else stamps.dt.date
    return {k: float(v) for k, v in frame.groupby(list(keys))["amount"].sum().items()}


def energy_series(site: Site, data: PeriodData, previous: PeriodData | None) -> Series:
    labels, keys = _positions(data)
    now = _energy_by_position(site, data)
    before: list[float | None] = [None] * len(keys)
    if previous is not None and previous.has_data:
        _, old_keys = _positions(previous)
        old = _energy_by_position(site, previous)
        values = [old.get(k, 0.0) for k in old_keys]
        before = [values[i] if i < len(values) else None for i in range(len(keys))]
    return Series(tuple(labels), tuple(now.get(k, 0.0) for k in keys), tuple(before))


def _meals_by(data: PeriodData, site: Site) -> dict[Any, float]:
    if not len(data.meals):
        return {}
    if data.period.kind == "day":
        canteen = data.meals["device"].map(
            {w: c.name for w, (c, _) in site.windows.items()}
        )
        grouped = data.meals.groupby(list(canteen))["meals"].sum()
    else:
        grouped = data.meals.groupby("day")["meals"].sum()
    return {k: float(v) for k, v in grouped.items()}


def meals_series(site: Site, data: PeriodData, previous: PeriodData | None) -> Series:
    """Meals per canteen for a day, per day for a week or month."""
    if data.period.kind == "day":
        labels = [c.name for c in site.canteens]
        keys: list[Any] = labels
        old_keys: list[Any] = labels
    else:
        labels, keys = _positions(data)
        old_keys = _positions(previous)[1] if previous is not None else []
    now = _meals_by(data, site)
    before: list[float | None] = [None] * len(keys)
    if previous is not None and previous.has_data:
        old = _meals_by(previous, site)
        values = [old.get(k, 0.0) for k in old_keys]
        before = [values[i] if i < len(values) else None for i in range(len(keys))]
    return Series(tuple(labels), tuple(now.get(k, 0.0) for k in keys), tuple(before))


def _presented(rows: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [
        r
        for r in rows
        if r["action"] in alarm_metrics.ACTIVATIONS
        and r["to_state"] != "suppressed"
        and not r["data"].get("summary")
    ]


def alarm_kinds(rows: Sequence[Mapping[str, Any]]) -> tuple[AlarmKind, ...]:
    """Activations per kind (most first) with each kind's MTTA and MTTR."""
    counts = Counter(str(r["data"].get("kind")) for r in _presented(rows))
    by_kind: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        by_kind[str(row["data"].get("kind"))].append(row)
    result = []
    for kind, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        mtta, mttr = alarm_metrics.response_times(by_kind[kind])
        result.append(AlarmKind(kind, count, mtta, mttr))
    return tuple(result)


def incidents(
    raised: Sequence[Alarm], actions: Sequence[Mapping[str, Any]]
) -> tuple[Incident, ...]:
    """The most severe alarms first raised in the period, with what operators did."""
    done: dict[str, list[tuple[datetime, str, str, str]]] = defaultdict(list)
    for row in actions:
        done[str(row["alarm_id"])].append(
            (row["at"], str(row["operator"]), str(row["action"]), str(row["comment"]))
        )
    top = sorted(
        raised,
        key=lambda a: (SEVERITY_RANK.get(a.severity, 9), -a.count, a.first_seen, a.id),
    )[:TOP_INCIDENTS]
    return tuple(
        Incident(
            a.first_seen,
            a.kind,
            a.severity,
            a.area,
            a.message,
            a.count,
            tuple(done.get(a.id, ())),
            a.closed_at,
        )
        for a in top
    )


def quality(site: Site, data: PeriodData) -> Quality:
    """Dead letters, devices that reported offline, devices never heard (only judged
    when the status feed has data for the period)."""
    names = _device_names(site)
    reports = data.status_reports
    offline = sorted(d for d, n in reports.items() if n > 0)
    every = sorted(site.devices_by_stream["status"])
    silent = [d for d in every if d not in reports] if reports else []
    dead = data.dead_letters
    return Quality(
        dead_letters=None if dead is None else dead.count,
        dead_letters_partial=bool(dead and dead.partial),
        offline_devices=tuple(names.get(d, d) for d in offline),
        offline_reports=sum(reports.values()),
        silent_devices=tuple(names.get(d, d) for d in silent),
        devices_total=len(every),
    )


def _device_names(site: Site) -> dict[str, str]:
    names = {g.id: g.name for g in site.gates}
    names |= {m.id: m.name for m in site.meters}
    names |= {c.id: c.name for c in site.cameras}
    names |= {w: win.name for w, (_, win) in site.windows.items()}
    names[site.booking.id] = site.booking.name
    return names
