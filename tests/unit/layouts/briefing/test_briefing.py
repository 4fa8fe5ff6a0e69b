"""The briefing's pure views: narrative templates, tables, page body, the energy
wall's intensity tile."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from layouts import ids
from layouts.briefing import page as briefing
from layouts.briefing.model import (
    Briefing,
    BuildingPortrait,
    CanteenPortrait,
    Kpi,
    Quality,
    Series,
)
from layouts.briefing.pdf import wrap
from layouts.briefing.text import narrative, spark
from layouts.wall import energy
from layouts.wall.tiles import Freshness

FRESH = Freshness(5.0, 300.0, "10:00", None)


def kpi(key: str, value: float | None, previous: float | None = None) -> Kpi:
    return Kpi(key, "", value, previous, None)


def make(previous: float | None = 1000.0, **changes: Any) -> Briefing:
    kpis = {k: kpi(k, 1.0) for k in (
        "b_people", "b_visitors", "b_vehicles", "b_denied", "b_appointments",
        "b_meals", "b_peak_wait", "b_water", "b_pv", "b_pv_self", "b_carbon",
        "b_kwh_person", "b_water_person", "b_kwh_meal", "b_water_meal", "b_alarms",
        "b_mtta", "b_mttr")}  # fmt: skip
    kpis["b_electricity"] = kpi("b_electricity", 958.0, previous)
    building = BuildingPortrait("b3", "3号楼 人大政协楼", 500.0, 0.03, 2.0, 0.61,
                                -8.0, 1, (100.0, 400.0))  # fmt: skip
    canteen = CanteenPortrait("canteen-1", "第一职工食堂", 600, (("lunch", 600),),
                              4800.0, 90, 6.4, date(2026, 6, 9), None, 1,
                              (300, 300))  # fmt: skip
    values: dict[str, Any] = dict(
        site_name="瓯江市行政中心", kind="week", start=date(2026, 6, 8),
        end=date(2026, 6, 15), has_previous=True, has_last_year=False,
        kpis=tuple(kpis.values()), energy=Series(("06-08",), (958.0,), (None,)),
        meals=Series((), (), ()), buildings=(building,), canteens=(canteen,),
        alarm_kinds=(), isa=(), eemua_level="predictive", incidents=(),
        quality=Quality(3, True, ("东大门",), 2, (), 39),
        grid_kg_co2_per_kwh=0.5703, timezone="Asia/Shanghai",
    )  # fmt: skip
    values.update(changes)
    return Briefing(**values)


def test_narrative_compares_with_the_previous_period() -> None:
    text = "".join(narrative(make(), "zh"))
    assert "本周用电 958 kWh，较上周下降 4.2%" in text
    assert "3号楼 人大政协楼" in text and "61%" in text  # the driver, after hours
    assert "第一职工食堂高峰排队约 90 人" in text
    assert "死信 至少 3 条，1 台设备曾离线" in text
    english = " ".join(narrative(make(), "en"))
    assert "down 4.2% on last week" in english


def test_narrative_without_a_previous_period() -> None:
    text = "".join(narrative(make(previous=None), "zh"))
    assert "无上期数据可比" in text and "较上周" not in text


def test_page_body_has_the_kpis_and_portraits() -> None:
    body = str(briefing.body(make(), "zh"))
    assert "briefing-kpi-b_electricity" in body and "958" in body
    assert "3号楼 人大政协楼" in body and "▃█" in body  # daily sparkline
    assert "期间无报警" in body


def test_page_layout_ids() -> None:
    page = str(briefing.layout("zh", "week", date(2026, 6, 10)))
    for component_id in (ids.BRIEFING_KIND, ids.BRIEFING_DATE, ids.BRIEFING_EXPORT):
        assert component_id in page


@pytest.mark.parametrize(
    ("values", "expected"),
    [([1.0, 2.0, 4.0], "▃▅█"), ([5.0], ""), ([0.0, 0.0], ""), ([], "")],
)
def test_spark(values: list[float], expected: str) -> None:
    assert spark(values) == expected


def test_wrap_counts_cjk_as_one_em() -> None:
    assert wrap("一二三四五", 2) == ["一二", "三四", "五"]
    assert wrap("abcd", 1.2) == ["ab", "cd"]


def test_intensity_tile() -> None:
    body = str(energy.intensity_body(12.345, 80.0, 9.87, 1200, FRESH, "zh"))
    assert "12.3" in body and "80 L" in body and "9.87 kWh" in body and "1,200" in body
    empty = str(energy.intensity_body(None, None, None, 0, FRESH, "zh"))
    assert "今日尚无入园记录" in empty and "—" in empty


def test_partial_periods_are_said_to_be_partial() -> None:
    full = "".join(narrative(make(coverage=(7, 7), previous_coverage=(7, 7)), "zh"))
    assert "天有数据" not in full
    text = "".join(narrative(make(coverage=(3, 7), previous_coverage=(1, 7)), "zh"))
    assert "本期仅 3/7 天有数据" in text and "上期仅 1/7 天有数据，环比仅供参考" in text
