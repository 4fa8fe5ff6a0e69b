"""The pure alarm lifecycle: every transition, authorization and the shelve bound."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from streams.alarms.actions import (
    Acknowledge,
    Actor,
    Assign,
    ClearByHand,
    Comment,
    ConditionCleared,
    Escalate,
    InvalidTransition,
    NotAuthorized,
    RemoveFromService,
    ReturnToService,
    Shelve,
    Signal,
    Suppress,
    Unshelve,
    Unsuppress,
)
from streams.alarms.model import Alarm, open_alarm, transition

T0 = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)
DUTY = Actor("张三", "duty")
ADMIN = Actor("admin", "admin")
LEADER = Actor("李四", "leader")


def new(severity: str = "critical", latching: bool = False) -> Alarm:
    signal = Signal(T0, severity, "1号楼 用水异常")  # type: ignore[arg-type]
    alarm, entry = open_alarm("a1", "duty", "water_leak", "m1", "b1", signal, T0,
                              latching=latching)  # fmt: skip
    assert entry.action == "raise" and entry.to_state == "active_unack"
    return alarm


def step(alarm: Alarm, action: object, actor: Actor | None = None, dt: int = 10):
    now = T0 + timedelta(seconds=dt)
    if actor is None:
        return transition(alarm, action, now)  # type: ignore[arg-type]
    return transition(alarm, action, now, actor)  # type: ignore[arg-type]


def test_ack_then_clear_returns_to_normal() -> None:
    acked, entry = step(new(), Acknowledge("在处理"), DUTY)
    assert (entry.from_state, entry.to_state, entry.comment) == (
        "active_unack",
        "active_ack",
        "在处理",
    )
    assert acked.acked_by == "张三" and entry.operator == "张三"
    closed, entry = step(acked, ConditionCleared(T0 + timedelta(seconds=20)), dt=20)
    assert entry.to_state == "normal" and closed.closed_at is not None


def test_clear_then_ack_returns_to_normal() -> None:
    cleared, entry = step(new(), ConditionCleared(T0 + timedelta(seconds=5)))
    assert entry.to_state == "cleared_unack" and cleared.is_open
    closed, entry = step(cleared, Acknowledge(), DUTY)
    assert entry.to_state == "normal" and not closed.is_open


def test_repeat_counts_and_reactivation_needs_a_new_ack() -> None:
    alarm = new()
    repeated, entry = step(alarm, Signal(T0 + timedelta(seconds=5), "critical", "m"))
    assert repeated.count == 2 and entry.data["repeat"] and repeated.activations == 1
    cleared, _ = step(repeated, ConditionCleared(T0 + timedelta(seconds=6)))
    again, entry = step(cleared, Signal(T0 + timedelta(seconds=7), "critical", "m"))
    assert entry.data["reactivated"] and again.activations == 2
    assert again.state == "active_unack"


def test_latching_alarm_stays_active_until_cleared_by_hand() -> None:
    acked, _ = step(new(latching=True), Acknowledge(), DUTY)
    latched, entry = step(acked, ConditionCleared(T0 + timedelta(seconds=20)), dt=20)
    assert latched.state == "active_ack" and entry.data["latched"]
    _closed, entry = step(latched, ClearByHand("已复位"), DUTY, dt=30)
    assert entry.to_state == "normal" and entry.action == "clear"


def test_critical_with_condition_cannot_be_cleared_by_hand() -> None:
    with pytest.raises(InvalidTransition):
        step(new("critical"), ClearByHand(), DUTY)
    closed, _ = step(new("minor"), ClearByHand(), DUTY)
    assert not closed.is_open


@pytest.mark.parametrize(("minutes", "ok"), [(0, False), (1, True), (479, True),
                                              (480, True), (481, False)])  # fmt: skip
def test_shelve_bounded_by_the_maximum(minutes: int, ok: bool) -> None:
    action = Shelve("检修", minutes, 480)
    if not ok:
        with pytest.raises(InvalidTransition):
            step(new(), action, DUTY)
        return
    shelved, entry = step(new(), action, DUTY)
    assert entry.to_state == "shelved"
    assert shelved.shelved_until == T0 + timedelta(seconds=10, minutes=minutes)


def test_shelve_needs_a_reason_and_unshelve_restores() -> None:
    with pytest.raises(InvalidTransition):
        step(new(), Shelve(" ", 30, 480), DUTY)
    shelved, _ = step(new(), Shelve("检修", 30, 480), DUTY)
    back, entry = step(shelved, Unshelve(), dt=40)
    assert entry.to_state == "active_unack" and back.shelved_until is None


def test_out_of_service_by_leader_only() -> None:
    with pytest.raises(NotAuthorized):
        step(new(), RemoveFromService("传感器故障"), DUTY)
    oos, entry = step(new(), RemoveFromService("传感器故障"), LEADER)
    assert entry.to_state == "out_of_service"
    with pytest.raises(InvalidTransition):
        step(oos, Acknowledge(), DUTY)
    _back, entry = step(oos, ReturnToService(), ADMIN)
    assert entry.to_state == "active_unack"


def test_suppression_by_design_is_system_only() -> None:
    with pytest.raises(NotAuthorized):
        step(new(), Suppress("canteen_closed"), ADMIN)
    suppressed, entry = step(new(), Suppress("canteen_closed"))
    assert entry.to_state == "suppressed" and entry.operator == "system"
    _back, entry = step(suppressed, Unsuppress())
    assert entry.to_state == "active_unack"


@pytest.mark.parametrize("role", ["kiosk", "security"])
def test_roles_without_shelve(role: str) -> None:
    with pytest.raises(NotAuthorized):
        step(new(), Shelve("x", 10, 480), Actor("someone", role))  # type: ignore[arg-type]


def test_assign_and_comment_are_journaled_without_state_change() -> None:
    assigned, entry = step(new(), Assign("王五"), DUTY)
    assert assigned.assignee == "王五" and entry.from_state == entry.to_state
    commented, entry = step(assigned, Comment("已电话通知物业"), Actor("s", "security"))
    assert entry.comment == "已电话通知物业" and commented.version == 3
    with pytest.raises(InvalidTransition):
        step(new(), Comment("  "), DUTY)


def test_double_ack_and_closed_alarm_refused() -> None:
    acked, _ = step(new(), Acknowledge(), DUTY)
    with pytest.raises(InvalidTransition):
        step(acked, Acknowledge(), DUTY)
    closed = replace(acked, closed_at=T0)
    with pytest.raises(InvalidTransition):
        step(closed, Comment("x"), DUTY)


def test_late_clear_older_than_the_latest_activation_is_ignored() -> None:
    alarm = replace(new(), last_seen=T0 + timedelta(minutes=5))
    with pytest.raises(InvalidTransition):
        step(alarm, ConditionCleared(T0 + timedelta(minutes=1)))


def test_escalation_rises_and_stops_after_ack() -> None:
    escalated, entry = step(new(), Escalate(1, "leader"))
    assert escalated.escalation_level == 1 and entry.data["notify_role"] == "leader"
    with pytest.raises(InvalidTransition):
        step(escalated, Escalate(1, "leader"))
    acked, _ = step(escalated, Acknowledge(), DUTY)
    with pytest.raises(InvalidTransition):
        step(acked, Escalate(2, "admin"))
