"""Annotated camera snapshots for the web: a cached index and the JPEG routes.

`/snapshots/<camera>/<name>.jpg` serves one stored snapshot (immutable, cached by
browsers only: private), `/snapshots/<camera>/latest.jpg` the camera's newest. Both
validate the camera against the site file and the name's form before any query. The
index is read from PostgreSQL (`streams.snapshots.store`) through the history reader's
pool, cached for a few seconds so every screen and browser shares one query.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import dash
from fastapi.responses import Response

from dashboard.history import HistoryReader
from streams.config.site import Site
from streams.snapshots.names import parse_name, route
from streams.snapshots.store import (
    SnapshotInfo,
    latest_snapshots,
    read_jpeg,
    read_latest_jpeg,
)

CACHE_S = 5.0


class SnapshotIndex:
    def __init__(
        self,
        site: Site,
        history: HistoryReader | None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.site = site
        self._history = history
        self._clock = clock
        self._lock = threading.Lock()
        self._cached: tuple[float, dict[str, SnapshotInfo] | None] | None = None

    @staticmethod
    def url(info: SnapshotInfo) -> str:
        return route(info.camera, info.name)

    def latest(self) -> dict[str, SnapshotInfo] | None:
        """camera → newest snapshot; None when history cannot be read."""
        with self._lock:
            hit = self._cached
            if hit is not None and self._clock() - hit[0] < CACHE_S:
                return hit[1]
        value = None
        if self._history is not None:
            value = self._history.run_query(latest_snapshots)
        with self._lock:
            self._cached = (self._clock(), value)
        return value

    def jpeg(self, camera: str, name: str) -> bytes | None:
        if self._history is None:
            return None
        return self._history.run_query(read_jpeg, camera=camera, name=name)

    def latest_jpeg(self, camera: str) -> bytes | None:
        if self._history is None:
            return None
        found = self._history.run_query(read_latest_jpeg, camera=camera)
        return None if found is None else found[1]


def add_snapshot_routes(app: dash.Dash, index: SnapshotIndex) -> None:
    """Sync handlers: FastAPI runs them in a worker thread, off the event loop."""

    def snapshot(camera: str, filename: str) -> Response:
        if camera not in index.site.cameras_by_id or not filename.endswith(".jpg"):
            return Response(status_code=404)
        name = filename.removesuffix(".jpg")
        if name == "latest":
            body = index.latest_jpeg(camera)
            cache = "no-cache"
        elif parse_name(name) is not None:
            body = index.jpeg(camera, name)
            # Private: the auth layer masks it per role behind this one URL.
            cache = "private, max-age=86400, immutable"
        else:
            return Response(status_code=404)
        if body is None:
            return Response(status_code=404)
        return Response(body, media_type="image/jpeg", headers={"Cache-Control": cache})

    app.server.add_api_route(
        "/snapshots/{camera}/{filename}", snapshot, methods=["GET"]
    )
