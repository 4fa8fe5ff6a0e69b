"""Canteen congestion: Erlang C, forecast, level, advice, hysteresis (−1 / at / +1)."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest

from detectors.canteen.alert import CongestionAlert, advise
from detectors.canteen.congestion import (
    CanteenMonitor,
    CongestionState,
    canteen_specs,
    level_of,
)
from detectors.canteen.params import CongestionParams
from detectors.canteen.queueing import erlang_c, forecast_wait, mmc_wait

T0 = datetime(2026, 6, 10, 3, 40, tzinfo=UTC)  # 11:40 in Shanghai
SPECS = canteen_specs(
    [
        ("c1", "一食堂", [("w1", "1号窗口", 4.0), ("w2", "2号窗口", 4.0)]),
        ("c2", "二食堂", [("v1", "1号窗口", 3.0)]),
    ]
)
PARAMS = CongestionParams(
    warn_wait_min=20, clear_wait_min=12, busy_wait_min=5, margin_min=0
)


def test_erlang_c_matches_the_textbook_value() -> None:
    # a = 2 Erlang on 3 servers: C = 4/9
    assert erlang_c(2.0, 1.0, 3) == pytest.approx(4 / 9)
    assert mmc_wait(2.0, 1.0, 3) == pytest.approx((4 / 9) / (3 - 2))


def test_erlang_c_saturated_and_empty() -> None:
    assert erlang_c(3.0, 1.0, 3) == 1.0
    assert math.isinf(mmc_wait(3.0, 1.0, 3))
    assert mmc_wait(0.0, 1.0, 3) == 0.0


def test_forecast_carries_the_backlog_forward() -> None:
    # 40 waiting, 10 arriving and 8 served per minute: 70 after 15 min (8.75 min of
    # wait); the spread of the arrivals is not added on top of the backlog
    assert forecast_wait(40, 10, 8, 2, 15) == pytest.approx(70 / 8)
    # stable: 4 per minute on 8: no backlog, the (capped) M/M/2 wait
    assert forecast_wait(0, 4, 8, 2, 15) == pytest.approx(mmc_wait(4, 4, 2))
    # near saturation the M/M/2 wait is capped by one standard deviation of the
    # horizon's arrivals: 7.9 per minute on 8 → sqrt(7.9 * 15) / 8
    assert forecast_wait(0, 7.9, 8, 2, 15) == pytest.approx(math.sqrt(7.9 * 15) / 8)
    assert forecast_wait(0, 0, 8, 2, 15) == 0.0


@pytest.mark.parametrize(
    ("wait", "level"),
    [(4.9, "畅通"), (5.0, "较忙"), (5.1, "较忙"), (19.9, "较忙"), (20.0, "拥堵")],
)
def test_level_at_each_threshold(wait: float, level: str) -> None:
    assert level_of(wait, PARAMS) == level


def _monitor(queue_now: int, queue_before: int, served_per_min: int) -> CanteenMonitor:
    monitor = CanteenMonitor(SPECS["c1"], PARAMS)
    monitor.set_window("w1", True)
    monitor.set_window("w2", True)
    monitor.see_queue(T0 - timedelta(minutes=5), queue_before)
    for minute in range(5):
        ts = T0 - timedelta(minutes=5 - minute, seconds=-10)
        monitor.settle("w1", ts, served_per_min)
    monitor.see_queue(T0, queue_now)
    return monitor


def test_monitor_estimates_arrivals_queue_and_wait() -> None:
    state = _monitor(queue_now=80, queue_before=40, served_per_min=8).evaluate(T0)
    assert state.queue == 80
    assert state.capacity_per_min == 8.0
    assert state.wait_min == pytest.approx(10.0)
    # 40 served + 40 more waiting over 5 minutes: 16 per minute
    assert state.served_per_min == 8.0
    assert state.arrival_per_min == pytest.approx(16 * 0.6321, rel=0.01)
    assert state.forecast_wait_min > state.wait_min
    assert [w.source for w in state.windows] == ["w1", "w2"]
    assert state.windows[0].queue == pytest.approx(40)


def test_stale_camera_count_is_not_used() -> None:
    monitor = CanteenMonitor(SPECS["c1"], PARAMS)
    monitor.set_window("w1", True)
    monitor.see_queue(T0 - timedelta(seconds=PARAMS.camera_fresh_s + 1), 90)
    assert monitor.evaluate(T0).queue == 0


def _state(
    cid: str, wait: float, forecast: float, open_ids: tuple[str, ...]
) -> CongestionState:
    windows = tuple(
        CongestionState(w.id, w.name, T0, w.id in open_ids, 0, 0, 0, 0, 0, 0, "")
        for w in SPECS[cid].windows
    )
    return CongestionState(
        cid,
        SPECS[cid].name,
        T0,
        True,
        10,
        wait,
        forecast,
        5,
        4,
        4,
        level_of(max(wait, forecast), PARAMS),
        windows=windows,
    )


def test_advice_opens_a_closed_window_and_points_to_the_calm_canteen() -> None:
    states = {
        "c1": _state("c1", 12, 25, ("w1",)),
        "c2": _state("c2", 1, 2, ("v1",)),
    }
    advice = advise(states, SPECS, PARAMS)
    assert advice["c1"].advice == "开放 2 号窗口；建议前往二食堂"
    assert advice["c2"].advice == ""


def test_advice_when_every_window_is_open() -> None:
    states = {"c1": _state("c1", 12, 25, ("w1", "w2"))}
    assert advise(states, SPECS, PARAMS)["c1"].advice == "增派人手加快出餐"


@pytest.mark.parametrize(
    ("forecast", "raised"), [(19.9, False), (20.0, True), (20.1, True)]
)
def test_alert_threshold_needs_consecutive_evaluations(
    forecast: float, raised: bool
) -> None:
    alert = CongestionAlert("c1", "c1", PARAMS)
    state = _state("c1", 5, forecast, ("w1",))
    assert alert.update(state) is None  # one evaluation is not enough
    signal = alert.update(state)
    assert (signal is not None) == raised
    if signal is not None:
        assert signal.kind == "canteen_congestion" and signal.state == "active"
        assert signal.details["forecast_wait_min"] == forecast


@pytest.mark.parametrize(
    ("wait", "cleared"), [(11.9, True), (12.0, False), (12.1, False)]
)
def test_alert_clears_with_hysteresis(wait: float, cleared: bool) -> None:
    alert = CongestionAlert("c1", "c1", PARAMS)
    for _ in range(2):
        alert.update(_state("c1", 15, 25, ("w1",)))
    assert alert.active
    calm = _state("c1", wait, 0, ("w1",))
    results = [alert.update(calm) for _ in range(PARAMS.clear_evaluations)]
    assert (results[-1] is not None) == cleared
    assert all(r is None for r in results[:-1])


@pytest.mark.parametrize(("forecast", "raised"), [(16.9, False), (17.0, True)])
def test_alert_margin_warns_before_the_threshold(forecast: float, raised: bool) -> None:
    params = CongestionParams(warn_wait_min=20, clear_wait_min=12, margin_min=3)
    alert = CongestionAlert("c1", "c1", params)
    state = _state("c1", 5, forecast, ("w1",))
    results = [alert.update(state) for _ in range(params.confirm_evaluations)]
    assert (results[-1] is not None) == raised


def test_profile_scales_the_horizon_by_todays_level() -> None:
    from detectors.canteen.forecast import ArrivalProfile, forecast_arrivals

    usual = ArrivalProfile(recent=10.0, ahead=20.0)
    assert forecast_arrivals(10.0, usual, PARAMS) == pytest.approx(20.0)
    busier = forecast_arrivals(15.0, usual, PARAMS)  # shrunk towards 1 by the prior
    assert 20.0 < busier < 30.0
    assert forecast_arrivals(10.0, None, PARAMS) < 10.0  # decaying rush
