/*
 * test_risk.c - risk scoring: the matrix (exhaustively, and against the
 * table in docs/risk.md), each factor on small exports written inline, the
 * business-impact sentences (the app's own names, hostile names capped),
 * the severity bounds for every rule, FAIR-lite with and without inputs,
 * and the worked examples of docs/risk.md, which this file reproduces.
 *
 * Policy inputs (criticality, values per record) come through the
 * wd_risk_inputs seam (src/lib/risk/internal.h), so these tests do not
 * depend on the policy file format.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "risk/internal.h"
#include "warden/import.h"
#include "warden/risk.h"

/* ---- n8n building blocks (as in test_rules.c) ------------------------------------- */

#define WFN(name, nodes, conns)                                                              \
	"{\"name\":\"" name "\",\"id\":\"W1\",\"active\":true,\"nodes\":[" nodes                \
	"],\"connections\":{" conns "},\"settings\":{\"errorWorkflow\":\"42\"}}"
#define NODE(id, name, type, params)                                                         \
	"{\"id\":\"" id "\",\"name\":\"" name "\",\"type\":\"" type                              \
	"\",\"typeVersion\":1,\"position\":[0,0],\"parameters\":{" params "}}"
#define NODE_C(id, name, type, params, cred)                                                 \
	"{\"id\":\"" id "\",\"name\":\"" name "\",\"type\":\"" type                              \
	"\",\"typeVersion\":1,\"position\":[0,0],\"parameters\":{" params "},"               \
	"\"credentials\":{\"slackApi\":{\"id\":\"" cred "\",\"name\":\"Team Slack\"}}}"
#define MAIN(from, to) "\"" from "\":{\"main\":[[{\"node\":\"" to "\",\"type\":\"main\",\"index\":0}]]}"
#define MAIN2(from, a, b)                                                                    \
	"\"" from "\":{\"main\":[[{\"node\":\"" a "\",\"type\":\"main\",\"index\":0},"            \
	"{\"node\":\"" b "\",\"type\":\"main\",\"index\":0}]]}"

#define HOOK(name) NODE("h", name, "n8n-nodes-base.webhook", "\"path\":\"in\",\"httpMethod\":\"POST\"")
#define SCHED NODE("s", "Every day", "n8n-nodes-base.scheduleTrigger", "")
#define FORM(name, fields)                                                                   \
	NODE("f", name, "n8n-nodes-base.formTrigger",                                        \
	     "\"formTitle\":\"Apply\",\"formFields\":{\"values\":[" fields "]}")
#define FIELD(label) "{\"fieldLabel\":\"" label "\"}"

#define GITHUB_TOKEN "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"

/* ---- inputs standing in for the policy --------------------------------------------- */

typedef struct test_inputs {
	int crit;
	const char *crit_src;
	wd_loss_inputs loss;     /* the same for every class when records > 0 */
	uint16_t loss_classes;   /* 1u << wd_class given values; 0 = all */
	int loss_calls;
} test_inputs;

static int t_crit(void *ud, const wd_model *m, uint32_t app, const char **source)
{
	test_inputs *t = ud;

	(void)m;
	(void)app;
	*source = t->crit_src;
	return t->crit;
}

static int t_loss(void *ud, const wd_model *m, uint32_t app, wd_class cls, wd_loss_inputs *out)
{
	test_inputs *t = ud;

	(void)m;
	(void)app;
	t->loss_calls++;
	if (t->loss.records == 0 && t->loss.per_record_max == 0)
		return 0;
	if (t->loss_classes && !(t->loss_classes & (1u << cls)))
		return 0;
	*out = t->loss;
	return 1;
}

/* ---- a scored model ------------------------------------------------------------------ */

typedef struct scored {
	wd_model *m;
	wd_findings f;
	wd_risk_ctx *cx;
	wd_arena arena;
} scored;

static void open_model(scored *s, const char *path, const char *json, test_inputs *in)
{
	wd_error err;
	wd_import_opts opts;
	wd_risk_inputs ri;
	char *copy = strdup(json);

	memset(s, 0, sizeof(*s));
	memset(&opts, 0, sizeof(opts));
	assert_non_null(copy);
	if (wd_import_buffer(&s->m, path, copy, strlen(json), &opts, NULL, &err) != WD_OK)
		fail_msg("import failed: %s (line %u col %u)", err.message, err.line, err.column);
	wd_findings_init(&s->f);
	assert_int_equal(wd_rules_run(s->m, &s->f), WD_OK);
	if (in) {
		ri.criticality = t_crit;
		ri.loss = t_loss;
		ri.ud = in;
		assert_int_equal(wd_risk_ctx_new_with(&s->cx, s->m, &ri), WD_OK);
	} else {
		assert_int_equal(wd_risk_ctx_new(&s->cx, s->m, NULL), WD_OK);
	}
	wd_arena_init(&s->arena, 4096);
}

static void close_model(scored *s)
{
	wd_arena_release(&s->arena);
	wd_risk_ctx_free(s->cx);
	wd_findings_release(&s->f);
	wd_model_free(s->m);
}

static const wd_finding *finding(scored *s, const char *rule)
{
	size_t i;

	for (i = 0; i < s->f.n; i++)
		if (strcmp(s->f.items[i].rule->id, rule) == 0)
			return &s->f.items[i];
	for (i = 0; i < s->f.n; i++)
		print_error("    have %s %s\n", s->f.items[i].rule->id, s->f.items[i].message);
	fail_msg("no %s finding", rule);
	return NULL;
}

static wd_risk assess(scored *s, const wd_finding *f)
{
	wd_risk r;

	assert_int_equal(wd_risk_assess(s->cx, f, &s->arena, &r), WD_OK);
	assert_int_equal(r.scored, 1);
	return r;
}

static wd_risk assess_rule(scored *s, const char *rule)
{
	return assess(s, finding(s, rule));
}

/* A finding made by hand: any rule (even one this build does not have) on
 * any element, at any severity. */
static wd_finding forge(const wd_rule *rule, wd_severity sev, uint32_t app, uint32_t comp)
{
	wd_finding f;

	memset(&f, 0, sizeof(f));
	f.rule = rule;
	f.severity = sev;
	f.app = app;
	f.comp = comp;
	f.loc = WD_LOC_NONE;
	f.message = "";
	f.evidence = "";
	f.confidence = -1;
	return f;
}

static uint32_t comp_named(const wd_model *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->ncomps; i++)
		if (wd_str_eq_c(m->comps[i].name, name))
			return (uint32_t)i;
	fail_msg("no component '%s'", name);
	return WD_NONE;
}

static const wd_risk_factor *factor(const wd_risk *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nfactors; i++)
		if (strcmp(r->factors[i].name, name) == 0)
			return &r->factors[i];
	return NULL;
}

static int factor_score(const wd_risk *r, const char *name)
{
	const wd_risk_factor *x = factor(r, name);

	if (!x)
		fail_msg("no factor '%s'", name);
	return x->score;
}

static void assert_contains(const char *hay, const char *needle)
{
	if (!hay || !strstr(hay, needle))
		fail_msg("\"%s\" does not contain \"%s\"", hay ? hay : "(null)", needle);
}

/* ---- names and the matrix ------------------------------------------------------------- */

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(wd_risk_likelihood_name(1), "unlikely");
	assert_string_equal(wd_risk_likelihood_name(2), "likely");
	assert_string_equal(wd_risk_likelihood_name(3), "very likely");
	assert_string_equal(wd_risk_likelihood_name(4), "frequent");
	assert_string_equal(wd_risk_likelihood_name(0), "unknown");
	assert_string_equal(wd_risk_likelihood_name(5), "unknown");
	assert_string_equal(wd_risk_impact_name(1), "low");
	assert_string_equal(wd_risk_impact_name(2), "medium");
	assert_string_equal(wd_risk_impact_name(3), "high");
	assert_string_equal(wd_risk_impact_name(4), "very high");
	assert_string_equal(wd_risk_impact_name(-1), "unknown");
}

/* The matrix, row = likelihood 1..4, column = impact 1..4. */
static const wd_severity expected_matrix[4][4] = {
	{WD_SEV_INFO, WD_SEV_LOW, WD_SEV_LOW, WD_SEV_MEDIUM},
	{WD_SEV_LOW, WD_SEV_MEDIUM, WD_SEV_MEDIUM, WD_SEV_MEDIUM},
	{WD_SEV_LOW, WD_SEV_MEDIUM, WD_SEV_HIGH, WD_SEV_HIGH},
	{WD_SEV_MEDIUM, WD_SEV_MEDIUM, WD_SEV_HIGH, WD_SEV_CRITICAL},
};

static void test_matrix(void **state)
{
	int l, i;

	(void)state;
	for (l = 1; l <= 4; l++)
		for (i = 1; i <= 4; i++) {
			assert_int_equal(wd_risk_matrix(l, i), expected_matrix[l - 1][i - 1]);
			/* symmetric, and never lower when either side grows */
			assert_int_equal(wd_risk_matrix(l, i), wd_risk_matrix(i, l));
			if (l < 4)
				assert_true(wd_risk_matrix(l + 1, i) >= wd_risk_matrix(l, i));
			if (i < 4)
				assert_true(wd_risk_matrix(l, i + 1) >= wd_risk_matrix(l, i));
		}
	/* out-of-range weights are clamped, not read past a table */
	assert_int_equal(wd_risk_matrix(0, 0), WD_SEV_INFO);
	assert_int_equal(wd_risk_matrix(-5, 99), WD_SEV_MEDIUM);
	assert_int_equal(wd_risk_matrix(9, 9), WD_SEV_CRITICAL);
}

/* ---- docs/risk.md ---------------------------------------------------------------------- */

static char *read_doc(void)
{
	char *text = NULL;
	size_t len = 0;
	wd_error err;

	if (wd_read_file(WARDEN_SOURCE_DIR "/docs/risk.md", 1 << 20, &text, &len, &err) != WD_OK)
		fail_msg("docs/risk.md: %s", err.message);
	return text;
}

/* Split a Markdown table row into trimmed cells (in place); returns the count. */
static int cells(char *line, char **out, int max)
{
	int n = 0;
	char *p = line, *bar;

	if (*p != '|')
		return 0;
	p++;
	while ((bar = strchr(p, '|')) && n < max) {
		char *a = p, *b = bar;
		*bar = '\0';
		while (*a == ' ')
			a++;
		while (b > a && b[-1] == ' ')
			*--b = '\0';
		out[n++] = a;
		p = bar + 1;
	}
	return n;
}

/* The matrix table of docs/risk.md equals wd_risk_matrix. */
static void test_matrix_doc(void **state)
{
	char *doc = read_doc(), *line, *save = NULL;
	int rows = 0;

	(void)state;
	for (line = strtok_r(doc, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *c[8];
		int l, i;
		if (cells(line, c, 8) != 5)
			continue;
		for (l = 1; l <= 4; l++) {
			char want[32];
			snprintf(want, sizeof(want), "%s (%d)", wd_risk_likelihood_name(l), l);
			if (strcmp(c[0], want) == 0)
				break;
		}
		if (l > 4)
			continue;
		for (i = 1; i <= 4; i++)
			assert_string_equal(c[i], wd_severity_name(wd_risk_matrix(l, i)));
		rows++;
	}
	free(doc);
	assert_int_equal(rows, 4);
}

/* ---- factors ------------------------------------------------------------------------------ */

static void test_exposure(void **state)
{
	scored s;
	wd_finding f;
	wd_risk r;
	const wd_rule *code = wd_rules_find("WD-CODE-001");

	(void)state;
	/* one workflow, three ways in: an open webhook, a header-auth webhook, a schedule */
	open_model(&s, "a.json",
	           WFN("Three doors",
	               HOOK("Open hook") ","
	               NODE("h2", "Closed hook", "n8n-nodes-base.webhook",
	                    "\"path\":\"b\",\"authentication\":\"headerAuth\"") ","
	               SCHED ","
	               NODE("a", "A", "n8n-nodes-base.set", "") ","
	               NODE("b", "B", "n8n-nodes-base.set", "") ","
	               NODE("c", "C", "n8n-nodes-base.set", ""),
	               MAIN("Open hook", "A") "," MAIN("Closed hook", "B") "," MAIN("Every day", "C")),
	           NULL);
	f = forge(code, WD_SEV_HIGH, 0, comp_named(s.m, "A"));
	r = assess(&s, &f);
	assert_int_equal(factor_score(&r, "exposure"), 4);
	assert_contains(factor(&r, "exposure")->value, "without authentication ('Open hook')");
	f = forge(code, WD_SEV_HIGH, 0, comp_named(s.m, "B"));
	r = assess(&s, &f);
	assert_int_equal(factor_score(&r, "exposure"), 2);
	assert_contains(factor(&r, "exposure")->value, "with authentication ('Closed hook', header)");
	f = forge(code, WD_SEV_HIGH, 0, comp_named(s.m, "C"));
	r = assess(&s, &f);
	assert_int_equal(factor_score(&r, "exposure"), 1);
	assert_contains(factor(&r, "exposure")->value, "internal or scheduled only");
	/* app-level: the app's most exposed way in */
	f = forge(code, WD_SEV_HIGH, 0, WD_NONE);
	r = assess(&s, &f);
	assert_int_equal(factor_score(&r, "exposure"), 4);
	/* file-level */
	f = forge(code, WD_SEV_HIGH, WD_NONE, WD_NONE);
	r = assess(&s, &f);
	assert_int_equal(factor_score(&r, "exposure"), 1);
	assert_contains(factor(&r, "exposure")->value, "file-level");
	assert_contains(r.impact_sentence, "his export"); /* "This export ..." */
	close_model(&s);
}

static const char solution_flow[] =
	"{\"properties\": {\"connectionReferences\": {\n"
	"  \"shared_office365\": {\"runtimeSource\": \"embedded\", \"connection\":"
	"   {\"connectionReferenceLogicalName\": \"cr_office\"}, \"api\": {\"name\": \"shared_office365\"}},\n"
	"  \"shared_sharepointonline_1\": {\"runtimeSource\": \"invoker\", \"connection\":"
	"   {\"connectionReferenceLogicalName\": \"cr_sp\"}, \"api\": {\"name\": \"shared_sharepointonline\"}}},\n"
	" \"definition\": {\"$schema\": \"x\", \"contentVersion\": \"1.0.0.0\",\n"
	"  \"triggers\": {\"manual\": {\"type\": \"Request\", \"kind\": \"Button\", \"inputs\": {\"schema\": {}}}},\n"
	"  \"actions\": {\n"
	"   \"Get_items\": {\"type\": \"OpenApiConnection\", \"runAfter\": {}, \"inputs\": {\"host\":"
	"    {\"apiId\": \"/providers/Microsoft.PowerApps/apis/shared_sharepointonline\","
	"     \"connectionName\": \"shared_sharepointonline_1\", \"operationId\": \"GetItems\"}}},\n"
	"   \"Send_an_email_(V2)\": {\"type\": \"OpenApiConnection\", \"runAfter\": {\"Get_items\": [\"Succeeded\"]},"
	"    \"inputs\": {\"host\": {\"connectionName\": \"shared_office365\", \"operationId\": \"SendEmailV2\","
	"     \"apiId\": \"/providers/Microsoft.PowerApps/apis/shared_office365\"},"
	"     \"parameters\": {\"emailMessage/To\": \"@{outputs('Get_items')?['body/value']}\"}}}\n"
	"  }}}, \"schemaVersion\": \"1.0.0.0\"}";
#define SOLUTION_PATH "pkg/Workflows/Notify-0A1B2C3D-4E5F-6071-8293-A4B5C6D7E8F9.json"

/* Started by tenant users (a button), with the maker's own connection. */
static void test_invoked_and_embedded(void **state)
{
	scored s;
	wd_risk r;

	(void)state;
	open_model(&s, SOLUTION_PATH, solution_flow, NULL);
	r = assess_rule(&s, "WD-ACL-002");
	assert_int_equal(factor_score(&r, "exposure"), 2);
	assert_contains(factor(&r, "exposure")->value, "started by users in the tenant ('manual')");
	assert_int_equal(factor_score(&r, "credential blast radius"), 4);
	assert_contains(factor(&r, "credential blast radius")->value, "maker's own connection");
	/* 2 + (2 - 2) + 1 for the maker's connection */
	assert_int_equal(r.likelihood, 3);
	assert_contains(r.impact_sentence, "Everyone who starts 'Notify' acts with the maker's own");
	close_model(&s);
}

static void test_exploitability(void **state)
{
	scored s;
	wd_risk r;
	wd_finding f;
	static const wd_rule policy_rule = {"WD-POL-001", "Connector blocked by the policy",
	                                    WD_SEV_HIGH, "LCNC-SEC-03", "", "I", 0, "", "", NULL,
	                                    NULL, NULL, NULL, NULL};

	(void)state;
	/* an injection path: +1 */
	open_model(&s, "a.json",
	           WFN("Ops bot", HOOK("Webhook") ","
	               NODE("e", "Run Script", "n8n-nodes-base.executeCommand",
	                    "\"command\":\"=zip /tmp/{{ $json.body.name }}\""),
	               MAIN("Webhook", "Run Script")),
	           NULL);
	r = assess_rule(&s, "WD-INJ-001");
	assert_int_equal(factor_score(&r, "exploitability"), 3);
	assert_int_equal(r.likelihood, 4);
	/* a rule without its own exploitability: 3 when untrusted input reaches the
	 * component, 2 on the entry point itself */
	f = forge(&policy_rule, WD_SEV_MEDIUM, 0, comp_named(s.m, "Run Script"));
	r = assess(&s, &f);
	assert_int_equal(factor_score(&r, "exploitability"), 3);
	assert_contains(factor(&r, "exploitability")->value, "untrusted input from 'Webhook'");
	f = forge(&policy_rule, WD_SEV_MEDIUM, 0, comp_named(s.m, "Webhook"));
	r = assess(&s, &f);
	assert_int_equal(factor_score(&r, "exploitability"), 2);
	close_model(&s);

	/* a hard-coded secret: usable as it is, exposure is the export itself */
	open_model(&s, "a.json",
	           WFN("Sync", SCHED ","
	               NODE("g", "Get repos", "n8n-nodes-base.httpRequest",
	                    "\"url\":\"https://api.github.com/user/repos\",\"jsonHeaders\":"
	                    "\"{\\\"Authorization\\\": \\\"token " GITHUB_TOKEN "\\\"}\""),
	               MAIN("Every day", "Get repos")),
	           NULL);
	r = assess_rule(&s, "WD-SEC-102");
	assert_int_equal(factor_score(&r, "exposure"), 1);
	assert_contains(factor(&r, "exposure")->value, "the export itself");
	assert_int_equal(factor_score(&r, "exploitability"), 4);
	assert_int_equal(r.likelihood, 3);
	assert_int_equal(factor_score(&r, "data classes"), 3);
	assert_string_equal(r.impact_sentence, "The GitHub token written into 'Get repos' in 'Sync' "
	                                       "works for anyone who gets a copy of this export.");
	close_model(&s);
}

static void test_blast_radius(void **state)
{
	scored s;
	wd_risk r;
	wd_finding f;
	const wd_rule *rule = wd_rules_find("WD-HTTP-002");

	(void)state;
	open_model(&s, "a.json",
	           WFN("Notify", SCHED ","
	               NODE_C("a", "Post A", "n8n-nodes-base.slack", "", "7") ","
	               NODE_C("b", "Post B", "n8n-nodes-base.slack", "", "7") ","
	               NODE_C("c", "Post C", "n8n-nodes-base.slack", "", "7") ","
	               NODE_C("d", "Post D", "n8n-nodes-base.slack", "", "8") ","
	               NODE("e", "Plain", "n8n-nodes-base.set", ""),
	               MAIN("Every day", "Post A")),
	           NULL);
	f = forge(rule, WD_SEV_MEDIUM, 0, comp_named(s.m, "Post B"));
	r = assess(&s, &f);
	assert_int_equal(factor_score(&r, "credential blast radius"), 3);
	assert_contains(factor(&r, "credential blast radius")->value,
	                "'Team Slack' is shared by 3 components in 1 app");
	f = forge(rule, WD_SEV_MEDIUM, 0, comp_named(s.m, "Post D"));
	r = assess(&s, &f);
	assert_int_equal(factor_score(&r, "credential blast radius"), 2);
	assert_contains(factor(&r, "credential blast radius")->value, "is used by 1 component");
	f = forge(rule, WD_SEV_MEDIUM, 0, comp_named(s.m, "Plain"));
	r = assess(&s, &f);
	assert_int_equal(factor_score(&r, "credential blast radius"), 1);
	/* app-level: the app's widest credential */
	f = forge(rule, WD_SEV_MEDIUM, 0, WD_NONE);
	r = assess(&s, &f);
	assert_int_equal(factor_score(&r, "credential blast radius"), 3);
	close_model(&s);
}

static void test_data_classes_and_egress(void **state)
{
	scored s;
	wd_risk r;
	wd_finding f;
	const wd_rule *inj = wd_rules_find("WD-INJ-002");

	(void)state;
	open_model(&s, "a.json",
	           WFN("Lead intake",
	               FORM("Form", FIELD("Email") "," FIELD("Date of birth")) ","
	               NODE("g", "Store", "n8n-nodes-base.googleSheets", "\"operation\":\"append\"") ","
	               NODE_C("k", "Tell sales", "n8n-nodes-base.slack", "", "7"),
	               MAIN2("Form", "Store", "Tell sales")),
	           NULL);
	r = assess_rule(&s, "WD-ENTRY-001");
	assert_int_equal(factor_score(&r, "data classes"), 3);
	assert_contains(factor(&r, "data classes")->value, "personal data (");
	assert_contains(factor(&r, "data classes")->value, "e-mail addresses");
	assert_contains(factor(&r, "data classes")->value, "dates of birth");
	/* the entry point does not itself send data out: egress is shown, not counted */
	assert_int_equal(factor_score(&r, "egress"), 2);
	assert_contains(factor(&r, "egress")->value, "'Google Sheets' and 'Slack'");
	assert_contains(r.impact_sentence, "'Form'");
	assert_contains(r.impact_sentence, "'Lead intake'");
	assert_contains(r.impact_sentence, "e-mail addresses and dates of birth");
	/* an attack finding in the same app: sensitive data can leave, +1 */
	f = forge(inj, WD_SEV_HIGH, 0, comp_named(s.m, "Store"));
	r = assess(&s, &f);
	assert_int_equal(factor_score(&r, "egress"), 3);
	assert_contains(factor(&r, "egress")->value, "personal data can leave to");
	assert_int_equal(r.impact, 4); /* max(3, 3) + 0 + 1 */
	close_model(&s);

	/* a weakness in one component: only the data that reaches it counts */
	open_model(&s, "a.json",
	           WFN("Lead intake",
	               FORM("Form", FIELD("Email")) ","
	               NODE("p", "Post", "n8n-nodes-base.httpRequest",
	                    "\"url\":\"https://crm.example.com/leads\",\"allowUnauthorizedCerts\":true") ","
	               NODE("q", "Ping", "n8n-nodes-base.httpRequest",
	                    "\"url\":\"https://status.example.com/\",\"allowUnauthorizedCerts\":true"),
	               MAIN("Form", "Post")),
	           NULL);
	{
		size_t i;
		int seen = 0;
		for (i = 0; i < s.f.n; i++) {
			const wd_finding *x = &s.f.items[i];
			if (strcmp(x->rule->id, "WD-TLS-001") != 0)
				continue;
			r = assess(&s, x);
			if (x->comp == comp_named(s.m, "Post")) {
				assert_int_equal(factor_score(&r, "data classes"), 3);
				assert_contains(r.impact_sentence, "including the e-mail addresses it handles");
			} else {
				assert_int_equal(factor_score(&r, "data classes"), 1);
				assert_contains(factor(&r, "data classes")->value, "reaches it");
				assert_null(strstr(r.impact_sentence, "e-mail"));
			}
			seen++;
		}
		assert_int_equal(seen, 2);
	}
	close_model(&s);

	/* no classified data: data classes 1, nothing leaves */
	open_model(&s, "a.json",
	           WFN("Tidy", SCHED "," NODE("x", "Shape", "n8n-nodes-base.set", ""),
	               MAIN("Every day", "Shape")),
	           NULL);
	f = forge(inj, WD_SEV_HIGH, 0, comp_named(s.m, "Shape"));
	r = assess(&s, &f);
	assert_int_equal(factor_score(&r, "data classes"), 1);
	assert_int_equal(factor_score(&r, "egress"), 1);
	close_model(&s);
}

static void test_criticality(void **state)
{
	scored s;
	wd_risk r;
	test_inputs in;
	int c;
	/* technical impact 3 (the form app writes), no data: impact 3 + (c - 2) */
	static const int want[5] = {3, 2, 3, 4, 4};

	(void)state;
	for (c = 0; c <= 4; c++) {
		memset(&in, 0, sizeof(in));
		in.crit = c;
		in.crit_src = "owners.yaml:7";
		open_model(&s, "a.json",
		           WFN("Orders", FORM("Form", FIELD("colour")) ","
		               NODE("g", "Store", "n8n-nodes-base.googleSheets", "\"operation\":\"append\""),
		               MAIN("Form", "Store")),
		           &in);
		r = assess_rule(&s, "WD-ENTRY-001");
		assert_int_equal(factor_score(&r, "criticality"), c ? c : 2);
		if (c)
			assert_contains(factor(&r, "criticality")->value, "from owners.yaml:7");
		else
			assert_contains(factor(&r, "criticality")->value, "not stated");
		assert_int_equal(r.impact, want[c]);
		close_model(&s);
	}
}

/* ---- levels ------------------------------------------------------------------------------ */

static void test_critical_injection(void **state)
{
	scored s;
	wd_risk r;

	(void)state;
	open_model(&s, "a.json",
	           WFN("Ops bot", HOOK("Webhook") ","
	               NODE("e", "Run Script", "n8n-nodes-base.executeCommand",
	                    "\"command\":\"=zip /tmp/{{ $json.body.name }}\""),
	               MAIN("Webhook", "Run Script")),
	           NULL);
	r = assess_rule(&s, "WD-INJ-001");
	assert_int_equal(finding(&s, "WD-INJ-001")->severity, WD_SEV_CRITICAL);
	assert_int_equal(r.likelihood, 4);
	assert_int_equal(r.impact, 4);
	assert_int_equal(r.level, WD_SEV_CRITICAL);
	assert_string_equal(r.impact_sentence,
	                    "Anyone who finds the URL of 'Webhook' can make 'Run Script' in 'Ops bot' "
	                    "run their own commands on the n8n server.");
	/* SQL from public input: critical rule, never below high */
	close_model(&s);
	open_model(&s, "a.json",
	           WFN("Shop", HOOK("Hook") ","
	               NODE("q", "Query", "n8n-nodes-base.mySql",
	                    "\"operation\":\"executeQuery\",\"query\":\"=DELETE FROM t WHERE id = {{ $json.body.id }}\""),
	               MAIN("Hook", "Query")),
	           NULL);
	r = assess_rule(&s, "WD-INJ-002");
	assert_true(r.level >= WD_SEV_HIGH);
	assert_contains(r.impact_sentence, "'Hook'");
	assert_contains(r.impact_sentence, "'Query' in 'Shop'");
	close_model(&s);
}

static void test_community_node_internal(void **state)
{
	scored s;
	wd_risk r;
	wd_finding f;

	(void)state;
	open_model(&s, "a.json",
	           WFN("Reports", SCHED ","
	               NODE("x", "Docs", "n8n-nodes-document-generator.DocumentGenerator", ""),
	               MAIN("Every day", "Docs")),
	           NULL);
	r = assess_rule(&s, "WD-COMP-001");
	assert_int_equal(r.likelihood, 1);
	assert_true(r.level <= WD_SEV_LOW);
	assert_contains(r.impact_sentence, "'Docs' in 'Reports'");
	/* the same finding lowered to info by a policy: low or info, never more */
	f = *finding(&s, "WD-COMP-001");
	f.severity = WD_SEV_INFO;
	r = assess(&s, &f);
	assert_true(r.level <= WD_SEV_LOW);
	close_model(&s);
}

/* Every rule of the table, and families this build does not have yet, at
 * every severity on components with different exposure: the level stays
 * within one step of the rule's severity, every factor is in range, the
 * sentence is one sentence. */
static void test_bounds_every_rule(void **state)
{
	static const wd_rule extra[] = {
		{"WD-POL-003", "Endpoint not allowed by the policy", WD_SEV_MEDIUM, "", "", "", 0, "",
		 "", NULL, NULL, NULL, NULL, NULL},
		{"WD-OWN-001", "App without an owner", WD_SEV_LOW, "", "", "", 0, "", "", NULL, NULL,
		 NULL, NULL, NULL},
		{"WD-SUP-002", "Expired suppression", WD_SEV_MEDIUM, "", "", "", 0, "", "", NULL, NULL,
		 NULL, NULL, NULL},
		{"WD-NEW-999", "Something new", WD_SEV_LOW, "", "", "", 0, "", "", NULL, NULL, NULL,
		 NULL, NULL},
	};
	scored s;
	size_t n, i, k;
	const wd_rule *rules = wd_rules_builtin(&n);
	const char *targets[] = {"Webhook", "Run Script", "Store", NULL};
	int sev;

	(void)state;
	open_model(&s, "a.json",
	           WFN("Ops bot", HOOK("Webhook") ","
	               NODE("e", "Run Script", "n8n-nodes-base.executeCommand",
	                    "\"command\":\"=zip /tmp/{{ $json.body.name }}\"") ","
	               NODE("g", "Store", "n8n-nodes-base.googleSheets", "\"operation\":\"append\""),
	               MAIN("Webhook", "Run Script")),
	           NULL);
	for (i = 0; i < n + sizeof(extra) / sizeof(*extra); i++) {
		const wd_rule *rule = i < n ? &rules[i] : &extra[i - n];
		if (i < n)
			assert_int_not_equal(wd_risk_family(rule->id), FAM_DEFAULT);
		for (sev = WD_SEV_INFO; sev <= WD_SEV_CRITICAL; sev++)
			for (k = 0; k < 5; k++) {
				uint32_t comp = k < 3 ? comp_named(s.m, targets[k]) : WD_NONE;
				uint32_t app = k < 4 ? 0 : WD_NONE;
				wd_finding f = forge(rule, (wd_severity)sev, app, comp);
				wd_risk r = assess(&s, &f);
				size_t j, len = strlen(r.impact_sentence);
				if (abs((int)r.level - sev) > 1)
					fail_msg("%s at %s scored %s", rule->id,
					         wd_severity_name((wd_severity)sev), wd_severity_name(r.level));
				assert_int_equal(r.level, wd_risk_matrix(r.likelihood, r.impact));
				assert_true(r.nfactors >= 7);
				for (j = 0; j < r.nfactors; j++) {
					assert_true(r.factors[j].score >= 1 && r.factors[j].score <= 4);
					assert_true(strcmp(r.factors[j].side, "likelihood") == 0 ||
					            strcmp(r.factors[j].side, "impact") == 0);
					assert_true(r.factors[j].value[0] != '\0');
				}
				assert_true(len > 10);
				assert_int_equal(r.impact_sentence[len - 1], '.');
				assert_null(strchr(r.impact_sentence, '\n'));
				assert_true(r.impact_sentence[0] == '\'' ||
				            (r.impact_sentence[0] >= 'A' && r.impact_sentence[0] <= 'Z'));
				if (app != WD_NONE && strncmp(rule->id, "WD-SUP-", 7) != 0 &&
				    strcmp(rule->id, "WD-SEC-002") != 0)
					assert_contains(r.impact_sentence, "'Ops bot'");
			}
	}
	close_model(&s);
}

/* ---- names in sentences ------------------------------------------------------------------ */

static void test_hostile_names(void **state)
{
	scored s;
	wd_risk r;
	const char *q1, *q2;
	char name70[71], want[80];
	int i;

	(void)state;
	/* 70 characters with quotes, markup and a line break in the name */
	open_model(&s, "a.json",
	           WFN("<script>alert(1)</script> \\\"quoted\\\" 'single' \\nnext line 0123456789ABCDEFGHIJ",
	               HOOK("Webhook"), ""),
	           NULL);
	r = assess_rule(&s, "WD-ENTRY-001");
	memcpy(name70, "<script>alert(1)</script> \"quoted\" 'single' \nnext line 0123456789ABCDEFGHIJ",
	       70);
	name70[70] = '\0';
	snprintf(want, sizeof(want), "'%.60s...'", name70);
	assert_contains(r.impact_sentence, want);
	assert_null(strstr(r.impact_sentence, "ABCDEFGHIJ"));
	close_model(&s);

	/* 70 two-byte characters: cut after 60 characters, never inside one */
	{
		char json[2048], nm[200];
		for (i = 0; i < 70; i++)
			memcpy(nm + 2 * i, "\xc3\xa9", 2);
		nm[140] = '\0';
		snprintf(json, sizeof(json), WFN("%s", HOOK("Webhook"), ""), nm);
		open_model(&s, "a.json", json, NULL);
		r = assess_rule(&s, "WD-ENTRY-001");
		q1 = strstr(r.impact_sentence, "can run '");
		assert_non_null(q1);
		q1 += strlen("can run '");
		q2 = strstr(q1, "...'");
		assert_non_null(q2);
		assert_int_equal(q2 - q1, 120);
		close_model(&s);
	}

	/* short names are kept exactly */
	open_model(&s, "a.json", WFN("Lead intake", HOOK("Webhook"), ""), NULL);
	r = assess_rule(&s, "WD-ENTRY-001");
	assert_string_equal(r.impact_sentence,
	                    "Anyone who finds the URL of 'Webhook' can run 'Lead intake' whenever they like.");
	close_model(&s);
}

/* ---- FAIR-lite ------------------------------------------------------------------------------- */

static void test_fair_lite(void **state)
{
	scored s;
	wd_risk r;
	test_inputs in;
	const char *lead = WFN("Lead intake",
	                       FORM("Form", FIELD("Email") "," FIELD("Date of birth")) ","
	                       NODE("g", "Store", "n8n-nodes-base.googleSheets", "\"operation\":\"append\""),
	                       MAIN("Form", "Store"));

	(void)state;
	/* no policy: no estimate */
	open_model(&s, "a.json", lead, NULL);
	r = assess_rule(&s, "WD-ENTRY-001");
	assert_true(r.loss_min == 0 && r.loss_max == 0);
	assert_null(r.currency);
	assert_null(r.loss_assumptions);
	close_model(&s);

	/* values per record for personal data: records x value x band of the likelihood */
	memset(&in, 0, sizeof(in));
	in.loss.records = 20000;
	in.loss.per_record_min = 50;
	in.loss.per_record_max = 150;
	in.loss.currency = "EUR";
	in.loss.source = "policy.yaml:40";
	in.loss_classes = 1u << WD_CLASS_PII;
	open_model(&s, "a.json", lead, &in);
	r = assess_rule(&s, "WD-ENTRY-001");
	assert_int_equal(r.likelihood, 4);
	assert_true(fabs(r.loss_min - 20000 * 50 * 0.1) < 1e-6);
	assert_true(fabs(r.loss_max - 20000 * 150 * 1.0) < 1e-6);
	assert_true(r.loss_min < r.loss_max);
	assert_string_equal(r.currency, "EUR");
	assert_string_equal(r.loss_assumptions,
	                    "Assumes 20,000 records of personal data at 50 to 150 EUR per record "
	                    "(policy.yaml:40), and 0.1 to 1 loss events a year for a finding that is "
	                    "frequent; yearly loss = records x value per record x events per year, a "
	                    "range, not a forecast.");
	/* a finding that exposes no data gets no estimate */
	{
		wd_finding f = forge(wd_rules_find("WD-LOG-001"), WD_SEV_LOW, 0, WD_NONE);
		r = assess(&s, &f);
		assert_true(r.loss_max == 0);
	}
	close_model(&s);

	/* values for another class only: no estimate; nonsense values are ignored */
	in.loss_classes = 1u << WD_CLASS_HEALTH;
	open_model(&s, "a.json", lead, &in);
	r = assess_rule(&s, "WD-ENTRY-001");
	assert_true(r.loss_max == 0);
	assert_true(in.loss_calls > 0);
	close_model(&s);
	in.loss_classes = 0;
	in.loss.per_record_min = 500; /* min above max */
	open_model(&s, "a.json", lead, &in);
	r = assess_rule(&s, "WD-ENTRY-001");
	assert_true(r.loss_max == 0);
	close_model(&s);
	in.loss.per_record_min = 50;
	in.loss.records = NAN;
	open_model(&s, "a.json", lead, &in);
	r = assess_rule(&s, "WD-ENTRY-001");
	assert_true(r.loss_max == 0);
	close_model(&s);
}

static void test_bad_arguments(void **state)
{
	scored s;
	wd_risk r;
	wd_risk_ctx *cx = (wd_risk_ctx *)1;

	(void)state;
	assert_int_equal(wd_risk_ctx_new(&cx, NULL, NULL), WD_EINVAL);
	assert_null(cx);
	open_model(&s, "a.json", WFN("x", HOOK("Webhook"), ""), NULL);
	assert_int_equal(wd_risk_assess(s.cx, NULL, &s.arena, &r), WD_EINVAL);
	assert_int_equal(r.scored, 0);
	assert_int_equal(wd_risk_assess(NULL, &s.f.items[0], &s.arena, &r), WD_EINVAL);
	{
		/* indexes out of range are treated as file-level, not read */
		wd_finding f = forge(wd_rules_find("WD-CODE-001"), WD_SEV_LOW, 77, 99999);
		assert_int_equal(wd_risk_assess(s.cx, &f, &s.arena, &r), WD_OK);
		assert_int_equal(factor_score(&r, "exposure"), 1);
	}
	close_model(&s);
	wd_risk_ctx_free(NULL);
}

/* ---- the worked examples of docs/risk.md ------------------------------------------------------ */

typedef struct example {
	const char *id;
	const char *path;
	const char *json;
	const char *rule;
	int severity;       /* -1: as the rule reports it; else a policy override */
	int crit;           /* criticality from the owners file, 0 none */
	double records, per_min, per_max; /* values per record of personal data, 0 none */
} example;

static const example examples[] = {
	{"E1", "a.json",
	 WFN("Ops bot", HOOK("Webhook") ","
	     NODE("e", "Run Script", "n8n-nodes-base.executeCommand",
	          "\"command\":\"=zip /tmp/{{ $json.body.name }}\""),
	     MAIN("Webhook", "Run Script")),
	 "WD-INJ-001", -1, 0, 0, 0, 0},
	{"E2", "a.json",
	 WFN("Lead intake", FORM("Form", FIELD("Email") "," FIELD("Date of birth")) ","
	     NODE("g", "Store", "n8n-nodes-base.googleSheets", "\"operation\":\"append\""),
	     MAIN("Form", "Store")),
	 "WD-ENTRY-001", -1, 0, 0, 0, 0},
	{"E3", "a.json",
	 WFN("Lead intake", FORM("Form", FIELD("Email") "," FIELD("Date of birth")) ","
	     NODE("g", "Store", "n8n-nodes-base.googleSheets", "\"operation\":\"append\""),
	     MAIN("Form", "Store")),
	 "WD-ENTRY-001", -1, 4, 20000, 50, 150},
	{"E4", "a.json",
	 WFN("Sync", SCHED ","
	     NODE("g", "Get repos", "n8n-nodes-base.httpRequest",
	          "\"url\":\"https://api.github.com/user/repos\",\"jsonHeaders\":"
	          "\"{\\\"Authorization\\\": \\\"token " GITHUB_TOKEN "\\\"}\""),
	     MAIN("Every day", "Get repos")),
	 "WD-SEC-102", -1, 0, 0, 0, 0},
	{"E5", "a.json",
	 WFN("Nightly sync", SCHED ","
	     NODE("q", "Query", "n8n-nodes-base.postgres",
	          "\"operation\":\"executeQuery\",\"query\":\"=SELECT * FROM t WHERE id = '{{ $json.id }}'\""),
	     MAIN("Every day", "Query")),
	 "WD-INJ-002", -1, 0, 0, 0, 0},
	{"E6", SOLUTION_PATH, solution_flow, "WD-ACL-002", -1, 0, 0, 0, 0},
	{"E7", "a.json",
	 WFN("Reports", SCHED ","
	     NODE("x", "Docs", "n8n-nodes-document-generator.DocumentGenerator", ""),
	     MAIN("Every day", "Docs")),
	 "WD-COMP-001", WD_SEV_INFO, 0, 0, 0, 0},
	{"E8", "a.json",
	 "{\"name\":\"Reports\",\"id\":\"W1\",\"nodes\":[" SCHED ","
	 NODE("c", "Shape", "n8n-nodes-base.code", "\"jsCode\":\"return $input.all();\"")
	 "],\"connections\":{" MAIN("Every day", "Shape") "},\"settings\":{}}",
	 "WD-LOG-001", -1, 0, 0, 0, 0},
};

/* "EUR 100,000 to 3,000,000", "-" */
static void loss_cell(const wd_risk *r, char *out, size_t cap)
{
	char a[32], b[32];
	int i, j, len;
	double v[2];
	char *dst[2];

	if (r->loss_max <= 0) {
		snprintf(out, cap, "-");
		return;
	}
	v[0] = r->loss_min;
	v[1] = r->loss_max;
	dst[0] = a;
	dst[1] = b;
	for (j = 0; j < 2; j++) {
		char digits[32];
		int k = 0;
		len = snprintf(digits, sizeof(digits), "%.0f", v[j]);
		for (i = 0; i < len; i++) {
			if (i && (len - i) % 3 == 0)
				dst[j][k++] = ',';
			dst[j][k++] = digits[i];
		}
		dst[j][k] = '\0';
	}
	snprintf(out, cap, "%s %s to %s", r->currency, a, b);
}

static void test_worked_examples(void **state)
{
	char *doc = read_doc(), *line, *save = NULL;
	size_t i, seen = 0, failures = 0;

	(void)state;
	for (line = strtok_r(doc, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *c[10], lossbuf[96];
		const example *e = NULL;
		scored s;
		test_inputs in;
		wd_finding f;
		wd_risk r;
		if (cells(line, c, 10) != 8)
			continue;
		for (i = 0; i < sizeof(examples) / sizeof(*examples); i++)
			if (strcmp(c[0], examples[i].id) == 0)
				e = &examples[i];
		if (!e)
			continue;
		seen++;
		memset(&in, 0, sizeof(in));
		in.crit = e->crit;
		in.crit_src = "owners.yaml:3";
		in.loss.records = e->records;
		in.loss.per_record_min = e->per_min;
		in.loss.per_record_max = e->per_max;
		in.loss.currency = "EUR";
		in.loss.source = "policy.yaml:40";
		in.loss_classes = 1u << WD_CLASS_PII;
		open_model(&s, e->path, e->json, &in);
		f = *finding(&s, e->rule);
		if (e->severity >= 0)
			f.severity = (wd_severity)e->severity;
		r = assess(&s, &f);
		loss_cell(&r, lossbuf, sizeof(lossbuf));
		{
			char lcell[32], icell[32], sent[512];
			snprintf(lcell, sizeof(lcell), "%s (%d)", wd_risk_likelihood_name(r.likelihood),
			         r.likelihood);
			snprintf(icell, sizeof(icell), "%s (%d)", wd_risk_impact_name(r.impact), r.impact);
			snprintf(sent, sizeof(sent), "%s", r.impact_sentence);
			if (strcmp(c[2], e->rule) != 0 || strcmp(c[3], lcell) != 0 ||
			    strcmp(c[4], icell) != 0 || strcmp(c[5], wd_severity_name(r.level)) != 0 ||
			    strcmp(c[6], lossbuf) != 0 || strcmp(c[7], sent) != 0) {
				print_error("%s: docs say | %s | %s | %s | %s | %s | %s |\n", e->id, c[2], c[3],
				            c[4], c[5], c[6], c[7]);
				print_error("%s: code says | %s | %s | %s | %s | %s | %s |\n", e->id, e->rule,
				            lcell, icell, wd_severity_name(r.level), lossbuf, sent);
				for (i = 0; i < r.nfactors; i++)
					print_error("    %s %s = %d: %s\n", r.factors[i].side, r.factors[i].name,
					            r.factors[i].score, r.factors[i].value);
				failures++;
			}
		}
		close_model(&s);
	}
	free(doc);
	assert_int_equal(failures, 0);
	assert_int_equal(seen, sizeof(examples) / sizeof(*examples));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_matrix),
		cmocka_unit_test(test_matrix_doc),
		cmocka_unit_test(test_exposure),
		cmocka_unit_test(test_invoked_and_embedded),
		cmocka_unit_test(test_exploitability),
		cmocka_unit_test(test_blast_radius),
		cmocka_unit_test(test_data_classes_and_egress),
		cmocka_unit_test(test_criticality),
		cmocka_unit_test(test_critical_injection),
		cmocka_unit_test(test_community_node_internal),
		cmocka_unit_test(test_bounds_every_rule),
		cmocka_unit_test(test_hostile_names),
		cmocka_unit_test(test_fair_lite),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_worked_examples),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
