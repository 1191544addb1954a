"""What an external identity provider (a directory) answers at login.

The login flow depends only on this protocol, so it can be exercised without a
directory and another provider can be added beside LDAP without touching it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from gyrfalcon.core.errors import ProblemError


class DirectoryUnavailable(ProblemError):
    """The directory could not answer (down, hung, refusing the service account).

    A 503 rather than a 401: the user's password may be right, and telling them so
    saves them from locking themselves out by retrying.
    """

    status = 503
    title = "Directory unavailable"

    def __init__(
        self, detail: str = "The login directory cannot be reached; try again later."
    ) -> None:
        super().__init__(detail)


@dataclass(frozen=True)
class DirectoryGroup:
    """A group the user belongs to in the directory.

    ``dn`` identifies it exactly; ``name`` is its common name (``cn``, or the value of
    the first RDN when the group entry is not read, as with ``memberOf``). A
    group-to-role mapping may name a group by either.
    """

    dn: str
    name: str


@dataclass(frozen=True)
class DirectoryIdentity:
    """A user the directory vouched for: the password was right."""

    username: str
    """The login name as the directory spells it, used as the Gyrfalcon username."""
    dn: str
    display_name: str
    email: str | None
    groups: tuple[DirectoryGroup, ...]


class IdentityProvider(Protocol):
    source: str
    """Recorded as ``User.source`` for the accounts this provider creates."""

    async def authenticate(self, username: str, password: str) -> DirectoryIdentity | None:
        """The identity for these credentials, or None when they are wrong or unknown.

        Raises ``DirectoryUnavailable`` when the directory cannot answer.
        """
        ...
