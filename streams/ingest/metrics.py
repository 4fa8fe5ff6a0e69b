"""What the consumer reports on /readyz and /metrics."""

from __future__ import annotations

import queue
import time
from typing import Protocol

from streams.health import Sample
from streams.ingest.consumer import Consumer
from streams.ingest.delivery import Delivery
from streams.wire.mqtt import InboundMessage


class _Connected(Protocol):
    connected: bool


class _Servers(Protocol):
    @property
    def subscription(self) -> _Connected: ...


def readiness(servers: _Servers, delivery: Delivery) -> dict[str, bool]:
    """Ready = subscribed, and both servers took the last write (the spool covers gaps,
    but an operator should know). PostgreSQL is not ready while history is not being
    written: down, or a spooled backlog not drained yet (also right after a start)."""
    return {
        "mqtt": servers.subscription.connected,
        "postgresql": delivery.history_state.up,
        "redis": delivery.live_state.up and not delivery.live_dirty,
    }


def consumer_metrics(
    consumer: Consumer, delivery: Delivery, inbox: queue.Queue[InboundMessage]
) -> list[Sample]:
    stats, sent = consumer.stats, delivery.stats
    spooled_batches, spooled_bytes = delivery.spooled
    lag = time.time() - stats.newest_event_ts if stats.newest_event_ts else 0.0
    counters = [
        ("ioc_consumer_messages_total", "MQTT messages taken", stats.received),
        ("ioc_consumer_events_written_total", "New history rows", sent.written),
        ("ioc_consumer_duplicates_total", "Redelivered events", sent.duplicates),
        (
            "ioc_consumer_dead_letters_total",
            "Refused messages (at the edge, or by PostgreSQL for their content)",
            stats.dead_lettered + sent.refused,
        ),
        ("ioc_consumer_batches_total", "Batches made durable", stats.batches),
        ("ioc_consumer_spooled_total", "Batches spooled", sent.spooled_batches),
        ("ioc_consumer_live_rebuilds_total", "Redis rebuilds", sent.live_rebuilds),
    ]
    gauges = [
        ("ioc_consumer_inbox_depth", "Messages waiting", inbox.qsize()),
        ("ioc_consumer_spool_batches", "Batches in the spool", spooled_batches),
        ("ioc_consumer_spool_bytes", "Bytes in the spool", spooled_bytes),
        ("ioc_consumer_batch_seconds", "Last batch latency", stats.last_batch_seconds),
        ("ioc_consumer_event_lag_seconds", "Now minus newest event time", lag),
    ]
    samples = [Sample(n, h, "counter", float(v)) for n, h, v in counters]
    samples += [Sample(n, h, "gauge", float(v)) for n, h, v in gauges]
    for server, up in (
        ("postgresql", delivery.history_state.up),
        ("redis", delivery.live_state.up),
    ):
        samples.append(
            Sample(
                "ioc_consumer_server_up",
                "Server took the last write",
                "gauge",
                float(up),
                {"server": server},
            )
        )
    return samples
