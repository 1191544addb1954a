"""Sample services built with the probe SDK, as real servers on free ports, for the debug
module's tests and browser journeys.

* ``orders``: FastAPI under uvicorn, bearer token. ``GET /debug/checkout`` queries the
  machine's PostgreSQL (``pg_sleep`` makes that hop as slow as asked), reads Redis,
  and calls two downstream services concurrently: inventory (slow on purpose) and
  payments (answers 503). Beside it, plain routes that answer what a debug run must cope
  with: an invalid trace, JSON that is no trace, HTML, OTLP/JSON, a redirect off the
  service, and a request that hangs.
* ``billing``: Flask under waitress (WSGI), HMAC signatures. ``POST /debug/invoice``
  queries PostgreSQL with a sync engine and PINGs Redis.
* ``downstream``: the services the two call, a stdlib HTTP server that counts its hits.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import redis
import uvicorn
import waitress
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from flask import Flask
from redis.asyncio import Redis as AsyncRedis
from sqlalchemy import NullPool, create_engine, text
from sqlalchemy.ext.asyncio import create_async_engine

from gyrfalcon import probe
from gyrfalcon.probe import FORMAT, checks

LOCALHOST = "127.0.0.1"
ORDERS_TOKEN = "orders-debug-token-0123"
BILLING_KEY = "billing-hmac-key-4567"
REDIS_DB = 12
POSTGRES = f"postgres@{LOCALHOST}:5432/postgres"
OTLP_ORIGIN_NS = 1_700_000_000_000_000_000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOCALHOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class ProbeServices:
    orders_url: str
    billing_url: str
    downstream_url: str
    hits: Counter[str] = field(default_factory=Counter)
    token_requests: list[str] = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)
    """Set when the services stop: what the hanging request waits for."""

    def downstream_hits(self, path: str) -> int:
        return self.hits[path]

    def orders_requests_with_token(self) -> int:
        return len(self.token_requests)


def _downstream(services: ProbeServices) -> ThreadingHTTPServer:
    class Downstream(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            services.hits[url.path] += 1
            if url.path == "/inventory":
                delay = int(parse_qs(url.query).get("delay_ms", ["0"])[0])
                threading.Event().wait(delay / 1000)  # slow on purpose
                self._answer(200, b'{"in_stock": 3}')
            elif url.path == "/payments":
                self._answer(503, b'{"error": "payments are down"}')
            else:
                self._answer(200, b"{}")

        def _answer(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return ThreadingHTTPServer((LOCALHOST, 0), Downstream)


def _otlp() -> dict[str, Any]:
    def span(span_id: str, parent: str, name: str, start_ms: int, end_ms: int, **extra: Any) -> Any:
        return {
            "traceId": "5b8efff798038103d269b633813fc60c",
            "spanId": span_id,
            "parentSpanId": parent,
            "name": name,
            "startTimeUnixNano": str(OTLP_ORIGIN_NS + start_ms * 1_000_000),
            "endTimeUnixNano": str(OTLP_ORIGIN_NS + end_ms * 1_000_000),
            **extra,
        }

    database = [{"key": "db.system", "value": {"stringValue": "postgresql"}}]
    return {
        "resourceSpans": [
            {
                "resource": {
                    "attributes": [{"key": "service.name", "value": {"stringValue": "orders"}}]
                },
                "scopeSpans": [
                    {
                        "spans": [
                            span("a1", "", "GET /debug/otlp", 0, 60, kind=2),
                            span("b2", "a1", "SELECT orders", 10, 50, kind=3, attributes=database),
                        ]
                    }
                ],
            }
        ]
    }


def orders_app(services: ProbeServices) -> FastAPI:
    debug = probe.Probe(service="orders", token=ORDERS_TOKEN)
    engine = create_async_engine(f"postgresql+asyncpg://{POSTGRES}", poolclass=NullPool)

    @debug.endpoint("/debug/checkout")
    async def checkout(params: dict[str, Any]) -> dict[str, Any]:
        order_id = int(params.get("order_id", 0))
        delay_ms = int(params.get("db_delay_ms", 0))
        async with AsyncRedis(host=LOCALHOST, port=6379, db=REDIS_DB) as cache:
            with probe.span("checkout"):
                with probe.span(
                    "orders-db", kind="db", target=f"{LOCALHOST}:5432/postgres", order_id=order_id
                ):
                    async with engine.connect() as connection:
                        await connection.execute(
                            text("SELECT pg_sleep(:seconds)"), {"seconds": delay_ms / 1000}
                        )
                await probe.gather(
                    checks.redis_get(cache, f"session:{order_id}", name="session-cache"),
                    checks.http_get(
                        f"{services.downstream_url}/inventory?delay_ms=50", name="inventory"
                    ),
                    checks.http_get(f"{services.downstream_url}/payments", name="payments"),
                )
        return {"order_id": order_id}

    app = FastAPI()

    @app.middleware("http")
    async def count_tokens(request: Request, call_next: Any) -> Any:
        if request.headers.get("authorization") == f"Bearer {ORDERS_TOKEN}":
            services.token_requests.append(request.url.path)
        return await call_next(request)

    @app.get("/debug/malformed")
    async def malformed() -> dict[str, Any]:
        return {"format": FORMAT, "spans": [{"name": "orders-db", "kind": "db"}]}

    @app.get("/debug/plain")
    async def plain() -> dict[str, Any]:
        return {"ok": True, "orders": 3}

    @app.get("/debug/html", response_class=HTMLResponse)
    async def html() -> str:
        return "<html><body>502 Bad Gateway</body></html>"

    @app.get("/debug/echo")
    async def echo(request: Request) -> dict[str, Any]:
        return {"headers": dict(request.headers)}  # a careless endpoint, token and all

    @app.get("/debug/otlp")
    async def otlp() -> dict[str, Any]:
        return _otlp()

    @app.get("/debug/redirect-away")
    async def redirect_away() -> RedirectResponse:
        return RedirectResponse(f"{services.downstream_url}/elsewhere", status_code=302)

    @app.get("/debug/hang")
    async def hang() -> None:
        # A service stuck on a lock: it answers only when the services stop.
        await asyncio.to_thread(services.released.wait)

    app.mount("/", debug.asgi())
    return app


def billing_app() -> Flask:
    debug = probe.Probe(service="billing", hmac_secret=BILLING_KEY)
    engine = create_engine(f"postgresql+psycopg://{POSTGRES}", poolclass=NullPool)
    rates = redis.Redis(host=LOCALHOST, port=6379, db=REDIS_DB, socket_timeout=5)

    @debug.endpoint("/debug/invoice", methods=("POST",))
    def invoice(params: dict[str, Any]) -> dict[str, Any]:
        with (
            probe.span("billing-db", kind="db", target=f"{LOCALHOST}:5432/postgres"),
            engine.connect() as connection,
        ):
            invoices = connection.execute(
                text("SELECT count(*) FROM pg_class WHERE relname = 'no_such_invoices'")
            ).scalar_one()
        probe.run_checks(checks.redis_ping(rates, name="rates-cache"))
        return {
            "customer": params.get("customer"),
            "amount": params.get("amount"),
            "invoices": invoices,
        }

    app = Flask("billing")

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return debug.flask(app)


def _wait_until_listening(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((LOCALHOST, port), timeout=1):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {LOCALHOST}:{port}")


@contextlib.contextmanager
def probe_services() -> Iterator[ProbeServices]:
    """The three services, each in a thread of this process, for as long as the block."""
    orders_port, billing_port = _free_port(), _free_port()
    services = ProbeServices(
        orders_url=f"http://{LOCALHOST}:{orders_port}",
        billing_url=f"http://{LOCALHOST}:{billing_port}",
        downstream_url="",
    )
    downstream = _downstream(services)
    services.downstream_url = f"http://{LOCALHOST}:{downstream.server_address[1]}"
    orders = uvicorn.Server(
        uvicorn.Config(
            orders_app(services),
            host=LOCALHOST,
            port=orders_port,
            log_level="warning",
            lifespan="off",
            timeout_graceful_shutdown=1,
        )
    )
    billing = waitress.create_server(billing_app(), host=LOCALHOST, port=billing_port, threads=4)
    threads = [
        threading.Thread(target=downstream.serve_forever, daemon=True),
        threading.Thread(target=orders.run, daemon=True),
        threading.Thread(target=billing.run, daemon=True),
    ]
    for thread in threads:
        thread.start()
    try:
        _wait_until_listening(orders_port)
        _wait_until_listening(billing_port)
        yield services
    finally:
        services.released.set()
        orders.should_exit = True
        billing.close()
        downstream.shutdown()
        downstream.server_close()
        threads[1].join(timeout=10)
