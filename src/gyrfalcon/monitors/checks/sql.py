"""The SQL check: one read-only statement on a watched database, within hard limits.

Production safety comes in layers, because no single one holds on every database:

1. :func:`~gyrfalcon.monitors.checks.sql_guard.validate_query` lets through exactly
   one statement that starts like a read (SELECT, WITH ...), lexed the way every
   supported server lexes it (``sql_guard.py``). On MySQL/MariaDB it is the only guard
   against DDL, which commits implicitly and runs even inside a read-only
   transaction, and against ``INTO OUTFILE``.
2. The driver runs one statement only: psycopg through the extended protocol
   (PostgreSQL refuses several commands there), PyMySQL without the
   MULTI_STATEMENTS capability, sqlite3 by its own rule.
3. The statement runs in a read-only transaction that is always rolled back
   (PostgreSQL, MySQL/MariaDB) or on a connection with ``PRAGMA query_only``
   (SQLite), so writes hidden in CTEs, functions or sequences are refused by the
   database itself. Other dialects get best effort only: a transaction that is
   rolled back, nothing more.
4. The database stops the statement at the deadline (``statement_timeout``,
   ``max_statement_time``/``max_execution_time``, an SQLite progress handler),
   driver socket timeouts free the thread, and ``asyncio.wait_for`` answers the
   caller on time even if a driver ignores both.

None of this stops side effects outside the database (``dblink``, ``lo_export``,
server-side functions with their own connections): the datasource's account
should itself be read-only.
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from sqlalchemy.engine import Engine

from gyrfalcon.connectors.sql import failures
from gyrfalcon.connectors.sql.config import DatasourceConfig
from gyrfalcon.connectors.sql.engines import read_only_engine
from gyrfalcon.connectors.sql.sqlite_files import SqlitePolicy
from gyrfalcon.core.errors import FieldError
from gyrfalcon.core.failures import CheckFailed, describe, redact, timed_out
from gyrfalcon.core.settings import Settings
from gyrfalcon.monitors.checks.base import CheckError, Limits, Observation, Plan
from gyrfalcon.monitors.checks.sql_guard import validate_query
from gyrfalcon.monitors.checks.sql_rows import read_rows
from gyrfalcon.monitors.checks.sql_sample import observation
from gyrfalcon.monitors.settings import MonitorSettings

# The executor answers the caller this long after the limit when the database's
# own statement timeout, which fires at the limit, did not free the thread.
_GRACE = 0.5


class SqlCheck:
    """Runs SQL monitors on a bounded pool of threads with cached, per-datasource engines.

    Each engine is keyed by the caller's ``cache_key`` ``(datasource_id, version)``:
    an edited datasource gets a new engine and the old one is disposed. Within a
    version there is one engine per whole-second timeout, because the driver's
    connect and socket timeouts are fixed when a connection is made and pooled
    connections serve later runs.
    """

    def __init__(self, *, max_workers: int, sqlite: SqlitePolicy) -> None:
        self._max_workers = max_workers
        self._sqlite = sqlite
        self._executor = ThreadPoolExecutor(max_workers, thread_name_prefix="gyrfalcon-sql-check")
        self._engines: dict[tuple[tuple[int, object], int], Engine] = {}
        self._lock = threading.Lock()

    async def run(
        self,
        datasource: DatasourceConfig,
        *,
        cache_key: tuple[int, object],
        query: str,
        limits: Limits,
    ) -> Observation:
        """Run ``query`` once; the observation, or CheckError with one sentence."""
        try:
            statement = validate_query(query, datasource.dialect)
        except ValueError as exc:
            raise CheckError(str(exc)) from exc
        target = failures.target(datasource)
        deadline = time.monotonic() + limits.timeout
        loop = asyncio.get_running_loop()
        try:
            engine = self._engine(datasource, cache_key, max(1, math.ceil(limits.timeout)))
            work = partial(read_rows, engine, statement, limits, deadline)
            read = await asyncio.wait_for(
                loop.run_in_executor(self._executor, work), limits.timeout + _GRACE
            )
        except TimeoutError as exc:
            raise CheckError(timed_out(limits.timeout)) from exc
        except CheckFailed as exc:
            raise CheckError(redact(exc.message, target.secrets)) from exc
        except Exception as exc:
            classify = partial(_classify_failure, datasource, limits.timeout)
            raise CheckError(
                describe(exc, target, timeout=limits.timeout, classify=classify)
            ) from exc
        return observation(read, limits)

    @classmethod
    def from_settings(cls, settings: Settings) -> SqlCheck:
        """The check of a process: one thread per run the process may have in flight."""
        return cls(
            max_workers=settings.section(MonitorSettings).monitor_concurrency,
            sqlite=SqlitePolicy.from_settings(settings),
        )

    async def observe(self, plan: Plan, limits: Limits) -> Observation:
        assert plan.datasource and plan.datasource_key and plan.query
        try:
            # Again at every run: the rule may be newer than the datasource.
            self._sqlite.check(plan.datasource)
        except FieldError as exc:
            raise CheckError(f"datasource {exc.field}: {exc}") from exc
        return await self.run(
            plan.datasource, cache_key=plan.datasource_key, query=plan.query, limits=limits
        )

    async def aclose(self) -> None:
        self.close()

    def close(self) -> None:
        """Dispose every engine; threads stuck in a driver are left to their socket timeouts."""
        self._executor.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            engines = list(self._engines.values())
            self._engines.clear()
        for engine in engines:
            engine.dispose()

    def _engine(
        self, datasource: DatasourceConfig, cache_key: tuple[int, object], seconds: int
    ) -> Engine:
        with self._lock:
            engine = self._engines.get((cache_key, seconds))
            if engine is not None:
                return engine
            stale = [k for k in self._engines if k[0][0] == cache_key[0] and k[0] != cache_key]
            replaced = [self._engines.pop(key) for key in stale]
            engine = read_only_engine(datasource, seconds=seconds, size=self._max_workers)
            self._engines[(cache_key, seconds)] = engine
        for old in replaced:
            # Closing pooled connections may wait on the network: not on the event loop.
            self._executor.submit(old.dispose)
        return engine


def _classify_failure(config: DatasourceConfig, timeout: float, exc: BaseException) -> str | None:
    """Connection failures as the connection tester words them, else the database's words."""
    return failures.classify_login(config, exc) or failures.classify_statement(exc, timeout)
