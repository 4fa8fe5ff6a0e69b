"""The runner's history reads: meter baselines and canteen profiles from a real
PostgreSQL holding two simulated weekdays of canteen, queue-camera and meter events."""

from __future__ import annotations

from datetime import timedelta

import psycopg
import pytest

from streams.contracts import CameraEvent, EnergyEvent
from streams.detection.baselines import baseline_from_history, profiles_from_history
from streams.detection.specs import site_detection
from streams.history.migrations import migrate
from streams.history.writer import write_batch
from tests.detection_runs import WEDNESDAY, local, make_sim, sample_site

pytestmark = pytest.mark.integration


def _wanted(event: object) -> bool:
    if isinstance(event, CameraEvent):
        return event.zone in ("c1-queue", "c2-queue")
    return isinstance(event, EnergyEvent) or event.stream == "canteen"  # type: ignore[attr-defined]


def test_baseline_and_profiles_from_history(pg_url: str) -> None:
    start = local(WEDNESDAY - timedelta(days=2), "00:00")  # Monday
    sim = make_sim(start)
    with psycopg.connect(pg_url) as conn:
        migrate(conn)
        for day in range(2):
            first = start + timedelta(days=day)
            for hour in range(24):
                span = sim.events(
                    first + timedelta(hours=hour), first + timedelta(hours=hour + 1)
                )
                write_batch(conn, [e for _, e in span if _wanted(e)])
            conn.commit()
        spec = site_detection(sample_site())
        now = local(WEDNESDAY, "12:00")
        baseline = baseline_from_history(
            conn, now=now, weeks=1, calendar=spec.calendar, tz=spec.tz
        )
        profiles = profiles_from_history(conn, now=now, weeks=1, spec=spec)
    assert baseline.lookup("m-b1-kw", "workday", 40) is None  # 2 days < min_days
    assert baseline.daily_peak == {}
    curve = profiles[("canteen-1", "workday")]
    lunch = curve[11 * 60 + 20 : 13 * 60].sum()
    assert 300 < lunch < 1500  # about 600 diners a day at the first canteen
    assert curve[3 * 60] == 0
