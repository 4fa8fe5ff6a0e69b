"""What the gate and visitor detectors share: a gate pass as they read it (any object
with the contract's fields) and their parameters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


class GatePass(Protocol):
    @property
    def ts(self) -> datetime: ...
    @property
    def device(self) -> str: ...
    @property
    def direction(self) -> str: ...
    @property
    def subject(self) -> str: ...
    @property
    def credential(self) -> str: ...
    @property
    def result(self) -> str: ...
    @property
    def deny_reason(self) -> str | None: ...
    @property
    def appointment_id(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class GateParams:
    denied_burst_count: int = 5
    denied_burst_window_s: int = 120
    reuse_window_s: int = 10
    passback_window_min: int = 30
    tailgate_excess: int = 5
    tailgate_window_s: int = 120
    camera_grace_s: int = 15
    quiet_start_min: int = 22 * 60
    quiet_end_min: int = 6 * 60
    visitor_early_min: int = 60
    visitor_late_min: int = 60
    overstay_grace_min: int = 180
    hold_s: int = 600
