"""Issue 8.14: login throttling slows a guesser without locking anyone else out.

The review's findings: twenty failures from one address locked out everyone behind it,
admin included, for 300 s; every failed attempt, 429s included, wrote an audit row;
the limiter counted per process; a correct password for a disabled account answered
403 "disabled". Every test injects the throttle's clock: nothing depends on how fast
the machine is.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, update

from gyrfalcon.app import create_app
from gyrfalcon.audit.models import AuditRecord
from gyrfalcon.auth.models import LoginThrottle as LoginThrottleRow
from gyrfalcon.auth.models import User
from gyrfalcon.auth.ratelimit import LoginThrottle
from gyrfalcon.core.db import Database
from gyrfalcon.core.settings import Settings
from tests.conftest import ADMIN_PASSWORD, add_user

LOGIN = "/api/v1/auth/login"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def _throttle(app: FastAPI, clock: Clock, *, per_pair: int = 5, per_address: int = 20) -> None:
    database: Database = app.state.database
    app.state.login_limiter = LoginThrottle(
        database.sessionmaker,
        max_per_pair=per_pair,
        max_per_address=per_address,
        window_seconds=300,
        clock=clock,
    )


def _client(app: FastAPI, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def _login(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    return await client.post(LOGIN, json={"username": username, "password": password})


@pytest.fixture
def clock(app: FastAPI) -> Clock:
    ticking = Clock()
    _throttle(app, ticking)
    return ticking


@pytest.fixture
async def attacker(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(app, "10.66.0.1") as client:
        yield client


async def test_guessing_one_account_backs_off_for_that_pair_only(
    app: FastAPI, clock: Clock, attacker: httpx.AsyncClient
) -> None:
    await add_user(app, "alice", admin=False)
    await add_user(app, "bob", admin=False)
    for _ in range(5):
        assert (await _login(attacker, "alice", "guess")).status_code == 401
    blocked = await _login(attacker, "alice", ADMIN_PASSWORD)
    assert blocked.status_code == 429
    assert blocked.headers["content-type"] == "application/problem+json"
    assert blocked.headers["retry-after"] == "2"
    # Others are untouched: the same account elsewhere, other accounts from here.
    async with _client(app, "10.1.1.1") as office:
        assert (await _login(office, "alice", ADMIN_PASSWORD)).status_code == 200
    assert (await _login(attacker, "bob", ADMIN_PASSWORD)).status_code == 200


async def test_the_wait_doubles_and_failures_are_forgotten_after_the_window(
    app: FastAPI, clock: Clock, attacker: httpx.AsyncClient
) -> None:
    await add_user(app, "alice", admin=False)
    for _ in range(5):
        await _login(attacker, "alice", "guess")
    assert (await _login(attacker, "alice", "guess")).headers["retry-after"] == "2"
    clock.advance(2)
    assert (await _login(attacker, "alice", "guess")).status_code == 401
    assert (await _login(attacker, "alice", "guess")).headers["retry-after"] == "4"
    clock.advance(301)  # quiet for a whole window
    assert (await _login(attacker, "alice", ADMIN_PASSWORD)).status_code == 200


async def test_a_password_spray_slows_the_address_but_not_its_known_users(
    app: FastAPI, clock: Clock, attacker: httpx.AsyncClient
) -> None:
    """The review's lock-out: twenty failures from one address (a shared NAT)."""
    await add_user(app, "root", admin=True)
    await add_user(app, "newcomer", admin=False)
    assert (await _login(attacker, "root", ADMIN_PASSWORD)).status_code == 200
    for index in range(20):
        assert (await _login(attacker, f"user{index}", "spring2026")).status_code == 401
    sprayed = await _login(attacker, "user99", "spring2026")
    assert sprayed.status_code == 429
    assert int(sprayed.headers["retry-after"]) <= 60
    # The admin logged in from here before: the address's wait does not hold them.
    assert (await _login(attacker, "root", ADMIN_PASSWORD)).status_code == 200
    # Someone new from the address waits a little, never minutes.
    waited = await _login(attacker, "newcomer", ADMIN_PASSWORD)
    assert waited.status_code == 429 and int(waited.headers["retry-after"]) <= 60
    clock.advance(int(waited.headers["retry-after"]))
    assert (await _login(attacker, "newcomer", ADMIN_PASSWORD)).status_code == 200


async def test_failed_logins_cannot_flood_the_audit_log(
    app: FastAPI, clock: Clock, attacker: httpx.AsyncClient
) -> None:
    for index in range(60):
        await _login(attacker, f"user{index % 3}", "guess")
        clock.advance(61)  # past every wait, so each attempt is a real failure
    database: Database = app.state.database
    async with database.sessionmaker() as session:
        rows = list(
            await session.scalars(
                select(AuditRecord).where(AuditRecord.action == "auth.login_failed")
            )
        )
    # Only failures within the limits are recorded: at most 5 per pair, 20 per address,
    # and none for a throttled attempt, however long the attack goes on.
    assert 0 < len(rows) <= 15
    assert {row.source_address for row in rows} == {"10.66.0.1"}


async def test_a_disabled_account_answers_like_a_wrong_password(
    app: FastAPI, clock: Clock, attacker: httpx.AsyncClient
) -> None:
    user_id = await add_user(app, "leaver", admin=False)
    database: Database = app.state.database
    async with database.sessionmaker() as session:
        await session.execute(update(User).where(User.id == user_id).values(is_active=False))
        await session.commit()
    right = await _login(attacker, "leaver", ADMIN_PASSWORD)
    wrong = await _login(attacker, "leaver", "not-it")
    assert right.status_code == wrong.status_code == 401
    assert right.json()["detail"] == wrong.json()["detail"] == "Wrong username or password."


async def test_replicas_share_the_counts(migrated: Settings, app: FastAPI, clock: Clock) -> None:
    """Two app instances on one database, as two replicas behind a load balancer."""
    await add_user(app, "alice", admin=False)
    other = create_app(migrated, run_services=False)
    _throttle(other, clock)
    try:
        async with _client(app, "10.66.0.1") as first, _client(other, "10.66.0.1") as second:
            for index in range(5):
                replica = first if index % 2 else second
                assert (await _login(replica, "alice", "guess")).status_code == 401
            for replica in (first, second):
                assert (await _login(replica, "alice", ADMIN_PASSWORD)).status_code == 429
    finally:
        await other.state.database.dispose()


async def test_stale_counters_are_forgotten_so_a_spray_cannot_grow_the_table(
    app: FastAPI, clock: Clock, attacker: httpx.AsyncClient
) -> None:
    await add_user(app, "root", admin=True)
    assert (await _login(attacker, "root", ADMIN_PASSWORD)).status_code == 200
    for index in range(10):
        await _login(attacker, f"sprayed{index}", "guess")
    throttle: LoginThrottle = app.state.login_limiter
    assert await throttle.forget_stale() == 0  # everything is still recent
    clock.advance(301)
    # The ten sprayed pairs and the address go; root's known pair stays.
    assert await throttle.forget_stale() == 11
    database: Database = app.state.database
    async with database.sessionmaker() as session:
        left = list(await session.scalars(select(LoginThrottleRow.key)))
    assert len(left) == 1 and left[0].endswith("root")
