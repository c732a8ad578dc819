/*
 * util/base64.c - the one base64 decoder (JWT parts, Basic-auth headers).
 *
 * Accepts both alphabets because exports mix them (base64url in JWTs,
 * standard base64 in Authorization headers); never writes past cap.
 */
#include "warden/util.h"

static int b64_val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

int wd_base64_decode(const char *p, size_t n, unsigned char *out, size_t cap, size_t *outlen)
{
	uint32_t acc = 0;
	size_t i, o = 0;
	int bits = 0;

	while (n > 0 && p[n - 1] == '=')
		n--;
	if (n % 4 == 1)
		return 0; /* no encoder produces that */
	for (i = 0; i < n; i++) {
		int v = b64_val(p[i]);
		if (v < 0)
			return 0;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o == cap)
				return 0;
			out[o++] = (unsigned char)(acc >> bits);
		}
	}
	*outlen = o;
	return 1;
}
