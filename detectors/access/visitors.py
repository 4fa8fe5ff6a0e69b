"""Visitors against their appointments (访客预约): no appointment, outside the
window, still on site after it ended. Used by `gates.GateWatch`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from detectors.access.params import GateParams, GatePass
from detectors.core.signals import AlarmSignal


class Appointment(Protocol):
    @property
    def ts(self) -> datetime: ...
    @property
    def appointment_id(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def expected_from(self) -> datetime: ...
    @property
    def expected_to(self) -> datetime: ...


@dataclass(frozen=True, slots=True)
class Booking:
    appointment_id: str
    unit: str
    expected_from: datetime
    expected_to: datetime
    cancelled: bool = False
    version: datetime | None = None  # event time of this version


@dataclass(slots=True)
class VisitorBook:
    """Known appointments and the visitors on site (appointment id -> entry).

    `restore` reloads both from history after a restart; versions and pass times
    keep it order-proof: an older version or pass never undoes a newer one."""

    bookings: dict[str, Booking] = field(default_factory=dict)
    on_site: dict[str, tuple[datetime, str]] = field(default_factory=dict)
    moved: dict[str, datetime] = field(default_factory=dict)  # id -> latest pass
    complete_since: datetime | None = None  # bookings before this may be missing

    def book(self, event: Appointment) -> None:
        known = self.bookings.get(event.appointment_id)
        if known is not None and known.version and known.version > event.ts:
            return
        self.bookings[event.appointment_id] = Booking(
            event.appointment_id,
            event.unit,
            event.expected_from,
            event.expected_to,
            event.action == "cancelled",
            event.ts,
        )
        if self.complete_since is None:  # every booking from now on is seen
            self.complete_since = event.ts

    def restore(
        self,
        appointments: Iterable[Appointment],
        passes: Iterable[GatePass],
        complete_since: datetime | None,
    ) -> None:
        """Appointments and visitor passes from history (no signals): bookings
        made since `complete_since` are all among `appointments`."""
        for appointment in sorted(appointments, key=lambda a: a.ts):
            self.book(appointment)
        for event in sorted(passes, key=lambda p: p.ts):
            self._move(event)
        if complete_since is not None:
            known = self.complete_since
            self.complete_since = min(complete_since, known or complete_since)

    def _move(self, event: GatePass) -> bool:
        """Enter or leave for a visitor pass with an appointment; False when a
        newer pass of the same appointment is known already."""
        key = event.appointment_id
        if not key or event.result != "granted":
            return False
        if key in self.moved and self.moved[key] >= event.ts:
            return False
        self.moved[key] = event.ts
        if event.direction == "out":
            self.on_site.pop(key, None)
        elif key in self.bookings:
            self.on_site[key] = (event.ts, event.device)
        return True

    def forget_before(self, ts: datetime) -> None:
        for key in [k for k, b in self.bookings.items() if b.expected_to < ts]:
            if key not in self.on_site:
                del self.bookings[key]
                self.moved.pop(key, None)

    def on_pass(self, event: GatePass, params: GateParams) -> list[AlarmSignal]:
        if event.subject == "staff" or (
            event.subject == "vehicle" and event.appointment_id is None
        ):
            return []
        if event.direction == "out":
            self._move(event)
            return []
        booking = self.bookings.get(event.appointment_id or "")
        if booking is None or booking.cancelled:
            unknown = booking is None and event.appointment_id
            if unknown and not self._sure_unknown(event.ts):
                return []
            return [_no_appointment(event, booking)]
        self._move(event)
        early = booking.expected_from - timedelta(minutes=params.visitor_early_min)
        late = booking.expected_to + timedelta(minutes=params.visitor_late_min)
        if early <= event.ts <= late:
            return []
        return [_outside_window(event, booking)]

    def _sure_unknown(self, ts: datetime) -> bool:
        """Bookings are made up to 30 h ahead: only then is a missing one missing."""
        return self.complete_since is not None and ts - self.complete_since > timedelta(
            hours=30
        )

    def overstays(self, mark: datetime, params: GateParams) -> list[AlarmSignal]:
        grace = timedelta(minutes=params.overstay_grace_min)
        self.forget_before(mark - grace - timedelta(days=1))
        out = []
        for key, (entered, gate) in self.on_site.items():
            booking = self.bookings.get(key)
            if booking is None or mark < booking.expected_to + grace:
                continue
            over = (mark - booking.expected_to).total_seconds() / 60
            out.append(
                AlarmSignal(
                    kind="visitor_overstay",
                    source=key,
                    area=gate,
                    severity="minor",
                    state="active",
                    observed_at=mark,
                    message=f"访客（{booking.unit}，预约{key}）预约结束已{over:.0f}分钟仍在园区",
                    details={
                        "appointment_id": key,
                        "expected_to": booking.expected_to.isoformat(),
                        "entered": entered.isoformat(),
                        "over_min": round(over),
                    },
                    evidence={"stream": "gate,appointment", "appointment": key},
                )
            )
        return out


def _visitor_signal(
    event: GatePass, kind: str, source: str, message: str, **details: str
) -> AlarmSignal:
    return AlarmSignal(
        kind=kind,
        source=source,
        area=event.device,
        severity="minor",
        state="active",
        observed_at=event.ts,
        message=message,
        details={"credential": event.credential, "gate": event.device, **details},
        evidence={
            "stream": "gate,appointment",
            "device": event.device,
            "at": event.ts.isoformat(),
        },
    )


def _no_appointment(event: GatePass, booking: Booking | None) -> AlarmSignal:
    why = "预约已取消" if booking is not None else "无有效预约"
    return _visitor_signal(
        event,
        "visitor_no_appointment",
        event.device,
        f"访客经{event.device}进入但{why}",
        appointment_id=event.appointment_id or "",
    )


def _outside_window(event: GatePass, booking: Booking) -> AlarmSignal:
    return _visitor_signal(
        event,
        "visitor_outside_window",
        booking.appointment_id,
        f"访客（预约{booking.appointment_id}）不在预约时段内进入",
        expected_from=booking.expected_from.isoformat(),
        expected_to=booking.expected_to.isoformat(),
    )
