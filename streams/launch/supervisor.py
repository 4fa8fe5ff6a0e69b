"""Child processes of the launcher: started in order, their output prefixed with
their name, restarted with exponential backoff when they exit, stopped in reverse
order. A crash loop is logged loudly on every exit, never silently retried."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, TextIO

from streams.embedded.process import spawn, stop_process

logger = logging.getLogger(__name__)

NAME_WIDTH = 10


@dataclass(frozen=True, slots=True)
class ChildSpec:
    name: str
    argv: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Backoff:
    first_s: float = 0.5
    max_s: float = 30.0
    stable_after_s: float = 30.0  # a run this long resets the failure count
    crash_loop_after: int = 5  # consecutive quick exits reported as a crash loop

    def delay(self, failures: int) -> float:
        return float(min(self.max_s, self.first_s * 2 ** max(failures - 1, 0)))


@dataclass(slots=True)
class _Child:
    spec: ChildSpec
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    failures: int = 0
    restarts: int = 0
    restart_at: float | None = None
    pump: threading.Thread | None = field(default=None, repr=False)


class OutputPrefixer:
    """Writes child output lines as `name      | line`, one writer at a time."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._lock = threading.Lock()

    def write_line(self, name: str, line: str) -> None:
        with self._lock:
            self._out.write(f"{name:<{NAME_WIDTH}}| {line.rstrip()}\n")
            self._out.flush()

    def pump(self, name: str, stream: IO[bytes]) -> None:
        for raw in iter(stream.readline, b""):
            self.write_line(name, raw.decode("utf-8", errors="replace"))
        stream.close()


class Supervisor:
    """Owns the children. Call `start_all()`, then `poll()` regularly, then
    `stop_all()`; all from one thread."""

    def __init__(
        self,
        specs: Sequence[ChildSpec],
        env: Mapping[str, str],
        *,
        out: TextIO | None = None,
        backoff: Backoff | None = None,
    ) -> None:
        self._children = [_Child(spec) for spec in specs]
        self._env = dict(env)
        self._prefixer = OutputPrefixer(out if out is not None else sys.stdout)
        self._backoff = backoff or Backoff()

    def start_all(self) -> None:
        for child in self._children:
            self._start(child)

    def _start(self, child: _Child) -> None:
        try:
            child.process = spawn(child.spec.argv, env=self._env, capture=True)
        except OSError as exc:  # e.g. the executable does not exist
            child.process = None
            child.failures += 1
            delay = self._backoff.delay(child.failures)
            child.restart_at = time.monotonic() + delay
            logger.error(
                "could not start %s (%s); retrying in %.1f s",
                child.spec.name,
                exc,
                delay,
            )
            return
        child.started_at = time.monotonic()
        child.restart_at = None
        assert child.process.stdout is not None
        child.pump = threading.Thread(
            target=self._prefixer.pump,
            args=(child.spec.name, child.process.stdout),
            name=f"pump-{child.spec.name}",
            daemon=True,
        )
        child.pump.start()
        logger.info("started %s (pid %d)", child.spec.name, child.process.pid)

    def poll(self) -> None:
        """Notice exits, schedule restarts, perform the restarts that are due."""
        now = time.monotonic()
        for child in self._children:
            if child.restart_at is not None:
                if now >= child.restart_at:
                    child.restarts += 1
                    self._start(child)
            elif child.process is not None and child.process.poll() is not None:
                self._schedule_restart(child, now)

    def _schedule_restart(self, child: _Child, now: float) -> None:
        assert child.process is not None
        code = child.process.returncode
        ran = now - child.started_at
        if child.pump is not None:
            child.pump.join(timeout=1.0)  # flush its last words before ours
        stop_process(child.process, timeout=1.0)  # reap leftovers in its group
        quick = ran < self._backoff.stable_after_s
        child.failures = child.failures + 1 if quick else 1
        delay = self._backoff.delay(child.failures)
        child.restart_at = now + delay
        name = child.spec.name
        if child.failures >= self._backoff.crash_loop_after:
            logger.error(
                "%s is crash-looping: exited with code %s after %.1f s "
                "(%d quick exits in a row); restarting in %.1f s",
                *(name, code, ran, child.failures, delay),
            )
        else:
            logger.warning(
                "%s exited with code %s after %.1f s; restarting in %.1f s",
                *(name, code, ran, delay),
            )

    def stop_all(self, timeout: float = 5.0) -> None:
        """Stop every child, last started first: SIGTERM, wait, SIGKILL."""
        for child in reversed(self._children):
            child.restart_at = None
            if child.process is None:
                continue
            code = stop_process(child.process, timeout=timeout)
            if child.pump is not None:
                child.pump.join(timeout=1.0)
            logger.info("stopped %s (exit code %s)", child.spec.name, code)
            child.process = None
