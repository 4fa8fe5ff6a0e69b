"""Live sources the wall reads beside `LiveSnapshot`: the open-alarm mirror and the
alarm engine's heartbeat (#5), the canteen congestion state (#4) and camera zone
counts, in one Redis round trip.

The alarm mirror and the congestion hash are written by the consumer's alarm engine
and detectors; while a hash is absent the values here are `None` and the screens say
"not connected" (no band, a dash), never a made-up number. Records are read as JSON
mappings, tolerating fields they do not need.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import redis

from dashboard.live_fetch import NamedPipeline
from streams.live.keys import Keys

logger = logging.getLogger(__name__)

SEVERITIES = ("critical", "major", "minor", "notice")


@dataclass(frozen=True, slots=True)
class OpenAlarm:
    id: str
    severity: str
    message: str
    place: str
    raised_at: datetime | None
    acknowledged: bool
    active: bool


@dataclass(frozen=True, slots=True)
class Congestion:
    """One canteen's state as the congestion detector (#4) publishes it."""

    source: str
    queue: float | None
    wait_min: float | None
    forecast_wait_min: float | None
    level: str | None
    at: datetime | None


@dataclass(frozen=True, slots=True)
class WallSources:
    alarms: tuple[OpenAlarm, ...] | None  # None: no alarm mirror yet
    congestion: Mapping[str, Congestion] | None  # None: detector not publishing
    camera_counts: Mapping[str, tuple[int, datetime | None]]  # "cam:zone" → count
    alarm_engine_seen: datetime | None = None  # the engine's last tick; None: never

    def alarm_counts(self) -> dict[str, int] | None:
        if self.alarms is None:
            return None
        counts = dict.fromkeys(SEVERITIES, 0)
        for alarm in self.alarms:
            if alarm.active and alarm.severity in counts:
                counts[alarm.severity] += 1
        return counts

    def critical_unacknowledged(self) -> list[OpenAlarm]:
        """For the band: critical, not acknowledged, newest first."""
        found = [
            a
            for a in self.alarms or ()
            if a.severity == "critical" and not a.acknowledged
        ]
        oldest = datetime.min.replace(tzinfo=UTC)
        return sorted(found, key=lambda a: a.raised_at or oldest, reverse=True)


EMPTY = WallSources(alarms=None, congestion=None, camera_counts={})


def _time(value: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _number(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def parse_alarm(raw: str) -> OpenAlarm | None:
    """One mirrored alarm, or None if it is not shown live (shelved, folded, bad)."""
    try:
        record = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(record, dict) or record.get("closed_at"):
        return None
    if record.get("mode", "normal") != "normal" or record.get("summary_id"):
        return None
    return OpenAlarm(
        id=str(record.get("id", "")),
        severity=str(record.get("severity", "")),
        message=str(record.get("message") or record.get("kind") or ""),
        place=str(record.get("area") or record.get("source") or ""),
        raised_at=_time(record.get("raised_at")),
        acknowledged=bool(record.get("acknowledged", False)),
        active=bool(record.get("active", True)),
    )


def parse_congestion(source: str, raw: str) -> Congestion | None:
    try:
        record = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(record, dict):
        return None
    return Congestion(
        source=source,
        queue=_number(record.get("queue")),
        wait_min=_number(record.get("wait_min")),
        forecast_wait_min=_number(record.get("forecast_wait_min")),
        level=None if record.get("level") is None else str(record["level"]),
        at=_time(record.get("at")),
    )


class SourceReader:
    """Reads `WallSources` for one site; an unreachable Redis gives `EMPTY`."""

    def __init__(self, client: redis.Redis, site_id: str) -> None:
        self._client = client
        self._keys = Keys(site_id)

    def read(self) -> WallSources:
        pipe = NamedPipeline(self._client)
        pipe.hgetall("counts", self._keys.camera_count())
        pipe.hgetall("stamps", f"{self._keys.camera_count()}_ts")
        pipe.hvals("alarms", self._keys.alarms_open)
        pipe.get("seen", self._keys.alarm_engine_seen)
        pipe.hgetall("congestion", self._keys.congestion)
        try:
            replies = pipe.execute()
        except redis.RedisError as exc:
            logger.debug("wall sources unavailable: %s", type(exc).__name__)
            return EMPTY
        counts, stamps, alarms = replies["counts"], replies["stamps"], replies["alarms"]
        seen, congestion = replies["seen"], replies["congestion"]
        beat = _number(seen)
        engine_seen = None if beat is None else datetime.fromtimestamp(beat, UTC)
        return WallSources(
            # Redis drops an empty hash: no alarms and no heartbeat = no engine yet
            alarms=_alarms(alarms) if alarms or beat is not None else None,
            congestion=_congestions(congestion) if congestion else None,
            camera_counts=_counts(counts, stamps),
            alarm_engine_seen=engine_seen,
        )


def _alarms(values: list[str]) -> tuple[OpenAlarm, ...]:
    return tuple(a for a in (parse_alarm(v) for v in values) if a is not None)


def _congestions(values: Mapping[str, str]) -> dict[str, Congestion]:
    parsed = {k: parse_congestion(k, v) for k, v in values.items()}
    return {k: v for k, v in parsed.items() if v is not None}


def _counts(
    counts: Mapping[str, str], stamps: Mapping[str, str]
) -> dict[str, tuple[int, datetime | None]]:
    out: dict[str, tuple[int, datetime | None]] = {}
    for field, value in counts.items():
        number, stamp = _number(value), _number(stamps.get(field))
        if number is not None:
            moment = None if stamp is None else datetime.fromtimestamp(stamp, UTC)
            out[field] = (int(number), moment)
    return out
