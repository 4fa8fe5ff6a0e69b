"""What the wall benches share: a fresh compound (unique site id, fresh database), the
real consumer on the machine's Mosquitto, `python -m dashboard`, headless Chromium,
and a steady MQTT load from the simulated compound's device kinds."""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import paho.mqtt.client as paho
import psycopg
import redis
import yaml
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from dashboard.auth.bootstrap import grant_session
from harness.dashboard_process import dashboard_process
from harness.processes import ConsumerProcess, wait_for_pipeline
from streams.config.settings import SAMPLE_SITE_FILE
from streams.config.site import Site, load_site
from streams.wire.contracts import Event, GateEvent, to_payload, topic_for
from streams.wire.mqtt import BrokerAddress

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379/0"
MQTT_URL = os.environ.get("JIGUAN_BENCH_MQTT_URL", "mqtt://127.0.0.1:1883")


@contextlib.contextmanager
def fresh_site(
    screens: list[dict[str, object]] | None = None,
) -> Iterator[tuple[Site, Path, str]]:
    """The sample compound under a unique id, its site file and a fresh database;
    its Redis keys and the database are removed afterwards."""
    raw = yaml.safe_load(SAMPLE_SITE_FILE.read_text(encoding="utf-8"))
    raw["id"] = f"b{uuid.uuid4().hex[:10]}"
    if screens is not None:
        raw["screens"] = screens
    name = f"ioc_bench_{raw['id']}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "site.yaml"
        path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
        try:
            yield load_site(path), path, f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}"
        finally:
            client = redis.Redis.from_url(REDIS_URL)
            keys = list(client.scan_iter(match=f"ioc:{{{raw['id']}}}:*", count=1000))
            if keys:
                client.delete(*keys)
            client.close()
            with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def consumer(site: Site, site_file: Path, pg_url: str, log: Path) -> Iterator[None]:
    process = ConsumerProcess(
        {
            "IOC_MQTT_URL": MQTT_URL,
            "IOC_REDIS_URL": REDIS_URL,
            "IOC_DATABASE_URL": pg_url,
            "IOC_SITE_FILE": str(site_file),
            "IOC_MQTT_CLIENT_ID": f"c-{site.id}",
            "IOC_LOG_LEVEL": "WARNING",
        },
        log,
    )
    process.start()
    try:
        client = redis.Redis.from_url(REDIS_URL)
        wait_for_pipeline(site, MQTT_URL, client, pg_url)
        client.close()
        yield
    finally:
        process.stop()


@contextlib.contextmanager
def dashboard(
    site_file: Path, pg_url: str, log: Path, **settings: str
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    with dashboard_process(
        site_file, REDIS_URL, pg_url, log, log_level="WARNING", **settings
    ) as (url, process):
        _SESSION[:] = [_sign_in(site_file, pg_url)]
        yield url, process


_SESSION: list[str] = []  # the running dashboard's session id (see `chromium`)


def _sign_in(site_file: Path, pg_url: str) -> str:
    """A session for the bench's browser (access control, #8): a real user and a
    real Redis session, set as a cookie by `chromium`."""
    site_id = load_site(site_file).id
    return grant_session(pg_url, REDIS_URL, site_id, "bench", "admin", "bench")


def chromium(width: int = 1920, height: int = 1080) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--lang=zh-CN",
        "--enable-precise-memory-info",
        f"--window-size={width},{height}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )
    if _SESSION:
        driver.execute_cdp_cmd(
            "Network.setCookie",
            {"name": "ioc_session", "value": _SESSION[0], "domain": "127.0.0.1",
             "path": "/", "httpOnly": True, "sameSite": "Strict"},
        )  # fmt: skip
    return driver


def js_heap_bytes(driver: webdriver.Chrome) -> int:
    driver.execute_cdp_cmd("HeapProfiler.collectGarbage", {})
    driver.execute_cdp_cmd("Performance.enable", {})
    metrics = driver.execute_cdp_cmd("Performance.getMetrics", {})["metrics"]
    return int(next(m["value"] for m in metrics if m["name"] == "JSHeapUsedSize"))


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


class Publisher:
    """One persistent MQTT client (QoS 1, bounded in flight)."""

    def __init__(self, url: str = MQTT_URL) -> None:
        address = BrokerAddress.parse(url)
        self.client = paho.Client(
            paho.CallbackAPIVersion.VERSION2, client_id=f"bench-{uuid.uuid4().hex[:8]}"
        )
        self.client.max_inflight_messages_set(1000)
        self.client.max_queued_messages_set(0)
        self.client.connect(address.host, address.port)
        self.client.loop_start()
        self._lock = threading.Lock()

    def send(self, site_id: str, event: Event) -> None:
        topic = topic_for(site_id, event.stream, event.device)
        with self._lock:
            self.client.publish(topic, to_payload(event), qos=1)

    def send_raw(self, topic: str, payload: bytes) -> None:
        with self._lock:
            self.client.publish(topic, payload, qos=1)

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


def load_messages(site: Site, n: int) -> list[tuple[str, bytes]]:
    """`n` energy readings and queue counts (they change other tiles, not people),
    as ready payloads (templated: the bench must not eat the CPU it measures)."""
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    meters = [m for m in site.meters if not m.cumulative]
    out: list[tuple[str, bytes]] = []
    for i in range(n):
        eid = uuid.uuid4()
        if i % 2:
            m = meters[i % len(meters)]
            body = (
                f'{{"event_id":"{eid}","ts":"{now}","device":"{m.id}",'
                f'"quantity":"{m.quantity}","value":{(i % 50) + 1.0},'
                '"cumulative":false,"interval_s":60}'
            )
            out.append((topic_for(site.id, "energy", m.id), body.encode()))
        else:
            body = (
                f'{{"event_id":"{eid}","ts":"{now}","device":"cam-c1-queue",'
                f'"kind":"people_count","zone":"c1-queue","count":{i % 40},'
                '"direction":null,"snapshot":null}'
            )
            out.append((topic_for(site.id, "camera", "cam-c1-queue"), body.encode()))
    return out


class Load(threading.Thread):
    """Publishes `rate` events/s in 20 ms slices until stopped."""

    def __init__(self, site: Site, publisher: Publisher, rate: float) -> None:
        super().__init__(daemon=True)
        self.site, self.publisher, self.rate = site, publisher, rate
        self.stop_event = threading.Event()
        self.sent = 0

    def run(self) -> None:
        began = time.monotonic()
        while not self.stop_event.is_set():
            due = int((time.monotonic() - began) * self.rate) - self.sent
            for topic, payload in load_messages(self.site, max(0, due)):
                self.publisher.send_raw(topic, payload)
            self.sent += max(0, due)
            time.sleep(0.02)


def staff_entry(device: str = "gate-east") -> GateEvent:
    return GateEvent(
        event_id=uuid.uuid4(),
        ts=datetime.now(UTC),
        device=device,
        direction="in",
        subject="staff",
        credential_kind="card",
        credential="bench",
        result="granted",
    )
