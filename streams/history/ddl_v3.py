"""Schema version 3: the briefing archive (#7), the same on both paths.

One row per file of a generated briefing: the PDF and its PNG charts, keyed by
period kind, period start, language and file name. Regenerating a period replaces
the row with byte-identical content (``sha256`` shows it), so the archive is a
table any stateless process can write and the page lists.
"""

from __future__ import annotations

COMMON: tuple[str, ...] = (
    """CREATE TABLE briefing_files (
        kind text NOT NULL CHECK (kind IN ('day', 'week', 'month')),
        period_start date NOT NULL,
        period_end date NOT NULL,
        lang text NOT NULL CHECK (lang IN ('zh', 'en')),
        name text NOT NULL,
        media_type text NOT NULL,
        content bytea NOT NULL,
        sha256 text NOT NULL,
        generated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (kind, period_start, lang, name))""",
    "CREATE INDEX briefing_files_recent_idx ON briefing_files"
    " (period_start DESC, kind)",
)
