"""`python -m dashboard` as a child process on a free loopback port, for tests that
speak real HTTP to it (access control, the read API)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from streams.embedded.process import free_port

REPO = Path(__file__).resolve().parents[1]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@contextlib.contextmanager
def dashboard_process(
    site_file: Path, redis_url: str, database_url: str, log: Path, **settings: str
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """The dashboard's URL and process (benches read its RSS); `settings` become
    ``IOC_<NAME>`` variables."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("IOC_")}
    env |= {
        "IOC_REDIS_URL": redis_url,
        "IOC_DATABASE_URL": database_url,
        "IOC_SITE_FILE": str(site_file),
        "IOC_DASHBOARD_PORT": str(port),
        "PYTHONPATH": str(REPO),
    }
    env |= {f"IOC_{k.upper()}": v for k, v in settings.items()}
    out = log.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "dashboard"], cwd=REPO, env=env, stdout=out, stderr=out
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 40
        while process.poll() is None and not healthy(url):
            if time.monotonic() > deadline:
                raise TimeoutError(log.read_text())
            time.sleep(0.2)
        assert process.poll() is None, log.read_text()
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        out.close()


@contextlib.contextmanager
def running_dashboard(
    site_file: Path, redis_url: str, database_url: str, log: Path, **settings: str
) -> Iterator[str]:
    with dashboard_process(site_file, redis_url, database_url, log, **settings) as (
        url,
        _,
    ):
        yield url
