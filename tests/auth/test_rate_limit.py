"""Failed logins are limited per username and per client address (429 + Retry-After)."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from gyrfalcon.auth.ratelimit import FailedLoginLimiter, TooManyLoginAttempts
from tests.conftest import ADMIN_PASSWORD, add_user

LOGIN = "/api/v1/auth/login"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def limiter(clock: Clock, *, per_user: int = 3, per_address: int = 5) -> FailedLoginLimiter:
    return FailedLoginLimiter(
        max_per_user=per_user, max_per_address=per_address, window_seconds=60, clock=clock
    )


def test_a_username_is_blocked_until_its_oldest_failure_leaves_the_window() -> None:
    clock = Clock()
    limits = limiter(clock)
    for _ in range(3):
        limits.check("alice", "10.0.0.1")
        limits.record_failure("alice", "10.0.0.1")
        clock.now += 10
    with pytest.raises(TooManyLoginAttempts) as blocked:
        limits.check("alice", "10.0.0.2")
    assert blocked.value.retry_after == 30  # first failure at 1000, window 60, now 1030
    assert blocked.value.headers == {"Retry-After": "30"}
    limits.check("bob", "10.0.0.2")  # other names are not affected
    clock.now += 30
    limits.check("alice", "10.0.0.2")


def test_usernames_that_differ_only_in_case_share_a_budget() -> None:
    clock = Clock()
    limits = limiter(clock, per_user=2)
    limits.record_failure("Alice", None)
    limits.record_failure("ALICE", None)
    with pytest.raises(TooManyLoginAttempts):
        limits.check("alice", None)


def test_an_address_is_blocked_across_usernames() -> None:
    clock = Clock()
    limits = limiter(clock)
    for number in range(5):
        limits.record_failure(f"user{number}", "10.0.0.1")
    with pytest.raises(TooManyLoginAttempts):
        limits.check("someone-else", "10.0.0.1")
    limits.check("someone-else", "10.0.0.2")


def test_success_clears_the_username_but_not_the_address() -> None:
    clock = Clock()
    limits = limiter(clock, per_user=2, per_address=3)
    limits.record_failure("alice", "10.0.0.1")
    limits.record_failure("alice", "10.0.0.1")
    limits.record_success("alice")
    limits.check("alice", "10.0.0.1")
    limits.record_failure("mallory", "10.0.0.1")
    with pytest.raises(TooManyLoginAttempts):
        limits.check("alice", "10.0.0.1")


async def test_the_sixth_wrong_password_gets_429_even_with_the_right_one(
    app: FastAPI, anonymous: httpx.AsyncClient
) -> None:
    await add_user(app, "alice", admin=False)
    await add_user(app, "bob", admin=False)
    for _ in range(5):
        wrong = await anonymous.post(LOGIN, json={"username": "alice", "password": "guess"})
        assert wrong.status_code == 401
    blocked = await anonymous.post(LOGIN, json={"username": "alice", "password": ADMIN_PASSWORD})
    assert blocked.status_code == 429
    assert blocked.headers["content-type"] == "application/problem+json"
    assert 1 <= int(blocked.headers["retry-after"]) <= 300
    assert blocked.json()["title"] == "Too many login attempts"
    other = await anonymous.post(LOGIN, json={"username": "bob", "password": ADMIN_PASSWORD})
    assert other.status_code == 200
