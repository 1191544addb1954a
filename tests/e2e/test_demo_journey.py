"""`make run`'s demo in headless Chromium, on a machine without PostgreSQL and Redis for
it: the demo still starts (SQLite files, no cache) and says so, and each demo user who
logs in finds the alerting campaigns monitor on the home page; the engineer sees only
the one service they may see."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from tests.e2e.conftest import screenshot
from tests.support.demo_run import demo_settings, running_demo
from tests.support.receivers import free_port

pytestmark = pytest.mark.e2e


async def _log_in(page: Page, url: str, username: str, password: str) -> None:
    await page.goto(url + "/login")
    await page.get_by_label("Username").fill(username)
    await page.get_by_label("Password").fill(password)
    await page.get_by_test_id("login-submit").click()


async def test_each_demo_user_finds_the_alerting_monitor_at_home(
    browser: Browser, tmp_path: Path
) -> None:
    nothing_there = {
        **demo_settings(tmp_path),
        "GYRFALCON_DEMO_POSTGRES_URL": f"postgresql://postgres@127.0.0.1:{free_port()}/postgres",
        "GYRFALCON_DEMO_REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
    }
    with running_demo(tmp_path, nothing_there) as demo:
        assert "No PostgreSQL at" in demo.output and "SQLite files in" in demo.output
        assert "No Redis at" in demo.output
        for (username, password), sees_others in ((demo.admin(), True), (demo.engineer(), False)):
            context = await browser.new_context(viewport={"width": 1440, "height": 900})
            page = await context.new_page()
            await _log_in(page, demo.url, username, password)
            monitors = page.get_by_test_id("tile-monitors.attention")
            await expect(monitors.get_by_text("campaigns-over-budget")).to_be_visible()
            others = monitors.get_by_text("negative-stock")
            if sees_others:
                await expect(others).to_be_visible()
            else:
                await expect(others).to_have_count(0)
            await expect(page.get_by_test_id("nav-badge-monitors")).to_have_text(
                "4" if sees_others else "1"
            )
            await screenshot(page, f"demo-home-{username}-1440")
            await page.set_viewport_size({"width": 820, "height": 1000})
            await screenshot(page, f"demo-home-{username}-820")
            await context.close()
        assert demo.stop(signal.SIGINT) == 0
