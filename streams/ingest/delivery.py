"""Getting a decoded batch durable, whichever server is down (issue: survive outages).

`Delivery.deliver` writes a batch to PostgreSQL, then applies to Redis what history
kept: new events and replays of the stored version, not rows PostgreSQL refused for
their content (dead-lettered with its reason) nor re-stamped duplicates of an event it
already holds (so Redis counts follow history). What a server could not take goes to
the local `Spool` (fsynced), so the batch is durable either way and the consumer may
acknowledge it; only a server that is really unavailable spools, never a refused row.
`Delivery.run_drainer` writes the spool to the servers, oldest batch first, when they
return, and rebuilds Redis from PostgreSQL when Redis was unreachable or lost its
state. PostgreSQL down: live tiles go on (Redis takes the batch as it is, guarded by
its replay sets). Redis down: history goes on. Both idempotent, so a batch written
twice counts once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from streams.history.outcome import HistoryOutcome
from streams.ingest.refusals import dead_letter
from streams.ingest.spool import Spool, SpooledBatch
from streams.wire.contracts import Event
from streams.wire.decoding import DecodeError

logger = logging.getLogger(__name__)
LIVE_CHECK_INTERVAL_S = 2.0


class HistorySink(Protocol):
    def write(self, events: Sequence[Event]) -> HistoryOutcome:
        """Raises only when the server cannot take the batch at all (spool it)."""
        ...


class LiveSink(Protocol):
    def apply(self, events: Sequence[Event]) -> int: ...

    def record_dead_letters(
        self, errors: Sequence[DecodeError], received_at: datetime
    ) -> None: ...

    def state_lost(self) -> bool: ...

    def mark_intact(self) -> None: ...


class ServerState:
    """Up or down, with one log line per change (never one per failed call)."""

    def __init__(self, name: str, up: bool = True) -> None:
        self.name = name
        self.up = up

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
    refused: int = 0  # rows PostgreSQL refused for their content: dead letters
    spooled_batches: int = 0
    drained_batches: int = 0
    live_rebuilds: int = 0

    def count(self, outcome: HistoryOutcome, events: int) -> None:
        self.written += outcome.new
        self.refused += len(outcome.refused)
        self.duplicates += events - outcome.new - len(outcome.refused)


@dataclass(frozen=True, slots=True)
class Delivered:
    """A durable batch: `events` for the observers (what history kept, or the whole
    batch while history is spooled)."""

    events: list[Event]


class Delivery:
    def __init__(
        self,
        *,
        site_id: str,
        history: HistorySink,
        live: LiveSink,
        history_spool: Spool,
        dead_letter_spool: Spool,
        rebuild_live: Callable[[], object],
        stop: threading.Event,
    ) -> None:
        self._site_id = site_id
        self._history = history
        self._live = live
        self._spool = history_spool  # batches PostgreSQL has not taken yet
        self._dead_spool = dead_letter_spool  # dead letters Redis has not taken yet
        self._rebuild_live = rebuild_live
        self._stop = stop
        self._history_lock = threading.Lock()  # one connection, two threads
        self._spool_lock = threading.Lock()
        # A spooled backlog at start: history is not being written until it drains.
        self.history_state = ServerState("PostgreSQL", up=history_spool.is_empty())
        if not self.history_state.up:
            logger.warning(
                "%d spooled batches from before: not ready until PostgreSQL takes them",
                history_spool.batches,
            )
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
    ) -> Delivered | None:
        """Make the batch durable: written, or spooled. None only if the spool is full
        and `stop` was set while waiting for a server (leave the batch unacked)."""
        outcome = self._try_history(events)
        history_ok = outcome is not None
        kept = events if outcome is None else outcome.kept(events)
        errors = errors if outcome is None else [*errors, *self._letters(outcome)]
        live_ok = self._try_live(kept, errors, received_at)
        if history_ok and live_ok:
            return Delivered(kept)
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
            return Delivered(kept)
        logger.warning(
            "spool full: holding the batch unacknowledged until servers return"
        )
        unwritten = [] if history_ok else events
        waited = self._wait_for_servers(
            unwritten, [] if live_ok else errors, received_at
        )
        return Delivered(kept) if waited else None

    def _letters(self, outcome: HistoryOutcome) -> list[DecodeError]:
        """Dead letters for the rows PostgreSQL refused, with its reason."""
        letters = [dead_letter(r, self._site_id) for r in outcome.refused]
        for n, letter in enumerate(letters, start=self.stats.refused - len(letters)):
            if n < 20 or n % 1000 == 0:  # no log flood from a broken producer
                logger.warning("PostgreSQL refused %s: %s", letter.topic, letter.reason)
        return letters

    def _history_backlog(self) -> bool:
        """Spooled history goes first: new batches queue behind it, in order."""
        with self._spool_lock:
            return not self._spool.is_empty()

    def _try_history(self, events: list[Event]) -> HistoryOutcome | None:
        """What history made of the batch; None when it must be spooled."""
        if not events:
            return HistoryOutcome()
        if self._history_backlog():
            return None
        try:
            with self._history_lock:
                outcome = self._history.write(events)
        except Exception as exc:  # server unavailable: spool, never lose
            self.history_state.failed(exc)
            return None
        self.history_state.succeeded()
        self.stats.count(outcome, len(events))
        return outcome

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
        """Retry what the full spool could not hold (Redis was given the events
        already, or is rebuilt from history)."""
        delay = 0.5
        while not self._stop.wait(delay):
            outcome = self._try_history(events) if events else None
            if outcome is not None:
                errors = [*errors, *self._letters(outcome)]
                events = []
            if not events and self._try_live([], errors, received_at):
                return True
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
        kept, letters = batch.events, list(batch.errors)
        if batch.needs_history:
            try:
                with self._history_lock:
                    outcome = self._history.write(batch.events)
            except Exception as exc:  # still unavailable: /readyz says so
                self.history_state.failed(exc)
                logger.debug("spooled batch %s not written: %s", batch.path.name, exc)
                return False
            self.history_state.succeeded()
            self.stats.count(outcome, len(batch.events))
            kept, letters = outcome.kept(kept), [*letters, *self._letters(outcome)]
        try:
            if batch.needs_live:
                self._live.apply(kept)
            if letters:
                self._live.record_dead_letters(letters, batch.received_at)
        except Exception as exc:  # history is written again next time (idempotent)
            logger.debug("spooled batch %s not applied: %s", batch.path.name, exc)
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
