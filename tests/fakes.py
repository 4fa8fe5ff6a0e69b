"""Tiny list-backed implementations of our own sink protocols (never library mocks)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from streams.history.outcome import HistoryOutcome, Refusal
from streams.wire.contracts import Event
from streams.wire.decoding import DecodeError


class ServerDown(ConnectionError):
    pass


class ListHistory:
    """History by event_id: the first version stored wins (as in PostgreSQL); events
    whose id is in `refuse` are refused for their content, as a server would."""

    def __init__(self) -> None:
        self.rows: dict[str, Event] = {}
        self.refuse: set[str] = set()
        self.down = False
        self.writes = 0

    def write(self, events: Sequence[Event]) -> HistoryOutcome:
        if self.down:
            raise ServerDown("database is down")
        self.writes += 1
        refused = tuple(
            Refusal(e, "22021: invalid byte sequence")
            for e in events
            if str(e.event_id) in self.refuse
        )
        storable = [e for e in events if str(e.event_id) not in self.refuse]
        superseded = frozenset(
            e.event_id
            for e in storable
            if str(e.event_id) in self.rows and self.rows[str(e.event_id)].ts != e.ts
        )
        new: dict[str, Event] = {}
        for event in storable:
            if str(event.event_id) not in self.rows:
                new.setdefault(str(event.event_id), event)
        self.rows.update(new)
        return HistoryOutcome(len(new), superseded, refused)


class ListLive:
    def __init__(self) -> None:
        self.applied: dict[str, Event] = {}
        self.dead: list[DecodeError] = []
        self.down = False
        self.lost = False

    def apply(self, events: Sequence[Event]) -> int:
        if self.down:
            raise ServerDown("redis is down")
        new = [e for e in events if str(e.event_id) not in self.applied]
        self.applied.update({str(e.event_id): e for e in new})
        return len(new)

    def record_dead_letters(
        self, errors: Sequence[DecodeError], received_at: datetime
    ) -> None:
        if self.down:
            raise ServerDown("redis is down")
        self.dead += errors

    def state_lost(self) -> bool:
        if self.down:
            raise ServerDown("redis is down")
        return self.lost

    def mark_intact(self) -> None:
        self.lost = False
