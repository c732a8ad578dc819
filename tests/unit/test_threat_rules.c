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

/* n8n hands items on through a disabled node: the search passes through it (and
 * names it), but never reports it; on other platforms a disabled node stops data. */
static void test_disabled_step(void **state)
{
	wd_tm *tm = webhook_code(1);
	uint32_t off = el(tm, WD_TM_PROCESS, "off", "Moderate (old)", WD_TME_CODE | WD_TME_DISABLED, 0);
	const wd_tm_threat *t;
	(void)state;
	tm->flows[1].to = off; /* hook -> off -> code */
	flow(tm, off, 2, 0, 0);
	assert_int_equal(wd_tm_find_threats(tm, NULL, 0), WD_OK);
	t = find(tm, "TM-INJ-01@n8n-w1-hook@n8n-w1-code");
	assert_non_null(t);
	assert_non_null(strstr(t->scenario, "through 'Moderate (old)'"));
	assert_null(find(tm, "TM-INJ-01@n8n-w1-hook@off"));
	tm->platform = "node-red";
	assert_int_equal(wd_tm_find_threats(tm, NULL, 0), WD_OK);
	assert_null(find(tm, "TM-INJ-01@n8n-w1-hook@n8n-w1-code"));
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

/* A long chain with back edges: the search reaches its end (every element is
 * visited once), the stored path keeps its first and last 32 elements. */
static void test_long_chain(void **state)
{
	wd_tm *tm = tm_new("Long");
	uint32_t prev, code, hook, i;
	const wd_tm_threat *t;
	char *id;
	(void)state;

	prev = hook = el(tm, WD_TM_PROCESS, "hook", "Hook", WD_TME_ENTRY | WD_TME_PUBLIC, 0);
	for (i = 0; i < 300; i++) {
		uint32_t cur;
		id = wd_arena_alloc(&tm->arena, 16);
		snprintf(id, 16, "p%03u", i);
		cur = el(tm, WD_TM_PROCESS, id, id, 0, 0);
		flow(tm, prev, cur, 0, 0);
		flow(tm, cur, prev, 0, 0);
		flow(tm, cur, hook, 0, 0);
		prev = cur;
		if (i == 100) {
			code = el(tm, WD_TM_PROCESS, "code-near", "Near", WD_TME_CODE, 0);
			flow(tm, cur, code, 0, 0);
		}
	}
	code = el(tm, WD_TM_PROCESS, "code-far", "Far", WD_TME_CODE, 0);
	flow(tm, prev, code, 0, 0);
	assert_int_equal(wd_tm_find_threats(tm, NULL, 0), WD_OK);
	t = find(tm, "TM-INJ-01@hook@code-near");
	assert_non_null(t);
	assert_int_equal(t->npath, 64);
	assert_string_equal(tm->elements[t->path[0]].id, "hook");
	assert_string_equal(tm->elements[t->path[31]].id, "p030");
	assert_string_equal(tm->elements[t->path[32]].id, "p070");
	assert_string_equal(tm->elements[t->path[63]].id, "code-near");
	/* long paths are summarised in the scenario */
	assert_non_null(strstr(t->scenario, "through 101 steps ('p000' ... 'p100')"));
	t = find(tm, "TM-INJ-01@hook@code-far");
	assert_non_null(t);
	assert_int_equal(t->npath, 64);
	assert_non_null(strstr(t->scenario, "through 300 steps ('p000' ... 'p299')"));
	wd_tm_free(tm);
}

/* Many open entry points converging on one sink: at most 8 threats per rule and sink,
 * from the entry points first in id order. */
static void test_converging_entries(void **state)
{
	wd_tm *tm = tm_new("Fan");
	uint32_t hub, code, i;
	size_t n = 0;
	(void)state;

	hub = el(tm, WD_TM_PROCESS, "hub", "Hub", 0, 0);
	code = el(tm, WD_TM_PROCESS, "code", "Eval", WD_TME_CODE, 0);
	flow(tm, hub, code, 0, 0);
	for (i = 0; i < 50; i++) {
		char *id = wd_arena_alloc(&tm->arena, 16);
		uint32_t h;
		snprintf(id, 16, "hook-%02u", 49 - i);
		h = el(tm, WD_TM_PROCESS, id, id, WD_TME_ENTRY | WD_TME_PUBLIC, 0);
		flow(tm, h, hub, 0, 0);
	}
	assert_int_equal(wd_tm_find_threats(tm, NULL, 0), WD_OK);
	for (i = 0; i < tm->nthreats; i++)
		if (strcmp(tm->threats[i].rule, "TM-INJ-01") == 0)
			n++;
	assert_int_equal(n, 8);
	assert_non_null(find(tm, "TM-INJ-01@hook-00@code"));
	assert_non_null(find(tm, "TM-INJ-01@hook-07@code"));
	assert_null(find(tm, "TM-INJ-01@hook-08@code"));
	assert_int_equal(count_rule(tm, "TM-SPOOF-01"), 50); /* one per entry point */
	assert_int_equal(count_rule(tm, "TM-DOS-01"), 50);
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
	{
		/* the first sample of an order's fields is not personal: listed after */
		static const char *const many[] = {"order_id", "email", "sku", "phone", "qty"};
		static const uint8_t cls[] = {WD_CLASS_NONE, WD_CLASS_PII, WD_CLASS_NONE, WD_CLASS_PII,
		                              WD_CLASS_NONE};
		uint32_t shop = el(tm, WD_TM_EXTERNAL, "svc-shop", "Shopify", WD_TME_SERVICE, 2);
		wd_tm_flow *g = flow(tm, p, shop, 1u << WD_CLASS_PII, WD_TMF_CROSSES);
		g->fields = (const char **)many;
		g->nfields = 5;
		g->field_classes = cls;
	}
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

	t = find(tm, "TM-DISC-01@p@svc-shopify");
	assert_null(t);
	t = find(tm, "TM-DISC-01@p@svc-shop");
	assert_non_null(t);
	assert_string_equal(t->scenario, "'Send Lead' sends personal data ('email', 'phone', "
	                                 "'order_id', 2 more) to 'Shopify', outside the "
	                                 "organisation.");

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
	assert_string_equal(t->scenario, "Anyone who can chat with 'Chat' gets personal data back "
	                                 "from 'Agent'.");
	assert_int_equal(t->severity, WD_SEV_MEDIUM);
	assert_string_equal(t->linddun, "Data disclosure");
	assert_int_equal(t->npath, 3); /* chat -> agent -> internet */
	assert_string_equal(tm->elements[t->path[0]].id, "chat");
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

/* ---- exports imported and derived ---------------------------------------------------- */

#define WF(nodes, conns, settings)                                                         \
	"{\"name\":\"Orders\",\"id\":\"W1\",\"active\":true,\"nodes\":[" nodes                 \
	"],\"connections\":{" conns "},\"settings\":{" settings "}}"
#define ERRWF "\"errorWorkflow\":\"42\""
#define NODE(id, name, type, params)                                                         \
	"{\"id\":\"" id "\",\"name\":\"" name "\",\"type\":\"" type                              \
	"\",\"typeVersion\":1,\"position\":[0,0],\"parameters\":{" params "}}"
#define MAIN(from, to) "\"" from "\":{\"main\":[[{\"node\":\"" to "\",\"type\":\"main\",\"index\":0}]]}"
#define MAIN2(from, to1, to2)                                                                \
	"\"" from "\":{\"main\":[[{\"node\":\"" to1 "\",\"type\":\"main\",\"index\":0},"          \
	"{\"node\":\"" to2 "\",\"type\":\"main\",\"index\":0}]]}"
#define AI(from, type, to)                                                                   \
	"\"" from "\":{\"" type "\":[[{\"node\":\"" to "\",\"type\":\"" type "\",\"index\":0}]]}"

#define HOOK NODE("h", "Webhook Intake", "n8n-nodes-base.webhook", "\"path\":\"in\",\"httpMethod\":\"POST\"")
#define HOOK_AUTH                                                                            \
	NODE("h", "Webhook Intake", "n8n-nodes-base.webhook",                                  \
	     "\"path\":\"in\",\"authentication\":\"headerAuth\"")
#define SCHED NODE("s", "Every day", "n8n-nodes-base.scheduleTrigger", "")
#define CODE NODE("c", "Run Script", "n8n-nodes-base.code", "\"jsCode\":\"return $input.all();\"")
#define NR_TAB "{\"id\":\"t1\",\"type\":\"tab\",\"label\":\"API\"},"

/* Import an export from text and derive the model of its first app. */
static wd_tm *derive_json(const char *path, const char *json)
{
	wd_model *m = NULL;
	wd_tm *tm = NULL;
	wd_import_opts opts;
	wd_error err;
	char *copy = strdup(json);

	memset(&opts, 0, sizeof(opts));
	assert_non_null(copy);
	if (wd_import_buffer(&m, path, copy, strlen(json), &opts, NULL, &err) != WD_OK)
		fail_msg("import failed: %s (%u:%u)", err.message, err.line, err.column);
	assert_true(m->napps > 0);
	if (wd_tm_derive(&tm, m, 0, &err) != WD_OK)
		fail_msg("derive failed: %s", err.message);
	wd_model_free(m); /* the threat model is self-contained */
	return tm;
}

typedef struct tcase {
	const char *name;
	const char *path;
	const char *json;
	const char *rule;
	int count;               /* threats of this rule */
	int severity;            /* highest, -1 = don't check */
	const char *scenario;    /* a substring of one scenario of the rule, NULL = none */
} tcase;

static const tcase tcases[] = {
	/* TM-SPOOF-01 */
	{"open webhook", "a.json", WF(HOOK "," CODE, MAIN("Webhook Intake", "Run Script"), ERRWF),
	 "TM-SPOOF-01", 1, WD_SEV_HIGH, "Anyone who learns the URL of 'Webhook Intake' can start 'Orders'"},
	{"webhook with header auth", "a.json", WF(HOOK_AUTH "," CODE, MAIN("Webhook Intake", "Run Script"), ERRWF),
	 "TM-SPOOF-01", 0, -1, NULL},
	{"webhook with nothing behind it", "a.json", WF(HOOK, "", ERRWF), "TM-SPOOF-01", 1,
	 WD_SEV_MEDIUM, NULL},
	{"public chat", "a.json",
	 WF(NODE("t", "Chat", "@n8n/n8n-nodes-langchain.chatTrigger", "\"public\":true"), "", ERRWF),
	 "TM-SPOOF-01", 1, -1, "Anyone who can chat with 'Chat'"},
	{"form", "a.json",
	 WF(NODE("f", "Apply", "n8n-nodes-base.formTrigger", "\"formTitle\":\"Apply\""), "", ERRWF),
	 "TM-SPOOF-01", 1, -1, "Anyone who can open the form of 'Apply'"},
	{"schedule", "a.json", WF(SCHED "," CODE, MAIN("Every day", "Run Script"), ERRWF),
	 "TM-SPOOF-01", 0, -1, NULL},
	{"node-red http in: protected outside the export", "flows.json",
	 "[" NR_TAB "{\"id\":\"a\",\"type\":\"http in\",\"z\":\"t1\",\"name\":\"Intake\",\"url\":\"/x\","
	 "\"method\":\"post\",\"wires\":[[\"b\"]]},"
	 "{\"id\":\"b\",\"type\":\"function\",\"z\":\"t1\",\"name\":\"Transform\",\"func\":\"return msg;\",\"wires\":[[]]}]",
	 "TM-SPOOF-01", 1, WD_SEV_MEDIUM, "only settings outside it can protect it"},

	/* TM-INJ-01 */
	{"webhook -> code", "a.json", WF(HOOK "," CODE, MAIN("Webhook Intake", "Run Script"), ERRWF),
	 "TM-INJ-01", 1, WD_SEV_MEDIUM,
	 "Anyone who learns the URL of 'Webhook Intake' can make 'Run Script' execute their input."},
	{"webhook -> set -> code that evals", "a.json",
	 WF(HOOK "," NODE("x", "Parse Order", "n8n-nodes-base.set", "") ","
	    NODE("c", "Run Script", "n8n-nodes-base.code", "\"jsCode\":\"return eval($json.body.expr);\""),
	    MAIN("Webhook Intake", "Parse Order") "," MAIN("Parse Order", "Run Script"), ERRWF),
	 "TM-INJ-01", 1, WD_SEV_HIGH, "execute their input through 'Parse Order'; the code calls eval()"},
	{"authenticated webhook -> code", "a.json",
	 WF(HOOK_AUTH "," CODE, MAIN("Webhook Intake", "Run Script"), ERRWF), "TM-INJ-01", 0, -1, NULL},
	{"schedule -> code", "a.json", WF(SCHED "," CODE, MAIN("Every day", "Run Script"), ERRWF),
	 "TM-INJ-01", 0, -1, NULL},
	{"webhook -> disabled code", "a.json",
	 WF(HOOK ",{\"id\":\"c\",\"name\":\"Run Script\",\"type\":\"n8n-nodes-base.code\",\"typeVersion\":1,"
	    "\"position\":[0,0],\"disabled\":true,\"parameters\":{\"jsCode\":\"1\"}}",
	    MAIN("Webhook Intake", "Run Script"), ERRWF),
	 "TM-INJ-01", 0, -1, NULL},
	{"node-red http in -> function", "flows.json",
	 "[" NR_TAB "{\"id\":\"a\",\"type\":\"http in\",\"z\":\"t1\",\"name\":\"Intake\",\"url\":\"/x\","
	 "\"method\":\"post\",\"wires\":[[\"b\"]]},"
	 "{\"id\":\"b\",\"type\":\"function\",\"z\":\"t1\",\"name\":\"Transform\",\"func\":\"return msg;\",\"wires\":[[]]}]",
	 "TM-INJ-01", 1, WD_SEV_MEDIUM, "can make 'Transform' execute their input"},

	/* TM-INJ-02 */
	{"webhook -> command with input", "a.json",
	 WF(HOOK "," NODE("e", "Zip", "n8n-nodes-base.executeCommand",
	                  "\"command\":\"=zip /tmp/{{ $json.body.name }}\""),
	    MAIN("Webhook Intake", "Zip"), ERRWF),
	 "TM-INJ-02", 1, WD_SEV_CRITICAL, "can inject commands that 'Zip' runs on the platform host"},
	{"webhook -> fixed command", "a.json",
	 WF(HOOK "," NODE("e", "Zip", "n8n-nodes-base.executeCommand", "\"command\":\"uptime\""),
	    MAIN("Webhook Intake", "Zip"), ERRWF),
	 "TM-INJ-02", 0, -1, NULL},
	{"node-red exec appends payload", "flows.json",
	 "[" NR_TAB "{\"id\":\"a\",\"type\":\"http in\",\"z\":\"t1\",\"url\":\"/x\",\"method\":\"post\",\"wires\":[[\"b\"]]},"
	 "{\"id\":\"b\",\"type\":\"exec\",\"z\":\"t1\",\"name\":\"Print\",\"command\":\"lp\",\"addpay\":true,\"wires\":[[],[],[]]}]",
	 "TM-INJ-02", 1, WD_SEV_CRITICAL, NULL},

	/* TM-INJ-03 */
	{"SQL from public input", "a.json",
	 WF(HOOK "," NODE("q", "Query", "n8n-nodes-base.mySql",
	                  "\"operation\":\"executeQuery\",\"query\":\"=DELETE FROM t WHERE id = {{ $json.body.id }}\""),
	    MAIN("Webhook Intake", "Query"), ERRWF),
	 "TM-INJ-03", 1, WD_SEV_CRITICAL, "can change the SQL that 'Query' runs"},
	{"static SQL", "a.json",
	 WF(HOOK "," NODE("q", "Query", "n8n-nodes-base.postgres",
	                  "\"operation\":\"executeQuery\",\"query\":\"SELECT 1\""),
	    MAIN("Webhook Intake", "Query"), ERRWF),
	 "TM-INJ-03", 0, -1, NULL},
	{"SQL from data, scheduled", "a.json",
	 WF(SCHED "," NODE("q", "Query", "n8n-nodes-base.postgres",
	                   "\"operation\":\"executeQuery\",\"query\":\"=SELECT * FROM t WHERE id = '{{ $json.id }}'\""),
	    MAIN("Every day", "Query"), ERRWF),
	 "TM-INJ-03", 0, -1, NULL},

	/* TM-INJ-04 */
	{"public chat -> agent with code tool", "a.json",
	 WF(NODE("t", "Chat", "@n8n/n8n-nodes-langchain.chatTrigger", "\"public\":true") ","
	    NODE("a", "Support Agent", "@n8n/n8n-nodes-langchain.agent", "") ","
	    NODE("k", "Calc", "@n8n/n8n-nodes-langchain.toolCode", "\"jsCode\":\"return 1\""),
	    MAIN("Chat", "Support Agent") "," AI("Calc", "ai_tool", "Support Agent"), ERRWF),
	 "TM-INJ-04", 1, WD_SEV_HIGH,
	 "Anyone who can chat with 'Chat' can write instructions that 'Support Agent' follows, using its tools 'Calc'."},
	{"private chat -> agent", "a.json",
	 WF(NODE("t", "Chat", "@n8n/n8n-nodes-langchain.chatTrigger", "\"public\":false") ","
	    NODE("a", "Support Agent", "@n8n/n8n-nodes-langchain.agent", "") ","
	    NODE("k", "Calc", "@n8n/n8n-nodes-langchain.toolCode", "\"jsCode\":\"return 1\""),
	    MAIN("Chat", "Support Agent") "," AI("Calc", "ai_tool", "Support Agent"), ERRWF),
	 "TM-INJ-04", 0, -1, NULL},

	/* TM-INJ-05 */
	{"node-red file path from public input", "flows.json",
	 "[" NR_TAB "{\"id\":\"a\",\"type\":\"http in\",\"z\":\"t1\",\"url\":\"/x\",\"method\":\"post\",\"wires\":[[\"f\"]]},"
	 "{\"id\":\"f\",\"type\":\"file in\",\"z\":\"t1\",\"name\":\"Read\",\"filename\":\"path\",\"filenameType\":\"msg\",\"wires\":[[]]}]",
	 "TM-INJ-05", 1, WD_SEV_HIGH, "can make 'Read' read or write a file of their choice"},
	{"node-red fixed file path", "flows.json",
	 "[" NR_TAB "{\"id\":\"a\",\"type\":\"http in\",\"z\":\"t1\",\"url\":\"/x\",\"method\":\"post\",\"wires\":[[\"f\"]]},"
	 "{\"id\":\"f\",\"type\":\"file in\",\"z\":\"t1\",\"name\":\"Read\",\"filename\":\"/data/a.csv\",\"wires\":[[]]}]",
	 "TM-INJ-05", 0, -1, NULL},

	/* TM-SSRF-01 */
	{"URL from public input", "a.json",
	 WF(HOOK "," NODE("r", "Fetch", "n8n-nodes-base.httpRequest", "\"url\":\"={{ $json.body.url }}\""),
	    MAIN("Webhook Intake", "Fetch"), ERRWF),
	 "TM-SSRF-01", 1, WD_SEV_MEDIUM, "can make 'Fetch' send requests to a host of their choice"},
	{"fixed host, path from public input", "a.json",
	 WF(HOOK "," NODE("r", "Fetch", "n8n-nodes-base.httpRequest",
	                  "\"url\":\"=https://api.example.com/items/{{ $json.body.id }}\""),
	    MAIN("Webhook Intake", "Fetch"), ERRWF),
	 "TM-SSRF-01", 0, -1, NULL},

	/* TM-TAMP-01 */
	{"webhook -> sheet append", "a.json",
	 WF(HOOK "," NODE("g", "Store", "n8n-nodes-base.googleSheets", "\"operation\":\"append\""),
	    MAIN("Webhook Intake", "Store"), ERRWF),
	 "TM-TAMP-01", 1, WD_SEV_MEDIUM, "can write what they like into"},
	{"schedule -> sheet append", "a.json",
	 WF(SCHED "," NODE("g", "Store", "n8n-nodes-base.googleSheets", "\"operation\":\"append\""),
	    MAIN("Every day", "Store"), ERRWF),
	 "TM-TAMP-01", 0, -1, NULL},

	/* TM-TAMP-02 */
	{"n8n ignores certificates", "a.json",
	 WF(NODE("r", "Call", "n8n-nodes-base.httpRequest",
	         "\"url\":\"https://api.example.com\",\"options\":{\"allowUnauthorizedCerts\":true}"), "", ERRWF),
	 "TM-TAMP-02", 1, WD_SEV_HIGH, "Someone on the network path of 'Call' can read and change its traffic"},
	{"n8n verifies certificates", "a.json",
	 WF(NODE("r", "Call", "n8n-nodes-base.httpRequest",
	         "\"url\":\"https://api.example.com\",\"options\":{\"allowUnauthorizedCerts\":false}"), "", ERRWF),
	 "TM-TAMP-02", 0, -1, NULL},
	{"node-red tls-config without verification", "flows.json",
	 "[" NR_TAB "{\"id\":\"c\",\"type\":\"tls-config\",\"name\":\"lax tls\",\"verifyservercert\":false},"
	 "{\"id\":\"r\",\"type\":\"http request\",\"z\":\"t1\",\"name\":\"Call\",\"url\":\"https://x.example.com\",\"tls\":\"c\",\"wires\":[[]]}]",
	 "TM-TAMP-02", 1, WD_SEV_HIGH, "(through its TLS configuration 'lax tls')"},

	/* TM-DISC-01 / 05: personal data to services */
	{"personal data from a form to a spreadsheet", "a.json",
	 WF(NODE("f", "Apply", "n8n-nodes-base.formTrigger",
	         "\"authentication\":\"basicAuth\",\"formFields\":{\"values\":[{\"fieldLabel\":\"email\"}]}") ","
	    NODE("g", "Store", "n8n-nodes-base.googleSheets", "\"operation\":\"append\""),
	    MAIN("Apply", "Store"), ERRWF),
	 "TM-DISC-01", 1, WD_SEV_MEDIUM, "'Store' sends personal data"},
	{"no personal fields to a spreadsheet", "a.json",
	 WF(NODE("f", "Apply", "n8n-nodes-base.formTrigger",
	         "\"authentication\":\"basicAuth\",\"formFields\":{\"values\":[{\"fieldLabel\":\"colour\"}]}") ","
	    NODE("g", "Store", "n8n-nodes-base.googleSheets", "\"operation\":\"append\""),
	    MAIN("Apply", "Store"), ERRWF),
	 "TM-DISC-01", 0, -1, NULL},
	{"personal data to an AI model", "a.json",
	 WF(NODE("f", "Apply", "n8n-nodes-base.formTrigger",
	         "\"authentication\":\"basicAuth\",\"formFields\":{\"values\":[{\"fieldLabel\":\"email\"}]}") ","
	    NODE("o", "Summarise", "@n8n/n8n-nodes-langchain.openAi", "\"text\":\"={{ $json.email }}\""),
	    MAIN("Apply", "Summarise"), ERRWF),
	 "TM-DISC-05", 1, WD_SEV_HIGH, "'Summarise' hands personal data"},
	{"no personal data to an AI model", "a.json",
	 WF(NODE("f", "Apply", "n8n-nodes-base.formTrigger",
	         "\"authentication\":\"basicAuth\",\"formFields\":{\"values\":[{\"fieldLabel\":\"colour\"}]}") ","
	    NODE("o", "Summarise", "@n8n/n8n-nodes-langchain.openAi", "\"text\":\"={{ $json.colour }}\""),
	    MAIN("Apply", "Summarise"), ERRWF),
	 "TM-DISC-05", 0, -1, NULL},

	/* TM-DISC-02 */
	{"http to external host", "a.json",
	 WF(NODE("r", "Call", "n8n-nodes-base.httpRequest", "\"url\":\"http://api.example.com/v1\""), "", ERRWF),
	 "TM-DISC-02", 1, WD_SEV_MEDIUM, "between 'Call' and 'api.example.com'"},
	{"https to external host", "a.json",
	 WF(NODE("r", "Call", "n8n-nodes-base.httpRequest", "\"url\":\"https://api.example.com/v1\""), "", ERRWF),
	 "TM-DISC-02", 0, -1, NULL},
	{"http to private address", "a.json",
	 WF(NODE("r", "Call", "n8n-nodes-base.httpRequest", "\"url\":\"http://10.1.2.3:8080/v1\""), "", ERRWF),
	 "TM-DISC-02", 0, -1, NULL},

	/* TM-DISC-04 */
	{"bearer token in header", "a.json",
	 WF(NODE("r", "Call", "n8n-nodes-base.httpRequest",
	         "\"url\":\"https://api.example.com\",\"headerParameters\":{\"parameters\":[{\"name\":"
	         "\"Authorization\",\"value\":\"Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0\"}]}"), "", ERRWF),
	 "TM-DISC-04", 1, WD_SEV_HIGH, "Everyone who can open, export or copy 'Orders' has the"},
	{"token from environment", "a.json",
	 WF(NODE("r", "Call", "n8n-nodes-base.httpRequest",
	         "\"headerParameters\":{\"parameters\":[{\"name\":\"Authorization\",\"value\":"
	         "\"=Bearer {{ $env.API_TOKEN }}\"}]}"), "", ERRWF),
	 "TM-DISC-04", 0, -1, NULL},

	/* TM-REPUD-01 / 02 */
	{"webhook app saves no runs", "a.json",
	 WF(HOOK "," CODE, MAIN("Webhook Intake", "Run Script"),
	    ERRWF ",\"saveDataSuccessExecution\":\"none\",\"saveDataErrorExecution\":\"none\""),
	 "TM-REPUD-01", 1, WD_SEV_MEDIUM, "keeps no record of any run"},
	{"webhook app saves runs", "a.json", WF(HOOK "," CODE, MAIN("Webhook Intake", "Run Script"), ERRWF),
	 "TM-REPUD-01", 0, -1, NULL},
	{"scheduled app saves no runs", "a.json",
	 WF(SCHED "," CODE, MAIN("Every day", "Run Script"), ERRWF ",\"saveDataErrorExecution\":\"none\""),
	 "TM-REPUD-01", 0, -1, NULL},
	{"webhook app without error handling", "a.json",
	 WF(HOOK "," CODE, MAIN("Webhook Intake", "Run Script"), ""), "TM-REPUD-02", 1, WD_SEV_LOW,
	 "Requests to 'Webhook Intake' that make 'Orders' fail leave no alert"},
	{"webhook app with error workflow", "a.json",
	 WF(HOOK "," CODE, MAIN("Webhook Intake", "Run Script"), ERRWF), "TM-REPUD-02", 0, -1, NULL},

	/* TM-DOS-01 */
	{"public chat -> agent", "a.json",
	 WF(NODE("t", "Chat", "@n8n/n8n-nodes-langchain.chatTrigger", "\"public\":true") ","
	    NODE("a", "Support Agent", "@n8n/n8n-nodes-langchain.agent", ""),
	    MAIN("Chat", "Support Agent"), ERRWF),
	 "TM-DOS-01", 1, WD_SEV_HIGH, "spending AI usage on every call"},
	{"webhook -> set only", "a.json",
	 WF(HOOK "," NODE("x", "Parse Order", "n8n-nodes-base.set", ""),
	    MAIN("Webhook Intake", "Parse Order"), ERRWF),
	 "TM-DOS-01", 0, -1, NULL},

	/* TM-EOP-02 */
	{"community node", "a.json",
	 WF(NODE("x", "Docs", "n8n-nodes-document-generator.DocumentGenerator", ""), "", ERRWF),
	 "TM-EOP-02", 1, WD_SEV_LOW, "'Docs' runs code from the community package"},
	{"custom node", "a.json", WF(NODE("x", "Mine", "CUSTOM.myNode", ""), "", ERRWF), "TM-EOP-02", 1,
	 WD_SEV_MEDIUM, "a custom node installed outside any package registry"},
	{"core node", "a.json", WF(SCHED, "", ERRWF), "TM-EOP-02", 0, -1, NULL},

	/* TM-PRIV-01 */
	{"personal data to a host chosen at run time", "a.json",
	 WF(NODE("f", "Apply", "n8n-nodes-base.formTrigger",
	         "\"authentication\":\"basicAuth\",\"formFields\":{\"values\":[{\"fieldLabel\":\"email\"}]}") ","
	    NODE("r", "Forward", "n8n-nodes-base.httpRequest", "\"url\":\"={{ $json.target }}\",\"sendBody\":true,"
	         "\"bodyParameters\":{\"parameters\":[{\"name\":\"email\",\"value\":\"={{ $json.email }}\"}]}"),
	    MAIN("Apply", "Forward"), ERRWF),
	 "TM-PRIV-01", 1, WD_SEV_MEDIUM, "to a host chosen at run time"},
	{"personal data to a fixed host", "a.json",
	 WF(NODE("f", "Apply", "n8n-nodes-base.formTrigger",
	         "\"authentication\":\"basicAuth\",\"formFields\":{\"values\":[{\"fieldLabel\":\"email\"}]}") ","
	    NODE("r", "Forward", "n8n-nodes-base.httpRequest", "\"url\":\"https://crm.example.com/leads\",\"sendBody\":true,"
	         "\"bodyParameters\":{\"parameters\":[{\"name\":\"email\",\"value\":\"={{ $json.email }}\"}]}"),
	    MAIN("Apply", "Forward"), ERRWF),
	 "TM-PRIV-01", 0, -1, NULL},
};

static void test_rule_cases(void **state)
{
	size_t i, j, failures = 0;
	(void)state;

	for (i = 0; i < sizeof(tcases) / sizeof(*tcases); i++) {
		const tcase *c = &tcases[i];
		wd_tm *tm = derive_json(c->path, c->json);
		int n = 0, top = -1, seen = c->scenario == NULL;
		for (j = 0; j < tm->nthreats; j++) {
			const wd_tm_threat *t = &tm->threats[j];
			if (strcmp(t->rule, c->rule) != 0)
				continue;
			n++;
			if ((int)t->severity > top)
				top = (int)t->severity;
			if (c->scenario && strstr(t->scenario, c->scenario))
				seen = 1;
		}
		if (n != c->count || (c->severity >= 0 && top != c->severity) || !seen) {
			print_error("case '%s': %s expected %d at %s%s%s, got %d at %s\n", c->name, c->rule,
			            c->count, c->severity >= 0 ? wd_severity_name(c->severity) : "-",
			            c->scenario ? " with " : "", c->scenario ? c->scenario : "", n,
			            top >= 0 ? wd_severity_name(top) : "-");
			for (j = 0; j < tm->nthreats; j++)
				print_error("    %s [%s] %s\n", tm->threats[j].id,
				            wd_severity_name(tm->threats[j].severity), tm->threats[j].scenario);
			failures++;
		}
		wd_tm_free(tm);
	}
	assert_int_equal(failures, 0);
}

/* Every rule has a positive and a negative case (above or in the hand-built tests). */
static void test_every_rule_has_cases(void **state)
{
	static const char *const hand_only[] = {"TM-DISC-03", "TM-DISC-06", "TM-PRIV-02",
	                                        "TM-EOP-01"};
	static const char *const rules[] = {
		"TM-SPOOF-01", "TM-INJ-01",  "TM-INJ-02",   "TM-INJ-03",   "TM-INJ-04",  "TM-INJ-05",
		"TM-SSRF-01",  "TM-TAMP-01", "TM-TAMP-02",  "TM-DISC-01",  "TM-DISC-02", "TM-DISC-04",
		"TM-DISC-05",  "TM-REPUD-01", "TM-REPUD-02", "TM-DOS-01",  "TM-EOP-02",  "TM-PRIV-01"};
	size_t i, j;
	(void)state;
	(void)hand_only;
	for (i = 0; i < sizeof(rules) / sizeof(*rules); i++) {
		int pos = 0, neg = 0;
		for (j = 0; j < sizeof(tcases) / sizeof(*tcases); j++) {
			if (strcmp(tcases[j].rule, rules[i]) != 0)
				continue;
			if (tcases[j].count)
				pos = 1;
			else
				neg = 1;
		}
		if (!pos || !neg)
			fail_msg("%s lacks a %s case", rules[i], pos ? "negative" : "positive");
	}
}

/* Ids do not depend on the order of nodes and connections in the export. */
static void test_ids_stable_across_reordering(void **state)
{
	const char *a = WF(HOOK "," NODE("x", "Parse Order", "n8n-nodes-base.set", "") "," CODE ","
	                   NODE("g", "Store", "n8n-nodes-base.googleSheets", "\"operation\":\"append\""),
	                   MAIN("Webhook Intake", "Parse Order") ","
	                   MAIN2("Parse Order", "Run Script", "Store"), ERRWF);
	const char *b = WF(NODE("g", "Store", "n8n-nodes-base.googleSheets", "\"operation\":\"append\"")
	                   "," CODE "," NODE("x", "Parse Order", "n8n-nodes-base.set", "") "," HOOK,
	                   MAIN2("Parse Order", "Store", "Run Script") ","
	                   MAIN("Webhook Intake", "Parse Order"), ERRWF);
	wd_tm *t1 = derive_json("a.json", a), *t2 = derive_json("a.json", b), *t3;
	size_t i;
	(void)state;

	assert_true(t1->nthreats >= 4);
	assert_int_equal(t1->nthreats, t2->nthreats);
	for (i = 0; i < t1->nthreats; i++) {
		assert_string_equal(t1->threats[i].id, t2->threats[i].id);
		assert_string_equal(t1->threats[i].scenario, t2->threats[i].scenario);
		assert_int_equal(t1->threats[i].npath, t2->threats[i].npath);
	}
	/* and across runs */
	t3 = derive_json("a.json", a);
	for (i = 0; i < t1->nthreats; i++)
		assert_string_equal(t1->threats[i].id, t3->threats[i].id);
	assert_int_equal(wd_tm_differs(t1, t2), 0);
	wd_tm_free(t1);
	wd_tm_free(t2);
	wd_tm_free(t3);
}

/* A loop in the workflow (Split In Batches back edge) ends and is followed once. */
static void test_loop_in_export(void **state)
{
	const char *wf =
		WF(HOOK "," NODE("l", "Loop", "n8n-nodes-base.splitInBatches", "") ","
		   NODE("x", "Parse Order", "n8n-nodes-base.set", "") "," CODE,
		   MAIN("Webhook Intake", "Loop") "," MAIN2("Loop", "Parse Order", "Run Script") ","
		   MAIN("Parse Order", "Loop") "," MAIN("Run Script", "Webhook Intake"),
		   ERRWF);
	wd_tm *tm = derive_json("a.json", wf);
	size_t i, n = 0;
	(void)state;
	for (i = 0; i < tm->nthreats; i++)
		if (strcmp(tm->threats[i].rule, "TM-INJ-01") == 0) {
			n++;
			assert_non_null(strstr(tm->threats[i].scenario, "through 'Loop'"));
		}
	assert_int_equal(n, 1);
	wd_tm_free(tm);
}

/* A Power Automate flow started by people, acting with the maker's connection. */
static void test_embedded_connection(void **state)
{
	int pass;
	(void)state;
	for (pass = 0; pass < 3; pass++) {
		wd_model *m = NULL;
		wd_app a;
		wd_component c;
		wd_credential cr;
		wd_edge e;
		uint32_t trig, act, ci;
		wd_tm *tm = NULL;
		wd_error err;
		size_t i, n = 0;

		assert_int_equal(wd_model_new(&m, "flow.json", NULL), WD_OK);
		m->platform = WD_PLATFORM_POWER_AUTOMATE;
		wd_app_init(&a, WD_PLATFORM_POWER_AUTOMATE);
		a.name = wd_str_c("Expense approval");
		a.id = wd_str_c("A1");
		memset(a.hash, '0', 64);
		assert_int_equal(wd_model_add_app(m, &a, NULL), WD_OK);
		wd_component_init(m, &c);
		c.id = c.name = wd_str_c("manual");
		c.type = wd_str_c("Request");
		c.kind = WD_KIND_TRIGGER;
		c.flags = pass == 2 ? 0 : WD_COMP_INVOKED;
		c.auth = WD_AUTH_PLATFORM;
		assert_int_equal(wd_model_add_component(m, &c, &trig), WD_OK);
		wd_component_init(m, &c);
		c.id = c.name = wd_str_c("Send mail");
		c.type = wd_str_c("shared_office365.SendEmailV2");
		c.kind = WD_KIND_ACTION;
		assert_int_equal(wd_model_add_component(m, &c, &act), WD_OK);
		memset(&e, 0, sizeof(e));
		e.from = trig;
		e.to = act;
		e.kind = WD_EDGE_FLOW;
		e.loc = WD_LOC_NONE;
		assert_int_equal(wd_model_add_edge(m, &e), WD_OK);
		memset(&cr, 0, sizeof(cr));
		cr.id = wd_str_c("shared_office365");
		cr.type = wd_str_c("office365");
		cr.flags = pass == 1 ? WD_CREDF_INVOKER : WD_CREDF_EMBEDDED;
		cr.comp = act;
		cr.loc = WD_LOC_NONE;
		assert_int_equal(wd_model_add_credential(m, &cr, &ci), WD_OK);
		assert_int_equal(wd_model_add_cred_use(m, act, ci), WD_OK);
		assert_int_equal(wd_model_finish(m), WD_OK);
		if (wd_tm_derive(&tm, m, 0, &err) != WD_OK)
			fail_msg("derive: %s", err.message);
		wd_model_free(m);
		for (i = 0; i < tm->nthreats; i++)
			if (strcmp(tm->threats[i].rule, "TM-EOP-01") == 0) {
				n++;
				assert_string_equal(tm->threats[i].scenario,
				                    "Whoever starts 'manual' makes 'Send mail' act with the "
				                    "maker's own connection (office365), with rights the "
				                    "invoker may not have.");
				assert_string_equal(tm->threats[i].stride, "E");
			}
		assert_int_equal(n, pass == 0 ? 1 : 0);
		wd_tm_free(tm);
	}
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
		cmocka_unit_test(test_disabled_step),
		cmocka_unit_test(test_cycles_terminate),
		cmocka_unit_test(test_long_chain),
		cmocka_unit_test(test_converging_entries),
		cmocka_unit_test(test_order_independent),
		cmocka_unit_test(test_disclosure),
		cmocka_unit_test(test_history_and_stores),
		cmocka_unit_test(test_long_names),
		cmocka_unit_test(test_rules_documented),
		cmocka_unit_test(test_rule_cases),
		cmocka_unit_test(test_every_rule_has_cases),
		cmocka_unit_test(test_ids_stable_across_reordering),
		cmocka_unit_test(test_loop_in_export),
		cmocka_unit_test(test_embedded_connection),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
