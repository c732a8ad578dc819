/*
 * warden/policy.h - the policy library, owners and suppressions (docs/policy.md,
 * docs/owners.md, docs/exceptions.md).
 *
 * A wd_policy is everything an organisation says about how its apps should
 * be built, loaded from YAML through src/lib/yaml:
 *   - one or more policy files (combined strictly: a connector blocked in
 *     any file is blocked; two connectors may share a flow only if every
 *     file that classifies them puts them in the same group; a rule is on if
 *     any file turns it on, at the highest severity any file gives it);
 *   - an owners file (glob rules -> owner, team, escalation contact,
 *     criticality; the last matching rule wins, as in CODEOWNERS);
 *   - suppressions (in a policy file or a file of their own), each with
 *     justification, approver and expiry.
 * The shipped default policy (data/policy/default.yaml) is embedded.
 *
 * Loading validates the whole file before anything is added, so a policy
 * with an error is never partly applied. The loaded policy is read-only and
 * may be shared by scan threads.
 *
 * The WD-POL-* rule descriptors live in the rule table (rules/builtin.c,
 * check == NULL); wd_policy_review() runs their checks over one model. The
 * scoring that reads criticality and record values is risk/, and
 * suppressions are applied to a whole scan result by scan/.
 */
#ifndef WARDEN_POLICY_H
#define WARDEN_POLICY_H

#include "warden/rules.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct wd_policy wd_policy;

wd_status wd_policy_new(wd_policy **out);
void wd_policy_free(wd_policy *p);

/* Add a policy file (YAML). On error nothing is added and err has
 * line/column (err->line) and a message; the caller prints
 * "path:line:column: message". */
wd_status wd_policy_add_file(wd_policy *p, const char *path, wd_error *err);
wd_status wd_policy_add_buffer(wd_policy *p, const char *name, const char *data, size_t len,
                               wd_error *err);
/* Add the embedded default policy. */
wd_status wd_policy_add_default(wd_policy *p, wd_error *err);
/* An owners file / a suppressions file (formats in docs/owners.md and
 * docs/exceptions.md); same error contract. */
wd_status wd_policy_add_owners_file(wd_policy *p, const char *path, wd_error *err);
wd_status wd_policy_add_owners_buffer(wd_policy *p, const char *name, const char *data,
                                      size_t len, wd_error *err);
wd_status wd_policy_add_suppressions_file(wd_policy *p, const char *path, wd_error *err);
wd_status wd_policy_add_suppressions_buffer(wd_policy *p, const char *name, const char *data,
                                            size_t len, wd_error *err);

/* The embedded default policy's text (for `warden policy show-default`). */
const char *wd_policy_default_text(size_t *len);

/* Whether an owners file was loaded (without one, ownership is not checked). */
int wd_policy_has_owners(const wd_policy *p);

/* ---- questions the other stages ask ------------------------------------------- */

/* The environment an app belongs to ("prod", "dev"...; "" when none matches). */
const char *wd_policy_environment(const wd_policy *p, const wd_model *m, uint32_t app);

/* Whether rule_id runs for this app, and at which severity (sev is the
 * rule's default on input, possibly changed on output). */
int wd_policy_rule_enabled(const wd_policy *p, const char *rule_id, const wd_model *m,
                           uint32_t app, int *sev);

typedef struct wd_owner {
	const char *owner;        /* NULL when unowned */
	const char *team;
	const char *escalation;
	const char *source;       /* "owners.yaml:12" - the rule that matched */
} wd_owner;

/* Owner of an app (comp == WD_NONE) or of a component (rules may match
 * connectors, so a component can have another owner than its app). */
wd_owner wd_policy_owner(const wd_policy *p, const wd_model *m, uint32_t app, uint32_t comp);

/* Business criticality 1 (low) .. 4 (mission-critical) from the owners file
 * or the policy, 0 when neither says; *source names where it came from. */
int wd_policy_criticality(const wd_policy *p, const wd_model *m, uint32_t app,
                          const char **source);

/* FAIR-lite inputs for an app: value per record for a data class and the
 * number of records the app handles; 0 when the policy gives none. */
typedef struct wd_loss_inputs {
	double per_record_min, per_record_max;  /* money per record */
	double records;                         /* records exposed at most */
	const char *currency;                   /* "EUR" */
	const char *source;                     /* "policy.yaml:40" */
} wd_loss_inputs;
int wd_policy_loss_inputs(const wd_policy *p, const wd_model *m, uint32_t app, wd_class cls,
                          wd_loss_inputs *out);

/*
 * Review one model against the policy, after wd_rules_run(): add the
 * policy's findings (connector groups, endpoints, required settings, data
 * classes: WD-POL-*), then apply rule switches and severity overrides to
 * every finding in f (findings of rules the policy turns off for that app
 * are removed). A NULL or empty policy changes nothing.
 */
wd_status wd_policy_review(const wd_policy *p, const wd_model *m, wd_findings *f);

/* ---- suppressions (applied by scan/ to a whole result) ------------------------ */

typedef struct wd_suppression {
	const char *fingerprint;  /* exact finding fingerprint, or NULL */
	const char *rule;         /* rule id or glob ("WD-SEC-*"), or NULL */
	const char *app;          /* app name or id glob, or NULL */
	const char *path;         /* export path glob, or NULL */
	const char *component;    /* component name or id glob, or NULL */
	const char *justification;/* NULL or "" = missing (a finding) */
	const char *approver;     /* NULL or "" = missing (a finding) */
	int32_t expires;          /* days since 1970-01-01; -1 = none given (a finding) */
	const char *source;       /* "policy.yaml:88:5" */
} wd_suppression;

const wd_suppression *wd_policy_suppressions(const wd_policy *p, size_t *n);

/*
 * Whether suppression s matches a finding: every key the suppression gives
 * must match (fingerprint exactly, ignoring case; rule as an id glob; app
 * against the app's name or id; path with wd_policy_match_path; component
 * against the component's name or id). NULL finding fields match only
 * suppressions that do not ask about them. Expiry is not looked at.
 */
int wd_suppression_match(const wd_suppression *s, const char *fingerprint, const char *rule,
                         const char *app_name, const char *app_id, const char *path,
                         const char *comp_name, const char *comp_id);

/* Glob match used by every pattern in the policy: '*' any run of characters
 * except '/', '**' any run including '/', '?' one character; case-insensitive
 * when ci. A run of stars followed by '/' also matches nothing ("**" "/x"
 * matches "x"). Linear in len times the pattern length for every input. */
int wd_glob_match(const char *pattern, const char *s, size_t len, int ci);

/*
 * How policy path patterns meet export paths: a pattern starting with '/'
 * must match the whole path; any other pattern may also match the part
 * after any '/' (so "finance/" followed by "**" matches
 * "exports/finance/a.json"), as in
 * .gitignore. A leading "./" of the path is ignored. Case-sensitive.
 */
int wd_policy_match_path(const char *pattern, const char *path);

/* What a policy holds, for `warden policy check`. */
typedef struct wd_policy_stats {
	size_t files;               /* policy files */
	size_t environments;
	size_t connector_patterns;  /* group, approved and ignore patterns */
	size_t endpoint_patterns;
	size_t rules;               /* rule entries (switches, severities, scopes) */
	size_t settings;            /* required settings */
	size_t data_rules;          /* data classes with flow rules */
	size_t owner_rules;
	size_t suppressions;
} wd_policy_stats;

void wd_policy_stats_get(const wd_policy *p, wd_policy_stats *out);

#ifdef __cplusplus
}
#endif
#endif
