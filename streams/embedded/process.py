"""Process plumbing shared by the embedded servers and the launcher: free loopback
ports, readiness polls, spawning in a new session that dies with its parent, and a
bounded stop (signal the process group, wait, then kill).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO

logger = logging.getLogger(__name__)

LOOPBACK = "127.0.0.1"
_PR_SET_PDEATHSIG = 1


class EmbeddedServerError(RuntimeError):
    """An embedded server could not be prepared, started or reached."""


def free_port(host: str = LOOPBACK) -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def port_open(host: str, port: int, timeout: float = 0.2) -> bool:
    """True if something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def log_tail(path: Path | None, lines: int = 20) -> str:
    """The last lines of a log file, for an error message."""
    if path is None or not path.exists():
        return ""
    text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return "\n".join(text[-lines:])


def wait_until(
    ready: Callable[[], bool],
    what: str,
    timeout: float,
    process: subprocess.Popen[bytes] | None = None,
    log_path: Path | None = None,
) -> None:
    """Poll `ready` until true; fail early if `process` exits, or after `timeout` s."""
    deadline = time.monotonic() + timeout
    delay = 0.02
    while not ready():
        if process is not None and process.poll() is not None:
            raise EmbeddedServerError(
                f"{what}: process exited with code {process.returncode}\n"
                + log_tail(log_path)
            )
        if time.monotonic() > deadline:
            raise EmbeddedServerError(
                f"{what}: not ready after {timeout:.0f} s\n" + log_tail(log_path)
            )
        time.sleep(delay)
        delay = min(delay * 1.5, 0.25)


def _die_with_parent() -> None:  # runs in the child between fork and exec
    if _prctl is not None:
        _prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM))


def _load_prctl() -> Callable[[int, int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl: Callable[[int, int], int] = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    return prctl


_prctl = _load_prctl()


def spawn(
    argv: Sequence[str],
    *,
    log_path: Path | None = None,
    env: Mapping[str, str] | None = None,
    user: int | None = None,
    group: int | None = None,
    cwd: Path | None = None,
    capture: bool = False,
) -> subprocess.Popen[bytes]:
    """Start `argv` in its own session (a terminal's Ctrl-C reaches only us) that gets
    SIGTERM if this process dies. Output goes to `log_path` (appended), to a pipe
    (`capture`), or is inherited. `user`/`group` drop privileges (uid/gid)."""
    out: int | IO[bytes] | None = subprocess.PIPE if capture else None
    log_file = None
    if log_path is not None:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log_file = open(log_path, "ab")  # noqa: SIM115 - handed to the child
        out = log_file
    try:
        return subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=dict(env) if env is not None else None,
            cwd=cwd,
            user=user,
            group=group,
            extra_groups=[] if user is not None else None,
            start_new_session=True,
            preexec_fn=_die_with_parent if _prctl is not None else None,
        )
    finally:
        if log_file is not None:
            log_file.close()


def spawn_ready(
    argv: Sequence[str],
    what: str,
    ready: Callable[[], bool],
    timeout: float,
    *,
    log_path: Path,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.Popen[bytes]:
    """`spawn` a server, then return once `ready()` (see `wait_until`); if it never
    gets there, SIGKILL its process group and raise `EmbeddedServerError`."""
    proc = spawn(argv, log_path=log_path, env=env, cwd=cwd)
    try:
        wait_until(ready, what, timeout, proc, log_path)
    except EmbeddedServerError:
        stop_process(proc, signal.SIGKILL)
        raise
    return proc


def ports_open(*ports: int, host: str = LOOPBACK) -> Callable[[], bool]:
    """A readiness check: every one of `ports` accepts connections (in order)."""
    return lambda: all(port_open(host, port) for port in ports)


def stop_process(
    process: subprocess.Popen[bytes],
    sig: signal.Signals = signal.SIGTERM,
    timeout: float = 5.0,
) -> int | None:
    """Send `sig` to the process group, wait up to `timeout` s, then SIGKILL it.
    Returns the exit code (None if it could not be reaped)."""
    if process.poll() is None:
        _signal_group(process, sig)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            logger.warning(
                "pid %d ignored %s for %.1f s; killing it",
                process.pid,
                sig.name,
                timeout,
            )
            _signal_group(process, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(5.0)
    else:
        # The leader is gone; make sure nothing it left in its group survives.
        _signal_group(process, signal.SIGKILL)
    return process.returncode


def _signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    try:
        os.killpg(process.pid, sig)
    except (ProcessLookupError, PermissionError):
        with contextlib.suppress(ProcessLookupError):
            if process.poll() is None:
                process.send_signal(sig)
