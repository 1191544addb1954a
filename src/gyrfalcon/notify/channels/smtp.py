"""The SMTP session of an e-mail channel: the one way to open it, for the connection
test and for every delivery.

Greeting, EHLO, TLS as configured (implicit, or STARTTLS followed by a second EHLO,
since the extensions offered over TLS may differ) and login. A server that lacks
what the channel asks for (STARTTLS, AUTH) is refused in words that say what to
change, before any credential is sent.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from aiosmtplib import SMTP, SMTPAuthenticationError, SMTPConnectResponseError, SMTPException

from gyrfalcon.core.failures import CheckFailed, Target, auth_failed
from gyrfalcon.notify.channels.definitions import EmailChannelConfig, SmtpSecurity


class SessionRefused(CheckFailed):
    """The server cannot give the session the channel asks for; retrying will not help."""


@dataclass
class Session:
    client: SMTP
    steps: list[str] = field(default_factory=list)
    """What was done, in order, for the connection test's message."""


def target(config: EmailChannelConfig) -> Target:
    password = config.password.get_secret_value() if config.password else ""
    return Target(host=config.host, port=config.port, secrets=(password,))


@contextlib.asynccontextmanager
async def open_session(config: EmailChannelConfig, *, timeout: float) -> AsyncIterator[Session]:
    """An open, authenticated session; QUIT when the block ends, a plain close if it fails
    (a broken session or a passed deadline: a polite QUIT could wait once more)."""
    client = SMTP(
        hostname=config.host,
        port=config.port,
        timeout=timeout,
        use_tls=config.security == SmtpSecurity.SSL,
        # STARTTLS is done below, so a server without it gets a clear message.
        start_tls=False,
    )
    await client.connect()
    try:
        session = Session(client, ["greeting"])
        await _negotiate(session, config)
        yield session
    except BaseException:
        client.close()
        raise
    with contextlib.suppress(SMTPException):
        await client.quit()


async def _negotiate(session: Session, config: EmailChannelConfig) -> None:
    client = session.client
    await client.ehlo()
    session.steps.append("EHLO")
    if config.security == SmtpSecurity.SSL:
        session.steps.append("TLS")
    if config.security == SmtpSecurity.STARTTLS:
        if not client.supports_extension("starttls"):
            raise SessionRefused(
                "the server does not offer STARTTLS: use security 'none' or 'ssl' for it"
            )
        await client.starttls()
        await client.ehlo()
        session.steps.append("STARTTLS")
    if config.username:
        if not client.supports_extension("auth"):
            raise SessionRefused(
                "the server does not offer AUTH"
                + (" before TLS" if config.security == SmtpSecurity.NONE else "")
                + ", but a username is configured"
            )
        password = config.password.get_secret_value() if config.password else ""
        await client.login(config.username, password)
        session.steps.append(f"login as '{config.username}'")


def classify(config: EmailChannelConfig, exc: BaseException) -> str | None:
    if isinstance(exc, SMTPAuthenticationError):
        return auth_failed(config.username)
    if isinstance(exc, SMTPConnectResponseError):
        return f"the server refused the session: {exc.code} {exc.message}"
    return None
