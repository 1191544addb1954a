"""How the platform proves a debug request is its own: a shared bearer token, or an
HMAC-SHA256 signature over the request.

A signature binds the method, the path with its query, the body and the time, so a
captured request cannot be changed and stops working after the window (``WINDOW_SECONDS``
either way, for clocks a little apart). Within the window it can be replayed as it is:
debug endpoints should read, not change, what they touch.

``sign`` is what the platform calls to sign, so it stays pure and stdlib-only.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Callable, Mapping
from typing import Final

TIMESTAMP_HEADER: Final = "X-Gyrfalcon-Timestamp"
SIGNATURE_HEADER: Final = "X-Gyrfalcon-Signature"
SIGNATURE_PREFIX: Final = "sha256="
WINDOW_SECONDS: Final = 300
_UNIX_SECONDS: Final = re.compile(r"[0-9]{1,15}")


def _key(secret: str | bytes) -> bytes:
    return secret.encode() if isinstance(secret, str) else secret


def signed_message(timestamp: str, method: str, path_and_query: str, body: bytes) -> bytes:
    """What is signed: ``f"{timestamp}\\n{METHOD}\\n{path_and_query}\\n{sha256_hex(body)}"``,
    where path_and_query is the raw path as sent, plus ``?`` and the query when there is one."""
    digest = hashlib.sha256(body).hexdigest()
    return f"{timestamp}\n{method.upper()}\n{path_and_query}\n{digest}".encode()


def signature(
    secret: str | bytes, method: str, path_and_query: str, body: bytes, timestamp: int | str
) -> str:
    """The ``X-Gyrfalcon-Signature`` value: ``sha256=`` and the HMAC's hex digest."""
    message = signed_message(str(timestamp), method, path_and_query, body)
    return SIGNATURE_PREFIX + hmac.new(_key(secret), message, hashlib.sha256).hexdigest()


def sign(
    secret: str | bytes, method: str, path_and_query: str, body: bytes, timestamp: int
) -> dict[str, str]:
    """The two headers that sign a request, for the caller to add to it. ``timestamp``
    is Unix seconds (``int(time.time())``), passed in so that signing stays pure."""
    return {
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secret, method, path_and_query, body, timestamp),
    }


class Authenticator:
    """Accepts a request carrying a valid bearer token or a valid signature, whichever
    of the two is configured. ``clock`` (Unix seconds) is injectable for tests."""

    def __init__(
        self,
        *,
        token: str | None = None,
        hmac_secret: str | bytes | None = None,
        clock: Callable[[], float] = time.time,
        window_seconds: int = WINDOW_SECONDS,
    ) -> None:
        if token is None and hmac_secret is None:
            raise ValueError("an Authenticator needs a token, an HMAC secret or both")
        if token == "" or hmac_secret in ("", b""):
            raise ValueError("an empty token or HMAC secret would let anyone in")
        self._token = token.encode() if token is not None else None
        self._secret = _key(hmac_secret) if hmac_secret is not None else None
        self._clock = clock
        self._window = window_seconds

    def refusal(
        self, method: str, path_and_query: str, headers: Mapping[str, str], body: bytes
    ) -> str | None:
        """None when the request is authenticated, else what is missing or wrong, in
        words fit for the caller (never the secret or the expected value). ``headers``
        are keyed by lower-case name."""
        reasons = []
        bearer = _bearer(headers.get("authorization"))
        if bearer is not None:
            if self._token is None:
                reasons.append(f"bearer tokens are not accepted here: {self._accepted()}")
            elif hmac.compare_digest(bearer.encode(), self._token):
                return None
            else:
                reasons.append("the bearer token is not valid")
        timestamp = headers.get(TIMESTAMP_HEADER.lower())
        signed = headers.get(SIGNATURE_HEADER.lower())
        if timestamp is not None or signed is not None:
            if self._secret is None:
                reasons.append(f"signed requests are not accepted here: {self._accepted()}")
            else:
                reason = self._signature_refusal(
                    timestamp, signed, method, path_and_query, body, self._secret
                )
                if reason is None:
                    return None
                reasons.append(reason)
        return "; ".join(reasons) if reasons else f"missing credentials: {self._accepted()}"

    @property
    def challenge(self) -> str:
        """The ``WWW-Authenticate`` value of a 401: the schemes accepted here."""
        schemes = []
        if self._token is not None:
            schemes.append('Bearer realm="gyrfalcon-probe"')
        if self._secret is not None:
            schemes.append('Gyrfalcon-Signature realm="gyrfalcon-probe"')
        return ", ".join(schemes)

    def _accepted(self) -> str:
        ways = []
        if self._token is not None:
            ways.append("send Authorization: Bearer <token>")
        if self._secret is not None:
            ways.append(f"sign the request with {TIMESTAMP_HEADER} and {SIGNATURE_HEADER}")
        return " or ".join(ways)

    def _signature_refusal(
        self,
        timestamp: str | None,
        signed: str | None,
        method: str,
        path_and_query: str,
        body: bytes,
        secret: bytes,
    ) -> str | None:
        if timestamp is None:
            return f"{TIMESTAMP_HEADER} is missing"
        if signed is None:
            return f"{SIGNATURE_HEADER} is missing"
        if not _UNIX_SECONDS.fullmatch(timestamp):
            return f"{TIMESTAMP_HEADER} must be whole Unix seconds"
        skew = abs(self._clock() - int(timestamp))
        if skew > self._window:
            return (
                f"{TIMESTAMP_HEADER} is {skew:.0f} s away from this server's clock, "
                f"more than the {self._window} s allowed"
            )
        if not signed.startswith(SIGNATURE_PREFIX):
            return f"{SIGNATURE_HEADER} must be {SIGNATURE_PREFIX}<hex digest>"
        expected = signature(secret, method, path_and_query, body, timestamp)
        if not hmac.compare_digest(expected.encode(), signed.strip().lower().encode()):
            return (
                f"{SIGNATURE_HEADER} does not match this request (signed: the timestamp, "
                "method, path and query, and the SHA-256 of the body)"
            )
        return None


def _bearer(authorization: str | None) -> str | None:
    if authorization is None:
        return None
    scheme, _, credentials = authorization.strip().partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else None
