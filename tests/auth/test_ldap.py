"""LDAP login against a real, throwaway OpenLDAP (tests/support/slapd.py), through the
HTTP API of a SQLite-backed console configured for it."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import threading
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.app import create_app
from gyrfalcon.auth import service as auth
from gyrfalcon.auth.models import User
from gyrfalcon.auth.providers.base import DirectoryGroup, DirectoryIdentity
from gyrfalcon.auth.providers.ldap import LdapProvider
from gyrfalcon.auth.settings import AuthSettings
from gyrfalcon.core import migrate
from gyrfalcon.core.db import Database
from gyrfalcon.core.settings import Settings
from tests.conftest import ADMIN_PASSWORD, make_settings
from tests.support.slapd import (
    GROUPS,
    PEOPLE,
    SERVICE_DN,
    SERVICE_PASSWORD,
    USER_PASSWORD,
    Slapd,
    closed_uri,
    running_slapd,
    silent_listener,
)

LOGIN = "/api/v1/auth/login"


@dataclass
class Console:
    app: FastAPI
    client: httpx.AsyncClient
    directory_logins: list[tuple[str, list[DirectoryGroup]]] = field(default_factory=list)

    async def login(self, username: str, password: str = USER_PASSWORD) -> httpx.Response:
        return await self.client.post(LOGIN, json={"username": username, "password": password})

    async def user(self, username: str) -> User:
        database: Database = self.app.state.database
        async with database.sessionmaker() as session:
            found = await session.scalar(select(User).where(User.username == username))
            assert found is not None
            return found


@pytest.fixture(scope="module")
def slapd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Slapd]:
    with running_slapd(tmp_path_factory.mktemp("slapd")) as server:
        yield server


@pytest.fixture(scope="module")
async def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each console (faster than migrating each)."""
    path = tmp_path_factory.mktemp("ldap-template") / "gyrfalcon.db"
    url = f"sqlite+aiosqlite:///{path}"
    database = Database(url)
    await migrate.upgrade(database, url)
    await database.dispose()
    return path


def directory_settings(uris: list[str], **overrides: object) -> dict[str, object]:
    return {
        "ldap_uris": uris,
        "ldap_bind_dn": SERVICE_DN,
        "ldap_bind_password": SERVICE_PASSWORD,
        "ldap_user_base": PEOPLE,
        "ldap_group_base": GROUPS,
        "ldap_connect_timeout_seconds": 1,
        "ldap_read_timeout_seconds": 2,
        **overrides,
    }


ConsoleFactory = Callable[..., Awaitable[Console]]


@pytest.fixture
async def console(
    slapd: Slapd, migrated_database: Path, tmp_path: Path
) -> AsyncIterator[ConsoleFactory]:
    """Builds consoles wired to the test directory; keyword arguments override settings
    (``uris`` replaces the server list)."""
    async with contextlib.AsyncExitStack() as stack:

        async def start(uris: list[str] | None = None, **overrides: object) -> Console:
            path = tmp_path / f"{uuid.uuid4().hex}.db"
            shutil.copy(migrated_database, path)
            settings = make_settings(
                f"sqlite:///{path}",
                tmp_path,
                **directory_settings(uris or [slapd.uri], **overrides),
            )
            app = create_app(settings, run_services=False)
            stack.push_async_callback(app.state.database.dispose)
            transport = httpx.ASGITransport(app=app)
            client = await stack.enter_async_context(
                httpx.AsyncClient(transport=transport, base_url="http://testserver")
            )
            built = Console(app, client)

            async def record(_session: AsyncSession, user: User, groups: Sequence[DirectoryGroup]):
                built.directory_logins.append((user.username, list(groups)))

            app.state.on_directory_login = record
            return built

        yield start


async def add_local_user(console: Console, username: str, *, admin: bool = False) -> None:
    database: Database = console.app.state.database
    async with database.sessionmaker() as session:
        await auth.create_user(session, username=username, password=ADMIN_PASSWORD, is_admin=admin)


async def test_first_login_creates_the_user_from_the_directory(console: ConsoleFactory) -> None:
    ldap = await console()
    response = await ldap.login("alice")
    assert response.status_code == 200, response.text
    body = response.json()["user"]
    assert body["username"] == "alice" and body["source"] == "ldap"
    assert body["display_name"] == "Alice Liddell" and body["email"] == "alice@example.org"
    assert body["is_admin"] is False
    assert (await ldap.user("alice")).password_hash is None
    assert (await ldap.client.get("/api/v1/auth/me")).json()["username"] == "alice"


async def test_later_logins_refresh_name_and_email_from_the_directory(
    console: ConsoleFactory,
) -> None:
    ldap = await console()
    first = (await ldap.login("alice")).json()["user"]
    database: Database = ldap.app.state.database
    async with database.sessionmaker() as session:
        user = await session.get(User, first["id"])
        assert user is not None
        user.display_name, user.email = "Stale Name", "old@example.org"
        await session.commit()
    again = (await ldap.login("alice")).json()["user"]
    assert again["id"] == first["id"]
    assert (again["display_name"], again["email"]) == ("Alice Liddell", "alice@example.org")


async def test_the_directory_spelling_of_the_username_names_the_account(
    console: ConsoleFactory,
) -> None:
    ldap = await console()
    shouting = (await ldap.login("ALICE")).json()["user"]
    assert shouting["username"] == "alice"
    assert (await ldap.login("alice")).json()["user"]["id"] == shouting["id"]


async def test_a_user_without_email_gets_none(console: ConsoleFactory) -> None:
    ldap = await console()
    user = (await ldap.login("bob")).json()["user"]
    assert (user["display_name"], user["email"]) == ("Bob Builder", None)


@pytest.mark.parametrize(
    ("username", "password"),
    [("alice", "wrong password"), ("nobody", USER_PASSWORD), ("alice", " ")],
)
async def test_wrong_password_and_unknown_user_get_the_same_401(
    console: ConsoleFactory, username: str, password: str
) -> None:
    ldap = await console()
    response = await ldap.login(username, password)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "Wrong username or password."
    assert ldap.directory_logins == []


@pytest.mark.parametrize(
    "username",
    ["*", "ali*", "*)(uid=*", "alice)(uid=*", "alice)(|(uid=*", "\\", "alice\\", "(uid=alice)"],
)
async def test_filter_metacharacters_in_the_username_match_nothing(
    console: ConsoleFactory, username: str
) -> None:
    # Unescaped, "ali*" would find alice and her password would let this name in.
    ldap = await console()
    response = await ldap.login(username)
    assert response.status_code == 401, response.text


@pytest.mark.parametrize("username", ["star*user", "paren(user)", "back\\slash"])
async def test_usernames_with_filter_metacharacters_are_escaped_not_refused(
    console: ConsoleFactory, username: str
) -> None:
    ldap = await console()
    response = await ldap.login(username)
    assert response.status_code == 200, response.text
    assert response.json()["user"]["username"] == username


def group(name: str) -> DirectoryGroup:
    return DirectoryGroup(f"cn={name},{GROUPS}", name)


@pytest.mark.parametrize(
    ("style", "username", "expected"),
    [
        ("groupOfNames", "alice", [group("developers"), group("platform-admins")]),
        ("groupOfNames", "paren(user)", [group("platform-admins")]),
        ("groupOfUniqueNames", "alice", [group("auditors")]),
        ("posixGroup", "alice", [group("operators")]),
        ("posixGroup", "ALICE", [group("operators")]),
        ("memberOf", "alice", [group("developers"), group("platform-admins")]),
        ("memberOf", "bob", [group("developers")]),
        ("groupOfUniqueNames", "bob", []),
    ],
)
async def test_the_login_hook_gets_the_directory_groups_in_each_style(
    console: ConsoleFactory, style: str, username: str, expected: list[DirectoryGroup]
) -> None:
    ldap = await console(ldap_group_styles=[style])
    assert (await ldap.login(username)).status_code == 200
    assert ldap.directory_logins == [(username.lower(), expected)]


async def test_a_directory_mixing_styles_maps_them_all(console: ConsoleFactory) -> None:
    """posixGroup and groupOfUniqueNames side by side (one search), and memberOf's DNs
    merged with the member groups without counting a group twice."""
    mixed = await console(ldap_group_styles=["posixGroup", "groupOfUniqueNames"])
    assert (await mixed.login("alice")).status_code == 200
    assert mixed.directory_logins == [("alice", [group("auditors"), group("operators")])]
    everything = await console(
        ldap_group_styles="memberOf,groupOfNames,posixGroup"  # as the environment gives it
    )
    assert (await everything.login("alice")).status_code == 200
    assert everything.directory_logins == [
        ("alice", [group("developers"), group("operators"), group("platform-admins")])
    ]


async def test_without_a_group_base_no_groups_are_read(console: ConsoleFactory) -> None:
    ldap = await console(ldap_group_base=None)
    assert (await ldap.login("alice")).status_code == 200
    assert ldap.directory_logins == [("alice", [])]


async def test_anonymous_search_works_when_no_service_account_is_set(
    console: ConsoleFactory,
) -> None:
    ldap = await console(ldap_bind_dn=None, ldap_bind_password=None)
    assert (await ldap.login("alice")).status_code == 200


async def test_a_refused_service_account_is_a_503_naming_the_settings(
    console: ConsoleFactory,
) -> None:
    ldap = await console(ldap_bind_password="not the password")
    response = await ldap.login("alice")
    assert response.status_code == 503
    assert response.json()["title"] == "Directory unavailable"
    assert "LDAP settings" in response.json()["detail"]


async def test_local_accounts_log_in_without_the_directory_and_are_not_taken_over(
    console: ConsoleFactory,
) -> None:
    ldap = await console()
    await add_local_user(ldap, "alice")
    assert (await ldap.login("alice", USER_PASSWORD)).status_code == 401
    local = await ldap.login("alice", ADMIN_PASSWORD)
    assert local.status_code == 200 and local.json()["user"]["source"] == "local"
    assert ldap.directory_logins == []


async def test_a_disabled_directory_user_is_refused(console: ConsoleFactory) -> None:
    ldap = await console()
    user_id = (await ldap.login("alice")).json()["user"]["id"]
    await add_local_user(ldap, "root-admin", admin=True)
    assert (await ldap.login("root-admin", ADMIN_PASSWORD)).status_code == 200
    ldap.client.headers["X-CSRF-Token"] = ldap.client.cookies["gyrfalcon_csrf"]
    disabled = await ldap.client.patch(f"/api/v1/users/{user_id}", json={"is_active": False})
    assert disabled.status_code == 200, disabled.text
    response = await ldap.login("alice")
    # The same answer as a wrong password, which a "disabled" answer would confirm.
    assert response.status_code == 401
    assert response.json()["detail"] == "Wrong username or password."


async def test_directory_down_is_a_503_while_local_admins_still_log_in(
    console: ConsoleFactory,
) -> None:
    ldap = await console(uris=[closed_uri()])
    await add_local_user(ldap, "root-admin", admin=True)
    response = await ldap.login("alice")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == "Directory unavailable"
    assert (await ldap.login("root-admin", ADMIN_PASSWORD)).status_code == 200


async def test_the_next_server_serves_when_the_first_is_down(
    console: ConsoleFactory, slapd: Slapd
) -> None:
    ldap = await console(uris=[closed_uri(), slapd.uri])
    assert (await ldap.login("alice")).status_code == 200


async def test_a_hung_directory_times_out_without_blocking_other_logins(
    console: ConsoleFactory,
) -> None:
    with silent_listener() as hung:
        ldap = await console(
            uris=[hung], ldap_connect_timeout_seconds=0.5, ldap_read_timeout_seconds=1
        )
        await add_local_user(ldap, "root-admin", admin=True)
        started = time.monotonic()
        finished: dict[str, float] = {}

        async def timed(name: str, call: Awaitable[httpx.Response]) -> httpx.Response:
            response = await call
            finished[name] = time.monotonic() - started
            return response

        directory, local = await asyncio.gather(
            timed("directory", ldap.login("alice")),
            timed("local", ldap.login("root-admin", ADMIN_PASSWORD)),
        )
    assert directory.status_code == 503 and local.status_code == 200
    # No bound on seconds here (a busy machine stretches every one of them): the hung
    # directory ends in its timeout's answer, and the local login did not wait for it.
    assert "Directory unavailable" in directory.json()["title"], directory.text
    assert finished["local"] < finished["directory"]


async def test_the_overall_deadline_holds_when_the_directory_client_itself_hangs(
    slapd: Slapd, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    release = threading.Event()

    def stuck(_self: LdapProvider, _username: str, _password: str) -> DirectoryIdentity | None:
        release.wait(10)
        return None

    monkeypatch.setattr(LdapProvider, "_authenticate", stuck)
    provider = LdapProvider(
        make_settings(
            "sqlite://",
            tmp_path,
            **directory_settings(
                [slapd.uri], ldap_connect_timeout_seconds=0.1, ldap_read_timeout_seconds=1
            ),
        ).section(AuthSettings)
    )
    # The client thread is still stuck when the answer comes: the deadline, not the
    # thread, ended the wait.
    try:
        with pytest.raises(Exception, match="did not answer in time") as raised:
            await provider.authenticate("alice", USER_PASSWORD)
        assert not release.is_set()
    finally:
        release.set()
    assert getattr(raised.value, "status", None) == 503


async def test_an_empty_password_never_reaches_the_directory(tmp_path: Path) -> None:
    # Against a directory that is down, reaching it would raise DirectoryUnavailable.
    settings: dict[str, Any] = directory_settings([closed_uri()])
    provider = LdapProvider(make_settings("sqlite://", tmp_path, **settings).section(AuthSettings))
    assert await provider.authenticate("alice", "") is None


async def test_an_empty_password_is_refused_as_invalid_input(console: ConsoleFactory) -> None:
    ldap = await console()
    response = await ldap.login("alice", "")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "password"


async def test_wrong_directory_passwords_are_rate_limited(console: ConsoleFactory) -> None:
    ldap = await console(login_max_failures_per_user=2)
    for _ in range(2):
        assert (await ldap.login("alice", "guess")).status_code == 401
    blocked = await ldap.login("alice")
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0


def test_servers_may_be_listed_comma_separated_or_as_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GYRFALCON_LDAP_USER_BASE", PEOPLE)
    monkeypatch.setenv("GYRFALCON_LDAP_URIS", "ldaps://dc1.example.org, ldaps://dc2.example.org")
    uris = Settings().section(AuthSettings).ldap_uris
    assert uris == ["ldaps://dc1.example.org", "ldaps://dc2.example.org"]
    monkeypatch.setenv("GYRFALCON_LDAP_URIS", '["ldaps://dc1.example.org"]')
    assert Settings().section(AuthSettings).ldap_uris == ["ldaps://dc1.example.org"]
    monkeypatch.delenv("GYRFALCON_LDAP_URIS")
    assert not Settings().section(AuthSettings).ldap_enabled


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ldap_uris": ["ldap://x"]}, "GYRFALCON_LDAP_USER_BASE is required"),
        ({"ldap_user_filter": "(uid=alice)"}, "must contain {username}"),
    ],
)
def test_unworkable_ldap_settings_are_refused(
    overrides: dict[str, Any], message: str, tmp_path: Path
) -> None:
    """The auth module's section refuses them, and so the app refuses to start."""
    settings = make_settings(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", tmp_path, **overrides)
    with pytest.raises(ValidationError, match=message):
        settings.section(AuthSettings)
    with pytest.raises(ValidationError, match=message):
        create_app(settings, run_services=False)


@pytest.mark.parametrize("tls", ["StartTLS", "LDAPS"])
async def test_tls_to_a_directory_signed_by_the_configured_ca(
    console: ConsoleFactory, slapd: Slapd, tls: str
) -> None:
    uri = slapd.uri if tls == "StartTLS" else slapd.ldaps_uri
    ldap = await console(uris=[uri], ldap_start_tls=tls == "StartTLS", ldap_ca_file=slapd.ca_file)
    assert (await ldap.login("alice")).status_code == 200


@pytest.mark.parametrize(
    ("tls", "with_ca"),
    [("StartTLS", False), ("LDAPS", False), ("LDAPS to another host name", True)],
)
async def test_an_unverifiable_directory_certificate_is_a_503(
    console: ConsoleFactory, slapd: Slapd, tls: str, with_ca: bool
) -> None:
    uris = {
        "StartTLS": slapd.uri,
        "LDAPS": slapd.ldaps_uri,
        # The certificate names 127.0.0.1 only.
        "LDAPS to another host name": slapd.ldaps_uri.replace("127.0.0.1", "localhost"),
    }
    ldap = await console(
        uris=[uris[tls]],
        ldap_start_tls=tls == "StartTLS",
        ldap_ca_file=slapd.ca_file if with_ca else None,
    )
    response = await ldap.login("alice")
    assert response.status_code == 503
    assert response.json()["title"] == "Directory unavailable"
