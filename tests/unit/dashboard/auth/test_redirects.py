"""Redirect targets: only local paths leave as a Location (pure)."""

from __future__ import annotations

import pytest

from dashboard.auth.login import safe_next
from dashboard.auth.redirects import local_path


@pytest.mark.parametrize(
    "target",
    ["/", "/wall/wall-1", "/wall/wall-1?lang=en", "/login?next=%2F%2Fx", "/a//b",
     "/duty#alarms", "/%2F/example.com"],
)  # fmt: skip
def test_local_paths_pass(target: str) -> None:
    assert local_path(target) == target


@pytest.mark.parametrize(
    "target",
    ["//example.com", "//wall/wall-1", "/\\example.com", "\\\\example.com",
     "/wall\\..\\x", "https://example.com/", "javascript:alert(1)", "example.com/x",
     "", "/\t/example.com", "/\n/example.com", "/ /example.com", "/\x00x",
     "/\u2028/x", "/" + "a" * 2001, None, 42, b"/bytes"],
)  # fmt: skip
def test_other_targets_fall_back(target: object) -> None:
    assert local_path(target) == "/"
    assert local_path(target, "/login") == "/login"


def test_login_next_uses_the_same_rule() -> None:
    assert safe_next("/\t/example.com") == "/"
    assert safe_next("/briefing?kind=week") == "/briefing?kind=week"
    assert len(safe_next("/" + "a" * 1500)) == 500
