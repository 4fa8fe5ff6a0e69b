"""History for the wall, cached server-side and shared by every screen and browser.

Wraps `HistoryReader` with a small cache (today's series: 30 s, refreshed in the
background while the previous value is served; a "usual day": per day, refreshed
every 6 hours), and computes the usual day: the same
weekday over the past 4 weeks, per 15 minutes, averaged over the weeks that have
data. No data at all is `None`, shown as "no baseline yet", never as a number.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

import pandas as pd

from dashboard.data import Clock, utc_now
from dashboard.history import (
    HistoryReader,
    HistoryResult,
    HistoryUnavailable,
    Series,
    span_bounds,
)
from streams.history import screen_reads

T = TypeVar("T")
SLOT = timedelta(minutes=15)
WEEKS = 4
TODAY_TTL_S = 30.0
TODAY_SERIES: tuple[Series, ...] = ("gate", "energy", "meals")  # what the wall reads
USUAL_TTL_S = 6 * 3600.0  # past weeks do not change; the key holds the day


class TtlCache:
    """A small thread-safe cache with stale-while-revalidate: a fresh value is
    returned as is; an expired one is still returned while one background refresh
    runs, so no screen's callback waits for PostgreSQL after the first read. A value
    expired for longer than its period (nobody asked meanwhile) is read anew: the
    first screen opened after a quiet spell does not show old data."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        background: Callable[[Callable[[], None]], object] | None = None,
        keep_s: float = 3600.0,
    ) -> None:
        self._clock = clock
        self._items: dict[object, tuple[float, object]] = {}
        self._refreshing: set[object] = set()
        self._lock = threading.Lock()
        self._keep_s = keep_s
        self._background = background or _REFRESHER.submit

    def get(self, key: object, ttl_s: float, compute: Callable[[], T]) -> T:
        with self._lock:
            hit = self._items.get(key)
            now = self._clock()
            if hit is not None and now > hit[0] + ttl_s:
                hit = None  # unused for over a period (no screen open): read anew
            if hit is not None and (hit[0] <= now and key not in self._refreshing):
                self._refreshing.add(key)
                self._background(lambda: self._refresh(key, ttl_s, compute))
        if hit is not None:
            return hit[1]  # type: ignore[return-value]  # a key is only stored with its T
        value = compute()  # first read: outside the lock, blocks no other key
        self._store(key, ttl_s, value)
        return value

    def _refresh(self, key: object, ttl_s: float, compute: Callable[[], T]) -> None:
        try:
            self._store(key, ttl_s, compute())
        finally:
            with self._lock:
                self._refreshing.discard(key)

    def _store(self, key: object, ttl_s: float, value: object) -> None:
        with self._lock:
            now = self._clock()
            self._items = {
                k: v for k, v in self._items.items() if v[0] > now - self._keep_s
            }
            self._items[key] = (now + ttl_s, value)


_REFRESHER = ThreadPoolExecutor(max_workers=2, thread_name_prefix="wall-history")


class _Unreadable(Exception):
    """History could not be read (kept out of the cache)."""


@dataclass(frozen=True, slots=True)
class UsualDay:
    """The usual day of one series: its rows with a `slot` column (0 = the day's
    first 15 minutes) and the measures averaged over `weeks` weeks with data."""

    frame: pd.DataFrame
    weeks: int


class WallHistory:
    def __init__(
        self,
        history: HistoryReader | None,
        tz: ZoneInfo,
        *,
        day_reset_hour: int = 4,
        clock: Clock = utc_now,
        usual_devices: Mapping[str, Sequence[str]] | None = None,
        cache: TtlCache | None = None,
    ) -> None:
        self._history = history
        self._usual_devices = dict(usual_devices or {})  # series → devices it needs
        self._tz = tz
        self._reset_hour = day_reset_hour
        self._clock = clock
        self._cache = cache or TtlCache()
        self._generation = 0  # how many times a today series was (re)read
        self._derived: dict[object, tuple[int, object]] = {}
        self._derived_lock = threading.Lock()

    @property
    def available(self) -> bool:
        return self._history is not None

    def day_start(self) -> datetime:
        start, _ = span_bounds("today", self._clock(), self._tz, self._reset_hour)
        return start

    def today(self, series: Series) -> HistoryResult:
        history = self._history
        if history is None:
            return HistoryUnavailable(series, "today", "no database configured")
        return self._cache.get(
            ("today", series), TODAY_TTL_S, lambda: self._read_today(history, series)
        )

    def _read_today(self, history: HistoryReader, series: Series) -> HistoryResult:
        result = history.today(series)
        with self._derived_lock:
            self._generation += 1  # what was derived from the older read is stale
        return result

    def derived(self, key: object, compute: Callable[[], T]) -> T:
        """Something computed from history (a chart, a baseline), shared by every
        screen until a today series is read again. Recomputed then, in the caller:
        a background refresh could still see the older series and lag a cycle
        (a wall started before its history showed empty charts a minute longer)."""
        self._keep_today_fresh()
        with self._derived_lock:
            generation = self._generation
            hit = self._derived.get(key)
        if hit is not None and hit[0] == generation:
            return hit[1]  # type: ignore[return-value]  # a key is only stored with its T
        value = compute()
        with self._derived_lock:
            self._derived[key] = (generation, value)
        return value

    def usual_day(self, series: Series) -> UsualDay | None:
        """The usual day, or None when there is no history for it (or history cannot
        be read: not cached then, so the next refresh tries again)."""
        key = ("usual", series, self.day_start())
        try:
            return self._cache.get(key, USUAL_TTL_S, lambda: self._read_usual(series))
        except _Unreadable:
            return None

    def _keep_today_fresh(self) -> None:
        """Touch today's series: an expired one is re-read in the background, which
        moves the generation on (a cached derived value alone would never expire)."""
        if self._history is not None:
            for series in TODAY_SERIES:
                self.today(series)

    def prefetch(self) -> None:
        """Fill the cache in the background at start: no screen waits for it."""
        if self._history is None:
            return
        for series in TODAY_SERIES:
            _REFRESHER.submit(self.today, series)
        for series in ("gate", "energy"):
            _REFRESHER.submit(self.usual_day, series)

    def gate_flow_last_hour(self) -> dict[str, tuple[int, int, int]] | None:
        end = self._minute_end()
        return self._query(
            "gate_flow", screen_reads.gate_flow_by_device, end - timedelta(hours=1), end
        )

    def meals_last_15min(self) -> dict[str, int] | None:
        end = self._minute_end()
        return self._query("meals_15", screen_reads.meals_by_window, end - SLOT, end)

    def camera_kinds_today(self) -> dict[str, int] | None:
        start = self.day_start()
        return self._query(
            "camera_kinds",
            screen_reads.camera_events_by_kind,
            start,
            self._minute_end(),
        )

    def expected_visitors_today(self) -> int | None:
        start = self.day_start()
        return self._query(
            "expected",
            screen_reads.appointments_expected,
            start,
            start + timedelta(days=1),
        )

    def today_query(self, name: str, fn: Callable[..., T]) -> T | None:
        """Any `streams.history` read (``fn(conn, start=, end=)``) over today so
        far, cached like the other reads; None when history cannot be read."""
        return self._query(name, fn, self.day_start(), self._minute_end())

    def _minute_end(self) -> datetime:
        now = self._clock().replace(second=0, microsecond=0)
        return now + timedelta(minutes=1)

    def _query(
        self, name: str, fn: Callable[..., T], start: datetime, end: datetime
    ) -> T | None:
        history = self._history
        if history is None:
            return None
        return self._cache.get(
            (name, start, end),
            TODAY_TTL_S,
            lambda: history.run_query(fn, start=start, end=end),
        )

    def _read_usual(self, series: Series) -> UsualDay | None:
        if self._history is None:
            return None
        frames = []
        for week in range(1, WEEKS + 1):
            start = self.day_start() - timedelta(days=7 * week)
            devices = self._usual_devices.get(series)
            end = start + timedelta(days=1)
            frame = self._history.read_window(series, start, end, SLOT, devices)
            if frame is None:
                raise _Unreadable(series)
            if len(frame):
                stamps = pd.to_datetime(frame["bucket"], utc=True)
                slots = ((stamps - pd.Timestamp(start)) // pd.Timedelta(SLOT)).astype(
                    int
                )
                frames.append(frame.drop(columns="bucket").assign(slot=slots))
        if not frames:
            return None
        return UsualDay(
            _average(pd.concat(frames, ignore_index=True), len(frames)), len(frames)
        )


def _average(frame: pd.DataFrame, weeks: int) -> pd.DataFrame:
    """Sum per slot and key columns, divided by the number of weeks."""
    numeric = [c for c in _measures(frame) if c != "slot"]
    keys = ["slot", *(c for c in frame.columns if c not in numeric and c != "slot")]
    summed = frame.groupby(keys, dropna=False)[numeric].sum().reset_index()
    summed[numeric] = summed[numeric].astype(float) / weeks
    return summed


def _measures(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]


def usual_so_far(
    usual: UsualDay | None, slot: int, fraction: float = 1.0
) -> pd.DataFrame | None:
    """Rows of the usual day before `slot`, plus `fraction` of the slot itself."""
    if usual is None:
        return None
    frame = usual.frame
    done = frame[frame["slot"] < slot]
    partial = frame[frame["slot"] == slot]
    numeric = [c for c in _measures(frame) if c != "slot"]
    partial = partial.assign(**{c: partial[c] * fraction for c in numeric})
    return pd.concat([done, partial], ignore_index=True)
