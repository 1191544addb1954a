"""An engineer finds who changed a service, in headless Chromium: the audit log, the
record with its changes and both snapshots, and the service's history."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.async_api import Page, expect

from tests.e2e.conftest import screenshot
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.e2e


def _change_a_service(server: LiveServer) -> int:
    with httpx.Client(base_url=server.url, timeout=10) as client:
        client.post(
            "/api/v1/auth/login",
            json={"username": server.admin_username, "password": server.admin_password},
        ).raise_for_status()
        client.headers["X-CSRF-Token"] = client.cookies["gyrfalcon_csrf"]
        created = client.post("/api/v1/services", json={"name": "payments", "team": "money"})
        created.raise_for_status()
        client.patch(
            "/api/v1/services/payments", json={"team": "finance", "tags": ["tier-1"]}
        ).raise_for_status()
        return int(created.json()["id"])


async def test_the_audit_log_shows_who_changed_what(page: Page, server: LiveServer) -> None:
    service_id = _change_a_service(server)
    await page.goto(server.url)
    await page.get_by_label("Username").fill(server.admin_username)
    await page.get_by_label("Password").fill(server.admin_password)
    await page.get_by_test_id("login-submit").click()
    await page.get_by_test_id("nav-audit").click()
    await expect(page).to_have_url(re.compile(r"/audit"))
    table = page.get_by_test_id("audit-table")
    await expect(table).to_contain_text("service.update")
    # The filters are pickers of what is on record: no exact names to type.
    await page.get_by_test_id("audit-filter-service").click()
    await page.locator(".ant-select-item-option[title=payments]").click()
    await expect(page).to_have_url(re.compile(r"service=payments"))
    await expect(table).not_to_contain_text("auth.login")
    await page.get_by_test_id("audit-filter-action").click()
    await expect(page.locator(".ant-select-item-option[title='auth.login']")).to_be_visible()
    await page.keyboard.type("service.upd")
    await page.locator(".ant-select-item-option[title='service.update']").click()
    await expect(page).to_have_url(re.compile(r"action=service.update"))
    await expect(table).not_to_contain_text("service.create")
    # Laid out by content: at 1440 px every column shows, with no sideways scroll.
    assert await table.locator(".ant-table-content").evaluate("e => e.scrollWidth <= e.clientWidth")
    await screenshot(page, "13-audit-log")

    await table.get_by_text("service.update").first.click()
    changes = page.get_by_test_id("audit-changes")
    await expect(changes).to_contain_text("team")
    await expect(changes).to_contain_text("finance")
    await expect(page.get_by_test_id("audit-before")).to_contain_text("money")
    await expect(page.get_by_test_id("audit-after")).to_contain_text("finance")
    await screenshot(page, "14-audit-detail")

    await page.get_by_test_id("history-link").click()
    await expect(page).to_have_url(re.compile(rf"object_id={service_id}"))
    await expect(page.get_by_test_id("audit-history")).to_contain_text("service.create")
    await screenshot(page, "15-audit-history")
