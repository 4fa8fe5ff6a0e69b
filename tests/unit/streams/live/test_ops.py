from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import cast

import pytest

from streams.config.site import Site
from streams.live.ops import LiveConfig, build_batch, merge_operations, operations_for
from streams.wire.contracts import Event
from tests import builders


def ops_by_code(ops: Sequence[Sequence[object]], code: str) -> list[Sequence[object]]:
    return [op for op in ops if op[0] == code]


def test_granted_entry_counts_on_site_and_entries(sample_site: Site) -> None:
    ops = operations_for(builders.gate("in"), LiveConfig(sample_site))
    incr = ops_by_code(ops, "incr")
    assert ["incr", "ioc:{oujiang-civic}:onsite:20261120", "staff", 1] in incr
    assert ["incr", "ioc:{oujiang-civic}:entries:20261120", "staff", 1] in incr


def test_exit_only_lowers_on_site(sample_site: Site) -> None:
    ops = operations_for(builders.gate("out", "vehicle"), LiveConfig(sample_site))
    assert ["incr", "ioc:{oujiang-civic}:onsite:20261120", "vehicle", -1] in ops
    assert not [op for op in ops if ":entries:" in str(op[1])]


def test_denied_pass_counts_only_as_denied(sample_site: Site) -> None:
    event = builders.gate("in", result="denied", deny_reason="unknown_face")
    ops = operations_for(event, LiveConfig(sample_site))
    assert ["incr", "ioc:{oujiang-civic}:entries:20261120", "denied", 1] in ops
    assert not [op for op in ops if ":onsite:" in str(op[1])]


@pytest.mark.parametrize(
    ("local_time", "day"),
    [("03:59", "20261119"), ("04:00", "20261120"), ("04:01", "20261120")],
)
def test_day_resets_at_the_configured_local_hour(
    sample_site: Site, local_time: str, day: str
) -> None:
    hour, minute = map(int, local_time.split(":"))
    ts = datetime(2026, 11, 19, hour - 8 + 24, minute, tzinfo=UTC)  # +08:00 local
    ops = operations_for(
        builders.gate("in", ts=ts), LiveConfig(sample_site, day_reset_hour=4)
    )
    assert any(str(op[1]).endswith(f"onsite:{day}") for op in ops)


def test_power_reading_integrates_to_energy_today(sample_site: Site) -> None:
    ops = operations_for(
        builders.reading(value=720.0, interval_s=60), LiveConfig(sample_site)
    )
    assert [
        "incrf",
        "ioc:{oujiang-civic}:energy_total:20261120",
        "m-b1-kw",
        12.0,
    ] in ops


def test_cumulative_register_is_not_summed(sample_site: Site) -> None:
    event = builders.reading(
        "m-b1-kwh", 123456.0, quantity="electric_kwh", cumulative=True
    )
    ops = operations_for(event, LiveConfig(sample_site))
    assert not ops_by_code(ops, "incrf")


def test_every_event_updates_its_minute_and_last_seen(sample_site: Site) -> None:
    ops = operations_for(builders.people(), LiveConfig(sample_site))
    assert {"incr", "newer", "zmax"} <= {op[0] for op in ops}
    assert ops[0][1] == "ioc:{oujiang-civic}:minute:camera:202611200400"


def test_batch_equals_the_merge_of_every_events_operations(sample_site: Site) -> None:
    """build_batch gives what merging every event's operations gives: same-time
    events on one device, in either order."""
    config = LiveConfig(sample_site)
    events: list[Event] = [
        builders.gate("in"),
        builders.gate("out"),
        builders.reading(value=5.0),
    ]
    events += [
        builders.reading(value=9.0),
        builders.gate("in", ts=builders.NOON.replace(minute=1)),
    ]
    expected = merge_operations(
        op for event in events for op in operations_for(event, config)
    )
    for order in (events, events[::-1]):
        got = cast(list[object], build_batch(order, config)["ops"])
        assert sorted(map(repr, got)) == sorted(map(repr, expected))


def test_batch_guards_each_event_by_its_hour(sample_site: Site) -> None:
    first, second = builders.gate(), builders.meal()
    batch = build_batch([first, second, first], LiveConfig(sample_site))
    assert batch["guards"] == [
        [
            "ioc:{oujiang-civic}:seen:2026112004",
            [str(first.event_id), str(second.event_id)],
        ]
    ]
    expire = dict(cast(list[tuple[str, int]], batch["expire"]))
    assert expire["ioc:{oujiang-civic}:seen:2026112004"] > 0


def test_merge_sums_counters_and_keeps_the_newest_value() -> None:
    merged = merge_operations(
        [
            ["incr", "k", "staff", 1],
            ["incr", "k", "staff", -1],
            ["incr", "k", "staff", 1],
            ["incrf", "e", "m", 0.5],
            ["incrf", "e", "m", 0.25],
            ["newer", "v", "m", "2", "v_ts", 20.0],
            ["newer", "v", "m", "9", "v_ts", 10.0],
            ["newer", "v", "m", "1", "v_ts", 20.0],
            ["zmax", "z", "d", 5.0],
            ["zmax", "z", "d", 3.0],
        ]
    )
    assert ["incr", "k", "staff", 1] in merged
    assert ["incrf", "e", "m", 0.75] in merged
    assert [
        "newer",
        "v",
        "m",
        "2",
        "v_ts",
        20.0,
    ] in merged  # later ts, then larger value
    assert ["zmax", "z", "d", 5.0] in merged
    assert len(merged) == 4


def test_keys_share_one_cluster_hash_tag(sample_site: Site) -> None:
    events: list[Event] = [builders.gate(), builders.reading(), builders.status()]
    batch = build_batch(events, LiveConfig(sample_site))
    keys = {str(op[1]) for op in cast(list[list[object]], batch["ops"])}
    keys |= {str(guard[0]) for guard in cast(list[list[object]], batch["guards"])}
    assert all(key.startswith("ioc:{oujiang-civic}:") for key in keys)
