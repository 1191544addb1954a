"""One sample service of the demo, as its own process.

``python -m gyrfalcon.demo.sample_service --sample orders --port ... --peer inventory=...``,
its database's URL (and its Redis's) and its debug token in the environment,
keeps the sample's table in its database (adding rows, then breaking and fixing the
business rule in turns, see :mod:`gyrfalcon.demo.samples`), caches a summary in Redis
when given one, and answers ``GET /health`` on 127.0.0.1 like a real service would.

It also serves debug endpoints built with the probe SDK (:mod:`gyrfalcon.probe`), the way
a service team would, so the console's Debug page has real traces to draw: every
service checks its database and Redis, and orders' checkout calls inventory, which is
slow on purpose, and billing, whose payment gateway is down: one slow hop and one
failing hop in the same waterfall.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import random
import signal
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from wsgiref.simple_server import WSGIServer

from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from gyrfalcon import probe
from gyrfalcon.connectors.redis import RedisConfig, open_redis
from gyrfalcon.connectors.sql.config import DatasourceConfig
from gyrfalcon.connectors.sql.engines import probe_engine
from gyrfalcon.demo import cache_keys
from gyrfalcon.demo.health import Answer, health_app, serve
from gyrfalcon.demo.samples import (
    DATABASE_URL_VARIABLE,
    REDIS_URL_VARIABLE,
    SAMPLES,
    Sample,
    orders,
    orders_table,
)
from gyrfalcon.probe import CheckFailed, CheckResult, Probe, checks
from gyrfalcon.probe.checks.sql import server_of

DEBUG_TOKEN_VARIABLE = "GYRFALCON_DEMO_DEBUG_TOKEN"  # noqa: S105 - its name, not a token
"""The bearer token the console's debug runs must send: in the environment, like the
URLs, so that it stays out of the process list."""
DEPENDENCIES_PATH = "/debug/dependencies"
CHECKOUT_PATH = "/debug/checkout"
PEERS = {orders.name: ("inventory", "billing")}
"""The other sample services each one calls (orders' checkout), whose ports it is given
with ``--peer``."""
RECOUNT_SECONDS = 0.4
"""How long inventory's ``/stock`` takes: the slow hop of the checkout."""

_logger = logging.getLogger("gyrfalcon.demo.sample")
_TIMEOUT_SECONDS = 5
_PEER_SECONDS = 3.0


class SampleService:
    def __init__(self, sample: Sample, engine: Engine, *, cycle: int, offset: int) -> None:
        self.sample = sample
        self.engine = engine
        self.cycle = cycle
        self.started = time.monotonic() - offset
        self.rng = random.Random()  # noqa: S311 - sample rows, not secrets
        self.status: dict[str, Any] = {"service": sample.name, "status": "starting"}
        self.ready = threading.Event()

    def broken_phase(self) -> bool:
        """Broken rows in the first cycle after start, fixed in the next, and so on."""
        return int((time.monotonic() - self.started) // self.cycle) % 2 == 0

    def cached_rows(self) -> list[dict[str, Any]]:
        with self.engine.connect() as connection:
            return cache_keys.first_rows(self.sample, connection)

    def tick(self) -> None:
        """One round of work: ordinary rows, then the rule broken or fixed by the phase."""
        sample = self.sample
        try:
            with self.engine.begin() as connection:
                sample.table.create(connection, checkfirst=True)
                if sample.rows(connection) == 0:
                    sample.seed(connection, self.rng)
                sample.grow(connection, self.rng)
                broken = sample.spoiled(connection)
                if self.broken_phase() or sample.repair is None:
                    if not broken:
                        sample.spoil(connection, self.rng)
                elif broken:
                    sample.repair(connection)
                rows, broken = sample.rows(connection), sample.spoiled(connection)
        except SQLAlchemyError as exc:
            _logger.warning("cannot write the %s database: %s", sample.name, exc)
            self.status = {"service": sample.name, "status": "error", "reason": str(exc)[:300]}
            return
        self.status = {
            "service": sample.name,
            "status": "ok",
            "rows": rows,
            "rule_broken": broken,
        }
        self.ready.set()


def _recount_stock() -> tuple[int, dict[str, Any]]:
    """Inventory's stock, slow on purpose: the warehouse is being recounted."""
    time.sleep(RECOUNT_SECONDS)
    return HTTPStatus.OK, {"status": "recounting the warehouse", "took_ms": RECOUNT_SECONDS * 1000}


def _gateway_down() -> tuple[int, dict[str, Any]]:
    """Billing's payment authorisation, failing on purpose."""
    return HTTPStatus.SERVICE_UNAVAILABLE, {"error": "the payment gateway is down"}


PLAIN_ROUTES: dict[str, dict[str, Answer]] = {
    "inventory": {"/stock": _recount_stock},
    "billing": {"/payments/authorize": _gateway_down},
}
"""What the peers answer orders' checkout with, beside ``/health``."""


@dataclass(frozen=True)
class DebugEndpoints:
    """The service's debug endpoints: real calls to its database, its Redis (when it has
    one) and, for orders, to its peers, each in a span of the trace they answer."""

    service: SampleService
    cache: Redis | None
    peers: Mapping[str, str]
    """Base URLs of the other sample services, by name."""

    def build(self, token: str) -> Probe:
        """The probe of these endpoints, accepting the console's bearer ``token``."""
        debug = Probe(service=self.service.sample.name, token=token)
        debug.endpoint(DEPENDENCIES_PATH)(self.dependencies)
        if self.service.sample is orders:
            debug.endpoint(CHECKOUT_PATH)(self.checkout)
        return debug

    async def dependencies(self, params: Mapping[str, Any]) -> dict[str, str]:
        """The database (its table's rows counted) and the Redis, checked at once."""
        sample = self.service.sample
        table = sample.table.name
        found = [
            checks.sql_query(
                self.service.engine,
                f"SELECT count(*) FROM {table}",  # noqa: S608 - the sample's own table
                name=f"{sample.name} database",
            )
        ]
        if self.cache is not None:
            found.append(
                checks.redis_get(self.cache, f"{sample.name}:status", name=f"{sample.name} cache")
            )
        return _outcomes(await probe.gather(*found))

    async def checkout(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """An order's checkout: its row, its cached copy, then stock and payment at once."""
        order_id, include_payment = _checkout_parameters(params)
        with probe.span("checkout", order_id=order_id):
            order = await asyncio.to_thread(self._order, order_id)
            if self.cache is not None:
                # The copy cache_keys.write keeps of each of the first rows.
                key = f"{orders.name}:row:{order_id}"
                await probe.gather(checks.redis_get(self.cache, key, name="orders cache"))
            calls = [self._peer("inventory", "stock", f"/stock?order_id={order_id}")]
            if include_payment:
                path = f"/payments/authorize?order_id={order_id}"
                calls.append(self._peer("billing", "payments", path))
            outcomes = _outcomes(await probe.gather(*calls))
        return {"order": order, **outcomes}

    def _order(self, order_id: int) -> dict[str, Any]:
        """The order's row (run in a thread: the engine is the service's sync one)."""
        engine = self.service.engine
        query = select(orders_table).where(orders_table.c.id == order_id)
        with probe.span(
            "orders database",
            kind="db",
            target=server_of(engine.url),
            sql=str(query),
            order_id=order_id,
        ):
            with engine.connect() as connection:
                row = connection.execute(query).mappings().first()
            if row is None:
                raise CheckFailed(f"there is no order {order_id}")
        return dict(row)

    def _peer(self, peer: str, what: str, path: str) -> checks.Check:
        return checks.http_get(
            self.peers[peer] + path, name=f"{peer} {what}", timeout=_PEER_SECONDS
        )


def _checkout_parameters(params: Mapping[str, Any]) -> tuple[int, bool]:
    """``order_id`` and ``include_payment`` from the query string, where both are text:
    the console checked them against the endpoint's schema, but anyone with the token
    may call."""
    try:
        order_id = int(params["order_id"])
    except (KeyError, TypeError, ValueError):
        raise ValueError("order_id must be a whole number") from None
    return order_id, str(params.get("include_payment", "true")).lower() != "false"


def _outcomes(results: list[CheckResult]) -> dict[str, str]:
    """Each check's outcome for the trace's result: "ok", or the status and why."""
    return {r.name: r.status if r.ok else f"{r.status}: {r.error}" for r in results}


async def _cache(config: RedisConfig, service: SampleService, ttl: int) -> None:
    """What the service caches: its status, copies of its rows and the rest
    (:mod:`gyrfalcon.demo.cache_keys`)."""
    try:
        rows = await asyncio.to_thread(service.cached_rows)
        async with open_redis(config, timeout=_TIMEOUT_SECONDS) as client:
            await cache_keys.write(client, service.sample, rows, service.status, ttl)
    except (RedisError, OSError, SQLAlchemyError) as exc:
        _logger.warning("cannot cache in Redis: %s", exc)


async def run(arguments: argparse.Namespace) -> None:
    sample = SAMPLES[arguments.sample]
    database = DatasourceConfig(name=sample.name, url=os.environ[DATABASE_URL_VARIABLE])
    # No pool: one short transaction every few seconds, and a database that went away
    # and came back needs no stale connection thrown out first.
    engine = probe_engine(database, timeout=_TIMEOUT_SECONDS)
    service = SampleService(sample, engine, cycle=arguments.cycle, offset=arguments.offset)
    redis_url = os.environ.get(REDIS_URL_VARIABLE)
    redis = RedisConfig(name=sample.name, url=redis_url) if redis_url else None
    cache = _sync_redis(redis_url) if redis_url else None
    server = _server(arguments.port, DebugEndpoints(service, cache, dict(arguments.peer)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    pause = max(2.0, arguments.cycle / 10)
    while not stop.is_set():
        await asyncio.to_thread(service.tick)
        if redis is not None:
            await _cache(redis, service, ttl=arguments.cycle * 3)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=pause)
    server.shutdown()
    if cache is not None:
        cache.close()
    engine.dispose()


def _sync_redis(url: str) -> Redis:
    """A client for the debug endpoints, whose handlers run in the server's threads."""
    return Redis.from_url(
        url, socket_timeout=_TIMEOUT_SECONDS, socket_connect_timeout=_TIMEOUT_SECONDS
    )


def _server(port: int, endpoints: DebugEndpoints) -> WSGIServer:
    """``/health`` and the plain routes, behind the debug endpoints."""
    service = endpoints.service

    def status() -> tuple[bool, dict[str, Any]]:
        return service.ready.is_set() and service.status["status"] == "ok", service.status

    fallback = health_app(status, PLAIN_ROUTES.get(service.sample.name))
    debug = endpoints.build(os.environ[DEBUG_TOKEN_VARIABLE])
    return serve(port, debug.wsgi(fallback=fallback))


def _peer_argument(text: str) -> tuple[str, str]:
    """``NAME=PORT`` of ``--peer``: the sample's name and its base URL."""
    name, _, port = text.partition("=")
    if name not in SAMPLES or not port.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not NAME=PORT of a sample service")
    return name, f"http://127.0.0.1:{port}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sample", choices=sorted(SAMPLES), required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--cycle", type=int, default=60)
    parser.add_argument("--offset", type=int, default=0)
    parser.add_argument(
        "--peer",
        type=_peer_argument,
        action="append",
        default=[],
        metavar="NAME=PORT",
        help="The port of a sample service this one calls (orders calls inventory and billing)",
    )
    arguments = parser.parse_args()
    missing = [p for p in PEERS.get(arguments.sample, ()) if p not in dict(arguments.peer)]
    if missing:
        parser.error(f"{arguments.sample} calls {', '.join(missing)}: give --peer NAME=PORT")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    asyncio.run(run(arguments))


if __name__ == "__main__":
    main()
