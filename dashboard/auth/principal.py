"""Who is asking: the principal the middleware authenticated for this request.

The middleware sets it (a context variable) before the app runs; page layouts and
callbacks read it with `current_principal()`. Nothing the browser sends in a body
can change it.
"""

from __future__ import annotations

from contextvars import ContextVar, Token
from dataclasses import dataclass
from typing import Literal

Role = Literal["kiosk", "duty", "security", "leader", "admin"]
ROLES: tuple[Role, ...] = ("kiosk", "duty", "security", "leader", "admin")
USER_ROLES: tuple[Role, ...] = ("duty", "security", "leader", "admin")
Kind = Literal["user", "kiosk", "api"]


@dataclass(frozen=True, slots=True)
class Principal:
    name: str  # username, "kiosk:<screen>" or "api:<client>"
    display: str  # shown on screens and written by alarm actions
    role: Role
    kind: Kind = "user"
    screen: str = ""  # a kiosk's one screen
    csrf: str = ""  # the CSRF token bound to this credential

    @property
    def is_kiosk(self) -> bool:
        return self.kind == "kiosk"


_current: ContextVar[Principal | None] = ContextVar("ioc_principal", default=None)


def current_principal() -> Principal | None:
    return _current.get()


def set_principal(principal: Principal | None) -> Token[Principal | None]:
    return _current.set(principal)


def reset_principal(token: Token[Principal | None]) -> None:
    _current.reset(token)
