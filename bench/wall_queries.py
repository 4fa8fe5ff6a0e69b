"""bench/wall_queries: every wall callback's server-side time, p50/p95, over the
sample compound with days of simulated history in PostgreSQL and today in Redis.

    python -m bench.wall_queries [--quick] [--days 30] [--calls 200]
    python -m bench.wall_queries --site-file S --database-url D --redis-url R

Each layout's refresh (the poll callback and the push build: `tile_outputs`), the
rotation's stage build and the shell's band are timed warm (the shared history
cache filled, as screens see it between refreshes) and cold (cache emptied before
every call: what the first screen pays every 30 s). The history reads behind them
are timed one by one. Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.wall_data import generate
from bench.wall_harness import REDIS_URL, fresh_site
from dashboard.data import LiveReader
from dashboard.history import HistoryReader
from dashboard.wall import page as wall
from dashboard.wall.history_cache import TtlCache
from dashboard.wall.setup import build_wall
from streams.config.settings import load_settings
from streams.config.site import WALL_LAYOUTS, load_site


def timed(
    fn: Callable[[], object], calls: int, before: Callable[[], None]
) -> tuple[list[float], list[float]]:
    """Wall-clock and this thread's CPU milliseconds per call (the machine is shared:
    CPU time shows the callback's own cost apart from waiting for a core)."""
    wall_ms, cpu_ms = [], []
    for _ in range(calls):
        before()
        began, cpu = time.perf_counter(), time.thread_time()
        fn()
        wall_ms.append(1000 * (time.perf_counter() - began))
        cpu_ms.append(1000 * (time.thread_time() - cpu))
    return wall_ms, cpu_ms


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


@contextlib.contextmanager
def data(args: argparse.Namespace) -> Iterator[tuple[Path, str, str]]:
    if args.database_url:
        yield args.site_file, args.database_url, args.redis_url or REDIS_URL
        return
    with fresh_site() as (site, path, pg_url):
        began = time.perf_counter()
        n = generate(site, pg_url, REDIS_URL, args.days)
        print(
            f"generated {n} events ({args.days} days) in "
            f"{time.perf_counter() - began:.0f} s"
        )
        yield path, pg_url, REDIS_URL


def run(site_file: Path, pg_url: str, redis_url: str, calls: int) -> dict[str, float]:
    env = {
        "IOC_REDIS_URL": redis_url,
        "IOC_DATABASE_URL": pg_url,
        "IOC_SITE_FILE": str(site_file),
    }
    settings = load_settings(env)
    site = load_site(site_file)
    live = LiveReader.from_url(redis_url, site)
    history = HistoryReader(pg_url, ZoneInfo(site.timezone))
    parts = build_wall(settings, site, live, history)
    reader, cache = parts.reader, parts.reader.history
    cold = max(5, calls // 10)

    def empty() -> None:
        cache._cache = TtlCache()

    def refresh(layout: str) -> Callable[[], object]:
        return lambda: wall.tile_outputs(reader.read(), layout, "zh")

    figures: dict[str, float] = {}
    jobs: dict[str, Callable[[], object]] = {
        **{f"refresh_{n}": refresh(n) for n in WALL_LAYOUTS},
        "rotate_stage_energy": lambda: wall.stage("energy", reader, "zh"),
        "shell_band": lambda: wall._band(reader, "zh"),
    }
    print(
        f"{'callback':24} {'warm p50':>8} {'p95':>6} {'cpu p95':>8}"
        f" {'cold p50':>9} {'p95':>6}"
    )
    for name, job in jobs.items():
        job()  # fill the cache
        warm, cpu = timed(job, calls, lambda: None)
        fresh, _ = timed(job, cold, empty)
        figures |= {
            f"{name}_warm_p50_ms": statistics.median(warm),
            f"{name}_warm_p95_ms": p95(warm),
            f"{name}_warm_cpu_p95_ms": p95(cpu),
            f"{name}_cold_p50_ms": statistics.median(fresh),
            f"{name}_cold_p95_ms": p95(fresh),
        }
        print(
            f"{name:24} {statistics.median(warm):8.1f} {p95(warm):6.1f}"
            f" {p95(cpu):8.1f} {statistics.median(fresh):9.1f} {p95(fresh):6.1f}"
        )
    reads: dict[str, Callable[[], object]] = {
        "today_gate": lambda: history.today("gate"),
        "today_energy": lambda: history.today("energy"),
        "usual_day_gate_4_weeks": lambda: cache._read_usual("gate"),
        "usual_day_energy_4_weeks": lambda: cache._read_usual("energy"),
    }
    print(f"{'history read (PostgreSQL)':28} {'p50':>9} {'p95':>9}")
    for name, job in reads.items():
        values, _ = timed(job, cold, lambda: None)
        figures |= {
            f"read_{name}_p50_ms": statistics.median(values),
            f"read_{name}_p95_ms": p95(values),
        }
        print(f"{name:28} {statistics.median(values):9.1f} {p95(values):9.1f}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--site-file", type=Path)
    parser.add_argument("--database-url")
    parser.add_argument("--redis-url")
    args = parser.parse_args()
    if args.quick:
        args.days, args.calls = min(args.days, 2), min(args.calls, 40)
    with data(args) as (site_file, pg_url, redis_url):
        figures = run(site_file, pg_url, redis_url, args.calls)
    worst = max(v for k, v in figures.items() if k.endswith("warm_p95_ms"))
    cpu = max(v for k, v in figures.items() if k.endswith("warm_cpu_p95_ms"))
    load = Path("/proc/loadavg").read_text().split()[0]
    print(
        f"worst warm p95 {worst:.1f} ms, CPU {cpu:.1f} ms (goal ≤ 50 ms);"
        f" load average {load} on {os.cpu_count()} cores"
    )
    figures["load_average"] = float(load)
    print(json.dumps({"bench": "wall_queries", "days": args.days, **figures}))


if __name__ == "__main__":
    main()
