"""``python -m streams.simulator``: publish a simulated compound day over MQTT.

Settings come from the environment (``IOC_MQTT_URL``, ``IOC_SITE_FILE``,
``IOC_LOG_LEVEL``); the simulator's own knobs are options. Bad settings or options exit
with status 2. See docs/simulator.md.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from streams.cameras.run import stop_workers
from streams.config.settings import Settings, SettingsError, load_settings, redact_url
from streams.config.site import SiteFileError, load_site
from streams.entry import log_to_stderr, refuse
from streams.health import Sample, start_health_server
from streams.simulator.cameras import parse_camera_video, play_videos, without_cameras
from streams.simulator.clock import SimClock, parse_when
from streams.simulator.draft import site_zone
from streams.simulator.engine import SimOptions, Simulator
from streams.simulator.incidents import KINDS, IncidentSpec, parse_incident
from streams.simulator.outputs import CountingSink, EventSink, JsonLinesSink, MqttSink
from streams.simulator.runner import Runner, RunStats

logger = logging.getLogger("streams.simulator")
DEFAULT_MQTT_URL = "mqtt://127.0.0.1:1883"


def _bounded(
    kind: type[float] | type[int], low: float, high: float
) -> Callable[[str], float]:
    """An argparse type: a number of `kind` within [low, high]."""

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from exc
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is not within {low}..{high}")
        return value

    return parse


def _incident(text: str) -> IncidentSpec:
    try:
        return parse_incident(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _camera_video(text: str) -> tuple[str, str]:
    try:
        return parse_camera_video(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m streams.simulator",
        description="Simulate a compound (gates, canteens, meters, cameras) over MQTT.",
    )
    add = parser.add_argument
    add("--start", default="now", help="'now' (default), 'today' or ISO datetime")
    add("--until", default=None, help="stop at this time (exclusive); default: run on")
    add("--speed", type=_bounded(float, 1, 3600), default=60.0, help="1..3600 (60)")
    add("--fast", action="store_true", help="ignore --speed: as fast as possible")
    add("--rate", type=_bounded(float, 0.01, 100), default=1.0, help="event volume ×")
    add("--seed", type=int, default=0, help="random seed (0)")
    add("--interval", type=_bounded(int, 1, 3600), default=60, help="meter period, s")
    add("--camera-interval", type=_bounded(int, 1, 3600), default=30, help="s")
    add(
        "--incident",
        type=_incident,
        action="append",
        default=[],
        metavar="KIND[@HH:MM][=DEVICE]",
        help=f"inject an incident; KIND: {', '.join(KINDS)}",
    )
    add(
        "--camera-video",
        type=_camera_video,
        action="append",
        default=[],
        metavar="CAMERA=FILE",
        help="play a video file as this camera through the real analytics",
    )
    add("--dry-run", action="store_true", help="do not publish (count, or --out)")
    add(
        "--out", default=None, metavar="FILE", help="write JSON lines here ('-' stdout)"
    )
    add("--client-id", default=None, help="MQTT client id")
    add(
        "--metrics-port",
        type=_bounded(int, 0, 65535),
        default=0,
        help="serve /healthz, /readyz, /metrics on 127.0.0.1 (0: off)",
    )
    return parser


def _sink(args: argparse.Namespace, url: str, site_id: str, inflight: int) -> EventSink:
    if args.out is not None:
        return JsonLinesSink(args.out)
    if args.dry_run:
        return CountingSink()
    client_id = args.client_id or f"ioc-sim-{site_id}-{os.getpid()}"[:64]
    logger.info("publishing to %s as %s", redact_url(url), client_id)
    return MqttSink(url, client_id, max_outstanding=inflight)


def _simulator(
    args: argparse.Namespace, settings: Settings
) -> tuple[Simulator, datetime | None]:
    """The engine and the end time; SiteFileError or ValueError naming the problem."""
    site = without_cameras(
        load_site(settings.site_file), (c for c, _ in args.camera_video)
    )
    tz = site_zone(site.timezone)
    now = datetime.now(UTC)
    start = parse_when(args.start, tz, now)
    until = parse_when(args.until, tz, now) if args.until else None
    if until is not None and until <= start:
        raise ValueError(f"--until {until.isoformat()} is not after --start")
    options = SimOptions(
        seed=args.seed,
        rate=args.rate,
        energy_interval_s=args.interval,
        camera_interval_s=args.camera_interval,
        incidents=tuple(args.incident),
    )
    return Simulator(site, start, options), until


def _run(
    args: argparse.Namespace, settings: Settings, sim: Simulator, until: datetime | None
) -> RunStats:
    url = settings.url("mqtt") or DEFAULT_MQTT_URL
    sink = _sink(args, url, sim.site.id, settings.mqtt_max_inflight)
    speed = float("inf") if args.fast else args.speed
    clock = SimClock(sim.start, time.time(), speed)
    runner = Runner(sim, sink, clock, until)
    health = start_health_server(
        args.metrics_port,
        lambda: {"mqtt": not isinstance(sink, MqttSink) or sink.connected},
        lambda: simulator_metrics(runner, sink),
    )
    previous = {
        signum: signal.signal(signum, lambda *_: runner.stop.set())
        for signum in (signal.SIGINT, signal.SIGTERM)
    }
    logger.info(
        "simulating %s from %s until %s at %s× (seed %d, rate %g)",
        sim.site.id,
        sim.start.isoformat(),
        until.isoformat() if until else "stopped",
        "max" if args.fast else f"{args.speed:g}",
        args.seed,
        args.rate,
    )
    stop_videos = threading.Event()
    played: dict[str, str] = (
        dict(args.camera_video) if isinstance(sink, MqttSink) else {}
    )
    videos = play_videos(settings, load_site(settings.site_file), played, stop_videos)
    try:
        return runner.run()
    finally:
        stop_videos.set()
        stop_workers(videos)
        sink.close()
        if health is not None:
            health.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def simulator_metrics(runner: Runner, sink: EventSink) -> list[Sample]:
    samples = [
        Sample(
            "ioc_simulator_events_total",
            "Events sent",
            "counter",
            float(runner.stats.events),
        ),
    ]
    if isinstance(sink, MqttSink):
        samples.append(
            Sample(
                "ioc_simulator_unacknowledged",
                "Publishes awaiting the broker",
                "gauge",
                float(sink.outstanding),
            )
        )
    return samples


def main(
    argv: list[str] | None = None, environ: Mapping[str, str] | None = None
) -> int:
    """Run the simulator; `environ` replaces os.environ for the settings (tests)."""
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings(None if environ is None else dict(environ))
    except SettingsError as exc:
        return refuse("simulator", exc)
    log_to_stderr(settings.log_level)
    try:
        sim, until = _simulator(args, settings)
    except (SiteFileError, ValueError) as exc:
        return refuse("simulator", exc)
    stats = _run(args, settings, sim, until)
    summary = {
        "simulator": "done",
        "events": stats.events,
        "by_stream": stats.by_stream,
    }
    print(json.dumps(summary, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
