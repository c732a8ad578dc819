/*
 * util/buf.c - growable byte buffer with a hard maximum (curl dynbuf style).
 *
 * Invariant: data is NULL or NUL-terminated at data[len]. After a failed
 * append the buffer keeps what it had and ignores later appends.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "warden/util.h"

void wd_buf_init(wd_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max ? max : WD_BUF_DEFAULT_MAX;
	b->failed = 0;
}

void wd_buf_release(wd_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->failed = 0;
}

void wd_buf_reset(wd_buf *b)
{
	b->len = 0;
	b->failed = 0;
	if (b->data)
		b->data[0] = '\0';
}

static int reserve(wd_buf *b, size_t n)
{
	size_t need, cap;
	char *p;

	if (b->failed)
		return 0;
	if (n > b->max || b->len > b->max - n) {
		b->failed = 1;
		return 0;
	}
	need = b->len + n + 1;
	if (need <= b->cap)
		return 1;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	p = realloc(b->data, cap);
	if (!p) {
		b->failed = 1;
		return 0;
	}
	b->data = p;
	b->cap = cap;
	return 1;
}

void wd_buf_put(wd_buf *b, const void *p, size_t n)
{
	if (!reserve(b, n))
		return;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void wd_buf_puts(wd_buf *b, const char *s)
{
	wd_buf_put(b, s, strlen(s));
}

void wd_buf_putc(wd_buf *b, char c)
{
	wd_buf_put(b, &c, 1);
}

void wd_buf_put_str(wd_buf *b, wd_str s)
{
	wd_buf_put(b, s.ptr, s.len);
}

void wd_buf_vprintf(wd_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		b->failed = 1;
		return;
	}
	if (!reserve(b, (size_t)n))
		return;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void wd_buf_printf(wd_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	wd_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

int wd_buf_failed(const wd_buf *b)
{
	return b->failed;
}

const char *wd_buf_cstr(const wd_buf *b)
{
	return b->data ? b->data : "";
}

wd_status wd_grow(void **items, size_t *cap, size_t need, size_t elem_size)
{
	size_t ncap;
	void *p;

	if (need <= *cap)
		return WD_OK;
	ncap = *cap ? *cap : 8;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			return WD_ENOMEM;
		ncap *= 2;
	}
	if (elem_size && ncap > SIZE_MAX / elem_size)
		return WD_ENOMEM;
	p = realloc(*items, ncap * elem_size);
	if (!p)
		return WD_ENOMEM;
	*items = p;
	*cap = ncap;
	return WD_OK;
}

void wd_redact(wd_str s, wd_buf *out)
{
	size_t keep = s.len >= 16 ? 4 : s.len >= 8 ? 2 : 0;
	size_t i;

	/* never cut a UTF-8 sequence in half */
	while (keep > 0 && keep < s.len && ((unsigned char)s.ptr[keep] & 0xC0) == 0x80)
		keep--;
	for (i = 0; i < keep; i++)
		wd_buf_putc(out, s.ptr[i]);
	wd_buf_puts(out, "****");
}
