"""What the alarm engine counts (submitted, late, raised, actions, pending, mirror
failures): kept by the engine, updated by its rules, read by /metrics."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class EngineStats:
    submitted: int = 0
    late_dropped: int = 0
    raised: int = 0
    actions: int = 0
    pending: int = 0
    mirror_failures: int = 0
