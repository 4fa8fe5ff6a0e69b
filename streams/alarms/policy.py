"""Alarm policy, pure: suppression by design, escalation schedule, flood thresholds.

`AlarmPolicy` is built once from settings (`policy_from_settings`); every decision
takes the time as an argument.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from detectors.core.signals import Severity
from streams.config.settings import Settings
from streams.config.site import Site

DEFAULT_CONSOLE = "duty"
ESCALATION_ROLES: tuple[str, ...] = ("leader", "admin")


@dataclass(frozen=True, slots=True)
class AlarmPolicy:
    shelve_max_min: int = 480
    late_after: timedelta = timedelta(minutes=15)
    escalation_delays: Mapping[str, timedelta | None] = field(
        default_factory=lambda: {
            "critical": timedelta(minutes=5),
            "major": timedelta(minutes=15),
            "minor": timedelta(hours=1),
            "notice": None,
        }
    )
    reminder_every: timedelta = timedelta(minutes=10)
    escalation_roles: tuple[str, ...] = ESCALATION_ROLES
    latching_kinds: frozenset[str] = frozenset()
    flood_window: timedelta = timedelta(minutes=10)
    flood_start_above: int = 10  # more than this many new alarms in the window
    flood_end_below: int = 5  # flood ends when fewer than this in the window
    canteen_margin: timedelta = timedelta(minutes=30)

    def is_late(self, observed_at: datetime, now: datetime) -> bool:
        return observed_at < now - self.late_after

    def escalation_due(
        self, severity: Severity, raised_at: datetime, level: int, now: datetime
    ) -> int | None:
        """The escalation level due now (> level), or None: first at raised + delay,
        then one more every `reminder_every` until acknowledged."""
        delay = self.escalation_delays.get(severity)
        if delay is None:
            return None
        first = raised_at + delay
        if now < first:
            return None
        due = 1 + int((now - first) / self.reminder_every)
        return due if due > level else None

    def notify_role(self, level: int) -> str:
        return self.escalation_roles[min(level, len(self.escalation_roles)) - 1]

    def console_for(self, kind: str, source: str) -> str:
        """One operator console for now; the hook for splitting (security, energy)."""
        return DEFAULT_CONSOLE


def policy_from_settings(settings: Settings) -> AlarmPolicy:
    def delay(seconds: int) -> timedelta | None:
        return timedelta(seconds=seconds) if seconds > 0 else None

    kinds = {k for k in settings.alarm_latching_kinds.split(",") if k}
    return AlarmPolicy(
        shelve_max_min=settings.alarm_shelve_max_min,
        late_after=timedelta(seconds=settings.alarm_late_s),
        escalation_delays={
            "critical": delay(settings.escalation_critical_s),
            "major": delay(settings.escalation_major_s),
            "minor": delay(settings.escalation_minor_s),
            "notice": delay(settings.escalation_notice_s),
        },
        reminder_every=timedelta(seconds=settings.escalation_reminder_s),
        latching_kinds=frozenset(kinds),
    )


def _building_of(site: Site, device: str) -> str | None:
    if device in site.buildings_by_id:
        return device
    if device in site.meters_by_id:
        return site.meters_by_id[device].building
    if device in site.cameras_by_id:
        return site.cameras_by_id[device].building
    if device in site.windows:
        return site.windows[device][0].building
    canteens = {c.id: c.building for c in site.canteens}
    return canteens.get(device)


def _canteen_hours(site: Site, source: str, area: str) -> list[tuple[time, time]]:
    """Meal periods of the canteen an alarm is about ([] when not about one)."""
    for canteen in site.canteens:
        windows = {w.id for w in canteen.windows}
        if canteen.id in (source, area) or source in windows or area in windows:
            return [
                (time.fromisoformat(m.start), time.fromisoformat(m.end))
                for m in canteen.meals
            ]
    return []


def design_suppression(
    site: Site, kind: str, source: str, area: str, at: datetime, margin: timedelta
) -> str | None:
    """Why an alarm is suppressed by design at `at`, or None. Reasons:
    ``building_out_of_service:<id>``, ``non_workday``, ``canteen_closed``."""
    for device in (area, source):
        building = _building_of(site, device) if device else None
        if building in site.out_of_service_buildings:
            return f"building_out_of_service:{building}"
    local = at.astimezone(ZoneInfo(site.timezone))
    workday = site.calendar.is_workday(local.date())
    if not workday and kind in site.calendar.workday_only_kinds:
        return "non_workday"
    hours = _canteen_hours(site, source, area)
    if hours or kind.startswith("canteen_"):
        if not workday:
            return "canteen_closed"
        if hours and not _within(local, hours, margin):
            return "canteen_closed"
    return None


def _within(local: datetime, hours: list[tuple[time, time]], margin: timedelta) -> bool:
    day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    for start, end in hours:
        opens = day + timedelta(hours=start.hour, minutes=start.minute) - margin
        closes = day + timedelta(hours=end.hour, minutes=end.minute) + margin
        if opens <= local < closes:
            return True
    return False
