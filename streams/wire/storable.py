"""Edge checks for what the stores could not hold (issue points 1 and 4).

A contract-valid event can still be unstorable: PostgreSQL refuses NUL in text, a lone
surrogate cannot be encoded to UTF-8 for PostgreSQL or Redis, and a time such as
``0001-01-01T00:00:00+14:00`` is year 0 in UTC (a BC date in PostgreSQL, no Redis day
key). Such events are refused here, at the edge, with a reason, so one of them costs one
dead letter and never a batch. Pure: the receive time is an argument.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from streams.wire.contracts import AppointmentEvent, Event

# C0 controls, DEL, C1 controls (Unicode category Cc) and surrogates (Cs): NUL is
# refused by PostgreSQL, surrogates by every UTF-8 encoder, and the other controls
# have no business in ids, names or reasons (log and screen injection).
_UNSTORABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class EdgeLimits:
    """What the edge accepts beyond the contract (docs/events.md, plausible times)."""

    max_payload_bytes: int = 65_536
    max_future_skew: timedelta = timedelta(minutes=5)
    # Still fits a gateway's store-and-forward after a long outage
    # (IOC_MAX_EVENT_AGE_DAYS).
    max_age: timedelta = timedelta(days=30)
    # An appointment's expected window lies within this of the event's ts.
    max_schedule_span: timedelta = timedelta(days=366)


def text_problem(event: Event) -> str | None:
    """The first string field holding a control character or a surrogate, if any."""
    for name, value in event.__dict__.items():
        if isinstance(value, str) and (found := _UNSTORABLE.search(value)):
            code = f"U+{ord(found.group()):04X}"
            return f"invalid field {name}: control character {code} not allowed"
    return None


def time_problem(event: Event, now: datetime, limits: EdgeLimits) -> str | None:
    """`ts` must lie in [now - max_age, now + max_future_skew] (`now`: the receive
    time); an appointment's expected window within `max_schedule_span` of `ts`."""
    try:
        if event.ts > now + limits.max_future_skew:
            return f"timestamp {event.ts.isoformat()} in the future"
        if event.ts < now - limits.max_age:
            days = limits.max_age // timedelta(days=1)
            return f"timestamp {event.ts.isoformat()} too old (over {days} days)"
        if isinstance(event, AppointmentEvent):
            return _schedule_problem(event, limits.max_schedule_span)
    except (OverflowError, ValueError):  # beyond what datetime can convert
        return f"timestamp {event.ts.isoformat()} out of range"
    return None


def _schedule_problem(event: AppointmentEvent, span: timedelta) -> str | None:
    for name in ("expected_from", "expected_to"):
        value: datetime = getattr(event, name)
        if abs(value - event.ts) > span:
            days = span // timedelta(days=1)
            return f"invalid field {name}: more than {days} days from ts"
    return None
