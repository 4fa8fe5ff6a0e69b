"""What the engine does with signals and with time: raise, repeat, clear, suppress
by design, escalate, unshelve. Runs inside an engine transaction (`Work`)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from detectors.core.signals import AlarmSignal
from streams.alarms.actions import (
    SYSTEM,
    ConditionCleared,
    Escalate,
    Signal,
    Suppress,
    Unshelve,
    Unsuppress,
)
from streams.alarms.flood import FloodKeeper
from streams.alarms.model import Alarm, open_alarm, transition
from streams.alarms.notify import notice_for
from streams.alarms.policy import AlarmPolicy, design_suppression
from streams.alarms.stats import EngineStats
from streams.alarms.work import Work
from streams.config.site import Site


class Rules:
    def __init__(self, site: Site, policy: AlarmPolicy, stats: EngineStats) -> None:
        self.site, self.policy, self.stats = site, policy, stats
        self._flood = FloodKeeper(policy)

    def apply_signals(
        self, work: Work, signals: Iterable[AlarmSignal], now: datetime
    ) -> None:
        for signal in sorted(signals, key=lambda s: s.observed_at):
            alarm = work.open_by_key.get((signal.kind, signal.source))
            if signal.state == "cleared":
                if alarm is not None:
                    work.step(alarm, ConditionCleared(signal.observed_at), now)
                continue
            if self.policy.is_late(signal.observed_at, now):
                self.stats.late_dropped += 1
                continue
            if alarm is None:
                self._raise(work, signal, now)
            else:
                self._repeat(work, alarm, signal, now)

    def _raise(self, work: Work, signal: AlarmSignal, now: datetime) -> None:
        console = self.policy.console_for(signal.kind, signal.source)
        alarm, entry = open_alarm(
            str(uuid.uuid4()),
            console,
            signal.kind,
            signal.source,
            signal.area,
            _as_action(signal),
            now,
            latching=signal.kind in self.policy.latching_kinds,
        )
        self.stats.raised += 1
        reason = design_suppression(
            self.site,
            signal.kind,
            signal.source,
            signal.area,
            signal.observed_at,
            self.policy.canteen_margin,
        )
        if reason:
            alarm = replace(alarm, mode="suppressed", mode_reason=reason)
            alarm = replace(alarm, mode_by=SYSTEM.operator)
            entry = replace(entry, to_state="suppressed", comment=reason)
            work.put(alarm, entry)
            return
        work.put(alarm, entry)
        self._present(work, alarm, now)

    def _repeat(
        self, work: Work, alarm: Alarm, signal: AlarmSignal, now: datetime
    ) -> None:
        new, entry = transition(alarm, _as_action(signal), now)
        if not entry.data.get("reactivated"):
            work.put(new, None)  # a repeat: count and last seen, not journaled
            return
        work.put(new, replace(entry, action="reactivate"))
        if new.mode == "normal":
            self._present(work, new, now)

    def _present(self, work: Work, alarm: Alarm, now: datetime) -> None:
        """A new or re-activated alarm for the console: notify, or fold it into a
        flood summary when the console is in flood."""
        grouped = self._flood.on_activation(work, alarm, now)
        if grouped is None:
            work.notices.append(notice_for(alarm))

    def tick(self, work: Work, now: datetime) -> None:
        for alarm in list(work.open_by_key.values()):
            until = alarm.shelved_until
            if alarm.mode == "shelved" and until is not None and until <= now:
                alarm = work.step(alarm, Unshelve(), now)
            alarm = self._design_state(work, alarm, now)
            self._escalate(work, alarm, now)
        self._flood.on_tick(work, now)

    def _design_state(self, work: Work, alarm: Alarm, now: datetime) -> Alarm:
        if alarm.is_summary or alarm.mode not in ("normal", "suppressed"):
            return alarm
        reason = design_suppression(
            self.site,
            alarm.kind,
            alarm.source,
            alarm.area,
            now,
            self.policy.canteen_margin,
        )
        if alarm.mode == "suppressed" and reason is None:
            alarm = work.step(alarm, Unsuppress(), now)
            if alarm.active and not alarm.acknowledged:
                work.notices.append(notice_for(alarm))
            return alarm
        if alarm.mode == "normal" and reason:
            return work.step(alarm, Suppress(reason), now)
        return alarm

    def _escalate(self, work: Work, alarm: Alarm, now: datetime) -> None:
        if alarm.acknowledged or alarm.mode != "normal" or alarm.summary_id:
            return
        due = self.policy.escalation_due(
            alarm.severity, alarm.raised_at, alarm.escalation_level, now
        )
        if due is None:
            return
        role = self.policy.notify_role(due)
        escalated = work.step(alarm, Escalate(due, role), now)
        if escalated is not alarm:
            label = f"【升级{due}级·通知{role}】未确认："
            work.notices.append(notice_for(escalated, label))


def _as_action(signal: AlarmSignal) -> Signal:
    return Signal(
        signal.observed_at,
        signal.severity,
        signal.message,
        dict(signal.details),
        dict(signal.evidence),
    )
