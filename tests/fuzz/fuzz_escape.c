/*
 * fuzz_escape.c - libFuzzer target for the escaping module (warden/escape.h).
 *
 * The input, as arbitrary bytes, goes through each of the four escapers.
 * For each output:
 *   1. Syntax: no character that could end the quoted string or open a
 *      construct of the format appears raw, only inside the escapes the
 *      escaper writes (checked by a small scanner per format):
 *        XML      no < > " ' ; & only in &amp; &lt; &gt; &quot; &#N;
 *        Markdown no \ ` * _ [ ] ( ) { } < > ! | ~ $ : @, no "www.", no
 *                 line break, no leading space or list/heading marker;
 *                 & only in &#N;
 *        DOT      " only as \", \ only as \\ or \", & only in &amp;, no
 *                 line break
 *        Mermaid  no " [ ] ( ) { } < > | ` ; : % & or line break; # only in
 *                 #quot; or #N;
 *      and no control character or invalid UTF-8 in any of them.
 *   2. Meaning: decoding the format's escapes gives back the input, with
 *      invalid bytes and control characters as '?' and (outside XML) line
 *      breaks as spaces, computed here by an independent UTF-8 reading.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "warden/escape.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond, ...)                                                               \
	do {                                                                           \
		if (!(cond)) {                                                         \
			fprintf(stderr, "fuzz_escape: %s:%d: check failed: %s: ", __FILE__, \
			        __LINE__, #cond);                                      \
			fprintf(stderr, __VA_ARGS__);                                  \
			fputc('\n', stderr);                                           \
			abort();                                                       \
		}                                                                      \
	} while (0)

enum { XML, MD, DOT, MERMAID };
static const char *const names[] = {"xml", "md", "dot", "mermaid"};

/*
 * Length of the well-formed UTF-8 sequence at p (Unicode Table 3-7), 0 when
 * the byte starts none.
 */
static size_t utf8_len(const uint8_t *p, size_t n)
{
	uint8_t b = p[0];

	if (b < 0x80)
		return 1;
	if (b >= 0xC2 && b <= 0xDF)
		return n >= 2 && p[1] >= 0x80 && p[1] <= 0xBF ? 2 : 0;
	if (b >= 0xE0 && b <= 0xEF) {
		uint8_t lo = b == 0xE0 ? 0xA0 : 0x80, hi = b == 0xED ? 0x9F : 0xBF;
		return n >= 3 && p[1] >= lo && p[1] <= hi && p[2] >= 0x80 && p[2] <= 0xBF ? 3 : 0;
	}
	if (b >= 0xF0 && b <= 0xF4) {
		uint8_t lo = b == 0xF0 ? 0x90 : 0x80, hi = b == 0xF4 ? 0x8F : 0xBF;
		return n >= 4 && p[1] >= lo && p[1] <= hi && p[2] >= 0x80 && p[2] <= 0xBF &&
		               p[3] >= 0x80 && p[3] <= 0xBF
		           ? 4
		           : 0;
	}
	return 0;
}

static int is_seq(const uint8_t *p, size_t k, const char *bytes)
{
	return k == strlen(bytes) && memcmp(p, bytes, k) == 0;
}

/* What the escaper should keep of one well-formed character. */
static int replaced_by_qmark(const uint8_t *p, size_t k)
{
	if (k == 1)
		return p[0] < 0x20 ? !(p[0] == '\t' || p[0] == '\n' || p[0] == '\r') : p[0] == 0x7F;
	if (k == 2)
		return p[0] == 0xC2 && p[1] <= 0x9F; /* C1 */
	if (k == 3)
		return is_seq(p, k, "\xe2\x80\xaa") || is_seq(p, k, "\xe2\x80\xab") ||
		       is_seq(p, k, "\xe2\x80\xac") || is_seq(p, k, "\xe2\x80\xad") ||
		       is_seq(p, k, "\xe2\x80\xae") || is_seq(p, k, "\xe2\x81\xa6") ||
		       is_seq(p, k, "\xe2\x81\xa7") || is_seq(p, k, "\xe2\x81\xa8") ||
		       is_seq(p, k, "\xe2\x81\xa9") || is_seq(p, k, "\xef\xbf\xbe") ||
		       is_seq(p, k, "\xef\xbf\xbf");
	return 0;
}

static int is_line_break(const uint8_t *p, size_t k)
{
	return (k == 1 && (p[0] == '\t' || p[0] == '\n' || p[0] == '\r')) ||
	       is_seq(p, k, "\xe2\x80\xa8") || is_seq(p, k, "\xe2\x80\xa9");
}

/* The input as the escaper should render it, before escaping. */
static void expected(const uint8_t *in, size_t n, int fmt, wd_buf *out)
{
	size_t i = 0;

	while (i < n) {
		size_t k = utf8_len(in + i, n - i);
		if (k == 0) {
			wd_buf_putc(out, '?');
			i++;
			continue;
		}
		if (replaced_by_qmark(in + i, k))
			wd_buf_putc(out, '?');
		else if (fmt != XML && is_line_break(in + i, k))
			wd_buf_putc(out, ' ');
		else
			wd_buf_put(out, in + i, k);
		i += k;
	}
}

/* The output is valid UTF-8 without control characters. */
static void check_clean(const uint8_t *o, size_t n, int fmt)
{
	size_t i = 0;

	while (i < n) {
		size_t k = utf8_len(o + i, n - i);
		CHECK(k != 0, "%s: invalid UTF-8 at %zu", names[fmt], i);
		CHECK(!replaced_by_qmark(o + i, k), "%s: control character at %zu", names[fmt], i);
		CHECK(fmt == XML || !is_line_break(o + i, k), "%s: line break at %zu", names[fmt], i);
		CHECK(fmt != XML || !(k == 1 && o[i] < 0x20), "xml: raw whitespace control at %zu",
		      i);
		i += k;
	}
}

/* Parse "&#digits;" or "#digits;" (after the prefix) into a code point. */
static size_t parse_num(const uint8_t *o, size_t n, size_t i, unsigned long *cp)
{
	size_t j = i;

	*cp = 0;
	while (j < n && o[j] >= '0' && o[j] <= '9' && j - i < 8)
		*cp = *cp * 10 + (unsigned long)(o[j++] - '0');
	if (j == i || j >= n || o[j] != ';')
		return 0;
	return j + 1 - i;
}

static void put_cp(wd_buf *b, unsigned long cp)
{
	char u[4];

	CHECK(cp > 0 && cp < 0x800, "entity for code point %lu", cp);
	if (cp < 0x80) {
		wd_buf_putc(b, (char)cp);
	} else {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		wd_buf_put(b, u, 2);
	}
}

static int starts(const uint8_t *o, size_t n, size_t i, const char *lit)
{
	size_t k = strlen(lit);
	return n - i >= k && memcmp(o + i, lit, k) == 0;
}

/* Check the syntax of out and decode it into dec. */
static void scan(const uint8_t *o, size_t n, int fmt, wd_buf *dec)
{
	size_t i = 0, leading = 1;

	while (i < n) {
		uint8_t c = o[i];
		unsigned long cp;
		size_t k;

		switch (fmt) {
		case XML:
			CHECK(!strchr("<>\"'", c) || c == 0, "xml: raw '%c' at %zu", c, i);
			if (c == '&') {
				static const char *const ents[] = {"&amp;", "&lt;", "&gt;", "&quot;"};
				static const char lits[] = "&<>\"";
				size_t e;
				for (e = 0; e < 4; e++)
					if (starts(o, n, i, ents[e]))
						break;
				if (e < 4) {
					wd_buf_putc(dec, lits[e]);
					i += strlen(ents[e]);
					continue;
				}
				CHECK(i + 1 < n && o[i + 1] == '#', "xml: bare '&' at %zu", i);
				k = parse_num(o, n, i + 2, &cp);
				CHECK(k > 0, "xml: bad reference at %zu", i);
				put_cp(dec, cp);
				i += 2 + k;
				continue;
			}
			break;
		case MD:
			CHECK(!strchr("\\`*_[](){}<>!|~$:@", c) || c == 0, "md: raw '%c' at %zu", c, i);
			CHECK(!(c == '.' && i >= 3 && (o[i - 1] | 0x20) == 'w' &&
			        (o[i - 2] | 0x20) == 'w' && (o[i - 3] | 0x20) == 'w'),
			      "md: raw www. at %zu", i);
			if (leading)
				CHECK(!strchr(" -+=0123456789", c) || c == 0,
				      "md: raw line-start '%c' at %zu", c, i);
			if (c == '&') {
				CHECK(i + 1 < n && o[i + 1] == '#', "md: bare '&' at %zu", i);
				k = parse_num(o, n, i + 2, &cp);
				CHECK(k > 0, "md: bad reference at %zu", i);
				put_cp(dec, cp);
				if (cp != ' ')
					leading = 0;
				i += 2 + k;
				continue;
			}
			leading = 0;
			break;
		case DOT:
			if (c == '\\') {
				CHECK(i + 1 < n && (o[i + 1] == '"' || o[i + 1] == '\\'),
				      "dot: lone backslash at %zu", i);
				wd_buf_putc(dec, (char)o[i + 1]);
				i += 2;
				continue;
			}
			CHECK(c != '"', "dot: raw quote at %zu", i);
			if (c == '&') {
				CHECK(starts(o, n, i, "&amp;"), "dot: bare '&' at %zu", i);
				wd_buf_putc(dec, '&');
				i += 5;
				continue;
			}
			break;
		case MERMAID:
			CHECK(!strchr("\"[](){}<>|`;:%&", c) || c == 0, "mermaid: raw '%c' at %zu", c,
			      i);
			CHECK(!starts(o, n, i, "\xc2\xb0") && !starts(o, n, i, "\xc2\xb6"),
			      "mermaid: raw placeholder character at %zu", i);
			if (c == '#') {
				if (starts(o, n, i, "#quot;")) {
					wd_buf_putc(dec, '"');
					i += 6;
					continue;
				}
				k = parse_num(o, n, i + 1, &cp);
				CHECK(k > 0, "mermaid: bare '#' at %zu", i);
				put_cp(dec, cp);
				i += 1 + k;
				continue;
			}
			break;
		}
		wd_buf_putc(dec, (char)c);
		i++;
	}
}

static void check_format(const uint8_t *data, size_t size, int fmt)
{
	static void (*const fns[])(wd_buf *, const char *, size_t) = {
		wd_escape_xml, wd_escape_md, wd_escape_dot, wd_escape_mermaid};
	wd_buf out, dec, want;

	wd_buf_init(&out, 0);
	wd_buf_init(&dec, 0);
	wd_buf_init(&want, 0);
	wd_buf_puts(&out, "#"); /* escapers append: a prefix must stay */
	fns[fmt](&out, (const char *)data, size);
	CHECK(!wd_buf_failed(&out), "%s: buffer failed", names[fmt]);
	CHECK(out.len >= 1 && out.data[0] == '#', "%s: prefix lost", names[fmt]);
	check_clean((const uint8_t *)out.data + 1, out.len - 1, fmt);
	scan((const uint8_t *)out.data + 1, out.len - 1, fmt, &dec);
	expected(data, size, fmt, &want);
	CHECK(dec.len == want.len && memcmp(wd_buf_cstr(&dec), wd_buf_cstr(&want), dec.len) == 0,
	      "%s: decoded output differs from the input (%zu vs %zu bytes)", names[fmt], dec.len,
	      want.len);
	wd_buf_release(&out);
	wd_buf_release(&dec);
	wd_buf_release(&want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fmt;

	for (fmt = XML; fmt <= MERMAID; fmt++)
		check_format(data, size, fmt);
	return 0;
}
