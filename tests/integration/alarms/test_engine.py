"""The alarm engine against the machine's PostgreSQL and Redis: every state
transition, the append-only journal, late signals, suppression by design, escalation
with a controlled clock, floods, automatic unshelve and the shift handover."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import psycopg
import pytest
import redis

from streams.alarms import store
from streams.alarms.actions import InvalidTransition, NotAuthorized
from streams.alarms.engine import AlarmEngine
from streams.alarms.mirror import HEARTBEAT_TTL_S, AlarmMirror
from streams.config.site import Site
from streams.live.keys import Keys
from tests.integration.alarms.fixtures import T0, make_engine, signal

pytestmark = pytest.mark.integration
S = timedelta(seconds=1)


@pytest.fixture
def engine(
    site: Site, pg_url: str, redis_url: str
) -> Iterator[tuple[AlarmEngine, AlarmMirror]]:
    built = make_engine(site, pg_url, redis_url)
    yield built
    built[0].close()


def states(engine: AlarmEngine) -> dict[str, str]:
    return {f"{a.kind}/{a.source}": a.state for a in engine.open_alarms()}


def journal(engine: AlarmEngine, alarm_id: str) -> list[tuple[str, str, str]]:
    rows = engine.read(lambda c: store.journal(c, alarm_id))
    return [(r["action"], r["from_state"], r["to_state"]) for r in rows]


def test_every_transition_through_the_engine(
    engine: tuple[AlarmEngine, AlarmMirror],
) -> None:
    eng, mirror = engine
    eng.submit([signal(), signal(at=T0 + S)], T0 + S)  # raise, then a repeat
    [alarm] = eng.open_alarms()
    assert (alarm.state, alarm.count) == ("active_unack", 2)
    assert [a.id for a in mirror.read_open()] == [alarm.id]
    eng.act(alarm.id, "acknowledge", "张三", "duty", T0 + 2 * S, comment="收到")
    eng.act(alarm.id, "assign", "张三", "duty", T0 + 3 * S, assignee="王五")
    eng.act(alarm.id, "comment", "张三", "duty", T0 + 4 * S, text="已通知物业")
    eng.act(alarm.id, "shelve", "张三", "duty", T0 + 5 * S, minutes=30, reason="检修")
    eng.act(alarm.id, "unshelve", "张三", "duty", T0 + 6 * S)
    eng.act(alarm.id, "remove_from_service", "李四", "leader", T0 + 7 * S, reason="坏")
    eng.act(alarm.id, "return_to_service", "李四", "leader", T0 + 8 * S)
    eng.submit([signal(at=T0 + 9 * S, state="cleared")], T0 + 9 * S)
    assert eng.open_alarms() == [] and mirror.read_open() == []
    assert journal(eng, alarm.id) == [
        ("raise", "normal", "active_unack"),
        ("acknowledge", "active_unack", "active_ack"),
        ("assign", "active_ack", "active_ack"),
        ("comment", "active_ack", "active_ack"),
        ("shelve", "active_ack", "shelved"),
        ("unshelve", "shelved", "active_ack"),
        ("remove_from_service", "active_ack", "out_of_service"),
        ("return_to_service", "out_of_service", "active_ack"),
        ("condition_cleared", "active_ack", "normal"),
    ]


def test_cleared_unacknowledged_then_reactivated_then_clear_by_hand(
    engine: tuple[AlarmEngine, AlarmMirror],
) -> None:
    eng, _ = engine
    eng.submit([signal(severity="minor")], T0)
    eng.submit([signal(severity="minor", at=T0 + S, state="cleared")], T0 + S)
    [alarm] = eng.open_alarms()
    assert alarm.state == "cleared_unack"
    eng.submit([signal(severity="minor", at=T0 + 2 * S)], T0 + 2 * S)
    [again] = eng.open_alarms()
    assert (again.id, again.state, again.activations) == (alarm.id, "active_unack", 2)
    eng.act(alarm.id, "clear", "张三", "duty", T0 + 3 * S, comment="现场确认")
    assert eng.open_alarms() == []
    assert [a for a, _, _ in journal(eng, alarm.id)] == [
        "raise", "condition_cleared", "reactivate", "clear"
    ]  # fmt: skip


def test_refusals_are_not_journaled(engine: tuple[AlarmEngine, AlarmMirror]) -> None:
    eng, _ = engine
    eng.submit([signal()], T0)
    [alarm] = eng.open_alarms()
    with pytest.raises(NotAuthorized):
        eng.act(alarm.id, "acknowledge", "大屏", "kiosk", T0 + S)
    with pytest.raises(NotAuthorized):
        eng.act(alarm.id, "acknowledge", "x", "system", T0 + S)
    with pytest.raises(InvalidTransition):
        eng.act(alarm.id, "shelve", "张三", "duty", T0 + S, minutes=481, reason="r")
    assert journal(eng, alarm.id) == [("raise", "normal", "active_unack")]


def test_journal_is_append_only(
    engine: tuple[AlarmEngine, AlarmMirror], pg_url: str
) -> None:
    eng, _ = engine
    eng.submit([signal()], T0)
    with psycopg.connect(pg_url, autocommit=True) as conn:
        for sql in (
            "UPDATE alarm_journal SET operator = 'x'",
            "DELETE FROM alarm_journal",
            "TRUNCATE alarm_journal",
        ):
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                conn.execute(sql)
        count = conn.execute("SELECT count(*) FROM alarm_journal").fetchone()
    assert count == (1,)  # fmt: skip


def test_one_open_alarm_per_kind_and_source(
    engine: tuple[AlarmEngine, AlarmMirror],
) -> None:
    eng, _ = engine
    eng.submit([signal(at=T0 + i * S) for i in range(5)], T0 + 5 * S)
    eng.submit([signal(source="m-b2-kw", area="b2")], T0 + 5 * S)
    assert sorted((a.source, a.count) for a in eng.open_alarms()) == [
        ("m-b1-kw", 5), ("m-b2-kw", 1)
    ]  # fmt: skip


def test_late_signals_never_raise(engine: tuple[AlarmEngine, AlarmMirror]) -> None:
    eng, _ = engine
    eng.submit([signal(at=T0 - timedelta(minutes=16))], T0)
    eng.submit([signal(at=T0 - timedelta(minutes=15), source="m-b2-kw")], T0)
    assert [a.source for a in eng.open_alarms()] == ["m-b2-kw"]
    assert eng.stats.late_dropped == 1


def test_suppressed_by_design_then_released(
    engine: tuple[AlarmEngine, AlarmMirror],
) -> None:
    eng, _ = engine
    closed = T0 + timedelta(hours=6)  # 16:00 local: canteen-1 closed
    congestion = signal("canteen_congestion", "c1-w1", at=closed, area="canteen-1")
    eng.submit([congestion], closed)
    [alarm] = eng.open_alarms()
    assert (alarm.state, alarm.mode_reason) == ("suppressed", "canteen_closed")
    eng.tick(T0 + timedelta(hours=7, minutes=20))  # 17:20: dinner opens at 17:00
    assert states(eng) == {"canteen_congestion/c1-w1": "active_unack"}


def test_escalation_with_a_controlled_clock(
    engine: tuple[AlarmEngine, AlarmMirror],
) -> None:
    eng, _ = engine
    eng.submit([signal()], T0)  # critical: 5 min, then every 10 min
    [alarm] = eng.open_alarms()
    for after, level in ((299, 0), (300, 1), (899, 1), (900, 2), (1500, 3)):
        eng.tick(T0 + after * S)
        assert eng.open_alarms()[0].escalation_level == level, after
    eng.act(alarm.id, "acknowledge", "张三", "duty", T0 + 1501 * S)
    eng.tick(T0 + timedelta(hours=2))
    assert eng.open_alarms()[0].escalation_level == 3
    roles = [r["data"]["notify_role"] for r in eng.read(lambda c: store.journal(c))
             if r["action"] == "escalate"]  # fmt: skip
    assert roles == ["leader", "admin", "admin"]


@pytest.mark.parametrize(("new_alarms", "flood"), [(10, False), (11, True)])
def test_flood_starts_above_10_in_10_minutes(
    engine: tuple[AlarmEngine, AlarmMirror], new_alarms: int, flood: bool
) -> None:
    eng, _ = engine
    for i in range(new_alarms):
        at = T0 + i * 50 * S
        eng.submit([signal(source=f"src-{i}", area="b1")], at)
    alarms = eng.open_alarms()
    summaries = [a for a in alarms if a.is_summary]
    assert bool(summaries) is flood
    if flood:
        [summary] = summaries
        assert summary.details["members"] == 1 and summary.source == "water_leak@b1"
        eng.submit([signal(source="src-extra", area="b1")], T0 + 600 * S)
        members = [a for a in eng.open_alarms() if a.summary_id == summary.id]
        assert len(members) == 2
        eng.act(summary.id, "acknowledge", "张三", "duty", T0 + 601 * S)
        folded = [a for a in eng.open_alarms() if a.summary_id or a.is_summary]
        assert len(folded) == 3 and all(a.acknowledged for a in folded)
        eng.tick(T0 + 30 * 60 * S)  # quiet: fewer than 5 in the window
        floods = eng.read(lambda c: store.floods(c, T0, T0 + timedelta(hours=1)))
        assert len(floods) == 1 and floods[0][2] is not None


def test_shelve_expires_automatically(engine: tuple[AlarmEngine, AlarmMirror]) -> None:
    eng, mirror = engine
    eng.submit([signal()], T0)
    [alarm] = eng.open_alarms()
    eng.act(alarm.id, "shelve", "张三", "duty", T0, minutes=15, reason="检修")
    eng.tick(T0 + timedelta(minutes=15) - S)
    assert eng.open_alarms()[0].state == "shelved"
    eng.tick(T0 + timedelta(minutes=15))
    assert eng.open_alarms()[0].state == "active_unack"
    assert mirror.read_open()[0].state == "active_unack"


def test_handover_lists_open_alarms_and_keeps_both_officers(
    engine: tuple[AlarmEngine, AlarmMirror],
) -> None:
    eng, _ = engine
    eng.submit([signal()], T0)
    handover_id = eng.handover("张三", "duty", "1号楼漏水待物业处理", T0)
    with pytest.raises(NotAuthorized):
        eng.accept_handover(handover_id, "大屏", "kiosk", "", T0)
    assert eng.accept_handover(handover_id, "李四", "duty", "已接", T0 + S)
    assert not eng.accept_handover(handover_id, "王五", "duty", "", T0 + 2 * S)
    [row] = eng.read(store.handovers)
    assert (row["outgoing"], row["incoming"], len(row["open_alarms"])) == (
        "张三", "李四", 1
    )  # fmt: skip


def test_mirror_rebuilds_from_postgres(engine: tuple[AlarmEngine, AlarmMirror]) -> None:
    eng, mirror = engine
    eng.submit([signal()], T0)
    mirror.rebuild([])
    assert mirror.read_open() == []
    for _ in range(12):  # a periodic rebuild, whatever the dirty flag
        eng.tick(T0 + S)
    assert len(mirror.read_open()) == 1


def test_each_tick_leaves_a_heartbeat(
    engine: tuple[AlarmEngine, AlarmMirror], site: Site, redis_url: str
) -> None:
    eng, _ = engine
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    key = Keys(site.id).alarm_engine_seen
    assert client.get(key) is None
    eng.tick(T0 + S)
    assert float(client.get(key) or 0) == (T0 + S).timestamp()
    assert 0 < client.ttl(key) <= HEARTBEAT_TTL_S
    client.close()
