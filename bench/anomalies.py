"""`python -m bench.anomalies [--quick]`: energy and water anomaly detection on
simulated meter series with labelled, injected anomalies.

Four weeks of the sample compound's meters (straight from the simulator's load
curves, `harness.meter_series`) are the history the baselines are built from. The
following days (1 week with --quick, 4 without) get at most one injected anomaly per
meter per day, of a kind that fits the meter: spike, sustained excess, after-hours
load, water leak, PV under-yield, silent, stuck, reset (cumulative kWh). Every
reading goes through `EnergyWatch` and `MeterHealth` minute by minute; an alarm
matches a label of its kind and source when it is raised between the label's start
and an hour after its end. Prints precision, recall and F1 per kind and the false
alarms per meter per week, then one JSON line.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np

from detectors.core.calendar import WorkCalendar
from detectors.core.signals import AlarmSignal
from detectors.devices.meters import MeterHealth
from detectors.energy.anomalies import EnergyWatch
from detectors.energy.baseline import build_baseline
from harness.meter_series import meter_days, slot_frame
from streams.config.settings import SAMPLE_SITE_FILE
from streams.config.site import Site, load_site
from streams.detection.specs import site_detection

HISTORY_DAYS = 28
INJECT_SHARE = 0.6  # of the days, per kind
# The simulator knows weekdays and weekends only (no public holidays): so does the
# bench, or the site's holidays would be judged as days off while the simulated
# compound works through them.
CALENDAR = WorkCalendar()
FIRST = date(2026, 3, 2)  # a Monday
KINDS = (
    "load_spike",
    "sustained_excess",
    "after_hours_load",
    "water_leak",
    "pv_under_yield",
    "meter_silent",
    "meter_stuck",
    "meter_reset",
)


@dataclass(frozen=True)
class Label:
    kind: str
    source: str
    start: datetime
    end: datetime


def _choices(site: Site, meter_id: str, workday: bool) -> list[str]:
    meter = site.meters_by_id[meter_id]
    if meter.cumulative:
        return ["meter_reset", "meter_stuck"]
    if meter.quantity.startswith("pv"):
        return ["pv_under_yield", "meter_silent"]
    kinds = ["load_spike", "meter_silent", "meter_stuck"]
    if workday:
        kinds.append("sustained_excess")
    if meter.quantity == "water_m3":
        kinds.append("water_leak")
    if meter.quantity == "electric_kw":
        kinds.append("after_hours_load")
    return kinds


def _inject(
    kind: str, series: np.ndarray, rng: random.Random, daytime: float
) -> tuple[int, int]:
    """Change one day's per-minute series in place; (first, last) minute touched."""
    if kind == "load_spike":
        at, length = rng.randint(540, 1000), rng.randint(3, 8)
        series[at : at + length] *= rng.uniform(2.5, 3.5)
    elif kind == "sustained_excess":
        at, length = rng.randint(540, 780), rng.randint(90, 240)
        level = float(np.median(series[at : at + length]))
        series[at : at + length] += level * rng.uniform(0.5, 0.9)
    elif kind == "after_hours_load":
        at, length = rng.randint(1200, 1260), 1439 - 1260
        running = daytime * rng.normalvariate(1.0, 0.015) * np.ones(1440 - at)
        series[at:] = np.maximum(
            series[at:], running * (1 + 0.015 * np.sin(np.arange(1440 - at)))
        )
    elif kind == "water_leak":
        at, length = 0, 360
        series[:length] += rng.uniform(0.02, 0.06)
    elif kind == "pv_under_yield":
        at, length = 600, 300
        series[at : at + length] *= rng.uniform(0.2, 0.45)
    elif kind == "meter_silent":
        at, length = rng.randint(540, 1000), rng.randint(30, 120)
        series[at : at + length] = np.nan
    elif kind == "meter_stuck":
        at, length = rng.randint(540, 900), rng.randint(60, 180)
        series[at : at + length] = series[at]
    else:  # meter_reset of a cumulative series
        at, length = rng.randint(540, 1000), 1
        series[at:] -= series[at] - rng.uniform(0, 5)
    return at, at + length


def _cumulative(
    days: Sequence[tuple[object, dict[str, np.ndarray]]], site: Site
) -> None:
    """Give each cumulative kWh meter a running total of its building's kW."""
    for meter in site.meters:
        if not meter.cumulative:
            continue
        source = next(
            m.id
            for m in site.meters
            if m.building == meter.building and m.quantity == "electric_kw"
        )
        total = 1000.0
        for _, values in days:
            values[meter.id] = total + np.cumsum(values[source]) / 60.0
            total = float(values[meter.id][-1])


def labelled_days(site: Site, days: int, seed: int) -> tuple[list, list[Label]]:
    """History (clean) then `days` days with injected anomalies, and their labels."""
    everything = list(meter_days(site, FIRST, HISTORY_DAYS + days, seed=seed))
    _cumulative(everything, site)
    series = everything[HISTORY_DAYS:]
    calendar = CALENDAR
    rng, labels = random.Random(seed), []
    yesterday: set[tuple[str, str]] = set()  # an anomaly left on is one alarm
    for day, values in series:
        used: set[str] = set()
        today: set[tuple[str, str]] = set()
        for kind in rng.sample(KINDS, len(KINDS)):
            workday = calendar.is_workday(day.date)
            fits = [
                m
                for m in sorted(values)
                if m not in used
                and (kind, m) not in yesterday
                and kind in _choices(site, m, workday)
            ]
            if not fits or rng.random() >= INJECT_SHARE:
                continue
            meter = rng.choice(fits)
            used.add(meter)
            today.add((kind, meter))
            daytime = float(np.median(series[0][1][meter][600:660]))  # a Monday
            begin, end = _inject(kind, values[meter], rng, daytime)
            source = (
                site.meters_by_id[meter].building
                if kind == "after_hours_load"
                else meter
            )
            labels.append(Label(kind, source, day.at(begin), day.at(end)))
        yesterday = today
    return everything, labels


def detect(site: Site, everything: list) -> list[AlarmSignal]:
    """Every day after the history, minute by minute; the baseline is rebuilt each
    week from the 4 weeks before it (as the runner refreshes it from history)."""
    spec = site_detection(site)
    energy = EnergyWatch(spec.meters, CALENDAR, spec.tz, spec.energy, spec.prices)
    health = MeterHealth(
        {m.id: m.max_value for m in spec.meters.values() if m.cumulative},
        {m.id: m.name for m in spec.meters.values()},
    )
    found: list[AlarmSignal] = []
    for i, (day, values) in enumerate(everything[HISTORY_DAYS:]):
        if i % 7 == 0:
            past = slot_frame(everything[i : i + HISTORY_DAYS])
            energy.baseline = build_baseline(past, CALENDAR, spec.tz)
        meters = [(m, values[m]) for m in sorted(values)]
        for minute in range(1440):
            ts = day.at(minute)
            for meter, row in meters:
                value = float(row[minute])
                if np.isnan(value):
                    continue
                found += health.reading(meter, ts, value, 60)
                found += energy.reading(meter, ts, value, 60)
            found += energy.evaluate(ts) + health.evaluate(ts)
    return [s for s in found if s.state == "active"]


def misses(labels: list[Label], alarms: list[AlarmSignal]) -> list[str]:
    """For --explain: unmatched labels and alarms, one line each."""
    lines = []
    for x in labels:
        if not any(
            a.kind == x.kind
            and a.source == x.source
            and x.start <= a.observed_at <= x.end + timedelta(hours=1)
            for a in alarms
        ):
            lines.append(
                f"missed {x.kind} {x.source} {x.start:%m-%d %H:%M}-{x.end:%H:%M}"
            )
    for a in alarms:
        if not any(
            a.kind == x.kind
            and a.source == x.source
            and x.start <= a.observed_at <= x.end + timedelta(hours=1)
            for x in labels
        ):
            lines.append(
                f"false {a.kind} {a.source} {a.observed_at:%m-%d %H:%M} {a.message}"
            )
    return lines


def score(
    labels: list[Label], alarms: list[AlarmSignal], meters: int, weeks: float
) -> dict[str, float]:
    result: dict[str, float] = {}
    false_alarms = 0
    for kind in KINDS:
        mine = [a for a in alarms if a.kind == kind]
        truth = [x for x in labels if x.kind == kind]

        def matches(a: AlarmSignal, x: Label) -> bool:
            late = x.end + timedelta(hours=1)
            return a.source == x.source and x.start <= a.observed_at <= late

        right = sum(1 for a in mine if any(matches(a, x) for x in truth))
        caught = sum(1 for x in truth if any(matches(a, x) for a in mine))
        precision = right / len(mine) if mine else 1.0
        recall = caught / len(truth) if truth else 1.0
        f1 = (
            2 * precision * recall / (precision + recall) if precision + recall else 0.0
        )
        result |= {
            f"{kind}_precision": precision,
            f"{kind}_recall": recall,
            f"{kind}_f1": f1,
            f"{kind}_labels": len(truth),
        }
        false_alarms += len(mine) - right
    others = [a for a in alarms if a.kind not in KINDS]
    false_alarms += len(others)
    result["false_alarms_per_meter_week"] = false_alarms / meters / weeks
    result["min_f1"] = min(result[f"{k}_f1"] for k in KINDS)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.anomalies")
    parser.add_argument("--quick", action="store_true", help="1 week instead of 4")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--explain", action="store_true", help="list misses")
    args = parser.parse_args()
    site = load_site(SAMPLE_SITE_FILE)
    days = 7 if args.quick else 28
    series, labels = labelled_days(site, days, args.seed)
    alarms = detect(site, series)
    result = score(labels, alarms, len(site.meters), days / 7)
    if args.explain:
        print("\n".join(misses(labels, alarms)))
    print(
        f"{days} days, {len(site.meters)} meters, {len(labels)} injected anomalies, "
        f"{len(alarms)} alarms"
    )
    for kind in KINDS:
        print(
            f"  {kind:18s} labels {result[f'{kind}_labels']:3.0f}  precision "
            f"{result[f'{kind}_precision']:.2f}  recall {result[f'{kind}_recall']:.2f}"
            f"  F1 {result[f'{kind}_f1']:.2f}"
        )
    print(
        f"false alarms per meter per week: {result['false_alarms_per_meter_week']:.2f}"
    )
    print(json.dumps({"bench": "anomalies", "days": days, "seed": args.seed, **result}))


if __name__ == "__main__":
    main()
