"""Deliver alert mails over SMTP, with the channel's security and login.

The session is the one the connection test opens (``channels/smtp.py``: EHLO, TLS
as configured, login), followed by one mail to all recipients. The mail is multipart/alternative
(plain text and HTML) and its ``Message-ID`` is built from the delivery id, so a
mail sent again after a lost answer is recognisably the same mail.

An SMTP answer says itself whether trying again helps: 4xx codes are temporary
(greylisting, a full queue), 5xx codes are final.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from aiosmtplib import (
    SMTPAuthenticationError,
    SMTPConnectResponseError,
    SMTPRecipientsRefused,
    SMTPResponse,
    SMTPResponseException,
    SMTPSenderRefused,
)

from gyrfalcon.core.failures import auth_failed, redact
from gyrfalcon.notify.channels import smtp
from gyrfalcon.notify.channels.definitions import EmailChannelConfig
from gyrfalcon.notify.senders.base import DeliveryError, failure


def build_message(
    config: EmailChannelConfig, payload: dict[str, Any], *, delivery_id: str
) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = payload["subject"]
    message["From"] = config.from_address
    message["To"] = ", ".join(payload["to"])
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = f"<{delivery_id}@gyrfalcon>"
    message.set_content(payload["text"])
    message.add_alternative(payload["html"], subtype="html")
    return message


def _temporary(code: int) -> bool:
    return 400 <= code < 500


def _answer(code: int, text: str) -> str:
    return f"{code} {' '.join(text.split())}".strip()


def _refused(exc: SMTPResponseException, config: EmailChannelConfig) -> DeliveryError:
    """The server answered with an error code: say which step it refused."""
    answer = _answer(exc.code, exc.message)
    if isinstance(exc, SMTPAuthenticationError):
        message = f"{auth_failed(config.username)} ({answer})"
    elif isinstance(exc, SMTPConnectResponseError):
        message = f"the server refused the session: {answer}"
    elif isinstance(exc, SMTPSenderRefused):
        message = f"the server refused the sender address '{config.from_address}': {answer}"
    else:
        message = f"the server refused the mail: {answer}"
    return DeliveryError(message, retryable=_temporary(exc.code))


def _all_refused(exc: SMTPRecipientsRefused) -> DeliveryError:
    refusals = [f"{r.recipient} ({_answer(r.code, r.message)})" for r in exc.recipients]
    return DeliveryError(
        "every recipient was refused: " + ", ".join(refusals),
        retryable=all(_temporary(r.code) for r in exc.recipients),
    )


async def _deliver(
    config: EmailChannelConfig, message: EmailMessage, timeout: float
) -> dict[str, SMTPResponse]:
    async with smtp.open_session(config, timeout=timeout) as session:
        refused, _ = await session.client.send_message(message)
    return refused


class EmailSender:
    """Sender for :class:`EmailChannelConfig`; the payload has to, subject, text, html."""

    async def send(
        self,
        config: EmailChannelConfig,
        payload: dict[str, Any],
        *,
        delivery_id: str,
        timeout: float,
    ) -> str:
        if not payload["to"]:
            raise DeliveryError(
                "no recipients: add addresses to the channel or to the monitor",
                retryable=False,
            )
        try:
            message = build_message(config, payload, delivery_id=delivery_id)
        except ValueError as exc:
            raise DeliveryError(f"the mail cannot be built: {exc}", retryable=False) from None
        target = smtp.target(config)
        try:
            async with asyncio.timeout(timeout):
                refused = await _deliver(config, message, timeout)
        except smtp.SessionRefused as exc:
            raise DeliveryError(exc.message, retryable=False) from None
        except SMTPRecipientsRefused as exc:
            raise _all_refused(exc) from None
        except SMTPResponseException as exc:
            error = _refused(exc, config)
            raise DeliveryError(
                redact(error.message, target.secrets), retryable=error.retryable
            ) from None
        except Exception as exc:
            raise failure(exc, target, timeout=timeout) from None
        receipt = f"250 accepted by {target.address}"
        if refused:
            # Accepted for some: retrying would mail the others twice.
            receipt += "; refused: " + ", ".join(
                f"{address} ({_answer(answer.code, answer.message)})"
                for address, answer in refused.items()
            )
        return receipt
