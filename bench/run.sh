#!/usr/bin/env bash
# Benchmarks, printed as figures (never asserted): JSON read speed of Warden's
# reader against jansson on the same bytes in the same process, and whole
# `warden scan` runs (n8n + Node-RED, then every platform of the corpus):
# wall time, files/s, MB/s, peak RSS.
#
# usage: bench/run.sh [CORPUS_DIR]   (default ../shared/corpus)
# Builds the release preset first. The machine is shared and noisy: compare
# ratios measured in one run, and read the best of several rounds.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-../shared/corpus}"
rounds="${ROUNDS:-7}"
[ -d "$corpus/n8n" ] || { echo "bench: no corpus at $corpus" >&2; exit 2; }

cmake --preset release >/dev/null
cmake --build build/release >/dev/null
bin=build/release/warden

echo "== JSON reader, n8n corpus (best of $rounds rounds) =="
find "$corpus/n8n" -name '*.json' -print0 | sort -z >/tmp/warden-bench-n8n.lst
xargs -0 -s 2000000 build/release/bench/bench_json --rounds "$rounds" </tmp/warden-bench-n8n.lst

scan_bench() { # label, paths...
  local label="$1"; shift
  local files bytes
  files=$(find "$@" -name '*.json' | wc -l)
  bytes=$(find "$@" -name '*.json' -print0 | du -cb --files0-from=- | tail -1 | cut -f1)
  echo
  echo "== warden scan of $label: $files files, $bytes bytes (best of $rounds runs, JSON report to /dev/null) =="
  for jobs in 1 0; do
    best=""; rss=0
    for _ in $(seq "$rounds"); do
      jobarg=(); [ "$jobs" = 0 ] || jobarg=(-j "$jobs")
      out=$( { /usr/bin/time -f '%e %M' "$bin" scan -q "${jobarg[@]}" \
               --format json -o /dev/null "$@" >/dev/null || true; } 2>&1 | tail -1 )
      t=${out% *}; m=${out#* }
      if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
      [ "$m" -gt "$rss" ] && rss=$m
    done
    label2=$([ "$jobs" = 0 ] && echo "all CPUs ($(nproc))" || echo "1 thread")
    awk -v t="$best" -v f="$files" -v b="$bytes" -v r="$rss" -v l="$label2" 'BEGIN {
      printf "%-16s wall %.3f s   %6.0f files/s   %6.1f MB/s   peak RSS %.1f MB\n",
             l, t, f / (t > 0 ? t : 0.001), b / 1e6 / (t > 0 ? t : 0.001), r / 1024 }'
  done
}

scan_bench "n8n + node-red" "$corpus/n8n" "$corpus/node-red"
scan_bench "the whole corpus (all platforms)" "$corpus"
