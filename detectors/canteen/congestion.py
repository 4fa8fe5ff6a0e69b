"""Canteen congestion (食堂拥堵): queue, wait, a 15-minute forecast, level and advice.

`CanteenMonitor` keeps one canteen's recent facts in event time: settlements per
window per minute (the service actually delivered), window open/close, and the queue
counted by the canteen's queue camera when there is one. `evaluate(at)` turns them into
a `CongestionState` per canteen and per window. The arrival rate is what was served
plus how the queue grew over the last minutes, blended with the same-time profile of
past weeks when one is given (`forecast`); the forecast wait is
`queueing.forecast_wait`. Advice and the warning with hysteresis are in
`alert`; `watch` runs a compound's canteens minute by minute.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from detectors.canteen.forecast import ArrivalProfile, forecast_arrivals
from detectors.canteen.params import CanteenSpec, CongestionParams, WindowSpec
from detectors.canteen.queueing import forecast_wait

LEVELS_ZH = ("畅通", "较忙", "拥堵")
KIND = "canteen_congestion"


@dataclass(frozen=True, slots=True)
class CongestionState:
    """What a screen shows for one canteen or one window."""

    source: str
    name: str
    at: datetime
    open: bool
    queue: float
    wait_min: float
    forecast_wait_min: float
    arrival_per_min: float
    capacity_per_min: float
    served_per_min: float
    level: str
    advice: str = ""
    windows: tuple[CongestionState, ...] = ()


def level_of(wait_min: float, params: CongestionParams) -> str:
    if wait_min >= params.warn_wait_min:
        return LEVELS_ZH[2]
    return LEVELS_ZH[1] if wait_min >= params.busy_wait_min else LEVELS_ZH[0]


def _minute(ts: datetime) -> int:
    return int(ts.timestamp() // 60)


@dataclass(slots=True)
class CanteenMonitor:
    """One canteen's recent settlements, windows and queue counts (event time)."""

    spec: CanteenSpec
    params: CongestionParams = field(default_factory=CongestionParams)
    open_windows: set[str] = field(default_factory=set)
    served: dict[int, int] = field(default_factory=dict)  # epoch minute -> meals
    served_by_window: dict[tuple[str, int], int] = field(default_factory=dict)
    queue_counts: deque[tuple[datetime, int]] = field(default_factory=deque)

    def settle(self, window: str, ts: datetime, count: int) -> None:
        minute = _minute(ts)
        self.served[minute] = self.served.get(minute, 0) + count
        key = (window, minute)
        self.served_by_window[key] = self.served_by_window.get(key, 0) + count

    def set_window(self, window: str, is_open: bool) -> None:
        (self.open_windows.add if is_open else self.open_windows.discard)(window)

    def see_queue(self, ts: datetime, count: int) -> None:
        self.queue_counts.append((ts, count))

    def _forget(self, at: datetime) -> None:
        oldest = _minute(at) - 4 * self.params.recent_min - 5
        for minute in [m for m in self.served if m < oldest]:
            del self.served[minute]
        for key in [k for k in self.served_by_window if k[1] < oldest]:
            del self.served_by_window[key]
        horizon = at - timedelta(minutes=4 * self.params.recent_min + 5)
        while self.queue_counts and self.queue_counts[0][0] < horizon:
            self.queue_counts.popleft()

    def _queue_at(self, at: datetime) -> float | None:
        """The last camera count at or before `at`, if fresh enough."""
        fresh = timedelta(seconds=self.params.camera_fresh_s)
        seen = [c for ts, c in self.queue_counts if at - fresh <= ts <= at]
        return float(seen[-1]) if seen else None

    def _served_between(self, first: int, last: int) -> int:
        return sum(self.served.get(m, 0) for m in range(first, last))

    def evaluate(
        self, at: datetime, profile: ArrivalProfile | None = None
    ) -> CongestionState:
        """The state at `at` (a minute boundary: the minutes before it are complete)."""
        self._forget(at)
        p, now = self.params, _minute(at)
        served = self._served_between(now - p.recent_min, now)
        queue = self._queue_at(at)
        before = self._queue_at(at - timedelta(minutes=p.recent_min))
        if queue is None:  # no camera: a queue exists when windows run at capacity
            queue, before = 0.0, 0.0
        before = queue if before is None else before
        recent = max(0.0, (served + queue - before) / p.recent_min)
        arrival = forecast_arrivals(recent, profile, p)
        open_specs = [w for w in self.spec.windows if w.id in self.open_windows]
        standing = min(queue, before)  # a queue through the whole span
        capacity = self._capacity(open_specs, standing, served / p.recent_min)
        wait = queue / capacity if capacity > 0 else (float("inf") if queue else 0.0)
        ahead = forecast_wait(queue, arrival, capacity, len(open_specs), p.horizon_min)
        if not open_specs and not queue:  # closed and nobody waiting: no forecast
            ahead = 0.0  # (the profile knows diners come once it opens)
        state = CongestionState(
            source=self.spec.id,
            name=self.spec.name,
            at=at,
            open=bool(open_specs),
            queue=queue,
            wait_min=wait,
            forecast_wait_min=ahead,
            arrival_per_min=arrival,
            capacity_per_min=capacity,
            served_per_min=served / p.recent_min,
            level=level_of(max(wait, ahead), p),
        )
        return replace(state, windows=self._window_states(state, now))

    def _capacity(
        self, open_specs: list[WindowSpec], queue: float, served_per_min: float
    ) -> float:
        """Configured pace of the open windows; when a queue stood all along (the
        windows were saturated) what they actually served, when that is slower."""
        configured = sum(w.rate_per_min for w in open_specs)
        if queue < 2 * len(open_specs) or served_per_min <= 0:
            return configured
        floor = self.params.min_pace_share * configured
        return max(min(configured, served_per_min), floor)

    def _window_states(
        self, total: CongestionState, now: int
    ) -> tuple[CongestionState, ...]:
        p, out = self.params, []
        for w in self.spec.windows:
            is_open = w.id in self.open_windows
            share = (
                w.rate_per_min / total.capacity_per_min
                if is_open and total.capacity_per_min
                else 0.0
            )
            served = sum(
                self.served_by_window.get((w.id, m), 0)
                for m in range(now - p.recent_min, now)
            )
            out.append(
                replace(
                    total,
                    source=w.id,
                    name=w.name,
                    open=is_open,
                    queue=total.queue * share,
                    wait_min=total.wait_min if is_open else 0.0,
                    forecast_wait_min=total.forecast_wait_min if is_open else 0.0,
                    arrival_per_min=total.arrival_per_min * share,
                    capacity_per_min=w.rate_per_min if is_open else 0.0,
                    served_per_min=served / p.recent_min,
                    level=total.level if is_open else "关闭",
                    windows=(),
                )
            )
        return tuple(out)


def canteen_specs(
    rows: Sequence[tuple[str, str, Sequence[tuple[str, str, float]]]],
) -> dict[str, CanteenSpec]:
    """Specs from (canteen id, name, [(window id, name, rate)]) rows."""
    return {
        cid: CanteenSpec(
            cid,
            name,
            tuple(WindowSpec(w, n, i + 1, r) for i, (w, n, r) in enumerate(ws)),
        )
        for cid, name, ws in rows
    }
