"""A read-only engineer opens a service in headless Chromium: the connections are there,
and every action that would send a stored secret (Test) or change something is shown
disabled with the reason, as the API refuses them (issue 8.1)."""

from __future__ import annotations

import httpx
import pytest
from playwright.async_api import Page, expect

from tests.e2e.conftest import screenshot
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.e2e

READER = "reader"
READER_PASSWORD = "quiet-lantern-seven"


def _prepare(server: LiveServer) -> None:
    """The admin registers a service with a datasource and gives the reader the Viewer role."""
    server.create_user(READER, READER_PASSWORD)
    with httpx.Client(base_url=server.url, timeout=10) as client:
        client.post(
            "/api/v1/auth/login",
            json={"username": server.admin_username, "password": server.admin_password},
        ).raise_for_status()
        client.headers["X-CSRF-Token"] = client.cookies["gyrfalcon_csrf"]
        client.post(
            "/api/v1/services", json={"name": "inventory", "display_name": "Inventory"}
        ).raise_for_status()
        client.post(
            "/api/v1/services/inventory/datasources",
            json={"name": "stock", "url": "postgresql://app:pw@127.0.0.1:5432/postgres"},
        ).raise_for_status()
        roles = {r["name"]: r["id"] for r in client.get("/api/v1/roles").json()["items"]}
        users = client.get("/api/v1/users", params={"q": READER}).json()["items"]
        reader_id = next(u["id"] for u in users if u["username"] == READER)
        client.patch(
            f"/api/v1/users/{reader_id}", json={"roles": [roles["Viewer"]]}
        ).raise_for_status()


async def test_a_reader_sees_the_test_button_disabled(page: Page, server: LiveServer) -> None:
    _prepare(server)
    await page.goto(server.url)
    await page.get_by_label("Username").fill(READER)
    await page.get_by_label("Password").fill(READER_PASSWORD)
    await page.get_by_test_id("login-submit").click()
    await expect(page.get_by_test_id("home-page")).to_be_visible()
    await page.goto(f"{server.url}/catalog/services/inventory")
    test_button = page.get_by_test_id("test-connection-stock")
    await expect(test_button).to_be_visible()
    await expect(test_button).to_be_disabled()
    await expect(page.get_by_test_id("edit-connection-stock")).to_be_disabled()
    await test_button.locator("xpath=..").hover()
    await expect(page.get_by_role("tooltip")).to_be_visible()
    await screenshot(page, "40-reader-service")
    await page.set_viewport_size({"width": 420, "height": 900})
    await screenshot(page, "41-reader-service-narrow")


def _session(server: LiveServer, username: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=server.url, timeout=10)
    client.post(
        "/api/v1/auth/login", json={"username": username, "password": password}
    ).raise_for_status()
    client.headers["X-CSRF-Token"] = client.cookies["gyrfalcon_csrf"]
    return client


async def test_an_admin_revokes_another_users_token(page: Page, server: LiveServer) -> None:
    """Issue 8.9: an admin sees a user's tokens on the user's page and revokes one."""
    server.create_user("holder", "amber-kettle-nine")
    holder = _session(server, "holder", "amber-kettle-nine")
    try:
        holder_id = holder.get("/api/v1/auth/me").json()["id"]
        token = holder.post("/api/v1/auth/tokens", json={"name": "old-laptop"}).json()["token"]
    finally:
        holder.close()
    await page.goto(server.url)
    await page.get_by_label("Username").fill(server.admin_username)
    await page.get_by_label("Password").fill(server.admin_password)
    await page.get_by_test_id("login-submit").click()
    await expect(page.get_by_test_id("home-page")).to_be_visible()
    await page.goto(f"{server.url}/access/users/{holder_id}")
    card = page.get_by_test_id("user-tokens")
    await expect(card).to_contain_text("old-laptop")
    await screenshot(page, "42-admin-user-tokens")
    await page.get_by_test_id("revoke-user-token-old-laptop").click()
    await page.get_by_test_id("confirm-revoke-user-token").click()
    await expect(card).to_contain_text("No API tokens")
    with httpx.Client(base_url=server.url, timeout=10) as anyone:
        me = anyone.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 401
