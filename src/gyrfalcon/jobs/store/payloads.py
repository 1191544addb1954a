"""Stored job payloads made safe to show: parsed without trust, cut to size, any bytes.

A payload may be anything a worker or a bug wrote: not JSON, not UTF-8, megabytes of
arguments. Nothing here raises on such a payload; it says what is wrong instead
(:class:`Parsed.problem`), and every text it returns is bounded.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from gyrfalcon.core.jsonsafe import json_safe
from gyrfalcon.jobs.backends.base import JobsError

_INFLATE_CHUNK = 64 * 1024
_MAX_LINES = 500
_ESCAPED_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")
_INT_MAX = 2**63
"""Counts and pids past a 64-bit integer are not counts: shown as unknown."""
_UNREPRESENTABLE = (ValueError, RecursionError, OverflowError)
"""What encoding a decoded payload back to JSON may raise: integers past Python's digit
limit, nesting deeper than the stack, floats out of range."""


@dataclass(frozen=True)
class Parsed:
    fields: dict[str, Any]
    problem: str | None = None
    repaired: bool = False
    """Text no response can carry (a lone surrogate) was replaced to show it: written
    back, the job would not be the one stored."""


def parse(raw: bytes) -> Parsed:
    """The payload's JSON object, or an empty one and why."""
    try:
        value = json.loads(raw)
    except UnicodeDecodeError:
        return Parsed({}, "the payload is not UTF-8 text")
    except json.JSONDecodeError as exc:
        return Parsed({}, f"the payload is not JSON ({exc.msg} at character {exc.pos})")
    except RecursionError:
        return Parsed({}, "the payload nests deeper than can be read")
    except ValueError as exc:
        return Parsed({}, f"the payload cannot be read ({exc})")
    if not isinstance(value, dict):
        return Parsed({}, f"the payload is JSON but not an object (a {type(value).__name__})")
    if _ESCAPED_SURROGATE.search(raw):
        return _without_lone_surrogates(value)
    return Parsed(value)


def _without_lone_surrogates(value: dict[str, Any]) -> Parsed:
    """JSON may escape half of a UTF-16 pair on its own (``\\ud800``), which decodes to
    text no response can encode: each such half becomes U+FFFD."""
    shown = json.dumps(value, ensure_ascii=False)
    try:
        shown.encode("utf-8")
    except UnicodeEncodeError:
        repaired = shown.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        return Parsed(dict(json.loads(repaired)), repaired=True)
    return Parsed(value)


def text(raw: bytes, limit: int) -> tuple[str, bool]:
    """The bytes as text (undecodable bytes as ``\\xNN``), at most ``limit`` characters."""
    shown = raw[: limit * 4].decode("utf-8", errors="backslashreplace")
    return shown[:limit], len(raw) > limit or len(shown) > limit


def pretty(raw: bytes, parsed: Parsed, limit: int) -> tuple[str, bool]:
    if parsed.problem is None and len(raw) <= limit:
        try:
            shown = json.dumps(json_safe(parsed.fields), indent=2, ensure_ascii=False)
        except _UNREPRESENTABLE:
            return text(raw, limit)
        return shown[:limit], len(shown) > limit
    return text(raw, limit)


def encoded(job: Any, source: Parsed, system: str) -> bytes:
    """``job`` (read from ``source``) as the compact JSON a worker reads, or why it
    cannot be written back: numbers JSON has no words for (NaN, infinity) and text that
    had to be repaired to be read would not come back as they were stored."""
    if source.repaired:
        raise JobsError(
            f"{system} could not run this job: it holds text that is not Unicode (a lone "
            "surrogate). Delete it instead."
        )
    try:
        return json.dumps(job, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
    except (*_UNREPRESENTABLE, UnicodeEncodeError) as exc:
        raise JobsError(
            f"{system} could not run this job: it cannot be written back as JSON "
            f"({type(exc).__name__}: {str(exc)[:100]}). Delete it instead."
        ) from None


def _dumped(value: Any, **layout: Any) -> str:
    try:
        return json.dumps(json_safe(value), ensure_ascii=False, **layout)
    except _UNREPRESENTABLE as exc:
        return f"(cannot be shown: {type(exc).__name__})"


def compact(value: Any, limit: int) -> str:
    """``value`` as one line of JSON, cut to ``limit`` characters with an ellipsis."""
    shown = _dumped(value, separators=(",", ":"))
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def bounded(value: Any, limit: int) -> tuple[Any, bool]:
    """``value`` itself when its JSON fits in ``limit`` characters, else None (cut)."""
    try:
        safe = json_safe(value)
        fits = len(json.dumps(safe)) <= limit
    except _UNREPRESENTABLE:
        return None, True
    return (safe, False) if fits else (None, True)


def string(value: Any, limit: int = 10_000) -> str | None:
    if value is None:
        return None
    shown = value if isinstance(value, str) else _dumped(value)
    return shown[:limit]


def texts(value: Any, most: int) -> list[str]:
    """A JSON list as text items (at most ``most``); anything else as none."""
    return [string(item, 500) or "" for item in value[:most]] if isinstance(value, list) else []


def integer(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if abs(value) < _INT_MAX else None
    digits = value.strip().lstrip("-") if isinstance(value, str) else ""
    if digits.isascii() and digits.isdigit() and len(digits) < 19:
        return int(value)
    return None


def from_seconds(value: Any) -> datetime | None:
    """Epoch seconds (int, float or their text) as a time; None for anything else."""
    if isinstance(value, bool):
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def from_milliseconds(value: Any) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return from_seconds(float(value) / 1000)
    except OverflowError:
        return None


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
        line = entry if isinstance(entry, str) else _dumped(entry)
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
