"""The alarm's data (ISA-18.2 / IEC 62682): the `Alarm` record, its journal entries,
and the modes and states it can be in. Frozen values; the transitions that produce
them live in `streams.alarms.model`.

Presentation state (`Alarm.state`) is derived from three facts: whether the alarm is
active, whether it is acknowledged, and its mode (normal, shelved, suppressed by
design, out of service).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from detectors.core.signals import Severity

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
