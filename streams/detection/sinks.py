"""Where detector signals go: the `AlarmSink` protocol and a Redis stream fallback."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Protocol

import redis

from detectors.core.signals import AlarmSignal
from streams.live.keys import Keys

SIGNALS_MAXLEN = 100_000


class AlarmSink(Protocol):
    """Takes detector signals; `now` is the wall clock of the submitting runner.
    `streams.alarms.AlarmEngine` is one."""

    def submit(self, signals: Sequence[AlarmSignal], now: datetime) -> None: ...


def signal_json(signal: AlarmSignal) -> str:
    record = asdict(signal)
    record["observed_at"] = signal.observed_at.isoformat()
    record["details"] = dict(signal.details)
    record["evidence"] = dict(signal.evidence)
    return json.dumps(record, ensure_ascii=False)


class RedisSignalSink:
    """XADDs each signal as JSON to ``ioc:{site}:alarm_signals`` (bounded), for a
    process without an alarm engine: nothing is lost, the engine can read it later."""

    def __init__(self, client: redis.Redis, site_id: str) -> None:
        self._client = client
        self._key = Keys(site_id).alarm_signals

    def submit(self, signals: Sequence[AlarmSignal], now: datetime) -> None:
        if not signals:
            return
        pipe = self._client.pipeline(transaction=False)
        for signal in signals:
            pipe.xadd(
                self._key,
                {"signal": signal_json(signal), "submitted_at": now.isoformat()},
                maxlen=SIGNALS_MAXLEN,
                approximate=True,
            )
        pipe.execute()
