#!/usr/bin/env bash
# Secrets benchmark, printed as figures (never asserted): Warden and secretlint on the
# same labeled set of exports with planted secrets and decoys (bench/secrets/), per-family
# recall and false positives of both tools and their wall times measured in the same run;
# then both tools' speed on the n8n corpus (files/s and the Warden/secretlint ratio).
#
# usage: bench/secrets.sh [CORPUS_DIR]   (default ../shared/corpus)
# env:   ROUNDS (Warden runs per timing, best is kept; default 5), BATCH (files per
#        secretlint invocation; default 200), SKIP_SECRETLINT=1, SKIP_CORPUS=1
# Builds the release preset first; generates bench/.cache/labeled/; installs secretlint
# into bench/.cache/secretlint/ when missing (needs the npm registry once). On Node 20 this
# resolves secretlint 12.0.0 + @secretlint/secretlint-rule-preset-recommend 12.0.0 (the
# versions measured when this script was written; 13.x needs Node >= 22). secretlint runs
# in batches of ~200 files: its always-on profiler makes one run over thousands of files
# slow. Raw outputs stay in bench/.cache/secrets-run/. The machine is shared and noisy:
# compare ratios measured in one run.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-../shared/corpus}"
rounds="${ROUNDS:-5}"
batch="${BATCH:-200}"
labeled=bench/.cache/labeled
work=bench/.cache/secrets-run
sl=bench/.cache/secretlint
rm -rf "$work" && mkdir -p "$work"

cmake --preset release >/dev/null
cmake --build build/release >/dev/null
bin=build/release/warden

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

echo "== labeled set =="
python3 bench/secrets/make_labeled.py "$labeled"
python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))["files"]))' "$labeled/labels.json" \
  | sed "s|^|$labeled/|" >"$work/labeled.lst"
nfiles=$(wc -l <"$work/labeled.lst")

# warden_scan OUT ARGS...: one scan; exit 1 only means "findings at or above --fail-on"
warden_scan() {
  local out="$1"; shift
  local rc=0
  "$bin" scan -q --format json -o "$out" "$@" >/dev/null || rc=$?
  if [ "$rc" -gt 1 ]; then echo "bench: warden scan failed (exit $rc) on $*" >&2; return "$rc"; fi
}

# best_of N CMD...: run CMD N times, print the best wall time in seconds
best_of() {
  local n="$1"; shift
  local best="" t0 t
  for _ in $(seq "$n"); do
    t0=$(now); "$@"; t=$(elapsed "$t0" "$(now)")
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
  done
  echo "$best"
}

w_labeled=$(best_of "$rounds" warden_scan "$work/warden-labeled.json" "$labeled")

# ---- secretlint ------------------------------------------------------------------------------
have_sl=0
if [ "${SKIP_SECRETLINT:-0}" != 1 ]; then
  if [ ! -x "$sl/node_modules/.bin/secretlint" ]; then
    echo "installing secretlint into $sl ..."
    mkdir -p "$sl"
    [ -f "$sl/package.json" ] || echo '{"name": "warden-bench-secretlint", "private": true}' >"$sl/package.json"
    if ! npm install --prefix "$sl" --no-audit --no-fund \
           secretlint@12 @secretlint/secretlint-rule-preset-recommend@12 >"$work/npm-install.log" 2>&1; then
      echo "bench: npm install of secretlint failed; printing Warden's figures only. npm said:"
      head -n 8 "$work/npm-install.log" | sed 's/^/  /'
    fi
  fi
  if [ -x "$sl/node_modules/.bin/secretlint" ]; then
    have_sl=1
    echo '{"rules": [{"id": "@secretlint/secretlint-rule-preset-recommend"}]}' >"$sl/.secretlintrc.json"
    sl_version=$(cd "$sl" && node -p 'require("secretlint/package.json").version + " (preset-recommend " +
      require("@secretlint/secretlint-rule-preset-recommend/package.json").version + "), node " + process.version')
  fi
fi

# secretlint_batches LIST PREFIX: run secretlint on the files of LIST, BATCH files per run,
# JSON reports to PREFIX-NNN.json; prints nothing, returns non-zero if a batch failed
secretlint_batches() {
  local list="$1" prefix="$2" chunk rc=0 files
  rm -f "$prefix".chunk.*
  split -l "$batch" -d -a 3 "$list" "$prefix.chunk."
  for chunk in "$prefix".chunk.*; do
    mapfile -t files <"$chunk"
    "$sl/node_modules/.bin/secretlint" --no-glob --no-color --format json --secretlintrc "$sl/.secretlintrc.json" \
      --output "$prefix-${chunk##*.}.json" "${files[@]}" >/dev/null 2>>"$prefix.stderr" || rc=$?
  done
  rm -f "$prefix".chunk.*
  return "$rc"
}

sl_args=()
if [ "$have_sl" = 1 ]; then
  t0=$(now)
  secretlint_batches "$work/labeled.lst" "$work/sl-labeled" || echo "bench: a secretlint batch failed (see $work/sl-labeled.stderr)"
  s_labeled=$(elapsed "$t0" "$(now)")
  sl_args=(--secretlint "$work"/sl-labeled-*.json --secretlint-seconds "$s_labeled")
  scanned=$(python3 -c 'import json,sys; print(sum(len(json.load(open(f))) for f in sys.argv[1:]))' "$work"/sl-labeled-*.json)
  [ "$scanned" = "$nfiles" ] || echo "bench: secretlint reported on $scanned of $nfiles files"
fi

echo
if [ "$have_sl" = 1 ]; then
  echo "== secrets in the labeled set: Warden $("$bin" --version 2>/dev/null || true) vs secretlint $sl_version =="
else
  echo "== secrets in the labeled set: Warden only (secretlint not available) =="
fi
python3 bench/secrets/score.py --root "$labeled" --warden "$work/warden-labeled.json" \
  --warden-seconds "$w_labeled" "${sl_args[@]}" --providers
echo
echo "wall time on the labeled set ($nfiles files): Warden $w_labeled s (best of $rounds)${s_labeled:+, secretlint $s_labeled s (one pass, batches of $batch)}"

# ---- speed on the n8n corpus -----------------------------------------------------------------
if [ "${SKIP_CORPUS:-0}" != 1 ]; then
  if [ ! -d "$corpus/n8n" ]; then
    echo "bench: no corpus at $corpus, skipping the speed comparison"
  else
    find "$corpus/n8n" -name '*.json' | sort >"$work/corpus.lst"
    n=$(wc -l <"$work/corpus.lst")
    bytes=$(tr '\n' '\0' <"$work/corpus.lst" | du -cb --files0-from=- | tail -1 | cut -f1)
    echo
    echo "== speed on $corpus/n8n: $n files, $bytes bytes =="
    w_all=$(best_of "$rounds" warden_scan /dev/null "$corpus/n8n")
    w_one=$(best_of "$rounds" warden_scan /dev/null -j 1 "$corpus/n8n")
    line() { awk -v l="$1" -v t="$2" -v f="$n" -v b="$bytes" 'BEGIN {
      printf "%-38s wall %8.3f s  %8.0f files/s  %6.1f MB/s\n", l, t, f / (t > 0 ? t : 0.001), b / 1e6 / (t > 0 ? t : 0.001) }'; }
    line "warden scan, all CPUs ($(nproc)), best of $rounds" "$w_all"
    line "warden scan, 1 thread, best of $rounds" "$w_one"
    if [ "$have_sl" = 1 ]; then
      t0=$(now)
      secretlint_batches "$work/corpus.lst" "$work/sl-corpus" || echo "bench: a secretlint batch failed (see $work/sl-corpus.stderr)"
      s_corpus=$(elapsed "$t0" "$(now)")
      line "secretlint, batches of $batch, one pass" "$s_corpus"
      python3 - "$work"/sl-corpus-*.json <<'EOF'
import json, sys
from collections import Counter
files, msgs = 0, Counter()
for p in sys.argv[1:]:
    for r in json.load(open(p)):
        files += 1
        msgs.update(m["ruleId"].split("/")[-1] for m in r["messages"])
print(f"secretlint reported on {files} files, {sum(msgs.values())} messages" + (": " + ", ".join(f"{k} {v}" for k, v in msgs.most_common()) if msgs else ""))
EOF
      rm -f "$work"/sl-corpus-*.json     # they carry every file's full text (sourceContent)
      awk -v a="$s_corpus" -v b="$w_all" -v c="$w_one" 'BEGIN {
        printf "Warden is %.0fx faster (all CPUs), %.0fx faster (1 thread) than secretlint on the n8n corpus\n", a / b, a / c }'
    fi
  fi
fi
