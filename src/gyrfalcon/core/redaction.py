"""Secrets never reach a log line or an error message, whatever printed them.

Every secret the process handles passes through :class:`~gyrfalcon.core.crypto.SecretBox`
(encrypted when saved, decrypted for a test, a run or a delivery) or through settings,
and is remembered here. :func:`redact` blanks each remembered secret, and the forms it
takes when printed (stripped, escaped as in ``b'...\\n'``), in any text; the log
handler's :class:`RedactingFilter` applies it to every record, its traceback included,
so a library that logs a URL (httpx logs every request at INFO) or an exception that
quotes a header value cannot leak one. Memory is bounded: secrets live as long as the
process and there are as many as the catalog holds.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable

MASK = "***"
MIN_LENGTH = 3
"""Shorter values of a known request are too common in its text to blank."""
REMEMBERED_MIN_LENGTH = 6
"""Shorter remembered values would blank ordinary words in every log line."""

_lock = threading.Lock()
_known: set[str] = set()
_pattern: re.Pattern[str] | None = None


def variants(secret: str, *, shortest: int = MIN_LENGTH) -> set[str]:
    """The forms a secret takes in printed text."""
    forms = {secret, secret.strip(), secret.encode("unicode_escape").decode("ascii")}
    return {form for form in forms if len(form) >= shortest}


def remember(values: Iterable[object]) -> None:
    global _pattern
    fresh = set()
    for value in values:
        if isinstance(value, str):
            fresh |= variants(value, shortest=REMEMBERED_MIN_LENGTH)
    with _lock:
        if fresh <= _known:
            return
        _known.update(fresh)
        # Longest first, so a secret that contains another is blanked whole.
        ordered = sorted(_known, key=len, reverse=True)
        _pattern = re.compile("|".join(map(re.escape, ordered)))


def redact(text: str, extra: Iterable[str] = ()) -> str:
    """``text`` with every remembered secret, and each of ``extra``, blanked."""
    for secret in extra:
        for form in variants(secret):
            text = text.replace(form, MASK)
    pattern = _pattern
    return pattern.sub(MASK, text) if pattern is not None else text


class RedactingFilter(logging.Filter):
    """Blanks secrets in a record's message and traceback before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
