"""A real RQ worker (the ``rq`` package, a dev dependency) on a Redis database of its own:
RQ's key prefix is read when rq is imported, so the tests isolate it by database
(6, 7 ... per pytest worker), emptied before and after, rather than by namespace."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.jobs.workers import stop_process

FIRST_DB = 6
ROOT = Path(__file__).resolve().parents[2]


def database_for_this_worker() -> int:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return FIRST_DB + int(worker.removeprefix("gw") or 0)


@dataclass
class RqWorker:
    db: int
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        stop_process(self.process)


def start(db: int, log: Path) -> RqWorker:
    rq = Path(sys.executable).with_name("rq")
    process = subprocess.Popen(
        [
            str(rq),
            "worker",
            "--url",
            f"redis://127.0.0.1:6379/{db}",
            "--worker-class",
            "rq.worker.SimpleWorker",
            "--with-scheduler",
            "billing",
            "slow",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    return RqWorker(db, process)
