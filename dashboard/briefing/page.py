"""The briefing page (/briefing): callbacks, the archive download route.

Everything the browser sends (kind, date, language, file names) is validated here:
unknown values fall back to defaults or are refused, never used raw in SQL or paths.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import redis
from dash import Dash, Input, Output, State, ctx, no_update
from fastapi import Response

from dashboard.briefing.jobs import compose, generate
from dashboard.history import HistoryReader
from layouts import ids
from layouts.briefing import page as view
from layouts.briefing.text import period_label
from layouts.i18n import Lang, t, valid_lang
from streams.briefings import archive
from streams.briefings.periods import PERIOD_KINDS, Period, PeriodKind, period_of, shift
from streams.config.settings import Settings
from streams.config.site import Site

BRIEFING_PATH = "/briefing"
FILES_PATH = "/briefing/files"
_NAME = re.compile(r"^[a-z]{1,32}\.(pdf|png)$")
EARLIEST = date(2000, 1, 1)


@dataclass(frozen=True, slots=True)
class BriefingContext:
    site: Site
    history: HistoryReader | None
    live: redis.Redis | None
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.site.timezone)

    def today(self) -> date:
        return self.clock().astimezone(self.tz).date()


def valid_kind(value: object) -> PeriodKind:
    for kind in PERIOD_KINDS:
        if value == kind:
            return kind
    return "day"


def valid_day(value: object, today: date) -> date:
    """A client date (ISO text), clamped to [2000-01-01, today]; default yesterday."""
    try:
        day = date.fromisoformat(str(value)[:10])
    except ValueError:
        return today - timedelta(days=1)
    return min(max(day, EARLIEST), today)


def selected(brief: BriefingContext, kind: object, day: object) -> Period:
    return period_of(valid_kind(kind), valid_day(day, brief.today()))


def page_layout(brief: BriefingContext, lang: Lang, kind: object, day: object) -> Any:
    today = brief.today()
    return view.layout(lang, valid_kind(kind), valid_day(day, today))


def show(brief: BriefingContext, kind: object, day: object, lang: Lang) -> Any:
    """The report body of the selected period (or why there is none)."""
    if brief.history is None:
        return view.message(t("b_unavailable", lang))
    period = selected(brief, kind, day)
    found = brief.history.run_query(
        compose, site=brief.site, period=period, live=brief.live
    )
    if found is None:
        return view.message(t("b_unavailable", lang))
    return view.body(found, lang)


def export(brief: BriefingContext, kind: object, day: object, lang: Lang) -> str:
    """Generate the selected period's PDF and charts into the archive."""
    if brief.history is None:
        return t("b_unavailable", lang)
    period = selected(brief, kind, day)
    done = brief.history.run_query(
        generate, site=brief.site, period=period, live=brief.live
    )
    if done is None:
        return t("b_export_failed", lang)
    if not done:  # another process holds the generation lock
        return t("b_export_busy", lang)
    return t("b_exported", lang, name=period.key)


STEPS = {ids.BRIEFING_EARLIER: -1, ids.BRIEFING_LATER: 1}


def stepped(brief: BriefingContext, kind: object, day: object, steps: int) -> str:
    """The date `steps` periods from the selected one (its first day; never after
    today)."""
    moved = shift(selected(brief, kind, day), steps)
    return min(moved.start, brief.today()).isoformat()


def file_url(kind: str, start: date, lang: str, name: str) -> str:
    return f"{FILES_PATH}/{kind}/{start.isoformat()}/{lang}/{name}"


def archive_view(brief: BriefingContext, lang: Lang) -> Any:
    if brief.history is None:
        return view.message(t("b_unavailable", lang))
    files = brief.history.run_query(archive.listing)
    if files is None:
        return view.message(t("b_unavailable", lang))
    grouped: dict[tuple[str, date, str], list[archive.ArchivedFile]] = {}
    for f in files:
        grouped.setdefault((f.kind, f.start, f.lang), []).append(f)
    rows = []
    for (kind, start, file_lang), items in grouped.items():
        label = period_label(kind, start, items[0].end, lang)
        pdf = file_url(kind, start, file_lang, "briefing.pdf")
        charts = [
            (f.name, file_url(kind, start, file_lang, f.name))
            for f in items
            if f.name.endswith(".png")
        ]
        rows.append((kind, label, file_lang, pdf, charts))
    return view.archive_list(rows, lang)


def download(
    brief: BriefingContext, kind: str, start: str, lang: str, name: str
) -> Response:
    """One archived file; 404 for anything that is not a known kind, date,
    language and file name."""
    try:
        day = date.fromisoformat(start)
    except ValueError:
        return Response(status_code=404)
    if kind not in PERIOD_KINDS or lang not in ("zh", "en") or not _NAME.match(name):
        return Response(status_code=404)
    if brief.history is None:
        return Response(status_code=503)
    found = brief.history.run_query(
        archive.fetch, kind=kind, start=day, lang=lang, name=name
    )
    if found is None:
        return Response(status_code=404)
    media_type, content = found
    headers = {"Content-Disposition": f'inline; filename="{kind}-{day}-{lang}-{name}"'}
    return Response(content, media_type=media_type, headers=headers)


def register(app: Dash, brief: BriefingContext) -> None:
    """Callbacks of /briefing and the archive route."""

    @app.callback(
        Output(ids.BRIEFING_BODY, "children"),
        Input(ids.BRIEFING_KIND, "value"),
        Input(ids.BRIEFING_DATE, "date"),
        State(ids.BRIEFING_LANG, "data"),
    )
    def on_select(kind: object, day: object, lang: object) -> Any:
        return show(brief, kind, day, valid_lang(lang))

    @app.callback(
        Output(ids.BRIEFING_DATE, "date"),
        Input(ids.BRIEFING_EARLIER, "n_clicks"),
        Input(ids.BRIEFING_LATER, "n_clicks"),
        State(ids.BRIEFING_KIND, "value"),
        State(ids.BRIEFING_DATE, "date"),
        prevent_initial_call=True,
    )
    def on_step(_e: object, _l: object, kind: object, day: object) -> Any:
        steps = STEPS.get(str(ctx.triggered_id))
        return no_update if steps is None else stepped(brief, kind, day, steps)

    @app.callback(
        Output(ids.BRIEFING_EXPORT_STATUS, "children"),
        Output(ids.BRIEFING_ARCHIVE, "children"),
        Input(ids.BRIEFING_EXPORT, "n_clicks"),
        State(ids.BRIEFING_KIND, "value"),
        State(ids.BRIEFING_DATE, "date"),
        State(ids.BRIEFING_LANG, "data"),
    )
    def on_export(clicks: object, kind: object, day: object, lang: object) -> Any:
        language = valid_lang(lang)
        status = export(brief, kind, day, language) if clicks else ""
        return status, archive_view(brief, language)

    app.clientside_callback(
        "function(n) { if (n) { window.print(); } return ''; }",
        Output(ids.BRIEFING_PRINT, "title"),
        Input(ids.BRIEFING_PRINT, "n_clicks"),
        prevent_initial_call=True,
    )

    def files(kind: str, start: str, lang: str, name: str) -> Response:
        return download(brief, kind, start, lang, name)

    app.server.add_api_route(
        FILES_PATH + "/{kind}/{start}/{lang}/{name}", files, methods=["GET"]
    )


def briefing_context(
    settings: Settings, site: Site, history: HistoryReader | None
) -> BriefingContext:
    """The page's context from settings (Redis only for the dead-letter count)."""
    url = settings.url("redis")
    live = redis.Redis.from_url(url, socket_timeout=2) if url else None
    return BriefingContext(site, history, live)
