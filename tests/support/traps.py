"""Credential traps: servers an attacker would aim a connection test at, recording every
byte a client sends them so a test can prove which secrets reached them.

Each speaks just enough of its protocol for a client to hand over its credentials:
PostgreSQL asks for a cleartext password, SMTP offers AUTH PLAIN/LOGIN, and Redis needs
nothing (redis-py sends AUTH as its first command). They listen on 127.0.0.2, a loopback
address no real server of the test uses, as the review's attack did.
"""

from __future__ import annotations

import asyncio
import contextlib
import struct
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

TRAP_HOST = "127.0.0.2"


@dataclass
class Trap:
    host: str
    port: int
    received: bytearray = field(default_factory=bytearray)

    def saw(self, secret: str) -> bool:
        return secret.encode() in bytes(self.received) or _b64_contains(self.received, secret)


def _b64_contains(data: bytearray, secret: str) -> bool:
    # SMTP AUTH sends credentials base64-encoded, whole lines at a time.
    import base64
    import binascii

    for line in bytes(data).split(b"\r\n"):
        for word in line.split():
            with contextlib.suppress(binascii.Error, ValueError):
                if secret.encode() in base64.b64decode(word, validate=True):
                    return True
    return False


Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter, Trap], Awaitable[None]]


async def _record(reader: asyncio.StreamReader, trap: Trap, size: int) -> bytes:
    data = await reader.read(size)
    trap.received.extend(data)
    return data


async def _postgres(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, trap: Trap) -> None:
    while True:
        header = await reader.readexactly(8)
        trap.received.extend(header)
        length, code = struct.unpack("!ii", header)
        if code in (80877103, 80877104):  # SSLRequest, GSSENCRequest: "not here"
            writer.write(b"N")
            await writer.drain()
            continue
        trap.received.extend(await reader.readexactly(length - 8))
        break
    writer.write(b"R" + struct.pack("!ii", 8, 3))  # AuthenticationCleartextPassword
    await writer.drain()
    while await _record(reader, trap, 4096):
        pass


async def _smtp(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, trap: Trap) -> None:
    writer.write(b"220 trap ESMTP\r\n")
    await writer.drain()
    while line := await reader.readline():
        trap.received.extend(line)
        verb = line.split(b" ", 1)[0].strip().upper()
        if verb in (b"EHLO", b"HELO"):
            writer.write(b"250-trap\r\n250 AUTH PLAIN LOGIN\r\n")
        elif verb == b"AUTH" and len(line.split()) == 2:
            writer.write(b"334 \r\n")  # ask for the credentials on the next line
        elif verb == b"QUIT":
            writer.write(b"221 bye\r\n")
            await writer.drain()
            return
        else:
            writer.write(b"535 no\r\n")
        await writer.drain()


async def _redis(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, trap: Trap) -> None:
    while await _record(reader, trap, 4096):
        writer.write(b"-ERR trap\r\n")  # answer at once, so the client gives up quickly
        await writer.drain()


HANDLERS: dict[str, Handler] = {"postgresql": _postgres, "smtp": _smtp, "redis": _redis}


@contextlib.asynccontextmanager
async def credential_trap(protocol: str) -> AsyncIterator[Trap]:
    """A listening trap on 127.0.0.2 speaking ``protocol`` (a key of HANDLERS)."""
    handler = HANDLERS[protocol]
    trap = Trap(TRAP_HOST, 0)

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            await handler(reader, writer, trap)
        writer.close()

    server = await asyncio.start_server(serve, TRAP_HOST, 0)
    trap.port = server.sockets[0].getsockname()[1]
    try:
        yield trap
    finally:
        server.close()
        await server.wait_closed()
