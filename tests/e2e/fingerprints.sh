#!/usr/bin/env bash
# Finding fingerprints key suppressions, baselines and the threat model, so
# they must not change when an export is reformatted (pretty / minified),
# its nodes are listed in another order, or the file moves to another folder.
# usage: fingerprints.sh WARDEN_BINARY SOURCE_DIR CORPUS_DIR
set -u
bin="$1"; src="$2"; corpus="$3"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok()  { pass=$((pass+1)); }
bad() { fail=$((fail+1)); echo "FAIL: $*"; }

# variants.py IN OUTDIR: writes pretty/, minified/ and (where the format's
# order carries no meaning) reordered/, each holding the export under its
# own file name (a bare Logic Apps definition is named by its file)
cat >"$tmp/variants.py" <<'PY'
import json, sys, os
src, out = sys.argv[1], sys.argv[2]
base = os.path.basename(src)
d = json.load(open(src, encoding="utf-8"))
def put(variant, obj, **kw):
    os.makedirs(os.path.join(out, variant), exist_ok=True)
    json.dump(obj, open(os.path.join(out, variant, base), "w", encoding="utf-8"), **kw)
put("pretty", d, indent=7, ensure_ascii=False)
put("minified", d, separators=(",", ":"))
put("moved/to/another/folder", d)

def rev_dict(o):
    # Power Automate actions/cases: object member order carries no meaning
    if isinstance(o, dict):
        return {k: rev_dict(o[k]) for k in reversed(list(o.keys()))}
    if isinstance(o, list):
        return [rev_dict(x) for x in o]
    return o

r = None
if isinstance(d, list):                          # Node-RED: order of nodes is free
    r = list(reversed(d))
elif isinstance(d, dict) and isinstance(d.get("nodes"), list) and "connections" in d:
    r = dict(d); r["nodes"] = list(reversed(d["nodes"]))   # n8n: connections use names
elif isinstance(d, dict) and ("definition" in d or "properties" in d or "resources" in d):
    r = rev_dict(d)                              # Power Automate / Logic Apps
if r is not None:
    put("reordered", r, indent=1)
PY

fps() { # FILE -> sorted fingerprints of its findings (and the exit status of python)
  "$bin" scan -q --no-policy --format json "$1" 2>/dev/null |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print("\n".join(sorted(f["fingerprint"]+" "+f["rule"] for f in d["findings"])))'
}

n=0
for f in "$src"/examples/n8n/*.json "$src"/examples/node-red/flows.json \
         "$src"/examples/make/*.json "$src"/examples/zapier/*.json \
         "$src"/examples/power-automate/arm/azuredeploy.json \
         "$src"/examples/power-automate/bare/definition.json \
         $(find "$corpus" -name '*.json' ! -name '*_cred.json' -size -400k 2>/dev/null | sort | awk 'NR % 97 == 5' | head -30); do
  [ -f "$f" ] || continue
  n=$((n+1)); d="$tmp/v$n"; b=$(basename "$f")
  python3 "$tmp/variants.py" "$f" "$d" || { bad "variants of $f"; continue; }
  fps "$f" >"$d/base.fp"
  if [ ! -s "$d/base.fp" ]; then
    case "$f" in "$src"/*) bad "no findings in $f (the test needs some)";; esac
    continue
  fi
  for v in pretty minified reordered moved/to/another/folder; do
    [ -f "$d/$v/$b" ] || continue
    # companions travel with their export (Node-RED flows_cred.json)
    c="$(dirname "$f")/${b%.json}_cred.json"; [ -f "$c" ] && cp "$c" "$d/$v/"
    fps "$d/$v/$b" >"$d/$v.fp"
    if cmp -s "$d/base.fp" "$d/$v.fp"; then ok; else
      bad "fingerprints of $b changed when $v:"; diff "$d/base.fp" "$d/$v.fp" | head -5
    fi
  done
done
[ $n -ge 20 ] && ok || bad "expected at least 20 exports (examples + corpus sample), got $n"

echo "fingerprints: $pass passed, $fail failed"
[ $fail -eq 0 ]
