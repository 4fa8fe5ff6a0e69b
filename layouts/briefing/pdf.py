"""The briefing as an A4 PDF and PNG charts, drawn with matplotlib. Pure: data in,
bytes out (no clock: the same briefing gives the same bytes).

Chinese text uses Noto Sans CJK (Debian ``fonts-noto-cjk``), embedded as a subset
(Type 3, with a ToUnicode map so text stays searchable). Dates are left out of the
PDF metadata, so regenerating a period yields a byte-identical file.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from layouts.briefing import tables, text
from layouts.briefing.model import Briefing, Series
from layouts.i18n import DEFAULT_LANG, Lang, t

A4 = (8.27, 11.69)  # inches
FONT_FAMILY = "Noto Sans CJK SC"
FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
)
RC: Any = {
    "pdf.fonttype": 3,
    "font.family": [FONT_FAMILY, "DejaVu Sans"],
    "font.size": 9,
    "axes.unicode_minus": False,
    "svg.hashsalt": "jiguan-ioc",
    "path.simplify": True,
}
CURRENT, PREVIOUS = "#0072B2", "#999999"  # Okabe-Ito blue, grey
PAGES = 4


class FontMissing(RuntimeError):
    """Noto Sans CJK is not installed (Debian: apt-get install fonts-noto-cjk)."""


def ensure_font() -> None:
    """Register Noto Sans CJK with matplotlib (once), or raise FontMissing."""
    if any(f.name == FONT_FAMILY for f in font_manager.fontManager.ttflist):
        return
    for path in FONT_FILES:
        if Path(path).exists():
            font_manager.fontManager.addfont(path)
            return
    raise FontMissing("Noto Sans CJK not found: install Debian's fonts-noto-cjk")


def wrap(line: str, width_em: float) -> list[str]:
    """Break a line to `width_em`: CJK characters 1 em, others about half."""
    lines, current, used = [], "", 0.0
    for char in line:
        size = 1.0 if ord(char) > 0x2E80 else 0.55
        if used + size > width_em and current:
            lines.append(current)
            current, used = "", 0.0
        current += char
        used += size
    return [*lines, current] if current else lines


def _page(lang: Lang, briefing: Briefing, number: int) -> Figure:
    figure = Figure(figsize=A4)
    figure.text(0.07, 0.965, text.title(briefing, lang), fontsize=15, weight="bold")
    label = text.period_label(briefing.kind, briefing.start, briefing.end, lang)
    figure.text(0.07, 0.945, label, fontsize=10, color="#444444")
    figure.text(
        0.93,
        0.02,
        t("b_page", lang, n=number, total=PAGES),
        ha="right",
        fontsize=8,
        color="#666666",
    )
    return figure


def _heading(figure: Figure, y: float, key: str, lang: Lang) -> float:
    figure.text(0.07, y, t(key, lang), fontsize=12, weight="bold", color=CURRENT)
    return y - 0.022


def _rows(
    figure: Figure,
    y: float,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    columns: Sequence[float],
    size: float = 8.5,
) -> float:
    """A plain table: x positions (figure fraction) per column; returns the next y."""
    step = size / 72 / A4[1] * 1.55
    for x, cell in zip(columns, header, strict=True):
        figure.text(x, y, cell, fontsize=size, weight="bold", color="#333333")
    y -= step
    for row in rows:
        for x, cell in zip(columns, row, strict=True):
            figure.text(x, y, cell, fontsize=size)
        y -= step
    return y - step / 2


def _paragraph(
    figure: Figure, y: float, lines: Sequence[str], width_em: float
) -> float:
    for sentence in lines:
        for part in wrap(sentence, width_em):
            figure.text(0.07, y, part, fontsize=10)
            y -= 0.019
    return y - 0.01


def _summary_page(briefing: Briefing, lang: Lang) -> Figure:
    figure = _page(lang, briefing, 1)
    y = _heading(figure, 0.91, "b_summary", lang)
    y = _paragraph(
        figure, y, text.narrative(briefing, lang), 46 if lang == "zh" else 80
    )
    y = _heading(figure, y, "b_sec_kpis", lang)
    header = tables.kpi_header(lang)
    rows = [
        [
            t(k.key, lang),
            text.kpi_text(k),
            text.number(k.previous, k.digits),
            text.signed_pct(k.change_pct),
            text.number(k.last_year, k.digits),
            text.signed_pct(k.year_change_pct),
        ]
        for k in briefing.kpis
    ]
    _rows(figure, y, header, rows, (0.07, 0.33, 0.50, 0.63, 0.74, 0.87))
    return figure


def bar_chart(ax: Axes, series: Series, lang: Lang, title_key: str) -> None:
    """Bars for this period, a line for the previous one (same positions)."""
    positions = list(range(len(series.labels)))
    ax.bar(positions, series.current, color=CURRENT, label=t("b_this", lang))
    previous = [float("nan") if v is None else v for v in series.previous]
    if any(v is not None for v in series.previous):
        ax.plot(
            positions,
            previous,
            color=PREVIOUS,
            marker="o",
            markersize=3,
            label=t("b_previous", lang),
        )
    step = max(1, len(positions) // 12)
    ax.set_xticks(positions[::step], list(series.labels)[::step], fontsize=7)
    ax.set_title(t(title_key, lang), fontsize=10, loc="left")
    ax.legend(fontsize=7, frameon=False, loc="upper right")
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=7)


def alarm_chart(ax: Axes, briefing: Briefing, lang: Lang) -> None:
    kinds = list(briefing.alarm_kinds[:10])[::-1]
    ax.barh(
        [text.kind_name(k.kind, lang) for k in kinds],
        [k.count for k in kinds],
        color=CURRENT,
    )
    ax.set_title(t("b_chart_alarms", lang), fontsize=10, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=7)


def building_chart(ax: Axes, briefing: Briefing, lang: Lang) -> None:
    rows = sorted(briefing.buildings, key=lambda b: b.kwh_per_m2)
    ax.barh([b.name for b in rows], [b.kwh_per_m2 for b in rows], color=CURRENT)
    ax.set_title(t("b_chart_buildings", lang), fontsize=10, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=7)


def _charts_page(briefing: Briefing, lang: Lang) -> Figure:
    figure = _page(lang, briefing, 2)
    _heading(figure, 0.91, "b_sec_charts", lang)
    boxes = ((0.1, 0.66, 0.82, 0.21), (0.1, 0.38, 0.82, 0.21), (0.3, 0.07, 0.62, 0.24))
    energy, meals, buildings = (figure.add_axes(box) for box in boxes)
    bar_chart(energy, briefing.energy, lang, "b_chart_energy")
    bar_chart(meals, briefing.meals, lang, "b_chart_meals")
    building_chart(buildings, briefing, lang)
    return figure


# x positions (figure fraction) of the portrait tables' columns
BUILDING_COLUMNS = (0.07, 0.12, 0.33, 0.45, 0.55, 0.65, 0.75, 0.83)
CANTEEN_COLUMNS = (0.07, 0.11, 0.23, 0.31, 0.42, 0.50, 0.58, 0.70, 0.77, 0.84)


def _portraits_page(briefing: Briefing, lang: Lang) -> Figure:
    figure = _page(lang, briefing, 3)
    y = _heading(figure, 0.91, "b_sec_buildings", lang)
    header, rows = tables.building_table(briefing, lang)
    y = _rows(figure, y, header, rows, BUILDING_COLUMNS, size=7.5)
    y = _heading(figure, y, "b_sec_canteens", lang)
    header, rows = tables.canteen_table(briefing, lang)
    _rows(figure, y, header, rows, CANTEEN_COLUMNS, size=7.5)
    return figure


def _alarms_page(briefing: Briefing, lang: Lang) -> Figure:
    figure = _page(lang, briefing, 4)
    y = _heading(figure, 0.91, "b_sec_alarms", lang)
    header = [t(k, lang) for k in ("b_kind", "b_count", "b_mtta", "b_mttr")]
    rows = [
        [
            text.kind_name(k.kind, lang),
            str(k.count),
            text.minutes(k.mtta_min, lang),
            text.minutes(k.mttr_min, lang),
        ]
        for k in briefing.alarm_kinds[:8]
    ]
    y = _rows(figure, y, header, rows, (0.07, 0.40, 0.55, 0.72))
    header = [t(k, lang) for k in ("b_metric", "b_value", "b_target")]
    rows = [[t(f.key, lang), f.text, f.target] for f in briefing.isa]
    rows.append([t("b_eemua", lang), t(f"eemua_{briefing.eemua_level}", lang), "1–10"])
    y = _rows(figure, y, header, rows, (0.07, 0.40, 0.62))
    y = _heading(figure, y, "b_sec_incidents", lang)
    lines = tables.incident_lines(briefing, lang) or [t("b_no_incidents", lang)]
    y = _paragraph(figure, y, lines[:14], 46 if lang == "zh" else 80)
    y = _heading(figure, y, "b_sec_quality", lang)
    _paragraph(
        figure, y, tables.quality_lines(briefing, lang), 46 if lang == "zh" else 80
    )
    return figure


def render_pdf(briefing: Briefing, lang: Lang = DEFAULT_LANG) -> bytes:
    """The A4 report: summary and KPIs, charts, portraits, alarms and quality."""
    ensure_font()
    buffer = io.BytesIO()
    metadata = {
        "Title": text.title(briefing, lang),
        "Author": briefing.site_name,
        "Creator": "Jiguan IOC",
        "Producer": "Jiguan IOC (matplotlib)",
        "CreationDate": None,
    }
    with matplotlib.rc_context(RC), PdfPages(buffer, metadata=metadata) as pdf:
        for page in (_summary_page, _charts_page, _portraits_page, _alarms_page):
            pdf.savefig(page(briefing, lang))
    return buffer.getvalue()


def render_charts(briefing: Briefing, lang: Lang = DEFAULT_LANG) -> dict[str, bytes]:
    """The charts as PNG files (150 dpi), named for the archive."""
    ensure_font()
    drawers: dict[str, Callable[[Axes], None]] = {
        "energy.png": lambda ax: bar_chart(ax, briefing.energy, lang, "b_chart_energy"),
        "meals.png": lambda ax: bar_chart(ax, briefing.meals, lang, "b_chart_meals"),
        "buildings.png": lambda ax: building_chart(ax, briefing, lang),
        "alarms.png": lambda ax: alarm_chart(ax, briefing, lang),
    }
    files = {}
    with matplotlib.rc_context(RC):
        for name, draw in drawers.items():
            figure = Figure(figsize=(8, 3.6), layout="constrained")
            draw(figure.add_subplot())
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png", dpi=150, metadata={"Software": None})
            files[name] = buffer.getvalue()
    return files
