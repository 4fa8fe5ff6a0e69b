"""When a wall tile's data counts as stale: per feed, scaled by a setting, and for
canteens only during meal periods (outside them a silent canteen is expected)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from dashboard.data import LiveSnapshot
from layouts.wall.tiles import Freshness
from streams.config.site import Site

# A feed is stale when silent this long (seconds), before `wall_stale_factor`.
STALE_AFTER_S: dict[str, float] = {
    "gate": 900.0,
    "canteen": 600.0,
    "energy": 300.0,
    "camera": 300.0,
    "any": 300.0,  # any device at all: device health, event rate
    "alarm": 120.0,  # the alarm engine's heartbeat (one per IOC_ALARM_TICK_S ≤ 60 s)
}
MEAL_MARGIN = timedelta(minutes=15)


def in_meal_period(site: Site, local: datetime) -> bool:
    """Whether any canteen serves (± 15 minutes) at this local time."""
    day = local.date()
    for canteen in site.canteens:
        for meal in canteen.meals:
            start = datetime.combine(day, time.fromisoformat(meal.start), local.tzinfo)
            end = datetime.combine(day, time.fromisoformat(meal.end), local.tzinfo)
            if start - MEAL_MARGIN <= local <= end + MEAL_MARGIN:
                return True
    return False


class Staleness:
    def __init__(self, site: Site, factor: float = 1.0) -> None:
        self._site = site
        self._tz = ZoneInfo(site.timezone)
        self._factor = factor

    def limit_s(self, group: str) -> float:
        return STALE_AFTER_S[group] * self._factor

    def of(self, snapshot: LiveSnapshot, group: str) -> Freshness:
        last = snapshot.last_data.get(group)
        last_time = None if last is None else self.stamp(last, snapshot.at)
        quiet = None
        if group == "canteen" and not in_meal_period(
            self._site, snapshot.at.astimezone(self._tz)
        ):
            quiet = "out_of_meal"
        return Freshness(snapshot.age_s(group), self.limit_s(group), last_time, quiet)

    def of_moment(
        self, moment: datetime | None, now: datetime, group: str
    ) -> Freshness:
        """Freshness of a source stamped with its own last-alive moment."""
        if moment is None:
            return Freshness(None, self.limit_s(group))
        age = max(0.0, (now - moment).total_seconds())
        return Freshness(age, self.limit_s(group), self.stamp(moment, now))

    def stamp(self, moment: datetime, now: datetime) -> str:
        """HH:MM, with the date when it is not today's (a feed silent since
        yesterday must not read as if it stopped this afternoon)."""
        local, today = moment.astimezone(self._tz), now.astimezone(self._tz)
        return local.strftime(
            "%H:%M" if local.date() == today.date() else "%m-%d %H:%M"
        )
