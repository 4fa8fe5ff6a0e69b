"""The alarm lifecycle (ISA-18.2 / IEC 62682), pure: no I/O, time is an argument.

An `Alarm` is one (kind, source) condition from its first activation until it returns
to normal. `transition(alarm, action, now, actor)` returns the next alarm and the
journal entry that records the step, or raises `InvalidTransition` /
`NotAuthorized`. Presentation state (`Alarm.state`) is derived from three facts:
whether the alarm is active, whether it is acknowledged, and its mode (normal,
shelved, suppressed by design, out of service).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Literal

from detectors.core.signals import Severity
from streams.alarms.actions import (
    SYSTEM,
    Acknowledge,
    Action,
    Actor,
    Assign,
    ClearByHand,
    Comment,
    ConditionCleared,
    Escalate,
    Group,
    InvalidTransition,
    RemoveFromService,
    ReturnToService,
    Shelve,
    Signal,
    Suppress,
    Unshelve,
    Unsuppress,
    authorize,
)

AlarmMode = Literal["normal", "shelved", "suppressed", "out_of_service"]
AlarmState = Literal[
    "normal",
    "active_unack",
    "active_ack",
    "cleared_unack",
    "shelved",
    "suppressed",
    "out_of_service",
]


@dataclass(frozen=True, slots=True)
class Alarm:
    id: str
    console: str
    kind: str
    source: str
    area: str
    severity: Severity
    message: str
    first_seen: datetime
    last_seen: datetime
    raised_at: datetime  # latest activation (event time)
    details: Mapping[str, Any] = field(default_factory=dict)
    evidence: Mapping[str, Any] = field(default_factory=dict)
    latching: bool = False
    condition: bool = True  # the detector's latest word: condition present
    active: bool = True  # condition present, or latched after it went away
    acknowledged: bool = False
    mode: AlarmMode = "normal"
    mode_reason: str = ""
    mode_by: str = ""
    shelved_until: datetime | None = None
    count: int = 1
    activations: int = 1
    version: int = 1
    acked_at: datetime | None = None
    acked_by: str = ""
    cleared_at: datetime | None = None
    closed_at: datetime | None = None
    assignee: str = ""
    escalation_level: int = 0
    escalated_at: datetime | None = None
    summary_id: str | None = None
    is_summary: bool = False

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def state(self) -> AlarmState:
        if not self.is_open:
            return "normal"
        if self.mode != "normal":
            return self.mode
        if self.active:
            return "active_ack" if self.acknowledged else "active_unack"
        return "cleared_unack"

    @property
    def presented(self) -> bool:
        """Shown in the live list (not shelved, suppressed, out of service, or folded
        into a flood summary)."""
        return self.is_open and self.mode == "normal" and self.summary_id is None


@dataclass(frozen=True, slots=True)
class JournalEntry:
    alarm_id: str
    at: datetime
    action: str
    operator: str
    role: str
    from_state: AlarmState
    to_state: AlarmState
    comment: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)


def open_alarm(
    alarm_id: str,
    console: str,
    kind: str,
    source: str,
    area: str,
    signal: Signal,
    now: datetime,
    *,
    latching: bool = False,
    is_summary: bool = False,
) -> tuple[Alarm, JournalEntry]:
    """A new alarm, active and unacknowledged, and its 'raise' journal entry."""
    alarm = Alarm(
        id=alarm_id,
        console=console,
        kind=kind,
        source=source,
        area=area,
        severity=signal.severity,
        message=signal.message,
        first_seen=signal.observed_at,
        last_seen=signal.observed_at,
        raised_at=signal.observed_at,
        details=dict(signal.details),
        evidence=dict(signal.evidence),
        latching=latching,
        is_summary=is_summary,
    )
    entry = JournalEntry(
        alarm_id, now, "raise", SYSTEM.operator, SYSTEM.role, "normal", alarm.state
    )
    return alarm, _with_data(entry, alarm)


def _with_data(entry: JournalEntry, alarm: Alarm) -> JournalEntry:
    data = {"severity": alarm.severity, "console": alarm.console, "kind": alarm.kind}
    data |= {"source": alarm.source, "area": alarm.area}
    return replace(entry, data={**data, **entry.data})


def transition(
    alarm: Alarm, action: Action, now: datetime, actor: Actor = SYSTEM
) -> tuple[Alarm, JournalEntry]:
    """Apply one action. Raises NotAuthorized, or InvalidTransition when the action
    does not apply (closed alarm, nothing would change, bad argument)."""
    authorize(actor, action)
    if not alarm.is_open:
        raise InvalidTransition(f"alarm {alarm.id} is closed")
    before = alarm.state
    after, comment, data = apply_action(alarm, action, now, actor)
    if not after.active and after.acknowledged and after.closed_at is None:
        after = replace(after, closed_at=now)
    after = replace(after, version=alarm.version + 1)
    entry = JournalEntry(
        alarm.id,
        now,
        action.name,
        actor.operator,
        actor.role,
        before,
        after.state,
        comment,
        data,
    )
    return after, _with_data(entry, after)


Outcome = tuple[Alarm, str, Mapping[str, Any]]  # next alarm, comment, journal data


def _on_signal(alarm: Alarm, action: Signal, now: datetime) -> Outcome:
    latest = max(alarm.last_seen, action.observed_at)
    updated = replace(
        alarm,
        count=alarm.count + 1,
        last_seen=latest,
        severity=action.severity,
        message=action.message,
        details=dict(action.details),
        evidence=dict(action.evidence),
        condition=True,
    )
    if alarm.active:
        return updated, "", {"repeat": True}
    updated = replace(
        updated,
        active=True,
        acknowledged=False,
        acked_at=None,
        acked_by="",
        cleared_at=None,
        raised_at=action.observed_at,
        activations=alarm.activations + 1,
        escalation_level=0,
        escalated_at=None,
    )
    return updated, "", {"reactivated": True}


def _on_cleared(alarm: Alarm, action: ConditionCleared, now: datetime) -> Outcome:
    if not alarm.condition:
        raise InvalidTransition("condition already cleared")
    if action.observed_at < alarm.last_seen:
        raise InvalidTransition("clear is older than the latest activation")
    if alarm.latching:
        return replace(alarm, condition=False), "", {"latched": True}
    return (
        replace(alarm, condition=False, active=False, cleared_at=action.observed_at),
        "",
        {},
    )


def _on_ack(alarm: Alarm, action: Acknowledge, now: datetime, by: str) -> Outcome:
    if alarm.acknowledged:
        raise InvalidTransition("already acknowledged")
    if alarm.mode in ("suppressed", "out_of_service"):
        raise InvalidTransition(f"cannot acknowledge while {alarm.mode}")
    return (
        replace(alarm, acknowledged=True, acked_at=now, acked_by=by),
        (action.comment),
        {},
    )


def _on_shelve(alarm: Alarm, action: Shelve, now: datetime, by: str) -> Outcome:
    if alarm.mode != "normal":
        raise InvalidTransition(f"cannot shelve while {alarm.mode}")
    if not action.reason.strip():
        raise InvalidTransition("a shelve needs a reason")
    if not 1 <= action.minutes <= action.max_minutes:
        raise InvalidTransition(
            f"shelve for 1 to {action.max_minutes} minutes, not {action.minutes}"
        )
    until = now + timedelta(minutes=action.minutes)
    shelved = replace(
        alarm,
        mode="shelved",
        mode_reason=action.reason,
        mode_by=by,
        shelved_until=until,
    )
    return (
        shelved,
        action.reason,
        {"until": until.isoformat(), "minutes": action.minutes},
    )


def _leave_mode(alarm: Alarm, mode: AlarmMode) -> Alarm:
    if alarm.mode != mode:
        raise InvalidTransition(f"alarm is not {mode}")
    return replace(alarm, mode="normal", mode_reason="", mode_by="", shelved_until=None)


def _enter_mode(alarm: Alarm, mode: AlarmMode, reason: str, by: str) -> Alarm:
    allowed = ("normal", "shelved") if mode == "out_of_service" else ("normal",)
    if alarm.mode not in allowed:
        raise InvalidTransition(f"cannot go {mode} while {alarm.mode}")
    if not reason.strip():
        raise InvalidTransition(f"{mode} needs a reason")
    return replace(alarm, mode=mode, mode_reason=reason, mode_by=by, shelved_until=None)


def manual_clear_allowed(alarm: Alarm) -> bool:
    """Clearing by hand is allowed once the condition is gone (a latched or
    unacknowledged return to normal), or for minor and notice alarms (one-off events
    that never send a clear). A critical or major alarm whose condition persists must
    be fixed at the source, or taken out of service by a leader."""
    return (not alarm.condition) or alarm.severity in ("minor", "notice")


def _on_clear(alarm: Alarm, action: ClearByHand, now: datetime, by: str) -> Outcome:
    if not manual_clear_allowed(alarm):
        raise InvalidTransition("the condition persists: cannot clear by hand")
    cleared = replace(
        alarm,
        condition=False,
        active=False,
        acknowledged=True,
        acked_at=alarm.acked_at or now,
        acked_by=alarm.acked_by or by,
        cleared_at=alarm.cleared_at or now,
        mode="normal" if alarm.mode == "shelved" else alarm.mode,
        shelved_until=None,
    )
    return cleared, action.comment, {}


def _text(value: str, what: str) -> str:
    if not value.strip():
        raise InvalidTransition(f"{what} is empty")
    return value.strip()


def _on_escalate(alarm: Alarm, action: Escalate, now: datetime) -> Outcome:
    if alarm.acknowledged or alarm.mode != "normal":
        raise InvalidTransition("only unacknowledged, presented alarms escalate")
    if action.level <= alarm.escalation_level:
        raise InvalidTransition("escalation level must rise")
    escalated = replace(alarm, escalation_level=action.level, escalated_at=now)
    return escalated, "", {"level": action.level, "notify_role": action.notify_role}


def apply_action(alarm: Alarm, action: Action, now: datetime, actor: Actor) -> Outcome:
    """The dispatch: one small handler per action."""
    by = actor.operator
    match action:
        case Signal():
            return _on_signal(alarm, action, now)
        case ConditionCleared():
            return _on_cleared(alarm, action, now)
        case Acknowledge():
            return _on_ack(alarm, action, now, by)
        case Shelve():
            return _on_shelve(alarm, action, now, by)
        case Unshelve():
            return _leave_mode(alarm, "shelved"), "", {}
        case Assign():
            name = _text(action.assignee, "assignee")
            return replace(alarm, assignee=name), "", {"assignee": name}
        case Comment():
            return alarm, _text(action.text, "comment"), {}
        case ClearByHand():
            return _on_clear(alarm, action, now, by)
        case RemoveFromService():
            oos = _enter_mode(alarm, "out_of_service", action.reason, by)
            return oos, action.reason, {}
        case ReturnToService():
            return _leave_mode(alarm, "out_of_service"), "", {}
        case Suppress():
            suppressed = _enter_mode(alarm, "suppressed", action.reason, by)
            return suppressed, action.reason, {}
        case Unsuppress():
            return _leave_mode(alarm, "suppressed"), "", {}
        case Escalate():
            return _on_escalate(alarm, action, now)
        case Group():
            return replace(alarm, summary_id=action.summary_id), "", {}
    raise InvalidTransition(f"unknown action {action!r}")
