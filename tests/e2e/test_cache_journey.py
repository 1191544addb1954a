"""An engineer browses a service's Redis in headless Chromium: arrives from the service's
page, finds the orders by pattern, reads one as pretty JSON and watches its TTL count
down, reads a cart hash's fields, folds the keys into folders, deletes a key (holding
the cache write permission for that service only), runs the analysis and sees its
charts, and deletes the sessions in bulk after a dry run while the live server's
background worker does it. A reader (the built-in Viewer) sees the same key with the
changes disabled, and the API refuses them. A cached protobuf message reads decoded
with a schema uploaded for the messages module. The machine's Redis, database 14, under
a key prefix of this run's own."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
import redis
from playwright.async_api import Locator, Page, ViewportSize, expect

from gyrfalcon.messages.protos import compiler, descriptors
from tests.e2e.conftest import SCREENSHOTS, log_in, screenshot
from tests.e2e.seed import admin_client
from tests.messages.conftest import shop_files
from tests.support.live_server import LiveServer
from tests.support.receivers import free_port

pytestmark = pytest.mark.e2e

DB = 14
SERVICE = "storefront"
WRITER, WRITER_PASSWORD = "cache-writer", "amber-otter-nine"
READER, READER_PASSWORD = "cache-reader", "silent-finch-two"
WIDE: ViewportSize = {"width": 1440, "height": 900}
NARROW: ViewportSize = {"width": 390, "height": 844}
SESSIONS = 30
WAIT_MS = 60_000


@dataclass(frozen=True)
class Cache:
    instance_id: int
    prefix: str

    @property
    def page(self) -> str:
        return f"/cache?service={SERVICE}&instance={self.instance_id}"

    def key(self, name: str) -> str:
        return self.prefix + name

    def b64(self, name: str) -> str:
        return base64.urlsafe_b64encode(self.key(name).encode()).rstrip(b"=").decode()


@pytest.fixture(scope="module")
def plain() -> Iterator[redis.Redis]:
    client = redis.Redis(host="127.0.0.1", port=6379, db=DB)
    yield client
    client.close()


@pytest.fixture(scope="module")
def prefix(plain: redis.Redis) -> Iterator[str]:
    chosen = f"e2e{uuid.uuid4().hex[:8]}:"
    yield chosen
    for key in plain.scan_iter(match=f"{chosen}*", count=1000):
        plain.unlink(key)


def _seed(plain: redis.Redis, prefix: str) -> None:
    order = {"id": 1, "status": "paid", "items": [{"sku": "tea", "qty": 2}]}
    plain.set(f"{prefix}order:1", json.dumps(order), ex=3600)
    plain.set(f"{prefix}order:2", json.dumps({"id": 2, "status": "unpaid"}))
    plain.hset(f"{prefix}cart:7", mapping={"sku-tea": "2", "sku-cup": "1"})
    plain.rpush(f"{prefix}recent:views", "tea", "cup", "pot")
    plain.sadd(f"{prefix}tags:tea", "green", "loose")
    plain.zadd(f"{prefix}rank:sales", {"tea": 40, "cup": 12})
    plain.xadd(f"{prefix}events:orders", {"order": "1", "state": "paid"})
    plain.set(f"{prefix}blob:\xff".encode("latin-1"), b"\x00\x01\xfe")
    for number in range(SESSIONS):
        plain.set(f"{prefix}session:{number:02d}", f"user-{number}", ex=7200)
    for number in range(5):
        plain.set(f"{prefix}temp:{number}", "x", ex=600)


def _grant(
    client: httpx.Client, username: str, password: str, server: LiveServer, *roles: str
) -> None:
    server.create_user(username, password)
    ids = {r["name"]: r["id"] for r in client.get("/api/v1/roles").json()["items"]}
    users = client.get("/api/v1/users", params={"q": username}).json()["items"]
    user_id = next(u["id"] for u in users if u["username"] == username)
    client.patch(
        f"/api/v1/users/{user_id}", json={"roles": [ids[role] for role in roles]}
    ).raise_for_status()


@pytest.fixture(scope="module")
def cache(server: LiveServer, plain: redis.Redis, prefix: str) -> Cache:
    """The storefront service with a writable Redis under this run's prefix, a writer of
    its cache (and nothing else's) and a reader."""
    _seed(plain, prefix)
    with admin_client(server) as client:
        client.post("/api/v1/services", json={"name": SERVICE, "team": "web"}).raise_for_status()
        created = client.post(
            f"/api/v1/services/{SERVICE}/redis",
            json={
                "name": "sessions",
                "url": f"redis://127.0.0.1:6379/{DB}",
                "key_prefix": prefix,
                "read_only": False,
            },
        )
        created.raise_for_status()
        instance_id = int(created.json()["id"])
        tested = client.post(f"/api/v1/services/{SERVICE}/redis/{instance_id}/test")
        assert tested.json()["ok"] is True, tested.text
        client.post(
            "/api/v1/roles",
            json={
                "name": "storefront-cache-writers",
                "grants": [
                    {
                        "module": "cache",
                        "action": "write",
                        "scope": "services",
                        "targets": [SERVICE],
                    }
                ],
            },
        ).raise_for_status()
        _grant(client, WRITER, WRITER_PASSWORD, server, "Viewer", "storefront-cache-writers")
        _grant(client, READER, READER_PASSWORD, server, "Viewer")
    return Cache(instance_id, prefix)


def key_row(page: Page, key: str) -> Locator:
    return page.get_by_test_id("key-row").filter(has_text=key)


async def search(page: Page, pattern: str) -> None:
    await page.get_by_test_id("key-pattern").fill(pattern)
    await page.get_by_test_id("key-search").click()


async def overlay_screenshot(page: Page, name: str) -> None:
    """A drawer or a dialog as the window shows it: the full-page helper stretches the
    page behind beyond the window, where the overlay (fixed to the window) does not go.
    Taken once the overlay's mask has faded in."""
    mask = page.locator(".ant-drawer-mask:visible, .ant-modal-mask:visible").first
    await expect(mask).to_have_css("opacity", "1")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), animations="disabled")


async def fits_the_window(page: Page) -> bool:
    return bool(
        await page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    )


async def test_browse_read_expire_delete_analyse_and_bulk_delete(
    page: Page, server: LiveServer, cache: Cache, plain: redis.Redis
) -> None:
    await page.set_viewport_size(WIDE)
    await log_in(page, server.url, WRITER, WRITER_PASSWORD)

    # From the service's page, as a person arrives.
    await page.goto(f"{server.url}/catalog/services/{SERVICE}")
    panel = page.get_by_test_id("service-cache")
    await expect(panel).to_contain_text("sessions")
    await panel.get_by_test_id(f"service-cache-{cache.instance_id}").click()
    await expect(page.get_by_test_id("instance-facts")).to_contain_text(cache.prefix)
    await expect(page.get_by_test_id("instance-mode")).to_have_text("standalone")

    # The orders by pattern: the prefix is added for the user.
    await search(page, "order:*")
    await expect(page.get_by_test_id("key-row")).to_have_count(2)
    await expect(page.get_by_test_id("scan-summary")).to_contain_text("the scan is complete")
    await expect(key_row(page, cache.key("order:2")).get_by_test_id("key-ttl")).to_have_text(
        "no expiry"
    )
    await screenshot(page, "cache-keys-1440")

    # A JSON string reads pretty, and its TTL counts down.
    await key_row(page, cache.key("order:1")).click()
    drawer = page.get_by_test_id("value-drawer")
    await expect(drawer.get_by_test_id("value-json")).to_contain_text('"status": "paid"')
    assert '\n  "id": 1,' in await drawer.get_by_test_id("value-json").inner_text()
    ttl = drawer.get_by_test_id("drawer-ttl")
    await expect(ttl).to_contain_text(" min ")
    shown = await ttl.inner_text()
    await expect(ttl).not_to_have_text(shown)
    await overlay_screenshot(page, "cache-drawer-json-1440")
    await drawer.get_by_role("button", name="Close").click()
    await expect(drawer).to_be_hidden()

    # A hash shows its fields.
    await search(page, "cart:*")
    await key_row(page, cache.key("cart:7")).click()
    fields = drawer.get_by_test_id("hash-field")
    await expect(fields).to_have_count(2)
    await expect(drawer.get_by_test_id("value-elements")).to_contain_text("sku-tea")
    await overlay_screenshot(page, "cache-drawer-hash-1440")
    await drawer.get_by_role("button", name="Close").click()

    # Every key, folded into folders; a folder searches its keys.
    await search(page, "")
    await page.get_by_test_id("key-tree-toggle").click()
    folder = page.locator("[data-testid=key-tree-folder][data-path='session:']")
    await expect(folder).to_contain_text(str(SESSIONS))
    await screenshot(page, "cache-tree-1440")
    await folder.click()
    await expect(page.get_by_test_id("key-pattern")).to_have_value("session:*")
    await page.get_by_test_id("key-tree-toggle").click()
    await expect(page.get_by_test_id("key-row")).to_have_count(SESSIONS)

    # A key deleted by its writer: asked first, then gone from the table and from Redis.
    await search(page, "order:*")
    await key_row(page, cache.key("order:2")).click()
    await expect(drawer.get_by_test_id("value-json")).to_contain_text('"unpaid"')
    await drawer.get_by_test_id("key-delete").click()
    await page.get_by_test_id("key-delete-confirm").click()
    await expect(drawer).to_be_hidden()
    await expect(page.get_by_test_id("key-row")).to_have_count(1)
    assert plain.exists(cache.key("order:2")) == 0

    # The analysis, with its charts.
    await page.get_by_test_id("cache-tab-analysis").click()
    await page.get_by_test_id("analysis-run").click()
    await expect(page.get_by_test_id("analysis-whole")).to_be_visible()
    for chart in ("chart-by-type", "chart-ttl", "chart-prefixes"):
        await expect(
            page.get_by_test_id(chart).locator("svg.recharts-surface").first
        ).to_be_visible()
    # Folders are named after the instance's prefix, which every one of them shares.
    prefixes = page.get_by_test_id("analysis-prefixes")
    await expect(prefixes.locator(f"[title='{cache.prefix}session:']")).to_have_text("session:")
    await screenshot(page, "cache-analysis-1440")

    # A bulk delete: the dry run counts, the confirm names the full pattern, the worker deletes.
    await page.get_by_test_id("cache-tab-bulk-delete").click()
    await page.get_by_test_id("bulk-pattern").fill("session:*")
    await page.get_by_test_id("bulk-dry-run").click()
    await expect(page.get_by_test_id("bulk-matched")).to_contain_text(f"{SESSIONS} keys match")
    await expect(page.get_by_test_id("bulk-sample").locator(".ant-list-item")).to_have_count(20)
    await page.get_by_test_id("bulk-delete").click()
    dialog = page.get_by_test_id("bulk-confirm")
    await expect(dialog.get_by_test_id("bulk-confirm-question")).to_have_text(
        f"Delete {SESSIONS} keys matching {cache.prefix}session:*?"
    )
    await expect(dialog.get_by_test_id("bulk-max-keys")).to_have_value(str(SESSIONS))
    await overlay_screenshot(page, "cache-bulk-dialog-1440")
    await page.get_by_test_id("bulk-start").click()
    progress = page.get_by_test_id("bulk-progress")
    await expect(progress.get_by_test_id("bulk-state")).to_have_text("done", timeout=WAIT_MS)
    await expect(progress.get_by_test_id("bulk-deleted")).to_contain_text(f"{SESSIONS} of at most")
    await expect(page.get_by_test_id("bulk-job-row")).to_have_count(1)
    assert not list(plain.scan_iter(match=f"{cache.prefix}session:*"))
    await screenshot(page, "cache-bulk-done-1440")

    # The same pages on a phone.
    await page.set_viewport_size(NARROW)
    await page.goto(f"{server.url}{cache.page}&pattern=*")
    await expect(page.get_by_test_id("key-row").first).to_be_visible()
    assert await fits_the_window(page)
    await screenshot(page, "cache-keys-390")
    await page.goto(f"{server.url}{cache.page}&key={cache.b64('order:1')}")
    await expect(drawer.get_by_test_id("value-json")).to_be_visible()
    await overlay_screenshot(page, "cache-drawer-json-390")
    await page.goto(f"{server.url}{cache.page}&tab=analysis")
    await page.get_by_test_id("analysis-run").click()
    await expect(page.get_by_test_id("analysis-report")).to_be_visible()
    assert await fits_the_window(page)
    await screenshot(page, "cache-analysis-390")
    await page.goto(f"{server.url}{cache.page}&tab=bulk-delete")
    await page.get_by_test_id("bulk-pattern").fill("temp:*")
    await page.get_by_test_id("bulk-dry-run").click()
    await expect(page.get_by_test_id("bulk-matched")).to_contain_text("5 keys match")
    await page.get_by_test_id("bulk-delete").click()
    await expect(page.get_by_test_id("bulk-confirm-question")).to_be_visible()
    await overlay_screenshot(page, "cache-bulk-dialog-390")
    await page.get_by_role("button", name="Cancel").click()
    assert plain.exists(cache.key("temp:0")) == 1  # asked first, kept


async def test_a_reader_sees_the_changes_disabled_and_is_refused(
    page: Page, server: LiveServer, cache: Cache
) -> None:
    await page.set_viewport_size(WIDE)
    await log_in(page, server.url, READER, READER_PASSWORD)
    await page.goto(f"{server.url}{cache.page}&key={cache.b64('cart:7')}")
    drawer = page.get_by_test_id("value-drawer")
    await expect(drawer.get_by_test_id("hash-field")).to_have_count(2)
    await expect(drawer.get_by_test_id("key-delete")).to_be_disabled()
    await expect(drawer.get_by_test_id("key-persist")).to_be_disabled()
    await drawer.get_by_test_id("key-delete-needs-write").hover()
    await expect(page.get_by_role("tooltip")).to_contain_text("write permission")
    await overlay_screenshot(page, "cache-drawer-reader-1440")

    await page.goto(f"{server.url}{cache.page}&tab=bulk-delete")
    await expect(page.get_by_test_id("bulk-not-allowed")).to_be_visible()

    with httpx.Client(base_url=server.url, timeout=20) as client:
        client.post(
            "/api/v1/auth/login", json={"username": READER, "password": READER_PASSWORD}
        ).raise_for_status()
        client.headers["X-CSRF-Token"] = client.cookies["gyrfalcon_csrf"]
        refused = client.delete(
            f"/api/v1/services/{SERVICE}/redis/{cache.instance_id}/keys/{cache.b64('cart:7')}"
        )
    assert refused.status_code == 403, refused.text


async def test_a_redis_that_does_not_answer_is_said_so(
    page: Page, server: LiveServer, cache: Cache
) -> None:
    with admin_client(server) as client:
        created = client.post(
            f"/api/v1/services/{SERVICE}/redis",
            json={"name": "gone", "host": "127.0.0.1", "port": free_port(), "read_only": False},
        )
        created.raise_for_status()
        down = int(created.json()["id"])
        assert client.post(f"/api/v1/services/{SERVICE}/redis/{down}/test").json()["ok"] is False
    await page.set_viewport_size(WIDE)
    await log_in(page, server.url, WRITER, WRITER_PASSWORD)
    await page.goto(f"{server.url}/cache?service={SERVICE}&instance={down}")
    await expect(page.get_by_test_id("instance-test-failed")).to_be_visible()
    failure = page.get_by_test_id("redis-down")
    await expect(failure).to_contain_text("Redis not answering")
    await expect(failure).to_contain_text(f"{SERVICE}/gone")
    await screenshot(page, "cache-redis-down-1440")
    # The picker lists both instances of the service; the working one still browses.
    await page.get_by_test_id("instance-picker").click()
    await page.get_by_test_id(f"instance-option-{SERVICE}-sessions").click()
    await expect(page.get_by_test_id("key-row").first).to_be_visible()


async def test_a_cached_protobuf_message_reads_with_an_uploaded_schema(
    page: Page, server: LiveServer, cache: Cache, plain: redis.Redis
) -> None:
    """The writer holds the Viewer role, which reads the messages module's schemas."""
    with admin_client(server) as client:
        client.post(
            "/api/v1/schemas", json={"service": SERVICE, "name": "shop", "files": shop_files()}
        ).raise_for_status()
    compiled = (await compiler.compile_files(shop_files(), timeout=30)).descriptor_set
    event = descriptors.message_class(compiled, "shop.OrderEvent")(kind=2, card_last4="4242")
    event.order.id = "ORD-9001"
    plain.set(cache.key("proto:order:9001"), event.SerializeToString(), ex=3600)

    await page.set_viewport_size(WIDE)
    await log_in(page, server.url, WRITER, WRITER_PASSWORD)
    await page.goto(f"{server.url}{cache.page}&key={cache.b64('proto:order:9001')}")
    drawer = page.get_by_test_id("value-drawer")
    await drawer.get_by_test_id("value-tab-protobuf").click()
    await drawer.get_by_test_id("protobuf-schema").click()
    await page.get_by_title("shop (v1)").click()
    await drawer.get_by_test_id("protobuf-type").click()
    await page.get_by_title("shop.OrderEvent", exact=True).click()
    await drawer.get_by_test_id("protobuf-run").click()
    decoded = drawer.get_by_test_id("protobuf-decoded")
    await expect(decoded).to_contain_text('"id": "ORD-9001"')
    await expect(decoded).to_contain_text('"kind": "PAID"')
    await overlay_screenshot(page, "cache-drawer-protobuf-1440")
