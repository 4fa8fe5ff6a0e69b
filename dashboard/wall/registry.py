"""The screen registry (多屏显示): which layouts each physical screen shows, read from
the site file's `screens:` section and re-read when the file changes, so an edit
reaches running screens through their next rotation check, without a reload.

The site file's schema (streams) only knows that a screen lists layouts by name;
which names exist is the wall's catalog (`layouts.wall.catalog`), checked here: every
site file the dashboard loads goes through `load_wall_site`."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from layouts.wall.catalog import LAYOUT_NAMES
from streams.config.site import Screen, Site, SiteFileError, load_site

logger = logging.getLogger(__name__)

SINGLE_LAYOUT_ROTATE_S = 3600


def screens_problem(screens: Iterable[Screen]) -> str | None:
    """What is wrong with these screens given the wall's layouts, or None: a screen
    whose id is a layout's name (`/wall/<name>` would be ambiguous), or one that
    lists a layout the catalog does not have."""
    for screen in screens:
        if screen.id in LAYOUT_NAMES:
            return f"screens.{screen.id}: the id is a layout's name"
        unknown = [name for name in screen.layouts if name not in LAYOUT_NAMES]
        if unknown:
            known = ", ".join(LAYOUT_NAMES)
            return (
                f"screens.{screen.id}.layouts: unknown layout {unknown[0]!r} "
                f"(known: {known})"
            )
    return None


def load_wall_site(path: Path) -> Site:
    """`load_site`, and the screens checked against the wall's layouts; raises
    SiteFileError naming the field."""
    site = load_site(path)
    problem = screens_problem(site.screens)
    if problem is not None:
        raise SiteFileError(f"site file {path}: {problem}")
    return site


def layout_at(screen: Screen, epoch_s: float) -> str:
    """The layout a screen shows at this instant: every screen with the same
    registry entry shows the same layout at the same time, and a registry change
    takes effect at once."""
    return screen.layouts[int(epoch_s // screen.rotate_s) % len(screen.layouts)]


class ScreenRegistry:
    def __init__(self, site: Site, site_file: Path | None, check_every_s: float = 2.0):
        """`site`: as loaded by `load_wall_site` (a screen of an unknown layout is
        refused here too: ValueError)."""
        problem = screens_problem(site.screens)
        if problem is not None:
            raise ValueError(problem)
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
            site = load_wall_site(path)
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
        if name in LAYOUT_NAMES:
            return Screen(
                id=name, name=name, layouts=[name], rotate_s=SINGLE_LAYOUT_ROTATE_S
            )
        return self.screens().get(name)
