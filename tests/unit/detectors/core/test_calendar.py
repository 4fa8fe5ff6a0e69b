from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from detectors.core.calendar import WorkCalendar, minute_of_day, within

CAL = WorkCalendar.of([date(2026, 10, 1)], [date(2026, 10, 10)])


@pytest.mark.parametrize(
    ("day", "kind", "group"),
    [
        (date(2026, 10, 1), "holiday", "offday"),  # Thursday, National Day
        (date(2026, 10, 10), "makeup_workday", "workday"),  # Saturday 调休上班
        (date(2026, 10, 11), "weekend", "offday"),
        (date(2026, 10, 12), "workday", "workday"),
    ],
)
def test_day_types(day: date, kind: str, group: str) -> None:
    assert CAL.day_type(day) == kind
    assert CAL.baseline_group(day) == group


def test_a_day_cannot_be_both() -> None:
    with pytest.raises(ValueError, match="both"):
        WorkCalendar.of([date(2026, 10, 10)], [date(2026, 10, 10)])


def test_local_minute_and_wrapping_spans() -> None:
    ts = datetime(2026, 6, 10, 14, 5, tzinfo=UTC)  # 22:05 in Shanghai
    assert minute_of_day(ts, ZoneInfo("Asia/Shanghai")) == 22 * 60 + 5
    assert within(1319, 1320, 360) is False
    assert within(1320, 1320, 360) is True
    assert within(359, 1320, 360) is True
    assert within(360, 1320, 360) is False
