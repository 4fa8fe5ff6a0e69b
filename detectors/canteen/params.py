"""What the canteen detectors share: their parameters and a canteen with its serving
windows as they see it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CongestionParams:
    warn_wait_min: float = 20.0
    clear_wait_min: float = 12.0
    busy_wait_min: float = 5.0
    margin_min: float = 3.0  # warn this much before the forecast reaches the threshold
    horizon_min: int = 15
    recent_min: int = 5
    profile_prior: float = 25.0
    rush_decay_min: float = 15.0
    min_pace_share: float = 0.3
    camera_fresh_s: int = 120
    confirm_evaluations: int = 2
    clear_evaluations: int = 3

    def __post_init__(self) -> None:
        if not 0 < self.clear_wait_min < self.warn_wait_min:
            raise ValueError("need 0 < clear_wait_min < warn_wait_min")
        if not 0 < self.busy_wait_min <= self.warn_wait_min:
            raise ValueError("need 0 < busy_wait_min <= warn_wait_min")


@dataclass(frozen=True, slots=True)
class WindowSpec:
    id: str
    name: str
    number: int  # 1-based position in its canteen: "开放 3 号窗口"
    rate_per_min: float


@dataclass(frozen=True, slots=True)
class CanteenSpec:
    id: str
    name: str
    windows: tuple[WindowSpec, ...]
