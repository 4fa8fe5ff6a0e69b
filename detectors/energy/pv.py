"""PV under-yield (光伏发电不足): one array far below what the weather allowed.

Each array's slot mean is divided by what it gives on a clear day at that slot (the
baseline's 90th percentile of past days; its rated `max_value` when there is no
baseline). Arrays under the same sky should agree on that ratio: an array below
`pv_ratio` × the best other array's ratio for `pv_slots` slots in a row is flagged.
A single array is compared with half of its clear-day yield instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, tzinfo

from detectors.core.signals import AlarmSignal, SignalState
from detectors.energy.baseline import Baseline
from detectors.energy.params import EnergyParams, MeterSpec
from detectors.energy.signal import meter_signal
from detectors.energy.waste import Prices, Waste

DAYLIGHT_SHARE = 0.15  # of the array's clear-day peak: earlier and later is dusk


class PvWatch:
    def __init__(
        self, meters: Mapping[str, MeterSpec], params: EnergyParams, prices: Prices
    ) -> None:
        self.meters = {k: m for k, m in meters.items() if m.quantity == "pv_kw"}
        self.params, self.prices = params, prices
        self.means: dict[datetime, dict[str, float]] = {}
        self.runs: dict[str, int] = {}
        self.lost: dict[str, float] = {}
        self.open: set[str] = set()

    def slot(self, meter: str, start: datetime, mean: float) -> None:
        if meter in self.meters:
            self.means.setdefault(start, {})[meter] = mean

    def evaluate(self, baseline: Baseline, group: str, tz: tzinfo) -> list[AlarmSignal]:
        out: list[AlarmSignal] = []
        for start in sorted(self.means):
            means = self.means[start]
            if len(means) < len(self.meters):
                continue  # wait for every array's slot
            del self.means[start]
            out += self._judge(start, means, baseline, group, tz)
        return out

    def _clear_day(
        self, meter: str, start: datetime, baseline: Baseline, group: str, tz: tzinfo
    ) -> tuple[float, float]:
        """(clear-day mean at this slot, clear-day peak) for `meter`."""
        slot = baseline.slot_of(start, tz)
        stats = baseline.lookup(meter, group, slot)
        if stats is None:
            return self.meters[meter].max_value, self.meters[meter].max_value
        peak = max(
            (
                s.best
                for (d, g, _), s in baseline.stats.items()
                if d == meter and g == group
            ),
            default=stats.best,
        )
        return stats.best, peak

    def _judge(
        self,
        start: datetime,
        means: dict[str, float],
        baseline: Baseline,
        group: str,
        tz: tzinfo,
    ) -> list[AlarmSignal]:
        ratios, clear = {}, {}
        for meter, mean in means.items():
            best, peak = self._clear_day(meter, start, baseline, group, tz)
            if best < DAYLIGHT_SHARE * peak or best <= 0:
                return []  # night or dusk: nothing to judge
            ratios[meter], clear[meter] = mean / best, best
        out = []
        for meter, ratio in ratios.items():
            others = [r for m, r in ratios.items() if m != meter]
            reference = max(others) if others else 0.5
            under = ratio < self.params.pv_ratio * reference
            self.runs[meter] = self.runs.get(meter, 0) + 1 if under else 0
            if under:
                lost = (
                    (reference * clear[meter] - means[meter]) * baseline.slot_min / 60
                )
                self.lost[meter] = self.lost.get(meter, 0.0) + max(lost, 0.0)
            end = start + timedelta(minutes=baseline.slot_min)
            if self.runs[meter] >= self.params.pv_slots and meter not in self.open:
                self.open.add(meter)
                out.append(self._signal(meter, end, ratio, reference, "active"))
            elif not under and meter in self.open:
                self.open.discard(meter)
                out.append(self._signal(meter, end, ratio, reference, "cleared"))
            if not under:
                self.lost[meter] = 0.0
        return out

    def _signal(
        self,
        meter: str,
        at: datetime,
        ratio: float,
        reference: float,
        state: SignalState,
    ) -> AlarmSignal:
        spec = self.meters[meter]
        waste = Waste.of("pv_kw", self.lost.get(meter, 0.0), self.prices)
        text = (
            f"{spec.name}发电不足：为晴天水平的{ratio:.0%}，同期其他阵列{reference:.0%}，"
            f"估计少发{waste.describe()}"
        )
        if state == "cleared":
            text = f"已恢复：{spec.name}发电恢复正常"
        details = {
            "expected_ratio": round(reference, 3),
            "actual_ratio": round(ratio, 3),
            **waste.details(),
        }
        return meter_signal(
            "pv_under_yield", spec, state, at, text, severity="minor", details=details
        )
