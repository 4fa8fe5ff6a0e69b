"""What a detector says: an alarm condition is present (or gone) for one source.

Detectors return `AlarmSignal` values; they never touch the alarm engine's state. The
engine (`streams/alarms`, ISA-18.2 lifecycle) turns signals into alarms: one open alarm
per (kind, source), a repeat updates it, a `cleared` signal clears it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Severity = Literal["critical", "major", "minor", "notice"]
SignalState = Literal["active", "cleared"]

SEVERITY_LABELS_ZH: Mapping[str, str] = {
    "critical": "紧急",
    "major": "重要",
    "minor": "次要",
    "notice": "提示",
}
SEVERITY_RANK: Mapping[str, int] = {"critical": 0, "major": 1, "minor": 2, "notice": 3}


@dataclass(frozen=True, slots=True)
class AlarmSignal:
    """One detector observation about one source at one (event) time.

    kind      what is wrong, snake_case, e.g. "water_leak", "canteen_congestion"
    source    the device or place it is about (a meter, window, gate, camera, zone id)
    area      where it is, for grouping in floods (a building, canteen or gate id)
    observed_at  the event time the detector judged (not the wall clock)
    message   one line for the operator, Simplified Chinese
    details   numbers behind it: expected vs actual, estimated waste, counts …
    evidence  how to find the data that shows it: stream, devices, time window
    """

    kind: str
    source: str
    severity: Severity
    state: SignalState
    observed_at: datetime
    message: str
    area: str = ""
    details: Mapping[str, float | int | str] = field(default_factory=dict)
    evidence: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.observed_at.tzinfo is None:
            raise ValueError("observed_at must be timezone-aware")
        if not self.kind or not self.source:
            raise ValueError("kind and source are required")
