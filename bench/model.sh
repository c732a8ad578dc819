#!/usr/bin/env bash
# The threat model of a 10,000-component app: `warden model` in every format
# against two baselines in the same run (`cat` of the export, `warden scan`
# of it), best wall time of several rounds, and the ratio to scan. The
# target is under one second per format (docs/model.md).
#
# usage: bench/model.sh [NODES]   (default 10000; ROUNDS=N, default 5)
# Builds the release preset first. The machine is shared and noisy: compare
# ratios measured in one run, and read the best of several rounds.
set -euo pipefail
cd "$(dirname "$0")/.."
nodes="${1:-10000}"
rounds="${ROUNDS:-5}"

cmake --preset release >/dev/null
cmake --build build/release >/dev/null
bin=build/release/warden
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
python3 bench/gen_big_app.py "$nodes" >"$tmp/big.json"
bytes=$(wc -c <"$tmp/big.json")

. bench/best.sh

"$bin" model --format json "$tmp/big.json" >"$tmp/model.json" || true
summary=$(python3 -c "import json; s=json.load(open('$tmp/model.json'))[0]['summary']; print('%d processes, %d externals, %d stores, %d flows, %d boundaries, %d threats' % (s['processes'], s['externals'], s['stores'], s['flows'], s['boundaries'], s['threats']))")
echo "== warden model of a generated n8n app: $nodes nodes, $bytes bytes (best of $rounds) =="
echo "   model: $summary"
cat_t=$(best cat "$tmp/big.json")
scan_t=$(best "$bin" scan -q -j 1 --format json --fail-on none "$tmp/big.json")
printf '%-22s %7.3f s\n' "baseline: cat" "$cat_t"
printf '%-22s %7.3f s\n' "baseline: warden scan" "$scan_t"
worst=0
for fmt in md json mermaid dot svg; do
  t=$(best "$bin" model --format "$fmt" "$tmp/big.json")
  awk -v f="$fmt" -v t="$t" -v s="$scan_t" 'BEGIN {
    printf "%-22s %7.3f s   %5.2fx scan   %s\n", "model --format " f, t, (s > 0 ? t / s : 0),
           (t < 1.0 ? "under 1 s" : "OVER 1 s") }'
  worst=$(awk -v a="$worst" -v b="$t" 'BEGIN{print (b > a ? b : a)}')
done
t=$(best "$bin" model --out "$tmp/out" "$tmp/big.json")
printf '%-22s %7.3f s   (all five files)\n' "model --out DIR" "$t"
awk -v w="$worst" 'BEGIN { printf "slowest format: %.3f s (target: under 1 s)\n", w }'
