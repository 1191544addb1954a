"""Argon2id password hashing, run off the event loop because it is deliberately slow."""

from __future__ import annotations

import functools
import hashlib

import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


def digest(value: str) -> str:
    """The stored form of a random credential (cookie, API token, set-password link): its
    SHA-256. Random 256-bit values need no slow hash."""
    return hashlib.sha256(value.encode()).hexdigest()


@functools.cache
def _dummy_hash() -> str:
    # Verifying against this keeps the time of "unknown user" equal to "wrong password";
    # made on first use because hashing is deliberately slow and would delay start-up.
    return _hasher.hash("gyrfalcon-timing-equaliser")


async def hash_password(password: str) -> str:
    return await anyio.to_thread.run_sync(_hasher.hash, password)


def _verify(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _dummy_hash(), password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


async def verify_password(stored_hash: str | None, password: str) -> bool:
    return await anyio.to_thread.run_sync(_verify, stored_hash, password)
