#!/usr/bin/env bash
# `npm test`: build, typecheck, lint, then every test (unit and end-to-end) on the pinned Node.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== node $(node --version)"
echo "== build"
tsc -p tsconfig.build.json
echo "== typecheck"
tsc --noEmit -p tsconfig.test.json
echo "== lint"
biome check .
echo "== tests"
results="$(mktemp -d)/vitest.json"
status=0
vitest run --reporter=default --reporter=json --outputFile.json="$results" || status=$?
node scripts/test-summary.mjs "$results" || true
exit "$status"
