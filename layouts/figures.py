"""Plotly figures for wall screens: dark, large type, no chrome."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

WALL_COLORS = ("#38bdf8", "#a78bfa", "#fbbf24", "#34d399", "#f87171")
TEXT = "#e2e8f0"
GRID = "rgba(148, 163, 184, 0.18)"


def stacked_bars(
    x: Sequence[str], series: Mapping[str, Sequence[float]], height: int = 260
) -> go.Figure:
    """Stacked bars, one trace per series label, for a dark wall tile."""
    fig = go.Figure()
    for i, (label, values) in enumerate(series.items()):
        fig.add_bar(
            x=list(x),
            y=list(values),
            name=label,
            marker_color=WALL_COLORS[i % len(WALL_COLORS)],
        )
    fig.update_layout(
        barmode="stack",
        height=height,
        margin={"l": 48, "r": 12, "t": 8, "b": 36},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        font={"color": TEXT, "size": 18},
        legend={
            "orientation": "h",
            "x": 0,
            "y": 1.12,
            "font": {"size": 18},
            "traceorder": "normal",
        },
        bargap=0.15,
    )
    fig.update_xaxes(showgrid=False, nticks=12)
    fig.update_yaxes(gridcolor=GRID, zeroline=False)
    return fig
