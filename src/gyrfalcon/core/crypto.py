"""Encryption of secrets at rest (DSN passwords, webhook URLs, SASL passwords ...).

Fernet gives authenticated encryption; its key is derived from the platform's
SECRET_KEY with HKDF so the raw key never doubles as a cipher key.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from gyrfalcon.core import redaction
from gyrfalcon.core.errors import ProblemError

_HKDF_INFO = b"gyrfalcon secrets at rest v1"


class SecretDecryptionError(ProblemError):
    """A stored secret cannot be read: the SECRET_KEY changed since it was written."""

    status = 409
    title = "Stored secret unreadable"


class SecretBox:
    """Encrypts and decrypts small JSON documents of secrets."""

    def __init__(self, secret_key: str) -> None:
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(
            secret_key.encode()
        )
        self._fernet = Fernet(base64.urlsafe_b64encode(derived))

    def encrypt(self, secrets: dict[str, Any]) -> str:
        redaction.remember(secrets.values())
        return self._fernet.encrypt(json.dumps(secrets).encode()).decode()

    def decrypt(self, token: str | None) -> dict[str, Any]:
        if not token:
            return {}
        try:
            value: dict[str, Any] = json.loads(self._fernet.decrypt(token.encode()))
        except InvalidToken as exc:
            raise SecretDecryptionError(
                "A stored secret of this object cannot be decrypted: GYRFALCON_SECRET_KEY "
                "changed since it was saved. Enter the secret again."
            ) from exc
        redaction.remember(value.values())  # about to be used: never to be printed
        return value
