/*
 * test_yaml.c - the libyaml adapter (include/warden/yaml.h).
 *
 * The tree (kinds, positions, quoted vs plain, null forms), the strictness
 * rules (one document, duplicate and non-scalar keys, tags, aliases that
 * recurse or are unknown), the limits (size before parsing, depth, nodes
 * after alias expansion: the billion-laughs bomb), libyaml's own errors, the
 * typed getters with their messages and positions, and the date helpers.
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

#include "warden/yaml.h"

/* ---- helpers ------------------------------------------------------------- */

static wd_yaml_doc *must_load(const char *in)
{
	wd_yaml_doc *doc = NULL;
	wd_error err;
	wd_status rc = wd_yaml_load(&doc, "t.yaml", in, strlen(in), NULL, &err);

	if (rc != WD_OK)
		fail_msg("unexpected failure loading:\n%s\n%u:%u: %s", in, err.line, err.column,
		         err.message);
	assert_non_null(doc);
	assert_non_null(doc->root);
	return doc;
}

/* Load in that must fail with code at line:col and a message containing msg. */
static void must_fail_lim(const char *in, size_t len, const wd_yaml_limits *lim, wd_status code,
                          uint32_t line, uint32_t col, const char *msg)
{
	wd_yaml_doc *doc = (wd_yaml_doc *)1;
	wd_error err;
	wd_status rc = wd_yaml_load(&doc, "t.yaml", in, len, lim, &err);

	if (rc != code || err.code != code)
		fail_msg("loading:\n%s\nexpected status %d, got %d (%u:%u: %s)", in, (int)code,
		         (int)rc, err.line, err.column, err.message);
	assert_null(doc);
	if (!strstr(err.message, msg))
		fail_msg("message '%s' lacks '%s'", err.message, msg);
	if (err.line != line || err.column != col)
		fail_msg("'%s' at %u:%u, expected %u:%u", err.message, err.line, err.column, line,
		         col);
	/* the status does not depend on the error record */
	assert_int_equal(wd_yaml_load(&doc, "t.yaml", in, len, lim, NULL), code);
	assert_null(doc);
}

static void must_fail(const char *in, wd_status code, uint32_t line, uint32_t col,
                      const char *msg)
{
	must_fail_lim(in, strlen(in), NULL, code, line, col, msg);
}

static void assert_scalar(const wd_yaml_node *n, const char *text, int quoted, uint32_t line,
                          uint32_t col)
{
	assert_non_null(n);
	assert_int_equal(n->type, WD_YAML_SCALAR);
	assert_string_equal(n->text, text);
	assert_int_equal(n->len, strlen(text));
	assert_int_equal(n->quoted, quoted);
	assert_int_equal(n->line, line);
	assert_int_equal(n->column, col);
}

/* ---- the tree ------------------------------------------------------------ */

static void test_tree(void **state)
{
	(void)state;
	wd_yaml_doc *doc = must_load("# a policy\n"
	                             "version: 1\n"
	                             "rules:\n"
	                             "  - id: WD-AUTH-001\n"
	                             "    severity: high\n"
	                             "  - [a, \"b\", {c: d}]\n"
	                             "empty: {}\n"
	                             "none: []\n"
	                             "ünï: x\n");
	const wd_yaml_node *root = doc->root, *rules, *r0, *r1, *flow;

	assert_int_equal(root->type, WD_YAML_MAP);
	assert_int_equal(root->n, 5);
	assert_int_equal(root->line, 2);
	assert_int_equal(root->column, 1);
	assert_scalar(root->keys[0], "version", 0, 2, 1);
	assert_scalar(root->items[0], "1", 0, 2, 10);
	assert_string_equal(doc->path, "t.yaml");

	rules = wd_yaml_get(root, "rules");
	assert_non_null(rules);
	assert_int_equal(rules->type, WD_YAML_SEQ);
	assert_int_equal(rules->n, 2);
	assert_int_equal(rules->line, 4);
	assert_int_equal(rules->column, 3);
	r0 = rules->items[0];
	assert_int_equal(r0->type, WD_YAML_MAP);
	assert_int_equal(r0->line, 4);
	assert_int_equal(r0->column, 5);
	assert_scalar(wd_yaml_get(r0, "id"), "WD-AUTH-001", 0, 4, 9);
	assert_scalar(wd_yaml_get(r0, "severity"), "high", 0, 5, 15);
	assert_null(wd_yaml_get(r0, "missing"));
	assert_null(wd_yaml_get(rules, "id")); /* not a mapping */
	assert_null(wd_yaml_get(NULL, "id"));

	r1 = rules->items[1];
	assert_int_equal(r1->type, WD_YAML_SEQ);
	assert_int_equal(r1->n, 3);
	assert_int_equal(r1->column, 5);
	assert_scalar(r1->items[0], "a", 0, 6, 6);
	assert_scalar(r1->items[1], "b", 1, 6, 9);
	flow = r1->items[2];
	assert_int_equal(flow->type, WD_YAML_MAP);
	assert_int_equal(flow->column, 14);
	assert_scalar(wd_yaml_get(flow, "c"), "d", 0, 6, 18);

	assert_int_equal(wd_yaml_get(root, "empty")->type, WD_YAML_MAP);
	assert_int_equal(wd_yaml_get(root, "empty")->n, 0);
	assert_int_equal(wd_yaml_get(root, "none")->type, WD_YAML_SEQ);
	assert_int_equal(wd_yaml_get(root, "none")->n, 0);
	/* columns count characters, not bytes */
	assert_scalar(wd_yaml_get(root, "ünï"), "x", 0, 9, 6);

	assert_string_equal(wd_yaml_type_name(root), "mapping");
	assert_string_equal(wd_yaml_type_name(rules), "list");
	assert_string_equal(wd_yaml_type_name(r0->items[0]), "string");
	wd_yaml_free(doc);
	wd_yaml_free(NULL);
}

static void test_quoting_and_null(void **state)
{
	(void)state;
	wd_yaml_doc *doc = must_load("a: plain\n"
	                             "b: 'single'\n"
	                             "c: \"dou\\tble\"\n"
	                             "d: |\n"
	                             "  block\n"
	                             "e: >\n"
	                             "  folded\n"
	                             "n1:\n"
	                             "n2: ~\n"
	                             "n3: null\n"
	                             "n4: Null\n"
	                             "n5: NULL\n"
	                             "q1: 'null'\n"
	                             "q2: \"~\"\n"
	                             "q3: nULL\n"
	                             "s1: !!str 123\n"
	                             "s2: ! true\n"
	                             "s3: !!null ''\n"
	                             "z: \"a\\0b\"\n");
	const wd_yaml_node *r = doc->root;
	const wd_yaml_node *n;
	const char *names[] = {"n1", "n2", "n3", "n4", "n5"};
	size_t i;

	assert_scalar(wd_yaml_get(r, "a"), "plain", 0, 1, 4);
	assert_scalar(wd_yaml_get(r, "b"), "single", 1, 2, 4);
	assert_scalar(wd_yaml_get(r, "c"), "dou\tble", 1, 3, 4);
	assert_scalar(wd_yaml_get(r, "d"), "block\n", 1, 4, 4);
	assert_scalar(wd_yaml_get(r, "e"), "folded\n", 1, 6, 4);
	for (i = 0; i < 5; i++) {
		n = wd_yaml_get(r, names[i]);
		assert_non_null(n);
		assert_int_equal(n->type, WD_YAML_NULL);
		assert_non_null(n->text);
		assert_string_equal(wd_yaml_type_name(n), "null");
	}
	assert_string_equal(wd_yaml_get(r, "n1")->text, "");
	assert_scalar(wd_yaml_get(r, "q1"), "null", 1, 13, 5);
	assert_scalar(wd_yaml_get(r, "q2"), "~", 1, 14, 5);
	assert_scalar(wd_yaml_get(r, "q3"), "nULL", 0, 15, 5);
	assert_scalar(wd_yaml_get(r, "s1"), "123", 1, 16, 5);
	assert_scalar(wd_yaml_get(r, "s2"), "true", 1, 17, 5);
	assert_int_equal(wd_yaml_get(r, "s3")->type, WD_YAML_NULL);
	n = wd_yaml_get(r, "z");
	assert_int_equal(n->len, 3);
	assert_memory_equal(n->text, "a\0b", 4);
	wd_yaml_free(doc);
}

static void test_empty(void **state)
{
	const char *inputs[] = {"",       "# only a comment\n", "\n\n",
	                        "---\n", "--- ~\n",             "--- ~\n...\n"};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		wd_yaml_doc *doc = must_load(inputs[i]);
		assert_int_equal(doc->root->type, WD_YAML_NULL);
		assert_true(doc->root->line >= 1 && doc->root->column >= 1);
		wd_yaml_free(doc);
	}
	/* NULL data with length 0 and a NULL path */
	{
		wd_yaml_doc *doc = NULL;
		assert_int_equal(wd_yaml_load(&doc, NULL, NULL, 0, NULL, NULL), WD_OK);
		assert_int_equal(doc->root->type, WD_YAML_NULL);
		assert_string_equal(doc->path, "");
		wd_yaml_free(doc);
	}
}

static void test_bom_position(void **state)
{
	(void)state;
	wd_yaml_doc *doc = must_load("\xEF\xBB\xBF"
	                             "a: b\n");

	assert_scalar(doc->root->keys[0], "a", 0, 1, 1);
	assert_scalar(doc->root->items[0], "b", 0, 1, 4);
	wd_yaml_free(doc);
	must_fail("\xEF\xBB\xBF"
	          "a: b\na: c\n",
	          WD_EPARSE, 2, 1, "duplicate key 'a' (first at line 1)");
}

/* ---- strictness ---------------------------------------------------------- */

static void test_duplicate_keys(void **state)
{
	(void)state;
	must_fail("version: 1\n"
	          "x: 2\n"
	          "rules: []\n"
	          "y: 3\n"
	          "rules: [a]\n",
	          WD_EPARSE, 5, 1, "duplicate key 'rules' (first at line 3)");
	/* quoting does not make a key different */
	must_fail("{a: 1, 'a': 2}", WD_EPARSE, 1, 8, "duplicate key 'a' (first at line 1)");
	must_fail("a:\n  b: 1\n  c: 2\n  b: 3\n", WD_EPARSE, 4, 3,
	          "duplicate key 'b' (first at line 2)");
	/* an alias as a key is compared by its text */
	must_fail("x: &k a\nm: {a: 1, *k : 2}\n", WD_EPARSE, 2, 11, "duplicate key 'a'");

	/* the same key in different mappings, and siblings reusing the slots */
	{
		wd_yaml_doc *doc = must_load("a: {x: 1, y: 2}\n"
		                             "b: {x: 1, y: 2}\n"
		                             "c: [{x: 1}, {x: 2}, {x: 3, y: 4}]\n");
		assert_int_equal(doc->root->n, 3);
		wd_yaml_free(doc);
	}
	/* many keys (the hash index) */
	{
		wd_buf in;
		int i;
		wd_buf_init(&in, 0);
		for (i = 0; i < 3000; i++)
			wd_buf_printf(&in, "k%d: %d\n", i, i);
		wd_yaml_doc *doc = must_load(wd_buf_cstr(&in));
		assert_int_equal(doc->root->n, 3000);
		assert_string_equal(wd_yaml_get(doc->root, "k2999")->text, "2999");
		wd_yaml_free(doc);
		wd_buf_puts(&in, "k1234: again\n");
		must_fail(wd_buf_cstr(&in), WD_EPARSE, 3001, 1,
		          "duplicate key 'k1234' (first at line 1235)");
		wd_buf_release(&in);
	}
}

static void test_keys_must_be_scalars(void **state)
{
	(void)state;
	must_fail("? [a, b]\n: c\n", WD_EPARSE, 1, 3, "a mapping key must be a scalar, not a list");
	must_fail("{ {a: 1}: 2 }", WD_EPARSE, 1, 3,
	          "a mapping key must be a scalar, not a mapping");
	must_fail("x: &l [1]\ny: {*l : 2}\n", WD_EPARSE, 2, 5,
	          "a mapping key must be a scalar, not a list");
}

static void test_aliases(void **state)
{
	(void)state;
	wd_yaml_doc *doc = must_load("base: &b\n"
	                             "  team: sec\n"
	                             "  tags: [x, y]\n"
	                             "one: *b\n"
	                             "two: *b\n"
	                             "name: &n hello\n"
	                             "again: *n\n");
	const wd_yaml_node *base = wd_yaml_get(doc->root, "base");

	assert_non_null(base);
	assert_ptr_equal(wd_yaml_get(doc->root, "one"), base);
	assert_ptr_equal(wd_yaml_get(doc->root, "two"), base);
	assert_ptr_equal(wd_yaml_get(doc->root, "again"), wd_yaml_get(doc->root, "name"));
	/* a shared node keeps its anchor's position */
	assert_int_equal(wd_yaml_get(doc->root, "one")->line, 1);
	assert_int_equal(wd_yaml_get(doc->root, "one")->column, 7);
	wd_yaml_free(doc);

	/* a redefined anchor: an alias refers to the latest one */
	doc = must_load("a: &x 1\nb: &x 2\nc: *x\n");
	assert_string_equal(wd_yaml_get(doc->root, "c")->text, "2");
	wd_yaml_free(doc);

	must_fail("a: *nowhere\n", WD_EPARSE, 1, 4, "unknown alias '*nowhere'");
	must_fail("a: &r\n  b: *r\n", WD_EPARSE, 2, 6,
	          "alias '*r' refers to a node that contains it (recursion)");
	must_fail("a: &r [1, [2, *r]]\n", WD_EPARSE, 1, 15, "recursion");
}

static void test_billion_laughs(void **state)
{
	(void)state;
	const char *bomb = "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n"
	                   "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
	                   "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
	                   "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
	                   "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
	                   "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
	                   "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
	                   "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
	                   "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
	clock_t t0 = clock();
	double secs;
	wd_yaml_limits lim = wd_yaml_limits_default();

	/* 74740 nodes before f's first alias, which adds e's 66430 */
	must_fail(bomb, WD_ELIMIT, 6, 8, "aliases expand to more than 100000 nodes");
	secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	assert_true(secs < 0.5);

	/* with a smaller limit it stops earlier */
	lim.max_nodes = 1000;
	must_fail_lim(bomb, strlen(bomb), &lim, WD_ELIMIT, 4, 8,
	              "aliases expand to more than 1000 nodes");
	/* and without aliases the count is plain */
	lim.max_nodes = 5;
	must_fail_lim("[1, 2, 3, 4, 5]", 15, &lim, WD_ELIMIT, 1, 14, "more than 5 nodes");
	lim.max_nodes = 6;
	{
		wd_yaml_doc *doc = NULL;
		assert_int_equal(wd_yaml_load(&doc, "t", "[1, 2, 3, 4, 5]", 15, &lim, NULL), WD_OK);
		wd_yaml_free(doc);
	}
}

static void test_tags(void **state)
{
	(void)state;
	wd_yaml_doc *doc = must_load("a: !!int 3\nb: !!float 1.5\nc: !!bool true\nd: !!map {x: 1}\n"
	                             "e: !!seq [1]\nf: !!str x\n");
	int64_t v;

	assert_int_equal(wd_yaml_get_int(doc->root, "a", 0, 10, &v, NULL), WD_OK);
	assert_int_equal(v, 3);
	wd_yaml_free(doc);

	must_fail("a: !custom x\n", WD_EPARSE, 1, 4, "tag '!custom' is not allowed");
	must_fail("a: !!python/object:os.system x\n", WD_EPARSE, 1, 4,
	          "tag '!!python/object:os.system' is not allowed");
	must_fail("a: !<tag:example.com,2000:x> [1]\n", WD_EPARSE, 1, 4,
	          "tag 'tag:example.com,2000:x' is not allowed");
	must_fail("a: !!map x\n", WD_EPARSE, 1, 4, "tag '!!map' does not fit a scalar");
	must_fail("a: !!seq {x: 1}\n", WD_EPARSE, 1, 4, "tag '!!seq' does not fit a mapping");
	must_fail("a: !!str [1]\n", WD_EPARSE, 1, 4, "tag '!!str' does not fit a list");
	must_fail("a: !!null x\n", WD_EPARSE, 1, 4, "a '!!null' value must be empty");
}

static void test_one_document(void **state)
{
	(void)state;
	must_fail("a: 1\n---\nb: 2\n", WD_EPARSE, 2, 1, "a second document starts here");
	must_fail("--- a\n--- b\n", WD_EPARSE, 2, 1, "one document per file");
	/* libyaml wants a '---' before a document after '...' */
	must_fail("a: 1\n...\nb: 2\n", WD_EPARSE, 3, 1, "did not find expected <document start>");
}

static void test_depth(void **state)
{
	(void)state;
	wd_yaml_limits lim = wd_yaml_limits_default();
	wd_buf in;
	wd_yaml_doc *doc = NULL;
	const char *nest = "a: &a {b: [1]}\nc: {d: {e: *a}}\n";
	int i;

	wd_buf_init(&in, 0);
	for (i = 0; i < 64; i++)
		wd_buf_putc(&in, '[');
	for (i = 0; i < 64; i++)
		wd_buf_putc(&in, ']');
	assert_int_equal(wd_yaml_load(&doc, "t", in.data, in.len, NULL, NULL), WD_OK);
	wd_yaml_free(doc);
	wd_buf_reset(&in);
	for (i = 0; i < 100000; i++)
		wd_buf_putc(&in, '[');
	must_fail_lim(in.data, in.len, NULL, WD_ELIMIT, 1, 65, "nesting deeper than 64 levels");

	/* aliases count with their height: 3 + 2 levels > 4 */
	lim.max_depth = 4;
	must_fail_lim(nest, strlen(nest), &lim, WD_ELIMIT, 2, 12,
	              "aliases nest deeper than 4 levels");
	lim.max_depth = 5;
	assert_int_equal(wd_yaml_load(&doc, "t", nest, strlen(nest), &lim, NULL), WD_OK);
	wd_yaml_free(doc);
	wd_buf_release(&in);
}

/* A buffer of n bytes of valid YAML ("- a\n" lines). */
static char *big_yaml(size_t n)
{
	char *p = malloc(n);
	size_t i;

	assert_non_null(p);
	for (i = 0; i < n; i++)
		p[i] = "- a\n"[i % 4];
	return p;
}

static void test_size_limit(void **state)
{
	(void)state;
	size_t n = (size_t)50 << 20;
	char *big = big_yaml(n);
	char path[] = "/tmp/warden-test-yaml-XXXXXX";
	wd_yaml_doc *doc = (wd_yaml_doc *)1;
	wd_error err;
	clock_t t0;
	int fd;
	wd_yaml_limits lim = wd_yaml_limits_default();

	t0 = clock();
	assert_int_equal(wd_yaml_load(&doc, "big", big, n, NULL, &err), WD_ELIMIT);
	assert_null(doc);
	assert_string_equal(err.message, "input is 52428800 bytes, over the limit of 1048576");
	assert_int_equal(err.line, 0);
	/* refused before parsing: no time spent */
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 0.05);

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, big, n), (ssize_t)n);
	close(fd);
	t0 = clock();
	doc = (wd_yaml_doc *)1;
	assert_int_equal(wd_yaml_load_file(&doc, path, NULL, &err), WD_ELIMIT);
	assert_null(doc);
	assert_string_equal(err.message, "file is 52428800 bytes, over the limit of 1048576");
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 0.05);
	unlink(path);
	free(big);

	/* exactly at the limit is fine, one byte over is not */
	lim.max_size = 400;
	big = big_yaml(400);
	assert_int_equal(wd_yaml_load(&doc, "t", big, 400, &lim, NULL), WD_OK);
	assert_int_equal(doc->root->n, 100);
	wd_yaml_free(doc);
	free(big);
	big = big_yaml(401);
	assert_int_equal(wd_yaml_load(&doc, "t", big, 401, &lim, &err), WD_ELIMIT);
	free(big);
}

static void test_load_file(void **state)
{
	(void)state;
	char path[] = "/tmp/warden-test-yaml-XXXXXX";
	const char *text = "owners:\n  - team: sec\n    match: 'n8n/*'\n";
	wd_yaml_doc *doc = NULL;
	wd_error err;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	assert_int_equal(wd_yaml_load_file(&doc, path, NULL, &err), WD_OK);
	assert_string_equal(doc->path, path);
	assert_string_equal(wd_yaml_get(wd_yaml_get(doc->root, "owners")->items[0], "match")->text,
	                    "n8n/*");
	wd_yaml_free(doc);
	unlink(path);
	assert_int_equal(wd_yaml_load_file(&doc, path, NULL, &err), WD_EIO);
	assert_null(doc);
	assert_non_null(strstr(err.message, "cannot open"));
	assert_int_equal(wd_yaml_load_file(&doc, "/tmp", NULL, &err), WD_EIO);
}

static void test_syntax_errors(void **state)
{
	(void)state;
	/* libyaml's problem text, its 1-based position, and the context */
	must_fail("a: [1, 2\nb: 3\n", WD_EPARSE, 2, 2,
	          "did not find expected ',' or ']' (while parsing a flow sequence at line 1, "
	          "column 4)");
	must_fail("a: b\n c: d\n", WD_EPARSE, 2, 3, "mapping values are not allowed");
	must_fail("a: 'unterminated\n", WD_EPARSE, 2, 1, "found unexpected end of stream");
	must_fail("\ta: 1\n", WD_EPARSE, 1, 1, "found character that cannot start any token");
	/* invalid UTF-8 and control characters, placed from libyaml's byte offset */
	must_fail_lim("a: b\nc: d\xff\n", 10, NULL, WD_EPARSE, 2, 5,
	              "invalid leading UTF-8 octet (#FF)");
	must_fail_lim("a: \xc3\xa9\xc3(\n", 8, NULL, WD_EPARSE, 1, 6,
	              "invalid trailing UTF-8 octet (#28)");
	must_fail_lim("a: b\x01\n", 6, NULL, WD_EPARSE, 1, 5, "control characters are not allowed");
	must_fail_lim("a: b\r\nc: d\re: \x01\n", 15, NULL, WD_EPARSE, 3, 4,
	              "control characters are not allowed");
	must_fail_lim("a: b\0c\n", 7, NULL, WD_EPARSE, 1, 5, "control characters are not allowed");
}

/* ---- getters ------------------------------------------------------------- */

static const char *getter_doc = "name: Policy\n"        /* 1 */
                                "quoted: 'yes'\n"       /* 2 */
                                "on: yes\n"             /* 3 */
                                "off: OFF\n"            /* 4 */
                                "t: True\n"             /* 5 */
                                "count: 42\n"           /* 6 */
                                "neg: -7\n"             /* 7 */
                                "big: 99999999999999999999\n" /* 8 */
                                "zero: 012\n"           /* 9 */
                                "ratio: 0.25\n"         /* 10 */
                                "exp: 1e3\n"            /* 11 */
                                "date: 2024-02-29\n"    /* 12 */
                                "qdate: '2026-01-31'\n" /* 13 */
                                "bad_date: 2026-02-29\n" /* 14 */
                                "list: [1, 2]\n"        /* 15 */
                                "map: {a: 1}\n"         /* 16 */
                                "nothing:\n"            /* 17 */
                                "inf: .inf\n"           /* 18 */
                                "hex: 0x10\n";          /* 19 */

static void expect_err(wd_status rc, const wd_error *err, uint32_t line, uint32_t col,
                       const char *msg)
{
	assert_int_equal(rc, WD_EFORMAT);
	assert_int_equal(err->code, WD_EFORMAT);
	assert_string_equal(err->message, msg);
	assert_int_equal(err->line, line);
	assert_int_equal(err->column, col);
}

static void test_getters(void **state)
{
	(void)state;
	wd_yaml_doc *doc = must_load(getter_doc);
	const wd_yaml_node *r = doc->root;
	const char *s = "unchanged";
	int b = -1;
	int64_t v = -1;
	double d = -1;
	int32_t day = -1;
	wd_error err;

	/* strings */
	assert_int_equal(wd_yaml_get_str(r, "name", &s, &err), WD_OK);
	assert_string_equal(s, "Policy");
	assert_int_equal(wd_yaml_get_str(r, "count", &s, &err), WD_OK);
	assert_string_equal(s, "42");
	s = "unchanged";
	assert_int_equal(wd_yaml_get_str(r, "absent", &s, &err), WD_ENOTFOUND);
	assert_string_equal(s, "unchanged");
	expect_err(wd_yaml_get_str(r, "list", &s, &err), &err, 15, 7,
	           "'list' must be a string, not a list");
	expect_err(wd_yaml_get_str(r, "map", &s, &err), &err, 16, 6,
	           "'map' must be a string, not a mapping");
	expect_err(wd_yaml_get_str(r, "nothing", &s, &err), &err, 17, 9,
	           "'nothing' must be a string, not null");
	assert_string_equal(s, "unchanged");

	/* booleans */
	assert_int_equal(wd_yaml_get_bool(r, "on", &b, &err), WD_OK);
	assert_int_equal(b, 1);
	assert_int_equal(wd_yaml_get_bool(r, "off", &b, &err), WD_OK);
	assert_int_equal(b, 0);
	assert_int_equal(wd_yaml_get_bool(r, "t", &b, &err), WD_OK);
	assert_int_equal(b, 1);
	assert_int_equal(wd_yaml_get_bool(r, "absent", &b, &err), WD_ENOTFOUND);
	expect_err(wd_yaml_get_bool(r, "quoted", &b, &err), &err, 2, 9,
	           "'quoted' must be true or false, not the quoted string 'yes'");
	expect_err(wd_yaml_get_bool(r, "name", &b, &err), &err, 1, 7,
	           "'name' must be true or false, not 'Policy'");
	expect_err(wd_yaml_get_bool(r, "list", &b, &err), &err, 15, 7,
	           "'list' must be true or false, not a list");

	/* integers */
	assert_int_equal(wd_yaml_get_int(r, "count", 0, 100, &v, &err), WD_OK);
	assert_int_equal(v, 42);
	assert_int_equal(wd_yaml_get_int(r, "neg", -10, 10, &v, &err), WD_OK);
	assert_int_equal(v, -7);
	v = 5;
	assert_int_equal(wd_yaml_get_int(r, "absent", 0, 10, &v, &err), WD_ENOTFOUND);
	assert_int_equal(v, 5);
	expect_err(wd_yaml_get_int(r, "count", 0, 10, &v, &err), &err, 6, 8,
	           "'count' must be between 0 and 10, not 42");
	expect_err(wd_yaml_get_int(r, "big", INT64_MIN, INT64_MAX, &v, &err), &err, 8, 6,
	           "'big' must be between -9223372036854775808 and 9223372036854775807, not "
	           "99999999999999999999");
	expect_err(wd_yaml_get_int(r, "zero", 0, 100, &v, &err), &err, 9, 7,
	           "'zero' must be an integer, not '012'");
	expect_err(wd_yaml_get_int(r, "ratio", 0, 100, &v, &err), &err, 10, 8,
	           "'ratio' must be an integer, not '0.25'");
	expect_err(wd_yaml_get_int(r, "quoted", 0, 100, &v, &err), &err, 2, 9,
	           "'quoted' must be an integer, not the quoted string 'yes'");
	expect_err(wd_yaml_get_int(r, "map", 0, 100, &v, &err), &err, 16, 6,
	           "'map' must be an integer, not a mapping");
	expect_err(wd_yaml_get_int(r, "hex", 0, 100, &v, &err), &err, 19, 6,
	           "'hex' must be an integer, not '0x10'");
	assert_int_equal(v, 5);

	/* numbers */
	assert_int_equal(wd_yaml_get_num(r, "ratio", &d, &err), WD_OK);
	assert_true(d == 0.25);
	assert_int_equal(wd_yaml_get_num(r, "count", &d, &err), WD_OK);
	assert_true(d == 42.0);
	assert_int_equal(wd_yaml_get_num(r, "exp", &d, &err), WD_OK);
	assert_true(d == 1000.0);
	expect_err(wd_yaml_get_num(r, "inf", &d, &err), &err, 18, 6,
	           "'inf' must be a number, not '.inf'");
	expect_err(wd_yaml_get_num(r, "hex", &d, &err), &err, 19, 6,
	           "'hex' must be a number, not '0x10'");
	expect_err(wd_yaml_get_num(r, "nothing", &d, &err), &err, 17, 9,
	           "'nothing' must be a number, not null");

	/* dates */
	assert_int_equal(wd_yaml_get_date(r, "date", &day, &err), WD_OK);
	assert_int_equal(day, 19782);
	assert_int_equal(wd_yaml_get_date(r, "qdate", &day, &err), WD_OK);
	assert_int_equal(day, 20484);
	expect_err(wd_yaml_get_date(r, "bad_date", &day, &err), &err, 14, 11,
	           "'bad_date' must be a date (YYYY-MM-DD), not '2026-02-29'");
	expect_err(wd_yaml_get_date(r, "list", &day, &err), &err, 15, 7,
	           "'list' must be a date (YYYY-MM-DD), not a list");
	assert_int_equal(wd_yaml_get_date(r, "absent", &day, &err), WD_ENOTFOUND);
	assert_int_equal(day, 20484);

	/* as_str / as_date on list items */
	{
		const wd_yaml_node *list = wd_yaml_get(r, "list");
		assert_int_equal(wd_yaml_as_str(list->items[1], "item 2 of 'list'", &s, &err),
		                 WD_OK);
		assert_string_equal(s, "2");
		expect_err(wd_yaml_as_str(r, "the policy", &s, &err), &err, 1, 1,
		           "the policy must be a string, not a mapping");
		expect_err(wd_yaml_as_date(list->items[0], "item 1", &day, &err), &err, 15, 8,
		           "item 1 must be a date (YYYY-MM-DD), not '1'");
		assert_int_equal(wd_yaml_as_str(NULL, "x", &s, &err), WD_ENOTFOUND);
	}
	wd_yaml_free(doc);
}

static void test_check_keys(void **state)
{
	(void)state;
	wd_yaml_doc *doc = must_load("version: 1\nrules:\n  - id: x\n    sevrity: high\n");
	static const char *const top[] = {"version", "rules", "owners", NULL};
	static const char *const rule[] = {"id", "severity", "enabled", NULL};
	const wd_yaml_node *r0 = wd_yaml_get(doc->root, "rules")->items[0];
	wd_error err;

	assert_int_equal(wd_yaml_check_keys(doc->root, "the policy", top, &err), WD_OK);
	expect_err(wd_yaml_check_keys(r0, "a rule", rule, &err), &err, 4, 5,
	           "unknown key 'sevrity' in a rule (expected one of: id, severity, enabled)");
	expect_err(wd_yaml_check_keys(wd_yaml_get(doc->root, "rules"), "'rules'", rule, &err),
	           &err, 3, 3, "'rules' must be a mapping, not a list");
	expect_err(wd_yaml_check_keys(wd_yaml_get(doc->root, "version"), "'version'", rule, &err),
	           &err, 1, 10, "'version' must be a mapping, not a string");
	wd_yaml_free(doc);

	doc = must_load("");
	expect_err(wd_yaml_check_keys(doc->root, "the policy", top, &err), &err, 1, 1,
	           "the policy must be a mapping, not null");
	wd_yaml_free(doc);

	/* hostile key text is shortened and has no control characters */
	doc = must_load("\"a\\nb\\0c\": 1\n");
	expect_err(wd_yaml_check_keys(doc->root, "x", top, &err), &err, 1, 1,
	           "unknown key 'a?b?c' in x (expected one of: version, rules, owners)");
	wd_yaml_free(doc);
}

static void test_error_helper(void **state)
{
	(void)state;
	wd_yaml_doc *doc = must_load("a:\n  - b\n");
	wd_error err;

	assert_int_equal(wd_yaml_error(&err, WD_EFORMAT, wd_yaml_get(doc->root, "a")->items[0],
	                               "bad %s", "thing"),
	                 WD_EFORMAT);
	assert_string_equal(err.message, "bad thing");
	assert_int_equal(err.line, 2);
	assert_int_equal(err.column, 5);
	assert_int_equal(wd_yaml_error(NULL, WD_EINVAL, NULL, "x"), WD_EINVAL);
	wd_yaml_free(doc);
}

/* ---- dates --------------------------------------------------------------- */

static void test_dates(void **state)
{
	(void)state;
	char out[11];
	int32_t d;

	assert_int_equal(wd_date_parse("1970-01-01", 10), 0);
	assert_int_equal(wd_date_parse("1970-01-02", 10), 1);
	assert_int_equal(wd_date_parse("2000-03-01", 10), 11017);
	assert_int_equal(wd_date_parse("2024-02-29", 10), 19782);
	assert_int_equal(wd_date_parse("2000-02-29", 10), 11016);
	assert_int_equal(wd_date_parse("9999-12-31", 10), 2932896);
	assert_int_equal(wd_date_parse("2026-02-29", 10), -1);
	assert_int_equal(wd_date_parse("1900-02-29", 10), -1);
	assert_int_equal(wd_date_parse("2026-13-01", 10), -1);
	assert_int_equal(wd_date_parse("2026-00-10", 10), -1);
	assert_int_equal(wd_date_parse("2026-04-31", 10), -1);
	assert_int_equal(wd_date_parse("2026-04-00", 10), -1);
	assert_int_equal(wd_date_parse("1969-12-31", 10), -1);
	assert_int_equal(wd_date_parse("2026-1-01", 9), -1);
	assert_int_equal(wd_date_parse("2026/01/01", 10), -1);
	assert_int_equal(wd_date_parse("2026-01-01T", 11), -1);
	assert_int_equal(wd_date_parse("2026-01-0a", 10), -1);
	assert_int_equal(wd_date_parse(NULL, 0), -1);

	wd_date_format(0, out);
	assert_string_equal(out, "1970-01-01");
	wd_date_format(19782, out);
	assert_string_equal(out, "2024-02-29");
	wd_date_format(-5, out);
	assert_string_equal(out, "1970-01-01");
	wd_date_format(INT32_MAX, out);
	assert_string_equal(out, "9999-12-31");
	/* every day of 1970..2400 round-trips */
	for (d = 0; d < 157000; d++) {
		wd_date_format(d, out);
		assert_int_equal(wd_date_parse(out, 10), d);
	}
	/* and in yaml: */
	{
		wd_yaml_doc *doc = must_load("a: 2026-13-01\n");
		wd_error err;
		expect_err(wd_yaml_get_date(doc->root, "a", &d, &err), &err, 1, 4,
		           "'a' must be a date (YYYY-MM-DD), not '2026-13-01'");
		wd_yaml_free(doc);
	}
}

static void test_limits_default(void **state)
{
	(void)state;
	wd_yaml_limits lim = wd_yaml_limits_default();
	wd_yaml_doc *doc = NULL;

	assert_int_equal(lim.max_size, 1 << 20);
	assert_int_equal(lim.max_depth, 64);
	assert_int_equal(lim.max_nodes, 100000);
	/* a zero field means the default */
	memset(&lim, 0, sizeof(lim));
	lim.max_nodes = 2;
	must_fail_lim("[[[1]]]", 7, &lim, WD_ELIMIT, 1, 3, "more than 2 nodes");
	lim.max_nodes = 0;
	assert_int_equal(wd_yaml_load(&doc, "t", "[[[1]]]", 7, &lim, NULL), WD_OK);
	wd_yaml_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree),
		cmocka_unit_test(test_quoting_and_null),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_bom_position),
		cmocka_unit_test(test_duplicate_keys),
		cmocka_unit_test(test_keys_must_be_scalars),
		cmocka_unit_test(test_aliases),
		cmocka_unit_test(test_billion_laughs),
		cmocka_unit_test(test_tags),
		cmocka_unit_test(test_one_document),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_getters),
		cmocka_unit_test(test_check_keys),
		cmocka_unit_test(test_error_helper),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_limits_default),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
