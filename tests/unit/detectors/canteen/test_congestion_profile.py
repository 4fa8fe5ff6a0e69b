"""The profile side of the canteen forecast: the weight of today's level (−1 / at /
+1 of its bounds), the fit that learns it from past days, the 3-day minimum, and a
warning taken over after a restart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

from detectors.canteen.alert import CongestionAlert
from detectors.canteen.arrivals import MIN_DAYS, arrival_profiles, fit_level
from detectors.canteen.congestion import CongestionState
from detectors.canteen.forecast import ArrivalProfile, forecast_arrivals
from detectors.canteen.params import CongestionParams
from detectors.core.calendar import WorkCalendar

P = CongestionParams()
TZ = ZoneInfo("Asia/Shanghai")
LUNCH = 11 * 60 + 20


@pytest.mark.parametrize(
    ("weight", "valid"), [(-0.01, False), (0.0, True), (1.0, True), (1.01, False)]
)
def test_weight_bounds(weight: float, valid: bool) -> None:
    if valid:
        ArrivalProfile(10.0, 20.0, weight)
    else:
        with pytest.raises(ValueError, match="weight"):
            ArrivalProfile(10.0, 20.0, weight)


def test_weight_moves_the_horizon_between_profile_and_todays_level() -> None:
    busier = 15.0  # against a usual 10 per minute
    alone = forecast_arrivals(busier, ArrivalProfile(10.0, 20.0, 0.0, 25.0), P)
    half = forecast_arrivals(busier, ArrivalProfile(10.0, 20.0, 0.5, 25.0), P)
    full = forecast_arrivals(busier, ArrivalProfile(10.0, 20.0, 1.0, 25.0), P)
    level = (15 * 5 + 25) / (10 * 5 + 25)
    assert alone == pytest.approx(20.0)
    assert full == pytest.approx(20.0 * level)
    assert half == pytest.approx(20.0 * (1 + 0.5 * (level - 1)))


def _rush(scale: float, rng: np.random.Generator, noise: float = 0.0) -> np.ndarray:
    day = np.zeros(1440)
    minutes = np.arange(90)
    curve = 600 * minutes**2 * np.exp(-minutes / 6.5) / (2 * 6.5**3)
    day[LUNCH : LUNCH + 90] = scale * curve + noise * rng.standard_normal(90)
    return np.clip(day, 0.0, None)


def _carried(days: list[np.ndarray]) -> float:
    """How much of a 30 % busier start of the rush the fitted forecast carries into
    the horizon (1.0: none, 1.3: all of it)."""
    fit = fit_level(days, P)
    usual = ArrivalProfile(20.0, 25.0, fit.weight, fit.prior)
    return forecast_arrivals(1.3 * 20.0, usual, P) / 25.0


def test_fit_trusts_today_when_busy_days_stay_busy() -> None:
    rng = np.random.default_rng(7)
    days = [_rush(s, rng) for s in (0.7, 0.85, 1.0, 1.15, 1.3, 0.8, 1.2)]
    assert fit_level(days, P).weight > 0.8
    assert _carried(days) > 1.2


def test_fit_trusts_the_profile_when_deviations_are_noise() -> None:
    rng = np.random.default_rng(7)
    days = [_rush(1.0, rng, noise=6.0) for _ in range(10)]
    assert _carried(days) < 1.05


def _frames(days: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    first = datetime(2026, 6, 8, 11, 30, tzinfo=TZ)  # a Monday
    rows = [
        (first + timedelta(days=d, minutes=m), "c1", 10 + d)
        for d in range(days)
        for m in range(30)
    ]
    served = pd.DataFrame(rows, columns=["bucket", "canteen", "meals"])
    return served, pd.DataFrame(columns=["bucket", "canteen", "count"])


@pytest.mark.parametrize("days", [MIN_DAYS - 1, MIN_DAYS, MIN_DAYS + 1])
def test_a_profile_needs_three_days_of_its_group(days: int) -> None:
    profiles = arrival_profiles(*_frames(days), WorkCalendar(), TZ, P)
    assert (("c1", "workday") in profiles) == (days >= MIN_DAYS)
    if days >= MIN_DAYS:
        assert profiles[("c1", "workday")].days == days


def test_make_up_workday_joins_the_workday_profile() -> None:
    served, queue = _frames(MIN_DAYS - 1)
    saturday = datetime(2026, 6, 13, 11, 30, tzinfo=TZ)
    extra = pd.DataFrame(
        [(saturday + timedelta(minutes=m), "c1", 12) for m in range(30)],
        columns=["bucket", "canteen", "meals"],
    )
    calendar = WorkCalendar.of(makeup_workdays=[saturday.date()])
    served = pd.concat([served, extra], ignore_index=True)
    profiles = arrival_profiles(served, queue, calendar, TZ, P)
    assert profiles[("c1", "workday")].days == MIN_DAYS
    assert ("c1", "offday") not in profiles


def _state(wait: float, forecast: float) -> CongestionState:
    at = datetime(2026, 6, 10, 4, 0, tzinfo=UTC)
    return CongestionState(
        "c1", "一食堂", at, True, 40.0, wait, forecast, 10.0, 8.0, 8.0, "较忙"
    )


def test_adopted_warning_is_not_raised_again() -> None:
    alert = CongestionAlert("c1", "c1", P)
    alert.adopt()
    assert [alert.update(_state(25.0, 30.0)) for _ in range(5)] == [None] * 5


@pytest.mark.parametrize(
    ("calm", "cleared"),
    [
        (P.clear_evaluations - 1, False),
        (P.clear_evaluations, True),
        (P.clear_evaluations + 1, True),
    ],
)
def test_adopted_warning_clears_by_hysteresis(calm: int, cleared: bool) -> None:
    alert = CongestionAlert("c1", "c1", P)
    alert.adopt()
    signals = [alert.update(_state(5.0, 6.0)) for _ in range(calm)]
    done = [s for s in signals if s is not None]
    assert bool(done) == cleared
    assert all(s.state == "cleared" for s in done) and len(done) <= 1
