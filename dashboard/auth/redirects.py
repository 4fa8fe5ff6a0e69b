"""Where our redirects may point: only a path on this site.

Every ``Location`` we answer (after sign-in, the kiosk sign-in's cleaned address)
goes through `local_path`. Browsers read ``//host/…`` and ``/\\host/…`` as another
host (protocol-relative), and drop tabs and newlines before parsing, so a target is
accepted only if it is rooted at a single ``/``, has no backslash, no control or
white-space character, and no scheme or host of its own.
"""

from __future__ import annotations

from urllib.parse import urlsplit

MAX_TARGET = 2000


def local_path(target: object, fallback: str = "/") -> str:
    """`target` if it is a local path (with an optional query), else `fallback`."""
    text = target if isinstance(target, str) else ""
    if not text.startswith("/") or text.startswith(("//", "/\\")):
        return fallback
    if len(text) > MAX_TARGET or "\\" in text:
        return fallback
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text):
        return fallback
    parts = urlsplit(text)
    if parts.scheme or parts.netloc:
        return fallback
    return text
