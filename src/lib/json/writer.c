/*
 * json/writer.c - JSON string escaping for every writer in Warden.
 *
 * Output is always valid UTF-8 JSON: invalid input bytes become U+FFFD, and
 * U+2028/U+2029 are escaped so the text is also safe inside JavaScript.
 */
#include <string.h>

#include "warden/json.h"

static size_t utf8_len(const unsigned char *p, size_t avail)
{
	unsigned char c = p[0];

	if (c >= 0xC2 && c <= 0xDF)
		return (avail >= 2 && (p[1] & 0xC0) == 0x80) ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if (avail < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F))
			return 0;
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (avail < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
		    (p[3] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] > 0x8F))
			return 0;
		return 4;
	}
	return 0;
}

void wd_json_write_str(wd_buf *out, wd_str s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s.ptr;
	size_t i = 0, run = 0;

	wd_buf_putc(out, '"');
	while (i < s.len) {
		unsigned char c = p[i];
		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			i++;
			run++;
			continue;
		}
		if (run)
			wd_buf_put(out, p + i - run, run);
		run = 0;
		if (c == '"') {
			wd_buf_puts(out, "\\\"");
			i++;
		} else if (c == '\\') {
			wd_buf_puts(out, "\\\\");
			i++;
		} else if (c < 0x20) {
			char e[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
			if (c == '\n')
				wd_buf_puts(out, "\\n");
			else if (c == '\r')
				wd_buf_puts(out, "\\r");
			else if (c == '\t')
				wd_buf_puts(out, "\\t");
			else
				wd_buf_puts(out, e);
			i++;
		} else {
			size_t n = utf8_len(p + i, s.len - i);
			if (n == 0) {
				wd_buf_puts(out, "\xEF\xBF\xBD");
				i++;
			} else if (n == 3 && p[i] == 0xE2 && p[i + 1] == 0x80 &&
			           (p[i + 2] == 0xA8 || p[i + 2] == 0xA9)) {
				wd_buf_puts(out, p[i + 2] == 0xA8 ? "\\u2028" : "\\u2029");
				i += 3;
			} else {
				wd_buf_put(out, p + i, n);
				i += n;
			}
		}
	}
	if (run)
		wd_buf_put(out, p + i - run, run);
	wd_buf_putc(out, '"');
}

void wd_json_write_cstr(wd_buf *out, const char *s)
{
	wd_json_write_str(out, wd_str_c(s ? s : ""));
}
