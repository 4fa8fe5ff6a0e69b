"""Events for the history tests and their expected read results, computed here in
plain Python from the events (never from SQL), so the plain PostgreSQL suite and the
TimescaleDB suite check the same numbers.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

import pandas as pd

from streams.config.site import Site
from streams.wire.contracts import (
    AppointmentEvent,
    CameraEvent,
    CanteenEvent,
    EnergyEvent,
    Event,
    GateEvent,
    StatusEvent,
)

TZ_NAME = "Asia/Shanghai"
TZ = ZoneInfo(TZ_NAME)
MINUTE = timedelta(minutes=1)
LOCAL_ORIGIN = datetime(2000, 1, 3)  # time_bucket's default origin with a timezone
DAY = datetime(2025, 3, 10, tzinfo=TZ)  # local midnight of the scenario's main day
# Explicit timestamps on either side of minute, quarter-hour and local-midnight edges.
EDGES = (
    DAY - timedelta(microseconds=1),
    DAY,
    DAY + timedelta(seconds=59, microseconds=999_999),
    DAY + MINUTE,
    DAY + timedelta(minutes=14, seconds=59),
    DAY + timedelta(minutes=15),
    DAY + timedelta(days=1) - timedelta(seconds=1),
    DAY + timedelta(days=1),
)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


def build_events(site: Site, count: int = 400, seed: int = 7) -> list[Event]:
    """`count` random events from local 2025-03-09 20:00 to 2025-03-11 04:00 plus one
    event of every stream at each edge in EDGES."""
    rng = random.Random(seed)
    span_start = local(2025, 3, 9, 20, 0)
    span = (local(2025, 3, 11, 4, 0) - span_start).total_seconds()
    times = [span_start + timedelta(seconds=rng.uniform(0, span)) for _ in range(count)]
    events = [_random_event(rng, site, ts) for ts in times]
    for ts in EDGES:
        events += [_random_event(rng, site, ts, stream) for stream in _MAKERS]
    return events


def _random_event(
    rng: random.Random, site: Site, ts: datetime, stream: str | None = None
) -> Event:
    stream = stream or rng.choice(list(_MAKERS))
    event_id = uuid.UUID(int=rng.getrandbits(128), version=4)
    return _MAKERS[stream](rng, site, event_id, ts)


def _gate(rng: random.Random, site: Site, event_id: uuid.UUID, ts: datetime) -> Event:
    subject: Literal["staff", "visitor", "vehicle"] = rng.choice(
        ["staff", "staff", "visitor", "vehicle"]
    )
    denied = rng.random() < 0.15
    return GateEvent(
        event_id=event_id,
        ts=ts,
        device=rng.choice([g.id for g in site.gates]),
        direction=rng.choice(["in", "in", "out"]),
        subject=subject,
        credential_kind="plate" if subject == "vehicle" else "face",
        credential=f"cred-{rng.randrange(1000)}",
        result="denied" if denied else "granted",
        deny_reason="unknown_face" if denied else None,
        appointment_id="A-1" if subject == "visitor" else None,
    )


def _appointment(
    rng: random.Random, site: Site, event_id: uuid.UUID, ts: datetime
) -> Event:
    return AppointmentEvent(
        event_id=event_id,
        ts=ts,
        device=site.booking.id,
        appointment_id=f"A-{rng.randrange(100)}",
        action=rng.choice(["created", "changed", "cancelled"]),
        visitor_name="张三",
        host_name="李四",
        unit="市发改委",
        expected_from=ts + timedelta(hours=1),
        expected_to=ts + timedelta(hours=2),
        plate=rng.choice([None, "浙C12345"]),
    )


def _canteen(
    rng: random.Random, site: Site, event_id: uuid.UUID, ts: datetime
) -> Event:
    kind: Literal["settlement", "window_open"] = rng.choice(
        ["settlement", "settlement", "settlement", "window_open"]
    )
    settlement = kind == "settlement"
    return CanteenEvent(
        event_id=event_id,
        ts=ts,
        device=rng.choice(["c1-w1", "c1-w2", "c2-w1"]),
        kind=kind,
        meal=rng.choice(["breakfast", "lunch", "dinner"]),
        count=rng.randint(1, 4) if settlement else 0,
        amount_yuan=round(rng.uniform(3, 40), 2) if settlement else 0.0,
    )


def _energy(rng: random.Random, site: Site, event_id: uuid.UUID, ts: datetime) -> Event:
    meter = rng.choice(
        [site.meters_by_id["m-b1-kw"], site.meters_by_id["m-water-main"]]
    )
    return EnergyEvent(
        event_id=event_id,
        ts=ts,
        device=meter.id,
        quantity=meter.quantity,
        value=round(rng.uniform(0, meter.max_value), 3),
        interval_s=60,
    )


def _camera(rng: random.Random, site: Site, event_id: uuid.UUID, ts: datetime) -> Event:
    camera = rng.choice(site.cameras[:3])
    kind: Literal["people_count", "zone_intrusion", "camera_offline"] = rng.choice(
        ["people_count", "zone_intrusion", "camera_offline"]
    )
    return CameraEvent(
        event_id=event_id,
        ts=ts,
        device=camera.id,
        kind=kind,
        zone=None if kind == "camera_offline" else camera.zones[0].id,
        count=0 if kind == "camera_offline" else rng.randint(0, 60),
    )


def _status(rng: random.Random, site: Site, event_id: uuid.UUID, ts: datetime) -> Event:
    return StatusEvent(
        event_id=event_id,
        ts=ts,
        device=rng.choice(["gate-east", "c1-w1", "m-b1-kw"]),
        state=rng.choice(["online", "offline", "heartbeat"]),
        reason=None,
    )


_MAKERS = {
    "gate": _gate,
    "appointment": _appointment,
    "canteen": _canteen,
    "energy": _energy,
    "camera": _camera,
    "status": _status,
}


def local_bucket(ts: datetime, width: timedelta) -> datetime:
    """Start of the `width` bucket holding ts's minute, aligned in local time."""
    minute = ts.astimezone(TZ).replace(tzinfo=None, second=0, microsecond=0)
    steps = (minute - LOCAL_ORIGIN) // width
    return (LOCAL_ORIGIN + steps * width).replace(tzinfo=TZ)


def _in_window(events: list[Event], stream: str, start: datetime, end: datetime):
    for event in events:
        minute = event.ts.replace(second=0, microsecond=0)
        if event.stream == stream and start <= minute < end:
            yield event


def expected_gate(events, start, end, width) -> list[tuple]:
    counts: defaultdict[tuple, int] = defaultdict(int)
    for e in _in_window(events, "gate", start, end):
        counts[(local_bucket(e.ts, width), e.subject, e.direction, e.result)] += 1
    return sorted(((*key, n) for key, n in counts.items()), key=row_key)


def expected_meals(events, start, end, width) -> list[tuple]:
    totals: defaultdict[tuple, list[float]] = defaultdict(lambda: [0, 0.0])
    for e in _in_window(events, "canteen", start, end):
        total = totals[(local_bucket(e.ts, width), e.device)]
        if e.kind == "settlement":
            total[0] += e.count
            total[1] += e.amount_yuan
    rows = [(*key, m, round(a, 2)) for key, (m, a) in totals.items()]
    return sorted(rows, key=row_key)


def expected_energy(events, start, end, width) -> list[tuple]:
    values: defaultdict[tuple, list[float]] = defaultdict(list)
    for e in _in_window(events, "energy", start, end):
        values[(local_bucket(e.ts, width), e.device, e.quantity)].append(e.value)
    rows = [
        (*key, round(sum(v) / len(v), 6), round(sum(v), 6), max(v), len(v))
        for key, v in values.items()
    ]
    return sorted(rows, key=row_key)


def expected_camera(events, start, end, width) -> list[tuple]:
    counts: defaultdict[tuple, list[int]] = defaultdict(list)
    for e in _in_window(events, "camera", start, end):
        counts[(local_bucket(e.ts, width), e.device, e.kind, e.zone)].append(e.count)
    return sorted(((*key, max(c), len(c)) for key, c in counts.items()), key=row_key)


def frame_rows(frame: pd.DataFrame) -> list[tuple]:
    """A read function's frame as sorted tuples (python datetimes, rounded floats)."""
    rows = []
    for row in frame.itertuples(index=False):
        values = [
            v.to_pydatetime()
            if isinstance(v, pd.Timestamp)
            else round(v, 6)
            if isinstance(v, float)
            else v
            for v in row
        ]
        rows.append(tuple(None if v is pd.NA else v for v in values))
    return sorted(rows, key=row_key)


def row_key(row: tuple) -> tuple:
    """Sort key tolerating None (camera events without a zone)."""
    return tuple((v is None, "" if v is None else v) for v in row)


# (start, end, bucket width): minute, quarter-hour and local-day edges, plus a start
# that is not on a bucket edge (its first bucket holds only the minutes from start).
WINDOWS = (
    (local(2025, 3, 9, 23, 50), local(2025, 3, 10, 0, 20), MINUTE),
    (local(2025, 3, 9, 23, 0), local(2025, 3, 10, 1, 0), timedelta(minutes=15)),
    (local(2025, 3, 9, 23, 52), local(2025, 3, 10, 0, 31), timedelta(minutes=15)),
    (local(2025, 3, 9), local(2025, 3, 12), timedelta(days=1)),
)
WINDOW_IDS = ("1min", "15min", "15min-unaligned-start", "1day-local-midnight")
