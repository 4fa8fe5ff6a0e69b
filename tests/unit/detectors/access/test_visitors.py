"""Visitors against appointments (−1 / at / +1 around the windows and the grace)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

import pytest

from detectors.access.gates import GateWatch
from detectors.access.params import GateParams
from streams.wire.contracts import AppointmentEvent
from tests import builders

FROM = datetime(2026, 6, 10, 2, 0, tzinfo=UTC)
TO = FROM + timedelta(hours=1)
P = GateParams()


def booking(
    action: Literal["created", "changed", "cancelled"] = "created",
) -> AppointmentEvent:
    return AppointmentEvent(
        event_id=uuid.uuid4(),
        ts=FROM - timedelta(hours=3),
        device="visitor-booking",
        appointment_id="AP1",
        action=action,
        visitor_name="张三",
        host_name="李四",
        unit="市发改委",
        expected_from=FROM,
        expected_to=TO,
    )


def visitor(ts: datetime, direction: str = "in", appointment: str | None = "AP1"):
    return builders.gate(
        direction,
        "visitor",
        ts=ts,
        credential_kind="qr",
        credential=f"QR{appointment}",
        appointment_id=appointment,
    )


def watch() -> GateWatch:
    w = GateWatch(ZoneInfo("Asia/Shanghai"), {}, P)
    w.visitors.book(booking())
    return w


@pytest.mark.parametrize(
    ("offset_min", "raised"),
    [
        (-P.visitor_early_min - 1, True),
        (-P.visitor_early_min, False),
        (0, False),
        (60 + P.visitor_late_min, False),
        (60 + P.visitor_late_min + 1, True),
    ],
)
def test_entry_outside_the_window(offset_min: int, raised: bool) -> None:
    found = watch().pass_(visitor(FROM + timedelta(minutes=offset_min)))
    assert ([s.kind for s in found] == ["visitor_outside_window"]) == raised


def test_visitor_without_appointment() -> None:
    (signal,) = watch().pass_(visitor(FROM, appointment=None))
    assert (signal.kind, signal.source) == ("visitor_no_appointment", "gate-east")


def test_cancelled_appointment_counts_as_none() -> None:
    w = watch()
    w.visitors.book(booking("cancelled"))
    assert [s.kind for s in w.pass_(visitor(FROM))] == ["visitor_no_appointment"]


def test_unknown_appointment_only_once_the_book_is_complete() -> None:
    w = watch()
    assert w.pass_(visitor(FROM, appointment="AP404")) == []
    w.visitors.complete_since = FROM - timedelta(hours=31)
    assert [s.kind for s in w.pass_(visitor(FROM, appointment="AP405"))] == [
        "visitor_no_appointment"
    ]


@pytest.mark.parametrize(
    ("after_min", "raised"),
    [
        (P.overstay_grace_min - 1, False),
        (P.overstay_grace_min, True),
        (P.overstay_grace_min + 1, True),
    ],
)
def test_overstay(after_min: int, raised: bool) -> None:
    w = watch()
    w.pass_(visitor(FROM))
    found = w.evaluate(TO + timedelta(minutes=after_min))
    assert ([s.kind for s in found] == ["visitor_overstay"]) == raised


def test_visitor_who_left_does_not_overstay() -> None:
    w = watch()
    w.pass_(visitor(FROM))
    w.pass_(visitor(TO, "out"))
    assert w.evaluate(TO + timedelta(minutes=P.overstay_grace_min + 1)) == []
