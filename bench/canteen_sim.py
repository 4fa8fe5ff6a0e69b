"""The SimPy canteen of `bench.congestion`: one lunch at 5 serving windows with known
true waits (see that module's docstring), deterministic under a seed."""

from __future__ import annotations

import random
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import cast

import simpy

RATES = (4.0, 4.0, 2.5, 2.0, 3.0)
MEAL_MIN = 100


@dataclass
class Day:
    waits: list[tuple[float, float]] = field(default_factory=list)  # (arrival, wait)
    settlements: list[tuple[float, int]] = field(default_factory=list)  # (t, window)
    windows: list[tuple[float, int, bool]] = field(default_factory=list)
    counts: list[tuple[float, int]] = field(default_factory=list)
    incident: str = "none"


class Canteen:
    def __init__(
        self, env: simpy.Environment, rng: random.Random, day: Day, slow: float
    ) -> None:
        self.env, self.rng, self.day = env, rng, day
        self.rates = [r * slow for r in RATES]
        self.stores = [simpy.Store(env) for _ in RATES]
        self.open = [True] * len(RATES)
        self.busy = [False] * len(RATES)
        for i in range(len(RATES)):
            day.windows.append((0.0, i, True))
            env.process(self.serve(i))

    def choose(self) -> int:
        scores = [
            (len(self.stores[i].items) + self.busy[i] + 1) / self.rates[i]
            if self.open[i]
            else float("inf")
            for i in range(len(RATES))
        ]
        return scores.index(min(scores))

    def serve(self, i: int) -> Generator[simpy.Event, object, None]:
        while True:
            arrived = cast(float, (yield self.stores[i].get()))  # the arrival time
            self.busy[i] = True
            self.day.waits.append((float(arrived), self.env.now - float(arrived)))
            mean = 1.0 / self.rates[i]
            yield self.env.timeout(self.rng.gammavariate(4.0, mean / 4.0))
            self.day.settlements.append((self.env.now, i))
            self.busy[i] = False

    def close(self, i: int, minutes: float) -> Generator[simpy.Event, object, None]:
        self.open[i] = False
        self.day.windows.append((self.env.now, i, False))
        stranded, self.stores[i].items[:] = list(self.stores[i].items), []
        for arrived in stranded:
            self.stores[self.choose()].put(arrived)
        yield self.env.timeout(minutes)
        self.open[i] = True
        self.day.windows.append((self.env.now, i, True))

    def camera(self) -> Generator[simpy.Event, object, None]:
        while True:
            waiting = sum(len(s.items) for s in self.stores)
            self.day.counts.append(
                (self.env.now, round(waiting * self.rng.uniform(0.9, 1.05)))
            )
            yield self.env.timeout(0.5)


def arrivals(
    env: simpy.Environment, canteen: Canteen, times: list[float]
) -> Generator[simpy.Event, object, None]:
    for t in sorted(times):
        yield env.timeout(max(0.0, t - env.now))
        canteen.stores[canteen.choose()].put(env.now)


def simulate_day(seed: int) -> Day:
    rng = random.Random(seed)
    day, env = Day(), simpy.Environment()
    diners = rng.randint(500, 760)
    times = [rng.gammavariate(3.0, 6.5) for _ in range(diners)]
    times = [t for t in times if t < MEAL_MIN - 5]
    slow, draw = 1.0, rng.random()
    if draw < 0.12:
        day.incident, slow = "slow_service", rng.uniform(0.55, 0.7)
    canteen = Canteen(env, rng, day, slow)
    if 0.12 <= draw < 0.24:
        day.incident = "window_closed"
        at, length = rng.uniform(5, 35), rng.uniform(25, 45)
        window = rng.randrange(2)
        env.process(_later(env, at, lambda: canteen.close(window, length)))
    elif 0.24 <= draw < 0.36:
        day.incident = "surge"
        at, extra = rng.uniform(5, 40), rng.randint(150, 300)
        times += [at + rng.uniform(0, 12) for _ in range(extra)]
    env.process(arrivals(env, canteen, times))
    env.process(canteen.camera())
    env.run(until=MEAL_MIN + 60)
    return day


def _later(
    env: simpy.Environment,
    at: float,
    start: Callable[[], Generator[simpy.Event, object, None]],
) -> Generator[simpy.Event, object, None]:
    yield env.timeout(at)
    yield env.process(start())
