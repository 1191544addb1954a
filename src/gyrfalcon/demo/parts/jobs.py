"""The demo's job systems: a real Sidekiq worker for billing and a real RQ worker for
orders, each registered as its service's job backend.

They keep their state beside the sample services' cache, on the demo's Redis in
databases of their own (Sidekiq 6 without redis-namespace writes at the top level):
the cache's database less one for Sidekiq, less two for RQ.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from collections.abc import Sequence

from gyrfalcon.demo.backends import password_of, redis_url
from gyrfalcon.demo.base import Child, DemoEnvironment
from gyrfalcon.demo.console import Console
from gyrfalcon.demo.job_worker import REDIS_URL_VARIABLE

SYSTEMS = {"sidekiq": ("billing", 1), "rq": ("orders", 2)}
"""Each job system: the service it works for, and how far below the cache's database
its own is."""


class JobsPart:
    order = 30

    def __init__(self) -> None:
        self.running: list[str] = []

    def children(self, demo: DemoEnvironment) -> Sequence[Child]:
        if demo.redis is None:
            demo.missing.append("No Redis: the demo's job systems (Sidekiq, RQ) do not run.")
            return []
        children = []
        for system, (_service, below) in SYSTEMS.items():
            lacking = _lacking(system)
            if lacking:
                demo.missing.append(lacking)
                continue
            port = demo.ports.port(f"{system} worker")
            url = redis_url(demo.redis, db=max(0, demo.redis.db - below))
            children.append(
                Child(
                    name=f"{system}-worker",
                    module="gyrfalcon.demo.job_worker",
                    args=("--system", system, "--port", str(port)),
                    ready_port=port,
                    env={REDIS_URL_VARIABLE: url},
                )
            )
            self.running.append(system)
        return children

    def register(self, console: Console, demo: DemoEnvironment) -> Sequence[str]:
        if demo.redis is None or not self.running:
            return []
        lines = []
        for system in self.running:
            service, below = SYSTEMS[system]
            backend = console.ensure(
                f"/services/{service}/job-backends",
                {
                    "name": system,
                    "description": f"The {service} service's {system} workers (demo).",
                    "type": system,
                    "namespace": "",
                    "host": demo.redis.host,
                    "port": demo.redis.port,
                    "db": max(0, demo.redis.db - below),
                    "username": demo.redis.username,
                },
                secrets=password_of(demo.redis.password),
            )
            console.call("POST", f"/services/{service}/job-backends/{backend['id']}/test")
            lines.append(f"{service}'s {system} worker: /jobs/{service}/{backend['id']}")
        return [f"Job systems with real workers: {'; '.join(lines)}"]


def _lacking(system: str) -> str | None:
    """Why ``system`` cannot run here, or None."""
    if system == "rq":
        return None if importlib.util.find_spec("rq") else "RQ is not installed: no RQ worker."
    ruby = shutil.which("ruby")
    if shutil.which("sidekiq") is None or ruby is None:
        return "Sidekiq is not installed (Debian's ruby-sidekiq): no Sidekiq worker."
    found = subprocess.run(  # noqa: S603 - a fixed check
        [ruby, "-e", 'require "sidekiq-cron"'], capture_output=True, check=False, timeout=30
    )
    if found.returncode != 0:
        return "sidekiq-cron is not installed (Debian's ruby-sidekiq-cron): no Sidekiq worker."
    return None
