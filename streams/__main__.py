"""`python -m streams`: the MQTT consumer (decode, batch, write history and live)."""

from __future__ import annotations

import logging
import queue
import signal
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import FrameType

import paho.mqtt.client as paho
import psycopg
import redis

from streams.alarms import AlarmEngine, alarm_engine_from_settings, start_ticker
from streams.config.settings import Settings, SettingsError, load_settings, redact_url
from streams.config.site import Site, SiteFileError, load_site
from streams.detection.runner import start_detection
from streams.entry import log_to_stderr, refuse
from streams.health import start_health_server
from streams.ingest.consumer import BatchObserver, Consumer
from streams.ingest.delivery import Delivery
from streams.ingest.history_sink import PostgresHistory
from streams.ingest.metrics import consumer_metrics, readiness
from streams.ingest.spool import Spool
from streams.live.ops import LiveConfig
from streams.live.rebuild import rebuild_live, rebuild_window_start
from streams.live.state import LiveState
from streams.snapshots.subscriber import start_snapshot_store
from streams.wire.contracts import subscription_topic
from streams.wire.decoding import EdgeLimits
from streams.wire.mqtt import (
    BrokerAddress,
    ClientOptions,
    InboundMessage,
    Subscription,
    connect,
    make_client,
)

logger = logging.getLogger("streams.ingest.consumer")


def _required_urls(settings: Settings) -> None:
    for name in ("mqtt", "redis", "database"):
        if not settings.url(name):
            raise SettingsError(
                f"invalid setting: IOC_{name.upper()}_URL is empty (set it, or start "
                "everything with `python -m streams.launch`, which provides servers)"
            )


@dataclass(frozen=True, slots=True)
class Servers:
    """The consumer's connections to its three servers."""

    client: paho.Client
    subscription: Subscription
    history: PostgresHistory
    redis_client: redis.Redis
    live: LiveState


def connect_servers(
    settings: Settings, site: Site, inbox: queue.Queue[InboundMessage]
) -> Servers:
    address = BrokerAddress.parse(settings.url("mqtt"))
    options = ClientOptions(
        client_id=settings.mqtt_client_id,
        protocol=settings.mqtt_protocol,
        session_expiry_s=settings.mqtt_session_expiry_s,
        max_inflight=settings.mqtt_max_inflight,
    )
    client = make_client(address, options)
    topic = subscription_topic(site.id, settings.mqtt_shared_group)
    subscription = Subscription(client, topic, inbox, settings.url("mqtt"))
    redis_client = redis.Redis.from_url(
        settings.url("redis"), socket_timeout=5, socket_connect_timeout=3
    )
    live = LiveState(
        redis_client,
        LiveConfig(site, settings.day_reset_hour, settings.dead_letter_maxlen),
    )
    connect(client, address, options)
    logger.info("consuming %s from %s", topic, redact_url(settings.url("mqtt")))
    history = PostgresHistory(settings.url("database"))
    return Servers(client, subscription, history, redis_client, live)


def build_delivery(
    settings: Settings, site: Site, servers: Servers, stop: threading.Event
) -> Delivery:
    spool_dir = settings.run_dir.resolve() / "spool" / settings.mqtt_client_id
    limit = settings.spool_max_mb * 1024 * 1024

    def rebuild() -> tuple[int, int]:
        since = rebuild_window_start(
            datetime.now(UTC), settings.day_reset_hour, site.timezone
        )
        with psycopg.connect(settings.url("database"), connect_timeout=5) as conn:
            return rebuild_live(conn, servers.live, since)

    return Delivery(
        site_id=site.id,
        history=servers.history,
        live=servers.live,
        history_spool=Spool(spool_dir / "history", limit),
        dead_letter_spool=Spool(spool_dir / "dead-letters", limit),
        rebuild_live=rebuild,
        stop=stop,
    )


def run_consumer(
    settings: Settings,
    site: Site,
    stop: threading.Event,
    observers: Sequence[BatchObserver] = (),
    alarms: AlarmEngine | None = None,
) -> None:
    """Consume until `stop` is set; then drain, acknowledge and disconnect.

    `alarms` (built in `main`, so detectors among `observers` can call its
    `submit(signals, now)`) is ticked every IOC_ALARM_TICK_S: escalation,
    automatic unshelve, suppression by design, flood end."""
    inbox: queue.Queue[InboundMessage] = queue.Queue(maxsize=settings.queue_max)
    servers = connect_servers(settings, site, inbox)
    delivery = build_delivery(settings, site, servers, stop)
    client = servers.client
    consumer = Consumer(
        site=site,
        limits=EdgeLimits(
            max_payload_bytes=settings.max_payload_bytes,
            max_future_skew=timedelta(seconds=settings.max_future_skew_s),
            max_age=timedelta(days=settings.max_event_age_days),
        ),
        delivery=delivery,
        acknowledge=lambda m: client.ack(m.mid, m.qos) if m.qos else None,
        observers=observers,
    )
    drainer = threading.Thread(target=delivery.run_drainer, name="spool-drainer")
    drainer.start()
    health = start_health_server(
        settings.metrics_port,
        lambda: readiness(servers, delivery),
        lambda: consumer_metrics(consumer, delivery, inbox),
    )
    ticker = (
        None if alarms is None else start_ticker(alarms, stop, settings.alarm_tick_s)
    )
    client.loop_start()
    try:
        consumer.run(
            inbox, stop, settings.batch_size, settings.batch_max_wait_ms / 1000
        )
    finally:
        # Take nothing new (unacknowledged messages stay with the broker's session),
        # finish what was already received, then leave.
        servers.subscription.pause()
        consumer.drain(inbox, settings.batch_size)
        stop.set()
        drainer.join()
        client.disconnect()
        client.loop_stop()
        if health is not None:
            health.stop()
        servers.history.close()
        servers.redis_client.close()
        if alarms is not None and ticker is not None:
            ticker.join(10)
            alarms.close()
        logger.info("stopped: %s %s", consumer.stats, delivery.stats)


def main() -> int:
    try:
        settings = load_settings()
        _required_urls(settings)
        site = load_site(settings.site_file)
    except (SettingsError, SiteFileError) as exc:
        return refuse("streams", exc)
    log_to_stderr(settings.log_level)
    stop = threading.Event()

    def _request_stop(signum: int, _frame: FrameType | None) -> None:
        logger.info("signal %d: flushing and stopping", signum)
        stop.set()

    signal.signal(signal.SIGTERM, _request_stop)
    signal.signal(signal.SIGINT, _request_stop)
    alarms = alarm_engine_from_settings(settings, site)
    detection = start_detection(settings, site, alarms, stop)
    snapshots = start_snapshot_store(settings, site, stop)  # camera JPEGs (#6)
    run_consumer(settings, site, stop, observers=[detection.hub], alarms=alarms)
    snapshots.join(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
