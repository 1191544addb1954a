#!/usr/bin/env bash
# Runs every suite: lint (ruff, mypy), the UI's unit tests and stale-client check alongside the Python
# suite (independent, so in parallel on this 2-core machine), then the browser tests.
# Exits non-zero when any suite fails.
set -uo pipefail
cd "$(dirname "$0")/.."
UV="$(command -v uv 2>/dev/null || echo "python3 -m uv")"
mkdir -p test-output

(cd ui && npm run --silent check:api && npm test --silent) > test-output/ui-tests.log 2>&1 &
ui_pid=$!

$UV run ruff check src tests bench && $UV run ruff format --check src tests bench && $UV run mypy
lint_status=$?

$UV run pytest -m "not e2e" -n 2 -p no:cacheprovider
python_status=$?

wait "$ui_pid"
ui_status=$?
cat test-output/ui-tests.log
[ "$ui_status" -eq 0 ] || echo "UI tests failed (see above)"

$UV run pytest -m e2e -p no:cacheprovider
e2e_status=$?

passed=0; failed=0
for status in "$lint_status" "$python_status" "$ui_status" "$e2e_status"; do
  if [ "$status" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "lint=$lint_status python=$python_status ui=$ui_status e2e=$e2e_status"
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
