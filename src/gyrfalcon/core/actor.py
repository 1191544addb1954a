"""Who is acting in the current request, for records such as the audit log.

Set by the authentication dependency; a background service acts as ``system``.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    kind: str
    """``user`` (session), ``token``, ``system`` or ``anonymous``."""
    user_id: int | None = None
    name: str = ""
    credential_id: int | None = None
    address: str | None = None


ANONYMOUS = Actor(kind="anonymous")
_current: ContextVar[Actor] = ContextVar("gyrfalcon_actor", default=ANONYMOUS)


def current_actor() -> Actor:
    return _current.get()


def set_actor(actor: Actor) -> None:
    _current.set(actor)
