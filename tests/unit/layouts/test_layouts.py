"""Pure tests of the layouts package: given data, the right text; ids unique."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from dash import html
from dash.development.base_component import Component

from layouts import home, ids
from layouts.i18n import STRINGS, format_age, t, valid_lang
from layouts.wall import catalog, overview
from layouts.wall.tiles import Freshness, format_number, format_power, grid, kpi_body

FRESH = Freshness(age_s=3.0, stale_after_s=60.0, last_time="14:05")
PREFIXES = (
    "overview-", "home-", "wall-", "canteen-", "energy-", "security-", "traffic-",
    "duty-", "briefing-", "admin-",
)  # fmt: skip


def text_of(children: Sequence[Component] | Component, component_id: str) -> str:
    found = html.Div(children)[component_id]
    return str(found.children)


def all_ids() -> list[str]:
    """Every static id in `layouts.ids`, and the ids derived from the wall's tiles."""
    static = [v for k, v in vars(ids).items() if k.isupper() and isinstance(v, str)]
    tiles = [tile for layout in catalog.WALL_LAYOUTS for tile in layout.tile_ids]
    derived = [
        f(tile) for tile in tiles for f in (ids.value_of, ids.age_of, ids.body_of)
    ]
    return static + derived


def test_every_id_is_unique_and_kebab_case() -> None:
    every = all_ids()
    assert len(every) == len(set(every))
    for component_id in every:
        assert component_id == component_id.lower()
        assert "_" not in component_id and " " not in component_id


def test_overview_ids_are_prefixed_by_screen() -> None:
    for component_id in all_ids():
        assert component_id.startswith(PREFIXES), component_id


def test_every_string_has_both_languages() -> None:
    for key, texts in STRINGS.items():
        assert set(texts) == {"zh", "en"}, key
        assert texts["zh"] or not texts["en"], key


@pytest.mark.parametrize(
    ("age_s", "expected", "stale"),
    [
        (3.0, "3 秒前更新", False),
        (59.9, "59 秒前更新", False),
        (60.0, "60 秒前更新", False),  # at the threshold: still fresh
        (60.1, "数据中断 14:05", True),
        (None, "暂无数据", True),
    ],
)
def test_age_line_turns_stale_after_threshold(
    age_s: float | None, expected: str, stale: bool
) -> None:
    assert format_age(age_s, 60.0, "14:05", "zh") == (expected, stale)


def test_age_in_minutes_and_english() -> None:
    assert format_age(600.0, 900.0, None, "zh") == ("10 分钟前更新", False)
    assert format_age(3.0, 60.0, None, "en") == ("updated 3 s ago", False)
    assert format_age(61.0, 60.0, "09:30", "en") == ("feed stopped 09:30", True)


def test_negative_age_from_clock_skew_reads_as_zero() -> None:
    assert format_age(-2.0, 60.0, None, "zh") == ("0 秒前更新", False)


def test_kpi_tile_shows_number_unit_and_age() -> None:
    body = kpi_body("overview-pv-now", "123.4", "kW", FRESH)
    assert text_of(body, ids.value_of("overview-pv-now")) == "123.4"
    assert text_of(body, ids.age_of("overview-pv-now")) == "3 秒前更新"
    assert "kW" in str(body[0].children[1].children)


def test_stale_tile_is_marked_for_css() -> None:
    stale = Freshness(age_s=900.0, stale_after_s=300.0, last_time="14:05")
    body = kpi_body("overview-pv-now", "0", "kW", stale)
    age = html.Div(body)[ids.age_of("overview-pv-now")]
    assert age.children == "数据中断 14:05"
    assert "tile-age--stale" in age.className
    assert "tile-value--stale" in body[0].className  # type: ignore[attr-defined]  # a Dash prop, set in __init__


def test_people_tile_counts_staff_and_visitors() -> None:
    body = overview.people_body({"staff": 1200, "visitor": 35, "vehicle": 80}, FRESH)
    assert text_of(body, ids.value_of(ids.OVERVIEW_PEOPLE_ONSITE)) == "1,235"
    rendered = str(body)
    assert "职工" in rendered and "访客" in rendered


def test_entries_tile_highlights_denials() -> None:
    entries = {"staff": 3, "visitor": 2, "vehicle": 1}
    body = overview.entries_body(entries, 4, None, FRESH)
    assert text_of(body, ids.value_of(ids.OVERVIEW_ENTRIES_TODAY)) == "6"
    assert "拒绝通行" in str(body) and "part--alert" in str(body)
    assert "无历史基线" in str(body)  # no usual day: said so, no number


def test_entries_tile_compares_with_a_usual_day() -> None:
    entries = {"staff": 110, "visitor": 0, "vehicle": 0}
    body = overview.entries_body(entries, 0, {"staff": 100.0}, FRESH)
    assert "较常日 +10%" in str(body)


def test_power_tile_lists_buildings_and_total() -> None:
    buildings = [("1号楼", 800.0), ("2号楼", 434.5)]
    body = overview.power_body(1234.5, 1100.0, buildings, FRESH)
    assert "基线 1,100 kW" in str(body)
    assert text_of(body, ids.value_of(ids.OVERVIEW_POWER_NOW)) == "1,234"
    assert "1号楼" in str(body) and "434" in str(body)


def test_devices_tile_with_no_devices_shows_a_dash() -> None:
    body = overview.devices_body(0, 0, (0, 0), 0, FRESH)
    assert text_of(body, ids.value_of(ids.OVERVIEW_DEVICES_ONLINE)) == "—"


def test_number_formats() -> None:
    assert format_number(None) == "—"
    assert format_number(12345.678, 1) == "12,345.7"
    assert format_power(99.94) == "99.9"
    assert format_power(100.4) == "100"


def test_overview_layout_has_every_tile_and_language() -> None:
    page = grid(catalog.OVERVIEW, "en")
    for tile_id in catalog.OVERVIEW.tile_ids:
        assert page[tile_id] is not None
        assert page[ids.body_of(tile_id)] is not None
    assert "People on site" in str(page)


def test_overview_layout_defaults_to_chinese() -> None:
    assert "在园人数" in str(grid(catalog.OVERVIEW))


@pytest.mark.parametrize("value", ["en", "zh", "fr", None, 3, "<script>"])
def test_valid_lang_accepts_only_served_languages(value: object) -> None:
    assert valid_lang(value) == ("en" if value == "en" else "zh")


def test_strings_fill_their_placeholders() -> None:
    assert t("online_of", "zh", online=3, total=4) == "在线 3 / 4 台"


def test_home_lists_screens() -> None:
    page = home.layout("园区", [("/wall/overview", "综合态势")])
    assert "/wall/overview" in str(page[ids.HOME_LINKS])
