"""An engineer writes a data monitor in the editor, in headless Chromium against a live
server: picks the service and its datasource, types the SQL into the code editor, sets
the schedule (and sees the next run times), builds the condition, previews the result
before saving, is told why a write statement is refused, and saves. Then a webhook
channel with a message template sends a test alert to a local HTTP receiver.

The data lives in an SQLite file the test writes, seeded with two unpaid orders."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Locator, Page, expect

from tests.e2e.conftest import screenshot
from tests.support.live_server import LiveServer
from tests.support.receivers import Receiver, http_receiver

__all__ = ["http_receiver"]

pytestmark = pytest.mark.e2e

SERVICE = "billing"
QUERY = "SELECT count(*) FROM orders WHERE status = 'unpaid'"
TEMPLATE = "{{ label }}: {{ monitor }} on {{ service }} is {{ state }} with value {{ value }}"


def _orders(path: Path) -> Path:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT, status TEXT)")
        conn.executemany(
            "INSERT INTO orders (customer, status) VALUES (?, ?)",
            [("Acme", "paid"), ("Globex", "unpaid"), ("Initech", "unpaid"), ("Umbrella", "paid")],
        )
    return path


def _seed(server: LiveServer, database: Path) -> None:
    """The service with its SQLite datasource, and an unrelated one the picker must not list."""
    with httpx.Client(base_url=server.url, timeout=20) as client:
        client.post(
            "/api/v1/auth/login",
            json={"username": server.admin_username, "password": server.admin_password},
        ).raise_for_status()
        client.headers["X-CSRF-Token"] = client.cookies["gyrfalcon_csrf"]
        for name in (SERVICE, "warehouse"):
            client.post(
                "/api/v1/services", json={"name": name, "base_url": "http://127.0.0.1:9"}
            ).raise_for_status()
        client.post(
            f"/api/v1/services/{SERVICE}/datasources",
            json={"name": "main", "dialect": "sqlite", "database": str(database)},
        ).raise_for_status()
        client.post(
            "/api/v1/services/warehouse/datasources",
            json={"name": "stock", "dialect": "sqlite", "database": str(database)},
        ).raise_for_status()


def _monitor(server: LiveServer, monitor_id: int) -> dict[str, Any]:
    with httpx.Client(base_url=server.url, timeout=10) as client:
        client.post(
            "/api/v1/auth/login",
            json={"username": server.admin_username, "password": server.admin_password},
        ).raise_for_status()
        found: dict[str, Any] = client.get(f"/api/v1/monitors/{monitor_id}").json()
    return found


async def _log_in(page: Page, server: LiveServer) -> None:
    await page.goto(server.url)
    await page.get_by_label("Username").fill(server.admin_username)
    await page.get_by_label("Password").fill(server.admin_password)
    await page.get_by_test_id("login-submit").click()
    await expect(page.get_by_test_id("home-page")).to_be_visible()


def _open_options(page: Page) -> Locator:
    """The options of the antd Select dropdown that is open."""
    return page.locator(
        ".ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option"
    )


async def _choose(page: Page, test_id: str, option: str) -> None:
    """Pick an option of the antd Select with this test id."""
    await page.get_by_test_id(test_id).click()
    await _open_options(page).filter(has_text=option).first.click()


async def _type_sql(page: Page, query: str) -> None:
    """Replace the CodeMirror editor's text by typing, as a person would."""
    editor = page.get_by_test_id("sql-editor").locator(".cm-content")
    await editor.click()
    await page.keyboard.press("ControlOrMeta+a")
    await page.keyboard.press("Delete")
    await page.keyboard.type(query)
    await page.keyboard.press("Escape")  # close the completion popup, if any


def _query_item(page: Page) -> Locator:
    return page.locator(".ant-form-item").filter(has=page.get_by_test_id("sql-editor"))


async def test_engineer_writes_previews_and_saves_a_monitor(
    page: Page, server: LiveServer, tmp_path: Path, http_receiver: Receiver
) -> None:
    _seed(server, _orders(tmp_path / "shop.db"))
    await _log_in(page, server)

    await page.goto(f"{server.url}/monitors/new")
    await expect(page.get_by_test_id("monitor-editor")).to_be_visible()
    await _choose(page, "monitor-service", SERVICE)
    await page.get_by_test_id("monitor-name").fill("unpaid-orders")
    await page.get_by_test_id("monitor-description").fill("Orders nobody paid for")

    # Only the chosen service's datasources are offered.
    await page.get_by_test_id("monitor-datasource").click()
    await expect(_open_options(page).filter(has_text="main")).to_be_visible()
    await expect(_open_options(page).filter(has_text="stock")).to_have_count(0)
    await _open_options(page).filter(has_text="main").click()

    await _type_sql(page, QUERY)
    await expect(page.get_by_test_id("sql-editor")).to_contain_text(QUERY)
    # Highlighted by the SQL language: keywords get their own token spans.
    await expect(page.get_by_test_id("sql-editor").locator(".cm-line span").first).to_be_visible()

    await page.get_by_test_id("schedule-every").fill("60")
    await _choose(page, "schedule-unit", "seconds")
    runs = page.get_by_test_id("next-run")
    await expect(runs).to_have_count(5)
    await expect(page.get_by_test_id("next-runs")).to_contain_text("every minute")
    await expect(runs.first).to_contain_text("UTC")

    await _choose(page, "condition-value", "First cell")
    await _choose(page, "condition-operator", "greater than")
    await page.get_by_test_id("condition-threshold").fill("0")
    await expect(page.get_by_test_id("condition-summary")).to_contain_text("first cell > 0")

    await page.get_by_test_id("monitor-preview").click()
    await expect(page.get_by_test_id("preview-outcome")).to_contain_text("fail", timeout=15000)
    await expect(page.get_by_test_id("preview-state")).to_have_text("ALERTING")
    await expect(page.get_by_test_id("preview-value")).to_have_text("2")
    sample = page.get_by_test_id("preview-sample")
    await expect(sample).to_contain_text("count(*)")
    await expect(sample).to_contain_text("2")
    await screenshot(page, "monitor-editor")

    # A write statement is refused by the API, and the reason shows on the query field.
    await _type_sql(page, "DELETE FROM orders")
    await page.get_by_test_id("monitor-save").click()
    # While the field's message changes, antd keeps the old one in a leaving transition.
    shown = ".ant-form-item-explain-error:not(.ant-form-show-help-item-leave)"
    await expect(_query_item(page).locator(shown)).to_contain_text("only read statements")
    await expect(page).to_have_url(re.compile(r"/monitors/new$"))

    await _type_sql(page, QUERY)
    await page.get_by_test_id("monitor-save").click()
    await expect(page).to_have_url(re.compile(r"/monitors/\d+$"), timeout=15000)
    monitor_id = int(page.url.rsplit("/", 1)[1])
    saved = _monitor(server, monitor_id)
    assert saved["query"] == QUERY
    assert saved["schedule"]["every_seconds"] == 60
    assert saved["condition"]["value"] == "first_cell"
    assert saved["condition"]["threshold"] == 0

    # Editing loads the saved monitor, keeps the service fixed and saves only the change.
    await page.goto(f"{server.url}/monitors/{monitor_id}/edit")
    await expect(page.get_by_test_id("monitor-name")).to_have_value("unpaid-orders")
    await expect(page.get_by_test_id("sql-editor")).to_contain_text(QUERY)
    await expect(page.get_by_test_id("monitor-service").locator("input")).to_be_disabled()
    await expect(page.get_by_test_id("schedule-every")).to_have_value("1")
    await page.get_by_test_id("monitor-severity").get_by_text("Critical").click()
    await page.get_by_test_id("monitor-save").click()
    await expect(page).to_have_url(re.compile(rf"/monitors/{monitor_id}$"), timeout=15000)
    changed = _monitor(server, monitor_id)
    assert changed["severity"] == "critical"
    assert changed["query"] == QUERY

    # A webhook channel with a message template, and a test alert through it.
    await page.goto(f"{server.url}/catalog/notification-channels")
    await page.get_by_test_id("add-notification-channels").click()
    drawer = page.get_by_test_id("connection-drawer")
    await drawer.get_by_test_id("connection-name").fill("editor-hook")
    await drawer.get_by_test_id("channel-type").get_by_text("Webhook").click()
    await drawer.get_by_test_id("webhook-url").fill(f"{http_receiver.base_url}/editor-hook")
    await drawer.get_by_test_id("channel-body-template").fill(TEMPLATE)
    await drawer.get_by_text("Template variables").click()
    await expect(drawer.get_by_test_id("template-variables")).to_contain_text("sample_text")
    await page.wait_for_timeout(400)  # let the panel finish opening before the picture
    await screenshot(page, "channel-templates")
    await drawer.get_by_test_id("connection-save").click()
    await expect(drawer).to_be_hidden()

    await page.get_by_test_id("test-connection-editor-hook").click()
    modal = page.get_by_test_id("send-test-modal")
    await expect(modal).to_contain_text("JSON POST")
    await page.get_by_test_id("send-test-submit").click()
    await expect(modal.get_by_test_id("test-result")).to_contain_text(
        "Test alert delivered", timeout=15000
    )
    await screenshot(page, "channel-send-test")

    received = http_receiver.at("/editor-hook")
    assert len(received) == 1
    body = received[0].json()
    assert body["message"] == "TEST: unpaid-orders on orders is ALERTING with value 12"
    assert body["event"] == "test"
