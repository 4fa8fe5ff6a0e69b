from __future__ import annotations

from datetime import UTC, datetime

import pytest

from streams.live import LiveConfig, build_batch, operations_for
from streams.site import Site
from tests import builders


def ops_by_code(ops: list[list[object]], code: str) -> list[list[object]]:
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
def test_day_resets_at_the_configured_local_hour(sample_site: Site, local_time: str, day: str) -> None:
    hour, minute = map(int, local_time.split(":"))
    ts = datetime(2026, 11, 19, hour - 8 + 24, minute, tzinfo=UTC)  # +08:00 local
    ops = operations_for(builders.gate("in", ts=ts), LiveConfig(sample_site, day_reset_hour=4))
    assert any(str(op[1]).endswith(f"onsite:{day}") for op in ops)


def test_power_reading_integrates_to_energy_today(sample_site: Site) -> None:
    ops = operations_for(builders.reading(value=720.0, interval_s=60), LiveConfig(sample_site))
    assert ["incrf", "ioc:{oujiang-civic}:energy_total:20261120", "m-b1-kw", 12.0] in ops


def test_cumulative_register_is_not_summed(sample_site: Site) -> None:
    event = builders.reading("m-b1-kwh", 123456.0, quantity="electric_kwh", cumulative=True)
    ops = operations_for(event, LiveConfig(sample_site))
    assert not ops_by_code(ops, "incrf")


def test_every_event_updates_minute_latest_and_last_seen(sample_site: Site) -> None:
    ops = operations_for(builders.people(), LiveConfig(sample_site))
    codes = [op[0] for op in ops]
    assert codes[:3] == ["incr", "newer", "zmax"]
    assert ops[0][1] == "ioc:{oujiang-civic}:minute:camera:202611200400"


def test_batch_guards_each_event_by_its_hour(sample_site: Site) -> None:
    batch = build_batch([builders.gate(), builders.meal()], LiveConfig(sample_site))
    seen = {item["seen"] for item in batch["events"]}  # type: ignore[index]
    assert seen == {"ioc:{oujiang-civic}:seen:2026112004"}
    assert dict(batch["expire"])["ioc:{oujiang-civic}:seen:2026112004"] > 0  # type: ignore[arg-type]


def test_keys_share_one_cluster_hash_tag(sample_site: Site) -> None:
    batch = build_batch([builders.gate(), builders.reading(), builders.status()], LiveConfig(sample_site))
    keys = {str(op[1]) for item in batch["events"] for op in item["ops"]}  # type: ignore[index]
    assert all(key.startswith("ioc:{oujiang-civic}:") for key in keys)
    assert datetime.now(UTC)  # keep the import honest
