"""The screen registry (多屏显示): which layouts each physical screen shows, read from
the site file's `screens:` section and re-read when the file changes, so an edit
reaches running screens through their next rotation check, without a reload."""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path
from typing import cast

from streams.config.site import WALL_LAYOUTS, Screen, Site, SiteFileError, load_site
from streams.config.site_parts import WallLayout

logger = logging.getLogger(__name__)

SINGLE_LAYOUT_ROTATE_S = 3600


def layout_at(screen: Screen, epoch_s: float) -> str:
    """The layout a screen shows at this instant: every screen with the same
    registry entry shows the same layout at the same time, and a registry change
    takes effect at once."""
    return screen.layouts[int(epoch_s // screen.rotate_s) % len(screen.layouts)]


class ScreenRegistry:
    def __init__(self, site: Site, site_file: Path | None, check_every_s: float = 2.0):
        self._screens = {s.id: s for s in site.screens}
        self._path = site_file
        self._check_every_s = check_every_s
        self._mtime = self._stat()
        self._checked = time.monotonic()
        self._lock = threading.Lock()

    def _stat(self) -> float | None:
        try:
            return os.stat(self._path).st_mtime if self._path else None
        except OSError:
            return None

    def screens(self) -> dict[str, Screen]:
        """The registry now (re-read when the site file changed)."""
        with self._lock:
            now = time.monotonic()
            if self._path and now - self._checked >= self._check_every_s:
                self._checked = now
                mtime = self._stat()
                if mtime != self._mtime:
                    self._mtime = mtime
                    self._reload(self._path)
            return dict(self._screens)

    def _reload(self, path: Path) -> None:
        try:
            site = load_site(path)
        except SiteFileError as exc:
            logger.warning("screen registry kept; site file invalid: %s", exc)
            return
        self._screens = {s.id: s for s in site.screens}
        logger.info("screen registry reloaded: %s", ", ".join(self._screens) or "none")

    def resolve(self, name: object) -> Screen | None:
        """A registered screen, or a single-layout screen for a layout's name; None
        for anything else (client input: only known names pass)."""
        if not isinstance(name, str):
            return None
        if name in WALL_LAYOUTS:
            layout = cast(WallLayout, name)  # one of WALL_LAYOUTS, just checked
            return Screen(
                id=name, name=name, layouts=[layout], rotate_s=SINGLE_LAYOUT_ROTATE_S
            )
        return self.screens().get(name)
