"""A service's page on a phone (390x844), in headless Chromium against a live server: the
connections panels (datasources, Redis, job backends) keep their description readable
under the title, show each connection's name with its folded details, and nothing is
wider than the window. The same page at 1440x900 keeps the desktop table.

Screenshots: service-narrow-<tab>-390.png and service-narrow-<tab>-1440.png."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from tests.e2e.conftest import log_in, screenshot
from tests.e2e.seed import admin_client
from tests.support.live_server import LiveServer
from tests.support.receivers import free_port

pytestmark = pytest.mark.e2e

SERVICE = "narrow-shop"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
# The tab, and the connections made in it.
CONNECTIONS = {
    "datasources": "orders-db",
    "redis": "session-cache",
    "job-backends": "sidekiq-workers",
}


def _seed(server: LiveServer, database: Path) -> None:
    with admin_client(server) as client:
        client.post(
            "/api/v1/services",
            json={"name": SERVICE, "display_name": "Narrow shop", "team": "retail"},
        ).raise_for_status()
        client.post(
            f"/api/v1/services/{SERVICE}/datasources",
            json={
                "name": CONNECTIONS["datasources"],
                "description": "The orders and their payments, written by the checkout.",
                "dialect": "sqlite",
                "database": str(database),
            },
        ).raise_for_status()
        client.post(
            f"/api/v1/services/{SERVICE}/redis",
            json={"name": CONNECTIONS["redis"], "host": "127.0.0.1", "port": free_port()},
        ).raise_for_status()
        client.post(
            f"/api/v1/services/{SERVICE}/job-backends",
            json={
                "name": CONNECTIONS["job-backends"],
                "type": "sidekiq",
                "namespace": "shop:jobs",
                "host": "127.0.0.1",
                "port": free_port(),
            },
        ).raise_for_status()


async def _fits_the_window(page: Page) -> bool:
    return bool(
        await page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    )


async def _open_tab(page: Page, tab: str) -> None:
    await page.get_by_test_id(f"tab-{tab}").click()
    panel = page.get_by_test_id(f"connections-{tab}")
    await expect(panel).to_be_visible()
    await expect(panel.get_by_test_id(f"connection-row-name-{CONNECTIONS[tab]}")).to_be_visible()
    await expect(panel.locator(".ant-spin-spinning")).to_have_count(0)


async def test_connections_panels_fit_a_phone(
    page: Page, server: LiveServer, tmp_path: Path
) -> None:
    _seed(server, tmp_path / "shop.db")
    await log_in(page, server.url, server.admin_username, server.admin_password)

    await page.set_viewport_size(PHONE)
    await page.goto(f"{server.url}/catalog/services/{SERVICE}")
    await expect(page.get_by_test_id("service-detail")).to_be_visible()
    for tab, name in CONNECTIONS.items():
        await _open_tab(page, tab)
        panel = page.get_by_test_id(f"connections-{tab}")

        description = panel.get_by_test_id(f"connections-description-{tab}")
        await expect(description).to_be_visible()
        box = await description.bounding_box()
        assert box is not None and box["width"] >= 200, (tab, box)

        row_name = panel.get_by_test_id(f"connection-row-name-{name}")
        await expect(row_name).to_be_visible()
        await expect(row_name).to_have_text(name)
        name_box = await row_name.bounding_box()
        assert name_box is not None and name_box["x"] >= 0, (tab, name_box)
        assert name_box["x"] + name_box["width"] <= PHONE["width"], (tab, name_box)

        # Below xl the kind's columns fold into the name cell: they are there and readable.
        folded = panel.get_by_test_id("folded-columns").first
        await expect(folded).to_be_visible()
        folded_box = await folded.bounding_box()
        assert folded_box is not None and folded_box["width"] >= 150, (tab, folded_box)

        add = panel.get_by_test_id(f"add-{tab}")
        await expect(add).to_be_visible()
        add_box = await add.bounding_box()
        assert add_box is not None and add_box["x"] + add_box["width"] <= PHONE["width"], tab

        assert await _fits_the_window(page), f"the page scrolls sideways on the {tab} tab"
        await screenshot(page, f"service-narrow-{tab}-390")

    await page.set_viewport_size(DESKTOP)
    for tab, name in CONNECTIONS.items():
        await _open_tab(page, tab)
        panel = page.get_by_test_id(f"connections-{tab}")
        await expect(panel.get_by_test_id(f"connections-description-{tab}")).to_be_visible()
        await expect(panel.get_by_test_id(f"connection-row-name-{name}")).to_be_visible()
        # At desktop width the kind's columns are columns of their own, not folded.
        await expect(panel.get_by_test_id("folded-columns")).to_have_count(0)
        assert await _fits_the_window(page), f"the page scrolls sideways on the {tab} tab"
        await screenshot(page, f"service-narrow-{tab}-1440")
