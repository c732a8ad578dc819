#!/usr/bin/env bash
# Quick start, part 2: install what is missing, build with warnings as errors,
# and run every test: once in the dev build, once under AddressSanitizer +
# UndefinedBehaviorSanitizer with leak detection (the asan preset).
# WARDEN_PRESET=dev (or asan, release) runs a single preset.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
presets="${WARDEN_PRESET:-dev asan}"
for preset in $presets; do
	echo "== $preset =="
	cmake --preset "$preset" >/dev/null
	cmake --build "build/$preset"
	ctest --preset "$preset" -j"$(nproc)"
done
