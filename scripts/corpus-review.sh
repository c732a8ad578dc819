#!/usr/bin/env bash
# Review ../shared/corpus as one company's exports: the default policy, the
# owners in examples/corpus-owners.yaml, apps and owners ranked by risk.
# Writes corpus-review.{md,json,txt} into OUTDIR (default: a temp folder) and
# prints the ten highest risks.
# usage: scripts/corpus-review.sh [OUTDIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
corpus="$root/../shared/corpus"
out="${1:-$(mktemp -d)}"
bin="${WARDEN:-$root/build/dev/warden}"
[ -x "$bin" ] || bin="$root/build/release/warden"
[ -d "$corpus" ] || { echo "corpus-review: no corpus at $corpus" >&2; exit 2; }
mkdir -p "$out"
args=(scan -q --owners "$root/examples/corpus-owners.yaml" --fail-on none)
"$bin" "${args[@]}" --format json -o "$out/corpus-review.json" "$corpus"
"$bin" "${args[@]}" --format markdown -o "$out/corpus-review.md" "$corpus"
"$bin" "${args[@]}" --color never --group-by owner -o "$out/corpus-review.txt" "$corpus"
python3 - "$out/corpus-review.json" "$corpus" <<'PY'
import json, sys, os
d = json.load(open(sys.argv[1])); corpus = os.path.realpath(sys.argv[2])
lv = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
def key(f):
    r = f.get("risk") or {}
    return (-lv.get(r.get("level", f["severity"]), 0), -(r.get("likelihood", 0) * r.get("impact", 0)),
            -lv[f["severity"]], f["fingerprint"])
open_ = [f for f in d["findings"] if f["status"] == "open"]
print(f"{len(d['apps'])} apps, {len(d['findings'])} findings ({len(open_)} open); "
      f"ownership checked: {d['ownership_checked']}")
seen = {}
top = []
for f in sorted(open_, key=key):
    a = f["app"]["name"]
    if seen.get(a, 0) >= 1:      # one per app, so the list shows ten different apps
        continue
    seen[a] = seen.get(a, 0) + 1
    top.append(f)
    if len(top) == 10:
        break
for i, f in enumerate(top, 1):
    r = f["risk"] or {}
    loc = os.path.relpath(os.path.realpath(f["location"]["file"]), corpus)
    own = (f.get("owner") or {}).get("team", "unowned")
    print(f"{i}. {r.get('level','?').upper()} ({r.get('likelihood_name','?')} x {r.get('impact_name','?')}) "
          f"{f['rule']} [{own}] {loc}:{f['location']['line']}\n   {r.get('business_impact', f['message'])}")
apps = sorted(d["apps"], key=lambda a: (-lv.get(a.get("risk") or "info", 0), -(a.get("risk_score") or 0)))
print("\nTop apps by risk:")
for a in apps[:5]:
    print(f"  {a['risk']:8} score {a['risk_score']:6.0f}  {a['name'][:60]} ({a['platform']}, "
          f"{(a.get('owner') or {}).get('team', 'unowned')})")
PY
echo "reports in $out"
