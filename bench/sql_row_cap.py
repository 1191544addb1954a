"""Row cap on MariaDB: time for the SQL check to report "10000+ rows" for a 20-million-row
query with its own LIMIT (the review measured 40.5 s), against the baseline of reading
the cap and then closing the streamed result the way the check did before (the MySQL
protocol reads every remaining row on close). Same server, same run; the ratio is
check / baseline (lower is better).
"""

from __future__ import annotations

import asyncio
import json
import time

import pymysql
import pymysql.cursors

from gyrfalcon.catalog.schemas import DatasourceConfig
from gyrfalcon.monitors.checks.base import Limits
from gyrfalcon.monitors.checks.sql import SqlCheck

ROWS = 20_000_000
CAP = 10_000
QUERY = f"SELECT seq, 'row-cap-bench' AS m FROM seq_1_to_{ROWS} LIMIT {ROWS}"
DATABASE = "mysql"  # the sequence engine's tables live in every database


def _baseline() -> float:
    """Read CAP + 1 rows from a server-side cursor, then close it (which drains)."""
    started = time.perf_counter()
    conn = pymysql.connect(
        host="127.0.0.1", user="root", database=DATABASE, cursorclass=pymysql.cursors.SSCursor
    )
    with conn, conn.cursor() as cursor:
        cursor.execute(QUERY)
        for _ in range(CAP + 1):
            cursor.fetchone()
    return time.perf_counter() - started


async def _check() -> tuple[float, int, bool]:
    check = SqlCheck(max_workers=2)
    config = DatasourceConfig(name="bench", url=f"mysql://root@127.0.0.1:3306/{DATABASE}")
    try:
        started = time.perf_counter()
        observation = await check.run(
            config, cache_key=(1, "bench"), query=QUERY, limits=Limits(timeout=120, max_rows=CAP)
        )
        return time.perf_counter() - started, observation.row_count, observation.rows_capped
    finally:
        check.close()


def main() -> None:
    baseline = _baseline()
    seconds, rows, capped = asyncio.run(_check())
    print(
        json.dumps(
            {
                "benchmark": "sql_row_cap",
                "rows_in_query": ROWS,
                "cap": CAP,
                "check_seconds": round(seconds, 3),
                "baseline_drain_seconds": round(baseline, 3),
                "reported_rows": rows,
                "capped": capped,
                "ratio": round(seconds / baseline, 4),
            }
        )
    )


if __name__ == "__main__":
    main()
