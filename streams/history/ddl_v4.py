"""Schema version 4: annotated camera snapshots (JPEG), the same on both paths.

One row per snapshot a camera worker published (docs/cameras.md): the camera, the
name from its topic (`<UTC time>-<kind>`), the time, the kind (`periodic` or the
event kind it illustrates) and the JPEG bytes. Rows are pruned by the snapshot store
(`streams.snapshots`): periodic views after hours, event snapshots after days. A plain
table rather than a hypertable: rows are few (≈ 1 per camera-minute) and large, and the
store's delete keeps both paths alike.
"""

from __future__ import annotations

COMMON: tuple[str, ...] = (
    """CREATE TABLE camera_snapshots (
        camera text NOT NULL,
        name text NOT NULL,
        ts timestamptz NOT NULL,
        kind text NOT NULL,
        jpeg bytea NOT NULL,
        bytes integer NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (camera, name))""",
    "CREATE INDEX camera_snapshots_ts_idx ON camera_snapshots (ts)",
    "CREATE INDEX camera_snapshots_camera_ts_idx ON camera_snapshots (camera, ts DESC)",
)
