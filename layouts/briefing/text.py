"""The briefing's narrative: a few sentences generated from its numbers by templates
(`layouts.i18n`, Chinese by default, English on request). Pure; no AI service."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from layouts.briefing.model import Briefing, BuildingPortrait, Kpi
from layouts.i18n import DEFAULT_LANG, Lang, t


def number(value: float | None, digits: int = 0) -> str:
    """1,234 / 1,234.5; '—' for no value."""
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


def kpi_text(kpi: Kpi) -> str:
    text = number(kpi.value, kpi.digits)
    return f"{text} {kpi.unit}".strip() if kpi.value is not None else text


SPARKS = "▁▂▃▄▅▆▇█"


def spark(values: Sequence[float]) -> str:
    """A text sparkline of daily values (one block per day, scaled to the largest)."""
    top = max(values, default=0.0)
    if len(values) < 2 or top <= 0:
        return ""
    return "".join(SPARKS[min(7, int(8 * max(0.0, v) / top))] for v in values)


def signed_pct(value: float | None) -> str:
    return "—" if value is None else f"{value:+.1f}%"


def minutes(value: float | None, lang: Lang) -> str:
    if value is None:
        return "—"
    return f"{value:.1f} 分钟" if lang == "zh" else f"{value:.1f} min"


def period_label(kind: str, start: date, end: date, lang: Lang = DEFAULT_LANG) -> str:
    """2026年6月8日 至 2026年6月14日 / 2026-06-08 to 2026-06-14."""
    last = end - timedelta(days=1)
    if kind == "day":
        return _date(start, lang)
    return t("b_period_range", lang, a=_date(start, lang), b=_date(last, lang))


def _date(day: date, lang: Lang) -> str:
    return day.isoformat() if lang == "en" else f"{day.year}年{day.month}月{day.day}日"


def title(briefing: Briefing, lang: Lang = DEFAULT_LANG) -> str:
    return t(
        "b_title", lang, site=briefing.site_name, kind=t(f"b_{briefing.kind}", lang)
    )


def _driver(briefing: Briefing) -> BuildingPortrait | None:
    """The building whose electricity changed most against the previous period."""
    moved = [b for b in briefing.buildings if b.change_pct is not None]
    if not moved:
        return None
    return max(moved, key=lambda b: (abs(_delta(b)), b.id))


def _delta(building: BuildingPortrait) -> float:
    if building.change_pct is None or building.change_pct == -100:
        return 0.0
    before = building.kwh / (1 + building.change_pct / 100)
    return building.kwh - before


def _energy(briefing: Briefing, lang: Lang) -> list[str]:
    kwh, water = briefing.kpi("b_electricity"), briefing.kpi("b_water")
    span = t(f"n_span_{briefing.kind}", lang)
    change = kwh.change_pct
    if change is None:
        return [
            t(
                "n_energy_flat",
                lang,
                span=span,
                kwh=number(kwh.value),
                water=number(water.value, 1),
            )
        ]
    sentences = [
        t(
            "n_energy",
            lang,
            span=span,
            kwh=number(kwh.value),
            prev=t(f"n_prev_{briefing.kind}", lang),
            dir=t("n_up" if change >= 0 else "n_down", lang),
            pct=f"{abs(change):.1f}",
            water=number(water.value, 1),
        )
    ]
    driver = _driver(briefing)
    if driver is not None and driver.change_pct is not None:
        sentences.append(
            t(
                "n_driver",
                lang,
                building=driver.name,
                delta=f"{_delta(driver):+,.0f}",
                pct=f"{driver.change_pct:+.1f}",
                share=number(100 * (driver.after_hours_share or 0.0)),
            )
        )
    return sentences


def _people(briefing: Briefing, lang: Lang) -> list[str]:
    k = briefing.kpi
    sentences = [
        t(
            "n_people",
            lang,
            people=number(k("b_people").value),
            visitors=number(k("b_visitors").value),
            vehicles=number(k("b_vehicles").value),
            meals=number(k("b_meals").value),
        )
    ]
    waits = [c for c in briefing.canteens if c.peak_wait_min is not None]
    if waits:
        worst = max(waits, key=lambda c: (c.peak_wait_min or 0.0, c.id))
        sentences.append(
            t(
                "n_wait",
                lang,
                canteen=worst.name,
                queue=worst.peak_queue,
                wait=f"{worst.peak_wait_min:.0f}",
            )
        )
    if k("b_kwh_person").value is not None:
        sentences.append(
            t(
                "n_intensity",
                lang,
                kp=number(k("b_kwh_person").value, 1),
                wp=number(k("b_water_person").value, 0),
                km=number(k("b_kwh_meal").value, 2),
            )
        )
    return sentences


def _pv(briefing: Briefing, lang: Lang) -> str:
    k = briefing.kpi
    carbon = k("b_carbon").value
    return t(
        "n_pv",
        lang,
        pv=number(k("b_pv").value),
        sc=number(k("b_pv_self").value, 1),
        co2=number(None if carbon is None else carbon / 1000, 1),
        factor=f"{briefing.grid_kg_co2_per_kwh:.4f}",
    )


def _alarms(briefing: Briefing, lang: Lang) -> str:
    if not briefing.alarm_kinds:
        return t("n_no_alarms", lang)
    top = briefing.alarm_kinds[0]
    k = briefing.kpi
    return t(
        "n_alarms",
        lang,
        n=number(k("b_alarms").value),
        kind=kind_name(top.kind, lang),
        top=top.count,
        mtta=minutes(k("b_mtta").value, lang),
        mttr=minutes(k("b_mttr").value, lang),
        level=t(f"eemua_{briefing.eemua_level}", lang),
    )


def _quality(briefing: Briefing, lang: Lang) -> str:
    q = briefing.quality
    dead = "—" if q.dead_letters is None else str(q.dead_letters)
    if q.dead_letters_partial:
        dead = t("b_at_least", lang, n=dead)
    return t(
        "n_quality",
        lang,
        dead=dead,
        offline=len(q.offline_devices),
        silent=len(q.silent_devices),
    )


def _coverage(briefing: Briefing, lang: Lang) -> list[str]:
    """Say so when a period is not fully covered by data (a period in progress, an
    outage, history that starts inside it): its figures are partial."""
    sentences = []
    have, days = briefing.coverage
    if have < days:
        sentences.append(t("n_coverage", lang, n=have, total=days))
    if briefing.previous_coverage is not None:
        have, days = briefing.previous_coverage
        if have < days:
            sentences.append(t("n_prev_coverage", lang, n=have, total=days))
    return sentences


def narrative(briefing: Briefing, lang: Lang = DEFAULT_LANG) -> list[str]:
    """The summary paragraph as sentences, in order."""
    return [
        *_coverage(briefing, lang),
        *_energy(briefing, lang),
        *_people(briefing, lang),
        _pv(briefing, lang),
        _alarms(briefing, lang),
        _quality(briefing, lang),
    ]


KIND_NAMES_ZH: dict[str, str] = {
    "canteen_congestion": "食堂拥堵",
    "sustained_excess": "持续超用",
    "after_hours_load": "非办公时段用电",
    "load_spike": "负荷尖峰",
    "water_leak": "疑似漏水",
    "pv_under_yield": "光伏发电偏低",
    "meter_silent": "表计无数据",
    "meter_stuck": "表计读数卡滞",
    "meter_reset": "表计归零",
    "tailgating": "尾随通行",
    "anti_passback": "反潜回",
    "denied_burst": "连续拒绝通行",
    "blacklist_hit": "黑名单命中",
    "after_hours_entry": "非工作时间入园",
    "visitor_no_appointment": "访客无预约",
    "visitor_outside_window": "访客超出预约时段",
    "visitor_overstay": "访客逾时未离",
    "camera_offline": "摄像机离线",
    "gate_offline": "闸机离线",
    "meter_offline": "表计离线",
    "pos_offline": "收银机离线",
    "booking_offline": "预约系统离线",
}


def kind_name(kind: str, lang: Lang = DEFAULT_LANG) -> str:
    """Chinese name of an alarm kind (the kind id itself in English)."""
    return KIND_NAMES_ZH.get(kind, kind) if lang == "zh" else kind.replace("_", " ")
