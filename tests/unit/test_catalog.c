/*
 * test_catalog.c - the embedded connector catalog: format, lookups, and
 * coverage of every node type in the shared corpus.
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "warden/catalog.h"

static void test_default_loads(void **state)
{
	const wd_catalog *c = wd_catalog_default();
	size_t i, n8n = 0, nr = 0;

	(void)state;
	assert_non_null(c);
	assert_true(wd_catalog_count(c) > 900);
	for (i = 0; i < wd_catalog_count(c); i++) {
		const wd_catalog_entry *e = wd_catalog_at(c, i);
		assert_true(e->type.len > 0);
		assert_true(e->service.len > 0);
		assert_true(e->kind != WD_KIND_OTHER);
		if (e->platform == WD_PLATFORM_N8N)
			n8n++;
		else if (e->platform == WD_PLATFORM_NODERED)
			nr++;
	}
	assert_true(n8n > 600 && nr > 250);
}

static void test_lookups(void **state)
{
	const wd_catalog *c = wd_catalog_default();
	const wd_catalog_entry *e;

	(void)state;
	e = wd_catalog_lookup(c, WD_PLATFORM_N8N, wd_str_c("n8n-nodes-base.webhook"));
	assert_non_null(e);
	assert_true(e->flags & WD_CAT_WEBHOOK);
	assert_int_equal(e->kind, WD_KIND_ENTRY);
	e = wd_catalog_lookup(c, WD_PLATFORM_N8N, wd_str_c("n8n-nodes-base.executeCommand"));
	assert_non_null(e);
	assert_true(e->flags & WD_CAT_SHELL);
	e = wd_catalog_lookup(c, WD_PLATFORM_N8N, wd_str_c("n8n-nodes-base.postgres"));
	assert_true(e && (e->flags & WD_CAT_SQL));
	e = wd_catalog_lookup(c, WD_PLATFORM_N8N, wd_str_c("n8n-nodes-base.slack"));
	assert_true(e && e->dest == WD_DEST_EXTERNAL && !e->community);
	e = wd_catalog_lookup(c, WD_PLATFORM_NODERED, wd_str_c("subflow:0123abcd"));
	assert_true(e && e->prefix && e->kind == WD_KIND_SUBFLOW);
	e = wd_catalog_lookup(c, WD_PLATFORM_NODERED, wd_str_c("exec"));
	assert_true(e && (e->flags & WD_CAT_SHELL));
	/* platforms do not mix */
	assert_null(wd_catalog_lookup(c, WD_PLATFORM_NODERED, wd_str_c("n8n-nodes-base.webhook")));
	assert_null(wd_catalog_lookup(c, WD_PLATFORM_N8N, wd_str_c("no-such-node")));
	assert_null(wd_catalog_lookup(c, WD_PLATFORM_N8N, WD_STR_NULL));
}

static void test_bad_catalogs(void **state)
{
	static const char *bad[] = {
		"{}",
		"{\"entries\":{}}",
		"{\"entries\":[1]}",
		"{\"entries\":[{\"platform\":\"nope\",\"type\":\"x\"}]}",
		"{\"entries\":[{\"platform\":\"n8n\",\"type\":\"a\"},{\"platform\":\"n8n\",\"type\":\"a\"}]}",
		"[",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		wd_catalog *c = NULL;
		wd_error err;
		assert_int_not_equal(wd_catalog_load(&c, bad[i], strlen(bad[i]), &err), WD_OK);
		assert_null(c);
	}
}

/* ---- corpus coverage -------------------------------------------------------------- */

static size_t files, missing;

static void check_type(wd_platform p, wd_str type, const char *file)
{
	if (!wd_catalog_lookup(wd_catalog_default(), p, type)) {
		if (missing < 20)
			print_error("%s: type %.*s not in the catalog\n", file, (int)type.len, type.ptr);
		missing++;
	}
}

static int visit(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	wd_json_doc *doc = NULL;
	const wd_json_val *root, *arr, *n;
	size_t i, len = strlen(path);
	wd_platform p = strstr(path, "/n8n/") ? WD_PLATFORM_N8N : WD_PLATFORM_NODERED;

	(void)st;
	(void)ftw;
	if (flag != FTW_F || len < 5 || strcmp(path + len - 5, ".json") != 0 ||
	    (len >= 10 && strcmp(path + len - 10, "_cred.json") == 0))
		return 0;
	if (wd_json_parse_file(&doc, path, NULL, NULL) != WD_OK) {
		print_error("%s does not parse\n", path);
		missing++;
		return 0;
	}
	files++;
	root = wd_json_root(doc);
	arr = p == WD_PLATFORM_N8N ? wd_json_get(doc, root, "nodes")
	      : wd_json_is_obj(root) ? wd_json_get(doc, root, "flows") : root;
	if (wd_json_is_arr(arr)) {
		WD_JSON_ARR_FOREACH(arr, i, n)
		{
			wd_str t = wd_json_get_str(doc, n, "type");
			if (t.len && !(p == WD_PLATFORM_NODERED && (wd_str_eq_c(t, "tab"))))
				check_type(p, t, path);
		}
	}
	wd_json_free(doc);
	return 0;
}

static void test_corpus_coverage(void **state)
{
	char dir[4096];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/n8n", WARDEN_CORPUS_DIR);
	if (nftw(dir, visit, 16, FTW_PHYS) != 0) {
		print_message("corpus not found at %s: skipped\n", WARDEN_CORPUS_DIR);
		skip();
	}
	snprintf(dir, sizeof(dir), "%s/node-red", WARDEN_CORPUS_DIR);
	assert_int_equal(nftw(dir, visit, 16, FTW_PHYS), 0);
	print_message("catalog covers every node type of %zu corpus files\n", files);
	assert_true(files > 2000);
	assert_int_equal(missing, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_loads),
		cmocka_unit_test(test_lookups),
		cmocka_unit_test(test_bad_catalogs),
		cmocka_unit_test(test_corpus_coverage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
