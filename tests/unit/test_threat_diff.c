/*
 * test_threat_diff.c - diffs between two derived models (threat/diff.c).
 *
 * The required case first: a real export from the corpus, edited as text to
 * add a public webhook feeding a code node, then to protect the webhook and
 * to swap a service; each version imported and derived, and the diffs
 * checked. Then hand-built versions of one app check every section
 * (components, flows, entry points, services, boundaries, threats), both
 * formats, NULL sides and hostile names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "warden/escape.h"
#include "warden/import.h"
#include "warden/json.h"
#include "warden/threat.h"

/* ---- hand-built versions ------------------------------------------------------------- */

#define CAP 64

typedef struct spec {
	int webhook;        /* public webhook -> 'Run Script' (code) */
	int webhook_auth;   /* the webhook needs a credential */
	int slack;          /* 'Notify' -> Slack service */
	int stripe;         /* 'Charge' -> Stripe with PII */
	int rename_fetch;   /* 'Fetch' renamed */
	int email_field;    /* the Fetch -> Notify flow carries 'email' */
	const char *status; /* annotation status of the spoofing threat, NULL none */
} spec;

static uint32_t el(wd_tm *tm, wd_tm_kind kind, const char *id, const char *name, const char *type,
                   uint32_t flags, uint32_t b)
{
	wd_tm_element *e = &tm->elements[tm->nelements];
	e->kind = kind;
	e->id = id;
	e->name = name;
	e->type = type;
	e->role = "";
	e->comp = WD_NONE;
	e->comp_id = "";
	e->flags = flags;
	e->boundary = b;
	return (uint32_t)tm->nelements++;
}

static wd_tm_flow *fl(wd_tm *tm, uint32_t from, uint32_t to, uint32_t classes, uint32_t flags)
{
	wd_tm_flow *f = &tm->flows[tm->nflows++];
	char id[128];
	snprintf(id, sizeof(id), "%s--%s", tm->elements[from].id, tm->elements[to].id);
	f->id = wd_arena_strndup(&tm->arena, id, strlen(id));
	f->from = from;
	f->to = to;
	f->label = "";
	f->classes = classes;
	f->flags = flags | (classes & ((1u << WD_CLASS_PII) | (1u << WD_CLASS_SECRET))
	                        ? WD_TMF_SENSITIVE
	                        : 0);
	return f;
}

static wd_tm *build(const char *file, spec s)
{
	wd_tm *tm = calloc(1, sizeof(*tm));
	uint32_t sched, fetch, notify;
	wd_tm_flow *f;
	assert_non_null(tm);
	wd_arena_init(&tm->arena, 4096);
	tm->platform = "n8n";
	tm->app_id = "W1";
	tm->app_name = "Orders";
	tm->file = file;
	tm->hash = "0123456789abcdef0123";
	tm->elements = wd_arena_zalloc(&tm->arena, CAP * sizeof(*tm->elements));
	tm->flows = wd_arena_zalloc(&tm->arena, CAP * sizeof(*tm->flows));
	tm->boundaries = wd_arena_zalloc(&tm->arena, 4 * sizeof(*tm->boundaries));
	tm->boundaries[tm->nboundaries++] = (wd_tm_boundary){"platform", WD_ZONE_PLATFORM, "n8n"};
	tm->boundaries[tm->nboundaries++] = (wd_tm_boundary){"internet", WD_ZONE_PUBLIC, "internet"};
	if (s.slack)
		tm->boundaries[tm->nboundaries++] = (wd_tm_boundary){"svc-slack", WD_ZONE_EXTERNAL,
		                                                     "Slack"};
	if (s.stripe)
		tm->boundaries[tm->nboundaries++] = (wd_tm_boundary){"svc-stripe", WD_ZONE_EXTERNAL,
		                                                     "Stripe"};

	sched = el(tm, WD_TM_PROCESS, "n8n-w1-sched", "Every day", "n8n-nodes-base.scheduleTrigger",
	           WD_TME_ENTRY, 0);
	fetch = el(tm, WD_TM_PROCESS, "n8n-w1-fetch", s.rename_fetch ? "Fetch Orders" : "Fetch",
	           "n8n-nodes-base.httpRequest", 0, 0);
	notify = el(tm, WD_TM_PROCESS, "n8n-w1-notify", "Notify", "n8n-nodes-base.slack", 0, 0);
	fl(tm, sched, fetch, 0, 0);
	f = fl(tm, fetch, notify, s.email_field ? 1u << WD_CLASS_PII : 0, 0);
	if (s.email_field) {
		f->fields = wd_arena_alloc(&tm->arena, 2 * sizeof(char *));
		f->fields[0] = "order_id";
		f->fields[1] = "email";
		f->nfields = 2;
	}
	if (s.slack) {
		uint32_t svc = el(tm, WD_TM_EXTERNAL, "svc-slack", "Slack", "Slack", WD_TME_SERVICE, 2);
		fl(tm, notify, svc, s.email_field ? 1u << WD_CLASS_PII : 0, WD_TMF_CROSSES);
	}
	if (s.stripe) {
		uint32_t charge = el(tm, WD_TM_PROCESS, "n8n-w1-charge", "Charge",
		                     "n8n-nodes-base.stripe", 0, 0);
		uint32_t svc = el(tm, WD_TM_EXTERNAL, "svc-stripe", "Stripe", "Stripe", WD_TME_SERVICE,
		                  (uint32_t)tm->nboundaries - 1);
		fl(tm, fetch, charge, 1u << WD_CLASS_PII, 0);
		fl(tm, charge, svc, 1u << WD_CLASS_PII, WD_TMF_CROSSES);
	}
	if (s.webhook) {
		uint32_t net = el(tm, WD_TM_EXTERNAL, "internet", "Internet", "", WD_TME_INTERNET, 1);
		uint32_t hook = el(tm, WD_TM_PROCESS, "n8n-w1-hook", "Webhook Intake",
		                   "n8n-nodes-base.webhook",
		                   WD_TME_ENTRY | (s.webhook_auth ? 0 : WD_TME_PUBLIC), 0);
		uint32_t code = el(tm, WD_TM_PROCESS, "n8n-w1-code", "Run Script",
		                   "n8n-nodes-base.code", WD_TME_CODE, 0);
		fl(tm, net, hook, 0, WD_TMF_CROSSES | (s.webhook_auth ? 0 : WD_TMF_UNTRUSTED));
		fl(tm, hook, code, 0, s.webhook_auth ? 0 : WD_TMF_UNTRUSTED);
	}
	assert_int_equal(wd_tm_find_threats(tm, NULL, 0), WD_OK);
	if (s.status) {
		size_t i;
		for (i = 0; i < tm->nthreats; i++)
			if (strcmp(tm->threats[i].id, "TM-SPOOF-01@n8n-w1-hook") == 0)
				tm->threats[i].status = (wd_tm_status)wd_tm_status_parse(s.status);
	}
	return tm;
}

/* s escaped for Markdown (the expected text does not depend on how escape.c
 * escapes); a small ring of buffers so a few can be used in one expression. */
static const char *E(const char *s)
{
	static char ring[8][512];
	static int k;
	wd_buf b;
	char *r = ring[k++ & 7];
	wd_buf_init(&b, 1 << 16);
	wd_escape_md(&b, s, strlen(s));
	snprintf(r, 512, "%s", wd_buf_cstr(&b));
	wd_buf_release(&b);
	return r;
}

/* md contains the concatenation of the given pieces. */
static int has(const char *md, const char *a, const char *b, const char *c, const char *d)
{
	char want[2048];
	snprintf(want, sizeof(want), "%s%s%s%s", a, b ? b : "", c ? c : "", d ? d : "");
	if (!strstr(md, want)) {
		print_message("not found: %s\n", want);
		return 0;
	}
	return 1;
}

static char *md_of(const wd_tm *a, const wd_tm *b)
{
	wd_buf out;
	char *s;
	wd_buf_init(&out, 1 << 20);
	wd_tm_diff_md(a, b, &out);
	assert_false(wd_buf_failed(&out));
	s = strdup(wd_buf_cstr(&out));
	wd_buf_release(&out);
	return s;
}

/* The diff as JSON, parsed (it must be valid); the caller frees both. */
static wd_json_doc *json_of(const wd_tm *a, const wd_tm *b, char **text)
{
	wd_buf out;
	wd_json_doc *doc = NULL;
	wd_error err;
	wd_buf_init(&out, 1 << 20);
	wd_tm_diff_json(a, b, &out);
	assert_false(wd_buf_failed(&out));
	*text = strdup(wd_buf_cstr(&out));
	wd_buf_release(&out);
	if (wd_json_parse(&doc, *text, strlen(*text), NULL, &err) != WD_OK)
		fail_msg("invalid JSON at %u:%u: %s\n%s", err.line, err.column, err.message, *text);
	return doc;
}

/* Number of items in counts/<sec>/<kind> and in <sec>/<kind>, checked to agree. */
static int64_t jcount(wd_json_doc *doc, const char *sec, const char *kind)
{
	const wd_json_val *root = wd_json_root(doc);
	const wd_json_val *c = wd_json_get(doc, wd_json_get(doc, wd_json_get(doc, root, "counts"),
	                                                    sec),
	                                   kind);
	const wd_json_val *list = wd_json_get(doc, wd_json_get(doc, root, sec), kind);
	int64_t n = -1;
	assert_non_null(c);
	assert_non_null(list);
	assert_int_equal(wd_json_int(doc, c, &n), WD_OK);
	assert_true(wd_json_is_arr(list));
	assert_int_equal((size_t)n, wd_json_size(list));
	return n;
}

/* The string member key of item i of <sec>/<kind>. */
static int jlist_has(wd_json_doc *doc, const char *sec, const char *kind, const char *key,
                     const char *value)
{
	const wd_json_val *list =
		wd_json_get(doc, wd_json_get(doc, wd_json_root(doc), sec), kind);
	size_t i;
	for (i = 0; list && i < wd_json_size(list); i++) {
		wd_str s = wd_json_get_str(doc, wd_json_at(list, i), key);
		if (wd_str_eq_c(s, value))
			return 1;
	}
	return 0;
}

/* ---- editing a real export ------------------------------------------------------------ */

/* An n8n export with a schedule, two internal HTTP calls and Nextcloud, no entry point. */
#define BASE_EXPORT WARDEN_CORPUS_DIR "/n8n/zie619/workflows/Http/1419_HTTP_Schedule_Automation_Scheduled.json"

#define HOOK_NODES                                                                           \
	"\n    {\"id\": \"5b0c6a52-0d3e-4c1e-9a61-3f0f3b2e7c11\", \"name\": \"Webhook Intake\","    \
	" \"type\": \"n8n-nodes-base.webhook\", \"typeVersion\": 2, \"position\": [-280, 200],"   \
	" \"parameters\": {\"path\": \"scan-intake\", \"httpMethod\": \"POST\"%s}},\n"            \
	"    {\"id\": \"0e7d5c1b-7f43-4b8e-8f7e-2d1c9a4b6e22\", \"name\": \"Run Script\","        \
	" \"type\": \"n8n-nodes-base.code\", \"typeVersion\": 2, \"position\": [-80, 200],"       \
	" \"parameters\": {\"jsCode\": \"return [{json: {file: $json.body.file}}];\"}},"
#define HOOK_CONN                                                                            \
	"\n    \"Webhook Intake\": {\"main\": [[{\"node\": \"Run Script\", \"type\": \"main\","  \
	" \"index\": 0}]]},"

/* text with insertion placed right after the first occurrence of anchor */
static char *insert_after(const char *text, const char *anchor, const char *insertion)
{
	const char *at = strstr(text, anchor);
	size_t head, n = strlen(text), k = strlen(insertion);
	char *out;
	assert_non_null(at);
	head = (size_t)(at - text) + strlen(anchor);
	out = malloc(n + k + 1);
	assert_non_null(out);
	memcpy(out, text, head);
	memcpy(out + head, insertion, k);
	memcpy(out + head + k, text + head, n - head + 1);
	return out;
}

static char *replace_all(const char *text, const char *from, const char *to)
{
	wd_buf b;
	const char *p = text, *q;
	char *out;
	wd_buf_init(&b, 1 << 24);
	while ((q = strstr(p, from))) {
		wd_buf_put(&b, p, (size_t)(q - p));
		wd_buf_puts(&b, to);
		p = q + strlen(from);
	}
	wd_buf_puts(&b, p);
	out = strdup(wd_buf_cstr(&b));
	wd_buf_release(&b);
	return out;
}

/* v2: the base with a public (or authenticated) webhook feeding a code node */
static char *with_webhook(const char *base, int authenticated)
{
	char nodes[2048];
	char *a, *b;
	snprintf(nodes, sizeof(nodes), HOOK_NODES,
	         authenticated ? ", \"authentication\": \"headerAuth\"" : "");
	a = insert_after(base, "\"nodes\": [", nodes);
	b = insert_after(a, "\"connections\": {", HOOK_CONN);
	free(a);
	return b;
}

static wd_tm *derive_text(const char *text)
{
	wd_model *m = NULL;
	wd_tm *tm = NULL;
	wd_import_opts opts;
	wd_error err;
	char *copy = strdup(text);
	memset(&opts, 0, sizeof(opts));
	assert_non_null(copy);
	if (wd_import_buffer(&m, "workflow.json", copy, strlen(copy), &opts, NULL, &err) != WD_OK)
		fail_msg("import: %s (%u:%u)", err.message, err.line, err.column);
	if (wd_tm_derive(&tm, m, 0, &err) != WD_OK)
		fail_msg("derive: %s", err.message);
	wd_model_free(m);
	return tm;
}

/* Item of <sec>/<kind> whose string member key holds value, NULL if none. */
static const wd_json_val *jfind(wd_json_doc *doc, const char *sec, const char *kind,
                                const char *key, const char *value)
{
	const wd_json_val *list =
		wd_json_get(doc, wd_json_get(doc, wd_json_root(doc), sec), kind);
	size_t i;
	for (i = 0; list && i < wd_json_size(list); i++) {
		const wd_json_val *it = wd_json_at(list, i);
		wd_str s = wd_json_get_str(doc, it, key);
		if (wd_str_eq_c(s, value))
			return it;
	}
	return NULL;
}

static void test_edited_export(void **state)
{
	char *base = NULL, *v2, *v3, *v4, *md, *text;
	size_t n;
	wd_tm *t1, *t1b, *t2, *t3, *t4;
	wd_json_doc *doc;
	const wd_json_val *inj, *flow;
	(void)state;

	assert_int_equal(wd_read_file(BASE_EXPORT, 1 << 24, &base, &n, NULL), WD_OK);
	v2 = with_webhook(base, 0);
	v3 = with_webhook(base, 1);
	v4 = replace_all(base, "\"n8n-nodes-base.nextCloud\"", "\"n8n-nodes-base.dropbox\"");
	t1 = derive_text(base);
	t1b = derive_text(base);
	t2 = derive_text(v2);
	t3 = derive_text(v3);
	t4 = derive_text(v4);

	/* the same file twice: nothing */
	assert_int_equal(wd_tm_differs(t1, t1b), 0);
	md = md_of(t1, t1b);
	assert_non_null(strstr(md, "No differences."));
	free(md);
	doc = json_of(t1, t1b, &text);
	assert_true(wd_str_eq_c(wd_json_get_str(doc, wd_json_root(doc), "status"), "unchanged"));
	wd_json_free(doc);
	free(text);

	/* the public webhook feeding a code node */
	assert_int_equal(wd_tm_differs(t1, t2), 1);
	doc = json_of(t1, t2, &text);
	assert_non_null(jfind(doc, "components", "added", "name", "Webhook Intake"));
	assert_non_null(jfind(doc, "components", "added", "name", "Run Script"));
	assert_int_equal(jcount(doc, "components", "removed"), 0);
	flow = jfind(doc, "flows", "added", "from_name", "Webhook Intake");
	assert_non_null(flow);
	assert_true(wd_str_eq_c(wd_json_get_str(doc, flow, "to_name"), "Run Script"));
	assert_int_equal(jcount(doc, "flows", "removed"), 0);
	assert_non_null(jfind(doc, "entry_points", "added", "name", "Webhook Intake"));
	assert_int_equal(jcount(doc, "entry_points", "added"), 1);
	inj = jfind(doc, "threats", "added", "rule", "TM-INJ-01");
	assert_non_null(inj);
	assert_true(wd_str_eq_c(wd_json_get_str(doc, inj, "scenario"),
	                        "Anyone who learns the URL of 'Webhook Intake' can make 'Run Script' "
	                        "execute their input."));
	assert_non_null(jfind(doc, "threats", "added", "rule", "TM-SPOOF-01"));
	assert_int_equal(jcount(doc, "threats", "removed"), 0);
	wd_json_free(doc);
	free(text);
	md = md_of(t1, t2);
	assert_non_null(strstr(md, "Public input executed as code"));
	assert_non_null(strstr(md, "| new | 'Webhook Intake' | public, no credential"));
	assert_non_null(strstr(md, "| new | 'Webhook Intake' → 'Run Script' |"));
	free(md);

	/* the webhook gets authentication: the injection is fixed, the entry point changed */
	doc = json_of(t2, t3, &text);
	assert_non_null(jfind(doc, "threats", "removed", "rule", "TM-INJ-01"));
	assert_non_null(jfind(doc, "threats", "removed", "rule", "TM-SPOOF-01"));
	assert_int_equal(jcount(doc, "threats", "added"), 0);
	assert_non_null(jfind(doc, "entry_points", "changed", "name", "Webhook Intake"));
	assert_non_null(strstr(text, "{\"field\":\"public\",\"old\":true,\"new\":false}"));
	wd_json_free(doc);
	free(text);
	md = md_of(t2, t3);
	assert_non_null(strstr(md, "### Fixed threats"));
	free(md);

	/* Nextcloud replaced by Dropbox: one file store removed, one added, the node changed */
	doc = json_of(t1, t4, &text);
	assert_int_equal(jcount(doc, "services", "removed"), 1);
	assert_int_equal(jcount(doc, "services", "added"), 1);
	assert_non_null(jfind(doc, "services", "removed", "name", "Nextcloud"));
	assert_non_null(jfind(doc, "services", "added", "name", "Dropbox"));
	assert_non_null(jfind(doc, "components", "changed", "name", "Nextcloud"));
	assert_non_null(strstr(text, "{\"field\":\"type\",\"old\":\"n8n-nodes-base.nextCloud\","
	                             "\"new\":\"n8n-nodes-base.dropbox\"}"));
	wd_json_free(doc);
	free(text);
	md = md_of(t1, t4);
	assert_non_null(strstr(md, "| removed | 'Nextcloud' | data store"));
	assert_non_null(strstr(md, "| new | 'Dropbox' | data store"));
	free(md);

	wd_tm_free(t1);
	wd_tm_free(t1b);
	wd_tm_free(t2);
	wd_tm_free(t3);
	wd_tm_free(t4);
	free(base);
	free(v2);
	free(v3);
	free(v4);
}

static void test_identical(void **state)
{
	spec s = {.webhook = 1, .slack = 1, .stripe = 1, .email_field = 1};
	wd_tm *a = build("a.json", s), *b = build("b.json", s);
	char *md, *text;
	wd_json_doc *doc;
	(void)state;

	assert_int_equal(wd_tm_differs(a, a), 0);
	assert_int_equal(wd_tm_differs(a, b), 0);
	md = md_of(a, b);
	assert_non_null(strstr(md, "No differences."));
	assert_null(strstr(md, "###"));
	free(md);
	doc = json_of(a, b, &text);
	assert_true(wd_str_eq_c(wd_json_get_str(doc, wd_json_root(doc), "status"), "unchanged"));
	assert_int_equal(jcount(doc, "threats", "added"), 0);
	assert_int_equal(jcount(doc, "components", "changed"), 0);
	wd_json_free(doc);
	free(text);
	wd_tm_free(a);
	wd_tm_free(b);
}

/* The release adds a public webhook feeding a code node. */
static void test_new_webhook(void **state)
{
	wd_tm *a = build("v1.json", (spec){.slack = 1});
	wd_tm *b = build("v2.json", (spec){.slack = 1, .webhook = 1});
	char *md, *text;
	wd_json_doc *doc;
	(void)state;

	assert_int_equal(wd_tm_differs(a, b), 1);
	md = md_of(a, b);
	print_message("%s\n", md);
	assert_non_null(strstr(md, "## Model changes: 'Orders' (n8n:W1)"));
	assert_non_null(strstr(md, "**Threats: 3 new, 0 fixed, 0 changed.**"));
	assert_non_null(strstr(md, "### New threats (3)"));
	assert_non_null(strstr(md, "Public input executed as code"));
	assert_true(has(md, "| ", E("TM-INJ-01@n8n-w1-hook@n8n-w1-code"), " |", NULL));
	assert_non_null(strstr(md, "| new | 'Webhook Intake' | public, no credential"));
	assert_true(has(md, "| new | 'Run Script' | process; ", E("n8n-nodes-base.code"), " |", NULL));
	assert_non_null(strstr(md, "| new | 'Webhook Intake' → 'Run Script' |"));
	assert_null(strstr(md, "### Fixed threats"));
	assert_null(strstr(md, "### External services"));
	free(md);

	doc = json_of(a, b, &text);
	assert_true(wd_str_eq_c(wd_json_get_str(doc, wd_json_root(doc), "status"), "changed"));
	assert_int_equal(jcount(doc, "threats", "added"), 3);
	assert_true(jlist_has(doc, "threats", "added", "id", "TM-INJ-01@n8n-w1-hook@n8n-w1-code"));
	assert_true(jlist_has(doc, "threats", "added", "rule", "TM-INJ-01"));
	assert_int_equal(jcount(doc, "components", "added"), 2);
	assert_true(jlist_has(doc, "components", "added", "id", "n8n-w1-code"));
	assert_int_equal(jcount(doc, "entry_points", "added"), 1);
	assert_true(jlist_has(doc, "entry_points", "added", "name", "Webhook Intake"));
	assert_int_equal(jcount(doc, "flows", "added"), 2);
	assert_true(jlist_has(doc, "flows", "added", "id", "n8n-w1-hook--n8n-w1-code"));
	assert_int_equal(jcount(doc, "services", "added"), 0);
	assert_int_equal(jcount(doc, "threats", "removed"), 0);
	wd_json_free(doc);
	free(text);

	/* and back: the same things, removed; the injection is fixed */
	md = md_of(b, a);
	assert_non_null(strstr(md, "**Threats: 0 new, 3 fixed, 0 changed.**"));
	assert_non_null(strstr(md, "### Fixed threats (3)"));
	assert_true(has(md, "| removed | 'Run Script' | process; ", E("n8n-nodes-base.code"), NULL, NULL));
	free(md);
	wd_tm_free(a);
	wd_tm_free(b);
}

static void test_services_and_changes(void **state)
{
	wd_tm *a = build("v1.json", (spec){.slack = 1, .webhook = 1, .status = "accepted"});
	wd_tm *b = build("v2.json", (spec){.stripe = 1, .webhook = 1, .rename_fetch = 1,
	                                    .email_field = 1, .webhook_auth = 0});
	char *md, *text;
	wd_json_doc *doc;
	(void)state;

	md = md_of(a, b);
	print_message("%s\n", md);
	assert_non_null(strstr(md, "| new | 'Stripe' | service; Stripe"));
	assert_non_null(strstr(md, "| removed | 'Slack' | service; Slack"));
	assert_non_null(strstr(md, "name: 'Fetch' → 'Fetch Orders'"));
	assert_true(has(md, "fields: none → ", E("order_id"), ", email; classes: none → pii", NULL));
	assert_non_null(strstr(md, "status: 'accepted' → 'open'"));
	assert_non_null(strstr(md, "| removed | 'Slack' | external |"));
	free(md);

	doc = json_of(a, b, &text);
	assert_int_equal(jcount(doc, "services", "added"), 1);
	assert_int_equal(jcount(doc, "services", "removed"), 1);
	assert_true(jlist_has(doc, "services", "added", "id", "svc-stripe"));
	assert_true(jlist_has(doc, "services", "removed", "id", "svc-slack"));
	assert_int_equal(jcount(doc, "components", "changed"), 1);
	assert_int_equal(jcount(doc, "flows", "changed"), 1);
	assert_int_equal(jcount(doc, "threats", "changed"), 1);
	assert_true(jlist_has(doc, "threats", "changed", "id", "TM-SPOOF-01@n8n-w1-hook"));
	assert_true(jlist_has(doc, "threats", "added", "id", "TM-DISC-01@n8n-w1-charge@svc-stripe"));
	assert_int_equal(jcount(doc, "boundaries", "added"), 1);
	assert_int_equal(jcount(doc, "boundaries", "removed"), 1);
	/* a change carries field, old and new */
	assert_non_null(strstr(text, "{\"field\":\"name\",\"old\":\"Fetch\",\"new\":\"Fetch "
	                             "Orders\"}"));
	assert_non_null(strstr(text, "{\"field\":\"fields\",\"old\":[],\"new\":[\"order_id\","
	                             "\"email\"]}"));
	wd_json_free(doc);
	free(text);
	wd_tm_free(a);
	wd_tm_free(b);
}

/* The webhook gains authentication: entry point changed, threats fixed. */
static void test_auth_changed(void **state)
{
	wd_tm *a = build("v1.json", (spec){.webhook = 1});
	wd_tm *b = build("v2.json", (spec){.webhook = 1, .webhook_auth = 1});
	char *md, *text;
	wd_json_doc *doc;
	(void)state;

	md = md_of(a, b);
	print_message("%s\n", md);
	assert_non_null(strstr(md, "| changed | 'Webhook Intake' | public: yes → no |"));
	assert_non_null(strstr(md, "### Fixed threats"));
	free(md);
	doc = json_of(a, b, &text);
	assert_int_equal(jcount(doc, "entry_points", "changed"), 1);
	assert_non_null(strstr(text, "{\"field\":\"public\",\"old\":true,\"new\":false}"));
	assert_true(jlist_has(doc, "threats", "removed", "id", "TM-INJ-01@n8n-w1-hook@n8n-w1-code"));
	assert_int_equal(jcount(doc, "threats", "added"), 0);
	wd_json_free(doc);
	free(text);
	wd_tm_free(a);
	wd_tm_free(b);
}

static void test_null_sides(void **state)
{
	wd_tm *a = build("v1.json", (spec){.webhook = 1, .slack = 1});
	char *md, *text;
	wd_json_doc *doc;
	size_t threats = a->nthreats;
	(void)state;

	assert_int_equal(wd_tm_differs(NULL, a), 1);
	assert_int_equal(wd_tm_differs(a, NULL), 1);
	assert_int_equal(wd_tm_differs(NULL, NULL), 0);
	md = md_of(NULL, a);
	assert_non_null(strstr(md, "A new app"));
	assert_non_null(strstr(md, "Old: (none)"));
	free(md);
	md = md_of(a, NULL);
	assert_non_null(strstr(md, "The app was removed"));
	free(md);
	md = md_of(NULL, NULL);
	assert_non_null(strstr(md, "No differences."));
	free(md);

	doc = json_of(NULL, a, &text);
	assert_true(wd_str_eq_c(wd_json_get_str(doc, wd_json_root(doc), "status"), "added"));
	assert_int_equal(jcount(doc, "threats", "added"), (int64_t)threats);
	assert_int_equal(jcount(doc, "components", "added"), 5);
	assert_int_equal(jcount(doc, "services", "added"), 1);
	wd_json_free(doc);
	free(text);
	doc = json_of(a, NULL, &text);
	assert_true(wd_str_eq_c(wd_json_get_str(doc, wd_json_root(doc), "status"), "removed"));
	assert_int_equal(jcount(doc, "threats", "removed"), (int64_t)threats);
	assert_true(wd_json_typeof(wd_json_get(doc, wd_json_root(doc), "new")) == WD_JSON_NULL);
	wd_json_free(doc);
	free(text);
	doc = json_of(NULL, NULL, &text);
	assert_true(wd_json_typeof(wd_json_get(doc, wd_json_root(doc), "app")) == WD_JSON_NULL);
	wd_json_free(doc);
	free(text);
	wd_tm_free(a);
}

/* Names from the export cannot break the Markdown table or the JSON. */
static void test_hostile_names(void **state)
{
	wd_tm *a = build("v1.json", (spec){0});
	wd_tm *b = build("v2.json", (spec){.webhook = 1});
	char *md, *text;
	wd_json_doc *doc;
	(void)state;

	b->elements[4].name = "x | y\n| forged | row |<script>`*[link](http://e)*";
	md = md_of(a, b);
	assert_null(strstr(md, "| forged |"));
	assert_null(strstr(md, "<script>"));
	assert_null(strstr(md, "](http"));
	assert_null(strstr(md, "x | y"));
	free(md);
	doc = json_of(a, b, &text);
	assert_true(jlist_has(doc, "components", "added", "name",
	                      "x | y\n| forged | row |<script>`*[link](http://e)*"));
	wd_json_free(doc);
	free(text);
	wd_tm_free(a);
	wd_tm_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edited_export),
		cmocka_unit_test(test_identical),
		cmocka_unit_test(test_new_webhook),
		cmocka_unit_test(test_services_and_changes),
		cmocka_unit_test(test_auth_changed),
		cmocka_unit_test(test_null_sides),
		cmocka_unit_test(test_hostile_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
