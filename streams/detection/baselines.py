"""Meter baselines and canteen arrival profiles from history, for the runner."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta, tzinfo

import pandas as pd
import psycopg

from detectors.canteen.arrivals import Profiles, arrival_profiles
from detectors.core.calendar import WorkCalendar
from detectors.energy.baseline import Baseline, build_baseline
from streams.detection.specs import SiteDetection
from streams.history.reads import camera_series, energy_series, meals_series

logger = logging.getLogger(__name__)
SLOT = timedelta(minutes=15)


def baseline_from_history(
    conn: psycopg.Connection,
    *,
    now: datetime,
    weeks: int,
    calendar: WorkCalendar,
    tz: tzinfo,
) -> Baseline:
    """Slot statistics of the `weeks` before today's local midnight (today is not
    history yet: an ongoing anomaly must not become its own baseline)."""
    local = now.astimezone(tz)
    end = datetime(local.year, local.month, local.day, tzinfo=tz)
    frame = energy_series(
        conn, start=end - timedelta(weeks=weeks), end=end, bucket=SLOT, tz=str(tz)
    )
    return build_baseline(frame, calendar, tz, slot_min=int(SLOT.total_seconds() // 60))


def profiles_from_history(
    conn: psycopg.Connection, *, now: datetime, weeks: int, spec: SiteDetection
) -> Profiles:
    """Canteen arrival profiles (`detectors.canteen.arrivals`) of the `weeks` before
    today: meals settled per minute per canteen plus the queue cameras' growth."""
    local = now.astimezone(spec.tz)
    end = datetime(local.year, local.month, local.day, tzinfo=spec.tz)
    start, minute, tz = end - timedelta(weeks=weeks), timedelta(minutes=1), str(spec.tz)
    meals = meals_series(conn, start=start, end=end, bucket=minute, tz=tz)
    cameras = camera_series(conn, start=start, end=end, bucket=minute, tz=tz)
    return profiles_from_frames(meals, cameras, spec)


def profiles_from_frames(
    meals: pd.DataFrame, cameras: pd.DataFrame, spec: SiteDetection
) -> Profiles:
    """Profiles from 1-minute `meals_series` (bucket, device, meals) and
    `camera_series` (bucket, zone, max_count) frames: windows summed per canteen,
    the queue zones' counts per canteen."""
    meals = meals.assign(canteen=meals["device"].map(spec.window_canteen))
    served = pd.DataFrame(
        meals.dropna(subset=["canteen"])
        .groupby(["bucket", "canteen"], as_index=False)["meals"]
        .sum()
    )
    cameras = cameras.assign(canteen=cameras["zone"].map(spec.queue_zones))
    queue = cameras.dropna(subset=["canteen"]).rename(columns={"max_count": "count"})
    return arrival_profiles(served, queue, spec.calendar, spec.tz, spec.congestion)


class BaselineCache:
    """The latest baseline and when it was built; `due(now)` says when to rebuild."""

    def __init__(self, refresh: timedelta = timedelta(hours=1)) -> None:
        self.refresh = refresh
        self.built_at: datetime | None = None
        self.baseline = Baseline()

    def due(self, now: datetime) -> bool:
        return self.built_at is None or now - self.built_at >= self.refresh

    def store(self, baseline: Baseline, now: datetime) -> None:
        self.baseline, self.built_at = baseline, now
        logger.info("meter baseline rebuilt: %d slot statistics", len(baseline.stats))


class ProfileCache:
    """Canteen profiles are learnt from the weeks before today: once per local day
    (`due`), retried 5 minutes after a failure."""

    def __init__(self) -> None:
        self.day: date | None = None
        self.retry_at: datetime | None = None

    def due(self, now: datetime, tz: tzinfo) -> bool:
        if self.day == now.astimezone(tz).date():
            return False
        return self.retry_at is None or now >= self.retry_at

    def failed(self, now: datetime) -> None:
        self.retry_at = now + timedelta(minutes=5)

    def store(self, profiles: Profiles, now: datetime, tz: tzinfo) -> None:
        self.day, self.retry_at = now.astimezone(tz).date(), None
        logger.info(
            "canteen profiles learnt: %s",
            ", ".join(
                f"{c}/{g} {p.days} days weight {p.weight:.2f}"
                for (c, g), p in sorted(profiles.items())
            )
            or "none (fewer than 3 days of history per day group)",
        )
