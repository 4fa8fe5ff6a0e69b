"""PostgreSQL array literals built in one pass, for `unnest` batch inserts.

psycopg adapts a Python list element by element (a regular expression per value); for
a 500-row batch that is most of the writer's CPU. Here each column becomes one text
literal such as ``{"a","b",NULL}`` with `str.join`, sent as a single parameter and cast
to the array type in SQL (``%s::text[]``), which every PostgreSQL wire implementation
accepts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from uuid import UUID


def _timestamp(value: object) -> str:
    assert isinstance(value, datetime) and value.tzinfo is not None
    return value.isoformat()


def _number(value: object) -> str:
    return repr(value)


def _boolean(value: object) -> str:
    return "t" if value else "f"


def _uuid(value: object) -> str:
    return str(value if isinstance(value, UUID) else UUID(str(value)))


ELEMENT_WRITERS: dict[str, Callable[[object], str]] = {
    "uuid": _uuid,
    "timestamptz": _timestamp,
    "integer": _number,
    "double precision": _number,
    "boolean": _boolean,
}


def array_literal(values: Sequence[object], pg_type: str) -> str:
    """The text form of a one-dimensional array of `pg_type` (None → NULL)."""
    if pg_type == "text":  # the common case, inlined: no call per element
        return "{" + ",".join(
            "NULL" if v is None
            else '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'
            for v in values
        ) + "}"  # fmt: skip
    write = ELEMENT_WRITERS[pg_type]
    return "{" + ",".join("NULL" if v is None else write(v) for v in values) + "}"
