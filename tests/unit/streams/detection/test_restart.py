"""After a restart: open conditions taken over (latch, re-judged kinds, the hub)
and the visitor book restored from history (−1 / at / +1 of hold, grace, deadline)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from detectors.access.gates import GateWatch
from detectors.access.params import GateParams
from detectors.core.latch import Latch
from detectors.core.signals import AlarmSignal
from streams.detection import DetectionHub
from streams.detection.resume import REJUDGE, Rejudged
from streams.history.visitor_reads import VisitorHistory
from streams.wire.contracts import AppointmentEvent
from tests import builders
from tests.detection_runs import ListSink, sample_site

T0 = datetime(2026, 6, 10, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
HOLD = timedelta(minutes=10)
SECOND = timedelta(seconds=1)
P = GateParams()


def condition(kind: str, source: str, at: datetime = T0) -> AlarmSignal:
    return AlarmSignal(
        kind=kind,
        source=source,
        severity="major",
        state="active",
        observed_at=at,
        message=f"{source} {kind}",
        area=source,
    )


def test_adopted_latch_stays_quiet_on_repeats() -> None:
    latch = Latch(HOLD)
    latch.adopt(condition("tailgating", "gate-east"))
    assert latch.trip(condition("tailgating", "gate-east", T0 + SECOND)) is None
    assert latch.is_open("tailgating", "gate-east")


@pytest.mark.parametrize(
    ("quiet", "cleared"), [(HOLD - SECOND, False), (HOLD, True), (HOLD + SECOND, True)]
)
def test_adopted_latch_clears_after_its_hold(quiet: timedelta, cleared: bool) -> None:
    latch = Latch(HOLD)
    latch.adopt(condition("tailgating", "gate-east"))
    out = latch.expire(T0 + quiet)
    assert [s.state for s in out] == (["cleared"] if cleared else [])


@pytest.mark.parametrize(
    ("after", "cleared"),
    [(REJUDGE - SECOND, False), (REJUDGE, True), (REJUDGE + SECOND, True)],
)
def test_rejudged_condition_clears_when_not_raised_again(
    after: timedelta, cleared: bool
) -> None:
    waiting = Rejudged()
    waiting.add(condition("sustained_excess", "m-b1-kw"))
    assert waiting.settle([], T0) == []  # the first event time since the restart
    out = waiting.settle([], T0 + after)
    assert [(s.kind, s.state) for s in out] == (
        [("sustained_excess", "cleared")] if cleared else []
    )


def test_rejudged_condition_raised_again_is_left_to_its_detector() -> None:
    waiting = Rejudged()
    waiting.add(condition("sustained_excess", "m-b1-kw"))
    waiting.settle([condition("sustained_excess", "m-b1-kw")], T0)
    assert waiting.settle([], T0 + 2 * REJUDGE) == []


def hub_at(now: datetime) -> tuple[DetectionHub, ListSink]:
    sink = ListSink()
    return DetectionHub(sample_site(), sink, clock=lambda: now), sink


def test_hub_takes_over_a_tailgating_alarm() -> None:
    """A repeat raises nothing new; the quiet spell clears it (passed to the sink
    although this process never raised it)."""
    hub, sink = hub_at(T0 + timedelta(minutes=30))
    assert hub.resume([condition("tailgating", "gate-east")]) == 1
    hub.observe([builders.gate("in", "staff", ts=T0 + timedelta(minutes=20))])
    hub.tick()
    assert [(s.kind, s.state) for s in sink.signals] == [("tailgating", "cleared")]


def test_hub_clears_a_congestion_alarm_it_took_over() -> None:
    hub, sink = hub_at(T0 + timedelta(minutes=5))
    assert hub.resume([condition("canteen_congestion", "canteen-1")]) == 1
    for minute in range(5):  # one batch a minute: calm, windows open
        ts = T0 + timedelta(minutes=minute)
        hub.observe([builders.meal("c1-w1", 0, kind="window_open", ts=ts)])
    assert [(s.kind, s.source, s.state) for s in sink.signals] == [
        ("canteen_congestion", "canteen-1", "cleared")
    ]


def booking(action: str, ts: datetime, ident: str = "AP1") -> AppointmentEvent:
    return AppointmentEvent(
        event_id=uuid.uuid4(),
        ts=ts,
        device="visitor-booking",
        appointment_id=ident,
        action=action,  # type: ignore[arg-type]
        visitor_name="张三",
        host_name="李四",
        unit="市发改委",
        expected_from=T0,
        expected_to=T0 + timedelta(hours=1),
    )


def visitor(ts: datetime, direction: str = "in") -> object:
    return builders.gate(
        direction,
        "visitor",
        ts=ts,
        credential_kind="qr",
        credential="QRAP1",
        appointment_id="AP1",
    )


def restored(*passes: object, bookings: tuple[AppointmentEvent, ...] = ()) -> GateWatch:
    watch = GateWatch(ZoneInfo("Asia/Shanghai"), {}, P)
    made = bookings or (booking("created", T0 - timedelta(days=2)),)
    watch.visitors.restore(made, passes, T0 - timedelta(days=7))  # type: ignore[arg-type]
    return watch


def test_restored_booking_admits_its_visitor() -> None:
    watch = restored()
    assert watch.pass_(visitor(T0 + timedelta(minutes=5))) == []  # type: ignore[arg-type]


def test_restored_book_knows_an_unknown_appointment_at_once() -> None:
    watch = restored()
    stranger = builders.gate(
        "in",
        "visitor",
        ts=T0,
        credential_kind="qr",
        credential="QRX",
        appointment_id="X",
    )
    assert [s.kind for s in watch.pass_(stranger)] == ["visitor_no_appointment"]


def test_older_version_never_undoes_a_newer_one() -> None:
    cancelled = booking("cancelled", T0 - timedelta(hours=5))
    created = booking("created", T0 - timedelta(days=2))
    watch = restored(bookings=(cancelled, created))
    watch.visitors.book(created)  # a replay of the old version, live
    assert watch.visitors.bookings["AP1"].cancelled


GRACE = timedelta(minutes=P.overstay_grace_min)
END = T0 + timedelta(hours=1)


@pytest.mark.parametrize(
    ("after", "raised"),
    [(GRACE - SECOND, False), (GRACE, True), (GRACE + SECOND, True)],
)
def test_restored_visitor_on_site_overstays(after: timedelta, raised: bool) -> None:
    watch = restored(visitor(T0 + timedelta(minutes=5)))
    kinds = [s.kind for s in watch.evaluate(END + after)]
    assert kinds == (["visitor_overstay"] if raised else [])


def test_restored_visitor_who_left_does_not_overstay() -> None:
    watch = restored(visitor(T0), visitor(T0 + timedelta(minutes=50), "out"))
    assert watch.evaluate(END + 2 * GRACE) == []


def test_restored_older_pass_never_undoes_a_live_one() -> None:
    watch = restored()
    watch.pass_(visitor(T0 + timedelta(minutes=5)))  # type: ignore[arg-type]
    watch.pass_(visitor(T0 + timedelta(minutes=50), "out"))  # type: ignore[arg-type]
    watch.visitors.restore([], [visitor(T0 + timedelta(minutes=5))], None)  # type: ignore[list-item]
    assert watch.visitors.on_site == {}


def test_hub_restores_visitors_from_history() -> None:
    hub, sink = hub_at(END + GRACE + timedelta(minutes=1))
    history = VisitorHistory(
        appointments=[booking("created", T0 - timedelta(days=2))],
        passes=[visitor(T0 + timedelta(minutes=5))],  # type: ignore[list-item]
        complete_since=T0 - timedelta(days=7),
    )
    hub.restore_visitors(history)
    hub.observe([builders.gate("in", "staff", ts=END + GRACE + SECOND)])
    hub.tick()
    assert sink.raised() == {("visitor_overstay", "AP1")}
