"""The security layout (安防态势): gates, denials, camera analytics, snapshots."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dash import html
from dash.development.base_component import Component

from layouts import ids
from layouts.i18n import DEFAULT_LANG, Lang, t
from layouts.wall.charts import table
from layouts.wall.tiles import (
    Freshness,
    Part,
    TileSpec,
    age_line,
    format_number,
    grid,
    kpi_body,
    pending_body,
)

SUBJECTS = ("staff", "visitor", "vehicle")
CAMERA_KINDS_ZH: dict[str, str] = {
    "people_count": "人数统计",
    "zone_intrusion": "区域入侵",
    "loitering": "徘徊",
    "line_cross": "越线",
    "crowd_density": "人群密度",
    "camera_offline": "离线",
    "camera_covered": "镜头遮挡",
    "camera_blurred": "画面模糊",
    "camera_moved": "视角移动",
}
CAMERA_KINDS_EN: dict[str, str] = {
    "people_count": "People count",
    "zone_intrusion": "Zone intrusion",
    "loitering": "Loitering",
    "line_cross": "Line crossing",
    "crowd_density": "Crowd density",
    "camera_offline": "Offline",
    "camera_covered": "Lens covered",
    "camera_blurred": "Blurred",
    "camera_moved": "Camera moved",
}
ALERT_KINDS = frozenset(
    {"zone_intrusion", "loitering", "camera_covered", "camera_blurred", "camera_moved"}
)
SNAPSHOTS_ON_WALL = 4


def kind_label(kind: str, lang: Lang = DEFAULT_LANG) -> str:
    labels = CAMERA_KINDS_ZH if lang == "zh" else CAMERA_KINDS_EN
    return labels.get(kind, kind)


@dataclass(frozen=True, slots=True)
class WallSnapshot:
    """One thumbnail of the wall's snapshot tile."""

    name: str  # the camera's name
    url: str
    age: str
    stale: bool
    kind: str  # "periodic" or the event kind it shows


SPECS: tuple[TileSpec, ...] = (
    TileSpec(ids.SECURITY_ENTRIES_TODAY, "entries_today"),
    TileSpec(ids.SECURITY_DENIED_TODAY, "denied_today"),
    TileSpec(ids.SECURITY_CAMERAS_ONLINE, "cameras_online"),
    TileSpec(ids.SECURITY_CAMERA_EVENTS, "camera_events"),
    TileSpec(ids.SECURITY_GATE_FLOW, "gate_flow", "wide"),
    TileSpec(ids.SECURITY_SNAPSHOTS, "snapshots", "wide"),
)


def layout(
    lang: Lang = DEFAULT_LANG, bodies: Mapping[str, Sequence[Component]] | None = None
) -> html.Main:
    return grid("security", SPECS, lang, bodies)


def entries_body(
    entries: Mapping[str, int], fresh: Freshness, lang: Lang = DEFAULT_LANG
) -> list[Component]:
    total = sum(entries.get(s, 0) for s in SUBJECTS)
    parts = [Part(t(s, lang), format_number(entries.get(s, 0))) for s in SUBJECTS]
    tid = ids.SECURITY_ENTRIES_TODAY
    return kpi_body(
        tid, format_number(total), t("count_unit", lang), fresh, lang, parts
    )


def denied_body(
    denied: int, fresh: Freshness, lang: Lang = DEFAULT_LANG
) -> list[Component]:
    tid = ids.SECURITY_DENIED_TODAY
    return kpi_body(tid, format_number(denied), t("count_unit", lang), fresh, lang)


def cameras_body(
    online: int, total: int, fresh: Freshness, lang: Lang = DEFAULT_LANG
) -> list[Component]:
    parts = [Part(t("online_of", lang, online=online, total=total), "")]
    tid = ids.SECURITY_CAMERAS_ONLINE
    return kpi_body(tid, f"{online}/{total}", "", fresh, lang, parts)


def camera_events_body(
    by_kind: Mapping[str, int] | None, fresh: Freshness, lang: Lang = DEFAULT_LANG
) -> list[Component]:
    tid = ids.SECURITY_CAMERA_EVENTS
    if by_kind is None:
        return pending_body(tid, t("history_unavailable", lang))
    total = sum(by_kind.values())
    parts = [
        Part(kind_label(k, lang), format_number(n), alert=k in ALERT_KINDS and n > 0)
        for k, n in sorted(by_kind.items(), key=lambda kv: -kv[1])
    ]
    return kpi_body(
        tid, format_number(total), t("count_unit", lang), fresh, lang, parts, 2
    )


def gate_flow_body(
    rows: Sequence[tuple[str, int, int, int]] | None,
    fresh: Freshness,
    lang: Lang = DEFAULT_LANG,
) -> list[Component]:
    """Per gate in the last hour: (name, in, out, denied)."""
    tid = ids.SECURITY_GATE_FLOW
    if rows is None:
        return pending_body(tid, t("history_unavailable", lang))
    header = ["", t("in", lang), t("out", lang), t("denied", lang)]
    cells = [
        [n, format_number(i), format_number(o), format_number(d)] for n, i, o, d in rows
    ]
    return [
        html.Div(table(header, cells), id=ids.value_of(tid)),
        age_line(tid, fresh, lang),
    ]


def snapshots_body(
    shots: Sequence[WallSnapshot] | None,
    fresh: Freshness,
    lang: Lang = DEFAULT_LANG,
) -> list[Component]:
    """The latest annotated snapshots (alerts first), each with its own age."""
    tid = ids.SECURITY_SNAPSHOTS
    if shots is None:
        return pending_body(tid, t("history_unavailable", lang))
    if not shots:
        return pending_body(tid, t("sec_no_snapshot", lang))
    figures = [
        html.Figure(
            className="wall-shot"
            + (" wall-shot--alert" if s.kind in ALERT_KINDS else ""),
            children=[
                html.Img(src=s.url, alt=s.name),
                html.Figcaption(
                    [
                        html.Span(s.name),
                        html.Span(
                            s.age,
                            className="tile-age tile-age--stale" if s.stale else "",
                        ),
                    ]
                ),
            ],
        )
        for s in shots[:SNAPSHOTS_ON_WALL]
    ]
    return [
        html.Div(figures, id=ids.value_of(tid), className="wall-shots"),
        age_line(tid, fresh, lang),
    ]
