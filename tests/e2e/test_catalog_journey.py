"""What a new user does on day one, in headless Chromium against a live server: log in,
see the modules, register a service with a PostgreSQL datasource, test it, see a wrong
password fail clearly, manage an API token, and log out.

The PostgreSQL here is a throwaway cluster that checks passwords (the machine's own
server trusts local connections, so a wrong password would pass there)."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from tests.e2e.conftest import screenshot
from tests.support.live_server import LiveServer
from tests.support.postgres_cluster import PasswordPostgres

pytestmark = pytest.mark.e2e


async def _log_in(page: Page, server: LiveServer) -> None:
    await page.goto(server.url)
    await expect(page.get_by_test_id("login-form")).to_be_visible()
    await page.get_by_label("Username").fill(server.admin_username)
    await page.get_by_label("Password").fill(server.admin_password)
    await page.get_by_test_id("login-submit").click()
    await expect(page.get_by_test_id("home-page")).to_be_visible()


async def _add_datasource(page: Page, name: str, database: PasswordPostgres, password: str) -> None:
    await page.get_by_test_id("add-datasources").click()
    drawer = page.get_by_test_id("connection-drawer")
    await expect(drawer).to_be_visible()
    await drawer.get_by_test_id("connection-name").fill(name)
    await drawer.get_by_test_id("datasource-host").fill(database.host)
    await drawer.get_by_label("Port").fill(str(database.port))
    await drawer.get_by_test_id("datasource-database").fill(database.database)
    await drawer.get_by_test_id("datasource-username").fill(database.user)
    await drawer.get_by_test_id("datasource-password").fill(password)


async def test_new_user_registers_a_service_and_tests_its_database(
    page: Page, server: LiveServer, postgres_with_password: PasswordPostgres
) -> None:
    await page.goto(server.url)
    await expect(page).to_have_url(re.compile(r"/login"))
    await screenshot(page, "01-login")

    wrong = page.get_by_test_id("login-form")
    await page.get_by_label("Username").fill(server.admin_username)
    await page.get_by_label("Password").fill("not the password")
    await page.get_by_test_id("login-submit").click()
    await expect(page.get_by_text("Wrong username or password.")).to_be_visible()
    await expect(wrong).to_be_visible()
    await screenshot(page, "02-login-failed")

    await page.get_by_label("Password").fill(server.admin_password)
    await page.get_by_test_id("login-submit").click()
    await expect(page.get_by_test_id("home-page")).to_be_visible()
    await screenshot(page, "03-home")

    await page.get_by_test_id("nav-catalog").click()
    await expect(page.get_by_test_id("services-page")).to_be_visible()
    await screenshot(page, "04-catalog-empty")

    await page.get_by_test_id("new-service").click()
    await page.get_by_test_id("service-name").fill("Orders Service")
    await page.get_by_test_id("service-save").click()
    await expect(page.get_by_test_id("service-drawer")).to_contain_text(
        "Use lowercase letters, digits and '-'"
    )
    await page.get_by_test_id("service-name").fill("orders")
    await page.get_by_test_id("service-display-name").fill("Orders")
    await page.get_by_test_id("service-team").fill("commerce")
    await page.get_by_test_id("service-base-url").fill("http://127.0.0.1:9")
    await page.get_by_test_id("service-save").click()
    await expect(page.get_by_test_id("service-drawer")).to_be_hidden()

    await page.goto(f"{server.url}/catalog")
    await expect(page.get_by_test_id("service-row-orders")).to_be_visible()
    await screenshot(page, "05-catalog-services")
    await page.get_by_test_id("service-link-orders").click()
    await expect(page.get_by_test_id("connections-datasources")).to_be_visible()

    await _add_datasource(page, "main", postgres_with_password, postgres_with_password.password)
    await page.get_by_test_id("connection-test").click()
    result = page.get_by_test_id("test-result")
    await expect(result).to_contain_text("ms", timeout=15000)
    await screenshot(page, "06-datasource-test-ok")
    await page.get_by_test_id("connection-save").click()
    await expect(page.get_by_test_id("connection-drawer")).to_be_hidden()
    await expect(page.get_by_test_id("connection-row-name-main")).to_be_visible()
    await page.get_by_test_id("history-connection-main").click()
    await expect(page.get_by_test_id("audit-history")).to_contain_text("datasource.create")
    await page.go_back()

    await _add_datasource(page, "wrong-password", postgres_with_password, "not-the-password")
    await page.get_by_test_id("connection-save").click()
    await expect(page.get_by_test_id("connection-drawer")).to_be_hidden()
    await page.get_by_test_id("test-connection-wrong-password").click()
    message = page.get_by_test_id("test-result-message")
    await expect(message).to_contain_text("authentication failed", timeout=15000)
    await screenshot(page, "07-datasource-test-wrong-password")

    await page.get_by_test_id("user-menu").click()
    await page.get_by_test_id("menu-logout").click()
    await expect(page.get_by_test_id("login-form")).to_be_visible()
    await page.goto(f"{server.url}/catalog")
    await expect(page).to_have_url(re.compile(r"/login"))


async def test_api_tokens_are_shown_once_and_can_be_revoked(page: Page, server: LiveServer) -> None:
    await _log_in(page, server)
    await page.get_by_test_id("user-menu").click()
    await page.get_by_test_id("menu-api-tokens").click()
    await expect(page).to_have_url(re.compile(r"/account/tokens"))
    await expect(page.get_by_test_id("tokens-empty")).to_be_visible()

    await page.get_by_test_id("new-token").click()
    await page.get_by_test_id("token-name").fill("ci-deploys")
    await page.get_by_test_id("token-create-submit").click()
    shown = page.get_by_test_id("token-value")
    await expect(shown).to_contain_text("gyr_")
    token = (await shown.inner_text()).strip()
    await screenshot(page, "08-token-created")

    # The token works against the API as a bearer credential.
    answer = await page.request.get(
        f"{server.url}/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.ok and (await answer.json())["username"] == server.admin_username

    await page.get_by_test_id("token-created-done").click()
    await expect(page.get_by_test_id("tokens-table")).to_contain_text("ci-deploys")
    await expect(page.get_by_test_id("tokens-table")).not_to_contain_text(token)
    await screenshot(page, "09-tokens")
    await page.get_by_test_id("revoke-token-ci-deploys").click()
    await page.get_by_test_id("confirm-revoke").click()
    await expect(page.get_by_test_id("tokens-empty")).to_be_visible()
    revoked = await page.request.get(
        f"{server.url}/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}
    )
    assert revoked.status == 401
