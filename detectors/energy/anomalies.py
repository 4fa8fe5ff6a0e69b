"""Energy and water anomalies (用能异常预警) against robust baselines.

`EnergyWatch` takes meter readings in event time. Readings are averaged per baseline
slot (15 min); each completed slot is compared with the meter's baseline for that day
group and slot (`baseline.upper_bound`):

- ``sustained_excess``: `excess_slots` slots in a row above the bound in office hours;
- ``after_hours_load``: `after_hours_slots` slots above the bound outside office
  hours (or on an off day) on any power meter of a building; the source is the building;
- ``load_spike``: `spike_readings` readings in a row far above the slot's usual peak;
- ``water_leak``: the night minimum flow over `leak_window_min` stays above a floor
  (the building's sub-meter is named; a site-wide meter only when no sub-meter leaks);
- ``pv_under_yield``: one PV array's yield, relative to its clear-day baseline, falls
  below `pv_ratio` of the best other array's (same weather) for `pv_slots` slots.

Every alarm carries expected vs actual and the estimated waste in kWh or m³, yuan
and kg CO₂ (`Prices`). Without a baseline (cold start) only the leak floor and the
PV comparison between arrays work.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from detectors.core.calendar import WorkCalendar, minute_of_day, within
from detectors.core.latch import Latch
from detectors.core.signals import AlarmSignal, SignalState
from detectors.energy.baseline import Baseline, SlotStats, upper_bound
from detectors.energy.leaks import LeakWatch
from detectors.energy.params import EnergyParams, MeterSpec
from detectors.energy.pv import PvWatch
from detectors.energy.signal import meter_signal
from detectors.energy.spikes import SpikeWatch
from detectors.energy.waste import Prices, Waste, waste_of


@dataclass(slots=True)
class _Slot:
    start: datetime
    total: float = 0.0
    n: int = 0
    interval_s: int = 60

    @property
    def mean(self) -> float:
        return self.total / self.n if self.n else 0.0


@dataclass(slots=True)
class _Run:
    """Consecutive slots above the bound, and what they wasted."""

    over: int = 0
    under: int = 0
    waste: float = 0.0
    expected: float = 0.0
    actual: float = 0.0


@dataclass(slots=True)
class EnergyWatch:
    meters: Mapping[str, MeterSpec]
    calendar: WorkCalendar
    tz: tzinfo
    params: EnergyParams = field(default_factory=EnergyParams)
    prices: Prices = field(default_factory=Prices)
    baseline: Baseline = field(default_factory=Baseline)
    slots: dict[str, _Slot] = field(default_factory=dict)
    runs: dict[tuple[str, str], _Run] = field(default_factory=dict)
    ratios: dict[str, float] = field(default_factory=dict)  # HVAC: slot / median
    active: set[tuple[str, str]] = field(default_factory=set)
    latch: Latch = field(init=False)
    leaks: LeakWatch = field(init=False)
    spike_runs: SpikeWatch = field(init=False)
    pv: PvWatch = field(init=False)

    def __post_init__(self) -> None:
        self.latch = Latch(timedelta(seconds=self.params.spike_hold_s))
        self.leaks = LeakWatch(self.meters, self.params, self.prices, self.tz)
        self.spike_runs = SpikeWatch(self.params)
        self.pv = PvWatch(self.meters, self.params, self.prices)

    def reading(
        self, meter: str, ts: datetime, value: float, interval_s: int = 60
    ) -> list[AlarmSignal]:
        spec = self.meters.get(meter)
        if spec is None or spec.cumulative:
            return []
        out: list[AlarmSignal] = []
        start = self._slot_start(ts)
        slot = self.slots.get(meter)
        if slot is not None and start < slot.start:
            return []  # late: its slot has been judged already
        if slot is not None and start > slot.start:
            out += self._close(spec, slot)
            slot = None
        if slot is None:
            slot = self.slots[meter] = _Slot(start, interval_s=interval_s)
        slot.total += value
        slot.n += 1
        if spec.quantity == "water_m3":
            self.leaks.reading(meter, ts, value * 60.0 / interval_s)
        if spec.is_load:
            out += self._spike(spec, ts, value)
        return out

    def evaluate(self, mark: datetime) -> list[AlarmSignal]:
        """Leaks and PV (they compare meters with each other), and quiet spikes."""
        out = self.leaks.evaluate(mark, self._night_stats)
        out += self.pv.evaluate(self.baseline, self._group(mark), self.tz)
        return out + self.latch.expire(mark)

    def _slot_start(self, ts: datetime) -> datetime:
        width = self.baseline.slot_min * 60
        return datetime.fromtimestamp(ts.timestamp() // width * width, ts.tzinfo)

    def _group(self, ts: datetime) -> str:
        return self.calendar.baseline_group(ts.astimezone(self.tz).date())

    def _stats(self, meter: str, ts: datetime) -> SlotStats | None:
        slot = self.baseline.slot_of(ts, self.tz)
        return self.baseline.lookup(meter, self._group(ts), slot)

    def _nearby_peak(self, meter: str, ts: datetime) -> SlotStats | None:
        """The slot's statistics with the largest peak within ±`spike_slots` slots:
        a meal or a meeting a little later than usual is not a spike."""
        width = timedelta(minutes=self.baseline.slot_min)
        near = [
            self._stats(meter, ts + k * width)
            for k in range(-self.params.spike_slots, self.params.spike_slots + 1)
        ]
        found = [s for s in near if s is not None]
        if self._stats(meter, ts) is None or not found:
            return None
        return max(found, key=lambda s: s.peak + s.peak_sigma)

    def _night_stats(self, meter: str, ts: datetime) -> SlotStats | None:
        return self._stats(meter, ts)

    def _bound(self, spec: MeterSpec, stats: SlotStats, mode: str) -> float:
        p = self.params
        floor = p.floor_share * self.baseline.daily_peak.get(spec.id, 0.0)
        ratio = p.after_hours_ratio if mode == "after_hours_load" else p.excess_ratio
        ratio = p.hvac_excess_ratio if mode == "hvac" else ratio
        return upper_bound(stats, p.excess_k, ratio, floor)

    def _above(self, spec: MeterSpec, stats: SlotStats, mode: str, slot: _Slot) -> bool:
        """Above the slot's bound; after hours also well above the empty building's
        load: at least `after_hours_empty_multiple` times it (a few people working
        late on a weekend are not waste; a building left running is)."""
        if spec.quantity.startswith("hvac"):
            return self._hvac_above(spec, stats, slot)
        if slot.mean <= self._bound(spec, stats, mode):
            return False
        if mode != "after_hours_load":
            return True
        empty = self.baseline.empty.get((spec.id, self._group(slot.start)), 0.0)
        return slot.mean > empty * self.params.after_hours_empty_multiple

    def _hvac_above(self, spec: MeterSpec, stats: SlotStats, slot: _Slot) -> bool:
        """HVAC follows the weather, which the baseline does not know: its ratio to
        the baseline is compared with the other HVAC meters' (same weather); alone,
        it needs `hvac_excess_ratio` above the baseline."""
        ratio = slot.mean / stats.median if stats.median > 0 else 0.0
        self.ratios[spec.id] = ratio
        peers = sorted(r for m, r in self.ratios.items() if m != spec.id)
        if not peers:
            return slot.mean > self._bound(spec, stats, "hvac")
        usual = max(1.0, peers[len(peers) // 2])
        return (
            slot.mean > self._bound(spec, stats, "sustained_excess")
            and ratio > (1 + self.params.excess_ratio) * usual
        )

    def _office(self, ts: datetime) -> bool:
        local = ts.astimezone(self.tz)
        if not self.calendar.is_workday(local.date()):
            return False
        p = self.params
        return within(minute_of_day(ts, self.tz), p.office_start_min, p.office_end_min)

    def _close(self, spec: MeterSpec, slot: _Slot) -> list[AlarmSignal]:
        if spec.quantity == "pv_kw" or spec.quantity == "pv_kwh":
            self.pv.slot(spec.id, slot.start, slot.mean)
            return []
        stats = self._stats(spec.id, slot.start)
        if stats is None or not spec.is_load:
            return []
        office = self._office(slot.start)
        if spec.quantity == "water_m3" and (not office or self.leaks.is_open(spec.id)):
            return []
        mode = "sustained_excess" if office else "after_hours_load"
        other = "after_hours_load" if office else "sustained_excess"
        end = slot.start + timedelta(minutes=self.baseline.slot_min)
        out = self._under(spec, other, end)  # not judged now: counts as normal
        if mode == "after_hours_load" and not spec.is_building_total:
            return out
        if not self._above(spec, stats, mode, slot):
            return out + self._under(spec, mode, end)
        return out + self._over(spec, mode, slot, stats)

    def _source(self, spec: MeterSpec, mode: str) -> str:
        return spec.building if mode == "after_hours_load" else spec.id

    def _over(
        self, spec: MeterSpec, mode: str, slot: _Slot, stats: SlotStats
    ) -> list[AlarmSignal]:
        run = self.runs.setdefault((mode, spec.id), _Run())
        run.over, run.under = run.over + 1, 0
        run.expected, run.actual = stats.median, slot.mean
        minutes = self.baseline.slot_min
        run.waste += waste_of(spec.quantity, slot.mean - stats.median, minutes, slot.n)
        need = self.params.after_hours_slots
        if mode == "sustained_excess":
            need = self.params.excess_slots
        key = (mode, self._source(spec, mode))
        if run.over < need or key in self.active:
            return []
        self.active.add(key)
        end = slot.start + timedelta(minutes=minutes)
        return [self._signal(spec, mode, run, end, "active")]

    def _under(self, spec: MeterSpec, mode: str, at: datetime) -> list[AlarmSignal]:
        run = self.runs.get((mode, spec.id))
        if run is None:
            return []
        run.over, run.under = 0, run.under + 1
        key = (mode, self._source(spec, mode))
        if key not in self.active or run.under < self.params.clear_slots:
            return []
        peers = [m for m in self.meters.values() if self._source(m, mode) == key[1]]
        if any(self.runs.get((mode, m.id), _Run()).over for m in peers):
            return []
        self.active.discard(key)
        return [self._signal(spec, mode, run, at, "cleared")]

    def _signal(
        self, spec: MeterSpec, mode: str, run: _Run, at: datetime, state: SignalState
    ) -> AlarmSignal:
        waste = Waste.of(spec.quantity, run.waste, self.prices)
        where = spec.building_name or spec.building
        if mode != "after_hours_load":
            where = spec.name
        numbers = f"{run.actual:.1f}（基线{run.expected:.1f}）"
        text = {
            "sustained_excess": f"{where}持续超出基线：{numbers}",
            "after_hours_load": f"{where}非工作时间仍在用电：{spec.name} {numbers}",
        }[mode]
        if state == "cleared":
            text = f"已恢复：{text}"
        details = {
            "quantity": spec.quantity,
            "expected": round(run.expected, 4),
            "actual": round(run.actual, 4),
            **waste.details(),
        }
        return meter_signal(
            mode,
            spec,
            state,
            at,
            f"{text}，估计浪费{waste.describe()}",
            severity="minor",
            details=details,
            source=self._source(spec, mode),
        )

    def _spike(self, spec: MeterSpec, ts: datetime, value: float) -> list[AlarmSignal]:
        here, near = self._stats(spec.id, ts), self._nearby_peak(spec.id, ts)
        if here is None or near is None:
            return []
        floor = self.params.floor_share * self.baseline.daily_peak.get(spec.id, 0.0)
        normal = upper_bound(
            here, self.params.excess_k, self.params.excess_ratio, floor
        )
        signal = self.spike_runs.reading(spec, ts, value, near, normal, floor)
        if signal is None:
            return []
        tripped = self.latch.trip(signal)
        return [tripped] if tripped else []
