#!/usr/bin/env bash
# End-to-end tests of `warden scan`, run the way a user runs it.
# usage: scan.sh WARDEN_BINARY SOURCE_DIR CORPUS_DIR
set -u
bin="$1"; src="$2"; corpus="$3"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok()   { pass=$((pass+1)); }
bad()  { fail=$((fail+1)); echo "FAIL: $*"; }
check() { if eval "$2"; then ok; else bad "$1"; fi; }

# --- the bundled examples: every planted risk is found -----------------------------
"$bin" scan --color never "$src/examples" >"$tmp/ex.txt" 2>"$tmp/ex.err"; rc=$?
check "examples exit 1 (findings at or above high)" '[ $rc -eq 1 ]'
for want in \
  "lead-intake-webhook.json WD-ENTRY-001" "lead-intake-webhook.json WD-INJ-002" \
  "lead-intake-webhook.json WD-TLS-001" "lead-intake-webhook.json WD-SEC-[0-9][0-9]*" \
  "lead-intake-webhook.json WD-DATA-001" "lead-intake-webhook.json WD-LOG-002" \
  "lead-intake-webhook.json WD-INJ-001" \
  "support-ai-agent.json WD-ENTRY-001" "support-ai-agent.json WD-INJ-003" \
  "support-ai-agent.json WD-ACL-001" "support-ai-agent.json WD-SEC-[0-9][0-9]*" \
  "file-sync-legacy.json WD-CODE-002" "file-sync-legacy.json WD-FS-001" \
  "file-sync-legacy.json WD-COMP-001" "file-sync-legacy.json WD-SEC-[0-9][0-9]*" \
  "flows.json WD-INJ-001" "flows.json WD-TLS-001" "flows.json WD-TLS-002" \
  "flows.json WD-ENTRY-002" "flows.json WD-FS-001" "flows.json WD-SEC-[0-9][0-9]*" \
  "flows_cred.json WD-SEC-002" \
  "NewHireOnboarding WD-ENTRY-001" "NewHireOnboarding WD-SEC-[0-9][0-9]*" "NewHireOnboarding WD-DATA-002" \
  "NewHireOnboarding WD-ACL-002" "NewHireOnboarding WD-LOG-001" \
  "legacy-package WD-ACL-002" "legacy-package WD-HTTP-002" \
  "arm/azuredeploy.json WD-SEC-[0-9][0-9]*" "arm/azuredeploy.json WD-ENTRY-001" \
  "bare/definition.json WD-INJ-002" "connections.json WD-SEC-[0-9][0-9]*" \
  "solution-package.zip!/Workflows/ExpenseApproval WD-SEC-[0-9][0-9]*" \
  "lead-router.blueprint.json WD-DATA-003" "lead-router.blueprint.json WD-SEC-[0-9][0-9]*" \
  "lead-router.blueprint.json WD-ENTRY-001" "lead-router.blueprint.json WD-LOG-001" \
  "zapier-export.json WD-ENTRY-001" "zapier-export.json WD-SEC-[0-9][0-9]*" "zapier-export.json WD-INJ-001"; do
  set -- $want
  check "examples: $2 in $1" "grep -B0 -A0 '$2' '$tmp/ex.txt' | grep -q '$1'"
done
check "good example has no high finding" \
  "! grep -A0 -E '^  (HIGH|CRITICAL)' '$tmp/ex.txt' | grep -q nightly-report"
check "summary line" "grep -qE '^[0-9]+ findings .* in 18 apps from 15 exports; 7 companion files' '$tmp/ex.txt'"
check "well-configured examples stay clean of high findings" \
  "! grep -E '^  (HIGH|CRITICAL)' '$tmp/ex.txt' | grep -q 'invoice-sync\\|OrderSync/workflow.json'"

# --- JSON output: valid, versioned, redacted ---------------------------------------------
"$bin" scan --format json -o "$tmp/ex.json" "$src/examples"; rc=$?
check "json exit 1" '[ $rc -eq 1 ]'
check "json parses" "python3 -m json.tool '$tmp/ex.json' >/dev/null"
check "json has version and findings" \
  "python3 -c 'import json,sys; d=json.load(open(\"$tmp/ex.json\")); assert d[\"version\"]==\"1.2\"; f=d[\"findings\"][0]; [f[k] for k in (\"rule\",\"title\",\"severity\",\"category\",\"fingerprint\",\"app\",\"component\",\"location\",\"message\",\"evidence\",\"confidence\")]; assert d[\"errors\"]==[]'"
validate() { /usr/bin/python3 -c '
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
jsonschema.validate(json.load(open(sys.argv[2])), schema)' "$src/docs/schema/scan-result.schema.json" "$1"; }
check "json output matches docs/schema/scan-result.schema.json" "validate '$tmp/ex.json'"
# every planted secret-looking literal of the examples must be absent from all outputs
python3 - "$src/examples" >"$tmp/secrets.txt" <<'PY'
import json, os, re, sys
pat = re.compile(r'(sk-proj-[A-Za-z0-9_-]{20,}|xox[bp]-[A-Za-z0-9-]{16,}|shpat_[0-9a-f]{32}|pat-na1-[0-9a-f-]{30,}|://[^/:@\s]+:[^/@\s]+@|AIza[0-9A-Za-z_-]{30,}|SG\.[A-Za-z0-9_.-]{30,}|SharedAccessKey=[^;"\s]{10,}|hooks\.slack\.com/services/[A-Za-z0-9/]{20,})')
for root, _, files in os.walk(sys.argv[1]):
    for f in files:
        if f.endswith('.json'):
            for m in pat.findall(open(os.path.join(root, f), encoding='utf-8').read()):
                print(m)
PY
check "planted secrets found in examples" '[ -s "$tmp/secrets.txt" ]'
leaked=0
while IFS= read -r s; do
  for out in "$tmp/ex.txt" "$tmp/ex.json"; do
    grep -qF -- "$s" "$out" && { leaked=1; echo "leak of ${s:0:6}... in $out"; }
  done
done <"$tmp/secrets.txt"
check "no secret printed whole" '[ $leaked -eq 0 ]'

# --- gate and usage ---------------------------------------------------------------------------
"$bin" scan --fail-on none "$src/examples" >/dev/null; rc=$?
check "--fail-on none exits 0" '[ $rc -eq 0 ]'
"$bin" scan --fail-on bogus "$src/examples" >/dev/null 2>&1; rc=$?
check "bad --fail-on exits 2" '[ $rc -eq 2 ]'
"$bin" scan >/dev/null 2>&1; rc=$?
check "no path exits 2" '[ $rc -eq 2 ]'
"$bin" scan --format xml x >/dev/null 2>&1; rc=$?
check "bad format exits 2" '[ $rc -eq 2 ]'
"$bin" scan --help | grep -q -- '--fail-on'; check "scan --help" '[ $? -eq 0 ]'
"$bin" explain WD-INJ-002 | grep -q 'CWE-89'; check "explain" '[ $? -eq 0 ]'
"$bin" rules | grep -q 'WD-SEC-001'; check "rules" '[ $? -eq 0 ]'

# --- bad input: one-line errors, the scan goes on ------------------------------------------------
mkdir -p "$tmp/bad/sub"
cp "$src/examples/n8n/nightly-report.json" "$tmp/bad/good.json"
printf '{"nodes": [ {"a": 1,, ] }' >"$tmp/bad/malformed.json"
head -c 300 "$src/examples/n8n/lead-intake-webhook.json" >"$tmp/bad/truncated.json"
printf '{"nodes":[],"connections":{},"name":"\xff\xfe"}' >"$tmp/bad/utf8.json"
python3 -c "print('['*100000 + ']'*100000)" >"$tmp/bad/deep.json"
printf '{"name":"x","version":"1.0.0","dependencies":{}}' >"$tmp/bad/package.json"
ln -s .. "$tmp/bad/sub/loop"
"$bin" scan --color never "$tmp/bad" >"$tmp/bad.txt" 2>"$tmp/bad.err"; rc=$?
"$bin" scan --format json -o "$tmp/bad.json" "$tmp/bad" 2>/dev/null
check "error output matches the schema" "validate '$tmp/bad.json'"
check "bad inputs exit 2" '[ $rc -eq 2 ]'
check "malformed named with line:col" "grep -qE 'malformed.json:1:[0-9]+: unexpected' '$tmp/bad.err'"
check "truncated reported" "grep -q 'truncated.json:' '$tmp/bad.err'"
check "invalid utf-8 reported" "grep -q 'utf8.json:1:[0-9]*: invalid UTF-8' '$tmp/bad.err'"
check "deep nesting reported" "grep -q 'deep.json:1:[0-9]*: nesting deeper' '$tmp/bad.err'"
check "symlink loop reported" "grep -q 'loop.*directory loop' '$tmp/bad.err'"
check "package.json skipped, not an error" "! grep -q 'package.json' '$tmp/bad.err' && grep -q '1 JSON file skipped' '$tmp/bad.txt'"
check "good file still scanned" "grep -q 'Nightly' '$tmp/bad.txt' || grep -q 'in 1 app' '$tmp/bad.txt'"
"$bin" scan "$tmp/bad/package.json" >/dev/null 2>"$tmp/pkg.err"; rc=$?
check "non-export named on the command line is an error" "[ $rc -eq 2 ] && grep -q 'not a workflow export' '$tmp/pkg.err'"
"$bin" scan "$tmp/does-not-exist" >/dev/null 2>"$tmp/nx.err"; rc=$?
check "missing path exits 2" "[ $rc -eq 2 ] && grep -q 'does-not-exist: No such file' '$tmp/nx.err'"
mkfifo "$tmp/fifo.json"
timeout 10 "$bin" scan "$tmp/fifo.json" >/dev/null 2>"$tmp/fifo.err"; rc=$?
check "fifo named: error, no hang" "[ $rc -eq 2 ] && grep -q 'not a regular file' '$tmp/fifo.err'"
python3 -c "
import sys
with open('$tmp/huge.json','w') as f:
    f.write('{\"nodes\":[],\"connections\":{},\"name\":\"'); f.write('a'*(200*1024*1024)); f.write('\"}')
"
"$bin" scan "$tmp/huge.json" >/dev/null 2>"$tmp/huge.err"; rc=$?
check "200 MB string: one-line limit error" "[ $rc -eq 2 ] && grep -q 'huge.json: .*limit' '$tmp/huge.err'"
rm -f "$tmp/huge.json"

# --- hostile names cannot forge output lines -----------------------------------------------------
python3 - "$tmp/hostile.json" <<'PY'
import json, sys
wf = {"name": "evil\nHIGH WD-FAKE\u001b[31m", "nodes": [{"id": "1", "name": "hook\n  CRITICAL forged", "type": "n8n-nodes-base.webhook", "typeVersion": 2, "position": [0, 0], "parameters": {"path": "x"}}], "connections": {}}
json.dump(wf, open(sys.argv[1], "w"))
PY
"$bin" scan --color never "$tmp/hostile.json" >"$tmp/hostile.txt"
check "control characters neutralised in text" "! grep -q $'\x1b' '$tmp/hostile.txt' && ! grep -q '^  CRITICAL forged' '$tmp/hostile.txt'"
"$bin" scan --format json -o "$tmp/hostile.json.out" "$tmp/hostile.json"
check "hostile names keep JSON valid" "validate '$tmp/hostile.json.out'"

# --- zip archives: read in memory, companions inside, hostile members ----------------------------
pkg="$corpus/power-automate/pnp-powerautomate-samples/samples/sharepoint-collect-feedback/solution/SharePointCollectFeedback"
if [ -d "$pkg" ]; then
  python3 - "$pkg" "$tmp" <<'PY'
import os, sys, zipfile
pkg, tmp = sys.argv[1], sys.argv[2]
def add_tree(z, root, prefix=""):
    for d, _, files in os.walk(root):
        for f in files:
            full = os.path.join(d, f)
            z.write(full, prefix + os.path.relpath(full, root))
with zipfile.ZipFile(os.path.join(tmp, "package.zip"), "w", zipfile.ZIP_DEFLATED) as z:
    add_tree(z, pkg)
with zipfile.ZipFile(os.path.join(tmp, "hostile.zip"), "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("../evil.json", '{"nodes":[],"connections":{}}')
    z.writestr("ok/flow.json", open(os.path.join(tmp, "hostile-src.json")).read() if os.path.exists(os.path.join(tmp, "hostile-src.json")) else '{"name":"ok","nodes":[{"id":"1","name":"Hook","type":"n8n-nodes-base.webhook","parameters":{}}],"connections":{}}')
with zipfile.ZipFile(os.path.join(tmp, "outer.zip"), "w", zipfile.ZIP_DEFLATED) as z:
    z.write(os.path.join(tmp, "package.zip"), "inner/package.zip")
with zipfile.ZipFile(os.path.join(tmp, "bomb.zip"), "w", zipfile.ZIP_DEFLATED) as z:
    with z.open("bomb.json", "w") as w:
        chunk = b"0" * (1 << 20)
        for _ in range(200):
            w.write(chunk)
PY
  "$bin" scan --format json -o "$tmp/dir.json" "$pkg"; "$bin" scan --format json -o "$tmp/zip.json" "$tmp/package.zip"; rc=$?
  check "zipped package exit is not an input error" '[ $rc -ne 2 ]'
  check "zipped package: same apps and findings as the folder, companions inside" \
    "python3 -c 'import json; a=json.load(open(\"$tmp/dir.json\")); b=json.load(open(\"$tmp/zip.json\")); sa=a[\"summary\"]; sb=b[\"summary\"]; print(\"zip:\", sb); assert sb[\"errors\"]==0 and sb[\"exports\"]==sa[\"exports\"]>0 and sb[\"companions\"]==sa[\"companions\"]>0 and sb[\"findings\"]==sa[\"findings\"] and [f[\"fingerprint\"] for f in a[\"findings\"]]==[f[\"fingerprint\"] for f in b[\"findings\"]]; assert all(\"package.zip!/\" in f[\"location\"][\"file\"] for f in b[\"findings\"])'"
  "$bin" scan --format json -o "$tmp/outer.json" "$tmp/outer.zip"
  check "zip inside a zip is read" \
    "python3 -c 'import json; b=json.load(open(\"$tmp/outer.json\")); assert b[\"summary\"][\"exports\"]>0 and any(\"outer.zip!/inner/package.zip!/\" in a[\"file\"] for a in b[\"apps\"])'"
  "$bin" scan --color never "$tmp/hostile.zip" >"$tmp/hostile-zip.txt" 2>"$tmp/hostile-zip.err"; rc=$?
  check "zip-slip member refused and reported, the rest scanned" \
    "[ $rc -eq 2 ] && grep -q 'unsafe or unreadable name' '$tmp/hostile-zip.err' && grep -q 'hostile.zip!/ok/flow.json' '$tmp/hostile-zip.txt'"
  "$bin" scan --color never "$tmp/bomb.zip" "$src/examples/n8n" >"$tmp/bomb.txt" 2>"$tmp/bomb.err"; rc=$?
  check "zip bomb stopped with a one-line error, other inputs scanned" \
    "[ $rc -eq 2 ] && grep -qi 'bomb.zip.*\\(ratio\\|limit\\)' '$tmp/bomb.err' && grep -q 'Lead intake' '$tmp/bomb.txt'"
  rm -f "$tmp/bomb.zip"
fi

# --- the real corpus: every file of every platform imports ------------------------------------
if [ -d "$corpus/n8n" ] && [ -d "$corpus/node-red" ]; then
  "$bin" scan --format json -o "$tmp/corpus.json" "$corpus" 2>"$tmp/corpus.err"; rc=$?
  check "corpus scans without input errors (exit $rc)" '[ $rc -ne 2 ]'
  check "corpus output matches the schema" "validate '$tmp/corpus.json'"
  check "corpus: no errors, every workflow an export, every companion a companion" \
    "python3 -c 'import json; d=json.load(open(\"$tmp/corpus.json\")); s=d[\"summary\"]; print(\"corpus:\", s); assert s[\"errors\"]==0 and s[\"skipped\"]==0 and s[\"exports\"]==2569 and s[\"companions\"]==96'"
  check "corpus: the catalog knows every typed component of every platform" \
    "python3 -c 'import json; d=json.load(open(\"$tmp/corpus.json\")); u=[f for f in d[\"findings\"] if f[\"rule\"]==\"WD-COMP-003\" and f[\"component\"][\"type\"]]; print(\"unknown typed components:\", len(u)); assert not u'"
  check "corpus: every platform present" \
    "python3 -c 'import json; d=json.load(open(\"$tmp/corpus.json\")); assert {a[\"platform\"] for a in d[\"apps\"]}=={\"n8n\",\"node-red\",\"power-automate\",\"make\",\"zapier\"}'"
else
  echo "corpus not found at $corpus: corpus checks skipped"
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
