"""Every page of the console, in headless Chromium, at 1440x900 and at 820x1000: each one
loads its content and none of them is wider than the window (nothing is reached only by
scrolling the whole page sideways); at 1440 no table scrolls sideways either. The
screenshots, tour-<page>-<width>.png, are what a reviewer looks at before a page is
called done."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.async_api import Page, expect

from tests.e2e.conftest import screenshot
from tests.e2e.seed import admin_client, seed_shop
from tests.support.live_server import LiveServer, live_server

pytestmark = pytest.mark.e2e

SIZES = ({"width": 1440, "height": 900}, {"width": 820, "height": 1000})


@pytest.fixture(scope="module")
def populated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("tour-data")) as running:
        seed_shop(running, tmp_path_factory.mktemp("tour-shop") / "shop.db")
        yield running


def _pages(server: LiveServer) -> dict[str, str]:
    """Page name -> path, with the ids of the objects the seed made."""
    with admin_client(server) as client:
        monitor = client.get("/api/v1/monitors").json()["items"][0]["id"]
        record = client.get("/api/v1/audit", params={"limit": 1}).json()["items"][0]["id"]
        admin = client.get("/api/v1/auth/me").json()["id"]
        service = client.get("/api/v1/services/shop").json()["id"]
    return {
        "home": "/",
        "services": "/catalog",
        "service": "/catalog/services/shop",
        "kafka-clusters": "/catalog/kafka-clusters",
        "channels": "/catalog/notification-channels",
        "monitors": "/monitors",
        "alerts": "/monitors/alerts",
        "monitor": f"/monitors/{monitor}",
        "monitor-new": "/monitors/new",
        "monitor-edit": f"/monitors/{monitor}/edit",
        "messages": "/messages",
        "messages-browse": "/messages/browse",
        "schemas": "/messages/schemas",
        "debug": "/debug",
        "service-debug": "/catalog/services/shop?tab=debug",
        "audit": "/audit",
        "audit-record": f"/audit/{record}",
        "audit-history": f"/audit/history?object_type=service&object_id={service}",
        "users": "/access/users",
        "user": f"/access/users/{admin}",
        "teams": "/access/teams",
        "roles": "/access/roles",
        "groups": "/access/groups",
        "tokens": "/account/tokens",
        "password": "/account/password",
    }


async def test_every_page_fits_the_window_at_1440_and_820(
    page: Page, populated: LiveServer
) -> None:
    await page.goto(f"{populated.url}/login")
    await page.get_by_label("Username").fill(populated.admin_username)
    await page.get_by_label("Password").fill(populated.admin_password)
    await page.get_by_test_id("login-submit").click()
    await expect(page.get_by_test_id("home-page")).to_be_visible()
    content = page.locator(".ant-layout-content")
    overflowing: list[str] = []
    for name, path in _pages(populated).items():
        for size in SIZES:
            await page.set_viewport_size(size)
            await page.goto(f"{populated.url}{path}")
            await expect(content.locator("h3").first).to_be_visible()
            await expect(content.locator(".ant-skeleton")).to_have_count(0)
            await expect(content.locator(".ant-spin-spinning")).to_have_count(0)
            await expect(page.get_by_test_id("not-found")).to_have_count(0)
            fits = await page.evaluate(
                "() => document.documentElement.scrollWidth <= window.innerWidth"
            )
            if not fits:
                overflowing.append(f"{name} at {size['width']} px")
            # At full width no table may hide columns behind a sideways scroll either.
            scrolling = await page.evaluate(
                "() => [...document.querySelectorAll('.ant-table-content')]"
                ".filter(e => e.scrollWidth > e.clientWidth).length"
            )
            if size["width"] == SIZES[0]["width"] and scrolling:
                overflowing.append(f"{scrolling} table(s) on {name} at {size['width']} px")
            await screenshot(page, f"tour-{name}-{size['width']}")
    assert not overflowing, f"too wide: {', '.join(overflowing)}"
