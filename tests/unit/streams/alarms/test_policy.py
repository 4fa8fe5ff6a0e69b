"""Alarm policy boundaries: escalation delays and reminders, late signals, suppression
by design (canteen hours, holidays with make-up workdays, buildings out of service),
chattering and flood-time metrics."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from dashboard.duty.views import metrics_window
from streams.alarms.metrics import chattering_sources, compute, flood_seconds
from streams.alarms.notify import dingtalk_sign
from streams.alarms.policy import AlarmPolicy, design_suppression
from streams.config.site import Site

T0 = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)  # Tuesday 10:00 in Shanghai
POLICY = AlarmPolicy()


@pytest.mark.parametrize(
    ("after_s", "level", "due"),
    [
        (299, 0, None),
        (300, 0, 1),
        (301, 0, 1),
        (300 + 599, 1, None),
        (300 + 600, 1, 2),
        (300 + 601, 1, 2),
    ],
)
def test_critical_escalates_at_5_min_then_every_10(
    after_s: int, level: int, due: int | None
) -> None:
    now = T0 + timedelta(seconds=after_s)
    assert POLICY.escalation_due("critical", T0, level, now) == due


def test_notice_never_escalates_and_roles_cap() -> None:
    assert POLICY.escalation_due("notice", T0, 0, T0 + timedelta(days=1)) is None
    assert POLICY.notify_role(1) == "leader" and POLICY.notify_role(7) == "admin"


@pytest.mark.parametrize(("age_s", "late"), [(899, False), (900, False), (901, True)])
def test_late_after_15_minutes(age_s: int, late: bool) -> None:
    assert POLICY.is_late(T0 - timedelta(seconds=age_s), T0) is late


def _at(local: str) -> datetime:
    return datetime.fromisoformat(local + "+08:00")


@pytest.mark.parametrize(
    ("local", "reason"),
    [
        ("2026-03-03T12:00", None),  # lunch, Tuesday
        ("2026-03-03T13:29", None),  # 30 min grace after 13:00
        ("2026-03-03T13:31", "canteen_closed"),
        ("2026-03-03T15:00", "canteen_closed"),
        ("2026-02-17T12:00", "non_workday"),  # Spring Festival holiday
        ("2026-02-14T12:00", None),  # Saturday make-up workday
        ("2026-03-07T12:00", "non_workday"),  # ordinary Saturday
    ],
)
def test_canteen_alarms_suppressed_when_closed(
    sample_site: Site, local: str, reason: str | None
) -> None:
    found = design_suppression(
        sample_site, "canteen_congestion", "c1-w1", "canteen-1", _at(local),
        POLICY.canteen_margin,
    )  # fmt: skip
    assert found == reason


def test_workday_only_kinds_and_buildings_out_of_service(sample_site: Site) -> None:
    holiday = _at("2026-10-02T10:00")
    args = ("gate-east", "gate-east", holiday, POLICY.canteen_margin)
    assert design_suppression(sample_site, "gate_congestion", *args) == "non_workday"
    assert design_suppression(sample_site, "tailgating", *args) is None
    site = sample_site.model_copy(update={"out_of_service_buildings": ["b1"]})
    reason = design_suppression(
        site, "water_leak", "m-b1-kw", "", T0, POLICY.canteen_margin
    )
    assert reason == "building_out_of_service:b1"


def _row(at: datetime, source: str = "m1", severity: str = "minor") -> dict:
    data = {"console": "duty", "kind": "k", "source": source, "severity": severity}
    return {"at": at, "alarm_id": source, "action": "raise", "to_state": "active_unack",
            "data": data}  # fmt: skip


@pytest.mark.parametrize(("gap_s", "chatter"), [(29, True), (30, True), (31, False)])
def test_chattering_is_3_activations_within_a_minute(gap_s: int, chatter: bool) -> None:
    rows = [_row(T0 + timedelta(seconds=gap_s * i)) for i in range(3)]
    assert bool(chattering_sources(rows)) is chatter


def test_flood_time_is_clipped_to_the_window() -> None:
    floods = [("duty", T0 - timedelta(minutes=5), T0 + timedelta(minutes=5)),
              ("other", T0, None)]  # fmt: skip
    assert flood_seconds(floods, "duty", T0, T0 + timedelta(hours=1)) == 300


def test_metrics_against_targets() -> None:
    rows = [_row(T0 + timedelta(minutes=10 * i), f"m{i}") for i in range(6)]
    result = compute(rows, [], [], "duty", T0, T0 + timedelta(hours=1))
    assert result.figure("m_per_10min").value == pytest.approx(1.0)
    assert result.figure("m_per_10min").verdict == "ok"
    assert result.figure("m_chattering").value == 0


def test_dingtalk_signature_matches_the_documented_recipe() -> None:
    import base64
    import hashlib
    import hmac
    import urllib.parse

    secret, ts = "SECabc", 1_700_000_000_000
    mac = hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256)
    expected = urllib.parse.quote_plus(base64.b64encode(mac.digest()).decode())
    assert dingtalk_sign(secret, ts) == expected


@pytest.mark.parametrize(
    ("utc", "period", "start_utc"),
    [
        # 2026-11-20 00:00 in Shanghai is 2026-11-19 16:00 UTC
        (
            datetime(2026, 11, 19, 15, 59, tzinfo=UTC),
            "day",
            datetime(2026, 11, 18, 16, 0, tzinfo=UTC),
        ),
        (
            datetime(2026, 11, 19, 16, 0, tzinfo=UTC),
            "day",
            datetime(2026, 11, 19, 16, 0, tzinfo=UTC),
        ),
        (
            datetime(2026, 11, 19, 16, 1, tzinfo=UTC),
            "week",
            datetime(2026, 11, 13, 16, 0, tzinfo=UTC),
        ),
    ],
)
def test_metrics_window(utc: datetime, period: str, start_utc: datetime) -> None:
    assert metrics_window(utc, ZoneInfo("Asia/Shanghai"), period) == start_utc  # type: ignore[arg-type]
