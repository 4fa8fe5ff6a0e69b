"""The examples of docs/events.md, parsed: (topic, payload bytes) per JSON block."""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "events.md"
_EXAMPLE = re.compile(r"Topic: `(?P<topic>[^`]+)`\s+```json\n(?P<body>.*?)\n```", re.S)
DOC_SITE_ID = "oujiang-civic"


def doc_examples(site_id: str = DOC_SITE_ID) -> list[tuple[str, bytes]]:
    """Every example, with its topic moved to `site_id` (tests use a unique site)."""
    text = DOC.read_text(encoding="utf-8")
    examples = []
    for match in _EXAMPLE.finditer(text):
        topic = match["topic"].replace(f"ioc/{DOC_SITE_ID}/", f"ioc/{site_id}/", 1)
        examples.append((topic, match["body"].encode()))
    return examples
