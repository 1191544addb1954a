"""An engineer opens a service's Celery backend in headless Chromium: the real Celery
worker answering the control API, a failed task found in Dead by its error and retried
under a new id, which then succeeds; Celery's missing Retry view says why (issue 11)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator

import pytest
import redis
from celery import Celery
from playwright.async_api import Page, expect

from tests.e2e.conftest import log_in, screenshot
from tests.e2e.seed import admin_client
from tests.jobs import celery_worker
from tests.jobs.celery_worker import CeleryWorker
from tests.jobs.workers import emptied_database
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.e2e

DB = 4
URL = f"redis://127.0.0.1:6379/{DB}"
WAIT_MS = 60_000


@pytest.fixture(scope="module")
def worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CeleryWorker]:
    with emptied_database(DB):
        started = celery_worker.start(DB, tmp_path_factory.mktemp("e2e-celery") / "celery.log")
        yield started
        started.stop()


@pytest.fixture(scope="module")
def backend_id(server: LiveServer, worker: CeleryWorker) -> int:
    """The admin registers the refunds service's Celery; one refund charge fails."""
    plain = redis.Redis.from_url(URL)
    plain.set("broken", "1")
    sender = Celery("e2e-sender", broker=URL, backend=URL)
    sent = sender.send_task("billing.charge", args=[77])
    with admin_client(server) as client:
        client.post("/api/v1/services", json={"name": "refunds", "team": "commerce"})
        created = client.post(
            "/api/v1/services/refunds/job-backends",
            json={"name": "celery", "type": "celery", "db": DB},
        )
        created.raise_for_status()
        key = f"celery-task-meta-{sent.id}"
        while b"FAILURE" not in (plain.get(key) or b""):  # the worker's pace
            time.sleep(0.1)
    plain.delete("broken")
    plain.close()
    return int(created.json()["id"])


async def test_a_failed_celery_task_is_retried_under_a_new_id_and_succeeds(
    page: Page, server: LiveServer, backend_id: int, worker: CeleryWorker
) -> None:
    await page.set_viewport_size({"width": 1440, "height": 900})
    await log_in(page, server.url, server.admin_username, server.admin_password)

    await page.goto(f"{server.url}/jobs/refunds/{backend_id}?view=worker-pools")
    pools = page.get_by_test_id("worker-pools")
    await expect(pools).to_contain_text(worker.hostname, timeout=WAIT_MS)
    await screenshot(page, "75-jobs-celery-workers")

    await page.get_by_test_id("job-view-retry").click()
    await expect(page.get_by_test_id("view-not-kept")).to_contain_text("countdown")

    await page.get_by_test_id("job-view-dead").click()
    await page.get_by_test_id("jobs-filter-q").fill("order 77")
    await page.get_by_test_id("jobs-filter-apply").click()
    rows = page.get_by_test_id("job-row")
    await expect(rows).to_have_count(1)
    await expect(rows.first.get_by_test_id("job-row-error")).to_contain_text(
        "card declined for order 77"
    )
    await rows.first.click()
    drawer = page.get_by_test_id("job-drawer")
    await expect(drawer.get_by_test_id("job-args")).to_have_text(re.compile(r"\[\s*77\s*\]"))
    await screenshot(page, "76-jobs-celery-dead")
    await drawer.get_by_test_id("job-action-retry").click()
    retried = page.get_by_text(
        re.compile(r"Retried: billing\.charge, now job \S+, waits on queue celery")
    )
    await expect(retried).to_be_visible()
    found = re.search(r"now job (\S+), waits", await retried.inner_text())
    assert found, "the page names the retried task's new id"
    new_id = found.group(1)

    plain = redis.Redis.from_url(URL)
    while b"SUCCESS" not in (plain.get(f"celery-task-meta-{new_id}") or b""):
        await page.wait_for_timeout(100)
    assert json.loads(plain.get(f"celery-task-meta-{new_id}") or b"{}")["args"] == [77]
    plain.close()
    await expect(page.get_by_test_id("job-view-dead")).to_have_text("Dead (0)")
    await page.set_viewport_size({"width": 420, "height": 900})
    await page.goto(f"{server.url}/jobs/refunds/{backend_id}?view=worker-pools")
    await expect(page.get_by_test_id("worker-pools")).to_contain_text(worker.hostname)
    await screenshot(page, "77-jobs-celery-narrow")
