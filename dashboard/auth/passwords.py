"""Password hashes (PBKDF2-HMAC-SHA256, stdlib) and random tokens.

A hash is ``pbkdf2_sha256$<iterations>$<salt b64>$<digest b64>``: the iteration
count travels with the hash, so raising the default later re-hashes nobody by
force and old hashes keep verifying. Tokens (sessions, kiosk, API) are 256-bit
random strings; only their SHA-256 is stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 600_000  # OWASP 2023 guidance for PBKDF2-HMAC-SHA256
MIN_ITERATIONS = 1_000
MIN_PASSWORD = 10
MAX_PASSWORD = 128
_DUMMY = f"{ALGORITHM}${ITERATIONS}$AAAAAAAAAAAAAAAAAAAAAA$" + "A" * 43


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hash_password(password: str, iterations: int = ITERATIONS) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    return f"{ALGORITHM}${iterations}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str | None) -> bool:
    """Constant-time check; an unknown user (None) costs the same work."""
    algorithm, iterations, salt, digest = (stored or _DUMMY).split("$")
    count = int(iterations)
    if algorithm != ALGORITHM or count < MIN_ITERATIONS:
        return False
    candidate = hashlib.pbkdf2_hmac("sha256", password.encode(), _unb64(salt), count)
    return hmac.compare_digest(candidate, _unb64(digest)) and stored is not None


def password_problem(password: str) -> str | None:
    """Why a new password is refused (an i18n key), or None."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        return "password_length"
    if password.isdigit() or password.isalpha():
        return "password_mixed"
    return None


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_for(credential: str) -> str:
    """The CSRF token bound to a credential (a session id or a kiosk token): the
    page's script can read it from a cookie, a forged cross-site request cannot."""
    mac = hmac.new(credential.encode(), b"jiguan-ioc csrf", hashlib.sha256)
    return _b64(mac.digest())
