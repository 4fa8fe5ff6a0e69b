"""bench/wall_latency: event published (MQTT) → tile changed in headless Chromium,
under a steady background load, through the real consumer and `python -m dashboard`.

    python -m bench.wall_latency [--quick] [--rate 2000] [--samples 60] [--duration S]

Each probe is one staff entry published at QoS 1; the browser records (Date.now in a
MutationObserver) when the people-on-site numeral shows the new count. The push path
(WebSocket callback on Redis pub/sub) is measured against the polling fallback alone
(push off, the same 10 s poll) in the same run unless --quick. With --duration the
page then runs that long under load, and the browser's JS heap and the dashboard's
RSS are compared (after a warm-up) to show growth. Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import redis
from selenium import webdriver

from bench.wall_harness import (
    REDIS_URL,
    Load,
    Publisher,
    chromium,
    consumer,
    dashboard,
    fresh_site,
    js_heap_bytes,
    rss_bytes,
    staff_entry,
)
from layouts import ids
from streams.config.site import Site, load_site
from streams.live.keys import Keys
from streams.wire.contracts import local_day

PEOPLE = ids.value_of(ids.OVERVIEW_PEOPLE_ONSITE)
OBSERVE = """
window.__seen = {};
const note = () => {
  const e = document.getElementById(arguments[0]);
  if (e && !(e.textContent in window.__seen)) window.__seen[e.textContent] = Date.now();
};
new MutationObserver(note).observe(document.body,
  {subtree: true, childList: true, characterData: true});
note();
"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class Probe:
    """Staff entries published one at a time; for each, when Redis counted it (the
    consumer's part) and when the browser showed it (the wall's part)."""

    def __init__(self, driver: webdriver.Chrome, publisher: Publisher, site: Site):
        self.driver, self.publisher, self.site = driver, publisher, site
        self.redis = redis.Redis.from_url(REDIS_URL, decode_responses=True)
        tz = ZoneInfo(site.timezone)
        self.key = Keys(site.id).onsite(local_day(datetime.now(UTC), 4, tz))

    def staff(self) -> int:
        return int(self.redis.hget(self.key, "staff") or 0)

    def shown(self, value: int) -> float | None:
        found = self.driver.execute_script(f"return window.__seen['{value:,}'] || null")
        return None if found is None else float(found)

    def once(self, timeout_s: float = 15.0) -> tuple[float, float] | None:
        """(publish → Redis, publish → browser) in ms, or None if not shown in time."""
        target = self.staff() + 1
        sent_ms = time.time() * 1000
        self.publisher.send(self.site.id, staff_entry())
        stored_ms = seen_ms = None
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and seen_ms is None:
            if stored_ms is None and self.staff() >= target:
                stored_ms = time.time() * 1000
            seen_ms = self.shown(target)
            time.sleep(0.005)
        if seen_ms is None:
            return None
        return (stored_ms or seen_ms) - sent_ms, seen_ms - sent_ms

    def run(self, count: int, gap_s: float) -> list[tuple[float, float]]:
        out = []
        for _ in range(count):
            result = self.once()
            if result is not None:
                out.append(result)
            time.sleep(gap_s)
        return out


def summary(samples: list[tuple[float, float]]) -> dict[str, float]:
    if not samples:
        return {"p50_ms": float("nan"), "p95_ms": float("nan"), "samples": 0}
    total = [s[1] for s in samples]
    wall = [s[1] - s[0] for s in samples]
    consumer = [s[0] for s in samples]
    return {
        "p50_ms": statistics.median(total),
        "p95_ms": percentile(total, 0.95),
        "consumer_p50_ms": statistics.median(consumer),
        "wall_p50_ms": statistics.median(wall),
        "wall_p95_ms": percentile(wall, 0.95),
        "samples": len(samples),
    }


def measure(
    site_file: Path,
    pg_url: str,
    site_id: str,
    log_dir: Path,
    push: bool,
    samples: int,
    rate: float,
    duration_s: float,
) -> dict[str, float]:
    site = load_site(site_file)
    log = log_dir / f"dashboard-{'push' if push else 'poll'}.log"
    with dashboard(site_file, pg_url, log, wall_push=str(push).lower()) as (url, proc):
        driver = chromium()
        publisher = Publisher()
        load = Load(site, publisher, rate)
        try:
            publisher.send(site_id, staff_entry())  # people ≥ 1: the numeral exists
            driver.get(f"{url}/wall/overview")
            time.sleep(3)
            driver.execute_script(OBSERVE, PEOPLE)
            load.start()
            time.sleep(2)
            samples_ = Probe(driver, publisher, site).run(samples, 0.3)
            figures: dict[str, float] = summary(samples_)
            figures["lost"] = samples - len(samples_)
            if duration_s > 0:
                figures |= soak(driver, proc.pid, duration_s)
            figures["load_sent"] = load.sent
            return figures
        finally:
            load.stop_event.set()
            load.join(5)
            publisher.close()
            driver.quit()


def soak(driver: webdriver.Chrome, pid: int, duration_s: float) -> dict[str, float]:
    """JS heap and server RSS after a warm-up and at the end of `duration_s`."""
    warmup = min(120.0, duration_s / 6)
    time.sleep(warmup)
    heap0, rss0 = js_heap_bytes(driver), rss_bytes(pid)
    time.sleep(duration_s - warmup)
    heap1, rss1 = js_heap_bytes(driver), rss_bytes(pid)
    return {
        "soak_s": duration_s,
        "js_heap_start_mb": heap0 / 2**20,
        "js_heap_end_mb": heap1 / 2**20,
        "js_heap_growth_pct": 100 * (heap1 - heap0) / heap0,
        "rss_start_mb": rss0 / 2**20,
        "rss_end_mb": rss1 / 2**20,
        "rss_growth_pct": 100 * (rss1 - rss0) / rss0,
    }


def report(name: str, f: dict[str, float], rate: float) -> None:
    print(
        f"{name}: publish→tile p50 {f['p50_ms']:.0f} ms, p95 {f['p95_ms']:.0f} ms"
        f" ({f['samples']:.0f} samples, {f.get('lost', 0):.0f} lost, {rate:.0f} ev/s)"
    )
    if f["samples"]:
        print(
            f"  of which consumer (MQTT→Redis) p50 {f['consumer_p50_ms']:.0f} ms;"
            f" wall (Redis→tile) p50 {f['wall_p50_ms']:.0f} ms,"
            f" p95 {f['wall_p95_ms']:.0f} ms"
        )
    if "soak_s" in f:
        print(
            f"  soak {f['soak_s']:.0f} s: JS heap {f['js_heap_start_mb']:.1f} →"
            f" {f['js_heap_end_mb']:.1f} MB ({f['js_heap_growth_pct']:+.1f} %),"
            f" server RSS {f['rss_start_mb']:.0f} → {f['rss_end_mb']:.0f} MB"
            f" ({f['rss_growth_pct']:+.1f} %)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rate", type=float, default=2000.0)
    parser.add_argument("--samples", type=int, help="probes (60; 15 with --quick)")
    parser.add_argument("--duration", type=float, default=0.0, help="soak seconds")
    args = parser.parse_args()
    samples = args.samples or (15 if args.quick else 60)
    result: dict[str, object] = {"bench": "wall_latency", "rate": args.rate}
    with tempfile.TemporaryDirectory() as tmp, fresh_site() as (site, path, pg_url):
        logs = Path(tmp)
        with consumer(site, path, pg_url, logs / "consumer.log"):
            push = measure(
                path, pg_url, site.id, logs, True, samples, args.rate, args.duration
            )
            result |= {f"push_{k}": v for k, v in push.items()}
            report("push", push, args.rate)
            if not args.quick:
                poll = measure(
                    path, pg_url, site.id, logs, False, min(samples, 20), args.rate, 0
                )
                result |= {f"poll_{k}": v for k, v in poll.items()}
                result["poll_over_push_p50"] = poll["p50_ms"] / push["p50_ms"]
                report("poll only", poll, args.rate)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
