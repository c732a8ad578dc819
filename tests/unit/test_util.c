/*
 * test_util.c - the hash multimap, slices, SHA-256 (hardware and portable
 * paths agree), redaction-free helpers of util.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "warden/util.h"

static void test_hmap(void **state)
{
	wd_hmap h = WD_HMAP_INIT;
	size_t slot, i;
	uint32_t v, seen = 0;

	(void)state;
	slot = WD_HMAP_START;
	assert_int_equal(wd_hmap_next(&h, 7, &slot), UINT32_MAX);
	for (i = 0; i < 10000; i++)
		assert_int_equal(wd_hmap_put(&h, (uint64_t)i * 0x9E3779B97F4A7C15ULL, (uint32_t)i), WD_OK);
	/* equal keys come back in insertion order, across growth */
	assert_int_equal(wd_hmap_put(&h, 42, 100001), WD_OK);
	assert_int_equal(wd_hmap_put(&h, 42, 100002), WD_OK);
	assert_int_equal(wd_hmap_put(&h, 42, 100003), WD_OK);
	slot = WD_HMAP_START;
	assert_int_equal(wd_hmap_next(&h, 42, &slot), 100001);
	assert_int_equal(wd_hmap_next(&h, 42, &slot), 100002);
	assert_int_equal(wd_hmap_next(&h, 42, &slot), 100003);
	assert_int_equal(wd_hmap_next(&h, 42, &slot), UINT32_MAX);
	for (i = 0; i < 10000; i += 97) {
		slot = WD_HMAP_START;
		v = wd_hmap_next(&h, (uint64_t)i * 0x9E3779B97F4A7C15ULL, &slot);
		assert_int_equal(v, i);
		seen++;
	}
	assert_true(seen > 100);
	assert_true(h.n * 2 <= h.cap);
	wd_hmap_release(&h);
	assert_int_equal(h.cap, 0);
}

/* Equal keys keep insertion order even when their probe chain wraps past
 * the end of the table while it grows (found by the archive fuzzer). */
static void test_hmap_order_wraps(void **state)
{
	wd_hmap h = WD_HMAP_INIT;
	uint64_t key;
	size_t slot;
	uint32_t i, v;

	(void)state;
	/* a key whose (mixed) home slot is the last one of the first table (64 slots) */
	key = 61ULL;
	for (i = 0; i < 200; i++)
		assert_int_equal(wd_hmap_put(&h, key, i), WD_OK);
	slot = WD_HMAP_START;
	for (i = 0; i < 200; i++) {
		v = wd_hmap_next(&h, key, &slot);
		assert_int_equal(v, i);
	}
	assert_int_equal(wd_hmap_next(&h, key, &slot), UINT32_MAX);
	wd_hmap_release(&h);
}

static void test_sha256(void **state)
{
	static const char *abc_hex =
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
	uint8_t a[32], b[32], buf[1000];
	char hex[65];
	size_t n;

	(void)state;
	wd_sha256("abc", 3, a);
	wd_hex(a, 32, hex);
	assert_string_equal(hex, abc_hex);
	for (n = 0; n < sizeof(buf); n++)
		buf[n] = (uint8_t)(n * 131 + 7);
	for (n = 0; n <= sizeof(buf); n++) {
		wd_sha256(buf, n, a);
		wd_sha256_portable(buf, n, b);
		assert_memory_equal(a, b, 32);
	}
}

static void test_slices(void **state)
{
	wd_str s = wd_str_c("Authorization: Bearer x");

	(void)state;
	assert_true(wd_str_starts_with(s, "Auth"));
	assert_true(wd_str_ends_with(s, " x"));
	assert_false(wd_str_ends_with(wd_str_c("x"), "xx"));
	assert_int_equal(wd_str_find(s, "Bearer"), 15);
	assert_int_equal(wd_str_find(s, "bearer"), -1);
	assert_int_equal(wd_str_find_ci(s, "bearer"), 15);
	assert_int_equal(wd_str_find(wd_str_c("ab"), "abc"), -1);
	assert_true(wd_str_eq_c(WD_STR_NULL, ""));
}

static void test_base64(void **state)
{
	unsigned char out[64];
	size_t n = 0;

	(void)state;
	assert_true(wd_base64_decode("dXNlcjpwYXNz", 12, out, sizeof(out), &n)); /* user:pass */
	assert_int_equal(n, 9);
	assert_memory_equal(out, "user:pass", 9);
	assert_true(wd_base64_decode("eyJhbGciOiJIUzI1NiJ9", 20, out, sizeof(out), &n));
	assert_memory_equal(out, "{\"alg\":\"HS256\"}", n);
	assert_true(wd_base64_decode("-_8=", 4, out, sizeof(out), &n)); /* url alphabet, padded */
	assert_int_equal(n, 2);
	assert_false(wd_base64_decode("a", 1, out, sizeof(out), &n));       /* impossible length */
	assert_false(wd_base64_decode("ab*d", 4, out, sizeof(out), &n));    /* bad character */
	assert_false(wd_base64_decode("dXNlcjpwYXNz", 12, out, 4, &n));     /* does not fit */
}

static void test_arena_adopt(void **state)
{
	wd_arena a, b;
	char *p, *q;

	(void)state;
	wd_arena_init(&a, 1024);
	wd_arena_init(&b, 1024);
	p = wd_arena_strndup(&a, "first", 5);
	q = wd_arena_strndup(&b, "second", 6);
	assert_non_null(wd_arena_alloc(&b, 5000)); /* a chunk of its own */
	wd_arena_adopt(&a, &b);
	assert_null(b.head);
	assert_string_equal(p, "first");
	assert_string_equal(q, "second");
	wd_arena_release(&b);
	wd_arena_release(&a); /* frees both; ASan checks */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hmap),
		cmocka_unit_test(test_hmap_order_wraps),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_slices),
		cmocka_unit_test(test_arena_adopt),
		cmocka_unit_test(test_base64),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
