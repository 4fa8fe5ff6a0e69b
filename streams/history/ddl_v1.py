"""Schema version 1: raw tables, indexes and the 1-minute rollups on both paths.

Literal SQL on purpose: a migration that has shipped never changes; a new schema
change is a new version in `migrations.MIGRATIONS`.
"""

from __future__ import annotations

RAW_TABLES: tuple[str, ...] = (
    """CREATE TABLE gate_events (
        event_id uuid NOT NULL,
        ts timestamptz NOT NULL,
        device text NOT NULL,
        direction text NOT NULL,
        subject text NOT NULL,
        credential_kind text NOT NULL,
        credential text NOT NULL,
        result text NOT NULL,
        deny_reason text,
        appointment_id text,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (event_id, ts))""",
    """CREATE TABLE appointment_events (
        event_id uuid NOT NULL,
        ts timestamptz NOT NULL,
        device text NOT NULL,
        appointment_id text NOT NULL,
        action text NOT NULL,
        visitor_name text NOT NULL,
        host_name text NOT NULL,
        unit text NOT NULL,
        expected_from timestamptz NOT NULL,
        expected_to timestamptz NOT NULL,
        plate text,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (event_id, ts))""",
    """CREATE TABLE canteen_events (
        event_id uuid NOT NULL,
        ts timestamptz NOT NULL,
        device text NOT NULL,
        kind text NOT NULL,
        meal text NOT NULL,
        count integer NOT NULL,
        amount_yuan double precision NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (event_id, ts))""",
    """CREATE TABLE energy_readings (
        event_id uuid NOT NULL,
        ts timestamptz NOT NULL,
        device text NOT NULL,
        quantity text NOT NULL,
        value double precision NOT NULL,
        cumulative boolean NOT NULL,
        interval_s integer NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (event_id, ts))""",
    """CREATE TABLE camera_events (
        event_id uuid NOT NULL,
        ts timestamptz NOT NULL,
        device text NOT NULL,
        kind text NOT NULL,
        zone text,
        count integer NOT NULL,
        direction text,
        snapshot text,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (event_id, ts))""",
    """CREATE TABLE device_status (
        event_id uuid NOT NULL,
        ts timestamptz NOT NULL,
        device text NOT NULL,
        state text NOT NULL,
        reason text,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (event_id, ts))""",
)
RAW_TABLE_NAMES = (
    "gate_events",
    "appointment_events",
    "canteen_events",
    "energy_readings",
    "camera_events",
    "device_status",
)
# Time-window queries need an index leading with ts (DESIGN.md §7a); per-device
# history and "latest per device" use (device, ts).
RAW_INDEXES: tuple[str, ...] = (
    *(f"CREATE INDEX {t}_ts_idx ON {t} (ts DESC)" for t in RAW_TABLE_NAMES),
    *(
        f"CREATE INDEX {t}_device_ts_idx ON {t} (device, ts DESC)"
        for t in RAW_TABLE_NAMES
    ),
    "CREATE INDEX appointment_events_appointment_idx"
    " ON appointment_events (appointment_id, ts DESC)",
)

# The 1-minute rollups as SELECTs over the raw tables: the Timescale path makes them
# continuous aggregates; the plain path keeps tables of the same shape (see writer.py).
# Camera zones are stored as '' when absent so the rollup key has no NULLs.
ROLLUP_SELECTS: dict[str, str] = {
    "gate_1m": """SELECT time_bucket(INTERVAL '1 minute', ts) AS bucket,
            device, direction, subject, result, count(*) AS n
        FROM gate_events
        GROUP BY bucket, device, direction, subject, result""",
    "canteen_1m": """SELECT time_bucket(INTERVAL '1 minute', ts) AS bucket,
            device, meal,
            count(*) FILTER (WHERE kind = 'settlement') AS settlements,
            coalesce(sum(count) FILTER (WHERE kind = 'settlement'), 0) AS meals,
            coalesce(sum(amount_yuan) FILTER (WHERE kind = 'settlement'), 0)
                AS amount_yuan
        FROM canteen_events
        GROUP BY bucket, device, meal""",
    "energy_1m": """SELECT time_bucket(INTERVAL '1 minute', ts) AS bucket,
            device, quantity, count(*) AS n, sum(value) AS sum_value,
            min(value) AS min_value, max(value) AS max_value
        FROM energy_readings
        GROUP BY bucket, device, quantity""",
    "camera_1m": """SELECT time_bucket(INTERVAL '1 minute', ts) AS bucket,
            device, kind, coalesce(zone, '') AS zone, count(*) AS n,
            sum(count) AS sum_count, max(count) AS max_count
        FROM camera_events
        GROUP BY bucket, device, kind, coalesce(zone, '')""",
}

TIMESCALE: tuple[str, ...] = (
    *(
        f"SELECT create_hypertable('{t}', by_range('ts', INTERVAL '1 day'),"
        " create_default_indexes => false, if_not_exists => true,"
        " migrate_data => true)"
        for t in RAW_TABLE_NAMES
    ),
    *(
        f"CREATE MATERIALIZED VIEW {name} WITH (timescaledb.continuous,"
        f" timescaledb.materialized_only = false) AS {select} WITH NO DATA"
        for name, select in ROLLUP_SELECTS.items()
    ),
    *(
        f"SELECT add_continuous_aggregate_policy('{name}',"
        " start_offset => INTERVAL '7 days', end_offset => INTERVAL '1 minute',"
        " schedule_interval => INTERVAL '1 minute', if_not_exists => true)"
        for name in ROLLUP_SELECTS
    ),
    *(
        f"ALTER TABLE {t} SET (timescaledb.compress,"
        " timescaledb.compress_segmentby = 'device',"
        " timescaledb.compress_orderby = 'ts DESC')"
        for t in RAW_TABLE_NAMES
    ),
    *(
        f"SELECT add_compression_policy('{t}', INTERVAL '7 days',"
        " if_not_exists => true)"
        for t in RAW_TABLE_NAMES
    ),
    *(
        f"SELECT add_retention_policy('{t}', INTERVAL '400 days',"
        " if_not_exists => true)"
        for t in RAW_TABLE_NAMES
    ),
)

PLAIN_ROLLUP_TABLES: tuple[str, ...] = (
    """CREATE TABLE gate_1m (
        bucket timestamptz NOT NULL,
        device text NOT NULL,
        direction text NOT NULL,
        subject text NOT NULL,
        result text NOT NULL,
        n bigint NOT NULL,
        PRIMARY KEY (bucket, device, direction, subject, result))""",
    """CREATE TABLE canteen_1m (
        bucket timestamptz NOT NULL,
        device text NOT NULL,
        meal text NOT NULL,
        settlements bigint NOT NULL,
        meals bigint NOT NULL,
        amount_yuan double precision NOT NULL,
        PRIMARY KEY (bucket, device, meal))""",
    """CREATE TABLE energy_1m (
        bucket timestamptz NOT NULL,
        device text NOT NULL,
        quantity text NOT NULL,
        n bigint NOT NULL,
        sum_value double precision NOT NULL,
        min_value double precision NOT NULL,
        max_value double precision NOT NULL,
        PRIMARY KEY (bucket, device, quantity))""",
    """CREATE TABLE camera_1m (
        bucket timestamptz NOT NULL,
        device text NOT NULL,
        kind text NOT NULL,
        zone text NOT NULL,
        n bigint NOT NULL,
        sum_count bigint NOT NULL,
        max_count integer NOT NULL,
        PRIMARY KEY (bucket, device, kind, zone))""",
    # The primary keys lead with bucket (time-window reads); per-device reads:
    *(
        f"CREATE INDEX {name}_device_bucket_idx ON {name} (device, bucket)"
        for name in ROLLUP_SELECTS
    ),
)

PLAIN: tuple[str, ...] = PLAIN_ROLLUP_TABLES
COMMON: tuple[str, ...] = (*RAW_TABLES, *RAW_INDEXES)
