"""Data for browser tests that need a populated install, made through the API the way an
operator would: a service with a SQLite datasource that tests OK, a Redis that fails its
test, and a monitor that alerts."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx

from tests.support.live_server import LiveServer
from tests.support.receivers import free_port


@contextlib.contextmanager
def admin_client(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=20) as client:
        log_in(client, server)
        yield client


def log_in(client: httpx.Client, server: LiveServer) -> None:
    client.post(
        "/api/v1/auth/login",
        json={"username": server.admin_username, "password": server.admin_password},
    ).raise_for_status()
    client.headers["X-CSRF-Token"] = client.cookies["gyrfalcon_csrf"]


def seed_shop(server: LiveServer, database: Path) -> None:
    with sqlite3.connect(database) as conn:
        conn.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, status TEXT)")
        conn.executemany("INSERT INTO orders (status) VALUES (?)", [("paid",), ("unpaid",)])
    with admin_client(server) as client:
        client.post(
            "/api/v1/services", json={"name": "shop", "display_name": "Shop", "team": "retail"}
        ).raise_for_status()
        main = client.post(
            "/api/v1/services/shop/datasources",
            json={"name": "main", "dialect": "sqlite", "database": str(database)},
        )
        main.raise_for_status()
        tested = client.post(f"/api/v1/services/shop/datasources/{main.json()['id']}/test")
        assert tested.json()["ok"] is True
        cache = client.post(
            "/api/v1/services/shop/redis",
            json={"name": "cache", "host": "127.0.0.1", "port": free_port()},
        )
        cache.raise_for_status()
        assert (
            client.post(f"/api/v1/services/shop/redis/{cache.json()['id']}/test").json()["ok"]
            is False
        )
        monitor = client.post(
            "/api/v1/monitors",
            json={
                "service": "shop",
                "name": "unpaid-orders",
                "type": "sql",
                "datasource": "main",
                "query": "SELECT count(*) FROM orders WHERE status = 'unpaid'",
                "schedule": {"every_seconds": 3600},
                "severity": "critical",
                "condition": {"value": "first_cell", "operator": ">", "threshold": 0},
            },
        )
        monitor.raise_for_status()
        run = client.post(f"/api/v1/monitors/{monitor.json()['id']}/run")
        run.raise_for_status()
        assert client.get(f"/api/v1/monitors/{monitor.json()['id']}").json()["state"] == (
            "ALERTING"
        )
