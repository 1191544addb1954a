"""Real job-system workers the tests start as processes, and waiting on what they do."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from collections.abc import Awaitable, Callable

WAIT_SECONDS = 60.0


def program(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} is missing: `make test` installs what the job tests run"
    return found


def stop_process(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


async def wait_for(condition: Callable[[], Awaitable[bool]], what: str) -> None:
    """Until ``condition`` holds: a worker's pace is the machine's, so this waits on the
    state itself and gives up only after a minute."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_SECONDS
    while not await condition():
        if loop.time() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        await asyncio.sleep(0.1)
