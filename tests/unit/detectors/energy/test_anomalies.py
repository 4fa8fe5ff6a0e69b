"""Energy and water anomalies against a synthetic baseline (−1 / at / +1)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from detectors.core.calendar import WorkCalendar
from detectors.energy.anomalies import EnergyWatch
from detectors.energy.baseline import Baseline, SlotStats, build_baseline, upper_bound
from detectors.energy.params import EnergyParams, MeterSpec
from detectors.energy.waste import Prices, Waste, waste_of

TZ = ZoneInfo("Asia/Shanghai")
CAL = WorkCalendar()
WED = datetime(2026, 6, 10, tzinfo=TZ)
P = EnergyParams()
METERS = {
    "kw": MeterSpec(
        "kw", "1号楼 总进线功率", "b1", "electric_kw", building_name="1号楼"
    ),
    "hvac": MeterSpec("hvac", "1号楼 空调", "b1", "hvac_kw"),
    "water": MeterSpec("water", "6号楼 用水", "b6", "water_m3"),
    "main": MeterSpec("main", "园区 总进水", "b6", "water_m3", site_wide=True),
    "pv1": MeterSpec("pv1", "光伏1", "b4", "pv_kw", max_value=400),
    "pv2": MeterSpec("pv2", "光伏2", "b5", "pv_kw", max_value=300),
}
FLAT = SlotStats(
    median=100.0, sigma=2.0, peak=110.0, peak_sigma=2.0, best=100.0, days=20
)


def flat_baseline(stats: SlotStats = FLAT, empty: float = 50.0) -> Baseline:
    keys = [(m, g, s) for m in METERS for g in ("workday", "offday") for s in range(96)]
    return Baseline(
        15,
        {k: stats for k in keys},
        {m: stats.median for m in METERS},
        {(m, g): empty for m in METERS for g in ("workday", "offday")},
    )


def feed(w: EnergyWatch, meter: str, start: datetime, values: list[float]) -> list:
    found = []
    for i, value in enumerate(values):
        found += w.reading(meter, start + timedelta(minutes=i), value)
    return found


def test_build_baseline_is_robust_to_one_bad_day() -> None:
    days = pd.date_range("2026-05-25", periods=10, freq="D", tz=TZ)  # 8 workdays
    rows = [
        (d, "kw", 100.0 + (900 if i == 2 else i % 3), 120.0) for i, d in enumerate(days)
    ]
    frame = pd.DataFrame(rows, columns=["bucket", "device", "avg_value", "max_value"])
    base = build_baseline(frame, CAL, TZ)
    stats = base.lookup("kw", "workday", 0)
    assert stats is not None and stats.median == pytest.approx(101.0)
    assert stats.sigma < 2.0  # the 1,000 kW day does not widen it
    assert base.lookup("kw", "offday", 0) is None  # 2 weekend days < min_days


def test_upper_bound_takes_the_widest_margin() -> None:
    assert upper_bound(FLAT, 4.0, 0.3, 0.0) == pytest.approx(130.0)
    assert upper_bound(FLAT, 20.0, 0.3, 0.0) == pytest.approx(140.0)
    assert upper_bound(FLAT, 4.0, 0.3, 50.0) == pytest.approx(150.0)


def office_watch() -> EnergyWatch:
    return EnergyWatch(METERS, CAL, TZ, P, Prices(), flat_baseline())


@pytest.mark.parametrize(
    ("value", "raised"), [(129.0, False), (130.0, False), (131.0, True)]
)
def test_sustained_excess_at_the_bound(value: float, raised: bool) -> None:
    w = office_watch()
    start = WED + timedelta(hours=9)
    found = feed(w, "kw", start, [value] * (15 * P.excess_slots) + [100.0])
    assert ([s.kind for s in found] == ["sustained_excess"]) == raised
    if raised:
        (signal,) = found
        assert signal.observed_at == start + timedelta(minutes=15 * P.excess_slots)
        assert signal.details["waste_kwh"] == pytest.approx((value - 100) * 1.0)


@pytest.mark.parametrize(
    ("slots", "raised"), [(P.excess_slots - 1, False), (P.excess_slots, True)]
)
def test_sustained_excess_needs_enough_slots(slots: int, raised: bool) -> None:
    w = office_watch()
    found = feed(
        w, "kw", WED + timedelta(hours=9), [200.0] * (15 * slots) + [100.0] * 16
    )
    assert ("sustained_excess" in [s.kind for s in found]) == raised


def test_sustained_excess_clears() -> None:
    w = office_watch()
    values = [200.0] * 60 + [100.0] * (15 * P.clear_slots + 1)
    found = feed(w, "kw", WED + timedelta(hours=9), values)
    assert [s.state for s in found] == ["active", "cleared"]


@pytest.mark.parametrize(
    ("value", "raised"), [(99.0, False), (100.0, False), (151.0, True)]
)
def test_after_hours_needs_twice_the_empty_building(value: float, raised: bool) -> None:
    # bound is 150 (ratio 0.5); the empty building draws 50: 2x = 100
    w = office_watch()
    found = feed(w, "kw", WED + timedelta(hours=21), [value] * 31)
    kinds = [(s.kind, s.source) for s in found]
    assert (kinds == [("after_hours_load", "b1")]) == raised


def test_after_hours_ignores_subsystem_meters() -> None:
    w = office_watch()
    assert feed(w, "hvac", WED + timedelta(hours=21), [400.0] * 46) == []


@pytest.mark.parametrize(("readings", "raised"), [(2, False), (3, True), (31, False)])
def test_spike_is_short_and_judged_when_it_ends(readings: int, raised: bool) -> None:
    # usual peak 110: a spike is above 110 + 0.6 × 110 = 176
    w = office_watch()
    values = [100.0] * 5 + [177.0] * readings + [100.0]
    found = feed(w, "kw", WED + timedelta(hours=10), values)
    assert ("load_spike" in [s.kind for s in found]) == raised


def test_spike_at_the_bound_is_not_a_spike() -> None:
    w = office_watch()
    bound = FLAT.peak * (1 + P.spike_ratio)
    found = feed(w, "kw", WED + timedelta(hours=10), [bound] * 5 + [100.0])
    assert found == []


def leak_watch(floor_per_min: float = 0.005) -> EnergyWatch:
    params = EnergyParams(leak_floor_per_min=floor_per_min)
    return EnergyWatch(METERS, CAL, TZ, params, Prices(), Baseline())


@pytest.mark.parametrize(
    ("low", "raised"), [(0.004, False), (0.005, False), (0.006, True)]
)
def test_leak_night_minimum_against_the_floor(low: float, raised: bool) -> None:
    w = leak_watch()
    start = WED + timedelta(hours=1)
    feed(w, "water", start, [low] * 60)
    found = w.evaluate(start + timedelta(minutes=59))
    assert ([s.kind for s in found] == ["water_leak"]) == raised


def test_leak_is_reported_on_the_sub_meter_not_the_main() -> None:
    w = leak_watch()
    start = WED + timedelta(hours=1)
    feed(w, "main", start, [0.05] * 60)
    feed(w, "water", start, [0.04] * 60)
    found = w.evaluate(start + timedelta(minutes=59))
    assert [(s.kind, s.source) for s in found] == [("water_leak", "water")]
    assert found[0].details["waste_m3_per_day"] == pytest.approx(0.04 * 1440)


def test_leak_on_the_main_alone_is_reported_there() -> None:
    w = leak_watch()
    start = WED + timedelta(hours=1)
    feed(w, "main", start, [0.05] * 60)
    feed(w, "water", start, [0.001] * 60)
    assert [s.source for s in w.evaluate(start + timedelta(minutes=59))] == ["main"]


def test_no_leak_judged_in_the_daytime() -> None:
    w = leak_watch()
    start = WED + timedelta(hours=10)
    feed(w, "water", start, [0.1] * 60)
    assert w.evaluate(start + timedelta(minutes=59)) == []


@pytest.mark.parametrize(
    ("share", "raised"), [(0.61, False), (0.60, False), (0.59, True)]
)
def test_pv_under_yield_against_the_other_array(share: float, raised: bool) -> None:
    w = EnergyWatch(METERS, CAL, TZ, P, Prices(), flat_baseline())
    start = WED + timedelta(hours=11)
    minutes = 15 * P.pv_slots + 1
    feed(w, "pv1", start, [100.0 * share] * minutes)
    feed(w, "pv2", start, [100.0] * minutes)
    found = w.evaluate(start + timedelta(minutes=minutes))
    assert (
        [(s.kind, s.source) for s in found] == [("pv_under_yield", "pv1")]
    ) == raised


def test_waste_units_and_prices() -> None:
    assert waste_of("electric_kw", 40.0, 15, 15) == pytest.approx(10.0)
    assert waste_of("water_m3", 0.02, 15, 15) == pytest.approx(0.3)
    electric = Waste.of("electric_kw", 10.0, Prices())
    assert (electric.yuan, electric.kg_co2) == pytest.approx((7.5, 5.703))
    water = Waste.of("water_m3", 10.0, Prices())
    assert water.unit == "m³" and water.yuan == pytest.approx(41.0)
