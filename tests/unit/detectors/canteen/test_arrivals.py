"""Canteen arrival profiles from settled meals and queue counts."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from detectors.canteen.arrivals import arrival_profiles, profile_at
from detectors.canteen.params import CongestionParams
from detectors.core.calendar import WorkCalendar

TZ = ZoneInfo("Asia/Shanghai")
NOON = datetime(2026, 6, 10, 11, 30, tzinfo=TZ)  # Wednesday


def test_arrivals_are_meals_plus_queue_growth_averaged_per_day_group() -> None:
    served = pd.DataFrame(
        [
            (NOON + timedelta(days=d, minutes=m), "canteen-1", 10)
            for d in (0, 1, 2)
            for m in range(3)
        ],
        columns=["bucket", "canteen", "meals"],
    )
    queue = pd.DataFrame(
        [(NOON + timedelta(minutes=m), "canteen-1", 5 * m) for m in range(3)],
        columns=["bucket", "canteen", "count"],
    )
    profiles = arrival_profiles(served, queue, WorkCalendar(), TZ)
    curve = profiles[("canteen-1", "workday")]
    minute = 11 * 60 + 30
    # day 1: 10 + growth (0, 5, 5); days 2 and 3: 10 each
    assert list(curve.curve[minute : minute + 3]) == pytest.approx([10, 35 / 3, 35 / 3])
    assert curve.days == 3
    params = CongestionParams(recent_min=5, horizon_min=15)
    profile = profile_at(curve, NOON + timedelta(minutes=3), TZ, params)
    assert profile.recent == pytest.approx((10 + 70 / 3) / 5)
    assert profile.ahead == 0
