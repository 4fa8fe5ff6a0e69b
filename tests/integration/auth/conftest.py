"""The real dashboard (`python -m dashboard`) on a free port, for the access tests;
a module that needs other settings defines its own `app_url`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.dashboard_process import running_dashboard


@pytest.fixture
def app_url(
    site_file: Path, redis_url: str, pg_url: str, tmp_path: Path
) -> Iterator[str]:
    log = tmp_path / "dashboard.log"
    with running_dashboard(site_file, redis_url, pg_url, log) as url:
        yield url
    assert "Traceback" not in log.read_text()
