/*
 * test_threat_annot.c - the living annotations file (threat/annotations.c):
 * strict loading with positions, app selection, wildcards, exact-beats-
 * wildcard, stale annotations, accepted risks that expire, unjustified
 * acceptances, and statuses surviving a re-derivation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "warden/threat.h"
#include "warden/yaml.h"

#define DAY(s) wd_date_parse(s, 10)

/* A model with the given threat ids and nothing else. */
static wd_tm *tm_with(const char *platform, const char *id, const char *name,
                      const char *const *ids)
{
	wd_tm *tm = calloc(1, sizeof(*tm));
	size_t n = 0, i;
	assert_non_null(tm);
	wd_arena_init(&tm->arena, 4096);
	tm->platform = platform;
	tm->app_id = id;
	tm->app_name = name;
	while (ids && ids[n])
		n++;
	tm->threats = wd_arena_zalloc(&tm->arena, (n + 1) * sizeof(*tm->threats));
	for (i = 0; i < n; i++) {
		wd_tm_threat *t = &tm->threats[i];
		t->id = ids[i];
		t->rule = "TM-X-01";
		t->title = "t";
		t->scenario = "s";
		t->severity = WD_SEV_HIGH;
		t->residual = WD_SEV_LOW;
		t->review_by = -1;
	}
	tm->nthreats = n;
	return tm;
}

static wd_tm_annotations *load(const char *yaml)
{
	wd_tm_annotations *a = NULL;
	wd_error err;
	wd_error_clear(&err);
	if (wd_tm_annotations_load_buffer(&a, "ann.yaml", yaml, strlen(yaml), &err) != WD_OK)
		fail_msg("load failed: %u:%u: %s", err.line, err.column, err.message);
	return a;
}

static const wd_tm_threat *threat(const wd_tm *tm, const char *id)
{
	size_t i;
	for (i = 0; i < tm->nthreats; i++)
		if (strcmp(tm->threats[i].id, id) == 0)
			return &tm->threats[i];
	fail_msg("no threat %s", id);
	return NULL;
}

static size_t issues_of(const wd_tm *tm, const char *kind)
{
	size_t i, n = 0;
	for (i = 0; i < tm->nissues; i++)
		n += strcmp(tm->issues[i].kind, kind) == 0;
	return n;
}

static const wd_tm_issue *issue(const wd_tm *tm, const char *kind, size_t nth)
{
	size_t i;
	for (i = 0; i < tm->nissues; i++)
		if (strcmp(tm->issues[i].kind, kind) == 0 && nth-- == 0)
			return &tm->issues[i];
	fail_msg("no issue %s", kind);
	return NULL;
}

/* ---- statuses ------------------------------------------------------------------ */

static void test_status_names(void **state)
{
	static const char *const names[] = {"open", "mitigated", "accepted", "transferred",
	                                    "false-positive"};
	int i;
	(void)state;
	for (i = 0; i < 5; i++) {
		assert_string_equal(wd_tm_status_name((wd_tm_status)i), names[i]);
		assert_int_equal(wd_tm_status_parse(names[i]), i);
	}
	assert_int_equal(wd_tm_status_parse("Accepted"), WD_TM_ACCEPTED);
	assert_int_equal(wd_tm_status_parse("false_positive"), -1);
	assert_int_equal(wd_tm_status_parse("fixed"), -1);
	assert_int_equal(wd_tm_status_parse(""), -1);
	assert_int_equal(wd_tm_status_parse(NULL), -1);
}

/* ---- strict loading ------------------------------------------------------------ */

typedef struct bad_case {
	const char *name;
	const char *yaml;
	int code;
	uint32_t line, column;
	const char *needle;
} bad_case;

static const bad_case bad[] = {
	{"unknown top key", "version: 1\napp:\n  x: {}\n", WD_EFORMAT, 2, 1, "unknown key 'app'"},
	{"version 2", "version: 2\n", WD_EFORMAT, 1, 10, NULL},
	{"apps a list", "apps:\n  - n8n:W1\n", WD_EFORMAT, 2, 3, "'apps' must be a mapping"},
	{"unknown app key", "apps:\n  W1:\n    threat: {}\n", WD_EFORMAT, 3, 5,
	 "unknown key 'threat'"},
	{"assumptions a string", "apps:\n  W1:\n    assumptions: none\n", WD_EFORMAT, 3, 18,
	 "list of strings"},
	{"assumption a map", "apps:\n  W1:\n    assumptions:\n      - a: b\n", WD_EFORMAT, 4, 9,
	 NULL},
	{"threats a list", "apps:\n  W1:\n    threats:\n      - TM-X-01@a\n", WD_EFORMAT, 4, 7,
	 "'threats' must be a mapping"},
	{"threat not a map", "apps:\n  W1:\n    threats:\n      TM-X-01@a: accepted\n", WD_EFORMAT,
	 4, 18, "must be a mapping"},
	{"no status", "apps:\n  W1:\n    threats:\n      TM-X-01@a:\n        owner: me\n",
	 WD_EFORMAT, 5, 9, "has no status"},
	{"bad status", "apps:\n  W1:\n    threats:\n      TM-X-01@a:\n        status: fixed\n",
	 WD_EFORMAT, 5, 17, "unknown status 'fixed'"},
	{"status a list",
	 "apps:\n  W1:\n    threats:\n      TM-X-01@a:\n        status: [open]\n", WD_EFORMAT, 5,
	 17, "'status' must be a string"},
	{"unknown threat key",
	 "apps:\n  W1:\n    threats:\n      TM-X-01@a:\n        status: open\n        expires: "
	 "2026-01-01\n",
	 WD_EFORMAT, 6, 9, "unknown key 'expires'"},
	{"bad date",
	 "apps:\n  W1:\n    threats:\n      TM-X-01@a:\n        status: accepted\n        "
	 "review_by: 2026-02-30\n",
	 WD_EFORMAT, 6, 20, NULL},
	{"date not a date",
	 "apps:\n  W1:\n    threats:\n      TM-X-01@a:\n        status: accepted\n        "
	 "review_by: next year\n",
	 WD_EFORMAT, 6, 20, NULL},
	{"owner a map",
	 "apps:\n  W1:\n    threats:\n      TM-X-01@a:\n        status: open\n        owner: {a: "
	 "b}\n",
	 WD_EFORMAT, 6, 16, NULL},
	{"id without @", "apps:\n  W1:\n    threats:\n      TM-X-01:\n        status: open\n",
	 WD_EFORMAT, 4, 7, "not a threat id"},
	{"id with space", "apps:\n  W1:\n    threats:\n      \"TM-X-01@a b\":\n        status: open\n",
	 WD_EFORMAT, 4, 7, "may only hold"},
	{"empty segment", "apps:\n  W1:\n    threats:\n      TM-X-01@@a:\n        status: open\n",
	 WD_EFORMAT, 4, 7, "empty segment"},
	{"trailing @", "apps:\n  W1:\n    threats:\n      TM-X-01@a@:\n        status: open\n",
	 WD_EFORMAT, 4, 7, "empty segment"},
	{"duplicate threat",
	 "apps:\n  W1:\n    threats:\n      TM-X-01@a:\n        status: open\n      TM-X-01@a:\n   "
	 "     status: mitigated\n",
	 WD_EPARSE, 6, 7, NULL},
	{"not yaml", "apps: [\n", WD_EPARSE, 0, 0, NULL},
	{"root a list", "- a\n- b\n", WD_EFORMAT, 1, 1, NULL},
	{"alias bomb",
	 "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
	 "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, "
	 "*c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, "
	 "*e, *e, *e]\n",
	 WD_ELIMIT, 0, 0, NULL},
};

static void test_bad_files(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		wd_tm_annotations *a = (wd_tm_annotations *)1;
		wd_error err;
		wd_status rc;
		wd_error_clear(&err);
		rc = wd_tm_annotations_load_buffer(&a, "ann.yaml", bad[i].yaml, strlen(bad[i].yaml),
		                                   &err);
		print_message("%-22s -> %d %u:%u %s\n", bad[i].name, rc, err.line, err.column,
		              err.message);
		assert_null(a);
		if (bad[i].code == WD_EPARSE) /* the adapter's business: any parse-level error */
			assert_true(rc == WD_EPARSE || rc == WD_EFORMAT);
		else
			assert_int_equal(rc, bad[i].code);
		assert_int_equal(err.code, rc);
		if (bad[i].line) {
			assert_int_equal(err.line, bad[i].line);
			assert_int_equal(err.column, bad[i].column);
		}
		if (bad[i].needle && !strstr(err.message, bad[i].needle))
			fail_msg("%s: '%s' not in '%s'", bad[i].name, bad[i].needle, err.message);
	}
}

static void test_load_file_errors(void **state)
{
	wd_tm_annotations *a = NULL;
	wd_error err;
	(void)state;
	wd_error_clear(&err);
	assert_int_equal(wd_tm_annotations_load(&a, "/nonexistent/ann.yaml", &err), WD_EIO);
	assert_null(a);
}

static void test_empty_files(void **state)
{
	const char *ok[] = {"", "# nothing\n", "version: 1\n", "apps:\n", "apps: {}\n",
	                    "apps:\n  W1:\n", "apps:\n  W1:\n    threats:\n    assumptions: []\n"};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(*ok); i++) {
		wd_tm_annotations *a = load(ok[i]);
		static const char *const ids[] = {"TM-X-01@a", NULL};
		wd_tm *tm = tm_with("n8n", "W1", "wf", ids);
		assert_int_equal(wd_tm_annotate(tm, a, DAY("2026-01-01")), WD_OK);
		assert_int_equal(tm->nissues, 0);
		assert_int_equal(tm->threats[0].status, WD_TM_OPEN);
		wd_tm_free(tm);
		wd_tm_annotations_free(a);
	}
	wd_tm_annotations_free(NULL);
}

/* ---- the documented example ------------------------------------------------------- */

static void test_example_file(void **state)
{
	static const char *const ids[] = {
		"TM-SPOOF-01@n8n-w1-hook",          "TM-INJ-01@n8n-w1-hook@n8n-w1-code",
		"TM-INJ-01@n8n-w1-hook@n8n-w1-other", "TM-DISC-01@n8n-w1-code@svc-hubspot",
		"TM-DISC-01@n8n-w1-pay@svc-stripe",  "TM-DOS-01@n8n-w1-hook@n8n-w1-code",
		"TM-DISC-02@n8n-w1-code@svc-hubspot", NULL};
	wd_tm_annotations *a = NULL;
	wd_tm *tm = tm_with("n8n", "W1", "Orders", ids);
	wd_error err;
	const wd_tm_threat *t;
	uint32_t line = 0, col = 0;
	(void)state;

	wd_error_clear(&err);
	if (wd_tm_annotations_load(&a, WARDEN_SOURCE_DIR "/docs/examples/annotations.yaml", &err))
		fail_msg("%u:%u: %s", err.line, err.column, err.message);
	assert_int_equal(wd_tm_annotations_count(a), 2);
	assert_string_equal(wd_tm_annotations_app(a, 0, &line, &col), "n8n:W1");
	assert_int_equal(line, 6);
	assert_int_equal(col, 3);
	assert_string_equal(wd_tm_annotations_app(a, 1, NULL, NULL), "Customer Support Bot");
	assert_null(wd_tm_annotations_app(a, 2, NULL, NULL));
	assert_true(wd_tm_annotations_match(a, 0, tm));
	assert_false(wd_tm_annotations_match(a, 1, tm));

	assert_int_equal(wd_tm_annotate(tm, a, DAY("2026-06-01")), WD_OK);
	assert_int_equal(tm->nassumptions, 2);
	assert_non_null(strstr(tm->assumptions[0], "reverse proxy"));

	t = threat(tm, "TM-SPOOF-01@n8n-w1-hook");
	assert_int_equal(t->status, WD_TM_ACCEPTED);
	assert_string_equal(t->owner, "alice@example.com");
	assert_int_equal(t->review_by, DAY("2026-12-31"));
	assert_non_null(strstr(t->justification, "client certificate"));
	assert_int_equal(t->reopened, 0);
	assert_int_equal(threat(tm, "TM-INJ-01@n8n-w1-hook@n8n-w1-code")->status, WD_TM_MITIGATED);
	assert_int_equal(threat(tm, "TM-INJ-01@n8n-w1-hook@n8n-w1-other")->status, WD_TM_OPEN);
	assert_int_equal(threat(tm, "TM-DISC-01@n8n-w1-code@svc-hubspot")->status,
	                 WD_TM_TRANSFERRED);
	assert_int_equal(threat(tm, "TM-DISC-01@n8n-w1-pay@svc-stripe")->status, WD_TM_TRANSFERRED);
	assert_int_equal(threat(tm, "TM-DOS-01@n8n-w1-hook@n8n-w1-code")->status,
	                 WD_TM_FALSE_POSITIVE);
	assert_int_equal(threat(tm, "TM-DISC-02@n8n-w1-code@svc-hubspot")->status, WD_TM_OPEN);
	assert_int_equal(tm->nissues, 0);

	/* a year later the acceptance has expired */
	assert_int_equal(wd_tm_annotate(tm, a, DAY("2027-06-01")), WD_OK);
	t = threat(tm, "TM-SPOOF-01@n8n-w1-hook");
	assert_int_equal(t->status, WD_TM_OPEN);
	assert_int_equal(t->reopened, 1);
	assert_int_equal(issues_of(tm, "reopened"), 1);
	assert_string_equal(issue(tm, "reopened", 0)->threat_id, "TM-SPOOF-01@n8n-w1-hook");
	assert_non_null(strstr(issue(tm, "reopened", 0)->message, "2026-12-31"));
	assert_non_null(strstr(issue(tm, "reopened", 0)->source, "annotations.yaml:12:7"));
	wd_tm_free(tm);
	wd_tm_annotations_free(a);
}

/* The documentation shows the example file verbatim. */
static void test_example_in_docs(void **state)
{
	char *doc = NULL, *ex = NULL;
	size_t dn, en;
	(void)state;
	assert_int_equal(wd_read_file(WARDEN_SOURCE_DIR "/docs/model-annotations.md", 1 << 20, &doc,
	                              &dn, NULL),
	                 WD_OK);
	assert_int_equal(wd_read_file(WARDEN_SOURCE_DIR "/docs/examples/annotations.yaml", 1 << 20,
	                              &ex, &en, NULL),
	                 WD_OK);
	assert_non_null(strstr(doc, ex));
	free(doc);
	free(ex);
}

/* ---- app selection ------------------------------------------------------------------- */

static void test_app_selection(void **state)
{
	static const char *const ids[] = {"TM-X-01@a", NULL};
	const char *yaml = "apps:\n"
	                   "  Orders:\n    threats:\n      TM-X-01@a: {status: mitigated}\n"
	                   "  W1:\n    threats:\n      TM-X-01@a: {status: accepted, "
	                   "justification: j}\n"
	                   "  n8n:W1:\n    threats:\n      TM-X-01@a: {status: false-positive, "
	                   "justification: j}\n"
	                   "  Other:\n    assumptions: [x]\n";
	wd_tm_annotations *a = load(yaml);
	wd_tm *tm;
	(void)state;

	/* platform:id beats id beats name; the others are reported as shadowed */
	tm = tm_with("n8n", "W1", "Orders", ids);
	assert_int_equal(wd_tm_annotate(tm, a, 0), WD_OK);
	assert_int_equal(tm->threats[0].status, WD_TM_FALSE_POSITIVE);
	assert_int_equal(issues_of(tm, "shadowed"), 2);
	assert_string_equal(issue(tm, "shadowed", 0)->source, "ann.yaml:2:3");
	wd_tm_free(tm);

	tm = tm_with("node-red", "W1", "Orders", ids);
	assert_int_equal(wd_tm_annotate(tm, a, 0), WD_OK);
	assert_int_equal(tm->threats[0].status, WD_TM_ACCEPTED);
	wd_tm_free(tm);

	tm = tm_with("n8n", "W2", "Orders", ids);
	assert_int_equal(wd_tm_annotate(tm, a, 0), WD_OK);
	assert_int_equal(tm->threats[0].status, WD_TM_MITIGATED);
	assert_int_equal(tm->nissues, 0);
	wd_tm_free(tm);

	/* no section: nothing changes, nothing reported */
	tm = tm_with("n8n", "W3", "Invoices", ids);
	assert_int_equal(wd_tm_annotate(tm, a, 0), WD_OK);
	assert_int_equal(tm->threats[0].status, WD_TM_OPEN);
	assert_int_equal(tm->nissues, 0);
	assert_int_equal(tm->nassumptions, 0);
	/* the caller finds sections that match no app */
	assert_false(wd_tm_annotations_match(a, 3, tm));
	wd_tm_free(tm);
	wd_tm_annotations_free(a);
}

/* ---- wildcards ---------------------------------------------------------------------- */

static void test_wildcards(void **state)
{
	static const char *const ids[] = {
		"TM-INJ-01@hook@code",   "TM-INJ-01@hook@code-2", "TM-INJ-02@hook@shell",
		"TM-SPOOF-01@hook",      "TM-DISC-01@p@svc-a",    "TM-DISC-01@p@svc-b",
		"TM-B-01@abxbc",         "TM-B-01@abxb",          NULL};
	const char *yaml =
		"apps:\n  W1:\n    threats:\n"
		"      TM-INJ-0*@hook@*: {status: mitigated, justification: validated}\n"
		"      TM-INJ-01@hook@code: {status: false-positive, justification: dead code}\n"
		"      tm-disc-01@p@*: {status: transferred}\n"
		"      TM-DISC-01@*@svc-b: {status: accepted, justification: dpa}\n"
		"      TM-SPOOF-01@*: {status: accepted, justification: proxy}\n"
		"      TM-SPOOF-01@hook@*: {status: open}\n"   /* more segments: matches nothing */
		"      TM-SPOOF-01@hook*: {status: open}\n"    /* '*' needs one character */
		"      TM-INJ-*1@hook@*: {status: open}\n"     /* as long as line 4's: loses the tie */
		"      '*@*@*': {status: open}\n"
		"      TM-B-01@a*bc: {status: mitigated}\n"; /* backtracking */
	wd_tm_annotations *a = load(yaml);
	wd_tm *tm = tm_with("n8n", "W1", "wf", ids);
	size_t i;
	(void)state;

	assert_int_equal(wd_tm_annotate(tm, a, 0), WD_OK);
	for (i = 0; i < tm->nissues; i++)
		print_message("  %s %s %s\n", tm->issues[i].kind, tm->issues[i].source,
		              tm->issues[i].message);
	/* exact beats every pattern */
	assert_int_equal(threat(tm, "TM-INJ-01@hook@code")->status, WD_TM_FALSE_POSITIVE);
	assert_string_equal(threat(tm, "TM-INJ-01@hook@code")->justification, "dead code");
	/* patterns: more literal characters win ('*@*@*' never does); ties: the earlier */
	assert_int_equal(threat(tm, "TM-INJ-01@hook@code-2")->status, WD_TM_MITIGATED);
	assert_int_equal(threat(tm, "TM-INJ-02@hook@shell")->status, WD_TM_MITIGATED);
	/* case-insensitive */
	assert_int_equal(threat(tm, "TM-DISC-01@p@svc-a")->status, WD_TM_TRANSFERRED);
	assert_int_equal(threat(tm, "TM-DISC-01@p@svc-b")->status, WD_TM_ACCEPTED);
	assert_int_equal(threat(tm, "TM-SPOOF-01@hook")->status, WD_TM_ACCEPTED);
	/* patterns that annotate nothing are stale */
	assert_int_equal(issues_of(tm, "stale"), 4);
	assert_string_equal(issue(tm, "stale", 0)->threat_id, "TM-SPOOF-01@hook@*");
	assert_string_equal(issue(tm, "stale", 1)->threat_id, "TM-SPOOF-01@hook*");
	assert_string_equal(issue(tm, "stale", 2)->threat_id, "TM-INJ-*1@hook@*");
	assert_string_equal(issue(tm, "stale", 3)->threat_id, "*@*@*");
	assert_string_equal(issue(tm, "stale", 0)->source, "ann.yaml:9:7");
	assert_int_equal(tm->nissues, 4);
	assert_int_equal(threat(tm, "TM-B-01@abxbc")->status, WD_TM_MITIGATED);
	assert_int_equal(threat(tm, "TM-B-01@abxb")->status, WD_TM_OPEN);
	wd_tm_free(tm);
	wd_tm_annotations_free(a);
}

/* ---- expiry, justification, staleness -------------------------------------------------- */

static void test_reopened_and_unjustified(void **state)
{
	static const char *const ids[] = {"TM-A-01@x", "TM-A-01@y", "TM-A-01@z", "TM-A-01@w",
	                                  "TM-A-01@v", NULL};
	const char *yaml =
		"apps:\n  W1:\n    threats:\n"
		"      TM-A-01@x: {status: accepted, justification: ok, review_by: 2026-03-01}\n"
		"      TM-A-01@y: {status: accepted, justification: ok, review_by: 2026-03-02}\n"
		"      TM-A-01@z:\n        status: accepted\n        justification: '   '\n"
		"      TM-A-01@w: {status: mitigated, review_by: 2020-01-01}\n"
		"      TM-A-01@v: {status: accepted, review_by: 2020-01-01}\n"
		"      TM-A-01@gone: {status: mitigated, justification: fixed in v2}\n";
	wd_tm_annotations *a = load(yaml);
	wd_tm *tm = tm_with("n8n", "W1", "wf", ids);
	const wd_tm_threat *t;
	(void)state;

	assert_int_equal(wd_tm_annotate(tm, a, DAY("2026-03-02")), WD_OK);
	t = threat(tm, "TM-A-01@x"); /* past its date */
	assert_int_equal(t->status, WD_TM_OPEN);
	assert_int_equal(t->reopened, 1);
	assert_string_equal(t->justification, "ok");
	t = threat(tm, "TM-A-01@y"); /* due today: still accepted */
	assert_int_equal(t->status, WD_TM_ACCEPTED);
	assert_int_equal(t->reopened, 0);
	t = threat(tm, "TM-A-01@z"); /* accepted, blank justification: stays accepted, reported */
	assert_int_equal(t->status, WD_TM_ACCEPTED);
	assert_null(t->justification);
	t = threat(tm, "TM-A-01@w"); /* only acceptances expire */
	assert_int_equal(t->status, WD_TM_MITIGATED);
	assert_int_equal(t->reopened, 0);
	t = threat(tm, "TM-A-01@v"); /* both */
	assert_int_equal(t->status, WD_TM_OPEN);
	assert_int_equal(t->reopened, 1);

	assert_int_equal(issues_of(tm, "reopened"), 2);
	assert_int_equal(issues_of(tm, "unjustified"), 2);
	assert_int_equal(issues_of(tm, "stale"), 1);
	assert_string_equal(issue(tm, "unjustified", 0)->threat_id, "TM-A-01@z");
	assert_string_equal(issue(tm, "unjustified", 0)->source, "ann.yaml:6:7");
	assert_string_equal(issue(tm, "stale", 0)->threat_id, "TM-A-01@gone");
	assert_string_equal(issue(tm, "stale", 0)->source, "ann.yaml:11:7");
	assert_non_null(strstr(issue(tm, "stale", 0)->message, "no longer exists"));

	/* without a date, nothing expires; annotating again gives the same result */
	assert_int_equal(wd_tm_annotate(tm, a, -1), WD_OK);
	assert_int_equal(threat(tm, "TM-A-01@x")->status, WD_TM_ACCEPTED);
	assert_int_equal(issues_of(tm, "reopened"), 0);
	assert_int_equal(wd_tm_annotate(tm, a, DAY("2026-03-02")), WD_OK);
	assert_int_equal(tm->nissues, 5);
	wd_tm_free(tm);
	wd_tm_annotations_free(a);
}

/* The annotations outlive nothing: freeing them keeps the model's strings valid. */
static void test_strings_copied(void **state)
{
	static const char *const ids[] = {"TM-A-01@x", NULL};
	wd_tm_annotations *a =
		load("apps:\n  W1:\n    assumptions: [behind VPN]\n    threats:\n      TM-A-01@x: "
		     "{status: accepted, justification: because, owner: me}\n      TM-A-01@q: "
		     "{status: open}\n");
	wd_tm *tm = tm_with("n8n", "W1", "wf", ids);
	(void)state;
	assert_int_equal(wd_tm_annotate(tm, a, 0), WD_OK);
	wd_tm_annotations_free(a);
	assert_string_equal(tm->threats[0].justification, "because");
	assert_string_equal(tm->threats[0].owner, "me");
	assert_string_equal(tm->assumptions[0], "behind VPN");
	assert_string_equal(tm->issues[0].threat_id, "TM-A-01@q");
	assert_string_equal(tm->issues[0].source, "ann.yaml:6:7");
	wd_tm_free(tm);
}

/* ---- statuses survive a re-derivation ----------------------------------------------- */

/* internet -> hook -> code [-> extra]: the graph of two versions of an app */
static wd_tm *version(int with_second_code)
{
	wd_tm *tm = calloc(1, sizeof(*tm));
	wd_tm_element *e;
	wd_tm_flow *f;
	size_t n = with_second_code ? 4 : 3, i;
	static const char *const ids[] = {"internet", "hook", "code", "code-2"};
	assert_non_null(tm);
	wd_arena_init(&tm->arena, 4096);
	tm->platform = "n8n";
	tm->app_id = "W1";
	tm->app_name = "Orders";
	tm->boundaries = wd_arena_zalloc(&tm->arena, 2 * sizeof(*tm->boundaries));
	tm->boundaries[0] = (wd_tm_boundary){"platform", WD_ZONE_PLATFORM, "n8n"};
	tm->boundaries[1] = (wd_tm_boundary){"internet", WD_ZONE_PUBLIC, "internet"};
	tm->nboundaries = 2;
	tm->elements = e = wd_arena_zalloc(&tm->arena, n * sizeof(*e));
	tm->flows = f = wd_arena_zalloc(&tm->arena, n * sizeof(*f));
	for (i = 0; i < n; i++) {
		e[i].kind = i ? WD_TM_PROCESS : WD_TM_EXTERNAL;
		e[i].id = ids[i];
		e[i].name = ids[i];
		e[i].comp = WD_NONE;
		e[i].boundary = i ? 0 : 1;
		e[i].flags = i == 0 ? WD_TME_INTERNET : i == 1 ? WD_TME_ENTRY | WD_TME_PUBLIC
		                                               : WD_TME_CODE;
	}
	for (i = 0; i + 1 < n; i++) {
		f[i].id = "f";
		f[i].from = (uint32_t)(i < 2 ? i : 1);
		f[i].to = (uint32_t)i + 1;
	}
	tm->nelements = n;
	tm->nflows = n - 1;
	assert_int_equal(wd_tm_find_threats(tm, NULL, 0), WD_OK);
	return tm;
}

static void test_merge_keeps_status(void **state)
{
	const char *yaml = "apps:\n  n8n:W1:\n    threats:\n"
	                   "      TM-INJ-01@hook@code: {status: mitigated, justification: IF node}\n"
	                   "      TM-SPOOF-01@hook: {status: accepted, justification: proxy, "
	                   "review_by: 2030-01-01}\n";
	wd_tm_annotations *a = load(yaml);
	wd_tm *v1 = version(1), *v2 = version(0);
	(void)state;

	assert_int_equal(wd_tm_annotate(v1, a, DAY("2026-05-01")), WD_OK);
	assert_int_equal(threat(v1, "TM-INJ-01@hook@code")->status, WD_TM_MITIGATED);
	assert_int_equal(threat(v1, "TM-INJ-01@hook@code-2")->status, WD_TM_OPEN);
	assert_int_equal(threat(v1, "TM-SPOOF-01@hook")->status, WD_TM_ACCEPTED);
	assert_int_equal(v1->nissues, 0);

	/* the next version drops code-2 and keeps the rest: statuses stay */
	assert_int_equal(wd_tm_annotate(v2, a, DAY("2026-05-01")), WD_OK);
	assert_int_equal(threat(v2, "TM-INJ-01@hook@code")->status, WD_TM_MITIGATED);
	assert_string_equal(threat(v2, "TM-INJ-01@hook@code")->justification, "IF node");
	assert_int_equal(threat(v2, "TM-SPOOF-01@hook")->status, WD_TM_ACCEPTED);
	assert_int_equal(v2->nissues, 0);
	wd_tm_free(v1);
	wd_tm_free(v2);
	wd_tm_annotations_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_names),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_load_file_errors),
		cmocka_unit_test(test_empty_files),
		cmocka_unit_test(test_example_file),
		cmocka_unit_test(test_example_in_docs),
		cmocka_unit_test(test_app_selection),
		cmocka_unit_test(test_wildcards),
		cmocka_unit_test(test_reopened_and_unjustified),
		cmocka_unit_test(test_strings_copied),
		cmocka_unit_test(test_merge_keeps_status),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
