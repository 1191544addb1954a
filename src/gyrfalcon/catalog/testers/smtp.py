"""Test an email channel by opening the SMTP session alerts will use, without sending.

Each step a real delivery needs (greeting, EHLO, TLS as configured, login)
is done and named in the result; stopping before MAIL FROM means nobody
receives a test mail and no relay counts it against a quota.
"""

from __future__ import annotations

import contextlib
from typing import Any

from aiosmtplib import (
    SMTP,
    SMTPAuthenticationError,
    SMTPConnectResponseError,
    SMTPException,
)

from gyrfalcon.catalog.schemas import ConnectionTestResult, EmailChannelConfig, SmtpSecurity
from gyrfalcon.catalog.testers.probe import Outcome, run_check
from gyrfalcon.core.failures import CheckFailed, Target, auth_failed


class SmtpTester:
    """Tester for :class:`EmailChannelConfig`."""

    async def test(
        self, config: EmailChannelConfig, *, timeout: float, base_url: str | None
    ) -> ConnectionTestResult:
        password = config.password.get_secret_value() if config.password else ""
        target = Target(host=config.host, port=config.port, secrets=(password,))
        return await run_check(
            lambda: _session(config, password, timeout),
            target=target,
            limit=timeout,
            classify=lambda exc: _classify(config, exc),
        )


async def _session(config: EmailChannelConfig, password: str, limit: float) -> Outcome:
    client = SMTP(
        hostname=config.host,
        port=config.port,
        timeout=limit,
        use_tls=config.security == SmtpSecurity.SSL,
        # STARTTLS is done below, so a server without it gets a clear message.
        start_tls=False,
    )
    await client.connect()
    try:
        steps = await _steps(client, config, password)
    except BaseException:
        # Broken session or deadline passed: a polite QUIT could wait once more.
        client.close()
        raise
    details: dict[str, Any] = {
        "security": config.security.value,
        "auth_methods": sorted(method.upper() for method in client.server_auth_methods),
        "authenticated": bool(config.username),
    }
    with contextlib.suppress(SMTPException):
        await client.quit()
    return Outcome(f"SMTP session with {config.host}:{config.port}: {', '.join(steps)}", details)


async def _steps(client: SMTP, config: EmailChannelConfig, password: str) -> list[str]:
    steps = ["greeting"]
    await client.ehlo()
    steps.append("EHLO")
    if config.security == SmtpSecurity.SSL:
        steps.append("TLS")
    if config.security == SmtpSecurity.STARTTLS:
        if not client.supports_extension("starttls"):
            raise CheckFailed(
                "the server does not offer STARTTLS: use security 'none' or 'ssl' for it"
            )
        await client.starttls()
        steps.append("STARTTLS")
    if config.username:
        if not client.supports_extension("auth"):
            raise CheckFailed(
                "the server does not offer AUTH"
                + (" before TLS" if config.security == SmtpSecurity.NONE else "")
                + ", but a username is configured"
            )
        await client.login(config.username, password)
        steps.append(f"login as '{config.username}'")
    return steps


def _classify(config: EmailChannelConfig, exc: BaseException) -> str | None:
    if isinstance(exc, SMTPAuthenticationError):
        return auth_failed(config.username)
    if isinstance(exc, SMTPConnectResponseError):
        return f"the server refused the session: {exc.code} {exc.message}"
    return None
