"""Meter health (计量表异常): silent, stuck, reset.

- silent: no reading for `silent_intervals` reporting intervals (at least
  `silent_min_s`) while other meters keep reporting (judged against the energy feed's
  watermark, never the wall clock);
- stuck: the same non-zero value `stuck_readings` times in a row (a cumulative meter
  that stops counting while it should count);
- reset: a cumulative meter going backwards, other than rolling over at its maximum.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from detectors.core.latch import Latch
from detectors.core.signals import AlarmSignal, Severity


@dataclass(frozen=True, slots=True)
class MeterHealthParams:
    silent_intervals: int = 5
    silent_min_s: int = 600
    stuck_readings: int = 30
    rollover_share: float = 0.9
    hold_s: int = 3600


@dataclass(slots=True)
class _Last:
    ts: datetime
    value: float
    interval_s: int
    same: int = 1


@dataclass(slots=True)
class MeterHealth:
    cumulative: dict[str, float]  # meter -> max_value, for cumulative meters
    names: dict[str, str] = field(default_factory=dict)
    params: MeterHealthParams = field(default_factory=MeterHealthParams)
    last: dict[str, _Last] = field(default_factory=dict)
    latch: Latch = field(init=False)
    watermark: datetime | None = None

    def __post_init__(self) -> None:
        self.latch = Latch(timedelta(seconds=self.params.hold_s))

    def reading(
        self, meter: str, ts: datetime, value: float, interval_s: int
    ) -> list[AlarmSignal]:
        if self.watermark is None or ts > self.watermark:
            self.watermark = ts
        before = self.last.get(meter)
        if before is not None and ts <= before.ts:
            return []  # late or replayed reading: the meter's history is past it
        out = self._clear_silent(meter, ts)
        now = _Last(ts, value, interval_s)
        if before is not None:
            now.same = before.same + 1 if value == before.value else 1
            out += self._reset(meter, before, now) + self._stuck(meter, now)
        self.last[meter] = now
        return out

    def evaluate(self, watermark: datetime | None = None) -> list[AlarmSignal]:
        mark = watermark or self.watermark
        if mark is None:
            return []
        p, out = self.params, []
        for meter, last in self.last.items():
            limit = max(p.silent_min_s, p.silent_intervals * last.interval_s)
            if (mark - last.ts).total_seconds() >= limit:
                minutes = (mark - last.ts).total_seconds() / 60
                out += self._trip(
                    "meter_silent",
                    meter,
                    mark,
                    "minor",
                    f"已{minutes:.0f}分钟没有读数",
                    last_seen=last.ts.isoformat(),
                )
        return out + [
            s for s in self.latch.expire(mark) if s.kind not in ("meter_silent",)
        ]

    def _clear_silent(self, meter: str, ts: datetime) -> list[AlarmSignal]:
        cleared = self.latch.release(("meter_silent", meter), ts)
        return [cleared] if cleared else []

    def _reset(self, meter: str, before: _Last, now: _Last) -> list[AlarmSignal]:
        top = self.cumulative.get(meter)
        if top is None or now.value >= before.value:
            return []
        if before.value >= self.params.rollover_share * top:
            return []  # rolled over at the top of its range
        return self._trip(
            "meter_reset",
            meter,
            now.ts,
            "minor",
            f"累计读数回退（{before.value:g} → {now.value:g}）",
            before=before.value,
            after=now.value,
        )

    def _stuck(self, meter: str, now: _Last) -> list[AlarmSignal]:
        if now.same < self.params.stuck_readings or now.value == 0:
            return []
        return self._trip(
            "meter_stuck",
            meter,
            now.ts,
            "minor",
            f"连续{now.same}次读数不变（{now.value:g}）",
            value=now.value,
            readings=now.same,
        )

    def _trip(
        self,
        kind: str,
        meter: str,
        at: datetime,
        severity: Severity,
        what: str,
        **details: float | int | str,
    ) -> list[AlarmSignal]:
        signal = AlarmSignal(
            kind=kind,
            source=meter,
            area=meter,
            severity=severity,
            state="active",
            observed_at=at,
            message=f"计量表{self.names.get(meter, meter)}{what}",
            details=details,
            evidence={"stream": "energy", "device": meter},
        )
        tripped = self.latch.trip(signal)
        return [tripped] if tripped else []
