"""The duty console (/duty): the live alarm list, operator actions, the alarm's
journal and evidence, the metrics against their targets, and the shift handover.

Pure builders: data in, components out. The beep played on a new alarm is a short
WAV generated here (a data: URI), so the console needs no sound file.
"""

from __future__ import annotations

import base64
import io
import math
import struct
import wave
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from dash import dash_table, dcc, html
from dash.development.base_component import Component

from layouts import ids
from layouts.i18n import DEFAULT_LANG, Lang, t

VIEWS = ("active", "shelved", "suppressed", "out_of_service", "all")
SHELVE_MINUTES = (15, 30, 60, 120, 240, 480)
SEVERITY_COLORS = {
    "critical": "#b91c1c",
    "major": "#c2410c",
    "minor": "#a16207",
    "notice": "#1d4ed8",
}
COLUMNS = (
    ("severity", "col_severity"),
    ("state", "col_state"),
    ("message", "col_message"),
    ("source", "col_source"),
    ("place", "col_place"),
    ("first_seen", "col_first"),
    ("last_seen", "col_last"),
    ("count", "col_count"),
    ("age", "col_age"),
    ("assignee", "col_assignee"),
    ("escalation", "col_escalation"),
)


@cache
def beep_uri(freq_hz: float = 880.0, seconds: float = 0.25, rate: int = 8000) -> str:
    """A short sine beep as a WAV data: URI (fades in and out: no clicks)."""
    n = int(seconds * rate)
    frames = bytearray()
    for i in range(n):
        envelope = min(1.0, i / 200, (n - i) / 200)
        sample = int(12000 * envelope * math.sin(2 * math.pi * freq_hz * i / rate))
        frames += struct.pack("<h", sample)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(frames))
    return "data:audio/wav;base64," + base64.b64encode(buffer.getvalue()).decode()


def table(lang: Lang = DEFAULT_LANG) -> Component:
    columns = [{"name": t(key, lang), "id": cid} for cid, key in COLUMNS]
    severity_styles = [
        {
            "if": {
                "filter_query": f'{{severity_key}} = "{sev}"',
                "column_id": "severity",
            },
            "backgroundColor": color,
            "color": "white",
            "fontWeight": "bold",
        }
        for sev, color in SEVERITY_COLORS.items()
    ]
    return dash_table.DataTable(  # type: ignore[attr-defined, no-any-return]  # dash_table's __init__ is untyped
        id=ids.DUTY_TABLE,
        columns=columns,
        data=[],
        row_selectable="multi",
        selected_row_ids=[],
        sort_action="native",
        filter_action="native",
        page_action="none",
        cell_selectable=True,
        style_table={"maxHeight": "52vh", "overflowY": "auto"},
        style_cell={"textAlign": "left", "padding": "4px 8px", "fontSize": "15px"},
        style_header={"fontWeight": "bold"},
        style_data_conditional=[
            *severity_styles,
            {
                "if": {"filter_query": '{state_key} = "active_unack"'},
                "fontWeight": "bold",
            },
            {
                "if": {"filter_query": "{escalation_level} > 0"},
                "borderLeft": "6px solid #dc2626",
            },
        ],
        sort_by=[],
    )


def action_bar(shelve_max_min: int, lang: Lang = DEFAULT_LANG) -> html.Div:
    minutes = [m for m in SHELVE_MINUTES if m <= shelve_max_min] or [shelve_max_min]
    options = [{"label": t("minutes_n", lang, n=m), "value": m} for m in minutes]
    return html.Div(
        [
            html.Button(t("btn_ack", lang), id=ids.DUTY_ACK, className="btn btn-ack"),
            dcc.Dropdown(
                id=ids.DUTY_SHELVE_MINUTES,
                options=options,
                value=minutes[min(1, len(minutes) - 1)],
                clearable=False,
                className="duty-minutes",
            ),
            dcc.Input(
                id=ids.DUTY_REASON, placeholder=t("ph_reason", lang), debounce=False
            ),
            html.Button(t("btn_shelve", lang), id=ids.DUTY_SHELVE, className="btn"),
            html.Button(t("btn_unshelve", lang), id=ids.DUTY_UNSHELVE, className="btn"),
            html.Button(t("btn_clear", lang), id=ids.DUTY_CLEAR, className="btn"),
            dcc.Input(id=ids.DUTY_ASSIGNEE, placeholder=t("ph_assignee", lang)),
            html.Button(t("btn_assign", lang), id=ids.DUTY_ASSIGN, className="btn"),
            dcc.Input(id=ids.DUTY_COMMENT_TEXT, placeholder=t("ph_comment", lang)),
            html.Button(t("btn_comment", lang), id=ids.DUTY_COMMENT, className="btn"),
        ],
        className="duty-actions",
    )


def views(counts: Mapping[str, int], lang: Lang = DEFAULT_LANG) -> list[dict[str, Any]]:
    """The list selector: ISA-18.2 requires shelved, suppressed and out-of-service
    alarms to be reachable at all times."""
    return [
        {"label": f"{t('view_' + v, lang)} ({counts.get(v, 0)})", "value": v}
        for v in VIEWS
    ]


def handover_panel(lang: Lang = DEFAULT_LANG) -> html.Section:
    return html.Section(
        [
            html.H3(t("handover", lang)),
            dcc.Textarea(
                id=ids.DUTY_HANDOVER_NOTE,
                placeholder=t("ph_handover", lang),
                className="duty-note",
            ),
            html.Button(t("btn_handover", lang), id=ids.DUTY_HANDOVER_SUBMIT),
            html.Button(t("btn_accept", lang), id=ids.DUTY_HANDOVER_ACCEPT),
            html.Ul(id=ids.DUTY_HANDOVERS, className="duty-handovers"),
        ],
        className="duty-panel",
    )


def header(site_name: str, operator: str, role: str, lang: Lang) -> html.Header:
    return html.Header(
        [
            html.H1([html.Span(site_name), " · ", html.Span(t("duty", lang))]),
            html.Div(t("duty_operator", lang, name=operator, role=role),
                     id=ids.DUTY_OPERATOR),
            html.Div(id=ids.DUTY_CLOCK, className="clock"),
        ],
        className="duty-header",
    )  # fmt: skip


def metrics_panel(lang: Lang = DEFAULT_LANG) -> html.Section:
    """The metrics panel: today or this week, filled by a callback."""
    periods = [{"label": t(f"metrics_{p}", lang), "value": p} for p in ("day", "week")]
    return html.Section(
        [
            html.H3(t("metrics", lang)),
            dcc.RadioItems(
                id=ids.DUTY_METRICS_PERIOD,
                options=periods,
                value="day",
                inline=True,
                className="duty-period",
            ),
            html.Div(id=ids.DUTY_METRICS),
        ],
        className="duty-panel",
    )


def side_panels(lang: Lang = DEFAULT_LANG) -> html.Aside:
    """Beside the list: the alarm's detail, the metrics, the shift handover."""
    detail_panel = html.Section(
        [html.H3(t("detail", lang)), html.Div(id=ids.DUTY_DETAIL)],
        className="duty-panel",
    )
    return html.Aside(
        [detail_panel, metrics_panel(lang), handover_panel(lang)],
        className="duty-side",
    )


def stores(lang: Lang, interval_ms: int) -> list[Component]:
    """The page's stores, ticks and the beep."""
    return [
        dcc.Store(id=ids.DUTY_LANG, data=lang),
        dcc.Store(id=ids.DUTY_REFRESH, data=0),
        dcc.Store(id=ids.DUTY_UNACKED, data=[]),
        dcc.Store(id=ids.DUTY_ALERTED, data=0),
        dcc.Store(id=ids.DUTY_KEYS, data=0),
        dcc.Interval(id=ids.DUTY_TICK, interval=interval_ms),
        dcc.Interval(id=ids.DUTY_SLOW_TICK, interval=30_000),
        html.Audio(id=ids.DUTY_AUDIO, src=beep_uri(), preload="auto"),
    ]


def layout(
    site_name: str = "",
    lang: Lang = DEFAULT_LANG,
    operator: str = "",
    role: str = "",
    shelve_max_min: int = 480,
    interval_ms: int = 2000,
) -> html.Div:
    main = html.Section(
        [
            dcc.RadioItems(
                id=ids.DUTY_VIEW, options=views({}, lang), value="active", inline=True
            ),
            table(lang),
            action_bar(shelve_max_min, lang),
            html.Div(id=ids.DUTY_MESSAGE, className="duty-message", role="status"),
            html.Div(t("keys_help", lang), className="duty-keys-help"),
        ],
        className="duty-main",
    )
    body = html.Div([main, side_panels(lang)], className="duty-body")
    top = header(site_name, operator, role, lang)
    return html.Div(
        [top, body, *stores(lang, interval_ms)], id=ids.DUTY_ROOT, className="duty"
    )


def journal_list(
    rows: Sequence[Mapping[str, str]], lang: Lang = DEFAULT_LANG
) -> html.Ol:
    """One line per journal row: time, who, what, from → to, comment."""

    def line(r: Mapping[str, str]) -> str:
        before = t("state_" + r["from_state"], lang)
        after = t("state_" + r["to_state"], lang)
        text = (
            f"{r['at']} {r['operator']}（{r['role']}） {r['action']} {before} → {after}"
        )
        return text + (f" · {r['comment']}" if r.get("comment") else "")

    items = [html.Li(line(r)) for r in rows]
    return html.Ol(items, className="duty-journal")


def detail(
    title: str,
    facts: Sequence[tuple[str, str]],
    journal: Sequence[Mapping[str, str]],
    evidence: Component | None,
    lang: Lang = DEFAULT_LANG,
) -> list[Component]:
    rows = [html.Div([html.B(k + "："), v]) for k, v in facts]
    parts: list[Component] = [html.H4(title), *rows, journal_list(journal, lang)]
    if evidence is not None:
        parts += [html.H4(t("evidence", lang)), evidence]
    return parts


def metrics_table(
    figures: Sequence[tuple[str, str, str, str]], lang: Lang = DEFAULT_LANG
) -> html.Table:
    """(metric key, value text, target text, verdict) rows."""
    head = html.Tr([html.Th(t(k, lang)) for k in ("metric", "value", "target")])
    rows = [
        html.Tr(
            [html.Td(t(key, lang)), html.Td(value), html.Td(target)],
            className=f"metric metric--{verdict}",
        )
        for key, value, target, verdict in figures
    ]
    return html.Table([html.Thead(head), html.Tbody(rows)], className="duty-metrics")


def handover_items(
    lines: Sequence[tuple[str, str | None]],
) -> list[Component]:
    return [
        html.Li([html.Div(line), html.Div(taken or "", className="taken")])
        for line, taken in lines
    ]
