"""The simulated day's meters: PV, water, electric load, ranges, cumulative
registers, one reading a minute."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from streams.config.site import Site
from streams.wire.contracts import EnergyEvent, Event
from tests.unit.streams.simulator.days import of_kind, readings


def test_pv_is_zero_at_night_and_producing_at_noon(
    sample_site: Site, weekday: list[tuple[str, Event]]
) -> None:
    pv = readings(weekday, "m-pv-b4", sample_site)
    night = pv[(pv[:, 0] < 4 * 60) | (pv[:, 0] >= 21 * 60), 1]
    noon = pv[(pv[:, 0] >= 11 * 60 + 30) & (pv[:, 0] < 12 * 60 + 30), 1]
    assert night.max() == 0
    assert noon.mean() > 0.2 * 400


def test_water_night_minimum_is_below_the_day(
    sample_site: Site, weekday: list[tuple[str, Event]]
) -> None:
    water = readings(weekday, "m-water-main", sample_site)
    night = water[(water[:, 0] >= 60) & (water[:, 0] < 300), 1]
    day = water[(water[:, 0] >= 9 * 60) & (water[:, 0] < 17 * 60), 1]
    assert night.mean() < 0.1 * day.mean()
    lunch = water[(water[:, 0] >= 11 * 60 + 20) & (water[:, 0] < 13 * 60), 1]
    assert lunch.mean() > day.mean()


def test_electric_load_has_a_night_base_and_a_day_peak(
    sample_site: Site, weekday: list[tuple[str, Event]]
) -> None:
    for meter in ("m-b1-kw", "m-b2-kw", "m-b3-kw"):
        load = readings(weekday, meter, sample_site)
        night = load[(load[:, 0] >= 60) & (load[:, 0] < 300), 1].mean()
        assert 0.2 <= night / load[:, 1].max() <= 0.45


def test_meters_stay_within_their_range(
    sample_site: Site, weekday: list[tuple[str, Event]]
) -> None:
    for event in of_kind(weekday, EnergyEvent):
        meter = sample_site.meters_by_id[event.device]
        assert 0 <= event.value <= meter.max_value
        assert event.quantity == meter.quantity
        assert event.cumulative == meter.cumulative


def test_cumulative_meter_integrates_the_power(
    sample_site: Site, weekday: list[tuple[str, Event]]
) -> None:
    total = readings(weekday, "m-b1-kwh", sample_site)[:, 1]
    power = readings(weekday, "m-b1-kw", sample_site)[:, 1]
    assert np.all(np.diff(total) >= 0)
    assert total[-1] - total[0] == pytest.approx(power[1:].sum() / 60, rel=0.03)


def test_every_meter_reports_every_minute(
    sample_site: Site, weekday: list[tuple[str, Event]]
) -> None:
    per_meter = Counter(e.device for e in of_kind(weekday, EnergyEvent))
    assert per_meter == {m.id: 1440 for m in sample_site.meters}
