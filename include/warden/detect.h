/*
 * warden/detect.h - secrets and sensitive data in exports (the enricher
 * between the importers and the rules).
 *
 * Secret patterns are data (data/secrets.json, embedded at build time):
 * each has an id, provider, family, a Hyperscan/Vectorscan pattern, keywords,
 * a minimum entropy, an optional validator, a severity and true/false
 * examples that the tests run. All patterns are compiled into one Vectorscan
 * database and run in one pass over each string value; hits are then
 * confirmed (placeholders, expressions, entropy, validators) before they are
 * reported. Personal data is classified from field names (several
 * languages) and from values (validated e-mail, phone, IBAN, card numbers).
 *
 * Vectorscan enters Warden in detect/matcher.c only.
 */
#ifndef WARDEN_DETECT_H
#define WARDEN_DETECT_H

#include "warden/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- secrets --------------------------------------------------------------- */

typedef struct wd_detector wd_detector;

/* One confirmed secret inside a scanned text. Strings point into the
 * detector (valid while it lives). */
typedef struct wd_secret_hit {
	const char *rule_id;   /* "github-pat", "aws-access-key", "generic-password" */
	const char *provider;  /* "GitHub", "AWS", "" for generic rules */
	const char *family;    /* "cloud", "code-hosting", "chat", "payment", "ai",
	                          "messaging", "saas", "private-key", "jwt",
	                          "url-credentials", "basic-auth", "generic" */
	size_t start, end;     /* byte span of the secret in the text */
	int severity;          /* a wd_severity value */
	int confidence;        /* 0..100 */
} wd_secret_hit;

/* Return nonzero to stop scanning this text. */
typedef int (*wd_secret_fn)(void *ud, const wd_secret_hit *hit);

/*
 * Compile a rules file (JSON, format in docs/internals/secrets.md). Pattern
 * compile errors and allocation failures are errors with the rule id named,
 * never crashes. The detector is immutable and may be shared by threads;
 * each thread scans with its own scratch.
 */
wd_status wd_detector_new(wd_detector **out, const char *json, size_t len, wd_error *err);
void wd_detector_free(wd_detector *d);
/* For the build: the compiled databases of d (built from json) as one blob,
 * which wd_detector_default() loads instead of compiling (malloc'd). */
wd_status wd_detector_serialize(const wd_detector *d, const char *json, size_t len, char **out,
                                size_t *out_len);
/* The embedded rules, compiled once per process; NULL if that failed. */
const wd_detector *wd_detector_default(void);
size_t wd_detector_count(const wd_detector *d);

typedef struct wd_detect_scratch wd_detect_scratch;
wd_status wd_detect_scratch_new(const wd_detector *d, wd_detect_scratch **out, wd_error *err);
void wd_detect_scratch_free(wd_detect_scratch *s);

/*
 * Scan one string value. key is the name of the JSON member (or header name)
 * that holds it, for rules that need context ("password", "Authorization");
 * may be empty. Only confirmed hits are reported, each once, most specific
 * rule first (a provider rule wins over a generic one on the same span).
 * Bounded time on any input (10 MB values, NUL bytes, invalid UTF-8).
 */
wd_status wd_detect_secrets(const wd_detector *d, wd_detect_scratch *s, wd_str text, wd_str key,
                            wd_secret_fn fn, void *ud);

/* ---- validators and measures (exposed for tests) ------------------------------------ */

double wd_entropy(wd_str s);            /* Shannon entropy, bits per character */
int wd_luhn_ok(wd_str digits);          /* card numbers; spaces and dashes ignored */
int wd_iban_ok(wd_str iban);            /* ISO 13616 mod-97; spaces ignored */
int wd_github_token_ok(wd_str token);   /* ghp_/gho_/ghu_/ghs_/ghr_ CRC32 checksum */
int wd_jwt_ok(wd_str token);            /* three base64url parts, JSON header with "alg" */
int wd_placeholder(wd_str value);       /* YOUR_KEY, xxxx, <token>, ${VAR}, {{ }}, ... */

/* ---- personal and sensitive data --------------------------------------------------- */

/* Class of a field from its name (English, German, French, Spanish, Chinese). */
wd_class wd_detect_class_of_name(wd_str name);
/* Class of a value when it validates as personal or financial data
 * (e-mail address, phone number, IBAN, card number); WD_CLASS_NONE otherwise. */
wd_class wd_detect_class_of_value(wd_str value);

/* ---- enrichment ----------------------------------------------------------------- */

/*
 * Walk every string value of the model (component parameters, pinned data,
 * companion credentials files) with the detector: confirmed secrets become
 * m->detections (redacted evidence, exact location); field classes are set
 * from names and from values. Called by wd_import_file() after
 * wd_model_finish(), so rules see a fully enriched model. scratch may be
 * NULL (one is made for the call); a caller reviewing many files passes its
 * own, since allocating a Vectorscan scratch costs more than scanning a
 * typical export.
 */
wd_status wd_detect_enrich(wd_model *m, const wd_detector *d, wd_detect_scratch *scratch,
                           wd_error *err);

#ifdef __cplusplus
}
#endif
#endif
