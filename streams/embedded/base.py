"""The shape every embedded server shares: start()/stop()/url, a context manager,
its data under one directory, its output in one log file."""

from __future__ import annotations

import logging
import signal
import subprocess
import time
from abc import ABC, abstractmethod
from pathlib import Path
from types import TracebackType

from streams.embedded.process import free_port, stop_process

logger = logging.getLogger(__name__)


class EmbeddedServer(ABC):
    """One server process owned by this Python process.

    `port=None` picks a free loopback port at start. Data and the log live under
    `data_dir`, which is kept between runs (restarting reuses it)."""

    name: str = "server"
    stop_signal: signal.Signals = signal.SIGTERM

    def __init__(self, data_dir: Path, port: int | None = None) -> None:
        self.data_dir = Path(data_dir).resolve()
        self.port = port
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def log_path(self) -> Path:
        return self.data_dir / f"{self.name}.log"

    @property
    @abstractmethod
    def url(self) -> str:
        """Connection URL (no secrets: embedded servers listen on loopback only)."""

    @abstractmethod
    def _launch(self, port: int) -> subprocess.Popen[bytes]:
        """Start the server on `port` and return once it accepts connections."""

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> EmbeddedServer:
        if self.running:
            return self
        if self.port is None:
            self.port = free_port()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        began = time.monotonic()
        self.process = self._launch(self.port)
        logger.info(
            "%s ready on %s (pid %d) in %.2f s",
            self.name,
            self.url,
            self.process.pid,
            time.monotonic() - began,
        )
        return self

    def stop(self, timeout: float = 10.0) -> None:
        if self.process is None:
            return
        code = stop_process(self.process, self.stop_signal, timeout)
        logger.info("%s stopped (exit code %s)", self.name, code)
        self.process = None

    def __enter__(self) -> EmbeddedServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
