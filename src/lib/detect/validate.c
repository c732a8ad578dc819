/*
 * detect/validate.c - measures and validators that confirm a secret candidate.
 *
 * The matcher (detect/matcher.c) finds candidates by pattern; the functions
 * here decide whether a candidate is real: Shannon entropy over the secret,
 * checksums where the format has one (GitHub token CRC32, Luhn for cards,
 * ISO 13616 mod-97 for IBANs), JWT structure (base64url parts, a JSON header
 * with "alg", a JSON object as claims), and placeholder / template / expression
 * recognition (YOUR_API_KEY, xxxx, <token>, ={{ $env.X }}, @parameters('x'),
 * [parameters('x')], ${VAR}, variable names such as MY_API_KEY).
 *
 * Every function is pure, allocation-free except wd_jwt_ok (which parses the
 * decoded header with Warden's JSON reader), bounded by its input length, and
 * safe on arbitrary bytes (NUL, invalid UTF-8).
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "warden/detect.h"
#include "warden/json.h"

/* Decoded JWT parts larger than these are not inspected (header) or are
 * accepted without looking (claims): real ones are far smaller. */
#define JWT_HEADER_MAX 1024
#define JWT_CLAIMS_MAX 8192

double wd_entropy(wd_str s)
{
	size_t counts[256];
	size_t i;
	double h = 0.0, n = (double)s.len;

	if (s.len == 0)
		return 0.0;
	memset(counts, 0, sizeof(counts));
	for (i = 0; i < s.len; i++)
		counts[(unsigned char)s.ptr[i]]++;
	for (i = 0; i < 256; i++) {
		if (counts[i]) {
			double p = (double)counts[i] / n;
			h -= p * log2(p);
		}
	}
	return h;
}

int wd_luhn_ok(wd_str digits)
{
	size_t i, n = 0;
	unsigned sum = 0;
	int dbl = 0;

	/* from the right: double every second digit */
	for (i = digits.len; i > 0; i--) {
		char c = digits.ptr[i - 1];
		unsigned d;
		if (c == ' ' || c == '-')
			continue;
		if (c < '0' || c > '9')
			return 0;
		d = (unsigned)(c - '0');
		if (dbl) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
		dbl = !dbl;
		n++;
	}
	return n >= 12 && n <= 19 && sum % 10 == 0;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static int is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static int is_alnum(char c)
{
	return is_digit(c) || is_upper(c) || is_lower(c);
}

static char to_upper(char c)
{
	return is_lower(c) ? (char)(c - 'a' + 'A') : c;
}

/* mod 97 of the running number extended by one character (A=10 ... Z=35) */
static unsigned mod97_push(unsigned r, char c)
{
	if (is_digit(c))
		return (r * 10 + (unsigned)(c - '0')) % 97;
	return (r * 100 + (unsigned)(to_upper(c) - 'A' + 10)) % 97;
}

int wd_iban_ok(wd_str iban)
{
	char buf[34];
	size_t i, n = 0;
	unsigned r = 0;

	for (i = 0; i < iban.len; i++) {
		char c = iban.ptr[i];
		if (c == ' ')
			continue;
		if (!is_alnum(c) || n == sizeof(buf))
			return 0;
		buf[n++] = c;
	}
	if (n < 15 || !is_upper(to_upper(buf[0])) || !is_upper(to_upper(buf[1])) ||
	    !is_digit(buf[2]) || !is_digit(buf[3]))
		return 0;
	/* ISO 7064 mod 97-10: the first four characters move to the end */
	for (i = 4; i < n; i++)
		r = mod97_push(r, buf[i]);
	for (i = 0; i < 4; i++)
		r = mod97_push(r, buf[i]);
	return r == 1;
}

/* CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), bitwise: the
 * inputs are 30 bytes, so a table would cost more than it saves. */
static uint32_t crc32_ieee(const char *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		c ^= (unsigned char)p[i];
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
	}
	return c ^ 0xFFFFFFFFu;
}

/* base62 digit value, alphabet 0-9 A-Z a-z; -1 for anything else */
static int b62_val(char c)
{
	if (is_digit(c))
		return c - '0';
	if (is_upper(c))
		return c - 'A' + 10;
	if (is_lower(c))
		return c - 'a' + 36;
	return -1;
}

/*
 * GitHub's token format (github.blog, "Behind GitHub's new authentication
 * token formats", 2021): a 4-character prefix (ghp_ gho_ ghu_ ghs_ ghr_), 30
 * random base62 characters, then the CRC32 of those 30 characters written in
 * base62 and left-padded with '0' to 6 characters.
 */
int wd_github_token_ok(wd_str t)
{
	uint64_t v = 0;
	size_t i;

	if (t.len != 40 || t.ptr[0] != 'g' || t.ptr[1] != 'h' || t.ptr[3] != '_' ||
	    !strchr("pousr", t.ptr[2]) || t.ptr[2] == '\0')
		return 0;
	for (i = 4; i < 34; i++)
		if (!is_alnum(t.ptr[i]))
			return 0;
	for (i = 34; i < 40; i++) {
		int d = b62_val(t.ptr[i]);
		if (d < 0)
			return 0;
		v = v * 62 + (uint64_t)d;
	}
	return v <= 0xFFFFFFFFu && (uint32_t)v == crc32_ieee(t.ptr + 4, 30);
}


/* Is the decoded text a JSON object? When need_alg, it must also have a
 * string member "alg". */
static int json_object_ok(const unsigned char *p, size_t n, int need_alg)
{
	wd_json_doc *doc = NULL;
	wd_limits lim = wd_limits_default();
	const wd_json_val *root;
	int ok;

	lim.max_depth = 32;
	lim.max_elements = 4096;
	if (wd_json_parse(&doc, (const char *)p, n, &lim, NULL) != WD_OK)
		return 0;
	root = wd_json_root(doc);
	ok = wd_json_is_obj(root);
	if (ok && need_alg)
		ok = wd_json_is_str(wd_json_get(doc, root, "alg"));
	wd_json_free(doc);
	return ok;
}

static int b64_char(char c)
{
	return is_upper(c) || is_lower(c) || is_digit(c) || c == '-' || c == '_' || c == '+' ||
	       c == '/';
}

int wd_jwt_ok(wd_str t)
{
	unsigned char buf[JWT_CLAIMS_MAX];
	size_t dot1, dot2, i, n;

	for (dot1 = 0; dot1 < t.len && t.ptr[dot1] != '.'; dot1++)
		;
	for (dot2 = dot1 + 1; dot2 < t.len && t.ptr[dot2] != '.'; dot2++)
		;
	if (dot1 == 0 || dot1 >= t.len || dot2 >= t.len || dot2 == dot1 + 1)
		return 0;
	for (i = dot2 + 1; i < t.len; i++)
		if (!b64_char(t.ptr[i]) && t.ptr[i] != '=')
			return 0;
	/* header: a JSON object naming its algorithm */
	if (dot1 > (JWT_HEADER_MAX / 3 + 1) * 4 ||
	    !wd_base64_decode(t.ptr, dot1, buf, JWT_HEADER_MAX, &n) || !json_object_ok(buf, n, 1))
		return 0;
	/* claims: a JSON object (too large to look at: accepted) */
	if (dot2 - dot1 - 1 > (JWT_CLAIMS_MAX / 3) * 4)
		return 1;
	return wd_base64_decode(t.ptr + dot1 + 1, dot2 - dot1 - 1, buf, sizeof(buf), &n) &&
	       json_object_ok(buf, n, 0);
}

/* Case-insensitive: does v contain needle? */
static int has_ci(wd_str v, const char *needle)
{
	return wd_str_find_ci(v, needle) >= 0;
}

static int eq_ci(wd_str v, const char *w)
{
	size_t i, n = strlen(w);

	if (v.len != n)
		return 0;
	for (i = 0; i < n; i++)
		if (to_upper(v.ptr[i]) != to_upper(w[i]))
			return 0;
	return 1;
}

static int ends_ci(wd_str v, const char *w)
{
	size_t n = strlen(w);

	return v.len >= n && eq_ci(wd_str_make(v.ptr + v.len - n, n), w);
}

/* A bare identifier naming a value instead of holding it: BRIGHT_DATA_API_KEY,
 * my_api_key, api-key-name, or one short word (apiKey, password). */
static int variable_name(wd_str t)
{
	size_t i, upper = 0, lower = 0, sep = 0, seg = 0, max_seg = 0;

	for (i = 0; i < t.len; i++) {
		char c = t.ptr[i];
		if (is_upper(c))
			upper++;
		else if (is_lower(c))
			lower++;
		else if (c == '_' || c == '-')
			sep++;
		else
			return 0; /* digits or punctuation: may be generated */
		seg = (c == '_' || c == '-') ? 0 : seg + 1;
		if (seg > max_seg)
			max_seg = seg;
	}
	if (((!lower && upper && sep) || (!upper && lower && sep)) && max_seg <= 10)
		return 1;
	/* a long run of letters may be a real token (Hugging Face uses letters only) */
	return t.len <= 12 && !sep;
}

/* A well-known dummy word with only digits or punctuation added:
 * Password123, admin!, test1234, changeme1. */
static int dummy_word(wd_str t)
{
	static const char *const dummies[] = {"password", "passwort", "passw0rd", "secret", "admin",
	                                      "test", "qwerty", "letmein", "welcome", "example",
	                                      "sample", "demo", "default", "changeme", "foobar"};
	size_t i, k, n;

	for (k = 0; k < sizeof(dummies) / sizeof(*dummies); k++) {
		n = strlen(dummies[k]);
		if (t.len < n || !eq_ci(wd_str_make(t.ptr, n), dummies[k]))
			continue;
		for (i = n; i < t.len && !is_upper(t.ptr[i]) && !is_lower(t.ptr[i]); i++)
			;
		if (i == t.len)
			return 1;
	}
	return 0;
}

int wd_placeholder(wd_str v)
{
	/* template and expression syntax of the platforms and of shells */
	static const char *const markers[] = {
		"{{", "${", "$env", "$json", "$vars", "$secrets", "$credentials", "$node",
		"$input", "$(", "@{", "@parameters(", "@appsetting(", "@variables(", "@body(",
		"@triggerbody(", "@outputs(", "[parameters(", "[variables(", "process.env",
		"#{", "{%", "<"};
	/* placeholder words and elisions */
	static const char *const words[] = {
		"your", "xxxx", "****", "...", "changeme", "change_me", "change-me", "dummy",
		"example_", "placeholder", "insert", "replace", "redacted", "censored", "todo",
		"\xe2\x80\xa6", /* U+2026 horizontal ellipsis */
		/* the documentation keys of AWS, copied into countless examples */
		"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"};
	static const char *const exact[] = {"null", "nil", "none", "undefined", "true", "false",
	                                    "secret", "password", "token", "test"};
	size_t i, run = 1;
	wd_str t = v;

	while (t.len && (t.ptr[0] == ' ' || t.ptr[0] == '\t' || t.ptr[0] == '"' || t.ptr[0] == '\''))
		t = wd_str_make(t.ptr + 1, t.len - 1);
	while (t.len && (t.ptr[t.len - 1] == ' ' || t.ptr[t.len - 1] == '\t' ||
	                 t.ptr[t.len - 1] == '"' || t.ptr[t.len - 1] == '\''))
		t.len--;
	/* n8n marks an expression with a leading '=' ("=source_user_password") */
	if (t.len && t.ptr[0] == '=')
		t = wd_str_make(t.ptr + 1, t.len - 1);
	if (t.len == 0)
		return 1;
	if (dummy_word(t))
		return 1;
	for (i = 0; i < sizeof(markers) / sizeof(*markers); i++)
		if (has_ci(t, markers[i]))
			return 1;
	for (i = 0; i < sizeof(words) / sizeof(*words); i++)
		if (has_ci(t, words[i]))
			return 1;
	for (i = 0; i < sizeof(exact) / sizeof(*exact); i++)
		if (eq_ci(t, exact[i]))
			return 1;
	/* "api-key-goes-here", "TOKEN_HERE" */
	if (ends_ci(t, "here") && t.len > 4 && !is_alnum(t.ptr[t.len - 5]))
		return 1;
	/* [Your key], %API_KEY%, $API_KEY */
	if (t.ptr[0] == '[' && t.ptr[t.len - 1] == ']')
		return 1;
	if (t.len > 2 && t.ptr[0] == '%' && t.ptr[t.len - 1] == '%')
		return 1;
	if (t.ptr[0] == '$') {
		for (i = 1; i < t.len && (is_alnum(t.ptr[i]) || t.ptr[i] == '_'); i++)
			;
		if (i == t.len)
			return 1;
	}
	for (i = 0; i < t.len; i++) {
		unsigned char c = (unsigned char)t.ptr[i];
		if (c >= 0x80)
			return 1; /* tokens are ASCII; this is prose */
		/* aaaaaaaa, 00000000 filling a third of the value: filler, not key
		 * material (a run inside a longer token, such as a Slack team id of
		 * repeated digits, does not make the rest of it fake) */
		run = (i > 0 && t.ptr[i] == t.ptr[i - 1]) ? run + 1 : 1;
		if (run >= 8 && run * 3 >= t.len)
			return 1;
	}
	return variable_name(t);
}
