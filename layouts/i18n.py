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
    # Wall screens (#3)
    "canteen": {"zh": "食堂就餐", "en": "Canteens"},
    "energy": {"zh": "能耗监测", "en": "Energy"},
    "security": {"zh": "安防态势", "en": "Security"},
    "traffic": {"zh": "交通与访客", "en": "Traffic & visitors"},
    "unknown_screen": {"zh": "未知大屏 {name}", "en": "Unknown screen {name}"},
    "vehicles_onsite": {"zh": "在园车辆", "en": "Vehicles on site"},
    "congestion": {"zh": "食堂排队", "en": "Canteen queues"},
    "alarms_active": {"zh": "活动告警", "en": "Active alarms"},
    "wall_alarms_pending": {"zh": "告警未接入", "en": "Alarms not connected"},
    "critical": {"zh": "紧急", "en": "Critical"},
    "major": {"zh": "重要", "en": "Major"},
    "minor": {"zh": "次要", "en": "Minor"},
    "notice": {"zh": "提示", "en": "Notice"},
    "usual_day": {"zh": "常日同期", "en": "usual day"},
    "baseline": {"zh": "基线", "en": "baseline"},
    "no_history_yet": {"zh": "无历史基线", "en": "no baseline yet"},
    "vs_usual": {"zh": "较常日 {pct}", "en": "{pct} vs usual"},
    "queue_people": {"zh": "{n} 人", "en": "{n} queuing"},
    "wait_est": {"zh": "约 {n} 分钟", "en": "~{n} min"},
    "queue_camera": {"zh": "排队区摄像机人数", "en": "queue camera count"},
    "forecast": {"zh": "15分钟拥堵预测", "en": "15-min forecast"},
    "forecast_pending": {
        "zh": "拥堵预测待接入（#4）",
        "en": "Forecast not connected yet (#4)",
    },
    "window_open": {"zh": "开放", "en": "open"},
    "window_closed": {"zh": "关闭", "en": "closed"},
    "meals_chart": {"zh": "今日就餐（每15分钟）", "en": "Meals today (per 15 min)"},
    "window_table": {"zh": "窗口状态", "en": "Serving windows"},
    "out_of_meal": {"zh": "非供餐时段", "en": "outside meal hours"},
    "electricity_kwh": {"zh": "今日用电量", "en": "Electricity today"},
    "carbon_today": {"zh": "今日碳排放", "en": "CO₂ today"},
    "pv_avoided": {"zh": "光伏减排", "en": "avoided by PV"},
    "grid_factor": {"zh": "排放因子", "en": "grid factor"},
    "pv_today": {"zh": "今日发电", "en": "generated today"},
    "buildings_power": {"zh": "各楼宇实时功率", "en": "Power per building"},
    "load_chart": {
        "zh": "今日负荷曲线（每15分钟，对比基线）",
        "en": "Load today (per 15 min, vs baseline)",
    },
    "gate_flow": {"zh": "各出入口通行（近1小时）", "en": "Gates, last hour"},
    "in": {"zh": "进", "en": "in"},
    "out": {"zh": "出", "en": "out"},
    "denied_today": {"zh": "今日拒绝通行", "en": "Denied today"},
    "cameras_online": {"zh": "摄像机在线", "en": "Cameras online"},
    "camera_events": {"zh": "今日视频分析事件", "en": "Camera events today"},
    "snapshots": {"zh": "最新抓拍", "en": "Latest snapshots"},
    "snapshots_pending": {
        "zh": "抓拍画面待接入（#6）",
        "en": "Snapshots not connected yet (#6)",
    },
    "parking": {"zh": "停车位占用", "en": "Parking occupancy"},
    "spaces_free": {"zh": "空余 {n} 个", "en": "{n} free"},
    "vehicle_entries": {"zh": "今日车辆入园", "en": "Vehicle entries today"},
    "visitors": {"zh": "今日访客", "en": "Visitors today"},
    "expected": {"zh": "预约", "en": "expected"},
    "arrived": {"zh": "已到", "en": "arrived"},
    "vehicle_chart": {
        "zh": "今日车辆进出（每15分钟）",
        "en": "Vehicles in / out today (per 15 min)",
    },
    "link_lost": {"zh": "与服务器连接中断", "en": "Connection lost"},
    "band_title": {"zh": "紧急告警", "en": "CRITICAL ALARM"},
    "more_alarms": {"zh": "另有 {n} 条", "en": "+{n} more"},
    "event_rate_last": {"zh": "事件/分钟", "en": "events/min"},
    "this_minute": {"zh": "本分钟已收", "en": "this minute"},
    "history_none": {"zh": "暂无历史数据", "en": "no history yet"},
    "last_15": {"zh": "近15分钟", "en": "last 15 min"},
    "wait_under_1": {"zh": "无需等待", "en": "no wait"},
    "state_col": {"zh": "状态", "en": "state"},
    "cost": {"zh": "费用", "en": "cost"},
    "lot_camera": {"zh": "车位摄像机计数", "en": "lot camera count"},
    "left_today": {"zh": "今日离园", "en": "left today"},
    "entered_today": {"zh": "今日入园", "en": "entered today"},
    "person_times": {"zh": "人次", "en": ""},
    "wait_col": {"zh": "等待(分)", "en": "wait (min)"},
}

# Duty console (/duty)
STRINGS.update(
    {
        "duty": {"zh": "值班台", "en": "Duty console"},
        "duty_operator": {
            "zh": "值班员：{name}（{role}）",
            "en": "Operator: {name} ({role})",
        },
        "view_active": {"zh": "当前报警", "en": "Active"},
        "view_shelved": {"zh": "已搁置", "en": "Shelved"},
        "view_suppressed": {"zh": "设计抑制", "en": "Suppressed"},
        "view_out_of_service": {"zh": "停用", "en": "Out of service"},
        "view_all": {"zh": "全部", "en": "All"},
        "col_severity": {"zh": "级别", "en": "Severity"},
        "col_state": {"zh": "状态", "en": "State"},
        "col_message": {"zh": "报警内容", "en": "Alarm"},
        "col_source": {"zh": "来源", "en": "Source"},
        "col_place": {"zh": "位置", "en": "Place"},
        "col_first": {"zh": "首次", "en": "First seen"},
        "col_last": {"zh": "最近", "en": "Last seen"},
        "col_count": {"zh": "次数", "en": "Count"},
        "col_age": {"zh": "持续", "en": "Age"},
        "col_assignee": {"zh": "处置人", "en": "Assignee"},
        "col_escalation": {"zh": "升级", "en": "Escalated"},
        "state_active_unack": {"zh": "未确认", "en": "Unacknowledged"},
        "state_active_ack": {"zh": "已确认", "en": "Acknowledged"},
        "state_cleared_unack": {"zh": "已恢复未确认", "en": "Cleared, unacked"},
        "state_shelved": {"zh": "已搁置", "en": "Shelved"},
        "state_suppressed": {"zh": "设计抑制", "en": "Suppressed"},
        "state_out_of_service": {"zh": "停用", "en": "Out of service"},
        "state_normal": {"zh": "已关闭", "en": "Closed"},
        "sev_critical": {"zh": "紧急", "en": "Critical"},
        "sev_major": {"zh": "重要", "en": "Major"},
        "sev_minor": {"zh": "次要", "en": "Minor"},
        "sev_notice": {"zh": "提示", "en": "Notice"},
        "btn_ack": {"zh": "确认 (A)", "en": "Acknowledge (A)"},
        "btn_shelve": {"zh": "搁置 (S)", "en": "Shelve (S)"},
        "btn_unshelve": {"zh": "解除搁置 (U)", "en": "Unshelve (U)"},
        "btn_clear": {"zh": "手动清除 (X)", "en": "Clear (X)"},
        "btn_assign": {"zh": "指派", "en": "Assign"},
        "btn_comment": {"zh": "备注", "en": "Comment"},
        "ph_reason": {"zh": "搁置原因 / 清除说明", "en": "Reason / note"},
        "ph_assignee": {"zh": "处置人姓名", "en": "Assignee"},
        "ph_comment": {"zh": "备注内容", "en": "Comment"},
        "minutes_n": {"zh": "{n} 分钟", "en": "{n} min"},
        "select_first": {"zh": "请先选择报警", "en": "Select an alarm first"},
        "done_n": {"zh": "{action}：成功 {n} 条", "en": "{action}: {n} done"},
        "refused": {"zh": "未执行：{reason}", "en": "Refused: {reason}"},
        "alarms_unavailable": {"zh": "报警数据不可用", "en": "Alarms unavailable"},
        "detail": {"zh": "报警详情与处置记录", "en": "Alarm detail and journal"},
        "evidence": {"zh": "相关证据", "en": "Evidence"},
        "metrics": {"zh": "报警系统绩效", "en": "Alarm performance"},
        "metrics_day": {"zh": "今日", "en": "Today"},
        "metrics_week": {"zh": "近7天", "en": "Last 7 days"},
        "metric": {"zh": "指标", "en": "Metric"},
        "value": {"zh": "数值", "en": "Value"},
        "target": {"zh": "目标", "en": "Target"},
        "m_per_10min": {"zh": "每10分钟报警", "en": "Alarms / 10 min"},
        "m_per_day": {"zh": "每日报警（折算）", "en": "Alarms / day (rate)"},
        "m_flood_pct": {"zh": "泛滥时间占比", "en": "Time in flood"},
        "m_chattering": {"zh": "振荡报警", "en": "Chattering"},
        "m_stale": {"zh": "陈旧报警(>24h)", "en": "Stale (>24 h)"},
        "m_top10": {"zh": "前10报警占比", "en": "Top-10 share"},
        "m_priority": {"zh": "优先级 低/中/高", "en": "Priority low/med/high"},
        "m_mtta": {"zh": "平均确认时间", "en": "MTTA"},
        "m_mttr": {"zh": "平均恢复时间", "en": "MTTR"},
        "handover": {"zh": "交接班", "en": "Shift handover"},
        "ph_handover": {
            "zh": "交班说明（未结报警将自动列入）",
            "en": "Handover note (open alarms are listed automatically)",
        },
        "btn_handover": {"zh": "提交交班", "en": "Hand over"},
        "btn_accept": {"zh": "接班确认", "en": "Take over"},
        "handover_saved": {"zh": "交班记录已保存", "en": "Handover saved"},
        "handover_accepted": {"zh": "已接班", "en": "Taken over"},
        "handover_none": {"zh": "没有待接班记录", "en": "No handover waiting"},
        "handover_line": {
            "zh": "{at} {outgoing} 交班（未结 {n} 条）",
            "en": "{at} {outgoing} handed over ({n} open)",
        },
        "handover_taken": {
            "zh": "{at} {incoming} 已接班",
            "en": "{at} taken by {incoming}",
        },
        "handover_waiting": {"zh": "待接班", "en": "waiting"},
        "flood_banner": {"zh": "报警泛滥中", "en": "ALARM FLOOD"},
        "keys_help": {
            "zh": "快捷键：↑↓ 选择 · A 确认 · S 搁置 · U 解除搁置 · X 清除",
            "en": "Keys: ↑↓ select · A ack · S shelve · U unshelve · X clear",
        },
    }
)

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
