from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from streams.history.arrays import array_literal


@pytest.mark.parametrize(
    ("values", "pg_type", "literal"),
    [
        (["a", None, "b c"], "text", '{"a",NULL,"b c"}'),
        (
            ['say "hi"', "back\\slash", "{,}", "NULL"],
            "text",
            r'{"say \"hi\"","back\\slash","{,}","NULL"}',
        ),
        (["浙C·A1234"], "text", '{"浙C·A1234"}'),
        ([1, None, 3], "integer", "{1,NULL,3}"),
        ([0.1, 812.4], "double precision", "{0.1,812.4}"),
        ([True, False, None], "boolean", "{t,f,NULL}"),
        ([], "text", "{}"),
    ],
)
def test_literals(values: list[object], pg_type: str, literal: str) -> None:
    assert array_literal(values, pg_type) == literal


def test_uuid_and_timestamp() -> None:
    event_id = uuid.UUID("0b6c7d3e-1f1e-4c52-9a55-3d7e2a0f0a01")
    assert array_literal([event_id], "uuid") == "{0b6c7d3e-1f1e-4c52-9a55-3d7e2a0f0a01}"
    moment = datetime(2026, 11, 20, 4, 0, 1, 500, tzinfo=UTC)
    assert (
        array_literal([moment], "timestamptz") == "{2026-11-20T04:00:01.000500+00:00}"
    )
