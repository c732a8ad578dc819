/*
 * test_import_make.c - the Make (Integromat) blueprint importer.
 *
 * Small inline blueprints imported through wd_import_buffer (detection and
 * finishing included), one mapping rule each: flow order, routers and nested
 * routes, if-else branches, error handler routes, {{1.email}} references and
 * their edges (a missing module included), connections, restore e-mail
 * labels, scenario flags, custom webhooks, HTTP targets and TLS, code
 * modules, a BOM, hostile nesting and odd shapes. Last, every blueprint of
 * the shared corpus is imported and its component count checked against a
 * count of modules made here straight from the JSON.
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

#ifdef WARDEN_HAVE_JANSSON
#include <jansson.h>
#endif

#include "warden/import.h"
#include "warden/model.h"

/* ---- helpers ------------------------------------------------------------- */

/* Import json (detection, importer, finish) under opts (NULL = defaults). */
static wd_status import_with(const char *json, size_t len, const wd_import_opts *opts,
                             wd_model **out, wd_error *err)
{
	char *copy = malloc(len + 1);

	assert_non_null(copy);
	memcpy(copy, json, len);
	copy[len] = '\0';
	wd_error_clear(err);
	return wd_import_buffer(out, "scenario.json", copy, len, opts, NULL, err);
}

static wd_model *import_ok(const char *json)
{
	wd_model *m = NULL;
	wd_error err;
	wd_status rc = import_with(json, strlen(json), NULL, &m, &err);

	if (rc != WD_OK)
		fail_msg("import failed: %s (%s, line %u)", err.message, err.pointer, err.line);
	assert_int_equal(m->platform, WD_PLATFORM_MAKE);
	return m;
}

/* The importer alone on any JSON (no detection), for shapes detection refuses. */
static wd_status import_direct(const char *json, wd_error *err)
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
	assert_int_equal(wd_json_parse_owned(&doc, copy, len, NULL, err), WD_OK);
	assert_int_equal(wd_model_new(&m, "odd.json", NULL), WD_OK);
	assert_int_equal(wd_model_add_doc(m, "odd.json", doc, &di), WD_OK);
	rc = wd_import_make(m, di, NULL, err);
	if (rc == WD_OK)
		rc = wd_model_finish(m);
	wd_model_free(m);
	return rc;
}

static uint32_t comp(const wd_model *m, const char *id)
{
	size_t i;

	for (i = 0; i < m->ncomps; i++)
		if (wd_str_eq_c(m->comps[i].id, id))
			return (uint32_t)i;
	fail_msg("no component %s", id);
	return WD_NONE;
}

static size_t count_edges(const wd_model *m, const char *from, const char *to, wd_edge_kind k)
{
	size_t i, n = 0;

	for (i = 0; i < m->nedges; i++)
		if (m->edges[i].kind == k && wd_str_eq_c(m->comps[m->edges[i].from].id, from) &&
		    wd_str_eq_c(m->comps[m->edges[i].to].id, to))
			n++;
	return n;
}

static size_t count_kind(const wd_model *m, wd_edge_kind k)
{
	size_t i, n = 0;

	for (i = 0; i < m->nedges; i++)
		n += m->edges[i].kind == k;
	return n;
}

/* The ref of component c with that path; NULL if none. */
static const wd_ref *ref_of(const wd_model *m, uint32_t c, const char *path)
{
	size_t i;

	for (i = 0; i < m->nrefs; i++)
		if (m->refs[i].comp == c && wd_str_eq_c(m->refs[i].path, path))
			return &m->refs[i];
	return NULL;
}

static const wd_field *field_of(const wd_model *m, uint32_t c, const char *name)
{
	size_t i;

	for (i = 0; i < m->nfields; i++)
		if (m->fields[i].comp == c && wd_str_eq_c(m->fields[i].name, name))
			return &m->fields[i];
	return NULL;
}

static const wd_target *target_of(const wd_model *m, uint32_t c)
{
	size_t i;

	for (i = 0; i < m->ntargets; i++)
		if (m->targets[i].comp == c)
			return &m->targets[i];
	return NULL;
}

static size_t uses_of(const wd_model *m, uint32_t cred)
{
	size_t i, n = 0;

	for (i = 0; i < m->ncred_uses; i++)
		n += m->cred_uses[i].cred == cred;
	return n;
}

static void check_str(wd_str s, const char *want)
{
	if (!wd_str_eq_c(s, want))
		fail_msg("got \"%.*s\", want \"%s\"", (int)s.len, s.ptr ? s.ptr : "", want);
}

/* Every index in the model points inside its table. */
static void check_model(const wd_model *m)
{
	size_t i, a, next = 0;

	for (a = 0; a < m->napps; a++) {
		assert_int_equal(m->apps[a].comp_first, next);
		next += m->apps[a].comp_count;
	}
	assert_int_equal(next, m->ncomps);
	for (i = 0; i < m->nedges; i++) {
		assert_true(m->edges[i].from < m->ncomps);
		assert_true(m->edges[i].to < m->ncomps);
	}
	for (i = 0; i < m->nrefs; i++) {
		assert_true(m->refs[i].comp < m->ncomps);
		assert_true(m->refs[i].src == WD_NONE || m->refs[i].src < m->ncomps);
	}
	for (i = 0; i < m->ncred_uses; i++) {
		assert_true(m->cred_uses[i].comp < m->ncomps);
		assert_true(m->cred_uses[i].cred < m->ncreds);
	}
	for (i = 0; i < m->nfields; i++)
		assert_true(m->fields[i].comp < m->ncomps);
}

/* ---- mapping tests --------------------------------------------------------- */

static void test_flow_order(void **state)
{
	wd_model *m = import_ok(
		"{\"name\":\"Orders\",\"flow\":["
		"{\"id\":1,\"module\":\"google-sheets:watchRows\",\"version\":2,\"parameters\":{},"
		"\"mapper\":{},\"metadata\":{\"designer\":{\"x\":0,\"y\":0}}},"
		"{\"id\":2,\"module\":\"slack:CreateMessage\",\"metadata\":{\"designer\":{\"name\":\"Tell the team\"}}},"
		"{\"id\":3,\"module\":\"util:SetVariable2\"}],"
		"\"metadata\":{\"instant\":false,\"version\":1,\"scenario\":{\"roundtrips\":1,"
		"\"confidential\":true,\"dataloss\":false},\"zone\":\"eu1.make.com\"}}");
	const wd_app *a;
	size_t i;

	(void)state;
	check_model(m);
	assert_int_equal(m->napps, 1);
	a = &m->apps[0];
	assert_int_equal(a->platform, WD_PLATFORM_MAKE);
	check_str(a->name, "Orders");
	check_str(a->id, "Orders");
	assert_int_equal(a->confidential, 1);
	assert_int_equal(a->error_handling, 0);
	assert_int_equal(a->active, -1);
	assert_int_not_equal(a->settings_loc.doc, WD_NONE);
	assert_int_equal(strlen(a->hash), 64);
	for (i = 0; i < 64; i++)
		assert_non_null(strchr("0123456789abcdef", a->hash[i]));
	assert_int_equal(m->ncomps, 3);
	check_str(m->comps[0].id, "1");
	check_str(m->comps[0].type, "google-sheets:watchRows");
	check_str(m->comps[0].name, "google-sheets:watchRows");
	check_str(m->comps[1].name, "Tell the team");
	assert_int_equal(count_edges(m, "1", "2", WD_EDGE_FLOW), 1);
	assert_int_equal(count_edges(m, "2", "3", WD_EDGE_FLOW), 1);
	assert_int_equal(m->nedges, 2);
	wd_model_free(m);
}

static void test_confidential_flag(void **state)
{
	wd_model *m;

	(void)state;
	m = import_ok("{\"name\":\"a\",\"flow\":[{\"id\":1,\"module\":\"util:SetVariable2\"}],"
	              "\"metadata\":{\"scenario\":{\"confidential\":false}}}");
	assert_int_equal(m->apps[0].confidential, 0);
	wd_model_free(m);
	m = import_ok("{\"name\":\"a\",\"flow\":[{\"id\":1,\"module\":\"util:SetVariable2\"}],"
	              "\"metadata\":{\"scenario\":{\"confidential\":\"yes\"}}}");
	assert_int_equal(m->apps[0].confidential, -1);
	wd_model_free(m);
	m = import_ok("{\"flow\":[{\"id\":1,\"module\":\"util:SetVariable2\"}]}");
	assert_int_equal(m->apps[0].confidential, -1);
	assert_int_equal(m->apps[0].settings_loc.doc, WD_NONE);
	check_str(m->apps[0].id, "");
	wd_model_free(m);
}

static void test_routers_nested(void **state)
{
	/* 1 -> router 2 -> {route 0: 3 -> router 4 -> {5 | 6}, route 1: 7}, then 8 */
	wd_model *m = import_ok(
		"{\"name\":\"r\",\"flow\":["
		"{\"id\":1,\"module\":\"gateway:CustomWebHook\",\"parameters\":{\"hook\":77}},"
		"{\"id\":2,\"module\":\"builtin:BasicRouter\",\"routes\":["
		"  {\"flow\":[{\"id\":3,\"module\":\"util:SetVariable2\"},"
		"             {\"id\":4,\"module\":\"builtin:BasicRouter\",\"routes\":["
		"                {\"flow\":[{\"id\":5,\"module\":\"slack:CreateMessage\"}]},"
		"                {\"flow\":[{\"id\":6,\"module\":\"gmail:sendEmail\"}]},"
		"                {\"flow\":[]}, {\"noflow\":1}, 7]}]},"
		"  {\"flow\":[{\"id\":7,\"module\":\"google-sheets:addRow\"}]}]},"
		"{\"id\":8,\"module\":\"util:SetVariable2\"}],\"metadata\":{}}");
	uint32_t i;

	(void)state;
	check_model(m);
	assert_int_equal(m->ncomps, 8);
	/* document order: a module, everything nested in it, then its sibling */
	for (i = 0; i < 8; i++) {
		char id[4];
		snprintf(id, sizeof(id), "%u", i + 1);
		check_str(m->comps[i].id, id);
	}
	assert_int_equal(count_edges(m, "1", "2", WD_EDGE_FLOW), 1);
	assert_int_equal(count_edges(m, "2", "3", WD_EDGE_FLOW), 1);
	assert_int_equal(count_edges(m, "2", "7", WD_EDGE_FLOW), 1);
	assert_int_equal(count_edges(m, "3", "4", WD_EDGE_FLOW), 1);
	assert_int_equal(count_edges(m, "4", "5", WD_EDGE_FLOW), 1);
	assert_int_equal(count_edges(m, "4", "6", WD_EDGE_FLOW), 1);
	assert_int_equal(count_edges(m, "2", "8", WD_EDGE_FLOW), 1);
	/* no edge between the routes */
	assert_int_equal(count_edges(m, "3", "7", WD_EDGE_FLOW), 0);
	assert_int_equal(count_edges(m, "5", "6", WD_EDGE_FLOW), 0);
	for (i = 0; i < m->nedges; i++)
		if (m->edges[i].from == comp(m, "4") && m->edges[i].to == comp(m, "6")) {
			check_str(m->edges[i].label, "route");
			assert_int_equal(m->edges[i].port, 1);
		}
	wd_model_free(m);
}

static void test_if_else_branches(void **state)
{
	wd_model *m = import_ok(
		"{\"name\":\"b\",\"flow\":[{\"id\":1,\"module\":\"util:SetVariable2\"},"
		"{\"id\":2,\"module\":\"builtin:BasicIfElse\",\"mapper\":null,\"branches\":["
		"  {\"type\":\"condition\",\"merge\":true,\"flow\":[{\"id\":3,\"module\":\"json:CreateJSON\"}]},"
		"  {\"type\":\"else\",\"merge\":false,\"flow\":[{\"id\":4,\"module\":\"slack:CreateMessage\"}]}]},"
		"{\"id\":5,\"module\":\"builtin:BasicMerge\"}]}");

	(void)state;
	check_model(m);
	assert_int_equal(m->ncomps, 5);
	assert_int_equal(count_edges(m, "2", "3", WD_EDGE_FLOW), 1);
	assert_int_equal(count_edges(m, "2", "4", WD_EDGE_FLOW), 1);
	assert_int_equal(count_edges(m, "3", "5", WD_EDGE_FLOW), 1); /* merged */
	assert_int_equal(count_edges(m, "4", "5", WD_EDGE_FLOW), 0);
	assert_int_equal(count_edges(m, "2", "5", WD_EDGE_FLOW), 1);
	wd_model_free(m);
}

static void test_error_handlers(void **state)
{
	wd_model *m = import_ok(
		"{\"name\":\"e\",\"flow\":[{\"id\":1,\"module\":\"util:SetVariable2\"},"
		"{\"id\":2,\"module\":\"http:ActionSendData\",\"mapper\":{\"url\":\"https://api.example.com/x\"},"
		" \"onerror\":[{\"id\":10,\"module\":\"slack:CreateMessage\"},"
		"              {\"id\":11,\"module\":\"builtin:Ignore\"}]},"
		"{\"id\":3,\"module\":\"google-sheets:addRow\",\"onerror\":[]}]}");

	(void)state;
	check_model(m);
	assert_int_equal(m->ncomps, 5);
	assert_int_equal(m->apps[0].error_handling, 1);
	assert_int_equal(count_edges(m, "2", "10", WD_EDGE_ERROR), 1);
	assert_int_equal(count_edges(m, "10", "11", WD_EDGE_FLOW), 1);
	assert_int_equal(count_edges(m, "2", "3", WD_EDGE_FLOW), 1);
	assert_int_equal(count_kind(m, WD_EDGE_ERROR), 1);
	assert_true(m->comps[comp(m, "10")].flags & WD_COMP_ERROR_HANDLER);
	wd_model_free(m);

	/* an empty onerror route handles nothing */
	m = import_ok("{\"name\":\"e\",\"flow\":[{\"id\":1,\"module\":\"util:SetVariable2\","
	              "\"onerror\":[]},{\"id\":2,\"module\":\"util:SetVariable2\",\"onerror\":{}}]}");
	assert_int_equal(m->apps[0].error_handling, 0);
	wd_model_free(m);
}

static void test_mapper_references(void **state)
{
	wd_model *m = import_ok(
		"{\"name\":\"x\",\"flow\":["
		"{\"id\":1,\"module\":\"gateway:CustomWebHook\",\"parameters\":{\"hook\":5}},"
		"{\"id\":2,\"module\":\"http:ActionSendData\",\"mapper\":{\"url\":\"https://x.example.com\","
		"  \"data\":\"{{1.email}} {{1.email}} and {{1.`Full Name`}}\"}},"
		"{\"id\":3,\"module\":\"util:SetVariable2\",\"mapper\":{"
		"  \"a\":\"{{2.data.items[].id}}\","
		"  \"b\":[{\"c\":\"{{formatDate(1.date; \\\"YYYY 9.x\\\")}} {{3.14}} {{99.ghost}}\"}],"
		"  \"d\":\"no braces 1.email\","
		"  \"e\":\"{{if(2.ok; 2.`Channel ID`; emptystring)}} {{abc1.x}} {{1.`__IMTINDEX__`}}\","
		"  \"f\":\"{{1.`4`}} {{1.rows[2].`0`}}\"},"
		" \"filter\":{\"name\":\"only\",\"conditions\":[[{\"a\":\"{{1.status}}\",\"o\":\"text:equal\"}]]}},"
		"{\"id\":4,\"module\":\"util:SetVariable2\",\"filter\":{\"conditions\":[[{\"a\":\"{{3.v}}\"}]]}}]}");
	uint32_t c2, c3, c4;
	const wd_ref *r;

	(void)state;
	check_model(m);
	c2 = comp(m, "2");
	c3 = comp(m, "3");
	c4 = comp(m, "4");
	r = ref_of(m, c2, "email");
	assert_non_null(r);
	assert_int_equal(r->kind, WD_REF_NODE);
	assert_int_equal(r->src, comp(m, "1"));
	assert_non_null(ref_of(m, c2, "Full Name"));
	assert_non_null(field_of(m, c2, "email"));
	assert_non_null(field_of(m, c2, "Full Name"));
	assert_true(m->comps[c2].flags & WD_COMP_INPUT_USED);

	r = ref_of(m, c3, "data.items[].id");
	assert_non_null(r);
	assert_int_equal(r->src, c2);
	assert_non_null(field_of(m, c3, "id"));
	assert_non_null(ref_of(m, c3, "date"));
	assert_non_null(ref_of(m, c3, "ok"));
	assert_non_null(ref_of(m, c3, "Channel ID"));
	assert_non_null(ref_of(m, c3, "status"));
	assert_non_null(ref_of(m, c3, "__IMTINDEX__"));
	assert_null(field_of(m, c3, "__IMTINDEX__"));
	assert_non_null(ref_of(m, c3, "4"));
	assert_null(field_of(m, c3, "4"));
	assert_non_null(ref_of(m, c3, "rows[2].0"));
	/* not references: a number, text in quotes, outside braces, inside a name */
	assert_null(ref_of(m, c3, "14"));
	assert_null(ref_of(m, c3, "x"));
	/* a missing module: the ref is kept without a source, and no edge */
	r = ref_of(m, c3, "ghost");
	assert_non_null(r);
	assert_int_equal(r->src, WD_NONE);

	/* one EXPR edge per (source, reader) pair */
	assert_int_equal(count_edges(m, "1", "2", WD_EDGE_EXPR), 1);
	assert_int_equal(count_edges(m, "1", "3", WD_EDGE_EXPR), 1);
	assert_int_equal(count_edges(m, "2", "3", WD_EDGE_EXPR), 1);
	assert_int_equal(count_edges(m, "3", "4", WD_EDGE_EXPR), 1);
	assert_int_equal(count_kind(m, WD_EDGE_EXPR), 4);
	/* a filter reads input but does not make the module's own input dynamic */
	assert_false(m->comps[c4].flags & WD_COMP_INPUT_USED);
	assert_non_null(ref_of(m, c4, "v"));
	wd_model_free(m);
}

static void test_reference_text_edges(void **state)
{
	/* broken expressions: nothing may be read past a string's end */
	static const char *const texts[] = {
		"{{", "{{1.", "{{1.`open}}", "{{1.a[", "{{1.a[12345678901234]}}", "}}{{",
		"{{\\\"1.x}}", "{{1..a}}", "{{1.`a`.`b`[].c.}}", "{{{{1.a}}}}", "{{ 12345678901.a }}",
		"{{1.a}", "{", "{{1.\\u00e9t\\u00e9}}",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(texts) / sizeof(*texts); i++) {
		char json[512];
		wd_model *m;
		snprintf(json, sizeof(json),
		         "{\"flow\":[{\"id\":1,\"module\":\"util:SetVariable2\"},"
		         "{\"id\":2,\"module\":\"util:SetVariable2\",\"mapper\":{\"v\":\"%s\"}}]}",
		         texts[i]);
		m = import_ok(json);
		check_model(m);
		wd_model_free(m);
	}
	{
		wd_model *m = import_ok("{\"flow\":[{\"id\":1,\"module\":\"util:SetVariable2\"},"
		                        "{\"id\":2,\"module\":\"util:SetVariable2\",\"mapper\":{"
		                        "\"v\":\"{{{{1.a}}}} {{1.`a`.`b`[].c.}} {{1.\\u00e9t\\u00e9}}\"}}]}");
		assert_non_null(ref_of(m, 1, "a"));
		assert_non_null(ref_of(m, 1, "a.b[].c"));
		assert_non_null(ref_of(m, 1, "\xc3\xa9t\xc3\xa9"));
		wd_model_free(m);
	}
}

static void test_many_references_capped(void **state)
{
	wd_buf b;
	wd_model *m;
	wd_error err;
	size_t i;

	(void)state;
	wd_buf_init(&b, WD_BUF_DEFAULT_MAX);
	wd_buf_puts(&b, "{\"flow\":[{\"id\":1,\"module\":\"util:SetVariable2\"},"
	                "{\"id\":2,\"module\":\"util:SetVariable2\",\"mapper\":{\"v\":\"");
	for (i = 0; i < 5000; i++)
		wd_buf_printf(&b, "{{1.f%zu}}", i);
	wd_buf_puts(&b, "\"}}]}");
	assert_false(wd_buf_failed(&b));
	assert_int_equal(import_with(b.data, b.len, NULL, &m, &err), WD_OK);
	assert_true(m->nrefs > 0 && m->nrefs <= 1024);
	assert_int_equal(count_kind(m, WD_EDGE_EXPR), 1);
	wd_model_free(m);
	wd_buf_release(&b);
}

static void test_connections(void **state)
{
	wd_model *m = import_ok(
		"{\"name\":\"c\",\"flow\":["
		"{\"id\":1,\"module\":\"google-sheets:watchRows\",\"parameters\":{\"__IMTCONN__\":123},"
		" \"metadata\":{\"restore\":{\"parameters\":{\"__IMTCONN__\":{\"label\":"
		"   \"My Google connection (jane.doe@example.com)\",\"data\":{\"scoped\":\"true\"}}}},"
		"   \"parameters\":[{\"name\":\"__IMTCONN__\",\"type\":\"account:google\"}]}},"
		"{\"id\":2,\"module\":\"google-docs:createADocument\",\"parameters\":{\"__IMTCONN__\":123}},"
		"{\"id\":3,\"module\":\"email:ActionSendEmail\",\"parameters\":{\"account\":456},"
		" \"metadata\":{\"restore\":{\"account\":{\"label\":\"SMTP relay\"}},"
		"   \"parameters\":[{\"name\":\"account\",\"type\":\"account:smtp,google-restricted\"}]}},"
		"{\"id\":4,\"module\":\"http:ActionSendDataAPIKeyAuth\",\"parameters\":{\"auth\":789},"
		" \"mapper\":{\"url\":\"https://api.example.com\"},"
		" \"metadata\":{\"parameters\":[{\"name\":\"auth\",\"type\":\"keychain:apikeyauth\"}]}},"
		"{\"id\":5,\"module\":\"slack:CreateMessage\",\"parameters\":{\"__IMTCONN__\":\"\"},"
		" \"metadata\":{\"restore\":{\"expect\":{\"to\":{\"label\":\"ops team\"}}}}},"
		"{\"id\":6,\"module\":\"google-calendar:watchEvents\",\"parameters\":{\"__IMTCONN__\":9},"
		" \"metadata\":{\"restore\":{\"__IMTCONN__\":{\"label\":\"bob@example.org\"}}}}]}");
	uint32_t i, c123 = WD_NONE, c456 = WD_NONE, c789 = WD_NONE, c9 = WD_NONE;
	const wd_field *f;

	(void)state;
	check_model(m);
	assert_int_equal(m->ncreds, 4);
	for (i = 0; i < m->ncreds; i++) {
		assert_int_equal(m->creds[i].storage, WD_CRED_VAULT);
		if (wd_str_eq_c(m->creds[i].id, "123"))
			c123 = i;
		if (wd_str_eq_c(m->creds[i].id, "456"))
			c456 = i;
		if (wd_str_eq_c(m->creds[i].id, "789"))
			c789 = i;
		if (wd_str_eq_c(m->creds[i].id, "9"))
			c9 = i;
	}
	assert_int_not_equal(c123, WD_NONE);
	check_str(m->creds[c123].name, "My Google connection (jane.doe@example.com)");
	check_str(m->creds[c123].type, "google-sheets");
	assert_int_equal(m->creds[c123].comp, comp(m, "1"));
	assert_int_equal(uses_of(m, c123), 2);
	assert_int_not_equal(c456, WD_NONE);
	check_str(m->creds[c456].name, "SMTP relay");
	check_str(m->creds[c456].type, "email");
	assert_int_not_equal(c789, WD_NONE);
	check_str(m->creds[c789].type, "http");
	assert_int_equal(m->creds[c789].name.len, 0);
	assert_int_not_equal(c9, WD_NONE);
	check_str(m->creds[c9].name, "bob@example.org");
	assert_int_equal(m->comps[comp(m, "4")].auth, WD_AUTH_API_KEY);

	/* the owner hint is the first account label */
	check_str(m->apps[0].owner_hint, "My Google connection (jane.doe@example.com)");
	/* labels with an e-mail address are personal data of that module */
	f = field_of(m, comp(m, "1"), "account e-mail");
	assert_non_null(f);
	assert_int_equal(f->cls, WD_CLASS_PII);
	f = field_of(m, comp(m, "6"), "account e-mail");
	assert_non_null(f);
	assert_int_equal(f->cls, WD_CLASS_PII);
	assert_null(field_of(m, comp(m, "3"), "account e-mail"));
	assert_null(field_of(m, comp(m, "5"), "account e-mail"));
	wd_model_free(m);
}

static void test_custom_webhook(void **state)
{
	wd_model *m = import_ok(
		"{\"name\":\"w\",\"flow\":["
		"{\"id\":1,\"module\":\"gateway:CustomWebHook\",\"parameters\":{\"hook\":1868544,\"maxResults\":1},"
		" \"metadata\":{\"restore\":{\"parameters\":{\"hook\":{\"label\":\"Orders in\"}}},"
		"   \"interface\":[{\"name\":\"customer_email\",\"type\":\"text\"},"
		"     {\"name\":\"__IMTHEADERS__\",\"type\":\"array\",\"spec\":[{\"name\":\"name\"}]},"
		"     {\"name\":\"line_items\",\"type\":\"array\",\"spec\":{\"type\":\"collection\","
		"        \"spec\":[{\"name\":\"sku\",\"type\":\"text\"}]}}]}},"
		"{\"id\":2,\"module\":\"gateway:WebhookRespond\",\"mapper\":{\"status\":\"200\"}}]}");
	const wd_component *c;
	size_t i, hooks = 0;

	(void)state;
	check_model(m);
	c = &m->comps[0];
	assert_int_equal(c->kind, WD_KIND_ENTRY);
	assert_true(c->flags & WD_COMP_PUBLIC);
	/* IP restriction and data structure live on the hook, not in the blueprint */
	assert_int_equal(c->auth, WD_AUTH_UNKNOWN);
	assert_int_not_equal(c->auth_loc.doc, WD_NONE);
	assert_non_null(field_of(m, 0, "customer_email"));
	assert_non_null(field_of(m, 0, "line_items"));
	assert_non_null(field_of(m, 0, "sku"));
	assert_null(field_of(m, 0, "__IMTHEADERS__"));
	assert_null(field_of(m, 0, "name"));
	assert_int_equal(field_of(m, 0, "customer_email")->cls, WD_CLASS_PII);
	for (i = 0; i < m->nrefs; i++)
		if (m->refs[i].kind == WD_REF_OTHER && wd_str_eq_c(m->refs[i].path, "1868544"))
			hooks++;
	assert_int_equal(hooks, 1);
	assert_false(m->comps[1].flags & WD_COMP_PUBLIC);
	wd_model_free(m);

	/* an app's own webhook (instant trigger) and a mailhook */
	m = import_ok("{\"flow\":[{\"id\":1,\"module\":\"slack:NewEvent\",\"parameters\":{\"__IMTHOOK__\":1}},"
	              "{\"id\":2,\"module\":\"typeform:WatchEventsWithResponses\",\"parameters\":{\"hook\":2}}]}");
	assert_int_equal(m->comps[0].kind, WD_KIND_TRIGGER);
	assert_false(m->comps[0].flags & WD_COMP_PUBLIC);
	assert_false(m->comps[1].flags & WD_COMP_PUBLIC);
	wd_model_free(m);
	m = import_ok("{\"flow\":[{\"id\":1,\"module\":\"gateway:CustomMailHook\",\"parameters\":{\"hook\":1}}]}");
	assert_int_equal(m->comps[0].kind, WD_KIND_ENTRY);
	assert_true(m->comps[0].flags & WD_COMP_PUBLIC);
	wd_model_free(m);
}

static void test_http_targets(void **state)
{
	wd_model *m = import_ok(
		"{\"flow\":["
		"{\"id\":1,\"module\":\"http:ActionSendData\",\"mapper\":{\"url\":\"https://api.example.com/v1\","
		"  \"method\":\"post\",\"rejectUnauthorized\":true}},"
		"{\"id\":2,\"module\":\"http:ActionGetFile\",\"mapper\":{\"url\":\"{{1.data.next}}\","
		"  \"rejectUnauthorized\":false}},"
		"{\"id\":3,\"module\":\"http:ActionSendData\",\"mapper\":{\"url\":\"http://10.0.0.5/x\","
		"  \"authUser\":\"svc\",\"authPass\":\"hunter2hunter2\"}},"
		"{\"id\":4,\"module\":\"http:MakeRequest\",\"parameters\":{\"authenticationType\":\"noAuth\"},"
		"  \"mapper\":{\"url\":\"https://h.example.com/{{1.id}}\",\"headers\":[{\"name\":\"Authorization\","
		"  \"value\":\"Bearer {{1.t}}\"}]}},"
		"{\"id\":5,\"module\":\"http:ActionSendData\",\"mapper\":{\"url\":7}},"
		"{\"id\":6,\"module\":\"kintone:makeAPICall\",\"mapper\":{\"url\":\"/k/v1/record.json\"}}]}");
	const wd_target *t;

	(void)state;
	check_model(m);
	t = target_of(m, 0);
	assert_non_null(t);
	check_str(t->host, "api.example.com");
	assert_false(t->flags & WD_TARGET_DYNAMIC);
	assert_true(t->flags & WD_TARGET_TLS);
	assert_false(m->comps[0].flags & WD_COMP_TLS_NOVERIFY);
	assert_int_equal(m->comps[0].auth, WD_AUTH_NONE);
	t = target_of(m, 1);
	assert_non_null(t);
	assert_true(t->flags & WD_TARGET_DYNAMIC);
	assert_true(m->comps[1].flags & WD_COMP_TLS_NOVERIFY);
	assert_true(m->comps[1].flags & WD_COMP_INPUT_USED);
	t = target_of(m, 2);
	assert_non_null(t);
	assert_false(t->flags & WD_TARGET_EXTERNAL);
	assert_int_equal(m->comps[2].auth, WD_AUTH_BASIC);
	assert_int_equal(m->comps[3].auth, WD_AUTH_HEADER);
	assert_true(target_of(m, 3)->flags & WD_TARGET_DYNAMIC);
	assert_null(target_of(m, 4));
	assert_null(target_of(m, 5));
	wd_model_free(m);
}

static void test_code_modules(void **state)
{
	wd_model *m = import_ok(
		"{\"flow\":["
		"{\"id\":1,\"module\":\"gateway:CustomWebHook\"},"
		"{\"id\":2,\"module\":\"custom-js:execute\",\"parameters\":{\"jscode\":\"return input.toLowerCase()\","
		"  \"__IMTCONN__\":5},\"mapper\":{\"input\":\"{{1.title}}\"}},"
		"{\"id\":3,\"module\":\"code:ExecuteCode\",\"mapper\":{\"language\":\"javascript\","
		"  \"codeEditorJavascript\":\"return {a: input.x}\",\"input\":[{\"name\":\"x\",\"value\":\"{{1.x}}\"}]}},"
		"{\"id\":4,\"module\":\"onesaas:Python\",\"mapper\":{\"pythonCode\":\"result = {{1.n}}\"}},"
		"{\"id\":5,\"module\":\"util:SetVariable2\",\"mapper\":{\"code\":\"SUMMER24\"}}]}");

	(void)state;
	check_model(m);
	assert_int_equal(m->comps[1].kind, WD_KIND_CODE);
	check_str(m->comps[1].code, "return input.toLowerCase()");
	assert_int_equal(m->comps[2].kind, WD_KIND_CODE);
	check_str(m->comps[2].code, "return {a: input.x}");
	assert_int_equal(m->comps[3].kind, WD_KIND_CODE);
	check_str(m->comps[3].code, "result = {{1.n}}");
	assert_non_null(ref_of(m, 3, "n"));
	assert_int_not_equal(m->comps[4].kind, WD_KIND_CODE);
	assert_null(m->comps[4].code.ptr);
	wd_model_free(m);
}

static void test_bom(void **state)
{
	static const char json[] = "\xef\xbb\xbf{\"name\":\"bom\",\"flow\":[{\"id\":1,"
	                           "\"module\":\"util:SetVariable2\"}],\"metadata\":{}}";
	wd_model *m = NULL;
	wd_error err;
	uint8_t digest[32];
	char hex[65];

	(void)state;
	assert_int_equal(import_with(json, sizeof(json) - 1, NULL, &m, &err), WD_OK);
	assert_int_equal(m->ncomps, 1);
	check_str(m->apps[0].name, "bom");
	/* the hash covers the whole file, BOM included */
	wd_sha256(json, sizeof(json) - 1, digest);
	wd_hex(digest, sizeof(digest), hex);
	assert_string_equal(m->apps[0].hash, hex);
	wd_model_free(m);
}

/* A router nested depth deep: {"flow":[{"module":router,"routes":[{"flow":[...]}]}]}. */
static char *deep_router(unsigned depth, size_t *len)
{
	wd_buf b;
	unsigned i;
	char *out;

	wd_buf_init(&b, WD_BUF_DEFAULT_MAX);
	wd_buf_puts(&b, "{\"name\":\"deep\",\"flow\":");
	for (i = 0; i < depth; i++)
		wd_buf_printf(&b, "[{\"id\":%u,\"module\":\"builtin:BasicRouter\",\"routes\":[{\"flow\":", i + 1);
	wd_buf_puts(&b, "[]");
	for (i = 0; i < depth; i++)
		wd_buf_puts(&b, "}]}]");
	wd_buf_puts(&b, "}");
	assert_false(wd_buf_failed(&b));
	*len = b.len;
	out = malloc(b.len + 1);
	assert_non_null(out);
	memcpy(out, b.data, b.len + 1);
	wd_buf_release(&b);
	return out;
}

static void test_deep_router(void **state)
{
	wd_import_opts opts;
	wd_model *m = NULL;
	wd_error err;
	size_t len;
	char *json = deep_router(10000, &len);

	(void)state;
	/* default limits: the JSON reader refuses the depth first */
	assert_int_equal(import_with(json, len, NULL, &m, &err), WD_ELIMIT);
	assert_null(m);
	/* a reader allowed that deep: the importer's own nesting limit */
	memset(&opts, 0, sizeof(opts));
	opts.limits.max_depth = 100000;
	assert_int_equal(import_with(json, len, &opts, &m, &err), WD_ELIMIT);
	assert_null(m);
	assert_non_null(strstr(err.message, "nested"));
	assert_true(strncmp(err.pointer, "/flow/0/routes/0/flow/0/routes/0/flow", 37) == 0);
	assert_true(err.line == 1 && err.column > 1);
	free(json);

	/* just inside the limit it imports */
	json = deep_router(100, &len);
	opts.limits.max_nesting = 100;
	assert_int_equal(import_with(json, len, &opts, &m, &err), WD_OK);
	assert_int_equal(m->ncomps, 100);
	assert_int_equal(count_kind(m, WD_EDGE_FLOW), 99);
	wd_model_free(m);
	opts.limits.max_nesting = 98;
	assert_int_equal(import_with(json, len, &opts, &m, &err), WD_ELIMIT);
	free(json);
}

static void test_odd_shapes(void **state)
{
	wd_error err;
	wd_model *m;

	(void)state;
	assert_int_equal(import_direct("{\"name\":\"x\"}", &err), WD_EFORMAT);
	assert_non_null(strstr(err.message, "flow"));
	assert_int_equal(import_direct("{\"flow\":{}}", &err), WD_EFORMAT);
	assert_string_equal(err.pointer, "/flow");
	assert_int_equal(import_direct("[1,2]", &err), WD_EFORMAT);
	assert_int_equal(import_direct("\"flow\"", &err), WD_EFORMAT);
	assert_int_equal(import_direct("{\"flow\":[]}", &err), WD_OK);
	assert_int_equal(import_direct("{\"flow\":[1,null,\"a\",[],{\"module\":5},{\"id\":{}}]}", &err),
	                 WD_OK);

	/* wrong types everywhere are skipped */
	m = import_ok("{\"name\":7,\"flow\":[{\"module\":\"a:b\",\"id\":\"x\",\"parameters\":[],"
	              "\"mapper\":\"{{1.x}}\",\"metadata\":{\"designer\":[],\"restore\":[{\"label\":"
	              "\"a@b.cd\"}],\"parameters\":{},\"interface\":{}},\"routes\":{},\"onerror\":7,"
	              "\"filter\":[]},"
	              "{\"module\":\"b\",\"id\":1.5,\"routes\":[1,{\"flow\":7},{\"flow\":[{\"module\":\"c\"}]}],"
	              "\"metadata\":{\"parameters\":[1,{\"name\":5},{\"name\":\"k\",\"type\":\"account\"}]},"
	              "\"parameters\":{\"k\":{},\"__IMTCONN__\":null,\"hook\":true}},"
	              "{\"module\":\"x:y\",\"id\":\"x\"}],\"metadata\":{\"scenario\":[]}}");
	check_model(m);
	assert_int_equal(m->ncomps, 4);
	assert_int_equal(m->ncreds, 0);
	check_str(m->apps[0].name, "");
	check_str(m->comps[1].id, "1.5");
	check_str(m->comps[2].id, "");
	/* a restore array still finds the e-mail */
	assert_non_null(field_of(m, 0, "account e-mail"));
	wd_model_free(m);
}

/* ---- the corpus ---------------------------------------------------------------- */

typedef struct corpus_stats {
	size_t files, comps, edges, error_edges, expr_edges, creds, refs, fields, pii, targets,
		entries, code, bom;
	uint64_t bytes;
	double seconds;
} corpus_stats;

#ifdef WARDEN_HAVE_JANSSON
static size_t count_modules_j(json_t *flow, unsigned depth)
{
	size_t i, n = 0, j;
	json_t *mod;

	assert_true(depth < 1000);
	if (!json_is_array(flow))
		return 0;
	json_array_foreach(flow, i, mod) {
		static const char *const nested[] = {"routes", "branches"};
		if (!json_is_object(mod))
			continue;
		if (json_is_string(json_object_get(mod, "module")))
			n++;
		else
			continue;
		for (j = 0; j < 2; j++) {
			json_t *arr = json_object_get(mod, nested[j]), *r;
			size_t k;
			json_array_foreach(arr, k, r)
				n += count_modules_j(json_object_get(r, "flow"), depth + 1);
		}
		n += count_modules_j(json_object_get(mod, "onerror"), depth + 1);
	}
	return n;
}
#endif

/* Modules counted straight from the JSON (jansson when present). */
static size_t count_modules(const char *path, int *bom)
{
	char *data = NULL;
	size_t len = 0, n = 0;

	assert_int_equal(wd_read_file(path, 1u << 30, &data, &len, NULL), WD_OK);
	*bom = len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0;
#ifdef WARDEN_HAVE_JANSSON
	{
		json_error_t je;
		json_t *root = json_loadb(data + (*bom ? 3 : 0), len - (*bom ? 3 : 0), 0, &je);
		if (!root)
			fail_msg("jansson cannot read %s: %s", path, je.text);
		n = count_modules_j(json_object_get(root, "flow"), 0);
		json_decref(root);
	}
#else
	{
		/* without jansson: count "module" keys whose value is a string */
		const char *p = data;
		while ((p = strstr(p, "\"module\"")) != NULL) {
			p += 8;
			while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
				p++;
			if (*p == ':') {
				p++;
				while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
					p++;
				n += *p == '"';
			}
		}
	}
#endif
	free(data);
	return n;
}

static void import_corpus_file(const char *path, corpus_stats *st)
{
	wd_model *m = NULL;
	wd_error err;
	size_t want, i;
	int bom = 0;
	struct timespec a, b;
	struct stat sb;

	memset(&err, 0, sizeof(err));
	clock_gettime(CLOCK_MONOTONIC, &a);
	if (wd_import_file(&m, path, NULL, NULL, &err) != WD_OK)
		fail_msg("%s: %s (line %u)", path, err.message, err.line);
	clock_gettime(CLOCK_MONOTONIC, &b);
	st->seconds += (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	assert_int_equal(m->platform, WD_PLATFORM_MAKE);
	assert_int_equal(m->napps, 1);
	check_model(m);
	want = count_modules(path, &bom);
	if (m->ncomps != want)
		fail_msg("%s: %zu components, %zu modules in the JSON", path, m->ncomps, want);
	if (stat(path, &sb) == 0)
		st->bytes += (uint64_t)sb.st_size;
	st->files++;
	st->bom += bom;
	st->comps += m->ncomps;
	st->edges += m->nedges;
	st->error_edges += count_kind(m, WD_EDGE_ERROR);
	st->expr_edges += count_kind(m, WD_EDGE_EXPR);
	st->creds += m->ncreds;
	st->refs += m->nrefs;
	st->fields += m->nfields;
	st->targets += m->ntargets;
	for (i = 0; i < m->nfields; i++)
		st->pii += m->fields[i].cls == WD_CLASS_PII;
	for (i = 0; i < m->ncomps; i++) {
		st->entries += (m->comps[i].flags & WD_COMP_PUBLIC) != 0;
		st->code += m->comps[i].kind == WD_KIND_CODE;
	}
	wd_model_free(m);
}

static void walk(const char *dir, corpus_stats *st, unsigned depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[4096];
	struct stat sb;

	assert_non_null(d);
	assert_true(depth < 32);
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);

		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		if (stat(p, &sb) != 0)
			continue;
		if (S_ISDIR(sb.st_mode))
			walk(p, st, depth + 1);
		else if (n > 5 && !strcmp(e->d_name + n - 5, ".json"))
			import_corpus_file(p, st);
	}
	closedir(d);
}

static void test_corpus(void **state)
{
	corpus_stats st;
	struct stat sb;

	(void)state;
	if (stat(WARDEN_CORPUS_DIR "/make", &sb) != 0)
		skip();
	memset(&st, 0, sizeof(st));
	walk(WARDEN_CORPUS_DIR "/make", &st, 0);
	printf("make corpus: %zu files (%zu with BOM, %.2f MiB), %zu components, %zu edges "
	       "(%zu error, %zu expression), %zu refs, %zu fields (%zu PII), %zu credentials, "
	       "%zu targets, %zu public entries, %zu code modules, import %.3f s\n",
	       st.files, st.bom, (double)st.bytes / (1024.0 * 1024.0), st.comps, st.edges,
	       st.error_edges, st.expr_edges, st.refs, st.fields, st.pii, st.creds, st.targets,
	       st.entries, st.code, st.seconds);
	assert_int_equal(st.files, 83);
	assert_int_equal(st.bom, 22);
	assert_true(st.error_edges > 0 && st.expr_edges > 0 && st.pii > 0 && st.entries > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flow_order),
		cmocka_unit_test(test_confidential_flag),
		cmocka_unit_test(test_routers_nested),
		cmocka_unit_test(test_if_else_branches),
		cmocka_unit_test(test_error_handlers),
		cmocka_unit_test(test_mapper_references),
		cmocka_unit_test(test_reference_text_edges),
		cmocka_unit_test(test_many_references_capped),
		cmocka_unit_test(test_connections),
		cmocka_unit_test(test_custom_webhook),
		cmocka_unit_test(test_http_targets),
		cmocka_unit_test(test_code_modules),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_deep_router),
		cmocka_unit_test(test_odd_shapes),
		cmocka_unit_test(test_corpus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
