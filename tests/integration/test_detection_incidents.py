"""Each injected incident of the simulator raises exactly one alarm of the right kind
and source through the DetectionHub; a quiet weekday raises none; an hour of backlog
replayed after an outage raises nothing. In-process (no servers): the simulator's
engine feeds the hub directly."""

from __future__ import annotations

from datetime import timedelta
from typing import cast

import pytest

from tests.detection_runs import (
    WEDNESDAY,
    local,
    make_sim,
    past_weeks_baseline,
    run_hub,
)

TUESDAY = WEDNESDAY - timedelta(days=1)

CASES = [
    # incident, run start, hours, expected (kind, source)
    ("water_leak@01:30", local(WEDNESDAY, "00:00"), 6, ("water_leak", "m-water-b6")),
    (
        "after_hours_load",
        local(TUESDAY, "18:00"),
        15,
        ("after_hours_load", "b1"),
    ),
    (
        "queue_surge",
        local(WEDNESDAY, "10:30"),
        3,
        ("canteen_congestion", "canteen-1"),
    ),
    ("tailgating", local(WEDNESDAY, "07:30"), 2, ("tailgating", "gate-east")),
    ("camera_offline", local(WEDNESDAY, "09:30"), 2, ("camera_offline", "cam-parking")),
]


@pytest.mark.parametrize(("incident", "start", "hours", "expected"), CASES)
def test_incident_raises_exactly_one_alarm(
    incident: str, start: object, hours: float, expected: tuple[str, str]
) -> None:
    _, sink = run_hub(start, hours, [incident], baseline=past_weeks_baseline())  # type: ignore[arg-type]
    assert sink.raised() == {expected}
    actives = [s for s in sink.signals if s.state == "active"]
    assert all(s.message for s in actives)


def test_incident_alarm_names_the_waste_and_expectation() -> None:
    _, sink = run_hub(
        local(TUESDAY, "18:00"), 3, ["after_hours_load"], baseline=past_weeks_baseline()
    )
    (signal,) = [s for s in sink.signals if s.state == "active"]
    details = cast(dict[str, float], signal.details)
    assert details["actual"] > details["expected"]
    assert details["waste_kwh"] > 0 and details["waste_yuan"] > 0
    assert "kg CO₂" in signal.message


def test_quiet_weekday_raises_nothing() -> None:
    _, sink = run_hub(local(WEDNESDAY, "00:00"), 24, baseline=past_weeks_baseline())
    assert sink.raised() == set()


def test_hour_of_backlog_raises_nothing_about_the_past() -> None:
    """Tailgating at 08:20 delivered an hour late: the detectors see it, the sink
    does not."""
    hub, sink = run_hub(
        local(WEDNESDAY, "08:00"),
        1,
        ["tailgating"],
        baseline=past_weeks_baseline(),
        lag=timedelta(hours=1),
    )
    assert sink.signals == []
    assert hub.stats.stale_dropped >= 1


def test_live_again_after_backlog_raises_new_conditions() -> None:
    """After the backlog the hub is live: a camera going offline now is raised."""
    sim = make_sim(local(WEDNESDAY, "09:00"), ["camera_offline@09:40"])
    hub, sink = run_hub(
        local(WEDNESDAY, "09:00"),
        0.5,
        baseline=past_weeks_baseline(),
        lag=timedelta(hours=1),
        sim=sim,
    )
    run_hub(local(WEDNESDAY, "09:30"), 1, hub=hub, sink=sink, sim=sim)
    assert sink.raised() == {("camera_offline", "cam-parking")}
