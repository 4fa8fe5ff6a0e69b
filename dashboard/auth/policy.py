"""Who may open what: URL paths and callback outputs to roles (pure, no I/O).

Every request is decided here by the middleware (`dashboard.auth.middleware`):
a page path by its longest matching prefix, a Dash callback by the pages whose
layouts hold its output ids (`dashboard.auth.callbacks`). A path nobody listed
is open to signed-in staff (not kiosks); an unknown callback output to admins only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote

from dashboard.auth.principal import ROLES, Principal, Role

Access = Literal["public", "api", "session"]
STAFF: frozenset[Role] = frozenset({"duty", "security", "leader", "admin"})
EVERYONE: frozenset[Role] = frozenset(ROLES)


@dataclass(frozen=True, slots=True)
class Rule:
    access: Access
    roles: frozenset[Role] = frozenset()


PUBLIC = Rule("public")
# Longest prefix wins; a prefix "/x" matches "/x" and "/x/…", not "/xy".
PATH_RULES: dict[str, Rule] = {
    "/login": PUBLIC,
    "/logout": PUBLIC,  # its POST checks the session's CSRF token (auth.logout)
    "/healthz": PUBLIC,
    "/readyz": PUBLIC,
    "/metrics": PUBLIC,
    "/favicon.ico": PUBLIC,
    "/api": Rule("api"),
    "/api/v1/openapi.json": PUBLIC,
    "/": Rule("session", STAFF),
    "/wall": Rule("session", EVERYONE),
    "/duty": Rule("session", STAFF),
    "/security": Rule("session", frozenset({"security", "duty", "leader", "admin"})),
    "/briefing": Rule("session", frozenset({"leader", "duty", "admin"})),
    "/admin": Rule("session", frozenset({"admin"})),
    # Camera snapshots (the wall's security tile, /security): faces pixelated
    # for every role but security (`dashboard.masking`, applied by the middleware).
    "/snapshots": Rule("session", EVERYONE),
    "/docs": Rule("session", frozenset({"admin"})),
    "/redoc": Rule("session", frozenset({"admin"})),
    "/openapi.json": Rule("session", frozenset({"admin"})),
    # Dash's own routes: any principal; callbacks are checked by their outputs.
    "/assets": Rule("session", EVERYONE),
    "/_dash-component-suites": Rule("session", EVERYONE),
    "/_dash-layout": Rule("session", EVERYONE),
    "/_dash-dependencies": Rule("session", EVERYONE),
    "/_dash-update-component": Rule("session", EVERYONE),
    "/_dash-ws-callback": Rule("session", EVERYONE),
    "/_reload-hash": Rule("session", EVERYONE),
    "/_favicon.ico": PUBLIC,
}
DEFAULT_RULE = Rule("session", STAFF)
# Dash internals a kiosk's page needs besides its one wall URL.
KIOSK_PATHS = ("/assets", "/_dash-", "/_favicon.ico", "/favicon.ico", "/snapshots/")
# Output ids outside every page layout: ids of the app shell (pages plugin) are
# everyone's; others fall back to their screen prefix, then to admins only.
SHELL_IDS = frozenset({"_pages_location", "_pages_content", "_pages_store"})
SHELL_IDS |= {"_pages_dummy"}


def canonical(path: str) -> str | None:
    """The path as routers read it: percent-decoded, repeated and trailing slashes
    dropped (Dash matches pages after ``strip("/")``); None for ``.``/``..``."""
    parts = [part for part in unquote(path).split("/") if part]
    if any(part in (".", "..") for part in parts):
        return None
    return "/" + "/".join(parts)


def rule_for(path: str) -> Rule:
    path = canonical(path) or "/.."
    best, best_len = DEFAULT_RULE, -1
    for prefix, rule in PATH_RULES.items():
        if _under(path, prefix) and len(prefix) > best_len:
            best, best_len = rule, len(prefix)
    if best_len < 0 and path.startswith("/_dash-"):
        return Rule("session", EVERYONE)
    return best


def _under(path: str, prefix: str) -> bool:
    if prefix == "/":
        return path == "/"
    return path == prefix or path.startswith(prefix + "/")


def may_open(principal: Principal, path: str) -> bool:
    """May this principal GET this path (a page, asset or download)?"""
    clean = canonical(path)
    if clean is None:
        return False
    path, rule = clean, rule_for(clean)
    if rule.access == "public":
        return True
    if rule.access == "api":
        return principal.kind == "api"
    if principal.kind == "api" or principal.role not in rule.roles:
        return False
    if principal.is_kiosk:
        return path == f"/wall/{principal.screen}" or path.startswith(KIOSK_PATHS)
    return True


def roles_for_ids(
    output_ids: Iterable[str], pages_of: dict[str, frozenset[str]]
) -> frozenset[Role]:
    """The roles that may update every one of these outputs: each output's pages'
    roles (an id on two pages is open to both), intersected over the outputs."""
    allowed: frozenset[Role] = EVERYONE
    for output_id in output_ids:
        if output_id in SHELL_IDS:
            continue
        pages = pages_of.get(output_id) or frozenset({_page_by_prefix(output_id)})
        roles: frozenset[Role] = frozenset()
        for page in pages:
            roles |= page_roles(page)
        allowed &= roles
    return allowed


def page_roles(page_path: str) -> frozenset[Role]:
    rule = rule_for(page_path)
    return frozenset({"admin"}) if rule.access != "session" else rule.roles


# A page's output ids start with its screen's prefix (layouts/ids.py): the
# fallback for outputs built at run time (not in any page's validation layout).
_PREFIX_PAGES = {
    "wall": "/wall",
    "overview": "/wall",
    "canteen": "/wall",
    "energy": "/wall",
    "traffic": "/wall",
    "duty": "/duty",
    "home": "/",
    "security": "/security",
    "briefing": "/briefing",
    "admin": "/admin",
}


def _page_by_prefix(output_id: str) -> str:
    return _PREFIX_PAGES.get(output_id.split("-", 1)[0], "/admin")
