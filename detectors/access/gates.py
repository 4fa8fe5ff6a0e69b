"""Gate anomalies (门禁异常): denied bursts, blacklist, tailgating, anti-passback,
after-hours entry, visitors against their appointments, visitors overstaying.

`GateWatch` is fed gate passes, appointments and the gate cameras' people counts in
event time (`pass_`, `book`, `count`) and evaluated with a watermark (`evaluate`):
the newest event time seen, never the wall clock. Event-like conditions go through a
`Latch`: raised once per (kind, source), cleared after a quiet spell. Inputs are any
objects with the fields of the event contracts (structural protocols below).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from detectors.access.params import GateParams, GatePass
from detectors.access.visitors import VisitorBook
from detectors.core.calendar import minute_of_day, within
from detectors.core.latch import Latch
from detectors.core.signals import AlarmSignal, Severity


@dataclass(slots=True)
class GateWatch:
    tz: tzinfo
    camera_gates: Mapping[str, str]  # camera id -> the gate its entrance zone watches
    params: GateParams = field(default_factory=GateParams)
    blacklist: frozenset[str] = frozenset()
    names: Mapping[str, str] = field(default_factory=dict)
    visitors: VisitorBook = field(default_factory=VisitorBook)
    latch: Latch = field(init=False)
    denied: dict[str, deque[datetime]] = field(default_factory=dict)
    granted: dict[str, deque[datetime]] = field(default_factory=dict)
    last_use: dict[str, tuple[datetime, str, str]] = field(default_factory=dict)
    readings: deque[tuple[datetime, str, int]] = field(default_factory=deque)
    last_reading: dict[str, datetime] = field(default_factory=dict)
    excess: dict[str, deque[tuple[datetime, int]]] = field(default_factory=dict)
    reused: dict[str, datetime] = field(default_factory=dict)
    pending: deque[tuple[datetime, AlarmSignal]] = field(default_factory=deque)
    watermark: datetime | None = None

    def __post_init__(self) -> None:
        self.latch = Latch(timedelta(seconds=self.params.hold_s))

    def _name(self, device: str) -> str:
        return self.names.get(device, device)

    def _see(self, ts: datetime) -> None:
        if self.watermark is None or ts > self.watermark:
            self.watermark = ts

    def pass_(self, event: GatePass) -> list[AlarmSignal]:
        """One gate pass, granted or denied."""
        self._see(event.ts)
        found = [self._blacklisted(event)]
        if event.result == "denied":
            found.append(self._denied(event))
        else:
            self._remember_granted(event.device, event.ts)
            found += [self._reuse_or_passback(event), self._after_hours(event)]
            found += self.visitors.on_pass(event, self.params)
        return [s for s in (self.latch.trip(x) for x in found if x) if s]

    def count(self, camera: str, ts: datetime, count: int) -> None:
        """A people count of a gate camera's entrance zone (crossings since last)."""
        self._see(ts)
        if camera in self.camera_gates:
            self.readings.append((ts, camera, count))

    def evaluate(self, watermark: datetime | None = None) -> list[AlarmSignal]:
        """Settle camera counts, overstays and quiet latches up to the watermark."""
        mark = watermark or self.watermark
        if mark is None:
            return []
        found = self._settle_readings(
            mark - timedelta(seconds=self.params.camera_grace_s)
        )
        found += self._settle_passback(mark)
        found += self.visitors.overstays(mark, self.params)
        out = [s for s in (self.latch.trip(x) for x in found) if s]
        return out + self.latch.expire(mark)

    def _signal(
        self,
        kind: str,
        event: GatePass,
        severity: Severity,
        message: str,
        **details: float | int | str,
    ) -> AlarmSignal:
        return AlarmSignal(
            kind=kind,
            source=event.device,
            area=event.device,
            severity=severity,
            state="active",
            observed_at=event.ts,
            message=message,
            details={
                "credential": event.credential,
                "subject": event.subject,
                **details,
            },
            evidence={
                "stream": "gate",
                "device": event.device,
                "at": event.ts.isoformat(),
            },
        )

    def _blacklisted(self, event: GatePass) -> AlarmSignal | None:
        listed = (
            event.credential in self.blacklist or event.deny_reason == "blacklisted"
        )
        if not listed:
            return None
        granted = event.result == "granted"
        what = "已放行" if granted else "已拦截"
        return self._signal(
            "blacklist_hit",
            event,
            "critical" if granted else "major",
            f"黑名单人员/车辆在{self._name(event.device)}出现（{what}）",
            result=event.result,
        )

    def _denied(self, event: GatePass) -> AlarmSignal | None:
        window = timedelta(seconds=self.params.denied_burst_window_s)
        times = self.denied.setdefault(event.device, deque())
        times.append(event.ts)
        while times and times[0] < event.ts - window:
            times.popleft()
        if len(times) < self.params.denied_burst_count:
            return None
        return self._signal(
            "denied_burst",
            event,
            "major",
            f"{self._name(event.device)}{window.seconds // 60}分钟内被拒{len(times)}次",
            denied=len(times),
            window_s=window.seconds,
        )

    def _reuse_or_passback(self, event: GatePass) -> AlarmSignal | None:
        previous = self.last_use.get(event.credential)
        self.last_use[event.credential] = (event.ts, event.direction, event.device)
        if previous is None or previous[1] != event.direction:
            return None
        gap = (event.ts - previous[0]).total_seconds()
        if 0 <= gap <= self.params.reuse_window_s:
            self.reused[event.credential] = event.ts
            return self._signal(
                "tailgating",
                event,
                "major",
                f"{self._name(event.device)}同一凭证{gap:.0f}秒内两次通行，疑似尾随/代刷",
                rule="credential_reuse",
                gap_s=round(gap, 1),
            )
        if event.direction == "in" and gap <= self.params.passback_window_min * 60:
            # judged a little later: a reuse within seconds makes it tailgating
            due = event.ts + timedelta(seconds=self.params.reuse_window_s)
            self.pending.append(
                (
                    due,
                    self._signal(
                        "anti_passback",
                        event,
                        "minor",
                        f"{self._name(event.device)}凭证未出先进（反潜回），"
                        f"上次进入于{self._name(previous[2])}",
                        previous_gate=previous[2],
                        gap_s=round(gap),
                    ),
                )
            )
        return None

    def _settle_passback(self, mark: datetime) -> list[AlarmSignal]:
        out = []
        window = timedelta(minutes=self.params.passback_window_min)
        while self.pending and self.pending[0][0] <= mark:
            _, signal = self.pending.popleft()
            reused = self.reused.get(str(signal.details["credential"]))
            if reused is None or abs(signal.observed_at - reused) > window:
                out.append(signal)
        return out

    def _after_hours(self, event: GatePass) -> AlarmSignal | None:
        p = self.params
        minute = minute_of_day(event.ts, self.tz)
        if event.direction != "in" or not within(
            minute, p.quiet_start_min, p.quiet_end_min
        ):
            return None
        local = event.ts.astimezone(self.tz).strftime("%H:%M")
        return self._signal(
            "after_hours_entry",
            event,
            "minor",
            f"非工作时间进入：{self._name(event.device)} {local}",
        )

    def _settle_readings(self, until: datetime) -> list[AlarmSignal]:
        out = []
        while self.readings and self.readings[0][0] <= until:
            ts, camera, count = self.readings.popleft()
            previous = self.last_reading.get(camera)
            self.last_reading[camera] = ts
            if previous is None or ts <= previous:
                continue
            gate = self.camera_gates[camera]
            passes = self._granted_between(gate, previous, ts)
            out += self._tailgate_excess(gate, camera, ts, count - passes)
        return out

    def _remember_granted(self, gate: str, ts: datetime) -> None:
        """Keep only the passes a camera count can still be compared with: without
        this, a gate whose camera sends nothing would remember every pass forever."""
        times = self.granted.setdefault(gate, deque())
        times.append(ts)
        p = self.params
        keep = timedelta(seconds=2 * p.tailgate_window_s + p.camera_grace_s)
        while times and times[0] < ts - keep:
            times.popleft()

    def _granted_between(self, gate: str, start: datetime, end: datetime) -> int:
        times = self.granted.get(gate, deque())
        horizon = end - timedelta(seconds=2 * self.params.tailgate_window_s)
        while times and times[0] < horizon:
            times.popleft()
        return sum(1 for t in times if start <= t < end)

    def _tailgate_excess(
        self, gate: str, camera: str, ts: datetime, excess: int
    ) -> list[AlarmSignal]:
        p = self.params
        window = self.excess.setdefault(gate, deque())
        window.append((ts, excess))
        while window and window[0][0] <= ts - timedelta(seconds=p.tailgate_window_s):
            window.popleft()
        total = sum(e for _, e in window)
        if total < p.tailgate_excess:
            return []
        return [
            AlarmSignal(
                kind="tailgating",
                source=gate,
                area=gate,
                severity="major",
                state="active",
                observed_at=ts,
                message=f"{self._name(gate)}摄像机过线人数比放行多{total}人"
                f"（{p.tailgate_window_s // 60}分钟内），疑似尾随",
                details={"rule": "camera_excess", "excess": total, "camera": camera},
                evidence={
                    "stream": "gate,camera",
                    "device": camera,
                    "at": ts.isoformat(),
                },
            )
        ]
