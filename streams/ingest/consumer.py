"""The consumer worker: batch → decode → deliver (history, live or spool) → acknowledge.

A message is acknowledged to the broker only once its batch is durable: written to
PostgreSQL and Redis, or stored in the local spool for a server that is down, and
refused messages recorded as dead letters. A crash before that means the broker
redelivers; history writes (ON CONFLICT DO NOTHING) and live updates (replay-guard sets)
are idempotent, so redelivery neither loses nor duplicates.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from streams.config.site import Site
from streams.ingest.batcher import next_batch
from streams.ingest.delivery import Delivery
from streams.wire.contracts import Event
from streams.wire.decoding import DecodeError, EdgeLimits, decode_message
from streams.wire.mqtt import InboundMessage

logger = logging.getLogger(__name__)


class BatchObserver(Protocol):
    """Sees every batch of new events once it is durable (detectors, alarm engine)."""

    name: str

    def observe(self, events: Sequence[Event]) -> None: ...


@dataclass(slots=True)
class ConsumerStats:
    received: int = 0
    dead_lettered: int = 0
    batches: int = 0
    last_batch_seconds: float = 0.0
    newest_event_ts: float = 0.0
    dead_letter_reasons: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Decoded:
    events: list[Event]
    errors: list[DecodeError]


def decode_batch(
    batch: Sequence[InboundMessage], site: Site, limits: EdgeLimits
) -> Decoded:
    """Decode every message; events are de-duplicated by event_id within the batch."""
    events: dict[str, Event] = {}
    errors: list[DecodeError] = []
    for message in batch:
        result = decode_message(
            message.topic, message.payload, site, message.received_at, limits
        )
        if isinstance(result, DecodeError):
            errors.append(result)
        else:
            events.setdefault(str(result.event_id), result)
    return Decoded(events=list(events.values()), errors=errors)


class Consumer:
    def __init__(
        self,
        *,
        site: Site,
        limits: EdgeLimits,
        delivery: Delivery,
        acknowledge: Callable[[InboundMessage], object],
        observers: Sequence[BatchObserver] = (),
    ) -> None:
        self._site = site
        self._limits = limits
        self._delivery = delivery
        self._acknowledge = acknowledge
        self._observers = tuple(observers)
        self.stats = ConsumerStats()

    def process(self, batch: Sequence[InboundMessage]) -> bool:
        """Make one batch durable, then acknowledge it. False if stopped before that."""
        started = time.perf_counter()
        decoded = decode_batch(batch, self._site, self._limits)
        self._log_dead_letters(decoded.errors)
        delivered = self._delivery.deliver(
            decoded.events, decoded.errors, datetime.now(UTC)
        )
        if delivered is None:
            return False
        for message in batch:
            self._acknowledge(message)
        self._count(batch, decoded, time.perf_counter() - started)
        self._notify(delivered.events)  # not rows refused, nor re-stamped duplicates
        return True

    def _notify(self, events: Sequence[Event]) -> None:
        """Hand durable events to each observer; one failing never stops the others."""
        if not events:
            return
        for observer in self._observers:
            try:
                observer.observe(events)
            except Exception:
                logger.exception("observer %s failed on a batch", observer.name)

    def _log_dead_letters(self, errors: list[DecodeError]) -> None:
        """The first 20, then one in a thousand: no log flood from a broken device."""
        for n, error in enumerate(errors, start=self.stats.dead_lettered):
            if n < 20 or n % 1000 == 0:
                logger.warning(
                    "dead-lettered %s: %s (payload %r)",
                    error.topic,
                    error.reason,
                    error.raw[:80],
                )

    def _count(
        self, batch: Sequence[InboundMessage], decoded: Decoded, took: float
    ) -> None:
        self.stats.received += len(batch)
        self.stats.dead_lettered += len(decoded.errors)
        self.stats.batches += 1
        self.stats.last_batch_seconds = took
        if decoded.events:
            newest = max(event.ts.timestamp() for event in decoded.events)
            self.stats.newest_event_ts = max(self.stats.newest_event_ts, newest)
        for error in decoded.errors:
            reason = error.reason.split(":", 1)[0]
            self.stats.dead_letter_reasons[reason] = (
                self.stats.dead_letter_reasons.get(reason, 0) + 1
            )

    def run(
        self,
        inbox: queue.Queue[InboundMessage],
        stop: threading.Event,
        batch_size: int,
        max_wait_s: float,
    ) -> None:
        """Process batches until `stop` is set."""
        while not stop.is_set():
            batch = next_batch(inbox, batch_size, max_wait_s, idle_wait_s=0.2)
            if batch and not self.process(batch):
                return

    def drain(self, inbox: queue.Queue[InboundMessage], batch_size: int) -> None:
        """Process what is already queued (nothing new arrives: subscription paused)."""
        while batch := next_batch(inbox, batch_size, 0.0, idle_wait_s=0.05):
            if not self.process(batch):
                return
