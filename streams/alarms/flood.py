"""Alarm flood handling per console (EEMUA 191 / ISA-18.2): more than 10 new alarms
in 10 minutes starts a flood, fewer than 5 ends it. During a flood each new alarm is
folded into a summary alarm per (kind, area); time in flood is recorded in
``alarm_floods``.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from detectors.core.signals import SEVERITY_RANK
from streams.alarms import store
from streams.alarms.actions import ConditionCleared, Group, Signal
from streams.alarms.model import Alarm, open_alarm
from streams.alarms.notify import notice_for
from streams.alarms.policy import AlarmPolicy

if TYPE_CHECKING:
    from streams.alarms.work import Work

logger = logging.getLogger(__name__)

SUMMARY_KIND = "flood_summary"


def summary_source(kind: str, area: str) -> str:
    return f"{kind}@{area or '-'}"


class FloodKeeper:
    def __init__(self, policy: AlarmPolicy) -> None:
        self._policy = policy

    def on_activation(self, work: Work, alarm: Alarm, now: datetime) -> Alarm | None:
        """Count the activation; in flood, fold the alarm into its summary and return
        the summary (None when the console is not in flood)."""
        console = alarm.console
        n = store.count_activations(
            work.conn, console, now - self._policy.flood_window, now
        )
        flooding = store.open_flood(work.conn, console) is not None
        if not flooding and n > self._policy.flood_start_above:
            store.start_flood(work.conn, console, now, n)
            logger.warning("alarm flood on console %s: %d new in window", console, n)
            flooding = True
        elif flooding:
            store.note_flood_peak(work.conn, console, n)
        if not flooding or alarm.is_summary:
            return None
        summary = self._summary(work, alarm, now)
        work.step(alarm, Group(summary.id), now)
        return summary

    def _summary(self, work: Work, member: Alarm, now: datetime) -> Alarm:
        source = summary_source(member.kind, member.area)
        existing = work.open_by_key.get((SUMMARY_KIND, source))
        members = 1 if existing is None else int(existing.details.get("members", 0)) + 1
        severity = member.severity
        if existing is not None and (
            SEVERITY_RANK[existing.severity] < SEVERITY_RANK[severity]
        ):
            severity = existing.severity
        signal = Signal(
            now,
            severity,
            f"报警泛滥：{member.kind}（{member.area or '—'}）已合并 {members} 条",
            {"members": members, "kind": member.kind, "area": member.area},
        )
        if existing is not None:
            return work.step(existing, signal, now)
        alarm, entry = open_alarm(
            _summary_id(),
            member.console,
            SUMMARY_KIND,
            source,
            member.area,
            signal,
            now,
            is_summary=True,
        )
        entry = replace(entry, data={**entry.data, "summary": True})
        summary = work.put(alarm, entry)
        work.notices.append(notice_for(summary))
        return summary

    def on_tick(self, work: Work, now: datetime) -> None:
        """End floods whose console fell below the end threshold."""
        for console, _started, ended in store.floods(work.conn, now, now):
            if ended is not None:
                continue
            n = store.count_activations(
                work.conn, console, now - self._policy.flood_window, now
            )
            if n >= self._policy.flood_end_below:
                continue
            store.end_flood(work.conn, console, now)
            logger.info("alarm flood on console %s ended", console)
            for alarm in list(work.open_by_key.values()):
                if alarm.is_summary and alarm.console == console:
                    work.step(alarm, ConditionCleared(now), now)


def _summary_id() -> str:
    return str(uuid.uuid4())
