/*
 * fuzz_detect.c - the secrets matcher on arbitrary bytes.
 *
 * The input is split at its first 0x00 byte: what comes before is the member
 * name (the key that selects keyed rules such as "password"), what comes
 * after is the value; without a 0x00 the whole input is the value and the
 * name is empty. The value is scanned with the embedded rules
 * (wd_detector_default) and one scratch kept for the whole run. Every hit
 * must lie inside the value, be non-empty, name a rule, a family and a
 * provider string, carry a confidence in 0..100, and arrive in text order.
 * The validators are also run on the whole value. Any crash, sanitizer
 * report, hang or failed check (abort) is a bug.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "warden/detect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct check {
	size_t len;
	size_t last_start;
	size_t hits;
} check;

static int on_hit(void *ud, const wd_secret_hit *h)
{
	check *c = ud;

	if (h->start >= h->end || h->end > c->len || h->start < c->last_start || !h->rule_id ||
	    !h->rule_id[0] || !h->family || !h->provider || h->confidence < 0 ||
	    h->confidence > 100 || h->severity < 0 || h->severity > 4)
		abort();
	c->last_start = h->start;
	c->hits++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static wd_detect_scratch *s;
	const wd_detector *d = wd_detector_default();
	const char *p = (const char *)data;
	const uint8_t *nul = memchr(data, 0, size);
	wd_str key = WD_STR_NULL, text = wd_str_make(p, size);
	check c = {0, 0, 0};

	if (!d)
		abort(); /* the embedded rules must always compile */
	if (!s && wd_detect_scratch_new(d, &s, NULL) != WD_OK)
		abort();
	if (nul) {
		key = wd_str_make(p, (size_t)(nul - data));
		text = wd_str_make((const char *)nul + 1, size - (size_t)(nul - data) - 1);
	}
	c.len = text.len;
	if (wd_detect_secrets(d, s, text, key, on_hit, &c) != WD_OK)
		abort();
	(void)wd_entropy(text);
	(void)wd_luhn_ok(text);
	(void)wd_iban_ok(text);
	(void)wd_github_token_ok(text);
	(void)wd_jwt_ok(text);
	(void)wd_placeholder(text);
	return 0;
}
