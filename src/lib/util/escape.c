/*
 * util/escape.c - escaping for XML, Markdown, DOT and Mermaid output.
 *
 * Every input-derived string written in those formats passes through here.
 * One loop decodes UTF-8 strictly (no overlongs, surrogates or code points
 * past U+10FFFF) and gives each code point one of three fates:
 *   - invalid bytes (one '?' each), control characters (C0, DEL, C1), the
 *     bidirectional overrides and isolates (U+202A-E, U+2066-9, which can
 *     make a label read differently from what it is) and the noncharacters
 *     U+FFFE/U+FFFF become '?';
 *   - tab, CR, LF and U+2028/U+2029 become a space in labels (Markdown, DOT,
 *     Mermaid), and numeric character references in XML;
 *   - ASCII characters significant to the format are replaced from that
 *     format's table; everything else is copied.
 * Invariant: the output never holds a character that could end the quoted
 * string or open a construct of the format, and decoding the format's
 * escapes gives back the input with only the replacements above
 * (tests/fuzz/fuzz_escape.c checks both on arbitrary bytes).
 *
 * Choices per format:
 *   - XML: &amp; &lt; &gt; &quot; &#39; (text and attribute values alike).
 *   - Markdown (GitHub): HTML numeric references, which CommonMark renders
 *     back to the character but never treats as syntax, for every inline
 *     marker (\ ` * _ [ ] ( ) { } < > ! | ~ & # $ : @), so no emphasis,
 *     code span, link, image, HTML, strikethrough, math, table cell or
 *     autolink can form. ':' breaks scheme autolinks (https:), '.' after
 *     "www" breaks www. autolinks. Leading spaces and a leading - + = or
 *     digit are escaped too, so the text cannot start a list or heading
 *     when a writer puts it at the start of a line. GitHub's @-mentions and
 *     #123 references are made from the rendered text, so no escape stops
 *     them; writers that care must not put such text in Markdown at all.
 *   - DOT: \" and \\ (the only escapes of a quoted string; \\ is one
 *     backslash in labels, so \N or \G in input never expands), and &amp;
 *     because Graphviz decodes HTML entities in labels.
 *   - Mermaid: Mermaid's own entity codes, #quot; and #<decimal>;, for
 *     " # & < > [ ] ( ) { } | ` ; : %, and for the two characters Mermaid
 *     uses in its internal entity placeholders (U+00B0, U+00B6).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "warden/escape.h"

typedef enum format { FMT_XML, FMT_MD, FMT_DOT, FMT_MERMAID } format;

static const char *const xml_table[128] = {
	['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;",
};

static const char *const md_table[128] = {
	['\\'] = "&#92;", ['`'] = "&#96;", ['*'] = "&#42;", ['_'] = "&#95;", ['['] = "&#91;",
	[']'] = "&#93;",  ['('] = "&#40;", [')'] = "&#41;", ['{'] = "&#123;", ['}'] = "&#125;",
	['<'] = "&#60;",  ['>'] = "&#62;", ['!'] = "&#33;", ['|'] = "&#124;", ['~'] = "&#126;",
	['&'] = "&#38;",  ['#'] = "&#35;", ['$'] = "&#36;", [':'] = "&#58;",  ['@'] = "&#64;",
};

static const char *const dot_table[128] = {
	['"'] = "\\\"", ['\\'] = "\\\\", ['&'] = "&amp;",
};

static const char *const mermaid_table[128] = {
	['"'] = "#quot;", ['#'] = "#35;",  ['&'] = "#38;",  ['<'] = "#60;", ['>'] = "#62;",
	['['] = "#91;",   [']'] = "#93;",  ['('] = "#40;",  [')'] = "#41;", ['{'] = "#123;",
	['}'] = "#125;",  ['|'] = "#124;", ['`'] = "#96;",  [';'] = "#59;", [':'] = "#58;",
	['%'] = "#37;",
};

/*
 * Decode one UTF-8 sequence at s[0..len): its code point and length, or -1
 * for an invalid byte (the caller replaces that one byte and goes on).
 */
static long decode(const unsigned char *s, size_t len, size_t *n)
{
	unsigned c = s[0];
	long cp;
	size_t need, i;

	if (c < 0x80) {
		*n = 1;
		return (long)c;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		cp = c & 0x07;
	} else {
		return -1;
	}
	if (len < need + 1)
		return -1;
	for (i = 1; i <= need; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) || cp > 0x10FFFF ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;
	*n = need + 1;
	return cp;
}

static int is_bad_code_point(long cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0xFFFE || cp == 0xFFFF;
}

static int is_break(long cp)
{
	return cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x2028 || cp == 0x2029;
}

static int ieq3(const unsigned char *p, const char *w)
{
	int i;

	for (i = 0; i < 3; i++)
		if ((p[i] | 0x20) != (unsigned char)w[i])
			return 0;
	return 1;
}

static int md_line_start_marker(long cp)
{
	return cp == '-' || cp == '+' || cp == '=' || (cp >= '0' && cp <= '9');
}

static void escape(wd_buf *out, const char *str, size_t len, format fmt)
{
	static const char *const *const tables[] = {xml_table, md_table, dot_table, mermaid_table};
	const char *const *table = tables[fmt];
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, kept = 0; /* s[kept..i) is copied as it is */
	int leading = fmt == FMT_MD; /* Markdown: nothing but spaces written yet */
	char num[16];

	if (!s)
		return;
	while (i < len) {
		size_t n = 1;
		long cp = decode(s + i, len - i, &n);
		const char *rep = NULL;

		if (cp < 0) {
			n = 1;
			rep = "?";
		} else if (is_break(cp)) {
			if (fmt == FMT_XML)
				rep = cp == '\t'   ? "&#9;"
				      : cp == '\n' ? "&#10;"
				      : cp == '\r' ? "&#13;"
				                    : NULL; /* U+2028/9 are fine in XML */
			else
				cp = ' ';
		} else if (is_bad_code_point(cp)) {
			rep = "?";
		}
		if (!rep && cp >= 0) {
			if (cp < 0x80 && table[cp]) {
				rep = table[cp];
			} else if (fmt == FMT_MD) {
				if (leading && (cp == ' ' || md_line_start_marker(cp))) {
					snprintf(num, sizeof(num), "&#%ld;", cp);
					rep = num;
				} else if (cp == '.' && i >= 3 && ieq3(s + i - 3, "www")) {
					rep = "&#46;";
				} else if (cp == ' ' && s[i] != ' ') {
					rep = " "; /* a line break */
				}
			} else if (fmt == FMT_MERMAID && (cp == 0xB0 || cp == 0xB6)) {
				rep = cp == 0xB0 ? "#176;" : "#182;";
			} else if (cp == ' ' && s[i] != ' ') {
				rep = " ";
			}
		}
		if (fmt == FMT_MD && cp != ' ')
			leading = 0;
		if (rep) {
			wd_buf_put(out, s + kept, i - kept);
			wd_buf_puts(out, rep);
			kept = i + n;
		}
		i += n;
	}
	wd_buf_put(out, s + kept, i - kept);
}

void wd_escape_xml(wd_buf *out, const char *s, size_t len)
{
	escape(out, s, len, FMT_XML);
}

void wd_escape_md(wd_buf *out, const char *s, size_t len)
{
	escape(out, s, len, FMT_MD);
}

void wd_escape_md_rendered(wd_buf *out, const char *s, size_t len)
{
	size_t i, from = 0;

	for (i = 0; i < len; i++)
		if (s[i] == '@' && (i == 0 || !isalnum((unsigned char)s[i - 1]))) {
			escape(out, s + from, i + 1 - from, FMT_MD);
			wd_buf_puts(out, "\xE2\x81\xA0");
			from = i + 1;
		}
	escape(out, s + from, len - from, FMT_MD);
}

void wd_escape_dot(wd_buf *out, const char *s, size_t len)
{
	escape(out, s, len, FMT_DOT);
}

void wd_escape_mermaid(wd_buf *out, const char *s, size_t len)
{
	escape(out, s, len, FMT_MERMAID);
}
