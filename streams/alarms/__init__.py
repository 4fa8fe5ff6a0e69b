"""The alarm engine (ISA-18.2 lifecycle, DESIGN.md §5): pure model
(`model`, `actions`, `policy`, `metrics`), PostgreSQL store, Redis mirror,
notifications. `build_alarm_engine` wires one up for a process.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime

import psycopg
import redis

from streams.alarms.engine import AlarmEngine
from streams.alarms.mirror import AlarmMirror
from streams.alarms.notify import Notifier, Robot
from streams.alarms.policy import policy_from_settings
from streams.config.settings import Settings
from streams.config.site import Site

__all__ = [
    "AlarmEngine",
    "alarm_engine_from_settings",
    "build_alarm_engine",
    "build_notifier",
    "start_ticker",
]
logger = logging.getLogger(__name__)


def _severities(raw: str) -> frozenset[str]:
    return frozenset(s for s in raw.split(",") if s)


def build_notifier(settings: Settings) -> Notifier | None:
    """The robots configured in settings (None when there is none)."""
    robots = []
    dingtalk = settings.dingtalk_webhook.get_secret_value()
    if dingtalk:
        robots.append(
            Robot(
                "dingtalk",
                dingtalk,
                _severities(settings.notify_dingtalk_severities),
                settings.dingtalk_secret.get_secret_value(),
            )
        )
    wecom = settings.wecom_webhook.get_secret_value()
    if wecom:
        robots.append(
            Robot("wecom", wecom, _severities(settings.notify_wecom_severities))
        )
    if not robots:
        return None
    return Notifier(
        robots,
        rate_per_min=settings.notify_rate_per_min,
        retries=settings.notify_retries,
        backoff_s=settings.notify_backoff_s,
        timeout_s=settings.notify_timeout_s,
    )


def build_alarm_engine(
    settings: Settings,
    site: Site,
    pg_url: str,
    redis_client: redis.Redis | None,
    *,
    notify: bool = True,
) -> AlarmEngine:
    """An engine on its own PostgreSQL connection (opened, and migrated, on first
    use). The consumer builds one with notifications; the dashboard without."""

    def connect() -> psycopg.Connection:
        return psycopg.connect(pg_url, autocommit=True, connect_timeout=5)

    return AlarmEngine(
        site,
        policy_from_settings(settings),
        connect,
        mirror=None if redis_client is None else AlarmMirror(redis_client, site.id),
        notifier=build_notifier(settings) if notify else None,
    )


def start_ticker(
    engine: AlarmEngine, stop: threading.Event, period_s: float
) -> threading.Thread:
    """A thread calling `engine.tick(now)` every `period_s` until `stop` is set."""

    def run() -> None:
        while not stop.wait(period_s):
            try:
                engine.tick(datetime.now(UTC))
            except Exception:  # one bad tick must not end escalation for good
                logger.exception("alarm tick failed")

    thread = threading.Thread(target=run, name="alarm-ticker", daemon=True)
    thread.start()
    return thread


def alarm_engine_from_settings(settings: Settings, site: Site) -> AlarmEngine:
    """For `python -m streams`: the engine with its own Redis client (mirror) and the
    configured robots."""
    client = redis.Redis.from_url(
        settings.url("redis"), socket_timeout=5, socket_connect_timeout=3
    )
    return build_alarm_engine(settings, site, settings.url("database"), client)
