"""The Go and Java templates write the same trace format and sign the same way: their
committed sample outputs validate against the schema; the dependency-free Java core is
compiled and run here (javac, Java 17); the Go one when ``go`` is on the PATH."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from gyrfalcon import probe
from tests.probe.validation import by_name, valid_trace

TEMPLATES = Path(__file__).parents[2] / "docs" / "probe" / "templates"
SECRET = "template-secret-0123"
NOW = 1_700_000_000
BODY = b'{"order": 7}'
TARGET = "/debug/checkout?dry=1&tag=a%20b"
BUILD_LIMIT = 600


@pytest.mark.parametrize("language", ["go", "java"])
def test_the_committed_sample_outputs_are_valid_traces(language: str) -> None:
    sample = json.loads((TEMPLATES / language / "sample-output.json").read_text())
    spans = by_name(valid_trace(sample))
    assert spans["payments health"]["error"] == "did not finish within 0.1 s"
    assert spans["invoice bucket"]["status"] == "skipped"


@pytest.fixture(scope="module")
def java_classes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("javac") is None or shutil.which("java") is None:
        pytest.skip("javac and java (17+) are not on the PATH")
    classes = tmp_path_factory.mktemp("java-template")
    sources = [TEMPLATES / "java" / "DebugTrace.java", TEMPLATES / "java" / "Sample.java"]
    subprocess.run(
        ["javac", "-Xlint:all", "-Werror", "-d", str(classes), *map(str, sources)],
        check=True,
        capture_output=True,
        timeout=BUILD_LIMIT,
    )
    return classes


def _java(classes: Path, *args: str, stdin: bytes = b"") -> str:
    completed = subprocess.run(
        ["java", "-cp", str(classes), "dev.gyrfalcon.probe.Sample", *args],
        input=stdin,
        check=True,
        capture_output=True,
        timeout=BUILD_LIMIT,
    )
    return completed.stdout.decode()


def test_the_java_sample_prints_a_valid_trace(java_classes: Path) -> None:
    trace = valid_trace(json.loads(_java(java_classes)))
    assert (trace["service"], trace["status"]) == ("orders", "error")
    assert trace["result"] == {"order": "7", "lines": 3}
    spans = by_name(trace)
    assert spans["payments health"]["status"] == "timeout"
    assert spans["payments health"]["duration_ms"] >= 100
    assert spans["reserve stock"]["error"] == "IllegalStateException: no stock for sku-7"
    assert [child["name"] for child in spans["load order"]["children"]] == ["parse lines"]


def test_java_verifies_what_the_python_sign_signs(java_classes: Path) -> None:
    headers = probe.sign(SECRET, "POST", TARGET, BODY, NOW)
    timestamp, signature = headers["X-Gyrfalcon-Timestamp"], headers["X-Gyrfalcon-Signature"]

    def verify(body: bytes, now: int, target: str = TARGET) -> str:
        args = ("verify", SECRET, "POST", target, timestamp, signature, str(now))
        return _java(java_classes, *args, stdin=body).strip()

    assert verify(BODY, NOW) == "ok"
    assert verify(b'{"order": 8}', NOW) == "X-Gyrfalcon-Signature does not match this request"
    assert (
        verify(BODY, NOW, "/debug/checkout") == "X-Gyrfalcon-Signature does not match this request"
    )
    assert verify(BODY, NOW + 301).startswith("X-Gyrfalcon-Timestamp is 301 s away")


@pytest.fixture(scope="module")
def go_binary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    go = shutil.which("go")
    if go is None:
        pytest.skip("go is not on the PATH: only the committed Go sample output was checked")
    work = tmp_path_factory.mktemp("go-template")
    source = work / "src"
    shutil.copytree(TEMPLATES / "go", source)
    binary = work / "debugprobe"
    environment = {
        **os.environ,
        "GOCACHE": str(work / "cache"),
        "GOPATH": str(work / "path"),
        "GOTOOLCHAIN": "local",  # build with the go found, never download another
    }
    for command in ([go, "vet", "."], [go, "build", "-o", str(binary), "."]):
        subprocess.run(
            command,
            cwd=source,
            env=environment,
            check=True,
            capture_output=True,
            timeout=BUILD_LIMIT,
        )
    return binary


def test_the_go_sample_prints_a_valid_trace(go_binary: Path) -> None:
    completed = subprocess.run(
        [str(go_binary), "-sample"], check=True, capture_output=True, timeout=BUILD_LIMIT
    )
    spans = by_name(valid_trace(json.loads(completed.stdout)))
    assert spans["payments health"]["status"] == "timeout"
    assert spans["payments health"]["duration_ms"] >= 100
    assert spans["inventory health"]["attributes"] == {"status": 200}


def test_go_signs_like_python(go_binary: Path) -> None:
    completed = subprocess.run(
        [
            str(go_binary),
            "-sign",
            SECRET,
            "-method",
            "POST",
            "-path",
            TARGET,
            "-timestamp",
            str(NOW),
        ],
        input=BODY,
        check=True,
        capture_output=True,
        timeout=BUILD_LIMIT,
    )
    expected = probe.sign(SECRET, "POST", TARGET, BODY, NOW)["X-Gyrfalcon-Signature"]
    assert completed.stdout.decode().strip() == expected
