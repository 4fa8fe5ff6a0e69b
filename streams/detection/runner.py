"""The detection runner for `python -m streams`: a hub fed by the consumer, and a
thread that ticks it every minute, refreshes the meter baselines from history every
hour, the canteen arrival profiles every day and the blacklist from Redis every tick,
and publishes congestion for screens. On start it takes over the alarm engine's open
conditions and reloads visitor appointments from history (`restart`)."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta

import psycopg
import redis
from redis.typing import EncodableT, FieldT

from detectors.canteen.congestion import CongestionState
from streams.config.settings import Settings
from streams.config.site import Site
from streams.detection.baselines import (
    BaselineCache,
    ProfileCache,
    baseline_from_history,
    profiles_from_history,
)
from streams.detection.hub import DetectionHub
from streams.detection.restart import Resumption
from streams.detection.sinks import AlarmSink
from streams.live.keys import Keys

logger = logging.getLogger(__name__)


def congestion_json(state: CongestionState) -> str:
    record = asdict(state)
    record["at"] = state.at.isoformat()
    for window in record["windows"]:
        window["at"] = record["at"]
    for key, value in list(record.items()):
        if isinstance(value, float) and value == float("inf"):
            record[key] = None  # JSON has no infinity: "no capacity at all"
    return json.dumps(record, ensure_ascii=False)


class CongestionPublisher:
    """Writes each canteen's and window's state to the congestion hash and announces
    the "congestion" group on the changed channel."""

    def __init__(self, client: redis.Redis, site_id: str) -> None:
        self._client, self._keys = client, Keys(site_id)

    def __call__(self, states: Mapping[str, CongestionState]) -> None:
        fields: dict[FieldT, EncodableT] = {}
        for cid, state in states.items():
            fields[cid] = congestion_json(state)
            for window in state.windows:
                fields[window.source] = congestion_json(window)
        pipe = self._client.pipeline(transaction=False)
        pipe.hset(self._keys.congestion, mapping=fields)
        pipe.publish(self._keys.changed_channel, "congestion")
        pipe.execute()


@dataclass
class Detection:
    hub: DetectionHub
    thread: threading.Thread


def _refresh(
    hub: DetectionHub,
    caches: tuple[BaselineCache, ProfileCache],
    settings: Settings,
    client: redis.Redis,
    now: datetime,
) -> None:
    """The blacklist every tick; meter baselines hourly; canteen profiles daily."""
    try:
        members = client.smembers(Keys(hub.site_id).blacklist)
        hub.set_blacklist(frozenset(m.decode() for m in members))  # type: ignore[union-attr]  # a bytes client
    except redis.RedisError as exc:
        logger.warning("blacklist not refreshed: %s", exc)
    cache, profiles = caches
    spec, weeks = hub.detectors.spec, settings.detection_baseline_weeks
    if cache.due(now):
        try:
            with psycopg.connect(settings.url("database"), connect_timeout=5) as conn:
                baseline = baseline_from_history(
                    conn, now=now, weeks=weeks, calendar=spec.calendar, tz=spec.tz
                )
        except (psycopg.Error, ValueError) as exc:
            logger.warning("baselines not refreshed: %s", exc)
            cache.built_at = now - cache.refresh + timedelta(minutes=5)  # retry soon
        else:
            cache.store(baseline, now)
            hub.set_baseline(baseline)
    if profiles.due(now, spec.tz):
        refresh_profiles(hub, profiles, settings, now)


def refresh_profiles(
    hub: DetectionHub, cache: ProfileCache, settings: Settings, now: datetime
) -> None:
    """Canteen profiles of the weeks before today from PostgreSQL onto the hub (a
    failure keeps the old ones and retries in 5 minutes)."""
    spec, weeks = hub.detectors.spec, settings.detection_baseline_weeks
    try:
        with psycopg.connect(settings.url("database"), connect_timeout=5) as conn:
            learnt = profiles_from_history(conn, now=now, weeks=weeks, spec=spec)
    except (psycopg.Error, ValueError) as exc:
        logger.warning("canteen profiles not refreshed: %s", exc)
        cache.failed(now)
        return
    cache.store(learnt, now, spec.tz)
    hub.set_profiles(learnt)


def start_detection(
    settings: Settings, site: Site, sink: AlarmSink, stop: threading.Event
) -> Detection:
    """A hub (pass it to the consumer as an observer) and its ticking thread."""
    client = redis.Redis.from_url(
        settings.url("redis"), socket_timeout=5, socket_connect_timeout=3
    )
    hub = DetectionHub(
        site,
        sink,
        fresh=timedelta(seconds=settings.detection_fresh_s),
        publish_congestion=CongestionPublisher(client, site.id),
    )
    caches = (BaselineCache(), ProfileCache())
    resumed = Resumption(hub, sink, settings)
    resumed.attempt(datetime.now(UTC))  # before the consumer feeds the hub

    def run() -> None:
        while True:
            now = datetime.now(UTC)
            try:
                resumed.attempt(now)
                _refresh(hub, caches, settings, client, now)
                hub.tick(now)
            except Exception:  # one bad tick must not end detection for good
                logger.exception("detection tick failed")
            if stop.wait(settings.detection_tick_s):
                break
        client.close()

    thread = threading.Thread(target=run, name="detection-ticker", daemon=True)
    thread.start()
    return Detection(hub, thread)
