"""Shared fixtures. Integration tests talk to the real servers this machine runs
(PostgreSQL 127.0.0.1:5432, Redis :6379, Mosquitto :1883), each test isolated by a
unique site id (so unique MQTT topics and Redis keys) and a fresh PostgreSQL
database. Tests that stop or break a server start their own instance
(`tests/servers.py`).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import redis

from streams.config.settings import SAMPLE_SITE_FILE
from streams.config.site import Site, load_site

PG_ADMIN_URL = os.environ.get(
    "JIGUAN_TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_TEST_URL = os.environ.get("JIGUAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
MQTT_TEST_URL = os.environ.get("JIGUAN_TEST_MQTT_URL", "mqtt://127.0.0.1:1883")
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def sample_site() -> Site:
    return load_site(SAMPLE_SITE_FILE)


@pytest.fixture
def site(sample_site: Site) -> Site:
    """The sample compound under a unique id: its own topics and Redis keys."""
    return sample_site.model_copy(update={"id": f"t{uuid.uuid4().hex[:12]}"})


@pytest.fixture
def site_file(site: Site, tmp_path: Path) -> Path:
    """`site` written as a YAML file, for processes started by a test."""
    import yaml

    path = tmp_path / "site.yaml"
    path.write_text(yaml.safe_dump(site.model_dump(mode="json"), allow_unicode=True))
    return path


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty database on the machine's PostgreSQL, dropped afterwards."""
    name = f"ioc_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def redis_url(site: Site) -> Iterator[str]:
    """The machine's Redis; the test's keys (its unique site) are deleted afterwards."""
    yield REDIS_TEST_URL
    client = redis.Redis.from_url(REDIS_TEST_URL)
    keys = list(client.scan_iter(match=f"ioc:{{{site.id}}}:*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def mqtt_url() -> str:
    return MQTT_TEST_URL
