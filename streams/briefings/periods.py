"""Report periods and the generation schedule, pure (time is an argument).

A period is a run of whole local days ``[start, end)``: a day, an ISO week (Monday to
Sunday) or a calendar month. Schedule (site time zone): the daily briefing of
yesterday at 07:30, the weekly briefing of last week on Mondays at 08:00.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

PeriodKind = Literal["day", "week", "month"]
PERIOD_KINDS: tuple[PeriodKind, ...] = ("day", "week", "month")
DAILY_AT = time(7, 30)
WEEKLY_AT = time(8, 0)  # on Mondays


@dataclass(frozen=True, slots=True, order=True)
class Period:
    kind: PeriodKind
    start: date
    end: date  # exclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def dates(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(self.days)]

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """[local midnight of start, local midnight of end) as UTC instants."""
        return _midnight(self.start, tz), _midnight(self.end, tz)

    @property
    def key(self) -> str:
        """Stable name: day-2026-11-20, week-2026-11-16, month-2026-11-01."""
        return f"{self.kind}-{self.start.isoformat()}"


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tz).astimezone(UTC)


def period_of(kind: PeriodKind, day: date) -> Period:
    """The period of `kind` that holds `day`."""
    if kind == "day":
        return Period("day", day, day + timedelta(days=1))
    if kind == "week":
        monday = day - timedelta(days=day.weekday())
        return Period("week", monday, monday + timedelta(days=7))
    first = day.replace(day=1)
    return Period("month", first, _add_months(first, 1))


def _add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def previous(period: Period) -> Period:
    """The period just before (same kind and length: yesterday, last week, last
    month)."""
    return period_of(period.kind, period.start - timedelta(days=1))


def last_year(period: Period) -> Period:
    """The same period a year earlier: the same weekday 52 weeks back for days and
    weeks (weekday patterns line up), the same calendar month for months."""
    if period.kind == "month":
        return period_of("month", _add_months(period.start, -12))
    return period_of(period.kind, period.start - timedelta(weeks=52))


def shift(period: Period, steps: int) -> Period:
    """`steps` periods later (negative: earlier)."""
    current = period
    for _ in range(abs(steps)):
        if steps > 0:
            current = period_of(current.kind, current.end)
        else:
            current = previous(current)
    return current


@dataclass(frozen=True, slots=True)
class Run:
    """One scheduled generation: when, and which period it reports."""

    at: datetime  # UTC
    period: Period


def run_for(kind: Literal["day", "week"], local_day: date, tz: ZoneInfo) -> Run | None:
    """The run scheduled on `local_day` (None: weekly runs only on Mondays)."""
    if kind == "day":
        at = datetime.combine(local_day, DAILY_AT, tz).astimezone(UTC)
        return Run(at, period_of("day", local_day - timedelta(days=1)))
    if local_day.weekday() != 0:
        return None
    at = datetime.combine(local_day, WEEKLY_AT, tz).astimezone(UTC)
    return Run(at, period_of("week", local_day - timedelta(days=7)))


def latest_runs(now: datetime, tz: ZoneInfo) -> tuple[Run, Run]:
    """The latest daily and weekly runs at or before `now` (what must be in the
    archive by now; a process that was down catches up with these)."""
    today = now.astimezone(tz).date()
    found: dict[str, Run] = {}
    for offset in range(0, 9):
        day = today - timedelta(days=offset)
        for kind in ("day", "week"):
            run = run_for(kind, day, tz)
            if run is not None and run.at <= now and kind not in found:
                found[kind] = run
    return found["day"], found["week"]
