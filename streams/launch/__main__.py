"""`python -m streams.launch`: Jiguan IOC on one machine.

Uses each IOC_*_URL that is set and starts an embedded server for each that is not
(data under IOC_RUN_DIR, default ./run), then runs the consumer, the simulator and
the dashboard with the resolved URLs in their environment, restarting any that
exits. Ctrl-C or SIGTERM stops children and servers in reverse order.

Exit codes: 0 after a requested stop, 1 when a server or port is unusable,
2 for invalid settings or arguments.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from types import FrameType

from streams.config.settings import Settings, SettingsError, load_settings
from streams.embedded import EmbeddedServerError, port_open
from streams.launch.cli import child_specs, parse_args
from streams.launch.servers import (
    child_environment,
    prepare_consumer_session,
    resolve_servers,
)
from streams.launch.supervisor import NAME_WIDTH, ChildSpec, Supervisor

logger = logging.getLogger("streams.launch")

POLL_S = 0.2


class StopRequested(Exception):
    """SIGINT or SIGTERM arrived."""


def _request_stop(signum: int, frame: FrameType | None) -> None:
    raise StopRequested(signal.Signals(signum).name)


def _ignore_further(signum: int, frame: FrameType | None) -> None:
    logger.info("%s received; already stopping", signal.Signals(signum).name)


def _configure_logging(level: str) -> None:
    prefix = f"{'launcher':<{NAME_WIDTH}}| "
    logging.basicConfig(
        level=level,
        stream=sys.stdout,
        format=prefix + "%(asctime)s %(levelname)s %(name)s: %(message)s",
        force=True,
    )


def dashboard_address(settings: Settings) -> tuple[str, int]:
    host = settings.dashboard_host
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    return host, settings.dashboard_port


def _first_run(environment: dict[str, str]) -> str | None:
    """Access control's first run (#8, docs/security.md): migrations, the bootstrap
    admin (its generated password printed here, once ever) and a fresh kiosk path
    for the wall. None when it fails (its output may hold URLs: not echoed)."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "dashboard.auth", "first-run", "overview"],
            env=environment, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired) as exc:
        logger.warning("kiosk URL not issued: %s", type(exc).__name__)
        return None
    for line in done.stderr.splitlines():
        if line.startswith("bootstrap admin created"):
            print(line, flush=True)  # the only time this password exists in clear
    if done.returncode != 0:
        logger.warning("kiosk URL not issued (exit %d)", done.returncode)
        return None
    try:
        return str(json.loads(done.stdout.strip().splitlines()[-1])["kiosk_path"])
    except (ValueError, IndexError, KeyError, TypeError):
        logger.warning("kiosk URL not issued: unexpected output")
        return None


def _supervise(
    supervisor: Supervisor,
    settings: Settings,
    wants_ui: bool,
    ready_timeout: float,
    kiosk_path: str | None = None,
) -> None:
    """Poll children until a stop signal; announce the URL once the dashboard
    port accepts connections."""
    host, port = dashboard_address(settings)
    deadline = time.monotonic() + ready_timeout
    announced = not wants_ui
    late_logged = False
    if not wants_ui:
        print("Jiguan IOC is running (no dashboard)", flush=True)
    while True:
        supervisor.poll()
        if not announced and port_open(host, port):
            print(
                f"Jiguan IOC is running: http://{host}:{port}/wall/overview", flush=True
            )
            if kiosk_path:
                print(f"wall kiosk URL: http://{host}:{port}{kiosk_path}", flush=True)
                print(f"sign in (admin): http://{host}:{port}/login", flush=True)
            announced = True
        elif not announced and not late_logged and time.monotonic() > deadline:
            logger.error(
                "dashboard not listening on %s:%d after %.0f s",
                host,
                port,
                ready_timeout,
            )
            late_logged = True
        time.sleep(POLL_S)


def run(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"launcher: {exc}", file=sys.stderr, flush=True)
        return 2
    _configure_logging(settings.log_level)
    specs = child_specs(args)
    host, port = dashboard_address(settings)
    if any(spec.name == "dashboard" for spec in specs) and port_open(host, port):
        logger.error("port %s:%d is already in use (IOC_DASHBOARD_PORT)", host, port)
        return 1
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _request_stop)
    return _run_until_stopped(settings, args, specs)


def _run_until_stopped(
    settings: Settings, args: argparse.Namespace, specs: list[ChildSpec]
) -> int:
    """Servers, then children, until a signal; then children and servers stop in
    reverse order (the ExitStack closes the servers)."""
    began = time.monotonic()
    supervisor: Supervisor | None = None
    with contextlib.ExitStack() as stack:
        try:
            urls = resolve_servers(settings, args.broker, stack)
            logger.info("servers ready in %.1f s", time.monotonic() - began)
            environment = child_environment(settings, urls, dict(os.environ))
            supervisor = Supervisor(specs, environment)
            wants_ui = any(spec.name == "dashboard" for spec in specs)
            kiosk_path = _first_run(environment) if wants_ui else None
            if any(spec.name == "consumer" for spec in specs):
                prepare_consumer_session(settings, urls["mqtt"])
            supervisor.start_all()
            _supervise(supervisor, settings, wants_ui, args.ready_timeout, kiosk_path)
        except StopRequested as stop:
            logger.info("%s received; stopping", stop)
        except EmbeddedServerError as exc:
            logger.error("%s", exc)
            return 1
        finally:
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, _ignore_further)
            if supervisor is not None:
                supervisor.stop_all()
            logger.info("stopping servers")
    logger.info("stopped")
    return 0


def main() -> None:
    sys.exit(run())


if __name__ == "__main__":
    main()
