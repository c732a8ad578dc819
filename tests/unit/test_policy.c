/*
 * test_policy.c - the policy library: loading (every error kind with its
 * position, nothing partly applied), combining files, globs, environments
 * and rule scopes, the WD-POL-* checks on small imported models, owners,
 * criticality, loss inputs and suppressions; the documented examples and
 * the embedded default policy are loaded as they are shipped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "warden/import.h"
#include "warden/policy.h"
#include "warden/yaml.h"

/* ---- helpers ------------------------------------------------------------------------- */

#define WF_NAMED(name, nodes, conns, settings)                                               \
	"{\"name\":\"" name "\",\"id\":\"W1\",\"active\":true,\"nodes\":[" nodes                 \
	"],\"connections\":{" conns "},\"settings\":{" settings "}}"
#define WF(nodes, conns, settings) WF_NAMED("wf", nodes, conns, settings)
#define ERRWF "\"errorWorkflow\":\"42\""
#define NODE(id, name, type, params)                                                         \
	"{\"id\":\"" id "\",\"name\":\"" name "\",\"type\":\"" type                              \
	"\",\"typeVersion\":1,\"position\":[0,0],\"parameters\":{" params "}}"
#define MAIN(from, to) "\"" from "\":{\"main\":[[{\"node\":\"" to "\",\"type\":\"main\",\"index\":0}]]}"
#define SCHED NODE("s", "Every day", "n8n-nodes-base.scheduleTrigger", "")
#define HOOK NODE("h", "Hook", "n8n-nodes-base.webhook", "\"path\":\"in\"")
#define SLACK NODE("k", "Post", "n8n-nodes-base.slack", "\"text\":\"hi\"")
#define TWEET NODE("x", "Tweet", "n8n-nodes-base.twitter", "\"text\":\"hi\"")
#define PG NODE("p", "Rows", "n8n-nodes-base.postgres", "\"operation\":\"select\"")
#define CODE NODE("c", "Run", "n8n-nodes-base.code", "\"jsCode\":\"return $input.all();\"")
#define CMD NODE("e", "Up", "n8n-nodes-base.executeCommand", "\"command\":\"uptime\"")
#define HTTP(id, name, url) NODE(id, name, "n8n-nodes-base.httpRequest", "\"url\":\"" url "\"")

static char *src_path(const char *rel)
{
	static char buf[4096];

	snprintf(buf, sizeof(buf), "%s/%s", WARDEN_SOURCE_DIR, rel);
	return buf;
}

static char *slurp(const char *rel)
{
	char *data = NULL;
	size_t len = 0;
	wd_error err;

	assert_int_equal(wd_read_file(src_path(rel), 1 << 24, &data, &len, &err), WD_OK);
	return data;
}

static wd_model *import(const char *path, const char *json)
{
	wd_model *m = NULL;
	wd_import_opts opts;
	wd_error err;
	char *copy = strdup(json);

	memset(&opts, 0, sizeof(opts));
	assert_non_null(copy);
	if (wd_import_buffer(&m, path, copy, strlen(json), &opts, NULL, &err) != WD_OK)
		fail_msg("import of %s failed: %u:%u %s", path, err.line, err.column, err.message);
	return m;
}

static wd_policy *policy_of(const char *yaml)
{
	wd_policy *p = NULL;
	wd_error err;

	assert_int_equal(wd_policy_new(&p), WD_OK);
	if (yaml && wd_policy_add_buffer(p, "p.yaml", yaml, strlen(yaml), &err) != WD_OK)
		fail_msg("policy: %u:%u: %s", err.line, err.column, err.message);
	return p;
}

static void add_policy(wd_policy *p, const char *name, const char *yaml)
{
	wd_error err;

	if (wd_policy_add_buffer(p, name, yaml, strlen(yaml), &err) != WD_OK)
		fail_msg("%s: %u:%u: %s", name, err.line, err.column, err.message);
}

/* Rules run, then the policy review; the findings are kept in *f. */
static void review(const wd_policy *p, const wd_model *m, wd_findings *f)
{
	wd_findings_init(f);
	assert_int_equal(wd_rules_run(m, f), WD_OK);
	assert_int_equal(wd_policy_review(p, m, f), WD_OK);
}

static int count(const wd_findings *f, const char *rule)
{
	size_t i;
	int n = 0;

	for (i = 0; i < f->n; i++)
		n += strcmp(f->items[i].rule->id, rule) == 0;
	return n;
}

static const wd_finding *first(const wd_findings *f, const char *rule)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->items[i].rule->id, rule) == 0)
			return &f->items[i];
	return NULL;
}

/* Rule hits of one model under one policy. */
static int hits(const char *yaml, const char *path, const char *json, const char *rule)
{
	wd_policy *p = policy_of(yaml);
	wd_model *m = import(path, json);
	wd_findings f;
	int n;

	review(p, m, &f);
	n = count(&f, rule);
	wd_findings_release(&f);
	wd_model_free(m);
	wd_policy_free(p);
	return n;
}

/* ---- loading ------------------------------------------------------------------------- */

static void test_examples_load(void **state)
{
	wd_policy *p = NULL;
	wd_policy_stats st;
	const wd_suppression *s;
	size_t n;
	wd_error err;

	(void)state;
	assert_int_equal(wd_policy_new(&p), WD_OK);
	assert_int_equal(wd_policy_add_file(p, src_path("docs/examples/policy.yaml"), &err), WD_OK);
	wd_policy_stats_get(p, &st);
	assert_int_equal(st.files, 1);
	assert_int_equal(st.environments, 2);
	assert_int_equal(st.connector_patterns, 29);
	assert_int_equal(st.endpoint_patterns, 9);
	assert_int_equal(st.rules, 5);
	assert_int_equal(st.settings, 10);
	assert_int_equal(st.data_rules, 5);
	assert_int_equal(st.suppressions, 1);
	assert_false(wd_policy_has_owners(p));

	assert_int_equal(wd_policy_add_owners_file(p, src_path("docs/examples/owners.yaml"), &err),
	                 WD_OK);
	assert_true(wd_policy_has_owners(p));
	assert_int_equal(
		wd_policy_add_suppressions_file(p, src_path("docs/examples/suppressions.yaml"), &err),
		WD_OK);
	wd_policy_stats_get(p, &st);
	assert_int_equal(st.owner_rules, 5);
	assert_int_equal(st.suppressions, 6);

	s = wd_policy_suppressions(p, &n);
	assert_int_equal(n, 6);
	/* from the policy */
	assert_string_equal(s[0].rule, "WD-CODE-001");
	assert_string_equal(s[0].app, "Legacy *");
	assert_int_equal(s[0].expires, wd_date_parse("2026-09-30", 10));
	assert_non_null(strstr(s[0].source, "policy.yaml:"));
	/* from the suppressions file: fingerprints kept in lower case */
	assert_string_equal(s[1].fingerprint, "5f2b9c0e4d1a3b7c8e9f0a1b2c3d4e5f");
	assert_null(s[1].rule);
	assert_string_equal(s[3].rule, "WD-LOG-*");
	assert_string_equal(s[3].path, "exports/sandbox/**");
	assert_string_equal(s[4].component, "Call partner API*");
	/* incomplete: kept, with what is missing left empty */
	assert_string_equal(s[5].rule, "WD-TLS-002");
	assert_non_null(s[5].justification);
	assert_null(s[5].approver);
	assert_int_equal(s[5].expires, -1);
	assert_non_null(strstr(s[5].source, "suppressions.yaml:"));

	assert_int_equal(wd_policy_add_default(p, &err), WD_OK);
	wd_policy_stats_get(p, &st);
	assert_int_equal(st.files, 2);
	wd_policy_free(p);
}

typedef struct err_case {
	const char *name;
	int kind;              /* 0 policy, 1 owners, 2 suppressions */
	const char *yaml;
	wd_status code;
	uint32_t line, column; /* 0 = do not check */
	const char *text;      /* in the message */
} err_case;

static const err_case err_cases[] = {
	{"unknown top-level key", 0, "version: 1\nconectors: {}\n", WD_EFORMAT, 2, 1,
	 "unknown key 'conectors'"},
	{"unknown nested key", 0, "version: 1\nendpoints:\n  allow: [a.com]\n  dynamc: flag\n",
	 WD_EFORMAT, 4, 3, "unknown key 'dynamc'"},
	{"unknown key in a platform block", 0,
	 "version: 1\nconnectors:\n  platforms:\n    n8n:\n      platforms: {}\n", WD_EFORMAT, 5, 7,
	 "unknown key 'platforms'"},
	{"group is a mapping", 0, "version: 1\nconnectors:\n  business: {a: 1}\n", WD_EFORMAT, 3, 13,
	 "must be a list"},
	{"pattern is a list", 0, "version: 1\nconnectors:\n  business: [[a]]\n", WD_EFORMAT, 3, 14,
	 "must be a string"},
	{"bad severity", 0, "version: 1\nrules:\n  WD-CODE-001: {severity: severe}\n", WD_EFORMAT, 3,
	 27, "unknown severity 'severe'"},
	{"unknown rule", 0, "version: 1\nrules:\n  WD-NOPE-001: false\n", WD_EFORMAT, 3, 3,
	 "unknown rule 'WD-NOPE-001'"},
	{"rule glob matching nothing", 0, "version: 1\nrules:\n  \"WD-XYZ-*\": false\n", WD_EFORMAT, 3,
	 3, "matches no rule"},
	{"rule value of the wrong type", 0, "version: 1\nrules:\n  WD-CODE-001: [a]\n", WD_EFORMAT, 3,
	 16, "must be true, false, a severity or a mapping"},
	{"enabled not a boolean", 0, "version: 1\nrules:\n  WD-CODE-001: {enabled: maybe}\n",
	 WD_EFORMAT, 3, 26, "must be true or false"},
	{"bad platform", 0, "version: 1\nrules:\n  WD-CODE-001: {platforms: [n9n]}\n", WD_EFORMAT, 3,
	 29, "unknown platform 'n9n'"},
	{"scope names an undefined environment", 0,
	 "version: 1\nrules:\n  WD-CODE-001: {enabled: false, environments: [prod]}\n", WD_EFORMAT, 3,
	 47, "unknown environment 'prod'"},
	{"bad date", 0, "version: 1\nsuppressions:\n  - rule: WD-CODE-001\n    expires: 2026-13-01\n",
	 WD_EFORMAT, 4, 14, "YYYY-MM-DD"},
	{"impossible day", 0, "version: 1\nsuppressions:\n  - rule: WD-CODE-001\n    expires: 2026-02-30\n",
	 WD_EFORMAT, 4, 14, "2026-02-30"},
	{"duplicate key", 0, "version: 1\nname: a\nname: b\n", WD_EPARSE, 3, 1, "duplicate key"},
	{"missing version", 0, "name: x\n", WD_EFORMAT, 1, 1, "no 'version'"},
	{"unsupported version", 0, "version: 2\n", WD_EFORMAT, 1, 10, "unsupported version 2"},
	{"version not a number", 0, "version: one\n", WD_EFORMAT, 1, 10, "must be an integer"},
	{"root is a list", 0, "- a\n", WD_EFORMAT, 1, 1, "must be a mapping"},
	{"empty file", 0, "", WD_EFORMAT, 0, 0, "must be a mapping"},
	{"host pattern with a path", 0, "version: 1\nendpoints:\n  deny: [\"https://x.com/a\"]\n",
	 WD_EFORMAT, 3, 10, "contains '/'"},
	{"host pattern with a bad port", 0, "version: 1\nendpoints:\n  deny: [\"x.com:http\"]\n",
	 WD_EFORMAT, 3, 10, "bad port"},
	{"dynamic neither flag nor ignore", 0, "version: 1\nendpoints:\n  dynamic: warn\n", WD_EFORMAT,
	 3, 12, "flag or ignore"},
	{"unknown category", 0, "version: 1\nconnectors:\n  blocked: [\"category:nope\"]\n",
	 WD_EFORMAT, 3, 13, "unknown catalog category 'nope'"},
	{"unknown role", 0, "version: 1\nconnectors:\n  blocked: [\"role:rootkit\"]\n", WD_EFORMAT, 3,
	 13, "unknown role 'rootkit'"},
	{"unknown kind", 0, "version: 1\nconnectors:\n  ignore: [\"kind:magic\"]\n", WD_EFORMAT, 3, 12,
	 "unknown component kind 'magic'"},
	{"bad default group", 0, "version: 1\nconnectors:\n  default_group: maybe\n", WD_EFORMAT, 3, 18,
	 "unknown group 'maybe'"},
	{"suppression matching nothing", 0, "version: 1\nsuppressions:\n  - justification: x\n",
	 WD_EFORMAT, 3, 5, "must say what it matches"},
	{"bad fingerprint", 0, "version: 1\nsuppressions:\n  - fingerprint: abc\n", WD_EFORMAT, 3,
	 18, "32 hex digits"},
	{"suppression with an unknown key", 0,
	 "version: 1\nsuppressions:\n  - rule: WD-CODE-001\n    reason: x\n", WD_EFORMAT, 4, 5,
	 "unknown key 'reason'"},
	{"justification of the wrong type", 0,
	 "version: 1\nsuppressions:\n  - rule: WD-CODE-001\n    justification: [a]\n", WD_EFORMAT, 4,
	 20, "must be a string"},
	{"suppressions not a list", 0, "version: 1\nsuppressions: {a: 1}\n", WD_EFORMAT, 2, 15,
	 "must be a list"},
	{"settings for a platform without any", 0, "version: 1\nsettings:\n  zapier:\n    x: true\n",
	 WD_EFORMAT, 3, 3, "knows no settings"},
	{"unknown setting", 0, "version: 1\nsettings:\n  n8n:\n    secure_data: true\n", WD_EFORMAT, 4,
	 5, "unknown key 'secure_data'"},
	{"setting value of the wrong kind", 0,
	 "version: 1\nsettings:\n  n8n:\n    error_workflow: maybe\n", WD_EFORMAT, 4, 21,
	 "must be true or false"},
	{"bad caller policy", 0, "version: 1\nsettings:\n  n8n:\n    caller_policy: [anyone]\n",
	 WD_EFORMAT, 4, 21, "unknown caller policy 'anyone'"},
	{"bad timeout", 0, "version: 1\nsettings:\n  n8n:\n    max_execution_timeout: -5\n", WD_EFORMAT,
	 4, 28, "number of seconds"},
	{"long-form setting without value", 0,
	 "version: 1\nsettings:\n  make:\n    confidential: {severity: high}\n", WD_EFORMAT, 4, 19,
	 "needs a 'value'"},
	{"unknown data class", 0, "version: 1\ndata:\n  pll:\n    deny: [ai]\n", WD_EFORMAT, 3, 3,
	 "unknown data class 'pll'"},
	{"unknown flow target", 0, "version: 1\ndata:\n  pii:\n    deny: [cloud]\n", WD_EFORMAT, 4, 12,
	 "unknown flow target 'cloud'"},
	{"data class without deny", 0, "version: 1\ndata:\n  pii:\n    allow: [x]\n", WD_EFORMAT, 4, 5,
	 "needs 'deny'"},
	{"loss min above max", 0, "version: 1\nloss:\n  per_record:\n    pii: {min: 10, max: 1}\n",
	 WD_EFORMAT, 4, 10, "larger than 'max'"},
	{"loss value not a number", 0, "version: 1\nloss:\n  per_record:\n    pii: {min: a, max: 1}\n",
	 WD_EFORMAT, 4, 16, "must be a number"},
	{"bad currency", 0, "version: 1\nloss:\n  currency: euro\n", WD_EFORMAT, 3, 13,
	 "three-letter"},
	{"bad criticality", 0, "version: 1\ncriticality:\n  - apps: [x]\n    level: 7\n", WD_EFORMAT,
	 4, 12, "1 to 4"},
	{"environment without paths or apps", 0, "version: 1\nenvironments:\n  prod: {}\n",
	 WD_EFORMAT, 3, 9, "needs 'paths' or 'apps'"},
	{"owners rule without an owner", 1, "version: 1\nowners:\n  - apps: [x]\n", WD_EFORMAT, 3, 5,
	 "must give an owner"},
	{"owners rule with an unknown key", 1,
	 "version: 1\nowners:\n  - apps: [x]\n    owner: a\n    manager: b\n", WD_EFORMAT, 5, 5,
	 "unknown key 'manager'"},
	{"owners file without version", 1, "owners: []\n", WD_EFORMAT, 1, 1, "no 'version'"},
	{"owners connector pattern", 1,
	 "version: 1\nowners:\n  - connectors: [\"role:nope\"]\n    owner: a\n", WD_EFORMAT, 3, 18,
	 "unknown role"},
	{"suppressions file with an unknown key", 2, "version: 1\nsupressions: []\n", WD_EFORMAT, 2,
	 1, "unknown key 'supressions'"},
	{"a YAML bomb", 0,
	 "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
	 "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
	 "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
	 "g: [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n",
	 WD_ELIMIT, 0, 0, "aliases expand"},
	{"a YAML syntax error", 0, "version: 1\nname: [a\n", WD_EPARSE, 0, 0, ""},
};

static void test_load_errors(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(err_cases) / sizeof(*err_cases); i++) {
		const err_case *c = &err_cases[i];
		wd_policy *p = NULL;
		wd_policy_stats st;
		wd_error err;
		wd_status rc;

		assert_int_equal(wd_policy_new(&p), WD_OK);
		memset(&err, 0, sizeof(err));
		if (c->kind == 1)
			rc = wd_policy_add_owners_buffer(p, "o.yaml", c->yaml, strlen(c->yaml), &err);
		else if (c->kind == 2)
			rc = wd_policy_add_suppressions_buffer(p, "s.yaml", c->yaml, strlen(c->yaml), &err);
		else
			rc = wd_policy_add_buffer(p, "p.yaml", c->yaml, strlen(c->yaml), &err);
		if (rc != c->code || (c->line && (err.line != c->line || err.column != c->column)) ||
		    !strstr(err.message, c->text))
			fail_msg("case '%s': got %s at %u:%u '%s', expected %s at %u:%u '%s'", c->name,
			         wd_status_str(rc), err.line, err.column, err.message, wd_status_str(c->code),
			         c->line, c->column, c->text);
		if (c->code == WD_ELIMIT || c->code == WD_EPARSE)
			assert_true(err.line > 0);
		wd_policy_stats_get(p, &st);
		assert_int_equal(st.files + st.owner_rules + st.suppressions + st.environments, 0);
		assert_false(wd_policy_has_owners(p));
		wd_policy_free(p);
	}
}

/* A 50 MB policy is refused before it is parsed, with a position, from a
 * buffer and from a file. */
static void test_large_file(void **state)
{
	size_t big = (size_t)50 << 20, head;
	char *data = malloc(big + 1);
	char path[] = "/tmp/warden-policy-XXXXXX";
	wd_policy *p = NULL;
	wd_error err;
	FILE *f;
	int fd;

	(void)state;
	assert_non_null(data);
	head = (size_t)snprintf(data, big, "version: 1\nname: \"");
	memset(data + head, 'x', big - head - 2);
	memcpy(data + big - 2, "\"\n", 2);
	data[big] = '\0';
	assert_int_equal(wd_policy_new(&p), WD_OK);
	assert_int_equal(wd_policy_add_buffer(p, "big.yaml", data, big, &err), WD_ELIMIT);
	assert_int_equal(err.line, 1);
	assert_int_equal(err.column, 1);
	assert_non_null(strstr(err.message, "limit"));

	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, big, f), big);
	assert_int_equal(fclose(f), 0);
	memset(&err, 0, sizeof(err));
	assert_int_equal(wd_policy_add_file(p, path, &err), WD_ELIMIT);
	assert_int_equal(err.line, 1);
	unlink(path);
	assert_int_equal(wd_policy_add_file(p, "/nonexistent/policy.yaml", &err), WD_EIO);
	{
		wd_policy_stats st;
		wd_policy_stats_get(p, &st);
		assert_int_equal(st.files, 0);
	}
	wd_policy_free(p);
	free(data);
}

/* A file with an error at its very end adds nothing: the policy behaves as
 * it did before. */
static void test_no_partial_application(void **state)
{
	static const char good[] = "version: 1\nname: good\n"
	                           "environments:\n  prod: {apps: [\"*\"]}\n"
	                           "connectors:\n  blocked: [Slack]\n";
	static const char bad[] = "version: 1\nname: bad\n"
	                          "environments:\n  stage: {apps: [\"*\"]}\n  prod: {apps: [none]}\n"
	                          "connectors:\n  blocked: [\"X (Twitter)\"]\n"
	                          "rules:\n  WD-CODE-001: false\n"
	                          "suppressions:\n  - rule: WD-CODE-001\n"
	                          "owners_typo: 1\n";
	wd_policy *p = policy_of(good);
	wd_policy_stats before, after;
	wd_model *m = import("a.json", WF(SCHED "," SLACK "," TWEET "," CODE, MAIN("Every day", "Post"), ERRWF));
	wd_findings f;
	wd_error err;
	size_t n;

	(void)state;
	wd_policy_stats_get(p, &before);
	assert_int_equal(wd_policy_add_buffer(p, "bad.yaml", bad, strlen(bad), &err), WD_EFORMAT);
	assert_int_equal(err.line, 12);
	wd_policy_stats_get(p, &after);
	assert_memory_equal(&before, &after, sizeof(before));
	wd_policy_suppressions(p, &n);
	assert_int_equal(n, 0);
	assert_string_equal(wd_policy_environment(p, m, 0), "prod");
	review(p, m, &f);
	assert_int_equal(count(&f, "WD-POL-001"), 1); /* Slack, not the tweet */
	assert_non_null(strstr(first(&f, "WD-POL-001")->message, "'Post'"));
	assert_int_equal(count(&f, "WD-CODE-001"), 1);
	wd_findings_release(&f);
	wd_model_free(m);
	wd_policy_free(p);
}

/* ---- several files ------------------------------------------------------------------- */

static void test_combine_strictly(void **state)
{
	static const char a[] = "version: 1\nname: A\n"
	                        "environments:\n  prod: {apps: [wf]}\n"
	                        "connectors:\n  business: [Slack]\n  non_business: [\"X (Twitter)\"]\n"
	                        "rules:\n  WD-CODE-001: false\n  WD-LOG-001: low\n"
	                        "suppressions:\n  - rule: WD-CODE-001\n";
	static const char b[] = "version: 1\nname: B\n"
	                        "environments:\n  prod: {apps: [nothing]}\n  dev: {apps: [wf]}\n"
	                        "connectors:\n  business: [Slack, \"X (Twitter)\"]\n  blocked: [PostgreSQL]\n"
	                        "rules:\n  WD-LOG-001: high\n"
	                        "suppressions:\n  - rule: WD-LOG-001\n";
	static const char c[] = "version: 1\nname: C\nrules:\n  WD-CODE-001: false\n";
	wd_policy *p = policy_of(NULL);
	wd_model *m = import("a.json", WF(SCHED "," SLACK "," TWEET "," PG "," CODE,
	                                  MAIN("Every day", "Post"), ""));
	wd_findings f;
	size_t n;
	int sev = WD_SEV_LOW;

	(void)state;
	add_policy(p, "a.yaml", a);
	add_policy(p, "b.yaml", b);
	review(p, m, &f);
	/* A alone sees business + non-business: a violation */
	assert_int_equal(count(&f, "WD-POL-002"), 1);
	assert_non_null(strstr(first(&f, "WD-POL-002")->message, "policy 'A'"));
	/* blocked in B wins although A leaves PostgreSQL unclassified */
	assert_int_equal(count(&f, "WD-POL-001"), 1);
	assert_non_null(strstr(first(&f, "WD-POL-001")->message, "'Rows'"));
	/* only A turns WD-CODE-001 off: B leaves it on */
	assert_int_equal(count(&f, "WD-CODE-001"), 1);
	/* the highest severity any file gives */
	assert_int_equal(first(&f, "WD-LOG-001")->severity, WD_SEV_HIGH);
	assert_int_equal(wd_policy_rule_enabled(p, "WD-LOG-001", m, 0, &sev), 1);
	assert_int_equal(sev, WD_SEV_HIGH);
	/* environments: the first file defining a name wins; dev comes from B */
	assert_string_equal(wd_policy_environment(p, m, 0), "prod");
	/* suppressions accumulate */
	wd_policy_suppressions(p, &n);
	assert_int_equal(n, 2);
	wd_findings_release(&f);

	/* when every file turns a rule off, it is off */
	add_policy(p, "c.yaml", c);
	review(p, m, &f);
	assert_int_equal(count(&f, "WD-CODE-001"), 1); /* B is still silent */
	wd_findings_release(&f);
	wd_policy_free(p);

	p = policy_of(a);
	add_policy(p, "c.yaml", c);
	review(p, m, &f);
	assert_int_equal(count(&f, "WD-CODE-001"), 0);
	assert_int_equal(wd_policy_rule_enabled(p, "WD-CODE-001", m, 0, NULL), 0);
	wd_findings_release(&f);
	wd_policy_free(p);
	wd_model_free(m);
}

/* ---- globs --------------------------------------------------------------------------- */

typedef struct glob_case {
	const char *pattern, *text;
	int ci, expect;
} glob_case;

static const glob_case globs[] = {
	{"", "", 0, 1},
	{"", "a", 0, 0},
	{"*", "", 0, 1},
	{"*", "abc", 0, 1},
	{"*", "a/b", 0, 0},
	{"**", "a/b/c", 0, 1},
	{"a?c", "abc", 0, 1},
	{"a?c", "ac", 0, 0},
	{"a?c", "a/c", 0, 1},
	{"?", "\xc3\xa9", 0, 1},           /* one code point, two bytes */
	{"??", "\xc3\xa9", 0, 0},
	{"caf?", "caf\xc3\xa9", 0, 1},
	{"*.ngrok.io", "x.ngrok.io", 1, 1},
	{"*.ngrok.io", "a.b.ngrok.io", 1, 1},
	{"*.ngrok.io", "ngrok.io", 1, 0},
	{"*requestbin*", "eo1.m.requestbin.net", 1, 1},
	{"ABC", "abc", 1, 1},
	{"ABC", "abc", 0, 0},
	{"X (Twitter)", "x (twitter)", 1, 1},
	{"a*b*c", "aXbYc", 0, 1},
	{"a*b*c", "aXbY", 0, 0},
	{"a*", "a", 0, 1},
	{"*a", "ba", 0, 1},
	{"**/x.json", "x.json", 0, 1},
	{"**/x.json", "a/b/x.json", 0, 1},
	{"**/x.json", "a/bx.json", 0, 0},
	{"a/**/b", "a/b", 0, 1},
	{"a/**/b", "a/x/y/b", 0, 1},
	{"a/**/b", "ab", 0, 0},
	{"a/**", "a/x/y", 0, 1},
	{"a/**", "a", 0, 0},
	{"a**b", "a/x/b", 0, 1},
	{"***", "a/b", 0, 1},
	{"a*/b", "ax/b", 0, 1},
	{"a*/b", "ax/y/b", 0, 0},
	{"WD-SEC-*", "WD-SEC-101", 1, 1},
	{"WD-SEC-*", "WD-SECX-1", 1, 0},
	{"\xc3\x89T\xc3\x89", "\xc3\xa9t\xc3\xa9", 1, 0}, /* case folding is ASCII only */
};

static void test_glob(void **state)
{
	size_t i;
	char *text, pattern[512];
	clock_t t0;

	(void)state;
	for (i = 0; i < sizeof(globs) / sizeof(*globs); i++) {
		const glob_case *g = &globs[i];
		if (wd_glob_match(g->pattern, g->text, strlen(g->text), g->ci) != g->expect)
			fail_msg("glob '%s' on '%s' (ci %d): expected %d", g->pattern, g->text, g->ci,
			         g->expect);
	}
	/* length-delimited: the text need not be NUL-terminated */
	assert_true(wd_glob_match("ab", "abc", 2, 0));
	assert_false(wd_glob_match("abc", "abc", 2, 0));
	assert_false(wd_glob_match(NULL, "a", 1, 0));

	/* pathological patterns stay linear: no backtracking blow-up */
	text = malloc(100001);
	assert_non_null(text);
	memset(text, 'a', 100000);
	text[100000] = '\0';
	t0 = clock();
	for (i = 0; i < 40; i++)
		memcpy(pattern + 2 * i, "*a", 2);
	memcpy(pattern + 80, "b", 2);
	assert_false(wd_glob_match(pattern, text, 100000, 0));
	assert_false(wd_glob_match("**a**a**a**a**a**a**a**a**b", text, 100000, 1));
	/* more tokens than the stack holds: the heap path */
	for (i = 0; i < 200; i++)
		memcpy(pattern + 2 * i, "?*", 2);
	pattern[400] = '\0';
	assert_true(wd_glob_match(pattern, text, 100000, 0));
	assert_false(wd_glob_match(pattern, text, 150, 0));
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 10.0);
	free(text);

	/* export paths */
	assert_true(wd_policy_match_path("finance/**", "exports/finance/a.json"));
	assert_true(wd_policy_match_path("finance/**", "finance/x/a.json"));
	assert_false(wd_policy_match_path("/finance/**", "exports/finance/a.json"));
	assert_true(wd_policy_match_path("/exports/**", "exports/a.json"));
	assert_true(wd_policy_match_path("*.json", "./a.json"));
	assert_true(wd_policy_match_path("*.json", "dir/a.json"));
	assert_true(wd_policy_match_path("dir/*.json", "/srv/x/dir/a.json"));
	assert_false(wd_policy_match_path("dir/*.json", "dir/sub/a.json"));
	assert_false(wd_policy_match_path("Finance/**", "finance/a.json"));
}

/* ---- environments and rule switches -------------------------------------------------- */

static void test_environments_and_scopes(void **state)
{
	static const char pol[] =
		"version: 1\n"
		"environments:\n"
		"  prod: {paths: [\"prod/**\"]}\n"
		"  dev: {apps: [\"DEV *\"], paths: [\"**/dev/**\"]}\n"
		"rules:\n"
		"  WD-CODE-001: {enabled: false, environments: [dev]}\n"
		"  WD-ENTRY-001: {severity: critical, environments: [prod]}\n"
		"  \"WD-LOG-*\": {enabled: false, platforms: [power-automate]}\n"
		"  WD-INJ-001: info\n";
	wd_policy *p = policy_of(pol);
	wd_model *m;
	wd_findings f;
	int sev;

	(void)state;
	/* prod by path: first match wins even though the path also has dev/ */
	m = import("repo/prod/dev/a.json", WF(HOOK "," CODE, MAIN("Hook", "Run"), ""));
	assert_string_equal(wd_policy_environment(p, m, 0), "prod");
	review(p, m, &f);
	assert_int_equal(first(&f, "WD-ENTRY-001")->severity, WD_SEV_CRITICAL);
	assert_int_equal(count(&f, "WD-CODE-001"), 1);
	assert_int_equal(count(&f, "WD-LOG-001"), 1); /* scoped to Power Automate */
	assert_int_equal(first(&f, "WD-INJ-001")->severity, WD_SEV_INFO);
	wd_findings_release(&f);
	wd_model_free(m);

	/* dev by app name */
	m = import("a.json", WF_NAMED("DEV tools", HOOK "," CODE, MAIN("Hook", "Run"), ""));
	assert_string_equal(wd_policy_environment(p, m, 0), "dev");
	review(p, m, &f);
	assert_int_equal(count(&f, "WD-CODE-001"), 0);
	assert_int_equal(first(&f, "WD-ENTRY-001")->severity, WD_SEV_HIGH);
	sev = WD_SEV_LOW;
	assert_int_equal(wd_policy_rule_enabled(p, "WD-CODE-001", m, 0, &sev), 0);
	assert_int_equal(wd_policy_rule_enabled(p, "WD-ENTRY-001", m, 0, &sev), 1);
	assert_int_equal(sev, WD_SEV_LOW); /* no severity for dev: unchanged */
	wd_findings_release(&f);
	wd_model_free(m);

	/* neither */
	m = import("x.json", WF_NAMED("other", HOOK, "", ""));
	assert_string_equal(wd_policy_environment(p, m, 0), "");
	assert_string_equal(wd_policy_environment(p, m, WD_NONE), "");
	wd_model_free(m);

	/* Power Automate: the WD-LOG-* switch applies */
	m = import("def.json",
	           "{\"triggers\":{\"t\":{\"type\":\"Recurrence\"}},\"actions\":{\"H\":{\"type\":\"Http\","
	           "\"inputs\":{\"method\":\"GET\",\"uri\":\"https://api.example.com/x\"},\"runAfter\":{}}}}");
	assert_int_equal(wd_policy_rule_enabled(p, "WD-LOG-001", m, 0, NULL), 0);
	review(p, m, &f);
	assert_int_equal(count(&f, "WD-LOG-001"), 0);
	wd_findings_release(&f);
	wd_model_free(m);

	/* a NULL policy and an empty one change nothing */
	m = import("a.json", WF(HOOK "," CODE, MAIN("Hook", "Run"), ""));
	{
		wd_findings g;
		wd_policy *empty = policy_of(NULL);
		size_t before;
		wd_findings_init(&g);
		assert_int_equal(wd_rules_run(m, &g), WD_OK);
		before = g.n;
		assert_int_equal(wd_policy_review(NULL, m, &g), WD_OK);
		assert_int_equal(wd_policy_review(empty, m, &g), WD_OK);
		assert_int_equal(g.n, before);
		assert_int_equal(wd_policy_rule_enabled(NULL, "WD-CODE-001", m, 0, NULL), 1);
		wd_findings_release(&g);
		wd_policy_free(empty);
	}
	wd_model_free(m);
	wd_policy_free(p);
}

/* ---- the checks ---------------------------------------------------------------------- */

#define GROUPS                                                                               \
	"version: 1\nconnectors:\n  business: [Slack, PostgreSQL]\n"                              \
	"  non_business: [\"X (Twitter)\"]\n  blocked: [\"role:shell\"]\n"

static void test_connector_groups(void **state)
{
	(void)state;
	/* WD-POL-001: explicit pattern, and the default group */
	assert_int_equal(hits(GROUPS, "a.json", WF(SCHED "," CMD, MAIN("Every day", "Up"), ERRWF),
	                      "WD-POL-001"),
	                 1);
	assert_int_equal(hits("version: 1\nconnectors:\n  default_group: blocked\n", "a.json",
	                      WF(SCHED "," NODE("t", "Tell", "n8n-nodes-base.telegram", ""),
	                         MAIN("Every day", "Tell"), ERRWF),
	                      "WD-POL-001"),
	                 1);
	/* the default group applies to connectors only: a Code node is none */
	assert_int_equal(hits("version: 1\nconnectors:\n  default_group: blocked\n", "a.json",
	                      WF(SCHED "," CODE, MAIN("Every day", "Run"), ERRWF), "WD-POL-001"),
	                 0);
	/* a disabled node never runs */
	assert_int_equal(
		hits(GROUPS, "a.json",
		     WF(SCHED ",{\"id\":\"e\",\"name\":\"Up\",\"type\":\"n8n-nodes-base.executeCommand\","
		             "\"typeVersion\":1,\"position\":[0,0],\"parameters\":{},\"disabled\":true}",
		        "", ERRWF),
		     "WD-POL-001"),
		0);
	/* ignore wins over every group */
	assert_int_equal(hits(GROUPS "  ignore: [\"Local command execution\"]\n", "a.json",
	                      WF(SCHED "," CMD, MAIN("Every day", "Up"), ERRWF), "WD-POL-001"),
	                 0);
	/* the most specific pattern wins: a named service over its category */
	assert_int_equal(hits("version: 1\nconnectors:\n  business: [\"category:social\", Slack]\n"
	                      "  non_business: [\"X (Twitter)\"]\n",
	                      "a.json", WF(SCHED "," SLACK "," TWEET, "", ERRWF), "WD-POL-002"),
	                 1);
	assert_int_equal(hits("version: 1\nconnectors:\n  non_business: [\"category:social\"]\n"
	                      "  business: [\"X (Twitter)\", Slack]\n",
	                      "a.json", WF(SCHED "," SLACK "," TWEET, "", ERRWF), "WD-POL-002"),
	                 0);
	/* ties go to the stricter group */
	assert_int_equal(hits("version: 1\nconnectors:\n  business: [Slack]\n  blocked: [Slack]\n",
	                      "a.json", WF(SCHED "," SLACK, "", ERRWF), "WD-POL-001"),
	                 1);
	/* unclassified connectors fall in the default group (non-business) */
	assert_int_equal(hits("version: 1\nconnectors:\n  business: [Slack]\n", "a.json",
	                      WF(SCHED "," SLACK "," TWEET, "", ERRWF), "WD-POL-002"),
	                 1);
	assert_int_equal(hits("version: 1\nconnectors:\n  business: [Slack]\n  default_group: business\n",
	                      "a.json", WF(SCHED "," SLACK "," TWEET, "", ERRWF), "WD-POL-002"),
	                 0);
	/* per-platform default group */
	assert_int_equal(hits("version: 1\nconnectors:\n  business: [Slack]\n  platforms:\n"
	                      "    n8n: {default_group: business}\n",
	                      "a.json", WF(SCHED "," SLACK "," TWEET, "", ERRWF), "WD-POL-002"),
	                 0);
	/* WD-POL-003: only with an approved list */
	assert_int_equal(hits("version: 1\nconnectors:\n  approved: [Slack]\n", "a.json",
	                      WF(SCHED "," SLACK "," TWEET, "", ERRWF), "WD-POL-003"),
	                 1);
	assert_int_equal(hits("version: 1\nconnectors:\n  approved: [\"*\"]\n", "a.json",
	                      WF(SCHED "," SLACK "," TWEET, "", ERRWF), "WD-POL-003"),
	                 0);
	assert_int_equal(hits(GROUPS, "a.json", WF(SCHED "," SLACK "," TWEET, "", ERRWF), "WD-POL-003"),
	                 0);
}

static const char pa_flow[] =
	"{\"triggers\":{\"t\":{\"type\":\"Recurrence\"}},\"actions\":{"
	"\"Get items\":{\"type\":\"OpenApiConnection\",\"inputs\":{\"host\":{\"apiId\":"
	"\"/providers/Microsoft.PowerApps/apis/shared_sharepointonline\",\"connectionName\":"
	"\"shared_sharepointonline\",\"operationId\":\"GetItems\"}},\"runAfter\":{}},"
	"\"Save file\":{\"type\":\"OpenApiConnection\",\"inputs\":{\"host\":{\"apiId\":"
	"\"/providers/Microsoft.PowerApps/apis/shared_dropbox\",\"connectionName\":\"shared_dropbox\","
	"\"operationId\":\"CreateFile\"}},\"runAfter\":{\"Get items\":[\"Succeeded\"]}},"
	"\"Paste\":{\"type\":\"Http\",\"inputs\":{\"method\":\"POST\",\"uri\":"
	"\"https://pastebin.com/api/api_post.php\"},\"runAfter\":{\"Save file\":[\"Succeeded\"]}}}}";

static void test_power_automate(void **state)
{
	wd_policy *p;
	wd_model *m;
	wd_findings f;

	(void)state;
	/* service names, Power Platform ids (shared_x) and platform qualifiers */
	assert_int_equal(hits("version: 1\nconnectors:\n  business: [SharePoint]\n"
	                      "  non_business: [Dropbox]\n",
	                      "def.json", pa_flow, "WD-POL-002"),
	                 1);
	assert_int_equal(hits("version: 1\nconnectors:\n  business: [shared_sharepointonline, "
	                      "shared_dropbox]\n  ignore: [\"role:http\"]\n",
	                      "def.json", pa_flow, "WD-POL-002"),
	                 0);
	assert_int_equal(hits("version: 1\nconnectors:\n  blocked: [\"power-automate:shared_dropbox\"]\n",
	                      "def.json", pa_flow, "WD-POL-001"),
	                 1);
	assert_int_equal(hits("version: 1\nconnectors:\n  blocked: [\"n8n:Dropbox\"]\n", "def.json",
	                      pa_flow, "WD-POL-001"),
	                 0);
	assert_int_equal(hits("version: 1\nconnectors:\n  platforms:\n    power-automate:\n"
	                      "      blocked: [dropbox]\n",
	                      "def.json", pa_flow, "WD-POL-001"),
	                 1);
	/* endpoints: the Http action's host, with and without a port pattern */
	assert_int_equal(hits("version: 1\nendpoints:\n  deny: [pastebin.com]\n", "def.json", pa_flow,
	                      "WD-POL-004"),
	                 1);
	assert_int_equal(hits("version: 1\nendpoints:\n  deny: [\"pastebin.com:443\"]\n", "def.json",
	                      pa_flow, "WD-POL-004"),
	                 1);
	assert_int_equal(hits("version: 1\nendpoints:\n  deny: [\"pastebin.com:80\"]\n", "def.json",
	                      pa_flow, "WD-POL-004"),
	                 0);
	/* required settings that a built-in rule reports keep it on, at their severity */
	p = policy_of("version: 1\nrules:\n  WD-LOG-001: false\nsettings:\n  power-automate:\n"
	              "    error_handling: {value: true, severity: high}\n");
	m = import("def.json", pa_flow);
	review(p, m, &f);
	assert_int_equal(count(&f, "WD-LOG-001"), 1);
	assert_int_equal(first(&f, "WD-LOG-001")->severity, WD_SEV_HIGH);
	assert_int_equal(count(&f, "WD-POL-006"), 0);
	wd_findings_release(&f);
	wd_model_free(m);
	wd_policy_free(p);
}

static void test_endpoints(void **state)
{
	static const char pol[] = "version: 1\nendpoints:\n  deny: [\"*.ngrok.io\"]\n"
	                          "  allow: [\"*.example.com\", \"db.internal:5432\"]\n";
	wd_policy *p = policy_of(pol);
	wd_model *m;
	wd_findings f;
	const wd_finding *x;
	char fp1[33], fp2[33];

	(void)state;
	/* denied beats not allowed; one finding per component and host */
	m = import("a.json", WF(SCHED "," HTTP("r", "Tunnel", "https://abc.ngrok.io/a") ","
	                        HTTP("q", "Again", "https://abc.ngrok.io/b"), "", ERRWF));
	review(p, m, &f);
	assert_int_equal(count(&f, "WD-POL-004"), 2);
	x = first(&f, "WD-POL-004");
	assert_int_equal(x->severity, WD_SEV_HIGH);
	assert_string_equal(x->evidence, "abc.ngrok.io");
	assert_non_null(strstr(x->message, "denies"));
	memcpy(fp1, x->fingerprint, 33);
	wd_findings_release(&f);
	wd_model_free(m);
	/* the same host under another path: the same fingerprint */
	m = import("b.json", WF(SCHED "," HTTP("r", "Tunnel", "https://abc.ngrok.io/other?x=1"), "", ERRWF));
	review(p, m, &f);
	memcpy(fp2, first(&f, "WD-POL-004")->fingerprint, 33);
	assert_string_equal(fp1, fp2);
	wd_findings_release(&f);
	wd_model_free(m);
	/* allow-list */
	assert_int_equal(hits(pol, "a.json", WF(SCHED "," HTTP("r", "Get", "https://api.example.com/x"), "", ERRWF),
	                      "WD-POL-004"),
	                 0);
	assert_int_equal(hits(pol, "a.json", WF(SCHED "," HTTP("r", "Get", "https://example.com/x"), "", ERRWF),
	                      "WD-POL-004"),
	                 1);
	assert_int_equal(hits(pol, "a.json", WF(SCHED "," HTTP("r", "Get", "http://db.internal:5432/"), "", ERRWF),
	                      "WD-POL-004"),
	                 0);
	assert_int_equal(hits(pol, "a.json", WF(SCHED "," HTTP("r", "Get", "http://db.internal:5433/"), "", ERRWF),
	                      "WD-POL-004"),
	                 1);
	/* dynamic endpoints: flagged unless a built-in rule already says it or the policy ignores them */
	assert_int_equal(hits("version: 1\nendpoints: {dynamic: ignore}\nrules: {WD-HTTP-002: false}\n",
	                      "a.json", WF(SCHED "," HTTP("r", "Fetch", "={{ $json.u }}"), MAIN("Every day", "Fetch"), ERRWF),
	                      "WD-POL-005"),
	                 0);
	assert_int_equal(hits("version: 1\nendpoints: {dynamic: flag}\nrules: {WD-HTTP-002: false}\n",
	                      "a.json", WF(SCHED "," HTTP("r", "Fetch", "={{ $json.u }}"), MAIN("Every day", "Fetch"), ERRWF),
	                      "WD-POL-005"),
	                 1);
	wd_policy_free(p);
}

static void test_settings(void **state)
{
	static const char pol[] =
		"version: 1\n"
		"rules:\n  WD-LOG-001: false\n  WD-ACL-001: false\n"
		"settings:\n  n8n:\n"
		"    error_workflow: {value: true, severity: high}\n"
		"    caller_policy: [workflowsFromSameOwner]\n"
		"    max_execution_timeout: 600\n";
	wd_policy *p = policy_of(pol);
	wd_model *m;
	wd_findings f;
	const wd_finding *x;

	(void)state;
	/* callerPolicy any: WD-ACL-001 (turned back on by the setting), not WD-POL-006 */
	m = import("a.json", WF(SCHED "," SLACK, MAIN("Every day", "Post"),
	                        "\"callerPolicy\":\"any\",\"executionTimeout\":60"));
	review(p, m, &f);
	assert_int_equal(count(&f, "WD-ACL-001"), 1);
	assert_int_equal(count(&f, "WD-LOG-001"), 1);
	assert_int_equal(first(&f, "WD-LOG-001")->severity, WD_SEV_HIGH);
	assert_int_equal(count(&f, "WD-POL-006"), 0);
	wd_findings_release(&f);
	wd_model_free(m);
	/* another value outside the list, and a timeout above the limit */
	m = import("a.json", WF(SCHED "," SLACK, MAIN("Every day", "Post"),
	                        ERRWF ",\"callerPolicy\":\"workflowsFromAList\",\"executionTimeout\":7200"));
	review(p, m, &f);
	assert_int_equal(count(&f, "WD-ACL-001"), 0);
	assert_int_equal(count(&f, "WD-LOG-001"), 0);
	assert_int_equal(count(&f, "WD-POL-006"), 2);
	x = first(&f, "WD-POL-006");
	assert_string_equal(x->evidence, "workflowsFromAList");
	wd_findings_release(&f);
	wd_model_free(m);
	/* unset caller policy is n8n's default (same owner) */
	m = import("a.json", WF(SCHED "," SLACK, MAIN("Every day", "Post"), ERRWF ",\"executionTimeout\":60"));
	review(p, m, &f);
	assert_int_equal(count(&f, "WD-POL-006"), 0);
	wd_findings_release(&f);
	wd_model_free(m);
	wd_policy_free(p);

	/* Node-RED: a catch node per flow tab */
	assert_int_equal(hits("version: 1\nsettings:\n  node-red:\n    error_handling: true\n", "flows.json",
	                      "[{\"id\":\"t1\",\"type\":\"tab\",\"label\":\"T\"},"
	                      "{\"id\":\"r\",\"type\":\"http request\",\"z\":\"t1\",\"url\":\"https://x.example.com\",\"wires\":[[]]}]",
	                      "WD-POL-006"),
	                 1);
	assert_int_equal(hits("version: 1\nsettings:\n  node-red:\n    error_handling: true\n", "flows.json",
	                      "[{\"id\":\"t1\",\"type\":\"tab\",\"label\":\"T\"},"
	                      "{\"id\":\"c\",\"type\":\"catch\",\"z\":\"t1\",\"wires\":[[]]},"
	                      "{\"id\":\"r\",\"type\":\"http request\",\"z\":\"t1\",\"url\":\"https://x.example.com\",\"wires\":[[]]}]",
	                      "WD-POL-006"),
	                 0);
}

#define FORM_EMAIL                                                                           \
	NODE("f", "Apply", "n8n-nodes-base.formTrigger",                                       \
	     "\"authentication\":\"basicAuth\",\"formFields\":{\"values\":[{\"fieldLabel\":\"email\"}]}")

static void test_data_classes(void **state)
{
	const char *agent =
		WF(FORM_EMAIL "," NODE("a", "Agent", "@n8n/n8n-nodes-langchain.agent", "\"text\":\"={{ $json.email }}\"") ","
		   NODE("m", "Model", "@n8n/n8n-nodes-langchain.lmChatAzureOpenAi", ""),
		   MAIN("Apply", "Agent") ","
		   "\"Model\":{\"ai_languageModel\":[[{\"node\":\"Agent\",\"type\":\"ai_languageModel\",\"index\":0}]]}",
		   ERRWF);
	const char *to_tweet =
		WF(FORM_EMAIL "," TWEET, MAIN("Apply", "Tweet"), ERRWF);

	(void)state;
	/* an agent's model is the AI service: the allow list names the model */
	assert_int_equal(hits("version: 1\ndata:\n  pii: {deny: [ai]}\n", "a.json", agent, "WD-POL-007"), 1);
	assert_int_equal(hits("version: 1\ndata:\n  pii: {deny: [ai], allow: [\"Azure OpenAI\"]}\n", "a.json",
	                      agent, "WD-POL-007"),
	                 0);
	/* non-business and external targets */
	assert_int_equal(hits("version: 1\ndata:\n  pii: {deny: [non_business]}\n", "a.json", to_tweet,
	                      "WD-POL-007"),
	                 1);
	assert_int_equal(hits("version: 1\nconnectors:\n  business: [\"X (Twitter)\"]\n"
	                      "data:\n  pii: {deny: [non_business]}\n",
	                      "a.json", to_tweet, "WD-POL-007"),
	                 0);
	assert_int_equal(hits("version: 1\ndata:\n  pii: {deny: [external], severity: low}\n", "a.json",
	                      to_tweet, "WD-POL-007"),
	                 1);
	assert_int_equal(hits("version: 1\ndata:\n  financial: {deny: [external]}\n", "a.json", to_tweet,
	                      "WD-POL-007"),
	                 0);
	/* a bot answering on the service the data came from is no disclosure; the same
	 * personal data posted elsewhere is */
	{
		const char *bot = WF(
			NODE("t", "On message", "n8n-nodes-base.telegramTrigger", "\"updates\":[\"message\"]") ","
			NODE("s", "Greeting", "n8n-nodes-base.set",
			     "\"assignments\":{\"assignments\":[{\"name\":\"first_name\",\"value\":"
			     "\"={{ $json.message.from.first_name }}\",\"type\":\"string\"}]}") ","
			NODE("r", "Reply", "n8n-nodes-base.telegram", "\"text\":\"={{ $json.first_name }}\"") ","
			TWEET,
			MAIN("On message", "Greeting") ","
			"\"Greeting\":{\"main\":[[{\"node\":\"Reply\",\"type\":\"main\",\"index\":0},"
			"{\"node\":\"Tweet\",\"type\":\"main\",\"index\":0}]]}",
			ERRWF);
		wd_policy *p = policy_of("version: 1\nconnectors:\n  non_business: [Telegram, \"X (Twitter)\"]\n"
		                         "data:\n  pii: {deny: [non_business]}\n");
		wd_model *m = import("bot.json", bot);
		wd_findings f;
		review(p, m, &f);
		assert_int_equal(count(&f, "WD-POL-007"), 1);
		assert_non_null(strstr(first(&f, "WD-POL-007")->message, "'Tweet'"));
		wd_findings_release(&f);
		wd_model_free(m);
		wd_policy_free(p);
	}
	/* one finding per fact: a personal-data WD-POL-007 replaces WD-DATA-004 on
	 * the same component, at the higher severity; one about other classes
	 * replaces nothing */
	{
		wd_findings f;
		wd_model *m = import("a.json", to_tweet);
		wd_policy *p;
		wd_findings_init(&f);
		assert_int_equal(wd_rules_run(m, &f), WD_OK);
		assert_int_equal(count(&f, "WD-DATA-004"), 1);
		wd_findings_release(&f);

		p = policy_of("version: 1\ndata:\n  pii: {deny: [external], severity: info}\n");
		review(p, m, &f);
		assert_int_equal(count(&f, "WD-DATA-004"), 0);
		assert_int_equal(count(&f, "WD-POL-007"), 1);
		assert_true(first(&f, "WD-POL-007")->severity >= WD_SEV_MEDIUM); /* DATA-004's */
		wd_findings_release(&f);
		wd_policy_free(p);

		p = policy_of("version: 1\ndata:\n  secret: {deny: [external]}\n"
		              "  credential: {deny: [external]}\n");
		review(p, m, &f);
		assert_int_equal(count(&f, "WD-DATA-004"), 1);
		wd_findings_release(&f);
		wd_policy_free(p);
		wd_model_free(m);
	}
}

/* Policy findings keep their fingerprint when the file moves and nodes are
 * reordered or renamed elsewhere. */
static void test_fingerprints(void **state)
{
	wd_policy *p = policy_of(GROUPS);
	wd_model *m;
	wd_findings f;
	char a[33], b[33];

	(void)state;
	m = import("one/a.json", WF(SCHED "," SLACK "," TWEET, "", ERRWF));
	review(p, m, &f);
	memcpy(a, first(&f, "WD-POL-002")->fingerprint, 33);
	wd_findings_release(&f);
	wd_model_free(m);
	m = import("two/b.json", WF(TWEET "," NODE("k", "Renamed post", "n8n-nodes-base.slack", "") "," SCHED, "", ERRWF));
	review(p, m, &f);
	memcpy(b, first(&f, "WD-POL-002")->fingerprint, 33);
	assert_string_equal(a, b);
	wd_findings_release(&f);
	wd_model_free(m);
	wd_policy_free(p);
}

/* ---- owners, criticality, loss ------------------------------------------------------- */

static void test_owners(void **state)
{
	wd_policy *p = NULL;
	wd_model *m;
	wd_owner o;
	wd_error err;
	const char *src = NULL;

	(void)state;
	assert_int_equal(wd_policy_new(&p), WD_OK);
	m = import("exports/finance/pay.json", WF_NAMED("Payroll sync", SCHED "," PG, "", ERRWF));
	/* no owners file: nobody, and no criticality */
	o = wd_policy_owner(p, m, 0, WD_NONE);
	assert_null(o.owner);
	assert_int_equal(wd_policy_criticality(p, m, 0, &src), 0);
	assert_null(src);

	assert_int_equal(wd_policy_add_owners_file(p, src_path("docs/examples/owners.yaml"), &err), WD_OK);
	/* the last matching rule: finance's folder (the Payroll rule is for Power Automate) */
	o = wd_policy_owner(p, m, 0, WD_NONE);
	assert_string_equal(o.owner, "erik.larsen@contoso.com");
	assert_string_equal(o.team, "Finance Systems");
	assert_string_equal(o.escalation, "finance-oncall@contoso.com");
	assert_non_null(strstr(o.source, "owners.yaml:"));
	/* a component using a database has the DBAs; another keeps the app's owner */
	o = wd_policy_owner(p, m, 0, 1);
	assert_true(wd_str_eq_c(m->comps[1].name, "Rows"));
	assert_string_equal(o.owner, "dba@contoso.com");
	o = wd_policy_owner(p, m, 0, 0);
	assert_string_equal(o.owner, "erik.larsen@contoso.com");
	assert_int_equal(wd_policy_criticality(p, m, 0, &src), 3);
	assert_non_null(strstr(src, "owners.yaml:"));
	wd_model_free(m);

	/* criticality-only rules do not change the owner */
	m = import("a.json", WF_NAMED("CRM leads", SCHED, "", ERRWF));
	o = wd_policy_owner(p, m, 0, WD_NONE);
	assert_string_equal(o.owner, "coe@contoso.com");
	assert_int_equal(wd_policy_criticality(p, m, 0, NULL), 3);
	wd_model_free(m);

	/* owners win over the policy's criticality; without owners the policy decides */
	assert_int_equal(wd_policy_add_file(p, src_path("docs/examples/policy.yaml"), &err), WD_OK);
	m = import("a.json", WF_NAMED("Payroll run", SCHED, "", ERRWF));
	assert_int_equal(wd_policy_criticality(p, m, 0, &src), 1); /* owners' catch-all: low */
	assert_non_null(strstr(src, "owners.yaml:"));
	wd_model_free(m);
	wd_policy_free(p);

	p = NULL;
	assert_int_equal(wd_policy_new(&p), WD_OK);
	assert_int_equal(wd_policy_add_file(p, src_path("docs/examples/policy.yaml"), &err), WD_OK);
	m = import("a.json", WF_NAMED("Payroll run", SCHED, "", ERRWF));
	assert_int_equal(wd_policy_criticality(p, m, 0, &src), 4);
	assert_non_null(strstr(src, "policy.yaml:"));
	wd_model_free(m);
	m = import("exports/prod/x.json", WF_NAMED("Other", SCHED, "", ERRWF));
	assert_int_equal(wd_policy_criticality(p, m, 0, NULL), 3);
	wd_model_free(m);
	m = import("x.json", WF_NAMED("Other", SCHED, "", ERRWF));
	assert_int_equal(wd_policy_criticality(p, m, 0, NULL), 0);
	wd_model_free(m);
	wd_policy_free(p);
}

static void test_loss_inputs(void **state)
{
	wd_policy *p = NULL;
	wd_model *m;
	wd_loss_inputs li;
	wd_error err;

	(void)state;
	assert_int_equal(wd_policy_new(&p), WD_OK);
	assert_int_equal(wd_policy_add_file(p, src_path("docs/examples/policy.yaml"), &err), WD_OK);
	m = import("a.json", WF_NAMED("CRM leads", SCHED, "", ERRWF));
	assert_int_equal(wd_policy_loss_inputs(p, m, 0, WD_CLASS_PII, &li), 1);
	assert_true(li.per_record_min == 5.0 && li.per_record_max == 150.0);
	assert_true(li.records == 250000.0);
	assert_string_equal(li.currency, "EUR");
	assert_non_null(strstr(li.source, "policy.yaml:"));
	assert_int_equal(wd_policy_loss_inputs(p, m, 0, WD_CLASS_SECRET, &li), 0);
	assert_true(li.records == 0.0 && li.currency == NULL);
	wd_model_free(m);
	m = import("a.json", WF_NAMED("Other", SCHED, "", ERRWF));
	assert_int_equal(wd_policy_loss_inputs(p, m, 0, WD_CLASS_HEALTH, &li), 1);
	assert_true(li.records == 1000.0 && li.per_record_max == 500.0);
	wd_model_free(m);
	wd_policy_free(p);
	/* the default policy gives figures too */
	p = NULL;
	assert_int_equal(wd_policy_new(&p), WD_OK);
	assert_int_equal(wd_policy_add_default(p, &err), WD_OK);
	m = import("a.json", WF(SCHED, "", ERRWF));
	assert_int_equal(wd_policy_loss_inputs(p, m, 0, WD_CLASS_PII, &li), 1);
	assert_string_equal(li.currency, "USD");
	wd_model_free(m);
	wd_policy_free(p);
}

static void test_suppression_match(void **state)
{
	wd_suppression s;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.rule = "WD-SEC-*";
	s.app = "Billing*";
	assert_true(wd_suppression_match(&s, "ab", "WD-SEC-101", "Billing run", "B1", "a.json", NULL, NULL));
	assert_true(wd_suppression_match(&s, "ab", "WD-SEC-101", "Other", "Billing-7", "a.json", NULL, NULL));
	assert_false(wd_suppression_match(&s, "ab", "WD-CODE-001", "Billing run", "B1", "a.json", NULL, NULL));
	assert_false(wd_suppression_match(&s, "ab", "WD-SEC-101", NULL, NULL, "a.json", NULL, NULL));
	s.path = "finance/**";
	assert_true(wd_suppression_match(&s, "ab", "WD-SEC-101", "Billing", "B", "x/finance/a.json", NULL, NULL));
	assert_false(wd_suppression_match(&s, "ab", "WD-SEC-101", "Billing", "B", "x/a.json", NULL, NULL));
	memset(&s, 0, sizeof(s));
	s.fingerprint = "5f2b9c0e4d1a3b7c8e9f0a1b2c3d4e5f";
	assert_true(wd_suppression_match(&s, "5F2B9C0E4D1A3B7C8E9F0A1B2C3D4E5F", "WD-X", NULL, NULL, NULL, NULL, NULL));
	assert_false(wd_suppression_match(&s, "00000000000000000000000000000000", "WD-X", NULL, NULL, NULL, NULL, NULL));
	memset(&s, 0, sizeof(s));
	s.component = "Call *";
	assert_true(wd_suppression_match(&s, "ab", "WD-X", "A", "1", "a.json", "Call partner", "n1"));
	assert_false(wd_suppression_match(&s, "ab", "WD-X", "A", "1", "a.json", NULL, NULL));
	assert_false(wd_suppression_match(NULL, "ab", "WD-X", "A", "1", "a.json", NULL, NULL));
}

/* ---- the shipped texts --------------------------------------------------------------- */

static void test_default_policy(void **state)
{
	size_t len;
	const char *text = wd_policy_default_text(&len);
	char *file = slurp("data/policy/default.yaml");
	wd_policy *p = NULL;
	wd_error err;
	wd_model *m;
	wd_findings f;

	(void)state;
	/* the embedded copy is the file */
	assert_int_equal(len, strlen(file));
	assert_memory_equal(text, file, len);
	free(file);
	assert_int_equal(wd_policy_new(&p), WD_OK);
	assert_int_equal(wd_policy_add_default(p, &err), WD_OK);
	/* command execution is blocked, request bins are denied, consumer services don't mix */
	m = import("a.json", WF(SCHED "," CMD "," HTTP("r", "Bin", "https://webhook.site/x") "," SLACK "," TWEET,
	                        MAIN("Every day", "Up"), ERRWF));
	review(p, m, &f);
	assert_int_equal(count(&f, "WD-POL-001"), 1);
	assert_int_equal(count(&f, "WD-POL-004"), 1);
	assert_int_equal(count(&f, "WD-POL-002"), 1);
	assert_non_null(strstr(first(&f, "WD-POL-001")->message, "default.yaml:"));
	wd_findings_release(&f);
	wd_model_free(m);
	/* business services together are fine */
	m = import("a.json", WF(SCHED "," SLACK "," PG "," HTTP("r", "Api", "https://api.example.com/x"),
	                        MAIN("Every day", "Post"), ERRWF));
	review(p, m, &f);
	assert_int_equal(count(&f, "WD-POL-001") + count(&f, "WD-POL-002") + count(&f, "WD-POL-004"), 0);
	wd_findings_release(&f);
	wd_model_free(m);
	wd_policy_free(p);
}

/* The examples in the docs are the files the tests load. */
static void test_docs_contain_examples(void **state)
{
	static const char *const pairs[][2] = {
		{"docs/policy.md", "docs/examples/policy.yaml"},
		{"docs/owners.md", "docs/examples/owners.yaml"},
		{"docs/exceptions.md", "docs/examples/suppressions.yaml"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		char *doc = slurp(pairs[i][0]), *ex = slurp(pairs[i][1]);
		if (!strstr(doc, ex))
			fail_msg("%s does not contain %s verbatim", pairs[i][0], pairs[i][1]);
		free(doc);
		free(ex);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_examples_load),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_large_file),
		cmocka_unit_test(test_no_partial_application),
		cmocka_unit_test(test_combine_strictly),
		cmocka_unit_test(test_glob),
		cmocka_unit_test(test_environments_and_scopes),
		cmocka_unit_test(test_connector_groups),
		cmocka_unit_test(test_power_automate),
		cmocka_unit_test(test_endpoints),
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_data_classes),
		cmocka_unit_test(test_fingerprints),
		cmocka_unit_test(test_owners),
		cmocka_unit_test(test_loss_inputs),
		cmocka_unit_test(test_suppression_match),
		cmocka_unit_test(test_default_policy),
		cmocka_unit_test(test_docs_contain_examples),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
