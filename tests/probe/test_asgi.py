"""The probe over ASGI, served by a real uvicorn: alone, and mounted in a FastAPI app
beside its own routes, at the root and at a prefix."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from gyrfalcon import probe
from tests.probe.sample_probe import SECRET, TOKEN, make_probe
from tests.probe.servers import uvicorn_serving
from tests.probe.validation import by_name, valid_trace

AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with uvicorn_serving(make_probe().asgi()) as url:
        yield url


@pytest.fixture(scope="module")
def fastapi_url() -> Iterator[str]:
    app = FastAPI()

    @app.get("/orders/{number}")
    def read_order(number: int) -> dict[str, Any]:
        return {"order": number}

    debug = make_probe()
    app.mount("/internal", debug.asgi())
    app.mount("/", debug.asgi())  # last: it answers every path the app's routes do not
    with uvicorn_serving(app) as url:
        yield url


def _trace(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.headers["cache-control"] == "no-store"
    return valid_trace(response.json())


def test_a_sync_handler_runs_in_a_thread_with_its_query_parameters(base_url: str) -> None:
    response = httpx.get(f"{base_url}/debug/echo?order=7&tag=a&tag=b&empty=", headers=AUTH)
    trace = _trace(response)
    assert (trace["service"], trace["endpoint"], trace["status"]) == (
        "orders",
        "/debug/echo",
        "ok",
    )
    result = trace["result"]
    assert result["params"] == {"order": "7", "tag": ["a", "b"], "empty": ""}
    assert result["in_event_loop"] is False
    assert result["inventory"] == "in stock"
    spans = by_name(trace)
    assert spans["lookup"]["attributes"] == {"keys": 3}
    assert spans["inventory"]["kind"] == "rpc"
    deleted = _trace(httpx.delete(f"{base_url}/debug/echo?x=1", headers=AUTH))
    assert deleted["result"]["params"] == {"x": "1"}


def test_an_async_handler_takes_the_json_body(base_url: str) -> None:
    response = httpx.post(f"{base_url}/debug/order", json={"order": 7}, headers=AUTH)
    trace = _trace(response)
    assert trace["result"] == {"params": {"order": 7}, "price": 42}
    assert [span["name"] for span in trace["spans"]] == ["load order", "pricing"]
    empty = _trace(httpx.put(f"{base_url}/debug/order", headers=AUTH))
    assert empty["result"]["params"] == {}


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b"[1, 2]", "the body must be a JSON object, not an array"),
        (b"{not json", "the body must be a JSON object; it is not JSON"),
        (b'"text"', "the body must be a JSON object, not a string"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_a_400(base_url: str, body: bytes, error: str) -> None:
    response = httpx.post(f"{base_url}/debug/order", content=body, headers=AUTH)
    assert response.status_code == 400
    assert response.json() == {"error": error}


def test_a_failing_handler_still_answers_200_with_the_failure_in_the_trace(base_url: str) -> None:
    trace = _trace(httpx.get(f"{base_url}/debug/fails", headers=AUTH))
    assert (trace["status"], trace["error"]) == ("error", "LookupError: order 7 does not exist")
    assert trace["spans"][0]["status"] == "ok"
    assert "result" not in trace


def test_unknown_paths_wrong_methods_and_missing_credentials(base_url: str) -> None:
    unknown = httpx.get(f"{base_url}/debug/nothing", headers=AUTH)
    assert (unknown.status_code, unknown.json()) == (
        404,
        {"error": "no debug endpoint at /debug/nothing"},
    )
    wrong_method = httpx.post(f"{base_url}/debug/echo", headers=AUTH)
    assert wrong_method.status_code == 405
    assert wrong_method.headers["allow"] == "DELETE, GET"
    refused = httpx.get(f"{base_url}/debug/echo")
    assert refused.status_code == 401
    assert httpx.post(f"{base_url}/debug/nothing").status_code == 401
    assert refused.json()["error"].startswith("missing credentials")
    assert "Bearer" in refused.headers["www-authenticate"]
    wrong = httpx.get(f"{base_url}/debug/echo", headers={"Authorization": "Bearer x"})
    assert wrong.json() == {"error": "the bearer token is not valid"}
    assert TOKEN not in wrong.text and SECRET not in wrong.text


def test_a_signed_request_over_http(base_url: str) -> None:
    body = json.dumps({"order": 9}).encode()
    now = int(time.time())
    signed = probe.sign(SECRET, "POST", "/debug/order?source=platform", body, now)
    response = httpx.post(f"{base_url}/debug/order?source=platform", content=body, headers=signed)
    assert _trace(response)["result"]["params"] == {"order": 9}
    tampered = httpx.post(
        f"{base_url}/debug/order?source=platform", content=b'{"order": 10}', headers=signed
    )
    assert tampered.status_code == 401
    assert "does not match" in tampered.json()["error"]


def test_mounted_in_fastapi_beside_its_routes_at_the_root_and_at_a_prefix(
    fastapi_url: str,
) -> None:
    assert httpx.get(f"{fastapi_url}/orders/3").json() == {"order": 3}
    at_root = _trace(httpx.get(f"{fastapi_url}/debug/echo?x=1", headers=AUTH))
    assert at_root["endpoint"] == "/debug/echo"
    at_prefix = _trace(httpx.get(f"{fastapi_url}/internal/debug/echo?x=2", headers=AUTH))
    assert (at_prefix["endpoint"], at_prefix["result"]["params"]) == (
        "/internal/debug/echo",
        {"x": "2"},
    )
    # What is signed is the path as sent, prefix included.
    body = b'{"order": 1}'
    now = int(time.time())
    signed = probe.sign(SECRET, "POST", "/internal/debug/order", body, now)
    response = httpx.post(f"{fastapi_url}/internal/debug/order", content=body, headers=signed)
    assert _trace(response)["endpoint"] == "/internal/debug/order"
    # Nobody unauthenticated learns which endpoints exist: a 401 before any 404.
    assert httpx.get(f"{fastapi_url}/no/such/page").status_code == 401
    missing = httpx.get(f"{fastapi_url}/no/such/page", headers=AUTH)
    assert (missing.status_code, missing.json()) == (
        404,
        {"error": "no debug endpoint at /no/such/page"},
    )


def test_an_oversized_body_is_refused(base_url: str) -> None:
    response = httpx.post(f"{base_url}/debug/order", content=b" " * 1_000_001, headers=AUTH)
    assert response.status_code == 413
