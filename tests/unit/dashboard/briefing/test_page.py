"""The briefing page's server-side validation of what the browser sends."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from dashboard.briefing.page import (
    BriefingContext,
    download,
    selected,
    show,
    stepped,
    valid_day,
    valid_kind,
)
from streams.briefings.periods import Period
from streams.config.site import Site

NOW = datetime(2026, 6, 17, 2, 0, tzinfo=UTC)  # Wednesday 10:00 in Shanghai
TODAY = date(2026, 6, 17)


@pytest.fixture
def brief(sample_site: Site) -> BriefingContext:
    return BriefingContext(sample_site, None, None, clock=lambda: NOW)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("week", "week"), ("month", "month"), ("year", "day"), (None, "day"), (3, "day")],
)
def test_kind(value: object, expected: str) -> None:
    assert valid_kind(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-06-10", date(2026, 6, 10)),
        ("2026-06-10T00:00:00", date(2026, 6, 10)),  # the date picker's long form
        ("2030-01-01", TODAY),  # the future: today
        ("1970-01-01", date(2000, 1, 1)),
        ("'; DROP TABLE x", date(2026, 6, 16)),  # anything else: yesterday
        (None, date(2026, 6, 16)),
    ],
)
def test_day(value: object, expected: date) -> None:
    assert valid_day(value, TODAY) == expected


def test_steps(brief: BriefingContext) -> None:
    assert selected(brief, "week", "2026-06-10") == Period(
        "week", date(2026, 6, 8), date(2026, 6, 15)
    )
    assert stepped(brief, "week", "2026-06-10", -1) == "2026-06-01"
    assert stepped(brief, "month", "2026-06-10", -1) == "2026-05-01"
    assert stepped(brief, "week", "2026-06-10", 1) == "2026-06-15"
    assert stepped(brief, "week", "2026-06-16", 1) == "2026-06-17"  # never after today


@pytest.mark.parametrize(
    ("kind", "start", "lang", "name", "status"),
    [
        ("week", "2026-06-08", "zh", "briefing.pdf", 503),  # valid; no database here
        ("year", "2026-06-08", "zh", "briefing.pdf", 404),
        ("week", "../../etc", "zh", "briefing.pdf", 404),
        ("week", "2026-06-08", "fr", "briefing.pdf", 404),
        ("week", "2026-06-08", "zh", "../passwd", 404),
        ("week", "2026-06-08", "zh", "briefing.exe", 404),
    ],
)
def test_download_refuses_anything_unknown(
    brief: BriefingContext, kind: str, start: str, lang: str, name: str, status: int
) -> None:
    assert download(brief, kind, start, lang, name).status_code == status


def test_without_history_the_page_says_so(brief: BriefingContext) -> None:
    assert "历史数据不可用" in str(show(brief, "day", None, "zh"))
