"""The demo's processes: started together, watched, restarted, and all stopped on Ctrl-C.

Each child runs in its own session, so the terminal's Ctrl-C reaches only the demo,
which then stops the children one by one, newest first: the console (started last)
goes before the sample services, so it does not record them going away. On Linux each
child also asks the kernel for a SIGTERM should the demo itself die without cleaning up
(``kill -9``), so nothing is left running either way.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx

from gyrfalcon.demo.base import Child, DemoError

_PR_SET_PDEATHSIG = 1
_STOP_SECONDS = 15
_RESTARTS = 3
"""A sample process that dies is started again this many times, then left stopped."""


class Stopped(Exception):
    """Ctrl-C (or SIGTERM) arrived while the demo was starting."""


def die_with_parent() -> None:
    """Ask Linux to stop this process when the one that started it dies (even by kill -9)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Running:
    name: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes]
    restarts: int = 0


class Supervisor:
    def __init__(self, log_dir: Path, stopping: threading.Event) -> None:
        self.log_dir = log_dir
        self.stopping = stopping
        self.running: list[Running] = []

    def start(self, name: str, argv: list[str], *, env: Mapping[str, str]) -> Running:
        """Starts ``argv``, its output in ``<name>.log`` (begun afresh on each run)."""
        if self.stopping.is_set():
            raise Stopped
        log = self.log_dir / f"{name}.log"
        running = Running(name, argv, dict(env), log, self._spawn(argv, env, log, mode="wb"))
        self.running.append(running)
        return running

    def start_child(self, child: Child, env: Mapping[str, str]) -> Running:
        argv = [sys.executable, "-m", child.module, *child.args]
        return self.start(child.name, argv, env={**env, **child.env})

    @staticmethod
    def _spawn(
        argv: list[str], env: Mapping[str, str], log: Path, *, mode: str
    ) -> subprocess.Popen[bytes]:
        with log.open(mode) as output:
            return subprocess.Popen(  # noqa: S603 - the demo's own commands
                argv,
                env=dict(env),
                stdout=output,
                stderr=output,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                preexec_fn=die_with_parent if sys.platform == "linux" else None,
            )

    def wait_ready(self, running: Running, health_url: str, *, seconds: float) -> None:
        """Until ``health_url`` answers 200; a process that exits first is an error."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.stopping.is_set():
                raise Stopped
            if running.process.poll() is not None:
                raise DemoError(
                    f"{running.name} exited with status "
                    f"{running.process.returncode} (see {running.log})"
                )
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(health_url, timeout=2).status_code == 200:
                    return
            self.stopping.wait(0.2)
        raise DemoError(
            f"{running.name} did not answer {health_url} within {seconds:.0f} s (see {running.log})"
        )

    def watch(self, console: Running) -> None:
        """Until a stop is asked for. A sample process that dies is started again; the
        console dying ends the demo with an error."""
        while not self.stopping.wait(0.5):
            if console.process.poll() is not None:
                raise DemoError(
                    f"the console stopped with status {console.process.returncode} "
                    f"(see {console.log})"
                )
            for running in self.running:
                if running is not console and running.process.poll() is not None:
                    self._restart(running)

    def _restart(self, running: Running) -> None:
        if running.restarts > _RESTARTS:
            return
        running.restarts += 1
        what = f"{running.name} stopped with status {running.process.returncode}"
        if running.restarts > _RESTARTS:
            print(f"demo: {what} again; left stopped (see {running.log})", file=sys.stderr)
            return
        print(f"demo: {what} (see {running.log}); starting it again", file=sys.stderr)
        running.process = self._spawn(running.argv, running.env, running.log, mode="ab")

    def stop_all(self) -> None:
        """SIGTERM to each child, newest first, waiting for each to end; SIGKILL to one
        still there after the grace period."""
        for running in reversed(self.running):
            if running.process.poll() is None:
                os.killpg(running.process.pid, signal.SIGTERM)
            try:
                running.process.wait(timeout=_STOP_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(running.process.pid, signal.SIGKILL)
                running.process.wait()
