"""What a demo part is: processes to start and objects to register in the console.

``gyrfalcon demo`` loads every part from the ``gyrfalcon.demo_parts`` entry-point group
(like notification senders and check types), starts the processes each part asks for,
then lets each part register its objects through the console's own API. A module adds
its share of the demo (job queues, Kafka topics, cache keys, debug endpoints) as one
more part, without an edit here.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from gyrfalcon.connectors.redis import RedisConfig
from gyrfalcon.connectors.sql.config import DatasourceConfig

if TYPE_CHECKING:
    from gyrfalcon.demo.console import Console


class DemoError(Exception):
    """A step of the demo that failed, in words for the person who ran it."""


@dataclass(frozen=True)
class Child:
    """A process of the demo: ``python -m <module> <args>``, logged to ``<name>.log``;
    it must answer ``GET http://127.0.0.1:<ready_port>/health`` once it is ready."""

    name: str
    module: str
    args: tuple[str, ...]
    ready_port: int
    env: Mapping[str, str] = field(default_factory=dict)
    """More environment variables (secrets go here, not in ``args``, which ``ps`` shows)."""


@dataclass
class PortBook:
    """Hands out the demo's ports from the first one up, the same ports on every run, so
    the addresses registered in the console stay right."""

    next_port: int
    taken: dict[str, int] = field(default_factory=dict)

    def port(self, owner: str) -> int:
        if owner not in self.taken:
            self.taken[owner] = self.next_port
            self.next_port += 1
        return self.taken[owner]


@dataclass
class DemoEnvironment:
    """What the machine offers the demo, found before anything starts."""

    folder: Path
    cycle_seconds: int
    ports: PortBook
    postgres: DatasourceConfig | None
    """The PostgreSQL server for the sample databases; None: SQLite files instead."""
    redis: RedisConfig | None
    """The Redis the sample services cache in; None: not reachable."""
    database_prefix: str = "gyrfalcon_demo_"
    """PostgreSQL databases of the sample services: this, then the service's name."""
    missing: list[str] = field(default_factory=list)
    """What has no backing system, in a sentence each, for the summary."""
    stopping: threading.Event = field(default_factory=threading.Event)
    """Set on Ctrl-C: a part that waits checks it."""

    def shown(self, path: Path) -> str:
        """``path`` for the summary: relative to where the demo runs when it lies there."""
        try:
            return str(path.relative_to(Path.cwd()))
        except ValueError:
            return str(path)


@runtime_checkable
class DemoPart(Protocol):
    """One share of the demo (``gyrfalcon.demo_parts`` entry point)."""

    order: int
    """Parts start and register in this order (the mail sink before the monitors that
    send to it)."""

    def children(self, demo: DemoEnvironment) -> Sequence[Child]:
        """The processes to start (none is fine)."""
        ...

    def register(self, console: Console, demo: DemoEnvironment) -> Sequence[str]:
        """Create or reuse this part's objects in the console once every part's
        processes are ready (called on the same object as ``children``, which may keep
        what it chose for it); lines for the summary."""
        ...
