/*
 * policy/policy_int.h - the loaded policy, shared by the files of
 * src/lib/policy (not a public header).
 *
 * Every string points into a YAML document the policy keeps (docs[]) or
 * into p->arena; both live until wd_policy_free(). A file is parsed into a
 * pol_file and its side tables in a scratch arena first and only adopted
 * (pointers appended, arena merged) after the whole file has validated.
 */
#ifndef WARDEN_POLICY_INT_H
#define WARDEN_POLICY_INT_H

#include "warden/catalog.h"
#include "warden/policy.h"
#include "warden/yaml.h"

/* Connector groups, in order of strictness for ties. */
enum { GROUP_BUSINESS = 0, GROUP_NON_BUSINESS = 1, GROUP_BLOCKED = 2, NGROUPS = 3 };
#define GROUP_NONE (-1)
#define NPLATFORMS 6 /* wd_platform values */

/* What a connector pattern is matched against. */
typedef enum pat_kind {
	PAT_NAME = 0,   /* service name, connector id, component type */
	PAT_CATEGORY,   /* "category:social": the catalog category */
	PAT_KIND,       /* "kind:code": the component kind */
	PAT_ROLE        /* "role:shell": a catalog role flag */
} pat_kind;

typedef struct pol_pat {
	const char *text;       /* as written, for messages */
	const char *glob;       /* the part matched (qualifiers removed) */
	wd_platform platform;   /* WD_PLATFORM_UNKNOWN: every platform */
	pat_kind kind;
	uint32_t role;          /* PAT_ROLE: a WD_CAT_* bit */
	int has_port;           /* host patterns: "host:port" */
	int score;              /* specificity: literal characters, +1000 when
	                           platform-qualified; category/kind/role 0 */
	const char *source;     /* "policy.yaml:12" */
} pol_pat;

typedef struct pol_pats {
	pol_pat *v;
	size_t n;
} pol_pats;

typedef struct pol_globs {
	const char **v;
	size_t n;
} pol_globs;

/* Which apps something applies to: all given lists must match (each list
 * matches when any of its globs does); an empty selector matches every app. */
typedef struct pol_select {
	pol_globs apps;         /* app name or id */
	pol_globs paths;        /* export path (wd_policy_match_path) */
	uint32_t platforms;     /* bit (1 << wd_platform); 0 = any */
} pol_select;

typedef struct pol_env {
	const char *name;
	pol_globs paths, apps;  /* an app is in it when either list matches */
	const char *source;
} pol_env;

typedef struct pol_rule {
	const char *pattern;    /* rule id or glob */
	int enabled;            /* 1, 0, -1 not said */
	int severity;           /* wd_severity, -1 not said */
	pol_globs envs;         /* scope; empty = every environment */
	uint32_t platforms;     /* scope; 0 = every platform */
	const char *source;
} pol_rule;

/* Required settings (docs/policy.md "settings"). */
typedef enum set_id {
	SET_ERROR_WORKFLOW = 0,   /* n8n -> WD-LOG-001 */
	SET_ERROR_HANDLING,       /* power-automate, make -> WD-LOG-001; node-red -> WD-POL-006 */
	SET_SAVE_FAILED,          /* n8n -> WD-LOG-002 */
	SET_CALLER_POLICY,        /* n8n: "any" -> WD-ACL-001, others -> WD-POL-006 */
	SET_MAX_TIMEOUT,          /* n8n -> WD-POL-006 */
	SET_SECURE_DATA,          /* power-automate -> WD-DATA-002 */
	SET_TRIGGER_AUTH,         /* power-automate -> WD-ENTRY-001 */
	SET_CONFIDENTIAL          /* make: personal_data -> WD-DATA-003, always -> WD-POL-006 */
} set_id;

typedef struct pol_setting {
	set_id id;
	wd_platform platform;
	int severity;           /* -1 not said */
	pol_globs allowed;      /* SET_CALLER_POLICY */
	int64_t max;            /* SET_MAX_TIMEOUT, seconds */
	int always;             /* SET_CONFIDENTIAL: 1 always, 0 with personal data */
	const char *name;       /* the key as written */
	const char *source;
} pol_setting;

enum { DENY_NON_BUSINESS = 1, DENY_EXTERNAL = 2, DENY_AI = 4 };

typedef struct pol_data {
	int present;
	unsigned deny;          /* DENY_* */
	pol_pats allow;         /* connectors exempt from every deny target */
	int severity;           /* -1 rule default */
	const char *source;
} pol_data;

typedef struct pol_crit {
	pol_select sel;
	int level;              /* 1..4 */
	const char *source;
} pol_crit;

typedef struct pol_records {
	pol_select sel;
	double records;
	const char *source;
} pol_records;

typedef struct pol_file {
	const char *name;       /* the file name as given */
	const char *title;      /* its `name:` or the file name */
	const char *description;
	pol_pats groups[NGROUPS];
	pol_pats approved, ignore;
	int default_group;      /* GROUP_*, default GROUP_NON_BUSINESS */
	int plat_default[NPLATFORMS]; /* GROUP_NONE = the file's default */
	pol_pats allow_hosts, deny_hosts;
	int dynamic;            /* 1 flag dynamic endpoints, 0 ignore */
	int has_endpoints;
	pol_rule *rules;
	size_t nrules;
	size_t nrules_explicit; /* the rest come from required settings */
	pol_setting *settings;
	size_t nsettings;
	pol_data data[WD_CLASS_SECRET + 1];
	pol_crit *crit;
	size_t ncrit;
	int has_loss;
	const char *currency;
	double per_min[WD_CLASS_SECRET + 1], per_max[WD_CLASS_SECRET + 1];
	int has_per[WD_CLASS_SECRET + 1];
	const char *per_source[WD_CLASS_SECRET + 1];
	int has_default_records;
	double default_records;
	const char *default_records_source;
	pol_records *records;
	size_t nrecords;
	size_t npatterns;       /* connector patterns, for `policy check` */
} pol_file;

typedef struct pol_owner_rule {
	pol_select sel;
	pol_pats connectors;    /* non-empty: the rule is about components */
	const char *owner, *team, *escalation;
	int criticality;        /* 0 not said */
	const char *source;
} pol_owner_rule;

struct wd_policy {
	wd_arena arena;
	wd_yaml_doc **docs;
	size_t ndocs, docs_cap;
	pol_file **files;
	size_t nfiles, files_cap;
	pol_env *envs;
	size_t nenvs, envs_cap;
	pol_owner_rule *owners;
	size_t nowners, owners_cap;
	int has_owners;
	wd_suppression *sups;
	size_t nsups, sups_cap;
};

/* ---- shared helpers (policy.c) ------------------------------------------------- */

/* A parse in progress: scratch arena, source name, error. */
typedef struct pol_load {
	wd_arena arena;
	const char *name;
	wd_error *err;
	const wd_policy *p;     /* the policy loaded so far (read only) */
} pol_load;

/* Record a format error at node n ("path:line:col" is added by the caller). */
wd_status pol_fail(pol_load *l, const wd_yaml_node *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
wd_status pol_oom(pol_load *l);
/* Zeroed n x size bytes from the scratch arena (NULL when out of memory). */
void *pol_zalloc(pol_load *l, size_t n, size_t size);
/* "name:line" / "name:line:col" in the scratch arena (NULL when out of memory). */
const char *pol_source(pol_load *l, const wd_yaml_node *n);
const char *pol_source_col(pol_load *l, const wd_yaml_node *n);
/* A non-empty string without NUL bytes. */
wd_status pol_node_str(pol_load *l, const wd_yaml_node *n, const char *what, const char **out);
/* An optional string member (absent or null: *out = NULL). */
wd_status pol_opt_str(pol_load *l, const wd_yaml_node *map, const char *key, const char **out);
/* A rule id (canonical spelling returned) or a glob matching at least one rule. */
wd_status pol_rule_pattern(pol_load *l, const wd_yaml_node *n, const char **out);
/* A string or a list of strings -> globs. */
wd_status pol_read_globs(pol_load *l, const wd_yaml_node *v, const char *what, pol_globs *out);
/* A list (or one string) of connector patterns. */
wd_status pol_read_pats(pol_load *l, const wd_yaml_node *v, const char *what, pol_pats *out);
/* apps / paths / platforms keys of a mapping into a selector. */
wd_status pol_read_select(pol_load *l, const wd_yaml_node *map, pol_select *out);
/* A platform name or a list of them -> bit mask. */
wd_status pol_read_platforms(pol_load *l, const wd_yaml_node *v, uint32_t *mask);
/* Criticality: 1..4 or low / medium / high / critical / mission-critical. */
wd_status pol_read_criticality(pol_load *l, const wd_yaml_node *v, int *out);
/* Check `version: 1` at the root. */
wd_status pol_check_version(pol_load *l, const wd_yaml_node *root, const char *what);

/* The rule switch for one rule in one app's context: 1 on, 0 off; *sev set
 * when a file gives a severity. */
int pol_rule_state(const wd_policy *p, const char *rule_id, wd_platform plat, const char *env,
                   int *sev);

/* Does the selector take this app? */
int pol_select_match(const pol_select *s, const wd_model *m, uint32_t app);
/* Does a connector pattern match this component? */
int pol_pat_match(const pol_pat *pt, const wd_model *m, const wd_component *c);
/* The first (pol_pats) pattern matching, NULL if none; best: highest score. */
const pol_pat *pol_pats_first(const pol_pats *ps, const wd_model *m, const wd_component *c);
const pol_pat *pol_pats_best(const pol_pats *ps, const wd_model *m, const wd_component *c);
/* Glob list matches s (any glob). */
int pol_globs_match(const pol_globs *g, const char *s, size_t len, int ci);
int pol_globs_match_path(const pol_globs *g, const char *path);

/* suppress.c: parse a suppressions list into the scratch arena. */
wd_status pol_read_suppressions(pol_load *l, const wd_yaml_node *list, wd_suppression **out,
                                size_t *n);
/* owners.c */
wd_status pol_read_owners(pol_load *l, const wd_yaml_node *root, pol_owner_rule **out,
                          size_t *n);

#endif
