"""Login (local accounts and a directory), server-side sessions and API tokens.

Only SHA-256 digests of session ids and tokens are stored: a copy of the
database does not let anyone act as a user.

A local account (source ``local``) always logs in with its own password, even
when a directory is configured and down, so local admins keep a way in. Any other
name goes to the directory, which creates the account on first login.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.audit import service as audit
from gyrfalcon.auth.initial_admin import INITIAL_ADMIN_USERNAME, remember
from gyrfalcon.auth.initial_admin import InitialAdmin as InitialAdmin
from gyrfalcon.auth.initial_admin import initial_admin_file as initial_admin_file
from gyrfalcon.auth.initial_admin import remembered_admin as remembered_admin
from gyrfalcon.auth.models import DISPLAY_NAME_LENGTH, EMAIL_LENGTH, ApiToken, LoginSession
from gyrfalcon.auth.models import LOCAL_SOURCE as LOCAL_SOURCE
from gyrfalcon.auth.models import User as User
from gyrfalcon.auth.password_links import IssuedLink as IssuedLink
from gyrfalcon.auth.password_links import find_link as find_link
from gyrfalcon.auth.password_links import issue_password_link as issue_password_link
from gyrfalcon.auth.password_policy import check_new_password
from gyrfalcon.auth.passwords import digest as digest
from gyrfalcon.auth.passwords import hash_password, verify_password
from gyrfalcon.auth.providers.base import DirectoryGroup as DirectoryGroup
from gyrfalcon.auth.providers.base import DirectoryIdentity, IdentityProvider
from gyrfalcon.auth.ratelimit import LoginThrottle
from gyrfalcon.auth.schemas import PasswordLinkRead as PasswordLinkRead
from gyrfalcon.auth.schemas import PasswordReset as PasswordReset
from gyrfalcon.auth.schemas import TokenPage as TokenPage
from gyrfalcon.auth.schemas import TokenRead, UserRead
from gyrfalcon.auth.settings import AuthSettings as AuthSettings
from gyrfalcon.core.actor import Actor, current_actor
from gyrfalcon.core.db import commit_or_conflict, flush_or_conflict
from gyrfalcon.core.errors import Conflict, InvalidInput, NotFound, Unauthorized
from gyrfalcon.core.orm import utcnow
from gyrfalcon.core.pagination import PageParams, paginate
from gyrfalcon.core.revisions import bump

TOKEN_PREFIX = "gyr_"  # noqa: S105 - marks tokens for secret scanners, not a secret
AUTH_REVISION = "auth"
"""Bumped by every change that can end a credential early (logout, revocation ...)."""
_logger = logging.getLogger(__name__)

DirectoryLoginHook = Callable[[AsyncSession, User, Sequence[DirectoryGroup]], Awaitable[None]]
"""Called after each directory login with the user's directory groups, before the session
is opened (``app.state.on_directory_login``; the access module installs one to re-sync
roles). What it adds to the session is committed with the new login session."""


@dataclass(frozen=True)
class OpenedSession:
    cookie_value: str
    record: LoginSession


async def count_users(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(User)) or 0)


async def create_user(
    session: AsyncSession,
    *,
    username: str,
    password: str | None,
    is_admin: bool = False,
    display_name: str = "",
    email: str | None = None,
    min_password_length: int | None = None,
    commit: bool = True,
) -> User:
    """A local account; with ``min_password_length``, the password policy applies.
    Without a password nobody can log in to it until one is set (by a set-password
    link). Without ``commit`` it is only flushed, for a caller that adds to the change."""
    if await session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"A user named '{username}' already exists.")
    if min_password_length is not None and password is not None:
        check_new_password(
            password, username=username, min_length=min_password_length, field="password"
        )
    user = User(
        username=username,
        display_name=display_name or username,
        email=email,
        source="local",
        password_hash=None if password is None else await hash_password(password),
        is_admin=is_admin,
    )
    session.add(user)
    if commit:
        await commit_or_conflict(session, f"A user named '{username}' already exists.")
    else:
        await flush_or_conflict(session, f"A user named '{username}' already exists.")
    return user


async def create_initial_admin(
    session: AsyncSession, data_dir: Path, *, actor: Actor
) -> InitialAdmin | None:
    """On an empty database, ``admin`` with a random password remembered in ``data_dir``
    (audited as ``actor``); None when there are users already."""
    if await count_users(session) > 0:
        return None
    admin = InitialAdmin(INITIAL_ADMIN_USERNAME, secrets.token_urlsafe(12))
    user = await create_user(
        session, username=admin.username, password=admin.password, is_admin=True, commit=False
    )
    record_user_created(session, user, actor=actor)
    await session.commit()
    remember(data_dir, admin)
    return admin


def record_user_created(session: AsyncSession, user: User, *, actor: Actor) -> None:
    """The audit record of an account made outside the console (the command line), like
    the one the console writes."""
    audit.record(
        session,
        action="user.create",
        object_type="user",
        object_id=user.id,
        object_name=user.username,
        after=UserRead.model_validate(user),
        actor=actor,
    )


@dataclass(frozen=True)
class LoginResult:
    user: User
    directory_groups: list[DirectoryGroup] | None
    """The user's groups in the directory; None for a local account."""


class WrongCredentials(Unauthorized):
    """One answer for an unknown user and a wrong password, local or directory, so the
    answer does not reveal which names exist."""

    def __init__(self) -> None:
        super().__init__("Wrong username or password.", title="Login failed")
        self.worth_auditing = True
        """False once the caller is past the throttle's limits: no more audit rows."""


async def log_in(
    session: AsyncSession,
    *,
    username: str,
    password: str,
    client_address: str | None,
    provider: IdentityProvider | None,
    limiter: LoginThrottle,
) -> LoginResult:
    """Checks the credentials (rate-limited) and returns the user, creating or updating
    a directory user. Raises 401 (also for a disabled account), 429 or 503 (directory
    unavailable)."""
    await limiter.check(username, client_address)
    try:
        result = await _authenticate(session, username, password, provider)
        if not result.user.is_active:
            # The same answer as a wrong password: a distinct one would confirm it.
            raise WrongCredentials()
    except WrongCredentials as exc:
        exc.worth_auditing = await limiter.record_failure(username, client_address)
        raise
    await limiter.record_success(username, client_address)
    return result


async def _authenticate(
    session: AsyncSession, username: str, password: str, provider: IdentityProvider | None
) -> LoginResult:
    user = await session.scalar(select(User).where(User.username == username))
    if user is not None and user.source == LOCAL_SOURCE:
        if not await verify_password(user.password_hash, password):
            raise WrongCredentials()
        return LoginResult(user, None)
    if provider is None:
        await verify_password(None, password)  # as slow as a wrong password
        raise WrongCredentials()
    identity = await provider.authenticate(username, password)
    if identity is None:
        raise WrongCredentials()
    user = await _directory_user(session, identity, provider.source)
    return LoginResult(user, list(identity.groups))


async def _directory_user(session: AsyncSession, identity: DirectoryIdentity, source: str) -> User:
    """The account of a directory user, created on first login; name and email follow
    the directory at every login."""
    display_name = identity.display_name[:DISPLAY_NAME_LENGTH]
    email = identity.email if identity.email and len(identity.email) <= EMAIL_LENGTH else None
    user = await session.scalar(select(User).where(User.username == identity.username))
    if user is None:
        user = User(
            username=identity.username,
            display_name=display_name,
            email=email,
            source=source,
            password_hash=None,
        )
        session.add(user)
    elif user.source != source:
        # A local account of the same name must not be taken over through the directory.
        _logger.warning(
            "directory user %r matches a %s account; login refused", identity.username, user.source
        )
        raise WrongCredentials()
    else:
        user.display_name = display_name
        user.email = email
    await commit_or_conflict(session, "Another login created this account just now; try again.")
    return user


async def open_session(
    session: AsyncSession,
    *,
    user: User,
    ttl: timedelta,
    client_address: str | None,
    user_agent: str | None,
) -> OpenedSession:
    cookie_value = secrets.token_urlsafe(32)
    now = utcnow()
    record = LoginSession(
        user_id=user.id,
        token_hash=digest(cookie_value),
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + ttl,
        client_address=client_address,
        user_agent=(user_agent or "")[:300] or None,
    )
    session.add(record)
    user.last_login_at = now
    await session.commit()
    return OpenedSession(cookie_value=cookie_value, record=record)


async def find_session(session: AsyncSession, cookie_digest: str) -> LoginSession | None:
    record = await session.scalar(
        select(LoginSession).where(LoginSession.token_hash == cookie_digest)
    )
    if record is None or record.expires_at <= utcnow() or not record.user.is_active:
        return None
    return record


async def close_session(session: AsyncSession, *, session_id: int) -> None:
    await session.execute(delete(LoginSession).where(LoginSession.id == session_id))
    await bump(session, AUTH_REVISION)
    actor = current_actor()
    audit.record(
        session,
        action="auth.logout",
        object_type="user",
        object_id=actor.user_id,
        object_name=actor.name,
    )
    await session.commit()


async def purge_expired_sessions(session: AsyncSession, *, now: datetime | None = None) -> int:
    result = await session.execute(
        delete(LoginSession).where(LoginSession.expires_at <= (now or utcnow()))
    )
    await session.commit()
    return int(getattr(result, "rowcount", 0) or 0)


async def create_token(
    session: AsyncSession, *, user_id: int, name: str, expires_in_days: int, max_days: int
) -> tuple[str, ApiToken]:
    if expires_in_days > max_days:
        raise InvalidInput(
            "expires_in_days",
            f"at most {max_days} days (GYRFALCON_TOKEN_MAX_LIFETIME_DAYS): every token expires",
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(
        user_id=user_id,
        name=name,
        token_hash=digest(raw),
        prefix=raw[: len(TOKEN_PREFIX) + 4],
        created_at=now,
        expires_at=now + timedelta(days=expires_in_days),
    )
    session.add(token)
    await session.flush()
    audit.record(
        session, action="token.create", **_audited_token(token), after=_token_snapshot(token)
    )
    await session.commit()
    return raw, token


def _audited_token(token: ApiToken) -> dict[str, Any]:
    return {"object_type": "api_token", "object_id": token.id, "object_name": token.name}


def _token_snapshot(token: ApiToken) -> dict[str, Any]:
    # Never the token itself: only its visible prefix.
    return {
        "id": token.id,
        "name": token.name,
        "prefix": token.prefix,
        "user_id": token.user_id,
        "expires_at": token.expires_at.isoformat() if token.expires_at else None,
    }


async def find_token(session: AsyncSession, token_digest: str) -> ApiToken | None:
    token = await session.scalar(select(ApiToken).where(ApiToken.token_hash == token_digest))
    if token is None or not token.user.is_active:
        return None
    if token.expires_at is not None and token.expires_at <= utcnow():
        return None
    return token


async def touch_token(session: AsyncSession, *, token_id: int) -> None:
    """Records that the token was used now; callers do it at most once a minute, since
    writing on every request would turn reads into writes."""
    await session.execute(
        update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=utcnow())
    )
    await session.commit()


def tokens_of(user_id: int) -> Select[ApiToken]:
    return select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc())


async def tokens_page(session: AsyncSession, *, user_id: int, page: PageParams) -> TokenPage:
    """One page of a user's tokens (never the tokens themselves: prefixes only)."""
    found = await paginate(
        session, tokens_of(user_id), page, lambda row: TokenRead.model_validate(row[0]), TokenPage
    )
    assert isinstance(found, TokenPage)
    return found


async def revoke_token(session: AsyncSession, *, user_id: int, token_id: int) -> None:
    token = await session.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user_id)
    )
    if token is None:
        raise NotFound(f"No token with id {token_id} of this user.")
    before = _token_snapshot(token)
    await session.delete(token)
    await bump(session, AUTH_REVISION)
    audit.record(session, action="token.revoke", **_audited_token(token), before=before)
    await session.commit()


async def set_password(
    session: AsyncSession,
    *,
    user: User,
    password: str,
    min_length: int,
    action: str,
    keep_session_id: int | None = None,
    field: str = "password",
    actor: Actor | None = None,
) -> None:
    """Give a local account a new password and end its sessions (but ``keep_session_id``):
    whoever knew the old one is logged out. Its API tokens are credentials of their own
    and stay. Audited as ``action``, without the password."""
    if user.source != LOCAL_SOURCE:
        raise Conflict(
            f"'{user.username}' logs in through the directory: its password is changed there."
        )
    check_new_password(password, username=user.username, min_length=min_length, field=field)
    user.password_hash = await hash_password(password)
    ended = delete(LoginSession).where(LoginSession.user_id == user.id)
    if keep_session_id is not None:
        ended = ended.where(LoginSession.id != keep_session_id)
    await session.execute(ended)
    await bump(session, AUTH_REVISION)
    audit.record(
        session,
        action=action,
        object_type="user",
        object_id=user.id,
        object_name=user.username,
        actor=actor,
    )
    await session.commit()


async def change_own_password(
    session: AsyncSession,
    *,
    user_id: int,
    current: str,
    new: str,
    min_length: int,
    session_id: int | None,
) -> None:
    """The owner's change, proved with the current password; this session stays."""
    user = await get_user(session, user_id=user_id)
    if user.source == LOCAL_SOURCE and not await verify_password(user.password_hash, current):
        raise InvalidInput("current_password", "is not your current password")
    await set_password(
        session,
        user=user,
        password=new,
        min_length=min_length,
        action="user.password_change",
        keep_session_id=session_id,
        field="new_password",
    )


async def get_user(session: AsyncSession, *, user_id: int) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound(f"No user with id {user_id}.")
    return user


async def redeem_password_link(
    session: AsyncSession,
    *,
    token: str,
    password: str,
    min_length: int,
    now: datetime,
    address: str | None = None,
) -> User:
    """Set the password a set-password link's owner chose; the link is spent."""
    link, user = await find_link(session, token=token, now=now)
    await session.delete(link)
    await set_password(
        session,
        user=user,
        password=password,
        min_length=min_length,
        action="user.password_set",
        actor=Actor(kind="user", user_id=user.id, name=user.username, address=address),
    )
    return user
