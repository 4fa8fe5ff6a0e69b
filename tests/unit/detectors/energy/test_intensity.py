"""Energy intensity (#4): ratios per person and per meal, PV self-consumption."""

from __future__ import annotations

from datetime import date

import pytest

from detectors.energy.intensity import DayUse, change_pct, intensity, pv_use

MON, TUE = date(2026, 6, 8), date(2026, 6, 9)


def test_ratios_are_totals_over_totals() -> None:
    days = [DayUse(MON, 1000.0, 10.0, 400, 500), DayUse(TUE, 600.0, 6.0, 100, 300)]
    result = intensity(days)
    assert result.person_days == 500 and result.meals == 800
    assert result.kwh_per_person == pytest.approx(1600 / 500)
    assert result.water_m3_per_person == pytest.approx(16 / 500)
    assert result.kwh_per_meal == pytest.approx(1600 / 800)
    assert result.water_m3_per_meal == pytest.approx(16 / 800)


@pytest.mark.parametrize(("people", "expected"), [(0, None), (1, 50.0), (2, 25.0)])
def test_no_people_no_ratio(people: int, expected: float | None) -> None:
    result = intensity([DayUse(MON, 50.0, 1.0, people, 0)])
    assert result.kwh_per_person == expected
    assert result.kwh_per_meal is None  # no meals: no ratio, never infinity


def test_no_days_at_all() -> None:
    result = intensity([])
    assert result.days == 0 and result.kwh_per_person is None


@pytest.mark.parametrize(
    ("load", "pv", "used", "share"),
    [
        ([10.0, 10.0], [4.0, 6.0], 10.0, 1.0),  # all PV used on site
        ([10.0, 2.0], [4.0, 6.0], 6.0, 0.6),  # 4 kWh exported in the second slot
        ([10.0, 10.0], [0.0, 0.0], 0.0, None),  # no PV: no share
    ],
)
def test_pv_self_consumption_per_slot(
    load: list[float], pv: list[float], used: float, share: float | None
) -> None:
    result = pv_use(load, pv)
    assert result.self_consumed_kwh == pytest.approx(used)
    assert result.self_consumption == (None if share is None else pytest.approx(share))
    assert result.grid_kwh == pytest.approx(sum(load) - used)


def test_pv_slots_must_line_up() -> None:
    with pytest.raises(ValueError, match="same slots"):
        pv_use([1.0], [1.0, 2.0])


@pytest.mark.parametrize(
    ("now", "before", "expected"),
    [(110.0, 100.0, 10.0), (90.0, 100.0, -10.0), (1.0, 0.0, None), (None, 1.0, None)],
)
def test_change_pct(
    now: float | None, before: float | None, expected: float | None
) -> None:
    assert change_pct(now, before) == (
        None if expected is None else pytest.approx(expected)
    )
