"""The sample services' debug endpoints, run as the demo runs them: processes started
from ShopPart's children (token and peers included) by the demo's own supervisor, on
SQLite files and the machine's Redis, answering traces in the published schema. The
orders checkout must show what the demo is there to show: one slow hop (inventory) and
one failing hop (billing), beside a database that is fine."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from jsonschema import Draft202012Validator

from gyrfalcon.connectors.redis import RedisConfig
from gyrfalcon.demo.base import DemoEnvironment, PortBook
from gyrfalcon.demo.console import Console
from gyrfalcon.demo.parts.debug import DebugPart, debug_token
from gyrfalcon.demo.parts.shop import ShopPart
from gyrfalcon.demo.sample_service import (
    CHECKOUT_PATH,
    DEBUG_TOKEN_VARIABLE,
    DEPENDENCIES_PATH,
    RECOUNT_SECONDS,
)
from gyrfalcon.demo.samples import SAMPLES
from gyrfalcon.demo.supervisor import Supervisor
from gyrfalcon.probe import SCHEMA
from tests.support.demo_run import demo_settings
from tests.support.live_server import live_server

REDIS_URL = "redis://127.0.0.1:6379/11"
STARTED = ("orders", "inventory", "billing")
"""Orders and the two services its checkout calls."""
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)


@dataclass
class Shop:
    demo: DemoEnvironment
    token: str

    def url(self, service: str, path: str) -> str:
        return f"http://127.0.0.1:{self.demo.ports.port(service)}{path}"

    def get(self, service: str, path: str, **params: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}"}
        return httpx.get(self.url(service, path), params=params, headers=headers, timeout=30)


def _demo(folder: Path) -> DemoEnvironment:
    folder.mkdir(parents=True, exist_ok=True)
    first_port = int(demo_settings(folder)["GYRFALCON_DEMO_FIRST_PORT"])
    return DemoEnvironment(
        folder=folder,
        cycle_seconds=3600,
        ports=PortBook(first_port),
        postgres=None,
        redis=RedisConfig(name="demo", url=REDIS_URL),
    )


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shop]:
    demo = _demo(tmp_path_factory.mktemp("debug") / "demo")
    children = [c for c in ShopPart().children(demo) if c.name in STARTED]
    supervisor = Supervisor(demo.folder, threading.Event())
    plain = {k: v for k, v in os.environ.items() if not k.startswith("GYRFALCON_")}
    try:
        started = [(child, supervisor.start_child(child, plain)) for child in children]
        for child, running in started:
            health = f"http://127.0.0.1:{child.ready_port}/health"
            supervisor.wait_ready(running, health, seconds=60)
        yield Shop(demo, debug_token(demo))
    finally:
        supervisor.stop_all()
        redis.Redis.from_url(REDIS_URL).flushdb()


def _trace(answer: httpx.Response) -> dict[str, Any]:
    """The answer's trace, once it is a 200 that the schema accepts."""
    assert answer.status_code == 200, answer.text
    trace: dict[str, Any] = answer.json()
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(trace)]
    assert errors == []
    return trace


def _spans(trace: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every span of the trace by name, nested ones included."""
    found, pending = {}, list(trace["spans"])
    while pending:
        span = pending.pop()
        found[span["name"]] = span
        pending.extend(span.get("children", []))
    return found


def test_the_checkout_shows_a_slow_hop_and_a_failing_one(shop: Shop) -> None:
    trace = _trace(shop.get("orders", CHECKOUT_PATH, order_id=1, include_payment="true"))
    spans = _spans(trace)
    (checkout,) = trace["spans"]
    assert checkout["name"] == "checkout"
    assert {child["name"] for child in checkout["children"]} == {
        "orders database",
        "orders cache",
        "inventory stock",
        "billing payments",
    }
    database = spans["orders database"]
    assert (database["kind"], database["status"]) == ("db", "ok")
    assert database["attributes"]["order_id"] == 1
    assert spans["orders cache"]["status"] == "ok"
    inventory, billing = spans["inventory stock"], spans["billing payments"]
    assert (inventory["kind"], inventory["status"]) == ("http", "ok")
    assert inventory["duration_ms"] >= RECOUNT_SECONDS * 1000
    assert (billing["status"], billing["error"]) == ("error", "HTTP 503")
    assert trace["status"] == "error"
    assert trace["result"]["order"]["id"] == 1
    assert trace["result"]["billing payments"] == "error: HTTP 503"


def test_a_checkout_without_payment_leaves_billing_out(shop: Shop) -> None:
    trace = _trace(shop.get("orders", CHECKOUT_PATH, order_id=2, include_payment="false"))
    assert "billing payments" not in _spans(trace)
    assert trace["status"] == "ok"


def test_a_missing_order_fails_at_the_database(shop: Shop) -> None:
    trace = _trace(shop.get("orders", CHECKOUT_PATH, order_id=10**9))
    database = _spans(trace)["orders database"]
    assert (database["status"], database["error"]) == ("error", f"there is no order {10**9}")
    assert "inventory stock" not in _spans(trace)
    assert trace["status"] == "error"


@pytest.mark.parametrize("service", STARTED)
def test_every_service_checks_its_database_and_redis(shop: Shop, service: str) -> None:
    spans = _spans(_trace(shop.get(service, DEPENDENCIES_PATH)))
    database, cache = spans[f"{service} database"], spans[f"{service} cache"]
    assert (database["kind"], database["status"]) == ("db", "ok")
    assert f"FROM {SAMPLES[service].table.name}" in database["attributes"]["sql"]
    assert (cache["kind"], cache["status"]) == ("cache", "ok")
    assert cache["attributes"]["key"] == f"{service}:status"


@pytest.mark.parametrize("authorization", [None, "Bearer not-the-token", "Basic eDp5"])
def test_without_the_token_a_debug_endpoint_answers_401(
    shop: Shop, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    for service, path in (("orders", CHECKOUT_PATH), ("billing", DEPENDENCIES_PATH)):
        answer = httpx.get(shop.url(service, path), params={"order_id": 1}, headers=headers)
        assert answer.status_code == 401, answer.text
        assert "Bearer" in answer.headers["www-authenticate"]


def test_health_and_the_plain_routes_need_no_token(shop: Shop) -> None:
    assert httpx.get(shop.url("orders", "/health")).json()["status"] == "ok"
    payment = httpx.get(shop.url("billing", "/payments/authorize"))
    assert (payment.status_code, payment.json()) == (503, {"error": "the payment gateway is down"})
    assert httpx.get(shop.url("inventory", "/stock"), timeout=30).status_code == 200
    assert httpx.get(shop.url("inventory", "/nothing-here")).status_code == 404


def test_the_token_goes_in_the_environment_and_the_peers_in_the_arguments(
    tmp_path: Path,
) -> None:
    demo = _demo(tmp_path / "demo")
    children = {child.name: child for child in ShopPart().children(demo)}
    token = debug_token(demo)
    assert all(child.env[DEBUG_TOKEN_VARIABLE] == token for child in children.values())
    assert not any(token in " ".join(child.args) for child in children.values())
    ports = {name: demo.ports.port(name) for name in SAMPLES}
    assert {f"--peer=inventory={ports['inventory']}", f"--peer=billing={ports['billing']}"} <= set(
        children["orders"].args
    )
    # Kept for the next run, readable by its owner only.
    assert ShopPart().children(demo)[0].env[DEBUG_TOKEN_VARIABLE] == token
    assert (tmp_path / "demo" / "debug-token.txt").stat().st_mode & 0o077 == 0


def test_orders_refuses_to_start_without_its_peers() -> None:
    result = subprocess.run(
        [
            *(sys.executable, "-m", "gyrfalcon.demo.sample_service"),
            *("--sample", "orders", "--port", "9", "--peer", "inventory=9"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "orders calls billing" in result.stderr


def _endpoints(console: Console) -> dict[str, list[dict[str, Any]]]:
    return {name: console.items(f"/services/{name}/debug-endpoints") for name in SAMPLES}


def test_the_part_registers_the_endpoints_once_with_the_token(tmp_path: Path) -> None:
    demo = _demo(tmp_path / "demo")
    with live_server(tmp_path) as server:
        console = Console(server.url)
        try:
            assert console.log_in(server.admin_username, server.admin_password)
            for name in SAMPLES:
                base_url = f"http://127.0.0.1:{demo.ports.port(name)}"
                console.call("POST", "/services", {"name": name, "team": "t", "base_url": base_url})
            (line,) = DebugPart().register(console, demo)
            first = _endpoints(console)
            DebugPart().register(console, demo)
            # A second run changes nothing: the token was kept, so it is not sent again.
            assert _endpoints(console) == first
        finally:
            console.close()
    assert "orders/checkout is slow at inventory and fails at billing's payments" in line
    assert {n: sorted(e["name"] for e in found) for n, found in first.items()} == {
        "orders": ["checkout", "dependencies"],
        "inventory": ["dependencies"],
        "billing": ["dependencies"],
        "campaigns": ["dependencies"],
    }
    for endpoint in (e for found in first.values() for e in found):
        assert (endpoint["auth"], endpoint["secret_set"]) == ("token", True)
        assert (endpoint["method"], endpoint["timeout_seconds"]) == ("GET", 10)
    (checkout,) = [e for e in first["orders"] if e["name"] == "checkout"]
    parameters = Draft202012Validator(checkout["parameters"])
    assert parameters.is_valid({"order_id": 7, "include_payment": False})
    assert not parameters.is_valid({"order_id": 0})
    assert not parameters.is_valid({"include_payment": True})
    assert checkout["parameters"]["properties"]["order_id"]["description"]
