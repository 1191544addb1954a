"""Field types every module's request models share, so a name or an address is
validated the same way wherever it is entered."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, EmailStr, Field, StringConstraints

SLUG_PATTERN = r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"
Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN),
    Field(description="Lowercase letters, digits and '-', 1 to 63 characters", examples=["orders"]),
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Description = Annotated[str, StringConstraints(max_length=2000)]
Host = Annotated[
    str,
    # A name or an address, nothing more: no spaces or control characters (a CR LF would
    # reach a URL or a log line), no '/', '?', '#' or '@' of a URL around it.
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=255, pattern=r"^[^\s\x00-\x1f\x7f/?#@]+$"
    ),
    Field(description="A host name or an IP address", examples=["db.internal", "10.0.0.7"]),
]
Port = Annotated[int, Field(ge=1, le=65535)]
_HOST_PORT = re.compile(r"^[A-Za-z0-9.\-_\[\]:]+:\d{1,5}$")


def _host_ports(value: list[str]) -> list[str]:
    cleaned = [server.strip() for server in value]
    for server in cleaned:
        if not _HOST_PORT.match(server) or not 1 <= split_host_port(server)[1] <= 65535:
            raise ValueError(f"'{server}' is not host:port")
    return cleaned


def split_host_port(server: str) -> tuple[str, int]:
    """``host:port`` (or ``[v6]:port``) as its two parts."""
    host, _, port = server.rpartition(":")
    return host.strip("[]"), int(port)


HostPorts = Annotated[list[str], AfterValidator(_host_ports)]
"""``host:port`` items; an error names the list, as the forms show it."""
# RFC 5321 caps a path at 256 octets; an address is at most 254 of them.
EmailAddress = Annotated[EmailStr, StringConstraints(max_length=254)]
