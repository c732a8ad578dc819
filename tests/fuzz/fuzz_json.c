/*
 * fuzz_json.c - libFuzzer target for the JSON reader and string writer.
 *
 * For each input:
 *   1. Parse it with Warden's reader under small limits (depth 64, 1024
 *      values, strings of 1 KiB). A rejection must carry a consistent error
 *      record: its line and column agree with its byte offset, and the status
 *      does not depend on whether a wd_error was passed.
 *   2. With jansson available (WARDEN_HAVE_JANSSON), parse it with jansson
 *      too and abort() if exactly one of them accepts, outside the deliberate
 *      differences below; when both accept, the trees must be equal.
 *   3. When accepted, walk every value: its position must agree with an
 *      independent count, its JSON pointer must resolve back to it, and every
 *      string (keys too) re-serialised with wd_json_write_str must parse back
 *      to the same bytes.
 *   4. The raw input, as a string, goes through wd_json_write_str: the output
 *      must parse, and writing the parsed string again gives the same output.
 *
 * Deliberate Warden-vs-jansson differences (checked to be the cause, never
 * assumed):
 *   - Numbers. RFC 8259 sets no range; Warden keeps the number's text and
 *     accepts any well-formed number. jansson rejects integers outside int64
 *     ("too big integer") and reals that overflow a double ("real number
 *     overflow"), error code json_error_numeric_overflow.
 *   - NUL in object keys. "\u0000" is valid in a key and Warden keeps it;
 *     jansson refuses ("NUL byte in object key not supported",
 *     json_error_null_byte_in_key). NUL in values is accepted by both, given
 *     JSON_ALLOW_NUL.
 *   - Limits. A WD_ELIMIT says nothing about validity, so such inputs are not
 *     compared. jansson's own depth limit (2048) is above the 64 used here.
 *   - BOM. Warden skips one leading UTF-8 BOM; jansson treats it as an
 *     invalid token, so the BOM is stripped before jansson sees the input.
 *   - A NUL byte right after a number or a literal. jansson's one-byte
 *     lookahead buffer uses NUL as "empty", so a NUL it reads ahead and puts
 *     back is lost: it accepts {"a":1<NUL>} and [true<NUL>]. RFC 8259 has no
 *     such whitespace and Warden rejects it. When jansson accepts and Warden
 *     stops at such a NUL, the NUL is removed and both compared again, so
 *     whatever else is in the input is still checked (found by this fuzzer).
 * Everything else must agree.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef WARDEN_HAVE_JANSSON
#include <jansson.h>
#endif

#include "warden/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond, ...)                                                             \
	do {                                                                         \
		if (!(cond)) {                                                       \
			fprintf(stderr, "fuzz_json: %s:%d: check failed: %s: ", __FILE__, \
			        __LINE__, #cond);                                    \
			fprintf(stderr, __VA_ARGS__);                                \
			fputc('\n', stderr);                                         \
			abort();                                                     \
		}                                                                    \
	} while (0)

static wd_limits fuzz_limits(void)
{
	wd_limits lim;

	memset(&lim, 0, sizeof(lim));
	/* small enough that fuzz-sized inputs reach every limit */
	lim.max_depth = 64;
	lim.max_string_len = 1024;
	lim.max_elements = 1024;
	lim.max_file_size = 1u << 20;
	return lim;
}

static int has_bom(const uint8_t *data, size_t size)
{
	return size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0;
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

/* ---- accepted documents: positions, pointers, strings --------------------- */

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
			for (k = 0; k < tok.len && k < 12; k++) {
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

/* Write s as a JSON string and parse it back: the same bytes must return. */
static void check_string_round_trip(wd_str s)
{
	wd_buf out;
	wd_json_doc *doc = NULL;
	wd_error err;
	wd_str back;

	wd_buf_init(&out, 0);
	wd_json_write_str(&out, s);
	CHECK(!wd_buf_failed(&out), "writer failed");
	CHECK(wd_json_parse(&doc, out.data, out.len, NULL, &err) == WD_OK,
	      "writer output does not parse: %s", err.message);
	back = wd_json_str(doc, wd_json_root(doc));
	CHECK(back.len == s.len && memcmp(back.ptr, s.ptr, s.len) == 0,
	      "string of %zu bytes came back as %zu bytes", s.len, back.len);
	wd_json_free(doc);
	wd_buf_release(&out);
}

static void check_value(wd_json_doc *doc, const wd_json_val *v, const wd_json_val *target,
                        int shadowed)
{
	size_t len;
	const char *in = wd_json_input(doc, &len);
	uint32_t line, col, rl, rc;
	wd_buf ptr;

	CHECK(v->off < len, "offset %u past input of %zu", v->off, len);
	CHECK(wd_json_position(doc, v, &line, &col) == WD_OK, "position failed");
	count_position(in, v->off, &rl, &rc);
	CHECK(line == rl && col == rc, "value at %u:%u, counted %u:%u", line, col, rl, rc);

	wd_buf_init(&ptr, 0);
	wd_json_pointer(doc, v, &ptr);
	CHECK(!wd_buf_failed(&ptr), "pointer buffer failed");
	CHECK(v != wd_json_root(doc) || ptr.len == 0, "root pointer is '%s'", wd_buf_cstr(&ptr));
	/* under an earlier duplicate key, a pointer names the last duplicate */
	if (!shadowed)
		CHECK(resolve(doc, wd_buf_cstr(&ptr), ptr.len) == target,
		      "pointer '%s' does not resolve back", wd_buf_cstr(&ptr));
	wd_buf_release(&ptr);

	if (wd_json_is_str(v)) {
		check_string_round_trip(wd_json_str(doc, v));
	} else if (wd_json_typeof(v) == WD_JSON_NUMBER) {
		double d;
		int64_t n;
		wd_str t = wd_json_num_text(doc, v);
		CHECK(wd_json_num(doc, v, &d) == WD_OK, "wd_json_num failed");
		if (wd_json_int(doc, v, &n) == WD_OK)
			CHECK(!memchr(t.ptr, '.', t.len) && !memchr(t.ptr, 'e', t.len) &&
			          !memchr(t.ptr, 'E', t.len),
			      "int from a non-integer text");
	}
}

static void walk(wd_json_doc *doc, const wd_json_val *v, int shadowed)
{
	size_t i;

	check_value(doc, v, v, shadowed);
	if (wd_json_is_arr(v)) {
		const wd_json_val *e;
		WD_JSON_ARR_FOREACH(v, i, e)
			walk(doc, e, shadowed);
		CHECK(wd_json_at(v, wd_json_size(v)) == NULL, "wd_json_at past the end");
	} else if (wd_json_is_obj(v)) {
		const wd_json_val *k, *val;
		WD_JSON_OBJ_FOREACH(v, i, k, val)
		{
			wd_str ks = wd_json_str(doc, k);
			int dup;

			CHECK(wd_json_is_str(k), "object key is not a string");
			dup = wd_json_get_n(doc, v, ks.ptr, ks.len) != val;
			check_value(doc, k, val, shadowed || dup);
			walk(doc, val, shadowed || dup);
		}
	}
}

/* ---- jansson ----------------------------------------------------------------- */

#ifdef WARDEN_HAVE_JANSSON

static int same_tree(const wd_json_doc *doc, const wd_json_val *v, json_t *j)
{
	size_t i;

	switch (wd_json_typeof(v)) {
	case WD_JSON_NULL: return json_is_null(j);
	case WD_JSON_TRUE: return json_is_true(j);
	case WD_JSON_FALSE: return json_is_false(j);
	case WD_JSON_NUMBER:
		if (json_is_integer(j)) {
			int64_t n;
			return wd_json_int(doc, v, &n) == WD_OK && n == (int64_t)json_integer_value(j);
		}
		if (json_is_real(j)) {
			double d;
			return wd_json_num(doc, v, &d) == WD_OK && d == json_real_value(j);
		}
		return 0;
	case WD_JSON_STRING: {
		wd_str s = wd_json_str(doc, v);
		return json_is_string(j) && s.len == json_string_length(j) &&
		       memcmp(s.ptr, json_string_value(j), s.len) == 0;
	}
	case WD_JSON_ARRAY: {
		const wd_json_val *e;
		if (!json_is_array(j) || wd_json_size(v) != json_array_size(j))
			return 0;
		WD_JSON_ARR_FOREACH(v, i, e)
		{
			if (!same_tree(doc, e, json_array_get(j, i)))
				return 0;
		}
		return 1;
	}
	case WD_JSON_OBJECT: {
		const wd_json_val *k, *val;
		size_t distinct = 0;
		if (!json_is_object(j))
			return 0;
		WD_JSON_OBJ_FOREACH(v, i, k, val)
		{
			wd_str ks = wd_json_str(doc, k);
			json_t *jm;
			if (wd_json_get_n(doc, v, ks.ptr, ks.len) != val)
				continue; /* an earlier duplicate: both keep the last */
			distinct++;
			jm = json_object_getn(j, ks.ptr, ks.len);
			if (!jm || !same_tree(doc, val, jm))
				return 0;
		}
		return distinct == json_object_size(j);
	}
	}
	return 0;
}

/* Does the accepted document hold a number jansson cannot represent? */
static int has_unrepresentable_number(const wd_json_doc *doc)
{
	size_t i;

	for (i = 0; i < wd_json_count(doc); i++) {
		const wd_json_val *v = wd_json_by_index(doc, i);
		wd_str t = wd_json_num_text(doc, v);
		int64_t n;
		double d;

		if (!t.ptr)
			continue;
		if (!memchr(t.ptr, '.', t.len) && !memchr(t.ptr, 'e', t.len) &&
		    !memchr(t.ptr, 'E', t.len)) {
			if (wd_json_int(doc, v, &n) != WD_OK)
				return 1;
		} else if (wd_json_num(doc, v, &d) == WD_OK && (d > 1.7976931348623157e308 ||
		                                                d < -1.7976931348623157e308)) {
			return 1;
		}
	}
	return 0;
}

/* Does the accepted document hold an object key with a NUL byte? */
static int has_nul_key(const wd_json_doc *doc)
{
	size_t i;

	for (i = 0; i + 1 < wd_json_count(doc); i++) {
		const wd_json_val *v = wd_json_by_index(doc, i);
		const wd_json_val *k, *val;
		size_t m;

		if (!wd_json_is_obj(v))
			continue;
		WD_JSON_OBJ_FOREACH(v, m, k, val)
		{
			wd_str ks = wd_json_str(doc, k);
			if (memchr(ks.ptr, '\0', ks.len))
				return 1;
		}
	}
	return 0;
}

static void differential(const uint8_t *data, size_t size, wd_status rc, wd_json_doc *doc,
                         const wd_error *err);

/* Is Warden's error at a NUL that jansson swallows (see the top of the file)? */
static int jansson_swallowed_nul(const uint8_t *data, size_t size, const wd_error *err)
{
	size_t off = (size_t)err->offset;
	unsigned char prev;

	if (off == 0 || off >= size || data[off] != 0)
		return 0;
	prev = data[off - 1];
	return (prev >= '0' && prev <= '9') || (prev >= 'a' && prev <= 'z') ||
	       (prev >= 'A' && prev <= 'Z');
}

/* Compare both readers again on the input without the byte at off. */
static void differential_without(const uint8_t *data, size_t size, size_t off)
{
	wd_limits lim = fuzz_limits();
	uint8_t *copy = malloc(size);
	wd_json_doc *doc = NULL;
	wd_error err;
	wd_status rc;

	CHECK(copy != NULL, "out of memory");
	memcpy(copy, data, off);
	memcpy(copy + off, data + off + 1, size - off - 1);
	rc = wd_json_parse(&doc, (const char *)copy, size - 1, &lim, &err);
	differential(copy, size - 1, rc, doc, &err);
	wd_json_free(doc);
	free(copy);
}

static void differential(const uint8_t *data, size_t size, wd_status rc, wd_json_doc *doc,
                         const wd_error *err)
{
	size_t skip = has_bom(data, size) ? 3 : 0;
	json_error_t jerr;
	json_t *j;

	if (rc == WD_ELIMIT)
		return;
	j = json_loadb((const char *)data + skip, size - skip, JSON_DECODE_ANY | JSON_ALLOW_NUL,
	               &jerr);
	if (rc == WD_OK && !j) {
		enum json_error_code code = json_error_code(&jerr);
		int deliberate = (code == json_error_numeric_overflow &&
		                  has_unrepresentable_number(doc)) ||
		                 (code == json_error_null_byte_in_key && has_nul_key(doc));
		CHECK(deliberate, "Warden accepts, jansson rejects at %d:%d: %s", jerr.line,
		      jerr.column, jerr.text);
		return;
	}
	if (rc != WD_OK) {
		if (j && jansson_swallowed_nul(data, size, err)) {
			json_decref(j);
			differential_without(data, size, (size_t)err->offset);
			return;
		}
		CHECK(!j, "jansson accepts, Warden rejects at %u:%u: %s", err->line, err->column,
		      err->message);
		return;
	}
	CHECK(same_tree(doc, wd_json_root(doc), j), "Warden and jansson trees differ");
	json_decref(j);
}

#endif /* WARDEN_HAVE_JANSSON */

/* ---- the writer on raw bytes ----------------------------------------------- */

static void check_writer_on_raw(const uint8_t *data, size_t size)
{
	wd_buf out, again;
	wd_json_doc *doc = NULL;
	wd_error err;
	wd_str back;

	wd_buf_init(&out, 0);
	wd_json_write_str(&out, wd_str_make((const char *)data, size));
	CHECK(!wd_buf_failed(&out), "writer failed");
	CHECK(wd_json_parse(&doc, out.data, out.len, NULL, &err) == WD_OK,
	      "writer output does not parse: %s", err.message);
	back = wd_json_str(doc, wd_json_root(doc));
	CHECK(back.ptr != NULL, "writer output is not a string");
	/* unchanged, or changed only by replacing invalid bytes with U+FFFD */
	if (back.len != size || memcmp(back.ptr, data, size) != 0)
		CHECK(strstr(out.data, "\xEF\xBF\xBD") != NULL, "bytes changed without U+FFFD");
	wd_buf_init(&again, 0);
	wd_json_write_str(&again, back);
	CHECK(again.len == out.len && memcmp(again.data, out.data, out.len) == 0,
	      "writing the parsed string again differs");
	wd_buf_release(&again);
	wd_json_free(doc);
	wd_buf_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wd_limits lim = fuzz_limits();
	wd_json_doc *doc = NULL;
	wd_error err;
	wd_status rc;

	rc = wd_json_parse(&doc, (const char *)data, size, &lim, &err);
	CHECK(err.code == rc, "err.code %d, rc %d", (int)err.code, (int)rc);
	if (rc == WD_OK) {
		CHECK(doc != NULL, "no document");
	} else {
		uint32_t line, col;

		CHECK(doc == NULL, "document returned on failure");
		CHECK(rc == WD_EPARSE || rc == WD_ELIMIT, "unexpected status %d", (int)rc);
		CHECK(err.message[0] != '\0', "empty message");
		CHECK(err.offset <= size, "offset %llu past %zu", (unsigned long long)err.offset, size);
		count_position((const char *)data, (size_t)err.offset, &line, &col);
		CHECK(err.line == line && err.column == col, "error at %u:%u, offset is %u:%u",
		      err.line, err.column, line, col);
		CHECK(wd_json_parse(&doc, (const char *)data, size, &lim, NULL) == rc,
		      "status depends on the error record");
	}
#ifdef WARDEN_HAVE_JANSSON
	differential(data, size, rc, doc, &err);
#endif
	if (rc == WD_OK) {
		walk(doc, wd_json_root(doc), 0);
		wd_json_free(doc);
	}
	check_writer_on_raw(data, size);
	return 0;
}
