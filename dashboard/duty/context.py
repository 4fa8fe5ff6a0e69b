"""What every duty-console function takes: the site, the alarm engine and its Redis
mirror, the signed-in operator and role, the clock and the audit log."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from dashboard.auth.audit import AuditEntry
from dashboard.data import utc_now
from streams.alarms.engine import AlarmEngine
from streams.alarms.mirror import AlarmMirror
from streams.config.site import Site


@dataclass(frozen=True, slots=True)
class DutyContext:
    site: Site
    engine: AlarmEngine | None
    mirror: AlarmMirror
    operator: str
    role: str
    shelve_max_min: int = 480
    clock: Callable[[], datetime] = utc_now
    audit: Callable[[AuditEntry], object] | None = None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.site.timezone)
