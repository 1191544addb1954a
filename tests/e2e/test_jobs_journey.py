"""An engineer finds a dead job by its error in headless Chromium, retries it, and sees it
run on a real Sidekiq worker (Debian's ruby-sidekiq); a reader sees the same page with
the actions disabled (issue 11)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import httpx
import pytest
import redis
from playwright.async_api import Page, expect

from tests.e2e.conftest import log_in, screenshot
from tests.e2e.seed import admin_client
from tests.jobs import sidekiq_worker
from tests.jobs.sidekiq_worker import SidekiqWorker
from tests.jobs.workers import emptied_database
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.e2e

DB = 12
READER, READER_PASSWORD = "job-reader", "patient-heron-four"
WAIT_MS = 60_000


@pytest.fixture(scope="module")
def worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SidekiqWorker]:
    with emptied_database(DB):
        started = sidekiq_worker.start(DB, tmp_path_factory.mktemp("e2e-sidekiq") / "sidekiq.log")
        yield started
        started.stop()


@pytest.fixture(scope="module")
def backend_id(server: LiveServer, worker: SidekiqWorker) -> int:
    """The admin registers the settlements service's Sidekiq; two charges die, card declined."""
    plain = redis.Redis(host="127.0.0.1", port=6379, db=DB)
    plain.set("broken", "1")
    worker.push("ChargeCard", 41)
    worker.push("ChargeCard", 42)
    with admin_client(server) as client:
        client.post("/api/v1/services", json={"name": "settlements", "team": "commerce"})
        created = client.post(
            "/api/v1/services/settlements/job-backends",
            json={"name": "sidekiq", "type": "sidekiq", "db": DB},
        )
        created.raise_for_status()
        while plain.zcard("dead") < 2:  # the worker's pace: Sidekiq moves them in a moment
            time.sleep(0.1)
    plain.close()
    return int(created.json()["id"])


async def test_find_a_dead_job_by_its_error_retry_it_and_see_it_run(
    page: Page, server: LiveServer, backend_id: int
) -> None:
    await page.set_viewport_size({"width": 1440, "height": 900})
    await log_in(page, server.url, server.admin_username, server.admin_password)
    await page.goto(f"{server.url}/catalog/services/settlements")
    await expect(page.get_by_test_id("service-jobs")).to_be_visible()
    await page.get_by_test_id(f"jobs-backend-{backend_id}").click()
    await expect(page.get_by_test_id("job-backend-page")).to_be_visible()
    await expect(page.get_by_test_id("job-view-dead")).to_have_text("Dead (2)")

    await page.get_by_test_id("jobs-filter-q").fill("ORDER 42")
    await page.get_by_test_id("jobs-filter-apply").click()
    rows = page.get_by_test_id("job-row")
    await expect(rows).to_have_count(1)
    await expect(rows.first.get_by_test_id("job-row-error")).to_have_text(
        "ArgumentError: card declined for order 42"
    )
    await screenshot(page, "70-jobs-dead-filtered")
    await rows.first.click()
    drawer = page.get_by_test_id("job-drawer")
    await expect(drawer.get_by_test_id("job-args")).to_have_text(re.compile(r"\[\s*42\s*\]"))
    await expect(drawer.get_by_test_id("job-backtrace")).to_contain_text("jobs.rb")
    await screenshot(page, "71-jobs-dead-job")

    redis.Redis(host="127.0.0.1", port=6379, db=DB).delete("broken")
    await drawer.get_by_test_id("job-action-retry").click()
    await expect(page.get_by_text("Retried: ChargeCard waits on queue billing")).to_be_visible()
    done = redis.Redis(host="127.0.0.1", port=6379, db=DB)
    await expect(page.get_by_test_id("job-view-dead")).to_have_text("Dead (1)")
    while b"ChargeCard:42" not in done.lrange("done", 0, -1):  # the retried job runs
        await page.wait_for_timeout(100)

    await page.get_by_test_id("job-view-worker-pools").click()
    await expect(
        page.get_by_test_id("worker-pools").locator(".ant-table-row").first
    ).to_contain_text("billing")
    await screenshot(page, "72-jobs-worker-pools")
    await page.goto(f"{server.url}/jobs")
    await expect(page.get_by_test_id("jobs-dead-settlements")).to_have_text("1", timeout=WAIT_MS)
    await screenshot(page, "73-jobs-overview")
    await page.set_viewport_size({"width": 420, "height": 900})
    await page.goto(f"{server.url}/jobs/settlements/{backend_id}?view=dead")
    await expect(page.get_by_test_id("job-row")).to_have_count(1)
    await screenshot(page, "74-jobs-dead-narrow")

    await page.get_by_test_id("job-row").first.click()
    await page.get_by_test_id("job-action-delete").click()
    await expect(page.get_by_text("The job is gone for good")).to_be_visible()
    await page.get_by_role("button", name="Cancel").click()
    await page.get_by_test_id("job-drawer").get_by_role("button", name="Close").click()
    await expect(page.get_by_test_id("job-row")).to_have_count(1)  # asked first, kept


async def test_a_reader_sees_the_actions_disabled(
    page: Page, server: LiveServer, backend_id: int
) -> None:
    server.create_user(READER, READER_PASSWORD)
    with admin_client(server) as client:
        roles = {r["name"]: r["id"] for r in client.get("/api/v1/roles").json()["items"]}
        users = client.get("/api/v1/users", params={"q": READER}).json()["items"]
        reader_id = next(u["id"] for u in users if u["username"] == READER)
        client.patch(f"/api/v1/users/{reader_id}", json={"roles": [roles["Viewer"]]})
    await log_in(page, server.url, READER, READER_PASSWORD)
    await page.goto(f"{server.url}/jobs/settlements/{backend_id}?view=dead")
    await page.get_by_test_id("job-row").first.click()
    retry = page.get_by_test_id("job-action-retry")
    await expect(retry).to_be_disabled()
    await expect(page.get_by_test_id("jobs-bulk-delete")).to_be_disabled()
    with httpx.Client(base_url=server.url) as anonymous:
        assert (
            anonymous.get(f"/api/v1/services/settlements/jobs/{backend_id}/dead").status_code == 401
        )
