"""The run loop: generate a step ahead, send each event once simulated time reaches it.

Steps of one simulated minute are generated just before simulated time enters them, so
memory holds about one minute of events; an event goes to the sink once the clock's
simulated now has passed its timestamp, so nothing is ever sent ahead of the wall clock.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from streams.simulator.clock import SimClock
from streams.simulator.engine import Notice, Outgoing, Simulator, minute_steps
from streams.simulator.outputs import EventSink
from streams.wire.contracts import to_payload

logger = logging.getLogger(__name__)

MAX_SLEEP_S = 0.5
FAR_FUTURE = timedelta(days=365 * 100)


@dataclass(slots=True)
class RunStats:
    events: int = 0
    by_stream: Counter[str] = field(default_factory=Counter)
    incidents: list[dict[str, object]] = field(default_factory=list)


def print_notice(record: dict[str, object]) -> None:
    """Incidents go to stdout, one JSON line each, for tests and detectors to find."""
    print(json.dumps(record, ensure_ascii=False), file=sys.stdout, flush=True)


@dataclass
class Runner:
    sim: Simulator
    sink: EventSink
    clock: SimClock
    until: datetime | None = None
    stop: threading.Event = field(default_factory=threading.Event)
    announce: Callable[[dict[str, object]], None] = print_notice
    wall: Callable[[], float] = time.time
    stats: RunStats = field(default_factory=RunStats)

    def _emit(self, item: Outgoing | Notice) -> None:
        if isinstance(item, Notice):
            self.stats.incidents.append(item.record)
            self.announce(item.record)
            logger.info(
                "incident %s on %s", item.record["incident"], item.record["device"]
            )
            return
        topic, event = item
        self.sink.send(topic, to_payload(event))
        self.stats.events += 1
        self.stats.by_stream[event.stream] += 1

    def _pause(self, until_sim: datetime) -> None:
        wait = self.clock.wall_wait(until_sim, self.wall())
        if wait > 0:
            self.stop.wait(min(wait, MAX_SLEEP_S))

    def run(self) -> RunStats:
        """Generate and send until `until` (exclusive) or until `stop` is set."""
        end = self.until or self.clock.start + FAR_FUTURE
        steps = minute_steps(self.clock.start, end)
        pending: deque[Outgoing | Notice] = deque()
        next_step = next(steps, None)
        last_hour = None
        while not self.stop.is_set():
            if not pending:
                if next_step is None:
                    break
                if self.clock.sim_now(self.wall()) < next_step[0]:
                    self._pause(next_step[0])
                    continue
                pending.extend(self.sim.step(*next_step))
                last_hour = self._log_progress(next_step[0], last_hour)
                next_step = next(steps, None)
                continue
            now = self.clock.sim_now(self.wall())
            while pending and _ts(pending[0]) <= now:
                self._emit(pending.popleft())
            if pending:
                self._pause(_ts(pending[0]))
        return self.stats

    def _log_progress(self, at: datetime, last_hour: datetime | None) -> datetime:
        hour = at.astimezone(self.sim.tz).replace(minute=0, second=0, microsecond=0)
        if hour != last_hour:
            logger.info(
                "simulated time %s, %d events sent", hour.isoformat(), self.stats.events
            )
        return hour


def _ts(item: Outgoing | Notice) -> datetime:
    return item.ts if isinstance(item, Notice) else item[1].ts
