#!/usr/bin/env bash
# Does `warden scan` stay linear in the size of one export? Scans Node-RED
# exports of 100 and 1000 tabs (x 100 nodes, findings on nearly every node)
# and prints the time per 1,000 nodes for each and their ratio: near 1 means
# linear, 10 would mean quadratic (as locating findings once was: 428 s for
# the 1000-tab file before the JSON pointer cursor, 3 s after, dev build).
#
# usage: bench/scale.sh   (ROUNDS=N, default 3). Builds the release preset.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${ROUNDS:-3}"
cmake --preset release >/dev/null
cmake --build build/release >/dev/null
bin=build/release/warden
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
. bench/best.sh
declare -A per
for tabs in 100 1000; do
  python3 bench/gen_wide_nodered.py "$tabs" >"$tmp/w$tabs.json"
  t=$(best "$bin" scan -q -j 1 --format json --fail-on none -o /dev/null "$tmp/w$tabs.json")
  per[$tabs]=$(awk -v t="$t" -v n="$tabs" 'BEGIN{printf "%.4f", t / (n * 101) * 1000}')
  printf 'scan, %4d tabs x 100 nodes: %7.3f s  (%s s per 1,000 nodes)\n' "$tabs" "$t" "${per[$tabs]}"
done
awk -v a="${per[100]}" -v b="${per[1000]}" 'BEGIN{printf "time per node, 1000 tabs / 100 tabs: %.2fx (1 = linear)\n", (a > 0 ? b / a : 0)}'
