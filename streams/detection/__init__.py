"""Detection runner (I/O side of `detectors/`): routes consumer batches to the pure
detectors, ticks them every minute, drops stale signals and hands the rest to an
`AlarmSink` (the alarm engine). `start_detection` wires one up for `python -m streams`.
"""

from __future__ import annotations

from streams.detection.hub import DetectionHub, HubStats
from streams.detection.sinks import AlarmSink, RedisSignalSink

__all__ = ["AlarmSink", "DetectionHub", "HubStats", "RedisSignalSink"]
