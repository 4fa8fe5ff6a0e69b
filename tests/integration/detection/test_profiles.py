"""The canteen forecast with the profile the live runner learns from past weeks
(in-process, the simulated compound): a queue surge still raises exactly one
congestion alarm, a quiet weekday none, and an hour of backlog nothing."""

from __future__ import annotations

from datetime import timedelta

from tests.detection_runs import (
    WEDNESDAY,
    local,
    past_weeks_baseline,
    past_weeks_profiles,
    run_hub,
)


def test_profiles_are_learnt_per_day_group() -> None:
    profiles = past_weeks_profiles()
    assert {key for key in profiles} == {
        (canteen, group)
        for canteen in ("canteen-1", "canteen-2")
        for group in ("workday", "offday")
    }
    for profile in profiles.values():
        assert 0.0 <= profile.weight <= 1.0 and profile.days >= 3


def test_queue_surge_with_profiles_raises_one_alarm() -> None:
    _, sink = run_hub(
        local(WEDNESDAY, "10:30"),
        3,
        ["queue_surge"],
        baseline=past_weeks_baseline(),
        profiles=past_weeks_profiles(),
    )
    assert sink.raised() == {("canteen_congestion", "canteen-1")}
    actives = [s for s in sink.signals if s.state == "active"]
    assert len(actives) == 1


def test_quiet_weekday_with_profiles_raises_nothing() -> None:
    hub, sink = run_hub(
        local(WEDNESDAY, "06:00"),
        14,
        baseline=past_weeks_baseline(),
        profiles=past_weeks_profiles(),
    )
    assert sink.raised() == set()
    lunch = hub.detectors.congestion.states["canteen-1"]
    assert lunch.forecast_wait_min == 0.0  # closed at 20:00, nobody waiting


def test_backlog_with_profiles_raises_nothing_about_the_past() -> None:
    hub, sink = run_hub(
        local(WEDNESDAY, "11:00"),
        1.5,
        ["queue_surge"],
        baseline=past_weeks_baseline(),
        profiles=past_weeks_profiles(),
        lag=timedelta(hours=1),
    )
    assert sink.signals == []
    assert hub.stats.stale_dropped >= 1
