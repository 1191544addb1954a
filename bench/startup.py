"""Start-to-ready time of `gyrfalcon serve` on the embedded default (target < 3 s).

Measures a first start (creates the SQLite database and runs the migrations) and a
warm restart, and as the baseline the start-to-ready time of a bare FastAPI app under
Uvicorn on the same interpreter, so the ratio shows what Gyrfalcon itself adds.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import free_port, serve_env, wait_ready

RUNS = 5
_BARE_APP = """
import sys, uvicorn
from fastapi import FastAPI
app = FastAPI()
@app.get("/readyz")
def ready():
    return {"status": "ready"}
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def _time_to_ready(command: list[str], env: dict[str, str] | None, port: int) -> float:
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    try:
        return wait_ready(f"http://127.0.0.1:{port}") - started
    finally:
        process.terminate()
        process.wait(timeout=15)


def _gyrfalcon(data_dir: Path) -> float:
    port = free_port()
    return _time_to_ready(
        [sys.executable, "-m", "gyrfalcon", "serve"], serve_env(data_dir, port), port
    )


def main() -> None:
    first, warm, bare = [], [], []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as tmp:
            first.append(_gyrfalcon(Path(tmp)))
            warm.append(_gyrfalcon(Path(tmp)))
        port = free_port()
        bare.append(_time_to_ready([sys.executable, "-c", _BARE_APP, str(port)], None, port))
    result = {
        "benchmark": "startup",
        "runs": RUNS,
        "first_start_s": round(statistics.median(first), 3),
        "warm_start_s": round(statistics.median(warm), 3),
        "bare_fastapi_s": round(statistics.median(bare), 3),
        "ratio_warm_vs_bare": round(statistics.median(warm) / statistics.median(bare), 2),
        "target_s": 3.0,
        "meets_target": max(statistics.median(first), statistics.median(warm)) < 3.0,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
