"""What the briefings (#7) and the intensity tile (#4) read from history.

Energy comes from the raw readings (the 1-minute rollups do not keep ``interval_s``,
which turns kW into kWh): per device and local 15-minute slot, kWh for the power
quantities (``value × interval_s / 3600``) and the value itself for interval
quantities (``water_m3``, non-cumulative ``*_kwh``). Cumulative meters are left out
(their running totals are not amounts). People are distinct credentials granted
entry per local day; meals come from the ``canteen_1m`` rollup. Every query takes
``start <= ts < end`` and groups by the site's local time (``tz``), with plain SQL
that runs the same on both history paths.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import psycopg

_SLOT = (
    "date_bin(INTERVAL '15 minutes', ts AT TIME ZONE %(tz)s, TIMESTAMP '2000-01-03')"
)

_ENERGY_SQL = f"""SELECT {_SLOT} AS slot, device, quantity,
        sum(CASE WHEN quantity LIKE '%%\\_kw' THEN value * interval_s / 3600.0
                 ELSE value END) AS amount
    FROM energy_readings
    WHERE ts >= %(start)s AND ts < %(end)s AND NOT cumulative
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"""

_PEOPLE_SQL = """SELECT (ts AT TIME ZONE %(tz)s)::date AS day, subject,
        count(DISTINCT credential) AS people, count(*) AS entries
    FROM gate_events
    WHERE ts >= %(start)s AND ts < %(end)s AND result = 'granted' AND direction = 'in'
    GROUP BY 1, 2 ORDER BY 1, 2"""

_DENIED_SQL = """SELECT (bucket AT TIME ZONE %(tz)s)::date AS day, sum(n)::bigint
    FROM gate_1m WHERE bucket >= %(start)s AND bucket < %(end)s AND result = 'denied'
    GROUP BY 1 ORDER BY 1"""

_MEALS_SQL = """SELECT (bucket AT TIME ZONE %(tz)s)::date AS day, device, meal,
        sum(meals)::bigint AS meals, sum(amount_yuan)::float8 AS amount_yuan
    FROM canteen_1m WHERE bucket >= %(start)s AND bucket < %(end)s
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"""

_QUEUE_SQL = """SELECT (bucket AT TIME ZONE %(tz)s)::date AS day, device, zone,
        max(max_count)::bigint AS peak
    FROM camera_1m WHERE bucket >= %(start)s AND bucket < %(end)s
        AND zone = ANY(%(zones)s::text[])
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"""

_STATUS_SQL = """SELECT device,
        count(*) FILTER (WHERE state = 'offline') AS offline_reports
    FROM device_status WHERE ts >= %(start)s AND ts < %(end)s
    GROUP BY device ORDER BY device"""

_APPOINTMENTS_SQL = """SELECT count(*) FROM (
        SELECT DISTINCT ON (appointment_id) action
        FROM appointment_events
        WHERE expected_from >= %(start)s AND expected_from < %(end)s
        ORDER BY appointment_id, ts DESC, event_id) AS latest
    WHERE action <> 'cancelled'"""


def _window(start: datetime, end: datetime, tz: str) -> dict[str, object]:
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("start and end must be timezone-aware")
    return {"start": start, "end": end, "tz": tz}


def energy_slots(
    conn: psycopg.Connection, *, start: datetime, end: datetime, tz: str
) -> pd.DataFrame:
    """slot (local naive 15-min start), device, quantity, amount (kWh or m³)."""
    rows = conn.execute(_ENERGY_SQL, _window(start, end, tz)).fetchall()
    frame = pd.DataFrame(rows, columns=["slot", "device", "quantity", "amount"])
    return frame.astype({"amount": "float64"})


def people_by_day(
    conn: psycopg.Connection, *, start: datetime, end: datetime, tz: str
) -> pd.DataFrame:
    """day, subject, people (distinct credentials granted in), entries."""
    rows = conn.execute(_PEOPLE_SQL, _window(start, end, tz)).fetchall()
    frame = pd.DataFrame(rows, columns=["day", "subject", "people", "entries"])
    return frame.astype({"people": "int64", "entries": "int64"})


def denied_by_day(
    conn: psycopg.Connection, *, start: datetime, end: datetime, tz: str
) -> dict[date, int]:
    rows = conn.execute(_DENIED_SQL, _window(start, end, tz)).fetchall()
    return {day: int(n) for day, n in rows}


def meals_by_day(
    conn: psycopg.Connection, *, start: datetime, end: datetime, tz: str
) -> pd.DataFrame:
    """day, device (serving window), meal, meals, amount_yuan."""
    rows = conn.execute(_MEALS_SQL, _window(start, end, tz)).fetchall()
    frame = pd.DataFrame(
        rows, columns=["day", "device", "meal", "meals", "amount_yuan"]
    )
    return frame.astype({"meals": "int64", "amount_yuan": "float64"})


def queue_peaks(
    conn: psycopg.Connection,
    *,
    start: datetime,
    end: datetime,
    tz: str,
    zones: list[str],
) -> pd.DataFrame:
    """day, device (camera), zone, peak (largest people count seen in the zone)."""
    params = _window(start, end, tz) | {"zones": zones}
    rows = conn.execute(_QUEUE_SQL, params).fetchall()
    frame = pd.DataFrame(rows, columns=["day", "device", "zone", "peak"])
    return frame.astype({"peak": "int64"})


def device_reports(
    conn: psycopg.Connection, *, start: datetime, end: datetime
) -> dict[str, int]:
    """device → offline reports, for every device that sent a status in the window."""
    rows = conn.execute(_STATUS_SQL, {"start": start, "end": end}).fetchall()
    return {device: int(n) for device, n in rows}


def appointments_in(conn: psycopg.Connection, *, start: datetime, end: datetime) -> int:
    """Visitor appointments (latest version not cancelled) expected in the window."""
    row = conn.execute(_APPOINTMENTS_SQL, {"start": start, "end": end}).fetchone()
    return int(row[0]) if row else 0


_PEOPLE_WINDOW_SQL = """SELECT count(DISTINCT (subject, credential))
    FROM gate_events
    WHERE ts >= %(start)s AND ts < %(end)s
        AND result = 'granted' AND direction = 'in'"""


def people_on_site(conn: psycopg.Connection, *, start: datetime, end: datetime) -> int:
    """Distinct credentials granted entry in [start, end) (the wall's "today")."""
    row = conn.execute(_PEOPLE_WINDOW_SQL, {"start": start, "end": end}).fetchone()
    return int(row[0]) if row else 0
