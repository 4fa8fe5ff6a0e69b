"""Operator actions from the duty console: the alarms an action applies to, its
arguments from the form, applying it through the alarm engine, and the audit record
of every attempt. Plain functions over a `DutyContext`; tests call them directly."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import psycopg

from dashboard.auth.audit import AuditEntry
from dashboard.auth.principal import current_principal
from dashboard.duty.context import DutyContext
from layouts import ids
from layouts.i18n import Lang, t
from streams.alarms.actions import AlarmError

logger = logging.getLogger(__name__)

BUTTONS: dict[str, str] = {
    ids.DUTY_ACK: "acknowledge",
    ids.DUTY_SHELVE: "shelve",
    ids.DUTY_UNSHELVE: "unshelve",
    ids.DUTY_CLEAR: "clear",
    ids.DUTY_ASSIGN: "assign",
    ids.DUTY_COMMENT: "comment",
}


def targets(
    selected: Sequence[str] | None, active_cell: Mapping[str, Any] | None
) -> list[str]:
    """The alarms an action applies to: the ticked rows, else the focused row."""
    if selected:
        return [str(s) for s in selected]
    if active_cell and active_cell.get("row_id"):
        return [str(active_cell["row_id"])]
    return []


def act(
    duty: DutyContext,
    action: str,
    alarm_ids: Sequence[str],
    args: Mapping[str, Any],
    lang: Lang,
) -> str:
    """Apply one operator action to each alarm; the status line to show."""
    if duty.engine is None:
        return t("alarms_unavailable", lang)
    if not alarm_ids:
        return t("select_first", lang)
    done, refused = 0, []
    for alarm_id in alarm_ids:
        try:
            duty.engine.act(
                alarm_id, action, duty.operator, duty.role, duty.clock(), **args
            )
            done += 1
        except AlarmError as exc:
            refused.append(str(exc))
        except psycopg.Error as exc:
            logger.warning("alarm action failed: %s", type(exc).__name__)
            refused.append(t("alarms_unavailable", lang))
            break
    _audit(duty, action, alarm_ids, done, refused)
    label = t(f"btn_{_short(action)}", lang).split(" (")[0]
    message = t("done_n", lang, action=label, n=done)
    if refused:
        message += " · " + t("refused", lang, reason="; ".join(sorted(set(refused))))
    return message


def _audit(
    duty: DutyContext,
    action: str,
    alarm_ids: Sequence[str],
    done: int,
    refused: Sequence[str],
) -> None:
    if duty.audit is None:
        return
    who = current_principal()
    entry = AuditEntry(
        who.name if who else duty.operator,
        duty.role,
        f"alarm.{action}",
        "ok" if done and not refused else ("refused" if refused else "failed"),
        target=",".join(alarm_ids)[:200],
        detail={"done": done, "refused": sorted(set(refused))[:5]},
    )
    duty.audit(entry)


def _short(action: str) -> str:
    return {"acknowledge": "ack"}.get(action, action)


def button_args(
    action: str, minutes: object, reason: object, assignee: object, comment: object
) -> dict[str, Any]:
    text = "" if comment is None else str(comment)
    by_action: dict[str, dict[str, Any]] = {
        "acknowledge": {"comment": text},
        "shelve": {"minutes": minutes, "reason": reason or ""},
        "unshelve": {},
        "clear": {"comment": reason or text},
        "assign": {"assignee": assignee or ""},
        "comment": {"text": text},
    }
    return by_action[action]
