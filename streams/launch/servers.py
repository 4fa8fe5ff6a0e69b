"""Which servers the launcher uses: each IOC_*_URL that is set, else an embedded
server under the run directory (started here, stopped when the stack closes)."""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import SecretStr

from streams.config.settings import ENV_PREFIX, Settings, redact_url
from streams.config.site import load_site
from streams.embedded import (
    EmbeddedPostgres,
    EmbeddedRedis,
    EmbeddedServer,
    EmbeddedServerError,
    embedded_broker,
)
from streams.wire.contracts import subscription_topic
from streams.wire.mqtt import BrokerAddress, ClientOptions, ensure_session

logger = logging.getLogger(__name__)

ServerName = Literal["database", "redis", "mqtt"]
URL_VARIABLES: dict[ServerName, str] = {
    "database": "IOC_DATABASE_URL",
    "redis": "IOC_REDIS_URL",
    "mqtt": "IOC_MQTT_URL",
}


def lock_run_dir(run_dir: Path, stack: contextlib.ExitStack) -> None:
    """Hold an exclusive lock on `run_dir` for as long as `stack` is open: two
    launchers must not share embedded servers' data."""
    run_dir.mkdir(parents=True, exist_ok=True)
    handle = stack.enter_context(open(run_dir / "launcher.lock", "w"))  # noqa: SIM115
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        raise EmbeddedServerError(
            f"another launcher is using {run_dir} (IOC_RUN_DIR)"
        ) from exc
    handle.write(str(os.getpid()))
    handle.flush()


def resolve_servers(
    settings: Settings, broker: str, stack: contextlib.ExitStack
) -> dict[ServerName, str]:
    """URL per server, starting embedded ones (in order database, redis, mqtt) for
    the URLs not configured; they stop in reverse order when `stack` closes."""
    run_dir = settings.run_dir.resolve()
    factories: dict[ServerName, Callable[[], EmbeddedServer]] = {
        "database": lambda: EmbeddedPostgres(run_dir / "postgres"),
        "redis": lambda: EmbeddedRedis(run_dir / "redis"),
        "mqtt": lambda: embedded_broker(run_dir, broker),
    }
    if not all(settings.url(name) for name in factories):
        lock_run_dir(run_dir, stack)
    urls: dict[ServerName, str] = {}
    for name, factory in factories.items():
        configured = settings.url(name)
        if configured:
            logger.info("%s: using %s", name, redact_url(configured))
            urls[name] = configured
            continue
        server = stack.enter_context(factory())
        logger.info("%s: embedded %s at %s", name, server.name, server.url)
        urls[name] = server.url
    return urls


def environment_text(value: object) -> str:
    """A setting's value as its environment variable spells it (lists are
    comma-separated: `str(())` would be read back as one bad entry)."""
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, tuple | list | set | frozenset):
        return ",".join(environment_text(item) for item in value)
    return str(value)


def child_environment(
    settings: Settings, urls: dict[ServerName, str], base: dict[str, str]
) -> dict[str, str]:
    """`base` without its IOC_* variables, plus every setting (run_dir made
    absolute) and the resolved server URLs."""
    env = {k: v for k, v in base.items() if not k.startswith(ENV_PREFIX)}
    for name in Settings.model_fields:
        env[f"{ENV_PREFIX}{name.upper()}"] = environment_text(getattr(settings, name))
    env[f"{ENV_PREFIX}RUN_DIR"] = str(settings.run_dir.resolve())
    for server, url in urls.items():
        env[URL_VARIABLES[server]] = url
    env["PYTHONUNBUFFERED"] = "1"
    return env


def prepare_consumer_session(settings: Settings, mqtt_url: str) -> None:
    """Before any producer starts: the consumer's persistent session, subscribed, so
    the broker queues the simulator's first events for it (on a fresh broker they
    were dropped while the consumer was still starting: 268 of 23,913 in one run)."""
    site = load_site(settings.site_file)
    options = ClientOptions(
        client_id=settings.mqtt_client_id,
        protocol=settings.mqtt_protocol,
        session_expiry_s=settings.mqtt_session_expiry_s,
        max_inflight=settings.mqtt_max_inflight,
    )
    topic = subscription_topic(site.id, settings.mqtt_shared_group)
    if not ensure_session(BrokerAddress.parse(mqtt_url), options, topic):
        logger.warning("MQTT %s did not confirm the consumer's session in time",
                       redact_url(mqtt_url))  # fmt: skip
