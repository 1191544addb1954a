"""Bodies of the access API: roles with grants, teams, users, directory group mappings."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from gyrfalcon.auth.service import PasswordLinkRead
from gyrfalcon.core.errors import FieldError
from gyrfalcon.core.fields import EmailAddress
from gyrfalcon.core.pagination import Page
from gyrfalcon.core.params import DbId
from gyrfalcon.core.partial import partial_model

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
TeamName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]([a-z0-9-]{0,98}[a-z0-9])?$")]
Description = Annotated[str, StringConstraints(max_length=2000)]
ANY = "*"


class PermissionRead(BaseModel):
    module: str
    module_title: str
    action: str
    description: str


class ScopeKind(StrEnum):
    ALL = "all"
    TEAMS = "teams"
    SERVICES = "services"


class GrantBody(BaseModel):
    """One action of one module (``*``: every module or action) over a scope."""

    module: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    action: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    scope: ScopeKind = ScopeKind.ALL
    targets: Annotated[list[Name], Field(max_length=500)] = Field(
        default_factory=list, description="Team or service names for a teams/services scope"
    )

    @model_validator(mode="after")
    def _targets_match_scope(self) -> GrantBody:
        if self.scope is ScopeKind.ALL and self.targets:
            raise FieldError("targets", "must be empty when the scope is 'all'")
        if self.scope is not ScopeKind.ALL and not self.targets:
            raise FieldError("targets", f"name at least one of the {self.scope.value}")
        return self


class RoleCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    description: Description = ""
    grants: Annotated[list[GrantBody], Field(max_length=1000)] = []


class RoleUpdate(partial_model(RoleCreate, "RoleUpdate")):  # type: ignore[misc]
    """A PATCH of a role: any of its fields."""


class RoleRead(BaseModel):
    id: int
    name: str
    description: str
    builtin: bool
    grants: list[GrantBody]
    created_at: datetime


class RolePage(Page[RoleRead]):
    pass


class TeamCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: TeamName = Field(description="The name services use in their `team` field")
    display_name: Annotated[str, StringConstraints(max_length=200)] = ""
    description: Description = ""
    members: Annotated[list[Name], Field(max_length=5000)] = Field(
        default_factory=list, description="Usernames"
    )
    roles: Annotated[list[DbId], Field(max_length=200)] = Field(
        default_factory=list, description="Role ids every member holds"
    )


class TeamUpdate(partial_model(TeamCreate, "TeamUpdate", exclude=("name",))):  # type: ignore[misc]
    """A PATCH of a team: any of its fields but the name."""


class TeamRead(BaseModel):
    id: int
    name: str
    display_name: str
    description: str
    members: list[str]
    roles: list[int]
    created_at: datetime


class TeamPage(Page[TeamRead]):
    pass


class RoleSource(StrEnum):
    MANUAL = "manual"
    TEAM = "team"
    DIRECTORY = "directory"


class HeldRole(BaseModel):
    id: int
    name: str
    source: RoleSource
    via: str | None = Field(default=None, description="The team or directory group")


class EffectivePermission(BaseModel):
    module: str
    action: str
    everything: bool
    services: list[str]
    teams: list[str]


class UserRead(BaseModel):
    id: int
    username: str
    display_name: str
    email: str | None
    source: str
    is_admin: bool
    is_active: bool
    created_at: datetime
    last_login_at: datetime | None
    teams: list[str]
    roles: list[HeldRole]


class UserDetail(UserRead):
    permissions: list[EffectivePermission]


class UserCreated(UserDetail):
    password_link: PasswordLinkRead | None = Field(
        default=None,
        description="When no password was given: the one-time link that lets the user "
        "choose one. Shown only here; make a new one from the user's page if it is lost.",
    )


class UserPage(Page[UserRead]):
    pass


Username = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=150, pattern=r"^[A-Za-z0-9._@-]+$"
    ),
    Field(description="Letters, digits and . _ @ -; what the user logs in with"),
]


class UserCreate(BaseModel):
    """A local account made by an admin (directory accounts appear at their first login)."""

    model_config = ConfigDict(extra="forbid")

    username: Username
    display_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    email: EmailAddress | None = None
    password: Annotated[str, StringConstraints(min_length=1, max_length=1000)] | None = Field(
        default=None,
        description="The initial password, under the password policy; pass it on safely. "
        "Leave it out to get a one-time set-password link instead.",
    )
    is_admin: bool = False
    roles: Annotated[list[DbId], Field(max_length=200)] = Field(
        default_factory=list, description="Role ids given by hand"
    )


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    display_name: Annotated[str, StringConstraints(max_length=200)] | None = None
    email: Annotated[str, StringConstraints(max_length=320)] | None = None
    is_active: bool | None = None
    is_admin: bool | None = None
    roles: Annotated[list[DbId], Field(max_length=200)] | None = Field(
        default=None, description="Role ids given by hand (directory roles are kept apart)"
    )


class GroupMappingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    group: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
    role_id: DbId


class GroupMappingRead(BaseModel):
    id: int
    group: str
    role_id: int
    role_name: str


class GroupMappingPage(Page[GroupMappingRead]):
    directory_enabled: bool = Field(
        default=False,
        description="Whether LDAP login is on (GYRFALCON_LDAP_URIS); mappings apply only then",
    )
