"""``/api/v1/auth``: login, logout, me, personal API tokens."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Depends, Request, Response, status

from gyrfalcon.audit import service as audit
from gyrfalcon.auth import service
from gyrfalcon.auth.resolver import CSRF_COOKIE, SESSION_COOKIE
from gyrfalcon.auth.schemas import (
    LoginRequest,
    LoginResponse,
    MyPermission,
    PasswordChange,
    PasswordLinkCheck,
    PasswordLinkOwner,
    PasswordLinkUse,
    TokenCreate,
    TokenCreated,
    TokenPage,
    TokenRead,
    UserRead,
)
from gyrfalcon.auth.settings import AuthSettings
from gyrfalcon.core.actor import Actor
from gyrfalcon.core.db import DbSession
from gyrfalcon.core.errors import Forbidden
from gyrfalcon.core.orm import utcnow
from gyrfalcon.core.pagination import Pagination
from gyrfalcon.core.params import Id
from gyrfalcon.core.plugins import Module
from gyrfalcon.core.security import AUTHENTICATED, PUBLIC, CurrentUser, authorizer_of

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post(
    "/login",
    dependencies=[Depends(PUBLIC)],
    summary="Log in with a local or directory (LDAP) account",
    responses={
        429: {"description": "Too many failed logins; retry after `Retry-After` seconds"},
        503: {"description": "The directory (LDAP) is unavailable"},
    },
)
async def login(
    body: LoginRequest, request: Request, response: Response, db: DbSession
) -> LoginResponse:
    state = request.app.state
    settings: AuthSettings = state.settings.section(AuthSettings)
    client_address = request.client.host if request.client else None
    try:
        result = await service.log_in(
            db,
            username=body.username,
            password=body.password,
            client_address=client_address,
            provider=state.identity_provider,
            limiter=state.login_limiter,
        )
    except service.WrongCredentials as exc:
        # Throttled attempts (429) and failures past the limits write nothing, so an
        # anonymous caller cannot grow the audit log without bound.
        if exc.worth_auditing:
            await audit.record_event(
                state.database.sessionmaker,
                action="auth.login_failed",
                object_type="user",
                object_name=body.username,
                actor=Actor(kind="anonymous", name=body.username, address=client_address),
            )
        raise
    on_directory_login: service.DirectoryLoginHook | None = getattr(
        state, "on_directory_login", None
    )
    if on_directory_login is not None and result.directory_groups is not None:
        await on_directory_login(db, result.user, result.directory_groups)
    user = result.user
    audit.record(
        db,
        action="auth.login",
        object_type="user",
        object_id=user.id,
        object_name=user.username,
        actor=Actor(kind="user", user_id=user.id, name=user.username, address=client_address),
    )
    opened = await service.open_session(
        db,
        user=user,
        ttl=timedelta(hours=settings.session_ttl_hours),
        client_address=client_address,
        user_agent=request.headers.get("user-agent"),
    )
    max_age = int(settings.session_ttl_hours * 3600)
    cookie_options = {"max_age": max_age, "secure": settings.secure_cookies, "samesite": "lax"}
    response.set_cookie(SESSION_COOKIE, opened.cookie_value, httponly=True, **cookie_options)  # type: ignore[arg-type]
    # Readable by the UI's script, which echoes it in X-CSRF-Token (double submit).
    response.set_cookie(CSRF_COOKIE, opened.record.csrf_token, httponly=False, **cookie_options)  # type: ignore[arg-type]
    return LoginResponse(user=UserRead.model_validate(user), expires_at=opened.record.expires_at)


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[Depends(AUTHENTICATED)],
    summary="End this session",
)
async def logout(principal: CurrentUser, response: Response, db: DbSession) -> None:
    if principal.via == "session":
        await service.close_session(db, session_id=principal.credential_id)
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(CSRF_COOKIE)


@router.get("/me", dependencies=[Depends(AUTHENTICATED)], summary="The logged-in user")
async def me(principal: CurrentUser, db: DbSession) -> UserRead:
    return UserRead.model_validate(await service.get_user(db, user_id=principal.user_id))


@router.post(
    "/me/password",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[Depends(AUTHENTICATED)],
    summary="Change your own password (local accounts), with the current one",
    description="Your other sessions end; this one stays. API tokens keep working.",
)
async def change_password(
    body: PasswordChange, request: Request, principal: CurrentUser, db: DbSession
) -> None:
    settings: AuthSettings = request.app.state.settings.section(AuthSettings)
    await service.change_own_password(
        db,
        user_id=principal.user_id,
        current=body.current_password,
        new=body.new_password,
        min_length=settings.password_min_length,
        session_id=principal.credential_id if principal.via == "session" else None,
    )


@router.post(
    "/password-link/check",
    dependencies=[Depends(PUBLIC)],
    summary="Whose set-password link this is, while it works",
    description="The token travels in the body (it sits after '#' in the link, so it "
    "never reaches a server log). A used, replaced or expired link is 404.",
)
async def check_password_link(body: PasswordLinkCheck, db: DbSession) -> PasswordLinkOwner:
    link, user = await service.find_link(db, token=body.token, now=utcnow())
    return PasswordLinkOwner(
        username=user.username, display_name=user.display_name, expires_at=link.expires_at
    )


@router.post(
    "/password-link",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[Depends(PUBLIC)],
    summary="Choose your password with a one-time set-password link",
    description="The link is spent; the account's sessions end. Then log in.",
)
async def use_password_link(body: PasswordLinkUse, request: Request, db: DbSession) -> None:
    settings: AuthSettings = request.app.state.settings.section(AuthSettings)
    await service.redeem_password_link(
        db,
        token=body.token,
        password=body.password,
        min_length=settings.password_min_length,
        now=utcnow(),
        address=request.client.host if request.client else None,
    )


@router.get(
    "/me/permissions",
    dependencies=[Depends(AUTHENTICATED)],
    summary="The permissions you hold, and where they reach (the UI hides what you may not do)",
)
async def my_permissions(
    request: Request, principal: CurrentUser, db: DbSession
) -> list[MyPermission]:
    modules: list[Module] = request.app.state.modules
    authorizer = authorizer_of(request)
    held = []
    for module in modules:
        for permission in module.permissions:
            scope = await authorizer.scope(principal, module.name, permission.action, session=db)
            if not scope.is_empty:
                held.append(
                    MyPermission(
                        module=module.name,
                        action=permission.action,
                        everything=scope.everything,
                        services=sorted(scope.services),
                        teams=sorted(scope.teams),
                    )
                )
    return held


@router.post(
    "/tokens",
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(AUTHENTICATED)],
    summary="Create a personal API token (shown once)",
)
async def create_token(
    body: TokenCreate, request: Request, principal: CurrentUser, db: DbSession
) -> TokenCreated:
    if principal.via == "token":
        # A token that mints tokens would outlive its own revocation.
        raise Forbidden("An API token cannot create tokens: log in to create one.")
    settings: AuthSettings = request.app.state.settings.section(AuthSettings)
    raw, token = await service.create_token(
        db,
        user_id=principal.user_id,
        name=body.name,
        expires_in_days=body.expires_in_days,
        max_days=settings.token_max_lifetime_days,
    )
    return TokenCreated(**TokenRead.model_validate(token).model_dump(), token=raw)


@router.get(
    "/tokens",
    response_model=TokenPage,
    dependencies=[Depends(AUTHENTICATED)],
    summary="Your API tokens",
)
async def list_tokens(principal: CurrentUser, db: DbSession, page: Pagination) -> TokenPage:
    return await service.tokens_page(db, user_id=principal.user_id, page=page)


@router.delete(
    "/tokens/{token_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[Depends(AUTHENTICATED)],
    summary="Revoke one of your API tokens",
)
async def revoke_token(token_id: Id, principal: CurrentUser, db: DbSession) -> None:
    await service.revoke_token(db, user_id=principal.user_id, token_id=token_id)
