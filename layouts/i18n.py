"""UI strings: Simplified Chinese by default, English on request (``?lang=en``)."""

from __future__ import annotations

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
    "devices_online": {"zh": "设备在线率", "en": "Devices online"},
    "dead_letters": {"zh": "数据异常", "en": "Rejected messages"},
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
        "zh": "拥堵预测未接入（检测服务未发布）",
        "en": "Forecast not connected (detector not publishing)",
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
    "band_title": {"zh": "紧急告警", "en": "CRITICAL ALARM"},
    "more_alarms": {"zh": "另有 {n} 条", "en": "+{n} more"},
    "event_rate_last": {"zh": "事件/分钟", "en": "events/min"},
    "this_minute": {"zh": "本分钟已收", "en": "this minute"},
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


def valid_lang(value: object) -> Lang:
    """A client-supplied language, or the default when it is not one we serve."""
    return "en" if value == "en" else DEFAULT_LANG


def t(key: str, lang: Lang = DEFAULT_LANG, **values: object) -> str:
    """The string for `key` in `lang`, with ``{name}`` placeholders filled."""
    text = STRINGS[key][lang]
    return text.format(**values) if values else text


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


# Leadership briefings (#7) and the energy-intensity tile (#4).
STRINGS.update(
    {
        "briefing": {"zh": "领导简报", "en": "Leadership briefing"},
        "b_day": {"zh": "日报", "en": "Daily"},
        "b_week": {"zh": "周报", "en": "Weekly"},
        "b_month": {"zh": "月报", "en": "Monthly"},
        "b_earlier": {"zh": "◀ 上一期", "en": "◀ Earlier"},
        "b_later": {"zh": "下一期 ▶", "en": "Later ▶"},
        "b_print": {"zh": "打印", "en": "Print"},
        "b_export": {"zh": "生成 PDF 并归档", "en": "Generate PDF to archive"},
        "b_exported": {"zh": "已归档：{name}", "en": "Archived: {name}"},
        "b_export_failed": {"zh": "生成失败", "en": "Generation failed"},
        "b_export_busy": {
            "zh": "另一份简报正在生成，请稍后再试",
            "en": "Another briefing is being generated; try again shortly",
        },
        "b_unavailable": {"zh": "历史数据不可用", "en": "History unavailable"},
        "b_archive": {"zh": "简报归档", "en": "Archive"},
        "b_archive_empty": {"zh": "暂无归档", "en": "Nothing archived yet"},
        "b_summary": {"zh": "摘要", "en": "Summary"},
        "b_sec_kpis": {"zh": "关键指标", "en": "Key figures"},
        "b_sec_charts": {"zh": "趋势", "en": "Trends"},
        "b_sec_buildings": {"zh": "楼宇画像", "en": "Buildings"},
        "b_sec_canteens": {"zh": "食堂画像", "en": "Canteens"},
        "b_sec_alarms": {"zh": "报警统计（ISA-18.2）", "en": "Alarms (ISA-18.2)"},
        "b_sec_incidents": {"zh": "重点事件及处置", "en": "Top incidents and actions"},
        "b_sec_quality": {"zh": "数据质量", "en": "Data quality"},
        "b_metric": {"zh": "指标", "en": "Figure"},
        "b_value": {"zh": "本期", "en": "This period"},
        "b_previous": {"zh": "上期", "en": "Previous"},
        "b_change": {"zh": "环比", "en": "vs prev."},
        "b_last_year": {"zh": "去年同期", "en": "Last year"},
        "b_year_change": {"zh": "同比", "en": "vs last yr"},
        "b_target": {"zh": "目标", "en": "Target"},
        "b_count": {"zh": "次数", "en": "Count"},
        "b_kind": {"zh": "类型", "en": "Kind"},
        "b_rank": {"zh": "排名", "en": "Rank"},
        "b_trend": {"zh": "环比", "en": "Trend"},
        "b_after_hours": {"zh": "非办公时段占比", "en": "After hours"},
        "b_kwh_m2": {"zh": "单位面积用电", "en": "kWh per m²"},
        "b_kwh_occupant": {"zh": "人均用电", "en": "kWh per occupant"},
        "b_by_meal": {"zh": "早/午/晚", "en": "Breakfast/lunch/dinner"},
        "b_revenue": {"zh": "营业额", "en": "Revenue"},
        "b_peak_queue": {"zh": "最长排队", "en": "Peak queue"},
        "b_busiest": {"zh": "最忙一天", "en": "Busiest day"},
        "b_daily": {"zh": "逐日走势", "en": "Day by day"},
        "b_eemua": {"zh": "EEMUA 191 等级", "en": "EEMUA 191 level"},
        "eemua_overloaded": {"zh": "超负荷", "en": "overloaded"},
        "eemua_reactive": {"zh": "被动应对", "en": "reactive"},
        "eemua_stable": {"zh": "稳定", "en": "stable"},
        "eemua_predictive": {"zh": "预见性", "en": "predictive"},
        "b_no_incidents": {"zh": "本期无报警事件", "en": "No alarms in this period"},
        "b_no_action": {"zh": "无人工处置记录", "en": "No operator action recorded"},
        "b_closed": {"zh": "{at} 恢复正常", "en": "back to normal {at}"},
        "b_open": {"zh": "尚未关闭", "en": "still open"},
        "b_dead_letters": {"zh": "死信（被拒消息）", "en": "Dead letters"},
        "b_offline": {"zh": "曾报告离线的设备", "en": "Devices that reported offline"},
        "b_silent": {"zh": "全期无数据的设备", "en": "Devices never heard"},
        "b_none": {"zh": "无", "en": "none"},
        "b_at_least": {"zh": "至少 {n}", "en": "at least {n}"},
        "b_chart_energy": {"zh": "用电量 kWh（本期 / 上期）", "en": "Electricity kWh"},
        "b_chart_meals": {"zh": "就餐人次（本期 / 上期）", "en": "Meals served"},
        "b_chart_alarms": {"zh": "报警按类型", "en": "Alarms by kind"},
        "b_chart_buildings": {"zh": "楼宇单位面积用电 kWh/m²", "en": "kWh per m²"},
        "b_this": {"zh": "本期", "en": "this period"},
        "b_people": {"zh": "在园人次", "en": "People on site (person-days)"},
        "b_visitors": {"zh": "访客人次", "en": "Visitors"},
        "b_vehicles": {"zh": "车辆（辆次）", "en": "Vehicles"},
        "b_denied": {"zh": "拒绝通行", "en": "Denied passes"},
        "b_appointments": {"zh": "访客预约", "en": "Appointments"},
        "b_meals": {"zh": "就餐人次", "en": "Meals served"},
        "b_peak_wait": {"zh": "高峰排队（估计）", "en": "Peak wait (est.)"},
        "b_electricity": {"zh": "用电量", "en": "Electricity"},
        "b_water": {"zh": "用水量", "en": "Water"},
        "b_pv": {"zh": "光伏发电", "en": "Solar PV"},
        "b_pv_self": {"zh": "光伏自发自用率", "en": "PV self-consumption"},
        "b_carbon": {"zh": "用电碳排放", "en": "Carbon (electricity)"},
        "b_kwh_person": {"zh": "人均用电", "en": "kWh per person"},
        "b_water_person": {"zh": "人均用水", "en": "Water per person"},
        "b_kwh_meal": {"zh": "餐均用电", "en": "kWh per meal"},
        "b_water_meal": {"zh": "餐均用水", "en": "Water per meal"},
        "b_alarms": {"zh": "报警次数", "en": "Alarms"},
        "b_mtta": {"zh": "平均确认时间", "en": "MTTA"},
        "b_mttr": {"zh": "平均恢复时间", "en": "MTTR"},
        "b_title": {"zh": "{site} {kind}", "en": "{site} · {kind} briefing"},
        "b_period_day": {"zh": "{d}", "en": "{d}"},
        "b_period_range": {"zh": "{a} 至 {b}", "en": "{a} to {b}"},
        "b_page": {"zh": "第 {n} 页 / 共 {total} 页", "en": "Page {n} of {total}"},
        "n_span_day": {"zh": "当日", "en": "On the day"},
        "n_span_week": {"zh": "本周", "en": "This week"},
        "n_span_month": {"zh": "本月", "en": "This month"},
        "n_prev_day": {"zh": "前一日", "en": "the day before"},
        "n_prev_week": {"zh": "上周", "en": "last week"},
        "n_prev_month": {"zh": "上月", "en": "last month"},
        "n_up": {"zh": "上升", "en": "up"},
        "n_down": {"zh": "下降", "en": "down"},
        "n_energy": {
            "zh": "{span}用电 {kwh} kWh，较{prev}{dir} {pct}%；用水 {water} m³。",
            "en": "{span} electricity was {kwh} kWh, {dir} {pct}% on {prev};"
            " water {water} m³.",
        },
        "n_energy_flat": {
            "zh": "{span}用电 {kwh} kWh，用水 {water} m³（无上期数据可比）。",
            "en": "{span} electricity was {kwh} kWh and water {water} m³"
            " (no earlier period to compare).",
        },
        "n_driver": {
            "zh": "变化主要来自{building}（{delta} kWh，{pct}%），"
            "其非办公时段用电占 {share}%。",
            "en": "Most of the change came from {building} ({delta} kWh, {pct}%),"
            " which used {share}% of its electricity after hours.",
        },
        "n_people": {
            "zh": "在园 {people} 人次（访客 {visitors}、车辆 {vehicles}），"
            "就餐 {meals} 人次。",
            "en": "{people} person-days on site ({visitors} visitors,"
            " {vehicles} vehicles); {meals} meals served.",
        },
        "n_wait": {
            "zh": "{canteen}高峰排队约 {queue} 人，估计等待 {wait} 分钟。",
            "en": "{canteen} peaked at about {queue} people queuing,"
            " an estimated {wait} min wait.",
        },
        "n_intensity": {
            "zh": "人均用电 {kp} kWh、人均用水 {wp} L；餐均用电 {km} kWh。",
            "en": "Per person: {kp} kWh and {wp} L of water; per meal {km} kWh.",
        },
        "n_pv": {
            "zh": "光伏发电 {pv} kWh，自发自用率 {sc}%；用电碳排放 {co2} t CO₂"
            "（电网因子 {factor} kg/kWh）。",
            "en": "Solar PV produced {pv} kWh ({sc}% used on site); electricity"
            " emitted {co2} t CO₂ (grid factor {factor} kg/kWh).",
        },
        "n_alarms": {
            "zh": "报警 {n} 次，以{kind}最多（{top} 次）；平均确认 {mtta}，"
            "平均恢复 {mttr}；EEMUA 191 等级：{level}。",
            "en": "{n} alarms, most of them {kind} ({top}); MTTA {mtta},"
            " MTTR {mttr}; EEMUA 191 level: {level}.",
        },
        "n_no_alarms": {"zh": "期间无报警。", "en": "No alarms were raised."},
        "n_coverage": {
            "zh": "注意：本期仅 {n}/{total} 天有数据，以下为不完整统计。",
            "en": "Note: only {n} of {total} days of this period have data;"
            " the figures are partial.",
        },
        "n_prev_coverage": {
            "zh": "上期仅 {n}/{total} 天有数据，环比仅供参考。",
            "en": "Only {n} of {total} days of the previous period have data;"
            " treat the comparison with care.",
        },
        "n_quality": {
            "zh": "数据质量：死信 {dead} 条，{offline} 台设备曾离线，"
            "{silent} 台设备全期无数据。",
            "en": "Data quality: {dead} dead letters, {offline} devices reported"
            " offline, {silent} never heard.",
        },
        "intensity_today": {"zh": "今日人均能耗", "en": "Per person today"},
        "intensity_unit": {"zh": "kWh/人", "en": "kWh/person"},
        "intensity_per_meal": {"zh": "餐均用电", "en": "Per meal"},
        "intensity_people": {"zh": "在园人数", "en": "People today"},
        "intensity_water": {"zh": "人均用水", "en": "Water per person"},
        "intensity_none": {"zh": "今日尚无入园记录", "en": "No entries yet today"},
    }
)


# Access control, masking and the admin page (#8; docs/security.md).
STRINGS.update(
    {
        "login_title": {"zh": "登录", "en": "Sign in"},
        "login_username": {"zh": "用户名", "en": "User name"},
        "login_password": {"zh": "密码", "en": "Password"},
        "login_submit": {"zh": "登录", "en": "Sign in"},
        "login_bad": {"zh": "用户名或密码错误", "en": "Wrong user name or password"},
        "login_locked": {
            "zh": "登录失败次数过多，账户已临时锁定，请稍后再试",
            "en": "Too many failed sign-ins: the account is locked for a while",
        },
        "login_rate": {
            "zh": "登录尝试过于频繁，请一分钟后再试",
            "en": "Too many attempts: try again in a minute",
        },
        "login_expired": {
            "zh": "登录页已过期，请重新提交",
            "en": "The sign-in form expired: please submit again",
        },
        "logout": {"zh": "退出登录", "en": "Sign out"},
        "logout_confirm": {"zh": "确定退出登录吗？", "en": "Sign out of Jiguan IOC?"},
        "signed_in_as": {"zh": "当前用户：{name}（{role}）", "en": "{name} ({role})"},
        "role_kiosk": {"zh": "大屏", "en": "Kiosk"},
        "role_duty": {"zh": "值班员", "en": "Duty officer"},
        "role_security": {"zh": "安保", "en": "Security"},
        "role_leader": {"zh": "领导", "en": "Leader"},
        "role_admin": {"zh": "管理员", "en": "Administrator"},
        "password_length": {
            "zh": "密码长度须为 10–128 个字符",
            "en": "Passwords have 10 to 128 characters",
        },
        "password_mixed": {
            "zh": "密码须同时包含字母和数字或符号",
            "en": "Mix letters with digits or symbols",
        },
        "admin": {"zh": "系统管理", "en": "Administration"},
        "admin_users": {"zh": "用户与角色", "en": "Users and roles"},
        "admin_blacklist": {"zh": "黑名单", "en": "Blacklist"},
        "admin_screens": {"zh": "大屏与令牌", "en": "Screens and kiosk tokens"},
        "admin_api": {"zh": "开放平台令牌", "en": "Read API tokens"},
        "admin_audit": {"zh": "审计日志", "en": "Audit log"},
        "admin_site": {"zh": "站点配置", "en": "Site file"},
        "admin_reload": {"zh": "重新加载站点配置", "en": "Reload the site file"},
        "admin_reloaded": {
            "zh": "站点配置有效，已重新加载：{n} 块大屏",
            "en": "Site file valid and reloaded: {n} screens",
        },
        "admin_invalid": {"zh": "站点配置无效：{reason}", "en": "Invalid: {reason}"},
        "admin_username": {"zh": "用户名", "en": "User name"},
        "admin_display": {"zh": "姓名", "en": "Name"},
        "admin_password": {"zh": "初始密码", "en": "Password"},
        "admin_create": {"zh": "新建用户", "en": "Create user"},
        "admin_apply": {"zh": "修改角色/状态", "en": "Change role / state"},
        "admin_disable": {"zh": "停用", "en": "Disabled"},
        "admin_active": {"zh": "正常", "en": "Active"},
        "admin_locked": {"zh": "已锁定", "en": "Locked"},
        "admin_credential": {"zh": "凭证（人脸编号/卡号/车牌）", "en": "Credential"},
        "admin_add": {"zh": "加入", "en": "Add"},
        "admin_remove": {"zh": "移除", "en": "Remove"},
        "admin_screen": {"zh": "大屏", "en": "Screen"},
        "admin_issue": {"zh": "签发令牌", "en": "Issue token"},
        "admin_revoke": {"zh": "吊销令牌", "en": "Revoke token"},
        "admin_token_id": {"zh": "令牌编号", "en": "Token id"},
        "admin_client": {"zh": "接入方", "en": "Client"},
        "admin_issued": {
            "zh": "新令牌（仅显示一次）：{what}",
            "en": "New token (shown once): {what}",
        },
        "admin_done": {"zh": "已完成：{what}", "en": "Done: {what}"},
        "admin_failed": {"zh": "未完成：{why}", "en": "Not done: {why}"},
        "admin_search": {"zh": "搜索（用户/操作/对象）", "en": "Search"},
        "admin_bad_input": {"zh": "输入无效", "en": "Invalid input"},
        "admin_no_user": {"zh": "用户不存在", "en": "No such user"},
        "admin_exists": {"zh": "用户名已存在", "en": "User name taken"},
        "admin_unavailable": {
            "zh": "数据库或缓存不可用",
            "en": "Database or Redis unavailable",
        },
        "admin_self": {
            "zh": "不能停用或降级自己的账户",
            "en": "You cannot disable or demote yourself",
        },
    }
)


# Security page (/security) and wall snapshots (#6).
STRINGS.update(
    {
        "security_page": {"zh": "安防监控", "en": "Security"},
        "sec_cameras": {"zh": "摄像机实况抓拍", "en": "Cameras: latest snapshots"},
        "sec_timeline": {"zh": "区域事件时间线（24小时）", "en": "Zone events (24 h)"},
        "sec_gate_alarms": {"zh": "门禁异常（24小时）", "en": "Gate anomalies (24 h)"},
        "sec_gate_flow": {"zh": "各出入口通行（近1小时）", "en": "Flow per gate (1 h)"},
        "sec_history": {"zh": "事件记录", "en": "Event history"},
        "sec_pick_camera": {
            "zh": "点击摄像机画面查看其事件记录",
            "en": "Click a camera to see its event history",
        },
        "sec_no_snapshot": {"zh": "暂无抓拍", "en": "No snapshot yet"},
        "sec_no_events": {"zh": "暂无事件", "en": "No events"},
        "sec_time": {"zh": "时间", "en": "Time"},
        "sec_camera": {"zh": "摄像机", "en": "Camera"},
        "sec_zone": {"zh": "区域", "en": "Zone"},
        "sec_event": {"zh": "事件", "en": "Event"},
        "sec_count": {"zh": "人数", "en": "Count"},
        "sec_snapshot": {"zh": "抓拍", "en": "Snapshot"},
        "sec_view": {"zh": "查看", "en": "View"},
        "sec_alarm": {"zh": "报警", "en": "Alarm"},
        "sec_state": {"zh": "状态", "en": "State"},
        "sec_active": {"zh": "未恢复", "en": "Active"},
        "sec_cleared": {"zh": "已恢复", "en": "Cleared"},
        "sec_acked": {"zh": "已确认", "en": "Acknowledged"},
        "sec_history_down": {
            "zh": "历史数据库暂不可用",
            "en": "History database unavailable",
        },
    }
)
