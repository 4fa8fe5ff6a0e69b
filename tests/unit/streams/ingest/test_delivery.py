"""Delivery through server outages: spool, drain in order, rebuild live state."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from streams.ingest.delivery import Delivery
from streams.ingest.spool import Spool
from streams.wire.contracts import Event
from streams.wire.decoding import DecodeError
from tests import builders
from tests.fakes import ListHistory, ListLive

NOW = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)


class Rebuilds:
    def __init__(self, history: ListHistory, live: ListLive) -> None:
        self.history, self.live, self.count = history, live, 0

    def __call__(self) -> tuple[int, int]:
        self.count += 1
        events = list(self.history.rows.values())
        return len(events), self.live.apply(events)


def make(
    tmp_path: Path, max_bytes: int = 10**7
) -> tuple[Delivery, ListHistory, ListLive, Rebuilds]:
    history, live = ListHistory(), ListLive()
    rebuilds = Rebuilds(history, live)
    delivery = Delivery(
        site_id="oujiang-civic",
        history=history,
        live=live,
        history_spool=Spool(tmp_path / "h", max_bytes),
        dead_letter_spool=Spool(tmp_path / "d", max_bytes),
        rebuild_live=rebuilds,
        stop=threading.Event(),
    )
    return delivery, history, live, rebuilds


def test_database_down_spools_and_live_goes_on(tmp_path: Path) -> None:
    delivery, history, live, _ = make(tmp_path)
    history.down = True
    first: list[Event] = [builders.gate()]
    second: list[Event] = [builders.gate()]
    assert delivery.deliver(first, [], NOW)
    assert delivery.deliver(second, [], NOW)
    assert len(live.applied) == 2 and not history.rows
    assert delivery.spooled[0] == 2
    history.down = False
    third: list[Event] = [builders.gate()]
    assert delivery.deliver(third, [], NOW)  # behind the backlog: spooled, in order
    assert delivery.spooled[0] == 3 and not history.rows
    while delivery._drain_one():
        pass
    assert list(history.rows) == [str(e.event_id) for e in first + second + third]
    assert delivery.spooled == (0, 0)


def test_redis_down_writes_history_and_rebuilds_live_when_back(tmp_path: Path) -> None:
    delivery, history, live, rebuilds = make(tmp_path)
    live.down = True
    events: list[Event] = [builders.gate(), builders.meal()]
    error = DecodeError.of("ioc/x/gate/y", "not JSON", b"{")
    assert delivery.deliver(events, [error], NOW)
    assert len(history.rows) == 2 and not live.applied
    assert delivery.live_dirty and delivery.spooled[0] == 1  # the dead letter waits
    delivery._repair_live()
    assert rebuilds.count == 0  # still down
    live.down = False
    delivery._repair_live()
    while delivery._drain_one():
        pass
    assert rebuilds.count == 1 and len(live.applied) == 2 and live.dead == [error]
    assert not delivery.live_dirty and delivery.spooled[0] == 0


def test_both_down_then_back_loses_and_doubles_nothing(tmp_path: Path) -> None:
    delivery, history, live, _ = make(tmp_path)
    history.down = live.down = True
    events: list[Event] = [builders.gate() for _ in range(5)]
    assert delivery.deliver(events, [], NOW)
    history.down = live.down = False
    while delivery._drain_one():
        pass
    delivery._repair_live()
    assert len(history.rows) == len(live.applied) == 5


def test_a_restart_that_lost_redis_state_is_repaired(tmp_path: Path) -> None:
    delivery, _, live, rebuilds = make(tmp_path)
    assert delivery.deliver([builders.gate()], [], NOW)
    live.applied.clear()
    live.lost = True  # e.g. Redis restarted with an older snapshot
    delivery._repair_live()
    assert rebuilds.count == 1 and len(live.applied) == 1 and not live.lost


def test_spool_survives_a_crash(tmp_path: Path) -> None:
    spool = Spool(tmp_path, 10**6)
    event = builders.reading(value=12.5)
    error = DecodeError.of("ioc/x/gate/y", "not JSON", b"\xff\x00{")
    assert spool.append([event], [error], NOW, needs_history=True, needs_live=True)
    (tmp_path / "000000000099.tmp").write_bytes(b"half a batch")  # a crash mid-write
    reopened = Spool(tmp_path, 10**6)
    batch = reopened.oldest()
    assert batch is not None and reopened.batches == 1
    assert batch.events == [event] and batch.errors == [error]
    assert batch.needs_history and batch.needs_live and batch.received_at == NOW
    reopened.remove(batch)
    assert reopened.is_empty() and reopened.bytes == 0


@pytest.mark.parametrize(("room", "stored"), [(-1, False), (0, True), (1, True)])
def test_spool_bound(tmp_path: Path, room: int, stored: bool) -> None:
    probe = Spool(tmp_path / "probe", 10**6)
    event = builders.gate()
    probe.append([event], [], NOW, needs_history=True, needs_live=False)
    size = probe.bytes
    spool = Spool(tmp_path / "bounded", size + room)
    assert (
        spool.append([event], [], NOW, needs_history=True, needs_live=False) is stored
    )
