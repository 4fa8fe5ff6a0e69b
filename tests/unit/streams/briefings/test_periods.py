"""Report periods and the schedule (pure; time is an argument)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from streams.briefings.periods import (
    Period,
    last_year,
    latest_runs,
    period_of,
    previous,
    shift,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")


def local(day: date, hhmm: str, tz: ZoneInfo = SHANGHAI) -> datetime:
    return datetime.combine(day, time.fromisoformat(hhmm), tz)


def test_periods_of_a_day() -> None:
    wednesday = date(2026, 6, 10)
    assert period_of("day", wednesday) == Period("day", wednesday, date(2026, 6, 11))
    assert period_of("week", wednesday) == Period(
        "week", date(2026, 6, 8), date(2026, 6, 15)
    )
    assert period_of("month", wednesday) == Period(
        "month", date(2026, 6, 1), date(2026, 7, 1)
    )
    assert period_of("month", date(2026, 12, 31)).end == date(2027, 1, 1)


def test_previous_last_year_and_shift() -> None:
    week = period_of("week", date(2026, 6, 10))
    assert previous(week).start == date(2026, 6, 1)
    assert last_year(week).start == date(2025, 6, 9)  # a Monday, 52 weeks back
    march = period_of("month", date(2026, 3, 15))
    assert previous(march) == Period("month", date(2026, 2, 1), date(2026, 3, 1))
    assert last_year(march).start == date(2025, 3, 1)
    assert shift(march, 2).start == date(2026, 5, 1)
    assert shift(march, -3).start == date(2025, 12, 1)


def test_bounds_are_local_midnights() -> None:
    start, end = period_of("day", date(2026, 6, 10)).bounds(SHANGHAI)
    assert start == datetime(2026, 6, 9, 16, 0, tzinfo=UTC)
    assert end - start == timedelta(days=1)


@pytest.mark.parametrize(
    ("now", "daily", "weekly"),
    [
        # Monday 07:29:59 -> Sunday's 07:30; the Monday before's 08:00
        (
            local(date(2026, 6, 15), "07:29:59"),
            local(date(2026, 6, 14), "07:30"),
            local(date(2026, 6, 8), "08:00"),
        ),
        # exactly at 07:30: today's daily run is due
        (
            local(date(2026, 6, 15), "07:30"),
            local(date(2026, 6, 15), "07:30"),
            local(date(2026, 6, 8), "08:00"),
        ),
        # Monday 08:00:01 -> today's weekly run too
        (
            local(date(2026, 6, 15), "08:00:01"),
            local(date(2026, 6, 15), "07:30"),
            local(date(2026, 6, 15), "08:00"),
        ),
    ],
)
def test_latest_runs_at_the_edges(
    now: datetime, daily: datetime, weekly: datetime
) -> None:
    day_run, week_run = latest_runs(now.astimezone(UTC), SHANGHAI)
    assert day_run.at == daily.astimezone(UTC)
    assert week_run.at == weekly.astimezone(UTC)
    assert day_run.period == period_of("day", daily.date() - timedelta(days=1))
    assert week_run.period.end == weekly.date()


def test_schedule_follows_the_site_time_zone_across_dst() -> None:
    """In Berlin the 07:30 run is 05:30 UTC in summer and 06:30 UTC in winter."""
    summer, _ = latest_runs(datetime(2026, 7, 1, 12, 0, tzinfo=UTC), BERLIN)
    winter, _ = latest_runs(datetime(2026, 12, 1, 12, 0, tzinfo=UTC), BERLIN)
    assert summer.at == datetime(2026, 7, 1, 5, 30, tzinfo=UTC)
    assert winter.at == datetime(2026, 12, 1, 6, 30, tzinfo=UTC)


def test_latest_runs_are_what_must_be_archived_by_now() -> None:
    now = local(date(2026, 6, 17), "07:00").astimezone(UTC)  # Wednesday, before 07:30
    day_run, week_run = latest_runs(now, SHANGHAI)
    assert day_run.period == period_of("day", date(2026, 6, 15))  # run on Tuesday
    assert week_run.period == period_of("week", date(2026, 6, 8))  # run on Monday
    assert week_run.at == local(date(2026, 6, 15), "08:00").astimezone(UTC)
