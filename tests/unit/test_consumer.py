"""The consumer worker with our own tiny list-backed sinks (no servers)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import UTC, datetime

from streams.consumer import Consumer
from streams.contracts import Event, to_payload, topic_for
from streams.decoding import DecodeError, EdgeLimits
from streams.mqtt import InboundMessage
from streams.site import Site
from tests import builders


class ListHistory:
    def __init__(self, fail_times: int = 0) -> None:
        self.rows: dict[str, Event] = {}
        self.fail_times = fail_times

    def write(self, events: Sequence[Event]) -> int:
        if self.fail_times:
            self.fail_times -= 1
            raise ConnectionError("database is down")
        new = [e for e in events if str(e.event_id) not in self.rows]
        self.rows.update({str(e.event_id): e for e in new})
        return len(new)


class ListLive:
    def __init__(self) -> None:
        self.applied: list[Event] = []
        self.dead: list[DecodeError] = []

    def apply(self, events: Sequence[Event]) -> int:
        self.applied += events
        return len(events)

    def record_dead_letters(
        self, errors: Sequence[DecodeError], received_at: datetime
    ) -> None:
        self.dead += errors


class Recorder:
    name = "recorder"

    def __init__(self, fail: bool = False) -> None:
        self.seen: list[Event] = []
        self.fail = fail

    def observe(self, events: Sequence[Event]) -> None:
        if self.fail:
            raise RuntimeError("detector bug")
        self.seen += events


def message(site: Site, event: Event, mid: int) -> InboundMessage:
    topic = topic_for(site.id, event.stream, event.device)
    return InboundMessage(topic, to_payload(event), mid, 1, datetime.now(UTC))


def make(
    site: Site, history: ListHistory, observers: Sequence[Recorder] = ()
) -> tuple[Consumer, list[int], ListLive]:
    acked: list[int] = []
    live = ListLive()
    consumer = Consumer(
        site=site,
        limits=EdgeLimits(),
        history=history,
        live=live,
        acknowledge=lambda m: acked.append(m.mid),
        stop=threading.Event(),
        observers=observers,
    )
    return consumer, acked, live


def test_batch_is_acknowledged_after_it_is_written(sample_site: Site) -> None:
    history = ListHistory(fail_times=2)
    consumer, acked, live = make(sample_site, history)
    event = builders.gate()
    assert consumer.process(
        [message(sample_site, event, 7), message(sample_site, event, 8)]
    )
    assert acked == [7, 8]
    assert list(history.rows) == [str(event.event_id)]
    assert len(live.applied) == 1  # the duplicate inside the batch counted once


def test_garbage_is_dead_lettered_and_acknowledged(sample_site: Site) -> None:
    consumer, acked, live = make(sample_site, ListHistory())
    bad = InboundMessage(
        f"ioc/{sample_site.id}/gate/gate-east", b"{", 3, 1, datetime.now(UTC)
    )
    assert consumer.process([bad])
    assert acked == [3]
    assert [e.reason.split(":")[0] for e in live.dead] == ["not JSON"]
    assert consumer.stats.dead_letter_reasons == {"not JSON": 1}


def test_failing_observer_does_not_stop_the_others(sample_site: Site) -> None:
    broken, healthy = Recorder(fail=True), Recorder()
    consumer, acked, _ = make(sample_site, ListHistory(), [broken, healthy])
    event = builders.meal()
    assert consumer.process([message(sample_site, event, 1)])
    assert acked == [1]
    assert healthy.seen == [event]


def test_stopping_during_an_outage_leaves_the_batch_unacknowledged(
    sample_site: Site,
) -> None:
    acked: list[int] = []
    stop = threading.Event()
    stop.set()
    consumer = Consumer(
        site=sample_site,
        limits=EdgeLimits(),
        history=ListHistory(fail_times=10**6),
        live=ListLive(),
        acknowledge=lambda m: acked.append(m.mid),
        stop=stop,
    )
    assert not consumer.process([message(sample_site, builders.gate(), 1)])
    assert acked == []
