"""Delivery follows what history made of a batch: refused rows are dead letters (never
a spooled batch), re-stamped duplicates count nowhere, and readiness says when history
is not being written (issue points 1 and 3). Real spools, list-backed sinks."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from streams.ingest.delivery import Delivery
from streams.ingest.metrics import readiness
from streams.wire.contracts import Event
from tests import builders
from tests.fakes import ListHistory, ListLive
from tests.unit.streams.ingest.test_delivery import NOW, make

CONNECTED = SimpleNamespace(subscription=SimpleNamespace(connected=True))


def test_a_refused_row_is_a_dead_letter_and_the_rest_is_written(
    tmp_path: Path,
) -> None:
    delivery, history, live, _ = make(tmp_path)
    events: list[Event] = [builders.gate() for _ in range(5)]
    history.refuse.add(str(events[2].event_id))
    delivered = delivery.deliver(events, [], NOW)
    expected = events[:2] + events[3:]
    assert delivered is not None and delivered.events == expected
    assert list(history.rows) == [str(e.event_id) for e in expected]
    assert list(live.applied) == list(history.rows)  # the refused row counts nowhere
    [letter] = live.dead
    assert letter.topic == "ioc/oujiang-civic/gate/gate-east"
    assert letter.reason == "refused by PostgreSQL: 22021: invalid byte sequence"
    assert delivery.spooled == (0, 0) and delivery.stats.refused == 1
    assert readiness(CONNECTED, delivery)["postgresql"]


def test_later_batches_do_not_queue_behind_a_refused_row(tmp_path: Path) -> None:
    delivery, history, _, _ = make(tmp_path)
    poison = builders.gate()
    history.refuse.add(str(poison.event_id))
    assert delivery.deliver([poison], [], NOW)
    after: list[Event] = [builders.gate() for _ in range(3)]
    assert delivery.deliver(after, [], NOW)
    assert list(history.rows) == [str(e.event_id) for e in after]
    assert delivery.spooled == (0, 0)


def test_a_restamped_duplicate_is_stored_and_counted_once(tmp_path: Path) -> None:
    delivery, history, live, _ = make(tmp_path)
    first = builders.gate()
    retry = first.model_copy(update={"ts": first.ts + timedelta(hours=2)})
    assert delivery.deliver([first], [], NOW)
    delivered = delivery.deliver([retry, builders.gate()], [], NOW)
    assert delivered is not None and retry not in delivered.events
    assert history.rows[str(first.event_id)].ts == first.ts  # the first version won
    assert live.applied[str(first.event_id)] == first and len(live.applied) == 2
    assert delivery.stats.written == 2 and delivery.stats.duplicates == 1


def test_refused_rows_of_a_spooled_batch_are_dead_letters_when_drained(
    tmp_path: Path,
) -> None:
    delivery, history, live, _ = make(tmp_path)
    history.down = True
    events: list[Event] = [builders.gate() for _ in range(3)]
    assert delivery.deliver(events, [], NOW)
    history.down = False
    history.refuse.add(str(events[0].event_id))
    while delivery._drain_one():
        pass
    assert list(history.rows) == [str(e.event_id) for e in events[1:]]
    assert [d.reason.split(":")[0] for d in live.dead] == ["refused by PostgreSQL"]
    assert delivery.spooled == (0, 0)


def test_not_ready_while_a_spooled_backlog_cannot_be_written(tmp_path: Path) -> None:
    delivery, history, _, _ = make(tmp_path)
    history.down = True
    assert delivery.deliver([builders.gate()], [], NOW)
    assert not readiness(CONNECTED, delivery)["postgresql"]
    # A restart while PostgreSQL is still down: the new process has a backlog and
    # has written nothing yet.
    restarted = Delivery(
        site_id="oujiang-civic",
        history=history,
        live=ListLive(),
        history_spool=delivery._spool,
        dead_letter_spool=delivery._dead_spool,
        rebuild_live=lambda: (0, 0),
        stop=delivery._stop,
    )
    assert not readiness(CONNECTED, restarted)["postgresql"]
    assert not restarted._drain_one()
    assert not readiness(CONNECTED, restarted)["postgresql"]
    history.down = False
    assert restarted._drain_one()
    assert readiness(CONNECTED, restarted)["postgresql"]


def test_the_drainer_marks_history_down_when_it_fails(tmp_path: Path) -> None:
    delivery, history, _, _ = make(tmp_path)
    history.down = True
    assert delivery.deliver([builders.gate()], [], NOW)
    history.down = False
    assert delivery._drain_one() and delivery.history_state.up
    history.down = True
    assert delivery.deliver([builders.gate()], [], NOW)  # down again
    history.down = False
    delivery.history_state.succeeded()  # e.g. a write that raced the outage
    history.down = True
    assert not delivery._drain_one()
    assert not readiness(CONNECTED, delivery)["postgresql"]


def test_list_history_keeps_the_first_version() -> None:
    history = ListHistory()
    event = builders.gate()
    later = event.model_copy(update={"ts": event.ts + timedelta(minutes=1)})
    outcome = history.write([event, later])
    assert outcome.new == 1 and history.rows[str(event.event_id)] is event


def test_an_unreadable_spool_file_is_set_aside_and_the_rest_drains(
    tmp_path: Path,
) -> None:
    delivery, history, _, _ = make(tmp_path)
    history.down = True
    first: list[Event] = [builders.gate()]
    second: list[Event] = [builders.gate()]
    assert delivery.deliver(first, [], NOW) and delivery.deliver(second, [], NOW)
    damaged = sorted((tmp_path / "h").glob("*.batch"))[0]
    damaged.write_bytes(damaged.read_bytes().replace(b'"gate"', b'"weather"', 1))
    history.down = False
    while delivery._drain_one():
        pass
    assert list(history.rows) == [str(second[0].event_id)]
    assert delivery.spooled == (0, 0)
    assert [p.suffix for p in (tmp_path / "h").iterdir()] == [".bad"]
