/*
 * test_import_n8n.c - the n8n importer and its expression scanner.
 *
 * Small inline workflows, one feature each: ids, name-keyed connections,
 * AI edge direction, credentials in both forms, expression references and
 * the implicit edges they create, SQL / shell / file / TLS flags, entry
 * point auth, sticky notes, pinned data, settings, wrapped and odd shapes.
 * The scanner is driven directly with well-formed and broken text. Last, the
 * whole shared n8n corpus is imported and checked against counts taken
 * straight from the JSON.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>

#include "warden/import.h"

#include "import/n8n_expr.h"

/* ---- helpers ------------------------------------------------------------- */

static wd_status import_text(const char *json, wd_model **out, wd_error *err)
{
	size_t len = strlen(json);
	char *copy = malloc(len + 1);
	wd_json_doc *doc = NULL;
	wd_model *m = NULL;
	uint32_t di;
	wd_status rc;

	assert_non_null(copy);
	memcpy(copy, json, len + 1);
	wd_error_clear(err);
	rc = wd_json_parse_owned(&doc, copy, len, NULL, err);
	assert_int_equal(rc, WD_OK);
	assert_int_equal(wd_model_new(&m, "test.json", NULL), WD_OK);
	m->platform = WD_PLATFORM_N8N;
	assert_int_equal(wd_model_add_doc(m, "test.json", doc, &di), WD_OK);
	rc = wd_import_n8n(m, di, NULL, err);
	if (rc != WD_OK) {
		wd_model_free(m);
		m = NULL;
	}
	*out = m;
	return rc;
}

static wd_model *import_ok(const char *json)
{
	wd_model *m = NULL;
	wd_error err;
	wd_status rc = import_text(json, &m, &err);

	if (rc != WD_OK)
		fprintf(stderr, "import failed: %s (%s)\n", err.message, err.pointer);
	assert_int_equal(rc, WD_OK);
	return m;
}

static uint32_t comp_named(const wd_model *m, const char *name)
{
	uint32_t c = wd_model_find_by_name(m, 0, wd_str_c(name));

	if (c == WD_NONE)
		fprintf(stderr, "no component named %s\n", name);
	assert_int_not_equal(c, WD_NONE);
	return c;
}

static size_t count_edges(const wd_model *m, uint32_t from, uint32_t to, wd_edge_kind kind)
{
	size_t i, n = 0;

	for (i = 0; i < m->nedges; i++)
		if (m->edges[i].from == from && m->edges[i].to == to && m->edges[i].kind == kind)
			n++;
	return n;
}

static const wd_ref *find_ref(const wd_model *m, uint32_t comp, wd_ref_kind kind,
                              const char *path)
{
	size_t i;

	for (i = 0; i < m->nrefs; i++)
		if (m->refs[i].comp == comp && m->refs[i].kind == kind &&
		    wd_str_eq_c(m->refs[i].path, path))
			return &m->refs[i];
	return NULL;
}

static int has_field(const wd_model *m, uint32_t comp, const char *name)
{
	size_t i;

	for (i = 0; i < m->nfields; i++)
		if (m->fields[i].comp == comp && wd_str_eq_c(m->fields[i].name, name))
			return 1;
	return 0;
}

/* Wrap node JSON text into a workflow. */
#define WF(nodes, conns) "{\"name\":\"wf\",\"nodes\":[" nodes "],\"connections\":{" conns "}}"
#define NODE(name, type, params)                                                         \
	"{\"name\":\"" name "\",\"type\":\"" type "\",\"typeVersion\":1,\"position\":[0,0]," \
	"\"parameters\":" params "}"

/* ---- scanner ------------------------------------------------------------- */

typedef struct scan_rec {
	size_t n;
	wd_ref_kind kind[32];
	char node[32][64];
	char path[32][128];
} scan_rec;

static void rec_fn(void *ctx, wd_ref_kind kind, wd_str node, wd_str path)
{
	scan_rec *r = ctx;

	if (r->n >= 32)
		return;
	r->kind[r->n] = kind;
	snprintf(r->node[r->n], sizeof(r->node[0]), "%.*s", (int)node.len, node.ptr ? node.ptr : "");
	snprintf(r->path[r->n], sizeof(r->path[0]), "%.*s", (int)path.len, path.ptr ? path.ptr : "");
	r->n++;
}

static scan_rec scan(const char *text, int python)
{
	scan_rec r;
	size_t n;

	memset(&r, 0, sizeof(r));
	n = wd_n8n_scan_expr(wd_str_c(text), python, rec_fn, &r);
	assert_int_equal(n, r.n < 32 ? r.n : n);
	return r;
}

typedef struct scan_case {
	const char *text;
	int python;
	size_t n;
	wd_ref_kind kind;
	const char *node;
	const char *path;
} scan_case;

static void test_scan_table(void **state)
{
	static const scan_case cases[] = {
		{"={{ $json.body.email }}", 0, 1, WD_REF_INPUT, "", "body.email"},
		{"={{ $json[\"body\"][\"email\"] }}", 0, 1, WD_REF_INPUT, "", "body.email"},
		{"={{ $json['a'].b[0].c }}", 0, 1, WD_REF_INPUT, "", "a.b.0.c"},
		{"={{ $json?.a?.b }}", 0, 1, WD_REF_INPUT, "", "a.b"},
		{"={{ $json.email.toLowerCase() }}", 0, 1, WD_REF_INPUT, "", "email"},
		{"={{ $json }}", 0, 1, WD_REF_INPUT, "", ""},
		{"={{ $json[key] }}", 0, 1, WD_REF_INPUT, "", ""},
		{"={{ $input.item.json.x }}", 0, 1, WD_REF_INPUT, "", "x"},
		{"={{ $input.first().json.body.name }}", 0, 1, WD_REF_INPUT, "", "body.name"},
		{"={{ $input.all()[0].json.y }}", 0, 1, WD_REF_INPUT, "", "y"},
		{"const items = $input.all();", 0, 1, WD_REF_INPUT, "", ""},
		{"={{ $binary.data.mimeType }}", 0, 1, WD_REF_INPUT, "", "binary.data.mimeType"},
		{"={{ $('Node Name').item.json.x }}", 0, 1, WD_REF_NODE, "Node Name", "x"},
		{"={{ $(\"Get row\").first().json.id }}", 0, 1, WD_REF_NODE, "Get row", "id"},
		{"={{ $( 'A' ).last().json['b c'] }}", 0, 1, WD_REF_NODE, "A", "b c"},
		{"={{ $(`Tpl`).all()[2].json.z }}", 0, 1, WD_REF_NODE, "Tpl", "z"},
		{"={{ $('Don\\'t').item.json.q }}", 0, 1, WD_REF_NODE, "Don't", "q"},
		{"={{ $('X').itemMatching($itemIndex).json.k }}", 0, 1, WD_REF_NODE, "X", "k"},
		{"={{ $('X').isExecuted }}", 0, 1, WD_REF_NODE, "X", ""},
		{"={{$node[\"Node Name\"].json[\"x\"]}}", 0, 1, WD_REF_NODE, "Node Name", "x"},
		{"={{$node['Webhook'].data[\"body\"][\"text\"]}}", 0, 1, WD_REF_NODE, "Webhook",
		 "body.text"},
		{"={{$node.Webhook.json.a}}", 0, 1, WD_REF_NODE, "Webhook", "a"},
		{"={{$node[\"Orbit\"].parameter[\"workspaceId\"]}}", 0, 1, WD_REF_NODE, "Orbit", ""},
		{"$items(\"Get rows\")[0].json.id", 0, 1, WD_REF_NODE, "Get rows", "id"},
		{"$items(\"Get rows\", 0, 1)", 0, 1, WD_REF_NODE, "Get rows", ""},
		{"$items()[0].json.a", 0, 1, WD_REF_INPUT, "", "a"},
		{"={{ $env.API_URL }}/x", 0, 1, WD_REF_ENV, "", "API_URL"},
		{"={{ $env[\"SECRET_KEY\"] }}", 0, 1, WD_REF_ENV, "", "SECRET_KEY"},
		{"={{ $env.A.length }}", 0, 1, WD_REF_ENV, "", "A"},
		{"={{ $credentials.apiKey }}", 0, 1, WD_REF_CREDENTIAL, "", "apiKey"},
		{"={{ $vars.instance_url }}", 0, 1, WD_REF_PARAM, "", "instance_url"},
		{"={{ $fromAI('email', 'the address', 'string') }}", 0, 1, WD_REF_INPUT, "", "email"},
		{"name = _input.first().json.name", 1, 1, WD_REF_INPUT, "", "name"},
		{"rows = _('Read Sheet').all()", 1, 1, WD_REF_NODE, "Read Sheet", ""},
		{"x = _json['a']", 1, 1, WD_REF_INPUT, "", "a"},
		/* not references */
		{"$jsonData.a", 0, 0, WD_REF_INPUT, "", ""},
		{"a$json.b", 0, 0, WD_REF_INPUT, "", ""},
		{"$now.toISO()", 0, 0, WD_REF_INPUT, "", ""},
		{"_input.all()", 0, 0, WD_REF_INPUT, "", ""},
		{"_.map(x)", 1, 0, WD_REF_INPUT, "", ""},
		{"$", 0, 0, WD_REF_INPUT, "", ""},
		{"", 0, 0, WD_REF_INPUT, "", ""},
		/* truncated and unbalanced */
		{"$('", 0, 0, WD_REF_INPUT, "", ""},
		{"$('abc", 0, 0, WD_REF_INPUT, "", ""},
		{"$('abc'", 0, 0, WD_REF_INPUT, "", ""},
		{"$(\"abc')", 0, 0, WD_REF_INPUT, "", ""},
		{"$('a\\", 0, 0, WD_REF_INPUT, "", ""},
		{"$node[", 0, 0, WD_REF_INPUT, "", ""},
		{"$node[\"x", 0, 0, WD_REF_INPUT, "", ""},
		{"$node.", 0, 0, WD_REF_INPUT, "", ""},
		{"$items(", 0, 0, WD_REF_INPUT, "", ""},
		{"$items(\"x\"", 0, 1, WD_REF_NODE, "x", ""},
		{"$json[", 0, 1, WD_REF_INPUT, "", ""},
		{"$json[\"a", 0, 1, WD_REF_INPUT, "", ""},
		{"$json.", 0, 1, WD_REF_INPUT, "", ""},
		{"$json?.", 0, 1, WD_REF_INPUT, "", ""},
		{"$env[", 0, 1, WD_REF_ENV, "", ""},
		{"$fromAI(", 0, 0, WD_REF_INPUT, "", ""},
		{"$('a\nb')", 0, 0, WD_REF_INPUT, "", ""},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		scan_rec r = scan(cases[i].text, cases[i].python);
		if (r.n != cases[i].n || (r.n && (r.kind[0] != cases[i].kind ||
		                                  strcmp(r.node[0], cases[i].node) != 0 ||
		                                  strcmp(r.path[0], cases[i].path) != 0)))
			fail_msg("case %zu <%s>: got %zu refs, first kind %d node <%s> path <%s>", i,
			         cases[i].text, r.n, r.n ? (int)r.kind[0] : -1, r.n ? r.node[0] : "",
			         r.n ? r.path[0] : "");
	}
}

static void test_scan_many(void **state)
{
	scan_rec r = scan("={{ $json.a }} and {{ $('B').item.json.c }} {{ $env.D }} "
	                  "{{ $item(0).$node[\"E\"].json.f }}",
	                  0);

	(void)state;
	assert_int_equal(r.n, 4);
	assert_int_equal(r.kind[0], WD_REF_INPUT);
	assert_string_equal(r.path[0], "a");
	assert_int_equal(r.kind[1], WD_REF_NODE);
	assert_string_equal(r.node[1], "B");
	assert_int_equal(r.kind[2], WD_REF_ENV);
	assert_int_equal(r.kind[3], WD_REF_NODE);
	assert_string_equal(r.node[3], "E");
	assert_string_equal(r.path[3], "f");
}

/* Every prefix of tricky text, and random bytes, in exact-size heap copies
 * (ASan catches a read past the end). */
static void test_scan_robust(void **state)
{
	static const char *const texts[] = {
		"={{ $('Node Name').item.json[\"a\"]['b'].c }} $node[\"X\"].data.y $items(\"Z\", 0)"
		" $env['E'] $json?.[\"q\"] $input.all()[0].json.r $fromAI(\"k\") $binary.f",
		"_('P').first().json.x _input.item.json.y _json.z",
	};
	size_t t, cut, i;
	uint32_t seed = 12345;

	(void)state;
	for (t = 0; t < sizeof(texts) / sizeof(*texts); t++) {
		size_t len = strlen(texts[t]);
		for (cut = 0; cut <= len; cut++) {
			char *p = malloc(cut ? cut : 1);
			assert_non_null(p);
			memcpy(p, texts[t], cut);
			wd_n8n_scan_expr(wd_str_make(p, cut), (int)t, NULL, NULL);
			free(p);
		}
	}
	for (i = 0; i < 2000; i++) {
		static const char alphabet[] = "$_('\"`)[].?jsoninputdeEvx \\n{}0123";
		size_t n = i % 97, k;
		char *p = malloc(n ? n : 1);
		assert_non_null(p);
		for (k = 0; k < n; k++) {
			seed = seed * 1103515245u + 12345u;
			p[k] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		wd_n8n_scan_expr(wd_str_make(p, n), (int)(i & 1), NULL, NULL);
		free(p);
	}
	/* a long run of sigils and a long path stay linear and bounded */
	{
		size_t n = 1 << 20, k;
		char *p = malloc(n);
		scan_rec r;
		assert_non_null(p);
		for (k = 0; k < n; k++)
			p[k] = (k % 2) ? '$' : '(';
		wd_n8n_scan_expr(wd_str_make(p, n), 0, NULL, NULL);
		memcpy(p, "$json", 5);
		for (k = 5; k + 2 <= n; k += 2) {
			p[k] = '.';
			p[k + 1] = 'a';
		}
		memset(&r, 0, sizeof(r));
		assert_int_equal(wd_n8n_scan_expr(wd_str_make(p, n), 0, rec_fn, &r), 1);
		assert_true(strlen(r.path[0]) > 0);
		free(p);
	}
}

/* ---- workflow, nodes, ids ------------------------------------------------- */

static void test_app_and_ids(void **state)
{
	const char *json =
		"{\"id\":\"wf1\",\"name\":\"Orders\",\"active\":true,\"meta\":{\"instanceId\":\"inst-9\"},"
		"\"nodes\":["
		"{\"id\":\"a1\",\"name\":\"With Id\",\"type\":\"n8n-nodes-base.set\",\"parameters\":{}},"
		"{\"name\":\"No Id\",\"type\":\"n8n-nodes-base.noOp\",\"parameters\":{}},"
		"{\"name\":\"Custom\",\"type\":\"CUSTOM.myNode\",\"disabled\":true}"
		"],\"connections\":{}}";
	wd_model *m = import_ok(json);
	uint8_t digest[32];
	char hex[65];
	uint32_t c;

	(void)state;
	assert_int_equal(m->napps, 1);
	assert_int_equal(m->apps[0].platform, WD_PLATFORM_N8N);
	assert_true(wd_str_eq_c(m->apps[0].id, "wf1"));
	assert_true(wd_str_eq_c(m->apps[0].name, "Orders"));
	assert_int_equal(m->apps[0].active, 1);
	assert_true(wd_str_eq_c(m->apps[0].owner_hint, "inst-9"));
	assert_int_equal(m->apps[0].comp_first, 0);
	assert_int_equal(m->apps[0].comp_count, 3);
	assert_int_equal(m->apps[0].loc.val, 0);
	wd_sha256(json, strlen(json), digest);
	wd_hex(digest, 32, hex);
	assert_string_equal(m->apps[0].hash, hex);
	/* settings absent: defaults */
	assert_int_equal(m->apps[0].save_failed, -1);
	assert_int_equal(m->apps[0].execution_timeout, -1);
	assert_int_equal(m->apps[0].pin_nodes, 0);

	c = comp_named(m, "With Id");
	assert_true(wd_str_eq_c(m->comps[c].id, "a1"));
	assert_true(wd_str_eq_c(m->comps[c].type, "n8n-nodes-base.set"));
	assert_int_not_equal(m->comps[c].params.val, WD_NONE);
	c = comp_named(m, "No Id");
	assert_true(wd_str_eq_c(m->comps[c].id, "No Id"));
	assert_int_equal(m->comps[c].flags & WD_COMP_DISABLED, 0);
	c = comp_named(m, "Custom");
	assert_true(m->comps[c].flags & WD_COMP_CUSTOM);
	assert_true(m->comps[c].flags & WD_COMP_DISABLED);
	assert_int_equal(m->comps[c].params.doc, WD_NONE);
	assert_int_equal(wd_model_find_component(m, 0, wd_str_c("a1")), 0);
	assert_int_equal(wd_model_finish(m), WD_OK);
	wd_model_free(m);
}

static void test_sticky_notes(void **state)
{
	wd_model *m = import_ok(WF(NODE("Note", "n8n-nodes-base.stickyNote", "{\"content\":\"hi\"}") ","
	                           NODE("Note2", "n8n-nodes-base.stickyNote", "{}") ","
	                           NODE("Real", "n8n-nodes-base.noOp", "{}"),
	                           "\"Real\":{\"main\":[[{\"node\":\"Note\",\"type\":\"main\",\"index\":0}]]}"));

	(void)state;
	assert_int_equal(m->ncomps, 1);
	assert_int_equal(m->notes, 2);
	assert_int_equal(m->nedges, 0);
	assert_int_equal(wd_model_find_by_name(m, 0, wd_str_c("Note")), WD_NONE);
	wd_model_free(m);
}

/* ---- connections ----------------------------------------------------------- */

static void test_connections(void **state)
{
	wd_model *m = import_ok(WF(
		NODE("If", "n8n-nodes-base.if", "{}") "," NODE("Yes Path", "n8n-nodes-base.noOp", "{}")
		"," NODE("No Path", "n8n-nodes-base.noOp", "{}") "," NODE("Fail", "n8n-nodes-base.noOp", "{}"),
		"\"If\":{\"main\":[[{\"node\":\"Yes Path\",\"type\":\"main\",\"index\":0}],"
		"[{\"node\":\"No Path\",\"type\":\"main\",\"index\":0},{\"node\":\"Ghost\",\"type\":\"main\",\"index\":0}],"
		"null,[]],"
		"\"error\":[[{\"node\":\"Fail\",\"type\":\"main\",\"index\":0}]]},"
		"\"Missing Source\":{\"main\":[[{\"node\":\"If\",\"type\":\"main\",\"index\":0}]]},"
		"\"Yes Path\":{\"main\":null},\"No Path\":\"junk\",\"Fail\":{\"main\":[\"x\",[1,{\"node\":5}]]}"));
	uint32_t i_if, yes, no, fail;
	size_t k;

	(void)state;
	i_if = comp_named(m, "If");
	yes = comp_named(m, "Yes Path");
	no = comp_named(m, "No Path");
	fail = comp_named(m, "Fail");
	assert_int_equal(m->nedges, 3);
	assert_int_equal(count_edges(m, i_if, yes, WD_EDGE_FLOW), 1);
	assert_int_equal(count_edges(m, i_if, no, WD_EDGE_FLOW), 1);
	assert_int_equal(count_edges(m, i_if, fail, WD_EDGE_ERROR), 1);
	for (k = 0; k < m->nedges; k++) {
		const wd_edge *e = &m->edges[k];
		if (e->to == yes) {
			assert_int_equal(e->port, 0);
			assert_true(wd_str_eq_c(e->label, "main"));
		}
		if (e->to == no)
			assert_int_equal(e->port, 1);
		if (e->to == fail)
			assert_true(wd_str_eq_c(e->label, "error"));
		assert_non_null(wd_model_val(m, e->loc));
		assert_true(wd_json_is_obj(wd_model_val(m, e->loc)));
	}
	wd_model_free(m);
}

static void test_ai_edges(void **state)
{
	wd_model *m = import_ok(WF(
		NODE("Chat", "@n8n/n8n-nodes-langchain.chatTrigger", "{}") ","
		NODE("Agent", "@n8n/n8n-nodes-langchain.agent", "{}") ","
		NODE("Model", "@n8n/n8n-nodes-langchain.lmChatOpenAi", "{}") ","
		NODE("Tool", "n8n-nodes-base.httpRequestTool", "{\"url\":\"https://api.example.com/x\"}") ","
		NODE("Memory", "@n8n/n8n-nodes-langchain.memoryBufferWindow", "{}"),
		"\"Chat\":{\"main\":[[{\"node\":\"Agent\",\"type\":\"main\",\"index\":0}]]},"
		"\"Model\":{\"ai_languageModel\":[[{\"node\":\"Agent\",\"type\":\"ai_languageModel\",\"index\":0}]]},"
		"\"Tool\":{\"ai_tool\":[[{\"node\":\"Agent\",\"type\":\"ai_tool\",\"index\":0}]]},"
		"\"Memory\":{\"ai_memory\":[[{\"node\":\"Agent\",\"type\":\"ai_memory\",\"index\":0}]]}"));
	uint32_t agent, tool, model;
	size_t k;

	(void)state;
	agent = comp_named(m, "Agent");
	tool = comp_named(m, "Tool");
	model = comp_named(m, "Model");
	assert_int_equal(m->nedges, 4);
	assert_int_equal(count_edges(m, tool, agent, WD_EDGE_AI), 1);
	assert_int_equal(count_edges(m, model, agent, WD_EDGE_AI), 1);
	for (k = 0; k < m->nedges; k++) {
		if (m->edges[k].from == tool)
			assert_true(wd_str_eq_c(m->edges[k].label, "ai_tool"));
		if (m->edges[k].from == model)
			assert_true(wd_str_eq_c(m->edges[k].label, "ai_languageModel"));
	}
	/* the HTTP tool's URL is a target */
	assert_int_equal(m->ntargets, 1);
	assert_int_equal(m->targets[0].comp, tool);
	assert_true(wd_str_eq_c(m->targets[0].host, "api.example.com"));
	wd_model_free(m);
}

/* ---- credentials --------------------------------------------------------------- */

static void test_credentials(void **state)
{
	wd_model *m = import_ok(WF(
		"{\"name\":\"A\",\"type\":\"n8n-nodes-base.slack\",\"parameters\":{},"
		"\"credentials\":{\"slackApi\":{\"id\":\"7\",\"name\":\"Slack account\"}}},"
		"{\"name\":\"B\",\"type\":\"n8n-nodes-base.slack\",\"parameters\":{},"
		"\"credentials\":{\"slackApi\":{\"id\":\"7\",\"name\":\"Slack account\"}}},"
		"{\"name\":\"C\",\"type\":\"n8n-nodes-base.postgres\",\"parameters\":{},"
		"\"credentials\":{\"postgres\":\"Prod DB\",\"bad\":5,\"empty\":{}}},"
		"{\"name\":\"D\",\"type\":\"n8n-nodes-base.postgres\",\"parameters\":{},"
		"\"credentials\":{\"postgres\":\"Prod DB\"}},"
		"{\"name\":\"E\",\"type\":\"n8n-nodes-base.slack\",\"parameters\":{},"
		"\"credentials\":{\"slackApi\":{\"id\":\"8\",\"name\":\"Slack account\"}}},"
		"{\"name\":\"F\",\"type\":\"n8n-nodes-base.slack\",\"parameters\":{},\"credentials\":[1]}",
		""));
	uint32_t a = comp_named(m, "A"), b = comp_named(m, "B"), c = comp_named(m, "C");
	size_t k, uses_a = 0;

	(void)state;
	assert_int_equal(m->ncreds, 3);
	assert_int_equal(m->ncred_uses, 5);
	assert_true(wd_str_eq_c(m->creds[0].id, "7"));
	assert_true(wd_str_eq_c(m->creds[0].name, "Slack account"));
	assert_true(wd_str_eq_c(m->creds[0].type, "slackApi"));
	assert_int_equal(m->creds[0].storage, WD_CRED_VAULT);
	assert_int_equal(m->creds[0].comp, a);
	assert_true(wd_json_is_obj(wd_model_val(m, m->creds[0].loc)));
	assert_int_equal(m->creds[1].id.len, 0);
	assert_true(wd_str_eq_c(m->creds[1].name, "Prod DB"));
	assert_int_equal(m->creds[1].comp, c);
	assert_true(wd_json_is_str(wd_model_val(m, m->creds[1].loc)));
	assert_true(wd_str_eq_c(m->creds[2].id, "8"));
	for (k = 0; k < m->ncred_uses; k++)
		if (m->cred_uses[k].cred == 0) {
			assert_true(m->cred_uses[k].comp == a || m->cred_uses[k].comp == b);
			uses_a++;
		}
	assert_int_equal(uses_a, 2);
	wd_model_free(m);
}

/* ---- expressions ----------------------------------------------------------------- */

static void test_expressions(void **state)
{
	wd_model *m = import_ok(WF(
		NODE("Webhook In", "n8n-nodes-base.webhook", "{\"path\":\"x\"}") ","
		NODE("Get User", "n8n-nodes-base.httpRequest",
		     "{\"url\":\"=https://api.example.com/u/{{ $json.body.email }}\","
		     "\"options\":{\"headers\":[{\"v\":\"={{ $env.API_TOKEN }}\"}]}}") ","
		NODE("Mail", "n8n-nodes-base.emailSend",
		     "{\"to\":\"={{ $('Webhook In').item.json.body.email }}\","
		     "\"subject\":\"={{ $node[\\\"Webhook In\\\"].json[\\\"body\\\"][\\\"name\\\"] }}\","
		     "\"text\":\"Hi {{ $('Get User').first().json.name }} {{ $items(\\\"Get User\\\")[0].json.id }}\","
		     "\"x\":[{\"y\":{\"z\":\"={{ $vars.region }} {{ $credentials.user }} {{ $('Nope').item.json.q }}\"}}],"
		     "\"plain\":\"$json.notAnExpression\"}"),
		"\"Webhook In\":{\"main\":[[{\"node\":\"Get User\",\"type\":\"main\",\"index\":0}]]},"
		"\"Get User\":{\"main\":[[{\"node\":\"Mail\",\"type\":\"main\",\"index\":0}]]}"));
	uint32_t hook = comp_named(m, "Webhook In"), get = comp_named(m, "Get User");
	uint32_t mail = comp_named(m, "Mail");
	const wd_ref *r;

	(void)state;
	r = find_ref(m, get, WD_REF_INPUT, "body.email");
	assert_non_null(r);
	assert_int_equal(r->src, WD_NONE);
	assert_true(wd_json_is_str(wd_model_val(m, r->loc)));
	assert_non_null(find_ref(m, get, WD_REF_ENV, "API_TOKEN"));
	assert_true(m->comps[get].flags & WD_COMP_INPUT_USED);
	assert_true(has_field(m, get, "email"));
	assert_int_equal(m->comps[hook].flags & WD_COMP_INPUT_USED, 0);

	r = find_ref(m, mail, WD_REF_NODE, "body.email");
	assert_non_null(r);
	assert_int_equal(r->src, hook);
	r = find_ref(m, mail, WD_REF_NODE, "body.name");
	assert_non_null(r);
	assert_int_equal(r->src, hook);
	r = find_ref(m, mail, WD_REF_NODE, "name");
	assert_non_null(r);
	assert_int_equal(r->src, get);
	r = find_ref(m, mail, WD_REF_NODE, "id");
	assert_non_null(r);
	assert_int_equal(r->src, get);
	r = find_ref(m, mail, WD_REF_NODE, "q");
	assert_non_null(r);
	assert_int_equal(r->src, WD_NONE);
	assert_non_null(find_ref(m, mail, WD_REF_PARAM, "region"));
	assert_non_null(find_ref(m, mail, WD_REF_CREDENTIAL, "user"));
	assert_null(find_ref(m, mail, WD_REF_INPUT, "notAnExpression"));
	assert_true(has_field(m, mail, "email"));
	assert_true(has_field(m, mail, "name"));
	assert_true(has_field(m, mail, "q"));
	/* one implicit edge per (source, reader), however often it is read */
	assert_int_equal(count_edges(m, hook, mail, WD_EDGE_EXPR), 1);
	assert_int_equal(count_edges(m, get, mail, WD_EDGE_EXPR), 1);
	assert_int_equal(count_edges(m, hook, get, WD_EDGE_FLOW), 1);
	/* the URL is a dynamic target */
	assert_int_equal(m->ntargets, 1);
	assert_true(m->targets[0].flags & WD_TARGET_DYNAMIC);
	wd_model_free(m);
}

static void test_code_nodes(void **state)
{
	wd_model *m = import_ok(WF(
		NODE("Src", "n8n-nodes-base.noOp", "{}") ","
		NODE("JS", "n8n-nodes-base.code",
		     "{\"jsCode\":\"const a = $input.first().json.amount;\\n"
		     "const b = $('Src').all();\\nreturn [{json: {a}}];\"}") ","
		NODE("Py", "n8n-nodes-base.code",
		     "{\"language\":\"python\",\"pythonCode\":\"x = _input.first().json.user_id\\n"
		     "y = _('Src').all()\"}") ","
		NODE("Fn", "n8n-nodes-base.function", "{\"functionCode\":\"return items;\"}") ","
		NODE("Sh", "n8n-nodes-base.executeCommand", "{\"command\":\"=ls {{ $json.dir }}\"}") ","
		NODE("ShStatic", "n8n-nodes-base.executeCommand", "{\"command\":\"uptime\"}") ","
		NODE("Ssh", "n8n-nodes-base.ssh", "{\"command\":\"=cat {{ $json.f }}\"}"),
		""));
	uint32_t src = comp_named(m, "Src"), js = comp_named(m, "JS"), py = comp_named(m, "Py");
	uint32_t fn = comp_named(m, "Fn"), sh = comp_named(m, "Sh");
	uint32_t shs = comp_named(m, "ShStatic"), ssh = comp_named(m, "Ssh");

	(void)state;
	assert_true(wd_str_starts_with(m->comps[js].code, "const a"));
	assert_true(wd_json_is_str(wd_model_val(m, m->comps[js].code_loc)));
	assert_non_null(find_ref(m, js, WD_REF_INPUT, "amount"));
	assert_non_null(find_ref(m, js, WD_REF_NODE, ""));
	assert_int_equal(count_edges(m, src, js, WD_EDGE_EXPR), 1);
	assert_true(m->comps[js].flags & WD_COMP_INPUT_USED);
	assert_true(has_field(m, js, "amount"));
	assert_true(wd_str_starts_with(m->comps[py].code, "x = _input"));
	assert_non_null(find_ref(m, py, WD_REF_INPUT, "user_id"));
	assert_int_equal(count_edges(m, src, py, WD_EDGE_EXPR), 1);
	assert_true(wd_str_eq_c(m->comps[fn].code, "return items;"));
	assert_int_equal(m->comps[fn].flags & WD_COMP_INPUT_USED, 0);
	assert_true(m->comps[sh].flags & WD_COMP_SHELL_DYNAMIC);
	assert_true(wd_str_eq_c(m->comps[sh].code, "=ls {{ $json.dir }}"));
	assert_int_equal(m->comps[shs].flags & WD_COMP_SHELL_DYNAMIC, 0);
	assert_true(wd_str_eq_c(m->comps[shs].code, "uptime"));
	assert_true(m->comps[ssh].flags & WD_COMP_SHELL_DYNAMIC);
	wd_model_free(m);
}

/* ---- SQL, files, TLS, error handler -------------------------------------------------- */

static void test_sql(void **state)
{
	wd_model *m = import_ok(WF(
		NODE("Dyn", "n8n-nodes-base.postgres",
		     "{\"operation\":\"executeQuery\",\"query\":\"=SELECT * FROM t WHERE id = {{ $json.id }}\"}") ","
		NODE("Param", "n8n-nodes-base.postgres",
		     "{\"operation\":\"executeQuery\",\"query\":\"SELECT * FROM t WHERE id = $1\","
		     "\"options\":{\"queryReplacement\":\"={{ $json.id }}\"}}") ","
		NODE("Old", "n8n-nodes-base.mySql", "{\"query\":\"=DELETE FROM t WHERE a='{{$json.a}}'\"}") ","
		NODE("OldParams", "n8n-nodes-base.postgres",
		     "{\"query\":\"SELECT 1\",\"additionalFields\":{\"queryParams\":\"id\"}}") ","
		NODE("Insert", "n8n-nodes-base.postgres",
		     "{\"operation\":\"insert\",\"query\":\"={{ $json.q }}\"}") ","
		NODE("Tool", "n8n-nodes-base.microsoftSqlTool",
		     "{\"operation\":\"executeQuery\",\"query\":\"={{ $fromAI('sql') }}\"}") ","
		NODE("Static", "n8n-nodes-base.snowflake",
		     "{\"operation\":\"executeQuery\",\"query\":\"SELECT 1\",\"options\":{\"queryReplacement\":\"\"}}"),
		""));
	uint32_t c;

	(void)state;
	c = comp_named(m, "Dyn");
	assert_true(m->comps[c].flags & WD_COMP_SQL_DYNAMIC);
	assert_int_equal(m->comps[c].flags & WD_COMP_SQL_PARAMS, 0);
	c = comp_named(m, "Param");
	assert_int_equal(m->comps[c].flags & WD_COMP_SQL_DYNAMIC, 0);
	assert_true(m->comps[c].flags & WD_COMP_SQL_PARAMS);
	c = comp_named(m, "Old");
	assert_true(m->comps[c].flags & WD_COMP_SQL_DYNAMIC);
	c = comp_named(m, "OldParams");
	assert_true(m->comps[c].flags & WD_COMP_SQL_PARAMS);
	c = comp_named(m, "Insert");
	assert_int_equal(m->comps[c].flags & (WD_COMP_SQL_DYNAMIC | WD_COMP_SQL_PARAMS), 0);
	c = comp_named(m, "Tool");
	assert_true(m->comps[c].flags & WD_COMP_SQL_DYNAMIC);
	assert_non_null(find_ref(m, c, WD_REF_INPUT, "sql"));
	c = comp_named(m, "Static");
	assert_int_equal(m->comps[c].flags & (WD_COMP_SQL_DYNAMIC | WD_COMP_SQL_PARAMS), 0);
	wd_model_free(m);
}

static void test_files_tls_errors(void **state)
{
	wd_model *m = import_ok(WF(
		NODE("RW", "n8n-nodes-base.readWriteFile", "{\"fileName\":\"=/data/{{ $json.name }}\"}") ","
		NODE("RWStatic", "n8n-nodes-base.readWriteFile", "{\"fileName\":\"/data/x.csv\"}") ","
		NODE("RB", "n8n-nodes-base.readBinaryFile", "{\"filePath\":\"={{ $json.p }}\"}") ","
		NODE("RBs", "n8n-nodes-base.readBinaryFiles", "{\"fileSelector\":\"={{ $json.g }}/*.txt\"}") ","
		NODE("Http", "n8n-nodes-base.httpRequest",
		     "{\"url\":\"https://10.0.0.1/x\",\"options\":{\"allowUnauthorizedCerts\":true}}") ","
		NODE("HttpOld", "n8n-nodes-base.httpRequest", "{\"url\":\"http://a.example\",\"allowUnauthorizedCerts\":true}") ","
		NODE("Mail", "n8n-nodes-base.emailReadImap", "{\"options\":{\"ignoreSSLIssues\":true}}") ","
		NODE("Ftp", "n8n-nodes-base.ftp", "{\"ignoreSSLIssues\":true}") ","
		NODE("Safe", "n8n-nodes-base.httpRequest", "{\"url\":\"https://a.example\",\"options\":{\"allowUnauthorizedCerts\":false}}") ","
		NODE("OnError", "n8n-nodes-base.errorTrigger", "{}"),
		""));

	(void)state;
	assert_true(m->comps[comp_named(m, "RW")].flags & WD_COMP_FS_DYNAMIC);
	assert_int_equal(m->comps[comp_named(m, "RWStatic")].flags & WD_COMP_FS_DYNAMIC, 0);
	assert_true(m->comps[comp_named(m, "RB")].flags & WD_COMP_FS_DYNAMIC);
	assert_true(m->comps[comp_named(m, "RBs")].flags & WD_COMP_FS_DYNAMIC);
	assert_true(m->comps[comp_named(m, "Http")].flags & WD_COMP_TLS_NOVERIFY);
	assert_true(m->comps[comp_named(m, "HttpOld")].flags & WD_COMP_TLS_NOVERIFY);
	assert_true(m->comps[comp_named(m, "Mail")].flags & WD_COMP_TLS_NOVERIFY);
	assert_true(m->comps[comp_named(m, "Ftp")].flags & WD_COMP_TLS_NOVERIFY);
	assert_int_equal(m->comps[comp_named(m, "Safe")].flags & WD_COMP_TLS_NOVERIFY, 0);
	assert_true(m->comps[comp_named(m, "OnError")].flags & WD_COMP_ERROR_HANDLER);
	/* three HTTP URLs, and the FTP node in (default) plain FTP mode */
	assert_int_equal(m->ntargets, 4);
	assert_int_equal(m->targets[0].flags & WD_TARGET_EXTERNAL, 0);
	assert_true(wd_str_eq_c(m->targets[2].scheme, "ftp"));
	assert_int_equal(m->targets[2].comp, comp_named(m, "Ftp"));
	assert_int_equal(m->targets[2].host.len, 0);
	wd_model_free(m);
}

/* ---- entry points ---------------------------------------------------------------- */

typedef struct auth_case {
	const char *params;
	wd_auth auth;
} auth_case;

static void test_webhook_auth(void **state)
{
	static const auth_case cases[] = {
		{"{\"path\":\"a\"}", WD_AUTH_NONE},
		{"{\"authentication\":\"none\"}", WD_AUTH_NONE},
		{"{\"authentication\":\"basicAuth\"}", WD_AUTH_BASIC},
		{"{\"authentication\":\"headerAuth\"}", WD_AUTH_HEADER},
		{"{\"authentication\":\"jwtAuth\"}", WD_AUTH_JWT},
		{"{\"authentication\":\"={{ $env.AUTH_MODE }}\"}", WD_AUTH_DYNAMIC},
		{"{\"authentication\":\"somethingNew\"}", WD_AUTH_UNKNOWN},
		{"{\"authentication\":7}", WD_AUTH_UNKNOWN},
	};
	size_t i;
	char json[512];

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		wd_model *m;
		const wd_json_val *al;
		snprintf(json, sizeof(json),
		         "{\"nodes\":[{\"name\":\"Hook\",\"type\":\"n8n-nodes-base.webhook\","
		         "\"parameters\":%s}],\"connections\":{}}",
		         cases[i].params);
		m = import_ok(json);
		assert_int_equal(m->ncomps, 1);
		if (m->comps[0].auth != cases[i].auth)
			fail_msg("case %zu: auth %s, expected %s", i, wd_auth_name(m->comps[0].auth),
			         wd_auth_name(cases[i].auth));
		assert_true(m->comps[0].flags & WD_COMP_PUBLIC);
		assert_int_equal(m->comps[0].kind, WD_KIND_ENTRY);
		al = wd_model_val(m, m->comps[0].auth_loc);
		assert_non_null(al);
		/* absent: points at parameters (where to add it); present: at the value */
		assert_int_equal(wd_json_is_obj(al), i == 0);
		wd_model_free(m);
	}
}

static void test_other_entries(void **state)
{
	wd_model *m = import_ok(WF(
		NODE("Public Chat", "@n8n/n8n-nodes-langchain.chatTrigger", "{\"public\":true,\"options\":{}}") ","
		NODE("Private Chat", "@n8n/n8n-nodes-langchain.chatTrigger", "{\"options\":{}}") ","
		NODE("Basic Chat", "@n8n/n8n-nodes-langchain.chatTrigger", "{\"public\":true,\"authentication\":\"basicAuth\"}") ","
		NODE("User Chat", "@n8n/n8n-nodes-langchain.chatTrigger", "{\"public\":true,\"authentication\":\"n8nUserAuth\"}") ","
		NODE("Form", "n8n-nodes-base.formTrigger",
		     "{\"formTitle\":\"t\",\"formFields\":{\"values\":[{\"fieldLabel\":\"Email\"},"
		     "{\"fieldLabel\":\"Phone number\"},{\"fieldType\":\"x\"}]}}") ","
		NODE("Form Auth", "n8n-nodes-base.formTrigger", "{\"authentication\":\"basicAuth\"}") ","
		NODE("MCP", "@n8n/n8n-nodes-langchain.mcpTrigger", "{}") ","
		NODE("MCP Bearer", "@n8n/n8n-nodes-langchain.mcpTrigger", "{\"authentication\":\"bearerAuth\"}") ","
		NODE("Wait Hook", "n8n-nodes-base.wait", "{\"resume\":\"webhook\",\"options\":{}}") ","
		NODE("Wait Auth", "n8n-nodes-base.wait", "{\"resume\":\"webhook\",\"incomingAuthentication\":\"basicAuth\"}") ","
		NODE("Wait Form", "n8n-nodes-base.wait", "{\"resume\":\"form\"}") ","
		NODE("Wait Timer", "n8n-nodes-base.wait", "{\"amount\":5}") ","
		NODE("Slack Trigger", "n8n-nodes-base.slackTrigger", "{\"authentication\":\"oAuth2\"}"),
		""));
	uint32_t c;

	(void)state;
	c = comp_named(m, "Public Chat");
	assert_true(m->comps[c].flags & WD_COMP_PUBLIC);
	assert_int_equal(m->comps[c].auth, WD_AUTH_NONE);
	c = comp_named(m, "Private Chat");
	assert_int_equal(m->comps[c].flags & WD_COMP_PUBLIC, 0);
	assert_int_equal(m->comps[c].auth, WD_AUTH_PLATFORM);
	c = comp_named(m, "Basic Chat");
	assert_int_equal(m->comps[c].auth, WD_AUTH_BASIC);
	c = comp_named(m, "User Chat");
	assert_int_equal(m->comps[c].auth, WD_AUTH_PLATFORM);
	c = comp_named(m, "Form");
	assert_true(m->comps[c].flags & WD_COMP_PUBLIC);
	assert_int_equal(m->comps[c].auth, WD_AUTH_NONE);
	assert_true(has_field(m, c, "Email"));
	assert_true(has_field(m, c, "Phone number"));
	c = comp_named(m, "Form Auth");
	assert_int_equal(m->comps[c].auth, WD_AUTH_BASIC);
	c = comp_named(m, "MCP");
	assert_true(m->comps[c].flags & WD_COMP_PUBLIC);
	assert_int_equal(m->comps[c].auth, WD_AUTH_NONE);
	c = comp_named(m, "MCP Bearer");
	assert_int_equal(m->comps[c].auth, WD_AUTH_HEADER);
	c = comp_named(m, "Wait Hook");
	assert_true(m->comps[c].flags & WD_COMP_PUBLIC);
	assert_int_equal(m->comps[c].auth, WD_AUTH_NONE);
	c = comp_named(m, "Wait Auth");
	assert_int_equal(m->comps[c].auth, WD_AUTH_BASIC);
	c = comp_named(m, "Wait Form");
	assert_true(m->comps[c].flags & WD_COMP_PUBLIC);
	c = comp_named(m, "Wait Timer");
	assert_int_equal(m->comps[c].flags & WD_COMP_PUBLIC, 0);
	assert_int_equal(m->comps[c].auth, WD_AUTH_UNKNOWN);
	c = comp_named(m, "Slack Trigger");
	assert_int_equal(m->comps[c].flags & WD_COMP_PUBLIC, 0);
	assert_int_equal(m->comps[c].auth, WD_AUTH_UNKNOWN);
	wd_model_free(m);
}

/* ---- data fields ------------------------------------------------------------------- */

static void test_set_fields(void **state)
{
	wd_model *m = import_ok(WF(
		NODE("Set New", "n8n-nodes-base.set",
		     "{\"assignments\":{\"assignments\":[{\"id\":\"1\",\"name\":\"customer_email\","
		     "\"value\":\"={{ $json.email }}\",\"type\":\"string\"},{\"name\":7}]}}") ","
		NODE("Set Old", "n8n-nodes-base.set",
		     "{\"values\":{\"string\":[{\"name\":\"iban\",\"value\":\"x\"}],"
		     "\"number\":[{\"name\":\"amount\",\"value\":1}]}}"),
		""));
	uint32_t a = comp_named(m, "Set New"), b = comp_named(m, "Set Old");

	(void)state;
	assert_true(has_field(m, a, "customer_email"));
	assert_true(has_field(m, a, "email"));
	assert_true(has_field(m, b, "iban"));
	assert_true(has_field(m, b, "amount"));
	assert_int_equal(m->nfields, 4);
	assert_int_equal(m->fields[0].cls, WD_CLASS_NONE);
	wd_model_free(m);
}

static void test_subworkflows(void **state)
{
	wd_model *m = import_ok(WF(
		NODE("Call", "n8n-nodes-base.executeWorkflow",
		     "{\"workflowId\":{\"__rl\":true,\"mode\":\"list\",\"value\":\"wf42\"}}") ","
		NODE("Old Call", "n8n-nodes-base.executeWorkflow", "{\"workflowId\":\"7\"}") ","
		NODE("Tool", "@n8n/n8n-nodes-langchain.toolWorkflow",
		     "{\"workflowId\":{\"__rl\":true,\"value\":\"={{ $workflow.id }}\"}}") ","
		NODE("Url", "n8n-nodes-base.executeWorkflow",
		     "{\"source\":\"url\",\"workflowUrl\":\"https://example.com/wf.json\"}") ","
		NODE("File", "n8n-nodes-base.executeWorkflow",
		     "{\"source\":\"localFile\",\"workflowPath\":\"=/wf/{{ $json.name }}.json\"}") ","
		NODE("Inline", "n8n-nodes-base.executeWorkflow", "{\"source\":\"parameter\"}"),
		""));

	(void)state;
	assert_non_null(find_ref(m, comp_named(m, "Call"), WD_REF_OTHER, "wf42"));
	assert_non_null(find_ref(m, comp_named(m, "Old Call"), WD_REF_OTHER, "7"));
	assert_non_null(find_ref(m, comp_named(m, "Tool"), WD_REF_OTHER, "={{ $workflow.id }}"));
	assert_int_equal(m->ntargets, 1);
	assert_int_equal(m->targets[0].comp, comp_named(m, "Url"));
	assert_true(m->comps[comp_named(m, "File")].flags & WD_COMP_FS_DYNAMIC);
	assert_non_null(find_ref(m, comp_named(m, "File"), WD_REF_INPUT, "name"));
	wd_model_free(m);
}

/* ---- settings and pinned data ---------------------------------------------------------- */

static void test_settings_pindata(void **state)
{
	wd_model *m = import_ok(
		"{\"name\":\"S\",\"active\":false,\"nodes\":[" NODE("A", "n8n-nodes-base.noOp", "{}") "],"
		"\"connections\":{},\"settings\":{\"callerPolicy\":\"any\",\"saveDataErrorExecution\":\"none\","
		"\"saveDataSuccessExecution\":\"all\",\"saveManualExecutions\":false,"
		"\"errorWorkflow\":\"42\",\"executionTimeout\":3600,\"executionOrder\":\"v1\"},"
		"\"pinData\":{\"A\":[{\"json\":{\"email\":\"a@b.c\"}}],\"B\":[],\"C\":null,\"D\":[{}]}}");
	const wd_app *a = &m->apps[0];

	(void)state;
	assert_int_equal(a->active, 0);
	assert_true(wd_str_eq_c(a->caller_policy, "any"));
	assert_int_equal(a->save_failed, 0);
	assert_int_equal(a->save_success, 1);
	assert_int_equal(a->save_manual, 0);
	assert_true(wd_str_eq_c(a->error_workflow, "42"));
	assert_int_equal(a->execution_timeout, 3600);
	assert_true(wd_json_is_obj(wd_model_val(m, a->settings_loc)));
	assert_int_equal(a->pin_nodes, 2);
	assert_true(wd_json_is_obj(wd_model_val(m, a->pindata_loc)));
	wd_model_free(m);

	m = import_ok("{\"nodes\":[],\"connections\":{},\"settings\":{\"saveDataErrorExecution\":\"all\","
	              "\"saveManualExecutions\":true,\"executionTimeout\":\"x\",\"errorWorkflow\":5},"
	              "\"pinData\":[]}");
	a = &m->apps[0];
	assert_int_equal(a->save_failed, 1);
	assert_int_equal(a->save_success, -1);
	assert_int_equal(a->save_manual, 1);
	assert_int_equal(a->execution_timeout, -1);
	assert_true(wd_str_eq_c(a->error_workflow, "5"));
	assert_int_equal(a->pin_nodes, 0);
	assert_int_equal(a->pindata_loc.doc, WD_NONE);
	assert_int_equal(a->active, -1);
	wd_model_free(m);
}

/* ---- shapes ---------------------------------------------------------------------------- */

static void test_wrapped_shapes(void **state)
{
	wd_model *m;

	(void)state;
	m = import_ok("{\"data\":" WF(NODE("A", "n8n-nodes-base.noOp", "{}"), "") "}");
	assert_int_equal(m->napps, 1);
	assert_int_equal(m->ncomps, 1);
	assert_int_equal(strlen(m->apps[0].hash), 64);
	wd_model_free(m);

	m = import_ok("[" WF(NODE("A", "n8n-nodes-base.noOp", "{}") "," NODE("B", "n8n-nodes-base.noOp", "{}"),
	                     "\"A\":{\"main\":[[{\"node\":\"B\",\"type\":\"main\",\"index\":0}]]}")
	              ", 5, {\"x\":1}, "
	              WF(NODE("B", "n8n-nodes-base.noOp", "{\"v\":\"={{ $('A').item.json.x }}\"}"), "") "]");
	assert_int_equal(m->napps, 2);
	assert_int_equal(m->apps[0].comp_count, 2);
	assert_int_equal(m->apps[1].comp_first, 2);
	assert_int_equal(m->apps[1].comp_count, 1);
	assert_int_equal(m->nedges, 1);
	/* $('A') in the second workflow names no node of that workflow */
	assert_int_equal(m->nrefs, 1);
	assert_int_equal(m->refs[0].src, WD_NONE);
	/* each hash covers its own workflow's text only */
	assert_string_not_equal(m->apps[0].hash, m->apps[1].hash);
	wd_model_free(m);

	/* identical text, identical hash */
	m = import_ok("{\"data\":[" WF("", "") "," WF("", "") "]}");
	assert_int_equal(m->napps, 2);
	assert_string_equal(m->apps[0].hash, m->apps[1].hash);
	wd_model_free(m);
}

static void test_bad_shapes(void **state)
{
	static const char *const tolerated[] = {
		"{\"nodes\":[1,\"x\",null,[],{}],\"connections\":[]}",
		"{\"nodes\":[{\"name\":5,\"type\":[],\"parameters\":\"str\",\"credentials\":\"c\","
		"\"disabled\":\"yes\",\"id\":{}}],\"connections\":{\"5\":{}}}",
		"{\"nodes\":[{\"name\":\"A\",\"type\":\"n8n-nodes-base.webhook\",\"parameters\":[]},"
		"{\"name\":\"A\",\"type\":\"n8n-nodes-base.noOp\"}],"
		"\"connections\":{\"A\":{\"main\":[[{\"node\":\"A\"}]]}},\"settings\":[],\"meta\":\"m\","
		"\"pinData\":\"p\",\"active\":\"yes\",\"name\":[]}",
		"{\"nodes\":[],\"connections\":null}",
		"{\"nodes\":[]}",
		"{\"name\":\"x\",\"nodes\":[{\"name\":\"P\",\"type\":\"n8n-nodes-base.postgres\","
		"\"parameters\":{\"operation\":5,\"query\":{\"a\":1},\"options\":\"o\"}},"
		"{\"name\":\"H\",\"type\":\"n8n-nodes-base.httpRequest\",\"parameters\":{\"url\":7}},"
		"{\"name\":\"F\",\"type\":\"n8n-nodes-base.formTrigger\",\"parameters\":{\"formFields\":{\"values\":{}}}},"
		"{\"name\":\"S\",\"type\":\"n8n-nodes-base.set\",\"parameters\":{\"assignments\":[],\"values\":{\"string\":{}}}},"
		"{\"name\":\"W\",\"type\":\"n8n-nodes-base.wait\",\"parameters\":{\"resume\":\"webhook\",\"options\":[]}}"
		"],\"connections\":{\"P\":{\"main\":{\"0\":[]},\"x\":[[null,{}]]}}}",
		"[{\"nodes\":[]},{\"nodes\":[]}]",
	};
	static const struct {
		const char *json;
		const char *pointer;
	} rejected[] = {
		{"{\"nodes\":{},\"connections\":{}}", "/nodes"},
		{"{\"nodes\":\"x\"}", "/nodes"},
		{"{\"name\":\"no nodes\"}", ""},
		{"[1,2,3]", ""},
		{"[]", ""},
		{"\"text\"", ""},
		{"{\"data\":5}", "/data"},
		{"{\"data\":[]}", ""},
		{"[{\"nodes\":5}]", "/0/nodes"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(tolerated) / sizeof(*tolerated); i++) {
		wd_model *m = import_ok(tolerated[i]);
		assert_int_equal(wd_model_finish(m), WD_OK);
		wd_model_free(m);
	}
	for (i = 0; i < sizeof(rejected) / sizeof(*rejected); i++) {
		wd_model *m = NULL;
		wd_error err;
		wd_status rc = import_text(rejected[i].json, &m, &err);
		if (rc != WD_EFORMAT)
			fail_msg("case %zu: expected WD_EFORMAT, got %d", i, (int)rc);
		assert_null(m);
		assert_int_equal(err.code, WD_EFORMAT);
		assert_true(strlen(err.message) > 0);
		assert_string_equal(err.pointer, rejected[i].pointer);
		assert_true(err.line >= 1);
	}
}

static void test_component_limit(void **state)
{
	wd_limits lim;
	wd_model *m = NULL;
	wd_json_doc *doc = NULL;
	wd_error err;
	uint32_t di;
	const char *json = WF(NODE("A", "n8n-nodes-base.noOp", "{}") "," NODE("B", "n8n-nodes-base.noOp", "{}")
	                      "," NODE("C", "n8n-nodes-base.noOp", "{}"), "");

	(void)state;
	memset(&lim, 0, sizeof(lim));
	lim.max_components = 2;
	assert_int_equal(wd_json_parse(&doc, json, strlen(json), NULL, &err), WD_OK);
	assert_int_equal(wd_model_new(&m, "t", &lim), WD_OK);
	assert_int_equal(wd_model_add_doc(m, "t", doc, &di), WD_OK);
	assert_int_equal(wd_import_n8n(m, di, NULL, &err), WD_ELIMIT);
	assert_true(strstr(err.message, "components") != NULL);
	wd_model_free(m);
}

/* ---- the shared corpus --------------------------------------------------------------- */

typedef struct corpus_totals {
	size_t files, apps, comps, notes, edges, expr_edges, refs, creds, fields, targets;
	size_t public_entries;
	size_t failures;
} corpus_totals;

static int is_note(const wd_json_doc *d, const wd_json_val *n)
{
	return wd_str_eq_c(wd_json_get_str(d, n, "type"), "n8n-nodes-base.stickyNote");
}

/* Non-note node named name exists (linear: independent of the importer). */
static int node_exists(const wd_json_doc *d, const wd_json_val *nodes, wd_str name)
{
	const wd_json_val *n;
	size_t i;

	if (!name.ptr)
		return 0;
	WD_JSON_ARR_FOREACH(nodes, i, n)
		if (wd_json_is_obj(n) && !is_note(d, n) && wd_str_eq(wd_json_get_str(d, n, "name"), name))
			return 1;
	return 0;
}

static size_t count_targets(const wd_json_doc *d, const wd_json_val *root)
{
	const wd_json_val *nodes = wd_json_get(d, root, "nodes");
	const wd_json_val *conns = wd_json_get(d, root, "connections"), *sk, *sv, *tk, *tv, *o, *t;
	size_t i, j, p, q, n = 0;

	if (!wd_json_is_obj(conns))
		return 0;
	WD_JSON_OBJ_FOREACH(conns, i, sk, sv)
	{
		if (!wd_json_is_obj(sv) || !node_exists(d, nodes, wd_json_str(d, sk)))
			continue;
		WD_JSON_OBJ_FOREACH(sv, j, tk, tv)
		{
			if (!wd_json_is_arr(tv))
				continue;
			WD_JSON_ARR_FOREACH(tv, p, o)
			{
				if (!wd_json_is_arr(o))
					continue;
				WD_JSON_ARR_FOREACH(o, q, t)
					if (node_exists(d, nodes, wd_json_get_str(d, t, "node")))
						n++;
			}
		}
	}
	return n;
}

static void import_corpus_file(const char *path, corpus_totals *tot)
{
	wd_json_doc *doc = NULL;
	wd_model *m = NULL;
	wd_error err;
	const wd_json_val *root;
	uint32_t di;
	size_t expect_edges, flow_edges = 0, k;
	wd_status rc;

	tot->files++;
	rc = wd_json_parse_file(&doc, path, NULL, &err);
	if (rc != WD_OK) {
		fprintf(stderr, "%s: parse: %s\n", path, err.message);
		tot->failures++;
		return;
	}
	root = wd_json_root(doc);
	expect_edges = count_targets(doc, root);
	assert_int_equal(wd_model_new(&m, path, NULL), WD_OK);
	m->platform = WD_PLATFORM_N8N;
	assert_int_equal(wd_model_add_doc(m, path, doc, &di), WD_OK);
	rc = wd_import_n8n(m, di, NULL, &err);
	if (rc == WD_OK)
		rc = wd_model_finish(m);
	if (rc != WD_OK) {
		fprintf(stderr, "%s: import: %s at %s\n", path, err.message, err.pointer);
		tot->failures++;
		wd_model_free(m);
		return;
	}
	for (k = 0; k < m->nedges; k++)
		if (m->edges[k].kind != WD_EDGE_EXPR)
			flow_edges++;
		else
			tot->expr_edges++;
	if (m->napps != 1 ||
	    m->ncomps + m->notes != wd_json_size(wd_json_get(doc, root, "nodes")) ||
	    flow_edges != expect_edges) {
		fprintf(stderr, "%s: apps %zu, comps %zu + notes %u vs nodes %zu, edges %zu vs %zu\n",
		        path, m->napps, m->ncomps, m->notes,
		        wd_json_size(wd_json_get(doc, root, "nodes")), flow_edges, expect_edges);
		tot->failures++;
	}
	for (k = 0; k < m->ncomps; k++)
		if (m->comps[k].flags & WD_COMP_PUBLIC)
			tot->public_entries++;
	tot->apps += m->napps;
	tot->comps += m->ncomps;
	tot->notes += m->notes;
	tot->edges += flow_edges;
	tot->refs += m->nrefs;
	tot->creds += m->ncreds;
	tot->fields += m->nfields;
	tot->targets += m->ntargets;
	wd_model_free(m);
}

static void walk_dir(const char *dir, corpus_totals *tot, unsigned depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];

	assert_non_null(d);
	assert_true(depth < 32);
	while ((e = readdir(d)) != NULL) {
		struct stat st;
		size_t n;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= sizeof(path))
			continue;
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			walk_dir(path, tot, depth + 1);
			continue;
		}
		n = strlen(e->d_name);
		if (n > 5 && strcmp(e->d_name + n - 5, ".json") == 0)
			import_corpus_file(path, tot);
	}
	closedir(d);
}

static void test_corpus(void **state)
{
	corpus_totals tot;
	struct timespec t0, t1;
	struct stat st;
	double secs;

	(void)state;
	if (stat(WARDEN_CORPUS_DIR "/n8n", &st) != 0) {
		fprintf(stderr, "corpus not found at %s/n8n; skipped\n", WARDEN_CORPUS_DIR);
		skip();
	}
	memset(&tot, 0, sizeof(tot));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	walk_dir(WARDEN_CORPUS_DIR "/n8n", &tot, 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("n8n corpus: %zu files, %zu apps, %zu components, %zu notes, %zu edges "
	       "(+%zu expression edges), %zu refs, %zu credentials, %zu fields, %zu targets, "
	       "%zu public entry points, %.2f s\n",
	       tot.files, tot.apps, tot.comps, tot.notes, tot.edges, tot.expr_edges, tot.refs,
	       tot.creds, tot.fields, tot.targets, tot.public_entries, secs);
	assert_int_equal(tot.failures, 0);
	assert_true(tot.files >= 1800);
	assert_int_equal(tot.apps, tot.files);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_table),
		cmocka_unit_test(test_scan_many),
		cmocka_unit_test(test_scan_robust),
		cmocka_unit_test(test_app_and_ids),
		cmocka_unit_test(test_sticky_notes),
		cmocka_unit_test(test_connections),
		cmocka_unit_test(test_ai_edges),
		cmocka_unit_test(test_credentials),
		cmocka_unit_test(test_expressions),
		cmocka_unit_test(test_code_nodes),
		cmocka_unit_test(test_sql),
		cmocka_unit_test(test_files_tls_errors),
		cmocka_unit_test(test_webhook_auth),
		cmocka_unit_test(test_other_entries),
		cmocka_unit_test(test_set_fields),
		cmocka_unit_test(test_subworkflows),
		cmocka_unit_test(test_settings_pindata),
		cmocka_unit_test(test_wrapped_shapes),
		cmocka_unit_test(test_bad_shapes),
		cmocka_unit_test(test_component_limit),
		cmocka_unit_test(test_corpus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
