"""The read API (/api/v1) against `python -m dashboard` over real HTTP: bearer
tokens, and schemathesis generating requests from the published OpenAPI and
checking every response against it (status codes, content types, schemas)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import schemathesis

from dashboard.auth.passwords import new_token
from dashboard.auth.store import UserStore
from harness.dashboard_process import running_dashboard
from streams.config.site import Site

pytestmark = pytest.mark.integration


@pytest.fixture
def api(
    site_file: Path, redis_url: str, pg_url: str, tmp_path: Path
) -> Iterator[tuple[str, str]]:
    with running_dashboard(site_file, redis_url, pg_url, tmp_path / "d.log") as url:
        token = new_token()
        UserStore(pg_url).issue_token("api", "city-platform", token, "test")
        yield url, token


@pytest.fixture
def api_schema(api: tuple[str, str]) -> schemathesis.BaseSchema:
    url, token = api
    schema = schemathesis.openapi.from_url(f"{url}/api/v1/openapi.json")
    schema.config.update(
        base_url=f"{url}/api/v1", headers={"Authorization": f"Bearer {token}"}
    )
    return schema


def test_bearer_token_required(api: tuple[str, str], site: Site) -> None:
    url, token = api
    assert requests.get(f"{url}/api/v1/kpis", timeout=10).status_code == 401
    wrong = {"Authorization": "Bearer not-a-token"}
    assert (
        requests.get(f"{url}/api/v1/kpis", headers=wrong, timeout=10).status_code == 401
    )
    good = {"Authorization": f"Bearer {token}"}
    kpis = requests.get(f"{url}/api/v1/kpis", headers=good, timeout=10)
    assert kpis.status_code == 200 and kpis.json()["site"] == site.id
    alarms = requests.get(f"{url}/api/v1/alarms", headers=good, timeout=10).json()
    assert alarms == {"site": site.id, "alarms": []}
    schema = requests.get(f"{url}/api/v1/openapi.json", timeout=10)
    assert schema.status_code == 200  # the schema is public, and holds no secret
    assert token not in schema.text
    session_only = requests.get(f"{url}/duty", headers=good, timeout=10)
    assert session_only.status_code == 401  # an API token opens no page


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_read_api_conforms_to_its_openapi(case: schemathesis.Case) -> None:
    case.call_and_validate()
