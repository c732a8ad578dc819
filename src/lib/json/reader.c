/*
 * json/reader.c - strict, fast, position-keeping JSON reader.
 *
 * Layout (see warden/json.h): one flat array of 16-byte values in document
 * order. The parser is iterative (an explicit stack of open containers), so
 * nesting depth costs no C stack; the depth limit still applies. Strings are
 * scanned 16 bytes at a time with SSE2 where available, looking for the
 * quote, a backslash, a control byte or a non-ASCII byte; only the last three
 * leave the fast path. Strings with escapes are unescaped into a pool that is
 * sized once from the input length (unescaping never grows text), so no
 * value ever moves after it is written.
 *
 * Invariants: offsets fit in 32 bits (inputs are limited below 4 GiB);
 * vals[i].aux of a container is set when it closes; an error leaves the
 * document unreturned and freed.
 */
#include <errno.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "warden/json.h"

struct wd_json_doc {
	const char *in;
	size_t len;
	char *owned;          /* input buffer when the document owns it */
	wd_json_val *vals;
	size_t nvals;
	size_t cap;
	char *pool;           /* unescaped string contents */
	size_t pool_len;
	uint32_t *lines;      /* offsets of line starts, built on demand */
	size_t nlines;
	size_t last_off;      /* the previous position query, to continue from */
	size_t last_line;     /* on long (minified) lines */
	uint32_t last_col;
	/* the path of the previous pointer query: per level, the container, the
	 * child it went into and that child's ordinal, so a query for a later
	 * value resumes there instead of scanning siblings from the start
	 * (findings are located in document order: without this, locating every
	 * node of a 100,000-element array costs a scan of the array each) */
	struct ptr_step {
		size_t ci;          /* container index */
		size_t child;       /* index of the child (array element or object key) */
		size_t ord;         /* its ordinal */
	} ptr_path[32];
	size_t ptr_depth;
};

typedef struct open_ctr {
	uint32_t idx;
	uint32_t count;
} open_ctr;

typedef struct parser {
	const unsigned char *start;
	const unsigned char *p;
	const unsigned char *end;
	wd_json_doc *doc;
	const wd_limits *lim;
	wd_error *err;
	open_ctr *stack;
	size_t depth;
	size_t stack_cap;
	wd_status status;     /* code of the last failure, even without err */
} parser;

/* ---- errors ------------------------------------------------------------ */

static void offset_to_line_col(const char *in, size_t off, uint32_t *line, uint32_t *col)
{
	size_t i, ls = 0;
	uint32_t l = 1, c = 1;

	for (i = 0; i < off; i++) {
		if (in[i] == '\n') {
			l++;
			ls = i + 1;
		}
	}
	/* a BOM is not a character the user sees (as in wd_json_offset_position) */
	if (ls == 0 && off >= 3 && memcmp(in, "\xEF\xBB\xBF", 3) == 0)
		ls = 3;
	for (i = ls; i < off; i++)
		if (((unsigned char)in[i] & 0xC0) != 0x80)
			c++;
	*line = l;
	*col = c;
}

static wd_status fail_at(parser *ps, const unsigned char *at, wd_status code, const char *what)
{
	size_t off = (size_t)(at - ps->start);

	ps->status = code;
	if (ps->err) {
		uint32_t line, col;

		offset_to_line_col((const char *)ps->start, off, &line, &col);
		wd_error_set(ps->err, code, "%s", what);
		ps->err->line = line;
		ps->err->column = col;
		ps->err->offset = off;
	}
	return code;
}

static wd_status fail_unexpected(parser *ps, const unsigned char *at, const char *expected)
{
	char msg[WD_ERROR_MSG_MAX];

	if (at >= ps->end) {
		snprintf(msg, sizeof(msg), "unexpected end of input, expected %s", expected);
	} else if (*at >= 0x20 && *at < 0x7f) {
		snprintf(msg, sizeof(msg), "unexpected '%c', expected %s", *at, expected);
	} else {
		snprintf(msg, sizeof(msg), "unexpected byte 0x%02x, expected %s", *at, expected);
	}
	return fail_at(ps, at, WD_EPARSE, msg);
}

/* ---- value array -------------------------------------------------------- */

static wd_status grow_vals(parser *ps)
{
	wd_json_doc *d = ps->doc;

	if (d->nvals >= ps->lim->max_elements)
		return fail_at(ps, ps->p, WD_ELIMIT, "too many JSON values (over the element limit)");
	if (wd_grow((void **)&d->vals, &d->cap, d->nvals + 1, sizeof(wd_json_val)) != WD_OK)
		return fail_at(ps, ps->p, WD_ENOMEM, "out of memory");
	return WD_OK;
}

static inline wd_json_val *push_val(parser *ps, uint32_t tag, const unsigned char *at)
{
	wd_json_doc *d = ps->doc;
	wd_json_val *v;

	if (d->nvals == d->cap || d->nvals >= ps->lim->max_elements) {
		if (grow_vals(ps) != WD_OK)
			return NULL;
	}
	v = &d->vals[d->nvals++];
	v->tag = tag;
	v->len = 0;
	v->off = (uint32_t)(at - ps->start);
	v->aux = 0;
	return v;
}

/* ---- whitespace ---------------------------------------------------------- */

static inline const unsigned char *skip_ws(const unsigned char *p, const unsigned char *end)
{
	while (p < end) {
		unsigned char c = *p;
		if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
			p++;
			continue;
		}
		break;
	}
	return p;
}

/* ---- UTF-8 ---------------------------------------------------------------- */

/* Validate one multi-byte sequence at p (first byte >= 0x80); return its
 * length, or 0 if invalid. */
static inline size_t utf8_seq(const unsigned char *p, const unsigned char *end)
{
	unsigned char c = p[0];
	size_t avail = (size_t)(end - p);

	if (c >= 0xC2 && c <= 0xDF) {
		if (avail < 2 || (p[1] & 0xC0) != 0x80)
			return 0;
		return 2;
	}
	if (c >= 0xE0 && c <= 0xEF) {
		if (avail < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
			return 0;
		if (c == 0xE0 && p[1] < 0xA0)
			return 0; /* overlong */
		if (c == 0xED && p[1] > 0x9F)
			return 0; /* surrogate */
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (avail < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
		    (p[3] & 0xC0) != 0x80)
			return 0;
		if (c == 0xF0 && p[1] < 0x90)
			return 0; /* overlong */
		if (c == 0xF4 && p[1] > 0x8F)
			return 0; /* past U+10FFFF */
		return 4;
	}
	return 0;
}

/* ---- strings --------------------------------------------------------------- */

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int read_hex4(const unsigned char *p, const unsigned char *end, uint32_t *out)
{
	uint32_t v = 0;
	int i;

	if (end - p < 4)
		return 0;
	for (i = 0; i < 4; i++) {
		int h = hexval(p[i]);
		if (h < 0)
			return 0;
		v = (v << 4) | (uint32_t)h;
	}
	*out = v;
	return 1;
}

static size_t put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/*
 * Slow path: the string starting at content `s` has an escape at `p`.
 * Copy what came before, then unescape the rest into the pool.
 */
static wd_status string_escaped(parser *ps, wd_json_val *v, const unsigned char *s,
                                const unsigned char *p)
{
	wd_json_doc *d = ps->doc;
	const unsigned char *end = ps->end;
	char *o, *ostart;
	size_t lim = ps->lim->max_string_len;

	if (!d->pool) {
		/* unescaped text is never longer than the input */
		d->pool = malloc(d->len + 1);
		if (!d->pool)
			return fail_at(ps, p, WD_ENOMEM, "out of memory");
	}
	ostart = d->pool + d->pool_len;
	memcpy(ostart, s, (size_t)(p - s));
	o = ostart + (p - s);
	for (;;) {
		unsigned char c;

		if (p >= end)
			return fail_at(ps, p, WD_EPARSE, "unterminated string");
		c = *p;
		if (c == '"')
			break;
		if (c == '\\') {
			uint32_t cp;
			if (p + 1 >= end)
				return fail_at(ps, p, WD_EPARSE, "unterminated string");
			switch (p[1]) {
			case '"': *o++ = '"'; p += 2; break;
			case '\\': *o++ = '\\'; p += 2; break;
			case '/': *o++ = '/'; p += 2; break;
			case 'b': *o++ = '\b'; p += 2; break;
			case 'f': *o++ = '\f'; p += 2; break;
			case 'n': *o++ = '\n'; p += 2; break;
			case 'r': *o++ = '\r'; p += 2; break;
			case 't': *o++ = '\t'; p += 2; break;
			case 'u':
				if (!read_hex4(p + 2, end, &cp))
					return fail_at(ps, p, WD_EPARSE,
					               "invalid \\u escape, expected four hex digits");
				if (cp >= 0xDC00 && cp <= 0xDFFF)
					return fail_at(ps, p, WD_EPARSE,
					               "invalid \\u escape: lone low surrogate");
				if (cp >= 0xD800 && cp <= 0xDBFF) {
					uint32_t lo;
					if (end - p < 12 || p[6] != '\\' || p[7] != 'u' ||
					    !read_hex4(p + 8, end, &lo) || lo < 0xDC00 || lo > 0xDFFF)
						return fail_at(ps, p, WD_EPARSE,
						               "invalid \\u escape: high surrogate without a low surrogate");
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					p += 12;
				} else {
					p += 6;
				}
				o += put_utf8(o, cp);
				break;
			default:
				return fail_at(ps, p, WD_EPARSE, "invalid escape in string");
			}
		} else if (c < 0x20) {
			return fail_at(ps, p, WD_EPARSE,
			               "control character in string (must be escaped)");
		} else if (c < 0x80) {
			*o++ = (char)c;
			p++;
		} else {
			size_t n = utf8_seq(p, end);
			if (!n)
				return fail_at(ps, p, WD_EPARSE, "invalid UTF-8 in string");
			memcpy(o, p, n);
			o += n;
			p += n;
		}
		if ((size_t)(o - ostart) > lim)
			return fail_at(ps, p, WD_ELIMIT, "string longer than the string length limit");
	}
	v->tag |= WD_JSON_F_ESCAPED;
	v->len = (uint32_t)(o - ostart);
	v->aux = (uint32_t)d->pool_len;
	d->pool_len += (size_t)(o - ostart);
	ps->p = p + 1;
	return WD_OK;
}

/* Parse a string whose opening quote is at ps->p. */
static inline wd_status parse_string(parser *ps)
{
	const unsigned char *p = ps->p;
	const unsigned char *s = p + 1;
	const unsigned char *end = ps->end;
	wd_json_val *v = push_val(ps, WD_JSON_STRING, p);

	if (!v)
		return ps->status;
	p = s;
	for (;;) {
#if defined(__SSE2__)
		while (end - p >= 16) {
			__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
			__m128i q = _mm_cmpeq_epi8(x, _mm_set1_epi8('"'));
			__m128i b = _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'));
			/* bytes < 0x20 or >= 0x80: signed compare against 0x20 */
			__m128i ctl = _mm_cmplt_epi8(x, _mm_set1_epi8(0x20));
			int m = _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(q, b), ctl));
			if (m) {
				p += __builtin_ctz((unsigned)m);
				goto special;
			}
			p += 16;
		}
#endif
		while (p < end) {
			unsigned char c = *p;
			if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80)
				goto special;
			p++;
		}
		return fail_at(ps, ps->p, WD_EPARSE, "unterminated string");
special:
		if (p >= end)
			return fail_at(ps, ps->p, WD_EPARSE, "unterminated string");
		if (*p == '"') {
			size_t n = (size_t)(p - s);
			if (n > ps->lim->max_string_len)
				return fail_at(ps, ps->p, WD_ELIMIT,
				               "string longer than the string length limit");
			v->len = (uint32_t)n;
			ps->p = p + 1;
			return WD_OK;
		}
		if (*p == '\\')
			return string_escaped(ps, v, s, p);
		if (*p < 0x20)
			return fail_at(ps, p, WD_EPARSE, "control character in string (must be escaped)");
		{
			size_t n = utf8_seq(p, end);
			if (!n)
				return fail_at(ps, p, WD_EPARSE, "invalid UTF-8 in string");
			p += n;
		}
		if ((size_t)(p - s) > ps->lim->max_string_len)
			return fail_at(ps, ps->p, WD_ELIMIT, "string longer than the string length limit");
	}
}

/* ---- numbers and literals ------------------------------------------------ */

static inline int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static wd_status parse_number(parser *ps)
{
	const unsigned char *p = ps->p, *s = p, *end = ps->end;
	wd_json_val *v;

	if (p < end && *p == '-')
		p++;
	if (p >= end || !is_digit(*p))
		return fail_unexpected(ps, p, "a digit");
	if (*p == '0') {
		p++;
		if (p < end && is_digit(*p))
			return fail_at(ps, p, WD_EPARSE, "leading zero in number");
	} else {
		while (p < end && is_digit(*p))
			p++;
	}
	if (p < end && *p == '.') {
		p++;
		if (p >= end || !is_digit(*p))
			return fail_unexpected(ps, p, "a digit after the decimal point");
		while (p < end && is_digit(*p))
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p >= end || !is_digit(*p))
			return fail_unexpected(ps, p, "a digit in the exponent");
		while (p < end && is_digit(*p))
			p++;
	}
	if ((size_t)(p - s) > ps->lim->max_string_len)
		return fail_at(ps, s, WD_ELIMIT, "number longer than the string length limit");
	v = push_val(ps, WD_JSON_NUMBER, s);
	if (!v)
		return ps->status;
	v->len = (uint32_t)(p - s);
	ps->p = p;
	return WD_OK;
}

static wd_status parse_literal(parser *ps)
{
	const unsigned char *p = ps->p;
	size_t avail = (size_t)(ps->end - p);
	uint32_t tag;
	size_t n;

	if (avail >= 4 && memcmp(p, "true", 4) == 0) {
		tag = WD_JSON_TRUE;
		n = 4;
	} else if (avail >= 5 && memcmp(p, "false", 5) == 0) {
		tag = WD_JSON_FALSE;
		n = 5;
	} else if (avail >= 4 && memcmp(p, "null", 4) == 0) {
		tag = WD_JSON_NULL;
		n = 4;
	} else {
		return fail_unexpected(ps, p, "a JSON value");
	}
	if (!push_val(ps, tag, p))
		return ps->status;
	ps->p = p + n;
	return WD_OK;
}

/* ---- containers ------------------------------------------------------------ */

static wd_status open_container(parser *ps, uint32_t tag)
{
	wd_json_val *v;

	if (ps->depth >= ps->lim->max_depth)
		return fail_at(ps, ps->p, WD_ELIMIT, "nesting deeper than the depth limit");
	if (ps->depth == ps->stack_cap) {
		if (wd_grow((void **)&ps->stack, &ps->stack_cap, ps->depth + 1, sizeof(open_ctr)) !=
		    WD_OK)
			return fail_at(ps, ps->p, WD_ENOMEM, "out of memory");
	}
	v = push_val(ps, tag, ps->p);
	if (!v)
		return ps->status;
	ps->stack[ps->depth].idx = (uint32_t)(ps->doc->nvals - 1);
	ps->stack[ps->depth].count = 0;
	ps->depth++;
	ps->p++;
	return WD_OK;
}

static void close_container(parser *ps)
{
	open_ctr *top = &ps->stack[--ps->depth];
	wd_json_val *v = &ps->doc->vals[top->idx];

	v->len = top->count;
	v->aux = (uint32_t)(ps->doc->nvals - top->idx - 1);
	ps->p++;
}

/*
 * The grammar as a loop: parse a value; then, inside a container, expect a
 * separator or the closing bracket; inside an object, a key and a colon
 * before each value.
 */
static wd_status parse_doc(parser *ps)
{
	wd_status rc;
	const unsigned char *end = ps->end;

value:
	ps->p = skip_ws(ps->p, end);
	if (ps->p >= end)
		return fail_unexpected(ps, ps->p, "a JSON value");
	switch (*ps->p) {
	case '{':
		if ((rc = open_container(ps, WD_JSON_OBJECT)) != WD_OK)
			return rc;
		ps->p = skip_ws(ps->p, end);
		if (ps->p < end && *ps->p == '}') {
			close_container(ps);
			goto after_value;
		}
		goto key;
	case '[':
		if ((rc = open_container(ps, WD_JSON_ARRAY)) != WD_OK)
			return rc;
		ps->p = skip_ws(ps->p, end);
		if (ps->p < end && *ps->p == ']') {
			close_container(ps);
			goto after_value;
		}
		ps->stack[ps->depth - 1].count++;
		goto value;
	case '"':
		if ((rc = parse_string(ps)) != WD_OK)
			return rc;
		goto after_value;
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		if ((rc = parse_number(ps)) != WD_OK)
			return rc;
		goto after_value;
	default:
		if ((rc = parse_literal(ps)) != WD_OK)
			return rc;
		goto after_value;
	}

key:
	/* ps->p is at the first non-space byte where a key must start */
	if (ps->p >= end || *ps->p != '"')
		return fail_unexpected(ps, ps->p, "a string key");
	if ((rc = parse_string(ps)) != WD_OK)
		return rc;
	ps->p = skip_ws(ps->p, end);
	if (ps->p >= end || *ps->p != ':')
		return fail_unexpected(ps, ps->p, "':' after the object key");
	ps->p++;
	ps->stack[ps->depth - 1].count++;
	goto value;

after_value:
	if (ps->depth == 0)
		return WD_OK;
	ps->p = skip_ws(ps->p, end);
	if (ps->p >= end)
		return fail_unexpected(ps, ps->p,
		                       (ps->doc->vals[ps->stack[ps->depth - 1].idx].tag ==
		                        WD_JSON_OBJECT) ? "',' or '}'" : "',' or ']'");
	if (ps->doc->vals[ps->stack[ps->depth - 1].idx].tag == WD_JSON_OBJECT) {
		if (*ps->p == ',') {
			ps->p = skip_ws(ps->p + 1, end);
			goto key;
		}
		if (*ps->p == '}') {
			close_container(ps);
			goto after_value;
		}
		return fail_unexpected(ps, ps->p, "',' or '}'");
	}
	if (*ps->p == ',') {
		ps->p++;
		ps->stack[ps->depth - 1].count++;
		goto value;
	}
	if (*ps->p == ']') {
		close_container(ps);
		goto after_value;
	}
	return fail_unexpected(ps, ps->p, "',' or ']'");
}

/* ---- public: parse ---------------------------------------------------------- */

static wd_status parse_into(wd_json_doc *d, const wd_limits *lim_in, wd_error *err)
{
	wd_limits lim = lim_in ? *lim_in : wd_limits_default();
	parser ps;
	wd_status rc;
	size_t skip = 0;

	wd_limits_resolve(&lim);
	wd_error_clear(err);
	if (d->len > lim.max_file_size)
		return wd_error_set(err, WD_ELIMIT, "input is %zu bytes, over the limit of %llu", d->len,
		                    (unsigned long long)lim.max_file_size);
	if (d->len >= UINT32_MAX)
		return wd_error_set(err, WD_ELIMIT, "input of 4 GiB or more is not supported");
	if (d->len >= 3 && memcmp(d->in, "\xEF\xBB\xBF", 3) == 0)
		skip = 3;
	/* a first guess from typical exports; grows by doubling */
	d->cap = d->len / 12 + 16;
	if (d->cap > lim.max_elements + 1)
		d->cap = lim.max_elements + 1;
	d->vals = malloc(d->cap * sizeof(wd_json_val));
	if (!d->vals)
		return wd_error_set(err, WD_ENOMEM, "out of memory");

	memset(&ps, 0, sizeof(ps));
	ps.start = (const unsigned char *)d->in;
	ps.p = ps.start + skip;
	ps.end = ps.start + d->len;
	ps.doc = d;
	ps.lim = &lim;
	ps.err = err;
	rc = parse_doc(&ps);
	free(ps.stack);
	if (rc != WD_OK)
		return rc;
	ps.p = skip_ws(ps.p, ps.end);
	if (ps.p != ps.end)
		return fail_unexpected(&ps, ps.p, "end of input after the JSON value");
	return WD_OK;
}

static wd_json_doc *doc_new(const char *data, size_t len, char *owned)
{
	wd_json_doc *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->in = data;
	d->len = len;
	d->owned = owned;
	return d;
}

wd_status wd_json_parse(wd_json_doc **out, const char *data, size_t len, const wd_limits *lim,
                        wd_error *err)
{
	wd_json_doc *d;
	wd_status rc;

	*out = NULL;
	if (!data && len)
		return wd_error_set(err, WD_EINVAL, "no input");
	d = doc_new(data ? data : "", len, NULL);
	if (!d)
		return wd_error_set(err, WD_ENOMEM, "out of memory");
	rc = parse_into(d, lim, err);
	if (rc != WD_OK) {
		wd_json_free(d);
		return rc;
	}
	*out = d;
	return WD_OK;
}

wd_status wd_json_parse_owned(wd_json_doc **out, char *data, size_t len, const wd_limits *lim,
                              wd_error *err)
{
	wd_json_doc *d;
	wd_status rc;

	*out = NULL;
	d = doc_new(data ? data : "", len, data);
	if (!d) {
		free(data);
		return wd_error_set(err, WD_ENOMEM, "out of memory");
	}
	rc = parse_into(d, lim, err);
	if (rc != WD_OK) {
		wd_json_free(d);
		return rc;
	}
	*out = d;
	return WD_OK;
}

wd_status wd_json_parse_file(wd_json_doc **out, const char *path, const wd_limits *lim_in,
                             wd_error *err)
{
	wd_limits lim = lim_in ? *lim_in : wd_limits_default();
	char *data;
	size_t len;
	wd_status rc;

	*out = NULL;
	wd_limits_resolve(&lim);
	rc = wd_read_file(path, lim.max_file_size, &data, &len, err);
	if (rc != WD_OK)
		return rc;
	return wd_json_parse_owned(out, data, len, &lim, err);
}

void wd_json_free(wd_json_doc *doc)
{
	if (!doc)
		return;
	free(doc->owned);
	free(doc->vals);
	free(doc->pool);
	free(doc->lines);
	free(doc);
}

/* ---- public: access ----------------------------------------------------------- */

const wd_json_val *wd_json_root(const wd_json_doc *doc)
{
	return doc && doc->nvals ? &doc->vals[0] : NULL;
}

const char *wd_json_input(const wd_json_doc *doc, size_t *len)
{
	if (len)
		*len = doc->len;
	return doc->in;
}

size_t wd_json_count(const wd_json_doc *doc)
{
	return doc->nvals;
}

wd_str wd_json_str(const wd_json_doc *doc, const wd_json_val *v)
{
	if (!wd_json_is_str(v))
		return WD_STR_NULL;
	if (v->tag & WD_JSON_F_ESCAPED)
		return wd_str_make(doc->pool + v->aux, v->len);
	return wd_str_make(doc->in + v->off + 1, v->len);
}

wd_str wd_json_num_text(const wd_json_doc *doc, const wd_json_val *v)
{
	if (wd_json_typeof(v) != WD_JSON_NUMBER)
		return WD_STR_NULL;
	return wd_str_make(doc->in + v->off, v->len);
}

wd_status wd_json_num(const wd_json_doc *doc, const wd_json_val *v, double *out)
{
	char tmp[64], *endp;
	wd_str t = wd_json_num_text(doc, v);

	if (!t.ptr)
		return WD_EINVAL;
	if (t.len >= sizeof(tmp)) {
		/* very long numbers: strtod on a heap copy */
		char *h = malloc(t.len + 1);
		if (!h)
			return WD_ENOMEM;
		memcpy(h, t.ptr, t.len);
		h[t.len] = '\0';
		*out = strtod(h, &endp);
		free(h);
		return WD_OK;
	}
	memcpy(tmp, t.ptr, t.len);
	tmp[t.len] = '\0';
	*out = strtod(tmp, &endp);
	return WD_OK;
}

wd_status wd_json_int(const wd_json_doc *doc, const wd_json_val *v, int64_t *out)
{
	char tmp[32], *endp;
	wd_str t = wd_json_num_text(doc, v);
	long long n;

	if (!t.ptr || t.len >= sizeof(tmp))
		return WD_EINVAL;
	memcpy(tmp, t.ptr, t.len);
	tmp[t.len] = '\0';
	errno = 0;
	n = strtoll(tmp, &endp, 10);
	if (*endp != '\0' || errno == ERANGE)
		return WD_EINVAL;
	*out = n;
	return WD_OK;
}

const wd_json_val *wd_json_get_n(const wd_json_doc *doc, const wd_json_val *obj,
                                 const char *key, size_t keylen)
{
	const wd_json_val *k, *v, *found = NULL;
	size_t i;

	if (!wd_json_is_obj(obj))
		return NULL;
	WD_JSON_OBJ_FOREACH(obj, i, k, v)
	{
		if (k->len == keylen) {
			wd_str ks = wd_json_str(doc, k);
			if (keylen == 0 || memcmp(ks.ptr, key, keylen) == 0)
				found = v;
		}
	}
	return found;
}

const wd_json_val *wd_json_get(const wd_json_doc *doc, const wd_json_val *obj, const char *key)
{
	return wd_json_get_n(doc, obj, key, strlen(key));
}

const wd_json_val *wd_json_at(const wd_json_val *arr, size_t i)
{
	const wd_json_val *e;
	size_t j;

	if (!wd_json_is_arr(arr) || i >= arr->len)
		return NULL;
	e = wd_json_first(arr);
	for (j = 0; j < i; j++)
		e = wd_json_skip(e);
	return e;
}

wd_str wd_json_get_str(const wd_json_doc *doc, const wd_json_val *obj, const char *key)
{
	return wd_json_str(doc, wd_json_get(doc, obj, key));
}

int wd_json_get_bool(const wd_json_doc *doc, const wd_json_val *obj, const char *key, int dflt)
{
	const wd_json_val *v = wd_json_get(doc, obj, key);

	if (!v)
		return 0;
	if (wd_json_is_true(v))
		return 1;
	if (wd_json_is_false(v))
		return 0;
	return dflt;
}

size_t wd_json_index(const wd_json_doc *doc, const wd_json_val *v)
{
	return (size_t)(v - doc->vals);
}

const wd_json_val *wd_json_by_index(const wd_json_doc *doc, size_t idx)
{
	return idx < doc->nvals ? &doc->vals[idx] : NULL;
}

/* ---- positions ------------------------------------------------------------------ */

static wd_status build_lines(wd_json_doc *doc)
{
	size_t n = 1, cap;
	const char *p, *end = doc->in + doc->len;

	if (doc->lines)
		return WD_OK;
	for (p = doc->in; p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
		n++;
	cap = n;
	doc->lines = malloc(cap * sizeof(uint32_t));
	if (!doc->lines)
		return WD_ENOMEM;
	doc->lines[0] = 0;
	n = 1;
	for (p = doc->in; p < end && n < cap && (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
		doc->lines[n++] = (uint32_t)(p - doc->in + 1);
	doc->nlines = n;
	return WD_OK;
}

/* Code points in in[from, to): bytes minus UTF-8 continuation bytes. */
static uint32_t count_chars(const char *in, size_t from, size_t to)
{
	size_t i = from;
	uint32_t n = (uint32_t)(to - from);

	for (; i + 8 <= to; i += 8) {
		uint64_t x;
		memcpy(&x, in + i, 8);
		x = x & ~(x << 1) & 0x8080808080808080ULL;
		/* at most one bit per byte: sum the bytes with a multiply */
		n -= (uint32_t)(((x >> 7) * 0x0101010101010101ULL) >> 56);
	}
	for (; i < to; i++)
		if (((unsigned char)in[i] & 0xC0) == 0x80)
			n--;
	return n;
}

wd_status wd_json_offset_position(wd_json_doc *doc, size_t offset, uint32_t *line,
                                  uint32_t *column)
{
	size_t lo = 0, hi;
	uint32_t col;

	if (build_lines(doc) != WD_OK)
		return WD_ENOMEM;
	if (offset > doc->len)
		offset = doc->len;
	hi = doc->nlines;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (doc->lines[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	/* queries in document order on one long line continue where the last stopped */
	if (doc->last_col && doc->last_line == lo && doc->last_off <= offset)
		col = doc->last_col + count_chars(doc->in, doc->last_off, offset);
	else
		col = 1 + count_chars(doc->in, doc->lines[lo], offset);
	doc->last_off = offset;
	doc->last_line = lo;
	doc->last_col = col;
	/* a BOM is not a character the user sees */
	if (lo == 0 && doc->len >= 3 && memcmp(doc->in, "\xEF\xBB\xBF", 3) == 0 && offset >= 3)
		col--;
	*line = (uint32_t)lo + 1;
	*column = col;
	return WD_OK;
}

wd_status wd_json_position(wd_json_doc *doc, const wd_json_val *v, uint32_t *line,
                           uint32_t *column)
{
	return wd_json_offset_position(doc, v->off, line, column);
}

static void pointer_escape(wd_buf *out, wd_str s)
{
	size_t i;

	for (i = 0; i < s.len; i++) {
		if (s.ptr[i] == '~')
			wd_buf_puts(out, "~0");
		else if (s.ptr[i] == '/')
			wd_buf_puts(out, "~1");
		else
			wd_buf_putc(out, s.ptr[i]);
	}
}

void wd_json_pointer(const wd_json_doc *doc, const wd_json_val *v, wd_buf *out)
{
	/* the resume cache is not part of the document's value: a const
	 * document may update it (documents are never shared between threads) */
	wd_json_doc *cache = (wd_json_doc *)(uintptr_t)doc;
	const wd_json_val *cur = wd_json_root(doc);
	size_t target = wd_json_index(doc, v), depth = 0;
	int reuse = 1;

	while (cur && cur != v && wd_json_is_container(cur)) {
		size_t i = 0, ci = wd_json_index(doc, cur);
		const wd_json_val *child = NULL, *e;
		struct ptr_step *st = depth < 32 ? &cache->ptr_path[depth] : NULL;

		if (target <= ci || target > ci + cur->aux)
			break; /* not inside: v is not in this document */
		e = wd_json_first(cur);
		/* resume from the child the previous query took at this level, when
		 * it is the same container and the target is not before that child */
		reuse = reuse && st && depth < cache->ptr_depth && st->ci == ci &&
		        st->child <= target;
		if (reuse) {
			e = &doc->vals[st->child];
			i = st->ord;
		}
		if (wd_json_is_arr(cur)) {
			for (; i < wd_json_size(cur); i++, e = wd_json_skip(e)) {
				size_t ei = wd_json_index(doc, e);
				size_t span = wd_json_is_container(e) ? e->aux : 0;
				if (target >= ei && target <= ei + span) {
					wd_buf_printf(out, "/%zu", i);
					child = e;
					break;
				}
			}
		} else {
			for (; i < wd_json_size(cur); i++, e = wd_json_skip(e + 1)) {
				const wd_json_val *val = e + 1;
				size_t ki = wd_json_index(doc, e);
				size_t span = wd_json_is_container(val) ? val->aux : 0;
				if (target >= ki && target <= ki + 1 + span) {
					wd_buf_putc(out, '/');
					pointer_escape(out, wd_json_str(doc, e));
					/* a key itself is addressed by its member's pointer */
					child = (target == ki) ? v : val;
					break;
				}
			}
		}
		if (!child)
			break;
		if (st) {
			if (!reuse || st->child != wd_json_index(doc, e))
				reuse = 0; /* deeper cached steps belong to another child */
			st->ci = ci;
			st->child = wd_json_index(doc, e);
			st->ord = i;
			cache->ptr_depth = depth + 1;
		}
		depth++;
		cur = child;
	}
}

void wd_json_error_at(wd_json_doc *doc, const wd_json_val *v, wd_error *err)
{
	wd_buf ptr;

	if (!err || !v)
		return;
	wd_buf_init(&ptr, 1u << 20);
	wd_json_pointer(doc, v, &ptr);
	if (!wd_buf_failed(&ptr)) {
		size_t n = ptr.len < WD_ERROR_PTR_MAX - 1 ? ptr.len : WD_ERROR_PTR_MAX - 1;
		memcpy(err->pointer, wd_buf_cstr(&ptr), n);
		err->pointer[n] = '\0';
	}
	wd_buf_release(&ptr);
	err->offset = v->off;
	if (wd_json_position(doc, v, &err->line, &err->column) != WD_OK)
		err->line = err->column = 0;
}
