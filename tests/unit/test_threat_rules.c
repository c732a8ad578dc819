/*
 * test_threat_rules.c - the threat rules of threat/threats.c.
 *
 * Two kinds of cases: graphs built by hand (elements and flows in a wd_tm,
 * no source model) for the graph semantics - paths, cycles, depth bound,
 * ordering, flow and store rules; and small exports imported from inline
 * JSON and derived with wd_tm_derive, for the rules that read the model.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "warden/import.h"
#include "warden/threat.h"

/* ---- hand-built models ------------------------------------------------------------ */

#define CAP 2048

static wd_tm *tm_new(const char *name)
{
	wd_tm *tm = calloc(1, sizeof(*tm));
	assert_non_null(tm);
	wd_arena_init(&tm->arena, 4096);
	tm->platform = "n8n";
	tm->app_id = "W1";
	tm->app_name = name;
	tm->file = "a.json";
	tm->hash = "";
	tm->elements = wd_arena_zalloc(&tm->arena, CAP * sizeof(*tm->elements));
	tm->flows = wd_arena_zalloc(&tm->arena, CAP * sizeof(*tm->flows));
	tm->boundaries = wd_arena_zalloc(&tm->arena, 8 * sizeof(*tm->boundaries));
	assert_non_null(tm->elements);
	assert_non_null(tm->flows);
	/* 0 platform, 1 internet, 2 external service, 3 internal */
	tm->boundaries[0] = (wd_tm_boundary){"platform", WD_ZONE_PLATFORM, "n8n runtime"};
	tm->boundaries[1] = (wd_tm_boundary){"internet", WD_ZONE_PUBLIC, "internet"};
	tm->boundaries[2] = (wd_tm_boundary){"saas", WD_ZONE_EXTERNAL, "SaaS"};
	tm->boundaries[3] = (wd_tm_boundary){"lan", WD_ZONE_INTERNAL, "internal network"};
	tm->nboundaries = 4;
	return tm;
}

static uint32_t el(wd_tm *tm, wd_tm_kind kind, const char *id, const char *name, uint32_t flags,
                   uint32_t boundary)
{
	wd_tm_element *e;
	assert_true(tm->nelements < CAP);
	e = &tm->elements[tm->nelements];
	e->kind = kind;
	e->id = id;
	e->name = name;
	e->type = "";
	e->role = "";
	e->boundary = boundary;
	e->comp = WD_NONE;
	e->comp_id = "";
	e->flags = flags;
	return (uint32_t)tm->nelements++;
}

static wd_tm_flow *flow(wd_tm *tm, uint32_t from, uint32_t to, uint32_t classes, uint32_t flags)
{
	wd_tm_flow *f;
	char id[128];
	assert_true(tm->nflows < CAP);
	f = &tm->flows[tm->nflows++];
	snprintf(id, sizeof(id), "%s--%s", tm->elements[from].id, tm->elements[to].id);
	f->id = wd_arena_strndup(&tm->arena, id, strlen(id));
	f->from = from;
	f->to = to;
	f->label = "";
	f->classes = classes;
	f->flags = flags;
	if (classes & ((1u << WD_CLASS_PII) | (1u << WD_CLASS_SECRET) | (1u << WD_CLASS_HEALTH) |
	               (1u << WD_CLASS_FINANCIAL) | (1u << WD_CLASS_CREDENTIAL)))
		f->flags |= WD_TMF_SENSITIVE;
	return f;
}

static void fields(wd_tm *tm, wd_tm_flow *f, const char *a, const char *b)
{
	f->fields = wd_arena_alloc(&tm->arena, 2 * sizeof(*f->fields));
	f->fields[0] = a;
	f->fields[1] = b;
	f->nfields = b ? 2 : 1;
}

static const wd_tm_threat *find(const wd_tm *tm, const char *id)
{
	size_t i;
	for (i = 0; i < tm->nthreats; i++)
		if (strcmp(tm->threats[i].id, id) == 0)
			return &tm->threats[i];
	return NULL;
}

static size_t count_rule(const wd_tm *tm, const char *rule)
{
	size_t i, n = 0;
	for (i = 0; i < tm->nthreats; i++)
		n += strcmp(tm->threats[i].rule, rule) == 0;
	return n;
}

static int has_mitigation(const wd_tm_threat *t, const char *text)
{
	size_t i;
	for (i = 0; i < t->nmitigations; i++)
		if (strcmp(t->mitigations[i], text) == 0)
			return 1;
	return 0;
}

static void dump(const wd_tm *tm)
{
	size_t i;
	for (i = 0; i < tm->nthreats; i++)
		print_message("  %s [%s] %s\n", tm->threats[i].id,
		              wd_severity_name(tm->threats[i].severity), tm->threats[i].scenario);
}

/* internet -> 'Webhook Intake' (public) -> 'Run Script' (code) */
static wd_tm *webhook_code(int public_entry)
{
	wd_tm *tm = tm_new("Orders");
	uint32_t net = el(tm, WD_TM_EXTERNAL, "internet", "Internet", WD_TME_INTERNET, 1);
	uint32_t hook = el(tm, WD_TM_PROCESS, "n8n-w1-hook", "Webhook Intake",
	                   WD_TME_ENTRY | (public_entry ? WD_TME_PUBLIC : 0), 0);
	uint32_t code = el(tm, WD_TM_PROCESS, "n8n-w1-code", "Run Script", WD_TME_CODE, 0);
	flow(tm, net, hook, 0, public_entry ? WD_TMF_UNTRUSTED | WD_TMF_CROSSES : WD_TMF_CROSSES);
	flow(tm, hook, code, 0, 0);
	return tm;
}

static void test_injection_scenario(void **state)
{
	wd_tm *tm = webhook_code(1);
	const wd_tm_threat *t;
	(void)state;

	assert_int_equal(wd_tm_find_threats(tm, NULL, 0), WD_OK);
	dump(tm);
	t = find(tm, "TM-INJ-01@n8n-w1-hook@n8n-w1-code");
	assert_non_null(t);
	assert_string_equal(t->rule, "TM-INJ-01");
	assert_string_equal(t->stride, "T");
	assert_string_equal(t->lcnc, "LCNC-SEC-06");
	assert_null(t->linddun);
	assert_string_equal(t->scenario, "Anyone who learns the URL of 'Webhook Intake' can make "
	                                 "'Run Script' execute their input.");
	assert_int_equal(t->npath, 3);
	assert_string_equal(tm->elements[t->path[0]].id, "internet");
	assert_string_equal(tm->elements[t->path[1]].id, "n8n-w1-hook");
	assert_string_equal(tm->elements[t->path[2]].id, "n8n-w1-code");
	assert_true(has_mitigation(t, "Require authentication on 'Webhook Intake' (a header "
	                              "secret, basic auth or JWT)"));
	assert_true(has_mitigation(t, "Validate the input in an IF node before 'Run Script'"));
	assert_true(has_mitigation(t, "Replace 'Run Script' with a built-in node"));
	assert_int_equal(t->severity, WD_SEV_MEDIUM);
	assert_int_equal(t->residual, WD_SEV_LOW);
	assert_int_equal(t->status, WD_TM_OPEN);
	assert_int_equal(t->review_by, -1);

	t = find(tm, "TM-SPOOF-01@n8n-w1-hook");
	assert_non_null(t);
	assert_string_equal(t->stride, "S");
	assert_int_equal(t->severity, WD_SEV_HIGH); /* it runs code */
	assert_non_null(strstr(t->scenario, "'Webhook Intake'"));
	assert_non_null(strstr(t->scenario, "'Orders'"));

	t = find(tm, "TM-DOS-01@n8n-w1-hook@n8n-w1-code");
	assert_non_null(t);
	assert_string_equal(t->stride, "D");
	/* sorted: severity first */
	assert_true(tm->threats[0].severity >= tm->threats[tm->nthreats - 1].severity);
	wd_tm_free(tm);
}

static void test_not_public(void **state)
{
	wd_tm *tm = webhook_code(0);
	(void)state;
	assert_int_equal(wd_tm_find_threats(tm, NULL, 0), WD_OK);
	assert_int_equal(tm->nthreats, 0);
	wd_tm_free(tm);
}

static void test_disabled_sink(void **state)
{
	wd_tm *tm = webhook_code(1);
	(void)state;
	tm->elements[2].flags |= WD_TME_DISABLED;
	assert_int_equal(wd_tm_find_threats(tm, NULL, 0), WD_OK);
	assert_int_equal(count_rule(tm, "TM-INJ-01"), 0);
	assert_non_null(find(tm, "TM-SPOOF-01@n8n-w1-hook"));
	assert_int_equal(find(tm, "TM-SPOOF-01@n8n-w1-hook")->severity, WD_SEV_MEDIUM);
	wd_tm_free(tm);
}

/* hook -> a -> b -> a (loop), b -> c -> b, c -> code: the search ends and finds code */
static void test_cycles_terminate(void **state)
{
	wd_tm *tm = tm_new("Loops");
	uint32_t net, hook, a, b, c, code;
	const wd_tm_threat *t;
	(void)state;

	net = el(tm, WD_TM_EXTERNAL, "internet", "Internet", WD_TME_INTERNET, 1);
	hook = el(tm, WD_TM_PROCESS, "hook", "Hook", WD_TME_ENTRY | WD_TME_PUBLIC, 0);
	a = el(tm, WD_TM_PROCESS, "a", "Split", 0, 0);
	b = el(tm, WD_TM_PROCESS, "b", "Merge", 0, 0);
	c = el(tm, WD_TM_PROCESS, "c", "Loop Over Items", 0, 0);
	code = el(tm, WD_TM_PROCESS, "code", "Eval", WD_TME_CODE, 0);
	flow(tm, net, hook, 0, WD_TMF_UNTRUSTED);
	flow(tm, hook, a, 0, 0);
	flow(tm, a, b, 0, 0);
	flow(tm, b, a, 0, 0);
	flow(tm, b, c, 0, 0);
	flow(tm, c, b, 0, 0);
	flow(tm, c, c, 0, 0);
	flow(tm, c, code, 0, 0);
	flow(tm, code, hook, 0, 0);
	assert_int_equal(wd_tm_find_threats(tm, NULL, 0), WD_OK);
	t = find(tm, "TM-INJ-01@hook@code");
	assert_non_null(t);
	assert_int_equal(t->npath, 6); /* internet hook a b c code */
	assert_string_equal(t->scenario, "Anyone who learns the URL of 'Hook' can make 'Eval' "
	                                 "execute their input through 'Split', 'Merge' and 'Loop "
	                                 "Over Items'.");
	wd_tm_free(tm);
}

/* A chain longer than the depth bound: the search stops, nothing past it is reported. */
static void test_depth_bound(void **state)
{
	wd_tm *tm = tm_new("Long");
	uint32_t prev, code, i;
	char *id;
	(void)state;

	prev = el(tm, WD_TM_PROCESS, "hook", "Hook", WD_TME_ENTRY | WD_TME_PUBLIC, 0);
	for (i = 0; i < 300; i++) {
		uint32_t cur;
		id = wd_arena_alloc(&tm->arena, 16);
		snprintf(id, 16, "p%03u", i);
		cur = el(tm, WD_TM_PROCESS, id, id, 0, 0);
		flow(tm, prev, cur, 0, 0);
		flow(tm, cur, prev, 0, 0);
		prev = cur;
		if (i == 100) {
			code = el(tm, WD_TM_PROCESS, "code-near", "Near", WD_TME_CODE, 0);
			flow(tm, cur, code, 0, 0);
		}
	}
	code = el(tm, WD_TM_PROCESS, "code-far", "Far", WD_TME_CODE, 0);
	flow(tm, prev, code, 0, 0);
	assert_int_equal(wd_tm_find_threats(tm, NULL, 0), WD_OK);
	assert_non_null(find(tm, "TM-INJ-01@hook@code-near"));
	assert_int_equal(find(tm, "TM-INJ-01@hook@code-near")->npath, 103);
	assert_null(find(tm, "TM-INJ-01@hook@code-far"));
	/* long paths are summarised in the scenario */
	assert_non_null(strstr(find(tm, "TM-INJ-01@hook@code-near")->scenario,
	                       "through 101 steps ('p000' ... 'p100')"));
	wd_tm_free(tm);
}

/* The same graph with elements and flows in reverse order: same ids, scenarios, paths. */
static void test_order_independent(void **state)
{
	const char *ids[] = {"internet", "hook", "x", "y", "code", "store", "svc"};
	wd_tm *t1 = tm_new("A"), *t2 = tm_new("A");
	uint32_t e1[7], e2[7];
	size_t i, j;
	(void)state;

	for (i = 0; i < 7; i++) {
		uint32_t kind = i == 0 || i == 6 ? WD_TM_EXTERNAL : i == 5 ? WD_TM_STORE : WD_TM_PROCESS;
		uint32_t fl = i == 0 ? WD_TME_INTERNET : i == 1 ? WD_TME_ENTRY | WD_TME_PUBLIC
		              : i == 4 ? WD_TME_CODE : i == 6 ? WD_TME_SERVICE : 0;
		e1[i] = el(t1, kind, ids[i], ids[i], fl, i == 6 ? 2 : 0);
	}
	for (j = 7; j-- > 0;) {
		uint32_t kind = j == 0 || j == 6 ? WD_TM_EXTERNAL : j == 5 ? WD_TM_STORE : WD_TM_PROCESS;
		uint32_t fl = j == 0 ? WD_TME_INTERNET : j == 1 ? WD_TME_ENTRY | WD_TME_PUBLIC
		              : j == 4 ? WD_TME_CODE : j == 6 ? WD_TME_SERVICE : 0;
		e2[j] = el(t2, kind, ids[j], ids[j], fl, j == 6 ? 2 : 0);
	}
	/* two equally short paths hook -> x|y -> code: the tie is broken by id */
	{
		static const int fl[][2] = {{0, 1}, {1, 2}, {1, 3}, {2, 4}, {3, 4}, {4, 5}, {3, 6}};
		for (i = 0; i < 7; i++)
			flow(t1, e1[fl[i][0]], e1[fl[i][1]], fl[i][0] == 3 ? 1u << WD_CLASS_PII : 0, 0);
		for (i = 7; i-- > 0;)
			flow(t2, e2[fl[i][0]], e2[fl[i][1]], fl[i][0] == 3 ? 1u << WD_CLASS_PII : 0, 0);
	}
	assert_int_equal(wd_tm_find_threats(t1, NULL, 0), WD_OK);
	assert_int_equal(wd_tm_find_threats(t2, NULL, 0), WD_OK);
	dump(t1);
	assert_true(t1->nthreats >= 4);
	assert_int_equal(t1->nthreats, t2->nthreats);
	for (i = 0; i < t1->nthreats; i++) {
		const wd_tm_threat *a = &t1->threats[i], *b = &t2->threats[i];
		assert_string_equal(a->id, b->id);
		assert_string_equal(a->scenario, b->scenario);
		assert_int_equal(a->npath, b->npath);
		for (j = 0; j < a->npath; j++)
			assert_string_equal(t1->elements[a->path[j]].id, t2->elements[b->path[j]].id);
	}
	assert_non_null(strstr(find(t1, "TM-INJ-01@hook@code")->scenario, "through 'x'"));
	/* re-running gives the same again */
	assert_int_equal(wd_tm_find_threats(t1, NULL, 0), WD_OK);
	assert_int_equal(t1->nthreats, t2->nthreats);
	for (i = 0; i < t1->nthreats; i++)
		assert_string_equal(t1->threats[i].id, t2->threats[i].id);
	wd_tm_free(t1);
	wd_tm_free(t2);
}

/* ---- flow and store rules ------------------------------------------------------------ */

static void test_disclosure(void **state)
{
	wd_tm *tm = tm_new("CRM sync");
	uint32_t p, crm, ai, aisvc, p2, api;
	const wd_tm_threat *t;
	wd_tm_flow *f;
	(void)state;

	p = el(tm, WD_TM_PROCESS, "p", "Send Lead", 0, 0);
	crm = el(tm, WD_TM_EXTERNAL, "svc-hubspot", "HubSpot", WD_TME_SERVICE, 2);
	ai = el(tm, WD_TM_PROCESS, "ai", "Summarise", WD_TME_AI, 0);
	aisvc = el(tm, WD_TM_EXTERNAL, "svc-openai", "OpenAI", WD_TME_SERVICE | WD_TME_AI, 2);
	p2 = el(tm, WD_TM_PROCESS, "p2", "Push Token", 0, 0);
	api = el(tm, WD_TM_EXTERNAL, "svc-api", "api.example.com", WD_TME_SERVICE, 2);
	f = flow(tm, p, crm, 1u << WD_CLASS_PII, WD_TMF_CROSSES);
	fields(tm, f, "email", "phone");
	flow(tm, ai, aisvc, (1u << WD_CLASS_PII) | (1u << WD_CLASS_HEALTH), WD_TMF_CROSSES);
	flow(tm, p2, api, 1u << WD_CLASS_SECRET, WD_TMF_CROSSES | WD_TMF_CLEARTEXT);
	/* no sensitive data: nothing */
	flow(tm, p, api, 1u << WD_CLASS_PUBLIC, WD_TMF_CROSSES);
	assert_int_equal(wd_tm_find_threats(tm, NULL, 0), WD_OK);
	dump(tm);

	t = find(tm, "TM-DISC-01@p@svc-hubspot");
	assert_non_null(t);
	assert_string_equal(t->linddun, "Data disclosure");
	assert_int_equal(t->severity, WD_SEV_MEDIUM);
	assert_string_equal(t->scenario, "'Send Lead' sends personal data ('email', 'phone') to "
	                                 "'HubSpot', outside the organisation.");
	assert_true(has_mitigation(t, "Send 'HubSpot' only the fields it needs (drop the rest "
	                              "before 'Send Lead')"));

	t = find(tm, "TM-DISC-05@ai@svc-openai");
	assert_non_null(t);
	assert_string_equal(t->linddun, "Unawareness");
	assert_non_null(strstr(t->scenario, "health data and personal data"));
	assert_null(find(tm, "TM-DISC-01@ai@svc-openai")); /* not twice */

	t = find(tm, "TM-DISC-01@p2@svc-api");
	assert_non_null(t);
	assert_null(t->linddun); /* a secret is not personal data */
	assert_int_equal(t->severity, WD_SEV_HIGH);
	t = find(tm, "TM-DISC-02@p2@svc-api");
	assert_non_null(t);
	assert_int_equal(t->severity, WD_SEV_HIGH);
	assert_null(find(tm, "TM-DISC-01@p@svc-api"));
	assert_int_equal(count_rule(tm, "TM-INJ-01"), 0);
	wd_tm_free(tm);
}

static void test_history_and_stores(void **state)
{
	wd_tm *tm = tm_new("Support bot");
	uint32_t net, chat, agent, hist, vec, db;
	const wd_tm_threat *t;
	(void)state;

	net = el(tm, WD_TM_EXTERNAL, "internet", "Internet", WD_TME_INTERNET, 1);
	chat = el(tm, WD_TM_PROCESS, "chat", "Chat", WD_TME_ENTRY | WD_TME_PUBLIC, 0);
	tm->elements[el(tm, WD_TM_EXTERNAL, "chat-user", "chat user", WD_TME_HUMAN, 1)].role =
		"chat user";
	flow(tm, (uint32_t)tm->nelements - 1, chat, 0, 0);
	agent = el(tm, WD_TM_PROCESS, "agent", "Agent", WD_TME_AI, 0);
	hist = el(tm, WD_TM_STORE, "history", "execution history", WD_TME_HISTORY, 0);
	vec = el(tm, WD_TM_STORE, "vec", "Knowledge", WD_TME_AI, 0);
	db = el(tm, WD_TM_STORE, "db", "Tickets", 0, 3);
	flow(tm, net, chat, 1u << WD_CLASS_PII, WD_TMF_UNTRUSTED);
	flow(tm, chat, agent, 1u << WD_CLASS_PII, 0);
	flow(tm, chat, hist, 1u << WD_CLASS_PII, 0);
	flow(tm, agent, vec, 1u << WD_CLASS_PII, 0);
	flow(tm, agent, db, 0, 0);
	flow(tm, agent, net, 1u << WD_CLASS_PII, 0); /* the answer */
	assert_int_equal(wd_tm_find_threats(tm, NULL, 0), WD_OK);
	dump(tm);

	t = find(tm, "TM-DISC-03@history");
	assert_non_null(t);
	assert_string_equal(t->linddun, "Non-compliance");
	assert_non_null(strstr(t->scenario, "'Support bot'"));
	t = find(tm, "TM-PRIV-02@vec");
	assert_non_null(t);
	assert_string_equal(t->linddun, "Linking");
	assert_true(strncmp(t->scenario, "Personal data", 13) == 0);
	t = find(tm, "TM-TAMP-01@chat@vec");
	assert_non_null(t);
	assert_int_equal(t->severity, WD_SEV_HIGH);
	assert_non_null(find(tm, "TM-TAMP-01@chat@db"));
	assert_int_equal(find(tm, "TM-TAMP-01@chat@db")->severity, WD_SEV_MEDIUM);
	assert_null(find(tm, "TM-TAMP-01@chat@history"));
	t = find(tm, "TM-INJ-04@chat@agent");
	assert_non_null(t);
	assert_string_equal(t->scenario, "Anyone who can chat with 'Chat' can write instructions "
	                                 "that 'Agent' follows.");
	assert_int_equal(t->residual, WD_SEV_MEDIUM);
	t = find(tm, "TM-DOS-01@chat@agent");
	assert_non_null(t);
	assert_int_equal(t->severity, WD_SEV_HIGH);
	t = find(tm, "TM-DISC-06@agent@internet");
	assert_non_null(t);
	assert_string_equal(t->scenario, "Anyone who calls 'Internet' gets personal data back from "
	                                 "'Agent'.");
	wd_tm_free(tm);
}

/* Hostile and huge names are kept raw (writers escape) but bounded. */
static void test_long_names(void **state)
{
	wd_tm *tm = webhook_code(1);
	char *big = malloc(5000);
	const wd_tm_threat *t;
	(void)state;
	memset(big, 'x', 4999);
	big[4999] = '\0';
	memcpy(big, "\xc3\xa9\xc3\xa9", 4);
	tm->elements[2].name = big;
	assert_int_equal(wd_tm_find_threats(tm, NULL, 0), WD_OK);
	t = find(tm, "TM-INJ-01@n8n-w1-hook@n8n-w1-code");
	assert_non_null(t);
	assert_true(strlen(t->scenario) < 400);
	assert_non_null(strstr(t->scenario, "xxx...'"));
	wd_tm_free(tm);
	free(big);
}

/* docs/threats.md lists every rule with its title. */
static void test_rules_documented(void **state)
{
	static const char *const rules[] = {
		"TM-SPOOF-01", "TM-INJ-01",  "TM-INJ-02",   "TM-INJ-03",   "TM-INJ-04",  "TM-INJ-05",
		"TM-SSRF-01",  "TM-TAMP-01", "TM-TAMP-02",  "TM-DISC-01",  "TM-DISC-02", "TM-DISC-03",
		"TM-DISC-04",  "TM-DISC-05", "TM-DISC-06",  "TM-REPUD-01", "TM-REPUD-02", "TM-DOS-01",
		"TM-EOP-01",   "TM-EOP-02",  "TM-PRIV-01",  "TM-PRIV-02"};
	char *doc = NULL, row[64];
	size_t n, i;
	(void)state;
	assert_int_equal(wd_read_file(WARDEN_SOURCE_DIR "/docs/threats.md", 1 << 20, &doc, &n, NULL),
	                 WD_OK);
	for (i = 0; i < sizeof(rules) / sizeof(*rules); i++) {
		snprintf(row, sizeof(row), "\n| %s | ", rules[i]);
		if (!strstr(doc, row))
			fail_msg("%s is not in docs/threats.md", rules[i]);
	}
	free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_injection_scenario),
		cmocka_unit_test(test_not_public),
		cmocka_unit_test(test_disabled_sink),
		cmocka_unit_test(test_cycles_terminate),
		cmocka_unit_test(test_depth_bound),
		cmocka_unit_test(test_order_independent),
		cmocka_unit_test(test_disclosure),
		cmocka_unit_test(test_history_and_stores),
		cmocka_unit_test(test_long_names),
		cmocka_unit_test(test_rules_documented),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
