"""The snapshot store of the consumer process: MQTT → PostgreSQL, with retention.

Its own paho client (persistent session, manual acknowledgement): the callback only
enqueues (`streams.wire.mqtt.Subscription`); this worker validates each JPEG (known
camera, well-formed name, JPEG signature, size), stores it, then acknowledges. While
PostgreSQL is down it retries with backoff and acknowledges nothing, so the broker
keeps the snapshots. Bad messages are logged (rate-limited), counted and dropped.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import psycopg

from streams.config.settings import Settings
from streams.config.site import Site
from streams.snapshots.names import parse_name, parse_topic, snapshot_subscription
from streams.snapshots.store import Snapshot, insert_snapshot, prune_snapshots
from streams.wire.mqtt import (
    BrokerAddress,
    ClientOptions,
    InboundMessage,
    Subscription,
    connect,
    make_client,
)

logger = logging.getLogger(__name__)
JPEG_MAGIC = b"\xff\xd8\xff"
PRUNE_EVERY = timedelta(minutes=10)


@dataclass(slots=True)
class SnapshotStats:
    stored: int = 0
    duplicates: int = 0
    refused: int = 0
    pruned: int = 0
    refused_reasons: dict[str, int] = field(default_factory=dict)


def snapshot_from_message(
    message: InboundMessage, site: Site, max_bytes: int
) -> Snapshot | str:
    """The snapshot, or why it is refused."""
    parsed = parse_topic(message.topic, site.id)
    if parsed is None:
        return "wrong topic"
    camera, name = parsed
    if camera not in site.cameras_by_id:
        return "unknown camera"
    shot = parse_name(name)
    if shot is None:
        return "bad name"
    if len(message.payload) > max_bytes:
        return "oversized"
    if not message.payload.startswith(JPEG_MAGIC):
        return "not a JPEG"
    return Snapshot(camera, name, shot.ts, shot.kind, bytes(message.payload))


class SnapshotStore:
    """Stores what arrives in `inbox` until `stop` is set."""

    def __init__(
        self,
        settings: Settings,
        site: Site,
        acknowledge: Callable[[InboundMessage], None],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._url = settings.url("database")
        self._site = site
        self._max_bytes = settings.snapshot_max_bytes
        self._keep = timedelta(days=settings.snapshot_keep_days)
        self._periodic_keep = timedelta(hours=settings.snapshot_periodic_keep_h)
        self._acknowledge = acknowledge
        self._clock = clock
        self._conn: psycopg.Connection | None = None
        self._pruned_at: datetime | None = None
        self.stats = SnapshotStats()

    def run(self, inbox: queue.Queue[InboundMessage], stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                message = inbox.get(timeout=0.5)
            except queue.Empty:
                self._prune_when_due(stop)
                continue
            self._handle(message, stop)
        if self._conn is not None:
            self._conn.close()

    def _handle(self, message: InboundMessage, stop: threading.Event) -> None:
        shot = snapshot_from_message(message, self._site, self._max_bytes)
        if isinstance(shot, str):
            self._refuse(message, shot)
        else:
            delay = 0.5
            while not self._store(shot):
                if stop.wait(delay):
                    return  # not acknowledged: the broker redelivers it
                delay = min(delay * 2, 30.0)
        if message.qos:
            self._acknowledge(message)

    def _store(self, shot: Snapshot) -> bool:
        try:
            conn = self._connection()
            if insert_snapshot(conn, shot):
                self.stats.stored += 1
            else:
                self.stats.duplicates += 1
            return True
        except psycopg.Error as exc:
            if self._conn is not None:
                logger.warning("snapshot store: PostgreSQL failed (%s); retrying", exc)
                self._conn.close()
            self._conn = None
            return False

    def _connection(self) -> psycopg.Connection:
        if self._conn is None or self._conn.closed:
            self._conn = psycopg.connect(self._url, autocommit=True, connect_timeout=5)
        return self._conn

    def _refuse(self, message: InboundMessage, reason: str) -> None:
        self.stats.refused += 1
        count = self.stats.refused_reasons[reason] = (
            self.stats.refused_reasons.get(reason, 0) + 1
        )
        if count <= 5 or count % 1000 == 0:
            logger.warning(
                "snapshot refused (%s, %d so far): %s (%d bytes)",
                reason,
                count,
                message.topic[:200],
                len(message.payload),
            )

    def _prune_when_due(self, stop: threading.Event) -> None:
        now = self._clock()
        if self._pruned_at is not None and now - self._pruned_at < PRUNE_EVERY:
            return
        self._pruned_at = now
        try:
            deleted = prune_snapshots(
                self._connection(), now, self._keep, self._periodic_keep
            )
        except psycopg.Error as exc:
            logger.warning("snapshot retention skipped: %s", exc)
            self._conn = None
            return
        self.stats.pruned += deleted
        if deleted:
            logger.info("snapshot retention: %d snapshots deleted", deleted)


@dataclass(slots=True)
class SnapshotService:
    store: SnapshotStore
    thread: threading.Thread
    subscription: Subscription
    stop_mqtt: Callable[[], None]

    def join(self, timeout: float) -> None:
        self.subscription.pause()
        self.thread.join(timeout)
        self.stop_mqtt()


def start_snapshot_store(
    settings: Settings, site: Site, stop: threading.Event
) -> SnapshotService:
    """Subscribe and store until `stop` is set (call `join` after setting it)."""
    address = BrokerAddress.parse(settings.url("mqtt"))
    options = ClientOptions(
        client_id=f"{settings.mqtt_client_id}-snapshots"[:64],
        protocol=settings.mqtt_protocol,
        session_expiry_s=settings.mqtt_session_expiry_s,
        max_inflight=100,
    )
    client = make_client(address, options)
    inbox: queue.Queue[InboundMessage] = queue.Queue(maxsize=100)
    topic = snapshot_subscription(site.id, settings.mqtt_shared_group)
    subscription = Subscription(client, topic, inbox, settings.url("mqtt"))

    def acknowledge(message: InboundMessage) -> None:
        if message.qos:
            client.ack(message.mid, message.qos)

    store = SnapshotStore(settings, site, acknowledge)
    thread = threading.Thread(
        target=store.run, args=(inbox, stop), name="snapshot-store", daemon=True
    )
    connect(client, address, options)
    client.loop_start()
    thread.start()

    def stop_mqtt() -> None:
        client.disconnect()
        client.loop_stop()

    return SnapshotService(store, thread, subscription, stop_mqtt)
