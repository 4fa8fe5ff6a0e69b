"""Pure tests of the wall layouts: shell, band, charts, every screen's tiles."""

from __future__ import annotations

from typing import Any

import pytest
from dash import html

from layouts import ids
from layouts.wall import canteen, charts, energy, overview, security, shell, traffic
from layouts.wall.tiles import Freshness, age_text

FRESH = Freshness(age_s=3.0, stale_after_s=60.0, last_time="14:05")
VIEWS = {
    "overview": overview.layout,
    "canteen": canteen.layout,
    "energy": energy.layout,
    "security": security.layout,
    "traffic": traffic.layout,
}


def text(children: Any, component_id: str) -> str:
    return str(html.Div(children)[component_id].children)


@pytest.mark.parametrize("name", list(VIEWS))
def test_every_layout_has_its_tiles_and_chinese_labels(name: str) -> None:
    page = VIEWS[name]("zh")
    for tile_id in ids.SCREEN_TILES[name]:
        assert page[ids.body_of(tile_id)] is not None
    assert "加载中" in str(page)  # unfilled: 'loading', never a number
    assert f"wall-grid--{name}" in page.className  # type: ignore[attr-defined]  # a Dash prop, set in __init__


def test_a_filled_layout_shows_its_bodies() -> None:
    body = overview.people_body({"staff": 7, "visitor": 2}, FRESH)
    page = overview.layout("zh", {ids.OVERVIEW_PEOPLE_ONSITE: body})
    assert text(page, ids.value_of(ids.OVERVIEW_PEOPLE_ONSITE)) == "9"


def test_shell_carries_screen_language_and_stage() -> None:
    page = shell.layout(
        "瓯江市行政中心", "wall-2", "左屏 · 食堂就餐", canteen.layout(), "en"
    )
    assert page[ids.WALL_SCREEN].data == "wall-2"
    assert page[ids.WALL_LANG].data == "en"
    assert page.lang == "en"  # type: ignore[attr-defined]  # a Dash prop, set in __init__
    assert "瓯江市行政中心" in str(page[ids.WALL_TITLE])
    assert page[ids.body_of(ids.CANTEEN_WINDOWS)] is not None
    assert page[ids.WALL_BAND].className == "wall-band wall-band--off"


def test_band_shows_newest_alarm_place_time_and_count() -> None:
    alarms = [
        shell.BandAlarm("配电房禁区闯入", "配电房", "14:05"),
        shell.BandAlarm("食堂拥堵", "一食堂", "14:01"),
    ]
    content = str(shell.band(alarms, "zh"))
    assert "紧急告警" in content and "配电房禁区闯入" in content and "14:05" in content
    assert "另有 1 条" in content
    assert shell.band_class(alarms).endswith("--on")
    assert shell.band([], "zh") == [] and shell.band_class([]).endswith("--off")


def test_expected_silence_is_not_stale() -> None:
    quiet = Freshness(5000.0, 600.0, "13:00", "out_of_meal")
    assert age_text(quiet, "zh") == ("非供餐时段 · 13:00", False)
    assert age_text(Freshness(5000.0, 600.0, "13:00"), "zh") == ("数据中断 13:00", True)


def test_alarms_tile_without_a_feed_shows_no_number() -> None:
    body = overview.alarms_body(None, FRESH, "zh")
    assert text(body, ids.value_of(ids.OVERVIEW_ALARMS)) == "—"
    assert "告警未接入" in str(body)
    counts = {"critical": 1, "major": 2, "minor": 0, "notice": 3}
    body = overview.alarms_body(counts, FRESH, "zh")
    assert text(body, ids.value_of(ids.OVERVIEW_ALARMS)) == "6"


def test_carbon_uses_the_grid_factor() -> None:
    body = energy.carbon_body(1000.0, 200.0, 0.5703, FRESH, "zh")
    assert text(body, ids.value_of(ids.ENERGY_CARBON)) == "570"
    assert "114" in str(body)  # PV avoided: 200 kWh × 0.5703


def test_pv_energy_without_history_is_a_dash_not_zero() -> None:
    pv = energy.pv_body(120.0, None, FRESH, "zh")
    assert "— kWh" in str(pv) and "0 kWh" not in str(pv)
    carbon = energy.carbon_body(1000.0, None, 0.5703, FRESH, "zh")
    assert "— kg" in str(carbon) and "'0 kg'" not in str(carbon)


def test_canteen_queue_and_forecast_pending() -> None:
    rows = [canteen.QueueRow("一食堂", 42, 6.2), canteen.QueueRow("二食堂", None, None)]
    body = canteen.queue_body(ids.CANTEEN_QUEUE, rows, "排队区摄像机人数", FRESH, "zh")
    assert text(body, ids.value_of(ids.CANTEEN_QUEUE)) == "42"
    assert "约 6 分钟" in str(body) and "排队区摄像机人数" in str(body)
    assert "未接入" in str(canteen.forecast_body(None, FRESH, "zh"))


def test_forecast_headline_is_the_worst_canteen_or_a_dash() -> None:
    value = ids.value_of(ids.CANTEEN_FORECAST)
    both = [
        canteen.QueueRow("一食堂", None, 12.4, "较忙"),
        canteen.QueueRow("二食堂", None, 0.0, "畅通"),
    ]
    assert text(canteen.forecast_body(both, FRESH, "zh"), value) == "12"
    one_unknown = [canteen.QueueRow("一食堂", None, None, "拥堵"), both[1]]
    assert text(canteen.forecast_body(one_unknown, FRESH, "zh"), value) == "—"


def test_windows_table_marks_closed_windows() -> None:
    rows = [
        canteen.WindowRow("1号窗口", True, 120, 14),
        canteen.WindowRow("2号", False, 0, 0),
    ]
    table = str(canteen.windows_body(rows, FRESH, "zh"))
    assert "开放" in table and "关闭" in table and "row--muted" in table
    assert "等待" not in table  # no detector state: no wait column


def test_traffic_and_security_bodies() -> None:
    body = traffic.parking_body(155, 620, 149, FRESH, "zh")
    assert text(body, ids.value_of(ids.TRAFFIC_PARKING)) == "25"
    assert "空余 465 个" in str(body)
    body = traffic.visitors_body(30, 12, FRESH, "zh")
    assert text(body, ids.value_of(ids.TRAFFIC_VISITORS)) == "12" and "预约" in str(
        body
    )
    body = security.gate_flow_body([("东大门", 10, 4, 1)], FRESH, "zh")
    assert "东大门" in str(body)
    url = "/snapshots/cam-power-room/x.jpg"
    shot = security.WallSnapshot("配电房 入口", url, "10 秒前", False, "loitering")
    shots = str(security.snapshots_body([shot], FRESH, "zh"))
    assert "配电房 入口" in shots and "wall-shot--alert" in shots
    assert "/snapshots/cam-power-room/x.jpg" in shots
    assert "暂无抓拍" in str(security.snapshots_body([], FRESH, "zh"))


def test_bar_chart_scales_and_marks_the_baseline() -> None:
    chart = str(
        charts.bar_chart(["08:00", "08:15"], {"职工": [30, 10]}, [20.0, None], "常日")
    )
    assert "height': '60.00%'" in chart  # 30 of a round top of 50
    assert "bar-base" in chart and chart.count("bar-base") == 1
    assert "常日" in chart


@pytest.mark.parametrize(
    ("value", "top"), [(0, 1), (7, 10), (19, 20), (240, 250), (1001, 2000)]
)
def test_nice_axis_top(value: float, top: float) -> None:
    assert charts._nice_top(value) == top
