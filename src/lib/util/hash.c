/*
 * util/hash.c - non-cryptographic hashing for tables, SHA-256 for identity.
 *
 * libsodium enters libwarden here and nowhere else (SHA-256 today; Ed25519
 * signatures for the ledger later).
 */
#include <sodium.h>

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

void wd_sha256(const void *data, size_t n, uint8_t out[32])
{
	crypto_hash_sha256(out, data, (unsigned long long)n);
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
