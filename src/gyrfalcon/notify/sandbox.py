"""Render channel templates in a worker process with a time and a memory limit.

Templates are user data. Jinja's sandbox stops attribute walks, and the environment in
``templates.py`` bounds ``range``, repetition and output, but a sandbox cannot bound
everything a template language can do (nested loops over long strings, filters that
pad or replace, concatenation that doubles a value line after line), and a thread
cannot be stopped. So rendering runs in a separate worker process: the event loop only
waits on a pipe, the worker's address space is capped (``RLIMIT_AS``), and a render
that outlasts its time is ended by killing the worker, which the next render starts
again. Nested ``range(12000)`` loops used to hold the event loop for 14.6 s; now they
end as a failed template after the limit while every other request is served.
"""

from __future__ import annotations

import importlib
import multiprocessing
import resource
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

T = TypeVar("T")

RENDER_SECONDS = 5.0
"""Time one render may take (a legitimate template renders in milliseconds, even on a
loaded machine). The worker's start is not counted: it has a minute of its own."""
_START_SECONDS = 60.0
_READY = "ready"
RENDER_MEMORY_BYTES = 1024 * 1024 * 1024
"""Address space of the worker: the interpreter plus room for a 64 KiB sample, many times."""


class TemplateLimitExceeded(Exception):
    """The render was stopped: it ran too long or its worker died (out of memory)."""


def _serve(connection: Connection, memory_bytes: int, preload: tuple[str, ...]) -> None:
    for name in preload:  # imported before the clock starts, not inside a render
        importlib.import_module(name)
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    connection.send(_READY)
    while True:
        try:
            function, args = connection.recv()
        except EOFError:
            return
        try:
            connection.send((True, function(*args)))
        except MemoryError:
            connection.send((False, "it needed more memory than a template may use"))
        except Exception as exc:  # a render bug must not take the worker down
            connection.send((False, f"{type(exc).__name__}: {exc}"))


class RenderWorker:
    """One worker process, started on first use and again after it was stopped.

    Renders are rare (state changes, send-tests) and take milliseconds, so one worker
    serves the whole process, one render at a time; callers wait on a thread, never on
    the event loop.
    """

    def __init__(
        self,
        *,
        preload: tuple[str, ...],
        seconds: float = RENDER_SECONDS,
        memory_bytes: int = RENDER_MEMORY_BYTES,
    ) -> None:
        self.seconds = seconds
        self._preload = preload
        self._memory_bytes = memory_bytes
        self._lock = threading.Lock()
        self._process: BaseProcess | None = None
        self._connection: Connection | None = None

    def call(self, function: Callable[..., T], *args: Any) -> T:
        """``function(*args)`` in the worker (both must pickle), within the limits."""
        with self._lock:
            connection = self._ready()
            connection.send((function, args))
            if not connection.poll(self.seconds):
                self._stop()
                raise TemplateLimitExceeded(f"it ran longer than {self.seconds:g} s")
            try:
                ok, value = connection.recv()
            except EOFError as exc:
                self._stop()
                raise TemplateLimitExceeded(
                    "it needed more memory than a template may use"
                ) from exc
        if not ok:
            raise TemplateLimitExceeded(str(value))
        result: T = value
        return result

    def _ready(self) -> Connection:
        if self._process is not None and self._process.is_alive() and self._connection:
            return self._connection
        self._stop()
        # spawn: a fresh interpreter, never a fork of this threaded server.
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        process = context.Process(
            target=_serve,
            args=(theirs, self._memory_bytes, self._preload),
            daemon=True,
            name="gyrfalcon-render",
        )
        process.start()
        theirs.close()
        self._process, self._connection = process, ours
        if not ours.poll(_START_SECONDS) or ours.recv() != _READY:
            self._stop()
            raise TemplateLimitExceeded("the template worker did not start")
        return ours

    def _stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join()
        if self._connection is not None:
            self._connection.close()
        self._process, self._connection = None, None

    def close(self) -> None:
        with self._lock:
            self._stop()
