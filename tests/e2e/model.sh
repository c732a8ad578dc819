#!/usr/bin/env bash
# End-to-end tests of `warden model`: golden outputs (md, json, dot, mermaid)
# for three example apps, the SVG checked structurally (well-formed XML,
# boundary clusters, one node per element), hostile names, --out file
# names, exit codes, and the diff of an edited export.
# Regenerate the goldens after an intended change with
#   WARDEN_UPDATE_GOLDEN=1 ctest -R e2e_model   (then review the diff)
# usage: model.sh WARDEN_BINARY SOURCE_DIR [CORPUS_DIR]
set -u
bin="$1"; src="$2"
cd "$src" || exit 2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok()   { pass=$((pass+1)); }
bad()  { fail=$((fail+1)); echo "FAIL: $*"; }
check() { if eval "$2"; then ok; else bad "$1"; fi; }

# --- goldens -------------------------------------------------------------------------
gold=tests/golden/model
apps=("n8n-ai-agent:examples/n8n/support-ai-agent.json"
      "node-red:examples/node-red/flows.json"
      "power-automate:examples/power-automate/solution/Workflows/NewHireOnboarding-8E3B2A71-4C5D-EF11-A4E6-000D3A1F7C29.json")
for entry in "${apps[@]}"; do
  name=${entry%%:*}; file=${entry#*:}
  for fmt in md json dot mermaid; do
    ext=$fmt; [ "$fmt" = mermaid ] && ext=mmd
    out="$tmp/$name.$ext"
    "$bin" model --today 2026-01-01 --format "$fmt" "$file" >"$out" 2>"$tmp/err"; rc=$?
    check "$name $fmt exits 0 (rc $rc: $(head -c 300 "$tmp/err"))" '[ $rc -eq 0 ]'
    if [ "${WARDEN_UPDATE_GOLDEN:-}" = 1 ]; then
      mkdir -p "$gold"; cp "$out" "$gold/$name.$ext"; echo "updated $gold/$name.$ext"; ok; continue
    fi
    if diff -u "$gold/$name.$ext" "$out" >"$tmp/diff"; then ok; else
      bad "$name $fmt differs from $gold/$name.$ext:"; head -40 "$tmp/diff"; fi
  done
  # SVG: structure, not bytes (Graphviz versions place things differently);
  # one file per app with --out, each checked against the app's JSON model
  "$bin" model --out "$tmp/svg-$name" --format svg "$file" 2>"$tmp/err"; rc=$?
  check "$name svg exits 0 ($(head -c 300 "$tmp/err"))" '[ $rc -eq 0 ]'
  "$bin" model --out "$tmp/svg-$name" --format json "$file" 2>/dev/null
  for svg in "$tmp/svg-$name"/*.svg; do
    check "$(basename "$svg"): well-formed, a cluster per boundary, a node per element" \
      "python3 - '$svg' '${svg%.svg}.json' <<'EOF'
import json, sys, xml.etree.ElementTree as ET
ns = {'s': 'http://www.w3.org/2000/svg'}
root = ET.parse(sys.argv[1]).getroot()
m = json.load(open(sys.argv[2]))
groups = list(root.iter('{http://www.w3.org/2000/svg}g'))
titles = [g.find('s:title', ns).text for g in groups if g.get('class') == 'node']
clusters = [g.find('s:title', ns).text for g in groups if g.get('class') == 'cluster']
edges = [g for g in groups if g.get('class') == 'edge']
assert sorted(titles) == sorted(e['id'] for e in m['elements']), titles
assert sorted(clusters) == sorted('cluster_' + b['id'] for b in m['boundaries']), clusters
assert len(edges) == len(m['flows']), (len(edges), len(m['flows']))
EOF"
  done
done

# --- every format on every example, and the JSON is valid ----------------------------
for fmt in md json dot mermaid; do
  "$bin" model --format "$fmt" examples >"$tmp/all.$fmt" 2>"$tmp/all.err"; rc=$?
  check "all examples as $fmt exit 0 (rc $rc: $(head -c 300 "$tmp/all.err"))" '[ $rc -eq 0 ]'
done
check "all examples: one JSON array, one model per app" \
  "python3 -c 'import json,sys; d=json.load(open(\"$tmp/all.json\")); assert isinstance(d, list) and len(d) >= 12, len(d); assert all(m[\"version\"] == \"1\" for m in d)'"
check "several apps as SVG without --out is refused" \
  "! '$bin' model --format svg examples >/dev/null 2>'$tmp/svg.err' && grep -q -- '--out' '$tmp/svg.err'"

# --- --out: one file set per app, safe names --------------------------------------------
"$bin" model --out "$tmp/out" examples/n8n >"$tmp/o.txt" 2>&1; rc=$?
check "--out exits 0" '[ $rc -eq 0 ]'
check "--out writes md, json, dot, mmd and svg per app" \
  "[ \$(ls '$tmp/out' | wc -l) -eq 20 ] && ls '$tmp/out' | grep -qx 'support-chat-agent-[0-9a-f]\{8\}\.svg'"
"$bin" model --out "$tmp/out2" --format mermaid examples/n8n/nightly-report.json 2>/dev/null
check "--out --format writes only that format" "[ \"\$(ls '$tmp/out2')\" = \"\$(ls '$tmp/out2' | grep '\.mmd\$')\" ]"

# --- hostile names ----------------------------------------------------------------------
python3 - "$tmp/evil.json" <<'EOF'
import json, sys
names = ['x"]; evil [label="pwn"]; "a" -> "b', '</text><script>alert(1)</script> & \' "z"',
         'a|b ``` \\N %% end\n--> x_internet(( ]] #quot; ${x}', '../../etc/passwd']
nodes = [{"id": "h", "name": names[0], "type": "n8n-nodes-base.webhook", "typeVersion": 2,
          "parameters": {"path": "e"}},
         {"id": "c", "name": names[1], "type": "n8n-nodes-base.code", "typeVersion": 2,
          "parameters": {"jsCode": "return items"}},
         {"id": "r", "name": names[2], "type": "n8n-nodes-base.httpRequest", "typeVersion": 4,
          "parameters": {"url": "=https://x.example.com/{{ $json.body.email }}"}},
         {"id": "s", "name": names[3], "type": "n8n-nodes-base.slack", "typeVersion": 2,
          "parameters": {"text": "hi"}}]
conns = {names[0]: {"main": [[{"node": names[1], "type": "main", "index": 0}]]},
         names[1]: {"main": [[{"node": names[2], "type": "main", "index": 0}]]},
         names[2]: {"main": [[{"node": names[3], "type": "main", "index": 0}]]}}
json.dump({"id": "evil", "name": "../../<Evil> \"app\" & 'co'", "nodes": nodes,
           "connections": conns}, open(sys.argv[1], "w"))
EOF
"$bin" model --format svg "$tmp/evil.json" >"$tmp/evil.svg" 2>"$tmp/evil.err"; rc=$?
check "hostile names: svg exits 0" '[ $rc -eq 0 ]'
check "hostile names: SVG is well-formed XML with no injected element" \
  "python3 -c 'import sys,xml.etree.ElementTree as E; r=E.parse(\"$tmp/evil.svg\").getroot(); assert not [e for e in r.iter() if e.tag.endswith(\"script\")]'"
check "hostile names: the label text is kept" "grep -q 'evil \[label=&quot;pwn' '$tmp/evil.svg'"
"$bin" model --format json "$tmp/evil.json" >"$tmp/evil.model.json"
check "hostile names: JSON round-trips the names" \
  "python3 -c 'import json; d=json.load(open(\"$tmp/evil.model.json\"))[0]; assert any(\"</script>\" in e[\"name\"] for e in d[\"elements\"])'"
"$bin" model --out "$tmp/evil-out" "$tmp/evil.json" 2>/dev/null
check "hostile app name: files stay in the output folder" \
  "[ \$(ls '$tmp/evil-out' | wc -l) -eq 5 ] && ls '$tmp/evil-out' | grep -qx 'evil-app-co-[0-9a-f]\{8\}\.md' && [ ! -e '$tmp/etc' ]"

# --- exit codes ---------------------------------------------------------------------------
"$bin" model /nonexistent.json >/dev/null 2>&1; rc=$?
check "missing input exits 2" '[ $rc -eq 2 ]'
"$bin" model --format pdf examples/n8n >/dev/null 2>&1; rc=$?
check "unknown format exits 2" '[ $rc -eq 2 ]'
"$bin" model --today 2026-02-30 examples/n8n >/dev/null 2>&1; rc=$?
check "bad --today exits 2" '[ $rc -eq 2 ]'
printf 'not json' >"$tmp/bad.json"
"$bin" model "$tmp/bad.json" >/dev/null 2>"$tmp/bad.err"; rc=$?
check "unreadable export exits 2 with its position" '[ $rc -eq 2 ] && grep -q "bad.json:1:" "$tmp/bad.err"'
"$bin" model --help >/dev/null; rc=$?
check "--help exits 0" '[ $rc -eq 0 ]'

# --- diff of an edited export: a public webhook feeding a code node ------------------------
python3 - examples/n8n/nightly-report.json "$tmp/new.json" <<'EOF'
import json, sys
wf = json.load(open(sys.argv[1]))
wf["nodes"].append({"id": "0e1f2a3b-0000-4000-8000-00000000abcd", "name": "Public intake",
                    "type": "n8n-nodes-base.webhook", "typeVersion": 2, "position": [0, 600],
                    "parameters": {"path": "intake", "httpMethod": "POST"}})
wf["nodes"].append({"id": "0e1f2a3b-0000-4000-8000-00000000abce", "name": "Run Script",
                    "type": "n8n-nodes-base.code", "typeVersion": 2, "position": [200, 600],
                    "parameters": {"jsCode": "return [{json: eval($json.body.expr)}];"}})
wf["connections"]["Public intake"] = {"main": [[{"node": "Run Script", "type": "main",
                                                 "index": 0}]]}
json.dump(wf, open(sys.argv[2], "w"))
EOF
"$bin" model --diff examples/n8n/nightly-report.json "$tmp/new.json" >"$tmp/diff.md" 2>"$tmp/diff.err"; rc=$?
check "diff exits 0 (rc $rc: $(head -c 300 "$tmp/diff.err"))" '[ $rc -eq 0 ]'
"$bin" model --diff examples/n8n/nightly-report.json "$tmp/new.json" --format json >"$tmp/diff.json"; rc=$?
check "diff as JSON is one valid array" \
  "[ $rc -eq 0 ] && python3 -c 'import json; d=json.load(open(\"$tmp/diff.json\")); assert isinstance(d, list) and len(d) == 1'"
"$bin" model --format json "$tmp/new.json" >"$tmp/new.model.json"

check "diff names the new components" "grep -q 'Public intake' '$tmp/diff.md' && grep -q 'Run Script' '$tmp/diff.md'"
{
  check "the edited export has a threat on the new path" \
    "python3 -c 'import json; d=json.load(open(\"$tmp/new.model.json\"))[0]; ids={e[\"id\"] for e in d[\"elements\"] if e[\"name\"] in (\"Public intake\",\"Run Script\")}; assert any(set(t[\"path\"]) & ids for t in d[\"threats\"])'"
  "$bin" model --fail-on high --diff examples/n8n/nightly-report.json "$tmp/new.json" >/dev/null 2>&1; rc=$?
  check "--fail-on with --diff: a new high threat exits 1" '[ $rc -eq 1 ]'
  "$bin" model --fail-on high --diff "$tmp/new.json" "$tmp/new.json" >/dev/null 2>&1; rc=$?
  check "--fail-on with --diff: no new threat exits 0" '[ $rc -eq 0 ]'
  check "the diff lists the new threat" "grep -q 'TM-INJ-01' '$tmp/diff.md'"
}

# --- annotations next to the export, and --annotations ---------------------------------------
{
  mkdir -p "$tmp/ann"
  cp examples/n8n/support-ai-agent.json "$tmp/ann/"
  spoof=$("$bin" model --format json "$tmp/ann/support-ai-agent.json" |
          python3 -c 'import json,sys; print([t["id"] for t in json.load(sys.stdin)[0]["threats"] if t["rule"] == "TM-SPOOF-01"][0])')
  printf '%s\n' 'version: 1' 'apps:' '  "n8n:rszEYX4aG8sSAXtM":' '    assumptions:' \
    '      - The chat widget is only embedded on the logged-in customer portal.' \
    '    threats:' "      $spoof:" '        status: accepted' \
    '        justification: Portal login in front of the widget.' \
    '        owner: alice@example.com' '        review_by: 2025-06-30' \
    '      TM-GONE-01@p-0000000000:' '        status: accepted' '        justification: old' \
    >"$tmp/ann/support-ai-agent.json.warden.yaml"
  "$bin" model --today 2025-01-01 "$tmp/ann/support-ai-agent.json" >"$tmp/ann/a.md" 2>"$tmp/ann/a.err"; rc=$?
  check "annotations next to the export: exit 0 ($(head -c 300 "$tmp/ann/a.err"))" '[ $rc -eq 0 ]'
  check "annotations: the assumption is in the document" "grep -q 'logged-in customer portal' '$tmp/ann/a.md'"
  check "annotations: the accepted threat keeps its status, owner and date" \
    "grep -q '| accepted | alice&#64;example.com | 2025-06-30 |' '$tmp/ann/a.md'"
  check "annotations: the stale one is reported in the document and on stderr" \
    "grep -q '| stale |' '$tmp/ann/a.md' && grep -q 'warden.yaml:[0-9]*:[0-9]*: stale: ' '$tmp/ann/a.err'"
  "$bin" model --today 2026-01-01 "$tmp/ann/support-ai-agent.json" >"$tmp/ann/b.md" 2>"$tmp/ann/b.err"
  check "annotations: an acceptance past its review date reopens" \
    "grep -q 'reopened: review date passed' '$tmp/ann/b.md' && grep -q ': reopened: ' '$tmp/ann/b.err'"
  "$bin" model --today 2026-01-01 --fail-on high "$tmp/ann/support-ai-agent.json" >/dev/null 2>&1; rc=$?
  check "--fail-on high: open high threats exit 1" '[ $rc -eq 1 ]'
  cp "$tmp/ann/support-ai-agent.json.warden.yaml" "$tmp/ann/shared.yaml"
  rm "$tmp/ann/support-ai-agent.json.warden.yaml"
  "$bin" model --today 2025-01-01 --annotations "$tmp/ann/shared.yaml" "$tmp/ann/support-ai-agent.json" >"$tmp/ann/d.md" 2>/dev/null
  check "--annotations FILE applies to the app" "grep -q 'logged-in customer portal' '$tmp/ann/d.md'"
  printf 'version: 1\napps: [\n' >"$tmp/ann/bad.yaml"
  "$bin" model --annotations "$tmp/ann/bad.yaml" "$tmp/ann/support-ai-agent.json" >/dev/null 2>"$tmp/ann/bad.err"; rc=$?
  check "unreadable --annotations exits 2 with its position" '[ $rc -eq 2 ] && grep -q "bad.yaml:3:" "$tmp/ann/bad.err"'
  cp "$tmp/ann/bad.yaml" "$tmp/ann/support-ai-agent.json.warden.yaml"
  "$bin" model "$tmp/ann/support-ai-agent.json" >"$tmp/ann/c.md" 2>"$tmp/ann/c.err"; rc=$?
  check "unreadable annotations next to the export: the document is still written, exit 2" \
    '[ $rc -eq 2 ] && grep -q "^# Threat model" "$tmp/ann/c.md"'
  printf '%s\n' 'version: 1' 'apps:' '  "Support chat agent":' '    assumptions: [a]' \
    '  "Renamed long ago":' '    assumptions: [b]' >"$tmp/ann/unknown.yaml"
  "$bin" model --annotations "$tmp/ann/unknown.yaml" "$tmp/ann/support-ai-agent.json" >/dev/null 2>"$tmp/ann/u.err"; rc=$?
  check "an annotations section that matches no app is reported with its position" \
    '[ $rc -eq 0 ] && grep -q "unknown.yaml:5:3: unknown-app: .*Renamed long ago" "$tmp/ann/u.err" && ! grep -q "Support chat agent" "$tmp/ann/u.err"'
}

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
