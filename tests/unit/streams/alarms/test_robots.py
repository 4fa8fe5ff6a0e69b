"""Robot message bodies (pure): whatever an alarm's message, source or area holds,
the DingTalk and WeCom markdown we send renders to one heading and one paragraph of
plain text — no link, image, HTML tag, emphasis, code, quote or extra heading. The
bodies are rendered with a CommonMark parser (markdown-it) to check that."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from markdown_it import MarkdownIt

from streams.alarms.robots import (
    MAX_VALUE,
    dingtalk_message,
    dingtalk_text,
    wecom_message,
    wecom_text,
)
from tests.hostile_refs import MARKUP_IDS, URL_REFERENCES

PROBE = "[点此核验](http://evil.example/p)"
HOSTILE = (
    *MARKUP_IDS,
    *URL_REFERENCES,
    "访客evil.example访客",
    "请访问 https://evil.example/p 核验",
    "<http://evil.example>",
    "[a]: http://evil.example\n[点此][a]",
    "&#91;x&#93;&#40;http://evil.example&#41;",
    "x\u2028### 假标题",
    "`code` ~~del~~ | a | b |",
    "\\[escaped\\](http://evil.example)",
)
Plain = Callable[[object], str]
ROBOTS: dict[str, Plain] = {"dingtalk": dingtalk_text, "wecom": wecom_text}
RENDER = MarkdownIt("commonmark")
RENDERED = re.compile(r"<h3>(?P<head>[^\n]*)</h3>\n<p>(?P<facts>[^\n]*)</p>\n")


def body(robot: str, title: str, value: str) -> str:
    facts = (("来源", value), ("区域", value))
    if robot == "wecom":
        content = wecom_message("严重", title, facts)["markdown"]
        return str(content["content"])  # type: ignore[index]
    return str(dingtalk_message("严重", title, facts)["markdown"]["text"])  # type: ignore[index]


@pytest.mark.parametrize("robot", ROBOTS)
@pytest.mark.parametrize("value", HOSTILE)
def test_no_value_becomes_markup(robot: str, value: str) -> None:
    text = body(robot, f"访客（预约{value}）不在预约时段内进入", value)
    rendered = RENDERED.fullmatch(RENDER.render(text))
    assert rendered is not None, RENDER.render(text)  # one heading, one paragraph
    assert "<" not in rendered["head"] and "<" not in rendered["facts"]  # no tag
    assert "://" not in text and "evil.example" not in text
    assert text.count("\n") == 2  # only our own: heading, blank line, facts


@pytest.mark.parametrize("plain", ROBOTS.values())
def test_the_probe_reads_the_same_but_links_nowhere(plain: Plain) -> None:
    assert plain(PROBE) == "［点此核验］（http：//evil．example/p）"


@pytest.mark.parametrize("plain", ROBOTS.values())
def test_plain_values_are_left_alone(plain: Plain) -> None:
    for value in ("b water_leak", "访客（市发改委，预约AP20261120-0042）", "1.5kW",
                  "gate-east", "东大门 尾随通行", "超出 12.5%", "3号楼"):  # fmt: skip
        assert plain(value) == value


@pytest.mark.parametrize("plain", ROBOTS.values())
def test_breaks_and_invisible_characters(plain: Plain) -> None:
    assert plain("a\n> b\r\n# c\t\x00d") == "a ＞ b ＃ c d"
    assert plain("AP\u202e1\u200b2") == "AP12"
    assert plain("x" * (MAX_VALUE + 50)) == "x" * MAX_VALUE


def test_bodies_have_our_heading_and_the_fields_the_robot_documents() -> None:
    facts = (("来源", "gate-east"), ("区域", "—"))
    ding = dingtalk_message("严重", PROBE, facts)
    assert ding["msgtype"] == "markdown"
    assert ding["markdown"] == {
        "title": "［点此核验］（http：//evil．example/p）",
        "text": "### 【严重】［点此核验］（http：//evil．example/p）\n\n"
        "来源：gate-east　区域：—",
    }
    wecom = wecom_message("严重", "东大门 尾随通行", facts)
    assert wecom == {
        "msgtype": "markdown",
        "markdown": {
            "content": "### 【严重】东大门 尾随通行\n\n来源：gate-east　区域：—"
        },
    }
