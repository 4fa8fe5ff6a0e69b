"""One raw table per stream: its name and typed columns, in the writer's insert order.

The columns are the contract fields (without ``stream``); the database adds
``received_at``. `event_from_row` turns a row back into the contract model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from streams.wire.contracts import EVENT_MODELS, Event, Stream


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    pg_type: str  # the element type used to cast the unnest() array


@dataclass(frozen=True, slots=True)
class StreamTable:
    stream: Stream
    name: str
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)


def _columns(*pairs: tuple[str, str]) -> tuple[Column, ...]:
    common = (("event_id", "uuid"), ("ts", "timestamptz"), ("device", "text"))
    return tuple(Column(name, pg_type) for name, pg_type in (*common, *pairs))


TABLES: dict[str, StreamTable] = {
    "gate": StreamTable(
        "gate",
        "gate_events",
        _columns(
            ("direction", "text"),
            ("subject", "text"),
            ("credential_kind", "text"),
            ("credential", "text"),
            ("result", "text"),
            ("deny_reason", "text"),
            ("appointment_id", "text"),
        ),
    ),
    "appointment": StreamTable(
        "appointment",
        "appointment_events",
        _columns(
            ("appointment_id", "text"),
            ("action", "text"),
            ("visitor_name", "text"),
            ("host_name", "text"),
            ("unit", "text"),
            ("expected_from", "timestamptz"),
            ("expected_to", "timestamptz"),
            ("plate", "text"),
        ),
    ),
    "canteen": StreamTable(
        "canteen",
        "canteen_events",
        _columns(
            ("kind", "text"),
            ("meal", "text"),
            ("count", "integer"),
            ("amount_yuan", "double precision"),
        ),
    ),
    "energy": StreamTable(
        "energy",
        "energy_readings",
        _columns(
            ("quantity", "text"),
            ("value", "double precision"),
            ("cumulative", "boolean"),
            ("interval_s", "integer"),
        ),
    ),
    "camera": StreamTable(
        "camera",
        "camera_events",
        _columns(
            ("kind", "text"),
            ("zone", "text"),
            ("count", "integer"),
            ("direction", "text"),
            ("snapshot", "text"),
        ),
    ),
    "status": StreamTable(
        "status",
        "device_status",
        _columns(("state", "text"), ("reason", "text"), ("last_will", "boolean")),
    ),
}


def event_from_row(stream: str, row: Mapping[str, Any]) -> Event:
    """The contract model for a raw-table row (extra columns such as received_at
    are ignored)."""
    table = TABLES[stream]
    fields = {name: row[name] for name in table.column_names}
    return EVENT_MODELS[stream].model_validate(fields)
