"""What a restarted detection runner takes back before (or soon after) the consumer
feeds it: the conditions the alarm engine holds open (`resume`) and the visitor
appointments and visitors on site from history (`visitor_reads`). Retried every
tick until both worked once; until then the hub runs on without them."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable

import psycopg

from streams.alarms.model import Alarm
from streams.config.settings import Settings
from streams.detection.hub import DetectionHub
from streams.detection.resume import open_conditions
from streams.detection.sinks import AlarmSink
from streams.history.visitor_reads import visitor_history

logger = logging.getLogger(__name__)
BOOKINGS_BACK = timedelta(days=7)  # appointments are booked up to days ahead
VISITS_BACK = timedelta(days=1)  # a visitor on site longer than this is stale


@runtime_checkable
class OpenAlarms(Protocol):
    """An alarm sink that can say what it holds open (`streams.alarms`)."""

    def open_alarms(self) -> Sequence[Alarm]: ...


class Resumption:
    def __init__(self, hub: DetectionHub, sink: AlarmSink, settings: Settings) -> None:
        self._hub, self._sink, self._settings = hub, sink, settings
        self.alarms_done = not isinstance(sink, OpenAlarms)
        self.visitors_done = False
        self._warned = False

    @property
    def done(self) -> bool:
        return self.alarms_done and self.visitors_done

    def attempt(self, now: datetime) -> bool:
        """One try at what is still missing; True once everything is back."""
        if self.done:
            return True
        try:
            self._alarms()
            self._visitors(now)
        except (psycopg.Error, OSError, ValueError) as exc:
            if not self._warned:
                logger.warning("detection state not restored yet (%s): retrying", exc)
            self._warned = True
            return False
        return True

    def _alarms(self) -> None:
        if self.alarms_done:
            return
        assert isinstance(self._sink, OpenAlarms)
        conditions = open_conditions(self._sink.open_alarms())
        held = self._hub.resume(conditions)
        self.alarms_done = True
        logger.info(
            "took over %d open alarm conditions (%d held by their detectors)",
            len(conditions),
            held,
        )

    def _visitors(self, now: datetime) -> None:
        if self.visitors_done:
            return
        grace = timedelta(minutes=self._hub.detectors.spec.gates.overstay_grace_min)
        url = self._settings.url("database")
        with psycopg.connect(url, connect_timeout=5) as conn:
            history = visitor_history(
                conn,
                since=now - BOOKINGS_BACK,
                until=now + timedelta(minutes=1),
                relevant=now - grace - VISITS_BACK,
            )
        self._hub.restore_visitors(history)
        self.visitors_done = True
        logger.info(
            "visitor book restored: %d appointment events, %d visitor passes",
            len(history.appointments),
            len(history.passes),
        )
