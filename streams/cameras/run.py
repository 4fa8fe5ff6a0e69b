"""Choosing the cameras to run and starting one worker thread per camera."""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime
from uuid import uuid4
from zoneinfo import ZoneInfo

from streams.cameras.publisher import CameraPublisher
from streams.cameras.source import FrameSource
from streams.cameras.worker import CameraWorker
from streams.config.settings import Settings
from streams.config.site import Camera, Site
from streams.wire.contracts import StatusEvent, to_payload, topic_for

DEFAULT_MQTT_URL = "mqtt://127.0.0.1:1883"
Running = list[tuple[CameraWorker, threading.Thread]]


def select_cameras(site: Site, names: list[str], sources: list[str]) -> list[Camera]:
    """The cameras to run with their sources; ValueError naming the problem."""
    overrides: dict[str, str] = {}
    for item in sources:
        camera, sep, url = item.partition("=")
        if not sep or not url:
            raise ValueError(f"--source {item!r}: expected CAMERA=URL")
        overrides[camera] = url
    for name in [*names, *overrides]:
        if name not in site.cameras_by_id:
            raise ValueError(f"unknown camera {name!r} (not in the site file)")
    chosen = [
        c.model_copy(update={"source": overrides.get(c.id, c.source)})
        for c in site.cameras
        if (not names or c.id in names)
    ]
    chosen = [c for c in chosen if c.source]
    if not chosen:
        raise ValueError("no camera has a source (site file `source`, or --source)")
    return chosen


def _will(site_id: str, camera: str) -> tuple[str, bytes]:
    """The camera's `status offline`, sent by the broker if this process vanishes."""
    event = StatusEvent(
        event_id=uuid4(),
        ts=datetime.now(UTC),
        device=camera,
        state="offline",
        reason="camera worker connection lost",
        last_will=True,
    )
    return topic_for(site_id, "status", camera), to_payload(event)


def start_workers(
    settings: Settings,
    site: Site,
    cameras: list[Camera],
    stop: threading.Event,
    loop: bool = True,
) -> Running:
    """One source reader, publisher and analysis thread per camera."""
    url = settings.url("mqtt") or DEFAULT_MQTT_URL
    running = []
    for camera in cameras:
        client_id = f"ioc-cam-{camera.id}-{os.getpid()}"[:64]
        publisher = CameraPublisher(url, client_id, will=_will(site.id, camera.id))
        source = FrameSource(camera.source, loop=loop, label=camera.id).start()
        worker = CameraWorker(
            site.id,
            camera,
            source,
            publisher,
            tz=ZoneInfo(site.timezone),
            offline_s=settings.camera_offline_s,
        )
        thread = threading.Thread(
            target=worker.run, args=(stop,), name=f"camera-{camera.id}", daemon=True
        )
        thread.start()
        running.append((worker, thread))
    return running


def stop_workers(running: Running) -> None:
    """After the stop event is set: join, close sources and publishers."""
    for worker, thread in running:
        thread.join(5)
        worker.source.stop()
        worker.publisher.close()
