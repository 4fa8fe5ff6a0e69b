"""The simulated day's canteen: the lunch peak, meals, amounts, windows opening and
serving at their rate."""

from __future__ import annotations

from collections import Counter

from streams.config.site import Site
from streams.wire.contracts import CanteenEvent, Event
from tests.unit.streams.simulator.days import local_minute, of_kind


def test_lunch_settlements_peak_between_1120_and_1300(
    sample_site: Site, weekday: list[tuple[str, Event]]
) -> None:
    lunch = [c for c in of_kind(weekday, CanteenEvent) if c.kind == "settlement"]
    per_ten = Counter(int(local_minute(sample_site, c.ts) // 10) * 10 for c in lunch)
    peak, _ = per_ten.most_common(1)[0]
    assert 11 * 60 + 20 <= peak < 13 * 60


def test_lunch_is_the_big_meal(
    sample_site: Site, weekday: list[tuple[str, Event]]
) -> None:
    meals = Counter(
        c.meal for c in of_kind(weekday, CanteenEvent) if c.kind == "settlement"
    )
    assert meals["lunch"] > 2 * meals["breakfast"]
    assert meals["lunch"] > 2 * meals["dinner"]
    assert 0.5 * sample_site.staff < meals["lunch"] < 0.85 * sample_site.staff


def test_amounts_are_plausible(weekday: list[tuple[str, Event]]) -> None:
    ranges = {"breakfast": (3, 6), "lunch": (8, 18), "dinner": (8, 15)}
    for sale in of_kind(weekday, CanteenEvent):
        if sale.kind == "settlement":
            low, high = ranges[sale.meal]
            assert low * sale.count <= sale.amount_yuan <= high * sale.count


def test_windows_open_and_close_once_per_meal(
    sample_site: Site, weekday: list[tuple[str, Event]]
) -> None:
    marks = Counter(
        (c.device, c.meal, c.kind)
        for c in of_kind(weekday, CanteenEvent)
        if c.kind != "settlement"
    )
    for canteen in sample_site.canteens:
        for window in canteen.windows:
            for meal in canteen.meals:
                assert marks[(window.id, meal.meal, "window_open")] == 1
                assert marks[(window.id, meal.meal, "window_close")] == 1


def test_windows_never_serve_faster_than_their_rate(
    sample_site: Site, weekday: list[tuple[str, Event]]
) -> None:
    per_minute = Counter(
        (c.device, c.ts.replace(second=0, microsecond=0))
        for c in of_kind(weekday, CanteenEvent)
        if c.kind == "settlement"
    )
    for (window, _), served in per_minute.items():
        rate = sample_site.windows[window][1].service_rate_per_min
        assert served <= 2 * rate
