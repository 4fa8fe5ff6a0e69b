"""How rows a server refuses are found in a batch, and dead-lettered (issue point 1).

A batch that PostgreSQL refuses for its content (one row with a value it cannot hold)
must not be treated like a server that is down: that spools the batch, the drainer
retries it forever and every later batch queues behind it. `isolate` splits such a
batch in halves until each refused row stands alone; the rest is written, the refused
rows come back as `Refusal`s with the server's reason (the consumer dead-letters them).
Pure: the writer and the error classifier are arguments.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from streams.history.outcome import HistoryOutcome, Refusal
from streams.wire.contracts import Event, to_payload, topic_for
from streams.wire.decoding import DecodeError


def dead_letter(refusal: Refusal, site_id: str) -> DecodeError:
    """The dead letter of a refused row: its topic, the server's reason, its JSON."""
    event = refusal.event
    try:
        raw = to_payload(event)
    except ValueError:  # e.g. a surrogate: keep what identifies it
        raw = str(event.event_id).encode()
    topic = topic_for(site_id, event.stream, event.device)
    return DecodeError.of(topic, f"refused by PostgreSQL: {refusal.reason}", raw)


Write = Callable[[Sequence[Event]], HistoryOutcome]
Classify = Callable[[Exception], "str | None"]  # the reason, or None: not content


def isolate(events: Sequence[Event], write: Write, refusal: Classify) -> HistoryOutcome:
    """`write(events)`; when the server refuses it for its content, the halves, down to
    single rows. Any other error (server down, our bug) propagates unchanged.

    Each call writes in its own transaction, so a refused half leaves nothing behind
    and a written half stays written. Cost: about 2·log2(n) extra statements per
    refused row."""
    try:
        return write(events)
    except Exception as exc:
        reason = refusal(exc)
        if reason is None:
            raise
        if len(events) < 2:
            if not events:
                raise
            return HistoryOutcome(refused=(Refusal(events[0], reason),))
    middle = len(events) // 2
    return isolate(events[:middle], write, refusal) + isolate(
        events[middle:], write, refusal
    )
