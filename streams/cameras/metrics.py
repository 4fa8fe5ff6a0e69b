"""Readiness and Prometheus samples of the camera workers (`streams.health`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from streams.cameras.worker import CameraWorker
from streams.health import Sample


def camera_readiness(workers: Sequence[CameraWorker]) -> Mapping[str, bool]:
    """Ready when every camera's MQTT client is connected and its source open."""
    return {
        "mqtt": all(w.publisher.connected for w in workers),
        "sources": all(w.source.stats.open for w in workers),
    }


def camera_metrics(workers: Sequence[CameraWorker]) -> list[Sample]:
    samples: list[Sample] = []
    for w in workers:
        label = {"camera": w.camera.id}
        s, src = w.stats, w.source.stats
        samples += [
            Sample("ioc_camera_frames_analysed_total", "Frames analysed", "counter",
                   float(s.analysed), label),
            Sample("ioc_camera_frames_decoded_total", "Frames decoded", "counter",
                   float(src.decoded), label),
            Sample("ioc_camera_frames_dropped_total", "Frames replaced before "
                   "analysis (budget)", "counter", float(src.dropped), label),
            Sample("ioc_camera_source_reopened_total", "Source reconnects",
                   "counter", float(src.reopened), label),
            Sample("ioc_camera_source_open", "Source open", "gauge",
                   float(src.open), label),
            Sample("ioc_camera_offline", "No frame for the offline timeout",
                   "gauge", float(w.watch.offline), label),
            Sample("ioc_camera_events_total", "Events published", "counter",
                   float(s.events), label),
            Sample("ioc_camera_snapshots_total", "Snapshots published", "counter",
                   float(s.snapshots), label),
            Sample("ioc_camera_late_total", "Analyses that overran the budget",
                   "counter", float(s.behind), label),
            Sample("ioc_camera_busy_seconds_total", "Time spent analysing",
                   "counter", s.busy_s, label),
            Sample("ioc_camera_publishes_dropped_total", "MQTT publishes dropped "
                   "(broker backlog)", "counter", float(w.publisher.dropped), label),
        ]  # fmt: skip
    return samples
