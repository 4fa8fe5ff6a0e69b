"""Alarm rules on camera analytics events (#6): intrusion, loitering, tampering.

The camera worker reports levels (`docs/events.md`): a `zone_intrusion` or
`loitering` event with a count above 0 while people are there and one with 0 once
the zone is clear; `camera_covered` / `camera_blurred` / `camera_moved` with 1 when
tampering begins and 0 when the picture is back. Each becomes an `AlarmSignal`,
active or cleared, about the zone (intrusion, loitering) or the camera (tampering).
Intrusions in quiet hours (thresholds `quiet_start`–`quiet_end`, site time) are
critical; camera offline is the device watch's (`detectors.devices.offline`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from detectors.core.signals import AlarmSignal, Severity
from streams.config.site import Site
from streams.wire.contracts import CameraEvent

TAMPER_LABELS_ZH: Mapping[str, str] = {
    "camera_covered": "镜头被遮挡",
    "camera_blurred": "画面模糊（失焦或污损）",
    "camera_moved": "摄像机被移动（视角改变）",
}


@dataclass(frozen=True, slots=True)
class _Zone:
    camera: str
    id: str
    name: str
    kind: str


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


class CameraRules:
    def __init__(self, site: Site) -> None:
        self._tz = ZoneInfo(site.timezone)
        self._zones = {
            (c.id, z.id): _Zone(c.id, z.id, z.name, z.kind)
            for c in site.cameras
            for z in c.zones
        }
        self._names = {c.id: c.name for c in site.cameras}
        self._areas = {c.id: c.building or c.gate or c.id for c in site.cameras}
        t = site.thresholds
        self._quiet = (_minutes(t.quiet_start), _minutes(t.quiet_end))

    def signals(self, event: CameraEvent) -> list[AlarmSignal]:
        if event.kind in TAMPER_LABELS_ZH:
            return [self._tamper(event)]
        if event.kind not in ("zone_intrusion", "loitering") or event.zone is None:
            return []
        zone = self._zones.get((event.device, event.zone))
        if zone is None:
            return []
        if event.kind == "zone_intrusion":
            return [self._intrusion(event, zone)] if zone.kind == "restricted" else []
        return [self._loitering(event, zone)]

    def quiet(self, ts: datetime) -> bool:
        local = ts.astimezone(self._tz)
        minute = local.hour * 60 + local.minute
        start, end = self._quiet
        return start <= minute or minute < end if start > end else start <= minute < end

    def _intrusion(self, event: CameraEvent, zone: _Zone) -> AlarmSignal:
        severity: Severity = "critical" if self.quiet(event.ts) else "major"
        where = f"{zone.name}（{self._names.get(zone.camera, zone.camera)}）"
        if event.count:
            message = f"{where}有人闯入：{event.count}人"
        else:
            message = f"{where}闯入已结束，区域无人"
        return self._signal("zone_intrusion", zone.id, severity, event, message)

    def _loitering(self, event: CameraEvent, zone: _Zone) -> AlarmSignal:
        severity: Severity = "major" if zone.kind == "restricted" else "minor"
        where = f"{zone.name}（{self._names.get(zone.camera, zone.camera)}）"
        if event.count:
            message = f"{where}有人徘徊逗留：{event.count}人"
        else:
            message = f"{where}徘徊已结束"
        return self._signal("loitering", zone.id, severity, event, message)

    def _tamper(self, event: CameraEvent) -> AlarmSignal:
        name = self._names.get(event.device, event.device)
        label = TAMPER_LABELS_ZH[event.kind]
        message = f"摄像机{name}：{label}" if event.count else f"摄像机{name}画面已恢复"
        return self._signal(
            "camera_tampered", event.device, "major", event, message, event.kind
        )

    def _signal(
        self,
        kind: str,
        source: str,
        severity: Severity,
        event: CameraEvent,
        message: str,
        tamper: str = "",
    ) -> AlarmSignal:
        details: dict[str, float | int | str] = {"count": event.count}
        details["camera"] = event.device
        if tamper:
            details["tamper"] = tamper
        evidence = {"stream": "camera", "device": event.device}
        if event.zone:
            evidence["zone"] = event.zone
        if event.snapshot:
            evidence["snapshot"] = event.snapshot
        return AlarmSignal(
            kind=kind,
            source=source,
            severity=severity,
            state="active" if event.count else "cleared",
            observed_at=event.ts,
            message=message,
            area=self._areas.get(event.device, event.device),
            details=details,
            evidence=evidence,
        )
