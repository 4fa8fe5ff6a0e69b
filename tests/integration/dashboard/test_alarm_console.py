"""The duty console's callback functions, called directly against the machine's
PostgreSQL and Redis: every operator transition, the lists ISA-18.2 requires,
the detail with its journal and evidence, metrics and the shift handover."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest

from dashboard.duty import actions
from dashboard.duty import console as duty
from dashboard.duty.context import DutyContext
from layouts import ids
from streams.config.site import Site
from streams.history.migrations import migrate
from streams.history.writer import write_batch
from streams.wire.contracts import EnergyEvent
from tests.integration.alarms.fixtures import T0, make_engine, signal

pytestmark = pytest.mark.integration
S = timedelta(seconds=1)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self):
        self.now += S
        return self.now


@pytest.fixture
def console(site: Site, pg_url: str, redis_url: str) -> Iterator[DutyContext]:
    engine, mirror = make_engine(site, pg_url, redis_url)
    yield DutyContext(site, engine, mirror, "张三", "duty", 480, Clock())
    engine.close()


def rows(console: DutyContext, view: str = "active") -> dict[str, str]:
    data = duty.refresh(console, view, "zh")[0]
    return {r["source"]: r["state_key"] for r in data}


def press(console: DutyContext, button: str, alarm_id: str, **states: str) -> str:
    action = actions.BUTTONS[button]
    args = actions.button_args(
        action,
        states.get("minutes", 30),
        states.get("reason"),
        states.get("assignee"),
        states.get("comment"),
    )
    return actions.act(console, action, actions.targets([alarm_id], None), args, "zh")


def seed(console: DutyContext, *sources: str) -> dict[str, str]:
    assert console.engine is not None
    console.engine.submit([signal(source=s, severity="minor") for s in sources], T0)
    return {a.source: a.id for a in console.engine.open_alarms()}


def test_every_operator_transition_through_the_callbacks(
    console: DutyContext,
) -> None:
    alarm = seed(console, "m-b1-kw")["m-b1-kw"]
    assert rows(console) == {"m-b1-kw": "active_unack"}
    assert "成功 1 条" in press(console, ids.DUTY_ACK, alarm, comment="收到")
    assert rows(console) == {"m-b1-kw": "active_ack"}
    press(console, ids.DUTY_ASSIGN, alarm, assignee="王五")
    press(console, ids.DUTY_COMMENT, alarm, comment="已派人")
    assert duty.refresh(console, "active", "zh")[0][0]["assignee"] == "王五"
    press(console, ids.DUTY_SHELVE, alarm, minutes="60", reason="检修中")
    assert rows(console) == {} and rows(console, "shelved") == {"m-b1-kw": "shelved"}
    press(console, ids.DUTY_UNSHELVE, alarm)
    assert rows(console) == {"m-b1-kw": "active_ack"}
    assert "成功 1 条" in press(console, ids.DUTY_CLEAR, alarm, reason="现场确认")
    assert rows(console, "all") == {}
    journal = duty.detail(console, alarm, "zh")[-1]
    assert not isinstance(journal, str)
    actions = [li.children for li in journal.children]
    assert len(actions) == 7 and "现场确认" in actions[-1]


def test_refusals_and_role_from_the_server(console: DutyContext) -> None:
    alarm = seed(console, "m-b1-kw")["m-b1-kw"]
    assert actions.act(console, "acknowledge", [], {}, "zh") == "请先选择报警"
    message = press(console, ids.DUTY_SHELVE, alarm, minutes="600", reason="x")
    assert "未执行" in message and rows(console) == {"m-b1-kw": "active_unack"}
    kiosk = DutyContext(console.site, console.engine, console.mirror, "大屏", "kiosk")
    assert "未执行" in actions.act(kiosk, "acknowledge", [alarm], {}, "zh")


def test_suppressed_and_out_of_service_lists_are_reachable(
    console: DutyContext,
) -> None:
    assert console.engine is not None
    closed = T0 + timedelta(hours=6)
    congestion = signal("canteen_congestion", "c1-w1", at=closed, area="canteen-1")
    console.engine.submit([congestion], closed)
    alarm = seed(console, "m-b2-kw")["m-b2-kw"]
    console.engine.act(alarm, "remove_from_service", "李四", "leader", T0, reason="坏")
    _data, options, _unacked, _clock = duty.refresh(console, "active", "zh")
    labels = {o["value"]: o["label"] for o in options}
    assert labels["suppressed"] == "设计抑制 (1)"
    assert labels["out_of_service"] == "停用 (1)"
    assert rows(console, "out_of_service") == {"m-b2-kw": "out_of_service"}


def test_detail_shows_journal_and_meter_evidence(
    console: DutyContext, pg_url: str
) -> None:
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        migrate(conn)
        readings = [
            EnergyEvent(event_id=uuid.uuid4(), ts=T0 - i * 60 * S, device="m-b1-kw",
                        quantity="electric_kw", value=100.0 + i)
            for i in range(5)
        ]  # fmt: skip
        write_batch(conn, readings)
    alarm = seed(console, "m-b1-kw")["m-b1-kw"]
    parts = duty.detail(console, alarm, "zh")
    text = str(parts)
    assert "相关证据" in text and "Graph" in text


def test_metrics_and_handover(console: DutyContext) -> None:
    seed(console, "m-b1-kw", "m-b2-kw")
    table = duty.metrics(console, "zh")
    assert "每10分钟报警" in str(table) and "≈1 / ≤2" in str(table)
    week = duty.metrics(console, "zh", "week")
    assert "每10分钟报警" in str(week) and str(week) != str(table)  # a longer window
    assert str(duty.metrics(console, "zh", "<script>")) == str(table)  # refused: today
    items = duty.handover(console, ids.DUTY_HANDOVER_SUBMIT, "交班：两条待处理", "zh")
    assert "交班记录已保存" in str(items[0]) and "未结 2 条" in str(items[1])
    items = duty.handover(console, ids.DUTY_HANDOVER_ACCEPT, "", "zh")
    assert "已接班" in str(items[0]) and "张三 已接班" in str(items[1])
    assert "没有待接班记录" in str(
        duty.handover(console, ids.DUTY_HANDOVER_ACCEPT, "", "zh")[0]
    )
