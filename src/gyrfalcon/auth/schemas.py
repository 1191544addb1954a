"""Request and response bodies of the auth API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from gyrfalcon.core.pagination import Page

NonBlank = Annotated[str, StringConstraints(strip_whitespace=False, min_length=1, max_length=1024)]


class LoginRequest(BaseModel):
    username: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=150)]
    password: NonBlank


Password = Annotated[str, StringConstraints(min_length=1, max_length=1000)]


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: Password
    new_password: Password = Field(
        description="At least GYRFALCON_PASSWORD_MIN_LENGTH characters (12 by default), "
        "not the username and not one of the most common passwords"
    )


class PasswordReset(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password: Password = Field(
        description="The account's new password, under the same rules as one's own"
    )


LinkToken = Annotated[str, StringConstraints(min_length=20, max_length=100)]


class PasswordLinkCheck(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: LinkToken = Field(description="The token after '#' in the set-password link")


class PasswordLinkUse(PasswordLinkCheck):
    password: Password = Field(description="The password the user chose, under the password policy")


class PasswordLinkOwner(BaseModel):
    """Whose link it is, for the set-password page to greet them."""

    username: str
    display_name: str
    expires_at: datetime


class PasswordLinkRead(BaseModel):
    """A new set-password link: shown once, to be handed to the user."""

    url: str
    expires_at: datetime


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    display_name: str
    email: str | None
    source: str
    is_admin: bool


class LoginResponse(BaseModel):
    user: UserRead
    expires_at: datetime


class TokenCreate(BaseModel):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    expires_in_days: int = Field(
        default=90,
        ge=1,
        le=3650,
        description="Days until the token stops working; at most "
        "GYRFALCON_TOKEN_MAX_LIFETIME_DAYS (365 by default). Every token expires.",
    )


class TokenRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None


class TokenPage(Page[TokenRead]):
    pass


class TokenCreated(TokenRead):
    token: str = Field(description="Shown once; store it now.")


class MyPermission(BaseModel):
    """One permission the caller holds and how far it reaches."""

    module: str
    action: str
    everything: bool
    services: list[str]
    teams: list[str]
