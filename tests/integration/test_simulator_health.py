"""The simulator serves /healthz, /readyz and /metrics while it publishes."""

from __future__ import annotations

import json
import os
import signal
import sys
import urllib.request
from pathlib import Path

import pytest

from harness.processes import ROOT, wait_until
from streams.embedded.process import free_port, spawn, stop_process

pytestmark = pytest.mark.integration


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=3) as response:
        return response.read().decode()


def _answers(url: str) -> bool:
    try:
        _get(url)
    except OSError:
        return False
    return True


def test_simulator_health_and_metrics(
    site_file: Path, mqtt_url: str, tmp_path: Path
) -> None:
    port = free_port()
    env = {**os.environ, "IOC_MQTT_URL": mqtt_url, "IOC_SITE_FILE": str(site_file)}
    argv = [
        sys.executable,
        "-m",
        "streams.simulator",
        "--start",
        "today",
        "--speed",
        "3600",
        "--metrics-port",
        str(port),
    ]
    process = spawn(argv, env=env, cwd=ROOT, log_path=tmp_path / "sim.log")
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _answers(base + "/healthz"), 30, "the simulator's port")
        wait_until(lambda: json.loads(_get(base + "/readyz"))["ready"], 30, "MQTT")
        wait_until(
            lambda: "ioc_simulator_events_total 0\n" not in _get(base + "/metrics"),
            30,
            "events sent",
        )
        assert "# TYPE ioc_simulator_events_total counter" in _get(base + "/metrics")
    finally:
        assert stop_process(process, signal.SIGTERM, timeout=20) == 0
