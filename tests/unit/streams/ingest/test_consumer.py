"""The consumer worker with list-backed sinks (no servers)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from streams.config.site import Site
from streams.ingest.consumer import Consumer
from streams.ingest.delivery import Delivery
from streams.ingest.spool import Spool
from streams.wire.contracts import Event, to_payload, topic_for
from streams.wire.decoding import EdgeLimits
from streams.wire.mqtt import InboundMessage
from tests import builders
from tests.fakes import ListHistory, ListLive


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


def delivery(
    tmp_path: Path,
    history: ListHistory,
    live: ListLive,
    max_bytes: int = 10**7,
    stop: threading.Event | None = None,
) -> Delivery:
    return Delivery(
        site_id="oujiang-civic",
        history=history,
        live=live,
        history_spool=Spool(tmp_path / "h", max_bytes),
        dead_letter_spool=Spool(tmp_path / "d", max_bytes),
        rebuild_live=lambda: (0, 0),
        stop=stop or threading.Event(),
    )


def make(
    site: Site, deliver: Delivery, observers: Sequence[Recorder] = ()
) -> tuple[Consumer, list[int]]:
    acked: list[int] = []
    consumer = Consumer(
        site=site,
        limits=EdgeLimits(),
        delivery=deliver,
        acknowledge=lambda m: acked.append(m.mid),
        observers=observers,
    )
    return consumer, acked


def test_batch_is_acknowledged_after_it_is_written(
    sample_site: Site, tmp_path: Path
) -> None:
    history, live = ListHistory(), ListLive()
    consumer, acked = make(sample_site, delivery(tmp_path, history, live))
    event = builders.gate()
    assert consumer.process(
        [message(sample_site, event, 7), message(sample_site, event, 8)]
    )
    assert acked == [7, 8]
    assert list(history.rows) == list(live.applied) == [str(event.event_id)]


def test_garbage_is_dead_lettered_and_acknowledged(
    sample_site: Site, tmp_path: Path
) -> None:
    live = ListLive()
    consumer, acked = make(sample_site, delivery(tmp_path, ListHistory(), live))
    bad = InboundMessage(
        f"ioc/{sample_site.id}/gate/gate-east", b"{", 3, 1, datetime.now(UTC)
    )
    assert consumer.process([bad])
    assert acked == [3]
    assert [e.reason.split(":")[0] for e in live.dead] == ["not JSON"]
    assert consumer.stats.dead_letter_reasons == {"not JSON": 1}


def test_failing_observer_does_not_stop_the_others(
    sample_site: Site, tmp_path: Path
) -> None:
    broken, healthy = Recorder(fail=True), Recorder()
    consumer, acked = make(
        sample_site, delivery(tmp_path, ListHistory(), ListLive()), [broken, healthy]
    )
    event = builders.meal()
    assert consumer.process([message(sample_site, event, 1)])
    assert acked == [1]
    assert healthy.seen == [event]


def test_both_servers_down_and_spool_full_leaves_the_batch_unacknowledged(
    sample_site: Site, tmp_path: Path
) -> None:
    history, live = ListHistory(), ListLive()
    history.down = live.down = True
    stop = threading.Event()
    stop.set()
    consumer, acked = make(
        sample_site, delivery(tmp_path, history, live, max_bytes=10, stop=stop)
    )
    assert not consumer.process([message(sample_site, builders.gate(), 1)])
    assert acked == []
