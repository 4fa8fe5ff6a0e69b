"""`python -m bench.congestion [--quick]`: canteen congestion warnings against a
discrete-event simulation (SimPy) with known true waits.

Each simulated lunch: 5 serving windows (the sample site's first canteen), a rush of
diners arriving on a gamma curve, each joining the window with the shortest expected
wait and served in gamma-distributed times. About a third of the days have an
incident: a window closing for 20-40 minutes, a surge of extra diners, or slow
service. The detector sees only what the compound would: settlements per window per
minute, window open/close, and a noisy queue-camera count every 30 s. It runs
minute by minute (`CanteenMonitor` + `CongestionAlert`, no profile: cold start).

Ground truth: a day "crosses" at the first arrival whose true wait reaches the
threshold. A warning is a true positive when a crossing follows within the horizon
plus 15 minutes (or came up to 5 minutes before it); lead = crossing − warning.
Prints lead (median, p10), precision, recall, then one JSON line.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
from collections.abc import Generator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import simpy

from detectors.congestion import (
    ArrivalProfile,
    CanteenMonitor,
    CongestionAlert,
    CongestionParams,
    canteen_specs,
)

RATES = (4.0, 4.0, 2.5, 2.0, 3.0)
MEAL_MIN = 100
HISTORY_DAYS = 20
SLACK = 5.0  # minutes: a warning this close to true congestion is right
LATE = 5.0  # minutes: a warning this late still catches the episode
PARAMS = CongestionParams()  # warn 20 min, clear 12 min: the sample site's
DAY0 = datetime(2026, 1, 5, 3, 20, tzinfo=UTC)  # 11:20 in Shanghai
SPEC = canteen_specs(
    [("c", "食堂", [(f"w{i + 1}", f"{i + 1}号窗口", r) for i, r in enumerate(RATES)])]
)["c"]


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
            arrived = yield self.stores[i].get()
            self.busy[i] = True
            self.day.waits.append((float(arrived), self.env.now - float(arrived)))  # type: ignore[arg-type]
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
    env: simpy.Environment, at: float, start: object
) -> Generator[simpy.Event, object, None]:
    yield env.timeout(at)
    yield env.process(start())  # type: ignore[operator]


def _ts(minute: float) -> datetime:
    return DAY0 + timedelta(minutes=minute)


def arrival_profile(days: list[Day]) -> list[float]:
    """Mean arrivals per minute since opening over past days (the history)."""
    counts = [0.0] * (MEAL_MIN + 60)
    for day in days:
        for arrived, _ in day.waits:
            counts[min(int(arrived), len(counts) - 1)] += 1 / len(days)
    return counts


def _profile_at(profile: list[float] | None, minute: int) -> ArrivalProfile | None:
    if profile is None:
        return None
    recent = profile[max(0, minute - PARAMS.recent_min) : minute]
    ahead = profile[minute : minute + PARAMS.horizon_min]
    return ArrivalProfile(
        sum(recent) / PARAMS.recent_min, sum(ahead) / PARAMS.horizon_min
    )


def warnings(day: Day, profile: list[float] | None = None) -> list[tuple[float, float]]:
    """(raised, cleared) minutes of the detector's warnings, replayed minute by
    minute (cleared = end of the run when still active)."""
    monitor, alert = CanteenMonitor(SPEC, PARAMS), CongestionAlert("c", "c", PARAMS)
    feed = [(t, 0, i, o) for t, i, o in day.windows]
    feed += [(t, 1, i, 0) for t, i in day.settlements]
    feed += [(t, 2, c, 0) for t, c in day.counts]
    feed.sort()
    spans: list[tuple[float, float]] = []
    raised, pointer, end = None, 0, MEAL_MIN + 60
    for minute in range(1, end):
        while pointer < len(feed) and feed[pointer][0] < minute:
            t, kind, a, b = feed[pointer]
            if kind == 0:
                monitor.set_window(SPEC.windows[a].id, bool(b))
            elif kind == 1:
                monitor.settle(SPEC.windows[a].id, _ts(t), 1)
            else:
                monitor.see_queue(_ts(t), a)
            pointer += 1
        state = monitor.evaluate(_ts(minute), _profile_at(profile, minute))
        signal = alert.update(state)
        if signal is not None and signal.state == "active":
            raised = float(minute)
        elif signal is not None and raised is not None:
            spans.append((raised, float(minute)))
            raised = None
    if raised is not None:
        spans.append((raised, float(end)))
    return spans


def minute_waits(day: Day) -> list[tuple[float, float]]:
    """(minute, mean true wait of the diners arriving in it)."""
    by_minute: dict[int, list[float]] = {}
    for arrived, wait in day.waits:
        by_minute.setdefault(int(arrived), []).append(wait)
    return [(float(m), statistics.fmean(w)) for m, w in sorted(by_minute.items())]


def episodes(day: Day) -> list[tuple[float, float]]:
    """(first, last) arrival minutes of each run of minutes whose mean true wait is
    at or above the threshold (a run ends once it falls under the clear level)."""
    out: list[tuple[float, float]] = []
    start = last = None
    for arrived, wait in minute_waits(day):
        if wait >= PARAMS.warn_wait_min:
            start = arrived if start is None else start
            last = arrived
        elif start is not None and wait < PARAMS.clear_wait_min:
            out.append((start, last or start))
            start = last = None
    if start is not None:
        out.append((start, last or start))
    return out


def score(days: int, with_profile: bool = True) -> dict[str, float]:
    """Days 0..19 are the history the profile is learnt from; the next `days` are
    judged. A warning is right when true waits reach the threshold while it is up
    (or within `SLACK` minutes of it); an episode is caught when a warning is up at
    its first arrival or within `LATE` minutes after; lead = first arrival − warning."""
    history = [simulate_day(seed) for seed in range(HISTORY_DAYS)]
    profile = arrival_profile(history) if with_profile else None
    leads, right, alarms, caught, total = [], 0, 0, 0, 0
    for seed in range(HISTORY_DAYS, HISTORY_DAYS + days):
        day = simulate_day(seed)
        spans, truth = warnings(day, profile), episodes(day)
        alarms += len(spans)
        total += len(truth)
        for raised, cleared in spans:
            if any(s - SLACK <= cleared and e >= raised - SLACK for s, e in truth):
                right += 1
        for first, _ in truth:
            up = [r for r, c in spans if r <= first + LATE and c >= first]
            if up:
                caught += 1
                leads.append(first - max(r for r in up if r <= first + LATE))
    leads.sort()
    return {
        "days": days,
        "episodes": total,
        "warnings": alarms,
        "precision": right / alarms if alarms else 1.0,
        "recall": caught / total if total else 1.0,
        "median_lead_min": statistics.median(leads) if leads else 0.0,
        "p10_lead_min": leads[len(leads) // 10] if leads else 0.0,
        "threshold_min": PARAMS.warn_wait_min,
        "profile": with_profile,
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.congestion")
    parser.add_argument("--quick", action="store_true", help="60 days instead of 400")
    args = parser.parse_args()
    days = 60 if args.quick else 400
    result = score(days)
    cold = score(days, with_profile=False)
    print(
        f"{result['days']} simulated lunches, {result['episodes']} waits past "
        f"{PARAMS.warn_wait_min:.0f} min, {result['warnings']} warnings"
    )
    print(
        f"lead median {result['median_lead_min']:.1f} min (p10 "
        f"{result['p10_lead_min']:.1f}), precision {result['precision']:.2f}, "
        f"recall {result['recall']:.2f}"
    )
    print(
        f"without a profile (cold start, as the runner today): lead median "
        f"{cold['median_lead_min']:.1f} min, precision {cold['precision']:.2f}, "
        f"recall {cold['recall']:.2f}"
    )
    extra = {
        f"noprofile_{k}": v for k, v in cold.items() if k not in ("days", "profile")
    }
    print(json.dumps({"bench": "congestion", **result, **extra}))


if __name__ == "__main__":
    main()
