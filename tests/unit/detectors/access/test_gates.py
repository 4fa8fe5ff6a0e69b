"""Gate anomalies at each threshold (−1 / at / +1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from detectors.access.gates import GateWatch
from detectors.access.params import GateParams
from tests import builders

TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 6, 10, 2, 0, tzinfo=UTC)  # 10:00 local
P = GateParams()


def watch(**kw: object) -> GateWatch:
    return GateWatch(TZ, {"cam-east-gate": "gate-east"}, P, **kw)  # type: ignore[arg-type]


def kinds(signals: list) -> list[str]:
    return [s.kind for s in signals]


@pytest.mark.parametrize(("denials", "raised"), [(4, False), (5, True), (6, True)])
def test_denied_burst(denials: int, raised: bool) -> None:
    w, found = watch(), []
    for i in range(denials):
        event = builders.gate(
            ts=T0 + timedelta(seconds=10 * i),
            result="denied",
            deny_reason="unknown_face",
            credential=f"U{i}",
        )
        found += w.pass_(event)
    assert ("denied_burst" in kinds(found)) == raised


def test_denials_spread_beyond_the_window_are_no_burst() -> None:
    w, found = watch(), []
    for i in range(6):
        ts = T0 + timedelta(seconds=(P.denied_burst_window_s // 4 + 1) * i)
        event = builders.gate(ts=ts, result="denied", deny_reason="expired")
        found += w.pass_(event)
    assert "denied_burst" not in kinds(found)


@pytest.mark.parametrize(
    ("gap_s", "kind"),
    [
        (P.reuse_window_s - 1, "tailgating"),
        (P.reuse_window_s, "tailgating"),
        (P.reuse_window_s + 1, "anti_passback"),
    ],
)
def test_credential_reuse_or_passback(gap_s: int, kind: str) -> None:
    w = watch()
    found = w.pass_(builders.gate(ts=T0))
    found += w.pass_(builders.gate(ts=T0 + timedelta(seconds=gap_s)))
    found += w.evaluate(T0 + timedelta(minutes=1))
    assert kinds(found) == [kind]


@pytest.mark.parametrize(
    ("gap_min", "raised"),
    [
        (P.passback_window_min - 1, True),
        (P.passback_window_min, True),
        (P.passback_window_min + 1, False),
    ],
)
def test_passback_window(gap_min: int, raised: bool) -> None:
    w = watch()
    w.pass_(builders.gate(ts=T0))
    w.pass_(builders.gate(ts=T0 + timedelta(minutes=gap_min)))
    found = w.evaluate(T0 + timedelta(minutes=gap_min + 1))
    assert ("anti_passback" in kinds(found)) == raised


def test_in_out_in_is_no_passback() -> None:
    w = watch()
    w.pass_(builders.gate(ts=T0))
    w.pass_(builders.gate("out", ts=T0 + timedelta(minutes=5)))
    w.pass_(builders.gate(ts=T0 + timedelta(minutes=10)))
    assert w.evaluate(T0 + timedelta(minutes=11)) == []


def test_passback_folded_into_tailgating_when_the_credential_is_reused() -> None:
    w = watch()
    found = w.pass_(builders.gate(ts=T0))
    found += w.pass_(builders.gate(ts=T0 + timedelta(minutes=10)))
    found += w.pass_(builders.gate(ts=T0 + timedelta(minutes=10, seconds=3)))
    found += w.evaluate(T0 + timedelta(minutes=11))
    assert kinds(found) == ["tailgating"]


@pytest.mark.parametrize(
    ("local_hhmm", "raised"),
    [
        ("21:59", False),
        ("22:00", True),
        ("22:01", True),
        ("05:59", True),
        ("06:00", False),
    ],
)
def test_after_hours_entry(local_hhmm: str, raised: bool) -> None:
    hours, minutes = (int(x) for x in local_hhmm.split(":"))
    ts = datetime(2026, 6, 10, hours, minutes, tzinfo=TZ)
    found = watch().pass_(builders.gate(ts=ts))
    assert ("after_hours_entry" in kinds(found)) == raised


def _crossings(w: GateWatch, extra_per_reading: list[int]) -> list:
    """Camera readings every 30 s with 2 granted passes each, plus extra people."""
    found: list = []
    for i, extra in enumerate(extra_per_reading):
        start = T0 + timedelta(seconds=30 * i)
        for k in range(2):
            event = builders.gate(
                ts=start + timedelta(seconds=5 + 10 * k), credential=f"F{i}-{k}"
            )
            found += w.pass_(event)
        w.count("cam-east-gate", start + timedelta(seconds=30), 2 + extra)
    return found + w.evaluate(T0 + timedelta(minutes=10))


@pytest.mark.parametrize(
    ("extra", "raised"),
    [
        (P.tailgate_excess - 1, False),
        (P.tailgate_excess, True),
        (P.tailgate_excess + 1, True),
    ],
)
def test_tailgating_by_camera_excess(extra: int, raised: bool) -> None:
    # the first reading only sets the camera's interval; the excess comes after
    found = _crossings(watch(), [0, 0, extra, 0])
    assert ("tailgating" in kinds(found)) == raised


def test_tailgating_waits_for_late_passes_within_the_grace() -> None:
    w = watch()
    w.count("cam-east-gate", T0, 0)
    w.count("cam-east-gate", T0 + timedelta(seconds=30), 6)
    for k in range(6):  # passes of that interval arrive after the camera reading
        w.pass_(builders.gate(ts=T0 + timedelta(seconds=5 + k), credential=f"L{k}"))
    assert w.evaluate(T0 + timedelta(seconds=30 + P.camera_grace_s)) == []


def test_blacklist_hit_granted_is_critical() -> None:
    w = watch(blacklist=frozenset({"浙C·X0001"}))
    (signal,) = w.pass_(builders.gate(subject="vehicle", credential="浙C·X0001"))
    assert (signal.kind, signal.severity) == ("blacklist_hit", "critical")
    denied = builders.gate(result="denied", deny_reason="blacklisted", credential="F9")
    assert [s.severity for s in w.pass_(denied)] == ["major"]  # another gate
    assert w.pass_(denied) == []  # same (kind, source): one open condition


def test_a_latched_condition_clears_after_a_quiet_hold() -> None:
    w = watch(blacklist=frozenset({"F1"}))
    assert kinds(w.pass_(builders.gate(ts=T0))) == ["blacklist_hit"]
    assert w.evaluate(T0 + timedelta(seconds=P.hold_s - 1)) == []
    (cleared,) = w.evaluate(T0 + timedelta(seconds=P.hold_s))
    assert cleared.state == "cleared"


def test_a_gate_without_camera_counts_keeps_bounded_memory() -> None:
    """Passes are kept only as long as a camera count could still need them."""
    w = watch()
    start = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
    for n in range(5000):
        w.pass_(builders.gate(ts=start + timedelta(seconds=n), credential=f"C{n}"))
    keep_s = 2 * P.tailgate_window_s + P.camera_grace_s
    assert len(w.granted["gate-east"]) == keep_s + 1
