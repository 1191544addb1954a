"""Stored job payloads made safe to show: parsed without trust, cut to size, any bytes.

A payload may be anything a worker or a bug wrote: not JSON, not UTF-8, megabytes of
arguments. Nothing here raises on such a payload; it says what is wrong instead
(:class:`Parsed.problem`), and every text it returns is bounded.
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from gyrfalcon.core.jsonsafe import json_safe

_INFLATE_CHUNK = 64 * 1024
_MAX_LINES = 500


@dataclass(frozen=True)
class Parsed:
    fields: dict[str, Any]
    problem: str | None = None


def parse(raw: bytes) -> Parsed:
    """The payload's JSON object, or an empty one and why."""
    try:
        value = json.loads(raw)
    except UnicodeDecodeError:
        return Parsed({}, "the payload is not UTF-8 text")
    except json.JSONDecodeError as exc:
        return Parsed({}, f"the payload is not JSON ({exc.msg} at character {exc.pos})")
    if not isinstance(value, dict):
        return Parsed({}, f"the payload is JSON but not an object (a {type(value).__name__})")
    return Parsed(value)


def text(raw: bytes, limit: int) -> tuple[str, bool]:
    """The bytes as text (undecodable bytes as ``\\xNN``), at most ``limit`` characters."""
    shown = raw[: limit * 4].decode("utf-8", errors="backslashreplace")
    return shown[:limit], len(raw) > limit or len(shown) > limit


def pretty(raw: bytes, parsed: Parsed, limit: int) -> tuple[str, bool]:
    if parsed.problem is None and len(raw) <= limit:
        shown = json.dumps(json_safe(parsed.fields), indent=2, ensure_ascii=False)
        return shown[:limit], len(shown) > limit
    return text(raw, limit)


def compact(value: Any, limit: int) -> str:
    """``value`` as one line of JSON, cut to ``limit`` characters with an ellipsis."""
    shown = json.dumps(json_safe(value), ensure_ascii=False, separators=(",", ":"))
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def bounded(value: Any, limit: int) -> tuple[Any, bool]:
    """``value`` itself when its JSON fits in ``limit`` characters, else None (cut)."""
    safe = json_safe(value)
    return (safe, False) if len(json.dumps(safe)) <= limit else (None, True)


def string(value: Any, limit: int = 10_000) -> str | None:
    if value is None:
        return None
    shown = value if isinstance(value, str) else json.dumps(json_safe(value))
    return shown[:limit]


def texts(value: Any, most: int) -> list[str]:
    """A JSON list as text items (at most ``most``); anything else as none."""
    return [string(item, 500) or "" for item in value[:most]] if isinstance(value, list) else []


def integer(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def from_seconds(value: Any) -> datetime | None:
    """Epoch seconds (int, float or their text) as a time; None for anything else."""
    if isinstance(value, bool):
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def from_milliseconds(value: Any) -> datetime | None:
    seconds = float(value) / 1000 if isinstance(value, int | float) else None
    return from_seconds(seconds)


def from_iso(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def lines(value: Any, limit: int) -> tuple[list[str] | None, bool]:
    """A backtrace as its lines: at most ``limit`` characters and 500 lines in all."""
    if value is None:
        return None, False
    entries = value if isinstance(value, list) else str(value).splitlines()
    shown: list[str] = []
    used = 0
    for entry in entries[:_MAX_LINES]:
        line = entry if isinstance(entry, str) else json.dumps(json_safe(entry))
        if used + len(line) > limit:
            return shown, True
        shown.append(line)
        used += len(line)
    return shown, len(entries) > _MAX_LINES


def inflate(encoded: str, limit: int) -> tuple[bytes | None, bool]:
    """Base64 of zlib data, inflated to at most ``limit`` bytes (a zip bomb stays small):
    the bytes and whether there was more; None when it is not such data."""
    try:
        packed = base64.b64decode(encoded, validate=False)
        inflater = zlib.decompressobj()
        data = inflater.decompress(packed, limit)
    except (binascii.Error, zlib.error, ValueError):
        return None, False
    return data, bool(inflater.unconsumed_tail)
