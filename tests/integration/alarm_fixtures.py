"""Shared helpers for the alarm integration tests: an engine on the test's fresh
database and Redis keys, and signal builders."""

from __future__ import annotations

from datetime import UTC, datetime

import redis

from detectors.core.signals import AlarmSignal
from streams.alarms import build_alarm_engine
from streams.alarms.engine import AlarmEngine
from streams.alarms.mirror import AlarmMirror
from streams.config.settings import load_settings
from streams.config.site import Site

T0 = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)  # Tuesday 10:00 in Shanghai


def make_engine(
    site: Site, pg_url: str, redis_url: str, **settings: str
) -> tuple[AlarmEngine, AlarmMirror]:
    client = redis.Redis.from_url(redis_url)
    engine = build_alarm_engine(
        load_settings({f"IOC_{k.upper()}": v for k, v in settings.items()}),
        site,
        pg_url,
        client,
    )
    return engine, AlarmMirror(client, site.id)


def signal(
    kind: str = "water_leak",
    source: str = "m-b1-kw",
    *,
    at: datetime = T0,
    state: str = "active",
    severity: str = "critical",
    area: str = "b1",
) -> AlarmSignal:
    return AlarmSignal(
        kind=kind,
        source=source,
        severity=severity,  # type: ignore[arg-type]
        state=state,  # type: ignore[arg-type]
        observed_at=at,
        message=f"{source} {kind}",
        area=area,
        evidence={"stream": "energy", "device": source},
    )
