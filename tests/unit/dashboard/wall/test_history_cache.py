"""The wall's history cache: stale-while-refresh, the usual day over past weeks, and
derived values that follow each new read of today."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd

from dashboard.wall.history_cache import TtlCache, WallHistory
from tests.unit.dashboard.test_app import AT

TZ = ZoneInfo("Asia/Shanghai")


def test_ttl_cache_serves_stale_while_it_refreshes() -> None:
    now, calls = [0.0], []
    queued: list[Callable[[], object]] = []
    cache = TtlCache(lambda: now[0], background=queued.append)

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert cache.get("k", 30, compute) == 1 and cache.get("k", 30, compute) == 1
    now[0] = 31.0
    assert cache.get("k", 30, compute) == 1  # expired: served, one refresh queued
    assert cache.get("k", 30, compute) == 1 and len(queued) == 1
    queued.pop()()  # the background refresh runs
    assert cache.get("k", 30, compute) == 2 and calls == [1, 1]


def test_ttl_cache_reads_anew_after_a_quiet_spell() -> None:
    now, calls = [0.0], []
    queued: list[Callable[[], object]] = []
    cache = TtlCache(lambda: now[0], background=queued.append)

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert cache.get("k", 30, compute) == 1
    now[0] = 60.0  # expired for exactly one period: still served stale
    assert cache.get("k", 30, compute) == 1 and len(queued) == 1
    queued.clear()
    now[0] = 90.1  # nobody asked for over a period since it expired at 60 + 30
    assert cache.get("k", 30, compute) == 2 and not queued


class WeeksOfGate:
    """Our own stand-in for HistoryReader: gate rows for some past weeks."""

    def __init__(self, weeks: dict[int, int], day_start: datetime) -> None:
        self.weeks, self.day_start = weeks, day_start

    def read_window(self, series: str, start: datetime, end: datetime, *_: object):
        week = round((self.day_start - start) / timedelta(days=7))
        n = self.weeks.get(week)
        rows = (
            []
            if n is None
            else [(start + timedelta(minutes=15), "staff", "in", "granted", n)]
        )
        return pd.DataFrame(
            rows, columns=["bucket", "subject", "direction", "result", "n"]
        )


def test_usual_day_averages_weeks_with_data() -> None:
    now = datetime(2025, 5, 12, 10, 0, tzinfo=TZ)
    day_start = datetime(2025, 5, 12, 4, 0, tzinfo=TZ)
    history = WallHistory(
        WeeksOfGate({1: 10, 2: 20}, day_start),  # type: ignore[arg-type]  # a fake reader
        TZ,
        clock=lambda: now,
    )
    usual = history.usual_day("gate")
    assert usual is not None and usual.weeks == 2
    assert usual.frame["slot"].tolist() == [1] and usual.frame["n"].tolist() == [15.0]
    empty = WallHistory(WeeksOfGate({}, day_start), TZ, clock=lambda: now)  # type: ignore[arg-type]
    assert empty.usual_day("gate") is None


class TodayReads:
    """Our own stand-in for HistoryReader: what `today` returns, settable."""

    def __init__(self) -> None:
        self.rows = 0

    def today(self, series: str) -> int:
        return self.rows


def test_derived_values_follow_each_new_read_of_today() -> None:
    now = [0.0]
    queued: list[Callable[[], object]] = []
    reader = TodayReads()
    history = WallHistory(
        reader,  # type: ignore[arg-type]
        TZ,
        clock=lambda: AT,
        cache=TtlCache(lambda: now[0], background=queued.append),
    )
    chart = lambda: reader.rows * 10  # noqa: E731 (reads no cached series itself)
    assert history.derived("chart", chart) == 0
    reader.rows = 5  # history filled while the wall runs
    assert history.derived("chart", chart) == 0  # today's reads are still fresh
    now[0] = 31.0  # expired: asking for a derived value re-reads today's series
    assert history.derived("chart", chart) == 0 and queued
    while queued:
        queued.pop()()
    assert history.derived("chart", chart) == 50  # at once, not a cycle later
