"""Test a datasource by connecting with its own credentials and running ``SELECT 1``.

Open, then probe: the engine comes from ``connectors.sql`` (one connection, no pool,
the driver's timeouts set) and runs in a worker thread; :func:`run_check` gives the
answer on time even if the driver ignores its timeouts.
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Any

from sqlalchemy import literal_column, select

from gyrfalcon.catalog.schemas import ConnectionTestResult
from gyrfalcon.catalog.testers.probe import Outcome, run_check
from gyrfalcon.connectors.sql import failures
from gyrfalcon.connectors.sql.config import DatasourceConfig
from gyrfalcon.connectors.sql.engines import probe_engine
from gyrfalcon.connectors.sql.sqlite_files import require_sqlite_file


class SqlTester:
    """Tester for :class:`DatasourceConfig`."""

    async def test(
        self, config: DatasourceConfig, *, timeout: float, base_url: str | None
    ) -> ConnectionTestResult:
        return await run_check(
            lambda: asyncio.to_thread(_select_one, config, timeout),
            target=failures.target(config),
            limit=timeout,
            classify=partial(failures.classify_login, config),
        )


def _select_one(config: DatasourceConfig, timeout: float) -> Outcome:
    engine = probe_engine(config, timeout=timeout)
    if engine.url.get_backend_name() == "sqlite":
        require_sqlite_file(engine.url.database)
    try:
        with engine.connect() as conn:
            conn.execute(select(literal_column("1"))).scalar_one()
        version = engine.dialect.server_version_info
    finally:
        engine.dispose()
    details: dict[str, Any] = {"dialect": engine.dialect.name, "driver": engine.dialect.driver}
    if version:
        details["server_version"] = ".".join(str(part) for part in version)
    where = f" on {config.database}" if config.database else ""
    return Outcome(f"connected and ran SELECT 1{where}", details)
