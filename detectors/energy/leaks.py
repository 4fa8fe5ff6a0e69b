"""Water leaks (漏水): the night minimum flow never reaches zero.

Within the night window, the smallest per-minute flow over the last `leak_window_min`
minutes is compared with a floor (the larger of `leak_floor_per_min` and
`leak_baseline_ratio` × the baseline night median). A leak seen by a building's
sub-meter is reported on that meter; the site-wide meter reports one only when no
sub-meter explains it. A leak clears when a later night's minimum is back under the
floor.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, tzinfo

from detectors.core.calendar import minute_of_day, within
from detectors.core.signals import AlarmSignal, SignalState
from detectors.energy.baseline import SlotStats
from detectors.energy.params import EnergyParams, MeterSpec
from detectors.energy.signal import meter_signal
from detectors.energy.waste import Prices, Waste

StatsOf = Callable[[str, datetime], SlotStats | None]


class LeakWatch:
    def __init__(
        self,
        meters: Mapping[str, MeterSpec],
        params: EnergyParams,
        prices: Prices,
        tz: tzinfo,
    ) -> None:
        self.meters = {k: m for k, m in meters.items() if m.quantity == "water_m3"}
        self.params, self.prices, self.tz = params, prices, tz
        self.flows: dict[str, deque[tuple[datetime, float]]] = {
            m: deque() for m in self.meters
        }
        self.open: dict[str, datetime] = {}

    def is_open(self, meter: str) -> bool:
        return meter in self.open

    def reading(self, meter: str, ts: datetime, per_min: float) -> None:
        flows = self.flows[meter]
        if flows and ts <= flows[-1][0]:
            return
        flows.append((ts, per_min))
        horizon = ts - timedelta(minutes=self.params.leak_window_min)
        while flows and flows[0][0] <= horizon:
            flows.popleft()

    def _night(self, ts: datetime) -> bool:
        p = self.params
        return within(minute_of_day(ts, self.tz), p.leak_start_min, p.leak_end_min)

    def _minimum(self, meter: str, mark: datetime) -> float | None:
        """The window's minimum flow, when the window is night and well covered."""
        p = self.params
        start = mark - timedelta(minutes=p.leak_window_min)
        seen = [(t, v) for t, v in self.flows[meter] if start < t <= mark]
        if len(seen) < 0.8 * p.leak_window_min or not all(
            self._night(t) for t, _ in seen
        ):
            return None
        return min(v for _, v in seen)

    def evaluate(self, mark: datetime, stats_of: StatsOf) -> list[AlarmSignal]:
        leaking: dict[str, tuple[float, float]] = {}
        out: list[AlarmSignal] = []
        for meter in self.meters:
            low = self._minimum(meter, mark)
            if low is None:
                continue
            stats = stats_of(meter, mark)
            normal = stats.median if stats else 0.0
            floor = max(
                self.params.leak_floor_per_min, self.params.leak_baseline_ratio * normal
            )
            if low > floor:
                leaking[meter] = (low, normal)
            elif meter in self.open:
                del self.open[meter]
                out.append(self._signal(meter, mark, low, normal, "cleared"))
        local = [m for m in leaking if not self.meters[m].site_wide]
        local += [m for m in self.open if not self.meters[m].site_wide]
        for meter, (low, normal) in leaking.items():
            if meter in self.open or (self.meters[meter].site_wide and local):
                continue
            self.open[meter] = mark
            out.append(self._signal(meter, mark, low, normal, "active"))
        return out

    def _signal(
        self, meter: str, at: datetime, low: float, normal: float, state: SignalState
    ) -> AlarmSignal:
        spec = self.meters[meter]
        per_day = max(low - normal, 0.0) * 1440
        waste = Waste.of("water_m3", per_day, self.prices)
        if state == "active":
            text = (
                f"{spec.name}疑似漏水：夜间最小流量{low * 60:.2f} m³/h"
                f"（正常{normal * 60:.2f}），"
                f"估计每天浪费{waste.describe()}"
            )
        else:
            text = f"已恢复：{spec.name}夜间最小流量回落至{low * 60:.2f} m³/h"
        details = {
            "expected_m3_per_h": round(normal * 60, 4),
            "actual_m3_per_h": round(low * 60, 4),
            **{f"{k}_per_day": v for k, v in waste.details().items()},
        }
        return meter_signal(
            "water_leak", spec, state, at, text, severity="major", details=details
        )
