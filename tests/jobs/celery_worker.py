"""A real Celery worker (the ``celery`` package, a dev dependency) on a Redis database of
its own, broker and result backend both: Celery's pidbox channel is per database
(``/<db>.celery.pidbox``), so workers of parallel pytest processes never answer each
other's control requests. Databases 2, 3 ... per pytest worker, emptied before and
after (5, 6+, 10+ and 12-15 are other tests')."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.jobs.workers import stop_process

FIRST_DB = 2
ROOT = Path(__file__).resolve().parents[2]
QUEUES = ("celery", "billing")


def pytest_worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "gw0")


def database_for_this_worker() -> int:
    return FIRST_DB + int(pytest_worker().removeprefix("gw") or 0)


@dataclass
class CeleryWorker:
    db: int
    hostname: str
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        stop_process(self.process)


def start(db: int, log: Path) -> CeleryWorker:
    """``celery worker`` with one thread, so a task that holds it leaves the next ones
    reserved; no gossip, mingle or heartbeats, so it talks only when asked."""
    celery = Path(sys.executable).with_name("celery")
    hostname = f"gyrtest-{pytest_worker()}@localhost"
    process = subprocess.Popen(
        [
            str(celery),
            "--app",
            "tests.jobs.celery_app.tasks",
            "worker",
            "--pool",
            "threads",
            "--concurrency",
            "1",
            "--queues",
            ",".join(QUEUES),
            "--hostname",
            hostname,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel",
            "INFO",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "GYRFALCON_CELERY_DB": str(db)},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    return CeleryWorker(db, hostname, process)
