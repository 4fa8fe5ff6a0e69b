"""The weekly briefing of a simulated week on a real PostgreSQL: every figure the
report shows is recomputed from the raw rows, another way (`figures.py`: Python
over the fetched rows); the PDF renders with pdftoppm to the expected pages;
regenerating the period gives byte-identical files; the archive keeps and serves
them. The daily briefing against last year: `test_day.py`."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Iterator
from datetime import UTC, date, timedelta
from pathlib import Path

import psycopg
import pytest
import redis

from dashboard.briefing.jobs import compose, documents, generate
from layouts.briefing.model import Briefing
from layouts.briefing.pdf import PAGES, render_pdf
from layouts.briefing.text import narrative
from streams.alarms.engine import AlarmEngine
from streams.briefings import archive
from streams.briefings.periods import period_of
from streams.config.site import Site
from tests.briefing_week import WEEK, fill_days
from tests.conftest import PG_ADMIN_URL, REDIS_TEST_URL
from tests.integration.alarms.fixtures import make_engine, signal
from tests.integration.briefings.figures import local, raw_figures

pytestmark = pytest.mark.integration


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


def _raise_and_ack(site: Site, url: str, redis_url: str) -> None:
    """Two alarms in the week: one acknowledged after 6 minutes, one not."""
    engine: AlarmEngine
    engine, _ = make_engine(site, url, redis_url)
    try:
        first = local(WEEK + timedelta(days=1), "10:00").astimezone(UTC)
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


@pytest.fixture(scope="module")
def briefing(week_db: str, site: Site) -> Briefing:
    with psycopg.connect(week_db, autocommit=True) as conn:
        return compose(conn, site, period_of("week", WEEK), None)


def test_weekly_figures_match_the_raw_rows(
    week_db: str, site: Site, briefing: Briefing
) -> None:
    with psycopg.connect(week_db) as conn:
        expected = raw_figures(site, conn, period_of("week", WEEK))
        previous = raw_figures(site, conn, period_of("week", WEEK - timedelta(days=7)))
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

    now = local(WEEK + timedelta(days=7), "08:05").astimezone(UTC)
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
