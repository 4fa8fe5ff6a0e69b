"""Camera offline: no frame for `timeout_s` (source down, stream stalled)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(slots=True)
class OfflineWatch:
    timeout_s: float = 20.0
    last_frame: datetime | None = None
    since: datetime | None = None  # when this watch started (no frame yet)
    offline: bool = False

    def frame(self, now: datetime) -> bool:
        """A frame arrived; True when this ends an offline period."""
        self.last_frame = now
        back = self.offline
        self.offline = False
        return back

    def check(self, now: datetime) -> bool:
        """True exactly when the camera has just gone offline."""
        if self.since is None:
            self.since = now
        reference = self.last_frame or self.since
        if self.offline or now - reference < timedelta(seconds=self.timeout_s):
            return False
        self.offline = True
        return True
