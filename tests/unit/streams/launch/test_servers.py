"""The launcher hands every setting to its children as environment variables: a
child must read back exactly the settings the launcher holds (a list setting once
went out as "()" and stopped every child at start)."""

from __future__ import annotations

import pytest

from streams.config.settings import load_settings
from streams.launch.servers import child_environment

URLS = {
    "database": "postgresql://postgres@127.0.0.1:5432/ioc",
    "redis": "redis://127.0.0.1:6379/0",
    "mqtt": "mqtt://127.0.0.1:1883",
}


@pytest.mark.parametrize(
    "proxies", ["", "10.0.0.5", "10.0.0.5, 192.168.1.0/24", "::1,127.0.0.1"]
)
def test_children_read_back_the_launchers_settings(proxies: str) -> None:
    launcher = load_settings(
        {
            "IOC_DASHBOARD_TRUSTED_PROXIES": proxies,
            "IOC_DINGTALK_WEBHOOK": "https://robot.invalid/send?access_token=t",
        }
    )
    env = child_environment(launcher, URLS, {"PATH": "/usr/bin"})  # type: ignore[arg-type]  # str keys are the ServerName literals
    child = load_settings(env)
    expected = launcher.model_copy(update={"run_dir": launcher.run_dir.resolve()})
    for name, url in URLS.items():
        assert child.url(name) == url  # type: ignore[arg-type]  # same literals
    same = {n for n in type(launcher).model_fields if not n.endswith("_url")}
    assert {n: getattr(child, n) for n in same} == {
        n: getattr(expected, n) for n in same
    }
    assert env["PATH"] == "/usr/bin"
