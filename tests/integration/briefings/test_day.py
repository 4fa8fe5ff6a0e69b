"""The daily briefing on a real PostgreSQL and Redis: a day against the day before
and the same weekday 52 weeks earlier, with a camera that reported offline and dead
letters in Redis (only those of the day counted)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import psycopg
import pytest
import redis

from dashboard.briefing.jobs import compose
from streams.briefings.collect import dead_letters
from streams.briefings.periods import period_of
from streams.config.site import Site
from streams.history.writer import write_batch
from streams.live.keys import Keys
from streams.wire.contracts import StatusEvent
from tests.briefing_week import WEEK, fill_days
from tests.integration.briefings.figures import local, raw_figures

pytestmark = pytest.mark.integration


def test_day_against_last_year_with_offline_devices_and_dead_letters(
    pg_url: str, site: Site, redis_url: str
) -> None:
    """A Tuesday with the day before and the same Tuesday 52 weeks earlier in
    history, a camera that reported offline, and dead letters in Redis."""
    day = WEEK + timedelta(days=1)
    fill_days(site, pg_url, day - timedelta(weeks=52), 1)
    fill_days(site, pg_url, day - timedelta(days=1), 2)
    offline = StatusEvent(
        event_id=uuid.uuid4(),
        ts=local(day, "10:00"),
        device="cam-parking",
        state="offline",
    )
    client = redis.Redis.from_url(redis_url)
    key = Keys(site.id).dead_letters
    start_ms = int(local(day).timestamp() * 1000)
    for offset_ms in (-5_000, 1_000, 3_600_000, 86_399_000, 86_400_000):
        client.xadd(
            key,
            {"topic": "ioc/x/gate/g", "reason": "bad"},
            id=f"{start_ms + offset_ms}-0",
        )
    with psycopg.connect(pg_url, autocommit=True) as conn:
        write_batch(conn, [offline])
        briefing = compose(conn, site, period_of("day", day), client)
        year = raw_figures(site, conn, period_of("day", day - timedelta(weeks=52)))
        before = raw_figures(site, conn, period_of("day", day - timedelta(days=1)))
    partial = dead_letters(client, site, local(day) - timedelta(days=1), local(day))
    client.close()
    kwh = briefing.kpi("b_electricity")
    assert briefing.has_last_year and briefing.has_previous
    assert kwh.last_year == pytest.approx(year["b_electricity"], rel=1e-9)
    assert kwh.previous == pytest.approx(before["b_electricity"], rel=1e-9)
    assert kwh.year_change_pct == pytest.approx(
        100 * (kwh.value - year["b_electricity"]) / year["b_electricity"]  # type: ignore[operator]
    )
    assert briefing.kpi("b_kwh_person").last_year == pytest.approx(
        year["b_kwh_person"], rel=1e-9
    )
    assert len(briefing.energy.current) == 24  # hours of the day
    assert briefing.quality.offline_devices == ("地面停车场",)
    assert briefing.quality.silent_devices == ()
    assert (briefing.quality.dead_letters, briefing.quality.dead_letters_partial) == (
        3,
        False,
    )
    assert partial is not None and (partial.count, partial.partial) == (1, True)
