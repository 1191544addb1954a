#!/usr/bin/env bash
# Runs every benchmark; each prints one JSON line (also kept in bench/results/).
set -euo pipefail
cd "$(dirname "$0")/.."
UV="$(command -v uv 2>/dev/null || echo "python3 -m uv")"
mkdir -p bench/results
for bench in startup api_latency permission_check audit_overhead monitor_scheduler sql_row_cap jobs_dead_set messages_ingest cache_keys probe_overhead debug_waterfall; do
  $UV run python -m "bench.$bench" | tee "bench/results/$bench.json"
done
