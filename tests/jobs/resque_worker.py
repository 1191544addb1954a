"""A real Resque-compatible worker: node-resque (npm, installed by ``make test`` into
``resque_app/``) writes Resque's exact layout. It runs under a namespace of its own, so
it shares the machine's Redis with the other tests."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.jobs.workers import WAIT_SECONDS, program, stop_process

APP = Path(__file__).parent / "resque_app" / "worker.js"
REDIS_URL = "redis://127.0.0.1:6379/0"


@dataclass
class ResqueWorker:
    namespace: str
    process: subprocess.Popen[bytes]

    def enqueue(self, queue: str, job: str, *args: object) -> None:
        subprocess.run(
            [program("node"), str(APP), "enqueue", queue, job, json.dumps(list(args))],
            env=_env(self.namespace),
            check=True,
            capture_output=True,
            timeout=WAIT_SECONDS,
        )

    def stop(self) -> None:
        stop_process(self.process)


def start(namespace: str, log: Path) -> ResqueWorker:
    assert (APP.parent / "node_modules" / "node-resque").is_dir(), (
        "node-resque is missing: `make test` runs npm ci in tests/jobs/resque_app"
    )
    process = subprocess.Popen(
        [program("node"), str(APP)],
        env=_env(namespace),
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    return ResqueWorker(namespace, process)


def _env(namespace: str) -> dict[str, str]:
    return {**os.environ, "REDIS_URL": REDIS_URL, "RESQUE_NAMESPACE": namespace}
