"""UI strings: Simplified Chinese by default, English on request (``?lang=en``)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
DEFAULT_LANG: Lang = "zh"

STRINGS: dict[str, dict[Lang, str]] = {
    "app_title": {"zh": "智慧机关运营中心", "en": "Jiguan IOC"},
    "overview": {"zh": "综合态势", "en": "Overview"},
    "screens": {"zh": "大屏列表", "en": "Wall screens"},
    "people_onsite": {"zh": "在园人数", "en": "People on site"},
    "entries_today": {"zh": "今日入园", "en": "Entries today"},
    "meals_today": {"zh": "今日就餐", "en": "Meals today"},
    "power_now": {"zh": "当前用电功率", "en": "Power now"},
    "pv_now": {"zh": "光伏发电", "en": "Solar PV now"},
    "water_today": {"zh": "今日用水", "en": "Water today"},
    "electricity_today": {"zh": "今日用电", "en": "Electricity today"},
    "devices_online": {"zh": "设备在线率", "en": "Devices online"},
    "dead_letters": {"zh": "数据异常", "en": "Rejected messages"},
    "event_rate": {"zh": "事件/分钟", "en": "Events / min"},
    "gate_chart": {
        "zh": "今日入园趋势（每15分钟）",
        "en": "Entries today (per 15 min)",
    },
    "staff": {"zh": "职工", "en": "Staff"},
    "visitor": {"zh": "访客", "en": "Visitors"},
    "vehicle": {"zh": "车辆", "en": "Vehicles"},
    "denied": {"zh": "拒绝通行", "en": "Denied"},
    "windows_open": {"zh": "开放窗口", "en": "Windows open"},
    "hvac": {"zh": "空调", "en": "HVAC"},
    "online_of": {
        "zh": "在线 {online} / {total} 台",
        "en": "{online} of {total} online",
    },
    "since_start": {"zh": "累计拒收消息", "en": "refused since start"},
    "people_unit": {"zh": "人", "en": ""},
    "meals_unit": {"zh": "份", "en": ""},
    "count_unit": {"zh": "次", "en": ""},
    "item_unit": {"zh": "条", "en": ""},
    "age_seconds": {"zh": "{n} 秒前更新", "en": "updated {n} s ago"},
    "age_minutes": {"zh": "{n} 分钟前更新", "en": "updated {n} min ago"},
    "stale": {"zh": "数据中断 {time}", "en": "feed stopped {time}"},
    "no_data": {"zh": "暂无数据", "en": "no data yet"},
    "live_unavailable": {"zh": "实时数据不可用", "en": "Live data unavailable"},
    "history_unavailable": {"zh": "历史数据不可用", "en": "History unavailable"},
    "loading": {"zh": "加载中…", "en": "Loading…"},
}

WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


def valid_lang(value: object) -> Lang:
    """A client-supplied language, or the default when it is not one we serve."""
    return "en" if value == "en" else DEFAULT_LANG


def t(key: str, lang: Lang = DEFAULT_LANG, **values: object) -> str:
    """The string for `key` in `lang`, with ``{name}`` placeholders filled."""
    text = STRINGS[key][lang]
    return text.format(**values) if values else text


def format_date(moment: datetime, lang: Lang = DEFAULT_LANG) -> str:
    """2025年5月12日 星期一 / Mon 12 May 2025 (local time already applied)."""
    if lang == "en":
        return moment.strftime("%a %d %b %Y")
    weekday = WEEKDAYS_ZH[moment.weekday()]
    return f"{moment.year}年{moment.month}月{moment.day}日 {weekday}"


def format_age(
    age_s: float | None,
    stale_after_s: float,
    last_time: str | None,
    lang: Lang = DEFAULT_LANG,
) -> tuple[str, bool]:
    """The data-age line and whether the data is stale (older than `stale_after_s`)."""
    if age_s is None:
        return t("no_data", lang), True
    if age_s > stale_after_s:
        return t("stale", lang, time=last_time or "--:--"), True
    seconds = max(0, int(age_s))
    if seconds < 120:
        return t("age_seconds", lang, n=seconds), False
    return t("age_minutes", lang, n=seconds // 60), False
