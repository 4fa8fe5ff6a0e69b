"""The runner's history reads: meter baselines and canteen profiles from a real
PostgreSQL holding two simulated weekdays of canteen, queue-camera and meter events
and the canteen of the Friday before (profiles need 3 days of a day group)."""

from __future__ import annotations

from datetime import timedelta

import psycopg
import pytest

from streams.config.settings import load_settings
from streams.detection import DetectionHub
from streams.detection.baselines import (
    ProfileCache,
    baseline_from_history,
    profiles_from_history,
)
from streams.detection.runner import refresh_profiles
from streams.detection.specs import site_detection
from streams.history.migrations import migrate
from streams.history.writer import write_batch
from streams.wire.contracts import CameraEvent, EnergyEvent
from tests.detection_runs import WEDNESDAY, ListSink, local, make_sim, sample_site

pytestmark = pytest.mark.integration


def _wanted(event: object) -> bool:
    if isinstance(event, CameraEvent):
        return event.zone in ("c1-queue", "c2-queue")
    return isinstance(event, EnergyEvent) or event.stream == "canteen"  # type: ignore[attr-defined]


def _canteen(event: object) -> bool:
    return not isinstance(event, EnergyEvent)


_DAY = timedelta(hours=20)


def _write_history(pg_url: str) -> None:
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
        friday = start - timedelta(days=3)  # a third workday of canteen history
        meals = make_sim(friday).events(friday + timedelta(hours=6), friday + _DAY)
        write_batch(conn, [e for _, e in meals if _wanted(e) and _canteen(e)])
        conn.commit()


def test_baseline_and_profiles_from_history(pg_url: str) -> None:
    _write_history(pg_url)
    with psycopg.connect(pg_url) as conn:
        spec = site_detection(sample_site())
        now = local(WEDNESDAY, "12:00")
        baseline = baseline_from_history(
            conn, now=now, weeks=1, calendar=spec.calendar, tz=spec.tz
        )
        profiles = profiles_from_history(conn, now=now, weeks=1, spec=spec)
    assert baseline.lookup("m-b1-kw", "workday", 40) is None  # 2 days < min_days
    assert baseline.daily_peak == {}
    assert ("canteen-1", "offday") not in profiles  # no weekend in history
    profile = profiles[("canteen-1", "workday")]
    assert profile.days == 3  # Friday, Monday, Tuesday: not today
    lunch = profile.curve[11 * 60 + 20 : 13 * 60].sum()
    assert 300 < lunch < 1500  # about 600 diners a day at the first canteen
    assert profile.curve[3 * 60] == 0
    assert 0.0 <= profile.weight <= 1.0 and profile.prior is not None


def test_runner_loads_the_profiles_at_start_and_once_a_day(pg_url: str) -> None:
    """The runner's refresh on a real database: learnt at the first tick, set on
    the hub, not again the same local day, again after local midnight."""
    _write_history(pg_url)
    hub = DetectionHub(sample_site(), ListSink())
    cache, settings = ProfileCache(), load_settings({"IOC_DATABASE_URL": pg_url})
    now = local(WEDNESDAY, "09:00")
    assert cache.due(now, hub.detectors.spec.tz)
    refresh_profiles(hub, cache, settings, now)
    learnt = hub.detectors.congestion.profiles
    assert learnt[("canteen-1", "workday")].days == 3
    assert not cache.due(local(WEDNESDAY, "23:59"), hub.detectors.spec.tz)
    assert cache.due(
        local(WEDNESDAY + timedelta(days=1), "00:00"), hub.detectors.spec.tz
    )


def test_runner_retries_profiles_when_the_database_is_down(pg_url: str) -> None:
    hub = DetectionHub(sample_site(), ListSink())
    cache = ProfileCache()
    down = load_settings({"IOC_DATABASE_URL": "postgresql://postgres@127.0.0.1:9/x"})
    now = local(WEDNESDAY, "09:00")
    refresh_profiles(hub, cache, down, now)
    assert hub.detectors.congestion.profiles == {}
    tz = hub.detectors.spec.tz
    assert not cache.due(now + timedelta(minutes=5) - timedelta(seconds=1), tz)
    assert cache.due(now + timedelta(minutes=5), tz)
