"""Sign-in sessions in Redis and the login rate limit.

The cookie holds a random session id; Redis holds only its SHA-256, so a copy of
Redis does not hand out sessions. A session expires when idle
(``IOC_AUTH_SESSION_IDLE_MIN``, renewed by use) and at the latest
``IOC_AUTH_SESSION_MAX_H`` after login. A user's sessions end together when an
admin changes or disables the user.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

import redis

from dashboard.auth.passwords import csrf_for, new_token, token_digest
from dashboard.auth.principal import USER_ROLES, Principal
from streams.live.keys import Keys


@dataclass(frozen=True, slots=True)
class SessionPolicy:
    idle_s: int = 8 * 3600
    max_s: int = 12 * 3600
    login_per_min: int = 10


class SessionStore:
    def __init__(
        self, client: redis.Redis, site_id: str, policy: SessionPolicy
    ) -> None:
        self._redis, self._keys, self.policy = client, Keys(site_id), policy

    def create(self, username: str, display: str, role: str) -> str:
        """A new session; returns the id for the cookie."""
        session_id = new_token()
        digest = token_digest(session_id)
        body = {"u": username, "d": display, "r": role, "t": int(time.time())}
        pipe = self._redis.pipeline()
        pipe.set(self._keys.session(digest), json.dumps(body), ex=self.policy.idle_s)
        pipe.sadd(self._keys.user_sessions(username), digest)
        pipe.expire(self._keys.user_sessions(username), self.policy.max_s)
        pipe.execute()
        return session_id

    def principal(self, session_id: str) -> Principal | None:
        """The session's principal (its idle expiry renewed), or None."""
        if not session_id or len(session_id) > 128:
            return None
        key = self._keys.session(token_digest(session_id))
        raw = self._redis.get(key)
        if raw is None:
            return None
        body = json.loads(raw)
        age = time.time() - float(body.get("t", 0))
        if age > self.policy.max_s or body.get("r") not in USER_ROLES:
            self._redis.delete(key)
            return None
        self._redis.expire(key, int(min(self.policy.idle_s, self.policy.max_s - age)))
        return Principal(
            name=str(body["u"]),
            display=str(body["d"]),
            role=body["r"],
            csrf=csrf_for(session_id),
        )

    def end(self, session_id: str) -> None:
        self._redis.delete(self._keys.session(token_digest(session_id)))

    def end_all(self, username: str) -> int:
        """End every session of a user (role change, disable, password reset)."""
        members = self._redis.smembers(self._keys.user_sessions(username))
        keys = [self._keys.session(m.decode()) for m in members]  # type: ignore[union-attr]  # a bytes client
        keys.append(self._keys.user_sessions(username))
        return int(self._redis.delete(*keys))

    def allow_login_attempt(self, client: str, now_s: float) -> bool:
        """At most `login_per_min` attempts per client address per minute."""
        minute = time.strftime("%Y%m%d%H%M", time.gmtime(now_s))
        key = self._keys.login_attempts(client[:64], minute)
        pipe = self._redis.pipeline()
        pipe.incr(key)
        pipe.expire(key, 120)
        count, _ = pipe.execute()
        return int(count) <= self.policy.login_per_min
