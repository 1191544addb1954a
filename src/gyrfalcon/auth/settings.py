"""The auth module's settings (`GYRFALCON_*`, listed in docs/configuration.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import NoDecode

from gyrfalcon.core.settings import SettingsSection

GroupStyle = Literal["groupOfNames", "groupOfUniqueNames", "posixGroup", "memberOf"]


class AuthSettings(SettingsSection):
    """Sessions, API tokens, login limits and the LDAP directory."""

    session_ttl_hours: Annotated[float, Field(gt=0)] = Field(
        default=12, description="Lifetime of a login session."
    )
    secure_cookies: bool = Field(
        default=False,
        description="Mark session cookies `Secure` (set this when the console is served "
        "over HTTPS).",
    )
    admin_username: str | None = Field(
        default=None,
        description="Creates this local admin on first start when no user exists yet.",
    )
    admin_password: SecretStr | None = Field(
        default=None, description="Password of `admin_username` on first start."
    )
    password_min_length: Annotated[int, Field(ge=8, le=128)] = Field(
        default=12,
        description="Shortest password a local account may be given (by an admin, the "
        "command line or its owner); the username and the most common passwords are "
        "refused whatever their length.",
    )
    password_link_hours: Annotated[int, Field(ge=1, le=720)] = Field(
        default=72,
        description="How long a one-time set-password link, made by an admin for a local "
        "user, stays usable.",
    )
    token_max_lifetime_days: Annotated[int, Field(ge=1, le=3650)] = Field(
        default=365,
        description="Longest lifetime of a personal API token; every token expires.",
    )
    login_max_failures_per_user: Annotated[int, Field(ge=1)] = Field(
        default=5,
        description="Failed logins of one username from one address before each further "
        "failure doubles a wait (2 s up to 15 min) for that pair only. Shared by every "
        "replica through the platform database.",
    )
    login_max_failures_per_address: Annotated[int, Field(ge=1)] = Field(
        default=20,
        description="Failed logins from one address, whatever the usernames, before each "
        "further failure doubles a wait for the address (2 s up to 1 min). Accounts that "
        "logged in from that address within 30 days are not held by it.",
    )
    login_failure_window_seconds: Annotated[float, Field(gt=0)] = Field(
        default=300, description="Failures older than this are forgotten."
    )
    ldap_uris: Annotated[list[str], NoDecode] = Field(
        default=[],
        description="LDAP servers, tried in order (the first that accepts a connection "
        "serves the login), e.g. `ldaps://dc1.example.org,ldaps://dc2.example.org`: a "
        "comma-separated list or a JSON list. Empty: LDAP login is off and only local "
        "accounts exist. See docs/guide/ldap.md.",
    )
    ldap_start_tls: bool = Field(
        default=False,
        description="Upgrade `ldap://` connections with StartTLS before binding "
        "(`ldaps://` URIs use TLS from the start).",
    )
    ldap_ca_file: Path | None = Field(
        default=None,
        description="PEM file of the CA certificates that sign the directory's certificate. "
        "Default: the system's trust store.",
    )
    ldap_tls_verify: bool = Field(
        default=True,
        description="Check the directory's TLS certificate and host name. Turn off only to "
        "diagnose; without it anyone in the path can read passwords.",
    )
    ldap_bind_dn: str | None = Field(
        default=None,
        description="DN of the service account that searches for users and groups, e.g. "
        "`cn=gyrfalcon,ou=services,dc=example,dc=org` (Active Directory also accepts "
        "`gyrfalcon@example.org`). Unset: search anonymously.",
    )
    ldap_bind_password: SecretStr | None = Field(
        default=None, description="Password of `ldap_bind_dn`."
    )
    ldap_user_base: str | None = Field(
        default=None,
        description="DN under which users are searched (whole subtree), e.g. "
        "`ou=people,dc=example,dc=org`. Required with `ldap_uris`.",
    )
    ldap_user_filter: str = Field(
        default="(uid={username})",
        description="Filter that finds the user logging in; `{username}` becomes the typed "
        "username, escaped per RFC 4515. Active Directory: `(sAMAccountName={username})`.",
    )
    ldap_username_attribute: str = Field(
        default="uid",
        description="Attribute holding the login name. Its value is the Gyrfalcon username "
        "(so `Alice` and `alice` are one account) and what `posixGroup` groups list in "
        "`memberUid`. Active Directory: `sAMAccountName`.",
    )
    ldap_display_name_attribute: str = Field(
        default="cn", description="Attribute copied into the user's display name at each login."
    )
    ldap_email_attribute: str = Field(
        default="mail", description="Attribute copied into the user's email at each login."
    )
    ldap_group_base: str | None = Field(
        default=None,
        description="DN under which groups are searched (whole subtree), e.g. "
        "`ou=groups,dc=example,dc=org`. Not used by the `memberOf` style; unset with another "
        "style: the user's groups are not read.",
    )
    ldap_group_styles: Annotated[list[GroupStyle], NoDecode] = Field(
        default=["groupOfNames"],
        min_length=1,
        description="How the directory records membership, one style or several (a "
        "directory that mixes them, comma-separated, e.g. `posixGroup,groupOfUniqueNames`; "
        "the user's groups are those every style finds): `groupOfNames` (`member` holds "
        "user DNs), `groupOfUniqueNames` (`uniqueMember` holds user DNs), `posixGroup` "
        "(`memberUid` holds usernames) or `memberOf` (the user entry lists its groups' "
        "DNs; Active Directory, OpenLDAP with the memberof overlay).",
    )
    ldap_connect_timeout_seconds: Annotated[float, Field(gt=0, le=60)] = Field(
        default=3,
        description="Time limit for opening a connection to one LDAP server before trying "
        "the next.",
    )
    ldap_read_timeout_seconds: Annotated[int, Field(ge=1, le=120)] = Field(
        default=10,
        description="Time limit for the directory's answers, in whole seconds (ldap3 sets "
        "it on the socket): each answer, and also all "
        "answers of one login together. A login waits for the directory at most this plus "
        "`ldap_connect_timeout_seconds` once per server and once more for its connection, "
        "then fails with 503.",
    )

    @field_validator("ldap_uris", "ldap_group_styles", mode="before")
    @classmethod
    def _split_uris(cls, value: object) -> object:
        # Environment values arrive as text: a JSON list, or the shorter comma-separated form.
        if isinstance(value, str):
            if value.lstrip().startswith("["):
                return json.loads(value)
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("ldap_user_filter")
    @classmethod
    def _filter_names_the_user(cls, value: str) -> str:
        if "{username}" not in value:
            raise ValueError("must contain {username}, where the login name goes")
        return value

    @model_validator(mode="after")
    def _ldap_needs_a_user_base(self) -> AuthSettings:
        if self.ldap_uris and not self.ldap_user_base:
            raise ValueError("GYRFALCON_LDAP_USER_BASE is required when GYRFALCON_LDAP_URIS is set")
        return self

    @property
    def ldap_enabled(self) -> bool:
        return bool(self.ldap_uris)
