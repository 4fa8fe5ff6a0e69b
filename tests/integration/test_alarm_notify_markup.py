"""Markup from payloads never reaches a phone as markup: an alarm whose appointment
id and visitor unit say ``[点此核验](http://evil.example/p)`` goes through the real
alarm engine (PostgreSQL, Redis) and its notifier to local HTTP receivers standing
in for a signed DingTalk robot and a WeCom robot. Each message, rendered by a
CommonMark parser, holds no link, image or tag: plain text under our heading."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from markdown_it import MarkdownIt

from detectors.core.signals import AlarmSignal
from harness.processes import wait_until
from streams.config.site import Site
from tests.integration.alarm_fixtures import T0, make_engine
from tests.integration.test_alarm_notify import Receiver

pytestmark = pytest.mark.integration
PROBE = "[点此核验](http://evil.example/p)"
RENDERED = re.compile(r"<h3>(?P<head>[^\n]*)</h3>\n<p>(?P<facts>[^\n]*)</p>\n")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    made = Receiver()
    yield made
    made.close()


def test_markup_in_alarm_fields_reaches_neither_robot_as_markup(
    site: Site, pg_url: str, redis_url: str, receiver: Receiver
) -> None:
    engine, _ = make_engine(
        site, pg_url, redis_url,
        dingtalk_webhook=receiver.url("/robot/send?access_token=tok"),
        dingtalk_secret="SECtest", wecom_webhook=receiver.url("/wecom?key=k"),
        notify_dingtalk_severities="minor", notify_wecom_severities="minor",
    )  # fmt: skip
    alarm = AlarmSignal(
        kind="visitor_overstay", source=PROBE, severity="minor", state="active",
        observed_at=T0, area=f"gate-east <font color=\"warning\">{PROBE}</font>",
        message=f"访客（{PROBE}，预约{PROBE}）预约结束已35分钟仍在园区",
        details={"appointment_id": PROBE},
        evidence={"stream": "gate,appointment", "appointment": PROBE},
    )  # fmt: skip
    try:
        engine.submit([alarm], T0)
        wait_until(lambda: len(receiver.requests) == 2, 10, "both robots")
    finally:
        engine.close()
    bodies = {path.split("?")[0]: body for path, body in receiver.requests}
    texts = {
        "dingtalk": bodies["/robot/send"]["markdown"]["text"],
        "wecom": bodies["/wecom"]["markdown"]["content"],
    }
    render = MarkdownIt("commonmark").render
    for robot, text in texts.items():
        rendered = RENDERED.fullmatch(render(text))
        assert rendered is not None, (robot, render(text))
        assert "<" not in rendered["head"] + rendered["facts"], (robot, text)
        assert "evil.example" not in text and "://" not in text, (robot, text)
        assert "点此核验" in text and text.startswith("### 【次要】"), (robot, text)
    title = bodies["/robot/send"]["markdown"]["title"]
    assert "://" not in title and "[" not in title
