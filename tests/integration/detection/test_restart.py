"""A consumer restart mid-incident, with the real alarm engine (PostgreSQL + Redis
mirror): the restarted hub takes over the engine's open conditions and the visitor
book from history, so an incident yields one alarm, raised once and cleared; a hub
that did not take them over leaves the alarm open for ever."""

from __future__ import annotations

from datetime import datetime, timedelta

import psycopg
import pytest

from streams.alarms.engine import AlarmEngine
from streams.config.settings import load_settings
from streams.config.site import Site
from streams.detection import DetectionHub
from streams.detection.restart import Resumption
from streams.history.migrations import migrate
from streams.history.writer import write_batch
from streams.simulator import Simulator
from streams.wire.contracts import AppointmentEvent, GateEvent
from tests.detection_runs import (
    WEDNESDAY,
    ListSink,
    local,
    make_sim,
    past_weeks_baseline,
    past_weeks_profiles,
)
from tests.integration.alarms.fixtures import make_engine

pytestmark = pytest.mark.integration


def _run(
    hub: DetectionHub, sim: Simulator, clock: ListSink, start: datetime, end: datetime
) -> None:
    minute = start
    while minute < end:
        following = minute + timedelta(minutes=1)
        clock.now = following
        hub.observe([event for _, event in sim.events(minute, following)])
        hub.tick(following)
        minute = following


def _hub(site: Site, engine: AlarmEngine, clock: ListSink) -> DetectionHub:
    hub = DetectionHub(site, engine, clock=lambda: clock.now or datetime.now())
    hub.set_baseline(past_weeks_baseline())
    hub.set_profiles(past_weeks_profiles())
    return hub


def _history(pg_url: str, key: tuple[str, str]) -> list[tuple[int, bool]]:
    """(activations, condition present) of every alarm ever raised for `key`."""
    with psycopg.connect(pg_url) as conn:
        rows = conn.execute(
            "SELECT activations, condition FROM alarms WHERE kind = %s AND source = %s",
            key,
        ).fetchall()
    return [tuple(row) for row in rows]


CASES = [
    # incident, start, restart (incident over or nearly), end, (kind, source)
    ("tailgating", "08:00", "08:31", "09:00", ("tailgating", "gate-east")),
    ("queue_surge", "11:00", "11:50", "13:30", ("canteen_congestion", "canteen-1")),
]


@pytest.mark.parametrize(("incident", "start", "restart", "end", "key"), CASES)
def test_restart_mid_incident_keeps_one_alarm_and_clears_it(
    site: Site,
    pg_url: str,
    redis_url: str,
    incident: str,
    start: str,
    restart: str,
    end: str,
    key: tuple[str, str],
) -> None:
    engine, _mirror = make_engine(site, pg_url, redis_url)
    clock = ListSink()
    sim = make_sim(local(WEDNESDAY, start), [incident])
    try:
        before = _hub(site, engine, clock)
        _run(before, sim, clock, local(WEDNESDAY, start), local(WEDNESDAY, restart))
        assert _history(pg_url, key) == [(1, True)]  # raised, still present

        after = _hub(site, engine, clock)  # the restarted consumer's hub
        settings = load_settings({"IOC_DATABASE_URL": pg_url})
        assert Resumption(after, engine, settings).attempt(local(WEDNESDAY, restart))
        _run(after, sim, clock, local(WEDNESDAY, restart), local(WEDNESDAY, end))
        # one alarm, activated once, its condition cleared by the restarted hub
        # (cleared-unacknowledged: it waits for an operator, as any other)
        assert _history(pg_url, key) == [(1, False)]
    finally:
        engine.close()


def test_without_taking_over_the_alarm_is_never_cleared(
    site: Site, pg_url: str, redis_url: str
) -> None:
    """The control: the same restart without `Resumption`."""
    engine, _mirror = make_engine(site, pg_url, redis_url)
    clock = ListSink()
    sim = make_sim(local(WEDNESDAY, "08:00"), ["tailgating"])
    key = ("tailgating", "gate-east")
    try:
        _run(_hub(site, engine, clock), sim, clock, *_span("08:00", "08:31"))
        _run(_hub(site, engine, clock), sim, clock, *_span("08:31", "09:00"))
        assert _history(pg_url, key) == [(1, True)]  # stale: present for ever
    finally:
        engine.close()


def _span(first: str, last: str) -> tuple[datetime, datetime]:
    return local(WEDNESDAY, first), local(WEDNESDAY, last)


def test_restarted_visitor_book_matches_the_continuous_one(
    site: Site, pg_url: str, redis_url: str
) -> None:
    """Appointments and visitors on site at 15:00: a hub that ran since midnight,
    and a hub restarted at 15:00 that reloaded them from PostgreSQL."""
    engine, _mirror = make_engine(site, pg_url, redis_url)
    clock = ListSink()
    first = local(WEDNESDAY - timedelta(days=2), "00:00")
    sim = make_sim(first)
    restart = local(WEDNESDAY, "15:00")
    continuous = _hub(site, engine, clock)
    try:
        with psycopg.connect(pg_url) as conn:
            migrate(conn)
            cursor = first
            while cursor < restart:
                following = min(cursor + timedelta(hours=1), restart)
                events = [e for _, e in sim.events(cursor, following)]
                visitors = [
                    e for e in events if isinstance(e, AppointmentEvent | GateEvent)
                ]
                write_batch(conn, visitors)
                conn.commit()
                clock.now = following
                continuous.observe(visitors)
                cursor = following
        restarted = _hub(site, engine, clock)
        settings = load_settings({"IOC_DATABASE_URL": pg_url})
        assert Resumption(restarted, engine, settings).attempt(restart)
        book, kept = restarted.detectors.gates.visitors, continuous.detectors.gates
        assert book.on_site == kept.visitors.on_site
        assert book.on_site, "the simulated afternoon has visitors on site"
        relevant = {
            k for k, b in kept.visitors.bookings.items() if b.expected_to >= restart
        }
        assert relevant and relevant <= set(book.bookings)
        assert book.complete_since is not None
    finally:
        engine.close()
