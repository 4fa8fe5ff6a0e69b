"""bench/broker_kill: what a broker SIGKILL loses of what it acknowledged.

    python -m bench.broker_kill [--quick] [--events N] [--runs R] [--only NAME,...]

For each candidate broker config (bench/broker_candidates.py), with its own process
on a free loopback port and data in a temporary directory:
- clean: N QoS 1 gate passes through a running subscriber, no kill: events/s;
- live kill (R runs): the same, SIGKILL the broker once a third has arrived, keep it
  down `--down` s, restart it on the same data;
- queued kill (R runs): the subscriber's persistent session offline, N published
  and acknowledged (publish events/s), SIGKILL, restart, the subscriber drains.
The producer is `harness.processes.publish_all` (bounded in flight, keeps what is
unacknowledged and re-sends it after a reconnect); the subscriber acks each message
after recording its event_id. Lost = published ids never delivered; duplicates
(redeliveries) are fine, the consumer deduplicates by event_id. Throughput ratios are
against the first candidate (the config shipped until now), measured in the same run.
Ends with one JSON line holding every figure.
"""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.broker_candidates import CANDIDATES, Candidate, CountingSubscriber
from harness.processes import numbered_passes, publish_all
from streams.embedded.process import free_port, stop_process

QUICK = ("mosquitto-autosave60", "rabbitmq-classic")
IDLE_S = 4.0  # nothing new for this long (after the producer is done): finished
PUBLISH_TIMEOUT_S = 180.0


@dataclass(slots=True)
class Broker:
    candidate: Candidate
    data: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return self.candidate.url(self.port)

    def up(self) -> float:
        began = time.monotonic()
        self.process = self.candidate.start(self.port, self.data)
        return time.monotonic() - began

    def kill(self) -> None:
        assert self.process is not None
        stop_process(self.process, signal.SIGKILL)

    def down(self) -> None:
        if self.process is not None:
            stop_process(self.process, signal.SIGTERM, timeout=30)
            self.process = None


def _messages(site: str, events: int) -> tuple[list[tuple[str, bytes]], set[str]]:
    passes = numbered_passes(site, events)
    return [(t, p) for t, p, _ in passes], {e for _, _, e in passes}


def _drain(sub: CountingSubscriber, expected: int, done: threading.Event) -> None:
    """Wait until every id arrived, or nothing new came for IDLE_S after `done`."""
    last, quiet_since = -1, time.monotonic()
    deadline = time.monotonic() + PUBLISH_TIMEOUT_S + 120
    while sub.distinct < expected and time.monotonic() < deadline:
        count = sub.received
        if count != last:
            last, quiet_since = count, time.monotonic()
        elif done.is_set() and time.monotonic() - quiet_since > IDLE_S:
            return
        time.sleep(0.05)


def _subscriber(broker: Broker, site: str) -> CountingSubscriber:
    sub = CountingSubscriber(broker.url, f"sub-{site}", f"ioc/{site}/gate/#")
    sub.start()
    if not sub.subscribed.wait(60):
        raise SystemExit(f"{broker.candidate.name}: subscriber never subscribed")
    return sub


def _loss(sub: CountingSubscriber, ids: set[str]) -> dict[str, int]:
    return {
        "lost": len(ids - set(sub.ids)),
        "duplicates": sub.received - sub.distinct,
    }


def run_live(broker: Broker, events: int, down_s: float, kill: bool) -> dict[str, Any]:
    site = f"b{uuid.uuid4().hex[:8]}"
    messages, ids = _messages(site, events)
    sub = _subscriber(broker, site)
    done = threading.Event()
    errors: list[BaseException] = []

    def produce() -> None:
        try:
            publish_all(broker.url, messages, timeout_s=PUBLISH_TIMEOUT_S)
        except BaseException as exc:  # reported below
            errors.append(exc)
        done.set()

    began = time.monotonic()
    producer = threading.Thread(target=produce, daemon=True)
    producer.start()
    figures: dict[str, Any] = {}
    if kill:
        while sub.distinct < events // 3 and not done.is_set():
            time.sleep(0.01)
        broker.kill()
        time.sleep(down_s)
        figures["restart_s"] = round(broker.up(), 2)
    _drain(sub, events, done)
    took = time.monotonic() - began
    producer.join(5)
    sub.stop()
    figures.update(_loss(sub, ids), producer_error=repr(errors[0]) if errors else "")
    if not kill:
        figures["events_per_s"] = round(sub.distinct / took)
    return figures


def run_queued(broker: Broker, events: int) -> dict[str, Any]:
    site = f"b{uuid.uuid4().hex[:8]}"
    messages, ids = _messages(site, events)
    _subscriber(broker, site).stop()  # the session exists, offline
    began = time.monotonic()
    try:
        publish_all(broker.url, messages, timeout_s=PUBLISH_TIMEOUT_S)
    except TimeoutError as exc:  # too slow to queue them all: no kill measured
        return {"lost": -1, "duplicates": 0, "publish_error": repr(exc),
                "publish_events_per_s": round(events / PUBLISH_TIMEOUT_S),
                "restart_s": 0.0}  # fmt: skip
    publish_rate = events / (time.monotonic() - began)
    broker.kill()
    restart_s = broker.up()
    done = threading.Event()
    done.set()
    sub = _subscriber(broker, site)
    _drain(sub, events, done)
    sub.stop()
    return {
        **_loss(sub, ids),
        "publish_events_per_s": round(publish_rate),
        "restart_s": round(restart_s, 2),
    }


def measure(candidate: Candidate, events: int, runs: int, down_s: float) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix=f"bench-broker-{candidate.name}-"))
    broker = Broker(candidate, workdir / "broker")
    try:
        broker.up()
        clean = run_live(broker, events, down_s, kill=False)
        live: list[dict[str, Any]] = []
        for _ in range(runs):
            live.append(run_live(broker, events, down_s, kill=True))
            if live[-1]["producer_error"]:  # wedged: no point in more of the same
                break
        queued: list[dict[str, Any]] = []
        for _ in range(0 if live[-1]["producer_error"] else runs):
            queued.append(run_queued(broker, events))
            if queued[-1]["lost"] < 0:  # publishing timed out: same next time
                break
    finally:
        broker.down()
        shutil.rmtree(workdir, ignore_errors=True)
    return {
        "events_per_s": clean["events_per_s"],
        "clean_lost": clean["lost"],
        "live_kill_lost": [r["lost"] for r in live],
        "live_kill_duplicates": [r["duplicates"] for r in live],
        "queued_kill_lost": [r["lost"] for r in queued],
        "queued_publish_events_per_s": min(
            (r["publish_events_per_s"] for r in queued), default=0
        ),
        "restart_s": max(r["restart_s"] for r in live + queued),
        "producer_errors": [r["producer_error"] for r in live if r["producer_error"]],
    }


def report(results: dict[str, dict], baseline: str) -> None:
    base = results[baseline]
    print(f"{'config':<22}{'ev/s':>7}{'×':>6}{'queued pub/s':>13}{'×':>6}"
          f"  lost live kill / queued kill (per run)")  # fmt: skip
    for name, r in results.items():
        ratio = r["events_per_s"] / base["events_per_s"]
        q_ratio = r["queued_publish_events_per_s"] / max(
            base["queued_publish_events_per_s"], 1
        )
        r["ratio_events_per_s"] = round(ratio, 3)
        r["ratio_queued_publish"] = round(q_ratio, 3)
        print(
            f"{name:<22}{r['events_per_s']:>7}{ratio:>6.2f}"
            f"{r['queued_publish_events_per_s']:>13}{q_ratio:>6.2f}"
            f"  {r['live_kill_lost']} / {r['queued_kill_lost']}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--down", type=float, default=5.0, help="seconds killed")
    parser.add_argument("--only", default="", help="comma-separated candidates")
    parser.add_argument("--quick", action="store_true", help="2 configs, 1 run, 1,000")
    args = parser.parse_args(argv)
    names = args.only.split(",") if args.only else list(CANDIDATES)
    events, runs, down = args.events, args.runs, args.down
    if args.quick:
        names, events, runs, down = list(QUICK), 1_000, 1, 1.0
    results: dict[str, dict] = {}
    for name in names:
        candidate = CANDIDATES[name]
        if not candidate.available():
            print(f"{name}: not installed, skipped")
            continue
        print(f"{name}: {candidate.what} ...", flush=True)
        results[name] = measure(candidate, events, runs, down)
        print(f"  {results[name]}", flush=True)
    report(results, next(iter(results)))
    figures = {"bench": "broker_kill", "events": events, "runs": runs, **results}
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
