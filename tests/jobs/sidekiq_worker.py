"""A real Sidekiq 6.4 worker (Debian's ruby-sidekiq) on a Redis database of its own.

Sidekiq 6 without redis-namespace keeps its keys at the top level, so each pytest
worker gets its own database (10, 11 ...), emptied before and after. Jobs are pushed
with Sidekiq's own client (``perform_async``), so every payload is exactly what
Sidekiq writes.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.jobs.workers import WAIT_SECONDS, program, stop_process

APP = Path(__file__).parent / "sidekiq_app" / "jobs.rb"
FIRST_DB = 10


def database_for_this_worker() -> int:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return FIRST_DB + int(worker.removeprefix("gw") or 0)


@dataclass
class SidekiqWorker:
    db: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:6379/{self.db}"

    def push(self, job: str, *args: object) -> None:
        """``Job.perform_async(*args)`` with Sidekiq's own client."""
        self.ruby(f"{job}.perform_async({', '.join(repr(arg) for arg in args)})")

    def ruby(self, call: str) -> None:
        """Ruby code run with the jobs and Sidekiq's client loaded, on this database."""
        subprocess.run(
            [program("ruby"), "-r", str(APP), "-e", call],
            env={**os.environ, "REDIS_URL": self.url},
            check=True,
            capture_output=True,
            timeout=WAIT_SECONDS,
        )

    def stop(self) -> None:
        stop_process(self.process)


def start(db: int, log: Path) -> SidekiqWorker:
    process = subprocess.Popen(
        [program("sidekiq"), "-r", str(APP), "-q", "billing", "-q", "slow", "-c", "2", "-t", "5"],
        env={**os.environ, "REDIS_URL": f"redis://127.0.0.1:6379/{db}"},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    return SidekiqWorker(db, process)
