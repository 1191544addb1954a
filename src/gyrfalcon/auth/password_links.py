"""One-time set-password links: an admin hands a new user a link instead of a password.

The link carries a random token (only its SHA-256 is stored), in the URL's fragment so
that it never reaches a server log or a Referer header; the set-password page posts it
back in a body. A link works once, until it expires, and a user has at most one: a new
link replaces the old. Using it (``service.redeem_password_link``) sets the password
under the policy, ends the account's sessions and is audited as the user's own act.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.audit import service as audit
from gyrfalcon.auth.models import LOCAL_SOURCE, PasswordLink, User
from gyrfalcon.auth.passwords import digest
from gyrfalcon.core.errors import Conflict, NotFound

_TOKEN_BYTES = 32
SET_PASSWORD_PAGE = "/set-password"  # noqa: S105 - a page of the console, not a password
_NOT_VALID = (
    "This link does not work any more: it was used, replaced by a newer one or has expired. "
    "Ask an admin for a new link."
)


@dataclass(frozen=True)
class IssuedLink:
    token: str
    expires_at: datetime

    def url(self, public_url: str) -> str:
        return f"{public_url}{SET_PASSWORD_PAGE}#{self.token}"


async def issue_password_link(
    session: AsyncSession, *, user: User, lifetime: timedelta, now: datetime
) -> IssuedLink:
    """A new link for ``user``, replacing any earlier one, audited; the caller commits."""
    if user.source != LOCAL_SOURCE:
        raise Conflict(
            f"'{user.username}' logs in through the directory: its password is set there."
        )
    await session.execute(delete(PasswordLink).where(PasswordLink.user_id == user.id))
    token = secrets.token_urlsafe(_TOKEN_BYTES)
    link = PasswordLink(
        user_id=user.id, token_hash=digest(token), created_at=now, expires_at=now + lifetime
    )
    session.add(link)
    audit.record(
        session,
        action="user.password_link",
        object_type="user",
        object_id=user.id,
        object_name=user.username,
        after={"expires_at": link.expires_at.isoformat()},
    )
    return IssuedLink(token=token, expires_at=link.expires_at)


async def find_link(
    session: AsyncSession, *, token: str, now: datetime
) -> tuple[PasswordLink, User]:
    """The live link with ``token`` and its user; one answer for every kind of dead link."""
    row = (
        await session.execute(
            select(PasswordLink, User)
            .join(User, User.id == PasswordLink.user_id)
            .where(PasswordLink.token_hash == digest(token))
        )
    ).one_or_none()
    if row is None or row[0].expires_at <= now or not row[1].is_active:
        raise NotFound(_NOT_VALID, title="Link not valid")
    return row[0], row[1]
