"""One open condition per (kind, source): raise once, clear after a quiet spell.

Event-like conditions (a tailgater, a burst of denials, a blacklisted plate) have no
natural end. A `Latch` raises the first occurrence, stays quiet on repeats (the alarm
engine would only update the open alarm), and clears the condition once no repeat
has been seen for `hold`. Time is the event time the caller passes in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from detectors.core.signals import AlarmSignal

Key = tuple[str, str]


@dataclass(slots=True)
class Latch:
    hold: timedelta
    open: dict[Key, AlarmSignal] = field(default_factory=dict)
    last: dict[Key, datetime] = field(default_factory=dict)

    def trip(self, signal: AlarmSignal) -> AlarmSignal | None:
        """The signal when its (kind, source) is not open yet, else None."""
        key = (signal.kind, signal.source)
        self.last[key] = max(signal.observed_at, self.last.get(key, signal.observed_at))
        if key in self.open:
            return None
        self.open[key] = signal
        return signal

    def adopt(self, signal: AlarmSignal) -> None:
        """Take over a condition raised before a restart, last seen at
        `signal.observed_at`: repeats stay quiet, and it clears after `hold` of
        quiet (or on `release`) like one this latch raised itself."""
        key = (signal.kind, signal.source)
        self.open.setdefault(key, signal)
        self.last[key] = max(signal.observed_at, self.last.get(key, signal.observed_at))

    def release(
        self,
        key: Key,
        at: datetime,
        message: Callable[[AlarmSignal], str] | None = None,
    ) -> AlarmSignal | None:
        """Clear one open condition now (e.g. the device came back)."""
        first = self.open.pop(key, None)
        self.last.pop(key, None)
        if first is None:
            return None
        text = message(first) if message else f"已恢复：{first.message}"
        return replace(
            first, state="cleared", observed_at=at, severity="notice", message=text
        )

    def expire(self, watermark: datetime) -> list[AlarmSignal]:
        """Cleared signals for the conditions quiet for longer than `hold`."""
        quiet = [k for k, ts in self.last.items() if watermark - ts >= self.hold]
        out = []
        for key in quiet:
            signal = self.release(key, watermark)
            if signal is not None:
                out.append(signal)
        return out

    def is_open(self, kind: str, source: str) -> bool:
        return (kind, source) in self.open
