"""The HTTP check against a real local HTTP server (a thread in this process).

The server's routes stand in for a watched service: JSON and text bodies,
error statuses, redirects inside and outside the base URL, and the ways a
service hurts its callers (too slow, too large, hanging after the headers).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from gyrfalcon.connectors.http import validate_headers
from gyrfalcon.connectors.service_urls import validate_path
from gyrfalcon.monitors.checks.base import CheckError, Limits
from gyrfalcon.monitors.checks.http import HttpCheck

LOCALHOST = "127.0.0.1"
PAYLOAD = {"count": 3, "items": ["a", "b", "c"]}
CAP = 10_000
STALL = 2.0
"""How long the slow routes keep the client waiting; longer than the timeouts used."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOCALHOST, 0))
        return int(sock.getsockname()[1])


OFF_BASE_PORT = free_port()
"""Never contacted: the off-base redirect must be refused before any request goes there."""

Route = Callable[[BaseHTTPRequestHandler], None]


def _reply(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: bytes = b"",
    content_type: str = "application/json",
    headers: dict[str, str] | None = None,
) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


def _redirect(location: str, status: int = 302) -> Route:
    return lambda handler: _reply(handler, status, headers={"Location": location})


def _echo(handler: BaseHTTPRequestHandler) -> None:
    length = int(handler.headers.get("Content-Length") or 0)
    seen = {
        "method": handler.command,
        "path": handler.path,
        "user_agent": handler.headers.get("User-Agent"),
        "token": handler.headers.get("X-Token"),
        "body": handler.rfile.read(length).decode(),
    }
    _reply(handler, 200, json.dumps(seen).encode())


def _slow(handler: BaseHTTPRequestHandler) -> None:
    time.sleep(STALL)
    _reply(handler, 200, b"{}")


def _hang_after_headers(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Length", "100")
    handler.end_headers()
    time.sleep(STALL)


def _huge_streamed(handler: BaseHTTPRequestHandler) -> None:
    # HTTP/1.0 without Content-Length: the body runs until the connection closes.
    handler.send_response(200)
    handler.send_header("Content-Type", "text/plain")
    handler.end_headers()
    for _ in range(20):
        handler.wfile.write(b"x" * 65536)


def _huge_declared(handler: BaseHTTPRequestHandler) -> None:
    # Declares a body far over the cap and sends none of it: only an early refusal is fast.
    handler.send_response(200)
    handler.send_header("Content-Length", str(100 * CAP))
    handler.end_headers()
    time.sleep(STALL)


ROUTES: dict[str, Route] = {
    "/api/json": lambda h: _reply(h, 200, json.dumps(PAYLOAD).encode()),
    "/api/json-as-text": lambda h: _reply(h, 200, b"[1, 2]", "text/plain"),
    "/api/null": lambda h: _reply(h, 200, b"null"),
    "/api/nan": lambda h: _reply(h, 200, b"NaN"),
    "/api/text": lambda h: _reply(h, 200, b"all good\n", "text/plain; charset=utf-8"),
    "/api/latin1": lambda h: _reply(
        h, 200, "café".encode("latin-1"), "text/plain; charset=latin-1"
    ),
    "/api/long": lambda h: _reply(h, 200, "é".encode() * 3000, "text/plain; charset=utf-8"),
    "/api/fail": lambda h: _reply(h, 500, b'{"error": "boom"}'),
    "/api/moved": _redirect("/api/json"),
    "/api/see-other": _redirect("/api/echo", 303),
    "/api/temporary": _redirect("/api/echo", 307),
    "/api/outside": _redirect("/other"),
    "/api/sneaky": _redirect("/api/%2e%2e/other"),
    "/api/off": _redirect(f"http://{LOCALHOST}:{OFF_BASE_PORT}/x?secret=1"),
    "/api/protocol-relative": _redirect("//example.com/x"),
    "/api/loop": _redirect("/api/loop"),
    "/api/slow": _slow,
    "/api/hang": _hang_after_headers,
    "/api/huge": _huge_streamed,
    "/api/huge-declared": _huge_declared,
    "/other": lambda h: _reply(h, 200, b'{"outside": true}'),
}


class _Handler(BaseHTTPRequestHandler):
    def _dispatch(self) -> None:
        ROUTES.get(self.path.partition("?")[0], _echo)(self)

    do_GET = do_POST = do_PUT = _dispatch

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # The check hangs up on purpose (too large, too slow): broken pipes are expected.
        pass


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    server = _Server((LOCALHOST, 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://{LOCALHOST}:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def base_url(server_url: str) -> str:
    return f"{server_url}/api"


@pytest.fixture
async def check() -> AsyncIterator[HttpCheck]:
    http_check = HttpCheck()
    yield http_check
    await http_check.aclose()


LIMITS = Limits(timeout=1.0, max_response_bytes=CAP)


async def _get(
    check: HttpCheck, base_url: str, path: str, limits: Limits = LIMITS, **options: Any
) -> Any:
    arguments: dict[str, Any] = {"method": "GET", "headers": {}, "body": None} | options
    return await check.run(base_url=base_url, path=path, limits=limits, **arguments)


# --- validation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/health", "/v1/orders?status=failed&limit=10", "/", "/a/b.json", "/x/..y/z"]
)
def test_valid_paths_are_returned_unchanged(path: str) -> None:
    assert validate_path(path) == path


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("relative", "must start with '/'"),
        ("http://x/y", "must start with '/'"),
        ("//evil.com/x", "'//'"),
        ("/../x", "'..' segments"),
        ("/a/../../x", "'..' segments"),
        ("/a/%2e%2E/x", "'..' segments"),
        ("/a%2f..%2fx", "'..' segments"),
        ("/\\evil.com", "'\\'"),
        ("/x\r\nHost: evil.com", "control characters"),
        ("/x#top", "fragment"),
        ("/..;/secret", "'..' segments"),
        ("/api/..;jsessionid=1/admin", "'..' segments"),
        ("/./x", "'.' or '..' segments"),
        ("/%2e/x", "'.' or '..' segments"),
        ("/" + "a" * 2000, "longer than 2000"),
    ],
)
def test_paths_that_could_leave_the_service_are_refused(path: str, reason: str) -> None:
    with pytest.raises(ValueError, match="the path") as raised:
        validate_path(path)
    assert reason in str(raised.value)


def test_headers_that_gyrfalcon_sets_itself_are_refused() -> None:
    assert validate_headers({"X-Token": "t"}) == {"X-Token": "t"}
    with pytest.raises(ValueError, match="'host' cannot be set"):
        validate_headers({"host": "admin.internal"})


async def test_run_refuses_an_invalid_path_without_a_request(
    check: HttpCheck, base_url: str
) -> None:
    with pytest.raises(CheckError, match="must not start with '//'"):
        await _get(check, base_url, "//evil.com/x")
    with pytest.raises(CheckError, match="'Host' cannot be set"):
        await _get(check, base_url, "/json", headers={"Host": "evil.com"})


@pytest.mark.parametrize("base", ["ftp://host/x", "not a url", "http://h/api?x=1"])
async def test_run_refuses_a_base_url_it_cannot_confine_requests_to(
    check: HttpCheck, base: str
) -> None:
    with pytest.raises(CheckError, match="base URL"):
        await _get(check, base, "/json")


# --- observations ------------------------------------------------------------------------


async def test_json_body_is_parsed_and_sampled(check: HttpCheck, base_url: str) -> None:
    observation = await _get(check, base_url, "/json")
    assert observation.status_code == 200
    assert observation.json == PAYLOAD
    assert observation.body_is_json
    assert observation.sample == {
        "status": 200,
        "content_type": "application/json",
        "body": json.dumps(PAYLOAD),
        "truncated": False,
    }
    assert observation.row_count == 0
    assert observation.first_row is None


async def test_json_is_recognised_whatever_the_content_type(
    check: HttpCheck, base_url: str
) -> None:
    as_text = await _get(check, base_url, "/json-as-text")
    assert (as_text.json, as_text.body_is_json) == ([1, 2], True)
    null = await _get(check, base_url, "/null")
    assert (null.json, null.body_is_json) == (None, True)
    # NaN parses in Python but is not JSON, and would not store as JSON.
    nan = await _get(check, base_url, "/nan")
    assert (nan.json, nan.body_is_json) == (None, False)


async def test_text_body_is_an_excerpt_not_json(check: HttpCheck, base_url: str) -> None:
    observation = await _get(check, base_url, "/text")
    assert (observation.json, observation.body_is_json) == (None, False)
    assert observation.sample["body"] == "all good\n"
    assert observation.sample["content_type"] == "text/plain; charset=utf-8"
    latin1 = await _get(check, base_url, "/latin1")
    assert latin1.sample["body"] == "café"


async def test_long_body_excerpt_is_cut_to_4_kib(check: HttpCheck, base_url: str) -> None:
    observation = await _get(check, base_url, "/long")
    body = observation.sample["body"]
    assert observation.sample["truncated"] is True
    assert body.endswith("…")
    # 4 KiB of two-byte characters, none of them split by the cut.
    assert body == "é" * 2048 + "…"


async def test_sample_stays_within_sample_bytes(check: HttpCheck, base_url: str) -> None:
    limits = Limits(timeout=1.0, max_response_bytes=CAP, sample_bytes=300)
    observation = await _get(check, base_url, "/long", limits)
    assert len(json.dumps(observation.sample)) <= 300
    assert observation.sample["body"].startswith("éé")
    assert observation.sample["body"].endswith("…")
    assert observation.sample["truncated"] is True


async def test_error_status_is_an_observation_not_a_failure(
    check: HttpCheck, base_url: str
) -> None:
    observation = await _get(check, base_url, "/fail")
    assert observation.status_code == 500
    assert observation.json == {"error": "boom"}
    assert observation.sample["status"] == 500


async def test_path_goes_under_the_base_url_prefix(check: HttpCheck, base_url: str) -> None:
    observation = await _get(
        check, base_url + "/", "/v1/x?q=1", method="post", headers={"X-Token": "t"}, body="hi"
    )
    assert observation.json == {
        "method": "POST",
        "path": "/api/v1/x?q=1",
        "user_agent": "Gyrfalcon monitor",
        "token": "t",
        "body": "hi",
    }


async def test_base_url_without_a_path_reaches_the_root(check: HttpCheck, server_url: str) -> None:
    observation = await _get(check, server_url, "/other")
    assert observation.json == {"outside": True}


# --- redirects ---------------------------------------------------------------------------


async def test_redirect_within_the_base_url_is_followed(check: HttpCheck, base_url: str) -> None:
    observation = await _get(check, base_url, "/moved")
    assert observation.json == PAYLOAD


async def test_see_other_turns_a_post_into_a_get(check: HttpCheck, base_url: str) -> None:
    observation = await _get(check, base_url, "/see-other", method="POST", body="payload")
    assert (observation.json["method"], observation.json["body"]) == ("GET", "")
    kept = await _get(check, base_url, "/temporary", method="POST", body="payload")
    assert (kept.json["method"], kept.json["body"]) == ("POST", "payload")


async def test_redirect_to_another_port_is_refused(
    check: HttpCheck, base_url: str, server_url: str
) -> None:
    with pytest.raises(CheckError) as raised:
        await _get(check, base_url, "/off")
    assert raised.value.message == (
        f"redirected off the service to {LOCALHOST}:{OFF_BASE_PORT}/x (HTTP 302); "
        f"redirects are followed only under {base_url}"
    )


@pytest.mark.parametrize(
    ("path", "where"),
    [("/outside", "/other"), ("/sneaky", "/api/../other"), ("/protocol-relative", None)],
)
async def test_redirect_outside_the_base_path_is_refused(
    check: HttpCheck, base_url: str, server_url: str, path: str, where: str | None
) -> None:
    with pytest.raises(CheckError, match="redirected off the service") as raised:
        await _get(check, base_url, path)
    expected = server_url.removeprefix("http://") + where if where else "example.com/x"
    assert f"to {expected} (HTTP 302)" in raised.value.message


async def test_redirect_loop_stops_after_five_hops(check: HttpCheck, base_url: str) -> None:
    with pytest.raises(CheckError, match="more than 5 redirects; the last one was to /api/loop"):
        await _get(check, base_url, "/loop")


# --- failures ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/slow", "/hang"])
async def test_slow_or_hanging_service_times_out_on_time(
    check: HttpCheck, base_url: str, path: str
) -> None:
    limits = Limits(timeout=0.5, max_response_bytes=CAP)
    with pytest.raises(CheckError) as raised:
        await _get(check, base_url, path, limits)
    assert raised.value.message == "timed out after 0.5 s"


@pytest.mark.parametrize("path", ["/huge", "/huge-declared"])
async def test_body_over_the_cap_is_refused(check: HttpCheck, base_url: str, path: str) -> None:
    with pytest.raises(CheckError) as raised:
        await _get(check, base_url, path)
    assert raised.value.message == f"the response is larger than {CAP} bytes"


async def test_refused_connection_is_worded_like_the_testers(check: HttpCheck) -> None:
    port = free_port()
    with pytest.raises(CheckError) as raised:
        await _get(check, f"http://{LOCALHOST}:{port}", "/health")
    assert raised.value.message == f"connection refused by {LOCALHOST}:{port}"


async def test_unknown_host_is_worded_like_the_testers(check: HttpCheck) -> None:
    with pytest.raises(CheckError) as raised:
        await _get(check, "http://no-such-host.invalid", "/health", Limits(timeout=5.0))
    assert raised.value.message == "host name not found: 'no-such-host.invalid'"
