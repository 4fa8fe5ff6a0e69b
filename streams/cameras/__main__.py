"""``python -m streams.cameras``: analyse the site's cameras and publish over MQTT.

Cameras with a `source` in the site file are analysed (or those named with
`--camera`); `--source CAMERA=URL` sets or overrides a source (RTSP, HTTP MJPEG or a
file). Settings from the environment (``IOC_MQTT_URL``, ``IOC_SITE_FILE``,
``IOC_CAMERA_METRICS_PORT``, ``IOC_CAMERA_OFFLINE_S``, ``IOC_LOG_LEVEL``). Bad
settings or options exit with status 2. See docs/cameras.md.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Mapping

import cv2

from streams.cameras.metrics import camera_metrics, camera_readiness
from streams.cameras.run import select_cameras, start_workers, stop_workers
from streams.config.settings import SettingsError, load_settings
from streams.config.site import SiteFileError, load_site
from streams.entry import log_to_stderr, refuse
from streams.health import start_health_server

logger = logging.getLogger("streams.cameras")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m streams.cameras",
        description="Camera analytics: people, zones, lines, tampering → MQTT.",
    )
    add = parser.add_argument
    add("--camera", action="append", default=[], help="only this camera (repeatable)")
    add(
        "--source",
        action="append",
        default=[],
        metavar="CAMERA=URL",
        help="set a camera's source: rtsp://…, http://….mjpg or a video file",
    )
    add("--no-loop", action="store_true", help="play video files once (default: loop)")
    add("--threads", type=int, default=1, help="OpenCV threads per process (1)")
    return parser


def main(
    argv: list[str] | None = None, environ: Mapping[str, str] | None = None
) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings(None if environ is None else dict(environ))
        site = load_site(settings.site_file)
        cameras = select_cameras(site, args.camera, args.source)
    except (SettingsError, SiteFileError, ValueError) as exc:
        return refuse("cameras", exc)
    log_to_stderr(settings.log_level)
    cv2.setNumThreads(max(1, args.threads))
    stop = threading.Event()
    running = start_workers(settings, site, cameras, stop, loop=not args.no_loop)
    workers = [w for w, _ in running]
    health = start_health_server(
        settings.camera_metrics_port,
        lambda: camera_readiness(workers),
        lambda: camera_metrics(workers),
    )
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    logger.info("analysing %s", ", ".join(c.id for c in cameras))
    stop.wait()
    stop_workers(running)
    if health is not None:
        health.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
