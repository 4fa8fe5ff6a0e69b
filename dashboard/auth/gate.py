"""Authentication and the decisions the middleware enforces (no ASGI plumbing).

A request is authenticated by, in order: the session cookie (a signed-in user),
the kiosk cookie (a wall screen's token), or for ``/api`` a bearer token. Kiosk and
API tokens are looked up in PostgreSQL and cached for `TOKEN_CACHE_S`, so a
revoked token stops working within that time.
"""

from __future__ import annotations

import hmac
import json
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import psycopg
import redis

from dashboard.auth.audit import AuditEntry, AuditLog
from dashboard.auth.callbacks import PAGES_LOCATION, CallbackIndex, id_key
from dashboard.auth.kiosk import KioskScope
from dashboard.auth.passwords import csrf_for
from dashboard.auth.policy import may_open
from dashboard.auth.principal import Principal
from dashboard.auth.sessions import SessionStore
from dashboard.auth.store import TokenKind, UserStore

SESSION_COOKIE = "ioc_session"
KIOSK_COOKIE = "ioc_kiosk"
CSRF_COOKIE = "_csrf_token"  # the name dash-renderer reads (X-CSRFToken header)
CSRF_HEADER = "x-csrftoken"
TOKEN_CACHE_S = 30.0
WALL_SCREEN_ID = "wall-screen"


@dataclass(frozen=True, slots=True)
class Refusal:
    status: int  # 401 or 403
    reason: str  # short, safe for the client and the audit log


class TokenCache:
    def __init__(self, users: UserStore) -> None:
        self._users = users
        self._lock = threading.Lock()
        self._seen: dict[tuple[str, str], tuple[float, str | None]] = {}

    def scope(self, kind: TokenKind, token: str) -> str | None:
        if not token or len(token) > 128:
            return None
        now = time.monotonic()
        with self._lock:
            hit = self._seen.get((kind, token))
        if hit is not None and now - hit[0] < TOKEN_CACHE_S:
            return hit[1]
        try:
            scope = self._users.token_scope(kind, token)
        except psycopg.Error:
            return None  # fail closed, and do not cache the outage
        with self._lock:
            if len(self._seen) > 10_000:
                self._seen.clear()
            self._seen[(kind, token)] = (now, scope)
        return scope

    def forget(self) -> None:
        with self._lock:
            self._seen.clear()


class Gate:
    def __init__(
        self,
        sessions: SessionStore,
        users: UserStore,
        audit: AuditLog,
        index: CallbackIndex,
        kiosk_scope: KioskScope,
    ) -> None:
        self.sessions, self.users, self.audit = sessions, users, audit
        self.index, self.kiosk_scope = index, kiosk_scope
        self.tokens = TokenCache(users)

    def from_cookies(self, cookies: Mapping[str, str]) -> Principal | None:
        """Blocking (Redis; PostgreSQL on a kiosk cache miss)."""
        session_id = cookies.get(SESSION_COOKIE, "")
        if session_id:
            try:
                found = self.sessions.principal(session_id)
            except redis.RedisError:
                found = None
            if found is not None:
                return found
        return self.kiosk(cookies.get(KIOSK_COOKIE, ""))

    def kiosk(self, token: str) -> Principal | None:
        screen = self.tokens.scope("kiosk", token) if token else None
        if screen is None:
            return None
        return Principal(
            name=f"kiosk:{screen}",
            display=f"kiosk:{screen}",
            role="kiosk",
            kind="kiosk",
            screen=screen,
            csrf=csrf_for(token),
        )

    def api_client(self, authorization: str) -> Principal | None:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer":
            return None
        client = self.tokens.scope("api", token.strip())
        if client is None:
            return None
        return Principal(f"api:{client}", client, "leader", kind="api")

    @staticmethod
    def csrf_ok(principal: Principal, header: str) -> bool:
        return bool(header) and hmac.compare_digest(header, principal.csrf)

    def callback_refusal(self, principal: Principal, body: bytes) -> Refusal | None:
        """Is this `_dash-update-component` body allowed for this principal?"""
        try:
            request = json.loads(body)
        except ValueError:
            return Refusal(400, "bad callback request")
        if not isinstance(request, dict):
            return Refusal(400, "bad callback request")
        return self.payload_refusal(principal, request)

    def payload_refusal(
        self, principal: Principal, request: Mapping[str, Any]
    ) -> Refusal | None:
        """The same check for an HTTP body or a WebSocket callback payload."""
        key = str(request.get("output", ""))
        roles = self.index.roles(key)
        if roles is None:
            return Refusal(403, "unknown callback")
        if principal.role not in roles:
            return Refusal(403, "callback of another page")
        if principal.is_kiosk and not self.kiosk_scope.allows(
            principal.screen, self.index.outputs(key)
        ):
            return Refusal(403, "callback of another screen")
        for item in _values(request):
            refusal = _item_refusal(principal, item)
            if refusal is not None:
                return refusal
        return None

    def record(self, entry: AuditEntry) -> None:
        self.audit.append(entry)


def _item_refusal(principal: Principal, item: Mapping[str, Any]) -> Refusal | None:
    """A page path or kiosk screen sent as callback input must be the principal's."""
    key, value = id_key(item.get("id")), item.get("value")
    page = key == PAGES_LOCATION and item.get("property") == "pathname"
    if page and not (isinstance(value, str) and may_open(principal, value)):
        return Refusal(403, "page not allowed")
    if key == WALL_SCREEN_ID and principal.is_kiosk and value != principal.screen:
        return Refusal(403, "screen not allowed")
    return None


def _values(request: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Every input and state item of a callback request (flattened)."""
    found: list[Mapping[str, Any]] = []
    for name in ("inputs", "state"):
        stack = list(request.get(name) or [])
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, Mapping):
                found.append(item)
    return found


def clicked(request: Mapping[str, Any]) -> str | None:
    """The button (or form) whose press triggered this callback, if any."""
    for changed in request.get("changedPropIds") or []:
        text = str(changed)
        if text.endswith((".n_clicks", ".n_submit")):
            return text.rsplit(".", 1)[0][:200]
    return None
