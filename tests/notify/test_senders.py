"""The senders against real receivers: aiosmtpd SMTP servers for email, and a local
HTTP server for webhooks and for Slack (Slack's servers cannot run here; the
receiver answers the way Slack's incoming webhooks document)."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any

import pytest

from gyrfalcon.connectors.kafka import KafkaClusterConfig
from gyrfalcon.notify.channels.definitions import (
    EmailChannelConfig,
    SlackChannelConfig,
    WebhookChannelConfig,
)
from gyrfalcon.notify.channels.webhooks import SIGNATURE_HEADER
from gyrfalcon.notify.context import AlertContext
from gyrfalcon.notify.senders.base import DELIVERY_HEADER, DeliveryError
from gyrfalcon.notify.senders.email import EmailSender
from gyrfalcon.notify.senders.registry import sender_for
from gyrfalcon.notify.senders.slack import SlackSender
from gyrfalcon.notify.senders.webhook import WebhookSender
from tests.notify.rendering import monitor_alert, render_payload
from tests.support.receivers import (
    LOCALHOST,
    SMTP_PASSWORD,
    SMTP_USER,
    Mail,
    Receiver,
    SelfSigned,
    SmtpServers,
)

TIMEOUT = 5.0
SECRET = "hook-signing-key-42"


def _context() -> AlertContext:
    return monitor_alert(
        event="alerting",
        monitor="unpaid-orders",
        monitor_id=7,
        service="orders",
        state="ALERTING",
        previous_state="OK",
        severity="critical",
        value=12.0,
        threshold=0.0,
        condition="first cell > 0",
        error=None,
        sample={"columns": ["id", "customer"], "rows": [[1, "Müller & Söhne"]]},
        runbook_url=None,
        link="https://gyrfalcon.example.com/monitors/7",
        at=datetime(2024, 5, 2, 9, 30, tzinfo=UTC),
        description="Orders unpaid — more than a day",
    )


def _delivery() -> str:
    return f"gyrfalcon-notification-{uuid.uuid4().hex}"


# --- email ----------------------------------------------------------------------------------


def _email(port: int, **fields: Any) -> EmailChannelConfig:
    values: dict[str, Any] = {
        "host": LOCALHOST,
        "port": port,
        "security": "none",
        "from_address": "gyrfalcon@example.com",
        "recipients": ["oncall@example.com"],
    }
    return EmailChannelConfig(name="mail", type="email", **{**values, **fields})


async def _mail(
    config: EmailChannelConfig, *, to: list[str] | None = None, timeout: float = TIMEOUT
) -> tuple[str, str, dict[str, Any]]:
    payload = render_payload(config, _context(), extra_recipients=to or [])
    delivery_id = _delivery()
    receipt = await EmailSender().send(config, payload, delivery_id=delivery_id, timeout=timeout)
    return receipt, delivery_id, payload


def _received(servers: SmtpServers, delivery_id: str) -> Mail:
    [mail] = servers.mailbox.with_message_id(f"<{delivery_id}@gyrfalcon>")
    return mail


def _parts(message: EmailMessage) -> dict[str, str]:
    # SMTP carries CRLF line ends, which the received parts keep.
    return {
        part.get_content_type(): part.get_content().replace("\r\n", "\n")
        for part in message.iter_parts()
    }


async def test_email_is_delivered_as_text_and_html(smtp_servers: SmtpServers) -> None:
    config = _email(smtp_servers.plain)
    receipt, delivery_id, payload = await _mail(config, to=["owner@example.com"])
    assert receipt == f"250 accepted by {LOCALHOST}:{smtp_servers.plain}"
    mail = _received(smtp_servers, delivery_id)
    assert mail.mail_from == "gyrfalcon@example.com"
    assert mail.rcpt_tos == ["oncall@example.com", "owner@example.com"]
    message = mail.message
    assert message["From"] == "gyrfalcon@example.com"
    assert message["To"] == "oncall@example.com, owner@example.com"
    assert message["Subject"] == "[ALERTING] orders/unpaid-orders: first cell > 0 (value 12)"
    assert message["Message-ID"].strip() == f"<{delivery_id}@gyrfalcon>"
    assert message["Date"]
    assert message.get_content_type() == "multipart/alternative"
    assert _parts(message) == {
        "text/plain": payload["text"] + "\n",
        "text/html": payload["html"] + "\n",
    }
    assert "Müller & Söhne" in payload["text"] and "Müller &amp; Söhne" in payload["html"]
    assert not mail.authenticated and not mail.tls


async def test_email_non_ascii_subject_survives(smtp_servers: SmtpServers) -> None:
    config = _email(smtp_servers.plain, subject_template="Überfällig: {{ sample.rows[0][1] }}")
    _, delivery_id, _ = await _mail(config)
    assert _received(smtp_servers, delivery_id).message["Subject"] == "Überfällig: Müller & Söhne"


async def test_email_login(smtp_servers: SmtpServers) -> None:
    config = _email(smtp_servers.auth, username=SMTP_USER, password=SMTP_PASSWORD)
    _, delivery_id, _ = await _mail(config)
    assert _received(smtp_servers, delivery_id).authenticated


async def test_email_wrong_password_is_final(smtp_servers: SmtpServers) -> None:
    config = _email(smtp_servers.auth, username=SMTP_USER, password="wrong-mail-pw")
    with pytest.raises(DeliveryError) as caught:
        await _mail(config)
    assert caught.value.message.startswith(f"authentication failed for user '{SMTP_USER}' (535")
    assert not caught.value.retryable
    assert "wrong-mail-pw" not in caught.value.message


@pytest.mark.parametrize("security", ["starttls", "ssl"])
async def test_email_over_tls(
    smtp_servers: SmtpServers,
    self_signed: SelfSigned,
    monkeypatch: pytest.MonkeyPatch,
    security: str,
) -> None:
    # OpenSSL reads SSL_CERT_FILE when the client builds its context: the test
    # certificate becomes trusted, as a company CA would be on a real host.
    monkeypatch.setenv("SSL_CERT_FILE", str(self_signed.cert))
    port = smtp_servers.starttls if security == "starttls" else smtp_servers.smtps
    _, delivery_id, _ = await _mail(_email(port, security=security))
    assert _received(smtp_servers, delivery_id).tls


@pytest.mark.parametrize("security", ["starttls", "ssl"])
async def test_email_untrusted_certificate_is_final(
    smtp_servers: SmtpServers, security: str
) -> None:
    port = smtp_servers.starttls if security == "starttls" else smtp_servers.smtps
    with pytest.raises(DeliveryError) as caught:
        await _mail(_email(port, security=security))
    assert caught.value.message.startswith("TLS handshake failed: certificate not trusted")
    assert not caught.value.retryable


async def test_email_starttls_not_offered_is_final(smtp_servers: SmtpServers) -> None:
    with pytest.raises(DeliveryError) as caught:
        await _mail(_email(smtp_servers.plain, security="starttls"))
    assert caught.value.message == (
        "the server does not offer STARTTLS: use security 'none' or 'ssl' for it"
    )
    assert not caught.value.retryable


async def test_email_some_recipients_refused(smtp_servers: SmtpServers) -> None:
    receipt, delivery_id, _ = await _mail(_email(smtp_servers.plain), to=["unknown@example.com"])
    assert receipt == (
        f"250 accepted by {LOCALHOST}:{smtp_servers.plain}; "
        "refused: unknown@example.com (550 5.1.1 no such user)"
    )
    assert _received(smtp_servers, delivery_id).rcpt_tos == ["oncall@example.com"]


@pytest.mark.parametrize(
    ("recipient", "answer", "retryable"),
    [
        ("unknown@example.com", "550 5.1.1 no such user", False),
        ("greylisted@example.com", "450 4.2.0 greylisted, try again later", True),
    ],
)
async def test_email_all_recipients_refused(
    smtp_servers: SmtpServers, recipient: str, answer: str, retryable: bool
) -> None:
    with pytest.raises(DeliveryError) as caught:
        await _mail(_email(smtp_servers.plain, recipients=[recipient]))
    assert caught.value.message == f"every recipient was refused: {recipient} ({answer})"
    assert caught.value.retryable is retryable


async def test_email_without_recipients_is_final(smtp_servers: SmtpServers) -> None:
    with pytest.raises(DeliveryError) as caught:
        await _mail(_email(smtp_servers.plain, recipients=[]))
    assert caught.value.message.startswith("no recipients")
    assert not caught.value.retryable


async def test_email_connection_refused_is_retryable(refused_port: int) -> None:
    with pytest.raises(DeliveryError) as caught:
        await _mail(_email(refused_port))
    assert caught.value.message == f"connection refused by {LOCALHOST}:{refused_port}"
    assert caught.value.retryable


async def test_email_silent_server_times_out(silent_port: int) -> None:
    with pytest.raises(DeliveryError) as caught:
        await _mail(_email(silent_port), timeout=0.5)
    assert caught.value.message == "timed out after 0.5 s"
    assert caught.value.retryable


# --- Slack and webhooks ----------------------------------------------------------------------


async def _slack(url: str, timeout: float = TIMEOUT) -> tuple[str, str, dict[str, Any]]:
    config = SlackChannelConfig(name="ops", type="slack", webhook_url=url)
    payload = render_payload(config, _context(), extra_recipients=[])
    delivery_id = _delivery()
    receipt = await SlackSender().send(config, payload, delivery_id=delivery_id, timeout=timeout)
    return receipt, delivery_id, payload


async def _hook(url: str, secret: str | None = SECRET, timeout: float = TIMEOUT) -> str:
    config = WebhookChannelConfig(name="pager", type="webhook", url=url, hmac_secret=secret)
    payload = render_payload(config, _context(), extra_recipients=[])
    return await WebhookSender().send(config, payload, delivery_id=_delivery(), timeout=timeout)


async def test_slack_receives_the_block_kit_message(http_receiver: Receiver) -> None:
    path = f"/services/T000/B000/{uuid.uuid4().hex}"
    receipt, delivery_id, payload = await _slack(http_receiver.base_url + path)
    assert receipt == "HTTP 200"
    [received] = http_receiver.at(path)
    assert received.method == "POST"
    assert received.headers["Content-Type"] == "application/json"
    assert received.headers[DELIVERY_HEADER] == delivery_id
    assert received.json() == payload
    assert SIGNATURE_HEADER not in received.headers


async def test_webhook_body_is_signed(http_receiver: Receiver) -> None:
    path = f"/hooks/{uuid.uuid4().hex}"
    config = WebhookChannelConfig(
        name="pager", type="webhook", url=http_receiver.base_url + path, hmac_secret=SECRET
    )
    payload = render_payload(config, _context(), extra_recipients=[])
    delivery_id = _delivery()
    receipt = await WebhookSender().send(config, payload, delivery_id=delivery_id, timeout=TIMEOUT)
    assert receipt == "HTTP 200"
    [received] = http_receiver.at(path)
    assert received.json() == payload
    assert received.json()["sample"]["rows"] == [[1, "Müller & Söhne"]]
    assert received.headers[DELIVERY_HEADER] == delivery_id
    expected = hmac.new(SECRET.encode(), received.body, hashlib.sha256).hexdigest()
    assert received.headers[SIGNATURE_HEADER] == f"sha256={expected}"


async def test_webhook_without_secret_is_not_signed(http_receiver: Receiver) -> None:
    path = f"/hooks/{uuid.uuid4().hex}"
    await _hook(http_receiver.base_url + path, secret=None)
    [received] = http_receiver.at(path)
    assert SIGNATURE_HEADER not in received.headers
    assert DELIVERY_HEADER in received.headers


@pytest.mark.parametrize(
    ("prefix", "message", "retryable"),
    [
        ("/status/500", "the endpoint answered HTTP 500: status 500", True),
        ("/status/503", "the endpoint answered HTTP 503: status 503", True),
        ("/status/408", "the endpoint answered HTTP 408: status 408", True),
        ("/status/400", "the endpoint answered HTTP 400: status 400", False),
        ("/status/401", "the endpoint answered HTTP 401: status 401", False),
        ("/status/403", "the endpoint answered HTTP 403: status 403", False),
        ("/gone", "the endpoint answered HTTP 404: no_service", False),
        (
            "/moved",
            "the endpoint redirects (HTTP 302); redirects are not followed, "
            "configure the final URL",
            False,
        ),
    ],
)
async def test_http_answers_decide_whether_to_retry(
    http_receiver: Receiver, prefix: str, message: str, retryable: bool
) -> None:
    path = f"{prefix}/{uuid.uuid4().hex}"
    for send in (_slack, _hook):
        with pytest.raises(DeliveryError) as caught:
            await send(http_receiver.base_url + path)
        assert caught.value.message == message
        assert caught.value.retryable is retryable
    assert len(http_receiver.at(path)) == 2  # a redirect is not followed
    assert not http_receiver.at("/elsewhere")


async def test_rate_limit_is_retried_after_the_asked_delay(http_receiver: Receiver) -> None:
    with pytest.raises(DeliveryError) as caught:
        await _slack(f"{http_receiver.base_url}/throttled/{uuid.uuid4().hex}")
    assert caught.value.message == "the endpoint answered HTTP 429: rate_limited"
    assert caught.value.retryable
    assert caught.value.retry_after == 30.0


async def test_the_url_never_shows_in_a_failure(http_receiver: Receiver) -> None:
    token = uuid.uuid4().hex
    with pytest.raises(DeliveryError) as caught:
        await _hook(f"{http_receiver.base_url}/echo/{token}")
    assert caught.value.message == "the endpoint answered HTTP 400: bad request to ***"
    assert token not in caught.value.message


async def test_http_connection_refused_is_retryable(refused_port: int) -> None:
    token = uuid.uuid4().hex
    for send in (_slack, _hook):
        with pytest.raises(DeliveryError) as caught:
            await send(f"http://{LOCALHOST}:{refused_port}/hooks/{token}")
        assert caught.value.message == f"connection refused by {LOCALHOST}:{refused_port}"
        assert caught.value.retryable


async def test_slow_endpoint_times_out(http_receiver: Receiver, silent_port: int) -> None:
    for url in (
        f"{http_receiver.base_url}/slow/{uuid.uuid4().hex}",
        f"http://{LOCALHOST}:{silent_port}/hooks/x",
    ):
        with pytest.raises(DeliveryError) as caught:
            await _hook(url, timeout=0.5)
        assert caught.value.message == "timed out after 0.5 s"
        assert caught.value.retryable


async def test_untrusted_https_endpoint_is_final(smtp_servers: SmtpServers) -> None:
    # The SMTPS server speaks TLS at once, with a certificate nobody trusts.
    with pytest.raises(DeliveryError) as caught:
        await _hook(f"https://{LOCALHOST}:{smtp_servers.smtps}/hooks/x")
    assert caught.value.message.startswith("TLS handshake failed: certificate not trusted")
    assert not caught.value.retryable


async def test_invalid_url_is_final() -> None:
    with pytest.raises(DeliveryError) as caught:
        await _hook("https://")
    assert caught.value.message == "the URL is not a valid http(s) URL"
    assert not caught.value.retryable


# --- registry ------------------------------------------------------------------------------


def test_sender_for_each_channel_type() -> None:
    assert isinstance(sender_for(_email(25)), EmailSender)
    slack = SlackChannelConfig(name="s", type="slack", webhook_url="https://hooks/x")
    assert isinstance(sender_for(slack), SlackSender)
    hook = WebhookChannelConfig(name="w", type="webhook", url="https://hooks/y")
    assert isinstance(sender_for(hook), WebhookSender)
    with pytest.raises(TypeError, match="no sender for KafkaClusterConfig"):
        sender_for(KafkaClusterConfig(name="k", bootstrap_servers=["127.0.0.1:9092"]))
