"""An engineer debugs a slow checkout in headless Chromium: on the service's page, the
Debug tab lists its debug endpoints; the form made from the endpoint's parameter schema
refuses a bad value at its field, then runs the endpoint of a real probe-SDK service
(uvicorn, the machine's PostgreSQL and Redis, a downstream service that fails). The
waterfall marks the database hop, made slow on purpose, as the slowest and on the
critical path and the failing payments call red; the span's details open on a click; a
second, fast run compared with the first shows that hop slower. A reader (the built-in
Viewer) sees the runs but may not run."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.async_api import Page, ViewportSize, expect

from tests.e2e.conftest import SCREENSHOTS, log_in, screenshot
from tests.e2e.seed import admin_client
from tests.support import probe_services as samples
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.e2e

SERVICE = "checkout"
READER, READER_PASSWORD = "debug-reader", "quiet-heron-four"
WIDE: ViewportSize = {"width": 1440, "height": 900}
NARROW: ViewportSize = {"width": 390, "height": 844}
WAIT_MS = 60_000
PARAMETERS = {
    "type": "object",
    "properties": {
        "order_id": {"type": "integer", "minimum": 1, "description": "The order to check out"},
        "db_delay_ms": {
            "type": "integer",
            "minimum": 0,
            "maximum": 5000,
            "description": "How long the orders database takes (pg_sleep)",
        },
    },
    "required": ["order_id"],
}


@pytest.fixture(scope="module")
def endpoint_id(server: LiveServer) -> Iterator[int]:
    with samples.probe_services() as services, admin_client(server) as client:
        client.post(
            "/api/v1/services",
            json={"name": SERVICE, "team": "shop", "base_url": services.orders_url},
        ).raise_for_status()
        created = client.post(
            f"/api/v1/services/{SERVICE}/debug-endpoints",
            json={
                "name": "checkout",
                "description": "Loads the order, its session and calls inventory and payments",
                "path": "/debug/checkout",
                "auth": "token",
                "secret": samples.ORDERS_TOKEN,
                "parameters": PARAMETERS,
                "timeout_seconds": 20,
            },
        )
        created.raise_for_status()
        server.create_user(READER, READER_PASSWORD)
        roles = {r["name"]: r["id"] for r in client.get("/api/v1/roles").json()["items"]}
        users = client.get("/api/v1/users", params={"q": READER}).json()["items"]
        reader_id = next(u["id"] for u in users if u["username"] == READER)
        client.patch(
            f"/api/v1/users/{reader_id}", json={"roles": [roles["Viewer"]]}
        ).raise_for_status()
        yield int(created.json()["id"])


async def _open_debug_tab(page: Page, server: LiveServer, endpoint_id: int) -> None:
    await page.goto(f"{server.url}/catalog/services/{SERVICE}")
    await page.get_by_test_id("tab-debug").click()
    await expect(page.get_by_test_id("debug-tab")).to_be_visible()
    await page.get_by_test_id(f"debug-endpoint-{endpoint_id}").click()


async def _run(page: Page, order_id: str, delay_ms: str) -> None:
    await page.get_by_test_id("debug-param-order_id").fill(order_id)
    await page.get_by_test_id("debug-param-db_delay_ms").fill(delay_ms)
    await page.get_by_test_id("debug-run-button").click()
    await expect(page.get_by_test_id("debug-running")).to_have_count(0, timeout=WAIT_MS)
    await expect(page.get_by_test_id("waterfall")).to_be_visible(timeout=WAIT_MS)


async def test_a_slow_database_hop_is_marked_and_a_second_run_compares(
    page: Page, server: LiveServer, endpoint_id: int
) -> None:
    await log_in(page, server.url, server.admin_username, server.admin_password)
    await page.set_viewport_size(WIDE)
    await _open_debug_tab(page, server, endpoint_id)

    # A required parameter left out is said at its field, and nothing runs.
    await page.get_by_test_id("debug-param-order_id").fill("")
    await page.get_by_test_id("debug-run-button").click()
    await expect(page.locator(".ant-form-item-explain-error")).to_be_visible()
    await expect(page.get_by_test_id("waterfall")).to_have_count(0)

    await _run(page, "7", "2500")
    await expect(page.get_by_test_id("debug-run-message")).to_contain_text("1 of")
    database = page.locator('[data-testid^="waterfall-row-"]', has_text="orders-db")
    await expect(database).to_have_attribute("data-slowest", "true")
    await expect(database).to_have_attribute("data-critical", "true")
    payments = page.locator('[data-testid^="waterfall-row-"]', has_text="payments")
    await expect(payments).to_have_attribute("data-status", "error")
    await screenshot(page, "debug-waterfall")
    await database.click()
    await expect(page.get_by_role("dialog")).to_contain_text("orders-db")
    details = page.get_by_test_id("span-details")
    await expect(details).to_contain_text("Among the slowestyes")
    await expect(details).to_contain_text("order_id")
    await page.screenshot(path=str(SCREENSHOTS / "debug-span.png"), animations="disabled")
    await page.keyboard.press("Escape")

    await _run(page, "7", "0")
    await page.get_by_role("tab", name="History").click()
    history = page.get_by_test_id("debug-history")
    picks = history.locator('[data-testid^="debug-history-pick-"] input')
    await expect(picks).to_have_count(2)
    await picks.nth(0).check()
    await picks.nth(1).check()
    await page.get_by_test_id("debug-compare-button").click()
    compare = page.get_by_test_id("debug-compare")
    await expect(compare).to_be_visible()
    database_row = compare.locator('[data-testid^="debug-compare-row-"]', has_text="orders-db")
    await expect(database_row).to_have_attribute("data-change", "faster")
    await page.evaluate("window.scrollTo(0, 0)")  # the sticky header, at the top of the shot
    await screenshot(page, "debug-compare")

    await page.set_viewport_size(NARROW)
    await page.goto(f"{server.url}/catalog/services/{SERVICE}?tab=debug&endpoint={endpoint_id}")
    await expect(page.get_by_test_id("debug-tab")).to_be_visible()
    await screenshot(page, "debug-narrow")


async def test_a_reader_sees_the_runs_but_may_not_run(
    page: Page, server: LiveServer, endpoint_id: int
) -> None:
    await log_in(page, server.url, READER, READER_PASSWORD)
    await _open_debug_tab(page, server, endpoint_id)
    await expect(page.get_by_test_id("debug-run-button")).to_be_disabled()
