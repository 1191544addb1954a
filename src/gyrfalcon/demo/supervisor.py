"""The demo's processes: started together, watched, and all stopped on Ctrl-C.

Each child runs in its own session, so the terminal's Ctrl-C reaches only the demo,
which then stops the children in order (the console first, so it does not record the
sample services going away). On Linux each child also asks the kernel for a SIGTERM
should the demo itself die without cleaning up (``kill -9``), so nothing is left
running either way.
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


def _die_with_parent() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Running:
    name: str
    process: subprocess.Popen[bytes]
    log: Path


class Supervisor:
    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.running: list[Running] = []
        self.stopping = threading.Event()

    def start(self, name: str, argv: list[str], *, env: Mapping[str, str]) -> Running:
        """Starts ``argv``, its output appended to ``<name>.log``."""
        log = self.log_dir / f"{name}.log"
        with log.open("ab") as output:
            process = subprocess.Popen(  # noqa: S603 - the demo's own commands
                argv,
                env=dict(env),
                stdout=output,
                stderr=output,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )
        running = Running(name, process, log)
        self.running.append(running)
        return running

    def start_child(self, child: Child, env: Mapping[str, str]) -> Running:
        argv = [sys.executable, "-m", child.module, *child.args]
        return self.start(child.name, argv, env={**env, **child.env})

    def wait_ready(self, running: Running, health_url: str, *, seconds: float) -> None:
        """Until ``health_url`` answers 200; a process that exits first is an error."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not self.stopping.is_set():
            if running.process.poll() is not None:
                raise DemoError(
                    f"{running.name} exited with status "
                    f"{running.process.returncode}{self._see(running)}"
                )
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(health_url, timeout=2).status_code == 200:
                    return
            self.stopping.wait(0.2)
        if not self.stopping.is_set():
            raise DemoError(
                f"{running.name} did not answer {health_url} within "
                f"{seconds:.0f} s{self._see(running)}"
            )

    def watch(self, console: Running) -> int:
        """Until a stop is asked for, or the console exits; reports children that die.
        The exit status of the demo: 0 when stopped, the console's when it died."""
        reported: set[str] = set()
        while not self.stopping.wait(0.5):
            if console.process.poll() is not None:
                return console.process.returncode or 1
            for running in self.running:
                if running.process.poll() is not None and running.name not in reported:
                    reported.add(running.name)
                    print(
                        f"demo: {running.name} stopped with status "
                        f"{running.process.returncode}{self._see(running)}",
                        file=sys.stderr,
                    )
        return 0

    def stop_all(self) -> None:
        """SIGTERM to every child, newest first (the console was started last), then
        SIGKILL to any still there after the grace period."""
        for running in reversed(self.running):
            if running.process.poll() is None:
                os.killpg(running.process.pid, signal.SIGTERM)
        for running in self.running:
            try:
                running.process.wait(timeout=_STOP_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(running.process.pid, signal.SIGKILL)
                running.process.wait()

    @staticmethod
    def _see(running: Running) -> str:
        return f" (see {running.log})"
