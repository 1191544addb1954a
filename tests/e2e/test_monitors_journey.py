"""An engineer follows a dirty-data alert in headless Chromium against a live server:
the monitors list with its state badges, the alerting monitor's chart, runs (with the
dirty rows they saw) and alert timeline (with each delivery attempt), a mute, and the
acknowledgement on the alerts page.

The data lives in an SQLite file the test writes; the notifications go to a local HTTP
server standing in for Slack (which answers) and for a webhook that keeps failing
(so the timeline has retries to show)."""

from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect

from tests.e2e.conftest import screenshot
from tests.e2e.seed import log_in
from tests.support.live_server import LiveServer
from tests.support.receivers import Receiver, free_port, http_receiver

__all__ = ["http_receiver"]

pytestmark = pytest.mark.e2e

SERVICE = "ledger"
MONITORS = "/api/v1/monitors"


def _books(path: Path) -> Path:
    """An invoices table, every invoice paid for now, and none with a negative amount."""
    with sqlite3.connect(path) as conn:
        conn.execute(
            "CREATE TABLE invoices"
            " (id INTEGER PRIMARY KEY, customer TEXT, amount REAL, status TEXT)"
        )
        conn.executemany(
            "INSERT INTO invoices (customer, amount, status) VALUES (?, ?, 'paid')",
            [("Acme Corp", 1200.0), ("Globex Ltd", 310.5), ("Initech", 75.25), ("Umbrella", 50.0)],
        )
    return path


def _unpay(path: Path, customer: str) -> None:
    """Dirty data appears: an invoice falls back to unpaid."""
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE invoices SET status = 'unpaid' WHERE customer = ?", (customer,))


def _monitor(name: str, query: str, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "service": SERVICE,
        "name": name,
        "type": "sql",
        "datasource": "books",
        "query": query,
        "schedule": {"every_seconds": 600},
        "condition": {"value": "row_count", "operator": ">", "threshold": 0},
    }
    body.update(changes)
    return body


def _seed(server: LiveServer, database: Path, receiver: Receiver) -> tuple[int, int]:
    """A service, its datasource, two channels and two monitors, each run a few times."""
    with httpx.Client(base_url=server.url, timeout=20) as client:
        client.post(
            "/api/v1/auth/login",
            json={"username": server.admin_username, "password": server.admin_password},
        ).raise_for_status()
        client.headers["X-CSRF-Token"] = client.cookies["gyrfalcon_csrf"]
        client.post(
            "/api/v1/services", json={"name": SERVICE, "team": "finance"}
        ).raise_for_status()
        client.post(
            f"/api/v1/services/{SERVICE}/datasources",
            json={"name": "books", "dialect": "sqlite", "database": str(database)},
        ).raise_for_status()
        for channel in (
            {"name": "ops-slack", "type": "slack", "webhook_url": f"{receiver.base_url}/slack"},
            {"name": "pager-hook", "type": "webhook", "url": f"{receiver.base_url}/broken"},
        ):
            client.post("/api/v1/notification-channels", json=channel).raise_for_status()
        unpaid = client.post(
            MONITORS,
            json=_monitor(
                "unpaid-invoices",
                "SELECT id, customer, amount FROM invoices WHERE status = 'unpaid'",
                severity="critical",
                description="Invoices nobody paid",
                notify={"channels": ["ops-slack", "pager-hook"]},
            ),
        )
        unpaid.raise_for_status()
        negative = client.post(
            MONITORS,
            json=_monitor(
                "negative-amounts",
                "SELECT count(*) FROM invoices WHERE amount < 0",
                severity="warning",
                condition={"value": "first_cell", "operator": ">", "threshold": 0},
            ),
        )
        negative.raise_for_status()
        ids = (int(unpaid.json()["id"]), int(negative.json()["id"]))
        for monitor_id in ids:
            _await_first_run(client, monitor_id)
        # Clean at first, then two invoices go unpaid one after the other.
        for dirty in (None, "Globex Ltd", "Initech"):
            if dirty:
                _unpay(database, dirty)
            for monitor_id in ids:
                client.post(f"{MONITORS}/{monitor_id}/run").raise_for_status()
        states = [client.get(f"{MONITORS}/{monitor_id}").json()["state"] for monitor_id in ids]
        assert states == ["ALERTING", "OK"], states
        return ids


def _await_first_run(client: httpx.Client, monitor_id: int) -> None:
    """The scheduler runs a new monitor at once; let that run land before ours, so that
    it cannot record the clean data after a manual run has seen the dirty data."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if client.get(f"{MONITORS}/{monitor_id}/results").json()["total"] > 0:
            return
        time.sleep(0.1)
    raise AssertionError(f"monitor {monitor_id} did not run after its creation")


async def _log_in(page: Page, server: LiveServer) -> None:
    await page.goto(server.url)
    await page.get_by_label("Username").fill(server.admin_username)
    await page.get_by_label("Password").fill(server.admin_password)
    await page.get_by_test_id("login-submit").click()
    await expect(page.get_by_test_id("home-page")).to_be_visible()


async def _settle(page: Page) -> None:
    """Before a screenshot: toasts gone, page scrolled back to the top (a full-page shot
    of a scrolled page draws the sticky header in the middle)."""
    await expect(page.locator(".ant-message-notice")).to_have_count(0, timeout=10_000)
    await page.evaluate("window.scrollTo(0, 0)")
    await page.wait_for_timeout(400)  # the table's loading fade ends


async def test_an_engineer_follows_a_dirty_data_alert(
    page: Page, server: LiveServer, tmp_path: Path, http_receiver: Receiver
) -> None:
    alerting, ok = _seed(server, _books(tmp_path / "books.db"), http_receiver)
    await _log_in(page, server)

    # The list: both monitors with their state badges; the state filter keeps the alerting one.
    await page.goto(f"{server.url}/monitors")
    table = page.get_by_test_id("monitors-table")
    alerting_row = table.get_by_test_id(f"monitor-row-{alerting}")
    ok_row = table.get_by_test_id(f"monitor-row-{ok}")
    await expect(alerting_row.get_by_test_id("state-badge")).to_have_text("Alerting")
    await expect(ok_row.get_by_test_id("state-badge")).to_have_text("OK")
    await expect(alerting_row).to_contain_text("row count > 0")
    await expect(table.locator(".ant-spin-spinning")).to_have_count(0)
    # Names are never cut: the table is laid out by content, with no ellipsis.
    alerting_name = alerting_row.get_by_test_id(f"monitor-link-{alerting}")
    await expect(alerting_name).to_have_text("unpaid-invoices")
    assert await table.locator(".ant-table-content").evaluate("e => e.scrollWidth <= e.clientWidth")
    await _settle(page)
    await screenshot(page, "monitors-list")

    await page.get_by_test_id("filter-state").click()
    await page.get_by_test_id("state-option-ALERTING").click()
    await expect(page).to_have_url(re.compile(r"state=ALERTING"))
    await expect(ok_row).to_be_hidden()
    await expect(alerting_row).to_be_visible()

    # The alerting monitor: chart with its threshold, runs with the dirty rows, the timeline.
    await alerting_row.get_by_test_id(f"monitor-link-{alerting}").click()
    detail = page.get_by_test_id("monitor-detail")
    await expect(detail).to_have_attribute("data-state", "ALERTING")
    await expect(page.get_by_test_id("monitor-title")).to_have_text("unpaid-invoices")
    await expect(page.get_by_test_id("monitor-service-link")).to_have_attribute(
        "href", f"/catalog/services/{SERVICE}"
    )
    chart = page.get_by_test_id("value-chart")
    await expect(chart.locator("svg.recharts-surface")).to_be_visible()
    await expect(chart.locator(".recharts-reference-line")).to_have_count(1)
    await expect(chart).to_contain_text("threshold > 0")

    runs = page.get_by_test_id("run-history")
    await expect(runs.locator("[data-testid^=run-row-]")).not_to_have_count(0)
    await runs.locator("[data-testid^=run-row-]").first.click()
    sample = runs.get_by_test_id("sample-sql").first
    await expect(sample).to_contain_text("Globex Ltd")
    await expect(sample).to_contain_text("Initech")
    await expect(sample).not_to_contain_text("Acme Corp")

    timeline = page.get_by_test_id("alert-timeline")
    alert_event = timeline.locator("[data-testid=timeline-event][data-kind=alerting]").first
    await expect(alert_event).to_contain_text("row count > 0 holds")
    await expect(alert_event.get_by_test_id("notification")).to_have_count(2)
    # The Slack stand-in answers; the webhook answers 500, so its attempts show the error.
    await expect(
        alert_event.locator("[data-testid=notification][data-status=sent]")
    ).to_contain_text("ops-slack")
    await expect(
        alert_event.locator("[data-testid=delivery-attempt][data-ok=false]").first
    ).to_contain_text("500")

    await page.get_by_test_id("mute").click()
    await page.get_by_test_id("mute-1h").click()
    await expect(page.get_by_test_id("muted-tag")).to_be_visible()
    await expect(page.get_by_test_id("unmute")).to_be_visible()
    await expect(timeline.locator("[data-testid=timeline-event][data-kind=muted]")).to_have_count(1)
    # A monitor made minutes ago opens on the range its history fits; picking one sticks in the URL.
    await expect(chart).to_have_attribute("data-range", "1h")
    await page.get_by_test_id("range-24h").click()
    await expect(page).to_have_url(re.compile(r"range=24h"))
    await expect(chart).to_have_attribute("data-range", "24h")
    await page.get_by_test_id("range-1h").click()
    await expect(page).to_have_url(re.compile(r"range=1h"))
    await expect(chart).to_have_attribute("data-range", "1h")
    await expect(chart).to_have_attribute("data-fresh", "true")
    await expect(chart.locator(".recharts-reference-area")).not_to_have_count(0)
    await _settle(page)
    await screenshot(page, "monitor-detail")

    # The alerts page: the alert is there, muted; acknowledging it shows who is on it.
    await page.get_by_test_id("monitors-nav-alerts").click()
    await expect(page).to_have_url(re.compile(r"/monitors/alerts"))
    row = page.get_by_test_id(f"alert-row-{alerting}")
    await expect(row).to_contain_text("unpaid-invoices")
    await expect(page.get_by_test_id(f"alert-row-{ok}")).to_have_count(0)
    await expect(row.get_by_test_id("alert-muted")).to_be_visible()
    await expect(row.get_by_test_id("alert-reason")).to_have_text(re.compile(r"^value \d+$"))
    # At 820 px the actions stay on screen, inside the table, with no sideways scroll.
    await page.set_viewport_size({"width": 820, "height": 1000})
    acknowledge = row.get_by_test_id(f"acknowledge-{alerting}")
    await expect(acknowledge).to_be_in_viewport()
    button = await acknowledge.bounding_box()
    table = await page.get_by_test_id("alerts-table").bounding_box()
    assert button is not None and table is not None
    assert button["x"] + button["width"] <= min(table["x"] + table["width"], 820)
    await _settle(page)
    await screenshot(page, "alerts-page-narrow")
    await acknowledge.click()
    await expect(row.get_by_test_id("alert-acknowledged")).to_contain_text("admin")
    await expect(row.get_by_test_id("alert-muted")).to_be_visible()
    await page.set_viewport_size({"width": 1440, "height": 900})
    await _settle(page)
    await screenshot(page, "alerts-page")


async def test_a_check_that_cannot_run_shows_its_whole_reason_on_the_alerts_page(
    page: Page, server: LiveServer
) -> None:
    """An ERROR alert (the database is down) reads in full, wrapped, at 1440 and 820 px."""
    closed = free_port()
    with httpx.Client(base_url=server.url, timeout=20) as client:
        log_in(client, server)
        client.post("/api/v1/services", json={"name": "stockroom"}).raise_for_status()
        client.post(
            "/api/v1/services/stockroom/datasources",
            json={"name": "stock", "host": "127.0.0.1", "port": closed, "database": "stock"},
        ).raise_for_status()
        created = client.post(
            MONITORS,
            json={
                **_monitor("stock-feed", "SELECT count(*) FROM stock"),
                "service": "stockroom",
                "datasource": "stock",
            },
        )
        created.raise_for_status()
        monitor_id = int(created.json()["id"])
        _await_first_run(client, monitor_id)
        client.post(f"{MONITORS}/{monitor_id}/run").raise_for_status()
        assert client.get(f"{MONITORS}/{monitor_id}").json()["state"] == "ERROR"
    await _log_in(page, server)
    await page.goto(f"{server.url}/monitors/alerts")
    reason = page.get_by_test_id(f"alert-row-{monitor_id}").get_by_test_id("alert-reason")
    await expect(reason).to_contain_text(str(closed))
    for width, height in ((1440, 900), (820, 1000)):
        await page.set_viewport_size({"width": width, "height": height})
        # Whole: nothing hidden behind an ellipsis, the text wraps inside its cell.
        assert await reason.evaluate("e => e.scrollWidth <= e.clientWidth")
        assert await reason.evaluate("e => getComputedStyle(e).textOverflow") != "ellipsis"
        await _settle(page)
        await screenshot(page, f"alerts-error-reason-{width}")
