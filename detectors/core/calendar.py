"""Day types of the Chinese office calendar: workday, weekend, holiday, make-up workday.

Public holidays and the make-up workdays (调休上班) that pay for them are announced
each year by the State Council; the site passes them in as explicit date sets, so this
module needs no data of its own and never reads the clock.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Literal

DayType = Literal["workday", "weekend", "holiday", "makeup_workday"]


@dataclass(frozen=True, slots=True)
class WorkCalendar:
    """Holidays and make-up workdays; every other weekday is a workday."""

    holidays: frozenset[date] = field(default_factory=frozenset)
    makeup_workdays: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def of(
        cls, holidays: Collection[date] = (), makeup_workdays: Collection[date] = ()
    ) -> WorkCalendar:
        overlap = set(holidays) & set(makeup_workdays)
        if overlap:
            raise ValueError(
                f"dates both holiday and make-up workday: {sorted(overlap)}"
            )
        return cls(frozenset(holidays), frozenset(makeup_workdays))

    def day_type(self, day: date) -> DayType:
        if day in self.holidays:
            return "holiday"
        if day in self.makeup_workdays:
            return "makeup_workday"
        return "workday" if day.weekday() < 5 else "weekend"

    def is_workday(self, day: date) -> bool:
        return self.day_type(day) in ("workday", "makeup_workday")

    def baseline_group(self, day: date) -> str:
        """Which baseline a day is compared with: "workday" or "offday"."""
        return "workday" if self.is_workday(day) else "offday"


def minute_of_day(ts: datetime, tz: tzinfo) -> int:
    """Minutes after local midnight (0..1439)."""
    local = ts.astimezone(tz)
    return local.hour * 60 + local.minute


def within(minute: int, start: int, end: int) -> bool:
    """Whether `minute` lies in [start, end), a span that may wrap past midnight."""
    if start <= end:
        return start <= minute < end
    return minute >= start or minute < end
