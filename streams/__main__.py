"""`python -m streams`: the MQTT consumer (decode, batch, write history and live)."""

from __future__ import annotations

import logging
import queue
import signal
import sys
import threading
from datetime import timedelta
from types import FrameType

import redis

from streams.consumer import Consumer
from streams.contracts import subscription_topic
from streams.decoding import EdgeLimits
from streams.live import LiveState
from streams.live_ops import LiveConfig
from streams.mqtt import (
    BrokerAddress,
    ClientOptions,
    InboundMessage,
    Subscription,
    connect,
    make_client,
)
from streams.settings import Settings, SettingsError, load_settings, redact_url
from streams.sinks import PostgresHistory
from streams.site import Site, SiteFileError, load_site

logger = logging.getLogger("streams.consumer")


def _required_urls(settings: Settings) -> None:
    for name in ("mqtt", "redis", "database"):
        if not settings.url(name):  # type: ignore[arg-type]
            raise SettingsError(
                f"invalid setting: IOC_{name.upper()}_URL is empty (set it, or start "
                "everything with `python -m streams.launcher`, which provides servers)"
            )


def run_consumer(settings: Settings, site: Site, stop: threading.Event) -> None:
    """Consume until `stop` is set; then drain, acknowledge and disconnect."""
    inbox: queue.Queue[InboundMessage] = queue.Queue(maxsize=settings.queue_max)
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
    history = PostgresHistory(settings.url("database"))
    redis_client = redis.Redis.from_url(settings.url("redis"), socket_timeout=10)
    live = LiveState(
        redis_client,
        LiveConfig(site, settings.day_reset_hour, settings.dead_letter_maxlen),
    )
    consumer = Consumer(
        site=site,
        limits=EdgeLimits(
            settings.max_payload_bytes, timedelta(seconds=settings.max_future_skew_s)
        ),
        history=history,
        live=live,
        acknowledge=lambda m: client.ack(m.mid, m.qos) if m.qos else None,
        stop=stop,
    )
    connect(client, address, options)
    client.loop_start()
    logger.info("consuming %s from %s", topic, redact_url(settings.url("mqtt")))
    try:
        consumer.run(
            inbox, stop, settings.batch_size, settings.batch_max_wait_ms / 1000
        )
    finally:
        # Take nothing new (unacknowledged messages stay with the broker's session),
        # finish what was already received, then leave.
        subscription.pause()
        consumer.drain(inbox, settings.batch_size)
        client.disconnect()
        client.loop_stop()
        history.close()
        redis_client.close()
        logger.info("stopped: %s", consumer.stats)


def main() -> int:
    try:
        settings = load_settings()
        _required_urls(settings)
        site = load_site(settings.site_file)
    except (SettingsError, SiteFileError) as exc:
        print(f"streams: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    stop = threading.Event()

    def _request_stop(signum: int, _frame: FrameType | None) -> None:
        logger.info("signal %d: flushing and stopping", signum)
        stop.set()

    signal.signal(signal.SIGTERM, _request_stop)
    signal.signal(signal.SIGINT, _request_stop)
    run_consumer(settings, site, stop)
    return 0


if __name__ == "__main__":
    sys.exit(main())
