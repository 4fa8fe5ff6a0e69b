"""Operator requests (a name and arguments from the console) to typed actions."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from streams.alarms.actions import (
    Acknowledge,
    Action,
    AlarmError,
    Assign,
    ClearByHand,
    Comment,
    RemoveFromService,
    ReturnToService,
    Shelve,
    Unshelve,
)
from streams.alarms.policy import AlarmPolicy


def _text(args: Mapping[str, Any], name: str) -> str:
    value = args.get(name)
    return "" if value is None else str(value).strip()[:500]


def _minutes(args: Mapping[str, Any]) -> int:
    try:
        return int(args.get("minutes") or 0)
    except (TypeError, ValueError) as exc:
        raise AlarmError("minutes must be a whole number") from exc


BUILDERS: dict[str, Callable[[Mapping[str, Any], AlarmPolicy], Action]] = {
    "acknowledge": lambda a, _p: Acknowledge(_text(a, "comment")),
    "shelve": lambda a, p: Shelve(_text(a, "reason"), _minutes(a), p.shelve_max_min),
    "unshelve": lambda _a, _p: Unshelve(),
    "assign": lambda a, _p: Assign(_text(a, "assignee")),
    "comment": lambda a, _p: Comment(_text(a, "text")),
    "clear": lambda a, _p: ClearByHand(_text(a, "comment")),
    "remove_from_service": lambda a, _p: RemoveFromService(_text(a, "reason")),
    "return_to_service": lambda _a, _p: ReturnToService(),
}


def operator_action(name: str, args: Mapping[str, Any], policy: AlarmPolicy) -> Action:
    builder = BUILDERS.get(name)
    if builder is None:
        raise AlarmError(f"unknown action {name!r}")
    return builder(args, policy)


def propagates_to_members(action: Action) -> bool:
    """Acknowledging or clearing a flood summary does the same to its members."""
    return isinstance(action, Acknowledge | ClearByHand)
