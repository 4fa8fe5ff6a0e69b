"""Sign-out pieces without a server: the form every page uses posts the session's
token and is never a link; the token is read from the form or the header."""

from __future__ import annotations

from typing import Any

from dash import html

from dashboard.auth.logout import confirm_page, posted_token
from layouts import admin


def walk(component: Any) -> list[Any]:
    found, stack = [], [component]
    while stack:
        item = stack.pop()
        if isinstance(item, list | tuple):
            stack.extend(item)
        elif hasattr(item, "children"):
            found.append(item)
            stack.append(item.children)
    return found


def test_the_form_posts_the_token_as_the_buttons_value() -> None:
    form = admin.logout_form("en", "tok-1")
    assert (form.method, form.action) == ("post", "/logout")  # type: ignore[attr-defined]  # Dash props
    button = form.children
    assert isinstance(button, html.Button)
    assert (button.type, button.name, button.value) == ("submit", "csrf", "tok-1")  # type: ignore[attr-defined]  # Dash props
    assert button.children == "Sign out"


def test_no_page_part_links_to_logout() -> None:
    parts = [admin.layout("园区", "zh", "张三", "tok"),
             admin.user_bar("张三", [("/duty", "值班")], "zh", "tok")]  # fmt: skip
    for part in parts:
        nodes = walk(part)
        assert not [n for n in nodes if getattr(n, "href", None) == "/logout"]
        forms = [n.action for n in nodes if isinstance(n, html.Form)]  # type: ignore[attr-defined]  # a Dash prop
        assert forms == ["/logout"]


def test_the_token_comes_from_the_form_field_or_the_header() -> None:
    assert posted_token(b"csrf=abc", "") == "abc"
    assert posted_token(b"", "hdr") == "hdr"
    assert posted_token(b"csrf=abc", "hdr") == "abc"
    assert posted_token(b"other=1", "") == ""
    assert posted_token(b"csrf=" + b"x" * 5000, "") == "x" * 1019  # bounded read


def test_the_confirm_page_escapes_and_posts() -> None:
    page = confirm_page("zh", '"><script>')
    assert 'method="post" action="/logout"' in page
    assert "<script>" not in page and "&quot;&gt;&lt;script&gt;" in page
    assert "确定退出登录" in page
