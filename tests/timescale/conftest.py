"""The TimescaleDB harness (DESIGN.md §7): PGlite with TimescaleDB compiled in, served
over the PostgreSQL wire protocol by pglite-socket (`server.mjs`), one client
connection at a time. Tests here share one server and one connection per session.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

HARNESS_DIR = Path(__file__).resolve().parent
START_TIMEOUT_S = 90.0


def _install_node_modules() -> None:
    if (HARNESS_DIR / "node_modules" / "@unni-craftsman" / "pglite").is_dir():
        return
    has_lock = (HARNESS_DIR / "package-lock.json").is_file()
    command = ["npm", "ci"] if has_lock else ["npm", "install"]
    subprocess.run(command, cwd=HARNESS_DIR, check=True, timeout=600)


def _free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_accepting(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    """Bounded poll: connect (and disconnect) until the server answers a query."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if server.poll() is not None:
            pytest.fail(f"PGlite server exited early:\n{log.read_text()[-2000:]}")
        try:
            with psycopg.connect(url, connect_timeout=5, prepare_threshold=None) as c:
                c.execute("SELECT 1")
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                pytest.fail(f"PGlite server not ready:\n{log.read_text()[-2000:]}")
            time.sleep(0.25)


@pytest.fixture(scope="session")
def timescale_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A conninfo URL of a fresh in-memory PGlite + TimescaleDB server."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are needed for the TimescaleDB harness")
    _install_node_modules()
    port = _free_loopback_port()
    log = tmp_path_factory.mktemp("pglite") / "server.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            ["node", "server.mjs", "--host", "127.0.0.1", "--port", str(port)],
            cwd=HARNESS_DIR,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    # PGlite asks for a password it does not check, and speaks no SSL.
    url = f"postgresql://postgres:postgres@127.0.0.1:{port}/postgres?sslmode=disable"
    try:
        _wait_until_accepting(url, server, log)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


@pytest.fixture(scope="session")
def timescale_conn(timescale_url: str) -> Iterator[psycopg.Connection]:
    """The one connection PGlite serves; autocommit, so CALL refresh_… can run, and
    no server-side prepared statements."""
    with psycopg.connect(
        timescale_url, autocommit=True, prepare_threshold=None
    ) as connection:
        yield connection
