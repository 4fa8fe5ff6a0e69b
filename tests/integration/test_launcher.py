"""`python -m streams.launch` as a real process with stand-in children: servers
come up, the URL is announced, a crashing child is restarted loudly, SIGINT leaves
nothing running, bad settings exit 2, secrets stay out of the output."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Protocol

import pytest

from streams.embedded import free_port, port_open

pytestmark = pytest.mark.integration


@pytest.fixture
def run_dir() -> Iterator[Path]:
    """A fresh run directory outside pytest's basetemp: as root, PostgreSQL runs as
    `nobody` and needs o+x on every ancestor, which a concurrent pytest session
    strips from /tmp/pytest-of-<user> (it re-tightens that directory to 0700)."""
    path = Path(tempfile.mkdtemp(prefix="ioc-test-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


REPO = Path(__file__).resolve().parents[2]
SLEEPER = "import time; time.sleep(1e9)"
ECHO_URLS = (
    "import os, time; "
    "print('mqtt', os.environ['IOC_MQTT_URL'], 'db', os.environ['IOC_DATABASE_URL'], "
    "'rundir', os.environ['IOC_RUN_DIR'], flush=True); time.sleep(1e9)"
)


class Launcher:
    """The launcher process and the lines it printed so far."""

    def __init__(self, args: list[str], env: Mapping[str, str]) -> None:
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streams.launch", *args],
            cwd=REPO,
            env=dict(env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, pattern: str, timeout: float = 45.0) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if found := re.search(pattern, line):
                    return found
            if self.process.poll() is not None and not self._reader.is_alive():
                break
            time.sleep(0.05)
        raise AssertionError(f"no line matching {pattern!r} in:\n{self.output}")

    def close(self) -> None:
        """Stop it if a test left it running (SIGINT, then SIGKILL)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(5)


class Launch(Protocol):
    def __call__(self, args: list[str], **env: str) -> Launcher: ...


@pytest.fixture
def launch(run_dir: Path) -> Iterator[Launch]:
    started: list[Launcher] = []

    def _launch(args: list[str], **env: str) -> Launcher:
        base = {k: v for k, v in os.environ.items() if not k.startswith("IOC_")}
        base["IOC_RUN_DIR"] = str(run_dir)
        launcher = Launcher(args, {**base, **env})
        started.append(launcher)
        return launcher

    yield _launch
    for launcher in started:
        launcher.close()


def _stand_ins(dashboard_port: int, consumer: str = SLEEPER) -> list[str]:
    http = f"python -m http.server {dashboard_port} --bind 127.0.0.1"
    crash = "python -c 'import sys; print(\"bye\"); sys.exit(3)'"
    return [
        *("--command", f"consumer=python -c {consumer!r}"),
        *("--command", f"simulator={crash}"),
        *("--command", f"dashboard={http}"),
    ]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except FileNotFoundError:
        return False


def test_embedded_stack_runs_and_sigint_leaves_nothing(launch: Launch) -> None:
    port = free_port()
    launcher = launch(
        ["--broker", "amqtt", *_stand_ins(port, ECHO_URLS)],
        IOC_DASHBOARD_PORT=str(port),
    )
    announced = launcher.wait_for(r"Jiguan IOC is running: (\S+)", timeout=60)
    assert announced.group(1) == f"http://127.0.0.1:{port}/wall/overview"
    echoed = launcher.wait_for(r"^consumer\s*\| mqtt (\S+) db (\S+) rundir (\S+)")
    assert echoed.group(1).startswith("mqtt://ioc@127.0.0.1:")
    assert echoed.group(2).startswith("postgresql://postgres@127.0.0.1:")
    assert Path(echoed.group(3)).is_absolute()
    launcher.wait_for(r"simulator exited with code 3 after .*restarting in")
    launcher.wait_for(r"started simulator \(pid")

    pids = [int(p) for p in re.findall(r"\(pid (\d+)\)", launcher.output)]
    ports = [int(p) for p in re.findall(r"embedded \w+ at \S+:(\d+)", launcher.output)]
    assert len(ports) == 3
    began = time.monotonic()
    launcher.process.send_signal(signal.SIGINT)
    assert launcher.process.wait(20) == 0
    assert time.monotonic() - began < 10
    assert not [pid for pid in pids if _alive(pid)]
    assert not [p for p in [*ports, port] if port_open("127.0.0.1", p)]
    assert "stopped dashboard" in launcher.output


def test_configured_urls_are_used_and_secrets_not_printed(
    launch: Launch, run_dir: Path
) -> None:
    port = free_port()
    launcher = launch(
        ["--no-simulator", *_stand_ins(port)],
        IOC_DASHBOARD_PORT=str(port),
        IOC_MQTT_URL="mqtt://consumer:s3cret-mq@127.0.0.1:1883",
        IOC_REDIS_URL="redis://:s3cret-rd@127.0.0.1:6379/0",
        IOC_DATABASE_URL="postgresql://ioc:s3cret-pg@127.0.0.1:5432/ioc",
    )
    launcher.wait_for(r"Jiguan IOC is running")
    launcher.process.send_signal(signal.SIGTERM)
    assert launcher.process.wait(15) == 0
    assert "redis: using redis://:***@127.0.0.1:6379/0" in launcher.output
    assert "s3cret" not in launcher.output
    assert "embedded" not in launcher.output
    assert not (run_dir / "postgres").exists()


@pytest.mark.parametrize(
    ("variable", "value"),
    [("IOC_DASHBOARD_PORT", "0"), ("IOC_NO_SUCH_SETTING", "1")],
)
def test_invalid_settings_exit_2_naming_the_field(
    launch: Launch, variable: str, value: str
) -> None:
    launcher = launch(["--no-simulator"], **{variable: value})
    assert launcher.process.wait(15) == 2
    launcher.close()
    assert variable in launcher.output
