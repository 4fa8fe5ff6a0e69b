"""Webhook notifications against local HTTP receivers on 127.0.0.1: a DingTalk robot
(signed) and a WeCom robot that answer, one that fails with 500 and one that never
answers in time. The engine never waits for any of them; retries are bounded."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from harness.processes import wait_until
from streams.alarms.notify import dingtalk_sign
from streams.config.site import Site
from tests.integration.alarm_fixtures import T0, make_engine, signal

pytestmark = pytest.mark.integration


class Receiver:
    """A robot endpoint: records each request, answers with `status` after
    `delay_s`."""

    def __init__(self, status: int = 200, delay_s: float = 0.0) -> None:
        self.requests: list[tuple[str, dict]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.requests.append((self.path, json.loads(body)))
                time.sleep(delay_s)
                reply = b'{"errcode": 0}' if status == 200 else b"oops"
                try:
                    self.send_response(status)
                    self.end_headers()
                    self.wfile.write(reply)
                except OSError:
                    pass  # the client gave up (timeout)

            def log_message(self, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receivers() -> Iterator[dict[str, Receiver]]:
    made = {"ok": Receiver(), "fail": Receiver(500), "slow": Receiver(delay_s=2.0)}
    yield made
    for receiver in made.values():
        receiver.close()


def test_signed_dingtalk_and_wecom_routed_by_severity(
    site: Site, pg_url: str, redis_url: str, receivers: dict[str, Receiver]
) -> None:
    ok = receivers["ok"]
    engine, _ = make_engine(
        site, pg_url, redis_url,
        dingtalk_webhook=ok.url("/robot/send?access_token=tok"),
        dingtalk_secret="SECtest", wecom_webhook=ok.url("/wecom?key=k"),
        notify_dingtalk_severities="critical,major", notify_wecom_severities="critical",
    )  # fmt: skip
    try:
        engine.submit([signal(severity="major", source="a")], T0)
        engine.submit([signal(severity="critical", source="b")], T0)
        wait_until(lambda: len(ok.requests) == 3, 10, "three robot messages")
    finally:
        engine.close()
    dingtalk = [(p, b) for p, b in ok.requests if p.startswith("/robot")]
    wecom = [(p, b) for p, b in ok.requests if p.startswith("/wecom")]
    assert len(dingtalk) == 2 and len(wecom) == 1
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(dingtalk[0][0]).query)
    sign = urllib.parse.quote_plus(query["sign"][0])
    assert sign == dingtalk_sign("SECtest", int(query["timestamp"][0]))
    assert query["access_token"] == ["tok"]
    assert "b water_leak" in wecom[0][1]["markdown"]["content"]


@pytest.mark.parametrize("which", ["fail", "slow"])
def test_failing_webhook_never_blocks_and_retries_are_bounded(
    site: Site,
    pg_url: str,
    redis_url: str,
    receivers: dict[str, Receiver],
    which: str,
) -> None:
    bad = receivers[which]
    engine, _ = make_engine(
        site, pg_url, redis_url, wecom_webhook=bad.url("/wecom?key=k"),
        notify_retries="2", notify_backoff_s="0.1", notify_timeout_s="0.5",
    )  # fmt: skip
    notifier = engine.notifier
    assert notifier is not None
    try:
        engine.submit([signal(source="warmup")], T0)  # connect and migrate first
        started = time.monotonic()
        for i in range(2):
            engine.submit([signal(source=f"s{i}")], T0)
        assert time.monotonic() - started < 2.0  # each submit: a few ms of SQL
        assert len(engine.open_alarms()) == 3
        wait_until(lambda: notifier.stats.gave_up == 3, 30, "every retry to end")
        assert notifier.stats.failed == 3 * 3 and notifier.stats.sent == 0
        assert len(bad.requests) == 3 * 3
    finally:
        engine.close()
