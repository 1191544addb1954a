"""The contract every notification sender fulfils.

A sender delivers one rendered payload (see ``notify.templates``) through one
channel, within ``timeout`` seconds, and answers with a short receipt. Whatever
goes wrong becomes a :class:`DeliveryError` whose ``retryable`` tells the outbox
whether trying again later can help (a server that is down, busy or slow) or not
(a rejected login, a URL that does not exist): retrying those only delays the
failure the channel's owner has to see.
"""

from __future__ import annotations

import ssl
from typing import Any, Protocol, TypeVar, runtime_checkable

from pydantic import BaseModel

from gyrfalcon.core.failures import Classifier, Target, describe, exception_chain

ConfigT_contra = TypeVar("ConfigT_contra", bound=BaseModel, contravariant=True)

DELIVERY_HEADER = "X-Gyrfalcon-Delivery"
"""Carries the delivery id on HTTP sends, so a receiver can drop a repeated delivery."""


class DeliveryError(Exception):
    """A failed delivery, in one sentence with no secret in it."""

    def __init__(self, message: str, *, retryable: bool, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.retry_after = retry_after
        """Seconds the receiver asked us to wait (HTTP Retry-After), when it said."""


@runtime_checkable
class Sender(Protocol[ConfigT_contra]):
    async def send(
        self, config: ConfigT_contra, payload: dict[str, Any], *, delivery_id: str, timeout: float
    ) -> str:
        """Deliver ``payload`` once; return a receipt such as "HTTP 200".

        ``delivery_id`` is the same on every attempt of one notification, so the
        receiver can tell a retry from a new alert. Raises :class:`DeliveryError`.
        """
        ...


def failure(
    exc: BaseException, target: Target, *, timeout: float, classify: Classifier | None = None
) -> DeliveryError:
    """A DeliveryError for an exception that is not an answer of the receiver (network,
    TLS, time), worded like the connection testers' results, secrets blanked.

    Only a TLS failure is final: a certificate the client does not trust, or TLS
    spoken to a plain port, stays so until someone changes the channel or the
    server. Refused connections, unknown hosts (DNS has bad minutes too), dropped
    connections and timeouts are worth another try.
    """
    message = describe(exc, target, timeout=timeout, classify=classify)
    tls = any(
        isinstance(link, ssl.SSLError) and not isinstance(link, ssl.SSLEOFError)
        for link in exception_chain(exc)
    )
    return DeliveryError(message, retryable=not tls)
