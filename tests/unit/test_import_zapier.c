/*
 * test_import_zapier.c - the Zapier export importer.
 *
 * Small inline exports imported through wd_import_buffer (detection and
 * finishing included), one mapping rule each: apps per zap, the parent tree,
 * the webhook trigger, code steps, webhook actions, mapping references and
 * their edges, credentials, odd shapes. Last, every export of the shared
 * corpus is imported and its component count checked against the nodes
 * counted straight from the JSON.
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

static wd_status import_text(const char *json, wd_model **out, wd_error *err)
{
	size_t len = strlen(json);
	char *copy = malloc(len + 1);

	assert_non_null(copy);
	memcpy(copy, json, len + 1);
	wd_error_clear(err);
	return wd_import_buffer(out, "zaps.json", copy, len, NULL, NULL, err);
}

static wd_model *import_ok(const char *json)
{
	wd_model *m = NULL;
	wd_error err;

	if (import_text(json, &m, &err) != WD_OK)
		fail_msg("import failed: %s (%s, line %u)", err.message, err.pointer, err.line);
	assert_int_equal(m->platform, WD_PLATFORM_ZAPIER);
	return m;
}

/* The importer alone on any JSON (no detection). */
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
	rc = wd_import_zapier(m, di, NULL, err);
	if (rc == WD_OK)
		rc = wd_model_finish(m);
	wd_model_free(m);
	return rc;
}

/* Component of app a with node id. */
static uint32_t comp(const wd_model *m, uint32_t a, const char *id)
{
	uint32_t c = wd_model_find_component(m, a, wd_str_c(id));

	if (c == WD_NONE)
		fail_msg("no component %s in app %u", id, a);
	return c;
}

static size_t count_edges(const wd_model *m, uint32_t from, uint32_t to, wd_edge_kind k)
{
	size_t i, n = 0;

	for (i = 0; i < m->nedges; i++)
		n += m->edges[i].kind == k && m->edges[i].from == from && m->edges[i].to == to;
	return n;
}

static size_t count_kind(const wd_model *m, wd_edge_kind k)
{
	size_t i, n = 0;

	for (i = 0; i < m->nedges; i++)
		n += m->edges[i].kind == k;
	return n;
}

static const wd_ref *ref_of(const wd_model *m, uint32_t c, const char *path)
{
	size_t i;

	for (i = 0; i < m->nrefs; i++)
		if (m->refs[i].comp == c && wd_str_eq_c(m->refs[i].path, path))
			return &m->refs[i];
	return NULL;
}

static int has_field(const wd_model *m, uint32_t c, const char *name)
{
	size_t i;

	for (i = 0; i < m->nfields; i++)
		if (m->fields[i].comp == c && wd_str_eq_c(m->fields[i].name, name))
			return 1;
	return 0;
}

static void check_str(wd_str s, const char *want)
{
	if (!wd_str_eq_c(s, want))
		fail_msg("got \"%.*s\", want \"%s\"", (int)s.len, s.ptr ? s.ptr : "", want);
}

static void check_model(const wd_model *m)
{
	size_t i, a, next = 0;

	for (a = 0; a < m->napps; a++) {
		assert_int_equal(m->apps[a].comp_first, next);
		for (i = m->apps[a].comp_first; i < m->apps[a].comp_first + m->apps[a].comp_count; i++)
			assert_int_equal(m->comps[i].app, a);
		next += m->apps[a].comp_count;
	}
	assert_int_equal(next, m->ncomps);
	for (i = 0; i < m->nedges; i++) {
		assert_true(m->edges[i].from < m->ncomps);
		assert_true(m->edges[i].to < m->ncomps);
		/* edges never cross zaps */
		assert_int_equal(m->comps[m->edges[i].from].app, m->comps[m->edges[i].to].app);
	}
	for (i = 0; i < m->nrefs; i++)
		assert_true(m->refs[i].src == WD_NONE || m->refs[i].src < m->ncomps);
	for (i = 0; i < m->ncred_uses; i++)
		assert_true(m->cred_uses[i].cred < m->ncreds);
}

#define NODE(id, parent, api, action, type_of, extra)                                         \
	"\"" #id "\":{\"id\":" #id ",\"parent_id\":" #parent ",\"root_id\":null,"             \
	"\"selected_api\":\"" api "\",\"action\":\"" action "\",\"type_of\":\"" type_of "\"" extra "}"

/* ---- mapping tests --------------------------------------------------------- */

static void test_parent_tree(void **state)
{
	/* 1 -> 2 (paths) -> {3 -> 5, 4}; listed out of order */
	wd_model *m = import_ok(
		"{\"metadata\":{\"version\":2},\"zaps\":[{\"id\":7,\"title\":\"Saved messages\",\"nodes\":{"
		NODE(1, null, "SlackAPI", "star_added", "read",
		     ",\"paused\":false,\"title\":\"Saved messages\",\"authentication_id\":\"abc\"") ","
		NODE(3, 2, "BranchingAPI", "filter", "filter", ",\"title\":null") ","
		NODE(2, 1, "BranchingAPI", "branch", "write", "") ","
		NODE(5, 3, "TodoistV2DevAPI", "new_task", "write", ",\"authentication_id\":\"t1\"") ","
		NODE(4, 2, "TodoistV2DevAPI", "new_task", "write", ",\"authentication_id\":\"t1\"")
		"}}]}");
	uint32_t c1, c2, c3, c4, c5, i;
	size_t uses = 0;

	(void)state;
	check_model(m);
	assert_int_equal(m->napps, 1);
	check_str(m->apps[0].name, "Saved messages");
	check_str(m->apps[0].id, "7");
	assert_int_equal(m->apps[0].active, 1);
	/* the export says nothing about error handling */
	assert_int_equal(m->apps[0].error_handling, -1);
	assert_int_equal(m->apps[0].confidential, -1);
	assert_int_equal(strlen(m->apps[0].hash), 64);
	assert_int_equal(m->ncomps, 5);
	/* document order */
	check_str(m->comps[1].id, "3");
	c1 = comp(m, 0, "1");
	c2 = comp(m, 0, "2");
	c3 = comp(m, 0, "3");
	c4 = comp(m, 0, "4");
	c5 = comp(m, 0, "5");
	check_str(m->comps[c1].type, "SlackAPI.star_added");
	check_str(m->comps[c1].name, "Saved messages");
	check_str(m->comps[c2].name, "BranchingAPI.branch");
	assert_int_equal(m->comps[c1].kind, WD_KIND_TRIGGER);
	assert_false(m->comps[c1].flags & WD_COMP_PUBLIC);
	assert_int_equal(count_edges(m, c1, c2, WD_EDGE_FLOW), 1);
	assert_int_equal(count_edges(m, c2, c3, WD_EDGE_FLOW), 1);
	assert_int_equal(count_edges(m, c2, c4, WD_EDGE_FLOW), 1);
	assert_int_equal(count_edges(m, c3, c5, WD_EDGE_FLOW), 1);
	assert_int_equal(count_kind(m, WD_EDGE_FLOW), 4);
	/* credentials by reference, shared */
	assert_int_equal(m->ncreds, 2);
	for (i = 0; i < m->ncreds; i++) {
		assert_int_equal(m->creds[i].storage, WD_CRED_VAULT);
		if (wd_str_eq_c(m->creds[i].id, "t1"))
			check_str(m->creds[i].type, "TodoistV2DevAPI");
	}
	for (i = 0; i < m->ncred_uses; i++)
		uses += wd_str_eq_c(m->creds[m->cred_uses[i].cred].id, "t1");
	assert_int_equal(uses, 2);
	wd_model_free(m);
}

static void test_zaps_are_apps(void **state)
{
	wd_model *m = import_ok(
		"{\"zaps\":[{\"id\":1,\"title\":\"A\",\"nodes\":{"
		NODE(1, null, "ScheduleAPI", "every_week", "read", ",\"paused\":true") ","
		NODE(2, 1, "SlackAPI", "channel_message", "write", "") "}},"
		"{\"id\":2,\"title\":\"B\",\"nodes\":{"
		NODE(1, null, "ScheduleAPI", "every_day", "read", "") ","
		NODE(2, 1, "SlackAPI", "channel_message", "write", ",\"authentication_id\":null") "}},"
		"{\"id\":3,\"title\":\"empty\",\"nodes\":{}},{\"id\":4,\"nodes\":[]},5]}");

	(void)state;
	check_model(m);
	assert_int_equal(m->napps, 4);
	assert_int_equal(m->apps[0].comp_count, 2);
	assert_int_equal(m->apps[1].comp_count, 2);
	assert_int_equal(m->apps[2].comp_count, 0);
	assert_int_equal(m->apps[0].active, 0);
	assert_int_equal(m->apps[1].active, -1);
	/* ids repeat across zaps: each zap's tree stays inside it */
	assert_int_equal(count_edges(m, 0, 1, WD_EDGE_FLOW), 1);
	assert_int_equal(count_edges(m, 2, 3, WD_EDGE_FLOW), 1);
	assert_int_equal(count_kind(m, WD_EDGE_FLOW), 2);
	assert_int_equal(m->ncreds, 0);
	assert_string_not_equal(m->apps[0].hash, m->apps[1].hash);
	wd_model_free(m);
}

static void test_webhook_trigger(void **state)
{
	wd_model *m = import_ok(
		"{\"zaps\":[{\"id\":1,\"title\":\"Hook\",\"nodes\":{"
		NODE(1, null, "WebHookAPI", "hook", "read", ",\"params\":{}") ","
		NODE(2, 1, "WebHookAPI", "post", "write",
		     ",\"params\":{\"url\":\"https://api.example.com/in\",\"data\":{\"email\":\"{{1__email}}\"}}") ","
		NODE(3, 1, "WebHookAPI", "get", "write",
		     ",\"params\":{\"url\":\"{{1__callback}}\",\"basic_auth\":\"u|p\"}") "}},"
		"{\"id\":2,\"title\":\"Raw\",\"nodes\":{"
		NODE(1, null, "WebHookAPI", "catch_raw", "read", "") "}},"
		"{\"id\":3,\"title\":\"Poll\",\"nodes\":{"
		NODE(1, null, "WebHookAPI", "poll", "read", ",\"params\":{\"url\":\"https://feed.example.com\"}") "}}]}");
	const wd_component *c;
	size_t i, targets2 = 0, targets3 = 0;

	(void)state;
	check_model(m);
	c = &m->comps[0];
	assert_int_equal(c->kind, WD_KIND_ENTRY);
	assert_true(c->flags & WD_COMP_PUBLIC);
	assert_int_equal(c->auth, WD_AUTH_NONE);
	assert_int_equal(m->comps[1].auth, WD_AUTH_NONE);
	assert_int_equal(m->comps[2].auth, WD_AUTH_BASIC);
	for (i = 0; i < m->ntargets; i++) {
		if (m->targets[i].comp == 1) {
			targets2++;
			check_str(m->targets[i].host, "api.example.com");
		}
		if (m->targets[i].comp == 2) {
			targets3++;
			assert_true(m->targets[i].flags & WD_TARGET_DYNAMIC);
		}
	}
	assert_int_equal(targets2, 1);
	assert_int_equal(targets3, 1);
	assert_true(m->comps[3].flags & WD_COMP_PUBLIC);
	assert_int_equal(m->comps[3].kind, WD_KIND_ENTRY);
	/* Retrieve Poll: Zapier calls out; not an entry point */
	assert_false(m->comps[4].flags & WD_COMP_PUBLIC);
	assert_int_equal(m->comps[4].kind, WD_KIND_TRIGGER);
	wd_model_free(m);
}

static void test_code_step(void **state)
{
	wd_model *m = import_ok(
		"{\"zaps\":[{\"id\":1,\"title\":\"Code\",\"nodes\":{"
		NODE(1, null, "WebHookAPI", "hook", "read", "") ","
		NODE(2, 1, "CodeAPI", "run_javascript", "write",
		     ",\"params\":{\"code\":\"return {out: inputData.name.toUpperCase()};\","
		     "\"input_data\":{\"name\":\"{{1__name}}\"}}") ","
		NODE(3, 2, "CodeAPI@1.0.0", "run_python", "write", ",\"params\":{\"code\":7}") "}}]}");

	(void)state;
	check_model(m);
	assert_int_equal(m->comps[1].kind, WD_KIND_CODE);
	check_str(m->comps[1].code, "return {out: inputData.name.toUpperCase()};");
	assert_int_not_equal(m->comps[1].code_loc.doc, WD_NONE);
	assert_true(m->comps[1].flags & WD_COMP_INPUT_USED);
	assert_int_equal(m->comps[2].kind, WD_KIND_CODE);
	assert_null(m->comps[2].code.ptr);
	check_str(m->comps[2].type, "CodeAPI@1.0.0.run_python");
	wd_model_free(m);
}

static void test_mapping_refs(void **state)
{
	wd_model *m = import_ok(
		"{\"zaps\":[{\"id\":1,\"title\":\"Map\",\"nodes\":{"
		NODE(1, null, "SlackAPI", "star_added", "read", "") ","
		NODE(2, 1, "FilterAPI", "filter", "filter",
		     ",\"params\":{\"filter_criteria\":[{\"key\":\"1__channel__name\",\"value\":\"editor\"}]}") ","
		NODE(3, 2, "TodoistV2DevAPI", "new_task", "write",
		     ",\"params\":{\"content\":\"{{1__text}} by {{1__user__name}} {{1__text}}\","
		     "\"note\":[\"{{99__ghost}}\",\"{{2__x y}}\",\"{{ 1__text}}\",\"{{1__}}\",\"{{__a}}\","
		     "\"{{1__COL$A}}\",\"{{{{1__deep}}\",\"{{1__open\"]}") "}}]}");
	uint32_t c1 = 0, c2 = 1, c3 = 2;
	const wd_ref *r;

	(void)state;
	check_model(m);
	r = ref_of(m, c2, "channel.name");
	assert_non_null(r);
	assert_int_equal(r->kind, WD_REF_NODE);
	assert_int_equal(r->src, c1);
	assert_non_null(ref_of(m, c3, "text"));
	assert_non_null(ref_of(m, c3, "user.name"));
	assert_non_null(ref_of(m, c3, "COL$A"));
	assert_non_null(ref_of(m, c3, "deep"));
	assert_true(has_field(m, c3, "name"));
	assert_true(has_field(m, c3, "text"));
	/* a node that is not in the zap: kept without a source */
	r = ref_of(m, c3, "ghost");
	assert_non_null(r);
	assert_int_equal(r->src, WD_NONE);
	assert_null(ref_of(m, c3, "x y"));
	assert_null(ref_of(m, c3, "open"));
	assert_int_equal(count_edges(m, c1, c3, WD_EDGE_EXPR), 1);
	assert_int_equal(count_edges(m, c1, c2, WD_EDGE_EXPR), 1);
	assert_int_equal(count_kind(m, WD_EDGE_EXPR), 2);
	assert_true(m->comps[c3].flags & WD_COMP_INPUT_USED);
	wd_model_free(m);
}

static void test_odd_shapes(void **state)
{
	wd_error err;
	wd_model *m;

	(void)state;
	assert_int_equal(import_direct("{\"metadata\":{}}", &err), WD_EFORMAT);
	assert_non_null(strstr(err.message, "zaps"));
	assert_int_equal(import_direct("{\"zaps\":{}}", &err), WD_EFORMAT);
	assert_string_equal(err.pointer, "/zaps");
	assert_int_equal(import_direct("[]", &err), WD_EFORMAT);
	assert_int_equal(import_direct("{\"zaps\":[]}", &err), WD_OK);
	assert_int_equal(import_direct("{\"zaps\":[1,[],{\"nodes\":7},{\"nodes\":{\"a\":1,\"b\":{}}}]}",
	                                &err),
	                 WD_OK);

	/* wrong types and self / missing parents */
	m = import_ok("{\"zaps\":[{\"id\":{},\"title\":5,\"nodes\":{"
	              "\"a\":{\"id\":\"a\",\"parent_id\":\"a\",\"selected_api\":5,\"params\":[\"{{a__x}}\"]},"
	              "\"b\":{\"parent_id\":\"zz\",\"action\":\"x\",\"authentication_id\":{},"
	              "\"params\":{\"code\":1}},"
	              "\"c\":{\"id\":3.5,\"parent_id\":\"b\",\"selected_api\":\"CodeAPI\"}}}]}");
	check_model(m);
	assert_int_equal(m->ncomps, 3);
	check_str(m->comps[0].type, ".");
	check_str(m->comps[1].id, "b");
	check_str(m->comps[2].id, "3.5");
	assert_int_equal(count_kind(m, WD_EDGE_FLOW), 1);
	assert_int_equal(m->ncreds, 0);
	assert_int_equal(m->comps[2].kind, WD_KIND_CODE);
	wd_model_free(m);
}

/* ---- the corpus ---------------------------------------------------------------- */

typedef struct corpus_stats {
	size_t files, apps, comps, edges, expr_edges, creds, refs;
	double seconds;
} corpus_stats;

/* Node objects per file, counted straight from the JSON. */
static size_t count_nodes(const char *path)
{
	size_t n = 0;
#ifdef WARDEN_HAVE_JANSSON
	json_error_t je;
	json_t *root = json_load_file(path, 0, &je), *zap, *nodes, *v;
	size_t i;
	const char *k;

	if (!root)
		fail_msg("jansson cannot read %s: %s", path, je.text);
	json_array_foreach(json_object_get(root, "zaps"), i, zap) {
		nodes = json_object_get(zap, "nodes");
		json_object_foreach(nodes, k, v)
			n += json_is_object(v);
	}
	json_decref(root);
#else
	wd_json_doc *doc = NULL;
	const wd_json_val *zaps, *zap, *nodes, *k, *v;
	size_t i, j;

	assert_int_equal(wd_json_parse_file(&doc, path, NULL, NULL), WD_OK);
	zaps = wd_json_get(doc, wd_json_root(doc), "zaps");
	if (wd_json_is_arr(zaps)) {
		WD_JSON_ARR_FOREACH(zaps, i, zap) {
			nodes = wd_json_get(doc, zap, "nodes");
			if (!wd_json_is_obj(nodes))
				continue;
			WD_JSON_OBJ_FOREACH(nodes, j, k, v)
				n += wd_json_is_obj(v);
		}
	}
	wd_json_free(doc);
#endif
	return n;
}

static void import_corpus_file(const char *path, corpus_stats *st)
{
	wd_model *m = NULL;
	wd_error err;
	size_t want;
	struct timespec a, b;

	memset(&err, 0, sizeof(err));
	clock_gettime(CLOCK_MONOTONIC, &a);
	if (wd_import_file(&m, path, NULL, NULL, &err) != WD_OK)
		fail_msg("%s: %s (line %u)", path, err.message, err.line);
	clock_gettime(CLOCK_MONOTONIC, &b);
	st->seconds += (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	assert_int_equal(m->platform, WD_PLATFORM_ZAPIER);
	check_model(m);
	want = count_nodes(path);
	if (m->ncomps != want)
		fail_msg("%s: %zu components, %zu nodes in the JSON", path, m->ncomps, want);
	st->files++;
	st->apps += m->napps;
	st->comps += m->ncomps;
	st->edges += m->nedges;
	st->expr_edges += count_kind(m, WD_EDGE_EXPR);
	st->creds += m->ncreds;
	st->refs += m->nrefs;
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
	if (stat(WARDEN_CORPUS_DIR "/zapier", &sb) != 0)
		skip();
	memset(&st, 0, sizeof(st));
	walk(WARDEN_CORPUS_DIR "/zapier", &st, 0);
	printf("zapier corpus: %zu files, %zu zaps, %zu components, %zu edges (%zu expression), "
	       "%zu refs, %zu credentials, import %.4f s\n",
	       st.files, st.apps, st.comps, st.edges, st.expr_edges, st.refs, st.creds, st.seconds);
	assert_int_equal(st.files, 6);
	assert_true(st.expr_edges > 0 && st.creds > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parent_tree),
		cmocka_unit_test(test_zaps_are_apps),
		cmocka_unit_test(test_webhook_trigger),
		cmocka_unit_test(test_code_step),
		cmocka_unit_test(test_mapping_refs),
		cmocka_unit_test(test_odd_shapes),
		cmocka_unit_test(test_corpus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
