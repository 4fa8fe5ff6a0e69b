"""``python -m dashboard.auth first-run [screen]``: apply migrations, create the
bootstrap admin if no user exists, and print one line of JSON with a fresh kiosk
path for the screen (the launcher prints it as the wall URL).

``python -m dashboard.auth kiosk <screen>`` / ``api <client>``: issue a token and
print it once (operations without the admin page).
"""

from __future__ import annotations

import sys

from dashboard.auth.bootstrap import issue_kiosk, main_json
from dashboard.auth.passwords import new_token
from dashboard.auth.setup import ensure_schema_and_admin
from dashboard.auth.store import UserStore
from streams.config.settings import SettingsError, load_settings

USAGE = (
    "usage: python -m dashboard.auth first-run [screen] | kiosk <screen> | api <client>"
)


def main(argv: list[str]) -> int:
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    database = settings.url("database")
    if not database or not argv or argv[0] not in ("first-run", "kiosk", "api"):
        print(USAGE, file=sys.stderr)
        return 2
    ensure_schema_and_admin(settings)
    command, rest = argv[0], argv[1:]
    if command == "first-run":
        print(main_json(database, rest[0] if rest else "overview"), flush=True)
    elif command == "kiosk" and rest:
        print(issue_kiosk(database, rest[0], "cli"), flush=True)
    elif command == "api" and rest:
        token = new_token()
        UserStore(database).issue_token("api", rest[0][:64], token, "cli")
        print(token, flush=True)
    else:
        print(USAGE, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
