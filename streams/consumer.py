"""The consumer's worker: batch → decode → history → live → dead letters → acknowledge.

A message is acknowledged to the broker only after its batch is durable in PostgreSQL
and applied to Redis (or, when refused, recorded in the dead-letter stream). A crash
anywhere before that means the broker redelivers; history writes (ON CONFLICT DO
NOTHING) and live updates (replay-guard sets) are idempotent, so redelivery neither
loses nor duplicates.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol, TypeVar

from streams.batcher import next_batch
from streams.contracts import Event
from streams.decoding import DecodeError, EdgeLimits, decode_message
from streams.mqtt import InboundMessage
from streams.site import Site

logger = logging.getLogger(__name__)
T = TypeVar("T")


class HistorySink(Protocol):
    def write(self, events: Sequence[Event]) -> int: ...


class BatchObserver(Protocol):
    """Sees every batch of new events once it is durable (detectors, alarm engine)."""

    name: str

    def observe(self, events: Sequence[Event]) -> None: ...


class LiveSink(Protocol):
    def apply(self, events: Sequence[Event]) -> int: ...

    def record_dead_letters(
        self, errors: Sequence[DecodeError], received_at: datetime
    ) -> None: ...


@dataclass(slots=True)
class ConsumerStats:
    received: int = 0
    written: int = 0
    duplicates: int = 0
    dead_lettered: int = 0
    batches: int = 0
    last_batch_seconds: float = 0.0
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


class Retrier:
    """Calls an operation until it succeeds or stop is set; one log line per outage."""

    def __init__(self, stop: threading.Event, max_delay_s: float = 10.0) -> None:
        self._stop = stop
        self._max_delay_s = max_delay_s

    def call(self, what: str, operation: Callable[[], T]) -> T | None:
        delay = 0.2
        failing = False
        while True:
            try:
                result = operation()
            except Exception as exc:  # any server error: keep the batch, retry
                if not failing:
                    logger.warning("%s failed (%s); retrying with backoff", what, exc)
                    failing = True
                if self._stop.wait(delay):
                    logger.warning(
                        "%s still failing at shutdown; batch left unacked", what
                    )
                    return None
                delay = min(delay * 2, self._max_delay_s)
                continue
            if failing:
                logger.info("%s recovered", what)
            return result


class Consumer:
    def __init__(
        self,
        *,
        site: Site,
        limits: EdgeLimits,
        history: HistorySink,
        live: LiveSink,
        acknowledge: Callable[[InboundMessage], None],
        stop: threading.Event,
        observers: Sequence[BatchObserver] = (),
    ) -> None:
        self._site = site
        self._limits = limits
        self._history = history
        self._live = live
        self._acknowledge = acknowledge
        self._retrier = Retrier(stop)
        self._live_pool = ThreadPoolExecutor(1, thread_name_prefix="live-writer")
        self._observers = tuple(observers)
        self.stats = ConsumerStats()

    def process(self, batch: Sequence[InboundMessage]) -> bool:
        """Make one batch durable, then acknowledge it. False if stopped before that."""
        started = time.perf_counter()
        decoded = decode_batch(batch, self._site, self._limits)
        if decoded.events:
            # PostgreSQL and Redis are written concurrently: both are idempotent, and
            # the batch is acknowledged only when both have succeeded.
            live_done = self._live_pool.submit(
                self._retrier.call,
                "Redis live update",
                lambda: self._live.apply(decoded.events),
            )
            written = self._retrier.call(
                "PostgreSQL write", lambda: self._history.write(decoded.events)
            )
            applied = live_done.result()
            if written is None or applied is None:
                return False
            self.stats.written += written
            self.stats.duplicates += len(decoded.events) - written
        if decoded.errors and not self._dead_letter(decoded.errors):
            return False
        for message in batch:
            self._acknowledge(message)
        self._count(batch, decoded, time.perf_counter() - started)
        self._notify(decoded.events)
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

    def _dead_letter(self, errors: list[DecodeError]) -> bool:
        received_at = datetime.now(UTC)
        for error in errors:
            if self.stats.dead_lettered < 20 or self.stats.dead_lettered % 1000 == 0:
                logger.warning(
                    "dead-lettered %s: %s (payload %r)",
                    error.topic,
                    error.reason,
                    error.raw[:80],
                )
        done = self._retrier.call(
            "dead-letter write",
            lambda: self._live.record_dead_letters(errors, received_at) or True,
        )
        return done is not None

    def _count(
        self, batch: Sequence[InboundMessage], decoded: Decoded, took: float
    ) -> None:
        self.stats.received += len(batch)
        self.stats.dead_lettered += len(decoded.errors)
        self.stats.batches += 1
        self.stats.last_batch_seconds = took
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
