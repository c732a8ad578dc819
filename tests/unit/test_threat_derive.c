/*
 * test_threat_derive.c - the derived data-flow model (threat/derive.c) and
 * its writers (threat/write_*.c).
 *
 * Small inline exports, one feature each: stable ids (re-derivation, node
 * order, the documented hash), boundaries, actors per trigger kind, stores
 * and the execution history per platform setting, the fields and classes
 * flows carry, cycles, a 10,000-node app, disabled components; then hostile
 * names through every writer (DOT parsed back with cgraph, Mermaid checked
 * line by line, Markdown table rows counted, JSON parsed back, SVG checked
 * for stray markup) and the levelled SVG of a big app.
 */
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <cgraph.h>

#include "warden/import.h"
#include "warden/threat.h"

/* ---- helpers ------------------------------------------------------------- */

static wd_model *import(const char *name, const char *json)
{
	size_t len = strlen(json);
	char *copy = malloc(len + 1);
	wd_model *m = NULL;
	wd_import_opts opts;
	wd_error err;
	int companion = 0;
	wd_status rc;

	assert_non_null(copy);
	memcpy(copy, json, len + 1);
	memset(&opts, 0, sizeof(opts));
	wd_error_clear(&err);
	rc = wd_import_buffer(&m, name, copy, len, &opts, &companion, &err);
	if (rc != WD_OK)
		fprintf(stderr, "import %s: %s (%u:%u)\n", name, err.message, err.line, err.column);
	assert_int_equal(rc, WD_OK);
	return m;
}

static wd_model *import_file(const char *rel)
{
	char path[1024];
	wd_model *m = NULL;
	wd_import_opts opts;
	wd_error err;
	int companion = 0;

	snprintf(path, sizeof(path), "%s/%s", WARDEN_SOURCE_DIR, rel);
	memset(&opts, 0, sizeof(opts));
	opts.load_companions = 1;
	assert_int_equal(wd_import_file(&m, path, &opts, &companion, &err), WD_OK);
	return m;
}

static wd_tm *derive(const wd_model *m, uint32_t app)
{
	wd_tm *tm = NULL;
	wd_error err;

	wd_error_clear(&err);
	assert_int_equal(wd_tm_derive(&tm, m, app, &err), WD_OK);
	assert_non_null(tm);
	return tm;
}

static const wd_tm_element *el(const wd_tm *tm, const char *id)
{
	size_t i;

	for (i = 0; i < tm->nelements; i++)
		if (strcmp(tm->elements[i].id, id) == 0)
			return &tm->elements[i];
	return NULL;
}

static const wd_tm_element *el_named(const wd_tm *tm, const char *name)
{
	size_t i;

	for (i = 0; i < tm->nelements; i++)
		if (strcmp(tm->elements[i].name, name) == 0)
			return &tm->elements[i];
	return NULL;
}

static const wd_tm_flow *flow(const wd_tm *tm, const char *from, const char *to)
{
	size_t i;

	for (i = 0; i < tm->nflows; i++)
		if (strcmp(tm->elements[tm->flows[i].from].id, from) == 0 &&
		    strcmp(tm->elements[tm->flows[i].to].id, to) == 0)
			return &tm->flows[i];
	return NULL;
}

static int has_field(const wd_tm_flow *f, const char *name, wd_class *cls)
{
	size_t i;

	for (i = 0; i < f->nfields; i++)
		if (strcmp(f->fields[i], name) == 0) {
			if (cls)
				*cls = f->field_classes ? (wd_class)f->field_classes[i] : WD_CLASS_NONE;
			return 1;
		}
	return 0;
}

static const char *boundary_of(const wd_tm *tm, const wd_tm_element *e)
{
	return tm->boundaries[e->boundary].id;
}

/* "p-" + 10 hex of SHA-256(platform \0 app id \0 component id): docs/model.md */
static void process_id(char out[16], const char *platform, const char *app, const char *comp)
{
	char buf[512];
	size_t n = 0;
	uint8_t d[32];
	char hex[65];

	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s", platform) + 1;
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s", app) + 1;
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s", comp) + 1;
	wd_sha256(buf, n, d);
	wd_hex(d, 32, hex);
	snprintf(out, 16, "p-%.10s", hex);
}

/* ---- stable ids ----------------------------------------------------------------- */

#define N8N_HEAD "{\"id\":\"wf1\",\"name\":\"Order\",\"nodes\":["
static const char *const order_nodes[] = {
	"{\"id\":\"a1\",\"name\":\"Hook\",\"type\":\"n8n-nodes-base.webhook\",\"typeVersion\":2,"
	"\"parameters\":{\"path\":\"o\",\"httpMethod\":\"POST\"}}",
	"{\"id\":\"b2\",\"name\":\"Clean\",\"type\":\"n8n-nodes-base.code\",\"typeVersion\":2,"
	"\"parameters\":{\"jsCode\":\"return items;\"}}",
	"{\"id\":\"c3\",\"name\":\"Store\",\"type\":\"n8n-nodes-base.postgres\",\"typeVersion\":2,"
	"\"parameters\":{\"operation\":\"executeQuery\",\"query\":\"insert into t values "
	"('{{ $json.body.email }}')\"}}",
	"{\"id\":\"d4\",\"name\":\"Notify\",\"type\":\"n8n-nodes-base.slack\",\"typeVersion\":2,"
	"\"parameters\":{\"text\":\"={{ $('Clean').item.json.phone }}\"}}",
};
#define ORDER_CONNS                                                                           \
	"],\"connections\":{\"Hook\":{\"main\":[[{\"node\":\"Clean\",\"type\":\"main\","           \
	"\"index\":0}]]},\"Clean\":{\"main\":[[{\"node\":\"Store\",\"type\":\"main\",\"index\":0}]]},"  \
	"\"Store\":{\"main\":[[{\"node\":\"Notify\",\"type\":\"main\",\"index\":0}]]}}}"

static char *order_json(const int *perm)
{
	size_t len = strlen(N8N_HEAD) + strlen(ORDER_CONNS) + 16, i;
	char *s;

	for (i = 0; i < 4; i++)
		len += strlen(order_nodes[i]) + 1;
	s = calloc(1, len);
	assert_non_null(s);
	strcat(s, N8N_HEAD);
	for (i = 0; i < 4; i++) {
		if (i)
			strcat(s, ",");
		strcat(s, order_nodes[perm[i]]);
	}
	strcat(s, ORDER_CONNS);
	return s;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The sorted ids of elements (what = 0) or flows (1), joined by spaces. */
static char *ids(const wd_tm *tm, int what)
{
	size_t n = what ? tm->nflows : tm->nelements, i, len = 1;
	const char **v = calloc(n + 1, sizeof(char *));
	char *s;

	for (i = 0; i < n; i++) {
		v[i] = what ? tm->flows[i].id : tm->elements[i].id;
		len += strlen(v[i]) + 1;
	}
	qsort(v, n, sizeof(*v), cmp_str);
	s = calloc(1, len);
	for (i = 0; i < n; i++) {
		strcat(s, v[i]);
		strcat(s, " ");
	}
	free(v);
	return s;
}

static void test_ids_stable(void **state)
{
	static const int fwd[4] = {0, 1, 2, 3}, rev[4] = {3, 1, 0, 2};
	char *a = order_json(fwd), *b = order_json(rev);
	wd_model *ma = import("a.json", a), *mb = import("b.json", b);
	wd_tm *ta = derive(ma, 0), *ta2 = derive(ma, 0), *tb = derive(mb, 0);
	char *ea = ids(ta, 0), *ea2 = ids(ta2, 0), *eb = ids(tb, 0);
	char *fa = ids(ta, 1), *fb = ids(tb, 1);
	char pid[16];
	size_t i;

	(void)state;
	assert_string_equal(ea, ea2);
	assert_string_equal(ea, eb);
	assert_string_equal(fa, fb);
	/* the documented recipe */
	process_id(pid, "n8n", "wf1", "c3");
	assert_non_null(el(ta, pid));
	assert_string_equal(el(ta, pid)->name, "Store");
	assert_string_equal(el(ta, pid)->comp_id, "c3");
	/* every id is [a-z0-9-] */
	for (i = 0; i < ta->nelements; i++)
		assert_int_equal(strspn(ta->elements[i].id, "abcdefghijklmnopqrstuvwxyz0123456789-"),
		                 strlen(ta->elements[i].id));
	for (i = 0; i < ta->nboundaries; i++)
		assert_int_equal(strspn(ta->boundaries[i].id, "abcdefghijklmnopqrstuvwxyz0123456789-"),
		                 strlen(ta->boundaries[i].id));
	/* flow ids are "<from>--<to>" */
	for (i = 0; i < ta->nflows; i++) {
		char want[256];
		snprintf(want, sizeof(want), "%s--%s", ta->elements[ta->flows[i].from].id,
		         ta->elements[ta->flows[i].to].id);
		assert_string_equal(ta->flows[i].id, want);
	}
	assert_string_equal(ta->platform, "n8n");
	assert_string_equal(ta->app_id, "wf1");
	assert_int_equal(strlen(ta->hash), 64);
	free(a);
	free(b);
	free(ea);
	free(ea2);
	free(eb);
	free(fa);
	free(fb);
	wd_tm_free(ta);
	wd_tm_free(ta2);
	wd_tm_free(tb);
	wd_model_free(ma);
	wd_model_free(mb);
}

/* ---- elements, boundaries, flows ---------------------------------------------------- */

static void test_lead_intake(void **state)
{
	wd_model *m = import_file("examples/n8n/lead-intake-webhook.json");
	wd_tm *tm = derive(m, 0);
	const wd_tm_element *hook = el_named(tm, "Website lead form");
	const wd_tm_element *pg = el(tm, "s-postgresql");
	const wd_tm_element *hub = el(tm, "x-svc-api-hubapi-com");
	const wd_tm_flow *in, *f;
	wd_class cls = WD_CLASS_NONE;

	(void)state;
	assert_non_null(hook);
	assert_int_equal(hook->kind, WD_TM_PROCESS);
	assert_true(hook->flags & WD_TME_ENTRY);
	assert_true(hook->flags & WD_TME_PUBLIC);
	assert_string_equal(boundary_of(tm, hook), "b-runtime");
	assert_string_equal(tm->boundaries[hook->boundary].name, "n8n runtime");
	/* the database is a store in the internal network */
	assert_non_null(pg);
	assert_int_equal(pg->kind, WD_TM_STORE);
	assert_string_equal(boundary_of(tm, pg), "b-internal");
	assert_int_equal(tm->boundaries[pg->boundary].kind, WD_ZONE_INTERNAL);
	assert_true(pg->flags & WD_TME_SENSITIVE);
	/* the HTTP target host is a service in its own boundary */
	assert_non_null(hub);
	assert_int_equal(hub->kind, WD_TM_EXTERNAL);
	assert_string_equal(boundary_of(tm, hub), "b-svc-api-hubapi-com");
	assert_int_equal(tm->boundaries[hub->boundary].kind, WD_ZONE_EXTERNAL);
	/* the internet reaches the webhook with the lead's personal data */
	in = flow(tm, "x-internet", hook->id);
	assert_non_null(in);
	assert_true(has_field(in, "email", &cls));
	assert_int_equal(cls, WD_CLASS_PII);
	assert_true(in->classes & (1u << WD_CLASS_PII));
	assert_int_equal(in->flags & (WD_TMF_CROSSES | WD_TMF_SENSITIVE | WD_TMF_UNTRUSTED),
	                 WD_TMF_CROSSES | WD_TMF_SENSITIVE | WD_TMF_UNTRUSTED);
	assert_false(in->flags & WD_TMF_ERROR);
	assert_string_equal(tm->boundaries[el(tm, "x-internet")->boundary].id, "b-internet");
	/* ... and on to HubSpot over TLS, untrusted */
	f = flow(tm, el_named(tm, "Create HubSpot contact")->id, hub->id);
	assert_non_null(f);
	assert_string_equal(f->label, "HTTPS");
	assert_true(f->flags & WD_TMF_UNTRUSTED);
	assert_true(f->flags & WD_TMF_SENSITIVE);
	assert_false(f->flags & WD_TMF_CLEARTEXT);
	/* internal flows: the code node reads the body the webhook received */
	f = flow(tm, hook->id, el_named(tm, "Normalize lead")->id);
	assert_non_null(f);
	assert_false(f->flags & WD_TMF_CROSSES);
	assert_true(f->flags & WD_TMF_UNTRUSTED);
	/* n8n keeps executions by default: a sensitive history store */
	assert_non_null(el(tm, "s-history"));
	assert_true(el(tm, "s-history")->flags & WD_TME_HISTORY);
	assert_true(el(tm, "s-history")->flags & WD_TME_SENSITIVE);
	assert_non_null(flow(tm, hook->id, "s-history"));
	wd_tm_free(tm);
	wd_model_free(m);
}

static void test_node_red(void **state)
{
	wd_model *m = import_file("examples/node-red/flows.json");
	wd_tm *orders = derive(m, 0), *telemetry = derive(m, 1);
	const wd_tm_element *notify = el_named(orders, "notify warehouse");
	const wd_tm_element *os = el(orders, "x-svc-host-operating-system");
	const wd_tm_flow *f;

	(void)state;
	/* plain HTTP with credentials in the URL: cleartext to an external host */
	assert_non_null(notify);
	f = flow(orders, notify->id, "x-svc-warehouse-acme-logistics-example-net");
	assert_non_null(f);
	assert_true(f->flags & WD_TMF_CLEARTEXT);
	assert_true(notify->classes & (1u << WD_CLASS_SECRET));
	/* exec runs host commands */
	assert_non_null(os);
	assert_string_equal(orders->boundaries[os->boundary].id, "b-local");
	assert_true(el_named(orders, "print shipping label")->flags & WD_TME_CODE);
	/* responses go back to the caller */
	assert_non_null(flow(orders, el_named(orders, "200 OK")->id, "x-internet"));
	/* Node-RED has no run history */
	assert_null(el(orders, "s-history"));
	/* the link to the other tab is an external "other app" */
	f = flow(orders, el_named(orders, "order event")->id, el_named(orders, "Telemetry")->id);
	assert_non_null(f);
	assert_string_equal(f->label, "link");
	/* the MQTT broker named by the config node's host, in the internal network */
	assert_non_null(el_named(telemetry, "MQTT broker (mqtt.acme-coldchain.example.net)"));
	assert_non_null(el(telemetry, "s-local-filesystem"));
	assert_int_equal(el(telemetry, "s-local-filesystem")->kind, WD_TM_STORE);
	wd_tm_free(orders);
	wd_tm_free(telemetry);
	wd_model_free(m);
}

/* ---- actors ----------------------------------------------------------------------- */

static const char actors_json[] =
	"{\"id\":\"act\",\"name\":\"Actors\",\"nodes\":["
	"{\"id\":\"f\",\"name\":\"Form\",\"type\":\"n8n-nodes-base.formTrigger\",\"typeVersion\":2,"
	"\"parameters\":{\"formTitle\":\"Contact\"}},"
	"{\"id\":\"c\",\"name\":\"Chat\",\"type\":\"@n8n/n8n-nodes-langchain.chatTrigger\","
	"\"typeVersion\":1,\"parameters\":{\"public\":true}},"
	"{\"id\":\"g\",\"name\":\"Mail in\",\"type\":\"n8n-nodes-base.gmailTrigger\",\"typeVersion\":1,"
	"\"parameters\":{}},"
	"{\"id\":\"s\",\"name\":\"Ask boss\",\"type\":\"n8n-nodes-base.slack\",\"typeVersion\":2,"
	"\"parameters\":{\"operation\":\"sendAndWait\",\"message\":\"ok?\"}},"
	"{\"id\":\"w\",\"name\":\"Wait form\",\"type\":\"n8n-nodes-base.wait\",\"typeVersion\":1,"
	"\"parameters\":{\"resume\":\"form\"}}"
	"],\"connections\":{\"Form\":{\"main\":[[{\"node\":\"Ask boss\",\"type\":\"main\",\"index\":0}]]},"
	"\"Ask boss\":{\"main\":[[{\"node\":\"Wait form\",\"type\":\"main\",\"index\":0}]]}}}";

static void test_actors(void **state)
{
	wd_model *m = import("actors.json", actors_json);
	wd_tm *tm = derive(m, 0);
	const wd_tm_element *form = el(tm, "x-actor-form-submitter");
	const wd_tm_element *chat = el(tm, "x-actor-chat-user");
	const wd_tm_element *mail = el(tm, "x-actor-email-sender");
	const wd_tm_element *boss = el(tm, "x-actor-approver");
	const wd_tm_element *gmail = el(tm, "x-svc-gmail");
	const char *ask = el_named(tm, "Ask boss")->id;

	(void)state;
	assert_non_null(form);
	assert_non_null(chat);
	assert_non_null(mail);
	assert_non_null(boss);
	assert_true(form->flags & WD_TME_HUMAN);
	assert_true(boss->flags & WD_TME_HUMAN);
	assert_string_equal(form->role, "form submitter");
	assert_string_equal(tm->boundaries[form->boundary].id, "b-internet");
	assert_string_equal(tm->boundaries[boss->boundary].id, "b-users");
	/* one shared actor per kind: the form trigger and the Wait form */
	assert_non_null(flow(tm, form->id, el_named(tm, "Form")->id));
	assert_non_null(flow(tm, form->id, el_named(tm, "Wait form")->id));
	assert_non_null(flow(tm, chat->id, el_named(tm, "Chat")->id));
	assert_non_null(flow(tm, "x-internet", el_named(tm, "Chat")->id));
	/* e-mail: sender -> mailbox service -> trigger */
	assert_non_null(gmail);
	assert_non_null(flow(tm, mail->id, gmail->id));
	assert_non_null(flow(tm, gmail->id, el_named(tm, "Mail in")->id));
	assert_true(flow(tm, mail->id, gmail->id)->flags & WD_TMF_UNTRUSTED);
	/* approval: request out, decision back */
	assert_non_null(flow(tm, ask, boss->id));
	assert_non_null(flow(tm, boss->id, ask));
	assert_string_equal(flow(tm, boss->id, ask)->label, "decision");
	wd_tm_free(tm);
	wd_model_free(m);
}

/* ---- stores and run history ------------------------------------------------------- */

static const char n8n_quiet[] =
	"{\"id\":\"q\",\"name\":\"Quiet\",\"settings\":{\"saveDataErrorExecution\":\"none\","
	"\"saveDataSuccessExecution\":\"none\",\"saveManualExecutions\":false},\"nodes\":["
	"{\"id\":\"t\",\"name\":\"Every day\",\"type\":\"n8n-nodes-base.scheduleTrigger\","
	"\"typeVersion\":1,\"parameters\":{}},"
	"{\"id\":\"s\",\"name\":\"Sheet\",\"type\":\"n8n-nodes-base.googleSheets\",\"typeVersion\":4,"
	"\"parameters\":{\"operation\":\"append\"}},"
	"{\"id\":\"v\",\"name\":\"Vectors\",\"type\":\"@n8n/n8n-nodes-langchain.vectorStorePinecone\","
	"\"typeVersion\":1,\"parameters\":{}}"
	"],\"connections\":{\"Every day\":{\"main\":[[{\"node\":\"Sheet\",\"type\":\"main\","
	"\"index\":0}]]}}}";

static const char pa_secure[] =
	"{\"$schema\":\"https://schema.management.azure.com/providers/Microsoft.Logic/schemas/"
	"2016-06-01/workflowdefinition.json#\",\"contentVersion\":\"1.0.0.0\","
	"\"triggers\":{\"manual\":{\"type\":\"Request\",\"kind\":\"Http\",\"inputs\":{\"schema\":{"
	"\"type\":\"object\",\"properties\":{\"email\":{\"type\":\"string\"}}}}}},"
	"\"actions\":{\"Hidden\":{\"type\":\"Http\",\"runAfter\":{},\"inputs\":{\"method\":\"POST\","
	"\"uri\":\"https://api.example.com/x\",\"body\":\"@triggerBody()?['email']\"},"
	"\"runtimeConfiguration\":{\"secureData\":{\"properties\":[\"inputs\",\"outputs\"]}}},"
	"\"Shown\":{\"type\":\"Http\",\"runAfter\":{\"Hidden\":[\"Succeeded\"]},\"inputs\":{"
	"\"method\":\"POST\",\"uri\":\"https://api.example.com/y\","
	"\"body\":\"@triggerBody()?['email']\"}}}}";

static const char make_confidential[] =
	"{\"name\":\"Conf\",\"flow\":[{\"id\":1,\"module\":\"gateway:CustomWebHook\",\"version\":1,"
	"\"parameters\":{\"hook\":1},\"mapper\":{}}],\"metadata\":{\"scenario\":{"
	"\"confidential\":true}}}";

static void test_stores_history(void **state)
{
	wd_model *m = import("quiet.json", n8n_quiet), *pa, *mk;
	wd_tm *tm = derive(m, 0), *tp, *tk;
	const wd_tm_element *sheet = el(tm, "s-google-sheets");
	const wd_tm_element *pine = el(tm, "s-pinecone");
	const wd_tm_element *hist;

	(void)state;
	/* sheets and vector stores are stores in their service's boundary */
	assert_non_null(sheet);
	assert_int_equal(sheet->kind, WD_TM_STORE);
	assert_string_equal(tm->boundaries[sheet->boundary].id, "b-svc-google-sheets");
	assert_non_null(pine);
	assert_string_equal(pine->role, "vector store");
	/* nothing saved: no history store */
	assert_null(el(tm, "s-history"));
	wd_tm_free(tm);
	wd_model_free(m);

	/* Power Automate: run history, except for actions with secured inputs/outputs */
	pa = import("definition.json", pa_secure);
	tp = derive(pa, 0);
	hist = el(tp, "s-history");
	assert_non_null(hist);
	assert_string_equal(hist->name, "Power Automate run history");
	assert_true(hist->flags & WD_TME_SENSITIVE);
	assert_non_null(flow(tp, el_named(tp, "Shown")->id, "s-history"));
	assert_null(flow(tp, el_named(tp, "Hidden")->id, "s-history"));
	assert_non_null(flow(tp, el_named(tp, "manual")->id, "s-history"));
	wd_tm_free(tp);
	wd_model_free(pa);

	/* Make: a confidential scenario keeps no run data */
	mk = import("conf.blueprint.json", make_confidential);
	tk = derive(mk, 0);
	assert_null(el(tk, "s-history"));
	wd_tm_free(tk);
	wd_model_free(mk);
}

/* ---- fields ------------------------------------------------------------------------- */

static void test_fields_capped(void **state)
{
	char *json = malloc(64 * 1024), *p;
	wd_model *m;
	wd_tm *tm;
	const wd_tm_flow *f;
	int i;

	(void)state;
	assert_non_null(json);
	p = json + sprintf(json, "{\"id\":\"many\",\"name\":\"Many\",\"nodes\":["
	                         "{\"id\":\"h\",\"name\":\"Hook\",\"type\":\"n8n-nodes-base.webhook\","
	                         "\"typeVersion\":2,\"parameters\":{\"path\":\"x\"}},"
	                         "{\"id\":\"s\",\"name\":\"Set\",\"type\":\"n8n-nodes-base.set\","
	                         "\"typeVersion\":3,\"parameters\":{\"assignments\":{\"assignments\":[");
	for (i = 0; i < 50; i++)
		p += sprintf(p, "%s{\"name\":\"f%02d\",\"value\":\"={{ $json.body.v%02d }}\"}", i ? "," : "",
		             i, i);
	sprintf(p, "]}}}],\"connections\":{\"Hook\":{\"main\":[[{\"node\":\"Set\",\"type\":\"main\","
	           "\"index\":0}]]}}}");
	m = import("many.json", json);
	tm = derive(m, 0);
	f = flow(tm, el_named(tm, "Hook")->id, el_named(tm, "Set")->id);
	assert_non_null(f);
	assert_int_equal(f->nfields, 33);
	assert_string_equal(f->fields[32], "(+18 more)");
	assert_true(has_field(f, "body.v00", NULL));
	wd_tm_free(tm);
	wd_model_free(m);
	free(json);
}

/* ---- cycles and size ----------------------------------------------------------------- */

static const char cycle_json[] =
	"{\"id\":\"cy\",\"name\":\"Cycle\",\"nodes\":["
	"{\"id\":\"a\",\"name\":\"A\",\"type\":\"n8n-nodes-base.webhook\",\"typeVersion\":2,"
	"\"parameters\":{\"path\":\"c\"}},"
	"{\"id\":\"b\",\"name\":\"B\",\"type\":\"n8n-nodes-base.splitInBatches\",\"typeVersion\":3,"
	"\"parameters\":{}},"
	"{\"id\":\"c\",\"name\":\"C\",\"type\":\"n8n-nodes-base.code\",\"typeVersion\":2,"
	"\"parameters\":{\"jsCode\":\"return items\"}},"
	"{\"id\":\"d\",\"name\":\"D\",\"type\":\"n8n-nodes-base.executeWorkflow\",\"typeVersion\":1,"
	"\"parameters\":{\"workflowId\":\"cy\"}}"
	"],\"connections\":{"
	"\"A\":{\"main\":[[{\"node\":\"B\",\"type\":\"main\",\"index\":0}]]},"
	"\"B\":{\"main\":[[{\"node\":\"C\",\"type\":\"main\",\"index\":0}],"
	"[{\"node\":\"D\",\"type\":\"main\",\"index\":0}]]},"
	"\"C\":{\"main\":[[{\"node\":\"B\",\"type\":\"main\",\"index\":0},"
	"{\"node\":\"C\",\"type\":\"main\",\"index\":0}]]},"
	"\"D\":{\"main\":[[{\"node\":\"A\",\"type\":\"main\",\"index\":0}]]}}}";

static void test_cycles(void **state)
{
	wd_model *m = import("cycle.json", cycle_json);
	wd_tm *tm = derive(m, 0);
	const char *a = el_named(tm, "A")->id, *b = el_named(tm, "B")->id;
	const char *c = el_named(tm, "C")->id, *d = el_named(tm, "D")->id;
	size_t i;
	wd_buf svg;
	wd_error err;

	(void)state;
	assert_non_null(flow(tm, a, b));
	assert_non_null(flow(tm, b, c));
	assert_non_null(flow(tm, c, b));
	assert_non_null(flow(tm, d, a));
	assert_null(flow(tm, c, c)); /* self-loops say nothing about data flow */
	/* the whole loop is reached from the internet */
	for (i = 0; i < tm->nflows; i++)
		if (tm->elements[tm->flows[i].from].kind == WD_TM_PROCESS &&
		    tm->elements[tm->flows[i].to].kind == WD_TM_PROCESS)
			assert_true(tm->flows[i].flags & WD_TMF_UNTRUSTED);
	/* labelled edges in clusters of a cyclic graph: Graphviz 2.43 corrupts
	 * memory here without newrank (the asan preset would abort) */
	wd_buf_init(&svg, 0);
	wd_error_clear(&err);
	assert_int_equal(wd_tm_write_svg(tm, &svg, &err), WD_OK);
	assert_non_null(strstr(svg.data, "</svg>"));
	wd_buf_release(&svg);
	wd_tm_free(tm);
	wd_model_free(m);
}

/* An n8n export of n nodes: a webhook, then chains of code / HTTP / Postgres
 * nodes with loops back every 50 nodes. */
static char *big_json(int n)
{
	size_t cap = (size_t)n * 420 + 4096, len = 0;
	char *s = malloc(cap);
	int i;

	assert_non_null(s);
	len += (size_t)sprintf(s + len, "{\"id\":\"big\",\"name\":\"Big\",\"nodes\":["
	                                "{\"id\":\"n0\",\"name\":\"N0\",\"type\":"
	                                "\"n8n-nodes-base.webhook\",\"typeVersion\":2,"
	                                "\"parameters\":{\"path\":\"big\"}}");
	for (i = 1; i < n; i++) {
		static const char *const types[] = {"n8n-nodes-base.code", "n8n-nodes-base.httpRequest",
		                                    "n8n-nodes-base.postgres", "n8n-nodes-base.set"};
		const char *t = types[i % 4];
		len += (size_t)sprintf(s + len,
		                       ",{\"id\":\"n%d\",\"name\":\"N%d\",\"type\":\"%s\",\"typeVersion\":1,"
		                       "\"parameters\":{\"url\":\"https://h%d.example.com/{{ $json.body.email }}\","
		                       "\"jsCode\":\"return items\"}}",
		                       i, i, t, i % 97);
	}
	len += (size_t)sprintf(s + len, "],\"connections\":{");
	for (i = 0; i + 1 < n; i++)
		len += (size_t)sprintf(s + len,
		                       "%s\"N%d\":{\"main\":[[{\"node\":\"N%d\",\"type\":\"main\",\"index\":0}%s]]}",
		                       i ? "," : "", i, i + 1,
		                       i % 50 == 49 ? ",{\"node\":\"N1\",\"type\":\"main\",\"index\":0}" : "");
	len += (size_t)sprintf(s + len, "}}");
	assert_true(len < cap);
	return s;
}

static void test_big_app(void **state)
{
	char *json = big_json(10000);
	wd_model *m = import("big.json", json);
	struct timespec t0, t1;
	wd_tm *tm;
	size_t procs = 0, i;
	wd_buf b;
	wd_error err;

	(void)state;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	tm = derive(m, 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	for (i = 0; i < tm->nelements; i++)
		procs += tm->elements[i].kind == WD_TM_PROCESS;
	assert_int_equal(procs, 10000);
	assert_true(tm->nflows >= 10000);
	fprintf(stderr, "# derive of 10,000 nodes: %.3f s, %zu elements, %zu flows\n",
	        (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	        tm->nelements, tm->nflows);
	/* every writer completes; the SVG is the levelled view */
	wd_buf_init(&b, 0);
	wd_tm_write_mermaid(tm, &b);
	assert_false(wd_buf_failed(&b));
	assert_non_null(strstr(b.data, "p_"));
	wd_buf_reset(&b);
	wd_tm_write_md(tm, &b);
	assert_false(wd_buf_failed(&b));
	wd_buf_reset(&b);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(wd_tm_write_svg(tm, &b, &err), WD_OK);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_non_null(strstr(b.data, "collapsed"));
	assert_non_null(strstr(b.data, "</svg>"));
	/* generous: a full layout of this graph would take minutes */
	assert_true((double)(t1.tv_sec - t0.tv_sec) < 20.0);
	wd_buf_release(&b);
	wd_tm_free(tm);
	wd_model_free(m);
	free(json);
}

static void test_disabled(void **state)
{
	wd_model *m = import_file("examples/n8n/support-ai-agent.json");
	wd_tm *tm = derive(m, 0);
	const wd_tm_element *mod = el_named(tm, "Moderate message (old)");
	const wd_tm_element *agent = el_named(tm, "Support Agent");
	size_t i;

	(void)state;
	assert_non_null(mod);
	assert_true(mod->flags & WD_TME_DISABLED);
	/* n8n passes data through a disabled node: its edges stay */
	assert_non_null(flow(tm, mod->id, agent->id));
	/* but it talks to no service and logs nothing */
	for (i = 0; i < tm->nflows; i++)
		if (tm->flows[i].from == (uint32_t)(mod - tm->elements))
			assert_int_equal(tm->elements[tm->flows[i].to].kind, WD_TM_PROCESS);
	/* AI: tools are called by the agent; the model's service gets prompts */
	assert_non_null(flow(tm, agent->id, el_named(tm, "Send email")->id));
	assert_true(agent->flags & WD_TME_AI);
	assert_non_null(flow(tm, el_named(tm, "OpenAI Chat Model")->id, "x-svc-openai"));
	assert_non_null(flow(tm, el_named(tm, "Fetch web page")->id, "x-any-host"));
	assert_non_null(el(tm, "s-n8n-memory"));
	wd_tm_free(tm);
	wd_model_free(m);
}

/* ---- hostile names through every writer --------------------------------------------- */

#define EVIL1 "x\\\"]; evil [label=\\\"pwn\\\"]; \\\"a\\\" -> \\\"b"
#define EVIL2 "</text><script>alert(1)</script> & 'q' \\\"z\\\""
#define EVIL3 "a|b ``` \\\\N %% end\\n--> x_internet(( ]] #quot; ${x}"

static const char hostile_json[] =
	"{\"id\":\"evil\\\"<>&\",\"name\":\"Evil </svg> \\\"app\\\" | `x`\",\"nodes\":["
	"{\"id\":\"h\",\"name\":\"" EVIL1 "\",\"type\":\"n8n-nodes-base.webhook\",\"typeVersion\":2,"
	"\"parameters\":{\"path\":\"e\"}},"
	"{\"id\":\"c\",\"name\":\"" EVIL2 "\",\"type\":\"n8n-nodes-base.code\",\"typeVersion\":2,"
	"\"parameters\":{\"jsCode\":\"return items\"}},"
	"{\"id\":\"r\",\"name\":\"" EVIL3 "\",\"type\":\"n8n-nodes-base.httpRequest\",\"typeVersion\":4,"
	"\"parameters\":{\"url\":\"http://x.example.com/{{ $json.body.email }}\"}}"
	"],\"connections\":{"
	"\"" EVIL1 "\":{\"main\":[[{\"node\":\"" EVIL2 "\",\"type\":\"main\",\"index\":0}]]},"
	"\"" EVIL2 "\":{\"main\":[[{\"node\":\"" EVIL3 "\",\"type\":\"main\",\"index\":0}]]}}}";

static wd_tm *hostile(wd_model **m)
{
	*m = import("evil.json", hostile_json);
	return derive(*m, 0);
}

static void test_hostile_dot(void **state)
{
	wd_model *m;
	wd_tm *tm = hostile(&m);
	wd_buf b;
	Agraph_t *g;
	Agnode_t *n;
	size_t i;
	int nodes = 0;

	(void)state;
	wd_buf_init(&b, 0);
	wd_tm_write_dot(tm, &b);
	assert_false(wd_buf_failed(&b));
	g = agmemread(b.data);
	assert_non_null(g);
	/* exactly our nodes and edges: nothing injected */
	for (n = agfstnode(g); n; n = agnxtnode(g, n)) {
		assert_non_null(el(tm, agnameof(n)));
		nodes++;
	}
	assert_int_equal(nodes, (int)tm->nelements);
	assert_int_equal(agnedges(g), (int)tm->nflows);
	/* the hostile name survives as the label text of its own node */
	for (i = 0; i < tm->nelements; i++) {
		const char *label;
		if (!strstr(tm->elements[i].name, "evil [label"))
			continue;
		n = agnode(g, (char *)tm->elements[i].id, 0);
		assert_non_null(n);
		label = agget(n, "label");
		assert_non_null(label);
		assert_non_null(strstr(label, "evil [label="));
		assert_non_null(strstr(label, "pwn"));
		nodes = -1;
	}
	assert_int_equal(nodes, -1);
	agclose(g);
	wd_buf_release(&b);
	wd_tm_free(tm);
	wd_model_free(m);
}

static int matches(const char *re, const char *line)
{
	regex_t r;
	int ok;

	assert_int_equal(regcomp(&r, re, REG_EXTENDED | REG_NOSUB), 0);
	ok = regexec(&r, line, 0, NULL, 0) == 0;
	regfree(&r);
	return ok;
}

static void test_hostile_mermaid(void **state)
{
	wd_model *m;
	wd_tm *tm = hostile(&m);
	wd_buf b;
	char *s, *line, *save = NULL;
	int nodes = 0, links = 0;

	(void)state;
	wd_buf_init(&b, 0);
	wd_tm_write_mermaid(tm, &b);
	assert_false(wd_buf_failed(&b));
	s = strdup(b.data);
	/* every line is one of the statements the writer makes, labels quoted
	 * and free of quotes, pipes and brackets */
	for (line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (matches("^    [pxs]_[a-z0-9_]+(\\(\\(\"[^\"|]*\"\\)\\)|\\[\\(\"[^\"|]*\"\\)\\]|"
		            "\\[\"[^\"|]*\"\\])$", line)) {
			nodes++;
			continue;
		}
		if (matches("^  [pxs]_[a-z0-9_]+ (-->|==>|-\\.->)\\|\"[^\"|]*\"\\| [pxs]_[a-z0-9_]+$",
		            line)) {
			links++;
			continue;
		}
		assert_true(matches("^(%% [^\n]*|flowchart LR|  subgraph b_[a-z0-9_]+\\[\"[^\"|]*\"\\]|"
		                    "  end|  style b_[a-z0-9_]+ stroke-dasharray: 5 5|  classDef .*|"
		                    "  class [a-z0-9_,]+ [a-zA-Z]+|  linkStyle [0-9,]+ .*)$",
		                    line));
		assert_null(strstr(line, "\n"));
	}
	assert_int_equal(nodes, (int)tm->nelements);
	assert_int_equal(links, (int)tm->nflows);
	assert_null(strstr(b.data, "<script"));
	assert_null(strstr(b.data, "```"));
	free(s);
	wd_buf_release(&b);
	wd_tm_free(tm);
	wd_model_free(m);
}

static void test_hostile_md(void **state)
{
	wd_model *m;
	wd_tm *tm = hostile(&m);
	wd_buf b;
	char *s, *line, *save = NULL;
	int fences = 0, in_fence = 0, cols = 0, in_table = 0, rows = 0;

	(void)state;
	wd_buf_init(&b, 0);
	wd_tm_write_md(tm, &b);
	assert_false(wd_buf_failed(&b));
	s = strdup(b.data);
	for (line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "```", 3) == 0) {
			fences++;
			in_fence = !in_fence;
			continue;
		}
		if (in_fence)
			continue;
		/* table rows keep the header's column count: no pipe came from a name */
		if (line[0] == '|') {
			int pipes = 0;
			const char *p;
			for (p = line; *p; p++)
				pipes += *p == '|';
			if (!in_table)
				cols = pipes;
			assert_int_equal(pipes, cols);
			rows++;
		}
		in_table = line[0] == '|';
		/* no raw markup from names outside the diagram */
		assert_null(strstr(line, "<script"));
		assert_null(strstr(line, "</svg"));
		assert_null(strstr(line, "`x`"));
	}
	assert_int_equal(fences, 2); /* the one Mermaid block */
	assert_true(rows > 10);
	assert_non_null(strstr(b.data, "# Threat model: Evil"));
	free(s);
	wd_buf_release(&b);
	wd_tm_free(tm);
	wd_model_free(m);
}

static void test_hostile_json(void **state)
{
	wd_model *m;
	wd_tm *tm = hostile(&m);
	wd_buf b;
	wd_json_doc *doc = NULL;
	const wd_json_val *root, *els, *e;
	size_t i, found = 0;

	(void)state;
	wd_buf_init(&b, 0);
	wd_tm_write_json(tm, &b);
	assert_false(wd_buf_failed(&b));
	assert_int_equal(wd_json_parse(&doc, b.data, b.len, NULL, NULL), WD_OK);
	root = wd_json_root(doc);
	els = wd_json_get(doc, root, "elements");
	assert_int_equal(wd_json_size(els), tm->nelements);
	WD_JSON_ARR_FOREACH(els, i, e)
	{
		wd_str name = wd_json_get_str(doc, e, "name");
		assert_true(wd_str_eq_c(name, tm->elements[i].name));
		found += wd_str_find(name, "evil [label") >= 0;
	}
	assert_int_equal(found, 1);
	assert_true(wd_str_eq_c(wd_json_get_str(doc, wd_json_get(doc, root, "app"), "id"),
	                        "evil\"<>&"));
	wd_json_free(doc);
	wd_buf_release(&b);
	wd_tm_free(tm);
	wd_model_free(m);
}

static void test_hostile_svg(void **state)
{
	wd_model *m;
	wd_tm *tm = hostile(&m);
	wd_buf b;
	wd_error err;
	const char *p;
	size_t titles = 0;

	(void)state;
	wd_buf_init(&b, 0);
	wd_error_clear(&err);
	assert_int_equal(wd_tm_write_svg(tm, &b, &err), WD_OK);
	assert_non_null(strstr(b.data, "<svg"));
	assert_non_null(strstr(b.data, "</svg>"));
	assert_null(strstr(b.data, "<script"));
	assert_null(strstr(b.data, "</svg> \""));
	/* one cluster group per boundary, one title per node id */
	assert_non_null(strstr(b.data, "<title>cluster_b&#45;runtime</title>"));
	for (p = b.data; (p = strstr(p, "<g id=\"node")) != NULL; p++)
		titles++;
	assert_int_equal(titles, tm->nelements);
	/* the hostile text is there, escaped */
	assert_non_null(strstr(b.data, "&lt;/text&gt;&lt;script&gt;"));
	wd_buf_release(&b);
	wd_tm_free(tm);
	wd_model_free(m);
}

/* ---- writers on a model with threats and annotations ---------------------------------- */

static void test_threat_rendering(void **state)
{
	wd_model *m = import_file("examples/n8n/lead-intake-webhook.json");
	wd_tm *tm = derive(m, 0);
	static wd_tm_threat t[2];
	static uint32_t path[2];
	static const char *mits[] = {"Require a header credential on the webhook",
	                             "Use query parameters"};
	const wd_tm_element *hook = el_named(tm, "Website lead form");
	const wd_tm_element *pg = el_named(tm, "Insert lead");
	char id0[64];
	wd_buf b;

	(void)state;
	/* hand-made threats, as wd_tm_find_threats and wd_tm_annotate make them */
	snprintf(id0, sizeof(id0), "TM-TEST-01@%s", pg->id);
	path[0] = (uint32_t)(hook - tm->elements);
	path[1] = (uint32_t)(pg - tm->elements);
	memset(t, 0, sizeof(t));
	t[0].id = id0;
	t[0].rule = "TM-TEST-01";
	t[0].stride = "T";
	t[0].lcnc = "LCNC-SEC-05";
	t[0].title = "Injection | <b>";
	t[0].scenario = "Anyone can reach 'Insert lead'.";
	t[0].path = path;
	t[0].npath = 2;
	t[0].mitigations = mits;
	t[0].nmitigations = 2;
	t[0].severity = WD_SEV_HIGH;
	t[0].residual = WD_SEV_LOW;
	t[0].status = WD_TM_OPEN;
	t[0].review_by = -1;
	t[1] = t[0];
	t[1].id = "TM-TEST-02@x-internet";
	t[1].linddun = "Disclosure";
	t[1].status = WD_TM_ACCEPTED;
	t[1].justification = "internal only";
	t[1].owner = "ops@example.com";
	t[1].review_by = 19000; /* 2022-01-08 */
	t[1].reopened = 1;
	t[1].nmitigations = 1;
	tm->threats = t;
	tm->nthreats = 2;

	wd_buf_init(&b, 0);
	wd_tm_write_md(tm, &b);
	assert_non_null(strstr(b.data, "| high | open |"));
	assert_non_null(strstr(b.data, "accepted (reopened: review date passed)"));
	assert_non_null(strstr(b.data, "2022-01-08"));
	assert_non_null(strstr(b.data, "- Path: Website lead form → Insert lead"));
	assert_non_null(strstr(b.data, "Injection &#124; &#60;b&#62;"));
	assert_non_null(strstr(b.data, "| As things stand (open and accepted) | 0 | 2 |"));
	wd_buf_reset(&b);
	wd_tm_write_mermaid(tm, &b);
	assert_non_null(strstr(b.data, "threatHigh"));
	wd_buf_reset(&b);
	wd_tm_write_dot(tm, &b);
	assert_non_null(strstr(b.data, "fillcolor=\"#f4cccc\""));
	wd_buf_reset(&b);
	wd_tm_write_json(tm, &b);
	assert_non_null(strstr(b.data, "\"review_by\":\"2022-01-08\",\"reopened\":true"));
	assert_non_null(strstr(b.data, "\"open_threats\":2"));
	wd_buf_release(&b);
	tm->threats = NULL;
	tm->nthreats = 0;
	wd_tm_free(tm);
	wd_model_free(m);
}

static void test_bad_args(void **state)
{
	wd_model *m = import("a.json", cycle_json);
	wd_tm *tm = (wd_tm *)1;
	wd_error err;

	(void)state;
	assert_int_equal(wd_tm_derive(&tm, m, 5, &err), WD_EINVAL);
	assert_null(tm);
	wd_tm_free(NULL);
	wd_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids_stable),
		cmocka_unit_test(test_lead_intake),
		cmocka_unit_test(test_node_red),
		cmocka_unit_test(test_actors),
		cmocka_unit_test(test_stores_history),
		cmocka_unit_test(test_fields_capped),
		cmocka_unit_test(test_cycles),
		cmocka_unit_test(test_big_app),
		cmocka_unit_test(test_disabled),
		cmocka_unit_test(test_hostile_dot),
		cmocka_unit_test(test_hostile_mermaid),
		cmocka_unit_test(test_hostile_md),
		cmocka_unit_test(test_hostile_json),
		cmocka_unit_test(test_hostile_svg),
		cmocka_unit_test(test_threat_rendering),
		cmocka_unit_test(test_bad_args),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
