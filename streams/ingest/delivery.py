"""Getting a decoded batch durable, whichever server is down (issue: survive outages).

`Delivery.deliver` writes a batch to PostgreSQL and, concurrently, to Redis, one attempt
each. What a server could not take goes to the local `Spool` (fsynced), so the batch is
durable either way and the consumer may acknowledge it. `Delivery.run_drainer` writes
the spool to the servers, oldest batch first, when they return, and rebuilds Redis from
PostgreSQL when Redis was unreachable or lost its state. PostgreSQL down: live tiles go
on. Redis down: history goes on. Both idempotent, so a batch written twice counts once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from streams.ingest.spool import Spool, SpooledBatch
from streams.wire.contracts import Event
from streams.wire.decoding import DecodeError

logger = logging.getLogger(__name__)
LIVE_CHECK_INTERVAL_S = 2.0


class HistorySink(Protocol):
    def write(self, events: Sequence[Event]) -> int: ...


class LiveSink(Protocol):
    def apply(self, events: Sequence[Event]) -> int: ...

    def record_dead_letters(
        self, errors: Sequence[DecodeError], received_at: datetime
    ) -> None: ...

    def state_lost(self) -> bool: ...

    def mark_intact(self) -> None: ...


class ServerState:
    """Up or down, with one log line per change (never one per failed call)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.up = True

    def failed(self, error: Exception) -> None:
        if self.up:
            logger.warning("%s unavailable (%s); spooling", self.name, error)
        self.up = False

    def succeeded(self) -> None:
        if not self.up:
            logger.info("%s is back", self.name)
        self.up = True


@dataclass(slots=True)
class DeliveryStats:
    written: int = 0
    duplicates: int = 0
    spooled_batches: int = 0
    drained_batches: int = 0
    live_rebuilds: int = 0


class Delivery:
    def __init__(
        self,
        *,
        history: HistorySink,
        live: LiveSink,
        history_spool: Spool,
        dead_letter_spool: Spool,
        rebuild_live: Callable[[], object],
        stop: threading.Event,
    ) -> None:
        self._history = history
        self._live = live
        self._spool = history_spool  # batches PostgreSQL has not taken yet
        self._dead_spool = dead_letter_spool  # dead letters Redis has not taken yet
        self._rebuild_live = rebuild_live
        self._stop = stop
        self._history_lock = threading.Lock()  # one connection, two threads
        self._spool_lock = threading.Lock()
        self._live_pool = ThreadPoolExecutor(1, thread_name_prefix="live-writer")
        self.history_state = ServerState("PostgreSQL")
        self.live_state = ServerState("Redis")
        self.live_dirty = False
        self.stats = DeliveryStats()

    @property
    def spooled(self) -> tuple[int, int]:
        """(batches, bytes) waiting in both spools."""
        spools = (self._spool, self._dead_spool)
        return sum(s.batches for s in spools), sum(s.bytes for s in spools)

    def deliver(
        self, events: list[Event], errors: list[DecodeError], received_at: datetime
    ) -> bool:
        """Make the batch durable: written, or spooled. False only if the spool is full
        and `stop` was set while waiting for a server (leave the batch unacked)."""
        live_done = self._live_pool.submit(self._try_live, events, errors, received_at)
        history_ok = self._try_history(events)
        live_ok = live_done.result()
        if history_ok and live_ok:
            return True
        stored = True
        with self._spool_lock:
            if not history_ok:  # events (and, if Redis failed too, their live update)
                stored = self._spool.append(
                    events, [], received_at, needs_history=True, needs_live=not live_ok
                )
            if stored and errors and not live_ok:
                stored = self._dead_spool.append(
                    [], errors, received_at, needs_history=False, needs_live=True
                )
        if stored:
            self.stats.spooled_batches += 1
            return True
        logger.warning(
            "spool full: holding the batch unacknowledged until servers return"
        )
        unwritten = [] if history_ok else events
        return self._wait_for_servers(unwritten, [] if live_ok else errors, received_at)

    def _history_backlog(self) -> bool:
        """Spooled history goes first: new batches queue behind it, in order."""
        with self._spool_lock:
            return not self._spool.is_empty()

    def _try_history(self, events: list[Event]) -> bool:
        if not events:
            return True
        if self._history_backlog():
            return False
        try:
            with self._history_lock:
                written = self._history.write(events)
        except Exception as exc:  # any server error: spool, never lose
            self.history_state.failed(exc)
            return False
        self.history_state.succeeded()
        self.stats.written += written
        self.stats.duplicates += len(events) - written
        return True

    def _try_live(
        self, events: list[Event], errors: list[DecodeError], received_at: datetime
    ) -> bool:
        try:
            if events:
                self._live.apply(events)
            if errors:
                self._live.record_dead_letters(errors, received_at)
        except Exception as exc:  # Redis down: rebuilt from history when it returns
            self.live_state.failed(exc)
            self.live_dirty = True
            return False
        self.live_state.succeeded()
        return True

    def _wait_for_servers(
        self, events: list[Event], errors: list[DecodeError], received_at: datetime
    ) -> bool:
        delay = 0.5
        while not self._stop.wait(delay):
            history_ok = self._try_history(events)
            live_ok = self._try_live([], errors, received_at)
            if history_ok and live_ok:
                return True
            events = [] if history_ok else events
            errors = [] if live_ok else errors
            delay = min(delay * 2, 10.0)
        return False

    def run_drainer(self) -> None:
        """Until stop: write spooled batches, oldest first; repair Redis when needed."""
        next_live_check = 0.0
        delay = 0.2
        while not self._stop.is_set():
            if self._drain_one():
                delay = 0.2
                continue
            now = time.monotonic()
            if now >= next_live_check:
                self._repair_live()
                next_live_check = now + LIVE_CHECK_INTERVAL_S
            busy = self.spooled[0] > 0
            self._stop.wait(delay if busy else 0.2)
            delay = min(delay * 2, 10.0) if busy else 0.2

    def _drain_one(self) -> bool:
        return self._drain_head(self._spool) or self._drain_head(self._dead_spool)

    def _drain_head(self, spool: Spool) -> bool:
        with self._spool_lock:
            batch = spool.oldest()
        if batch is None or not self._write_spooled(batch):
            return False
        with self._spool_lock:
            spool.remove(batch)
        self.stats.drained_batches += 1
        return True

    def _write_spooled(self, batch: SpooledBatch) -> bool:
        try:
            if batch.needs_history:
                with self._history_lock:
                    written = self._history.write(batch.events)
                self.stats.written += written
                self.stats.duplicates += len(batch.events) - written
            self.history_state.succeeded()
            if batch.needs_live:
                self._live.apply(batch.events)
            if batch.errors:
                self._live.record_dead_letters(batch.errors, batch.received_at)
        except Exception as exc:
            logger.debug("spooled batch %s not written yet: %s", batch.path.name, exc)
            return False
        return True

    def _repair_live(self) -> None:
        """Rebuild Redis from history after an outage or a restart that lost state."""
        try:
            lost = self._live.state_lost()  # raises while Redis is down: try later
            if not (self.live_dirty or lost):
                return
            logger.info("live state incomplete: rebuilding Redis from PostgreSQL")
            read_applied = self._rebuild_live()
            self._live.mark_intact()
        except Exception as exc:
            self.live_dirty = True
            logger.debug("live state not rebuilt yet: %s", exc)
            return
        self.live_dirty = False
        self.stats.live_rebuilds += 1
        self.live_state.succeeded()
        logger.info("live state rebuilt (events read, applied): %s", read_applied)
