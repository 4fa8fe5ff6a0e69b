"""The overview layout: the compound at a glance (综合态势), read from 5 m.

Its tile bodies; which tiles, in which order: `layouts.wall.catalog`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dash.development.base_component import Component

from layouts import ids
from layouts.i18n import DEFAULT_LANG, Lang, t
from layouts.wall.tiles import (
    Freshness,
    Part,
    format_number,
    format_power,
    kpi_body,
    note,
    pending_body,
)

SUBJECTS = ("staff", "visitor", "vehicle")
SEVERITIES = ("critical", "major", "minor", "notice")


def percent_change(now: float, usual: float | None, lang: Lang) -> str:
    """'较常日 +12%' (or 'no baseline yet' when there is no usual value)."""
    if usual is None or usual <= 0:
        return t("no_history_yet", lang)
    return t("vs_usual", lang, pct=f"{100 * (now - usual) / usual:+.0f}%")


def people_body(
    onsite: Mapping[str, int], fresh: Freshness, lang: Lang = DEFAULT_LANG
) -> list[Component]:
    people = onsite.get("staff", 0) + onsite.get("visitor", 0)
    parts = [Part(t(s, lang), format_number(onsite.get(s, 0))) for s in SUBJECTS[:2]]
    tid = ids.OVERVIEW_PEOPLE_ONSITE
    return kpi_body(
        tid, format_number(people), t("people_unit", lang), fresh, lang, parts
    )


def vehicles_body(
    vehicles: int, capacity: int, fresh: Freshness, lang: Lang = DEFAULT_LANG
) -> list[Component]:
    free = max(0, capacity - vehicles)
    parts = [Part(t("parking", lang), f"{vehicles} / {capacity}")]
    parts.append(Part(t("spaces_free", lang, n=free), "", alert=free == 0))
    tid = ids.OVERVIEW_VEHICLES_ONSITE
    return kpi_body(tid, format_number(vehicles), "", fresh, lang, parts)


def entries_body(
    entries: Mapping[str, int],
    denied: int,
    usual: Mapping[str, float] | None,
    fresh: Freshness,
    lang: Lang = DEFAULT_LANG,
) -> list[Component]:
    """Entries by kind today; each compared with a usual day up to the same time."""
    total = sum(entries.get(s, 0) for s in SUBJECTS)
    parts = [Part(t(s, lang), format_number(entries.get(s, 0))) for s in SUBJECTS]
    parts.append(Part(t("denied", lang), format_number(denied), alert=denied > 0))
    tid = ids.OVERVIEW_ENTRIES_TODAY
    body = kpi_body(
        tid, format_number(total), t("count_unit", lang), fresh, lang, parts, 2
    )
    usual_total = None if usual is None else sum(usual.values())
    body.insert(1, note(percent_change(total, usual_total, lang)))
    return body


def meals_body(
    by_canteen: Sequence[tuple[str, int]],
    windows_open: tuple[int, int],
    fresh: Freshness,
    lang: Lang = DEFAULT_LANG,
) -> list[Component]:
    total = sum(n for _, n in by_canteen)
    parts = [Part(name, format_number(n)) for name, n in by_canteen]
    parts.append(
        Part(t("windows_open", lang), f"{windows_open[0]} / {windows_open[1]}")
    )
    tid = ids.OVERVIEW_MEALS_TODAY
    return kpi_body(
        tid, format_number(total), t("meals_unit", lang), fresh, lang, parts
    )


def power_body(
    total_kw: float,
    baseline_kw: float | None,
    by_building: Sequence[tuple[str, float]],
    fresh: Freshness,
    lang: Lang = DEFAULT_LANG,
) -> list[Component]:
    parts = [Part(name, format_power(kw)) for name, kw in by_building]
    tid = ids.OVERVIEW_POWER_NOW
    body = kpi_body(tid, format_power(total_kw), "kW", fresh, lang, parts, columns=3)
    text = percent_change(total_kw, baseline_kw, lang)
    if baseline_kw is not None:
        text = f"{t('baseline', lang)} {format_power(baseline_kw)} kW · {text}"
    body.insert(1, note(text))
    return body


def quantity_body(
    tile_id: str,
    value: float,
    unit: str,
    decimals: int,
    fresh: Freshness,
    lang: Lang = DEFAULT_LANG,
    parts: Sequence[Part] = (),
) -> list[Component]:
    """A single quantity (kW, m³, kWh) with an optional breakdown."""
    return kpi_body(tile_id, format_number(value, decimals), unit, fresh, lang, parts)


def alarms_body(
    counts: Mapping[str, int] | None, fresh: Freshness, lang: Lang = DEFAULT_LANG
) -> list[Component]:
    """Open alarms by severity; a dash and a note while the alarm feed is absent."""
    tid = ids.OVERVIEW_ALARMS
    if counts is None:
        return pending_body(tid, t("wall_alarms_pending", lang))
    total = sum(counts.get(s, 0) for s in SEVERITIES)
    parts = [
        Part(
            t(s, lang),
            format_number(counts.get(s, 0)),
            alert=s == "critical" and counts.get(s, 0) > 0,
        )
        for s in SEVERITIES
    ]
    return kpi_body(
        tid, format_number(total), t("item_unit", lang), fresh, lang, parts, 2
    )


def devices_body(
    online: int,
    total: int,
    rate: tuple[int, int],
    dead_letters: int,
    fresh: Freshness,
    lang: Lang = DEFAULT_LANG,
) -> list[Component]:
    """Online %, then events in the last whole minute and so far this minute."""
    pct = 100 * online / total if total else None
    parts = [
        Part(t("online_of", lang, online=online, total=total), ""),
        Part(t("event_rate_last", lang), format_number(rate[0])),
        Part(t("this_minute", lang), format_number(rate[1])),
        Part(
            t("dead_letters", lang), format_number(dead_letters), alert=dead_letters > 0
        ),
    ]
    tid = ids.OVERVIEW_DEVICES_ONLINE
    return kpi_body(tid, format_number(pct, 1), "%", fresh, lang, parts)
