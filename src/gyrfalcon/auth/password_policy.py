"""What a new local password must be: long enough, not the username, not a common one.

The common passwords are zxcvbn's list of the 30,000 most frequent ones (from real
leaks), so "password1", "qwerty123" and friends are refused whatever their length.
Directory accounts keep the directory's own rules.
"""

from __future__ import annotations

import functools

from gyrfalcon.core.errors import InvalidInput


@functools.cache
def _common_passwords() -> frozenset[str]:
    # Imported on first use: the lists are large and most processes never need them.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # type: ignore[import-untyped]

    return frozenset(FREQUENCY_LISTS["passwords"])


def check_new_password(password: str, *, username: str, min_length: int, field: str) -> None:
    """Raise a 422 naming ``field`` unless ``password`` may be set for ``username``."""
    if len(password) < min_length:
        raise InvalidInput(field, f"use at least {min_length} characters")
    if username and username.lower() in password.lower():
        raise InvalidInput(field, "must not contain the username")
    if password.lower() in _common_passwords():
        raise InvalidInput(field, "is one of the most common passwords: choose another one")
