/*
 * detect/matcher.c - the secrets matcher: every pattern of the rules file in
 * one Vectorscan pass over each string value, then confirmation.
 *
 * Vectorscan (the Hyperscan API, libhs) enters Warden here and nowhere else.
 * wd_detector_new() reads the rules file (format: docs/internals/secrets.md)
 * with Warden's JSON reader, copies what it keeps into the detector's arena,
 * and compiles the patterns into block-mode databases with
 * HS_FLAG_SOM_LEFTMOST (we need where a match starts, not only where it
 * ends) plus HS_FLAG_CASELESS for rules marked "caseless". The detector is
 * immutable once built and is shared by threads; each thread scans with its
 * own wd_detect_scratch, which holds the Vectorscan scratch and every array a
 * scan needs, so a scan allocates nothing.
 *
 * Rules with key_names (value-level patterns such as ^[^\s]{6,128}$ that only
 * mean something under a member name like "password") would match nearly
 * every value, so they live in a second database, scanned only when the
 * member name selects one of them; the names themselves are indexed by
 * their first two characters and matched in one pass over the normalised
 * member name (lower-case letters and digits). Splitting them keeps a scan
 * of the n8n corpus ~3x faster than one database holding every rule.
 *
 * A scan of one value: one hs_scan() over at most WD_DETECT_MAX_TEXT bytes
 * (two when the member name selects keyed rules).
 * Vectorscan reports every end offset of every pattern; the callback keeps,
 * per rule, one candidate per run of overlapping matches (leftmost start,
 * furthest end), at most WD_DETECT_MAX_CANDIDATES per value. Each candidate is
 * then confirmed in order: the member name (rules with key_names), the secret
 * span inside the match (secret_after / secret_before, quotes trimmed),
 * placeholders and platform expressions (wd_placeholder), entropy over the
 * span, and the rule's validator. Confirmed hits that overlap are resolved in
 * favour of the more specific rule (provider > structural > generic, then
 * confidence, then the longer span) and reported in text order, once each.
 *
 * Bounded time: Vectorscan is linear in the input; the callback is O(1) per
 * match; confirmation is linear in each candidate's span, the PEM validator
 * looks at most WD_DETECT_PEM_WINDOW bytes past its match, and overlap
 * resolution is quadratic in the capped candidate count.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hs/hs.h>

#include "warden/detect.h"
#include "warden/json.h"

/* Per-value limits (docs/internals/secrets.md). */
#define WD_DETECT_MAX_TEXT ((size_t)8 << 20)   /* bytes of one value scanned */
#define WD_DETECT_MAX_CANDIDATES 256           /* pattern matches kept per value */
#define WD_DETECT_PEM_WINDOW ((size_t)64 << 10) /* bytes searched for -----END */
#define KEY_MAX 64                             /* normalised member name kept */
/* Rules file limits. */
#define MAX_RULES 4096
#define MAX_PATTERN 4096
#define MAX_LIST 64                            /* key_names, secret_after steps */

extern const unsigned char wd_secrets_data[];
extern const size_t wd_secrets_data_len;
/* Databases compiled at build time (src/tools/gen_secrets_db.c), linked into
 * programs that have them; absent (NULL) in a bare libwarden. */
extern const unsigned char wd_secrets_db[] __attribute__((weak));
extern const size_t wd_secrets_db_len __attribute__((weak));

typedef enum validator {
	V_NONE = 0,
	V_GITHUB,
	V_JWT,
	V_JWT_SERVICE_ROLE,
	V_LUHN,
	V_IBAN,
	V_BASIC_AUTH,
	V_PEM
} validator;

/* Which rule wins an overlap: the more specific tier first. */
enum { TIER_GENERIC = 0, TIER_STRUCTURAL = 1, TIER_PROVIDER = 2 };

/* One step of secret_after: the earliest of its alternatives is skipped. */
typedef struct step {
	const char **alts;
	size_t nalts;
} step;

typedef struct srule {
	const char *id;
	const char *provider;
	const char *family;
	const char *pattern;
	double min_entropy;
	int severity;
	int confidence;
	int caseless;
	int require_digit;          /* generic rules: identifiers have no digits */
	int quoted;                 /* secret_quoted: compiled without SOM */
	int tier;
	validator val;
	const char **key_names;     /* normalised: lower-case letters and digits */
	size_t nkey;
	const char **key_exclude;
	size_t nexcl;
	step *after;
	size_t nafter;
	const char *before;         /* NULL when absent */
} srule;

/* A member name some keyed rule lists, and the rules that list it. */
typedef struct keyname {
	const char *s;
	size_t len;
	uint32_t first_ref, nrefs;
} keyname;

/* Normalised names are [a-z0-9]: 36 x 36 buckets by their first two characters. */
#define KEY_BUCKETS (36 * 36)

struct wd_detector {
	hs_database_t *db;          /* rules without key_names: every value */
	hs_database_t *db_keyed;    /* rules with key_names: values under such a name */
	keyname *names;             /* every key name, sorted by its first two characters */
	size_t nnames;
	uint32_t *refs;             /* per name: 2 * rule + (1 for key_exclude) */
	uint32_t bucket[KEY_BUCKETS + 1]; /* first name of each two-character bucket */
	srule *rules;
	size_t n;
	wd_arena arena;
};

typedef struct cand {
	uint32_t rule;
	size_t from, to;
} cand;

struct wd_detect_scratch {
	const wd_detector *d;
	hs_scratch_t *hs;
	cand *cands;                /* WD_DETECT_MAX_CANDIDATES */
	size_t ncands;
	int32_t *last;              /* per rule: index of its latest candidate, -1 */
	wd_secret_hit *hits;        /* WD_DETECT_MAX_CANDIDATES */
	unsigned char *dropped;     /* WD_DETECT_MAX_CANDIDATES */
	unsigned char *key_state;   /* per rule: KEY_IN / KEY_OUT bits for this value */
	uint32_t *key_touched;      /* rules whose key_state is set */
	size_t nkey_touched;
	int any_key_in;
};

#define KEY_IN 1u
#define KEY_OUT 2u

/* ---- rules file --------------------------------------------------------- */

static const char *const families[] = {"cloud",   "code-hosting", "chat",     "payment",
                                       "ai",      "messaging",    "saas",     "private-key",
                                       "jwt",     "url-credentials", "basic-auth", "generic"};

static const struct {
	const char *name;
	validator v;
} validators[] = {
	{"none", V_NONE},         {"github-checksum", V_GITHUB}, {"jwt", V_JWT},
	{"jwt-service-role", V_JWT_SERVICE_ROLE}, {"luhn", V_LUHN}, {"iban", V_IBAN},
	{"basic-auth", V_BASIC_AUTH}, {"pem", V_PEM},
};

/* The order of wd_severity (warden/rules.h), which this module sits below. */
static const char *const severities[] = {"info", "low", "medium", "high", "critical"};

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static int alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Lower-case letters and digits of s, at most cap - 1 of them, NUL-terminated. */
static size_t normalise_key(wd_str s, char *out, size_t cap)
{
	size_t i, n = 0;

	for (i = 0; i < s.len && n + 1 < cap; i++)
		if (alnum(s.ptr[i]))
			out[n++] = lower(s.ptr[i]);
	out[n] = '\0';
	return n;
}

static wd_status rule_error(wd_error *err, wd_status code, size_t idx, const char *id,
                            const char *what)
{
	wd_error_set(err, code, "secrets rule %zu ('%s'): %s", idx, id ? id : "?", what);
	if (err)
		snprintf(err->pointer, sizeof(err->pointer), "/rules/%zu", idx);
	return code;
}

static char *dup_str(wd_detector *d, wd_str s)
{
	return wd_arena_strndup(&d->arena, s.ptr ? s.ptr : "", s.len);
}

/* An array of strings into a NULL-free list in the arena; normalise for key
 * names. Returns 0 on a wrong type or out of memory. */
static int str_list(wd_detector *d, const wd_json_doc *doc, const wd_json_val *arr, int norm,
                    const char ***out, size_t *n)
{
	const wd_json_val *e;
	size_t i;

	*out = NULL;
	*n = 0;
	if (!arr)
		return 1;
	if (!wd_json_is_arr(arr) || wd_json_size(arr) > MAX_LIST)
		return 0;
	*out = wd_arena_zalloc(&d->arena, (wd_json_size(arr) + 1) * sizeof(char *));
	if (!*out)
		return 0;
	WD_JSON_ARR_FOREACH(arr, i, e)
	{
		wd_str s = wd_json_str(doc, e);
		char *c;
		if (!wd_json_is_str(e) || s.len == 0 || s.len > 256)
			return 0;
		if (norm) {
			char tmp[257];
			if (normalise_key(s, tmp, sizeof(tmp)) < 2)
				return 0;
			c = wd_arena_strndup(&d->arena, tmp, strlen(tmp));
		} else {
			c = dup_str(d, s);
		}
		if (!c)
			return 0;
		(*out)[(*n)++] = c;
	}
	return 1;
}

static int parse_steps(wd_detector *d, const wd_json_doc *doc, const wd_json_val *arr, srule *r)
{
	const wd_json_val *e;
	size_t i;

	if (!arr)
		return 1;
	if (!wd_json_is_arr(arr) || wd_json_size(arr) == 0 || wd_json_size(arr) > MAX_LIST)
		return 0;
	r->after = wd_arena_zalloc(&d->arena, wd_json_size(arr) * sizeof(step));
	if (!r->after)
		return 0;
	WD_JSON_ARR_FOREACH(arr, i, e)
	{
		step *st = &r->after[r->nafter++];
		if (wd_json_is_str(e)) {
			wd_str s = wd_json_str(doc, e);
			st->alts = wd_arena_alloc(&d->arena, sizeof(char *));
			if (!st->alts || s.len == 0 || !(st->alts[0] = dup_str(d, s)))
				return 0;
			st->nalts = 1;
		} else if (!str_list(d, doc, e, 0, &st->alts, &st->nalts) || st->nalts == 0) {
			return 0;
		}
	}
	return 1;
}

static wd_status parse_rule(wd_detector *d, const wd_json_doc *doc, const wd_json_val *o,
                            size_t idx, srule *r, wd_error *err)
{
	const wd_json_val *v;
	wd_str s;
	size_t i;
	int64_t conf;
	double ent;

	memset(r, 0, sizeof(*r));
	if (!wd_json_is_obj(o))
		return rule_error(err, WD_EFORMAT, idx, NULL, "not an object");
	s = wd_json_get_str(doc, o, "id");
	if (s.len == 0 || s.len > 128)
		return rule_error(err, WD_EFORMAT, idx, NULL, "missing \"id\"");
	if (!(r->id = dup_str(d, s)))
		return wd_error_set(err, WD_ENOMEM, "out of memory");
	if (!(r->provider = dup_str(d, wd_json_get_str(doc, o, "provider"))))
		return wd_error_set(err, WD_ENOMEM, "out of memory");

	s = wd_json_get_str(doc, o, "family");
	for (i = 0; i < sizeof(families) / sizeof(*families); i++)
		if (wd_str_eq_c(s, families[i]))
			r->family = families[i];
	if (!r->family)
		return rule_error(err, WD_EFORMAT, idx, r->id, "unknown \"family\"");
	r->tier = wd_str_eq_c(s, "generic") ? TIER_GENERIC
	          : (wd_str_eq_c(s, "private-key") || wd_str_eq_c(s, "jwt") ||
	             wd_str_eq_c(s, "url-credentials") || wd_str_eq_c(s, "basic-auth"))
	                  ? TIER_STRUCTURAL
	                  : TIER_PROVIDER;

	s = wd_json_get_str(doc, o, "pattern");
	if (s.len == 0 || s.len > MAX_PATTERN || memchr(s.ptr, '\0', s.len))
		return rule_error(err, WD_EFORMAT, idx, r->id, "missing or oversized \"pattern\"");
	if (!(r->pattern = dup_str(d, s)))
		return wd_error_set(err, WD_ENOMEM, "out of memory");
	r->caseless = wd_json_get_bool(doc, o, "caseless", -1);
	r->require_digit = wd_json_get_bool(doc, o, "require_digit", -1);
	r->quoted = wd_json_get_bool(doc, o, "secret_quoted", -1);
	if (r->caseless < 0 || r->require_digit < 0 || r->quoted < 0)
		return rule_error(err, WD_EFORMAT, idx, r->id,
		                  "\"caseless\" / \"require_digit\" / \"secret_quoted\" is not a boolean");

	v = wd_json_get(doc, o, "min_entropy");
	if (v && (wd_json_num(doc, v, &ent) != WD_OK || !(ent >= 0.0 && ent <= 8.0)))
		return rule_error(err, WD_EFORMAT, idx, r->id, "\"min_entropy\" is not in 0..8");
	r->min_entropy = v ? ent : 0.0;

	v = wd_json_get(doc, o, "confidence");
	if (v && (wd_json_int(doc, v, &conf) != WD_OK || conf < 0 || conf > 100))
		return rule_error(err, WD_EFORMAT, idx, r->id, "\"confidence\" is not in 0..100");
	r->confidence = v ? (int)conf : 50;

	s = wd_json_get_str(doc, o, "severity");
	r->severity = s.len ? -1 : 3;
	for (i = 0; i < sizeof(severities) / sizeof(*severities); i++)
		if (wd_str_eq_c(s, severities[i]))
			r->severity = (int)i;
	if (r->severity < 0)
		return rule_error(err, WD_EFORMAT, idx, r->id, "unknown \"severity\"");

	s = wd_json_get_str(doc, o, "validator");
	r->val = V_NONE;
	if (s.len) {
		int found = 0;
		for (i = 0; i < sizeof(validators) / sizeof(*validators); i++)
			if (wd_str_eq_c(s, validators[i].name)) {
				r->val = validators[i].v;
				found = 1;
			}
		if (!found)
			return rule_error(err, WD_EFORMAT, idx, r->id, "unknown \"validator\"");
	}

	if (!str_list(d, doc, wd_json_get(doc, o, "key_names"), 1, &r->key_names, &r->nkey) ||
	    !str_list(d, doc, wd_json_get(doc, o, "key_exclude"), 1, &r->key_exclude, &r->nexcl))
		return rule_error(err, WD_EFORMAT, idx, r->id,
		                  "\"key_names\" / \"key_exclude\" must be arrays of names");
	if (!parse_steps(d, doc, wd_json_get(doc, o, "secret_after"), r))
		return rule_error(err, WD_EFORMAT, idx, r->id,
		                  "\"secret_after\" must be an array of strings or string arrays");
	v = wd_json_get(doc, o, "secret_before");
	if (v) {
		s = wd_json_str(doc, v);
		if (!wd_json_is_str(v) || s.len == 0 || !(r->before = dup_str(d, s)))
			return rule_error(err, WD_EFORMAT, idx, r->id, "\"secret_before\" is not a string");
	}
	return WD_OK;
}

/* Report a pattern that fails to compile, naming its rule. */
static wd_status pattern_error(const wd_detector *d, size_t i, const char *why, wd_error *err)
{
	wd_status rc = rule_error(err, WD_EFORMAT, i, d->rules[i].id, "pattern does not compile");

	if (err)
		snprintf(err->message, sizeof(err->message),
		         "secrets rule %zu ('%s'): pattern does not compile: %s", i, d->rules[i].id,
		         why ? why : "unknown error");
	return rc;
}

/*
 * Compile the patterns of the rules with (keyed) or without key_names into
 * one database. hs_compile_multi names the failing expression for most
 * errors; for database-wide ones find the culprit by compiling each alone.
 */
static wd_status compile_set(wd_detector *d, int keyed, hs_database_t **db, wd_error *err)
{
	const char **exprs = NULL;
	unsigned *flags = NULL, *ids = NULL;
	hs_compile_error_t *cerr = NULL;
	wd_status rc = WD_OK;
	size_t i, n = 0;

	*db = NULL;
	exprs = calloc(d->n, sizeof(*exprs));
	flags = calloc(d->n, sizeof(*flags));
	ids = calloc(d->n, sizeof(*ids));
	if (!exprs || !flags || !ids) {
		rc = wd_error_set(err, WD_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < d->n; i++) {
		if ((d->rules[i].nkey > 0) != keyed)
			continue;
		exprs[n] = d->rules[i].pattern;
		flags[n] = (d->rules[i].quoted ? 0u : HS_FLAG_SOM_LEFTMOST) |
		           (d->rules[i].caseless ? HS_FLAG_CASELESS : 0u);
		ids[n++] = (unsigned)i;
	}
	if (n == 0)
		goto out;
	if (hs_compile_multi(exprs, flags, ids, (unsigned)n, HS_MODE_BLOCK, NULL, db, &cerr) ==
	    HS_SUCCESS)
		goto out;
	*db = NULL;
	if (cerr && cerr->expression >= 0 && (size_t)cerr->expression < n) {
		rc = pattern_error(d, ids[cerr->expression], cerr->message, err);
		goto out;
	}
	for (i = 0; i < n; i++) {
		hs_database_t *one = NULL;
		hs_compile_error_t *e1 = NULL;
		if (hs_compile(exprs[i], flags[i], HS_MODE_BLOCK, NULL, &one, &e1) != HS_SUCCESS) {
			rc = pattern_error(d, ids[i], e1 ? e1->message : NULL, err);
			hs_free_compile_error(e1);
			goto out;
		}
		hs_free_database(one);
	}
	rc = wd_error_set(err, WD_EFORMAT, "secrets rules do not compile together: %s",
	                  cerr ? cerr->message : "unknown error");
out:
	hs_free_compile_error(cerr);
	free(exprs);
	free(flags);
	free(ids);
	return rc;
}

static unsigned key_bucket(char a, char b)
{
	unsigned x = (a >= 'a') ? (unsigned)(a - 'a' + 10) : (unsigned)(a - '0');
	unsigned y = (b >= 'a') ? (unsigned)(b - 'a' + 10) : (unsigned)(b - '0');

	return x * 36 + y;
}

typedef struct name_ref {
	const char *s;
	uint32_t ref;
} name_ref;

static int cmp_name_ref(const void *a, const void *b)
{
	const name_ref *x = a, *y = b;
	unsigned bx = key_bucket(x->s[0], x->s[1]), by = key_bucket(y->s[0], y->s[1]);

	if (bx != by)
		return bx < by ? -1 : 1;
	return strcmp(x->s, y->s);
}

/*
 * Index the member names of keyed rules (key_names and key_exclude) by their
 * first two characters, so a value's name is matched in one pass over it
 * (key_scan) instead of one search per name.
 */
static wd_status index_keys(wd_detector *d, wd_error *err)
{
	name_ref *pairs;
	size_t i, k, n = 0, total = 0, b;

	for (i = 0; i < d->n; i++)
		total += d->rules[i].nkey + d->rules[i].nexcl;
	if (total == 0)
		return WD_OK;
	pairs = calloc(total, sizeof(*pairs));
	d->refs = calloc(total, sizeof(*d->refs));
	d->names = calloc(total, sizeof(*d->names));
	if (!pairs || !d->refs || !d->names) {
		free(pairs);
		return wd_error_set(err, WD_ENOMEM, "out of memory");
	}
	for (i = 0; i < d->n; i++) {
		const srule *r = &d->rules[i];
		for (k = 0; k < r->nkey + r->nexcl; k++) {
			int excl = k >= r->nkey;
			pairs[n].s = excl ? r->key_exclude[k - r->nkey] : r->key_names[k];
			pairs[n++].ref = (uint32_t)(2 * i + (size_t)excl);
		}
	}
	qsort(pairs, n, sizeof(*pairs), cmp_name_ref);
	for (i = 0; i < n; i++) {
		keyname *kn = d->nnames ? &d->names[d->nnames - 1] : NULL;
		if (!kn || strcmp(kn->s, pairs[i].s) != 0) {
			kn = &d->names[d->nnames++];
			kn->s = pairs[i].s;
			kn->len = strlen(pairs[i].s);
			kn->first_ref = (uint32_t)i;
			kn->nrefs = 0;
		}
		d->refs[i] = pairs[i].ref;
		kn->nrefs++;
	}
	free(pairs);
	for (b = 0, i = 0; b <= KEY_BUCKETS; b++) {
		while (i < d->nnames && key_bucket(d->names[i].s[0], d->names[i].s[1]) < b)
			i++;
		d->bucket[b] = (uint32_t)i;
	}
	return WD_OK;
}

static wd_status compile_rules(wd_detector *d, wd_error *err)
{
	wd_status rc = compile_set(d, 0, &d->db, err);

	if (rc == WD_OK)
		rc = compile_set(d, 1, &d->db_keyed, err);
	if (rc == WD_OK)
		rc = index_keys(d, err);
	return rc;
}

static wd_status parse_rules(wd_detector *d, const wd_json_doc *doc, wd_error *err)
{
	const wd_json_val *root = wd_json_root(doc), *rules, *e;
	int64_t version = 0;
	size_t i, j;
	wd_status rc;

	if (!wd_json_is_obj(root) || !wd_json_get(doc, root, "version") ||
	    wd_json_int(doc, wd_json_get(doc, root, "version"), &version) != WD_OK || version != 1)
		return wd_error_set(err, WD_EFORMAT, "secrets rules: expected {\"version\": 1, ...}");
	rules = wd_json_get(doc, root, "rules");
	if (!wd_json_is_arr(rules) || wd_json_size(rules) == 0)
		return wd_error_set(err, WD_EFORMAT, "secrets rules: \"rules\" is not a non-empty array");
	if (wd_json_size(rules) > MAX_RULES)
		return wd_error_set(err, WD_ELIMIT, "secrets rules: more than %d rules", MAX_RULES);
	d->rules = wd_arena_zalloc(&d->arena, wd_json_size(rules) * sizeof(srule));
	if (!d->rules)
		return wd_error_set(err, WD_ENOMEM, "out of memory");
	WD_JSON_ARR_FOREACH(rules, i, e)
	{
		rc = parse_rule(d, doc, e, i, &d->rules[i], err);
		if (rc != WD_OK)
			return rc;
		for (j = 0; j < i; j++)
			if (strcmp(d->rules[j].id, d->rules[i].id) == 0)
				return rule_error(err, WD_EFORMAT, i, d->rules[i].id, "duplicate id");
		d->n++;
	}
	return WD_OK;
}

/*
 * Prebuilt databases: "WDSDB1" + SHA-256 of the rules JSON they were built
 * from + (u64 length, hs_serialize_database blob) for db and db_keyed.
 * Compiling the rules takes about 0.3 s, more than a whole corpus scan, so
 * the build compiles them once; loading takes well under a millisecond.
 * Anything that does not match (other rules, other Vectorscan, other CPU)
 * falls back to compiling.
 */
#define DB_MAGIC "WDSDB1"

static int load_prebuilt(wd_detector *d, const char *json, size_t len, const unsigned char *blob,
                         size_t blen)
{
	uint8_t h[32];
	size_t off = 6 + 32, k;
	hs_database_t **dbs[2];

	dbs[0] = &d->db;
	dbs[1] = &d->db_keyed;
	if (!blob || blen < off || memcmp(blob, DB_MAGIC, 6) != 0)
		return 0;
	wd_sha256(json, len, h);
	if (memcmp(blob + 6, h, 32) != 0)
		return 0;
	for (k = 0; k < 2; k++) {
		uint64_t n;
		if (blen - off < 8)
			return 0;
		memcpy(&n, blob + off, 8);
		off += 8;
		if (n > blen - off)
			return 0;
		if (n && hs_deserialize_database((const char *)blob + off, (size_t)n, dbs[k]) !=
		             HS_SUCCESS)
			return 0;
		off += (size_t)n;
	}
	return 1;
}

static wd_status detector_build(wd_detector **out, const char *json, size_t len,
                                const unsigned char *blob, size_t blen, wd_error *err)
{
	wd_detector *d;
	wd_json_doc *doc = NULL;
	wd_status rc;

	if (!out)
		return wd_error_set(err, WD_EINVAL, "no output");
	*out = NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return wd_error_set(err, WD_ENOMEM, "out of memory");
	wd_arena_init(&d->arena, 16384);
	rc = wd_json_parse(&doc, json, len, NULL, err);
	if (rc == WD_OK)
		rc = parse_rules(d, doc, err);
	wd_json_free(doc);
	if (rc == WD_OK) {
		if (load_prebuilt(d, json, len, blob, blen)) {
			rc = index_keys(d, err);
		} else {
			hs_free_database(d->db);
			hs_free_database(d->db_keyed);
			d->db = d->db_keyed = NULL;
			rc = compile_rules(d, err);
		}
	}
	if (rc != WD_OK) {
		wd_detector_free(d);
		return rc;
	}
	*out = d;
	return WD_OK;
}

wd_status wd_detector_new(wd_detector **out, const char *json, size_t len, wd_error *err)
{
	return detector_build(out, json, len, NULL, 0, err);
}

wd_status wd_detector_serialize(const wd_detector *d, const char *json, size_t len, char **out,
                                size_t *out_len)
{
	char *b[2] = {NULL, NULL};
	size_t n[2] = {0, 0}, total, off, k;
	char *buf;
	uint8_t h[32];

	*out = NULL;
	*out_len = 0;
	if ((d->db && hs_serialize_database(d->db, &b[0], &n[0]) != HS_SUCCESS) ||
	    (d->db_keyed && hs_serialize_database(d->db_keyed, &b[1], &n[1]) != HS_SUCCESS)) {
		free(b[0]);
		free(b[1]);
		return WD_ENOMEM;
	}
	total = 6 + 32 + 16 + n[0] + n[1];
	buf = malloc(total);
	if (!buf) {
		free(b[0]);
		free(b[1]);
		return WD_ENOMEM;
	}
	memcpy(buf, DB_MAGIC, 6);
	wd_sha256(json, len, h);
	memcpy(buf + 6, h, 32);
	off = 38;
	for (k = 0; k < 2; k++) {
		uint64_t v = n[k];
		memcpy(buf + off, &v, 8);
		off += 8;
		if (n[k])
			memcpy(buf + off, b[k], n[k]);
		off += n[k];
		free(b[k]);
	}
	*out = buf;
	*out_len = total;
	return WD_OK;
}

void wd_detector_free(wd_detector *d)
{
	if (!d)
		return;
	hs_free_database(d->db);
	hs_free_database(d->db_keyed);
	free(d->names);
	free(d->refs);
	wd_arena_release(&d->arena);
	free(d);
}

size_t wd_detector_count(const wd_detector *d)
{
	return d ? d->n : 0;
}

static wd_detector *embedded;
static pthread_once_t embedded_once = PTHREAD_ONCE_INIT;

static void load_embedded(void)
{
	wd_detector *d = NULL;

	if (detector_build(&d, (const char *)wd_secrets_data, wd_secrets_data_len,
	                   wd_secrets_db ? wd_secrets_db : NULL,
	                   wd_secrets_db ? wd_secrets_db_len : 0, NULL) == WD_OK)
		embedded = d;
}

const wd_detector *wd_detector_default(void)
{
	pthread_once(&embedded_once, load_embedded);
	return embedded;
}

/* ---- scratch ------------------------------------------------------------ */

wd_status wd_detect_scratch_new(const wd_detector *d, wd_detect_scratch **out, wd_error *err)
{
	wd_detect_scratch *s;
	hs_error_t he;

	if (!out)
		return wd_error_set(err, WD_EINVAL, "no output");
	*out = NULL;
	if (!d || !d->db)
		return wd_error_set(err, WD_EINVAL, "no detector");
	s = calloc(1, sizeof(*s));
	if (!s)
		return wd_error_set(err, WD_ENOMEM, "out of memory");
	s->d = d;
	s->cands = calloc(WD_DETECT_MAX_CANDIDATES, sizeof(*s->cands));
	s->hits = calloc(WD_DETECT_MAX_CANDIDATES, sizeof(*s->hits));
	s->dropped = calloc(WD_DETECT_MAX_CANDIDATES, 1);
	s->last = calloc(d->n, sizeof(*s->last));
	s->key_state = calloc(d->n, 1);
	s->key_touched = calloc(2 * d->n, sizeof(*s->key_touched));
	if (!s->cands || !s->hits || !s->dropped || !s->last || !s->key_state || !s->key_touched) {
		wd_detect_scratch_free(s);
		return wd_error_set(err, WD_ENOMEM, "out of memory");
	}
	/* one scratch serves both databases */
	he = hs_alloc_scratch(d->db, &s->hs);
	if (he == HS_SUCCESS && d->db_keyed)
		he = hs_alloc_scratch(d->db_keyed, &s->hs);
	if (he != HS_SUCCESS) {
		s->hs = NULL;
		wd_detect_scratch_free(s);
		return wd_error_set(err, he == HS_NOMEM ? WD_ENOMEM : WD_EINVAL,
		                    "cannot allocate Vectorscan scratch (error %d)", (int)he);
	}
	*out = s;
	return WD_OK;
}

void wd_detect_scratch_free(wd_detect_scratch *s)
{
	if (!s)
		return;
	hs_free_scratch(s->hs);
	free(s->cands);
	free(s->hits);
	free(s->dropped);
	free(s->last);
	free(s->key_state);
	free(s->key_touched);
	free(s);
}

/* ---- scanning ----------------------------------------------------------- */

/* Vectorscan callback: merge each match into its rule's latest candidate when
 * they overlap (the same token seen at several end offsets), else start a new
 * candidate while there is room. Never stops the scan. */
static int on_match(unsigned int id, unsigned long long from, unsigned long long to,
                    unsigned int flags, void *ctx)
{
	wd_detect_scratch *s = ctx;
	int32_t li = s->last[id];
	cand *c;

	(void)flags;
	/* without start of match (secret_quoted) every end is its own literal */
	if (s->d->rules[id].quoted)
		from = to ? to - 1 : 0;
	else if (li >= 0) {
		c = &s->cands[li];
		if ((size_t)from <= c->to) {
			if ((size_t)from < c->from)
				c->from = (size_t)from;
			if ((size_t)to > c->to)
				c->to = (size_t)to;
			return 0;
		}
	}
	if (s->ncands == WD_DETECT_MAX_CANDIDATES)
		return 0;
	c = &s->cands[s->ncands];
	c->rule = id;
	c->from = (size_t)from;
	c->to = (size_t)to;
	s->last[id] = (int32_t)s->ncands++;
	return 0;
}

static const char *memmem_ci(const char *hay, size_t n, const char *needle, size_t m)
{
	size_t i, j;

	if (m == 0 || m > n)
		return m == 0 ? hay : NULL;
	for (i = 0; i + m <= n; i++) {
		for (j = 0; j < m && lower(hay[i + j]) == lower(needle[j]); j++)
			;
		if (j == m)
			return hay + i;
	}
	return NULL;
}

/* Note that a member name selects (or, for an exclusion, vetoes) a rule. */
static void key_mark(wd_detect_scratch *s, uint32_t ref)
{
	uint32_t rule = ref / 2;

	if (s->key_state[rule] == 0)
		s->key_touched[s->nkey_touched++] = rule;
	s->key_state[rule] |= (ref & 1u) ? KEY_OUT : KEY_IN;
}

static void key_reset(wd_detect_scratch *s)
{
	size_t i;

	for (i = 0; i < s->nkey_touched; i++)
		s->key_state[s->key_touched[i]] = 0;
	s->nkey_touched = 0;
	s->any_key_in = 0;
}

/* Match the normalised member name against every keyed rule's names. */
static void key_scan(const wd_detector *d, wd_detect_scratch *s, wd_str key)
{
	char norm[KEY_MAX + 1];
	size_t n, i, j, r;

	if (d->nnames == 0 || key.len == 0)
		return;
	n = normalise_key(key, norm, sizeof(norm));
	for (i = 0; i + 1 < n; i++) {
		unsigned b = key_bucket(norm[i], norm[i + 1]);
		for (j = d->bucket[b]; j < d->bucket[b + 1]; j++) {
			const keyname *kn = &d->names[j];
			if (i + kn->len > n || memcmp(norm + i + 2, kn->s + 2, kn->len - 2) != 0)
				continue;
			for (r = 0; r < kn->nrefs; r++)
				key_mark(s, d->refs[kn->first_ref + r]);
		}
	}
	for (i = 0; i < s->nkey_touched; i++)
		if (s->key_state[s->key_touched[i]] == KEY_IN)
			s->any_key_in = 1;
}

/* Leading blanks, quotes, '>' of "=>", and n8n's '=' marking an expression */
static int trim_lead(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '"' || c == '\'' || c == '>' ||
	       c == '=';
}

static int trim_tail(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '"' || c == '\'' ||
	       c == ',' || c == ';';
}

/* The secret inside a match: past the secret_after steps, before the last
 * secret_before, without surrounding blanks and quotes. A secret_quoted
 * match ends with a closing quote; the secret runs back to the previous
 * quote (the pattern keeps quotes out of the value, so this is linear over
 * all candidates of a value). */
static void secret_span(const srule *r, const char *t, size_t *from, size_t *to)
{
	size_t pos = *from, end = *to, i, k;

	if (r->quoted) {
		if (end < 2) {
			*from = *to = 0;
			return;
		}
		end--;
		for (pos = end; pos > 0 && t[pos - 1] != '"' && t[pos - 1] != '\''; pos--)
			;
		*from = pos;
		*to = end;
		return;
	}

	for (i = 0; i < r->nafter; i++) {
		const char *best = NULL;
		size_t blen = 0;
		for (k = 0; k < r->after[i].nalts; k++) {
			const char *a = r->after[i].alts[k];
			size_t al = strlen(a);
			const char *p = memmem_ci(t + pos, end - pos, a, al);
			if (p && (!best || p < best)) {
				best = p;
				blen = al;
			}
		}
		if (best)
			pos = (size_t)(best - t) + blen;
	}
	if (r->before) {
		size_t bl = strlen(r->before);
		const char *p = NULL, *q = t + pos;
		while ((q = memmem_ci(q, (size_t)(t + end - q), r->before, bl)) != NULL) {
			p = q;
			q++;
		}
		if (p)
			end = (size_t)(p - t);
	}
	while (pos < end && trim_lead(t[pos]))
		pos++;
	while (end > pos && trim_tail(t[end - 1]))
		end--;
	*from = pos;
	*to = end;
}


/* "Basic <base64 of user:password>": printable, a user, a ':', a password
 * that is not itself a placeholder. */
static int basic_auth_ok(wd_str b64)
{
	unsigned char buf[256];
	size_t n, i, colon = 0;

	if (!wd_base64_decode(b64.ptr, b64.len, buf, sizeof(buf), &n) || n < 3)
		return 0;
	for (i = 0; i < n; i++) {
		if (buf[i] < 0x20 || buf[i] == 0x7f)
			return 0;
		if (buf[i] == ':' && !colon)
			colon = i;
	}
	if (colon == 0 || colon + 1 >= n)
		return 0;
	return !wd_placeholder(wd_str_make((const char *)buf + colon + 1, n - colon - 1)) &&
	       !wd_placeholder(wd_str_make((const char *)buf, n));
}

/* The "role" claim of a JWT that wd_jwt_ok accepted; "" when absent. */
static void jwt_role(wd_str t, char *role, size_t cap)
{
	unsigned char buf[8192];
	size_t d1, d2, n;
	wd_json_doc *doc = NULL;
	wd_str r;

	role[0] = '\0';
	for (d1 = 0; d1 < t.len && t.ptr[d1] != '.'; d1++)
		;
	for (d2 = d1 + 1; d2 < t.len && t.ptr[d2] != '.'; d2++)
		;
	if (d2 >= t.len || !wd_base64_decode(t.ptr + d1 + 1, d2 - d1 - 1, buf, sizeof(buf), &n) ||
	    wd_json_parse(&doc, (const char *)buf, n, NULL, NULL) != WD_OK)
		return;
	r = wd_json_get_str(doc, wd_json_root(doc), "role");
	if (r.len < cap) {
		memcpy(role, r.ptr ? r.ptr : "", r.len);
		role[r.len] = '\0';
	}
	wd_json_free(doc);
}

static int b64_body_char(char c)
{
	return alnum(c) || c == '+' || c == '/' || c == '=';
}

/*
 * A PEM/OpenSSH/PGP private key: extend the span from its BEGIN line to the
 * end of the matching END line (searched within WD_DETECT_PEM_WINDOW), and
 * require key material in between: a run of at least 40 base64 characters
 * and no elision or template syntax. JSON-escaped "\n" line breaks count as
 * breaks. Without an END line the span ends after the first base64 run.
 */
static int pem_ok(const char *t, size_t len, size_t from, size_t *to)
{
	size_t body, limit, i, run = 0, end = 0, run_end = 0;
	const char *p, *q;

	p = memmem_ci(t + from, len - from, "-----BEGIN", 10);
	if (!p)
		return 0;
	q = memmem_ci(p + 10, (size_t)(t + len - p - 10), "-----", 5);
	if (!q)
		return 0;
	body = (size_t)(q - t) + 5;
	limit = len - body > WD_DETECT_PEM_WINDOW ? body + WD_DETECT_PEM_WINDOW : len;
	p = memmem_ci(t + body, limit - body, "-----END", 8);
	if (p) {
		q = memmem_ci(p + 8, (size_t)(t + limit - p - 8), "-----", 5);
		end = q && q - p < 120 ? (size_t)(q - t) + 5 : (size_t)(p - t) + 8;
		limit = (size_t)(p - t);
	}
	for (i = body; i < limit; i++) {
		char c = t[i];
		if (c == '{' || c == '<' || c == '$' || (c == '.' && i + 2 < limit && t[i + 1] == '.'))
			return 0;
		if (b64_body_char(c)) {
			if (++run >= 40 && !run_end)
				run_end = i + 1;
		} else {
			run = 0;
			if (run_end && !p)
				break;
		}
	}
	if (!run_end)
		return 0;
	*to = p ? end : (run_end > *to ? run_end : *to);
	return 1;
}

static int validate(const srule *r, const char *t, size_t len, size_t from, size_t *to)
{
	wd_str s = wd_str_make(t + from, *to - from);
	char role[32];

	switch (r->val) {
	case V_NONE:
		return 1;
	case V_GITHUB:
		return wd_github_token_ok(s);
	case V_JWT:
		if (!wd_jwt_ok(s))
			return 0;
		/* Supabase anon keys are public by design */
		jwt_role(s, role, sizeof(role));
		return strcmp(role, "anon") != 0;
	case V_JWT_SERVICE_ROLE:
		if (!wd_jwt_ok(s))
			return 0;
		jwt_role(s, role, sizeof(role));
		return strcmp(role, "service_role") == 0;
	case V_LUHN:
		return wd_luhn_ok(s);
	case V_IBAN:
		return wd_iban_ok(s);
	case V_BASIC_AUTH:
		return basic_auth_ok(s);
	case V_PEM:
		return pem_ok(t, len, from, to);
	}
	return 0;
}

static int has_digit(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] >= '0' && p[i] <= '9')
			return 1;
	return 0;
}

/* Confirm candidate c; on success fill *h. */
static int confirm(wd_detect_scratch *s, const cand *c, const char *t, size_t len,
                   wd_secret_hit *h)
{
	const srule *r = &s->d->rules[c->rule];
	size_t from = c->from, to = c->to;

	if (r->nkey && s->key_state[c->rule] != KEY_IN)
		return 0;
	secret_span(r, t, &from, &to);
	if (to <= from)
		return 0;
	/* key material is checked by its validator: base64 bodies contain any word */
	if (r->val != V_PEM && wd_placeholder(wd_str_make(t + from, to - from)))
		return 0;
	if (r->require_digit && !has_digit(t + from, to - from))
		return 0;
	if (!validate(r, t, len, from, &to))
		return 0;
	if (wd_entropy(wd_str_make(t + from, to - from)) < r->min_entropy)
		return 0;
	h->rule_id = r->id;
	h->provider = r->provider;
	h->family = r->family;
	h->start = from;
	h->end = to;
	h->severity = r->severity;
	h->confidence = r->confidence;
	return 1;
}

/* Does hit a beat hit b on an overlap? */
static int wins(const wd_detector *d, const wd_secret_hit *a, uint32_t ra, const wd_secret_hit *b,
                uint32_t rb)
{
	const srule *x = &d->rules[ra], *y = &d->rules[rb];

	if (x->tier != y->tier)
		return x->tier > y->tier;
	if (a->confidence != b->confidence)
		return a->confidence > b->confidence;
	if (a->end - a->start != b->end - b->start)
		return a->end - a->start > b->end - b->start;
	return ra < rb;
}

wd_status wd_detect_secrets(const wd_detector *d, wd_detect_scratch *s, wd_str text, wd_str key,
                            wd_secret_fn fn, void *ud)
{
	uint32_t rule_of[WD_DETECT_MAX_CANDIDATES];
	size_t len, i, j, nh = 0;
	hs_error_t he;

	if (!d || !s || s->d != d || !fn || (!text.ptr && text.len))
		return WD_EINVAL;
	if (text.len == 0)
		return WD_OK;
	len = text.len > WD_DETECT_MAX_TEXT ? WD_DETECT_MAX_TEXT : text.len;
	s->ncands = 0;
	memset(s->last, 0xff, d->n * sizeof(*s->last));
	key_reset(s);
	if (key.ptr)
		key_scan(d, s, key);
	he = hs_scan(d->db, text.ptr, (unsigned int)len, 0, s->hs, on_match, s);
	/* value-level rules run only under a member name they know */
	if (he == HS_SUCCESS && s->any_key_in)
		he = hs_scan(d->db_keyed, text.ptr, (unsigned int)len, 0, s->hs, on_match, s);
	if (he != HS_SUCCESS)
		return he == HS_NOMEM ? WD_ENOMEM : WD_EINVAL;
	if (s->ncands == 0)
		return WD_OK;

	for (i = 0; i < s->ncands; i++) {
		if (confirm(s, &s->cands[i], text.ptr, len, &s->hits[nh])) {
			rule_of[nh] = s->cands[i].rule;
			s->dropped[nh] = 0;
			nh++;
		}
	}
	/* one report per span: the most specific rule wins each overlap */
	for (i = 0; i < nh; i++) {
		for (j = i + 1; j < nh && !s->dropped[i]; j++) {
			const wd_secret_hit *a = &s->hits[i], *b = &s->hits[j];
			if (s->dropped[j] || a->end <= b->start || b->end <= a->start)
				continue;
			if (wins(d, a, rule_of[i], b, rule_of[j]))
				s->dropped[j] = 1;
			else
				s->dropped[i] = 1;
		}
	}
	/* report in text order (selection over a small array) */
	for (;;) {
		size_t best = nh;
		for (i = 0; i < nh; i++)
			if (!s->dropped[i] && (best == nh || s->hits[i].start < s->hits[best].start))
				best = i;
		if (best == nh)
			break;
		s->dropped[best] = 1;
		if (fn(ud, &s->hits[best]))
			break;
	}
	return WD_OK;
}
