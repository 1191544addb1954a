"""Key names are bytes: they travel in URLs and JSON as base64url of their bytes, and are
shown as UTF-8 when they decode, escaped when they do not, so a binary key is as usable
as a text one (ADR 0008)."""

from __future__ import annotations

import base64
import binascii

from gyrfalcon.core.errors import InvalidInput

MAX_KEY_BYTES = 64 * 1024
"""Longer key names are possible in Redis (512 MB) but no cache uses them; a bound keeps
a URL and a page readable."""
_GLOB = frozenset(b"*?[\\")


def encode(key: bytes) -> str:
    """The key as it goes into a URL: base64url, no padding."""
    return base64.urlsafe_b64encode(key).rstrip(b"=").decode("ascii")


def decode(token: str, *, field: str = "key") -> bytes:
    """A key from its URL form; a token that is not base64url is the caller's mistake."""
    padded = token + "=" * (-len(token) % 4)
    try:
        key = base64.urlsafe_b64decode(padded.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise InvalidInput(
            field, "not a key reference: keys go in URLs as base64url of their bytes"
        ) from None
    if not key or len(key) > MAX_KEY_BYTES:
        raise InvalidInput(field, f"a key is 1 to {MAX_KEY_BYTES} bytes")
    if encode(key) != token:
        raise InvalidInput(field, "not a key reference: use the key's base64url, unpadded")
    return key


def display(key: bytes) -> tuple[str, bool]:
    """The key as text, and whether it is binary: bytes that are not UTF-8 and control
    characters are shown escaped (``\\xNN``), so a name never breaks a page or a log."""
    try:
        text = key.decode("utf-8")
        binary = False
    except UnicodeDecodeError:
        text = key.decode("utf-8", errors="backslashreplace")
        binary = True
    if any(_control(char) for char in text):
        text = "".join(f"\\x{ord(char):02x}" if _control(char) else char for char in text)
        binary = True
    return text, binary


def _control(char: str) -> bool:
    return ord(char) < 32 or ord(char) == 127


def has_glob(pattern: bytes) -> bool:
    """Whether ``pattern`` is a glob (``*``, ``?``, ``[...]`` or an escape) or one key."""
    return any(byte in _GLOB for byte in pattern)


def escape_glob(literal: bytes) -> bytes:
    """``literal`` as a glob that matches exactly it (for the instance's key prefix)."""
    out = bytearray()
    for byte in literal:
        if byte in _GLOB or byte == ord("]"):
            out.append(ord("\\"))
        out.append(byte)
    return bytes(out)
