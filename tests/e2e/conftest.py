"""Browser-test fixtures: a live server, a password-checking PostgreSQL, and headless
Debian Chromium driven by Playwright. Screenshots go to test-output/screenshots/."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from tests.support.live_server import LiveServer, live_server
from tests.support.postgres_cluster import PasswordPostgres, password_postgres

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("e2e-data")) as running:
        yield running


@pytest.fixture(scope="session")
def postgres_with_password() -> Iterator[PasswordPostgres]:
    with password_postgres() as cluster:
        yield cluster


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        await launched.close()


@pytest.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    opened = await context.new_page()
    yield opened
    await context.close()


async def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # Finished transitions: a screenshot right after a resize shows the settled layout.
    await page.screenshot(
        path=str(SCREENSHOTS / f"{name}.png"), full_page=True, animations="disabled"
    )


async def log_in(page: Page, url: str, username: str, password: str) -> None:
    """Through the login form, as a person does, until the home page shows."""
    await page.goto(url)
    await page.get_by_label("Username").fill(username)
    await page.get_by_label("Password").fill(password)
    await page.get_by_test_id("login-submit").click()
    await expect(page.get_by_test_id("home-page")).to_be_visible()
