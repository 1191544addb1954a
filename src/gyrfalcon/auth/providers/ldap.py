"""LDAP login with ldap3: find the user with a service account, read their groups,
then prove the password by binding as the user.

ldap3 blocks, so each login runs in a worker thread. Three limits keep a hung
directory from holding a request: the connect timeout (per server), the receive
timeout (per answer), and an overall deadline on the whole exchange, past which the
request answers 503 and abandons the thread (which ends at its own timeouts). A
dedicated thread limiter keeps logins waiting on the directory from taking the
threads that local password checks need.

Everything taken from the user goes into filters escaped per RFC 4515, so a
username such as ``*`` or ``)(uid=*`` is only ever a literal value.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import ssl
from typing import Any
from urllib.parse import unquote

import anyio
import anyio.to_thread
from ldap3 import FIRST, NONE, SUBTREE, Connection, Server, ServerPool, Tls
from ldap3.core.exceptions import LDAPException
from ldap3.utils.config import set_config_parameter
from ldap3.utils.conv import escape_filter_chars
from ldap3.utils.dn import parse_dn

from gyrfalcon.auth.providers.base import DirectoryGroup, DirectoryIdentity, DirectoryUnavailable
from gyrfalcon.auth.settings import AuthSettings

_logger = logging.getLogger(__name__)

_MAX_CONCURRENT_LOGINS = 8
_RESULT_SUCCESS = 0
_RESULT_SIZE_LIMIT_EXCEEDED = 4
# What a directory answers to a wrong password, an unknown or locked account, or a
# bind it will not accept for this user: all mean "not these credentials".
_RESULTS_REFUSING_CREDENTIALS = frozenset({48, 49, 50, 53})
_MEMBER_FILTERS = {
    "groupOfNames": "(&(objectClass=groupOfNames)(member={dn}))",
    "groupOfUniqueNames": "(&(objectClass=groupOfUniqueNames)(uniqueMember={dn}))",
    "posixGroup": "(&(objectClass=posixGroup)(memberUid={username}))",
}
_DN_ESCAPE = re.compile(r"\\([0-9A-Fa-f]{2}|.)")

# With every server down, ldap3's pool sleeps this long (10 s by default) before it
# gives up; the pool makes a single pass here, so there is nothing to wait for.
set_config_parameter("POOLING_LOOP_TIMEOUT", 0)


def _unescape_dn_value(value: str) -> str:
    """Undoes RFC 4514 escaping (``\\,`` and hex pairs such as ``\\2C``, which may spell
    UTF-8 bytes) in one pass, through percent-encoding."""

    def percent(match: re.Match[str]) -> str:
        escaped = match.group(1)
        return f"%{escaped}" if len(escaped) == 2 else f"%{ord(escaped):02X}"

    return unquote(_DN_ESCAPE.sub(percent, value.replace("%", "%25")))


def _rdn_value(dn: str) -> str:
    return _unescape_dn_value(parse_dn(dn)[0][1])


def _values(attributes: dict[str, Any], name: str) -> list[str]:
    raw = attributes.get(name) or []
    items = raw if isinstance(raw, list) else [raw]
    return [
        item.decode(errors="replace") if isinstance(item, bytes) else str(item) for item in items
    ]


def _first(attributes: dict[str, Any], name: str) -> str | None:
    values = _values(attributes, name)
    return values[0] if values else None


def _entries(connection: Connection) -> list[dict[str, Any]]:
    # Continuation references (Active Directory sends them) are not entries.
    return [item for item in connection.response or [] if item.get("type") == "searchResEntry"]


def _tls(settings: AuthSettings) -> Tls:
    return Tls(
        validate=ssl.CERT_REQUIRED if settings.ldap_tls_verify else ssl.CERT_NONE,
        ca_certs_file=str(settings.ldap_ca_file) if settings.ldap_ca_file else None,
    )


class LdapProvider:
    """Authenticates against the directory described by the ``ldap_*`` settings."""

    source = "ldap"

    def __init__(self, settings: AuthSettings) -> None:
        self._settings = settings
        self._tls = _tls(settings)
        self._limiter = anyio.CapacityLimiter(_MAX_CONCURRENT_LOGINS)
        # Each server's availability check, the connection itself, then the answers.
        self._deadline = (
            settings.ldap_connect_timeout_seconds * (len(settings.ldap_uris) + 1)
            + settings.ldap_read_timeout_seconds
        )

    async def authenticate(self, username: str, password: str) -> DirectoryIdentity | None:
        if not password:
            # An empty password makes a simple bind unauthenticated, which directories
            # answer with success: it must never reach one.
            return None
        try:
            async with asyncio.timeout(self._deadline):
                return await anyio.to_thread.run_sync(
                    self._authenticate,
                    username,
                    password,
                    abandon_on_cancel=True,
                    limiter=self._limiter,
                )
        except TimeoutError:
            _logger.warning("LDAP login of %r took longer than %.1f s", username, self._deadline)
            raise DirectoryUnavailable(
                "The login directory did not answer in time; try again later."
            ) from None

    def _pool(self) -> ServerPool:
        # Built per login: ldap3 servers and pools keep per-connection state, which
        # threads must not share. One pass in order, skipping servers that refuse.
        servers = [
            Server(
                uri,
                get_info=NONE,
                tls=self._tls,
                connect_timeout=self._settings.ldap_connect_timeout_seconds,
            )
            for uri in self._settings.ldap_uris
        ]
        # active=1: one pass (True would retry forever); the stubs only know bool.
        return ServerPool(servers, FIRST, active=1, exhaust=True)  # type: ignore[arg-type]

    def _authenticate(self, username: str, password: str) -> DirectoryIdentity | None:
        settings = self._settings
        bind_password = settings.ldap_bind_password
        connection = Connection(
            self._pool(),
            user=settings.ldap_bind_dn,
            password=bind_password.get_secret_value() if bind_password else None,
            receive_timeout=settings.ldap_read_timeout_seconds,
            read_only=True,
            auto_referrals=False,
            raise_exceptions=False,
        )
        try:
            connection.open()
            if settings.ldap_start_tls and not connection.start_tls():
                raise self._refused(connection, "StartTLS")
            if not connection.bind():
                raise self._refused(connection, "the service account's bind")
            found = self._find_user(connection, username)
            if found is None:
                return None
            dn, attributes = found
            login_name = self._login_name(attributes, username)
            groups = self._groups(connection, dn, login_name, attributes)
            if not connection.rebind(user=dn, password=password):
                if connection.result["result"] in _RESULTS_REFUSING_CREDENTIALS:
                    return None
                raise self._refused(connection, "the user's bind")
        except LDAPException as error:
            _logger.warning("LDAP directory unreachable: %s", error)
            raise DirectoryUnavailable() from error
        finally:
            with contextlib.suppress(LDAPException):
                connection.unbind()
        return DirectoryIdentity(
            username=login_name,
            dn=dn,
            display_name=_first(attributes, settings.ldap_display_name_attribute) or login_name,
            email=_first(attributes, settings.ldap_email_attribute),
            groups=groups,
        )

    @staticmethod
    def _refused(connection: Connection, step: str) -> DirectoryUnavailable:
        result = connection.result or {}
        _logger.error(
            "LDAP %s failed: %s (%s) %s",
            step,
            result.get("description"),
            result.get("result"),
            result.get("message") or connection.last_error or "",
        )
        return DirectoryUnavailable(
            "The login directory refused the request; an administrator should check the "
            "LDAP settings (details are in the server log)."
        )

    def _search(
        self,
        connection: Connection,
        base: str,
        search_filter: str,
        attributes: list[str],
        size_limit: int = 0,
    ) -> list[dict[str, Any]]:
        connection.search(
            base, search_filter, SUBTREE, attributes=attributes, size_limit=size_limit
        )
        if connection.result["result"] not in (_RESULT_SUCCESS, _RESULT_SIZE_LIMIT_EXCEEDED):
            raise self._refused(connection, f"search under {base!r}")
        return _entries(connection)

    def _find_user(
        self, connection: Connection, username: str
    ) -> tuple[str, dict[str, Any]] | None:
        settings = self._settings
        search_filter = settings.ldap_user_filter.replace(
            "{username}", escape_filter_chars(username)
        )
        attributes = [
            settings.ldap_username_attribute,
            settings.ldap_display_name_attribute,
            settings.ldap_email_attribute,
        ]
        if "memberOf" in settings.ldap_group_styles:
            attributes.append("memberOf")
        assert settings.ldap_user_base is not None  # the settings require it with ldap_uris
        entries = self._search(connection, settings.ldap_user_base, search_filter, attributes, 2)
        if len(entries) > 1:
            _logger.warning(
                "LDAP user filter matches several entries for %r; refusing the login", username
            )
            return None
        return (entries[0]["dn"], entries[0]["attributes"]) if entries else None

    def _login_name(self, attributes: dict[str, Any], typed: str) -> str:
        """The directory's spelling of the login name: the value that matches what was
        typed (the attribute may hold several), else the first (the filter may match on
        another attribute, such as mail)."""
        names = _values(attributes, self._settings.ldap_username_attribute)
        matching = [name for name in names if name.casefold() == typed.casefold()]
        return (matching or names or [typed])[0]

    def _groups(
        self,
        connection: Connection,
        user_dn: str,
        login_name: str,
        attributes: dict[str, Any],
    ) -> tuple[DirectoryGroup, ...]:
        """The user's groups in every configured style, one search for all the searched
        styles; a group found twice (a DN in ``memberOf`` and as a ``member``) counts once."""
        settings = self._settings
        groups: dict[str, DirectoryGroup] = {}
        if "memberOf" in settings.ldap_group_styles:
            for dn in _values(attributes, "memberOf"):
                groups.setdefault(dn.casefold(), DirectoryGroup(dn, _rdn_value(dn)))
        searched = [style for style in settings.ldap_group_styles if style in _MEMBER_FILTERS]
        if searched and settings.ldap_group_base:
            filters = "".join(
                _MEMBER_FILTERS[style].format(
                    dn=escape_filter_chars(user_dn), username=escape_filter_chars(login_name)
                )
                for style in searched
            )
            search_filter = filters if len(searched) == 1 else f"(|{filters})"
            entries = self._search(connection, settings.ldap_group_base, search_filter, ["cn"])
            for entry in entries:
                name = _first(entry["attributes"], "cn") or _rdn_value(entry["dn"])
                groups.setdefault(entry["dn"].casefold(), DirectoryGroup(entry["dn"], name))
        return tuple(sorted(groups.values(), key=lambda group: group.dn.casefold()))
