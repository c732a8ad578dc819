#!/usr/bin/env bash
# Quick start, part 1: install what is missing, build, and review the bundled examples.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build build/release
echo
echo "== warden scan examples/ =="
set +e
build/release/warden scan examples/
rc=$?
set -e
echo
echo "(exit code $rc: 1 means findings at or above --fail-on high, as expected for these examples)"
[ "$rc" -le 1 ]
