"""What a kiosk token may read: the wall layouts its one screen shows.

A kiosk is scoped to one screen (`Principal.screen`: a registered screen's id or
a layout's name). That screen rotates through its layouts (the screen registry,
re-read when the site file changes); its callbacks may update the wall shell
(band, status, stage, stores) and the tiles of exactly those layouts, nothing of
the others. Pure: the screen → layouts lookup and each layout's component ids are
given by the wall (`dashboard.wall.page.kiosk_scope`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from dashboard.auth.policy import SHELL_IDS

ScreenLayouts = Callable[[str], Sequence[str]]


class KioskScope:
    def __init__(
        self,
        screen_layouts: ScreenLayouts,
        shell_ids: frozenset[str],
        layout_ids: Mapping[str, frozenset[str]],
    ) -> None:
        """`screen_layouts`: the layouts a screen shows now (empty: unknown screen);
        `shell_ids`: ids every wall screen has; `layout_ids`: layout → its ids."""
        self._screen_layouts = screen_layouts
        self._shell = shell_ids | SHELL_IDS
        self._layout_ids = dict(layout_ids)

    def layouts(self, screen: str) -> frozenset[str]:
        """The layouts this screen shows (only known layout names)."""
        return frozenset(
            name for name in self._screen_layouts(screen) if name in self._layout_ids
        )

    def allows(self, screen: str, output_ids: Iterable[str]) -> bool:
        """May a kiosk of this screen update every one of these outputs?"""
        allowed = set(self._shell)
        for layout in self.layouts(screen):
            allowed |= self._layout_ids[layout]
        return all(output_id in allowed for output_id in output_ids)
