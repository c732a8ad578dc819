#!/usr/bin/env bash
# Quick start, part 2: install what is missing, build with warnings as errors, run every test.
# WARDEN_PRESET=asan runs the same suite under AddressSanitizer + UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
preset="${WARDEN_PRESET:-dev}"
cmake --preset "$preset" >/dev/null
cmake --build "build/$preset"
ctest --preset "$preset" -j"$(nproc)"
