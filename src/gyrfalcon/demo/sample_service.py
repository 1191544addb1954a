"""One sample service of the demo, as its own process.

``python -m gyrfalcon.demo.sample_service --sample orders --port ...``, its database's URL
(and its Redis's) in the environment,
keeps the sample's table in its database (adding rows, then breaking and fixing the
business rule in turns, see :mod:`gyrfalcon.demo.samples`), caches a summary in Redis
when given one, and answers ``GET /health`` on 127.0.0.1 like a real service would.
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
from typing import Any

from redis.exceptions import RedisError
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from gyrfalcon.connectors.redis import RedisConfig, open_redis
from gyrfalcon.connectors.sql.config import DatasourceConfig
from gyrfalcon.connectors.sql.engines import probe_engine
from gyrfalcon.demo import cache_keys
from gyrfalcon.demo.health import health_server
from gyrfalcon.demo.samples import DATABASE_URL_VARIABLE, REDIS_URL_VARIABLE, SAMPLES, Sample

_logger = logging.getLogger("gyrfalcon.demo.sample")
_TIMEOUT_SECONDS = 5


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
    server = health_server(
        arguments.port,
        lambda: (service.ready.is_set() and service.status["status"] == "ok", service.status),
    )
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
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sample", choices=sorted(SAMPLES), required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--cycle", type=int, default=60)
    parser.add_argument("--offset", type=int, default=0)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
