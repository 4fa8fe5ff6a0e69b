"""The briefing's reads on TimescaleDB (PGlite harness): the daily briefing of a day
matches figures computed here from its events, and the archive table works there.

The history scenario's events are reused 52 weeks earlier, under new ids (the other
modules of this session-wide server count their own rows), and removed afterwards:
rows deleted and the rollups refreshed over that window again, whatever the order in
which the modules run."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import psycopg
import pytest

from dashboard.briefing.jobs import compose
from layouts.briefing.pdf import render_charts
from streams.briefings import archive
from streams.briefings.periods import period_of
from streams.config.site import Site
from streams.history.ddl_v1 import RAW_TABLE_NAMES, ROLLUP_SELECTS
from streams.history.migrations import migrate
from streams.history.writer import write_batch
from streams.wire.contracts import CanteenEvent, EnergyEvent, Event, GateEvent
from tests.timescale import history_scenario as scenario

pytestmark = pytest.mark.timescale

SHIFT = timedelta(weeks=52)
DAY = (scenario.DAY - SHIFT).date()


def _refresh(conn: psycopg.Connection, start: datetime, end: datetime) -> None:
    for rollup in ROLLUP_SELECTS:
        conn.execute(
            "CALL refresh_continuous_aggregate(%s, %s, %s)", (rollup, start, end)
        )


@pytest.fixture
def events(
    timescale_conn: psycopg.Connection, sample_site: Site
) -> Iterator[list[Event]]:
    assert migrate(timescale_conn) is True
    moved = [
        e.model_copy(
            update={
                "ts": e.ts - SHIFT,
                "event_id": uuid.uuid5(uuid.NAMESPACE_URL, f"briefing/{e.event_id}"),
            }
        )
        for e in scenario.build_events(sample_site)
    ]
    start = min(e.ts for e in moved) - timedelta(days=1)
    end = max(e.ts for e in moved) + timedelta(days=1)
    write_batch(timescale_conn, moved)
    _refresh(timescale_conn, start, end)  # older than the rollups' watermark
    try:
        yield moved
    finally:
        for table in (*RAW_TABLE_NAMES, "event_ids"):
            timescale_conn.execute(
                f"DELETE FROM {table} WHERE ts >= %s AND ts < %s", (start, end)
            )
        _refresh(timescale_conn, start, end)
        timescale_conn.execute(
            "DELETE FROM briefing_files WHERE period_start = %s", (DAY,)
        )


def test_daily_briefing_on_timescale(
    timescale_conn: psycopg.Connection, sample_site: Site, events: list[Event]
) -> None:
    period = period_of("day", DAY)
    start, end = period.bounds(scenario.TZ)
    mine = [e for e in events if start <= e.ts < end]
    kwh = sum(
        e.value * e.interval_s / 3600
        for e in mine
        if isinstance(e, EnergyEvent) and e.quantity == "electric_kw"
    )
    water = sum(
        e.value for e in mine if isinstance(e, EnergyEvent) and e.quantity == "water_m3"
    )
    people: dict[date, set[tuple[str, str]]] = defaultdict(set)
    for e in mine:
        if isinstance(e, GateEvent) and e.result == "granted" and e.direction == "in":
            people[e.ts.astimezone(scenario.TZ).date()].add((e.subject, e.credential))
    person_days = sum(len(v) for v in people.values())
    meals = sum(
        e.count for e in mine if isinstance(e, CanteenEvent) and e.kind == "settlement"
    )

    briefing = compose(timescale_conn, sample_site, period, None)
    assert briefing.kpi("b_electricity").value == pytest.approx(kwh, rel=1e-9)
    assert briefing.kpi("b_water").value == pytest.approx(water, rel=1e-9)
    assert briefing.kpi("b_people").value == person_days
    assert briefing.kpi("b_meals").value == meals
    assert briefing.kpi("b_kwh_person").value == pytest.approx(kwh / person_days)

    # PGlite's WASM build dies on a message over ~64 KB ("RuntimeError:
    # unreachable"; measured: 64,000 bytes pass, 100,000 fail), which would end the
    # session's only connection: archive one chart (~30 KB), not the ~140 KB PDF.
    chart = {"energy.png": render_charts(briefing, "zh")["energy.png"]}
    assert len(chart["energy.png"]) < 64_000
    archive.save(timescale_conn, period, "zh", chart)
    assert archive.fetch(timescale_conn, "day", DAY, "zh", "energy.png") == (
        "image/png",
        chart["energy.png"],
    )
