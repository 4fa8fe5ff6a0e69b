"""Taking over, after a restart, the conditions the alarm engine still holds open.

The engine keeps one open alarm per (kind, source); a restarted consumer's detectors
start empty. Without help they would re-raise an ongoing condition (harmless: the
engine only updates the open alarm) but could never clear one whose condition ended
while they were down, or that they would not re-detect (a tailgater is gone; a
latched gate condition only clears after its quiet spell). So each open condition is
handed to the detector that owns its kind, which then treats it as raised by itself:
`adopt` below. Kinds whose detectors judge from scratch and keep no "open" state we
could seed (slot runs of the energy baseline, PV) are re-judged: if the detector does
not raise the kind again within `REJUDGE`, the hub clears it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from detectors.core.signals import AlarmSignal
from streams.alarms.model import Alarm
from streams.detection.state import Detectors

GATE_KINDS = frozenset(
    {
        "tailgating",
        "anti_passback",
        "denied_burst",
        "blacklist_hit",
        "after_hours_entry",
        "visitor_no_appointment",
        "visitor_outside_window",
        "visitor_overstay",
    }
)
METER_KINDS = frozenset({"meter_silent", "meter_stuck", "meter_reset"})
REJUDGE = timedelta(hours=2)  # longer than any energy / PV rule needs to re-raise


def adopt(detectors: Detectors, signal: AlarmSignal) -> bool:
    """Hand one open condition to its detector; False when none can hold it."""
    kind = signal.kind
    if kind in GATE_KINDS:
        detectors.gates.latch.adopt(signal)
    elif kind.endswith("_offline") and signal.source in detectors.devices.classes:
        detectors.devices.latch.adopt(signal)
    elif kind in METER_KINDS:
        detectors.meters.latch.adopt(signal)
    elif kind == "load_spike":
        detectors.energy.latch.adopt(signal)
    elif kind == "water_leak" and signal.source in detectors.energy.leaks.meters:
        detectors.energy.leaks.open.setdefault(signal.source, signal.observed_at)
    else:
        return detectors.congestion.adopt(kind, signal.source)
    return True


@dataclass(slots=True)
class Rejudged:
    """Adopted conditions no detector holds: confirmed by a new active signal of
    the same (kind, source), cleared when none came within `REJUDGE` of event
    time after the first event seen since the restart."""

    waiting: dict[tuple[str, str], AlarmSignal] = field(default_factory=dict)
    since: datetime | None = None

    def add(self, signal: AlarmSignal) -> None:
        self.waiting[(signal.kind, signal.source)] = signal

    def settle(
        self, found: Iterable[AlarmSignal], mark: datetime | None
    ) -> list[AlarmSignal]:
        """Drop the conditions `found` raises again; clear the overdue ones."""
        for signal in found:
            if signal.state == "active":
                self.waiting.pop((signal.kind, signal.source), None)
        if not self.waiting or mark is None:
            return []
        self.since = self.since or mark
        if mark - self.since < REJUDGE:
            return []
        out = [
            replace(
                s,
                state="cleared",
                observed_at=mark,
                severity="notice",
                message=f"已恢复：{s.message}",
            )
            for s in self.waiting.values()
        ]
        self.waiting.clear()
        return out


def open_conditions(alarms: Iterable[Alarm]) -> list[AlarmSignal]:
    """The engine's open alarms whose condition is still present, as the active
    signals that raised them (last seen at their `last_seen`)."""
    return [
        AlarmSignal(
            kind=a.kind,
            source=a.source,
            severity=a.severity,
            state="active",
            observed_at=a.last_seen,
            message=a.message,
            area=a.area,
            details=dict(a.details),
            evidence=dict(a.evidence),
        )
        for a in alarms
        if a.is_open and a.condition and not a.is_summary
    ]
