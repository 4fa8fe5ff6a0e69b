"""Operations routes of the web process: /healthz, /readyz and Prometheus /metrics."""

from __future__ import annotations

import dash
from fastapi.responses import JSONResponse, PlainTextResponse

from dashboard.data import LiveReader, LiveSnapshot
from dashboard.history import HistoryReader
from streams.health import Sample, render_metrics
from streams.wire.contracts import STREAMS


def add_ops_routes(
    app: dash.Dash, reader: LiveReader, history: HistoryReader | None
) -> None:
    """Sync handlers: FastAPI runs them in a worker thread, off the event loop."""

    def healthz() -> JSONResponse:
        ok = reader.ping()
        body = {"status": "ok" if ok else "degraded", "live": ok}
        return JSONResponse(body, status_code=200 if ok else 503)

    def readyz() -> JSONResponse:
        checks = {"redis": reader.ping()}
        if history is not None:
            checks["postgresql"] = history.ping()
        ready = all(checks.values())
        body = {"ready": ready, "checks": checks}
        return JSONResponse(body, status_code=200 if ready else 503)

    def metrics() -> PlainTextResponse:
        text = render_metrics(dashboard_metrics(reader, history))
        return PlainTextResponse(text, media_type="text/plain; version=0.0.4")

    app.server.add_api_route("/healthz", healthz, methods=["GET"])
    app.server.add_api_route("/readyz", readyz, methods=["GET"])
    app.server.add_api_route("/metrics", metrics, methods=["GET"])


def dashboard_metrics(
    reader: LiveReader, history: HistoryReader | None
) -> list[Sample]:
    """Which servers answer, and how old each stream's newest data is."""
    up = {"redis": reader.ping()}
    if history is not None:
        up["postgresql"] = history.ping()
    samples = [
        Sample(
            "ioc_dashboard_server_up",
            "Server answers",
            "gauge",
            float(ok),
            {"server": server},
        )
        for server, ok in up.items()
    ]
    snapshot = reader.snapshot() if up["redis"] else None
    if isinstance(snapshot, LiveSnapshot):
        for stream in STREAMS:
            age = snapshot.age_s(stream)
            if age is not None:
                samples.append(
                    Sample(
                        "ioc_dashboard_data_age_seconds",
                        "Age of newest event",
                        "gauge",
                        age,
                        {"stream": stream},
                    )
                )
    return samples
