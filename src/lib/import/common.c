/*
 * import/common.c - the error shapes every importer shares (common.h).
 */
#include "import/common.h"

wd_status imp_fail_at(wd_error *err, wd_json_doc *jd, const wd_json_val *v, wd_status code,
                      const char *prefix, const char *what)
{
	wd_error_set(err, code, "%s: %s", prefix, what);
	wd_json_error_at(jd, v, err);
	return code;
}

wd_status imp_fail_rc(wd_error *err, const wd_model *m, const char *prefix, wd_status rc,
                      const char *what)
{
	if (rc == WD_ELIMIT)
		return wd_error_set(err, rc, "%s: more than %u components while %s", prefix,
		                    (unsigned)m->max_components, what);
	return wd_error_set(err, rc, "%s: %s while %s", prefix, wd_status_str(rc), what);
}
