"""The simulator's clock, run loop, sinks and command line (no servers)."""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from streams.config.site import Site
from streams.simulator import SimOptions, Simulator
from streams.simulator.__main__ import main
from streams.simulator.clock import SimClock, parse_when
from streams.simulator.draft import site_zone
from streams.simulator.outputs import MqttSink
from streams.simulator.runner import Runner
from streams.wire.decoding import DecodeError, EdgeLimits, decode_message

SHANGHAI = site_zone("Asia/Shanghai")
SPAN = ["--start", "2025-06-11T08:00", "--until", "2025-06-11T08:05", "--seed", "4"]


class ListSink:
    """Records what was sent and the wall-clock time it was sent at."""

    def __init__(self) -> None:
        self.sent: list[tuple[float, str, bytes]] = []

    def send(self, topic: str, payload: bytes) -> None:
        self.sent.append((time.time(), topic, payload))

    def close(self) -> None:
        return None


def test_parse_when_understands_now_today_and_iso() -> None:
    now = datetime(2025, 6, 11, 3, 30, 15, 500, tzinfo=UTC)  # 11:30 in Shanghai
    assert parse_when("now", SHANGHAI, now) == now.replace(microsecond=0)
    assert parse_when("today", SHANGHAI, now) == datetime(2025, 6, 11, tzinfo=SHANGHAI)
    naive = parse_when("2025-06-10T08:00", SHANGHAI, now)
    assert naive == datetime(2025, 6, 10, 8, tzinfo=SHANGHAI)
    aware = parse_when("2025-06-10T08:00:00+00:00", SHANGHAI, now)
    assert aware == datetime(2025, 6, 10, 8, tzinfo=UTC)
    with pytest.raises(ValueError, match="bad time"):
        parse_when("yesterday-ish", SHANGHAI, now)


def test_clock_runs_fast_until_it_catches_up_then_real_time() -> None:
    wall0 = 1_750_000_000.0
    start = datetime.fromtimestamp(wall0 - 3600, UTC)
    clock = SimClock(start, wall0, speed=60)
    assert clock.sim_now(wall0) == start
    assert clock.sim_now(wall0 + 30) == start + timedelta(minutes=30)
    for step in range(0, 200, 7):
        wall = wall0 + step
        assert clock.sim_now(wall) <= datetime.fromtimestamp(wall, UTC)
    assert clock.sim_now(wall0 + 100) == datetime.fromtimestamp(wall0 + 100, UTC)
    assert clock.wall_wait(start + timedelta(minutes=30), wall0) == pytest.approx(30)
    future = datetime.fromtimestamp(wall0 + 500, UTC)
    assert clock.wall_wait(future, wall0 + 100) == pytest.approx(400)


def test_fast_clock_is_still_never_ahead_of_the_wall() -> None:
    wall0 = 1_750_000_000.0
    clock = SimClock(datetime.fromtimestamp(wall0 - 86400, UTC), wall0, float("inf"))
    assert clock.sim_now(wall0) == datetime.fromtimestamp(wall0, UTC)


def test_live_run_never_sends_an_event_before_its_time(sample_site: Site) -> None:
    wall0 = time.time()
    start = datetime.fromtimestamp(wall0 - 20, UTC).replace(microsecond=0)
    until = datetime.fromtimestamp(wall0 + 1.5, UTC)
    sink = ListSink()
    sim = Simulator(sample_site, start, SimOptions(seed=2, camera_interval_s=1))
    stats = Runner(sim, sink, SimClock(start, wall0, 3600), until, announce=print).run()
    assert stats.events == len(sink.sent) > 0
    stamps = [json.loads(p)["ts"] for _, _, p in sink.sent]
    for (sent_at, _, _), ts in zip(sink.sent, stamps, strict=True):
        assert datetime.fromisoformat(ts).timestamp() <= sent_at + 0.01
    assert max(datetime.fromisoformat(ts) for ts in stamps) > start + timedelta(
        seconds=20
    )


def test_dry_run_writes_json_lines_that_decode(
    sample_site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "events.jsonl"
    argv = [*SPAN, "--fast", "--out", str(out), "--incident", "tailgating@08:01"]
    assert main(argv, environ={}) == 0
    stdout = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["incident"] for line in stdout if "incident" in line] == ["tailgating"]
    summary = stdout[-1]
    lines = out.read_text(encoding="utf-8").splitlines()
    assert summary["simulator"] == "done" and summary["events"] == len(lines) > 100
    now = datetime(2025, 6, 12, tzinfo=UTC)
    for line in lines:
        record = json.loads(line)
        payload = json.dumps(record["payload"]).encode()
        decoded = decode_message(
            record["topic"], payload, sample_site, now, EdgeLimits()
        )
        assert not isinstance(decoded, DecodeError), decoded


def test_dry_run_without_out_only_counts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*SPAN, "--fast", "--dry-run"], environ={}) == 0
    summary = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert summary["by_stream"]["energy"] == 5 * 14


@pytest.mark.parametrize(
    ("argv", "environ", "message"),
    [
        ([*SPAN, "--dry-run"], {"IOC_NO_SUCH": "1"}, "IOC_NO_SUCH"),
        ([*SPAN, "--dry-run"], {"IOC_MQTT_URL": "http://x"}, "IOC_MQTT_URL"),
        ([*SPAN, "--dry-run"], {"IOC_SITE_FILE": "/nonexistent.yaml"}, "cannot read"),
        (
            ["--start", "2025-06-11T08:00", "--until", "2025-06-11T07:00"],
            {},
            "not after",
        ),
        (["--start", "someday"], {}, "bad time"),
        ([*SPAN, "--incident", "queue_surge=nope"], {}, "queue_surge"),
    ],
)
def test_bad_settings_exit_2_naming_the_problem(
    argv: list[str],
    environ: dict[str, str],
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(argv, environ=environ) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    "option", [["--speed", "0.5"], ["--speed", "4000"], ["--rate", "0"]]
)
def test_out_of_range_options_exit_2(option: list[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*SPAN, *option], environ={})
    assert exited.value.code == 2


def test_mqtt_sink_never_logs_the_password(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    sink = MqttSink("mqtt://sim:s3cret@127.0.0.1:9", "test-sim", max_outstanding=10)
    for n in range(3):
        sink.send("ioc/x/status/d", b"{}" + str(n).encode())
    sink.close(timeout=0.3)
    assert "s3cret" not in caplog.text
    assert "3 publishes unacknowledged" in caplog.text
