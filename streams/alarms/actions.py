"""Alarm actions (what may happen to an alarm), roles and who may do what.

Operator actions are authorized by role; the role is always derived on the server
(settings or, after #8, the login session), never taken from the browser.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from detectors.core.signals import Severity

Role = Literal["duty", "security", "leader", "admin", "kiosk", "system"]
ROLES: tuple[Role, ...] = ("duty", "security", "leader", "admin", "kiosk")


class AlarmError(ValueError):
    """An operator or engine action that cannot be applied."""


class InvalidTransition(AlarmError):
    """The action does not apply to the alarm in its current state."""


class NotAuthorized(AlarmError):
    """The role may not take this action."""


@dataclass(frozen=True, slots=True)
class Actor:
    operator: str
    role: Role


SYSTEM = Actor("system", "system")


@dataclass(frozen=True, slots=True)
class Signal:
    """The detector says the condition is present (a repeat or a re-activation)."""

    observed_at: datetime
    severity: Severity
    message: str
    details: Mapping[str, Any] = field(default_factory=dict)
    evidence: Mapping[str, Any] = field(default_factory=dict)
    name = "signal"


@dataclass(frozen=True, slots=True)
class ConditionCleared:
    observed_at: datetime
    name = "condition_cleared"


@dataclass(frozen=True, slots=True)
class Acknowledge:
    comment: str = ""
    name = "acknowledge"


@dataclass(frozen=True, slots=True)
class Shelve:
    reason: str
    minutes: int
    max_minutes: int
    name = "shelve"


@dataclass(frozen=True, slots=True)
class Unshelve:
    name = "unshelve"


@dataclass(frozen=True, slots=True)
class Assign:
    assignee: str
    name = "assign"


@dataclass(frozen=True, slots=True)
class Comment:
    text: str
    name = "comment"


@dataclass(frozen=True, slots=True)
class ClearByHand:
    comment: str = ""
    name = "clear"


@dataclass(frozen=True, slots=True)
class RemoveFromService:
    reason: str
    name = "remove_from_service"


@dataclass(frozen=True, slots=True)
class ReturnToService:
    name = "return_to_service"


@dataclass(frozen=True, slots=True)
class Suppress:
    reason: str
    name = "suppress"


@dataclass(frozen=True, slots=True)
class Unsuppress:
    name = "unsuppress"


@dataclass(frozen=True, slots=True)
class Escalate:
    level: int
    notify_role: str
    name = "escalate"


@dataclass(frozen=True, slots=True)
class Group:
    summary_id: str
    name = "group"


Action = (
    Signal
    | ConditionCleared
    | Acknowledge
    | Shelve
    | Unshelve
    | Assign
    | Comment
    | ClearByHand
    | RemoveFromService
    | ReturnToService
    | Suppress
    | Unsuppress
    | Escalate
    | Group
)
OPERATOR_ACTIONS = frozenset(
    {
        "acknowledge",
        "shelve",
        "unshelve",
        "assign",
        "comment",
        "clear",
        "remove_from_service",
        "return_to_service",
    }
)
SYSTEM_ACTIONS = frozenset(
    {"signal", "condition_cleared", "unshelve", "suppress", "unsuppress"}
    | {"escalate", "group"}
)
PERMISSIONS: Mapping[str, frozenset[str]] = {
    "duty": frozenset(
        {"acknowledge", "shelve", "unshelve", "assign", "comment", "clear"}
    ),
    "security": frozenset({"acknowledge", "assign", "comment"}),
    "leader": frozenset(
        {"acknowledge", "assign", "comment", "remove_from_service"}
        | {"return_to_service"}
    ),
    "admin": OPERATOR_ACTIONS,
    "kiosk": frozenset(),
    "system": SYSTEM_ACTIONS,
}


def may(role: str, action_name: str) -> bool:
    return action_name in PERMISSIONS.get(role, frozenset())


def authorize(actor: Actor, action: Action) -> None:
    if not may(actor.role, action.name):
        raise NotAuthorized(f"role {actor.role!r} may not {action.name}")


HANDOVER_ROLES = frozenset({"duty", "security", "leader", "admin"})
