/*
 * policy/suppress.c - suppressions (docs/exceptions.md): reading them from
 * a policy's `suppressions:` list or a file of their own, and matching one
 * against a finding.
 *
 * Loading is strict about the shape (unknown keys, wrong types, a bad
 * rule id, fingerprint or date are errors with a position) but keeps a
 * suppression that lacks its justification, approver or expiry: those are
 * reported as WD-SUP-001 findings by the scan stage, which is where a
 * reviewer sees them, rather than making the whole file unusable.
 */
#include <string.h>
#include <strings.h>

#include "policy/policy_int.h"

static int is_hex32(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
		      (s[i] >= 'A' && s[i] <= 'F')))
			return 0;
	return i == 32;
}

static wd_status read_one(pol_load *l, const wd_yaml_node *item, wd_suppression *s)
{
	static const char *const keys[] = {"fingerprint", "rule",          "app",
	                                   "path",        "component",     "justification",
	                                   "approver",    "expires",       NULL};
	const wd_yaml_node *x;
	const char *fp;
	wd_status rc;

	memset(s, 0, sizeof(*s));
	s->expires = -1;
	rc = wd_yaml_check_keys(item, "a suppression", keys, l->err);
	if (rc == WD_OK)
		rc = pol_opt_str(l, item, "fingerprint", &fp);
	if (rc != WD_OK)
		return rc;
	if (fp) {
		char *low;
		size_t i;
		if (!is_hex32(fp))
			return pol_fail(l, wd_yaml_get(item, "fingerprint"),
			                "'fingerprint' must be the 32 hex digits of a finding's "
			                "fingerprint, not '%s'",
			                fp);
		low = wd_arena_strndup(&l->arena, fp, 32);
		if (!low)
			return pol_oom(l);
		for (i = 0; i < 32; i++)
			if (low[i] >= 'A' && low[i] <= 'F')
				low[i] = (char)(low[i] + 32);
		s->fingerprint = low;
	}
	x = wd_yaml_get(item, "rule");
	if (x && x->type != WD_YAML_NULL) {
		rc = pol_rule_pattern(l, x, &s->rule);
		if (rc != WD_OK)
			return rc;
	}
	rc = pol_opt_str(l, item, "app", &s->app);
	if (rc == WD_OK)
		rc = pol_opt_str(l, item, "path", &s->path);
	if (rc == WD_OK)
		rc = pol_opt_str(l, item, "component", &s->component);
	if (rc == WD_OK)
		rc = pol_opt_str(l, item, "justification", &s->justification);
	if (rc == WD_OK)
		rc = pol_opt_str(l, item, "approver", &s->approver);
	if (rc != WD_OK)
		return rc;
	if ((s->app && !*s->app) || (s->path && !*s->path) || (s->component && !*s->component))
		return pol_fail(l, item, "a suppression's app, path and component may not be empty");
	x = wd_yaml_get(item, "expires");
	if (x && x->type != WD_YAML_NULL) {
		rc = wd_yaml_as_date(x, "expires", &s->expires, l->err);
		if (rc != WD_OK)
			return rc;
	}
	if (!s->fingerprint && !s->rule && !s->app && !s->path && !s->component)
		return pol_fail(l, item,
		                "a suppression must say what it matches: fingerprint, rule, app, path "
		                "or component");
	s->source = pol_source_col(l, item);
	return s->source ? WD_OK : pol_oom(l);
}

wd_status pol_read_suppressions(pol_load *l, const wd_yaml_node *list, wd_suppression **out,
                                size_t *n)
{
	size_t i;
	wd_status rc;

	*out = NULL;
	*n = 0;
	if (list->type != WD_YAML_SEQ)
		return pol_fail(l, list, "'suppressions' must be a list, not a %s",
		                wd_yaml_type_name(list));
	*out = pol_zalloc(l, list->n, sizeof(**out));
	if (!*out)
		return pol_oom(l);
	for (i = 0; i < list->n; i++) {
		rc = read_one(l, list->items[i], &(*out)[i]);
		if (rc != WD_OK)
			return rc;
	}
	*n = list->n;
	return WD_OK;
}

static int name_or_id(const char *glob, const char *name, const char *id)
{
	return (name && wd_glob_match(glob, name, strlen(name), 1)) ||
	       (id && wd_glob_match(glob, id, strlen(id), 1));
}

int wd_suppression_match(const wd_suppression *s, const char *fingerprint, const char *rule,
                         const char *app_name, const char *app_id, const char *path,
                         const char *comp_name, const char *comp_id)
{
	if (!s)
		return 0;
	if (s->fingerprint && (!fingerprint || strcasecmp(s->fingerprint, fingerprint) != 0))
		return 0;
	if (s->rule && (!rule || !wd_glob_match(s->rule, rule, strlen(rule), 1)))
		return 0;
	if (s->app && !name_or_id(s->app, app_name, app_id))
		return 0;
	if (s->path && !wd_policy_match_path(s->path, path))
		return 0;
	if (s->component && !name_or_id(s->component, comp_name, comp_id))
		return 0;
	return 1;
}
