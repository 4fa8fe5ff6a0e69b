"""`DetectionHub`: the consumer's observer that runs every detector on live events.

Each durable batch is sorted by event time and routed by stream through a dispatch
table; `tick(now)` (every minute, from the runner's thread) evaluates what needs a
clock of its own — camera counts against passes, overstays, silent devices and meters,
leaks, PV, the congestion forecast — always in event time (each detector's
watermark). Before signals reach the sink, the hub drops "active" signals observed
longer than `fresh` before `now`: an hour of backlog after an outage updates the
detectors' state but raises nothing about the past as if it were happening now. A
"cleared" signal passes only for a condition whose "active" signal was passed, or
that the hub took over from the alarm engine after a restart (`resume`). Canteen
minutes are also judged in `observe`, as soon as a later canteen or camera event
completes them.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from detectors.canteen.arrivals import Profiles
from detectors.canteen.congestion import CongestionState
from detectors.core.signals import AlarmSignal
from detectors.energy.baseline import Baseline
from streams.config.site import Site
from streams.detection.cameras import CameraRules
from streams.detection.resume import Rejudged, adopt
from streams.detection.sinks import AlarmSink
from streams.detection.state import Detectors, build_detectors
from streams.history.visitor_reads import VisitorHistory
from streams.wire.contracts import (
    AppointmentEvent,
    CameraEvent,
    CanteenEvent,
    EnergyEvent,
    Event,
    GateEvent,
    StatusEvent,
)

logger = logging.getLogger(__name__)
Clock = Callable[[], datetime]
CongestionPublisher = Callable[[Mapping[str, CongestionState]], None]


@dataclass(slots=True)
class HubStats:
    events: int = 0
    signals: int = 0
    stale_dropped: int = 0
    failures: dict[str, int] = field(default_factory=dict)


class DetectionHub:
    name = "detection"

    def __init__(
        self,
        site: Site,
        sink: AlarmSink,
        *,
        clock: Clock = lambda: datetime.now(UTC),
        fresh: timedelta = timedelta(minutes=20),
        publish_congestion: CongestionPublisher | None = None,
    ) -> None:
        self.site_id = site.id
        self.detectors: Detectors = build_detectors(site)
        self.camera_rules = CameraRules(site)  # intrusion, loitering, tampering
        self._sink, self._clock, self._fresh = sink, clock, fresh
        self._publish = publish_congestion
        self._lock = threading.Lock()
        self._passed: set[tuple[str, str]] = set()
        self._rejudged = Rejudged()  # open before a restart, no detector holds them
        self._mark: datetime | None = None  # newest event time seen
        self.stats = HubStats()
        self._routes: dict[str, Callable[[Event], list[AlarmSignal]]] = {
            "gate": self._gate,
            "appointment": self._appointment,
            "canteen": self._canteen,
            "energy": self._energy,
            "camera": self._camera,
            "status": self._status,
        }

    # --- the consumer's side --------------------------------------------------
    def observe(self, events: Sequence[Event]) -> None:
        found: list[AlarmSignal] = []
        with self._lock:
            for event in sorted(events, key=lambda e: e.ts):
                found += self._guarded(event.stream, self._routes[event.stream], event)
            self.stats.events += len(events)
            if events:
                newest = max(e.ts for e in events)
                self._mark = max(newest, self._mark or newest)
            if any(e.stream in ("canteen", "camera") for e in events):
                # a minute of canteen time just completed: judge it now, not at
                # the next tick (up to a minute later)
                congestion = self.detectors.evaluate_congestion
                found += self._evaluate("congestion", congestion)
            found += self._rejudged.settle(found, self._mark)
        self._emit(found, self._clock())

    def _guarded(
        self, name: str, run: Callable[[Event], list[AlarmSignal]], event: Event
    ) -> list[AlarmSignal]:
        """One detector failing is logged (rate-limited) and the others run on."""
        return self._evaluate(name, lambda: run(event))

    def _evaluate(
        self, name: str, evaluate: Callable[[], list[AlarmSignal]]
    ) -> list[AlarmSignal]:
        try:
            return evaluate()
        except Exception:
            count = self.stats.failures[name] = self.stats.failures.get(name, 0) + 1
            if count <= 5 or count % 1000 == 0:
                logger.exception("detector %s failed (%d times)", name, count)
            return []

    def _gate(self, event: Event) -> list[AlarmSignal]:
        assert isinstance(event, GateEvent)
        found = self.detectors.devices.seen(event.device, event.ts)
        return found + self.detectors.gates.pass_(event)

    def _appointment(self, event: Event) -> list[AlarmSignal]:
        assert isinstance(event, AppointmentEvent)
        self.detectors.gates.visitors.book(event)
        return self.detectors.devices.seen(event.device, event.ts)

    def _canteen(self, event: Event) -> list[AlarmSignal]:
        assert isinstance(event, CanteenEvent)
        self.detectors.canteen_event(event.device, event.ts, event.kind, event.count)
        return self.detectors.devices.seen(event.device, event.ts)

    def _energy(self, event: Event) -> list[AlarmSignal]:
        assert isinstance(event, EnergyEvent)
        d = self.detectors
        found = d.devices.seen(event.device, event.ts)
        found += d.meters.reading(event.device, event.ts, event.value, event.interval_s)
        found += d.energy.reading(event.device, event.ts, event.value, event.interval_s)
        return found

    def _camera(self, event: Event) -> list[AlarmSignal]:
        assert isinstance(event, CameraEvent)
        d = self.detectors
        if event.kind == "camera_offline":
            return d.devices.status(event.device, event.ts, "offline", "摄像机无画面")
        found = d.devices.seen(event.device, event.ts)
        if event.kind == "people_count":
            d.gates.count(event.device, event.ts, event.count)
        if event.kind in ("people_count", "crowd_density"):
            d.queue_count(event.zone, event.ts, event.count)
        return found + self.camera_rules.signals(event)

    def _status(self, event: Event) -> list[AlarmSignal]:
        assert isinstance(event, StatusEvent)
        reason = event.reason or ""
        return self.detectors.devices.status(
            event.device, event.ts, event.state, reason
        )

    # --- the clock's side ------------------------------------------------------
    def tick(self, now: datetime | None = None) -> list[AlarmSignal]:
        """Evaluate the windowed detectors; returns what was passed to the sink."""
        now = now or self._clock()
        with self._lock:
            found: list[AlarmSignal] = []
            for name, evaluate in self.detectors.evaluations():
                found += self._evaluate(name, evaluate)
            found += self._rejudged.settle(found, self._mark)
            states = self.detectors.congestion_states()
        if self._publish is not None and states:
            try:
                self._publish(states)
            except Exception:
                logger.exception("publishing congestion state failed")
        return self._emit(found, now)

    def set_baseline(self, baseline: Baseline) -> None:
        with self._lock:
            self.detectors.energy.baseline = baseline

    def set_profiles(self, profiles: Profiles) -> None:
        """Canteen arrival profiles of past weeks (`detectors.canteen.arrivals`)."""
        with self._lock:
            self.detectors.congestion.profiles = dict(profiles)

    def resume(self, conditions: Sequence[AlarmSignal]) -> int:
        """Take over the conditions still open in the alarm engine (after a
        restart): never raised a second time, cleared like our own
        (`streams.detection.resume`). Returns how many a detector holds."""
        held = 0
        with self._lock:
            for signal in conditions:
                self._passed.add((signal.kind, signal.source))
                if adopt(self.detectors, signal):
                    held += 1
                else:
                    self._rejudged.add(signal)
        return held

    def restore_visitors(self, history: VisitorHistory) -> None:
        """Appointments and visitors on site from history (after a restart)."""
        bookings = [e for e in history.appointments if isinstance(e, AppointmentEvent)]
        passes = [e for e in history.passes if isinstance(e, GateEvent)]
        with self._lock:
            self.detectors.gates.visitors.restore(
                bookings, passes, history.complete_since
            )

    def set_blacklist(self, credentials: frozenset[str]) -> None:
        with self._lock:
            self.detectors.gates.blacklist = credentials

    def _emit(self, found: list[AlarmSignal], now: datetime) -> list[AlarmSignal]:
        passed = [s for s in found if self._keep(s, now)]
        if passed:
            self.stats.signals += len(passed)
            self._sink.submit(passed, now)
        return passed

    def _keep(self, signal: AlarmSignal, now: datetime) -> bool:
        key = (signal.kind, signal.source)
        if signal.state == "cleared":
            if key not in self._passed:
                return False
            self._passed.discard(key)
            return True
        if now - signal.observed_at > self._fresh:
            self.stats.stale_dropped += 1
            return False
        self._passed.add(key)
        return True
