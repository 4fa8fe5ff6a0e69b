"""Which client address the login rate limit and the audit log see, over real HTTP
against `python -m dashboard` (uvicorn, PostgreSQL, Redis): a peer's own
X-Forwarded-For is ignored unless the peer is a configured proxy
(IOC_DASHBOARD_TRUSTED_PROXIES)."""

from __future__ import annotations

import re
from pathlib import Path

import psycopg
import pytest
import requests

from harness.dashboard_process import running_dashboard

pytestmark = pytest.mark.integration
PER_MIN = 3


def attempt(url: str, forwarded: str) -> int:
    """One wrong login from this machine, claiming to forward for `forwarded`."""
    session = requests.Session()
    form = session.get(f"{url}/login", timeout=10).text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form)
    assert csrf is not None
    answer = session.post(
        f"{url}/login",
        data={"username": "nobody", "password": "Wrong-pass-1",
              "csrf": csrf.group(1), "next": "/"},
        headers={"X-Forwarded-For": forwarded},
        allow_redirects=False, timeout=30,
    )  # fmt: skip
    return answer.status_code


def login_clients(database_url: str) -> list[str]:
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT client FROM audit_log WHERE action = 'login' ORDER BY seq"
        ).fetchall()
    return [row[0] for row in rows]


def test_forwarded_for_from_an_untrusted_peer_is_ignored(
    site_file: Path, redis_url: str, pg_url: str, tmp_path: Path
) -> None:
    with running_dashboard(
        site_file, redis_url, pg_url, tmp_path / "dashboard.log",
        auth_login_per_min=str(PER_MIN),
    ) as url:  # fmt: skip
        statuses = [attempt(url, f"198.51.100.{n}") for n in range(1, 9)]
    # 8 tries in at most two clock minutes: one of the minutes holds more than 3
    assert 429 in statuses, statuses
    assert statuses.count(401) <= 2 * PER_MIN, statuses
    assert set(login_clients(pg_url)) == {"127.0.0.1"}


def test_a_trusted_proxy_names_the_client(
    site_file: Path, redis_url: str, pg_url: str, tmp_path: Path
) -> None:
    with running_dashboard(
        site_file, redis_url, pg_url, tmp_path / "dashboard.log",
        dashboard_trusted_proxies="127.0.0.1, 10.0.0.0/8",
    ) as url:  # fmt: skip
        assert attempt(url, "198.51.100.7") == 401
        # the client wrote the first entry itself; our proxy appended the second
        assert attempt(url, "6.6.6.6, 203.0.113.5") == 401
        assert attempt(url, "6.6.6.6, 203.0.113.6, 10.1.2.3") == 401
    assert login_clients(pg_url) == ["198.51.100.7", "203.0.113.5", "203.0.113.6"]
