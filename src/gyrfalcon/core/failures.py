"""How the platform words a watched system's failure, for every module alike.

Connection tests, monitor checks, notification senders and the modules to come
all talk to systems that fail in the same few ways (nothing listens, no such
host, too slow, bad TLS, bad credentials), which drivers report in many shapes:
as OS errors wrapped two or three levels deep, as their own exception classes,
or only as text. Callers hand the exception to :func:`describe`, which walks the
whole chain so the engineer reads one sentence about the root cause instead of a
driver's wrapper. The target's secrets are blanked in every sentence.
"""

from __future__ import annotations

import asyncio
import errno
import re
import socket
import ssl
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from gyrfalcon.core import redaction

Classifier = Callable[[BaseException], str | None]
"""A client's own rule: a message for a driver-specific exception, or None to pass."""

_MAX_MESSAGE = 300


@dataclass(frozen=True)
class Target:
    """Where a call was going, so messages can name it without naming secrets."""

    host: str | None = None
    port: int | None = None
    secrets: tuple[str, ...] = ()

    @property
    def address(self) -> str:
        if self.host is None:
            return "the server"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port is None else f"{host}:{self.port}"


class CheckFailed(Exception):
    """Raised by a probe that reached the system but did not like what it found."""

    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


# --- the sentences, so every module words the same failure the same way ----------------


def timed_out(timeout: float) -> str:
    return f"timed out after {timeout:g} s"


def refused(target: Target) -> str:
    return f"connection refused by {target.address}"


def host_not_found(target: Target) -> str:
    return f"host name not found: '{target.host}'" if target.host else "host name not found"


def auth_failed(username: str | None) -> str:
    return f"authentication failed for user '{username}'" if username else "authentication failed"


def unknown_database(database: str | None) -> str:
    return f"database '{database}' does not exist"


def closed(target: Target) -> str:
    return f"connection closed by {target.address} before it answered"


def tls_failed(reason: str) -> str:
    return f"TLS handshake failed: {reason}"


# --- classification --------------------------------------------------------------------


def exception_chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception and everything it wraps, outermost first.

    Follows ``__context__`` even when suppressed, because drivers often
    ``raise ... from None`` and still leave the root cause there; ``orig`` is
    where SQLAlchemy keeps the DB-API error, and task groups (anyio, under
    httpx) wrap the real error in an exception group.
    """
    seen: set[int] = set()
    pending: list[BaseException] = [exc]
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, BaseExceptionGroup):
            pending.extend(current.exceptions)
        for attr in ("orig", "__cause__", "__context__"):
            inner = getattr(current, attr, None)
            if isinstance(inner, BaseException):
                pending.append(inner)


def _is_timeout(exc: BaseException) -> bool:
    # Several drivers (redis, httpx) have timeout classes outside the builtin
    # TimeoutError hierarchy; their names are the only thing they share.
    return isinstance(exc, TimeoutError) or type(exc).__name__.endswith(("Timeout", "TimeoutError"))


def _from_type(exc: BaseException, target: Target, timeout: float) -> str | None:
    if isinstance(exc, ssl.SSLCertVerificationError):
        return tls_failed(f"certificate not trusted ({exc.verify_message})")
    if isinstance(exc, ssl.SSLError):
        return tls_failed(exc.reason or str(exc))
    if isinstance(exc, socket.gaierror):
        return host_not_found(target)
    if _is_timeout(exc):
        return timed_out(timeout)
    if isinstance(exc, ConnectionRefusedError):
        return refused(target)
    if isinstance(exc, OSError) and exc.errno in (errno.EHOSTUNREACH, errno.ENETUNREACH):
        return f"no route to {target.address}"
    return None


_TEXT_RULES: tuple[tuple[re.Pattern[str], Callable[[Target, float], str]], ...] = (
    (re.compile(r"connection refused|connect call failed", re.I), lambda t, _: refused(t)),
    (
        re.compile(
            r"failed to resolve host|could not translate host name|name or service not known"
            r"|nodename nor servname|temporary failure in name resolution|getaddrinfo failed",
            re.I,
        ),
        lambda t, _: host_not_found(t),
    ),
    (re.compile(r"timeout expired|timed out", re.I), lambda _, s: timed_out(s)),
    (
        re.compile(r"certificate verify failed|wrong version number|ssl handshake", re.I),
        lambda _t, _s: tls_failed("the server did not complete it"),
    ),
)


def _from_text(exc: BaseException, target: Target, timeout: float) -> str | None:
    # Some drivers (libpq through psycopg, for one) only say what happened in words.
    text = str(exc)
    for pattern, message in _TEXT_RULES:
        if pattern.search(text):
            return message(target, timeout)
    return None


def _is_wrapper(exc: BaseException) -> bool:
    # Exception groups say only "errors in a TaskGroup"; SQLAlchemy's wrapper
    # repeats the driver's error with a documentation link appended.
    return isinstance(exc, BaseExceptionGroup) or isinstance(
        getattr(exc, "orig", None), BaseException
    )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    summary = text[0] if text else ""
    return f"{type(exc).__name__}: {summary}" if summary else type(exc).__name__


def root_cause(exc: BaseException) -> str:
    # A deadline shows up as the probe's CancelledError under the TimeoutError.
    causes = [link for link in exception_chain(exc) if not isinstance(link, asyncio.CancelledError)]
    return type(causes[-1] if causes else exc).__name__


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` without ``secrets`` (in any printed form) or any other known secret."""
    return redaction.redact(text, secrets)


def describe(
    exc: BaseException, target: Target, *, timeout: float, classify: Classifier | None = None
) -> str:
    """One sentence about the root cause of ``exc``, with the target's secrets blanked.

    The tester's own rule goes first (it knows its driver's auth and "no such
    database" errors), then OS-level causes anywhere in the chain, then words
    in messages; a dropped connection only when nothing more precise is known.
    """
    chain = list(exception_chain(exc))
    message: str | None = None
    if classify is not None:
        message = next((m for link in chain if (m := classify(link)) is not None), None)
    if message is None:
        message = next((m for link in chain if (m := _from_type(link, target, timeout))), None)
    if message is None:
        message = next((m for link in chain if (m := _from_text(link, target, timeout))), None)
    if message is None and any(isinstance(link, ConnectionError | EOFError) for link in chain):
        message = closed(target)
    if message is None:
        message = _first_line(next((link for link in chain if not _is_wrapper(link)), exc))
    return redact(message, target.secrets)[:_MAX_MESSAGE]


def http_classifier(target: Target) -> Classifier:
    """The rule every HTTP client of the platform shares: h11 reports a connection
    dropped before the answer only as a protocol error."""

    def classify(exc: BaseException) -> str | None:
        return closed(target) if isinstance(exc, httpx.RemoteProtocolError) else None

    return classify
