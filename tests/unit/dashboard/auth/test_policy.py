"""Access rules, password hashes and the callback index: pure, no server."""

from __future__ import annotations

import pytest

from dashboard.auth.callbacks import id_key, output_ids, page_path
from dashboard.auth.passwords import (
    csrf_for,
    hash_password,
    password_problem,
    verify_password,
)
from dashboard.auth.policy import may_open, roles_for_ids, rule_for
from dashboard.auth.principal import Principal

DUTY = Principal("zhang", "张三", "duty")
ADMIN = Principal("root", "管理员", "admin")
KIOSK = Principal("kiosk:lobby", "kiosk:lobby", "kiosk", kind="kiosk", screen="lobby")
API = Principal("api:city", "city", "leader", kind="api")


def test_password_hash_round_trip() -> None:
    stored = hash_password("Correct-horse-9", iterations=2000)
    assert stored.startswith("pbkdf2_sha256$2000$")
    assert verify_password("Correct-horse-9", stored)
    assert not verify_password("correct-horse-9", stored)
    assert not verify_password("Correct-horse-9", None)
    assert hash_password("x", iterations=2000) != hash_password("x", iterations=2000)


@pytest.mark.parametrize(
    ("password", "problem"),
    [("short1", "password_length"), ("onlyletters", "password_mixed"),
     ("12345678901", "password_mixed"), ("good-pass-12", None)],
)  # fmt: skip
def test_password_rules(password: str, problem: str | None) -> None:
    assert password_problem(password) == problem


def test_csrf_token_bound_to_credential() -> None:
    assert csrf_for("a") == csrf_for("a") != csrf_for("b")


@pytest.mark.parametrize(
    ("who", "path", "allowed"),
    [
        (DUTY, "/duty", True),
        (DUTY, "/admin", False),
        (DUTY, "/admin/anything", False),
        (ADMIN, "/admin", True),
        (DUTY, "/", True),
        (KIOSK, "/", False),
        (KIOSK, "/wall/lobby", True),
        (KIOSK, "/wall/overview", False),
        (KIOSK, "/duty", False),
        (KIOSK, "/security/snapshot/c1.jpg", False),
        (KIOSK, "/assets/wall.css", True),
        (KIOSK, "/_dash-update-component", True),
        (API, "/api/v1/kpis", True),
        (DUTY, "/api/v1/kpis", False),
        (API, "/duty", False),
        (DUTY, "/briefing", True),
        (Principal("s", "s", "security"), "/briefing", False),
        (DUTY, "/somewhere-new", True),
        (KIOSK, "/somewhere-new", False),
        (DUTY, "/openapi.json", False),
        (Principal("s", "s", "security"), "//briefing", False),
        (Principal("s", "s", "security"), "/%62riefing/", False),
        (DUTY, "/wall/x/../../admin", False),
        (KIOSK, "/wall//lobby/", True),
        (KIOSK, "/wall/lobby/../overview", False),
    ],
)
def test_may_open(who: Principal, path: str, allowed: bool) -> None:
    assert may_open(who, path) is allowed


def test_public_paths() -> None:
    for path in ("/login", "/healthz", "/readyz", "/api/v1/openapi.json"):
        assert rule_for(path).access == "public"
    assert rule_for("/loginx").access == "session"


def test_callback_roles_from_page_index() -> None:
    pages_of = {
        "duty-table": frozenset({"/duty"}),
        "wall-band": frozenset({"/wall"}),
        "security-x": frozenset({"/wall", "/security"}),
    }
    assert "kiosk" not in roles_for_ids(["duty-table"], pages_of)
    assert "kiosk" in roles_for_ids(["wall-band", "_pages_content"], pages_of)
    assert "kiosk" not in roles_for_ids(["wall-band", "duty-table"], pages_of)
    assert roles_for_ids(["security-x"], pages_of) >= {"kiosk", "security"}
    assert roles_for_ids(["mystery-id"], pages_of) == {"admin"}
    assert "kiosk" not in roles_for_ids(["admin-users"], pages_of)


def test_output_ids_and_pages() -> None:
    assert output_ids("duty-detail.children") == ["duty-detail"]
    assert output_ids("..a-b.data...c-d.children..") == ["a-b", "c-d"]
    assert output_ids('{"index":["ALL"],"type":"cam-tile"}.src') == ["cam-tile"]
    assert id_key({"type": "cam-tile", "index": 3}) == "cam-tile"
    assert page_path({"path_template": "/wall/<name>", "path": "/wall/none"}) == "/wall"
    assert page_path({"path": "/"}) == "/"
