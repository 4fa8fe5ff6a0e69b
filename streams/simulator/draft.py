"""Shared building blocks: drafts of events, the local day, deterministic randomness.

A `Draft` is an event before it has an id: the day plans hold drafts, and the engine
turns the drafts of one step into validated contract events with ids drawn from the
step's random stream. Every random stream is derived from the seed and a name, so a
given span of simulated time is the same whatever the run's start or step layout.
"""

from __future__ import annotations

import hashlib
import math
import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

from streams.wire.contracts import EVENT_MODELS, Event

MINUTES_PER_DAY = 1440


@dataclass(frozen=True, slots=True)
class Draft:
    """An event without its id: when, which stream and device, and the other fields."""

    ts: datetime
    stream: str
    device: str
    fields: dict[str, Any]

    def build(self, rng: random.Random) -> Event:
        model = EVENT_MODELS[self.stream]
        event_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        return model(event_id=event_id, ts=self.ts, device=self.device, **self.fields)


@dataclass(frozen=True, slots=True)
class Day:
    """One local calendar day of the compound."""

    date: date
    tz: tzinfo

    @property
    def midnight(self) -> datetime:
        return datetime(self.date.year, self.date.month, self.date.day, tzinfo=self.tz)

    @property
    def workday(self) -> bool:
        """Monday to Friday (public holidays and make-up workdays are not modelled)."""
        return self.date.weekday() < 5

    def at(self, minutes: float) -> datetime:
        """The aware time `minutes` after local midnight."""
        return self.midnight + timedelta(minutes=float(minutes))

    def minute_of(self, ts: datetime) -> float:
        return (ts - self.midnight).total_seconds() / 60.0

    def shifted(self, days: int) -> Day:
        return Day(self.date + timedelta(days=days), self.tz)

    @classmethod
    def of(cls, ts: datetime, tz: tzinfo) -> Day:
        return cls(ts.astimezone(tz).date(), tz)


def site_zone(name: str) -> ZoneInfo:
    """The site's time zone; ValueError naming it when unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown site timezone {name!r}") from exc


def hhmm_minutes(text: str) -> int:
    """'08:30' → 510."""
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def derive_seed(*parts: object) -> int:
    """A 64-bit seed from the run seed and names, stable across processes."""
    text = "/".join(str(p) for p in parts)
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def py_rng(*parts: object) -> random.Random:
    return random.Random(derive_seed(*parts))


def np_rng(*parts: object) -> np.random.Generator:
    return np.random.default_rng(derive_seed(*parts))


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw from a stdlib generator (normal approximation for large means)."""
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, product, count = math.exp(-mean), rng.random(), 0
    while product > limit:
        product *= rng.random()
        count += 1
    return count


def minute_histogram(minutes: list[float] | np.ndarray) -> np.ndarray:
    """How many of the given day-minutes fall in each of the day's 1440 minutes."""
    index = np.clip(np.asarray(minutes, dtype=float), 0, MINUTES_PER_DAY - 1e-6)
    return np.bincount(index.astype(int), minlength=MINUTES_PER_DAY)


def presence_curve(intervals: list[tuple[float, float]]) -> np.ndarray:
    """People present per minute of the day, from [in, out) intervals in day-minutes."""
    delta = np.zeros(MINUTES_PER_DAY + 1, dtype=np.int64)
    for start, end in intervals:
        first = int(np.clip(np.ceil(start), 0, MINUTES_PER_DAY))
        last = int(np.clip(np.ceil(end), 0, MINUTES_PER_DAY))
        delta[first] += 1
        delta[last] -= 1
    return np.cumsum(delta)[:MINUTES_PER_DAY]


def tick_times(
    start: datetime, end: datetime, every_s: int, phase_s: int = 0
) -> list[datetime]:
    """Times in [start, end) whose epoch second is `phase_s` modulo `every_s`."""
    first = math.ceil((start.timestamp() - phase_s) / every_s) * every_s + phase_s
    ticks = []
    at = float(first)
    while at < end.timestamp():
        ticks.append(datetime.fromtimestamp(at, start.tzinfo))
        at += every_s
    return ticks
