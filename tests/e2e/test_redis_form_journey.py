"""The Redis instance form in headless Chromium: an admin adds a Redis Cluster through
its seed nodes (a bad node is refused on the spot), sees it listed as a read-only
cluster, then moves it to Sentinel with a master name and the Sentinels, and finds the
values there after a reload. Saving does not connect, so no Redis is needed."""

from __future__ import annotations

import pytest
from playwright.async_api import Locator, Page, expect

from tests.e2e.conftest import SCREENSHOTS, log_in
from tests.e2e.seed import admin_client
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.e2e

SERVICE = "redis-forms"


class RedisDrawer:
    """The add / edit drawer of a Redis instance."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.root = page.get_by_test_id("connection-drawer")
        self.nodes = self.root.get_by_test_id("redis-nodes")

    async def deploy_as(self, label: str) -> None:
        await self.root.get_by_test_id("redis-deployment").get_by_text(label, exact=True).click()

    def deployment(self, label: str) -> Locator:
        return self.root.get_by_test_id("redis-deployment").get_by_role("radio", name=label)

    async def add_node(self, node: str) -> None:
        search = self.nodes.get_by_role("combobox")
        await search.fill(node)
        await search.press("Enter")
        await expect(self.node(node)).to_be_visible()

    def node(self, node: str) -> Locator:
        return self.nodes.locator(".ant-select-selection-item", has_text=node)

    async def remove_node(self, node: str) -> None:
        await self.node(node).locator(".ant-select-selection-item-remove").click()
        await expect(self.node(node)).to_have_count(0)

    async def save(self) -> None:
        await self.root.get_by_test_id("connection-save").click()
        await expect(self.root).to_be_hidden()

    async def shoot(self, name: str) -> None:
        """The viewport with the drawer open: its top, then scrolled to its last field."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        await self.root.get_by_test_id("connection-name").scroll_into_view_if_needed()
        top = SCREENSHOTS / f"{name}-top.png"
        await self.page.screenshot(path=str(top), animations="disabled")
        await self.root.get_by_test_id("redis-read-only").scroll_into_view_if_needed()
        await self.page.screenshot(
            path=str(SCREENSHOTS / f"{name}-bottom.png"), animations="disabled"
        )


def row_of(page: Page, name: str) -> Locator:
    return (
        page.get_by_test_id("table-redis")
        .get_by_role("row")
        .filter(has=page.get_by_test_id(f"connection-row-name-{name}"))
    )


async def test_redis_cluster_then_sentinel(page: Page, server: LiveServer) -> None:
    with admin_client(server) as client:
        client.post(
            "/api/v1/services", json={"name": SERVICE, "display_name": "Redis forms"}
        ).raise_for_status()
    await page.set_viewport_size({"width": 1440, "height": 900})
    await log_in(page, server.url, server.admin_username, server.admin_password)
    await page.goto(f"{server.url}/catalog/services/{SERVICE}")
    await page.get_by_test_id("tab-redis").click()
    await expect(page.get_by_test_id("connections-redis")).to_be_visible()

    # A cluster: seed nodes instead of host and port, no database, read-only by default.
    await page.get_by_test_id("add-redis").click()
    drawer = RedisDrawer(page)
    await expect(drawer.root).to_be_visible()
    await drawer.root.get_by_test_id("connection-name").fill("sessions")
    await expect(drawer.root.get_by_test_id("entry-mode")).to_be_visible()
    await drawer.deploy_as("Cluster")
    await expect(drawer.deployment("Cluster")).to_be_checked()
    await expect(drawer.root.get_by_test_id("entry-mode")).to_have_count(0)
    await expect(drawer.root.get_by_test_id("redis-db")).to_have_count(0)
    await expect(drawer.root.get_by_test_id("redis-host")).to_have_count(0)
    await expect(drawer.root.get_by_test_id("redis-sentinel-master")).to_have_count(0)
    await expect(drawer.root.get_by_test_id("redis-read-only")).to_be_checked()

    await drawer.add_node("nohost")
    await expect(drawer.root.get_by_text("Not host:port: nohost")).to_be_visible()
    await drawer.shoot("redis-cluster-invalid-1440x900")
    await drawer.remove_node("nohost")
    await drawer.add_node("cache-1.internal:7000")
    await expect(drawer.root.get_by_text("Not host:port")).to_have_count(0)
    await drawer.root.get_by_test_id("redis-key-prefix").fill("sessions:")
    await drawer.save()

    row = row_of(page, "sessions")
    await expect(row.get_by_test_id("redis-mode-tag")).to_have_text("cluster")
    await expect(row.get_by_test_id("redis-read-only-tag")).to_have_text("read-only")
    await page.screenshot(path=str(SCREENSHOTS / "redis-table-1440x900.png"), animations="disabled")
    listed = await page.request.get(f"{server.url}/api/v1/services/{SERVICE}/redis")
    [saved] = (await listed.json())["items"]
    assert saved["mode"] == "cluster"
    assert saved["nodes"] == ["cache-1.internal:7000"]
    assert (saved["db"], saved["key_prefix"], saved["read_only"]) == (0, "sessions:", True)

    # The same instance behind Sentinels, writable from the console.
    await page.get_by_test_id("edit-connection-sessions").click()
    await expect(drawer.root).to_be_visible()
    await expect(drawer.deployment("Cluster")).to_be_checked()
    await expect(drawer.node("cache-1.internal:7000")).to_be_visible()
    await drawer.deploy_as("Sentinel")
    await expect(drawer.root.get_by_test_id("redis-sentinel-master")).to_be_visible()
    await expect(drawer.root.get_by_test_id("entry-mode")).to_have_count(0)
    await drawer.remove_node("cache-1.internal:7000")
    await drawer.add_node("sentinel-1.internal:26379")
    await drawer.add_node("sentinel-2.internal:26379")
    await drawer.root.get_by_test_id("redis-sentinel-master").fill("mymaster")
    await drawer.root.get_by_test_id("redis-db").fill("2")
    await drawer.root.get_by_test_id("redis-sentinel-password").fill("sentinel-secret")
    await drawer.root.get_by_test_id("redis-read-only").click()
    await expect(drawer.root.get_by_test_id("redis-read-only")).not_to_be_checked()
    await drawer.shoot("redis-sentinel-1440x900")
    await page.set_viewport_size({"width": 390, "height": 844})
    await drawer.shoot("redis-sentinel-390x844")
    await page.set_viewport_size({"width": 1440, "height": 900})
    await drawer.save()

    await page.reload()
    row = row_of(page, "sessions")
    await expect(row.get_by_test_id("redis-mode-tag")).to_have_text("sentinel")
    await expect(row.get_by_test_id("redis-read-only-tag")).to_have_count(0)
    # Below 1200 px the kind's columns fold into the name cell, the tags with them.
    await page.set_viewport_size({"width": 1024, "height": 900})
    folded = row.get_by_test_id("folded-columns")
    await expect(folded.get_by_test_id("redis-mode-tag")).to_have_text("sentinel")
    await page.screenshot(path=str(SCREENSHOTS / "redis-table-1024x900.png"), animations="disabled")
    await page.set_viewport_size({"width": 1440, "height": 900})
    await page.get_by_test_id("edit-connection-sessions").click()
    await expect(drawer.root).to_be_visible()
    await expect(drawer.deployment("Sentinel")).to_be_checked()
    await expect(drawer.root.get_by_test_id("redis-sentinel-master")).to_have_value("mymaster")
    await expect(drawer.root.get_by_test_id("redis-db")).to_have_value("2")
    await expect(drawer.node("sentinel-1.internal:26379")).to_be_visible()
    await expect(drawer.node("sentinel-2.internal:26379")).to_be_visible()
    await expect(drawer.node("cache-1.internal:7000")).to_have_count(0)
    await expect(drawer.root.get_by_test_id("redis-sentinel-password")).to_have_attribute(
        "placeholder", "set — leave blank to keep"
    )
    await expect(drawer.root.get_by_test_id("redis-key-prefix")).to_have_value("sessions:")
    await expect(drawer.root.get_by_test_id("redis-read-only")).not_to_be_checked()
    await drawer.root.get_by_role("button", name="Cancel").click()
    await expect(drawer.root).to_be_hidden()
