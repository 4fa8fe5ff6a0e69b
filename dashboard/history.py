"""The read model for history: time series from PostgreSQL/TimescaleDB.

Wraps the series functions of `streams.history.reads` (the only SQL) behind the fixed
spans a screen asks for. Connections come from a small SQLAlchemy `QueuePool` of psycopg
connections. Any failure (server down, schema missing) becomes the value
`HistoryUnavailable`, never an exception into a callback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, TypeVar
from zoneinfo import ZoneInfo

import pandas as pd
import psycopg
from sqlalchemy.pool import QueuePool

from dashboard.data import Clock, utc_now
from streams.history import reads

logger = logging.getLogger(__name__)

T = TypeVar("T")
Series = Literal["gate", "meals", "energy", "camera"]
Span = Literal["hour", "today", "30d"]
SERIES: dict[Series, Callable[..., pd.DataFrame]] = {
    "gate": reads.gate_series,
    "meals": reads.meals_series,
    "energy": reads.energy_series,
    "camera": reads.camera_series,
}
BUCKETS: dict[Span, timedelta] = {
    "hour": timedelta(minutes=1),
    "today": timedelta(minutes=15),
    "30d": timedelta(days=1),
}


@dataclass(frozen=True, slots=True)
class HistoryFrame:
    """One series over one span: the reads function's DataFrame and its bounds."""

    series: Series
    span: Span
    start: datetime
    end: datetime
    bucket: timedelta
    frame: pd.DataFrame


@dataclass(frozen=True, slots=True)
class HistoryUnavailable:
    series: Series
    span: Span
    reason: str


HistoryResult = HistoryFrame | HistoryUnavailable


def span_bounds(
    span: Span, now: datetime, tz: ZoneInfo, day_reset_hour: int
) -> tuple[datetime, datetime]:
    """Minute-aligned [start, end) of a span, the current minute included: the last
    hour; today since the reset hour; 30 local calendar days (daily buckets start at
    local midnight in `streams.history.reads`)."""
    end = now.astimezone(UTC).replace(second=0, microsecond=0) + timedelta(minutes=1)
    if span == "hour":
        return end - timedelta(hours=1), end
    local = now.astimezone(tz)
    if span == "today":
        start = (local - timedelta(hours=day_reset_hour)).replace(
            hour=day_reset_hour, minute=0, second=0, microsecond=0
        )
        return start.astimezone(UTC), end
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return (midnight - timedelta(days=29)).astimezone(UTC), end


class HistoryReader:
    """Series for screens: last hour per minute, today per 15 min, 30 days per day."""

    def __init__(
        self,
        url: str,
        tz: ZoneInfo,
        *,
        day_reset_hour: int = 4,
        clock: Clock = utc_now,
        pool_size: int = 2,
    ) -> None:
        self._tz = tz
        self._reset_hour = day_reset_hour
        self._clock = clock
        self._available = True
        self._pool = QueuePool(
            lambda: psycopg.connect(url, autocommit=True, connect_timeout=2),  # type: ignore[arg-type]  # a DBAPI connection SQLAlchemy's hint misses
            pool_size=pool_size,
            max_overflow=2,
            timeout=5,
        )

    def ping(self) -> bool:
        """True when PostgreSQL answers (for /readyz and /metrics)."""
        try:
            connection = self._pool.connect()
            try:
                connection.cursor().execute("SELECT 1")
            finally:
                connection.close()
        except Exception:
            return False
        return True

    def today(self, series: Series) -> HistoryResult:
        return self.read(series, "today")

    def read(self, series: Series, span: Span) -> HistoryResult:
        now = self._clock()
        start, end = span_bounds(span, now, self._tz, self._reset_hour)
        bucket = BUCKETS[span]
        try:
            frame = self._run(
                SERIES[series], start=start, end=end, bucket=bucket, tz=self._tz.key
            )
        except Exception as exc:  # any failure is a placeholder, never a traceback
            return self._unavailable(series, span, exc)
        if not self._available:
            logger.info("history available again")
        self._available = True
        return HistoryFrame(series, span, start, end, bucket, frame)

    def read_window(
        self,
        series: Series,
        start: datetime,
        end: datetime,
        bucket: timedelta,
        devices: Sequence[str] | None = None,
    ) -> pd.DataFrame | None:
        """One series over any minute-aligned window (all devices, or `devices`);
        None when history is down."""
        return self.run_query(
            SERIES[series], start=start, end=end, bucket=bucket, tz=self._tz.key,
            devices=devices,
        )  # fmt: skip

    def run_query(self, query: Callable[..., T], **kwargs: Any) -> T | None:
        """Any read function of `streams.history` (connection first); None when
        history cannot be read (logged once per outage)."""
        try:
            result: T = self._run(query, **kwargs)
        except Exception as exc:  # any failure is a placeholder, never a traceback
            self._unavailable("gate", "today", exc)
            return None
        self._available = True
        return result

    def close(self) -> None:
        self._pool.dispose()

    def _run(self, query: Callable[..., T], **kwargs: Any) -> T:
        conn = self._pool.connect()
        try:
            return query(conn.dbapi_connection, **kwargs)
        except Exception:
            conn.invalidate()  # a failed connection is not given back to the pool
            raise
        finally:
            conn.close()

    def _unavailable(
        self, series: Series, span: Span, exc: Exception
    ) -> HistoryUnavailable:
        first_line = str(exc).partition("\n")[0][:200]
        reason = f"{type(exc).__name__}: {first_line}"
        if self._available:
            logger.warning("history unavailable (%s %s): %s", series, span, reason)
        self._available = False
        return HistoryUnavailable(series, span, reason)
