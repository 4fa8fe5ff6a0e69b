"""The briefing's tables and lists as text, shared by the page and the PDF: building
and canteen portraits, top incidents with what operators did, data quality. Pure."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from layouts.briefing.model import Briefing
from layouts.briefing.text import kind_name, minutes, number, signed_pct, spark
from layouts.i18n import DEFAULT_LANG, Lang, t

Table = tuple[list[str], list[list[str]]]


KPI_COLUMNS = (
    "b_metric",
    "b_value",
    "b_previous",
    "b_change",
    "b_last_year",
    "b_year_change",
)


def kpi_header(lang: Lang = DEFAULT_LANG) -> list[str]:
    """The KPI table's column titles (page and PDF alike)."""
    return [t(k, lang) for k in KPI_COLUMNS]


def _share(share: float | None) -> str:
    return "—" if share is None else f"{100 * share:.0f}%"


def building_table(briefing: Briefing, lang: Lang = DEFAULT_LANG) -> Table:
    """Header and rows of the building portraits, by rank (page and PDF)."""
    keys = ("b_rank", "b_sec_buildings", "b_electricity", "b_kwh_m2",
            "b_kwh_occupant", "b_after_hours", "b_trend", "b_daily")  # fmt: skip
    rows = [
        [str(b.rank), b.name, f"{number(b.kwh)} kWh", f"{b.kwh_per_m2:.2f}",
         number(b.kwh_per_occupant, 1), _share(b.after_hours_share),
         signed_pct(b.change_pct), spark(b.daily)]
        for b in sorted(briefing.buildings, key=lambda b: b.rank)
    ]  # fmt: skip
    return [t(k, lang) for k in keys], rows


def canteen_table(briefing: Briefing, lang: Lang = DEFAULT_LANG) -> Table:
    """Header and rows of the canteen portraits, by rank (page and PDF)."""
    keys = ("b_rank", "b_sec_canteens", "b_meals", "b_by_meal", "b_revenue",
            "b_peak_queue", "b_peak_wait", "b_busiest", "b_trend",
            "b_daily")  # fmt: skip
    rows = [
        [str(c.rank), c.name, number(c.meals), "/".join(str(n) for _, n in c.by_meal),
         f"¥{number(c.revenue_yuan)}", number(c.peak_queue),
         minutes(c.peak_wait_min, lang),
         c.busiest_day.strftime("%m-%d") if c.busiest_day else "—",
         signed_pct(c.change_pct), spark([float(n) for n in c.daily])]
        for c in sorted(briefing.canteens, key=lambda c: c.rank)
    ]  # fmt: skip
    return [t(k, lang) for k in keys], rows


def incident_lines(briefing: Briefing, lang: Lang) -> list[str]:
    tz = briefing.timezone
    lines = []
    for incident in briefing.incidents:
        at = _local(incident.at, tz)
        lines.append(f"● {at} {kind_name(incident.kind, lang)} · {incident.message}")
        done = [
            f"{_local(a, tz)} {who} {what} {note}".rstrip()
            for a, who, what, note in incident.actions
        ]
        closed = incident.closed_at
        end = (
            t("b_closed", lang, at=_local(closed, tz)) if closed else t("b_open", lang)
        )
        lines.append("   " + "；".join([*(done or [t("b_no_action", lang)]), end]))
    return lines


def quality_lines(briefing: Briefing, lang: Lang) -> list[str]:
    q = briefing.quality
    dead = "—" if q.dead_letters is None else str(q.dead_letters)
    if q.dead_letters_partial:
        dead = t("b_at_least", lang, n=dead)
    none = t("b_none", lang)
    return [
        f"{t('b_dead_letters', lang)}: {dead}",
        f"{t('b_offline', lang)}: {'、'.join(q.offline_devices) or none}",
        f"{t('b_silent', lang)}: {'、'.join(q.silent_devices) or none}",
    ]


def _local(moment: datetime, tz: str) -> str:
    return moment.astimezone(ZoneInfo(tz)).strftime("%m-%d %H:%M")
