"""The probe over WSGI, served by a real WSGI server (wsgiref, a thread per request):
alone, in front of another WSGI app, and wrapping a Flask app."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from typing import Any
from wsgiref.types import StartResponse, WSGIEnvironment

import httpx
import pytest

from gyrfalcon import probe
from tests.probe.sample_probe import SECRET, TOKEN, make_probe
from tests.probe.servers import wsgi_serving
from tests.probe.validation import by_name, valid_trace

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def shop(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """The service's own WSGI app, which the probe stands in front of."""
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [f"shop page {environ['PATH_INFO']}".encode()]


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with wsgi_serving(make_probe().wsgi()) as url:
        yield url


def _trace(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    return valid_trace(response.json())


def test_sync_and_async_handlers_under_wsgi(base_url: str) -> None:
    echoed = _trace(httpx.get(f"{base_url}/debug/echo?tag=a&tag=b", headers=AUTH))
    assert echoed["result"]["params"] == {"tag": ["a", "b"]}
    assert echoed["result"]["inventory"] == "in stock"
    assert set(by_name(echoed)) == {"lookup", "inventory"}
    ordered = _trace(httpx.post(f"{base_url}/debug/order", json={"order": 3}, headers=AUTH))
    assert ordered["result"] == {"params": {"order": 3}, "price": 42}
    failed = _trace(httpx.get(f"{base_url}/debug/fails", headers=AUTH))
    assert failed["error"] == "LookupError: order 7 does not exist"


def test_refusals_under_wsgi(base_url: str) -> None:
    assert httpx.get(f"{base_url}/debug/echo").status_code == 401
    assert httpx.get(f"{base_url}/elsewhere", headers=AUTH).json() == {
        "error": "no debug endpoint at /elsewhere"
    }
    assert httpx.post(f"{base_url}/debug/order", content=b"[]", headers=AUTH).status_code == 400
    too_big = httpx.post(f"{base_url}/debug/order", content=b" " * 1_000_001, headers=AUTH)
    assert too_big.status_code == 413


def test_a_signed_request_under_wsgi(base_url: str) -> None:
    body = json.dumps({"order": 5}).encode()
    signed = probe.sign(SECRET, "POST", "/debug/order?via=wsgi", body, int(time.time()))
    response = httpx.post(f"{base_url}/debug/order?via=wsgi", content=body, headers=signed)
    assert _trace(response)["result"]["params"] == {"order": 5}


def test_in_front_of_another_wsgi_app() -> None:
    with wsgi_serving(make_probe().wsgi(fallback=shop)) as url:
        assert httpx.get(f"{url}/products/1").text == "shop page /products/1"
        assert _trace(httpx.get(f"{url}/debug/echo", headers=AUTH))["status"] == "ok"


def test_wrapping_a_flask_app() -> None:
    flask = pytest.importorskip("flask")
    app = flask.Flask("shop")

    @app.get("/products/<int:number>")
    def product(number: int) -> dict[str, int]:
        return {"product": number}

    make_probe().flask(app)
    with wsgi_serving(app) as url:
        assert httpx.get(f"{url}/products/4").json() == {"product": 4}
        assert _trace(httpx.get(f"{url}/debug/echo?x=1", headers=AUTH))["result"]["params"] == {
            "x": "1"
        }
        assert httpx.get(f"{url}/missing").status_code == 404
