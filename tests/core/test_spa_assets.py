"""The built UI: hashed assets cached for a year and sent precompressed when the
browser accepts it, index.html revalidated on every visit."""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from gyrfalcon.app import create_app
from gyrfalcon.core.settings import Settings
from gyrfalcon.core.spa import accepted_encodings
from tests.conftest import ON_SQLITE_ONLY

pytestmark = ON_SQLITE_ONLY

SCRIPT = b"console.log('gyrfalcon');" * 100
BROTLI = b"stands in for the build's brotli file"  # served as stored, never decoded here


@pytest.fixture
async def ui(migrated: Settings, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    assets = tmp_path / "assets"
    assets.mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>Gyrfalcon</title>")
    (assets / "index-abc123.js").write_bytes(SCRIPT)
    (assets / "index-abc123.js.br").write_bytes(BROTLI)
    (assets / "index-abc123.js.gz").write_bytes(gzip.compress(SCRIPT, mtime=0))
    (assets / "tiny-def456.css").write_text("b{}")
    app = create_app(migrated.model_copy(update={"ui_dir": tmp_path}), run_services=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client
    await app.state.database.dispose()


@pytest.mark.parametrize(
    ("accept", "coding"),
    [("gzip, deflate, br", "br"), ("gzip", "gzip"), ("br;q=0, gzip", "gzip"), ("identity", None)],
)
async def test_assets_are_immutable_and_precompressed(
    ui: httpx.AsyncClient, accept: str, coding: str | None
) -> None:
    async with ui.stream(
        "GET", "/assets/index-abc123.js", headers={"Accept-Encoding": accept}
    ) as response:
        sent = b"".join([chunk async for chunk in response.aiter_raw()])
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["vary"] == "Accept-Encoding"
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers.get("content-encoding") == coding
    assert sent == {"br": BROTLI, "gzip": gzip.compress(SCRIPT, mtime=0), None: SCRIPT}[coding]


async def test_small_assets_go_plain_and_index_is_revalidated(ui: httpx.AsyncClient) -> None:
    tiny = await ui.get("/assets/tiny-def456.css", headers={"Accept-Encoding": "br, gzip"})
    assert tiny.status_code == 200 and "content-encoding" not in tiny.headers
    assert tiny.headers["cache-control"].endswith("immutable")
    assert (await ui.get("/assets/missing.js")).status_code == 404
    for page in ("/", "/monitors/3"):
        index = await ui.get(page)
        assert index.headers["cache-control"] == "no-cache"
        assert "<title>Gyrfalcon</title>" in index.text


def test_accept_encoding_parsing() -> None:
    assert accepted_encodings("gzip;q=0.5, br;q=1.0") == {"gzip", "br"}
    assert accepted_encodings("br;q=0, gzip;q=0.0") == set()
    assert accepted_encodings("") == set()
    assert accepted_encodings("BR") == {"br"}
