"""An administrator browses users and creates a role with the grant matrix on the Users &
access pages, in headless Chromium; the API then holds exactly the checked grant."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.async_api import Page, expect

from tests.e2e.conftest import screenshot
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.e2e


def _roles(server: LiveServer) -> dict[str, dict[str, object]]:
    with httpx.Client(base_url=server.url, timeout=10) as client:
        client.post(
            "/api/v1/auth/login",
            json={"username": server.admin_username, "password": server.admin_password},
        ).raise_for_status()
        items = client.get("/api/v1/roles").json()["items"]
    return {role["name"]: role for role in items}


async def test_admin_creates_a_role_with_the_grant_matrix(page: Page, server: LiveServer) -> None:
    await page.goto(server.url)
    await page.get_by_label("Username").fill(server.admin_username)
    await page.get_by_label("Password").fill(server.admin_password)
    await page.get_by_test_id("login-submit").click()
    await expect(page.get_by_test_id("home-page")).to_be_visible()
    await page.get_by_test_id("nav-access").click()
    await expect(page).to_have_url(re.compile(r"/access/users"))
    await expect(page.get_by_test_id(f"user-row-{server.admin_username}")).to_be_visible()
    # Every column fits at 1440 px: "Last login" shows without a sideways scroll.
    users = page.get_by_test_id("users-table")
    await expect(users.get_by_role("columnheader", name="Last login")).to_be_in_viewport(ratio=1)
    assert await users.locator(".ant-table-content").evaluate("e => e.scrollWidth <= e.clientWidth")
    await screenshot(page, "10-access-users")

    await page.get_by_test_id("access-nav-roles").click()
    await expect(page.get_by_test_id("role-row-Viewer")).to_be_visible()
    await page.get_by_test_id("new-role").click()
    drawer = page.get_by_test_id("role-drawer")
    await drawer.get_by_test_id("role-name").fill("payments-readers")
    await drawer.get_by_test_id("grant-catalog-read").check()
    await screenshot(page, "11-access-role-matrix")
    await drawer.get_by_test_id("role-save").click()
    await expect(page.get_by_test_id("role-row-payments-readers")).to_be_visible()
    await screenshot(page, "12-access-roles")
    grants = _roles(server)["payments-readers"]["grants"]
    assert grants == [{"module": "catalog", "action": "read", "scope": "all", "targets": []}]
