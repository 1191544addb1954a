"""Local users and passwords in headless Chromium: an admin creates a user in the
console, resets the password from the user's page, the user logs in with it and
changes it on their own Password page, and only the newest one works after that."""

from __future__ import annotations

import httpx
import pytest
from playwright.async_api import Page, expect

from tests.e2e.conftest import screenshot
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.e2e

FIRST = "granite-harbour-one"
FROM_ADMIN = "violet-meadow-seventeen"
CHOSEN = "copper-lighthouse-forty"


async def _log_in(page: Page, server: LiveServer, username: str, password: str) -> None:
    await page.goto(f"{server.url}/login")
    await page.get_by_label("Username").fill(username)
    await page.get_by_label("Password").fill(password)
    await page.get_by_test_id("login-submit").click()


async def _open_new_user_form(page: Page, server: LiveServer, username: str, name: str) -> None:
    """The admin's way in: log in, open Users, press New user, fill who it is for."""
    await _log_in(page, server, server.admin_username, server.admin_password)
    await expect(page.get_by_test_id("home-page")).to_be_visible()
    await page.goto(f"{server.url}/access/users")
    await page.get_by_test_id("new-user").click()
    await page.get_by_test_id("new-user-username").fill(username)
    await page.get_by_test_id("new-user-name").fill(name)


async def test_an_admin_resets_and_the_user_changes_the_password(
    page: Page, server: LiveServer
) -> None:
    await _open_new_user_form(page, server, "dana", "Dana Scully")
    await page.get_by_test_id("new-user-how-password").click()
    await page.get_by_test_id("new-user-password").fill("dana-password-1")
    await page.get_by_test_id("create-user").click()
    await expect(page.get_by_text("must not contain the username")).to_be_visible()
    await page.get_by_test_id("new-user-password").fill(FIRST)
    await screenshot(page, "59-new-user")
    await page.get_by_test_id("create-user").click()
    await expect(page.get_by_test_id("user-title")).to_have_text("Dana Scully")
    await page.get_by_test_id("reset-password").click()
    await page.get_by_test_id("reset-password-input").fill("dana-1")
    await page.get_by_test_id("confirm-reset-password").click()
    await expect(page.get_by_text("use at least 12 characters")).to_be_visible()
    await page.get_by_test_id("reset-password-input").fill(FROM_ADMIN)
    await screenshot(page, "60-reset-password")
    await page.get_by_test_id("confirm-reset-password").click()
    await expect(page.get_by_text("New password set for dana")).to_be_visible()
    await page.get_by_test_id("user-menu").click()
    await page.get_by_test_id("menu-logout").click()
    await expect(page).to_have_url(f"{server.url}/login")

    await _log_in(page, server, "dana", FROM_ADMIN)
    await expect(page.get_by_test_id("home-page")).to_be_visible()
    await page.get_by_test_id("user-menu").click()
    await page.get_by_test_id("menu-password").click()
    await expect(page.get_by_test_id("password-page")).to_be_visible()
    await page.get_by_test_id("current-password").fill("not what it is")
    await page.get_by_test_id("new-password").fill(CHOSEN)
    await page.get_by_test_id("repeat-password").fill(CHOSEN)
    await page.get_by_test_id("change-password").click()
    await expect(page.get_by_text("is not your current password")).to_be_visible()
    await page.get_by_test_id("current-password").fill(FROM_ADMIN)
    await page.get_by_test_id("change-password").click()
    await expect(
        page.get_by_text("Password changed; your other sessions were ended")
    ).to_be_visible()
    await screenshot(page, "61-password-page")
    await page.set_viewport_size({"width": 820, "height": 1000})
    await screenshot(page, "62-password-page-narrow")

    with httpx.Client(base_url=server.url, timeout=10) as client:
        for password, status in ((FIRST, 401), (FROM_ADMIN, 401), (CHOSEN, 200)):
            login = client.post(
                "/api/v1/auth/login", json={"username": "dana", "password": password}
            )
            assert login.status_code == status, password


async def test_a_new_user_chooses_a_password_with_a_one_time_link(
    page: Page, server: LiveServer
) -> None:
    await _open_new_user_form(page, server, "eve", "Eve Moneypenny")
    await page.get_by_test_id("create-user").click()
    link = page.get_by_test_id("password-link-url")
    await expect(link).to_contain_text("/set-password#")
    await screenshot(page, "69-password-link")
    url = (await link.text_content() or "").strip()
    await page.get_by_test_id("open-new-user").click()
    await expect(page.get_by_test_id("user-title")).to_have_text("Eve Moneypenny")
    await page.get_by_test_id("user-menu").click()
    await page.get_by_test_id("menu-logout").click()
    await expect(page).to_have_url(f"{server.url}/login")

    await page.goto(url)
    await expect(page.get_by_test_id("set-password-page")).to_contain_text("Eve Moneypenny")
    await page.get_by_test_id("set-password-input").fill("eve")
    await page.get_by_test_id("set-password-repeat").fill("eve")
    await page.get_by_test_id("set-password-submit").click()
    await expect(page.get_by_text("Use at least 12 characters")).to_be_visible()
    await page.get_by_test_id("set-password-input").fill(CHOSEN)
    await page.get_by_test_id("set-password-repeat").fill(CHOSEN)
    await screenshot(page, "70-set-password")
    await page.set_viewport_size({"width": 820, "height": 1000})
    await screenshot(page, "71-set-password-narrow")
    await page.get_by_test_id("set-password-submit").click()
    await expect(page.get_by_test_id("set-password-done")).to_be_visible()
    await page.get_by_test_id("set-password-login").click()
    await _log_in(page, server, "eve", CHOSEN)
    await expect(page.get_by_test_id("home-page")).to_be_visible()

    await page.goto(url)
    await expect(page.get_by_test_id("set-password-invalid")).to_contain_text(
        "Ask an admin for a new link"
    )
