"""Devices offline (设备离线): an explicit offline status or camera_offline event, or
silence while the rest of the feed keeps arriving.

Silence is judged against the feed's watermark (the newest event time seen from any
device), not the wall clock: when the whole feed stops or arrives an hour late, no
device looks silent on its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from detectors.core.latch import Latch
from detectors.core.signals import AlarmSignal

CLASS_LABELS_ZH: Mapping[str, str] = {
    "camera": "摄像机",
    "gate": "门禁控制器",
    "meter": "计量表",
    "pos": "食堂收银终端",
    "booking": "访客预约系统",
}


@dataclass(frozen=True, slots=True)
class DeviceParams:
    silent_after_s: int = 900


@dataclass(slots=True)
class DeviceWatch:
    classes: Mapping[str, str]  # device id -> camera / gate / meter / pos / booking
    names: Mapping[str, str] = field(default_factory=dict)
    params: DeviceParams = field(default_factory=DeviceParams)
    last_seen: dict[str, datetime] = field(default_factory=dict)
    offline: dict[str, datetime] = field(default_factory=dict)  # explicit, since
    latch: Latch = field(default_factory=lambda: Latch(timedelta(days=3650)))
    watermark: datetime | None = None

    def kind(self, device: str) -> str:
        return f"{self.classes.get(device, 'device')}_offline"

    def seen(self, device: str, ts: datetime) -> list[AlarmSignal]:
        """Any event from `device`: back from silence clears (explicit offline: no)."""
        if self.watermark is None or ts > self.watermark:
            self.watermark = ts
        if ts > self.last_seen.get(device, ts - timedelta(seconds=1)):
            self.last_seen[device] = ts
        else:
            self.last_seen.setdefault(device, ts)
        if device in self.offline:
            return []
        return self._clear(device, ts)

    def status(
        self, device: str, ts: datetime, state: str, reason: str = ""
    ) -> list[AlarmSignal]:
        """A status event: offline raises; online clears."""
        out = self.seen(device, ts) if state != "offline" else []
        if state == "offline":
            if self.watermark is None or ts > self.watermark:
                self.watermark = ts
            self.last_seen[device] = max(ts, self.last_seen.get(device, ts))
            self.offline.setdefault(device, ts)
            out += self._raise(device, ts, reason or "设备上报离线", "reported")
        elif state == "online" and device in self.offline:
            del self.offline[device]
            out += self._clear(device, ts)
        return out

    def evaluate(self, watermark: datetime | None = None) -> list[AlarmSignal]:
        mark = watermark or self.watermark
        if mark is None:
            return []
        limit = timedelta(seconds=self.params.silent_after_s)
        out = []
        for device, ts in self.last_seen.items():
            if mark - ts >= limit and device not in self.offline:
                minutes = (mark - ts).total_seconds() / 60
                out += self._raise(
                    device, mark, f"已{minutes:.0f}分钟无任何数据", "silent"
                )
        return out

    def _raise(
        self, device: str, at: datetime, why: str, rule: str
    ) -> list[AlarmSignal]:
        label = CLASS_LABELS_ZH.get(self.classes.get(device, ""), "设备")
        signal = AlarmSignal(
            kind=self.kind(device),
            source=device,
            area=device,
            severity="major",
            state="active",
            observed_at=at,
            message=f"{label}{self.names.get(device, device)}离线：{why}",
            details={"rule": rule, "last_seen": self.last_seen[device].isoformat()},
            evidence={"stream": "status", "device": device},
        )
        tripped = self.latch.trip(signal)
        return [tripped] if tripped else []

    def _clear(self, device: str, at: datetime) -> list[AlarmSignal]:
        cleared = self.latch.release((self.kind(device), device), at, _back_online)
        return [cleared] if cleared else []


def _back_online(first: AlarmSignal) -> str:
    return first.message.split("离线")[0] + "已恢复在线"
