"""One engine transaction's work: alarms written at once, mirrored and notified
after."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import psycopg

from streams.alarms import store
from streams.alarms.actions import SYSTEM, Action, Actor, InvalidTransition
from streams.alarms.model import transition
from streams.alarms.notify import Notice
from streams.alarms.state import Alarm, JournalEntry


@dataclass(slots=True)
class Work:
    """What one transaction changed: written at once, mirrored and notified after."""

    conn: psycopg.Connection
    open_by_key: dict[tuple[str, str], Alarm]
    alarms: dict[str, Alarm] = field(default_factory=dict)
    entries: list[JournalEntry] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)

    def put(self, alarm: Alarm, entry: JournalEntry | None) -> Alarm:
        store.save_alarms(self.conn, [alarm])
        if entry is not None:
            store.append_journal(self.conn, [entry])
            self.entries.append(entry)
        self.alarms[alarm.id] = alarm
        key = (alarm.kind, alarm.source)
        if alarm.is_open:
            self.open_by_key[key] = alarm
        else:
            self.open_by_key.pop(key, None)
        return alarm

    def step(
        self, alarm: Alarm, action: Action, now: datetime, actor: Actor = SYSTEM
    ) -> Alarm:
        """Apply a system action; one that does not apply changes nothing."""
        try:
            new, entry = transition(alarm, action, now, actor)
        except InvalidTransition:
            return alarm
        return self.put(new, entry)
