"""Alarms and journal entries to and from plain records (JSON for Redis, rows for
PostgreSQL). Pure."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, fields
from datetime import datetime
from typing import Any

from streams.alarms.state import Alarm, JournalEntry

ALARM_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Alarm))
JOURNAL_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(JournalEntry))
_TIME_FIELDS = frozenset(
    name
    for name in (*ALARM_COLUMNS, *JOURNAL_COLUMNS)
    if name.endswith(("_at", "_seen", "_until")) or name == "at"
)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def alarm_to_json(alarm: Alarm) -> str:
    record = {k: _jsonable(v) for k, v in asdict(alarm).items()}
    record["state"] = alarm.state
    return json.dumps(record, ensure_ascii=False, sort_keys=True)


def alarm_from_mapping(record: Mapping[str, Any]) -> Alarm:
    """From a JSON record or a database row (datetimes as str or datetime)."""
    values: dict[str, Any] = {}
    for name in ALARM_COLUMNS:
        value = record[name]
        if name in _TIME_FIELDS and isinstance(value, str):
            value = datetime.fromisoformat(value)
        if name in ("id", "summary_id") and value is not None:
            value = str(value)
        values[name] = value
    return Alarm(**values)


def alarm_from_json(text: str | bytes) -> Alarm:
    return alarm_from_mapping(json.loads(text))


def journal_to_json(entry: JournalEntry) -> str:
    record = {k: _jsonable(v) for k, v in asdict(entry).items()}
    return json.dumps(record, ensure_ascii=False, sort_keys=True)
