"""bench/soak: the consumer under a steady load for hours; does anything grow or lag?

    python -m bench.soak [--hours H] [--rate 2000] [--every 60] [--quick]

Starts its own Mosquitto, Redis and PostgreSQL on free loopback ports, a real consumer
(`python -m streams`) and a paced publisher of gate passes at --rate events/s. Every
--every seconds it prints the consumer's RSS, inbox and spool depth, event lag, batch
latency and Redis memory (from the consumer's /metrics and /proc), and at the end the
RSS growth after warm-up, the worst lag, and lost/duplicated events by event_id.
Ends with one JSON line of every figure.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import redis
import yaml

from harness.processes import ConsumerProcess, wait_for_pipeline
from streams.config.settings import SAMPLE_SITE_FILE
from streams.config.site import Site, load_site
from streams.embedded.mosquitto import start_mosquitto
from streams.embedded.postgres_server import start_postgres
from streams.embedded.process import free_port, stop_process
from streams.embedded.redis_server import start_redis
from streams.simulator.outputs import MqttSink
from streams.wire.contracts import GateEvent, to_payload, topic_for


@dataclass
class Sample:
    t_s: float
    rss_mb: float
    inbox: int
    spool_batches: int
    lag_s: float
    batch_ms: float
    redis_mb: float
    published: int


class PacedPublisher(threading.Thread):
    """Gate passes at a fixed rate, timestamped now; counts what it sent."""

    def __init__(
        self, url: str, site: Site, rate: float, stop: threading.Event
    ) -> None:
        super().__init__(name="soak-publisher", daemon=True)
        self._sink = MqttSink(url, client_id=f"soak-{uuid.uuid4().hex[:8]}")
        self._site, self._rate, self._halt = site, rate, stop
        self.sent = 0

    def run(self) -> None:
        topic = topic_for(self._site.id, "gate", "gate-east")
        started = time.monotonic()
        while not self._halt.is_set():
            due = int((time.monotonic() - started) * self._rate)
            for _ in range(due - self.sent):
                event = GateEvent(
                    event_id=uuid.uuid4(), ts=datetime.now(UTC), device="gate-east",
                    direction="in" if self.sent % 2 == 0 else "out", subject="staff",
                    credential_kind="card", credential=f"C{self.sent % 5000:06d}",
                    result="granted",
                )  # fmt: skip
                self._sink.send(topic, to_payload(event))
                self.sent += 1
            time.sleep(0.005)
        self._sink.close(timeout=120)


def metric(text: str, name: str) -> float:
    found = re.search(rf"^{name} ([0-9.e+-]+)$", text, re.M)
    return float(found[1]) if found else float("nan")


def sample(t0: float, pid: int, port: int, client: redis.Redis, sent: int) -> Sample:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
        text = r.read().decode()
    status = Path(f"/proc/{pid}/status").read_text()
    rss_kb = int(re.search(r"VmRSS:\s+(\d+)", status)[1])  # type: ignore[index]  # Linux: always there
    return Sample(
        t_s=round(time.monotonic() - t0, 1),
        rss_mb=round(rss_kb / 1024, 1),
        inbox=int(metric(text, "ioc_consumer_inbox_depth")),
        spool_batches=int(metric(text, "ioc_consumer_spool_batches")),
        lag_s=round(metric(text, "ioc_consumer_event_lag_seconds"), 2),
        batch_ms=round(metric(text, "ioc_consumer_batch_seconds") * 1000, 1),
        redis_mb=round(int(client.info("memory")["used_memory"]) / 2**20, 1),
        published=sent,
    )


def start_servers(
    workdir: Path,
) -> tuple[dict[str, str], list[subprocess.Popen[bytes]]]:
    ports = {name: free_port() for name in ("pg", "redis", "mqtt")}
    processes = [
        start_postgres(ports["pg"], workdir / "pg"),
        start_redis(ports["redis"], workdir / "redis"),
        start_mosquitto(ports["mqtt"], workdir / "mqtt"),
    ]
    urls = {
        "pg": f"postgresql://postgres@127.0.0.1:{ports['pg']}/ioc",
        "redis": f"redis://127.0.0.1:{ports['redis']}/0",
        "mqtt": f"mqtt://127.0.0.1:{ports['mqtt']}",
    }
    return urls, processes


def soak(seconds: float, rate: float, every: float) -> dict[str, object]:
    workdir = Path(tempfile.mkdtemp(prefix="ioc-soak-"))
    site = load_site(SAMPLE_SITE_FILE).model_copy(update={"id": "soak"})
    (workdir / "site.yaml").write_text(
        yaml.safe_dump(site.model_dump(mode="json"), allow_unicode=True)
    )
    urls, processes = start_servers(workdir)
    port = free_port()
    consumer = ConsumerProcess(
        {
            "IOC_MQTT_URL": urls["mqtt"],
            "IOC_REDIS_URL": urls["redis"],
            "IOC_DATABASE_URL": urls["pg"],
            "IOC_SITE_FILE": str(workdir / "site.yaml"),
            "IOC_RUN_DIR": str(workdir / "run"),
            "IOC_METRICS_PORT": str(port),
            "IOC_LOG_LEVEL": "WARNING",
        },
        workdir / "consumer.log",
    )
    consumer.start()
    client = redis.Redis.from_url(urls["redis"])
    stop = threading.Event()
    try:
        wait_for_pipeline(site, urls["mqtt"], client, urls["pg"])
        publisher = PacedPublisher(urls["mqtt"], site, rate, stop)
        samples = run_load(publisher, consumer, port, client, seconds, every, stop)
        return summarize(samples, publisher.sent, urls["pg"], rate)
    finally:
        stop.set()
        consumer.stop()
        client.close()
        for process in reversed(processes):
            stop_process(process, signal.SIGINT, timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)


def run_load(publisher: PacedPublisher, consumer: ConsumerProcess, port: int,
             client: redis.Redis, seconds: float, every: float,
             stop: threading.Event) -> list[Sample]:  # fmt: skip
    assert consumer.process is not None
    t0 = time.monotonic()
    publisher.start()
    samples: list[Sample] = []
    print(
        " t(s)  RSS(MB) inbox spool  lag(s) batch(ms) redis(MB) published", flush=True
    )
    while time.monotonic() - t0 < seconds:
        time.sleep(min(every, max(0.0, seconds - (time.monotonic() - t0))))
        s = sample(t0, consumer.process.pid, port, client, publisher.sent)
        samples.append(s)
        print(f"{s.t_s:6.0f} {s.rss_mb:8.1f} {s.inbox:5d} {s.spool_batches:5d} "
              f"{s.lag_s:7.2f} {s.batch_ms:9.1f} {s.redis_mb:9.1f} {s.published:9d}",
              flush=True)  # fmt: skip
    stop.set()
    publisher.join(180)
    return samples


def summarize(
    samples: list[Sample], sent: int, pg_url: str, rate: float
) -> dict[str, object]:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        with psycopg.connect(pg_url) as conn:
            rows, distinct = conn.execute(
                "SELECT count(*), count(DISTINCT event_id) FROM gate_events"
            ).fetchone()  # type: ignore[misc]  # count(*): always one row
        if rows >= sent:
            break
        time.sleep(1)
    warm = samples[len(samples) // 10] if len(samples) >= 10 else samples[0]
    last = samples[-1]
    return {
        "bench": "soak",
        "seconds": last.t_s,
        "rate_target": rate,
        "rate_achieved": round(sent / last.t_s, 1),
        "rss_after_warmup_mb": warm.rss_mb,
        "rss_end_mb": last.rss_mb,
        "rss_growth_ratio": round(last.rss_mb / warm.rss_mb, 3),
        "max_lag_s": max(s.lag_s for s in samples),
        "max_inbox": max(s.inbox for s in samples),
        "redis_end_mb": last.redis_mb,
        "published": sent,
        "lost": sent - distinct,
        "duplicated_rows": rows - distinct,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--hours", type=float, default=1.0)
    parser.add_argument("--rate", type=float, default=2000.0)
    parser.add_argument("--every", type=float, default=60.0)
    parser.add_argument(
        "--quick", action="store_true", help="1 minute, sample every 10 s"
    )
    args = parser.parse_args(argv)
    seconds, every = (60.0, 10.0) if args.quick else (args.hours * 3600, args.every)
    figures = soak(seconds, args.rate, every)
    print(json.dumps(figures))
    return 0 if figures["lost"] == 0 and figures["duplicated_rows"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
