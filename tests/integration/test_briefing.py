"""The weekly briefing of a simulated week on a real PostgreSQL: every figure the
report shows is recomputed here from the raw rows, another way (Python over the
fetched rows); the PDF renders with pdftoppm to the expected pages; regenerating the
period gives byte-identical files; the archive keeps and serves them."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import pytest
import redis

from dashboard.briefing.jobs import compose, documents, generate
from layouts.briefing.model import Briefing
from layouts.briefing.pdf import PAGES, render_pdf
from layouts.briefing.text import narrative
from streams.alarms.engine import AlarmEngine
from streams.briefings import archive
from streams.briefings.collect import dead_letters
from streams.briefings.periods import Period, period_of
from streams.config.site import Site
from streams.history.writer import write_batch
from streams.live.keys import Keys
from streams.wire.contracts import StatusEvent
from tests.briefing_week import WEEK, fill_days
from tests.conftest import PG_ADMIN_URL, REDIS_TEST_URL
from tests.integration.alarm_fixtures import make_engine, signal

pytestmark = pytest.mark.integration

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture(scope="module")
def site(sample_site: Site) -> Site:
    """The sample compound under a unique id, shared by the module's tests."""
    return sample_site.model_copy(update={"id": f"t{uuid.uuid4().hex[:12]}"})


@pytest.fixture(scope="module")
def week_db(site: Site) -> Iterator[str]:
    """Two simulated weeks (the reported one and the one before) plus two alarms,
    shared by the module's tests (writing them takes ~30 s)."""
    name = f"ioc_test_briefing_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    try:
        fill_days(site, url, WEEK - timedelta(days=7), 14)
        _raise_and_ack(site, url, REDIS_TEST_URL)
        yield url
    finally:
        client = redis.Redis.from_url(REDIS_TEST_URL)
        keys = list(client.scan_iter(match=f"ioc:{{{site.id}}}:*", count=1000))
        if keys:
            client.delete(*keys)
        client.close()
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _local(day: date, hhmm: str = "00:00") -> datetime:
    return datetime.combine(day, time.fromisoformat(hhmm), TZ)


def _raise_and_ack(site: Site, url: str, redis_url: str) -> None:
    """Two alarms in the week: one acknowledged after 6 minutes, one not."""
    engine: AlarmEngine
    engine, _ = make_engine(site, url, redis_url)
    try:
        first = _local(WEEK + timedelta(days=1), "10:00").astimezone(UTC)
        engine.submit([signal(at=first, source="m-b1-kw", area="b1")], first)
        second = first + timedelta(hours=2)
        engine.submit(
            [
                signal(
                    "tailgating",
                    "gate-east",
                    at=second,
                    severity="major",
                    area="gate-east",
                )
            ],
            second,
        )
        leak = next(a for a in engine.open_alarms() if a.kind == "water_leak")
        engine.act(
            leak.id,
            "acknowledge",
            "王值班",
            "duty",
            first + timedelta(minutes=6),
            comment="已派人关阀",
        )
    finally:
        engine.close()


def _expected(site: Site, conn: psycopg.Connection, period: Period) -> dict[str, float]:
    """The week's figures straight from the raw rows."""
    start, end = period.bounds(TZ)
    top = {m.id: m.quantity for m in site.meters if m.parent is None}
    kwh = water = pv = 0.0
    for device, quantity, value, interval_s, cumulative in conn.execute(
        "SELECT device, quantity, value, interval_s, cumulative FROM energy_readings"
        " WHERE ts >= %s AND ts < %s",
        (start, end),
    ):
        if cumulative or top.get(device) != quantity:
            continue
        if quantity == "electric_kw":
            kwh += value * interval_s / 3600
        elif quantity == "pv_kw":
            pv += value * interval_s / 3600
        elif quantity == "water_m3":
            water += value
    people: dict[date, set[tuple[str, str]]] = defaultdict(set)
    visitors = 0
    for ts, subject, credential in conn.execute(
        "SELECT ts, subject, credential FROM gate_events WHERE ts >= %s AND ts < %s"
        " AND result = 'granted' AND direction = 'in'",
        (start, end),
    ):
        people[ts.astimezone(TZ).date()].add((subject, credential))
    person_days = sum(len(v) for v in people.values())
    visitors = sum(1 for v in people.values() for s, _ in v if s == "visitor")
    meals = conn.execute(
        "SELECT sum(count) FROM canteen_events WHERE kind = 'settlement'"
        " AND ts >= %s AND ts < %s",
        (start, end),
    ).fetchone()[0]  # type: ignore[index]
    return {
        "b_electricity": kwh,
        "b_water": water,
        "b_pv": pv,
        "b_people": person_days,
        "b_visitors": visitors,
        "b_meals": float(meals),
        "b_kwh_person": kwh / person_days,
        "b_water_person": 1000 * water / person_days,
        "b_kwh_meal": kwh / float(meals),
        "b_carbon": (kwh - pv) * site.grid_kg_co2_per_kwh,  # PV all used on site
    }


@pytest.fixture(scope="module")
def briefing(week_db: str, site: Site) -> Briefing:
    with psycopg.connect(week_db, autocommit=True) as conn:
        return compose(conn, site, period_of("week", WEEK), None)


def test_weekly_figures_match_the_raw_rows(
    week_db: str, site: Site, briefing: Briefing
) -> None:
    with psycopg.connect(week_db) as conn:
        expected = _expected(site, conn, period_of("week", WEEK))
        previous = _expected(site, conn, period_of("week", WEEK - timedelta(days=7)))
    for key, value in expected.items():
        assert briefing.kpi(key).value == pytest.approx(value, rel=1e-9), key
    assert briefing.kpi("b_electricity").previous == pytest.approx(
        previous["b_electricity"], rel=1e-9
    )
    assert briefing.has_previous and not briefing.has_last_year
    assert briefing.coverage == (7, 7) and briefing.previous_coverage == (7, 7)
    assert briefing.kpi("b_electricity").last_year is None
    assert briefing.kpi("b_pv_self").value == pytest.approx(100.0)
    # alarms: two raised in the week, one acknowledged after 6 minutes
    assert briefing.kpi("b_alarms").value == 2
    assert briefing.kpi("b_mtta").value == pytest.approx(6.0)
    assert {k.kind: k.count for k in briefing.alarm_kinds} == {
        "water_leak": 1,
        "tailgating": 1,
    }
    top = briefing.incidents[0]
    assert top.kind == "water_leak"
    assert [(who, what, note) for _, who, what, note in top.actions] == [
        ("王值班", "acknowledge", "已派人关阀")
    ]
    days = sum(b.kwh for b in briefing.buildings)
    assert days == pytest.approx(expected["b_electricity"], rel=1e-9)
    assert sum(briefing.energy.current) == pytest.approx(days, rel=1e-9)
    assert sum(c.meals for c in briefing.canteens) == expected["b_meals"]
    text = "".join(narrative(briefing, "zh"))
    assert f"{expected['b_electricity']:,.0f} kWh" in text
    assert "本周用电" in text and "较上周" in text


def test_pdf_renders_its_pages_and_regenerates_identically(
    week_db: str, site: Site, briefing: Briefing, tmp_path: Path
) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils (pdftoppm) not installed")
    pdf = render_pdf(briefing, "zh")
    assert pdf == render_pdf(briefing, "zh")
    (tmp_path / "b.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "40",
            "-png",
            str(tmp_path / "b.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == PAGES == 4
    fonts = subprocess.run(
        ["pdffonts", str(tmp_path / "b.pdf")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "NotoSansCJK" in fonts
    assert all(" yes " in line for line in fonts.splitlines()[2:])  # embedded
    words = subprocess.run(
        ["pdftotext", str(tmp_path / "b.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "周报" in words and "楼宇画像" in words


def test_archive_regenerates_the_same_files(
    week_db: str, site: Site, briefing: Briefing
) -> None:
    period = period_of("week", WEEK)
    with psycopg.connect(week_db, autocommit=True) as conn:
        assert generate(conn, site, period, None) == ["zh", "en"]
        first = {f.name: f.sha256 for f in archive.listing(conn) if f.lang == "zh"}
        assert generate(conn, site, period, None, only_missing=True) == []
        assert generate(conn, site, period, None) == ["zh", "en"]
        again = {f.name: f.sha256 for f in archive.listing(conn) if f.lang == "zh"}
        stored = archive.fetch(conn, "week", period.start, "zh", "briefing.pdf")
    assert set(first) == {
        "briefing.pdf",
        "energy.png",
        "meals.png",
        "buildings.png",
        "alarms.png",
    }
    assert first == again
    assert stored is not None and stored[0] == "application/pdf"
    assert stored[1] == documents(briefing, "zh")["briefing.pdf"]


def test_schedule_catches_up_with_the_latest_due_periods(
    week_db: str, site: Site
) -> None:
    """Monday 08:05 after the reported week: yesterday's daily and last week's weekly
    briefings are due; a second tick generates nothing new."""
    from dashboard.briefing.jobs import run_due

    now = _local(WEEK + timedelta(days=7), "08:05").astimezone(UTC)
    with psycopg.connect(week_db, autocommit=True) as conn:
        conn.execute("DELETE FROM briefing_files")
        assert run_due(conn, site, None, now) == ["day-2026-06-14", "week-2026-06-08"]
        assert run_due(conn, site, None, now + timedelta(minutes=1)) == []
        kept = {(f.kind, f.start, f.lang) for f in archive.listing(conn)}
    assert kept == {
        (kind, start, lang)
        for kind, start in (("day", date(2026, 6, 14)), ("week", date(2026, 6, 8)))
        for lang in ("zh", "en")
    }


def test_day_against_last_year_with_offline_devices_and_dead_letters(
    pg_url: str, site: Site, redis_url: str
) -> None:
    """A Tuesday with the day before and the same Tuesday 52 weeks earlier in
    history, a camera that reported offline, and dead letters in Redis."""
    day = WEEK + timedelta(days=1)
    fill_days(site, pg_url, day - timedelta(weeks=52), 1)
    fill_days(site, pg_url, day - timedelta(days=1), 2)
    offline = StatusEvent(
        event_id=uuid.uuid4(),
        ts=_local(day, "10:00"),
        device="cam-parking",
        state="offline",
    )
    client = redis.Redis.from_url(redis_url)
    key = Keys(site.id).dead_letters
    start_ms = int(_local(day).timestamp() * 1000)
    for offset_ms in (-5_000, 1_000, 3_600_000, 86_399_000, 86_400_000):
        client.xadd(
            key,
            {"topic": "ioc/x/gate/g", "reason": "bad"},
            id=f"{start_ms + offset_ms}-0",
        )
    with psycopg.connect(pg_url, autocommit=True) as conn:
        write_batch(conn, [offline])
        briefing = compose(conn, site, period_of("day", day), client)
        year = _expected(site, conn, period_of("day", day - timedelta(weeks=52)))
        before = _expected(site, conn, period_of("day", day - timedelta(days=1)))
    partial = dead_letters(client, site, _local(day) - timedelta(days=1), _local(day))
    client.close()
    kwh = briefing.kpi("b_electricity")
    assert briefing.has_last_year and briefing.has_previous
    assert kwh.last_year == pytest.approx(year["b_electricity"], rel=1e-9)
    assert kwh.previous == pytest.approx(before["b_electricity"], rel=1e-9)
    assert kwh.year_change_pct == pytest.approx(
        100 * (kwh.value - year["b_electricity"]) / year["b_electricity"]  # type: ignore[operator]
    )
    assert briefing.kpi("b_kwh_person").last_year == pytest.approx(
        year["b_kwh_person"], rel=1e-9
    )
    assert len(briefing.energy.current) == 24  # hours of the day
    assert briefing.quality.offline_devices == ("地面停车场",)
    assert briefing.quality.silent_devices == ()
    assert (briefing.quality.dead_letters, briefing.quality.dead_letters_partial) == (
        3,
        False,
    )
    assert partial is not None and (partial.count, partial.partial) == (1, True)
