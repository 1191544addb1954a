"""The home page in headless Chromium, on an install of its own: a new admin sees the
getting-started checklist; once a service has a failing Redis and an alerting monitor,
home leads with them, the sidebar badges the monitors, the catalog shows the service's
health and the service page lists its monitors and each connection's last test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from tests.e2e.conftest import screenshot
from tests.e2e.seed import seed_shop
from tests.support.live_server import LiveServer, live_server

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("home-data")) as running:
        yield running


async def test_home_leads_with_what_needs_attention(
    page: Page, fresh: LiveServer, tmp_path: Path
) -> None:
    await page.set_viewport_size({"width": 1440, "height": 900})
    await page.goto(f"{fresh.url}/login")
    await page.get_by_label("Username").fill(fresh.admin_username)
    await page.get_by_label("Password").fill(fresh.admin_password)
    await page.get_by_test_id("login-submit").click()
    checklist = page.get_by_test_id("checklist")
    await expect(checklist).to_be_visible()
    await expect(checklist).to_contain_text("0 of 5 done")
    await expect(page.get_by_test_id("tile-monitors.attention")).to_contain_text(
        "No monitor is alerting"
    )
    await screenshot(page, "63-home-new-install")

    seed_shop(fresh, tmp_path / "shop.db")
    await page.reload()
    await expect(checklist).to_contain_text("3 of 5 done")
    await expect(page.get_by_test_id("checklist-catalog.connection")).to_have_attribute(
        "data-done", "true"
    )
    monitors = page.get_by_test_id("tile-monitors.attention")
    await expect(monitors.get_by_text("unpaid-orders")).to_be_visible()
    await expect(monitors.get_by_test_id("tile-item-severity")).to_have_text("critical")
    services = page.get_by_test_id("tile-catalog.attention")
    await expect(services.get_by_role("link", name="Shop")).to_be_visible()
    await expect(services).to_contain_text("1 monitor alerting")
    await expect(services).to_contain_text("cache:")
    await expect(page.get_by_test_id("tile-audit.recent")).to_contain_text("monitor.create")
    await expect(page.get_by_test_id("nav-badge-monitors")).to_have_text("1")
    await screenshot(page, "64-home-attention")
    await page.set_viewport_size({"width": 820, "height": 1000})
    await screenshot(page, "65-home-attention-narrow")
    await page.set_viewport_size({"width": 1440, "height": 900})

    await services.get_by_role("link", name="Shop").click()
    await expect(page.get_by_test_id("service-detail")).to_be_visible()
    await expect(page.get_by_test_id("health-tag")).to_have_text("1 failing")
    await expect(page.get_by_test_id("signal-tag")).to_have_text("1 monitor alerting")
    panel = page.get_by_test_id("service-monitors")
    await expect(panel.get_by_text("unpaid-orders")).to_be_visible()
    await expect(panel.get_by_test_id("state-badge")).to_have_attribute("data-state", "ALERTING")
    await page.get_by_test_id("tab-redis").click()
    redis = page.get_by_test_id("table-redis")
    await expect(redis.get_by_test_id("last-test")).to_have_attribute("data-ok", "false")
    await screenshot(page, "66-service-health")

    await page.goto(f"{fresh.url}/catalog")
    row = page.get_by_test_id("service-row-shop")
    await expect(row.get_by_test_id("health-tag")).to_have_attribute("data-state", "failing")
    await expect(row).to_contain_text("Shop")  # the display name, under the name
    await page.get_by_test_id("attention-filter").click()
    await expect(page).to_have_url(f"{fresh.url}/catalog?attention=true")
    await expect(page.get_by_test_id("attention-filter")).to_be_checked()
    await expect(row).to_be_visible()
    await expect(page.locator(".ant-spin-spinning")).to_have_count(0)
    await screenshot(page, "67-services-health")

    await page.goto(f"{fresh.url}/catalog/services/shop")
    await page.get_by_test_id("delete-service").click()
    contents = page.get_by_test_id("delete-service-contents")
    await expect(contents.get_by_test_id("delete-group-monitors")).to_contain_text("unpaid-orders")
    await expect(contents.get_by_test_id("delete-group-datasources")).to_contain_text("1")
    await expect(contents.get_by_test_id("delete-group-redis")).to_contain_text("cache")
    confirm = page.get_by_test_id("confirm-delete-service")
    await expect(confirm).to_be_disabled()
    await page.get_by_test_id("delete-service-name").fill("sho")
    await expect(confirm).to_be_disabled()
    await page.get_by_test_id("delete-service-name").fill("shop")
    await screenshot(page, "68-delete-service")
    await confirm.click()
    await expect(page.get_by_test_id("services-page")).to_be_visible()
    await expect(page.get_by_text("Service shop deleted")).to_be_visible()
    await page.goto(f"{fresh.url}/audit")
    await expect(page.get_by_text("monitor.delete")).to_be_visible()
    await expect(page.get_by_text("redis_instance.delete")).to_be_visible()
