#!/usr/bin/env bash
# End-to-end tests of `warden policy`: checking the shipped and documented
# files, error positions and exit codes, the embedded default, and the JSON
# Schema for editors (docs/schema/policy.schema.json) against the same files.
# usage: policy.sh WARDEN_BINARY SOURCE_DIR [CORPUS_DIR]
set -u
bin="$1"; src="$2"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok()   { pass=$((pass+1)); }
bad()  { fail=$((fail+1)); echo "FAIL: $*"; }
check() { if eval "$2"; then ok; else bad "$1"; fi; }

ex="$src/docs/examples"
"$bin" policy check "$ex/policy.yaml" "$src/data/policy/default.yaml" \
  --owners "$ex/owners.yaml" --suppressions "$ex/suppressions.yaml" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "valid files exit 0" '[ $rc -eq 0 ]'
check "one ok line per file" '[ $(grep -c ": ok (" "$tmp/out") -eq 4 ]'
check "policy counts" 'grep -q "policy.yaml: ok (29 connector patterns, 5 rules, 10 required settings" "$tmp/out"'
check "owners counts" 'grep -q "owners.yaml: ok (5 owner rules)" "$tmp/out"'
check "suppressions counts" 'grep -q "suppressions.yaml: ok (5 suppressions)" "$tmp/out"'
check "nothing on stderr" '[ ! -s "$tmp/err" ]'

printf 'version: 1\nconnectors:\n  busines: [Slack]\n' >"$tmp/bad.yaml"
"$bin" policy check "$ex/policy.yaml" "$tmp/bad.yaml" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "a bad file exits 2" '[ $rc -eq 2 ]'
check "error with line and column" 'grep -q "bad.yaml:3:3: unknown key '"'"'busines'"'"'" "$tmp/err"'
check "the good file is still ok" 'grep -q "policy.yaml: ok" "$tmp/out"'

printf 'version: 1\nowners:\n  - apps: [x]\n' >"$tmp/owners.yaml"
"$bin" policy check --owners "$tmp/owners.yaml" >/dev/null 2>"$tmp/err"; rc=$?
check "bad owners file exits 2" '[ $rc -eq 2 ] && grep -q "owners.yaml:3:5:" "$tmp/err"'
"$bin" policy check /nonexistent/policy.yaml >/dev/null 2>"$tmp/err"; rc=$?
check "missing file exits 2" '[ $rc -eq 2 ] && grep -q "nonexistent/policy.yaml: cannot open" "$tmp/err"'
head -c 2000000 /dev/zero | tr '\0' '#' >"$tmp/big.yaml"
"$bin" policy check "$tmp/big.yaml" >/dev/null 2>"$tmp/err"; rc=$?
check "oversized file exits 2 with a position" '[ $rc -eq 2 ] && grep -q "big.yaml:1:1: .*limit" "$tmp/err"'
"$bin" policy check >/dev/null 2>&1; rc=$?
check "no files is a usage error" '[ $rc -eq 2 ]'
"$bin" policy frobnicate >/dev/null 2>&1; rc=$?
check "unknown subcommand" '[ $rc -eq 2 ]'

"$bin" policy show-default >"$tmp/default.yaml"; rc=$?
check "show-default prints the shipped default" '[ $rc -eq 0 ] && cmp -s "$tmp/default.yaml" "$src/data/policy/default.yaml"'
"$bin" policy check "$tmp/default.yaml" >/dev/null 2>&1; rc=$?
check "the printed default checks" '[ $rc -eq 0 ]'
"$bin" --help | grep -q "policy check"; check "usage names the command" '[ $? -eq 0 ]'
"$bin" explain WD-POL-002 | grep -q "Business and non-business"; check "explain WD-POL-002" '[ $? -eq 0 ]'

# The schema accepts the documented example and the default, rejects a typo.
if python3 -c 'import yaml, jsonschema' 2>/dev/null; then
  python3 - "$src" <<'EOF' >"$tmp/schema.out" 2>&1; rc=$?
import json, sys, yaml, jsonschema
src = sys.argv[1]
# YAML 1.2 as editors read it: dates stay strings
class Loader(yaml.SafeLoader):
    pass
Loader.yaml_implicit_resolvers = {
    k: [(t, r) for t, r in v if t != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
schema = json.load(open(src + "/docs/schema/policy.schema.json"))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
bad = 0
for f in ("docs/examples/policy.yaml", "data/policy/default.yaml"):
    for e in v.iter_errors(yaml.load(open(src + "/" + f), Loader=Loader)):
        print(f, list(e.path), e.message); bad += 1
typo = yaml.load("version: 1\nconnectors:\n  busines: [x]\n", Loader=Loader)
if not list(v.iter_errors(typo)):
    print("schema accepts an unknown key"); bad += 1
sys.exit(1 if bad else 0)
EOF
  check "JSON Schema validates the example and the default (python3)" '[ $rc -eq 0 ] || { cat "$tmp/schema.out"; false; }'
else
  echo "python3 yaml/jsonschema not available: schema check skipped"
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
