"""Process settings: loaded once per entry point from the ``IOC_*`` environment and
passed down. Unknown ``IOC_*`` variables and bad values stop the process at start with
the variable named (`load_settings`). The schema is `streams.config.model.Settings`;
this module is where callers import it from, with the URL helpers.
"""

from __future__ import annotations

import os

from pydantic import ValidationError

from streams.config.model import ENV_PREFIX, SAMPLE_SITE_FILE, Settings
from streams.config.urls import redact_url

__all__ = [
    "ENV_PREFIX",
    "SAMPLE_SITE_FILE",
    "Settings",
    "SettingsError",
    "load_settings",
    "redact_url",
]


class SettingsError(ValueError):
    """Invalid settings; the message names the environment variable and the reason."""


def _variable_name(field: object) -> str:
    return f"{ENV_PREFIX}{str(field).upper()}"


def load_settings(
    environ: dict[str, str] | None = None, **overrides: object
) -> Settings:
    """Settings from the environment (or `environ`), raising SettingsError naming the
    field."""
    env = os.environ if environ is None else environ
    known = {_variable_name(name): name for name in Settings.model_fields}
    unknown = sorted(k for k in env if k.startswith(ENV_PREFIX) and k not in known)
    if unknown:
        raise SettingsError(f"unknown setting(s): {', '.join(unknown)}")
    values: dict[str, object] = {known[k]: v for k, v in env.items() if k in known}
    values.update(overrides)
    try:
        # Raw env strings for typed fields: pydantic coerces them (or names the field).
        return Settings(**values)  # type: ignore[arg-type]  # str for int, Path, ...
    except ValidationError as exc:
        problems = [
            f"{_variable_name(p['loc'][0]) if p['loc'] else '(settings)'}: {p['msg']}"
            for p in exc.errors()
        ]
        raise SettingsError("invalid setting: " + "; ".join(problems)) from exc
