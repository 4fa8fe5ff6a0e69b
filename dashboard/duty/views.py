"""The duty console's read model: alarms to table rows, an alarm's journal and
evidence, the metrics panel, the handover log (PostgreSQL reads through the engine's
connection; open alarms come from the Redis mirror in `dashboard.duty.console`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from dash import dcc, html
from dash.development.base_component import Component

from dashboard.masking import mask_details
from layouts import duty as view
from layouts import figures
from layouts.i18n import Lang, t
from streams.alarms import metrics as alarm_metrics
from streams.alarms import store
from streams.alarms.engine import AlarmEngine
from streams.alarms.evidence import evidence_rows
from streams.alarms.policy import DEFAULT_CONSOLE
from streams.alarms.state import Alarm
from streams.snapshots.names import snapshot_route

SEVERITY_ORDER = {"critical": 0, "major": 1, "minor": 2, "notice": 3}


def in_view(alarm: Alarm, view_name: str) -> bool:
    if view_name == "all":
        return True
    if view_name == "active":
        return alarm.presented
    return alarm.mode == view_name


def counts(alarms: Iterable[Alarm]) -> dict[str, int]:
    alarms = list(alarms)
    found = {v: sum(1 for a in alarms if in_view(a, v)) for v in view.VIEWS}
    return found


def unacked(alarms: Iterable[Alarm]) -> list[str]:
    """Presented alarms still waiting for an acknowledgement (the beep's input)."""
    return sorted(a.id for a in alarms if a.presented and not a.acknowledged)


def format_age(span: timedelta) -> str:
    minutes = max(0, int(span.total_seconds() // 60))
    return f"{minutes // 60}h{minutes % 60:02d}m" if minutes >= 60 else f"{minutes}m"


def _local(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%m-%d %H:%M:%S")


def table_rows(
    alarms: Iterable[Alarm], view_name: str, now: datetime, tz: ZoneInfo, lang: Lang
) -> list[dict[str, Any]]:
    """Rows for the alarm table, most urgent first (severity, then newest)."""
    chosen = [a for a in alarms if in_view(a, view_name)]
    chosen.sort(key=lambda a: (SEVERITY_ORDER[a.severity], -a.raised_at.timestamp()))
    return [
        {
            "id": a.id,
            "severity": t(f"sev_{a.severity}", lang),
            "severity_key": a.severity,
            "state": t(f"state_{a.state}", lang) + (" ⛓" if a.latching else ""),
            "state_key": a.state,
            "message": a.message,
            "source": a.source,
            "place": a.area or "—",
            "first_seen": _local(a.first_seen, tz),
            "last_seen": _local(a.last_seen, tz),
            "count": a.count,
            "age": format_age(now - a.raised_at),
            "assignee": a.assignee,
            "escalation": f"L{a.escalation_level}" if a.escalation_level else "",
            "escalation_level": a.escalation_level,
        }
        for a in chosen
    ]


def _journal_lines(
    rows: Sequence[dict[str, Any]], tz: ZoneInfo
) -> list[dict[str, str]]:
    return [
        {
            "at": _local(r["at"], tz),
            "operator": str(r["operator"]),
            "role": str(r["role"]),
            "action": str(r["action"]),
            "from_state": str(r["from_state"]),
            "to_state": str(r["to_state"]),
            "comment": str(r["comment"] or ""),
        }
        for r in rows
    ]


def _energy_graph(rows: Sequence[dict[str, Any]], tz: ZoneInfo) -> Component:
    x = [_local(r["ts"], tz) for r in reversed(rows)]
    series = {str(rows[0]["quantity"]): [float(r["value"]) for r in reversed(rows)]}
    figure = figures.stacked_bars(x, series)
    return dcc.Graph(
        figure=figure, config={"staticPlot": True}, style={"height": "180px"}
    )


def _evidence_line(
    stream: str, row: dict[str, Any], device: str, tz: ZoneInfo
) -> Component:
    """One history row as text; a camera row's snapshot as an image of our own
    route, derived from the stored name and the evidence's camera (a stored URL or
    path is never a `src`: it would be fetched with the viewer's cookies)."""
    shown = (v for k, v in row.items() if k not in ("ts", "snapshot") and v is not None)
    item: list[Component] = [
        html.Span(f"{_local(row['ts'], tz)} {stream}: {' '.join(map(str, shown))}")
    ]
    src = snapshot_route(device, row.get("snapshot")) if stream == "camera" else None
    if src is not None:
        item.append(html.Img(src=src, className="duty-snapshot"))
    return html.Div(item)


def evidence_view(
    found: dict[str, list[dict[str, Any]]], device: str, tz: ZoneInfo
) -> Component | None:
    """The evidence's history rows (`streams.alarms.evidence`) for `device`."""
    parts: list[Component] = []
    for stream, rows in found.items():
        if not rows:
            continue
        if stream == "energy":
            parts.append(_energy_graph(rows, tz))
            continue
        parts.extend(_evidence_line(stream, r, device, tz) for r in rows[:8])
    return html.Div(parts) if parts else None


def alarm_detail(
    engine: AlarmEngine,
    alarm_id: str,
    tz: ZoneInfo,
    lang: Lang,
    role: str = "kiosk",
) -> list[Component]:
    """The alarm's facts, journal and evidence; personal details (credentials,
    names) masked for the viewer's role (`dashboard.masking`)."""

    def read(conn: Any) -> tuple[Alarm | None, list[dict[str, Any]], dict[str, Any]]:
        alarm = store.get_alarm(conn, alarm_id)
        if alarm is None:
            return None, [], {}
        rows = store.journal(conn, alarm_id)
        found = evidence_rows(conn, dict(alarm.evidence), alarm.raised_at)
        return alarm, rows, found

    alarm, rows, found = engine.read(read)
    if alarm is None:
        return []
    facts = [
        (t("col_severity", lang), t(f"sev_{alarm.severity}", lang)),
        (t("col_state", lang), t(f"state_{alarm.state}", lang)),
        (t("col_source", lang), f"{alarm.source} · {alarm.area or '—'}"),
        (t("col_count", lang), str(alarm.count)),
        *(
            (str(k), str(v))
            for k, v in list(mask_details(role, alarm.details).items())[:8]
        ),
    ]
    if alarm.mode_reason:
        facts.append(("mode", alarm.mode_reason))
    device = str(alarm.evidence.get("device") or "")
    evidence = evidence_view(found, device, tz)
    return view.detail(alarm.message, facts, _journal_lines(rows, tz), evidence, lang)


MetricsPeriod = Literal["day", "week"]
METRICS_PERIODS: tuple[MetricsPeriod, ...] = ("day", "week")


def metrics_window(now: datetime, tz: ZoneInfo, period: MetricsPeriod) -> datetime:
    """Start of the metrics window: local midnight today, or 6 days before it."""
    midnight = now.astimezone(tz).replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight - timedelta(days=6) if period == "week" else midnight


def metrics_panel(
    engine: AlarmEngine,
    now: datetime,
    tz: ZoneInfo,
    lang: Lang,
    period: MetricsPeriod = "day",
) -> Component:
    """Figures of today or of the last 7 days, beside their targets."""
    start = metrics_window(now, tz, period)

    def read(conn: Any) -> Any:
        rows = store.journal_between(conn, start, now)
        return rows, store.floods(conn, start, now), store.open_alarms(conn)

    rows, floods, open_alarms = engine.read(read)
    result = alarm_metrics.compute(
        rows, floods, open_alarms, DEFAULT_CONSOLE, start, now
    )
    lines = [(f.key, f.text, f.target, f.verdict) for f in result.figures]
    return view.metrics_table(lines, lang)


def handover_lines(
    engine: AlarmEngine, tz: ZoneInfo, lang: Lang
) -> list[tuple[str, str | None]]:
    lines: list[tuple[str, str | None]] = []
    for h in engine.read(store.handovers):
        line = t(
            "handover_line",
            lang,
            at=_local(h["created_at"], tz),
            outgoing=h["outgoing"],
            n=len(h["open_alarms"]),
        )
        line += f" · {h['note']}" if h["note"] else ""
        taken = (
            t(
                "handover_taken",
                lang,
                at=_local(h["accepted_at"], tz),
                incoming=h["incoming"],
            )
            if h["accepted_at"]
            else t("handover_waiting", lang)
        )
        lines.append((line, taken))
    return lines  # fmt: skip


ALERT_JS = """
function(ids, alerted) {
    const known = window.__dutyKnown;
    const current = new Set(ids || []);
    window.__dutyKnown = current;
    if (known === undefined) { return window.dash_clientside.no_update; }
    const fresh = [...current].filter(function (i) { return !known.has(i); });
    if (!fresh.length) { return window.dash_clientside.no_update; }
    const audio = document.getElementById('duty-audio');
    try {
        const played = audio && audio.play();
        if (played && played.catch) { played.catch(function () {}); }
    } catch (e) {}
    document.body.classList.add('duty-flash');
    setTimeout(function () { document.body.classList.remove('duty-flash'); }, 1500);
    try {
        if ('Notification' in window && Notification.permission === 'granted') {
            new Notification('新报警 / new alarm', {body: fresh.length + ' 条'});
        }
    } catch (e) {}
    return (alerted || 0) + fresh.length;
}
"""

KEYS_JS = """
function(lang) {
    if (!window.__dutyKeys) {
        window.__dutyKeys = true;
        const buttons = {a: 'duty-ack', s: 'duty-shelve', u: 'duty-unshelve',
                         x: 'duty-clear'};
        document.addEventListener('keydown', function (ev) {
            const target = ev.target || {};
            const tag = (target.tagName || '').toLowerCase();
            const inCell = target.closest && target.closest('td.dash-cell');
            const typing = tag === 'input' || tag === 'textarea' || tag === 'select';
            if (typing && !inCell) { return; }
            if (ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
            const id = buttons[(ev.key || '').toLowerCase()];
            const button = id && document.getElementById(id);
            if (button) { ev.preventDefault(); button.click(); }
        });
        document.addEventListener('click', function () {
            try {
                if ('Notification' in window && Notification.permission === 'default') {
                    const asked = Notification.requestPermission();
                    if (asked && asked.catch) { asked.catch(function () {}); }
                }
            } catch (e) {}
        }, {once: true});
    }
    return Date.now();
}
"""
