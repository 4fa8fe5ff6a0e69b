"""Tiny list-backed implementations of our own sink protocols (never library mocks)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from streams.wire.contracts import Event
from streams.wire.decoding import DecodeError


class ServerDown(ConnectionError):
    pass


class ListHistory:
    def __init__(self) -> None:
        self.rows: dict[str, Event] = {}
        self.down = False
        self.writes = 0

    def write(self, events: Sequence[Event]) -> int:
        if self.down:
            raise ServerDown("database is down")
        self.writes += 1
        new = [e for e in events if str(e.event_id) not in self.rows]
        self.rows.update({str(e.event_id): e for e in new})
        return len(new)


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
