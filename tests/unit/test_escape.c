/*
 * test_escape.c - the escaping module (include/warden/escape.h).
 *
 * Tables of (format, input, exact output): every significant character of
 * each format, hostile names that try to break out of a DOT or Mermaid
 * label, forge a Markdown table cell or open an XML element, invalid UTF-8,
 * control and bidi characters, line breaks, and appending to a buffer that
 * already holds text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "warden/escape.h"

typedef void (*escape_fn)(wd_buf *out, const char *s, size_t len);

typedef struct esc_case {
	escape_fn fn;
	const char *name;
	const char *in;
	size_t len;
	const char *want;
} esc_case;

#define XML(in, want) {wd_escape_xml, "xml", in, sizeof(in) - 1, want}
#define MD(in, want) {wd_escape_md, "md", in, sizeof(in) - 1, want}
#define DOT(in, want) {wd_escape_dot, "dot", in, sizeof(in) - 1, want}
#define MMD(in, want) {wd_escape_mermaid, "mermaid", in, sizeof(in) - 1, want}

static const esc_case cases[] = {
	/* XML */
	XML("", ""),
	XML("plain text", "plain text"),
	XML("<script>alert('x')</script>", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
	XML("a & b \"c\"", "a &amp; b &quot;c&quot;"),
	XML("&amp;", "&amp;amp;"),
	XML("line1\nline2\ttab\rcr", "line1&#10;line2&#9;tab&#13;cr"),
	XML("nul\0bell\a del\x7f", "nul?bell? del?"),
	XML("]]><x/>", "]]&gt;&lt;x/&gt;"),
	XML("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x91", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x91"),
	XML("\xef\xbf\xbe\xef\xbf\xbf", "??"),
	XML("\xe2\x80\xa8", "\xe2\x80\xa8"),

	/* Markdown */
	MD("", ""),
	MD("Send e-mail", "Send e-mail"),
	MD("a | b", "a &#124; b"),
	MD("**bold** _it_ `code`", "&#42;&#42;bold&#42;&#42; &#95;it&#95; &#96;code&#96;"),
	MD("[click](http://evil)", "&#91;click&#93;&#40;http&#58;//evil&#41;"),
	MD("![img](x)", "&#33;&#91;img&#93;&#40;x&#41;"),
	MD("<img src=x onerror=alert(1)>", "&#60;img src=x onerror=alert&#40;1&#41;&#62;"),
	MD("~~strike~~ $x$", "&#126;&#126;strike&#126;&#126; &#36;x&#36;"),
	MD("back\\slash &#124; &amp;", "back&#92;slash &#38;&#35;124; &#38;amp;"),
	MD("a\nb\r\nc\td", "a b  c d"),
	MD("row|\n|---|\n| forged |", "row&#124; &#124;---&#124; &#124; forged &#124;"),
	MD("visit www.evil.com or WWW.x.org", "visit www&#46;evil.com or WWW&#46;x.org"),
	MD("https://x.y mailto:a@b.c", "https&#58;//x.y mailto&#58;a&#64;b.c"),
	MD("{x}", "&#123;x&#125;"),
	/* a line start cannot open a list, heading or code block */
	MD("- item", "&#45; item"),
	MD("+ item", "&#43; item"),
	MD("1. first", "&#49;. first"),
	MD("# title", "&#35; title"),
	MD("    code", "&#32;&#32;&#32;&#32;code"),
	MD(" \n- x", "&#32;&#32;&#45; x"),
	MD("===", "&#61;=="),
	MD("x - y + 1", "x - y + 1"),
	MD("\xff- x", "?- x"),
	MD("caf\xc3\xa9", "caf\xc3\xa9"),

	/* DOT */
	DOT("", ""),
	DOT("Send mail", "Send mail"),
	DOT("\"]; evil [label=\"x", "\\\"]; evil [label=\\\"x"),
	DOT("back\\", "back\\\\"),
	DOT("\\N \\G \\l", "\\\\N \\\\G \\\\l"),
	DOT("a\nb\tc\rd", "a b c d"),
	DOT("x &lt; y", "x &amp;lt; y"),
	DOT("<b>html</b>", "<b>html</b>"),
	DOT("\x01\x1b[31m", "??[31m"),

	/* Mermaid */
	MMD("", ""),
	MMD("Send mail", "Send mail"),
	MMD("\"] --> evil[\"x", "#quot;#93; --#62; evil#91;#quot;x"),
	MMD("a(b){c}|d|", "a#40;b#41;#123;c#125;#124;d#124;"),
	MMD("<b>x</b> & y", "#60;b#62;x#60;/b#62; #38; y"),
	MMD("#quot; #9829;", "#35;quot#59; #35;9829#59;"),
	MMD("%%{init: {\"theme\": \"dark\"}}%%",
	    "#37;#37;#123;init#58; #123;#quot;theme#quot;#58; #quot;dark#quot;#125;#125;#37;#37;"),
	MMD("`**md**`", "#96;**md**#96;"),
	MMD("a;b:c", "a#59;b#58;c"),
	MMD("line\nbreak\ttab", "line break tab"),
	MMD("fl\xc2\xb0\xc2\xb0" "60\xc2\xb6\xc3\x9f", "fl#176;#176;60#182;\xc3\x9f"),
	MMD("caf\xc3\xa9", "caf\xc3\xa9"),
};

static void test_cases(void **state)
{
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		wd_buf out;
		wd_buf_init(&out, 0);
		cases[i].fn(&out, cases[i].in, cases[i].len);
		assert_false(wd_buf_failed(&out));
		if (strcmp(wd_buf_cstr(&out), cases[i].want) != 0)
			fail_msg("%s case %zu: got '%s', want '%s'", cases[i].name, i,
			         wd_buf_cstr(&out), cases[i].want);
		wd_buf_release(&out);
	}
}

/* Every format: each bad byte or character becomes one '?'. */
static void test_invalid_utf8(void **state)
{
	static const struct {
		const char *in;
		size_t len;
		const char *want;
	} bad[] = {
		{"\x80", 1, "?"},
		{"\xc0\xaf", 2, "??"},                 /* overlong '/' */
		{"\xe0\x80\xaf", 3, "???"},            /* overlong */
		{"\xed\xa0\x80", 3, "???"},            /* surrogate */
		{"\xf4\x90\x80\x80", 4, "????"},       /* past U+10FFFF */
		{"\xf8\x88\x80\x80\x80", 5, "?????"},  /* 5-byte form */
		{"\xc3", 1, "?"},                      /* truncated */
		{"\xe2\x82", 2, "??"},                 /* truncated */
		{"a\xc3(b", 4, "a?(b"},                /* bad continuation */
		{"\xc2\x85", 2, "?"},                  /* C1 control NEL */
		{"\xe2\x80\xae", 3, "?"},              /* RIGHT-TO-LEFT OVERRIDE */
		{"\xe2\x81\xa6", 3, "?"},              /* LEFT-TO-RIGHT ISOLATE */
		{"\xf4\x8f\xbf\xbf", 4, "\xf4\x8f\xbf\xbf"}, /* U+10FFFF is fine */
	};
	escape_fn fns[] = {wd_escape_xml, wd_escape_dot, wd_escape_mermaid, wd_escape_md};
	size_t i, f;
	(void)state;

	for (f = 0; f < 4; f++) {
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			wd_buf out;
			const char *want = bad[i].want;
			wd_buf_init(&out, 0);
			fns[f](&out, bad[i].in, bad[i].len);
			/* Mermaid and Markdown escape '(' */
			if (f == 2 && strcmp(want, "a?(b") == 0)
				want = "a?#40;b";
			if (f == 3 && strcmp(want, "a?(b") == 0)
				want = "a?&#40;b";
			if (strcmp(wd_buf_cstr(&out), want) != 0)
				fail_msg("format %zu case %zu: got '%s', want '%s'", f, i,
				         wd_buf_cstr(&out), want);
			wd_buf_release(&out);
		}
	}
}

/* Rendered Markdown: an '@' that could start a GitHub mention is followed by a
 * word joiner; one inside a word (an e-mail address) is not. */
static void test_md_rendered_mentions(void **state)
{
	wd_buf b;

	(void)state;
	wd_buf_init(&b, 0);
	wd_escape_md_rendered(&b, "@everyone (@org/team) a@b.c", 27);
	assert_string_equal(wd_buf_cstr(&b), "&#64;\xE2\x81\xA0" "everyone &#40;&#64;\xE2\x81\xA0" "org/team&#41; a&#64;b.c");
	wd_buf_reset(&b);
	wd_escape_md_rendered(&b, "plain", 5);
	assert_string_equal(wd_buf_cstr(&b), "plain");
	wd_buf_release(&b);
}

static void test_append_and_limits(void **state)
{
	wd_buf out;
	(void)state;

	/* appends to what the buffer holds */
	wd_buf_init(&out, 0);
	wd_buf_puts(&out, "label=\"");
	wd_escape_dot(&out, "a\"b", 3);
	wd_buf_putc(&out, '"');
	assert_string_equal(wd_buf_cstr(&out), "label=\"a\\\"b\"");
	wd_buf_release(&out);

	/* only len bytes are read, NUL bytes included */
	wd_buf_init(&out, 0);
	wd_escape_xml(&out, "a\0<b<c", 4);
	assert_string_equal(wd_buf_cstr(&out), "a?&lt;b");
	wd_buf_release(&out);

	/* NULL with length 0 writes nothing */
	wd_buf_init(&out, 0);
	wd_escape_md(&out, NULL, 0);
	assert_int_equal(out.len, 0);
	wd_buf_release(&out);

	/* a buffer over its maximum is marked failed, not overflowed */
	wd_buf_init(&out, 16);
	wd_escape_xml(&out, "<<<<<<<<<<", 10);
	assert_true(wd_buf_failed(&out));
	wd_buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_md_rendered_mentions),
		cmocka_unit_test(test_append_and_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
