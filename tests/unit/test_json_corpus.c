/*
 * test_json_corpus.c - Warden's reader against jansson over the real corpus.
 *
 * Every *.json file under WARDEN_CORPUS_DIR (recursively, in sorted order)
 * is parsed by both readers, which must both accept it and build the same
 * tree: same types, same string bytes, same array lengths and order, the same
 * member set per object (the last value of a repeated key, which is what
 * both readers keep), numbers equal by value (integers via wd_json_int and
 * json_integer_value, reals via strtod results compared exactly). A second
 * test checks, over a sample of files, that every value's pointer resolves
 * back to that value and its position matches an independent count.
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
#include <sys/types.h>

#include <cmocka.h>

#ifdef WARDEN_HAVE_JANSSON
#include <jansson.h>
#endif

#include "warden/json.h"

#define READ_MAX ((uint64_t)256 << 20)

/* ---- corpus listing ------------------------------------------------------ */

typedef struct file_list {
	char **paths;
	size_t n;
	size_t cap;
} file_list;

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void list_add(file_list *l, const char *path)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 256;
		l->paths = realloc(l->paths, l->cap * sizeof(*l->paths));
		assert_non_null(l->paths);
	}
	l->paths[l->n] = strdup(path);
	assert_non_null(l->paths[l->n]);
	l->n++;
}

static void collect(file_list *l, const char *dir, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	assert_non_null(d);
	assert_true(depth < 64);
	while ((e = readdir(d)) != NULL) {
		char path[4096];
		struct stat st;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (lstat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			collect(l, path, depth + 1);
		else if (S_ISREG(st.st_mode) && ends_with(e->d_name, ".json"))
			list_add(l, path);
	}
	closedir(d);
}

static int cmp_paths(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_free(file_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->paths[i]);
	free(l->paths);
}

/* All corpus files, sorted; skips the calling test when there is no corpus. */
static int corpus_files(file_list *l)
{
	struct stat st;

	memset(l, 0, sizeof(*l));
	if (stat(WARDEN_CORPUS_DIR, &st) != 0 || !S_ISDIR(st.st_mode)) {
		print_message("corpus directory %s does not exist: skipping\n", WARDEN_CORPUS_DIR);
		return 0;
	}
	collect(l, WARDEN_CORPUS_DIR, 0);
	qsort(l->paths, l->n, sizeof(*l->paths), cmp_paths);
	return 1;
}

/* ---- tree comparison --------------------------------------------------------- */

#ifdef WARDEN_HAVE_JANSSON

typedef struct cmp_ctx {
	wd_json_doc *doc;
	const char *file;
	wd_buf where;      /* message of the first difference */
	size_t values;     /* values compared */
} cmp_ctx;

static int differ(cmp_ctx *c, const wd_json_val *v, const char *what)
{
	if (wd_buf_cstr(&c->where)[0] == '\0') {
		wd_buf_printf(&c->where, "%s: %s at ", c->file, what);
		wd_json_pointer(c->doc, v, &c->where);
	}
	return 0;
}

/* Is the member at key k the last one with its key? */
static int last_of_key(const wd_json_doc *doc, const wd_json_val *obj, const wd_json_val *k)
{
	wd_str ks = wd_json_str(doc, k);

	return wd_json_get_n(doc, obj, ks.ptr, ks.len) == k + 1;
}

static int same_tree(cmp_ctx *c, const wd_json_val *v, json_t *j)
{
	const wd_json_doc *doc = c->doc;
	size_t i;

	c->values++;
	switch (wd_json_typeof(v)) {
	case WD_JSON_NULL:
		return json_is_null(j) ? 1 : differ(c, v, "null vs other");
	case WD_JSON_TRUE:
		return json_is_true(j) ? 1 : differ(c, v, "true vs other");
	case WD_JSON_FALSE:
		return json_is_false(j) ? 1 : differ(c, v, "false vs other");
	case WD_JSON_NUMBER:
		if (json_is_integer(j)) {
			int64_t n;
			if (wd_json_int(doc, v, &n) != WD_OK)
				return differ(c, v, "jansson integer, not a Warden int64");
			return n == (int64_t)json_integer_value(j) ? 1 : differ(c, v, "integer value");
		}
		if (json_is_real(j)) {
			double d;
			if (wd_json_num(doc, v, &d) != WD_OK)
				return differ(c, v, "wd_json_num failed");
			return d == json_real_value(j) ? 1 : differ(c, v, "real value");
		}
		return differ(c, v, "number vs other");
	case WD_JSON_STRING: {
		wd_str s = wd_json_str(doc, v);
		if (!json_is_string(j))
			return differ(c, v, "string vs other");
		if (s.len != json_string_length(j) || memcmp(s.ptr, json_string_value(j), s.len) != 0)
			return differ(c, v, "string bytes");
		return 1;
	}
	case WD_JSON_ARRAY: {
		const wd_json_val *e;
		if (!json_is_array(j))
			return differ(c, v, "array vs other");
		if (wd_json_size(v) != json_array_size(j))
			return differ(c, v, "array length");
		WD_JSON_ARR_FOREACH(v, i, e)
		{
			if (!same_tree(c, e, json_array_get(j, i)))
				return 0;
		}
		return 1;
	}
	case WD_JSON_OBJECT: {
		const wd_json_val *k, *val;
		size_t distinct = 0;
		if (!json_is_object(j))
			return differ(c, v, "object vs other");
		WD_JSON_OBJ_FOREACH(v, i, k, val)
		{
			wd_str ks = wd_json_str(doc, k);
			json_t *jm;
			if (!last_of_key(doc, v, k))
				continue; /* an earlier duplicate: both keep the last */
			distinct++;
			jm = json_object_getn(j, ks.ptr, ks.len);
			if (!jm)
				return differ(c, val, "member missing in jansson");
			if (!same_tree(c, val, jm))
				return 0;
		}
		if (distinct != json_object_size(j))
			return differ(c, v, "member count");
		return 1;
	}
	}
	return differ(c, v, "unknown type");
}


/* The comparison itself must see differences, or the corpus test proves nothing. */
static void test_comparator_detects_differences(void **state)
{
	static const struct {
		const char *warden;
		const char *jansson;
		int same;
	} cases[] = {
		{"{\"a\":[1,\"x\",true,null,1.5]}", "{\"a\":[1,\"x\",true,null,1.5]}", 1},
		{"{\"a\":1,\"a\":2}", "{\"a\":2}", 1},
		{"{\"a\":1,\"b\":2}", "{\"b\":2,\"a\":1}", 1},
		{"\"\\u00e9\"", "\"\xC3\xA9\"", 1},
		{"1e2", "100.0", 1},
		{"{\"a\":1}", "{\"a\":2}", 0},
		{"{\"a\":1,\"a\":2}", "{\"a\":1}", 0},
		{"{\"a\":1}", "{\"a\":1,\"b\":1}", 0},
		{"{\"a\":1,\"b\":1}", "{\"a\":1,\"c\":1}", 0},
		{"[1,2]", "[2,1]", 0},
		{"[1,2]", "[1,2,3]", 0},
		{"\"ab\"", "\"abc\"", 0},
		{"\"a\\u0000\"", "\"a\"", 0},
		{"0.1", "0.10000000000000002", 0},
		{"9007199254740993", "9007199254740992", 0},
		{"true", "false", 0},
		{"null", "0", 0},
		{"[]", "{}", 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		wd_json_doc *doc = NULL;
		json_error_t jerr;
		json_t *j = json_loads(cases[i].jansson, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
		cmp_ctx c;

		assert_non_null(j);
		assert_int_equal(wd_json_parse(&doc, cases[i].warden, strlen(cases[i].warden), NULL,
		                               NULL),
		                 WD_OK);
		memset(&c, 0, sizeof(c));
		c.doc = doc;
		c.file = "case";
		wd_buf_init(&c.where, 0);
		if (same_tree(&c, wd_json_root(doc), j) != cases[i].same)
			fail_msg("case %zu: %s vs %s: comparison says %s", i, cases[i].warden,
			         cases[i].jansson, cases[i].same ? "different" : "same");
		wd_buf_release(&c.where);
		json_decref(j);
		wd_json_free(doc);
	}
}

#endif /* WARDEN_HAVE_JANSSON */

static void test_corpus_matches_jansson(void **state)
{
#ifdef WARDEN_HAVE_JANSSON
	file_list files;
	size_t i, compared = 0, values = 0, bytes = 0, failures = 0;

	(void)state;
	if (!corpus_files(&files))
		skip();
	assert_true(files.n > 0);
	for (i = 0; i < files.n; i++) {
		const char *path = files.paths[i];
		char *data;
		size_t len, skip_bom = 0;
		wd_json_doc *doc = NULL;
		wd_error err;
		json_error_t jerr;
		json_t *j;
		cmp_ctx c;

		if (wd_read_file(path, READ_MAX, &data, &len, &err) != WD_OK)
			fail_msg("%s: cannot read: %s", path, err.message);
		if (wd_json_parse(&doc, data, len, NULL, &err) != WD_OK) {
			print_error("%s:%u:%u: Warden rejects: %s\n", path, err.line, err.column,
			            err.message);
			failures++;
			free(data);
			continue;
		}
		if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
			skip_bom = 3;
		j = json_loadb(data + skip_bom, len - skip_bom, JSON_DECODE_ANY | JSON_ALLOW_NUL,
		               &jerr);
		if (!j) {
			print_error("%s:%d:%d: jansson rejects: %s\n", path, jerr.line, jerr.column,
			            jerr.text);
			failures++;
			wd_json_free(doc);
			free(data);
			continue;
		}
		memset(&c, 0, sizeof(c));
		c.doc = doc;
		c.file = path;
		wd_buf_init(&c.where, 0);
		if (!same_tree(&c, wd_json_root(doc), j)) {
			print_error("%s\n", wd_buf_cstr(&c.where));
			failures++;
		} else {
			compared++;
			values += c.values;
			bytes += len;
		}
		wd_buf_release(&c.where);
		json_decref(j);
		wd_json_free(doc);
		free(data);
	}
	print_message("compared %zu of %zu corpus files with jansson (%zu values, %zu bytes)\n",
	              compared, files.n, values, bytes);
	list_free(&files);
	assert_int_equal(failures, 0);
	assert_int_equal(compared, i);
#else
	(void)state;
	print_message("jansson not found: skipping the differential corpus test\n");
	skip();
#endif
}

/* ---- positions and pointers ------------------------------------------------- */

/* Resolve an RFC 6901 pointer from the root with the public accessors. */
static const wd_json_val *resolve(const wd_json_doc *doc, const char *ptr, size_t plen)
{
	const wd_json_val *cur = wd_json_root(doc);
	const char *p = ptr, *end = ptr + plen;
	wd_buf tok;

	wd_buf_init(&tok, 0);
	while (cur && p < end) {
		if (*p != '/') {
			cur = NULL;
			break;
		}
		p++;
		wd_buf_reset(&tok);
		while (p < end && *p != '/') {
			if (p[0] == '~' && p + 1 < end && (p[1] == '0' || p[1] == '1')) {
				wd_buf_putc(&tok, p[1] == '0' ? '~' : '/');
				p += 2;
			} else {
				wd_buf_putc(&tok, *p++);
			}
		}
		if (wd_json_is_arr(cur)) {
			size_t idx = 0, k;
			for (k = 0; k < tok.len; k++) {
				if (tok.data[k] < '0' || tok.data[k] > '9')
					break;
				idx = idx * 10 + (size_t)(tok.data[k] - '0');
			}
			cur = (tok.len && k == tok.len) ? wd_json_at(cur, idx) : NULL;
		} else {
			cur = wd_json_get_n(doc, cur, wd_buf_cstr(&tok), tok.len);
		}
	}
	wd_buf_release(&tok);
	return cur;
}

/* Line and column of a byte offset, counted independently of the reader. */
static void count_position(const char *in, size_t off, uint32_t *line, uint32_t *col)
{
	size_t i, ls = 0;

	*line = 1;
	for (i = 0; i < off; i++)
		if (in[i] == '\n') {
			(*line)++;
			ls = i + 1;
		}
	if (ls == 0 && off >= 3 && memcmp(in, "\xEF\xBB\xBF", 3) == 0)
		ls = 3;
	*col = 1;
	for (i = ls; i < off; i++)
		if (((unsigned char)in[i] & 0xC0) != 0x80)
			(*col)++;
}

typedef struct walk_stats {
	size_t values;
	size_t keys;
	size_t shadowed;   /* under an earlier duplicate key: no pointer names them */
} walk_stats;

/*
 * Check v's position and pointer. The pointer must resolve to target: v
 * itself, or for a key the member value after it. shadowed: v sits under an
 * earlier duplicate key, which a pointer resolves to the last duplicate.
 */
static void check_value(wd_json_doc *doc, const wd_json_val *v, const wd_json_val *target,
                        int shadowed, const char *file, walk_stats *st)
{
	static const char first_bytes[] = {'n', 'f', 't', 0, '"', '[', '{'};
	size_t len;
	const char *in = wd_json_input(doc, &len);
	uint32_t line, col, rl, rc;
	const wd_json_val *r;
	wd_buf ptr;

	/* position: the value's first byte, and an independent line/column count */
	assert_true(v->off < len);
	if (wd_json_typeof(v) == WD_JSON_NUMBER)
		assert_true(in[v->off] == '-' || (in[v->off] >= '0' && in[v->off] <= '9'));
	else
		assert_int_equal(in[v->off], first_bytes[wd_json_typeof(v)]);
	assert_int_equal(wd_json_position(doc, v, &line, &col), WD_OK);
	count_position(in, v->off, &rl, &rc);
	if (line != rl || col != rc)
		fail_msg("%s: value %zu at %u:%u, counted %u:%u", file, wd_json_index(doc, v), line,
		         col, rl, rc);

	wd_buf_init(&ptr, 0);
	wd_json_pointer(doc, v, &ptr);
	assert_false(wd_buf_failed(&ptr));
	r = resolve(doc, wd_buf_cstr(&ptr), ptr.len);
	if (shadowed)
		st->shadowed++;
	else if (r != target)
		fail_msg("%s: pointer '%s' of value %zu resolves to %zd", file, wd_buf_cstr(&ptr),
		         wd_json_index(doc, v), r ? (ssize_t)wd_json_index(doc, r) : (ssize_t)-1);
	wd_buf_release(&ptr);
	st->values++;
	st->keys += v != target;
}

static void walk(wd_json_doc *doc, const wd_json_val *v, int shadowed, const char *file,
                 walk_stats *st)
{
	size_t i;

	check_value(doc, v, v, shadowed, file, st);
	if (wd_json_is_arr(v)) {
		const wd_json_val *e;
		WD_JSON_ARR_FOREACH(v, i, e)
			walk(doc, e, shadowed, file, st);
	} else if (wd_json_is_obj(v)) {
		const wd_json_val *k, *val;
		WD_JSON_OBJ_FOREACH(v, i, k, val)
		{
			wd_str ks = wd_json_str(doc, k);
			int dup = wd_json_get_n(doc, v, ks.ptr, ks.len) != val;

			check_value(doc, k, val, shadowed || dup, file, st);
			walk(doc, val, shadowed || dup, file, st);
		}
	}
}

/*
 * A sample of the corpus: every 50th file under 512 KiB (one of each
 * platform's exports in practice), each value checked.
 */
static void test_corpus_positions_and_pointers(void **state)
{
	file_list files;
	walk_stats st = {0, 0, 0};
	size_t i, sampled = 0;

	(void)state;
	if (!corpus_files(&files))
		skip();
	for (i = 0; i < files.n; i += 50) {
		struct stat sb;
		wd_json_doc *doc = NULL;
		wd_error err;

		if (stat(files.paths[i], &sb) != 0 || sb.st_size > 512 * 1024)
			continue;
		if (wd_json_parse_file(&doc, files.paths[i], NULL, &err) != WD_OK)
			fail_msg("%s: %s", files.paths[i], err.message);
		walk(doc, wd_json_root(doc), 0, files.paths[i], &st);
		wd_json_free(doc);
		sampled++;
	}
	print_message("checked positions and pointers of %zu values (%zu keys) in %zu files, "
	              "%zu behind duplicate keys\n",
	              st.values, st.keys, sampled, st.shadowed);
	list_free(&files);
	assert_true(sampled > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#ifdef WARDEN_HAVE_JANSSON
		cmocka_unit_test(test_comparator_detects_differences),
#endif
		cmocka_unit_test(test_corpus_matches_jansson),
		cmocka_unit_test(test_corpus_positions_and_pointers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
