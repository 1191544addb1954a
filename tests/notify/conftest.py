"""Receivers for the sender tests: real SMTP servers (aiosmtpd) that keep what they
receive, and the local HTTP server standing in for Slack and webhook endpoints."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.receivers import (
    Mailbox,
    SelfSigned,
    SmtpServers,
    http_receiver,
    refused_port,
    running_smtp_servers,
    self_signed,
    silent_port,
)
from tests.support.shop import shop, shop_db

__all__ = ["http_receiver", "refused_port", "self_signed", "shop", "shop_db", "silent_port"]


@pytest.fixture(scope="session")
def smtp_servers(self_signed: SelfSigned) -> Iterator[SmtpServers]:
    with running_smtp_servers(self_signed, Mailbox()) as servers:
        yield servers
