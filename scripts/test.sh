#!/usr/bin/env bash
# `npm test`: build, typecheck, lint, then every test (unit and end-to-end) on the pinned Node.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== node $(node --version)"

# The sandbox tests run against a real Docker engine: install and start one when absent
# (these machines run as root with Debian's packages; dockerd runs without systemd).
ensure_docker() {
  if docker info >/dev/null 2>&1; then return 0; fi
  if ! command -v dockerd >/dev/null 2>&1; then
    echo "== installing docker.io"
    if [ "$(id -u)" != "0" ]; then echo "docker.io is missing and this is not root: install it" >&2; return 1; fi
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
  fi
  echo "== starting dockerd"
  (setsid dockerd >/tmp/openclaw-test-dockerd.log 2>&1 &)
  for _ in $(seq 1 60); do
    if docker info >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "dockerd did not start; see /tmp/openclaw-test-dockerd.log" >&2
  return 1
}
ensure_docker

# Debian packages the tests drive for real, installed when absent (these machines run as root):
# Chromium for the Control UI (driven by playwright-core), bubblewrap for the confinement of
# agents' host commands (src/confinement), ngircd as the real IRC server of the IRC channel's
# tests (each test starts its own on a loopback port).
ensure_package() {
  local command="$1" package="$2"
  if command -v "$command" >/dev/null 2>&1; then return 0; fi
  echo "== installing $package"
  if [ "$(id -u)" != "0" ]; then echo "$package is missing and this is not root: install it" >&2; return 1; fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
}
ensure_package chromium chromium
ensure_package bwrap bubblewrap
ensure_package ngircd ngircd
# PostgreSQL for the shared storage's tests (src/storage/postgres): each test file starts its own
# server from Debian's binaries on a loopback port (src/storage/postgres/testing), so the package
# is all that is needed; the system cluster the package may create is not started here.
ensure_postgresql() {
  if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then return 0; fi
  echo "== installing postgresql"
  if [ "$(id -u)" != "0" ]; then echo "postgresql is missing and this is not root: install it" >&2; return 1; fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
}
ensure_postgresql
echo "== build"
tsc -p tsconfig.build.json
node scripts/bundle.mjs
vite build --config ui/vite.config.ts --logLevel warn
echo "== typecheck"
tsc --noEmit -p tsconfig.test.json
tsc --noEmit -p ui/tsconfig.json
echo "== lint"
biome check .
echo "== tests"
results="$(mktemp -d)/vitest.json"
status=0
vitest run --reporter=default --reporter=json --outputFile.json="$results" || status=$?
node scripts/test-summary.mjs "$results" || true
# OpenClaw's published CLI and reference client against the built gateway (first run downloads
# them into ${OPENCLAW_COMPAT_CACHE:-~/.cache/openclaw-compat}; later runs reuse the cache).
echo "== compatibility with OpenClaw's own clients (npm run test:compat)"
compat_status=0
vitest run --config test/compat/vitest.config.ts || compat_status=$?
if [ "$status" -eq 0 ]; then status=$compat_status; fi
exit "$status"
