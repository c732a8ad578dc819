/*
 * test_report.c - the writers (text, JSON, SARIF, Markdown, JUnit), the
 * baseline and the --fail-on gate, on scan results built by hand: owners,
 * risk factors, a suppressed finding, baseline flags, hostile names, and the
 * same result with none of that (what a scan without a policy gives).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report/common.h"
#include "warden/json.h"
#include "warden/report.h"

#define FP0 "00000000000000000000000000000000"
#define FP1 "11111111111111111111111111111111"
#define FP2 "22222222222222222222222222222222"
#define FP3 "33333333333333333333333333333333"

static const wd_risk_factor factors[] = {
	{"likelihood", "exposure", "public entry point without authentication", 4},
	{"impact", "data classes", "personal data (email)", 4},
};

static wd_suppression supp = {NULL, "WD-ENTRY-001", "Lead intake", NULL, NULL,
                              "partner calls it from a fixed IP; migration in Q1", "CISO",
                              21945 /* 2030-01-31 */, "policy.yaml:12:5"};

#define HOSTILE "Orders | <b>API</b> & \"x\" `y` ]] [z](http://e.vil)\n# forged @everyone"

/*
 * Four findings over three apps: a scored critical one (owned, new), a
 * suppressed one, an unscored one in an app with a hostile name (unowned,
 * unchanged), and a file-level one. "Clean app" has none.
 */
static void build(wd_scan_result *r, int rich)
{
	wd_result_app *a;
	wd_result_finding *f;

	wd_scan_result_init(r);
	r->napps = r->apps_cap = 3;
	r->apps = a = calloc(3, sizeof(*a));
	r->nfindings = r->findings_cap = 4;
	r->findings = f = calloc(4, sizeof(*f));
	assert_non_null(a);
	assert_non_null(f);
	r->imported = 3;
	r->files = 3;

	a[0] = (wd_result_app){"Lead intake", "W1", "n8n", "exports/lead intake#1.json", 5, 4, 1,
	                       "", "", "", {NULL, NULL, NULL, NULL}, 0, NULL};
	a[1] = (wd_result_app){HOSTILE, "tab1", "node-red", "exports/flows.json", 3, 2, -1,
	                       "", "", "", {NULL, NULL, NULL, NULL}, 0, NULL};
	a[2] = (wd_result_app){"Clean app", "W3", "n8n", "/abs/clean.json", 2, 1, 1,
	                       "", "", "", {NULL, NULL, NULL, NULL}, 0, NULL};

	f[0].rule = wd_rules_find("WD-INJ-002");
	f[0].severity = WD_SEV_CRITICAL;
	f[0].fingerprint = FP0;
	f[0].platform = "n8n";
	f[0].app_name = "Lead intake";
	f[0].app_id = "W1";
	f[0].file = f[0].app_file = "exports/lead intake#1.json";
	f[0].comp_id = "c1";
	f[0].comp_name = "Insert lead";
	f[0].comp_type = "n8n-nodes-base.postgres";
	f[0].line = 49;
	f[0].column = 5;
	f[0].pointer = "/nodes/2";
	f[0].message = "'Insert lead' builds its SQL text from public input";
	f[0].evidence = "";
	f[0].confidence = -1;
	f[0].app_index = 0;
	f[0].is_new = -1;

	f[1] = f[0];
	f[1].rule = wd_rules_find("WD-ENTRY-001");
	f[1].severity = WD_SEV_HIGH;
	f[1].fingerprint = FP1;
	f[1].comp_id = "c0";
	f[1].comp_name = "Website lead form";
	f[1].comp_type = "n8n-nodes-base.webhook";
	f[1].line = 10;
	f[1].message = "'Website lead form' is callable by anyone";

	f[2] = f[0];
	f[2].rule = wd_rules_find("WD-TLS-002");
	f[2].severity = WD_SEV_MEDIUM;
	f[2].fingerprint = FP2;
	f[2].platform = "node-red";
	f[2].app_name = HOSTILE;
	f[2].app_id = "tab1";
	f[2].file = f[2].app_file = "exports/flows.json";
	f[2].comp_id = "n1";
	f[2].comp_name = "hook\n  CRITICAL forged | <script>";
	f[2].comp_type = "http request";
	f[2].line = 7;
	f[2].column = 3;
	f[2].message = "talks to 'http://x' over | unencrypted <http>";
	f[2].evidence = "http://x";
	f[2].app_index = 0; /* wrong on purpose: the writers must not trust it */

	f[3] = f[2];
	f[3].rule = wd_rules_find("WD-SEC-002");
	f[3].severity = WD_SEV_HIGH;
	f[3].fingerprint = FP3;
	f[3].app_name = "";
	f[3].app_id = "";
	f[3].file = "exports/flows_cred.json";
	f[3].comp_id = NULL;
	f[3].comp_name = NULL;
	f[3].comp_type = NULL;
	f[3].line = 0;
	f[3].column = 0;
	f[3].message = "the credentials file is not encrypted";
	f[3].evidence = "";
	f[3].app_index = UINT32_MAX;

	if (!rich)
		return;
	r->has_owners = 1;
	r->has_policy = 1;
	r->policy_names = "default, team.yaml";
	a[0].environment = "prod";
	a[0].owner = (wd_owner){"Jane Doe", "Sales Ops", "sales-oncall@example.com", "owners.yaml:3"};
	a[0].criticality = 3;
	a[0].criticality_source = "owners.yaml:3";
	f[0].owner = f[1].owner = a[0].owner;
	f[0].risk = (wd_risk){1, 4, 4, WD_SEV_CRITICAL, factors, 2,
	                      "Customer e-mail addresses can be read or changed by anyone who finds "
	                      "the webhook URL.",
	                      1000, 25000, "EUR", "5,000 records at 0.20-5.00 EUR each"};
	f[1].risk = (wd_risk){1, 4, 2, WD_SEV_HIGH, factors, 1, "Anyone can start the workflow.",
	                      0, 0, NULL, NULL};
	f[1].status = WD_FINDING_SUPPRESSED;
	f[1].suppression = &supp;
}

static char *render(const wd_scan_result *r, const char *fmt, int fail_on)
{
	wd_buf out;
	char *s;

	wd_buf_init(&out, 0);
	if (strcmp(fmt, "json") == 0) {
		wd_report_json(r, &out);
	} else if (strcmp(fmt, "sarif") == 0) {
		wd_report_sarif(r, &out);
	} else if (strcmp(fmt, "md") == 0) {
		wd_markdown_opts o = {fail_on, 0, 0};
		wd_report_markdown(r, &o, &out);
	} else if (strcmp(fmt, "junit") == 0) {
		wd_junit_opts o = {fail_on};
		wd_report_junit(r, &o, &out);
	} else {
		wd_text_opts o = {0, strcmp(fmt, "text-owner") == 0 ? WD_GROUP_OWNER : WD_GROUP_APP,
		                  strcmp(fmt, "text-all") == 0};
		wd_report_text(r, &o, &out);
	}
	assert_false(wd_buf_failed(&out));
	s = strdup(wd_buf_cstr(&out));
	wd_buf_release(&out);
	assert_non_null(s);
	return s;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (hay = strstr(hay, needle); hay; hay = strstr(hay + 1, needle))
		n++;
	return n;
}

/* Parse JSON text with Warden's reader; the doc borrows text. */
static wd_json_doc *parse(const char *text)
{
	wd_json_doc *doc = NULL;
	wd_error err;

	if (wd_json_parse(&doc, text, strlen(text), NULL, &err) != WD_OK)
		fail_msg("not JSON: %s at %u:%u", err.message, err.line, err.column);
	return doc;
}

/* The value at a slash-separated path of keys and array indices. */
static const wd_json_val *at(wd_json_doc *doc, const char *path)
{
	const wd_json_val *v = wd_json_root(doc);
	char buf[256], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, "/", &save); tok && v; tok = strtok_r(NULL, "/", &save)) {
		if (wd_json_is_arr(v))
			v = wd_json_at(v, (size_t)atoi(tok));
		else
			v = wd_json_get(doc, v, tok);
	}
	return v;
}

static int str_is(wd_json_doc *doc, const char *path, const char *want)
{
	const wd_json_val *v = at(doc, path);
	wd_str s = wd_json_str(doc, v);

	if (!wd_json_is_str(v))
		return 0;
	return s.len == strlen(want) && memcmp(s.ptr, want, s.len) == 0;
}

static long num(wd_json_doc *doc, const char *path)
{
	int64_t n = -12345;

	if (wd_json_int(doc, at(doc, path), &n) != WD_OK)
		return -12345;
	return (long)n;
}

/* ---- JSON --------------------------------------------------------------------------- */

static void test_json_rich(void **state)
{
	wd_scan_result r;
	wd_json_doc *doc;
	char *s;

	(void)state;
	build(&r, 1);
	s = render(&r, "json", WD_SEV_HIGH);
	doc = parse(s);
	assert_true(str_is(doc, "version", "1.2"));
	assert_int_equal(num(doc, "summary/findings"), 4);
	assert_int_equal(num(doc, "summary/open"), 3);
	assert_int_equal(num(doc, "summary/suppressed"), 1);
	assert_true(str_is(doc, "policy", "default, team.yaml"));
	assert_true(wd_json_is_true(at(doc, "ownership_checked")));
	assert_int_equal(wd_json_typeof(at(doc, "baseline")), WD_JSON_NULL);
	/* per app: counts and risk derived from the findings, owner from the result */
	assert_true(str_is(doc, "apps/0/environment", "prod"));
	assert_true(str_is(doc, "apps/0/owner/owner", "Jane Doe"));
	assert_true(str_is(doc, "apps/0/owner/team", "Sales Ops"));
	assert_int_equal(num(doc, "apps/0/criticality"), 3);
	assert_true(str_is(doc, "apps/0/risk", "critical"));
	assert_int_equal(num(doc, "apps/0/risk_score"), 24); /* 16 open + 8 suppressed: accepted risk stays residual */
	assert_int_equal(num(doc, "apps/0/open"), 1);
	assert_int_equal(num(doc, "apps/0/suppressed"), 1);
	assert_int_equal(num(doc, "apps/1/open"), 1);
	assert_int_equal(wd_json_typeof(at(doc, "apps/1/risk")), WD_JSON_NULL);
	assert_int_equal(wd_json_typeof(at(doc, "apps/1/owner")), WD_JSON_NULL);
	assert_int_equal(num(doc, "apps/2/open"), 0);
	assert_int_equal(wd_json_typeof(at(doc, "apps/2/criticality")), WD_JSON_NULL);
	/* per finding */
	assert_true(str_is(doc, "findings/0/status", "open"));
	assert_int_equal(wd_json_typeof(at(doc, "findings/0/suppression")), WD_JSON_NULL);
	assert_true(str_is(doc, "findings/0/risk/level", "critical"));
	assert_int_equal(num(doc, "findings/0/risk/likelihood"), 4);
	assert_int_equal(num(doc, "findings/0/risk/impact"), 4);
	assert_int_equal(wd_json_size(at(doc, "findings/0/risk/factors")), 2);
	assert_true(str_is(doc, "findings/0/risk/factors/0/name", "exposure"));
	assert_int_equal(num(doc, "findings/0/risk/factors/1/score"), 4);
	assert_int_equal(num(doc, "findings/0/risk/loss/max"), 25000);
	assert_true(str_is(doc, "findings/0/risk/loss/currency", "EUR"));
	assert_true(str_is(doc, "findings/0/owner/escalation", "sales-oncall@example.com"));
	assert_null(at(doc, "findings/0/baseline"));
	assert_true(str_is(doc, "findings/1/status", "suppressed"));
	assert_true(str_is(doc, "findings/1/suppression/approver", "CISO"));
	assert_true(str_is(doc, "findings/1/suppression/expires", "2030-01-31"));
	assert_true(str_is(doc, "findings/1/suppression/source", "policy.yaml:12:5"));
	assert_int_equal(wd_json_typeof(at(doc, "findings/1/risk/loss")), WD_JSON_NULL);
	assert_int_equal(wd_json_typeof(at(doc, "findings/2/risk")), WD_JSON_NULL);
	assert_int_equal(wd_json_typeof(at(doc, "findings/2/owner")), WD_JSON_NULL);
	assert_true(str_is(doc, "findings/2/app/name", HOSTILE));
	wd_json_free(doc);
	free(s);
	wd_scan_result_release(&r);
}

static void test_json_plain(void **state)
{
	wd_scan_result r;
	wd_json_doc *doc;
	char *s;

	(void)state;
	build(&r, 0);
	s = render(&r, "json", WD_SEV_HIGH);
	doc = parse(s);
	assert_int_equal(wd_json_typeof(at(doc, "policy")), WD_JSON_NULL);
	assert_true(wd_json_is_false(at(doc, "ownership_checked")));
	assert_int_equal(num(doc, "summary/open"), 4);
	assert_true(str_is(doc, "apps/0/environment", ""));
	assert_int_equal(wd_json_typeof(at(doc, "apps/0/owner")), WD_JSON_NULL);
	assert_int_equal(wd_json_typeof(at(doc, "apps/0/risk")), WD_JSON_NULL);
	assert_int_equal(num(doc, "apps/0/risk_score"), 0);
	assert_int_equal(num(doc, "apps/0/open"), 2);
	assert_int_equal(wd_json_typeof(at(doc, "findings/0/risk")), WD_JSON_NULL);
	assert_int_equal(wd_json_typeof(at(doc, "findings/0/owner")), WD_JSON_NULL);
	assert_true(str_is(doc, "findings/1/status", "open"));
	wd_json_free(doc);
	free(s);
	wd_scan_result_release(&r);
}

/* ---- baseline and gate --------------------------------------------------------------- */

static const char base_doc[] =
	"{\"version\":\"1.1\",\"tool\":{\"name\":\"warden\",\"version\":\"0.1.0\"},\n"
	" \"findings\":[{\"fingerprint\":\"" FP0 "\"},{\"fingerprint\":\"" FP2 "\"},\n"
	"  {\"fingerprint\":\"" FP2 "\"},{\"fingerprint\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"},\n"
	"  {\"fingerprint\":\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\"}]}";

static void test_baseline(void **state)
{
	wd_scan_result r;
	wd_error err;
	wd_json_doc *doc;
	char *s;

	(void)state;
	build(&r, 1);
	assert_int_equal(wd_scan_count_gate(&r, WD_SEV_HIGH), 2); /* f0 critical, f3 high */
	assert_int_equal(wd_scan_count_gate(&r, WD_SEV_MEDIUM), 3);
	assert_int_equal(wd_scan_count_gate(&r, WD_FAIL_NEVER), 0);
	assert_int_equal(wd_scan_apply_baseline(&r, base_doc, strlen(base_doc), &err), WD_OK);
	assert_true(r.has_baseline);
	assert_int_equal(r.findings[0].is_new, 0);
	assert_int_equal(r.findings[1].is_new, 1);
	assert_int_equal(r.findings[2].is_new, 0);
	assert_int_equal(r.findings[3].is_new, 1);
	assert_int_equal(r.baseline_fixed, 2); /* aaaa, bbbb; the repeated FP2 counts once */
	/* the gate now counts only new findings: f3 */
	assert_int_equal(wd_scan_count_gate(&r, WD_SEV_HIGH), 1);
	assert_int_equal(wd_scan_count_gate(&r, WD_SEV_INFO), 1); /* f1 is new but suppressed */

	s = render(&r, "json", WD_SEV_HIGH);
	doc = parse(s);
	assert_int_equal(num(doc, "baseline/new"), 1);       /* open and new: f3 */
	assert_int_equal(num(doc, "baseline/unchanged"), 2); /* f0, f2 */
	assert_int_equal(num(doc, "baseline/fixed"), 2);
	assert_true(str_is(doc, "findings/0/baseline", "unchanged"));
	assert_true(str_is(doc, "findings/3/baseline", "new"));
	wd_json_free(doc);
	free(s);
	s = render(&r, "sarif", WD_SEV_HIGH);
	doc = parse(s);
	assert_true(str_is(doc, "runs/0/results/0/baselineState", "unchanged"));
	assert_true(str_is(doc, "runs/0/results/3/baselineState", "new"));
	wd_json_free(doc);
	free(s);
	s = render(&r, "text", WD_SEV_HIGH);
	assert_non_null(strstr(s, "baseline: 1 new, 2 unchanged, 2 fixed"));
	assert_int_equal(count(s, "  NEW"), 1);
	free(s);
	s = render(&r, "md", WD_SEV_HIGH);
	assert_non_null(strstr(s, "| Severity | Open | Suppressed | New |"));
	assert_non_null(strstr(s, "new since the baseline"));
	free(s);
	s = render(&r, "junit", WD_SEV_HIGH);
	assert_int_equal(count(s, "<failure"), 1); /* only the new one fails */
	assert_int_equal(count(s, "in the baseline:"), 2);
	free(s);
	wd_scan_result_release(&r);
}

static void test_baseline_errors(void **state)
{
	static const struct {
		const char *doc;
		wd_status code;
		uint32_t line, column;
	} cases[] = {
		{"this is not json", WD_EPARSE, 1, 1},
		{"[1, 2]", WD_EFORMAT, 1, 1},
		{"{\"version\":\"1.2\",\n \"tool\":{\"name\":\"gitleaks\"},\"findings\":[]}", WD_EFORMAT, 2,
		 9},
		{"{\"version\":\"2.0\",\"tool\":{\"name\":\"warden\"},\"findings\":[]}", WD_EFORMAT, 1, 12},
		{"{\"version\":\"1.2\",\"tool\":{\"name\":\"warden\"}}", WD_EFORMAT, 1, 1},
		{"{\"version\":\"1.2\",\"tool\":{\"name\":\"warden\"},\"findings\":{}}", WD_EFORMAT, 1, 54},
		{"{\"version\":\"1.2\",\"tool\":{\"name\":\"warden\"},\"findings\":[\n"
		 "  {\"fingerprint\":\"" FP0 "\"},\n  {\"fingerprint\":\"xyz\"}]}",
		 WD_EFORMAT, 3, 18},
		{"{\"version\":\"1.2\",\"tool\":{\"name\":\"warden\"},\"findings\":[\n  {\"rule\":1}]}",
		 WD_EFORMAT, 2, 3},
		{"{\"version\":\"1.2\",\"tool\":{\"name\":\"warden\"},\"findings\":[\"x\"]}", WD_EFORMAT,
		 1, 55},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		wd_scan_result r;
		wd_error err;
		build(&r, 1);
		wd_error_clear(&err);
		assert_int_equal(wd_scan_apply_baseline(&r, cases[i].doc, strlen(cases[i].doc), &err),
		                 cases[i].code);
		if (err.line != cases[i].line || err.column != cases[i].column)
			fail_msg("case %zu: error at %u:%u (%s), expected %u:%u", i, err.line, err.column,
			         err.message, cases[i].line, cases[i].column);
		assert_true(err.message[0] != '\0');
		/* nothing applied */
		assert_false(r.has_baseline);
		assert_int_equal(r.findings[0].is_new, -1);
		wd_scan_result_release(&r);
	}
}

/* ---- SARIF ----------------------------------------------------------------------------- */

static void test_sarif(void **state)
{
	wd_scan_result r;
	wd_json_doc *doc;
	const wd_json_val *rules, *res;
	char *s;
	size_t i;

	(void)state;
	build(&r, 1);
	r.apps[2].file = "/abs/clean.json";
	r.findings[3].file = "/abs/dir/flows_cred.json";
	s = render(&r, "sarif", WD_SEV_HIGH);
	doc = parse(s);
	assert_true(str_is(doc, "version", "2.1.0"));
	assert_true(str_is(doc, "runs/0/tool/driver/name", "Warden"));
	assert_true(str_is(doc, "runs/0/columnKind", "unicodeCodePoints"));
	rules = at(doc, "runs/0/tool/driver/rules");
	res = at(doc, "runs/0/results");
	assert_int_equal(wd_json_size(rules), 4);
	assert_int_equal(wd_json_size(res), 4);
	/* rules sorted by id; every ruleIndex names the rule of its ruleId */
	assert_true(str_is(doc, "runs/0/tool/driver/rules/0/id", "WD-ENTRY-001"));
	assert_true(str_is(doc, "runs/0/tool/driver/rules/3/id", "WD-TLS-002"));
	for (i = 0; i < 4; i++) {
		char p[64], q[64];
		long idx;
		wd_str id;
		snprintf(p, sizeof(p), "runs/0/results/%zu/ruleIndex", i);
		idx = num(doc, p);
		snprintf(p, sizeof(p), "runs/0/results/%zu/ruleId", i);
		id = wd_json_str(doc, at(doc, p));
		snprintf(q, sizeof(q), "runs/0/tool/driver/rules/%ld/id", idx);
		assert_true(idx >= 0 && idx < 4);
		assert_true(wd_str_eq(id, wd_json_str(doc, at(doc, q))));
	}
	assert_true(str_is(doc, "runs/0/tool/driver/rules/1/properties/security-severity", "8.0"));
	assert_true(str_is(doc, "runs/0/tool/driver/rules/1/defaultConfiguration/level", "error"));
	assert_true(str_is(doc, "runs/0/tool/driver/rules/1/properties/tags/0", "security"));
	assert_true(str_is(doc, "runs/0/tool/driver/rules/1/properties/tags/1", "LCNC-SEC-06"));
	assert_true(str_is(doc, "runs/0/tool/driver/rules/1/properties/cwe", "CWE-89"));
	assert_non_null(strstr(s, "\"external/cwe/cwe-89\""));
	assert_non_null(strstr(s, "Fix in Zapier"));
	/* results */
	assert_true(str_is(doc, "runs/0/results/0/level", "error"));
	assert_true(str_is(doc, "runs/0/results/2/level", "warning"));
	assert_true(str_is(doc, "runs/0/results/0/partialFingerprints/wardenFingerprint~1v1", FP0) ||
	            strstr(s, "\"wardenFingerprint/v1\":\"" FP0 "\"") != NULL);
	assert_true(str_is(doc,
	                   "runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri",
	                   "exports/lead%20intake%231.json"));
	assert_int_equal(num(doc, "runs/0/results/0/locations/0/physicalLocation/region/startLine"),
	                 49);
	assert_int_equal(num(doc, "runs/0/results/0/locations/0/physicalLocation/region/startColumn"),
	                 5);
	assert_true(str_is(doc, "runs/0/results/0/locations/0/logicalLocations/0/name", "Lead intake"));
	assert_true(str_is(doc, "runs/0/results/0/locations/0/logicalLocations/1/fullyQualifiedName",
	                   "Lead intake/Insert lead"));
	assert_true(str_is(doc, "runs/0/results/0/properties/riskLevel", "critical"));
	assert_true(str_is(doc, "runs/0/results/0/properties/owner", "Jane Doe"));
	assert_true(str_is(doc, "runs/0/results/0/properties/businessImpact",
	                   r.findings[0].risk.impact_sentence));
	assert_null(at(doc, "runs/0/results/0/suppressions"));
	assert_null(at(doc, "runs/0/results/0/baselineState"));
	assert_true(str_is(doc, "runs/0/results/1/suppressions/0/kind", "external"));
	assert_true(str_is(doc, "runs/0/results/1/suppressions/0/status", "accepted"));
	assert_true(str_is(doc, "runs/0/results/1/suppressions/0/justification", supp.justification));
	assert_true(str_is(doc, "runs/0/results/1/suppressions/0/properties/expires", "2030-01-31"));
	/* file-level: no region (line 0), no logical location, absolute path as file URI */
	assert_null(at(doc, "runs/0/results/3/locations/0/physicalLocation/region"));
	assert_null(at(doc, "runs/0/results/3/locations/0/logicalLocations"));
	assert_true(str_is(doc,
	                   "runs/0/results/3/locations/0/physicalLocation/artifactLocation/uri",
	                   "file:///abs/dir/flows_cred.json"));
	assert_true(wd_json_is_true(at(doc, "runs/0/invocations/0/executionSuccessful")));
	assert_true(str_is(doc, "runs/0/results/2/locations/0/logicalLocations/0/name", HOSTILE));
	wd_json_free(doc);
	free(s);
	wd_scan_result_release(&r);
}

static void test_sarif_errors_and_empty(void **state)
{
	wd_scan_result r;
	wd_result_error e = {"bad dir/x?.json", 12, 5, WD_EPARSE, "unexpected '}'"};
	wd_json_doc *doc;
	char *s;

	(void)state;
	wd_scan_result_init(&r);
	r.errors = malloc(sizeof(e));
	assert_non_null(r.errors);
	r.errors[0] = e;
	r.nerrors = r.errors_cap = 1;
	s = render(&r, "sarif", WD_SEV_HIGH);
	doc = parse(s);
	assert_int_equal(wd_json_size(at(doc, "runs/0/results")), 0);
	assert_int_equal(wd_json_size(at(doc, "runs/0/tool/driver/rules")), 0);
	assert_true(wd_json_is_false(at(doc, "runs/0/invocations/0/executionSuccessful")));
	assert_true(str_is(doc, "runs/0/invocations/0/toolExecutionNotifications/0/level", "error"));
	assert_true(str_is(doc,
	                   "runs/0/invocations/0/toolExecutionNotifications/0/locations/0/"
	                   "physicalLocation/artifactLocation/uri",
	                   "bad%20dir/x%3F.json"));
	wd_json_free(doc);
	free(s);
	s = render(&r, "junit", WD_SEV_HIGH);
	assert_int_equal(count(s, "<error "), 1);
	assert_non_null(strstr(s, "errors=\"1\""));
	free(s);
	s = render(&r, "md", WD_SEV_HIGH);
	assert_non_null(strstr(s, "1 input could not be read"));
	free(s);
	wd_scan_result_release(&r);
}

/* ---- Markdown --------------------------------------------------------------------------- */

/* Every line of a table has as many unescaped '|' as its header. */
static void check_tables(const char *md)
{
	const char *line = md;
	long want = -1;

	while (*line) {
		const char *end = strchr(line, '\n'), *p;
		long pipes = 0;
		if (!end)
			end = line + strlen(line);
		for (p = line; p < end; p++) {
			if (*p == '\\' && p + 1 < end) {
				p++;
				continue;
			}
			pipes += *p == '|';
		}
		if (line[0] == '|') {
			if (want < 0)
				want = pipes;
			if (pipes != want)
				fail_msg("table row with %ld cells instead of %ld: %.*s", pipes, want,
				         (int)(end - line), line);
		} else {
			want = -1;
		}
		line = *end ? end + 1 : end;
	}
}

static void test_markdown(void **state)
{
	wd_scan_result r;
	char *s;

	(void)state;
	build(&r, 1);
	r.apps[0].owner.owner = r.findings[0].owner.owner = r.findings[1].owner.owner =
		"jane@example.com";
	s = render(&r, "md", WD_SEV_HIGH);
	assert_non_null(strstr(s, "## Warden security review"));
	/* an e-mail address is no mention: no joiner inside it */
	assert_non_null(strstr(s, "jane&#64;example.com"));
	assert_non_null(strstr(s, "**Fails the gate:** 2 open findings at or above high."));
	assert_non_null(strstr(s, "| Critical | 1 | 0 |"));
	assert_non_null(strstr(s, "| High | 1 | 1 |"));
	assert_non_null(strstr(s, "| **Total** | **3** | **1** |"));
	assert_non_null(strstr(s, "### Top risks"));
	assert_non_null(strstr(s, "**Critical** risk"));
	assert_non_null(strstr(s, "`WD-INJ-002`"));
	assert_non_null(strstr(s, "**Business impact:**"));
	assert_non_null(strstr(s, "**Fix:**"));
	/* the top risk is the scored critical one, listed first */
	assert_true(strstr(s, "`WD-INJ-002`") < strstr(s, "`WD-SEC-002`"));
	assert_non_null(strstr(s, "### Apps by risk"));
	assert_non_null(strstr(s, "| Critical | 24 | 1 | 1 |"));
	assert_non_null(strstr(s, "### Owners"));
	assert_non_null(strstr(s, "**unowned**"));
	assert_null(strstr(s, "Ownership was not checked"));
	assert_non_null(strstr(s, "<details><summary>All findings (3 open, 1 suppressed)</summary>"));
	assert_non_null(strstr(s, "| suppressed |"));
	/* hostile names cannot open HTML, links, code spans, headings or cells */
	assert_null(strstr(s, "<b>"));
	assert_null(strstr(s, "<script>"));
	assert_null(strstr(s, "](http"));
	assert_null(strstr(s, "\n# forged"));
	assert_null(strstr(s, "\n  CRITICAL forged"));
	assert_null(strstr(s, "@everyone"));
	assert_null(strstr(s, "&#64;everyone"));
	assert_non_null(strstr(s, "\xE2\x81\xA0" "everyone"));

	check_tables(s);
	free(s);
	wd_scan_result_release(&r);

	build(&r, 0);
	s = render(&r, "md", WD_FAIL_NEVER);
	assert_non_null(strstr(s, "Ownership was not checked (no owners file)."));
	assert_non_null(strstr(s, "**No gate**"));
	assert_non_null(strstr(s, "no policy (built-in rules only)"));
	check_tables(s);
	free(s);
	wd_scan_result_release(&r);
}

/* Many findings: the comment stays within its budget and says what it left out. */
static void test_markdown_budget(void **state)
{
	wd_scan_result r;
	wd_buf out;
	wd_markdown_opts o = {WD_SEV_HIGH, 20000, 0};
	size_t i, n = 3000;
	static char longname[5000];

	(void)state;
	memset(longname, '|', sizeof(longname) - 1);
	build(&r, 1);
	r.findings = realloc(r.findings, n * sizeof(*r.findings));
	assert_non_null(r.findings);
	for (i = 4; i < n; i++) {
		r.findings[i] = r.findings[i % 4];
		r.findings[i].comp_name = longname;
	}
	r.nfindings = r.findings_cap = n;
	wd_buf_init(&out, 0);
	wd_report_markdown(&r, &o, &out);
	assert_false(wd_buf_failed(&out));
	assert_true(out.len <= 20000);
	assert_non_null(strstr(wd_buf_cstr(&out), "more findings not shown"));
	assert_non_null(strstr(wd_buf_cstr(&out), "</details>"));
	check_tables(wd_buf_cstr(&out));
	wd_buf_reset(&out);
	o.max_bytes = 0; /* default: within a GitHub comment */
	wd_report_markdown(&r, &o, &out);
	assert_true(out.len <= 65536);
	wd_buf_release(&out);
	wd_scan_result_release(&r);
}

/* Top risks: at most two per app while other apps have open findings. */
static void test_markdown_top_diverse(void **state)
{
	wd_scan_result r;
	wd_buf out;
	wd_markdown_opts o = {WD_SEV_HIGH, 0, 3};
	size_t i;

	(void)state;
	build(&r, 0);
	r.findings = realloc(r.findings, 8 * sizeof(*r.findings));
	assert_non_null(r.findings);
	for (i = 4; i < 8; i++)
		r.findings[i] = r.findings[0]; /* four more criticals in Lead intake */
	r.nfindings = r.findings_cap = 8;
	wd_buf_init(&out, 0);
	wd_report_markdown(&r, &o, &out);
	assert_int_equal(count(wd_buf_cstr(&out), "`WD-INJ-002`"), 2 + 5); /* 2 top + 5 rows */
	/* the third entry is the best of another app: WD-SEC-002 (high, file-level) */
	assert_non_null(strstr(wd_buf_cstr(&out), "3. **High** · `WD-SEC-002`"));
	assert_null(strstr(wd_buf_cstr(&out), "4. **"));
	wd_buf_release(&out);
	wd_scan_result_release(&r);
}

/* ---- JUnit ------------------------------------------------------------------------------- */

static void test_junit(void **state)
{
	wd_scan_result r;
	char *s;

	(void)state;
	build(&r, 1);
	s = render(&r, "junit", WD_SEV_HIGH);
	assert_true(strncmp(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites", 50) == 0);
	/* three apps and the file-level suite */
	assert_int_equal(count(s, "<testsuite "), 4);
	assert_int_equal(count(s, "</testsuite>"), 4);
	assert_non_null(strstr(s, "tests=\"5\" failures=\"2\" errors=\"0\" skipped=\"1\""));
	assert_int_equal(count(s, "<failure "), 2);
	assert_non_null(strstr(s, "<failure type=\"critical\""));
	assert_int_equal(count(s, "<skipped "), 1);
	assert_non_null(strstr(s, "name=\"no findings\" classname=\"Clean app\""));
	assert_non_null(strstr(s, "name=\"WD-INJ-002 Insert lead\""));
	assert_non_null(strstr(s, "<testsuite name=\"file-level findings\""));
	assert_non_null(strstr(s, "below the gate:"));
	assert_non_null(strstr(s, "<property name=\"owner\" value=\"Jane Doe\"/>"));
	assert_null(strstr(s, "<b>"));
	assert_null(strstr(s, "<script>"));
	assert_non_null(strstr(s, "&lt;b&gt;"));
	free(s);
	s = render(&r, "junit", WD_SEV_MEDIUM);
	assert_int_equal(count(s, "<failure "), 3);
	free(s);
	wd_scan_result_release(&r);
}

/* ---- text -------------------------------------------------------------------------------- */

static void test_text(void **state)
{
	wd_scan_result r;
	char *s, *jane, *unowned;

	(void)state;
	build(&r, 1);
	s = render(&r, "text", WD_SEV_HIGH);
	assert_non_null(strstr(s, "Lead intake  n8n · exports/lead intake#1.json · prod · owner: "
	                          "Jane Doe (Sales Ops)"));
	assert_non_null(strstr(s, "risk CRITICAL ("));
	assert_non_null(strstr(s, r.findings[0].risk.impact_sentence));
	assert_null(strstr(s, "WD-ENTRY-001")); /* suppressed: counted, not listed */
	assert_non_null(strstr(s, "3 findings (1 critical, 1 high, 1 medium, 0 low, 0 info)"));
	assert_non_null(strstr(s, "; 1 suppressed (not listed)"));
	assert_non_null(strstr(s, "policy: default, team.yaml; ownership checked: 2 of 3 apps "
	                          "unowned"));
	assert_null(strstr(s, "\n  CRITICAL forged"));
	free(s);

	s = render(&r, "text-all", WD_SEV_HIGH);
	assert_non_null(strstr(s, "WD-ENTRY-001"));
	assert_non_null(strstr(s, "(suppressed)"));
	assert_non_null(strstr(s, "suppressed: partner calls it from a fixed IP; migration in Q1 · "
	                          "approved by CISO · until 2030-01-31 · policy.yaml:12:5"));
	assert_non_null(strstr(s, "; 1 suppressed\n"));
	free(s);

	s = render(&r, "text-owner", WD_SEV_HIGH);
	jane = strstr(s, "Jane Doe (Sales Ops)  escalation: sales-oncall@example.com\n");
	unowned = strstr(s, "\nunowned\n");
	assert_non_null(jane);
	assert_non_null(unowned);
	assert_true(jane < unowned);
	assert_non_null(strstr(s, "           in Lead intake (n8n · exports/lead intake#1.json)"));
	assert_non_null(strstr(s, "           in (whole file)"));
	free(s);
	wd_scan_result_release(&r);

	build(&r, 0);
	s = render(&r, "text", WD_SEV_HIGH);
	assert_non_null(strstr(s, "4 findings (1 critical, 2 high, 1 medium, 0 low, 0 info) in 3 apps"));
	assert_non_null(strstr(s, "policy: none (built-in rules only); ownership not checked: no "
	                          "owners file\n"));
	assert_null(strstr(s, "risk "));
	assert_null(strstr(s, "owner:"));
	assert_null(strstr(s, "suppressed"));
	free(s);
	wd_scan_result_release(&r);
}

static void test_date(void **state)
{
	char d[WD_REPORT_DATE_MAX];

	(void)state;
	wd_report_date(0, d);
	assert_string_equal(d, "1970-01-01");
	wd_report_date(19782, d);
	assert_string_equal(d, "2024-02-29");
	wd_report_date(21945, d);
	assert_string_equal(d, "2030-01-31");
	wd_report_date(-1, d);
	assert_string_equal(d, "1969-12-31");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_rich),
		cmocka_unit_test(test_json_plain),
		cmocka_unit_test(test_baseline),
		cmocka_unit_test(test_baseline_errors),
		cmocka_unit_test(test_sarif),
		cmocka_unit_test(test_sarif_errors_and_empty),
		cmocka_unit_test(test_markdown),
		cmocka_unit_test(test_markdown_budget),
		cmocka_unit_test(test_markdown_top_diverse),
		cmocka_unit_test(test_junit),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_date),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
