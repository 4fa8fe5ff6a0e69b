"""``python -m dashboard``: load settings and the site once, serve the app (uvicorn)."""

from __future__ import annotations

import logging
import sys
from zoneinfo import ZoneInfo

import uvicorn

from dashboard.app import create_app
from dashboard.auth.setup import ensure_schema_and_admin
from dashboard.data import LiveReader
from dashboard.history import HistoryReader
from streams.config.settings import Settings, SettingsError, load_settings, redact_url
from streams.config.site import Site, SiteFileError, load_site

logger = logging.getLogger("dashboard")


def _load() -> tuple[Settings, Site]:
    try:
        settings = load_settings()
        return settings, load_site(settings.site_file)
    except (SettingsError, SiteFileError) as exc:
        print(exc, file=sys.stderr)
        raise SystemExit(2) from exc


def main() -> None:
    settings, site = _load()
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    if not settings.url("redis"):
        print("IOC_REDIS_URL is not set (the launcher sets it)", file=sys.stderr)
        raise SystemExit(2)
    reader = LiveReader.from_url(
        settings.url("redis"), site, day_reset_hour=settings.day_reset_hour
    )
    if not settings.url("database"):
        print("IOC_DATABASE_URL is not set (users and audit need it)", file=sys.stderr)
        raise SystemExit(2)
    ensure_schema_and_admin(settings)
    history = HistoryReader(
        settings.url("database"),
        ZoneInfo(site.timezone),
        day_reset_hour=settings.day_reset_hour,
    )
    app = create_app(settings, site, reader, history)
    logger.info(
        "dashboard for %s on http://%s:%d (redis %s)",
        site.id,
        settings.dashboard_host,
        settings.dashboard_port,
        redact_url(settings.url("redis")),
    )
    # uvicorn believes X-Forwarded-For from 127.0.0.1 unless told otherwise: only
    # the configured proxies may name the client (rate limits, the audit log).
    proxies = [str(network) for network in settings.dashboard_trusted_proxies]
    uvicorn.run(
        app.server,
        host=settings.dashboard_host,
        port=settings.dashboard_port,
        log_level=settings.log_level.lower(),
        proxy_headers=bool(proxies),
        forwarded_allow_ips=proxies,
    )


if __name__ == "__main__":
    main()
