"""The one guard for calls to a service's HTTP API: only under its base URL.

The security model says Gyrfalcon calls a service only under the base URL the catalog
holds for it. Every module that calls services (HTTP monitors, debug endpoints and
their tests, and the modules to come) names a *path*, checks it with
:func:`validate_path` when it is saved, and builds the URL with :func:`join_under`
before every call, redirects included (:func:`is_under`). A path cannot leave the base
through ``..`` (also percent-encoded, or as ``..;`` which Java servers read as
``..``), ``.`` segments, ``//host``, backslashes, control characters or a fragment.
"""

from __future__ import annotations

from urllib.parse import unquote

import httpx

MAX_PATH_LENGTH = 2000
_DEFAULT_PORTS = {"http": 80, "https": 443}
_DOT_SEGMENTS = frozenset({".", ".."})


def validate_path(path: str) -> str:
    """Return ``path`` if it can only name something under a service's base URL.

    Raises ValueError with a sentence for the form otherwise. The query string is the
    caller's business and is allowed.
    """
    if len(path) > MAX_PATH_LENGTH:
        raise ValueError(f"the path is longer than {MAX_PATH_LENGTH} characters")
    if not path.startswith("/"):
        raise ValueError(
            "the path must start with '/': it is relative to the service's base URL, "
            "for example /health"
        )
    if path.startswith("//"):
        raise ValueError("the path must not start with '//', which would name another host")
    if "\\" in path:
        # Some servers and proxies read a backslash as a slash.
        raise ValueError("the path must not contain '\\'")
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in path):
        raise ValueError("the path must not contain control characters such as line breaks")
    if "#" in path:
        raise ValueError("the path must not contain a fragment ('#...'): it is never sent")
    if _has_dot_segment(path.partition("?")[0]):
        raise ValueError("the path must not contain '.' or '..' segments")
    return path


def _has_dot_segment(route: str) -> bool:
    # Decoded, so %2e%2e and %2f cannot smuggle a '..' past the check; a segment's
    # parameters (';...') are what Tomcat and friends drop before resolving it.
    decoded = unquote(route)
    return any(segment.partition(";")[0] in _DOT_SEGMENTS for segment in decoded.split("/"))


def port_of(url: httpx.URL) -> int:
    return url.port or _DEFAULT_PORTS[url.scheme]


def _route(url: httpx.URL) -> str:
    """The path as sent on the wire (still percent-encoded), without the query."""
    return url.raw_path.decode("ascii").partition("?")[0]


def where(url: httpx.URL) -> str:
    """host:port/path, without credentials or query, safe to show and store."""
    host = f"[{url.host}]" if ":" in url.host else url.host
    port = f":{url.port}" if url.port else ""
    return f"{host}{port}{url.path}"


def display(url: httpx.URL) -> str:
    """scheme://host:port/path, without credentials or query."""
    return f"{url.scheme}://{where(url)}"


def parse_base(base_url: str) -> httpx.URL:
    """The service's base URL, or ValueError when it cannot be one."""
    try:
        base = httpx.URL(base_url)
    except httpx.InvalidURL:
        base = httpx.URL()
    if base.scheme not in _DEFAULT_PORTS or not base.host:
        raise ValueError(
            "the service's base URL is not an http(s) URL with a host, for example "
            "http://orders.internal:8080"
        )
    if base.query or base.fragment:
        raise ValueError("the service's base URL must not have a query string or fragment")
    return base


def is_under(url: httpx.URL, base: httpx.URL) -> bool:
    """Same scheme, host and port as ``base``, and inside its path on a segment boundary."""
    if (url.scheme, url.host, port_of(url)) != (base.scheme, base.host, port_of(base)):
        return False
    # httpx removes literal dot segments but not encoded ones, which a server may honour.
    if _has_dot_segment(url.path):
        return False
    prefix = _route(base).rstrip("/")
    route = _route(url)
    return route == prefix or route.startswith(prefix + "/")


def join_under(base: httpx.URL, path: str) -> httpx.URL:
    """``path`` under ``base``, checked again at call time (a stored path may predate the
    rules); ValueError when it would leave the base."""
    validate_path(path)
    url = httpx.URL(str(base).rstrip("/") + path)
    if not is_under(url, base):
        raise ValueError(f"the path leaves the service's base URL {display(base)}")
    return url
