"""Charts in plain HTML and CSS for wall tiles: they scale with the screen (rem),
render without plotly, and stay legible from 5 m."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dash import html

from layouts.wall.tiles import format_number

SERIES_CLASSES = ("s0", "s1", "s2", "s3")


def _nice_top(value: float) -> float:
    """A round axis maximum at or above `value` (1, 2, 2.5, 5 × 10ⁿ)."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return float(step * magnitude)
    return float(10 * magnitude)


def legend(labels: Sequence[str], baseline_label: str | None = None) -> html.Div:
    items = [
        html.Span(
            [html.I(className=f"swatch {SERIES_CLASSES[i % 4]}"), label],
            className="legend-item",
        )
        for i, label in enumerate(labels)
    ]
    if baseline_label:
        items.append(
            html.Span(
                [html.I(className="swatch swatch--baseline"), baseline_label],
                className="legend-item",
            )
        )
    return html.Div(items, className="legend")


def _column(
    values: Sequence[float], top: float, base: float | None, title: str
) -> html.Div:
    segments = [
        html.Div(
            className=f"bar-seg {SERIES_CLASSES[i % 4]}",
            style={"height": f"{100 * v / top:.2f}%"},
        )
        for i, v in enumerate(values)
        if v > 0
    ]
    if base is not None:
        segments.append(
            html.Div(className="bar-base", style={"bottom": f"{100 * base / top:.2f}%"})
        )
    return html.Div(segments, className="bar-col", title=title)


def bar_chart(
    x_labels: Sequence[str],
    series: Mapping[str, Sequence[float]],
    baseline: Sequence[float | None] | None = None,
    baseline_label: str | None = None,
    label_every: int = 8,
) -> html.Div:
    """Stacked columns per x label, optional baseline marks; oldest first."""
    names = list(series)
    stacks = [[float(series[n][i]) for n in names] for i in range(len(x_labels))]
    peaks = [sum(s) for s in stacks] + [b or 0.0 for b in baseline or ()]
    top = _nice_top(max(peaks, default=0.0))
    columns = [
        _column(
            stack,
            top,
            None if baseline is None or i >= len(baseline) else baseline[i],
            f"{x_labels[i]}: {format_number(sum(stack))}",
        )
        for i, stack in enumerate(stacks)
    ]
    ticks = [
        html.Span(label if i % label_every == 0 else "", className="x-tick")
        for i, label in enumerate(x_labels)
    ]
    return html.Div(
        [
            legend(names, baseline_label if baseline is not None else None),
            html.Div(
                [
                    html.Div(
                        [html.Span(format_number(top)), html.Span("0")],
                        className="y-axis",
                    ),
                    html.Div(columns, className="bars"),
                ],
                className="plot",
            ),
            html.Div(ticks, className="x-axis"),
        ],
        className="bar-chart",
    )


def meter_rows(
    rows: Sequence[tuple[str, float, str]], top: float | None = None
) -> html.Div:
    """Horizontal bars: (label, value, shown text), scaled to `top` or the largest."""
    scale = top if top else max((v for _, v, _ in rows), default=0.0) or 1.0
    return html.Div(
        [
            html.Div(
                [
                    html.Span(label, className="meter-label"),
                    html.Div(
                        html.Div(
                            className="meter-fill",
                            style={"width": f"{min(100.0, 100 * v / scale):.1f}%"},
                        ),
                        className="meter-track",
                    ),
                    html.Span(text, className="meter-value"),
                ],
                className="meter-row",
            )
            for label, v, text in rows
        ],
        className="meters",
    )


def table(
    header: Sequence[str], rows: Sequence[Sequence[str]], muted_rows: Sequence[int] = ()
) -> html.Table:
    """A plain table for a wall tile: first column a name, the rest numerals."""
    head = html.Thead(html.Tr([html.Th(h) for h in header]))
    body = html.Tbody(
        [
            html.Tr(
                [html.Td(cell) for cell in row],
                className="row--muted" if i in muted_rows else "",
            )
            for i, row in enumerate(rows)
        ]
    )
    return html.Table([head, body], className="wall-table")
