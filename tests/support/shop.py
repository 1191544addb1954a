"""The "shop" service of the monitor and notification tests: an SQLite file with an
``orders`` table (two unpaid orders) as its datasource "main"."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest


@pytest.fixture
def shop_db(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "shop.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, status TEXT, amount REAL)")
        conn.executemany(
            "INSERT INTO orders (status, amount) VALUES (?, ?)",
            [("paid", 10.0), ("unpaid", 25.5), ("unpaid", 4.5), ("paid", 7.0)],
        )
    yield path


@pytest.fixture
async def shop(admin: httpx.AsyncClient, shop_db: Path) -> str:
    created = await admin.post(
        "/api/v1/services",
        json={"name": "shop", "team": "payments", "base_url": "http://127.0.0.1:9"},
    )
    assert created.status_code == 201, created.text
    datasource = await admin.post(
        "/api/v1/services/shop/datasources",
        json={"name": "main", "dialect": "sqlite", "database": str(shop_db)},
    )
    assert datasource.status_code == 201, datasource.text
    return "shop"
