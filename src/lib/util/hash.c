/*
 * util/hash.c - non-cryptographic hashing for tables, SHA-256 for identity.
 *
 * libsodium enters libwarden here and nowhere else (SHA-256 today; Ed25519
 * signatures for the ledger later). Content hashes of every app are taken on
 * every scan, and libsodium's portable SHA-256 (~66 instructions a byte) was
 * half of a corpus scan, so on x86-64 CPUs with the SHA extensions the
 * compression function runs on SHA-NI instead (detected at run time; the
 * test suite checks both paths against libsodium).
 */
#include <string.h>

#include <sodium.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define WD_HAVE_SHANI 1
#include <cpuid.h>
#include <immintrin.h>
#endif

#include "warden/util.h"

uint64_t wd_hash64(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ULL ^ seed;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

#ifdef WD_HAVE_SHANI
static const uint32_t K256[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
	0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
	0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
	0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
	0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
	0xc67178f2};

/* Compress nblocks 64-byte blocks into state[8] with the SHA extensions. */
__attribute__((target("sha,sse4.1"))) static void sha256_blocks_shani(uint32_t state[8],
                                                                       const uint8_t *p,
                                                                       size_t nblocks)
{
	const __m128i shuf = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
	__m128i st0, st1, tmp, msg, m0, m1, m2, m3, save0, save1;
	int r;

	/* state as ABEF / CDGH */
	tmp = _mm_loadu_si128((const __m128i *)(const void *)&state[0]);
	st1 = _mm_loadu_si128((const __m128i *)(const void *)&state[4]);
	tmp = _mm_shuffle_epi32(tmp, 0xB1);
	st1 = _mm_shuffle_epi32(st1, 0x1B);
	st0 = _mm_alignr_epi8(tmp, st1, 8);
	st1 = _mm_blend_epi16(st1, tmp, 0xF0);

	while (nblocks--) {
		__m128i w[4];
		save0 = st0;
		save1 = st1;
		m0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 0)), shuf);
		m1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16)), shuf);
		m2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 32)), shuf);
		m3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 48)), shuf);
		w[0] = m0;
		w[1] = m1;
		w[2] = m2;
		w[3] = m3;
		for (r = 0; r < 16; r++) {
			__m128i cur = w[r & 3];
			msg = _mm_add_epi32(cur, _mm_loadu_si128((const __m128i *)(const void *)&K256[4 * r]));
			st1 = _mm_sha256rnds2_epu32(st1, st0, msg);
			msg = _mm_shuffle_epi32(msg, 0x0E);
			st0 = _mm_sha256rnds2_epu32(st0, st1, msg);
			if (r < 12) {
				/* schedule w[r+4] = f(w[r], w[r+1], w[r+2], w[r+3]) */
				__m128i next = _mm_sha256msg1_epu32(w[r & 3], w[(r + 1) & 3]);
				next = _mm_add_epi32(next, _mm_alignr_epi8(w[(r + 3) & 3], w[(r + 2) & 3], 4));
				next = _mm_sha256msg2_epu32(next, w[(r + 3) & 3]);
				w[r & 3] = next;
			}
		}
		st0 = _mm_add_epi32(st0, save0);
		st1 = _mm_add_epi32(st1, save1);
		p += 64;
	}
	tmp = _mm_shuffle_epi32(st0, 0x1B);
	st1 = _mm_shuffle_epi32(st1, 0xB1);
	st0 = _mm_blend_epi16(tmp, st1, 0xF0);
	st1 = _mm_alignr_epi8(st1, tmp, 8);
	_mm_storeu_si128((__m128i *)(void *)&state[0], st0);
	_mm_storeu_si128((__m128i *)(void *)&state[4], st1);
}

static int have_shani(void)
{
	static int cached = -1;
	unsigned a, b, c, d;

	if (cached >= 0)
		return cached;
	cached = 0;
	if (__get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 29)) &&
	    __get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 19)) && (c & (1u << 9)))
		cached = 1;
	return cached;
}

static void sha256_shani(const uint8_t *data, size_t n, uint8_t out[32])
{
	uint32_t st[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	                  0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
	uint8_t tail[128];
	size_t full = n / 64, rest = n % 64, tl, i;
	uint64_t bits = (uint64_t)n * 8;

	sha256_blocks_shani(st, data, full);
	memset(tail, 0, sizeof(tail));
	if (rest)
		memcpy(tail, data + full * 64, rest);
	tail[rest] = 0x80;
	tl = rest + 1 + 8 <= 64 ? 64 : 128;
	for (i = 0; i < 8; i++)
		tail[tl - 1 - i] = (uint8_t)(bits >> (8 * i));
	sha256_blocks_shani(st, tail, tl / 64);
	for (i = 0; i < 8; i++) {
		out[4 * i] = (uint8_t)(st[i] >> 24);
		out[4 * i + 1] = (uint8_t)(st[i] >> 16);
		out[4 * i + 2] = (uint8_t)(st[i] >> 8);
		out[4 * i + 3] = (uint8_t)st[i];
	}
}
#endif

void wd_sha256_portable(const void *data, size_t n, uint8_t out[32])
{
	crypto_hash_sha256(out, data, (unsigned long long)n);
}

void wd_sha256(const void *data, size_t n, uint8_t out[32])
{
#ifdef WD_HAVE_SHANI
	if (have_shani()) {
		sha256_shani(data, n, out);
		return;
	}
#endif
	wd_sha256_portable(data, n, out);
}

void wd_hex(const uint8_t *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}
