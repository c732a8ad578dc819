/*
 * import/common.h - what every importer needs and used to define for itself:
 * the text of a string-or-number value, string hashing for the importers'
 * lookup tables, and the two error shapes ("<format>: <what>" at a JSON
 * value; "<format>: <status> while <what>" after a model call failed).
 * Internal to src/lib/import.
 */
#ifndef WARDEN_IMPORT_COMMON_H
#define WARDEN_IMPORT_COMMON_H

#include "warden/import.h"

/* Hash of a slice (NULL-safe), for the importers' wd_hmap keys. */
static inline uint64_t imp_hash_str(wd_str s, uint64_t seed)
{
	return wd_hash64(s.ptr ? s.ptr : "", s.len, seed);
}

/* The text of a string or number value ({NULL,0} otherwise): exports write
 * ids either way. */
static inline wd_str imp_val_text(const wd_json_doc *jd, const wd_json_val *v)
{
	if (wd_json_is_str(v))
		return wd_json_str(jd, v);
	if (wd_json_typeof(v) == WD_JSON_NUMBER)
		return wd_json_num_text(jd, v);
	return WD_STR_NULL;
}

/* err = "<prefix>: <what>" with the JSON pointer and position of v; returns code. */
wd_status imp_fail_at(wd_error *err, wd_json_doc *jd, const wd_json_val *v, wd_status code,
                      const char *prefix, const char *what);

/* err = "<prefix>: more than N components while <what>" for WD_ELIMIT (N the
 * model's limit), "<prefix>: <status> while <what>" otherwise; returns rc. */
wd_status imp_fail_rc(wd_error *err, const wd_model *m, const char *prefix, wd_status rc,
                      const char *what);

#endif
