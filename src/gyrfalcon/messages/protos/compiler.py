"""Compile uploaded ``.proto`` files with the compiler the ``grpcio-tools`` wheel carries.

protoc runs in a child process (``python -m grpc_tools.protoc``), never in the console's
own: its errors arrive on stderr as ``file:line:column: message``, which is what a person
fixing a schema needs, and a compiler that crashes or loops on a hostile file takes only
the child down. The files are written to a fresh temporary directory under their own
relative names, so the messages name them as the person uploaded them; Google's
well-known types come from the wheel's own include directory.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import grpc_tools

WELL_KNOWN_TYPES = Path(grpc_tools.__file__).parent / "_proto"
_DIAGNOSTIC = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<column>\d+): (?P<message>.*)$")
_WARNING = "warning: "


@dataclass(frozen=True)
class Diagnostic:
    """One line of protoc's report; ``line`` and ``column`` are 1-based, None when protoc
    named no place (a missing file, say)."""

    file: str | None
    line: int | None
    column: int | None
    message: str

    def __str__(self) -> str:
        if self.file is None:
            return self.message
        if self.line is None:
            return f"{self.file}: {self.message}"
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


@dataclass(frozen=True)
class Compiled:
    descriptor_set: bytes
    """A serialised ``FileDescriptorSet`` of the uploaded files and everything they import,
    dependencies first."""
    warnings: list[Diagnostic]


class CompileFailed(Exception):
    def __init__(self, errors: list[Diagnostic]) -> None:
        super().__init__("; ".join(str(error) for error in errors))
        self.errors = errors


async def compile_files(files: dict[str, str], *, timeout: float) -> Compiled:
    """Compile ``files`` (relative name to text); raises :class:`CompileFailed` with
    protoc's errors, or with one saying the compiler took longer than ``timeout``."""
    with tempfile.TemporaryDirectory(prefix="gyrfalcon-proto-") as workdir:
        root = Path(workdir) / "src"
        for name, text in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        output = Path(workdir) / "set.pb"
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "grpc_tools.protoc",
            f"--proto_path={root}",
            f"--proto_path={WELL_KNOWN_TYPES}",
            f"--descriptor_set_out={output}",
            "--include_imports",
            *sorted(files),
            cwd=root,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env={"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8"},
        )
        try:
            _stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=timeout)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
            message = f"the compiler did not finish within {timeout:g} s"
            raise CompileFailed([Diagnostic(None, None, None, message)]) from None
        diagnostics = parse_report(stderr.decode("utf-8", "replace"), root)
        errors = [d for d in diagnostics if not d.message.startswith(_WARNING)]
        if process.returncode != 0 or not output.exists():
            if not errors:
                code = process.returncode
                errors = [Diagnostic(None, None, None, f"the compiler failed (exit code {code})")]
            raise CompileFailed(errors)
        warnings = [
            Diagnostic(d.file, d.line, d.column, d.message.removeprefix(_WARNING))
            for d in diagnostics
            if d.message.startswith(_WARNING)
        ]
        return Compiled(output.read_bytes(), warnings)


def parse_report(report: str, root: Path) -> list[Diagnostic]:
    """protoc's stderr as diagnostics, the temporary directory taken out of every path so
    no message names the server's file system."""
    prefix = f"{root}{os.sep}"
    found = []
    for raw in report.splitlines():
        line = raw.replace(prefix, "").strip()
        if not line:
            continue
        match = _DIAGNOSTIC.match(line)
        if match:
            found.append(
                Diagnostic(
                    match["file"], int(match["line"]), int(match["column"]), match["message"]
                )
            )
        elif ": " in line and not line.startswith(("warning", "error")):
            file, _, message = line.partition(": ")
            found.append(Diagnostic(file, None, None, message))
        else:
            found.append(Diagnostic(None, None, None, line))
    return found
