"""What history made of a batch: rows stored, re-stamped duplicates, refused rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from streams.wire.contracts import Event


@dataclass(frozen=True, slots=True)
class Refusal:
    event: Event
    reason: str  # the server's reason, e.g. "22021: invalid byte sequence …"


@dataclass(frozen=True, slots=True)
class HistoryOutcome:
    """`new` rows stored; `superseded`: event ids history already holds with another
    `ts` (the first durable version wins); `refused`: rows the server would not take."""

    new: int = 0
    superseded: frozenset[UUID] = frozenset()
    refused: tuple[Refusal, ...] = ()

    def __add__(self, other: HistoryOutcome) -> HistoryOutcome:
        return HistoryOutcome(
            self.new + other.new,
            self.superseded | other.superseded,
            self.refused + other.refused,
        )

    def kept(self, events: Sequence[Event]) -> list[Event]:
        """The events history holds as sent: new ones and replays of the stored
        version (what live state may count), in their order."""
        dropped = self.superseded | {r.event.event_id for r in self.refused}
        if not dropped:
            return list(events)
        return [event for event in events if event.event_id not in dropped]
