"""The briefing page (/briefing): controls, the report body, the archive. Pure
component trees; a light, printable page (assets/briefing.css has the print CSS)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from dash import dcc, html
from dash.development.base_component import Component

from layouts import ids
from layouts.briefing import text
from layouts.briefing.model import Briefing, Series
from layouts.briefing.tables import (
    building_table,
    canteen_table,
    incident_lines,
    kpi_header,
    quality_lines,
)
from layouts.i18n import DEFAULT_LANG, Lang, t

KINDS = ("day", "week", "month")
KPI_GROUPS = ("people", "canteen", "energy", "intensity", "alarms")


def layout(
    lang: Lang = DEFAULT_LANG, kind: str = "day", day: date | None = None
) -> html.Div:
    """The page frame; the body and the archive are filled by callbacks."""
    controls = html.Div(
        [
            dcc.RadioItems(
                id=ids.BRIEFING_KIND,
                options=[{"label": t(f"b_{k}", lang), "value": k} for k in KINDS],
                value=kind,
                inline=True,
                className="briefing-kinds",
            ),
            html.Button(t("b_earlier", lang), id=ids.BRIEFING_EARLIER, n_clicks=0),
            dcc.DatePickerSingle(
                id=ids.BRIEFING_DATE,
                date=None if day is None else day.isoformat(),
                display_format="YYYY-MM-DD",
                first_day_of_week=1,
            ),
            html.Button(t("b_later", lang), id=ids.BRIEFING_LATER, n_clicks=0),
            html.Button(t("b_print", lang), id=ids.BRIEFING_PRINT, n_clicks=0),
            html.Button(t("b_export", lang), id=ids.BRIEFING_EXPORT, n_clicks=0),
            html.Span(id=ids.BRIEFING_EXPORT_STATUS, className="briefing-status"),
        ],
        className="briefing-controls no-print",
    )
    return html.Div(
        [
            dcc.Store(id=ids.BRIEFING_LANG, data=lang),
            html.Header([html.H1(t("briefing", lang)), controls]),
            html.Div(id=ids.BRIEFING_BODY, className="briefing-body"),
            html.Section(
                [html.H2(t("b_archive", lang)), html.Div(id=ids.BRIEFING_ARCHIVE)],
                className="briefing-archive no-print",
            ),
        ],
        id=ids.BRIEFING_ROOT,
        className="briefing",
    )


def _table(
    header: Sequence[str], rows: Sequence[Sequence[str]], cls: str
) -> html.Table:
    return html.Table(
        [
            html.Thead(html.Tr([html.Th(h) for h in header])),
            html.Tbody([html.Tr([html.Td(c) for c in row]) for row in rows]),
        ],
        className=f"briefing-table {cls}",
    )


def _verdict(kpi_change: float | None, better: str) -> str:
    if kpi_change is None or better == "none" or abs(kpi_change) < 0.05:
        return ""
    good = (kpi_change > 0) == (better == "up")
    return "change--good" if good else "change--bad"


def kpi_table(briefing: Briefing, lang: Lang) -> html.Table:
    header = kpi_header(lang)
    rows = []
    for group in KPI_GROUPS:
        for k in (k for k in briefing.kpis if k.group == group):
            rows.append(
                html.Tr(
                    [
                        html.Td(t(k.key, lang)),
                        html.Td(text.kpi_text(k), id=f"briefing-kpi-{k.key}"),
                        html.Td(text.number(k.previous, k.digits)),
                        html.Td(
                            text.signed_pct(k.change_pct),
                            className=_verdict(k.change_pct, k.better),
                        ),
                        html.Td(text.number(k.last_year, k.digits)),
                        html.Td(
                            text.signed_pct(k.year_change_pct),
                            className=_verdict(k.year_change_pct, k.better),
                        ),
                    ],
                    className=f"kpi-row kpi-row--{group}",
                )
            )
    return html.Table(
        [html.Thead(html.Tr([html.Th(h) for h in header])), html.Tbody(rows)],
        className="briefing-table briefing-kpis",
    )


def bars(series: Series, title: str, lang: Lang) -> html.Figure:
    """Bars for this period, a tick for the previous period at the same position."""
    values = [*series.current, *(v for v in series.previous if v is not None)]
    top = max(values, default=0.0) or 1.0
    columns = []
    for label, now, before in zip(
        series.labels, series.current, series.previous, strict=True
    ):
        parts = [
            html.Div(className="bar-now", style={"height": f"{100 * now / top:.1f}%"})
        ]
        if before is not None:
            parts.append(
                html.Div(
                    className="bar-prev", style={"bottom": f"{100 * before / top:.1f}%"}
                )
            )
        tip = f"{label}: {text.number(now)}"
        columns.append(
            html.Div(
                [
                    html.Div(parts, className="bar-area", title=tip),
                    html.Div(label, className="bar-label"),
                ],
                className="bar",
            )
        )
    legend = f"■ {t('b_this', lang)}  — {t('b_previous', lang)}"
    return html.Figure(
        [html.Figcaption(f"{title} · {legend}"), html.Div(columns, className="bars")],
        className="briefing-chart",
    )


def portraits(briefing: Briefing, lang: Lang) -> list[Component]:
    buildings = building_table(briefing, lang)
    canteens = canteen_table(briefing, lang)
    return [
        html.H2(t("b_sec_buildings", lang)),
        _table(*buildings, "briefing-buildings"),
        html.H2(t("b_sec_canteens", lang)),
        _table(*canteens, "briefing-canteens"),
    ]


def alarms(briefing: Briefing, lang: Lang) -> list[Component]:
    kinds = [
        [
            text.kind_name(k.kind, lang),
            str(k.count),
            text.minutes(k.mtta_min, lang),
            text.minutes(k.mttr_min, lang),
        ]
        for k in briefing.alarm_kinds
    ] or [[t("b_none", lang), "0", "—", "—"]]
    isa = [[t(f.key, lang), f.text, f.target] for f in briefing.isa]
    isa.append([t("b_eemua", lang), t(f"eemua_{briefing.eemua_level}", lang), "1–10"])
    incidents = incident_lines(briefing, lang) or [t("b_no_incidents", lang)]
    return [
        html.H2(t("b_sec_alarms", lang)),
        html.Div(
            [
                _table(
                    [t(k, lang) for k in ("b_kind", "b_count", "b_mtta", "b_mttr")],
                    kinds,
                    "briefing-alarm-kinds",
                ),
                _table(
                    [t(k, lang) for k in ("b_metric", "b_value", "b_target")],
                    isa,
                    "briefing-isa",
                ),
            ],
            className="briefing-pair",
        ),
        html.H2(t("b_sec_incidents", lang)),
        html.Ul([html.Li(line) for line in incidents], className="briefing-incidents"),
        html.H2(t("b_sec_quality", lang)),
        html.Ul([html.Li(line) for line in quality_lines(briefing, lang)]),
    ]


def body(briefing: Briefing, lang: Lang = DEFAULT_LANG) -> list[Component]:
    """The whole report: title, summary, KPIs, charts, portraits, alarms, quality."""
    period = text.period_label(briefing.kind, briefing.start, briefing.end, lang)
    return [
        html.H2(text.title(briefing, lang), className="briefing-title"),
        html.Div(period, className="briefing-period"),
        html.H2(t("b_summary", lang)),
        html.Div(
            [html.P(s) for s in text.narrative(briefing, lang)],
            id="briefing-narrative",
            className="briefing-narrative",
        ),
        html.H2(t("b_sec_kpis", lang)),
        kpi_table(briefing, lang),
        html.H2(t("b_sec_charts", lang)),
        html.Div(
            [
                bars(briefing.energy, t("b_chart_energy", lang), lang),
                bars(briefing.meals, t("b_chart_meals", lang), lang),
            ],
            className="briefing-pair",
        ),
        *portraits(briefing, lang),
        *alarms(briefing, lang),
    ]


def message(text_: str) -> html.Div:
    return html.Div(text_, className="briefing-message")


def archive_list(
    rows: Sequence[tuple[str, str, str, str, Sequence[tuple[str, str]]]], lang: Lang
) -> Component:
    """rows: (kind, period label, lang, pdf url, [(chart name, url)])."""
    if not rows:
        return html.Div(t("b_archive_empty", lang))
    items = [
        html.Li(
            [
                html.Span(f"{t(f'b_{kind}', lang)} · {label} · {file_lang} "),
                html.A("PDF", href=pdf, target="_blank", className="archive-pdf"),
                *(
                    html.A(name, href=url, target="_blank", className="archive-png")
                    for name, url in charts
                ),
            ]
        )
        for kind, label, file_lang, pdf, charts in rows
    ]
    return html.Ul(items, className="briefing-archive-list")
