"""Typed settings read from ``GYRFALCON_*`` environment variables.

The embedded default (SQLite in a data directory, a generated secret key) lets
``gyrfalcon serve`` start on a fresh machine; production points the same code at
PostgreSQL or MySQL and must then supply its own secret key, because replicas
have to share it.
"""

from __future__ import annotations

import ipaddress
import json
import secrets
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url

SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name, not a secret
DATABASE_FILE = "gyrfalcon.db"

_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
    "mysql": "mysql+aiomysql",
    "mariadb": "mysql+aiomysql",
}


class ConfigurationError(Exception):
    """Settings that cannot work; the CLI prints the message on one line and exits."""


class LogFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


class Settings(BaseSettings):
    """Every setting of the platform. Each field is documented in docs/configuration.md."""

    model_config = SettingsConfigDict(env_prefix="GYRFALCON_", env_file=None, extra="ignore")

    data_dir: Path = Field(
        default=Path(".gyrfalcon"),
        description="Directory for the embedded database, the generated secret key and the "
        "initial admin credentials.",
    )
    database_url: str | None = Field(
        default=None,
        description="Platform database. Default: SQLite file `gyrfalcon.db` in the data "
        "directory. Accepts `postgresql://`, `mysql://`/`mariadb://` and `sqlite:///` URLs; "
        "the async driver is chosen for you.",
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="Key for sessions and for encrypting secrets at rest. Embedded mode "
        "generates one in the data directory; required with PostgreSQL/MySQL so that "
        "all replicas share it.",
    )
    host: str = Field(default="127.0.0.1", description="Address `gyrfalcon serve` binds to.")
    port: Annotated[int, Field(ge=1, le=65535)] = Field(
        default=8000, description="Port `gyrfalcon serve` listens on."
    )
    workers: Annotated[int, Field(ge=1, le=64)] = Field(
        default=1,
        description="Web worker processes of `gyrfalcon serve` (one per core serves the most "
        "requests). Each keeps its own caches; a change made through one is seen by the "
        "others within `cache_max_staleness_seconds`.",
    )
    background_services: bool = Field(
        default=True,
        description="Run the background services inside `gyrfalcon serve` (set by "
        "`--no-services`; then run `gyrfalcon worker`).",
    )
    cache_max_staleness_seconds: Annotated[float, Field(ge=0, le=60)] = Field(
        default=1.0,
        description="How long a process may serve cached catalog and login data before "
        "checking whether another process changed it (0: check on every request). A "
        "process sees its own changes at once.",
    )
    ldap_group_roles: dict[str, str] = Field(
        default_factory=dict,
        description="Directory groups (DN or name) → role name, as JSON, e.g. "
        '`{"platform-admins": "Admin"}`. Applied at every LDAP login together with the '
        "mappings made in the UI.",
    )
    audit_retention_days: Annotated[int, Field(ge=1)] | None = Field(
        default=None,
        description="Delete audit records older than this many days (unset: keep forever).",
    )
    base_url: str | None = Field(
        default=None,
        description="Public URL of the console, used in links sent by notifications. "
        "Default: http://HOST:PORT.",
    )
    log_level: str = Field(default="INFO", description="Python log level.")
    log_format: LogFormat = Field(
        default=LogFormat.TEXT, description="`text` for people, `json` for log collectors."
    )
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
    connection_test_timeout_seconds: Annotated[float, Field(gt=0, le=60)] = Field(
        default=5, description="Time limit of a catalog 'test connection'."
    )
    sqlite_datasource_dirs: list[Path] = Field(
        default=[],
        description="Directories whose SQLite files may be registered as datasources (a JSON "
        'list, e.g. `["/srv/reports"]`). Empty: SQLite datasources are refused. The data '
        "directory and the platform's own database file are refused whatever this says.",
    )
    ui_dir: Path | None = Field(
        default=None,
        description="Directory of the built UI. Default: the copy shipped inside the package.",
    )
    trusted_proxies: list[str] = Field(
        default=[],
        description="Addresses or networks (CIDR) of the reverse proxies in front of "
        "Gyrfalcon, as a JSON list. Only requests from them may set the client address with "
        "`X-Forwarded-For` (for login limits and the audit log). Empty: the header is "
        "ignored, whoever sends it.",
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
    ldap_group_style: Literal["groupOfNames", "groupOfUniqueNames", "posixGroup", "memberOf"] = (
        Field(
            default="groupOfNames",
            description="How the directory records membership: `groupOfNames` (`member` "
            "holds user DNs), `groupOfUniqueNames` (`uniqueMember` holds user DNs), "
            "`posixGroup` (`memberUid` holds usernames) or `memberOf` (the user entry lists "
            "its groups' DNs; Active Directory, OpenLDAP with the memberof overlay).",
        )
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
    monitor_concurrency: Annotated[int, Field(ge=1, le=512)] = Field(
        default=16,
        description="Monitor runs in flight at once per process (scheduled, run-now and "
        "preview together); SQL checks get a thread pool of this size.",
    )
    monitor_max_rows: Annotated[int, Field(ge=1, le=1_000_000)] = Field(
        default=10_000,
        description="Rows an SQL monitor reads at most; count bigger sets in SQL.",
    )
    monitor_sample_rows: Annotated[int, Field(ge=0, le=1000)] = Field(
        default=20, description="Rows of each run kept in its stored sample."
    )
    monitor_sample_bytes: Annotated[int, Field(ge=1024, le=10 * 1024 * 1024)] = Field(
        default=64 * 1024, description="Size of each run's stored sample at most (JSON bytes)."
    )
    monitor_http_max_response_bytes: Annotated[int, Field(ge=1024)] = Field(
        default=1024 * 1024, description="Body an HTTP monitor reads at most."
    )
    monitor_result_retention_days: Annotated[float, Field(gt=0)] = Field(
        default=30, description="Monitor runs older than this are deleted."
    )
    notification_deadline_hours: Annotated[float, Field(gt=0, le=24 * 14)] = Field(
        default=24,
        description="A notification that could not be delivered is retried, with "
        "exponential backoff, until this long after it was queued, then marked failed.",
    )
    notification_retry_seconds: Annotated[float, Field(gt=0, le=3600)] = Field(
        default=10, description="Wait before the first retry; doubles each time."
    )
    notification_retry_max_seconds: Annotated[float, Field(gt=0, le=86400)] = Field(
        default=900, description="Longest wait between two retries."
    )
    notification_timeout_seconds: Annotated[float, Field(gt=0, le=120)] = Field(
        default=15, description="Time limit of one delivery attempt."
    )

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_networks(cls, value: list[str]) -> list[str]:
        for entry in value:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError as exc:
                raise ValueError(f"'{entry}' is not an IP address or network") from exc
        return value

    @field_validator("log_level")
    @classmethod
    def _upper_level(cls, value: str) -> str:
        return value.upper()

    @field_validator("ldap_uris", mode="before")
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
    def _ldap_needs_a_user_base(self) -> Settings:
        if self.ldap_uris and not self.ldap_user_base:
            raise ValueError("GYRFALCON_LDAP_USER_BASE is required when GYRFALCON_LDAP_URIS is set")
        return self

    @property
    def ldap_enabled(self) -> bool:
        return bool(self.ldap_uris)

    @property
    def resolved_database_url(self) -> str:
        """The configured URL with the async driver the platform uses for it."""
        raw = self.database_url or f"sqlite:///{(self.data_dir / DATABASE_FILE).resolve()}"
        url = make_url(raw)
        backend = url.get_backend_name()
        if backend not in _ASYNC_DRIVERS:
            raise ConfigurationError(
                f"GYRFALCON_DATABASE_URL: unsupported database '{backend}' "
                "(use postgresql, mysql, mariadb or sqlite)"
            )
        if "+" not in url.drivername:
            url = url.set(drivername=_ASYNC_DRIVERS[backend])
        return url.render_as_string(hide_password=False)

    @property
    def is_embedded(self) -> bool:
        return make_url(self.resolved_database_url).get_backend_name() == "sqlite"

    @property
    def public_url(self) -> str:
        return (self.base_url or f"http://{self.host}:{self.port}").rstrip("/")

    def resolved_secret_key(self) -> str:
        """The secret key; generated and kept in the data directory in embedded mode."""
        if self.secret_key is not None:
            value = self.secret_key.get_secret_value()
            if len(value) < 16:
                raise ConfigurationError("GYRFALCON_SECRET_KEY must be at least 16 characters")
            return value
        if not self.is_embedded:
            raise ConfigurationError(
                "GYRFALCON_SECRET_KEY is required when the platform database is not SQLite "
                "(all replicas must share it)"
            )
        path = self.data_dir / SECRET_KEY_FILE
        if path.exists():
            return path.read_text().strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        path.touch(mode=0o600)
        path.write_text(key)
        return key
