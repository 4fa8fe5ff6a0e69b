"""The alarm engine: signals and operator actions in, alarms and journal out.

Every call runs in one PostgreSQL transaction under an advisory lock, so the
consumer (signals, `tick`) and the dashboard (operator actions) can share the alarms
safely. The Redis mirror is written before the commit, under the same lock (a Redis
failure marks it for a rebuild and never undoes the PostgreSQL work); notifications
are queued after the commit and never block.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import psycopg
import redis

from detectors.core.signals import AlarmSignal
from streams.alarms import store
from streams.alarms.actions import (
    HANDOVER_ROLES,
    ROLES,
    Actor,
    AlarmError,
    NotAuthorized,
    authorize,
)
from streams.alarms.mirror import AlarmMirror
from streams.alarms.model import Alarm, transition
from streams.alarms.notify import Notifier
from streams.alarms.operator import operator_action, propagates_to_members
from streams.alarms.policy import AlarmPolicy
from streams.alarms.rules import Rules
from streams.alarms.stats import EngineStats
from streams.alarms.work import Work
from streams.config.site import Site
from streams.history.migrations import migrate

logger = logging.getLogger(__name__)
PENDING_MAX = 10_000
REBUILD_EVERY_TICKS = 12


class UnknownAlarm(AlarmError):
    """No alarm has this id."""


class AlarmEngine:
    def __init__(
        self,
        site: Site,
        policy: AlarmPolicy,
        connect: Callable[[], psycopg.Connection],
        *,
        mirror: AlarmMirror | None = None,
        notifier: Notifier | None = None,
    ) -> None:
        self.site, self.policy = site, policy
        self.stats = EngineStats()
        self._connect, self._mirror, self._notifier = connect, mirror, notifier
        self._conn: psycopg.Connection | None = None
        self._lock = threading.RLock()
        self._pending: deque[AlarmSignal] = deque(maxlen=PENDING_MAX)
        self._mirror_dirty = True
        self._ticks = 0
        self._rules = Rules(site, policy, self.stats)

    @property
    def notifier(self) -> Notifier | None:
        return self._notifier

    # --- signals ---------------------------------------------------------------

    def submit(self, signals: Sequence[AlarmSignal], now: datetime) -> None:
        """Apply detector signals. Never raises for server trouble: the signals are
        kept (bounded) and retried by the next `submit` or `tick`."""
        with self._lock:
            self.stats.submitted += len(signals)
            batch = [*self._pending, *signals]
            self._pending.clear()
            try:
                self._run(lambda work: self._rules.apply_signals(work, batch, now))
            except (psycopg.OperationalError, OSError) as exc:
                self._pending.extend(batch)
                logger.warning(
                    "alarm store unavailable (%s): %d signals kept for retry",
                    type(exc).__name__,
                    len(self._pending),
                )
            except psycopg.Error:
                logger.exception("alarm batch refused: %d signals dropped", len(batch))
            self.stats.pending = len(self._pending)

    # --- time ------------------------------------------------------------------

    def tick(self, now: datetime) -> None:
        """Auto-unshelve, suppression by design, escalation, flood end, retries."""
        with self._lock:
            if self._pending:
                self.submit([], now)
            try:
                self._run(lambda work: self._rules.tick(work, now))
            except (psycopg.Error, OSError) as exc:
                logger.warning("alarm tick failed (%s)", type(exc).__name__)
                return
            self._ticks += 1
            if self._mirror_dirty or self._ticks % REBUILD_EVERY_TICKS == 0:
                self._rebuild_mirror()
            self._beat(now)

    # --- operators -------------------------------------------------------------

    def act(
        self,
        alarm_id: str,
        action: str,
        operator: str,
        role: str,
        now: datetime,
        **args: Any,
    ) -> Alarm:
        """An operator action, authorized by `role` (which the caller derives on the
        server). Raises NotAuthorized, UnknownAlarm, InvalidTransition."""
        actor = _actor(operator, role)
        step = operator_action(action, args, self.policy)
        authorize(actor, step)
        result: list[Alarm] = []

        def run(work: Work) -> None:
            alarm = store.get_alarm(work.conn, alarm_id)
            if alarm is None:
                raise UnknownAlarm(f"no alarm {alarm_id}")
            new, entry = transition(alarm, step, now, actor)
            result.append(work.put(new, entry))
            if alarm.is_summary and propagates_to_members(step):
                for member in store.summary_members(work.conn, alarm.id):
                    work.step(member, step, now, actor)

        with self._lock:
            self._run(run)
            self.stats.actions += 1
        return result[0]

    def handover(self, operator: str, role: str, note: str, now: datetime) -> int:
        """The outgoing officer's note, with the open alarms listed."""
        actor = _actor(operator, role)
        if actor.role not in HANDOVER_ROLES:
            raise NotAuthorized(f"role {role!r} may not hand over a shift")
        with self._lock:
            conn = self._connection()
            with conn.transaction():
                listed = [_brief(a) for a in store.open_alarms(conn)]
                return store.add_handover(conn, now, operator, actor.role, note, listed)

    def accept_handover(
        self, handover_id: int, operator: str, role: str, note: str, now: datetime
    ) -> bool:
        actor = _actor(operator, role)
        if actor.role not in HANDOVER_ROLES:
            raise NotAuthorized(f"role {role!r} may not take over a shift")
        with self._lock:
            conn = self._connection()
            with conn.transaction():
                return store.accept_handover(
                    conn, handover_id, now, operator, actor.role, note
                )

    # --- reads -----------------------------------------------------------------

    def open_alarms(self) -> list[Alarm]:
        with self._lock, self._connection().transaction() as tx:
            return store.open_alarms(tx.connection)

    def read(self, query: Callable[[psycopg.Connection], Any]) -> Any:
        """Run a read function of `store` on the engine's connection."""
        with self._lock, self._connection().transaction() as tx:
            return query(tx.connection)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
        if self._notifier is not None:
            self._notifier.close()

    # --- plumbing --------------------------------------------------------------

    def _connection(self) -> psycopg.Connection:
        if self._conn is None or self._conn.closed:
            conn = self._connect()
            migrate(conn)
            self._conn = conn
        return self._conn

    def _run(self, body: Callable[[Work], None]) -> None:
        try:
            conn = self._connection()
            with conn.transaction():
                store.lock(conn)
                opened = {(a.kind, a.source): a for a in store.open_alarms(conn)}
                work = Work(conn, opened)
                body(work)
                self._mirror_apply(work)
        except psycopg.OperationalError:
            self._drop_connection()
            raise
        if self._notifier is not None:
            for notice in work.notices:
                self._notifier.notify(notice)

    def _mirror_apply(self, work: Work) -> None:
        if self._mirror is None:
            return
        try:
            self._mirror.apply(list(work.alarms.values()), work.entries)
        except redis.RedisError as exc:
            self.stats.mirror_failures += 1
            if not self._mirror_dirty:
                logger.warning("alarm mirror write failed (%s)", type(exc).__name__)
            self._mirror_dirty = True

    def _beat(self, now: datetime) -> None:
        if self._mirror is None:
            return
        try:
            self._mirror.beat(now)
        except redis.RedisError:
            self._mirror_dirty = True  # Redis is away: rebuild the mirror when back

    def _rebuild_mirror(self) -> None:
        if self._mirror is None:
            return
        try:
            conn = self._connection()
            with conn.transaction():
                store.lock(conn)
                self._mirror.rebuild(store.open_alarms(conn))
        except (psycopg.Error, redis.RedisError) as exc:
            logger.warning("alarm mirror rebuild failed (%s)", type(exc).__name__)
            return
        if self._mirror_dirty:
            logger.info("alarm mirror rebuilt from PostgreSQL")
        self._mirror_dirty = False

    def _drop_connection(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None


def _actor(operator: str, role: str) -> Actor:
    if role not in ROLES:
        raise NotAuthorized(f"unknown role {role!r}")
    if not operator.strip():
        raise NotAuthorized("an operator name is required")
    return Actor(operator.strip(), role)


def _brief(alarm: Alarm) -> dict[str, Any]:
    return {
        "id": alarm.id,
        "kind": alarm.kind,
        "source": alarm.source,
        "severity": alarm.severity,
        "state": alarm.state,
        "message": alarm.message,
        "raised_at": alarm.raised_at.isoformat(),
    }
