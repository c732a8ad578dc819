#!/usr/bin/env bash
# Golden tests: the reports for the bundled examples in every format (text,
# JSON, SARIF, Markdown, JUnit), byte for byte after normalising the tool
# version. Regenerate after an intended change with
#   WARDEN_UPDATE_GOLDEN=1 ctest -R golden   (then review the diff)
# usage: golden.sh WARDEN_BINARY SOURCE_DIR [CORPUS_DIR]
set -u
bin="$1"; src="$2"
cd "$src" || exit 2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
norm() {
  sed -E -e 's/"version":"[0-9][^"]*"\}/"version":"X"}/' \
         -e 's/"version":"[0-9][^"]*","semanticVersion":"[0-9][^"]*"/"version":"X","semanticVersion":"X"/' \
         -e 's/<sub>Warden [0-9][^ ]* /<sub>Warden X /'
}
for fmt in text json sarif markdown junit; do
  case $fmt in
    text) ext=txt ;; json) ext=json ;; sarif) ext=sarif ;; markdown) ext=md ;; junit) ext=junit.xml ;;
  esac
  gold="tests/golden/examples.$ext"
  "$bin" scan --color never --format "$fmt" -j 2 examples >"$tmp/out" 2>/dev/null
  norm <"$tmp/out" >"$tmp/norm"
  if [ "${WARDEN_UPDATE_GOLDEN:-}" = 1 ]; then
    cp "$tmp/norm" "$gold"; echo "updated $gold"; pass=$((pass+1)); continue
  fi
  if diff -u "$gold" "$tmp/norm" >"$tmp/diff"; then
    pass=$((pass+1))
  else
    fail=$((fail+1)); echo "FAIL: $fmt report differs from $gold:"; head -60 "$tmp/diff"
  fi
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
