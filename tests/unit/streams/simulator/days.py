"""What the simulator's tests share: the days they simulate, local minutes, events of
one kind, wire payloads, a meter's readings."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TypeVar

import numpy as np

from streams.config.site import Site
from streams.simulator import SimOptions, Simulator
from streams.simulator.draft import site_zone
from streams.wire.contracts import EnergyEvent, Event, to_payload

E = TypeVar("E", bound=Event)
WEDNESDAY = (2025, 6, 11)
SATURDAY = (2025, 6, 14)


def day_start(site: Site, ymd: tuple[int, int, int]) -> datetime:
    return datetime(*ymd, tzinfo=site_zone(site.timezone))


def local_minute(site: Site, ts: datetime) -> float:
    local = ts.astimezone(site_zone(site.timezone))
    return local.hour * 60 + local.minute + local.second / 60


def of_kind(events: list[tuple[str, Event]], kind: type[E]) -> list[E]:
    return [e for _, e in events if isinstance(e, kind)]


def to_wire(events: list[tuple[str, Event]]) -> list[tuple[str, bytes]]:
    return [(topic, to_payload(event)) for topic, event in events]


def span(site: Site, seed: int, hours: tuple[int, int]) -> list[tuple[str, Event]]:
    day = day_start(site, WEDNESDAY)
    start, end = day + timedelta(hours=hours[0]), day + timedelta(hours=hours[1])
    return Simulator(site, start, SimOptions(seed=seed)).events(start, end)


def readings(events: list[tuple[str, Event]], meter: str, site: Site) -> np.ndarray:
    rows = [
        (local_minute(site, e.ts), e.value)
        for e in of_kind(events, EnergyEvent)
        if e.device == meter
    ]
    return np.array(rows)
