#!/usr/bin/env bash
# End-to-end tests of owners and suppressions in `warden scan`: every app
# resolves to an owner or is reported unowned; suppressions apply only when
# justified, approved and current; incomplete, expired and stale ones are
# findings themselves; suppressed findings stay in JSON and never fail the gate.
# usage: exceptions.sh WARDEN_BINARY SOURCE_DIR CORPUS_DIR
set -u
bin="$1"; src="$2"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok()  { pass=$((pass+1)); }
bad() { fail=$((fail+1)); echo "FAIL: $*"; }
check() { if eval "$2"; then ok; else bad "$1"; fi; }
ex="$src/examples"
lead="$ex/n8n/lead-intake-webhook.json"
jq_py() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); $2" "$1"; }

# --- ownership ---------------------------------------------------------------------
"$bin" scan -q --color never --today 2026-11-29 "$ex" >"$tmp/noown.txt" 2>/dev/null
check "without an owners file one line says ownership was not checked" \
  "grep -qi 'ownership.*not checked' '$tmp/noown.txt'"
check "without an owners file no WD-OWN-001 finding" "! grep -q WD-OWN-001 '$tmp/noown.txt'"

cat >"$tmp/owners.yaml" <<'Y'
version: 1
owners:
  - apps: ["Lead intake"]
    owner: marketing-ops@example.com
    team: Marketing Ops
    escalation: secops@example.com
    criticality: high
  - paths: ["examples/node-red/**"]
    owner: plant-it@example.com
    team: Plant IT
    escalation: plant-oncall@example.com
Y
"$bin" scan -q --format json --today 2026-11-29 --owners "$tmp/owners.yaml" "$ex" >"$tmp/own.json" 2>/dev/null
check "owners: Lead intake and its findings carry the owner" \
  "jq_py '$tmp/own.json' 'a=[x for x in d[\"apps\"] if x[\"name\"]==\"Lead intake\"][0]; assert a[\"owner\"][\"owner\"]==\"marketing-ops@example.com\" and a[\"criticality\"]==3, a; fs=[f for f in d[\"findings\"] if f[\"app\"][\"name\"]==\"Lead intake\"]; assert fs and all(f[\"owner\"] and f[\"owner\"][\"team\"]==\"Marketing Ops\" for f in fs)'"
check "owners: a path rule owns the Node-RED tabs" \
  "jq_py '$tmp/own.json' 'assert all(a[\"owner\"] and a[\"owner\"][\"team\"]==\"Plant IT\" for a in d[\"apps\"] if a[\"platform\"]==\"node-red\")'"
check "owners: every other app is reported unowned, once each" \
  "jq_py '$tmp/own.json' 'un=[a[\"name\"] for a in d[\"apps\"] if not a[\"owner\"]]; own=[f[\"app\"][\"name\"] for f in d[\"findings\"] if f[\"rule\"]==\"WD-OWN-001\"]; assert un and sorted(un)==sorted(own), (un, own)'"
check "owners: an unowned app's finding shows the export's own owner hint as evidence" \
  "jq_py '$tmp/own.json' 'f=[f for f in d[\"findings\"] if f[\"rule\"]==\"WD-OWN-001\" and f[\"app\"][\"name\"]==\"Send my timesheet to the agency\"][0]; assert f[\"evidence\"].startswith(\"export names \"), f'"
check "owners: ownership_checked is true" "jq_py '$tmp/own.json' 'assert d[\"ownership_checked\"] is True'"
"$bin" scan -q --color never --group-by owner --today 2026-11-29 --owners "$tmp/owners.yaml" "$ex" >"$tmp/own.txt" 2>/dev/null
check "text --group-by owner has a header per owner" \
  "grep -q 'marketing-ops@example.com' '$tmp/own.txt' && grep -q 'Plant IT' '$tmp/own.txt' && grep -qi 'unowned' '$tmp/own.txt'"

# --- suppressions ------------------------------------------------------------------------
"$bin" scan -q --format json --no-policy "$lead" >"$tmp/lead.json" 2>/dev/null
fp=$(jq_py "$tmp/lead.json" 'print([f["fingerprint"] for f in d["findings"] if f["rule"]=="WD-INJ-002"][0])')
check "a fingerprint to suppress" '[ ${#fp} -eq 32 ]'
cat >"$tmp/sup.yaml" <<Y
version: 1
suppressions:
  - fingerprint: $fp
    justification: The insert uses a view with a column whitelist (CHG-1).
    approver: appsec@example.com
    expires: 2099-12-31
  - rule: WD-ENTRY-001
    app: Lead intake
    justification: Behind the API gateway with mTLS (CHG-2).
    approver: appsec@example.com
    expires: 2099-12-31
  - rule: WD-TLS-001
    app: Lead intake
    justification: Legacy CRM certificate, replaced in Q3.
    approver: appsec@example.com
    expires: 2020-01-31
  - rule: WD-DATA-001
    app: Lead intake
    justification: Test data only.
  - rule: WD-ENTRY-001
    app: No such app
    justification: Old exception.
    approver: appsec@example.com
    expires: 2099-12-31
Y
"$bin" scan -q --format json --no-policy --today 2026-11-29 --suppressions "$tmp/sup.yaml" "$lead" \
  >"$tmp/sup.json" 2>/dev/null; rc=$?
check "suppressions: scan ran (exit 0 or 1, got $rc)" '[ $rc -le 1 ]'
check "by fingerprint: the SQL finding is suppressed, with its suppression" \
  "jq_py '$tmp/sup.json' 'f=[f for f in d[\"findings\"] if f[\"fingerprint\"]==\"$fp\"][0]; assert f[\"status\"]==\"suppressed\" and f[\"suppression\"][\"approver\"]==\"appsec@example.com\" and f[\"suppression\"][\"expires\"]==\"2099-12-31\", f'"
check "by rule + app: WD-ENTRY-001 suppressed" \
  "jq_py '$tmp/sup.json' 'fs=[f for f in d[\"findings\"] if f[\"rule\"]==\"WD-ENTRY-001\"]; assert fs and all(f[\"status\"]==\"suppressed\" for f in fs)'"
check "expired: WD-TLS-001 stays open and WD-SUP-002 points at the suppression's line" \
  "jq_py '$tmp/sup.json' 'assert all(f[\"status\"]==\"open\" for f in d[\"findings\"] if f[\"rule\"]==\"WD-TLS-001\"); s=[f for f in d[\"findings\"] if f[\"rule\"]==\"WD-SUP-002\"]; assert len(s)==1 and s[0][\"location\"][\"file\"].endswith(\"sup.yaml\") and s[0][\"location\"][\"line\"]==12, s'"
check "incomplete: WD-DATA-001 stays open and WD-SUP-001 is reported" \
  "jq_py '$tmp/sup.json' 'assert all(f[\"status\"]==\"open\" for f in d[\"findings\"] if f[\"rule\"]==\"WD-DATA-001\"); s=[f for f in d[\"findings\"] if f[\"rule\"]==\"WD-SUP-001\"]; assert len(s)==1 and \"approver\" in s[0][\"message\"], s'"
check "stale: WD-SUP-003 for the suppression that matches nothing (and only that one)" \
  "jq_py '$tmp/sup.json' 's=[f for f in d[\"findings\"] if f[\"rule\"]==\"WD-SUP-003\"]; assert len(s)==1 and \"No such app\" in s[0][\"message\"], s'"
check "suppressed findings are counted in the summary" \
  "jq_py '$tmp/sup.json' 'assert d[\"summary\"][\"suppressed\"]==2, d[\"summary\"]'"
"$bin" scan -q --color never --no-policy --today 2026-11-29 --suppressions "$tmp/sup.yaml" "$lead" >"$tmp/sup.txt" 2>/dev/null
check "text hides suppressed findings but counts them" \
  "grep -q '2 suppressed' '$tmp/sup.txt' && ! grep -qE '^  [A-Z]+ +WD-ENTRY-001 ' '$tmp/sup.txt'"
check "SUP fingerprints are stable across runs" \
  "\"$bin\" scan -q --format json --no-policy --today 2026-11-29 --suppressions '$tmp/sup.yaml' '$lead' 2>/dev/null | python3 -c 'import json,sys; a=json.load(open(\"$tmp/sup.json\")); b=json.load(sys.stdin); assert [f[\"fingerprint\"] for f in a[\"findings\"]]==[f[\"fingerprint\"] for f in b[\"findings\"]]'"
# the same expired suppression applies on the day before it expires
sed -i 's/2020-01-31/2026-11-29/' "$tmp/sup.yaml"
"$bin" scan -q --format json --no-policy --today 2026-11-29 --suppressions "$tmp/sup.yaml" "$lead" >"$tmp/sup2.json" 2>/dev/null
check "expiry is inclusive: valid on its last day" \
  "jq_py '$tmp/sup2.json' 'assert all(f[\"status\"]==\"suppressed\" for f in d[\"findings\"] if f[\"rule\"]==\"WD-TLS-001\") and not [f for f in d[\"findings\"] if f[\"rule\"]==\"WD-SUP-002\"]'"

# the gate: an app whose every finding is accepted passes --fail-on
cat >"$tmp/all.yaml" <<'Y'
version: 1
suppressions:
  - app: Lead intake
    justification: Accepted for the pilot; replaced by the new intake in January.
    approver: ciso@example.com
    expires: 2099-01-31
Y
"$bin" scan -q --no-policy --today 2026-11-29 --fail-on low --suppressions "$tmp/all.yaml" "$lead" >/dev/null 2>&1
check "suppressed findings never fail the gate" '[ $? -eq 0 ]'
"$bin" scan -q --no-policy --today 2026-11-29 --fail-on low "$lead" >/dev/null 2>&1
check "the same scan without the suppression fails" '[ $? -eq 1 ]'

# a broken suppressions file stops the scan before it starts
printf 'version: 1\nsuppressions:\n  - rule: WD-ENTRY-001\n    expires: 2026-02-30\n' >"$tmp/bad.yaml"
"$bin" scan -q --no-policy --suppressions "$tmp/bad.yaml" "$lead" >/dev/null 2>"$tmp/bad.err"
check "bad suppressions file: exit 2 with file:line:col" \
  "[ \$? -eq 2 ] && grep -q 'bad.yaml:4:' '$tmp/bad.err'"

# --- FAIR-lite: a policy with values per record gives a money range, stated with its inputs
"$bin" scan -q --color never --policy "$src/docs/examples/policy.yaml" --today 2026-11-29 "$lead" >"$tmp/loss.txt" 2>/dev/null
check "text: a yearly loss range with its assumptions" \
  "grep -q 'yearly loss exposure 500 to 150,000 EUR. Assumes 1,000 records of personal data at 5 to 150 EUR' '$tmp/loss.txt'"
"$bin" scan -q --format markdown --policy "$src/docs/examples/policy.yaml" --today 2026-11-29 "$lead" >"$tmp/loss.md" 2>/dev/null
check "markdown: money at risk" "grep -q 'Money at risk:\*\* yearly loss exposure' '$tmp/loss.md'"
"$bin" scan -q --color never --no-policy "$lead" >"$tmp/noloss.txt" 2>/dev/null
check "no range without a policy giving values per record" "! grep -q 'yearly loss' '$tmp/noloss.txt'"

echo "exceptions: $pass passed, $fail failed"
[ $fail -eq 0 ]
