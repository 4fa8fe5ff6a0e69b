"""Everything a briefing needs about one period, read from PostgreSQL (and the
dead-letter stream in Redis). The only I/O of the briefing; `report` is pure.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, TypedDict
from zoneinfo import ZoneInfo

import pandas as pd
import psycopg
import redis
from psycopg.rows import dict_row

from streams.alarms import store
from streams.alarms.codec import ALARM_COLUMNS, alarm_from_mapping
from streams.alarms.state import Alarm
from streams.briefings.periods import Period
from streams.config.site import Site
from streams.history import briefing_reads as reads
from streams.live.keys import Keys

logger = logging.getLogger(__name__)


class _Window(TypedDict):
    """The keyword arguments every `briefing_reads` query takes."""

    start: datetime
    end: datetime
    tz: str


_COLUMNS = ", ".join(ALARM_COLUMNS)
# Alarms still active at the end of the window (for the "stale" figure): judged from
# their timestamps, so a past period reads the same whenever it is generated.
_ACTIVE_AT_END_SQL = f"""SELECT {_COLUMNS} FROM alarms
    WHERE raised_at < %(end)s AND (cleared_at IS NULL OR cleared_at >= %(end)s)
      AND (closed_at IS NULL OR closed_at >= %(end)s) AND NOT is_summary
    ORDER BY raised_at, id"""
_RAISED_IN_SQL = f"""SELECT {_COLUMNS} FROM alarms
    WHERE first_seen >= %(start)s AND first_seen < %(end)s AND NOT is_summary
    ORDER BY first_seen, id"""
_ACTIONS_SQL = """SELECT alarm_id::text AS alarm_id, at, action, operator, comment,
        to_state
    FROM alarm_journal
    WHERE alarm_id = ANY(%(ids)s::uuid[]) AND operator <> 'system'
    ORDER BY seq"""


@dataclass(frozen=True, slots=True)
class DeadLetters:
    count: int
    partial: bool  # the bounded stream no longer reaches back to the period start


@dataclass(frozen=True, slots=True)
class PeriodData:
    period: Period
    energy: pd.DataFrame  # slot, device, quantity, amount
    people: pd.DataFrame  # day, subject, people, entries
    denied: dict[Any, int]
    meals: pd.DataFrame  # day, device, meal, meals, amount_yuan
    queues: pd.DataFrame  # day, device, zone, peak
    status_reports: dict[str, int]  # device -> offline reports (devices heard)
    appointments: int
    journal: list[dict[str, Any]]
    floods: list[tuple[str, datetime, datetime | None]]
    active_at_end: list[Alarm]
    raised: list[Alarm]
    actions: list[dict[str, Any]]
    dead_letters: DeadLetters | None

    @property
    def has_data(self) -> bool:
        return bool(len(self.energy) or len(self.people) or len(self.meals))


def queue_zones(site: Site) -> list[str]:
    return sorted(z.id for c in site.cameras for z in c.zones if z.kind == "queue")


def collect(
    conn: psycopg.Connection,
    site: Site,
    period: Period,
    *,
    live: redis.Redis | None = None,
    alarms: bool = True,
) -> PeriodData:
    """Read one period. `alarms=False` skips the alarm tables (comparison periods)."""
    tz = ZoneInfo(site.timezone)
    start, end = period.bounds(tz)
    window = _Window(start=start, end=end, tz=site.timezone)
    journal, floods, active, raised, actions = _alarm_rows(conn, start, end, alarms)
    return PeriodData(
        period=period,
        energy=reads.energy_slots(conn, **window),
        people=reads.people_by_day(conn, **window),
        denied=reads.denied_by_day(conn, **window),
        meals=reads.meals_by_day(conn, **window),
        queues=reads.queue_peaks(conn, **window, zones=queue_zones(site)),
        status_reports=reads.device_reports(conn, start=start, end=end),
        appointments=reads.appointments_in(conn, start=start, end=end),
        journal=journal,
        floods=floods,
        active_at_end=active,
        raised=raised,
        actions=actions,
        dead_letters=dead_letters(live, site, start, end) if alarms else None,
    )


def _alarm_rows(
    conn: psycopg.Connection, start: datetime, end: datetime, wanted: bool
) -> tuple[list[Any], list[Any], list[Alarm], list[Alarm], list[Any]]:
    if not wanted:
        return [], [], [], [], []
    journal = store.journal_between(conn, start, end)
    floods = store.floods(conn, start, end)
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(_ACTIVE_AT_END_SQL, {"end": end})
        active = [replace(alarm_from_mapping(r), active=True) for r in cur.fetchall()]
        cur.execute(_RAISED_IN_SQL, {"start": start, "end": end})
        raised = [alarm_from_mapping(r) for r in cur.fetchall()]
        cur.execute(_ACTIONS_SQL, {"ids": [a.id for a in raised]})
        actions = list(cur.fetchall())
    return journal, floods, active, raised, actions


def dead_letters(
    client: redis.Redis | None, site: Site, start: datetime, end: datetime
) -> DeadLetters | None:
    """Refused messages received in [start, end) from the bounded dead-letter stream
    (entry ids are their arrival times); None when Redis cannot be read."""
    if client is None:
        return None
    key = Keys(site.id).dead_letters
    lo, hi = int(start.timestamp() * 1000), int(end.timestamp() * 1000) - 1
    try:
        first = list(client.xrange(key, "-", "+", count=1) or [])
        count = 0
        cursor = f"{lo}-0"
        while True:
            batch = list(
                client.xrange(key, cursor, f"{hi}-18446744073709551615", count=5000)
                or []
            )
            count += len(batch)
            if len(batch) < 5000:
                break
            cursor = "(" + _entry_id(batch[-1][0])
    except redis.RedisError as exc:
        logger.warning("dead letters unavailable: %s", type(exc).__name__)
        return None
    oldest = int(_entry_id(first[0][0]).split("-")[0]) if first else None
    return DeadLetters(count, partial=oldest is not None and oldest > lo)


def _entry_id(raw: object) -> str:
    return raw.decode() if isinstance(raw, bytes) else str(raw)
