"""Real Redis topologies for tests, from the machine's ``redis-server``: a 3-primary
Redis Cluster and a Sentinel watching a primary, each on free local ports in a work
directory of the test's, gone with it.

Readiness is waited on by asking the servers (``CLUSTER INFO`` says ``ok``, the Sentinel
names its primary), never by sleeping a fixed time.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import redis

from tests.support.receivers import LOCALHOST

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
REDIS_CLI = shutil.which("redis-cli") or "/usr/bin/redis-cli"
SENTINEL_MASTER = "cache-primary"
_READY_SECONDS = 60
"""Only ends a start that would hang; a loaded machine is waited for."""


@dataclass
class Servers:
    ports: list[int]
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def nodes(self) -> list[str]:
        return [f"{LOCALHOST}:{port}" for port in self.ports]

    def stop(self, port: int) -> None:
        """Stop the server on ``port`` (to see how its absence is shown)."""
        process = self.processes[self.ports.index(port)]
        process.kill()
        process.wait()


def _port_pair_free(port: int) -> bool:
    """``port`` and its cluster bus port (``port + 10000``) both free."""
    for candidate in (port, port + 10000):
        with socket.socket() as sock:
            try:
                sock.bind((LOCALHOST, candidate))
            except OSError:
                return False
    return True


def _free_ports(count: int) -> list[int]:
    ports: list[int] = []
    while len(ports) < count:
        with socket.socket() as sock:
            sock.bind((LOCALHOST, 0))
            port = int(sock.getsockname()[1])
        if port < 55535 and port not in ports and _port_pair_free(port):
            ports.append(port)
    return ports


def _start(workdir: Path, port: int, *args: str) -> subprocess.Popen[bytes]:
    log = (workdir / f"redis-{port}.log").open("wb")
    return subprocess.Popen(
        [REDIS_SERVER, *args, "--port", str(port), "--bind", LOCALHOST, "--dir", str(workdir)],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=workdir,
    )


def _wait(check: Callable[[], object], what: str, workdir: Path) -> None:
    deadline = time.monotonic() + _READY_SECONDS
    while time.monotonic() < deadline:
        with suppress(redis.RedisError, OSError):
            if check():
                return
        time.sleep(0.05)
    logs = "\n".join(path.read_text(errors="replace")[-2000:] for path in workdir.glob("*.log"))
    raise RuntimeError(f"{what} did not come up:\n{logs}")


def _stop_all(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def redis_cluster(workdir: Path, primaries: int = 3) -> Iterator[Servers]:
    """A Redis Cluster of ``primaries`` primaries and no replicas, every slot served."""
    workdir.mkdir(parents=True, exist_ok=True)
    servers = Servers(_free_ports(primaries))
    try:
        for port in servers.ports:
            servers.processes.append(
                _start(
                    workdir,
                    port,
                    "--cluster-enabled",
                    "yes",
                    "--cluster-config-file",
                    f"nodes-{port}.conf",
                    "--cluster-node-timeout",
                    "2000",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                )
            )
        for port in servers.ports:
            _wait(lambda port=port: redis.Redis(port=port).ping(), f"redis {port}", workdir)
        subprocess.run(
            [REDIS_CLI, "--cluster", "create", *servers.nodes, "--cluster-yes"],
            check=True,
            capture_output=True,
            timeout=_READY_SECONDS,
        )

        def formed() -> bool:
            return all(
                redis.Redis(port=port).cluster("info")["cluster_state"] == "ok"
                for port in servers.ports
            )

        _wait(formed, "the cluster", workdir)
        yield servers
    finally:
        _stop_all(servers.processes)


@contextmanager
def redis_sentinel(workdir: Path) -> Iterator[tuple[Servers, Servers]]:
    """A primary and one Sentinel monitoring it as :data:`SENTINEL_MASTER`: the primary's
    servers and the Sentinel's."""
    workdir.mkdir(parents=True, exist_ok=True)
    primary_port, sentinel_port = _free_ports(2)
    primary = Servers([primary_port])
    sentinel = Servers([sentinel_port])
    try:
        primary.processes.append(_start(workdir, primary_port, "--save", "", "--appendonly", "no"))
        _wait(lambda: redis.Redis(port=primary_port).ping(), "the primary", workdir)
        config = workdir / "sentinel.conf"
        config.write_text(
            f"sentinel monitor {SENTINEL_MASTER} {LOCALHOST} {primary_port} 1\n"
            f"sentinel down-after-milliseconds {SENTINEL_MASTER} 5000\n"
        )
        sentinel.processes.append(_start(workdir, sentinel_port, str(config), "--sentinel"))

        def names_its_primary() -> bool:
            answer = redis.Redis(port=sentinel_port).execute_command(
                "SENTINEL", "GET-MASTER-ADDR-BY-NAME", SENTINEL_MASTER
            )
            return bool(answer)

        _wait(names_its_primary, "the sentinel", workdir)
        yield primary, sentinel
    finally:
        _stop_all(sentinel.processes + primary.processes)
