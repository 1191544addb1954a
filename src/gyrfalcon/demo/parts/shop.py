"""The sample services: their processes, catalog entries, connections and monitors."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import yaml

from gyrfalcon.connectors.sql.config import DatasourceConfig
from gyrfalcon.demo.backends import password_of, redis_url, sample_database
from gyrfalcon.demo.base import Child, DemoEnvironment
from gyrfalcon.demo.console import Console
from gyrfalcon.demo.parts.debug import debug_token
from gyrfalcon.demo.parts.mail import DEMO_CHANNEL
from gyrfalcon.demo.sample_service import DEBUG_TOKEN_VARIABLE, PEERS
from gyrfalcon.demo.samples import (
    DATABASE_URL_VARIABLE,
    REDIS_URL_VARIABLE,
    SAMPLES,
    Sample,
)

_MONITOR_EVERY_SECONDS = 15
_FIRST_RUN_SECONDS = 60


class ShopPart:
    order = 20

    def __init__(self) -> None:
        self.databases: dict[str, DatasourceConfig] = {}

    def children(self, demo: DemoEnvironment) -> Sequence[Child]:
        children = []
        ports = {name: demo.ports.port(name) for name in SAMPLES}
        token = debug_token(demo)
        for index, sample in enumerate(SAMPLES.values()):
            database = self._database(demo, sample)
            self.databases[sample.name] = database
            port = ports[sample.name]
            args = ["--sample", sample.name, "--port", str(port)]
            # Staggered, so the services do not all break and recover at the same moment.
            args += ["--cycle", str(demo.cycle_seconds), "--offset", str(index * 7)]
            # The ports of the services it calls (orders' checkout, a debug endpoint).
            args += [f"--peer={peer}={ports[peer]}" for peer in PEERS.get(sample.name, ())]
            url = database.sqlalchemy_url(with_password=True).render_as_string(hide_password=False)
            env = {DATABASE_URL_VARIABLE: url, DEBUG_TOKEN_VARIABLE: token}
            if demo.redis is not None:
                env[REDIS_URL_VARIABLE] = redis_url(demo.redis)
            children.append(
                Child(
                    name=sample.name,
                    module="gyrfalcon.demo.sample_service",
                    args=tuple(args),
                    ready_port=port,
                    env=env,
                )
            )
        return children

    @staticmethod
    def _database(demo: DemoEnvironment, sample: Sample) -> DatasourceConfig:
        if demo.postgres is not None:
            return sample_database(demo.postgres, demo.database_prefix + sample.name)
        folder = demo.folder / "databases"
        folder.mkdir(parents=True, exist_ok=True)
        return DatasourceConfig(
            name=sample.name, dialect="sqlite", database=str(folder / f"{sample.name}.sqlite3")
        )

    def register(self, console: Console, demo: DemoEnvironment) -> Sequence[str]:
        failed = [
            failure
            for sample in SAMPLES.values()
            for failure in self._register_service(console, demo, sample)
        ]
        console.call("POST", "/monitors/apply", {"yaml": yaml.safe_dump(self._monitors())})
        _await_first_runs(console, demo)
        teams: dict[str, list[str]] = {}
        for sample in SAMPLES.values():
            teams.setdefault(sample.team, []).append(sample.name)
        owned = "; ".join(f"{', '.join(names)} (team {team})" for team, names in teams.items())
        where = (
            f"PostgreSQL {demo.postgres.host}:{demo.postgres.port}, "
            f"databases {demo.database_prefix}*"
            if demo.postgres is not None
            else f"SQLite files in {demo.shown(demo.folder / 'databases')}"
        )
        always = next(s.monitor["name"] for s in SAMPLES.values() if s.repair is None)
        return [
            f"Sample services: {owned}; their data on {where}",
            f"Monitors run every {_MONITOR_EVERY_SECONDS} s; the sample data breaks and "
            f"is fixed every {demo.cycle_seconds} s, but {always} stays alerting",
            *failed,
        ]

    def _register_service(
        self, console: Console, demo: DemoEnvironment, sample: Sample
    ) -> list[str]:
        """The service and its connections, each tested; the failed tests, for the
        summary (a password the console was not given, say)."""
        port = demo.ports.port(sample.name)
        console.ensure(
            "/services",
            {
                "name": sample.name,
                "display_name": sample.display_name,
                "team": sample.team,
                "description": sample.description,
                "base_url": f"http://127.0.0.1:{port}",
                "tags": ["demo"],
            },
            address="name",
        )
        base = f"/services/{sample.name}"
        database = self.databases[sample.name]
        connections = [
            (
                "datasources",
                console.ensure(
                    f"{base}/datasources",
                    {
                        "name": "main",
                        "description": "The service's own database (demo).",
                        **_address(database),
                    },
                    secrets=password_of(database.password),
                ),
            )
        ]
        if demo.redis is not None:
            redis = demo.redis
            cache = console.ensure(
                f"{base}/redis",
                {
                    "name": "cache",
                    "description": "What the service caches (demo): its status, copies of "
                    "its rows, some of them stale, and keys of every type.",
                    "key_prefix": f"{sample.name}:",
                    # Writable, so the demo's Cache page can show a delete and a TTL change.
                    "read_only": False,
                    "host": redis.host,
                    "port": redis.port,
                    "db": redis.db,
                    "username": redis.username,
                },
                secrets=password_of(redis.password),
            )
            connections.append(("redis", cache))
        failed = []
        for collection, connection in connections:
            test = console.call("POST", f"{base}/{collection}/{connection['id']}/test")
            if not test["ok"]:
                failed.append(
                    f"{sample.name}/{connection['name']} failed its test: {test['message']}"
                )
        return failed

    @staticmethod
    def _monitors() -> dict[str, Any]:
        return {
            "monitors": [
                {
                    "service": sample.name,
                    "datasource": "main",
                    "type": "sql",
                    "schedule": {"every_seconds": _MONITOR_EVERY_SECONDS},
                    "notify": {"channels": [DEMO_CHANNEL]},
                    **sample.monitor,
                }
                for sample in SAMPLES.values()
            ]
        }


def _address(database: DatasourceConfig) -> dict[str, Any]:
    """The datasource's fields as the API shows them, so a second run finds no change."""
    return {
        "dialect": database.dialect,
        "host": database.host,
        "port": database.port,
        "database": database.database,
        "username": database.username,
    }


def _await_first_runs(console: Console, demo: DemoEnvironment) -> None:
    """Until each sample monitor has run once (the scheduler runs a new monitor at
    once), so the summary appears when home shows the states. A run of our own instead
    could race the scheduler's and send each first alert twice."""
    deadline = time.monotonic() + _FIRST_RUN_SECONDS
    while time.monotonic() < deadline and not demo.stopping.is_set():
        monitors = [m for m in console.items("/monitors") if m["service"] in SAMPLES]
        if all(m["last_run_at"] for m in monitors):
            return
        demo.stopping.wait(0.5)
