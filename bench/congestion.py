"""`python -m bench.congestion [--quick]`: canteen congestion warnings against a
discrete-event simulation (SimPy) with known true waits.

Each simulated lunch: 5 serving windows (the sample site's first canteen), a rush of
diners arriving on a gamma curve, each joining the window with the shortest expected
wait and served in gamma-distributed times. About a third of the days have an
incident: a window closing for 20-40 minutes, a surge of extra diners, or slow
service. The detector sees only what the compound would: settlements per window,
window open/close, and a noisy queue-camera count every 30 s.

It runs the live path: the first 20 days (four weeks of workdays) become history in
the shape the runner reads it from PostgreSQL (meals and the queue camera's largest
count per minute), `detectors.canteen.arrivals.arrival_profiles` learns the profile
and its level weight from them as `streams.detection.baselines.profiles_from_history`
does, and each judged day's events are fed in order to a `CongestionWatch`, evaluated
after each event as the detection hub does after each batch. The same days are also
judged without a profile (cold start: no history yet).

Ground truth: a day "crosses" at the first arrival whose true wait reaches the
threshold. A warning is a true positive when a crossing follows within the horizon
plus 15 minutes (or came up to 5 minutes before it); lead = crossing − warning.
Prints lead (median, p10), precision, recall, then one JSON line.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd

from bench.canteen_sim import MEAL_MIN, RATES, Day, simulate_day
from detectors.canteen.arrivals import Profiles, arrival_profiles
from detectors.canteen.congestion import canteen_specs
from detectors.canteen.params import CongestionParams
from detectors.canteen.watch import CongestionWatch
from detectors.core.calendar import WorkCalendar

HISTORY_DAYS = 20
SLACK = 5.0  # minutes: a warning this close to true congestion is right
LATE = 5.0  # minutes: a warning this late still catches the episode
PARAMS = CongestionParams()  # warn 20 min, clear 12 min: the sample site's
TZ = ZoneInfo("Asia/Shanghai")
DAY0 = datetime(2026, 1, 5, 11, 20, tzinfo=TZ)  # a Monday's lunch
CALENDAR = WorkCalendar()  # every simulated day is a workday (Monday to Friday)
QUEUE_ZONE = "c-queue"
OPENS = {True: "window_open", False: "window_close"}
SPEC = canteen_specs(
    [("c", "食堂", [(f"w{i + 1}", f"{i + 1}号窗口", r) for i, r in enumerate(RATES)])]
)["c"]


def _ts(minute: float, index: int = 0) -> datetime:
    """Simulated minute `minute` of the `index`-th workday (Monday to Friday)."""
    weeks, weekday = divmod(index, 5)
    return DAY0 + timedelta(days=7 * weeks + weekday, minutes=minute)


def history_frames(days: list[Day]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What history would hold of these days, in the shape the runner reads it
    (`streams.detection.baselines`): meals per minute per canteen and the queue
    camera's largest count per minute."""
    meals: dict[datetime, int] = {}
    counts: dict[datetime, int] = {}
    for index, day in enumerate(days):
        for t, _ in day.settlements:
            bucket = _ts(math.floor(t), index)
            meals[bucket] = meals.get(bucket, 0) + 1
        for t, count in day.counts:
            bucket = _ts(math.floor(t), index)
            counts[bucket] = max(counts.get(bucket, 0), count)
    served = pd.DataFrame(
        [(b, "c", n) for b, n in sorted(meals.items())],
        columns=["bucket", "canteen", "meals"],
    )
    queue = pd.DataFrame(
        [(b, "c", n) for b, n in sorted(counts.items())],
        columns=["bucket", "canteen", "count"],
    )
    return served, queue


def learn_profiles(days: list[Day]) -> Profiles:
    """The arrival profile (and its fitted weight) as the live runner learns it."""
    served, queue = history_frames(days)
    return arrival_profiles(served, queue, CALENDAR, TZ, PARAMS)


def _watch(profiles: Profiles | None) -> CongestionWatch:
    windows = {w.id: "c" for w in SPEC.windows}
    return CongestionWatch(
        {"c": SPEC}, windows, {QUEUE_ZONE: "c"}, CALENDAR, TZ, PARAMS, profiles or {}
    )


def _feed(day: Day) -> list[tuple[float, int, int, int]]:
    feed = [(t, 0, i, int(o)) for t, i, o in day.windows]
    feed += [(t, 1, i, 0) for t, i in day.settlements]
    feed += [(t, 2, c, 0) for t, c in day.counts]
    return sorted(feed)


def warnings(
    day: Day, profiles: Profiles | None = None, index: int = HISTORY_DAYS
) -> list[tuple[float, float]]:
    """(raised, cleared) minutes of the detector's warnings: the day's events are
    fed in order to a `CongestionWatch` (the live hub's canteen path), which is
    evaluated after each event as the hub does after each batch; a warning counts
    from the event that completed its minute (cleared = end of the run when still
    active)."""
    watch = _watch(profiles)
    spans: list[tuple[float, float]] = []
    raised = None
    for t, kind, a, b in _feed(day):
        ts = _ts(t, index)
        if kind == 2:
            watch.queue_count(QUEUE_ZONE, ts, a)
        else:
            what = "settlement" if kind == 1 else OPENS[bool(b)]
            watch.canteen_event(SPEC.windows[a].id, ts, what, 1)
        for signal in watch.evaluate():
            if signal.state == "active":
                raised = t
            elif raised is not None:
                spans.append((raised, t))
                raised = None
    if raised is not None:
        spans.append((raised, float(MEAL_MIN + 60)))
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


def score(days: int, with_profile: bool = True, seed: int = 0) -> dict[str, float]:
    """Days 0..19 are the history the profile is learnt from; the next `days` are
    judged. A warning is right when true waits reach the threshold while it is up
    (or within `SLACK` minutes of it); an episode is caught when a warning is up at
    its first arrival or within `LATE` minutes after; lead = first arrival − warning."""
    base = seed * 100_000  # --seed N: another set of days, same rules
    history = [simulate_day(base + index) for index in range(HISTORY_DAYS)]
    profiles = learn_profiles(history) if with_profile else None
    leads, right, alarms, caught, total = [], 0, 0, 0, 0
    for index in range(HISTORY_DAYS, HISTORY_DAYS + days):
        day = simulate_day(base + index)
        spans, truth = warnings(day, profiles, index), episodes(day)
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
        "seed": seed,
        **_learnt(profiles),
    }


def _learnt(profiles: Profiles | None) -> dict[str, float]:
    """The weight and prior the profile learnt from the history days."""
    profile = (profiles or {}).get(("c", "workday"))
    if profile is None or profile.prior is None:
        return {}
    return {"level_weight": profile.weight, "level_prior": profile.prior}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.congestion")
    parser.add_argument("--quick", action="store_true", help="60 days instead of 400")
    parser.add_argument("--seed", type=int, default=0, help="another set of days")
    args = parser.parse_args()
    days = 60 if args.quick else 400
    result = score(days, seed=args.seed)
    cold = score(days, with_profile=False, seed=args.seed)
    print(
        f"{result['days']} simulated lunches, {result['episodes']} waits past "
        f"{PARAMS.warn_wait_min:.0f} min, {result['warnings']} warnings"
    )
    print(
        f"lead median {result['median_lead_min']:.1f} min (p10 "
        f"{result['p10_lead_min']:.1f}), precision {result['precision']:.2f}, "
        f"recall {result['recall']:.2f} (level weight "
        f"{result.get('level_weight', 0):.2f}, prior {result.get('level_prior', 0):.0f}"
        " learnt from the history days)"
    )
    print(
        f"without a profile (cold start, no history yet): lead median "
        f"{cold['median_lead_min']:.1f} min, precision {cold['precision']:.2f}, "
        f"recall {cold['recall']:.2f}"
    )
    extra = {
        f"noprofile_{k}": v
        for k, v in cold.items()
        if k not in ("days", "profile", "seed")
    }
    print(json.dumps({"bench": "congestion", **result, **extra}))


if __name__ == "__main__":
    main()
