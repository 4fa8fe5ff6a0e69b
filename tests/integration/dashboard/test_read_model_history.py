"""The history read model on real PostgreSQL: spans, placeholder, chart."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

import pandas as pd
import psycopg
import pytest

from dashboard.history import HistoryFrame, HistoryReader, HistoryUnavailable
from dashboard.wall.context import WallContext
from dashboard.wall.freshness import Staleness
from dashboard.wall.history_cache import WallHistory
from dashboard.wall.overview import gate_chart, gate_entries
from dashboard.wall.sources import EMPTY
from streams.config.site import Site
from streams.history.migrations import migrate
from streams.history.writer import write_batch
from streams.wire.contracts import GateEvent
from tests.unit.dashboard.test_app import snapshot

pytestmark = pytest.mark.integration

TZ = ZoneInfo("Asia/Shanghai")
# 10:07 local: today's 15-minute buckets run from 04:00 to 10:15.
NOW = datetime(2025, 5, 12, 10, 7, 30, tzinfo=TZ).astimezone(UTC)


def gate(
    at: datetime,
    subject: Literal["staff", "visitor", "vehicle"] = "staff",
    direction: Literal["in", "out"] = "in",
) -> GateEvent:
    kind: Literal["plate", "card"] = "plate" if subject == "vehicle" else "card"
    return GateEvent(
        event_id=uuid.uuid4(), ts=at, device="gate-east", direction=direction,
        subject=subject, credential_kind=kind, credential="c", result="granted",
    )  # fmt: skip


@pytest.fixture
def history_url(pg_url: str) -> str:
    events = [gate(NOW - timedelta(minutes=m)) for m in (1, 2, 3, 20)]
    events += [gate(NOW - timedelta(minutes=2), "visitor")]
    events += [gate(NOW - timedelta(minutes=2), direction="out")]
    events += [gate(NOW - timedelta(days=3))]
    with psycopg.connect(pg_url, autocommit=True) as conn:
        migrate(conn)
        write_batch(conn, events)
    return pg_url


@pytest.fixture
def reader(history_url: str) -> Iterator[HistoryReader]:
    history = HistoryReader(history_url, TZ, day_reset_hour=4, clock=lambda: NOW)
    yield history
    history.close()


def granted_in(result: object) -> int:
    assert isinstance(result, HistoryFrame)
    rows = result.frame
    return int(rows[(rows.direction == "in") & (rows.result == "granted")].n.sum())


def test_spans_and_buckets(reader: HistoryReader) -> None:
    assert granted_in(reader.read("gate", "hour")) == 5
    assert granted_in(reader.today("gate")) == 5
    assert granted_in(reader.read("gate", "30d")) == 6
    today = reader.today("gate")
    assert isinstance(today, HistoryFrame)
    assert today.bucket == timedelta(minutes=15)
    assert today.start == datetime(2025, 5, 12, 4, 0, tzinfo=TZ)


def test_gate_entries_table_is_zero_filled(reader: HistoryReader) -> None:
    today = reader.today("gate")
    assert isinstance(today, HistoryFrame)
    buckets = [today.start + timedelta(minutes=15 * k) for k in range(25)]
    table = gate_entries(today.frame, buckets)
    assert len(table) == 25 and list(table.columns) == ["staff", "visitor", "vehicle"]
    assert table["staff"].sum() == 4 and table["visitor"].sum() == 1
    assert (
        table.loc[pd.Timestamp(datetime(2025, 5, 12, 10, 0, tzinfo=TZ)), "staff"] == 3
    )


def context(history: HistoryReader, site: Site) -> WallContext:
    wall_history = WallHistory(history, TZ, clock=lambda: NOW)
    return WallContext(
        snapshot(site, at=NOW), EMPTY, wall_history, site, Staleness(site)
    )


def test_gate_chart_draws_columns(reader: HistoryReader, sample_site: Site) -> None:
    chart = str(gate_chart(context(reader, sample_site), "zh"))
    assert "职工" in chart and "访客" in chart and "车辆" in chart
    assert chart.count("bar-col") == 25  # 04:00 … 10:00
    assert "'10:00: 4'" in chart and "'09:45: 1'" in chart  # staff 3 + visitor 1
    assert "bar-base" not in chart  # no past weeks: no usual-day marks


def test_missing_schema_reads_as_unavailable(pg_url: str, sample_site: Site) -> None:
    history = HistoryReader(pg_url, TZ, clock=lambda: NOW)
    result = history.today("gate")
    assert isinstance(result, HistoryUnavailable)
    assert result.reason.startswith("UndefinedTable")
    assert "历史数据不可用" in str(gate_chart(context(history, sample_site), "zh"))
    history.close()


def test_server_down_reads_as_unavailable() -> None:
    history = HistoryReader("postgresql://postgres@127.0.0.1:9/x", TZ)
    assert isinstance(history.read("meals", "hour"), HistoryUnavailable)
    assert isinstance(history.read("meals", "hour"), HistoryUnavailable)
    history.close()
