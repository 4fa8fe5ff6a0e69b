"""Redis key layout for live state (DESIGN.md §4). The only place key names are spelled.

Every key is ``ioc:{<site>}:…``: the braces are a Redis Cluster hash tag, so one
site's keys share a slot and the batch Lua script may touch them all. ``day`` is the
site's local day (`contracts.local_day`), ``minute`` is UTC ``YYYYmmddHHMM``.
"""

from __future__ import annotations

from dataclasses import dataclass

CHANGED_GROUPS = (
    "gate",
    "appointment",
    "canteen",
    "energy",
    "camera",
    "status",
    "deadletter",
    "alarm",
    "congestion",
)
MINUTE_TTL_S = 3 * 3600
DAY_TTL_S = 3 * 86400
SEEN_TTL_S = 3 * 86400


@dataclass(frozen=True, slots=True)
class Keys:
    site: str

    @property
    def prefix(self) -> str:
        return f"ioc:{{{self.site}}}"

    def minute(self, stream: str, minute: str) -> str:
        """Hash: kind → events in that UTC minute."""
        return f"{self.prefix}:minute:{stream}:{minute}"

    def seen(self, hour: str) -> str:
        """Set of event_ids already applied, by the event's UTC hour (replay guard)."""
        return f"{self.prefix}:seen:{hour}"

    @property
    def stream_last_seen(self) -> str:
        """Sorted set: stream → epoch seconds of its newest event (tile data age)."""
        return f"{self.prefix}:stream_last_seen"

    @property
    def last_seen(self) -> str:
        """Sorted set: device → epoch seconds it was last heard from."""
        return f"{self.prefix}:last_seen"

    def onsite(self, day: str) -> str:
        """Hash: staff / visitor / vehicle → granted in − granted out that day."""
        return f"{self.prefix}:onsite:{day}"

    def entries(self, day: str) -> str:
        """Hash: staff / visitor / vehicle / denied → granted entries (and denials)
        that day."""
        return f"{self.prefix}:entries:{day}"

    def meals(self, day: str) -> str:
        """Hash: window → meals served that day."""
        return f"{self.prefix}:meals:{day}"

    def window_state(self) -> str:
        """Hash: window → open / closed (latest window_open/close event)."""
        return f"{self.prefix}:window_state"

    @property
    def meter_value(self) -> str:
        """Hash: meter → latest value (kW for power meters, m³ per interval for
        water)."""
        return f"{self.prefix}:meter_value"

    def energy_total(self, day: str) -> str:
        """Hash: meter → sum of interval values that day (water m³, energy from kW ×
        h)."""
        return f"{self.prefix}:energy_total:{day}"

    def camera_count(self) -> str:
        """Hash: camera:zone → latest people count."""
        return f"{self.prefix}:camera_count"

    @property
    def device_state(self) -> str:
        """Hash: device → online / offline (latest status event)."""
        return f"{self.prefix}:device_state"

    @property
    def live_epoch(self) -> str:
        """The run_id of the Redis server this site's live state was complete on.

        Missing (a flush) or different (a restart) means it must be rebuilt."""
        return f"{self.prefix}:live_epoch"

    @property
    def dead_letters(self) -> str:
        """Stream of refused messages: topic, reason, raw (truncated), received_at."""
        return f"{self.prefix}:deadletter"

    @property
    def dead_letter_count(self) -> str:
        """Counter of every refused message since the site started."""
        return f"{self.prefix}:deadletter:count"

    @property
    def changed_channel(self) -> str:
        """Pub/sub channel; each message is one of CHANGED_GROUPS."""
        return f"{self.prefix}:changed"

    @property
    def alarms_open(self) -> str:
        """Hash: alarm id → JSON of every open alarm (mirror of PostgreSQL
        ``alarms``; shelved, suppressed and out-of-service ones included)."""
        return f"{self.prefix}:alarms:open"

    @property
    def alarm_events(self) -> str:
        """Stream (bounded) of alarm journal entries, newest last."""
        return f"{self.prefix}:alarms:events"

    @property
    def congestion(self) -> str:
        """Hash: canteen or window id → JSON of its `CongestionState` (queue, wait,
        15-minute forecast, level, advice), written every minute by the detectors."""
        return f"{self.prefix}:congestion"

    @property
    def blacklist(self) -> str:
        """Set of blacklisted credentials (face ids, cards, plates), kept by an
        admin; gate passes with one of them raise ``blacklist_hit``."""
        return f"{self.prefix}:blacklist"

    @property
    def alarm_engine_seen(self) -> str:
        """String: epoch seconds of the alarm engine's last successful tick (expires),
        so a screen can tell "no alarms" from "no alarm engine"."""
        return f"{self.prefix}:alarm_engine_seen"

    @property
    def alarm_signals(self) -> str:
        """Stream of `AlarmSignal` JSON from other processes (camera workers)."""
        return f"{self.prefix}:alarm_signals"

    # Access control (#8; docs/security.md). Session ids are stored hashed.
    def session(self, digest: str) -> str:
        """String: JSON of one sign-in session (user, role, created), expiring when
        idle; `digest` is the SHA-256 of the cookie's session id."""
        return f"{self.prefix}:auth:session:{digest}"

    def user_sessions(self, username: str) -> str:
        """Set of a user's session digests (ended together on a role change)."""
        return f"{self.prefix}:auth:user_sessions:{username}"

    def login_attempts(self, client: str, minute: str) -> str:
        """Counter of login attempts from one client address in one minute."""
        return f"{self.prefix}:auth:login:{client}:{minute}"
