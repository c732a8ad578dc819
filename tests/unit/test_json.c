/*
 * test_json.c - the strict JSON reader and the string writer.
 *
 * Mostly tables: inputs that must be accepted, inputs that must be rejected
 * (RFC 8259 strictness and UTF-8 validation, each bad sequence tried in every
 * place a string is scanned: fast path, SSE path, escape path, keys, and
 * outside strings), error positions with their messages, limits, accessors,
 * positions and pointers, writer escaping and round trips. The util pieces
 * the reader stands on (wd_buf, wd_arena, wd_read_file) are tested at the end.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "warden/json.h"

/* ---- helpers ------------------------------------------------------------- */

typedef struct parse_case {
	const char *name;
	const char *in;
	size_t len;
} parse_case;

/* Length without the literal's NUL, so inputs may hold NUL bytes. */
#define CASE(name, lit) {name, lit, sizeof(lit) - 1}

static wd_status parse_n(const char *in, size_t len, const wd_limits *lim, wd_error *err,
                         wd_json_doc **out)
{
	wd_json_doc *doc = NULL;
	wd_status rc = wd_json_parse(&doc, in, len, lim, err);

	if (out)
		*out = doc;
	else
		wd_json_free(doc);
	return rc;
}

/* Parse a C string that must be accepted; fails the test otherwise. */
static wd_json_doc *must_parse(const char *in)
{
	wd_json_doc *doc = NULL;
	wd_error err;
	wd_status rc = wd_json_parse(&doc, in, strlen(in), NULL, &err);

	if (rc != WD_OK)
		fail_msg("unexpected parse failure of %s: %s (line %u col %u)", in, err.message,
		         err.line, err.column);
	assert_non_null(doc);
	return doc;
}

static int str_is(wd_str s, const char *bytes, size_t len)
{
	return s.ptr && s.len == len && memcmp(s.ptr, bytes, len) == 0;
}

/* ---- accept / reject tables ------------------------------------------------ */

static const parse_case accept_cases[] = {
	CASE("empty object", "{}"),
	CASE("empty array", "[]"),
	CASE("nested", "{\"a\":[1,{\"b\":null},[],{}],\"c\":{\"d\":[true,false]}}"),
	CASE("whitespace everywhere", " \t\r\n{ \t\r\n\"a\" \t\r\n: \t\r\n[ 1 , 2 ] \t\r\n} \t\r\n"),
	CASE("top-level zero", "0"),
	CASE("top-level negative zero", "-0"),
	CASE("top-level integer", "123"),
	CASE("top-level negative", "-123"),
	CASE("fraction", "1.5"),
	CASE("zero fraction", "0.0"),
	CASE("exponent", "1e5"),
	CASE("exponent upper", "1E5"),
	CASE("exponent plus", "1e+5"),
	CASE("exponent minus", "-1.25e-5"),
	CASE("exponent leading zeros", "1e007"),
	CASE("huge exponent", "1e400"),
	CASE("huge integer", "123456789012345678901234567890"),
	CASE("top-level string", "\"x\""),
	CASE("empty string", "\"\""),
	CASE("top-level true", "true"),
	CASE("top-level false", "false"),
	CASE("top-level null", "null"),
	CASE("scalar in whitespace", "  42  \n"),
	CASE("all simple escapes", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\""),
	CASE("escaped NUL", "\"\\u0000\""),
	CASE("escaped NUL key", "{\"\\u0000\":1}"),
	CASE("upper hex escape", "\"\\u00C9\\uABCD\""),
	CASE("surrogate pair", "\"\\ud83d\\ude00\""),
	CASE("surrogate pair upper", "\"\\uD83D\\uDE00\""),
	CASE("max surrogate pair", "\"\\udbff\\udfff\""),
	CASE("escaped BMP edges", "\"\\u0080\\u07ff\\u0800\\ud7ff\\ue000\\uffff\""),
	CASE("DEL unescaped", "\"\x7f\""),
	CASE("BOM skipped", "\xEF\xBB\xBF{}"),
	CASE("BOM then scalar", "\xEF\xBB\xBF 1"),
	CASE("BOM inside a string", "\"\xEF\xBB\xBF\""),
	CASE("2-byte UTF-8", "\"\xC2\x80\xDF\xBF\""),
	CASE("3-byte UTF-8", "\"\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80\xEF\xBF\xBF\""),
	CASE("4-byte UTF-8", "\"\xF0\x90\x80\x80\xF4\x8F\xBF\xBF\""),
	CASE("CJK key", "{\"\xE5\x90\x8D\xE5\x89\x8D\":\"\xE5\x80\xA4\"}"),
	CASE("duplicate keys", "{\"a\":1,\"a\":2}"),
	CASE("empty key", "{\"\":1}"),
	CASE("long string for SSE", "\"0123456789abcdef0123456789abcdef0123456789\""),
	CASE("long string with escape late",
	     "\"0123456789abcdef0123456789abcdef\\n0123456789abcdef\""),
	CASE("deep but under the limit", "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]"),
};

static const parse_case reject_cases[] = {
	CASE("empty input", ""),
	CASE("whitespace only", " \t\r\n"),
	CASE("BOM only", "\xEF\xBB\xBF"),
	CASE("two BOMs", "\xEF\xBB\xBF\xEF\xBB\xBF{}"),
	CASE("BOM in the middle", "[\xEF\xBB\xBF" "1]"),
	CASE("BOM after the value", "{}\xEF\xBB\xBF"),
	CASE("trailing comma array", "[1,]"),
	CASE("trailing comma object", "{\"a\":1,}"),
	CASE("leading comma", "[,1]"),
	CASE("double comma", "[1,,2]"),
	CASE("missing comma", "[1 2]"),
	CASE("missing colon", "{\"a\" 1}"),
	CASE("missing value", "{\"a\":}"),
	CASE("non-string key", "{1:2}"),
	CASE("bare key", "{a:1}"),
	CASE("colon in array", "[1:2]"),
	CASE("line comment", "// c\n1"),
	CASE("block comment", "/* c */ 1"),
	CASE("trailing comment", "[1] // c"),
	CASE("hash comment", "# c\n1"),
	CASE("single-quoted string", "'a'"),
	CASE("single-quoted key", "{'a':1}"),
	CASE("leading zero", "01"),
	CASE("negative leading zero", "-01"),
	CASE("leading zeros", "00"),
	CASE("minus alone", "-"),
	CASE("minus space digit", "- 1"),
	CASE("dot no digits", "1."),
	CASE("dot then exponent", "1.e5"),
	CASE("leading dot", ".5"),
	CASE("exponent no digits", "1e"),
	CASE("exponent sign no digits", "1e+"),
	CASE("exponent then dot", "1e5.0"),
	CASE("plus sign", "+1"),
	CASE("hex number", "0x10"),
	CASE("NaN", "NaN"),
	CASE("Infinity", "Infinity"),
	CASE("-Infinity", "-Infinity"),
	CASE("NaN in array", "[NaN]"),
	CASE("truncated true", "tru"),
	CASE("truncated null", "nul"),
	CASE("capital True", "True"),
	CASE("true with suffix", "truex"),
	CASE("literal then digit", "[true1]"),
	CASE("unterminated array", "[1,2"),
	CASE("unterminated object", "{\"a\":1"),
	CASE("key without value", "{\"a\""),
	CASE("key and colon only", "{\"a\":"),
	CASE("unterminated string", "\"abc"),
	CASE("unterminated after escape", "\"abc\\"),
	CASE("unterminated escape slow path", "\"\\n"),
	CASE("quote and backslash only", "\"\\"),
	CASE("lone open quote", "\""),
	CASE("close bracket", "]"),
	CASE("close brace", "}"),
	CASE("mismatched brackets", "[}"),
	CASE("mismatched braces", "{]"),
	CASE("extra close", "[]]"),
	CASE("two top-level values", "1 2"),
	CASE("two top-level objects", "{}{}"),
	CASE("two top-level arrays", "[] []"),
	CASE("two top-level strings", "\"a\"\"b\""),
	CASE("NUL byte alone", "\0"),
	CASE("NUL after value", "[1]\0"),
	CASE("NUL before value", "\0[1]"),
	/* jansson accepts these two (tests/fuzz/fuzz_json.c); RFC 8259 does not */
	CASE("NUL after a number", "{\"a\":1\0}"),
	CASE("NUL after a literal", "[true\0]"),
	CASE("raw NUL in string", "\"a\0b\""),
	CASE("form feed whitespace", "\x0c" "1"),
	CASE("vertical tab whitespace", "\x0b" "1"),
	CASE("NBSP whitespace", "\xC2\xA0" "1"),
	CASE("control char in string", "\"a\x01z\""),
	CASE("tab in string", "\"a\tb\""),
	CASE("newline in string", "\"a\nb\""),
	CASE("control char in key", "{\"a\x1f\":1}"),
	CASE("control char after escape", "\"\\n\x01\""),
	CASE("bad escape x", "\"\\x41\""),
	CASE("bad escape a", "\"\\a\""),
	CASE("bad escape capital U", "\"\\U0041\""),
	CASE("bad escape quote", "\"\\'\""),
	CASE("bad escape zero", "\"\\0\""),
	CASE("short unicode escape", "\"\\u12\""),
	CASE("short unicode escape at end", "\"\\u12"),
	CASE("non-hex unicode escape", "\"\\u12G4\""),
	CASE("lone high surrogate", "\"\\ud800\""),
	CASE("lone low surrogate", "\"\\udc00\""),
	CASE("high surrogate then BMP", "\"\\ud800\\u0041\""),
	CASE("high surrogate then high", "\"\\ud800\\ud800\""),
	CASE("high surrogate then char", "\"\\ud800x\""),
	CASE("high surrogate then escape", "\"\\ud800\\n\""),
	CASE("reversed pair", "\"\\ude00\\ud83d\""),
	CASE("high surrogate at end", "\"\\ud83d"),
	CASE("high surrogate half pair at end", "\"\\ud83d\\ude"),
	CASE("raw CESU-8 surrogate pair", "\"\xED\xA0\xBD\xED\xB8\x80\""),
};

static void test_accept_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(accept_cases) / sizeof(accept_cases[0]); i++) {
		const parse_case *c = &accept_cases[i];
		wd_error err;
		wd_status rc = parse_n(c->in, c->len, NULL, &err, NULL);

		if (rc != WD_OK)
			fail_msg("'%s' rejected: %s (line %u col %u)", c->name, err.message, err.line,
			         err.column);
		assert_int_equal(err.code, WD_OK);
	}
}

static void test_reject_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(reject_cases) / sizeof(reject_cases[0]); i++) {
		const parse_case *c = &reject_cases[i];
		wd_json_doc *doc = (wd_json_doc *)1;
		wd_error err;
		wd_status rc = wd_json_parse(&doc, c->in, c->len, NULL, &err);

		if (rc != WD_EPARSE)
			fail_msg("'%s' not rejected as a parse error (rc %d)", c->name, (int)rc);
		assert_null(doc);
		assert_int_equal(err.code, WD_EPARSE);
		assert_true(err.line >= 1);
		assert_true(err.column >= 1);
		assert_true(err.offset <= c->len);
		assert_true(err.message[0] != '\0');
		/* the same failure without an error record */
		assert_int_equal(parse_n(c->in, c->len, NULL, NULL, NULL), WD_EPARSE);
	}
}

/* ---- UTF-8 -------------------------------------------------------------------- */

static const parse_case bad_utf8[] = {
	CASE("overlong NUL C0 80", "\xC0\x80"),
	CASE("overlong C1 BF", "\xC1\xBF"),
	CASE("overlong 3-byte E0 80 80", "\xE0\x80\x80"),
	CASE("overlong 3-byte E0 9F BF", "\xE0\x9F\xBF"),
	CASE("overlong 4-byte F0 80 80 80", "\xF0\x80\x80\x80"),
	CASE("overlong 4-byte F0 8F BF BF", "\xF0\x8F\xBF\xBF"),
	CASE("surrogate ED A0 80", "\xED\xA0\x80"),
	CASE("surrogate ED BF BF", "\xED\xBF\xBF"),
	CASE("past U+10FFFF F4 90 80 80", "\xF4\x90\x80\x80"),
	CASE("F5 lead", "\xF5\x80\x80\x80"),
	CASE("F8 lead", "\xF8\x88\x80\x80\x80"),
	CASE("FC lead", "\xFC\x84\x80\x80\x80\x80"),
	CASE("FE byte", "\xFE"),
	CASE("FF byte", "\xFF"),
	CASE("stray continuation 80", "\x80"),
	CASE("stray continuation BF", "\xBF"),
	CASE("two stray continuations", "\x80\x80"),
	CASE("truncated 2-byte", "\xC2"),
	CASE("truncated 3-byte", "\xE2\x82"),
	CASE("truncated 4-byte", "\xF0\x9F\x98"),
	CASE("2-byte with ASCII tail", "\xC2\x41"),
	CASE("3-byte bad middle", "\xE2\x28\xA1"),
	CASE("3-byte bad last", "\xE2\x82\x28"),
	CASE("4-byte bad last", "\xF0\x9F\x98\x28"),
	CASE("continuation after valid char", "\xC3\xA9\x80"),
};

static const parse_case good_utf8[] = {
	CASE("U+0080", "\xC2\x80"),
	CASE("U+07FF", "\xDF\xBF"),
	CASE("U+0800", "\xE0\xA0\x80"),
	CASE("U+D7FF", "\xED\x9F\xBF"),
	CASE("U+E000", "\xEE\x80\x80"),
	CASE("U+FFFD", "\xEF\xBF\xBD"),
	CASE("U+FFFF", "\xEF\xBF\xBF"),
	CASE("U+10000", "\xF0\x90\x80\x80"),
	CASE("U+1F600", "\xF0\x9F\x98\x80"),
	CASE("U+10FFFF", "\xF4\x8F\xBF\xBF"),
	CASE("CJK", "\xE6\x97\xA5\xE6\x9C\xAC"),
};

/*
 * Where a byte sequence is placed: each string context exercises a different
 * scanning path in the reader.
 */
static const struct {
	const char *name;
	const char *before;
	const char *after;
	int in_string;
} utf8_places[] = {
	{"short string", "\"", "\"", 1},
	{"after 16+ ASCII bytes (vector path)", "\"0123456789abcdefghij", "\"", 1},
	{"followed by 16+ bytes", "\"", "0123456789abcdefghij\"", 1},
	{"after an escape (slow path)", "\"\\n", "\"", 1},
	{"after an escape and 16+ bytes", "\"\\t0123456789abcdefghij", "xyz\"", 1},
	{"object key", "{\"", "\":1}", 1},
	{"bare at top level", "", "", 0},
	{"bare in an array", "[", "]", 0},
	{"after a value", "[1]", "", 0},
	{"as an object key", "{", ":1}", 0},
};

static char *place(const char *before, const char *seq, size_t seqlen, const char *after,
                   size_t *len)
{
	size_t bl = strlen(before), al = strlen(after);
	char *s = malloc(bl + seqlen + al + 1);

	assert_non_null(s);
	memcpy(s, before, bl);
	memcpy(s + bl, seq, seqlen);
	memcpy(s + bl + seqlen, after, al);
	*len = bl + seqlen + al;
	s[*len] = '\0';
	return s;
}

static void test_utf8_invalid_everywhere(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(bad_utf8) / sizeof(bad_utf8[0]); i++) {
		for (j = 0; j < sizeof(utf8_places) / sizeof(utf8_places[0]); j++) {
			size_t len;
			char *in = place(utf8_places[j].before, bad_utf8[i].in, bad_utf8[i].len,
			                 utf8_places[j].after, &len);
			wd_error err;
			wd_status rc = parse_n(in, len, NULL, &err, NULL);

			if (rc != WD_EPARSE)
				fail_msg("%s %s: accepted", bad_utf8[i].name, utf8_places[j].name);
			if (utf8_places[j].in_string && !strstr(err.message, "UTF-8"))
				fail_msg("%s %s: message '%s' does not mention UTF-8", bad_utf8[i].name,
				         utf8_places[j].name, err.message);
			/* the error points into the bad sequence's line, never past the input */
			assert_int_equal(err.line, 1);
			assert_true(err.offset <= len);
			free(in);
		}
	}
}

static void test_utf8_valid_in_strings_only(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(good_utf8) / sizeof(good_utf8[0]); i++) {
		for (j = 0; j < sizeof(utf8_places) / sizeof(utf8_places[0]); j++) {
			size_t len;
			char *in = place(utf8_places[j].before, good_utf8[i].in, good_utf8[i].len,
			                 utf8_places[j].after, &len);
			wd_json_doc *doc = NULL;
			wd_error err;
			wd_status rc = parse_n(in, len, NULL, &err, &doc);

			if (utf8_places[j].in_string) {
				if (rc != WD_OK)
					fail_msg("%s %s: rejected: %s", good_utf8[i].name,
					         utf8_places[j].name, err.message);
			} else if (rc != WD_EPARSE) {
				fail_msg("%s %s: accepted outside a string", good_utf8[i].name,
				         utf8_places[j].name);
			}
			wd_json_free(doc);
			free(in);
		}
	}
}

/* The decoded string keeps valid multi-byte sequences byte for byte. */
static void test_utf8_content_preserved(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good_utf8) / sizeof(good_utf8[0]); i++) {
		size_t len;
		char *in = place("[\"\\t", good_utf8[i].in, good_utf8[i].len, "\", \"x", &len);
		char *in2;
		size_t len2;
		wd_json_doc *doc = NULL;
		char expect[16];

		in2 = place(in, "", 0, "\"]", &len2);
		assert_int_equal(parse_n(in2, len2, NULL, NULL, &doc), WD_OK);
		expect[0] = '\t';
		memcpy(expect + 1, good_utf8[i].in, good_utf8[i].len);
		assert_true(str_is(wd_json_str(doc, wd_json_at(wd_json_root(doc), 0)), expect,
		                   good_utf8[i].len + 1));
		wd_json_free(doc);
		free(in);
		free(in2);
	}
}

/* ---- error positions and messages ---------------------------------------------- */

typedef struct pos_case {
	const char *in;
	size_t len;
	wd_status code;
	uint32_t line;
	uint32_t column;
	const char *mentions;
} pos_case;

#define POS(lit, code, line, col, msg) {lit, sizeof(lit) - 1, code, line, col, msg}

static const pos_case pos_cases[] = {
	POS("{\"a\":1,}", WD_EPARSE, 1, 8, "string key"),
	POS("{,}", WD_EPARSE, 1, 2, "string key"),
	POS("{1:2}", WD_EPARSE, 1, 2, "string key"),
	POS("[1,]", WD_EPARSE, 1, 4, "JSON value"),
	POS("[1 2]", WD_EPARSE, 1, 4, "',' or ']'"),
	POS("{\"a\" 1}", WD_EPARSE, 1, 6, "':'"),
	POS("{\"a\":1 \"b\":2}", WD_EPARSE, 1, 8, "',' or '}'"),
	POS("{\"a\":1", WD_EPARSE, 1, 7, "end of input"),
	POS("[1,2", WD_EPARSE, 1, 5, "',' or ']'"),
	POS("", WD_EPARSE, 1, 1, "JSON value"),
	POS("   ", WD_EPARSE, 1, 4, "JSON value"),
	POS("1 2", WD_EPARSE, 1, 3, "end of input"),
	POS("{}}", WD_EPARSE, 1, 3, "end of input"),
	POS("01", WD_EPARSE, 1, 2, "leading zero"),
	POS("-", WD_EPARSE, 1, 2, "digit"),
	POS("-x", WD_EPARSE, 1, 2, "digit"),
	POS("1.", WD_EPARSE, 1, 3, "decimal point"),
	POS("1e", WD_EPARSE, 1, 3, "exponent"),
	POS("[tru]", WD_EPARSE, 1, 2, "JSON value"),
	POS("\"\\x\"", WD_EPARSE, 1, 2, "escape"),
	POS("\"\\u12\"", WD_EPARSE, 1, 2, "hex digits"),
	POS("\"\\ud800\"", WD_EPARSE, 1, 2, "surrogate"),
	POS("\"\\udc00\"", WD_EPARSE, 1, 2, "surrogate"),
	POS("\"a\x01\"", WD_EPARSE, 1, 3, "control character"),
	POS("\"ab\xC0\x80\"", WD_EPARSE, 1, 4, "UTF-8"),
	POS("[\xFF]", WD_EPARSE, 1, 2, "0xff"),
	POS("[1] x", WD_EPARSE, 1, 5, "end of input"),
	POS("\"abc", WD_EPARSE, 1, 1, "unterminated string"),
	/* columns count code points: three CJK characters are three columns */
	POS("[\"\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\", x]", WD_EPARSE, 1, 9, "JSON value"),
	POS("{\n  \"\xE5\x90\x8D\xE5\x89\x8D\": 1,\n  \"\xE3\x82\xAD\xE3\x83\xBC\": tru\n}",
	    WD_EPARSE, 3, 9, "JSON value"),
	POS("[\n1,\n2,,\n]", WD_EPARSE, 3, 3, "JSON value"),
	POS("[1,\r\n2,\r\n]", WD_EPARSE, 3, 1, "JSON value"),
	POS("\n\n\n   }", WD_EPARSE, 4, 4, "JSON value"),
	POS("[\"\xF0\x9F\x98\x80\xF0\x9F\x98\x80\" \"x\"]", WD_EPARSE, 1, 7, "',' or ']'"),
	/* a leading BOM is not a character the user sees */
	POS("\xEF\xBB\xBF[1,]", WD_EPARSE, 1, 4, "JSON value"),
	POS("\xEF\xBB\xBF{\n,}", WD_EPARSE, 2, 1, "string key"),
};

static void test_error_positions(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(pos_cases) / sizeof(pos_cases[0]); i++) {
		const pos_case *c = &pos_cases[i];
		wd_error err;
		wd_status rc = parse_n(c->in, c->len, NULL, &err, NULL);

		if (rc != c->code || err.code != c->code)
			fail_msg("case %zu: rc %d, want %d", i, (int)rc, (int)c->code);
		if (err.line != c->line || err.column != c->column)
			fail_msg("case %zu: at %u:%u, want %u:%u (%s)", i, err.line, err.column, c->line,
			         c->column, err.message);
		if (!strstr(err.message, c->mentions))
			fail_msg("case %zu: message '%s' does not mention '%s'", i, err.message,
			         c->mentions);
	}
}


/*
 * Reference position of a byte offset, computed independently of the
 * reader: lines split at '\n', columns count UTF-8 lead bytes, and a leading
 * BOM takes no column.
 */
static void ref_position(const char *in, size_t off, uint32_t *line, uint32_t *col)
{
	size_t i, ls = 0;
	uint32_t l = 1, c = 1;

	for (i = 0; i < off; i++)
		if (in[i] == '\n') {
			l++;
			ls = i + 1;
		}
	if (ls == 0 && off >= 3 && memcmp(in, "\xEF\xBB\xBF", 3) == 0)
		ls = 3;
	for (i = ls; i < off; i++)
		if (((unsigned char)in[i] & 0xC0) != 0x80)
			c++;
	*line = l;
	*col = c;
}

/* The error's byte offset agrees with the line and column it reports. */
static void test_error_offset_matches_position(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(pos_cases) / sizeof(pos_cases[0]); i++) {
		const pos_case *c = &pos_cases[i];
		wd_error err;
		uint32_t line, col;

		parse_n(c->in, c->len, NULL, &err, NULL);
		assert_true(err.offset <= c->len);
		ref_position(c->in, (size_t)err.offset, &line, &col);
		if (line != err.line || col != err.column)
			fail_msg("case %zu: offset %llu is %u:%u, error says %u:%u", i,
			         (unsigned long long)err.offset, line, col, err.line, err.column);
	}
}

/* ---- limits -------------------------------------------------------------------- */

/* open x n, middle, close x n */
static char *nest(const char *open, size_t n, const char *middle, const char *close,
                  size_t m, size_t *len)
{
	size_t ol = strlen(open), ml = strlen(middle), cl = strlen(close), i;
	char *s = malloc(ol * n + ml + cl * m + 1);
	char *p = s;

	assert_non_null(s);
	for (i = 0; i < n; i++, p += ol)
		memcpy(p, open, ol);
	memcpy(p, middle, ml);
	p += ml;
	for (i = 0; i < m; i++, p += cl)
		memcpy(p, close, cl);
	*p = '\0';
	*len = (size_t)(p - s);
	return s;
}

#define DEEP 100000

static void test_depth_100k_default_limit(void **state)
{
	size_t olen, blen;
	char *open = nest("[", DEEP, "", "", 0, &olen);
	char *balanced = nest("[", DEEP, "", "]", DEEP, &blen);
	wd_error err;

	(void)state;
	assert_int_equal(parse_n(open, olen, NULL, &err, NULL), WD_ELIMIT);
	assert_int_equal(err.code, WD_ELIMIT);
	assert_non_null(strstr(err.message, "depth"));
	/* the default limit is 512: the 513th bracket is refused */
	assert_int_equal(err.line, 1);
	assert_int_equal(err.column, 513);
	assert_int_equal(parse_n(balanced, blen, NULL, &err, NULL), WD_ELIMIT);
	assert_int_equal(parse_n(balanced, blen, NULL, NULL, NULL), WD_ELIMIT);
	free(open);
	free(balanced);
}

static void test_depth_100k_raised_limit(void **state)
{
	wd_limits lim = {0};
	size_t olen, blen, jlen, i;
	char *open = nest("[", DEEP, "", "", 0, &olen);
	char *balanced = nest("[", DEEP, "", "]", DEEP, &blen);
	char *objs = nest("{\"a\":", DEEP, "1", "}", DEEP, &jlen);
	wd_json_doc *doc = NULL;
	const wd_json_val *v;
	wd_error err;
	wd_buf ptr;

	(void)state;
	lim.max_depth = 2 * DEEP;
	/* unbalanced: runs out of input, not out of stack */
	assert_int_equal(parse_n(open, olen, &lim, &err, NULL), WD_EPARSE);
	assert_int_equal(err.column, DEEP + 1);

	assert_int_equal(parse_n(balanced, blen, &lim, &err, &doc), WD_OK);
	assert_int_equal(wd_json_count(doc), DEEP);
	v = wd_json_root(doc);
	for (i = 0; i + 1 < DEEP; i++) {
		assert_int_equal(wd_json_size(v), 1);
		assert_int_equal(v->aux, DEEP - 1 - i);
		v = wd_json_at(v, 0);
	}
	assert_int_equal(wd_json_size(v), 0);
	wd_json_free(doc);

	assert_int_equal(parse_n(objs, jlen, &lim, &err, &doc), WD_OK);
	assert_int_equal(wd_json_count(doc), 2 * DEEP + 1);
	v = wd_json_root(doc);
	for (i = 0; i < DEEP; i++)
		v = wd_json_get(doc, v, "a");
	assert_int_equal(wd_json_typeof(v), WD_JSON_NUMBER);
	/* the pointer of the innermost value has DEEP "/a" segments */
	wd_buf_init(&ptr, 0);
	wd_json_pointer(doc, v, &ptr);
	assert_false(wd_buf_failed(&ptr));
	assert_int_equal(ptr.len, 2 * DEEP);
	wd_buf_release(&ptr);
	wd_json_free(doc);

	/* exactly at the limit passes, one more level fails */
	lim.max_depth = DEEP;
	assert_int_equal(parse_n(balanced, blen, &lim, NULL, NULL), WD_OK);
	lim.max_depth = DEEP - 1;
	assert_int_equal(parse_n(balanced, blen, &lim, &err, NULL), WD_ELIMIT);
	assert_int_equal(err.column, DEEP);
	free(open);
	free(balanced);
	free(objs);
}

/* Pointer queries resume from the previous one (findings are located in
 * document order); in any order they must give what a fresh document gives. */
static void test_pointer_resume_any_order(void **state)
{
	static const char text[] =
		"[{\"a\":[1,{\"b~/\":[2,3,[4,{}]]},5],\"c\":{\"d\":6,\"e\":[7,8]}},"
		"[9,[10,[11]]],{\"\":12,\"f\":{\"g\":{\"h\":[13,14,15]}}},16,[],{}]";
	wd_json_doc *doc = NULL, *fresh = NULL;
	size_t n, k, round;
	wd_buf got, want;

	(void)state;
	assert_int_equal(wd_json_parse(&doc, text, sizeof(text) - 1, NULL, NULL), WD_OK);
	n = wd_json_count(doc);
	assert_true(n > 40);
	wd_buf_init(&got, 0);
	wd_buf_init(&want, 0);
	for (round = 0; round < 3; round++) {
		for (k = 0; k < n; k++) {
			/* forward, backward, then a stride that visits every value */
			size_t i = round == 0 ? k : round == 1 ? n - 1 - k : (k * 7 + 3) % n;
			const wd_json_val *v = wd_json_root(doc) + i;
			assert_int_equal(wd_json_parse(&fresh, text, sizeof(text) - 1, NULL, NULL), WD_OK);
			wd_buf_reset(&got);
			wd_buf_reset(&want);
			wd_json_pointer(doc, v, &got);
			wd_json_pointer(fresh, wd_json_root(fresh) + i, &want);
			assert_string_equal(wd_buf_cstr(&got), wd_buf_cstr(&want));
			wd_json_free(fresh);
		}
	}
	/* spot checks of the expected text itself */
	wd_buf_reset(&got);
	wd_json_pointer(doc, wd_json_get(doc, wd_json_get(doc, wd_json_at(wd_json_root(doc), 0), "c"), "e"), &got);
	assert_string_equal(wd_buf_cstr(&got), "/0/c/e");
	wd_buf_release(&got);
	wd_buf_release(&want);
	wd_json_free(doc);
}

static void test_depth_limit_boundary(void **state)
{
	wd_limits lim = {0};
	wd_error err;

	(void)state;
	lim.max_depth = 3;
	assert_int_equal(parse_n("[[[]]]", 6, &lim, &err, NULL), WD_OK);
	assert_int_equal(parse_n("[{\"a\":[1]}]", 11, &lim, &err, NULL), WD_OK);
	assert_int_equal(parse_n("[[[[]]]]", 8, &lim, &err, NULL), WD_ELIMIT);
	assert_int_equal(err.column, 4);
	assert_int_equal(parse_n("{\"a\":{\"b\":[{}]}}", 16, &lim, &err, NULL), WD_ELIMIT);
	assert_int_equal(err.column, 12);
	/* scalars take no depth */
	lim.max_depth = 1;
	assert_int_equal(parse_n("[1,\"x\",null]", 12, &lim, &err, NULL), WD_OK);
	assert_int_equal(parse_n("\"x\"", 3, &lim, &err, NULL), WD_OK);
}

typedef struct limit_case {
	const char *in;
	uint64_t limit;
	wd_status want;
} limit_case;

static const limit_case string_limit_cases[] = {
	{"\"abcde\"", 5, WD_OK},
	{"\"abcdef\"", 5, WD_ELIMIT},
	{"[\"abcdef\"]", 5, WD_ELIMIT},
	{"{\"abcdef\":1}", 5, WD_ELIMIT},
	{"{\"a\":\"abcdef\"}", 5, WD_ELIMIT},
	{"\"\\nabcd\"", 5, WD_OK},          /* the decoded length counts */
	{"\"\\nabcde\"", 5, WD_ELIMIT},
	{"\"abcd\\n\"", 5, WD_OK},
	{"\"abcde\\n\"", 5, WD_ELIMIT},
	{"\"\\u00e9\\u00e9\"", 4, WD_OK},      /* 4 bytes of UTF-8 */
	{"\"\\u00e9\\u00e9a\"", 4, WD_ELIMIT},
	{"\"\xC3\xA9\xC3\xA9\"", 4, WD_OK},    /* bytes, not characters */
	{"\"\xC3\xA9\xC3\xA9\xC3\xA9\"", 4, WD_ELIMIT},
	{"\"0123456789abcdef0123\"", 20, WD_OK},
	{"\"0123456789abcdef01234\"", 20, WD_ELIMIT},
	{"\"0123456789abcdef01234567890123456789\"", 20, WD_ELIMIT},
	{"12345", 5, WD_OK},                /* numbers have the same limit */
	{"123456", 5, WD_ELIMIT},
	{"-1.5e10", 5, WD_ELIMIT},
};

static void test_string_length_limit(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(string_limit_cases) / sizeof(string_limit_cases[0]); i++) {
		const limit_case *c = &string_limit_cases[i];
		wd_limits lim = {0};
		wd_error err;
		wd_status rc;

		lim.max_string_len = c->limit;
		rc = parse_n(c->in, strlen(c->in), &lim, &err, NULL);
		if (rc != c->want)
			fail_msg("%s with limit %llu: rc %d, want %d", c->in,
			         (unsigned long long)c->limit, (int)rc, (int)c->want);
		if (rc == WD_ELIMIT) {
			assert_non_null(strstr(err.message, "limit"));
			assert_int_equal(err.line, 1);
			assert_int_equal(parse_n(c->in, strlen(c->in), &lim, NULL, NULL), WD_ELIMIT);
		}
	}
}

static const limit_case element_limit_cases[] = {
	{"1", 1, WD_OK},
	{"[]", 1, WD_OK},
	{"[1]", 1, WD_ELIMIT},
	{"[1,2]", 3, WD_OK},
	{"[1,2,3]", 3, WD_ELIMIT},
	{"{\"a\":1}", 3, WD_OK},            /* keys are values too */
	{"{\"a\":1}", 2, WD_ELIMIT},
	{"[[],[],[]]", 4, WD_OK},
	{"[[],[],[]]", 3, WD_ELIMIT},
	{"[true,false,null,\"s\",1]", 5, WD_ELIMIT},
	{"[true,false,null,\"s\",1]", 6, WD_OK},
};

static void test_element_limit(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(element_limit_cases) / sizeof(element_limit_cases[0]); i++) {
		const limit_case *c = &element_limit_cases[i];
		wd_limits lim = {0};
		wd_error err;
		wd_status rc;

		lim.max_elements = c->limit;
		rc = parse_n(c->in, strlen(c->in), &lim, &err, NULL);
		if (rc != c->want)
			fail_msg("%s with limit %llu: rc %d, want %d", c->in,
			         (unsigned long long)c->limit, (int)rc, (int)c->want);
		if (rc == WD_ELIMIT)
			assert_non_null(strstr(err.message, "element limit"));
		/* the status must not depend on whether an error record is passed */
		rc = parse_n(c->in, strlen(c->in), &lim, NULL, NULL);
		if (rc != c->want)
			fail_msg("%s with limit %llu and no wd_error: rc %d, want %d", c->in,
			         (unsigned long long)c->limit, (int)rc, (int)c->want);
	}
}

static void test_element_limit_large(void **state)
{
	wd_limits lim = {0};
	size_t len;
	char *in = nest("[", 1, "", "0,", 50000, &len);
	wd_error err;

	(void)state;
	in[len - 1] = ']';
	lim.max_elements = 50001;
	assert_int_equal(parse_n(in, len, &lim, &err, NULL), WD_OK);
	lim.max_elements = 50000;
	assert_int_equal(parse_n(in, len, &lim, &err, NULL), WD_ELIMIT);
	/* the 50001st value is the last 0, at column 2 + 2 * 49999 */
	assert_int_equal(err.column, 2 + 2 * 49999);
	free(in);
}

/* A temporary directory for file tests, removed at teardown. */
typedef struct tmpdir {
	char path[64];
} tmpdir;

static int tmp_setup(void **state)
{
	tmpdir *t = calloc(1, sizeof(*t));

	if (!t)
		return -1;
	snprintf(t->path, sizeof(t->path), "/tmp/wd_test_json.XXXXXX");
	if (!mkdtemp(t->path)) {
		free(t);
		return -1;
	}
	*state = t;
	return 0;
}

static int tmp_teardown(void **state)
{
	tmpdir *t = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->path);
	if (system(cmd) != 0)
		return -1;
	free(t);
	return 0;
}

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void test_file_size_limit(void **state)
{
	tmpdir *t = *state;
	char path[128];
	wd_limits lim = {0};
	wd_json_doc *doc = NULL;
	wd_error err;

	lim.max_file_size = 4;
	assert_int_equal(parse_n("[12]", 4, &lim, &err, NULL), WD_OK);
	assert_int_equal(parse_n("[1,2]", 5, &lim, &err, NULL), WD_ELIMIT);
	assert_non_null(strstr(err.message, "limit"));

	snprintf(path, sizeof(path), "%s/small.json", t->path);
	write_file(path, "[1]", 3);
	assert_int_equal(wd_json_parse_file(&doc, path, &lim, &err), WD_OK);
	assert_int_equal(wd_json_size(wd_json_root(doc)), 1);
	wd_json_free(doc);

	snprintf(path, sizeof(path), "%s/big.json", t->path);
	write_file(path, "[1,2]", 5);
	assert_int_equal(wd_json_parse_file(&doc, path, &lim, &err), WD_ELIMIT);
	assert_null(doc);
	assert_non_null(strstr(err.message, "limit"));
	lim.max_file_size = 6;
	assert_int_equal(wd_json_parse_file(&doc, path, &lim, &err), WD_OK);
	wd_json_free(doc);

	/* a file that parses fails cleanly as JSON, and frees its buffer */
	snprintf(path, sizeof(path), "%s/bad.json", t->path);
	write_file(path, "\n[1,]", 5);
	assert_int_equal(wd_json_parse_file(&doc, path, NULL, &err), WD_EPARSE);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.column, 4);
}

/* ---- accessors ------------------------------------------------------------------ */

static void test_get_last_duplicate_wins(void **state)
{
	wd_json_doc *doc = must_parse("{\"a\":1,\"b\":{\"c\":true},\"a\":3,\"\":\"e\","
	                              "\"a\\u0000b\":7,\"x\":false,\"n\":null}");
	const wd_json_val *root = wd_json_root(doc), *v;
	int64_t n;

	(void)state;
	assert_int_equal(wd_json_size(root), 7);
	v = wd_json_get(doc, root, "a");
	assert_int_equal(wd_json_int(doc, v, &n), WD_OK);
	assert_int_equal(n, 3);
	assert_true(wd_json_is_obj(wd_json_get(doc, root, "b")));
	assert_true(wd_json_is_true(wd_json_get(doc, wd_json_get(doc, root, "b"), "c")));
	assert_null(wd_json_get(doc, root, "missing"));
	assert_null(wd_json_get(doc, root, "A"));
	assert_null(wd_json_get(doc, root, "ab"));
	assert_true(str_is(wd_json_get_str(doc, root, ""), "e", 1));
	v = wd_json_get_n(doc, root, "a\0b", 3);
	assert_non_null(v);
	assert_int_equal(wd_json_int(doc, v, &n), WD_OK);
	assert_int_equal(n, 7);
	/* not objects */
	assert_null(wd_json_get(doc, v, "a"));
	assert_null(wd_json_get(doc, NULL, "a"));
	/* get_str on a non-string */
	assert_null(wd_json_get_str(doc, root, "a").ptr);
	assert_null(wd_json_get_str(doc, root, "missing").ptr);
	/* get_bool */
	assert_int_equal(wd_json_get_bool(doc, wd_json_get(doc, root, "b"), "c", 5), 1);
	assert_int_equal(wd_json_get_bool(doc, root, "x", 5), 0);
	assert_int_equal(wd_json_get_bool(doc, root, "missing", 5), 0);
	assert_int_equal(wd_json_get_bool(doc, root, "n", 5), 5);
	assert_int_equal(wd_json_get_bool(doc, root, "a", 5), 5);
	wd_json_free(doc);
}

static void test_at_and_iteration(void **state)
{
	wd_json_doc *doc = must_parse("[10,[20,21],{\"x\":30,\"y\":[31]},40,\"s\"]");
	const wd_json_val *root = wd_json_root(doc), *e, *k, *v;
	static const char *const types = "nAOns";
	int64_t n;
	size_t i;
	char keys[8] = {0};

	(void)state;
	assert_int_equal(wd_json_size(root), 5);
	assert_int_equal(wd_json_int(doc, wd_json_at(root, 0), &n), WD_OK);
	assert_int_equal(n, 10);
	assert_int_equal(wd_json_int(doc, wd_json_at(wd_json_at(root, 1), 1), &n), WD_OK);
	assert_int_equal(n, 21);
	assert_int_equal(wd_json_int(doc, wd_json_at(root, 3), &n), WD_OK);
	assert_int_equal(n, 40);
	assert_true(str_is(wd_json_str(doc, wd_json_at(root, 4)), "s", 1));
	assert_null(wd_json_at(root, 5));
	assert_null(wd_json_at(root, (size_t)-1));
	assert_null(wd_json_at(wd_json_at(root, 2), 0)); /* objects are not arrays */
	assert_null(wd_json_at(wd_json_at(root, 0), 0));
	assert_null(wd_json_at(NULL, 0));

	WD_JSON_ARR_FOREACH(root, i, e)
	{
		char t = types[i];
		switch (wd_json_typeof(e)) {
		case WD_JSON_NUMBER: assert_int_equal(t, 'n'); break;
		case WD_JSON_ARRAY: assert_int_equal(t, 'A'); break;
		case WD_JSON_OBJECT: assert_int_equal(t, 'O'); break;
		case WD_JSON_STRING: assert_int_equal(t, 's'); break;
		default: fail();
		}
		assert_ptr_equal(e, wd_json_at(root, i));
	}
	assert_int_equal(i, 5);

	WD_JSON_OBJ_FOREACH(wd_json_at(root, 2), i, k, v)
	{
		wd_str ks = wd_json_str(doc, k);
		assert_int_equal(ks.len, 1);
		keys[i] = ks.ptr[0];
		if (i == 0)
			assert_int_equal(wd_json_typeof(v), WD_JSON_NUMBER);
		else
			assert_true(wd_json_is_arr(v));
	}
	assert_int_equal(i, 2);
	assert_string_equal(keys, "xy");

	/* empty containers iterate zero times */
	wd_json_free(doc);
	doc = must_parse("[[],{}]");
	root = wd_json_root(doc);
	WD_JSON_ARR_FOREACH(wd_json_at(root, 0), i, e)
		fail();
	WD_JSON_OBJ_FOREACH(wd_json_at(root, 1), i, k, v)
		fail();
	assert_ptr_equal(wd_json_skip(wd_json_at(root, 0)), wd_json_at(root, 1));
	wd_json_free(doc);
}

static void test_escaped_strings_decode(void **state)
{
	static const struct {
		const char *json;
		const char *want;
		size_t want_len;
	} cases[] = {
		{"\"\\\"\"", "\"", 1},
		{"\"\\\\\"", "\\", 1},
		{"\"\\/\"", "/", 1},
		{"\"\\b\\f\\n\\r\\t\"", "\b\f\n\r\t", 5},
		{"\"\\u0041\\u00e9\\u20AC\"", "A\xC3\xA9\xE2\x82\xAC", 6},
		{"\"\\u0000\"", "\0", 1},
		{"\"a\\u0000b\"", "a\0b", 3},
		{"\"\\u007f\\u0080\\u07FF\\u0800\\uFFFF\"",
		 "\x7f\xC2\x80\xDF\xBF\xE0\xA0\x80\xEF\xBF\xBF", 11},
		{"\"\\ud83d\\ude00\"", "\xF0\x9F\x98\x80", 4},
		{"\"\\uD800\\uDC00\\uDBFF\\uDFFF\"", "\xF0\x90\x80\x80\xF4\x8F\xBF\xBF", 8},
		{"\"x\\ty\xC3\xA9z\"", "x\ty\xC3\xA9z", 6},
		{"\"0123456789abcdef0123\\n0123456789abcdef\"",
		 "0123456789abcdef0123\n0123456789abcdef", 37},
		{"\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\ud83d\\ude00\"",
		 "\"\\/\b\f\n\r\tA\xF0\x9F\x98\x80", 13},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		wd_json_doc *doc = must_parse(cases[i].json);
		wd_str s = wd_json_str(doc, wd_json_root(doc));

		if (!str_is(s, cases[i].want, cases[i].want_len))
			fail_msg("case %zu: %s decoded wrong (len %zu)", i, cases[i].json, s.len);
		assert_true(wd_json_root(doc)->tag & WD_JSON_F_ESCAPED);
		wd_json_free(doc);
	}
}

static void test_strings_in_situ_and_pool(void **state)
{
	const char *in = "[\"plain\",\"e\\nsc\",\"\",\"a\\\"b\",\"mid\",{\"k\\u0041\":\"v\"}]";
	wd_json_doc *doc = must_parse(in);
	const wd_json_val *root = wd_json_root(doc), *obj;
	size_t ilen;
	wd_str s;

	(void)state;
	assert_ptr_equal(wd_json_input(doc, &ilen), in);
	assert_int_equal(ilen, strlen(in));
	s = wd_json_str(doc, wd_json_at(root, 0));
	assert_true(str_is(s, "plain", 5));
	assert_ptr_equal(s.ptr, in + 2); /* points into the input */
	assert_false(wd_json_at(root, 0)->tag & WD_JSON_F_ESCAPED);
	assert_true(str_is(wd_json_str(doc, wd_json_at(root, 1)), "e\nsc", 4));
	assert_true(str_is(wd_json_str(doc, wd_json_at(root, 2)), "", 0));
	assert_true(str_is(wd_json_str(doc, wd_json_at(root, 3)), "a\"b", 3));
	assert_true(str_is(wd_json_str(doc, wd_json_at(root, 4)), "mid", 3));
	obj = wd_json_at(root, 5);
	assert_true(str_is(wd_json_str(doc, wd_json_first(obj)), "kA", 2));
	assert_true(str_is(wd_json_get_str(doc, obj, "kA"), "v", 1));
	/* non-strings */
	assert_null(wd_json_str(doc, root).ptr);
	assert_null(wd_json_str(doc, NULL).ptr);
	wd_json_free(doc);
}

static void test_numbers(void **state)
{
	static const struct {
		const char *text;
		double d;
		int is_int;
		int64_t i;
	} cases[] = {
		{"0", 0.0, 1, 0},
		{"-0", -0.0, 1, 0},
		{"7", 7.0, 1, 7},
		{"-123", -123.0, 1, -123},
		{"9007199254740993", 9007199254740992.0, 1, 9007199254740993LL},
		{"9223372036854775807", 9223372036854775807.0, 1, INT64_MAX},
		{"-9223372036854775808", -9223372036854775808.0, 1, INT64_MIN},
		{"9223372036854775808", 9223372036854775808.0, 0, 0},
		{"-9223372036854775809", -9223372036854775808.0, 0, 0},
		{"1.5", 1.5, 0, 0},
		{"1.0", 1.0, 0, 0},
		{"-0.25", -0.25, 0, 0},
		{"1e3", 1000.0, 0, 0},
		{"1E-2", 0.01, 0, 0},
		{"2.5e+2", 250.0, 0, 0},
		{"1e400", HUGE_VAL, 0, 0},
		{"-1e400", -HUGE_VAL, 0, 0},
		{"1e-400", 0.0, 0, 0},
		{"0.1", 0.1, 0, 0},
		{"123456789012345678901234567890", 123456789012345678901234567890.0, 0, 0},
		{"0.000000000000000000000000000000000000000000000000000000000000000000000001",
		 1e-72, 0, 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		wd_json_doc *doc = must_parse(cases[i].text);
		const wd_json_val *v = wd_json_root(doc);
		double d = 42;
		int64_t n = 42;

		assert_int_equal(wd_json_typeof(v), WD_JSON_NUMBER);
		assert_true(str_is(wd_json_num_text(doc, v), cases[i].text, strlen(cases[i].text)));
		assert_int_equal(wd_json_num(doc, v, &d), WD_OK);
		if (d != cases[i].d)
			fail_msg("%s: num %.17g, want %.17g", cases[i].text, d, cases[i].d);
		if (cases[i].is_int) {
			assert_int_equal(wd_json_int(doc, v, &n), WD_OK);
			assert_true(n == cases[i].i);
		} else {
			assert_int_equal(wd_json_int(doc, v, &n), WD_EINVAL);
		}
		wd_json_free(doc);
	}
}

static void test_numbers_on_non_numbers(void **state)
{
	wd_json_doc *doc = must_parse("[\"1\",true,null,[1]]");
	const wd_json_val *root = wd_json_root(doc), *e;
	size_t i;
	double d;
	int64_t n;

	(void)state;
	WD_JSON_ARR_FOREACH(root, i, e)
	{
		assert_int_equal(wd_json_num(doc, e, &d), WD_EINVAL);
		assert_int_equal(wd_json_int(doc, e, &n), WD_EINVAL);
		assert_null(wd_json_num_text(doc, e).ptr);
	}
	assert_int_equal(wd_json_num(doc, NULL, &d), WD_EINVAL);
	wd_json_free(doc);
}

static void test_index_and_by_index(void **state)
{
	wd_json_doc *doc = must_parse("[1,{\"a\":[2,3]},\"s\"]");
	const wd_json_val *root = wd_json_root(doc), *obj;
	size_t i, n = wd_json_count(doc);

	(void)state;
	/* [ 1 { "a" [ 2 3 ] "s" */
	assert_int_equal(n, 8);
	for (i = 0; i < n; i++)
		assert_int_equal(wd_json_index(doc, wd_json_by_index(doc, i)), i);
	assert_null(wd_json_by_index(doc, n));
	assert_null(wd_json_by_index(doc, (size_t)-1));
	assert_ptr_equal(wd_json_by_index(doc, 0), root);
	obj = wd_json_at(root, 1);
	assert_int_equal(wd_json_index(doc, obj), 2);
	assert_int_equal(wd_json_index(doc, wd_json_get(doc, obj, "a")), 4);
	assert_int_equal(wd_json_index(doc, wd_json_at(root, 2)), 7);
	assert_int_equal(root->aux, 7);
	assert_int_equal(obj->aux, 4);
	assert_int_equal(obj->len, 1);
	wd_json_free(doc);
}

static void test_positions(void **state)
{
	const char *in = "{\n"
	                 "  \"a\": [1, 2],\n"
	                 "  \"\xE6\x97\xA5\xE6\x9C\xAC\": {\"k\": \"v\"},\n"
	                 "\t\"e\": \"\xF0\x9F\x98\x80\", \"z\":\r\n"
	                 "true\n"
	                 "}";
	wd_json_doc *doc = must_parse(in);
	const wd_json_val *root = wd_json_root(doc), *a, *o;
	static const struct {
		uint32_t line, col;
	} want_by_index[] = {
		{1, 1},  /* root */
		{2, 3},  /* "a" */
		{2, 8},  /* [ */
		{2, 9},  /* 1 */
		{2, 12}, /* 2 */
		{3, 3},  /* "日本" */
		{3, 9},  /* { */
		{3, 10}, /* "k" */
		{3, 15}, /* "v" */
		{4, 2},  /* "e" */
		{4, 7},  /* "😀" */
		{4, 12}, /* "z" */
		{5, 1},  /* true */
	};
	uint32_t line, col;
	size_t i;

	(void)state;
	assert_int_equal(wd_json_count(doc), sizeof(want_by_index) / sizeof(want_by_index[0]));
	for (i = 0; i < wd_json_count(doc); i++) {
		assert_int_equal(wd_json_position(doc, wd_json_by_index(doc, i), &line, &col), WD_OK);
		if (line != want_by_index[i].line || col != want_by_index[i].col)
			fail_msg("value %zu at %u:%u, want %u:%u", i, line, col, want_by_index[i].line,
			         want_by_index[i].col);
	}
	a = wd_json_get(doc, root, "a");
	assert_int_equal(wd_json_position(doc, wd_json_at(a, 1), &line, &col), WD_OK);
	assert_int_equal(line, 2);
	assert_int_equal(col, 12);
	o = wd_json_get(doc, root, "\xE6\x97\xA5\xE6\x9C\xAC");
	assert_int_equal(wd_json_position(doc, wd_json_get(doc, o, "k"), &line, &col), WD_OK);
	assert_int_equal(line, 3);
	assert_int_equal(col, 15);
	/* raw offsets: the end of input, and past it (clamped) */
	assert_int_equal(wd_json_offset_position(doc, strlen(in), &line, &col), WD_OK);
	assert_int_equal(line, 6);
	assert_int_equal(col, 2);
	assert_int_equal(wd_json_offset_position(doc, strlen(in) + 100, &line, &col), WD_OK);
	assert_int_equal(line, 6);
	assert_int_equal(col, 2);
	wd_json_free(doc);
}

static void test_positions_bom_and_edges(void **state)
{
	wd_json_doc *doc;
	uint32_t line, col;

	(void)state;
	doc = must_parse("\xEF\xBB\xBF[1, \"\xC3\xA9\", 2]");
	assert_int_equal(wd_json_position(doc, wd_json_root(doc), &line, &col), WD_OK);
	assert_int_equal(line, 1);
	assert_int_equal(col, 1);
	assert_int_equal(wd_json_position(doc, wd_json_at(wd_json_root(doc), 0), &line, &col),
	                 WD_OK);
	assert_int_equal(col, 2);
	assert_int_equal(wd_json_position(doc, wd_json_at(wd_json_root(doc), 2), &line, &col),
	                 WD_OK);
	assert_int_equal(col, 10);
	wd_json_free(doc);

	doc = must_parse("\n\n\n7");
	assert_int_equal(wd_json_position(doc, wd_json_root(doc), &line, &col), WD_OK);
	assert_int_equal(line, 4);
	assert_int_equal(col, 1);
	wd_json_free(doc);

	doc = must_parse("7\n");
	assert_int_equal(wd_json_offset_position(doc, 2, &line, &col), WD_OK);
	assert_int_equal(line, 2);
	assert_int_equal(col, 1);
	wd_json_free(doc);
}

/*
 * Resolve an RFC 6901 pointer by walking from the root with the public
 * accessors; NULL when it does not resolve.
 */
static const wd_json_val *resolve_pointer(const wd_json_doc *doc, const char *ptr)
{
	const wd_json_val *cur = wd_json_root(doc);
	char tok[512];

	while (*ptr) {
		size_t n = 0;

		if (*ptr != '/')
			return NULL;
		ptr++;
		while (*ptr && *ptr != '/') {
			if (n + 1 >= sizeof(tok))
				return NULL;
			if (ptr[0] == '~' && ptr[1] == '0') {
				tok[n++] = '~';
				ptr += 2;
			} else if (ptr[0] == '~' && ptr[1] == '1') {
				tok[n++] = '/';
				ptr += 2;
			} else {
				tok[n++] = *ptr++;
			}
		}
		if (wd_json_is_arr(cur)) {
			size_t i = 0, k;
			if (n == 0 || (n > 1 && tok[0] == '0'))
				return NULL;
			for (k = 0; k < n; k++) {
				if (tok[k] < '0' || tok[k] > '9')
					return NULL;
				i = i * 10 + (size_t)(tok[k] - '0');
			}
			cur = wd_json_at(cur, i);
		} else {
			cur = wd_json_get_n(doc, cur, tok, n);
		}
		if (!cur)
			return NULL;
	}
	return cur;
}

static void check_pointer(wd_json_doc *doc, const wd_json_val *v, const char *want)
{
	wd_buf b;

	wd_buf_init(&b, 0);
	wd_json_pointer(doc, v, &b);
	assert_false(wd_buf_failed(&b));
	assert_string_equal(wd_buf_cstr(&b), want);
	wd_buf_release(&b);
}

static void test_pointers(void **state)
{
	wd_json_doc *doc = must_parse("{\"a/b\":{\"m~n\":[0,{\"\":true,\"~1\":2}]},"
	                              "\"arr\":[[1,2],[3]],\"x\":1,\"\\u00e9\\\"\":[10,11,12,13,"
	                              "14,15,16,17,18,19,20,21]}");
	const wd_json_val *root = wd_json_root(doc), *v;
	wd_buf b;

	(void)state;
	check_pointer(doc, root, "");
	v = wd_json_get(doc, root, "a/b");
	check_pointer(doc, v, "/a~1b");
	v = wd_json_get(doc, v, "m~n");
	check_pointer(doc, v, "/a~1b/m~0n");
	check_pointer(doc, wd_json_at(v, 0), "/a~1b/m~0n/0");
	v = wd_json_at(v, 1);
	check_pointer(doc, v, "/a~1b/m~0n/1");
	check_pointer(doc, wd_json_get(doc, v, ""), "/a~1b/m~0n/1/");
	check_pointer(doc, wd_json_get(doc, v, "~1"), "/a~1b/m~0n/1/~01");
	/* a key is addressed by its member's pointer */
	check_pointer(doc, wd_json_first(v), "/a~1b/m~0n/1/");
	v = wd_json_get(doc, root, "arr");
	check_pointer(doc, wd_json_at(wd_json_at(v, 1), 0), "/arr/1/0");
	check_pointer(doc, wd_json_at(wd_json_at(v, 0), 1), "/arr/0/1");
	check_pointer(doc, wd_json_get(doc, root, "x"), "/x");
	v = wd_json_get(doc, root, "\xC3\xA9\"");
	check_pointer(doc, wd_json_at(v, 11), "/\xC3\xA9\"/11");
	assert_ptr_equal(resolve_pointer(doc, "/\xC3\xA9\"/11"), wd_json_at(v, 11));
	assert_ptr_equal(resolve_pointer(doc, "/a~1b/m~0n/1/~01"),
	                 wd_json_get(doc, wd_json_at(wd_json_get(doc, wd_json_get(doc, root, "a/b"),
	                                                         "m~n"),
	                                             1),
	                             "~1"));

	/* pointer appends to what is already in the buffer */
	wd_buf_init(&b, 0);
	wd_buf_puts(&b, "file.json#");
	wd_json_pointer(doc, wd_json_get(doc, root, "x"), &b);
	assert_string_equal(wd_buf_cstr(&b), "file.json#/x");
	wd_buf_release(&b);
	wd_json_free(doc);

	doc = must_parse("\"scalar root\"");
	check_pointer(doc, wd_json_root(doc), "");
	wd_json_free(doc);
}

/* Every value of a document: its pointer resolves back to it. */
static void test_pointers_resolve_everywhere(void **state)
{
	wd_json_doc *doc = must_parse(
		"{\"a\":[1,[2,[3,{\"b/c\":{\"~\":[[],{},\"\"]}}]]],\"d\":{\"e\":{\"f\":null}},"
		"\"g\":[true,false,{\"h\":[0,1,2,3,4,5,6,7,8,9,10]}]}");
	const wd_json_val *root = wd_json_root(doc);
	size_t i, checked = 0;

	(void)state;
	for (i = 0; i < wd_json_count(doc); i++) {
		const wd_json_val *v = wd_json_by_index(doc, i);
		wd_buf b;
		const wd_json_val *r;

		wd_buf_init(&b, 0);
		wd_json_pointer(doc, v, &b);
		r = resolve_pointer(doc, wd_buf_cstr(&b));
		assert_non_null(r);
		/* r is v itself, or v is the key whose member value is r */
		if (r != v) {
			assert_true(wd_json_is_str(v));
			assert_ptr_equal(r, v + 1);
		} else {
			checked++;
		}
		wd_buf_release(&b);
	}
	assert_true(checked > 20);
	assert_ptr_equal(resolve_pointer(doc, ""), root);
	assert_null(resolve_pointer(doc, "/nope"));
	assert_null(resolve_pointer(doc, "/a/9"));
	wd_json_free(doc);
}

static void test_parse_api_edges(void **state)
{
	wd_json_doc *doc = (wd_json_doc *)1;
	wd_error err;
	char *owned;

	(void)state;
	assert_int_equal(wd_json_parse(&doc, NULL, 5, NULL, &err), WD_EINVAL);
	assert_null(doc);
	assert_int_equal(wd_json_parse(&doc, NULL, 0, NULL, &err), WD_EPARSE);
	assert_null(doc);
	wd_json_free(NULL);

	/* parse_owned frees its buffer on success (with the doc) and on failure */
	owned = strdup("[1,2,3]");
	assert_int_equal(wd_json_parse_owned(&doc, owned, strlen(owned), NULL, &err), WD_OK);
	assert_int_equal(wd_json_size(wd_json_root(doc)), 3);
	wd_json_free(doc);
	owned = strdup("[1,2,");
	assert_int_equal(wd_json_parse_owned(&doc, owned, strlen(owned), NULL, &err), WD_EPARSE);
	assert_null(doc);

	/* a successful parse clears a stale error record */
	err.code = WD_EIO;
	strcpy(err.message, "stale");
	doc = must_parse("1");
	wd_json_free(doc);
	assert_int_equal(wd_json_parse(&doc, "1", 1, NULL, &err), WD_OK);
	assert_int_equal(err.code, WD_OK);
	wd_json_free(doc);
}

/* ---- writer ------------------------------------------------------------------ */

typedef struct write_case {
	const char *in;
	size_t in_len;
	const char *out;
} write_case;

#define WR(in, out) {in, sizeof(in) - 1, out}

static const write_case write_cases[] = {
	WR("", "\"\""),
	WR("plain", "\"plain\""),
	WR("a\"b", "\"a\\\"b\""),
	WR("a\\b", "\"a\\\\b\""),
	WR("/", "\"/\""),
	WR("\n\r\t", "\"\\n\\r\\t\""),
	WR("\b\f", "\"\\u0008\\u000c\""),
	WR("\x01\x1f", "\"\\u0001\\u001f\""),
	WR("\0", "\"\\u0000\""),
	WR("a\0b", "\"a\\u0000b\""),
	WR("\x7f", "\"\x7f\""),
	WR(" ~", "\" ~\""),
	WR("\xC3\xA9", "\"\xC3\xA9\""),
	WR("\xE6\x97\xA5", "\"\xE6\x97\xA5\""),
	WR("\xF0\x9F\x98\x80", "\"\xF0\x9F\x98\x80\""),
	WR("\xE2\x80\xA8", "\"\\u2028\""),
	WR("\xE2\x80\xA9", "\"\\u2029\""),
	WR("a\xE2\x80\xA8z\xE2\x80\xA9", "\"a\\u2028z\\u2029\""),
	WR("\xE2\x80\xA7\xE2\x80\xAA", "\"\xE2\x80\xA7\xE2\x80\xAA\""),
	WR("\xFF", "\"\xEF\xBF\xBD\""),
	WR("\x80", "\"\xEF\xBF\xBD\""),
	WR("\xC0\x80", "\"\xEF\xBF\xBD\xEF\xBF\xBD\""),
	WR("\xED\xA0\x80", "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""),
	WR("\xF4\x90\x80\x80", "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""),
	WR("a\xE2\x82", "\"a\xEF\xBF\xBD\xEF\xBF\xBD\""),
	WR("\xE2\x82z", "\"\xEF\xBF\xBD\xEF\xBF\xBDz\""),
	WR("\xF0\x9F\x98", "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""),
	WR("\xC3", "\"\xEF\xBF\xBD\""),
	WR("x\xC3\"", "\"x\xEF\xBF\xBD\\\"\""),
	WR("</script>", "\"</script>\""),
};

static void test_write_str_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(write_cases) / sizeof(write_cases[0]); i++) {
		wd_buf b;

		wd_buf_init(&b, 0);
		wd_json_write_str(&b, wd_str_make(write_cases[i].in, write_cases[i].in_len));
		assert_false(wd_buf_failed(&b));
		if (strcmp(wd_buf_cstr(&b), write_cases[i].out) != 0)
			fail_msg("case %zu: wrote %s, want %s", i, wd_buf_cstr(&b), write_cases[i].out);
		assert_int_equal(b.len, strlen(write_cases[i].out));
		wd_buf_release(&b);
	}
}

static void test_write_cstr_and_limits(void **state)
{
	wd_buf b;

	(void)state;
	wd_buf_init(&b, 0);
	wd_json_write_cstr(&b, NULL);
	wd_json_write_cstr(&b, "q\"");
	assert_string_equal(wd_buf_cstr(&b), "\"\"\"q\\\"\"");
	wd_buf_release(&b);

	wd_buf_init(&b, 0);
	wd_json_write_str(&b, WD_STR_NULL);
	assert_string_equal(wd_buf_cstr(&b), "\"\"");
	wd_buf_release(&b);

	/* the buffer's cap applies to escaped output */
	wd_buf_init(&b, 8);
	wd_json_write_cstr(&b, "\x01\x02");
	assert_true(wd_buf_failed(&b));
	assert_true(b.len <= 8);
	wd_buf_release(&b);
}

/* Independent UTF-8 validator for the round-trip oracle. */
static int ref_utf8_valid(const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint32_t cp;
		size_t k, len;

		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((p[i] & 0xE0) == 0xC0) {
			len = 2;
			cp = p[i] & 0x1F;
		} else if ((p[i] & 0xF0) == 0xE0) {
			len = 3;
			cp = p[i] & 0x0F;
		} else if ((p[i] & 0xF8) == 0xF0) {
			len = 4;
			cp = p[i] & 0x07;
		} else {
			return 0;
		}
		if (i + len > n)
			return 0;
		for (k = 1; k < len; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + k] & 0x3F);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
		    (len == 4 && cp < 0x10000) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += len;
	}
	return 1;
}

static uint32_t rng_next(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* Write, parse back: valid UTF-8 comes back byte for byte; anything else
 * comes back as valid UTF-8, and writing that again is a fixed point. */
static void round_trip(const unsigned char *s, size_t n, int *valid_seen)
{
	wd_buf b, b2;
	wd_json_doc *doc = NULL;
	wd_error err;
	wd_str back;

	wd_buf_init(&b, 0);
	wd_json_write_str(&b, wd_str_make((const char *)s, n));
	assert_false(wd_buf_failed(&b));
	if (wd_json_parse(&doc, b.data, b.len, NULL, &err) != WD_OK)
		fail_msg("writer output does not parse: %s (%s)", b.data, err.message);
	back = wd_json_str(doc, wd_json_root(doc));
	assert_non_null(back.ptr);
	assert_true(ref_utf8_valid((const unsigned char *)back.ptr, back.len));
	if (ref_utf8_valid(s, n)) {
		(*valid_seen)++;
		assert_true(back.len == n && memcmp(back.ptr, s, n) == 0);
	}
	wd_buf_init(&b2, 0);
	wd_json_write_str(&b2, back);
	assert_string_equal(wd_buf_cstr(&b2), wd_buf_cstr(&b));
	wd_buf_release(&b2);
	wd_json_free(doc);
	wd_buf_release(&b);
}

static void test_write_round_trip(void **state)
{
	unsigned char s[64];
	uint32_t seed = 0x2545F491u;
	int valid = 0;
	size_t i, j;

	(void)state;
	/* every single byte, and every byte pair */
	for (i = 0; i < 256; i++) {
		s[0] = (unsigned char)i;
		round_trip(s, 1, &valid);
		for (j = 0; j < 256; j++) {
			s[1] = (unsigned char)j;
			round_trip(s, 2, &valid);
		}
	}
	/* the table inputs */
	for (i = 0; i < sizeof(write_cases) / sizeof(write_cases[0]); i++)
		round_trip((const unsigned char *)write_cases[i].in, write_cases[i].in_len, &valid);
	/* random strings biased toward UTF-8 lead and continuation bytes */
	for (i = 0; i < 20000; i++) {
		size_t n = rng_next(&seed) % sizeof(s);
		for (j = 0; j < n; j++) {
			uint32_t r = rng_next(&seed);
			switch (r % 6) {
			case 0: s[j] = (unsigned char)(r >> 8); break;
			case 1: s[j] = (unsigned char)(0x80 | ((r >> 8) & 0x3F)); break;
			case 2: s[j] = (unsigned char)(0xC0 | ((r >> 8) & 0x3F)); break;
			case 3: s[j] = (unsigned char)(0xE0 | ((r >> 8) & 0x1F)); break;
			default: s[j] = (unsigned char)(0x20 + (r >> 8) % 0x5F); break;
			}
		}
		round_trip(s, n, &valid);
	}
	/* some valid multi-byte strings must have been among them */
	assert_true(valid > 2000);
}

/* ---- util: buffer, arena, files ---------------------------------------------- */

static void test_buf_max(void **state)
{
	wd_buf b;

	(void)state;
	wd_buf_init(&b, 10);
	assert_string_equal(wd_buf_cstr(&b), "");
	wd_buf_put(&b, "0123456789", 10);
	assert_false(wd_buf_failed(&b));
	assert_int_equal(b.len, 10);
	wd_buf_putc(&b, 'x');
	assert_true(wd_buf_failed(&b));
	assert_int_equal(b.len, 10);
	assert_string_equal(wd_buf_cstr(&b), "0123456789");
	/* after failing, appends are ignored even if they would fit */
	wd_buf_put(&b, "", 0);
	assert_true(wd_buf_failed(&b));
	wd_buf_reset(&b);
	assert_false(wd_buf_failed(&b));
	assert_int_equal(b.len, 0);
	assert_string_equal(wd_buf_cstr(&b), "");
	wd_buf_printf(&b, "%d-%s", 42, "abc");
	assert_string_equal(wd_buf_cstr(&b), "42-abc");
	wd_buf_printf(&b, "%s", "12345");
	assert_true(wd_buf_failed(&b));
	assert_string_equal(wd_buf_cstr(&b), "42-abc");
	wd_buf_release(&b);

	/* a huge request cannot overflow the size arithmetic */
	wd_buf_init(&b, 16);
	wd_buf_puts(&b, "abc");
	wd_buf_put(&b, "x", SIZE_MAX);
	assert_true(wd_buf_failed(&b));
	assert_string_equal(wd_buf_cstr(&b), "abc");
	wd_buf_release(&b);

	/* 0 means the default maximum; the buffer grows as needed */
	wd_buf_init(&b, 0);
	assert_int_equal(b.max, WD_BUF_DEFAULT_MAX);
	{
		size_t i;
		for (i = 0; i < 10000; i++)
			wd_buf_put_str(&b, wd_str_c("abcdefgh"));
	}
	assert_false(wd_buf_failed(&b));
	assert_int_equal(b.len, 80000);
	assert_int_equal(b.data[b.len], '\0');
	assert_memory_equal(b.data + 79992, "abcdefgh", 8);
	wd_buf_release(&b);
	assert_null(b.data);
}

static void test_arena_basics(void **state)
{
	wd_arena a;
	enum { N = 20000 };
	unsigned char **ptrs = calloc(N, sizeof(*ptrs));
	size_t i, total = 0;
	char *big, *s;
	wd_str ws;

	(void)state;
	assert_non_null(ptrs);
	wd_arena_init(&a, 4096);
	for (i = 0; i < N; i++) {
		size_t n = 1 + (i * 37) % 200;
		ptrs[i] = wd_arena_alloc(&a, n);
		assert_non_null(ptrs[i]);
		assert_int_equal((uintptr_t)ptrs[i] % 16, 0);
		memset(ptrs[i], (int)(i & 0xFF), n);
		total += n;
	}
	/* nothing overwrote anything */
	for (i = 0; i < N; i++) {
		size_t n = 1 + (i * 37) % 200, k;
		for (k = 0; k < n; k++)
			assert_int_equal(ptrs[i][k], (unsigned char)(i & 0xFF));
	}
	assert_int_equal(a.total, total);

	/* a large allocation gets its own chunk; small ones keep working */
	big = wd_arena_alloc(&a, 8u << 20);
	assert_non_null(big);
	memset(big, 0xAB, 8u << 20);
	s = wd_arena_strndup(&a, "hello world", 5);
	assert_string_equal(s, "hello");
	assert_int_equal((unsigned char)big[(8u << 20) - 1], 0xAB);
	assert_int_equal(ptrs[N - 1][0], (unsigned char)((N - 1) & 0xFF));

	{
		unsigned char *z = wd_arena_zalloc(&a, 333);
		assert_non_null(z);
		for (i = 0; i < 333; i++)
			assert_int_equal(z[i], 0);
	}
	assert_non_null(wd_arena_alloc(&a, 0));
	assert_null(wd_arena_alloc(&a, SIZE_MAX));
	assert_null(wd_arena_alloc(&a, SIZE_MAX - 3));
	ws = wd_arena_str(&a, wd_str_make("abc", 3));
	assert_true(str_is(ws, "abc", 3));
	assert_int_equal(ws.ptr[3], '\0');
	ws = wd_arena_str(&a, WD_STR_NULL);
	assert_non_null(ws.ptr);
	assert_int_equal(ws.len, 0);
	assert_string_equal(wd_arena_strndup(&a, "", 0), "");
	wd_arena_release(&a);
	assert_null(a.head);
	assert_int_equal(a.total, 0);

	/* reusable after release; 0 chunk size means the default */
	wd_arena_init(&a, 0);
	assert_true(a.chunk_size > 0);
	assert_non_null(wd_arena_alloc(&a, 100));
	wd_arena_release(&a);
	wd_arena_release(&a);
	free(ptrs);
}

static void test_read_file(void **state)
{
	tmpdir *t = *state;
	char path[128];
	char *data = (char *)1;
	size_t len = 99;
	wd_error err;
	wd_json_doc *doc = (wd_json_doc *)1;

	/* missing */
	snprintf(path, sizeof(path), "%s/missing.json", t->path);
	assert_int_equal(wd_read_file(path, 1024, &data, &len, &err), WD_EIO);
	assert_null(data);
	assert_int_equal(len, 0);
	assert_int_equal(err.code, WD_EIO);
	assert_true(err.message[0] != '\0');
	assert_int_equal(wd_json_parse_file(&doc, path, NULL, &err), WD_EIO);
	assert_null(doc);

	/* a directory */
	assert_int_equal(wd_read_file(t->path, 1024, &data, &len, &err), WD_EIO);
	assert_null(data);
	assert_int_equal(wd_json_parse_file(&doc, t->path, NULL, &err), WD_EIO);

	/* a FIFO with no writer: must not block */
	snprintf(path, sizeof(path), "%s/fifo", t->path);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(wd_read_file(path, 1024, &data, &len, &err), WD_EIO);
	assert_null(data);
	assert_int_equal(wd_json_parse_file(&doc, path, NULL, &err), WD_EIO);

	/* a regular file, NUL-terminated */
	snprintf(path, sizeof(path), "%s/ok.json", t->path);
	write_file(path, "{\"a\":\0}", 7);
	assert_int_equal(wd_read_file(path, 1024, &data, &len, &err), WD_OK);
	assert_int_equal(len, 7);
	assert_memory_equal(data, "{\"a\":\0}", 8);
	free(data);
	/* under the limit, and one byte over (exactly at it: test_read_file_exact_limit) */
	assert_int_equal(wd_read_file(path, 8, &data, &len, &err), WD_OK);
	free(data);
	assert_int_equal(wd_read_file(path, 6, &data, &len, &err), WD_ELIMIT);
	assert_null(data);

	/* empty file: reads, but is not JSON */
	snprintf(path, sizeof(path), "%s/empty.json", t->path);
	write_file(path, "", 0);
	assert_int_equal(wd_read_file(path, 1024, &data, &len, &err), WD_OK);
	assert_int_equal(len, 0);
	assert_int_equal(data[0], '\0');
	free(data);
	assert_int_equal(wd_json_parse_file(&doc, path, NULL, &err), WD_EPARSE);
	assert_null(doc);
}

/*
 * A file of exactly max_size bytes is within the limit ("fails past
 * max_size"). Known bug: util/file.c needs one more read() to see EOF and
 * treats the full buffer as growth past the limit, so this returns
 * WD_ELIMIT today. Skipped, not deleted, until util/file.c is fixed.
 */
static void test_read_file_exact_limit(void **state)
{
	tmpdir *t = *state;
	char path[128];
	char *data = NULL;
	size_t len = 0;
	wd_limits lim = {0};
	wd_json_doc *doc = NULL;
	wd_error err;

	snprintf(path, sizeof(path), "%s/exact.json", t->path);
	write_file(path, "[1,2]", 5);
	/* a file of exactly the limit is not over it (it once was: util/file.c) */
	assert_int_equal(wd_read_file(path, 5, &data, &len, &err), WD_OK);
	assert_int_equal(len, 5);
	free(data);
	lim.max_file_size = 5;
	assert_int_equal(wd_json_parse_file(&doc, path, &lim, &err), WD_OK);
	wd_json_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accept_table),
		cmocka_unit_test(test_reject_table),
		cmocka_unit_test(test_utf8_invalid_everywhere),
		cmocka_unit_test(test_utf8_valid_in_strings_only),
		cmocka_unit_test(test_utf8_content_preserved),
		cmocka_unit_test(test_error_positions),
		cmocka_unit_test(test_error_offset_matches_position),
		cmocka_unit_test(test_depth_100k_default_limit),
		cmocka_unit_test(test_depth_100k_raised_limit),
		cmocka_unit_test(test_pointer_resume_any_order),
		cmocka_unit_test(test_depth_limit_boundary),
		cmocka_unit_test(test_string_length_limit),
		cmocka_unit_test(test_element_limit),
		cmocka_unit_test(test_element_limit_large),
		cmocka_unit_test_setup_teardown(test_file_size_limit, tmp_setup, tmp_teardown),
		cmocka_unit_test(test_get_last_duplicate_wins),
		cmocka_unit_test(test_at_and_iteration),
		cmocka_unit_test(test_escaped_strings_decode),
		cmocka_unit_test(test_strings_in_situ_and_pool),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_numbers_on_non_numbers),
		cmocka_unit_test(test_index_and_by_index),
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_positions_bom_and_edges),
		cmocka_unit_test(test_pointers),
		cmocka_unit_test(test_pointers_resolve_everywhere),
		cmocka_unit_test(test_parse_api_edges),
		cmocka_unit_test(test_write_str_table),
		cmocka_unit_test(test_write_cstr_and_limits),
		cmocka_unit_test(test_write_round_trip),
		cmocka_unit_test(test_buf_max),
		cmocka_unit_test(test_arena_basics),
		cmocka_unit_test_setup_teardown(test_read_file, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_read_file_exact_limit, tmp_setup, tmp_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
