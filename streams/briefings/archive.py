"""The briefing archive in PostgreSQL (`briefing_files`, schema version 3)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

import psycopg

from streams.briefings.periods import Period, PeriodKind

MEDIA_TYPES = {"pdf": "application/pdf", "png": "image/png"}

_UPSERT = """INSERT INTO briefing_files
        (kind, period_start, period_end, lang, name, media_type, content, sha256)
    VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
    ON CONFLICT (kind, period_start, lang, name) DO UPDATE SET
        period_end = EXCLUDED.period_end, media_type = EXCLUDED.media_type,
        content = EXCLUDED.content, sha256 = EXCLUDED.sha256,
        generated_at = now()"""
_LIST = """SELECT kind, period_start, period_end, lang, name, sha256, generated_at,
        octet_length(content)
    FROM briefing_files ORDER BY period_start DESC, kind, lang, name LIMIT %s"""
_GET = """SELECT media_type, content FROM briefing_files
    WHERE kind = %s AND period_start = %s AND lang = %s AND name = %s"""
_HAS = """SELECT 1 FROM briefing_files
    WHERE kind = %s AND period_start = %s AND lang = %s AND name = 'briefing.pdf'"""


@dataclass(frozen=True, slots=True)
class ArchivedFile:
    kind: PeriodKind
    start: date
    end: date
    lang: str
    name: str
    sha256: str
    generated_at: datetime
    size: int


def media_type(name: str) -> str:
    return MEDIA_TYPES[name.rsplit(".", 1)[-1]]


def save(
    conn: psycopg.Connection, period: Period, lang: str, files: Mapping[str, bytes]
) -> None:
    """Store every file of one generated briefing (replacing an earlier one)."""
    with conn.transaction():
        for name, content in sorted(files.items()):
            digest = hashlib.sha256(content).hexdigest()
            conn.execute(
                _UPSERT,
                (
                    period.kind,
                    period.start,
                    period.end,
                    lang,
                    name,
                    media_type(name),
                    content,
                    digest,
                ),
            )


def has(conn: psycopg.Connection, period: Period, lang: str) -> bool:
    return conn.execute(_HAS, (period.kind, period.start, lang)).fetchone() is not None


def listing(conn: psycopg.Connection, limit: int = 200) -> list[ArchivedFile]:
    rows = conn.execute(_LIST, (limit,)).fetchall()
    return [ArchivedFile(*row) for row in rows]


def fetch(
    conn: psycopg.Connection, kind: str, start: date, lang: str, name: str
) -> tuple[str, bytes] | None:
    row = conn.execute(_GET, (kind, start, lang, name)).fetchone()
    return None if row is None else (str(row[0]), bytes(row[1]))
