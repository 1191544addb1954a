"""The SDK stands alone: a service installs it without the console, so importing it
loads no other part of Gyrfalcon and nothing outside the standard library; and the
schema it writes to ships inside the package."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import gyrfalcon.probe
from gyrfalcon import probe

PACKAGE = Path(gyrfalcon.probe.__file__).parent
IMPORT_REPORT = """
import json, sys
before = set(sys.modules)
import gyrfalcon.probe
loaded = set(sys.modules) - before
print(json.dumps({
    "gyrfalcon": sorted(m for m in sys.modules if m.startswith("gyrfalcon")),
    "third_party": sorted(
        {m.split(".")[0] for m in loaded} - set(sys.stdlib_module_names) - {"gyrfalcon"}
    ),
}))
"""


def test_importing_the_sdk_loads_no_other_gyrfalcon_module_and_no_third_party_one() -> None:
    completed = subprocess.run(
        [sys.executable, "-c", IMPORT_REPORT], capture_output=True, text=True, check=True
    )
    report = json.loads(completed.stdout)
    for name in report["gyrfalcon"]:
        assert name in ("gyrfalcon", "gyrfalcon.probe") or name.startswith("gyrfalcon.probe."), name
    assert "gyrfalcon.probe.spans" in report["gyrfalcon"]
    assert report["third_party"] == []


def test_the_package_imports_only_itself_from_gyrfalcon() -> None:
    for path in PACKAGE.rglob("*.py"):
        for line in path.read_text().splitlines():
            words = line.strip().split()
            if words[:1] in (["import"], ["from"]) and words[1].startswith("gyrfalcon"):
                assert words[1].startswith("gyrfalcon.probe"), f"{path.name}: {line}"


def test_the_schema_ships_in_the_package_and_names_the_format() -> None:
    on_disk = json.loads((PACKAGE / "trace.schema.json").read_text())
    assert on_disk == probe.SCHEMA
    assert probe.SCHEMA["properties"]["format"]["const"] == probe.FORMAT
