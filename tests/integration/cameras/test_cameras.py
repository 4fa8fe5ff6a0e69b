"""Camera analytics end to end on the machine's real servers: the camera worker
process plays vtest.avi → Mosquitto → consumer process → PostgreSQL (events,
snapshots, alarms) and Redis (zone counts); the dashboard process serves the
snapshots; the worker serves /readyz and /metrics."""

from __future__ import annotations

import json
import re
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import redis
import requests
import yaml

from harness.processes import ROOT, ConsumerProcess, wait_for_pipeline, wait_until
from harness.vision_labels import vtest_path
from streams.config.site import Site
from streams.embedded.process import free_port, spawn
from streams.live.keys import Keys
from streams.snapshots.names import parse_name, snapshot_route
from tests.integration.ingest.test_spine import consumer_env

pytestmark = pytest.mark.integration
CAMERA = Path(__file__).resolve().parents[2] / "fixtures/vision/vtest_camera.yaml"
ADMIN_PASSWORD = "Camera-test-2026"


@pytest.fixture
def vtest_site(site: Site, tmp_path: Path) -> tuple[Site, Path]:
    video = vtest_path()
    if video is None:
        pytest.skip("vtest.avi unavailable (apt-get download opencv-doc failed)")
    camera = yaml.safe_load(CAMERA.read_text("utf-8")) | {"source": str(video)}
    raw = site.model_dump(mode="json")
    raw["cameras"].append(camera)
    path = tmp_path / "site.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return Site.model_validate(raw), path


@pytest.fixture
def pipeline(
    vtest_site: tuple[Site, Path],
    mqtt_url: str,
    redis_url: str,
    pg_url: str,
    tmp_path: Path,
) -> Iterator[dict[str, str]]:
    site, site_file = vtest_site
    env = consumer_env(site, site_file, mqtt_url, redis_url, pg_url)
    consumer = ConsumerProcess(env, tmp_path / "consumer.log")
    consumer.start()
    client = redis.Redis.from_url(redis_url)
    ports = {"camera": free_port(), "dashboard": free_port()}
    children = []
    try:
        wait_for_pipeline(site, mqtt_url, client, pg_url)
        camera_env = env | {"IOC_CAMERA_METRICS_PORT": str(ports["camera"])}
        children.append(
            spawn(
                [sys.executable, "-m", "streams.cameras", "--camera", "cam-vtest"],
                log_path=tmp_path / "cameras.log",
                env=camera_env,
                cwd=ROOT,
            )
        )
        web_env = env | {
            "IOC_DASHBOARD_PORT": str(ports["dashboard"]),
            "IOC_ADMIN_PASSWORD": ADMIN_PASSWORD,
        }
        children.append(
            spawn(
                [sys.executable, "-m", "dashboard"],
                log_path=tmp_path / "dashboard.log",
                env=web_env,
                cwd=ROOT,
            )
        )
        yield {
            "camera": f"http://127.0.0.1:{ports['camera']}",
            "dashboard": f"http://127.0.0.1:{ports['dashboard']}",
            "site": site.id,
        }
    finally:
        for child in children:
            child.terminate()
            child.wait(20)
        assert consumer.stop() == 0
        client.close()
        for name in ("consumer.log", "cameras.log", "dashboard.log"):
            print(f"--- {name}\n{(tmp_path / name).read_text(errors='replace')}")


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), b""
    except OSError:
        return 0, "", b""


def signed_in(url: str) -> requests.Session:
    """A browser-like session of the bootstrap admin (#8's login form)."""
    session = requests.Session()
    form = session.get(f"{url}/login", timeout=10).text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form)
    assert csrf is not None, form[:300]
    data = {"username": "admin", "password": ADMIN_PASSWORD, "csrf": csrf.group(1)}
    done = session.post(f"{url}/login", data=data | {"next": "/security"},
                        allow_redirects=False, timeout=30)  # fmt: skip
    assert done.status_code in (302, 303), done.status_code
    return session


def rows(pg_url: str, sql: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(pg_url) as conn:
        return conn.execute(sql).fetchall()


def test_camera_worker_to_history_live_alarms_and_dashboard(
    pipeline: dict[str, str], pg_url: str, redis_url: str
) -> None:
    intrusions = "SELECT snapshot FROM camera_events WHERE device = 'cam-vtest' " \
        "AND kind = 'zone_intrusion' AND count > 0"  # fmt: skip
    wait_until(lambda: bool(rows(pg_url, intrusions)), 60, "an intrusion event")
    name = str(rows(pg_url, intrusions)[0][0])  # the snapshot's name, not a URL
    assert parse_name(name) is not None and name.endswith("-zone_intrusion")
    snapshot = snapshot_route("cam-vtest", name)
    assert snapshot == f"/snapshots/cam-vtest/{name}.jpg"
    stored = f"SELECT kind, bytes FROM camera_snapshots WHERE name = '{name}'"
    wait_until(lambda: bool(rows(pg_url, stored)), 30, "its snapshot stored")
    assert rows(pg_url, stored)[0][0] == "zone_intrusion"
    alarm = "SELECT severity FROM alarms WHERE kind = 'zone_intrusion' " \
        "AND source = 'vtest-crossing'"  # fmt: skip
    wait_until(lambda: bool(rows(pg_url, alarm)), 30, "the intrusion alarm")

    counts = "SELECT count(*) FROM camera_events WHERE device = 'cam-vtest' " \
        "AND kind IN ('people_count', 'line_cross')"  # fmt: skip
    wait_until(lambda: int(rows(pg_url, counts)[0][0]) >= 2, 30, "zone counts")
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    field = "cam-vtest:vtest-lawn"
    wait_until(
        lambda: client.hget(Keys(pipeline["site"]).camera_count(), field) is not None,
        30,
        "the lawn count in Redis",
    )
    client.close()

    web = pipeline["dashboard"]
    wait_until(lambda: fetch(web + "/healthz")[0] in (200, 503), 60, "the dashboard")
    assert fetch(f"{web}{snapshot}")[0] == 401  # signed out
    browser = signed_in(web)
    for path in (snapshot, "/snapshots/cam-vtest/latest.jpg"):
        got = browser.get(web + path, timeout=10)
        assert got.status_code == 200, path
        assert got.headers["Content-Type"] == "image/jpeg"
        assert got.content.startswith(b"\xff\xd8")
    for path in ("/snapshots/cam-nope/latest.jpg", "/snapshots/cam-vtest/x.jpg"):
        assert browser.get(web + path, timeout=10).status_code == 404, path
    page = browser.get(web + "/security", timeout=30)
    assert page.status_code == 200

    cam = pipeline["camera"]
    wait_until(lambda: fetch(cam + "/readyz")[0] == 200, 30, "the worker ready")
    ready = json.loads(fetch(cam + "/readyz")[2])
    assert ready["checks"] == {"mqtt": True, "sources": True}
    metrics = fetch(cam + "/metrics")[2].decode()
    assert 'ioc_camera_frames_analysed_total{camera="cam-vtest"}' in metrics
