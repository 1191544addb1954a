"""A real `gyrfalcon demo` process in a folder of its own, on free ports."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.receivers import free_port

READY_LINE = "Press Ctrl-C"
# The demo takes this many ports from its first one up (mail sink, its health, samples).
_DEMO_PORTS = 10
_READY_CEILING_SECONDS = 180


@dataclass
class DemoRun:
    url: str
    workdir: Path
    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)
    ready: threading.Event = field(default_factory=threading.Event)

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    @property
    def folder(self) -> Path:
        return self.workdir / "demo"

    def admin(self) -> tuple[str, str]:
        fields = dict(
            line.split(": ", 1)
            for line in (self.workdir / "data" / "initial-admin.txt").read_text().splitlines()
        )
        return fields["username"], fields["password"]

    def engineer(self) -> tuple[str, str]:
        name, password = (self.folder / "logins.txt").read_text().strip().split(": ", 1)
        return name, password

    def children(self) -> list[int]:
        """The processes the demo started (whose parent it is)."""
        found = []
        for status in Path("/proc").glob("[0-9]*/status"):
            with contextlib.suppress(OSError):
                fields = dict(
                    line.split(":\t", 1)
                    for line in status.read_text().splitlines()
                    if ":\t" in line
                )
                if fields.get("PPid", "").strip() == str(self.process.pid):
                    found.append(int(status.parent.name))
        return found

    def stop(self, signum: signal.Signals = signal.SIGINT) -> int:
        self.process.send_signal(signum)
        return self.process.wait(timeout=90)


def _free_block(size: int) -> int:
    """The first of ``size`` consecutive ports nobody listens on now."""
    for _ in range(200):
        first = random.randrange(20_000, 60_000)
        with contextlib.ExitStack() as held:
            try:
                for port in range(first, first + size):
                    sock = held.enter_context(socket.socket())
                    sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return first
    raise RuntimeError("no block of free ports")


def demo_settings(workdir: Path) -> dict[str, str]:
    """The variables of a demo in ``workdir`` on free ports (keep them for a second run
    on the same ports). A cycle of an hour keeps every sample in its broken phase."""
    return {
        "GYRFALCON_DATA_DIR": str(workdir / "data"),
        "GYRFALCON_DEMO_DIR": str(workdir / "demo"),
        "GYRFALCON_PORT": str(free_port()),
        "GYRFALCON_DEMO_FIRST_PORT": str(_free_block(_DEMO_PORTS)),
        "GYRFALCON_DEMO_CYCLE_SECONDS": "3600",
    }


def start_demo(workdir: Path, settings: dict[str, str], *, until: str = READY_LINE) -> DemoRun:
    """`gyrfalcon demo` with ``settings``; ``ready`` is set once it prints ``until``."""
    process = subprocess.Popen(
        [sys.executable, "-m", "gyrfalcon", "demo"],
        env={**os.environ, **settings},
        cwd=workdir,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    run = DemoRun(f"http://127.0.0.1:{settings['GYRFALCON_PORT']}", workdir, process)

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            run.lines.append(line.rstrip())
            if until in line:
                run.ready.set()
        run.ready.set()

    threading.Thread(target=read, daemon=True).start()
    return run


@contextlib.contextmanager
def running_demo(workdir: Path, settings: dict[str, str] | None = None) -> Iterator[DemoRun]:
    """A demo in ``workdir`` (on ``settings``, else free ports), once it is ready."""
    run = start_demo(workdir, settings or demo_settings(workdir))
    process = run.process
    try:
        run.ready.wait(_READY_CEILING_SECONDS)
        if process.poll() is not None or not any(READY_LINE in line for line in run.lines):
            raise RuntimeError(f"gyrfalcon demo did not come up:\n{run.output}")
        yield run
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=90)
