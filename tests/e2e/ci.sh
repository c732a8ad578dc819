#!/usr/bin/env bash
# End-to-end tests of the CI outputs of `warden scan`: SARIF against the
# official 2.1.0 schema, JUnit XML that parses, the Markdown comment, hostile
# names in every format, --baseline, and the policy flags' errors.
# usage: ci.sh WARDEN_BINARY SOURCE_DIR CORPUS_DIR
set -u
bin="$1"; src="$2"; corpus="$3"
schema="$corpus/../schemas/sarif-schema-2.1.0.json"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok()   { pass=$((pass+1)); }
bad()  { fail=$((fail+1)); echo "FAIL: $*"; }
check() { if eval "$2"; then ok; else bad "$1"; fi; }

# SARIF is validated with the validator its schema names ($schema: draft-04)
sarif_valid() { /usr/bin/python3 - "$schema" "$1" <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
cls(schema).validate(json.load(open(sys.argv[2])))
PY
}
json_valid() { /usr/bin/python3 -c '
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
jsonschema.validate(json.load(open(sys.argv[2])), schema)' "$src/docs/schema/scan-result.schema.json" "$1"; }
junit_valid() { python3 -c '
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites", root.tag
tests = sum(1 for _ in root.iter("testcase"))
assert int(root.get("tests")) == tests, (root.get("tests"), tests)
assert int(root.get("failures")) == sum(1 for _ in root.iter("failure"))
assert int(root.get("skipped")) == sum(1 for _ in root.iter("skipped"))
for s in root.iter("testsuite"):
    assert int(s.get("tests")) == len(s.findall("testcase")), s.get("name")' "$1"; }
# every Markdown table row has as many unescaped | as its header
md_tables_ok() { python3 - "$1" <<'PY'
import re, sys
want = None
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("|"):
        n = len(re.findall(r"(?<!\\)\|", re.sub(r"\\\\", "", line)))
        want = n if want is None else want
        if n != want:
            print("bad row:", line.rstrip()); sys.exit(1)
    else:
        want = None
PY
}

if [ ! -f "$schema" ]; then
  echo "SARIF schema not found at $schema"; exit 1
fi

# --- every format on the examples ------------------------------------------------------------
# expected numbers come from the JSON of the same scan, so the checks hold whatever the
# default policy adds
"$bin" scan --format json -o "$tmp/ex.json" "$src/examples"
gate_high=$(python3 -c "import json; print(sum(1 for f in json.load(open('$tmp/ex.json'))['findings'] if f['status']=='open' and f['severity'] in ('critical','high')))")
gate_crit=$(python3 -c "import json; print(sum(1 for f in json.load(open('$tmp/ex.json'))['findings'] if f['status']=='open' and f['severity']=='critical'))")
n_open=$(python3 -c "import json; print(json.load(open('$tmp/ex.json'))['summary']['open'])")
n_crit=$(python3 -c "import json; print(sum(1 for f in json.load(open('$tmp/ex.json'))['findings'] if f['status']=='open' and f['severity']=='critical'))")
n_all=$(python3 -c "import json; print(len(json.load(open('$tmp/ex.json'))['findings']))")
check "examples have findings at or above high" '[ "$gate_high" -gt 0 ] && [ "$gate_crit" -gt 0 ]'
for fmt in sarif markdown junit; do
  "$bin" scan --format $fmt -o "$tmp/ex.$fmt" "$src/examples"; rc=$?
  check "$fmt: exit 1 on the examples (findings at or above high)" '[ $rc -eq 1 ]'
done
check "SARIF of the examples validates against the 2.1.0 schema" "sarif_valid '$tmp/ex.sarif'"
check "SARIF: one result per finding, rules with help and security-severity" \
  "python3 -c '
import json
s = json.load(open(\"$tmp/ex.sarif\")); run = s[\"runs\"][0]
rules = run[\"tool\"][\"driver\"][\"rules\"]; res = run[\"results\"]
assert len(res) == $n_all, len(res)
assert [r[\"id\"] for r in rules] == sorted({x[\"ruleId\"] for x in res})
for x in res:
    assert rules[x[\"ruleIndex\"]][\"id\"] == x[\"ruleId\"]
    assert len(x[\"partialFingerprints\"][\"wardenFingerprint/v1\"]) == 32
for r in rules:
    assert r[\"help\"][\"markdown\"] and float(r[\"properties\"][\"security-severity\"]) > 0
'"
check "JUnit of the examples parses, counts agree" "junit_valid '$tmp/ex.junit'"
check "JUnit: a failure per open finding at or above high, an app without findings listed" \
  "grep -q '<testsuites name=\"Warden\" tests=\"[0-9]*\" failures=\"$gate_high\"' '$tmp/ex.junit' && grep -q 'name=\"no findings\" classname=\"Invoice sync' '$tmp/ex.junit'"
"$bin" scan --format junit --fail-on critical -o "$tmp/crit.junit" "$src/examples"
check "JUnit: --fail-on critical fails only the critical ones" \
  "grep -q '<testsuites name=\"Warden\" tests=\"[0-9]*\" failures=\"$gate_crit\"' '$tmp/crit.junit'"
check "Markdown: verdict, summary, top risks, apps, owners, details" \
  "grep -q '^❌ \*\*Fails the gate:\*\* $gate_high open findings at or above high' '$tmp/ex.markdown' &&
   grep -q '^| Critical | $n_crit | 0 |$' '$tmp/ex.markdown' && grep -q '^### Top risks' '$tmp/ex.markdown' &&
   grep -q '^10\. ' '$tmp/ex.markdown' && ! grep -q '^11\. ' '$tmp/ex.markdown' &&
   grep -q '^### Apps by risk' '$tmp/ex.markdown' &&
   grep -q '^Ownership was not checked (no owners file)\.' '$tmp/ex.markdown' &&
   grep -q '^<details><summary>All findings ($n_open open, ' '$tmp/ex.markdown'"
check "Markdown tables are well-formed" "md_tables_ok '$tmp/ex.markdown'"

# --- the corpus: large outputs stay valid, the comment stays within GitHub's limit -----------
if [ -d "$corpus/n8n" ]; then
  "$bin" scan --format sarif -o "$tmp/corpus.sarif" "$corpus" 2>/dev/null
  check "SARIF of the whole corpus validates" "sarif_valid '$tmp/corpus.sarif'"
  "$bin" scan --format markdown -o "$tmp/corpus.md" "$corpus" 2>/dev/null
  check "Markdown of the corpus fits a GitHub comment (65536 characters)" \
    "python3 -c 'import sys; t=open(\"$tmp/corpus.md\", encoding=\"utf-8\").read(); print(\"corpus markdown:\", len(t), \"characters\"); assert len(t) <= 65536' && grep -q 'more findings not shown' '$tmp/corpus.md'"
  check "Markdown tables of the corpus are well-formed" "md_tables_ok '$tmp/corpus.md'"
  "$bin" scan --format junit -o "$tmp/corpus.junit" "$corpus" 2>/dev/null
  check "JUnit of the whole corpus parses" "junit_valid '$tmp/corpus.junit'"
fi

# --- hostile names: every format stays well-formed --------------------------------------------
python3 - "$tmp/hostile" <<'PY'
import json, os, sys
d = sys.argv[1]; os.makedirs(d)
evil = 'x | y < z > & " ` ]] ]]> <![CDATA[ </failure> <script>alert(1)</script> [l](http://e.vil) *b* _i_ # h\n|---|\n\u0001\u001b[31m \u2028 \ud83d\ude00'
wf = {"name": "wf " + evil, "id": "H1",
      "nodes": [
        {"id": "1", "name": "hook " + evil, "type": "n8n-nodes-base.webhook", "typeVersion": 2,
         "position": [0, 0], "parameters": {"path": "p", "httpMethod": "POST"}},
        {"id": "2", "name": "sql " + evil, "type": "n8n-nodes-base.postgres", "typeVersion": 2,
         "position": [1, 0], "parameters": {"operation": "executeQuery",
                                           "query": "SELECT * FROM t WHERE a = '{{ $json.body.a }}'"}},
        {"id": "3", "name": "get " + evil, "type": "n8n-nodes-base.httpRequest", "typeVersion": 4,
         "position": [2, 0], "parameters": {"url": "http://ext.example.com/" + evil}}],
      "connections": {"hook " + evil: {"main": [[{"node": "sql " + evil, "type": "main", "index": 0}]]},
                      "sql " + evil: {"main": [[{"node": "get " + evil, "type": "main", "index": 0}]]}}}
with open(os.path.join(d, 'evil name #1 ]]>.json'), 'w', encoding='utf-8') as f:
    json.dump(wf, f)
PY
for fmt in text json sarif markdown junit; do
  "$bin" scan --color never --format $fmt -o "$tmp/h.$fmt" "$tmp/hostile" 2>"$tmp/h.err"; rc=$?
  check "hostile names: $fmt exits 1 (findings), no input error" '[ $rc -eq 1 ]'
done
check "hostile names: findings were made" "grep -q 'WD-INJ-002' '$tmp/h.text'"
check "hostile names: text has no control characters, no forged lines" \
  "! grep -qP '[\\x00-\\x08\\x0b-\\x1f\\x7f]' '$tmp/h.text' && ! grep -q '^|---|' '$tmp/h.text'"
check "hostile names: JSON matches its schema" "json_valid '$tmp/h.json'"
check "hostile names: SARIF validates" "sarif_valid '$tmp/h.sarif'"
check "hostile names: SARIF keeps the names exactly, URI percent-encoded" \
  "python3 -c '
import json
s = json.load(open(\"$tmp/h.sarif\")); res = s[\"runs\"][0][\"results\"]
names = {l[\"name\"] for x in res for loc in x[\"locations\"] for l in loc.get(\"logicalLocations\", [])}
assert any(\"</failure>\" in n and \"]]>\" in n for n in names), names
uris = {loc[\"physicalLocation\"][\"artifactLocation\"][\"uri\"] for x in res for loc in x[\"locations\"]}
assert all(\" \" not in u and \"#\" not in u and \"]\" not in u for u in uris), uris
assert any(u.endswith(\"evil%20name%20%231%20%5D%5D%3E.json\") for u in uris), uris
'"
check "hostile names: JUnit parses and keeps the names as text" \
  "junit_valid '$tmp/h.junit' && python3 -c '
import xml.etree.ElementTree as ET
r = ET.parse(\"$tmp/h.junit\").getroot()
assert any(\"<script>\" in (t.get(\"name\") or \"\") for t in r.iter(\"testcase\"))
assert any(\"</failure>\" in (f.text or \"\") for f in r.iter(\"failure\"))'"
check "hostile names: Markdown has no raw HTML, links or forged rows" \
  "! grep -q '<script>' '$tmp/h.markdown' && ! grep -q '](http' '$tmp/h.markdown' &&
   ! grep -q '^|---|$' '$tmp/h.markdown' && ! grep -q '</failure>' '$tmp/h.markdown' && md_tables_ok '$tmp/h.markdown'"

# --- baseline ------------------------------------------------------------------------------------
# built-in rules only (--no-policy), so adding one command node adds exactly one finding
np=--no-policy
"$bin" scan $np --format json -o "$tmp/base.json" "$src/examples"
n_base=$(python3 -c "import json; print(json.load(open('$tmp/base.json'))['summary']['open'])")
n_lead=$(python3 -c "import json; print(len({f['fingerprint'] for f in json.load(open('$tmp/base.json'))['findings'] if f['app']['file'].endswith('lead-intake-webhook.json')}))")
"$bin" scan $np --format json --baseline "$tmp/base.json" -o "$tmp/again.json" "$src/examples"; rc=$?
check "rescan against its own baseline: exit 0 (nothing new)" '[ $rc -eq 0 ]'
check "rescan against its own baseline: 0 new, all unchanged, 0 fixed" \
  "python3 -c '
import json
d = json.load(open(\"$tmp/again.json\"))
assert d[\"baseline\"] == {\"new\": 0, \"unchanged\": $n_base, \"fixed\": 0}, d[\"baseline\"]
assert all(f[\"baseline\"] == \"unchanged\" for f in d[\"findings\"])'"
check "baseline output matches the schema" "json_valid '$tmp/again.json'"
# a moved copy with one more risky node: exactly one new finding
cp -r "$src/examples" "$tmp/moved"
python3 - "$tmp/moved/n8n/nightly-report.json" <<'PY'
import json, sys
p = sys.argv[1]; wf = json.load(open(p))
wf["nodes"].append({"id": "added-1", "name": "Debug shell", "type": "n8n-nodes-base.executeCommand",
                    "typeVersion": 1, "position": [900, 300], "parameters": {"command": "uptime"}})
json.dump(wf, open(p, "w"), indent=1)
PY
"$bin" scan $np --format json --baseline "$tmp/base.json" --fail-on none -o "$tmp/moved.json" "$tmp/moved"; rc=$?
check "baseline survives a move and reformatting: exactly 1 new" \
  "python3 -c '
import json
d = json.load(open(\"$tmp/moved.json\"))
new = [f for f in d[\"findings\"] if f[\"baseline\"] == \"new\"]
assert d[\"baseline\"][\"new\"] == 1 and len(new) == 1, d[\"baseline\"]
assert new[0][\"rule\"] == \"WD-CODE-002\" and new[0][\"component\"][\"name\"] == \"Debug shell\", new[0]'"
"$bin" scan $np --baseline "$tmp/base.json" --fail-on medium "$tmp/moved" >"$tmp/moved.txt"; rc=$?
check "with a baseline, --fail-on counts only new findings (1 new medium: exit 1)" '[ $rc -eq 1 ]'
check "text marks the new finding and sums up the baseline" \
  "grep -q 'WD-CODE-002 .* NEW' '$tmp/moved.txt' && grep -q '^baseline: 1 new, $n_base unchanged, 0 fixed' '$tmp/moved.txt'"
"$bin" scan $np --baseline "$tmp/base.json" --fail-on high "$tmp/moved" >/dev/null; rc=$?
check "with a baseline, old high findings do not fail --fail-on high" '[ $rc -eq 0 ]'
"$bin" scan $np --format sarif --baseline "$tmp/base.json" -o "$tmp/moved.sarif" "$tmp/moved"
check "SARIF with a baseline validates and marks baselineState" \
  "sarif_valid '$tmp/moved.sarif' && [ \$(grep -o '\"baselineState\":\"new\"' '$tmp/moved.sarif' | wc -l) -eq 1 ]"
rm "$tmp/moved/n8n/lead-intake-webhook.json"
"$bin" scan $np --format json --baseline "$tmp/base.json" -o "$tmp/fixed.json" "$tmp/moved"
check "findings of a removed export count as fixed" \
  "python3 -c 'import json; d=json.load(open(\"$tmp/fixed.json\")); b=d[\"baseline\"]; print(\"baseline:\", b); assert $n_lead > 0 and b[\"fixed\"] == $n_lead and b[\"new\"] == 1'"
# bad baselines: exit 2 before scanning, with file:line:column
printf 'not json at all\n' >"$tmp/bad-base.txt"
"$bin" scan --baseline "$tmp/bad-base.txt" "$src/examples" >"$tmp/bb.out" 2>"$tmp/bb.err"; rc=$?
check "non-JSON baseline: exit 2 with line and column, no report" \
  "[ $rc -eq 2 ] && grep -q '^warden scan: .*bad-base.txt:1:[0-9]*: ' '$tmp/bb.err' && [ ! -s '$tmp/bb.out' ]"
printf '{\n  "name": "x",\n  "version": "1.0.0"\n}\n' >"$tmp/package.json"
"$bin" scan --baseline "$tmp/package.json" "$src/examples" >/dev/null 2>"$tmp/bb2.err"; rc=$?
check "JSON that is no Warden result: exit 2 with line and column" \
  "[ $rc -eq 2 ] && grep -q 'package.json:1:1: not a Warden JSON result' '$tmp/bb2.err'"
"$bin" scan --baseline "$tmp/nope.json" "$src/examples" >/dev/null 2>"$tmp/bb3.err"; rc=$?
check "missing baseline: exit 2" "[ $rc -eq 2 ] && grep -q 'nope.json: cannot open' '$tmp/bb3.err'"

# --- policy flags ---------------------------------------------------------------------------------
printf 'version: 1\nbogus_key: true\n' >"$tmp/bad-policy.yaml"
"$bin" scan --policy "$tmp/bad-policy.yaml" "$src/examples" >"$tmp/bp.out" 2>"$tmp/bp.err"; rc=$?
check "bad policy: exit 2 before scanning, FILE:LINE:COL: message" \
  "[ $rc -eq 2 ] && grep -qE '^warden scan: .*bad-policy.yaml:[0-9]+:[0-9]+: .+' '$tmp/bp.err' && [ ! -s '$tmp/bp.out' ]"
"$bin" scan --owners "$tmp/none.yaml" "$src/examples" >/dev/null 2>"$tmp/own.err"; rc=$?
check "missing owners file: exit 2" "[ $rc -eq 2 ] && grep -q 'none.yaml' '$tmp/own.err'"
"$bin" scan --no-policy --policy "$tmp/bad-policy.yaml" "$src/examples" >/dev/null 2>&1; rc=$?
check "--no-policy with --policy: usage error" '[ $rc -eq 2 ]'
for d in 2024-02-30 2023-02-29 24-01-01 2024-1-01 2024-01-01x; do
  "$bin" scan --today "$d" "$src/examples" >/dev/null 2>&1; rc=$?
  check "--today $d rejected" '[ $rc -eq 2 ]'
done
"$bin" scan --today 2024-02-29 --fail-on none "$src/examples" >/dev/null; rc=$?
check "--today 2024-02-29 accepted" '[ $rc -eq 0 ]'
"$bin" scan --group-by team "$src/examples" >/dev/null 2>&1; rc=$?
check "bad --group-by: exit 2" '[ $rc -eq 2 ]'
"$bin" scan --no-policy --group-by owner --color never --fail-on none "$src/examples" >"$tmp/byowner.txt"; rc=$?
check "--group-by owner without owners: one 'unowned' group, ownership not checked" \
  "[ $rc -eq 0 ] && [ \$(grep -c '^unowned\$' '$tmp/byowner.txt') -eq 1 ] && grep -q 'ownership not checked: no owners file' '$tmp/byowner.txt'"

# --- explain ----------------------------------------------------------------------------------------
"$bin" explain WD-ENTRY-001 >"$tmp/explain.txt"
check "explain: title, severity, category, STRIDE, CWE, why, example, five fixes" \
  "grep -q '^WD-ENTRY-001  Public entry point' '$tmp/explain.txt' && grep -q '^STRIDE: *S (Spoofing)' '$tmp/explain.txt' &&
   grep -q '^CWE: *CWE-306' '$tmp/explain.txt' && grep -q '^Example' '$tmp/explain.txt' &&
   [ \$(grep -c '^Fix in ' '$tmp/explain.txt') -eq 5 ]"
# (the policy families describe policy files: their texts are checked by their own tests)
for id in $("$bin" rules | awk '{print $1}' | grep -vE '^WD-(POL|OWN|SUP)-'); do
  "$bin" explain "$id" | grep -q '^Example' || { bad "explain $id has no example"; continue; }
  ok
done

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
