"""`isolate`: a batch refused for its content is split until each refused row stands
alone; everything else is written once; other errors are not split."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from streams.history.outcome import HistoryOutcome, Refusal
from streams.ingest.refusals import dead_letter, isolate
from streams.wire.contracts import Event
from tests import builders


class Refused(Exception):
    pass


class Down(Exception):
    pass


class Writer:
    """Refuses any batch holding a poison row; like a transaction, all or nothing."""

    def __init__(self, poison: set[int], down_after: int | None = None) -> None:
        self.poison, self.down_after = poison, down_after
        self.stored: list[Event] = []
        self.calls = 0

    def __call__(self, events: Sequence[Event]) -> HistoryOutcome:
        self.calls += 1
        if self.down_after is not None and self.calls > self.down_after:
            raise Down("connection refused")
        if any(e.count in self.poison for e in events):  # type: ignore[union-attr]
            raise Refused("22021: invalid byte sequence")
        self.stored += events
        return HistoryOutcome(new=len(events))


def classify(error: Exception) -> str | None:
    return str(error) if isinstance(error, Refused) else None


def batch(n: int) -> list[Event]:
    return [builders.people(count=i) for i in range(n)]


@pytest.mark.parametrize("poison", [set(), {0}, {499}, {250}, {3, 4, 5}, {7, 400}])
def test_only_refused_rows_are_left_out(poison: set[int]) -> None:
    events = batch(500)
    writer = Writer(poison)
    outcome = isolate(events, writer, classify)
    assert [r.event.count for r in outcome.refused] == sorted(poison)  # type: ignore[union-attr]
    assert {r.reason for r in outcome.refused} <= {"22021: invalid byte sequence"}
    assert writer.stored == [e for e in events if e.count not in poison]  # type: ignore[union-attr]
    assert outcome.new == 500 - len(poison)
    assert outcome.kept(events) == writer.stored


def test_one_poison_row_costs_a_few_statements() -> None:
    writer = Writer({137})
    isolate(batch(500), writer, classify)
    assert writer.calls <= 2 * 9 + 1  # log2(500) < 9 levels, two halves each


def test_a_server_that_is_down_is_not_split() -> None:
    writer = Writer({3}, down_after=0)
    with pytest.raises(Down):
        isolate(batch(10), writer, classify)
    assert writer.calls == 1


def test_a_server_lost_while_splitting_fails_the_whole_batch() -> None:
    writer = Writer({3}, down_after=2)
    with pytest.raises(Down):
        isolate(batch(10), writer, classify)


def test_kept_leaves_out_refused_and_superseded_events() -> None:
    events = batch(4)
    outcome = HistoryOutcome(
        new=2,
        superseded=frozenset({events[1].event_id}),
        refused=(Refusal(events[2], "22021"),),
    )
    assert outcome.kept(events) == [events[0], events[3]]
    total = outcome + HistoryOutcome(new=1, refused=(Refusal(events[3], "23502"),))
    assert total.new == 3 and total.kept(events) == [events[0]]


def test_the_dead_letter_names_the_row_and_the_reason() -> None:
    event = builders.gate()
    letter = dead_letter(Refusal(event, "22021: invalid byte sequence"), "site-a")
    assert letter.topic == "ioc/site-a/gate/gate-east"
    assert letter.reason == "refused by PostgreSQL: 22021: invalid byte sequence"
    assert str(event.event_id).encode() in letter.raw
