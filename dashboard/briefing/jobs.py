"""Generate briefings into the archive; ``python -m dashboard.briefing.jobs`` runs the
schedule (daily 07:30 for yesterday, Mondays 08:00 for last week, site time zone).

The process is stateless: the archive is the PostgreSQL table ``briefing_files``.
Every minute it generates the latest scheduled periods that are not archived yet
(so a process that was down catches up), under a transaction-level advisory lock
(two schedulers never generate the same period at once). The launcher starts it;
in production it is the ``briefings`` compose service.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import psycopg
import redis

from dashboard.briefing.build import build_briefing
from layouts.briefing.model import Briefing
from layouts.briefing.pdf import render_charts, render_pdf
from layouts.i18n import LANGS, Lang
from streams.briefings import archive
from streams.briefings.collect import collect
from streams.briefings.periods import Period, last_year, latest_runs, previous
from streams.config.settings import Settings, SettingsError, load_settings
from streams.config.site import Site, SiteFileError, load_site
from streams.history.migrations import migrate

logger = logging.getLogger("dashboard.briefing.jobs")
LOCK_KEY = 0x10C_B41E_0003  # pg_advisory_xact_lock: "jiguan-ioc briefings"
TICK_S = 60.0


def compose(
    conn: psycopg.Connection, site: Site, period: Period, live: redis.Redis | None
) -> Briefing:
    """The briefing of `period` with its previous period and last year's."""
    current = collect(conn, site, period, live=live)
    before = collect(conn, site, previous(period), alarms=True)
    year = collect(conn, site, last_year(period), alarms=True)
    return build_briefing(site, current, before, year)


def documents(briefing: Briefing, lang: Lang) -> dict[str, bytes]:
    """The archived files of one language: the PDF and the PNG charts."""
    return {"briefing.pdf": render_pdf(briefing, lang), **render_charts(briefing, lang)}


def generate(
    conn: psycopg.Connection,
    site: Site,
    period: Period,
    live: redis.Redis | None,
    *,
    only_missing: bool = False,
) -> list[Lang]:
    """Generate and archive `period` in every language; the languages written.
    Skipped (empty list) while another process generates."""
    with conn.transaction():
        got = conn.execute("SELECT pg_try_advisory_xact_lock(%s)", (LOCK_KEY,))
        row = got.fetchone()
        if not (row and row[0]):
            return []
        langs: list[Lang] = [
            lang
            for lang in LANGS
            if not (only_missing and archive.has(conn, period, lang))
        ]
        if not langs:
            return []
        briefing = compose(conn, site, period, live)
        for lang in langs:
            archive.save(conn, period, lang, documents(briefing, lang))
    logger.info("briefing %s archived (%s)", period.key, ", ".join(langs))
    return langs


def run_due(
    conn: psycopg.Connection, site: Site, live: redis.Redis | None, now: datetime
) -> list[str]:
    """Generate the latest daily and weekly periods that are not archived yet."""
    done = []
    for run in latest_runs(now, ZoneInfo(site.timezone)):
        if generate(conn, site, run.period, live, only_missing=True):
            done.append(run.period.key)
    return done


def serve(
    settings: Settings,
    site: Site,
    stop: threading.Event,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> None:
    """Tick every minute until `stop`, holding one connection (the compose
    healthcheck looks for it); a failing tick is logged once and retried."""
    live = None
    if settings.url("redis"):
        live = redis.Redis.from_url(settings.url("redis"), socket_timeout=5)
    conn: psycopg.Connection | None = None
    failing = False
    while not stop.is_set():
        try:
            if conn is None or conn.closed:
                conn = psycopg.connect(settings.url("database"), autocommit=True)
                migrate(conn)
            run_due(conn, site, live, clock())
            if failing:
                logger.info("briefing schedule running again")
            failing = False
        except (psycopg.Error, OSError) as exc:
            if not failing:
                logger.warning("briefing schedule: %s", type(exc).__name__)
            failing = True
            if conn is not None:
                conn.close()
            conn = None
        stop.wait(TICK_S)
    if conn is not None:
        conn.close()


def main() -> None:
    try:
        settings = load_settings()
        site = load_site(settings.site_file)
    except (SettingsError, SiteFileError) as exc:
        print(exc, file=sys.stderr)
        raise SystemExit(2) from exc
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    if not settings.url("database"):
        print("IOC_DATABASE_URL is not set (the launcher sets it)", file=sys.stderr)
        raise SystemExit(2)
    # Stop at once on SIGTERM/SIGINT, even mid-generation: the archive is written in
    # one transaction, which the closing connection rolls back.
    signal.signal(signal.SIGTERM, _exit)
    logger.info("briefing schedule for %s: daily 07:30, weekly Monday 08:00", site.id)
    with contextlib.suppress(KeyboardInterrupt):
        serve(settings, site, threading.Event())


def _exit(*_: object) -> None:
    raise SystemExit(0)


if __name__ == "__main__":
    main()
