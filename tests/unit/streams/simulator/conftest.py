"""The simulated weekday the simulator's tests read (one per session: a full day of
the sample compound takes seconds)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from streams.config.site import Site
from streams.simulator import SimOptions, Simulator
from streams.wire.contracts import Event
from tests.unit.streams.simulator.days import WEDNESDAY, day_start


@pytest.fixture(scope="session")
def weekday(sample_site: Site) -> list[tuple[str, Event]]:
    start = day_start(sample_site, WEDNESDAY)
    sim = Simulator(sample_site, start, SimOptions(seed=11))
    return sim.events(start, start + timedelta(days=1))
