"""Schema version 6: device status records whether a message was an MQTT last will.

A last will is written when a device connects and sent by the broker when the
connection is lost; the consumer stamps it with its arrival time (docs/events.md).
Keeping the flag makes a status row the same event after a rebuild from history.
Adding a column with a constant default is supported on compressed hypertables too.
"""

from __future__ import annotations

COMMON: tuple[str, ...] = (
    "ALTER TABLE device_status"
    " ADD COLUMN IF NOT EXISTS last_will boolean NOT NULL DEFAULT false",
)
