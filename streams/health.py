"""`/healthz`, `/readyz` and Prometheus `/metrics` for a process, standard library only.

The process supplies two callables: one returning its readiness checks by name, one its
metrics as (name, help, type, value, labels) samples. Bound to loopback by default.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Sample:
    name: str
    help: str
    kind: str  # "counter" | "gauge"
    value: float
    labels: Mapping[str, str] = field(default_factory=dict)


def render_metrics(samples: Sequence[Sample]) -> str:
    """Prometheus text exposition format (version 0.0.4)."""
    lines: list[str] = []
    described: set[str] = set()
    for sample in samples:
        if sample.name not in described:
            lines.append(f"# HELP {sample.name} {sample.help}")
            lines.append(f"# TYPE {sample.name} {sample.kind}")
            described.add(sample.name)
        labels = ",".join(f'{k}="{v}"' for k, v in sorted(sample.labels.items()))
        series = f"{sample.name}{{{labels}}}" if labels else sample.name
        lines.append(f"{series} {sample.value:g}")
    return "\n".join(lines) + "\n"


class HealthServer:
    def __init__(
        self,
        port: int,
        readiness: Callable[[], Mapping[str, bool]],
        metrics: Callable[[], Sequence[Sample]],
        host: str = "127.0.0.1",
    ) -> None:
        handler = _handler_for(readiness, metrics)
        self._server = ThreadingHTTPServer((host, port), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="health-http", daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> HealthServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def start_health_server(
    port: int,
    readiness: Callable[[], Mapping[str, bool]],
    metrics: Callable[[], Sequence[Sample]],
) -> HealthServer | None:
    """Start it unless port is 0; a taken port is logged, never fatal."""
    if port == 0:
        return None
    try:
        server = HealthServer(port, readiness, metrics).start()
    except OSError as exc:
        logger.warning("health/metrics port %d unavailable (%s): not served", port, exc)
        return None
    logger.info("health and metrics on http://127.0.0.1:%d/metrics", server.port)
    return server


def _handler_for(
    readiness: Callable[[], Mapping[str, bool]],
    metrics: Callable[[], Sequence[Sample]],
) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/healthz":
                self._send(200, "application/json", b'{"status": "ok"}')
            elif self.path == "/readyz":
                checks = dict(readiness())
                ready = all(checks.values())
                body = json.dumps({"ready": ready, "checks": checks}).encode()
                self._send(200 if ready else 503, "application/json", body)
            elif self.path == "/metrics":
                text = render_metrics(metrics()).encode()
                self._send(200, "text/plain; version=0.0.4", text)
            else:
                self._send(404, "text/plain", b"not found\n")

        def _send(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            logger.debug("health %s", format % args)

    return Handler
