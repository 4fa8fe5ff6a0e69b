"""Server URLs in settings: the schemes each accepts, and a form safe for a log line."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

# The schemes each server URL setting accepts, by field name.
SERVER_URL_SCHEMES: dict[str, tuple[str, ...]] = {
    "mqtt_url": ("mqtt", "mqtts", "tcp"),
    "redis_url": ("redis", "rediss", "unix"),
    "database_url": ("postgresql", "postgres"),
}


def require_scheme(url: str, allowed: tuple[str, ...]) -> None:
    """Raise ValueError unless `url` is empty or uses one of the `allowed` schemes."""
    if url and urlsplit(url).scheme not in allowed:
        raise ValueError(f"scheme must be one of {', '.join(allowed)}")


def redact_url(url: str) -> str:
    """The URL with any password replaced, safe for a log line."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))
