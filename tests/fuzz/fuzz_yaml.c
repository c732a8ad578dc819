/*
 * fuzz_yaml.c - libFuzzer target for the libyaml adapter (warden/yaml.h).
 *
 * For each input:
 *   1. Load it under small limits (64 KiB, depth 16, 2000 nodes). A
 *      rejection must be WD_EPARSE or WD_ELIMIT with a message, no document,
 *      err.code equal to the status, and the same status without a wd_error.
 *   2. When accepted, walk the expanded tree (aliases followed, so the walk
 *      is bounded only by the limits, which is what they promise): positions
 *      are 1-based, scalars have NUL-terminated text of their length, keys are
 *      scalars and pairwise different, the depth and the expanded node count
 *      stay within the limits.
 *   3. Every getter on every key of every mapping, check_keys, as_str and
 *      as_date on every item: each returns a known status, an error carries
 *      a position and a message, and a success agrees with the text.
 *   4. wd_date_parse on the input's first bytes; a date found round-trips
 *      through wd_date_format.
 * An error's line is never past the end of the input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "warden/yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond, ...)                                                             \
	do {                                                                         \
		if (!(cond)) {                                                       \
			fprintf(stderr, "fuzz_yaml: %s:%d: check failed: %s: ", __FILE__, \
			        __LINE__, #cond);                                    \
			fprintf(stderr, __VA_ARGS__);                                \
			fputc('\n', stderr);                                         \
			abort();                                                     \
		}                                                                    \
	} while (0)

typedef struct walk_state {
	wd_yaml_limits lim;
	uint64_t nodes;
} walk_state;

static void check_error(wd_status rc, const wd_error *err)
{
	CHECK(rc == WD_EFORMAT, "getter status %d", (int)rc);
	CHECK(err->code == rc, "err.code %d, rc %d", (int)err->code, (int)rc);
	CHECK(err->message[0] != '\0', "empty message");
	CHECK(err->line >= 1 && err->column >= 1, "getter error without a position");
	CHECK(strlen(err->message) < sizeof(err->message), "message not terminated");
}

static void check_getters(const wd_yaml_node *map)
{
	static const char *const allowed[] = {"id", "severity", "rules", "owners", NULL};
	size_t i;
	wd_error err;
	wd_status rc;

	rc = wd_yaml_check_keys(map, "the map", allowed, &err);
	if (rc != WD_OK)
		check_error(rc, &err);
	for (i = 0; i < map->n; i++) {
		const wd_yaml_node *k = map->keys[i], *v;
		const char *s;
		int b;
		int64_t n;
		double d;
		int32_t day;

		/* a key with a NUL byte cannot be asked for by name */
		if (memchr(k->text, '\0', k->len))
			continue;
		v = wd_yaml_get(map, k->text);
		CHECK(v != NULL, "wd_yaml_get misses key '%s'", k->text);
		CHECK(v == map->items[i], "wd_yaml_get finds another value for '%s'", k->text);

		rc = wd_yaml_get_str(map, k->text, &s, &err);
		if (rc == WD_OK)
			CHECK(s == v->text && v->type == WD_YAML_SCALAR, "get_str");
		else
			check_error(rc, &err);
		rc = wd_yaml_get_bool(map, k->text, &b, &err);
		if (rc == WD_OK)
			CHECK((b == 0 || b == 1) && !v->quoted && v->len <= 5, "get_bool");
		else
			check_error(rc, &err);
		rc = wd_yaml_get_int(map, k->text, -1000, 1000, &n, &err);
		if (rc == WD_OK)
			CHECK(n >= -1000 && n <= 1000 && !v->quoted, "get_int");
		else
			check_error(rc, &err);
		rc = wd_yaml_get_num(map, k->text, &d, &err);
		if (rc == WD_OK)
			CHECK(d == d && !v->quoted, "get_num");
		else
			check_error(rc, &err);
		rc = wd_yaml_get_date(map, k->text, &day, &err);
		if (rc == WD_OK) {
			char out[11];
			wd_date_format(day, out);
			CHECK(v->len == 10 && memcmp(out, v->text, 10) == 0, "get_date");
		} else {
			check_error(rc, &err);
		}
	}
}

static void walk(walk_state *ws, const wd_yaml_node *n, uint32_t depth)
{
	size_t i, j;

	CHECK(n != NULL, "NULL node");
	CHECK(n->line >= 1 && n->column >= 1, "node at %u:%u", n->line, n->column);
	ws->nodes++;
	CHECK(ws->nodes <= ws->lim.max_nodes, "more than %u nodes expanded", ws->lim.max_nodes);
	switch (n->type) {
	case WD_YAML_NULL:
	case WD_YAML_SCALAR:
		CHECK(n->text != NULL && n->text[n->len] == '\0', "scalar text");
		CHECK(n->items == NULL && n->keys == NULL && n->n == 0, "scalar with children");
		if (n->type == WD_YAML_NULL)
			CHECK(!n->quoted, "quoted null");
		break;
	case WD_YAML_SEQ:
		CHECK(depth + 1 <= ws->lim.max_depth, "depth %u", depth + 1);
		CHECK(n->text == NULL && n->keys == NULL, "list fields");
		for (i = 0; i < n->n; i++) {
			const char *s;
			int32_t day;
			wd_error err;
			wd_status rc = wd_yaml_as_str(n->items[i], "an item", &s, &err);
			if (rc != WD_OK)
				check_error(rc, &err);
			rc = wd_yaml_as_date(n->items[i], "an item", &day, &err);
			if (rc != WD_OK)
				check_error(rc, &err);
			walk(ws, n->items[i], depth + 1);
		}
		break;
	case WD_YAML_MAP:
		CHECK(depth + 1 <= ws->lim.max_depth, "depth %u", depth + 1);
		CHECK(n->text == NULL, "mapping text");
		for (i = 0; i < n->n; i++) {
			const wd_yaml_node *k = n->keys[i];
			CHECK(k->type == WD_YAML_SCALAR || k->type == WD_YAML_NULL, "key kind");
			for (j = 0; j < i; j++)
				CHECK(n->keys[j]->len != k->len ||
				          memcmp(n->keys[j]->text, k->text, k->len) != 0,
				      "duplicate key");
			walk(ws, k, depth + 1);
			walk(ws, n->items[i], depth + 1);
		}
		check_getters(n);
		break;
	default:
		CHECK(0, "node type %d", (int)n->type);
	}
}

/* Lines of the input, a last line without a newline included (+1 for the
 * end of stream, where libyaml places some errors). */
static uint32_t count_lines(const uint8_t *data, size_t size)
{
	uint32_t n = 1;
	size_t i;

	for (i = 0; i < size; i++) {
		if (data[i] == '\n' || (data[i] == '\r' && (i + 1 == size || data[i + 1] != '\n')))
			n++;
		/* libyaml also breaks lines at NEL, U+2028 and U+2029 */
		else if (data[i] == 0xC2 && i + 1 < size && data[i + 1] == 0x85)
			n++;
		else if (data[i] == 0xE2 && i + 2 < size && data[i + 1] == 0x80 &&
		         (data[i + 2] == 0xA8 || data[i + 2] == 0xA9))
			n++;
	}
	return n + 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	walk_state ws;
	wd_yaml_doc *doc = NULL, *again = NULL;
	wd_error err;
	wd_status rc;
	int32_t day;

	ws.lim.max_size = 64 * 1024;
	ws.lim.max_depth = 16;
	ws.lim.max_nodes = 2000;
	ws.nodes = 0;
	rc = wd_yaml_load(&doc, "fuzz.yaml", (const char *)data, size, &ws.lim, &err);
	CHECK(err.code == rc, "err.code %d, rc %d", (int)err.code, (int)rc);
	CHECK(wd_yaml_load(&again, "fuzz.yaml", (const char *)data, size, &ws.lim, NULL) == rc,
	      "status depends on the error record");
	wd_yaml_free(again);
	if (rc == WD_OK) {
		CHECK(doc != NULL && doc->root != NULL, "no document");
		CHECK(strcmp(doc->path, "fuzz.yaml") == 0, "path");
		walk(&ws, doc->root, 0);
		wd_yaml_free(doc);
	} else {
		CHECK(doc == NULL, "document returned on failure");
		CHECK(rc == WD_EPARSE || rc == WD_ELIMIT, "unexpected status %d", (int)rc);
		CHECK(err.message[0] != '\0', "empty message");
		CHECK(rc != WD_EPARSE || err.line >= 1, "parse error without a line: %s",
		      err.message);
		CHECK(err.line <= count_lines(data, size), "error at line %u of %u: %s", err.line,
		      count_lines(data, size), err.message);
	}

	day = wd_date_parse((const char *)data, size < 10 ? size : 10);
	if (day >= 0) {
		char out[11];
		wd_date_format(day, out);
		CHECK(memcmp(out, data, 10) == 0, "date round trip");
	}
	return 0;
}
