/*
 * policy/policy.c - loading policy files, combining several, and the
 * questions other stages ask (environment, rule switches, criticality,
 * loss inputs). Format and semantics: docs/policy.md.
 *
 * A file is read through src/lib/yaml into a tree, then validated and
 * converted in one pass into a pol_file built in a scratch arena. Only when
 * the whole file is valid are its tables appended to the policy (array
 * capacity is reserved first, so the commit itself cannot fail): a file
 * with an error is never partly applied. The YAML document stays alive in
 * the policy, since the tables point into it.
 *
 * Combining files is strict (docs/policy.md "Several policy files"): the
 * checks in review.c look at every file; a rule is on when any file leaves
 * it on, at the highest severity any file gives; environments come from the
 * first file that defines a name; suppressions and owners accumulate.
 *
 * The loaded policy is never written again, so scan threads may share it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "policy/policy_int.h"

extern const unsigned char wd_policy_default_data[];
extern const size_t wd_policy_default_data_len;

#define DEFAULT_NAME "default.yaml"

/* ---- lifecycle ----------------------------------------------------------------------- */

wd_status wd_policy_new(wd_policy **out)
{
	wd_policy *p = calloc(1, sizeof(*p));

	*out = NULL;
	if (!p)
		return WD_ENOMEM;
	wd_arena_init(&p->arena, 16 * 1024);
	*out = p;
	return WD_OK;
}

void wd_policy_free(wd_policy *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->ndocs; i++)
		wd_yaml_free(p->docs[i]);
	free(p->docs);
	free(p->files);
	free(p->envs);
	free(p->owners);
	free(p->sups);
	wd_arena_release(&p->arena);
	free(p);
}

const char *wd_policy_default_text(size_t *len)
{
	if (len)
		*len = wd_policy_default_data_len;
	return (const char *)wd_policy_default_data;
}

int wd_policy_has_owners(const wd_policy *p)
{
	return p && p->has_owners;
}

/* ---- small helpers ------------------------------------------------------------------- */

wd_status pol_fail(pol_load *l, const wd_yaml_node *n, const char *fmt, ...)
{
	char msg[WD_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return wd_yaml_error(l->err, WD_EFORMAT, n, "%s", msg);
}

wd_status pol_oom(pol_load *l)
{
	return wd_error_set(l->err, WD_ENOMEM, "out of memory");
}

void *pol_zalloc(pol_load *l, size_t n, size_t size)
{
	if (n && size > SIZE_MAX / n)
		return NULL;
	return wd_arena_zalloc(&l->arena, n && size ? n * size : 1);
}

static const char *source_fmt(pol_load *l, const wd_yaml_node *n, int col)
{
	char buf[64];
	size_t nl = strlen(l->name);
	char *s;

	if (col)
		snprintf(buf, sizeof(buf), ":%u:%u", n ? n->line : 0, n ? n->column : 0);
	else
		snprintf(buf, sizeof(buf), ":%u", n ? n->line : 0);
	s = wd_arena_alloc(&l->arena, nl + strlen(buf) + 1);
	if (!s)
		return NULL;
	memcpy(s, l->name, nl);
	memcpy(s + nl, buf, strlen(buf) + 1);
	return s;
}

const char *pol_source(pol_load *l, const wd_yaml_node *n)
{
	return source_fmt(l, n, 0);
}

const char *pol_source_col(pol_load *l, const wd_yaml_node *n)
{
	return source_fmt(l, n, 1);
}

static int has_wildcard(const char *s)
{
	return strchr(s, '*') || strchr(s, '?');
}

/* A plain true/false/yes/no/on/off scalar; -1 when it is none. */
static int scalar_bool(const wd_yaml_node *n)
{
	static const char *const t[] = {"true", "yes", "on"}, *const f[] = {"false", "no", "off"};
	size_t i;

	if (!n || n->type != WD_YAML_SCALAR || n->quoted)
		return -1;
	for (i = 0; i < 3; i++) {
		if (strcasecmp(n->text, t[i]) == 0)
			return 1;
		if (strcasecmp(n->text, f[i]) == 0)
			return 0;
	}
	return -1;
}

static wd_status node_bool(pol_load *l, const wd_yaml_node *n, const char *what, int *out)
{
	int b = scalar_bool(n);

	if (b < 0)
		return pol_fail(l, n, "'%s' must be true or false, not %s", what,
		            n && n->type == WD_YAML_SCALAR ? "a string" : wd_yaml_type_name(n));
	*out = b;
	return WD_OK;
}

/* A string value (absent or null: *out = NULL). */
wd_status pol_opt_str(pol_load *l, const wd_yaml_node *map, const char *key, const char **out)
{
	const wd_yaml_node *v = wd_yaml_get(map, key);

	*out = NULL;
	if (!v || v->type == WD_YAML_NULL)
		return WD_OK;
	if (v->type != WD_YAML_SCALAR)
		return pol_fail(l, v, "'%s' must be a string, not a %s", key, wd_yaml_type_name(v));
	if (strlen(v->text) != v->len)
		return pol_fail(l, v, "'%s' contains a NUL character", key);
	*out = v->text;
	return WD_OK;
}

wd_status pol_node_str(pol_load *l, const wd_yaml_node *n, const char *what, const char **out)
{
	wd_status rc = wd_yaml_as_str(n, what, out, l->err);

	if (rc == WD_OK && strlen(*out) != n->len)
		return pol_fail(l, n, "%s contains a NUL character", what);
	if (rc == WD_OK && !**out)
		return pol_fail(l, n, "%s is empty", what);
	return rc;
}

static wd_status severity_of(pol_load *l, const wd_yaml_node *n, int *out)
{
	const char *s;
	wd_status rc = pol_node_str(l, n, "severity", &s);

	if (rc != WD_OK)
		return rc;
	*out = wd_severity_parse(s);
	if (*out < 0)
		return pol_fail(l, n,
		                "unknown severity '%s' (expected info, low, medium, high or critical)", s);
	return WD_OK;
}

static wd_status opt_severity(pol_load *l, const wd_yaml_node *map, int *out)
{
	const wd_yaml_node *v = wd_yaml_get(map, "severity");

	*out = -1;
	if (!v || v->type == WD_YAML_NULL)
		return WD_OK;
	return severity_of(l, v, out);
}

wd_status pol_read_globs(pol_load *l, const wd_yaml_node *v, const char *what, pol_globs *out)
{
	size_t i;
	wd_status rc;

	memset(out, 0, sizeof(*out));
	if (!v || v->type == WD_YAML_NULL)
		return WD_OK;
	if (v->type == WD_YAML_SCALAR) {
		out->v = pol_zalloc(l, 1, sizeof(*out->v));
		if (!out->v)
			return pol_oom(l);
		out->n = 1;
		return pol_node_str(l, v, what, &out->v[0]);
	}
	if (v->type != WD_YAML_SEQ)
		return pol_fail(l, v, "'%s' must be a string or a list of strings, not a mapping", what);
	out->v = pol_zalloc(l, v->n, sizeof(*out->v));
	if (!out->v)
		return pol_oom(l);
	for (i = 0; i < v->n; i++) {
		rc = pol_node_str(l, v->items[i], what, &out->v[i]);
		if (rc != WD_OK)
			return rc;
	}
	out->n = v->n;
	return WD_OK;
}

/* ---- connector patterns -------------------------------------------------------------- */


static int known_category(const char *name)
{
	const wd_catalog *cat = wd_catalog_default();
	size_t i, n = cat ? wd_catalog_count(cat) : 0;

	for (i = 0; i < n; i++) {
		wd_str c = wd_catalog_at(cat, i)->category;
		if (c.len == strlen(name) && strncasecmp(c.ptr, name, c.len) == 0)
			return 1;
	}
	return 0;
}

static int known_kind(const char *name)
{
	int k;

	for (k = WD_KIND_OTHER; k <= WD_KIND_NOTE; k++)
		if (strcasecmp(wd_kind_name((wd_kind)k), name) == 0)
			return 1;
	return 0;
}

static wd_status parse_pat(pol_load *l, const wd_yaml_node *n, pol_pat *pt)
{
	const char *s, *colon, *g;
	wd_status rc = pol_node_str(l, n, "connector pattern", &s);
	size_t i;

	if (rc != WD_OK)
		return rc;
	memset(pt, 0, sizeof(*pt));
	pt->text = s;
	pt->source = pol_source(l, n);
	if (!pt->source)
		return pol_oom(l);
	colon = strchr(s, ':');
	if (colon) {
		wd_platform p = wd_platform_parse(wd_str_make(s, (size_t)(colon - s)));
		if (p != WD_PLATFORM_UNKNOWN) {
			pt->platform = p;
			s = colon + 1;
			pt->score += 1000;
		}
	}
	if (strncasecmp(s, "category:", 9) == 0) {
		pt->kind = PAT_CATEGORY;
		g = s + 9;
		if (!*g || (!has_wildcard(g) && !known_category(g)))
			return pol_fail(l, n, "unknown catalog category '%s' in '%s'", g, pt->text);
	} else if (strncasecmp(s, "kind:", 5) == 0) {
		pt->kind = PAT_KIND;
		g = s + 5;
		if (!*g || (!has_wildcard(g) && !known_kind(g)))
			return pol_fail(l, n,
			            "unknown component kind '%s' in '%s' (expected trigger, entry, action, "
			            "datastore, code, ai, subflow, ui, config, logic or other)",
			            g, pt->text);
	} else if (strncasecmp(s, "role:", 5) == 0) {
		pt->kind = PAT_ROLE;
		g = s + 5;
		pt->role = wd_catalog_role(g, strlen(g));
		if (!pt->role)
			return pol_fail(l, n,
			            "unknown role '%s' in '%s' (expected one of: http, webhook, sql, shell, "
			            "code, fs, mqtt, ftp, ssh, email-send, email-read, ai-agent, ai-model, "
			            "ai-tool, vector-store, ...)",
			            g, pt->text);
	} else {
		pt->kind = PAT_NAME;
		g = s;
		if (!*g)
			return pol_fail(l, n, "empty connector pattern '%s'", pt->text);
		for (i = 0; g[i]; i++)
			pt->score += g[i] != '*' && g[i] != '?';
	}
	pt->glob = g;
	return WD_OK;
}

wd_status pol_read_pats(pol_load *l, const wd_yaml_node *v, const char *what, pol_pats *out)
{
	size_t i;
	wd_status rc;

	memset(out, 0, sizeof(*out));
	if (!v || v->type == WD_YAML_NULL)
		return WD_OK;
	if (v->type == WD_YAML_SCALAR) {
		out->v = pol_zalloc(l, 1, sizeof(*out->v));
		if (!out->v)
			return pol_oom(l);
		out->n = 1;
		return parse_pat(l, v, &out->v[0]);
	}
	if (v->type != WD_YAML_SEQ)
		return pol_fail(l, v, "'%s' must be a list of connector patterns, not a mapping", what);
	out->v = pol_zalloc(l, v->n, sizeof(*out->v));
	if (!out->v)
		return pol_oom(l);
	for (i = 0; i < v->n; i++) {
		rc = parse_pat(l, v->items[i], &out->v[i]);
		if (rc != WD_OK)
			return rc;
	}
	out->n = v->n;
	return WD_OK;
}

static wd_platform comp_platform(const wd_model *m, const wd_component *c)
{
	return c->app != WD_NONE && c->app < m->napps ? m->apps[c->app].platform : m->platform;
}

static int str_match(const char *glob, wd_str s)
{
	return s.len && wd_glob_match(glob, s.ptr, s.len, 1);
}

int pol_pat_match(const pol_pat *pt, const wd_model *m, const wd_component *c)
{
	wd_platform plat = comp_platform(m, c);
	const wd_catalog_entry *e = c->connector;

	if (pt->platform != WD_PLATFORM_UNKNOWN && pt->platform != plat)
		return 0;
	switch (pt->kind) {
	case PAT_CATEGORY:
		return e && str_match(pt->glob, e->category);
	case PAT_KIND:
		return wd_glob_match(pt->glob, wd_kind_name(c->kind), strlen(wd_kind_name(c->kind)), 1);
	case PAT_ROLE:
		return e && (e->flags & pt->role);
	default:
		break;
	}
	if (e) {
		if (str_match(pt->glob, e->service) || str_match(pt->glob, e->type))
			return 1;
		/* Power Platform names connectors "shared_<api>" */
		if (plat == WD_PLATFORM_POWER_AUTOMATE && strncasecmp(pt->glob, "shared_", 7) == 0 &&
		    str_match(pt->glob + 7, e->type))
			return 1;
	}
	if (str_match(pt->glob, c->type))
		return 1;
	if (plat == WD_PLATFORM_POWER_AUTOMATE) {
		/* "shared_sql.ExecuteQuery": the api part alone */
		const char *dot = c->type.len ? memchr(c->type.ptr, '.', c->type.len) : NULL;
		if (dot && str_match(pt->glob, wd_str_make(c->type.ptr, (size_t)(dot - c->type.ptr))))
			return 1;
	}
	return 0;
}

const pol_pat *pol_pats_first(const pol_pats *ps, const wd_model *m, const wd_component *c)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		if (pol_pat_match(&ps->v[i], m, c))
			return &ps->v[i];
	return NULL;
}

const pol_pat *pol_pats_best(const pol_pats *ps, const wd_model *m, const wd_component *c)
{
	const pol_pat *best = NULL;
	size_t i;

	for (i = 0; i < ps->n; i++)
		if ((!best || ps->v[i].score > best->score) && pol_pat_match(&ps->v[i], m, c))
			best = &ps->v[i];
	return best;
}

int pol_globs_match(const pol_globs *g, const char *s, size_t len, int ci)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (wd_glob_match(g->v[i], s, len, ci))
			return 1;
	return 0;
}

int wd_policy_match_path(const char *pattern, const char *path)
{
	const char *s;

	if (!pattern || !path)
		return 0;
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	if (wd_glob_match(pattern[0] == '/' && path[0] != '/' ? pattern + 1 : pattern, path,
	                  strlen(path), 0))
		return 1;
	/* a pattern starting with "**" already matches after any '/' */
	if (pattern[0] == '/' || (pattern[0] == '*' && pattern[1] == '*'))
		return 0;
	for (s = strchr(path, '/'); s; s = strchr(s + 1, '/'))
		if (wd_glob_match(pattern, s + 1, strlen(s + 1), 0))
			return 1;
	return 0;
}

int pol_globs_match_path(const pol_globs *g, const char *path)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (wd_policy_match_path(g->v[i], path))
			return 1;
	return 0;
}

/* ---- selectors ----------------------------------------------------------------------- */

wd_status pol_read_platforms(pol_load *l, const wd_yaml_node *v, uint32_t *mask)
{
	pol_globs g;
	size_t i;
	wd_status rc = pol_read_globs(l, v, "platforms", &g);

	*mask = 0;
	if (rc != WD_OK)
		return rc;
	for (i = 0; i < g.n; i++) {
		wd_platform p = wd_platform_parse(wd_str_c(g.v[i]));
		if (p == WD_PLATFORM_UNKNOWN)
			return pol_fail(l, v->type == WD_YAML_SEQ ? v->items[i] : v,
			            "unknown platform '%s' (expected n8n, node-red, power-automate, make "
			            "or zapier)",
			            g.v[i]);
		*mask |= 1u << p;
	}
	return WD_OK;
}

wd_status pol_read_select(pol_load *l, const wd_yaml_node *map, pol_select *out)
{
	wd_status rc;

	memset(out, 0, sizeof(*out));
	rc = pol_read_globs(l, wd_yaml_get(map, "apps"), "apps", &out->apps);
	if (rc == WD_OK)
		rc = pol_read_globs(l, wd_yaml_get(map, "paths"), "paths", &out->paths);
	if (rc == WD_OK)
		rc = pol_read_platforms(l, wd_yaml_get(map, "platforms"), &out->platforms);
	return rc;
}

static wd_platform app_platform(const wd_model *m, uint32_t app)
{
	return app != WD_NONE && app < m->napps ? m->apps[app].platform : m->platform;
}

static int app_name_match(const pol_globs *g, const wd_model *m, uint32_t app)
{
	const wd_app *a;

	if (app == WD_NONE || app >= m->napps)
		return 0;
	a = &m->apps[app];
	return (a->name.len && pol_globs_match(g, a->name.ptr, a->name.len, 1)) ||
	       (a->id.len && pol_globs_match(g, a->id.ptr, a->id.len, 1));
}

int pol_select_match(const pol_select *s, const wd_model *m, uint32_t app)
{
	if (s->platforms && !(s->platforms & (1u << app_platform(m, app))))
		return 0;
	if (s->apps.n && !app_name_match(&s->apps, m, app))
		return 0;
	if (s->paths.n && !pol_globs_match_path(&s->paths, m->path ? m->path : ""))
		return 0;
	return 1;
}

wd_status pol_read_criticality(pol_load *l, const wd_yaml_node *v, int *out)
{
	static const struct {
		const char *name;
		int level;
	} names[] = {{"1", 1}, {"2", 2}, {"3", 3}, {"4", 4}, {"low", 1}, {"medium", 2},
	             {"high", 3}, {"critical", 4}, {"mission-critical", 4}};
	size_t i;

	if (v && v->type == WD_YAML_SCALAR)
		for (i = 0; i < sizeof(names) / sizeof(*names); i++)
			if (strcasecmp(v->text, names[i].name) == 0) {
				*out = names[i].level;
				return WD_OK;
			}
	return pol_fail(l, v,
	            "'criticality' must be 1 to 4 or low, medium, high, mission-critical");
}

wd_status pol_check_version(pol_load *l, const wd_yaml_node *root, const char *what)
{
	int64_t v = 0;
	wd_status rc;

	if (!root || root->type != WD_YAML_MAP)
		return pol_fail(l, root, "%s must be a mapping (starting with 'version: 1'), not %s", what,
		            root && root->type == WD_YAML_NULL ? "empty"
		                                               : wd_yaml_type_name(root));
	rc = wd_yaml_get_int(root, "version", 0, INT32_MAX, &v, l->err);
	if (rc == WD_ENOTFOUND)
		return pol_fail(l, root, "%s has no 'version' (write 'version: 1' first)", what);
	if (rc == WD_OK && v != 1)
		return pol_fail(l, wd_yaml_get(root, "version"),
		                "unsupported version %lld (this warden reads version 1)", (long long)v);
	return rc;
}

/* ---- parsing one policy file --------------------------------------------------------- */

static wd_status read_environments(pol_load *l, const wd_yaml_node *v, pol_env **out,
                                   size_t *n)
{
	static const char *const keys[] = {"paths", "apps", "description", NULL};
	size_t i;
	wd_status rc;

	*out = NULL;
	*n = 0;
	if (!v || v->type == WD_YAML_NULL)
		return WD_OK;
	if (v->type != WD_YAML_MAP)
		return pol_fail(l, v, "'environments' must be a mapping of names to paths and apps");
	*out = pol_zalloc(l, v->n, sizeof(**out));
	if (!*out)
		return pol_oom(l);
	for (i = 0; i < v->n; i++) {
		pol_env *e = &(*out)[i];
		const wd_yaml_node *body = v->items[i];
		rc = pol_node_str(l, v->keys[i], "environment name", &e->name);
		if (rc == WD_OK)
			rc = wd_yaml_check_keys(body, "an environment", keys, l->err);
		if (rc == WD_OK)
			rc = pol_read_globs(l, wd_yaml_get(body, "paths"), "paths", &e->paths);
		if (rc == WD_OK)
			rc = pol_read_globs(l, wd_yaml_get(body, "apps"), "apps", &e->apps);
		if (rc != WD_OK)
			return rc;
		if (!e->paths.n && !e->apps.n)
			return pol_fail(l, body, "environment '%s' needs 'paths' or 'apps'", e->name);
		e->source = pol_source(l, v->keys[i]);
		if (!e->source)
			return pol_oom(l);
	}
	*n = v->n;
	return WD_OK;
}

static wd_status group_name(pol_load *l, const wd_yaml_node *v, int *out)
{
	const char *s;
	wd_status rc = pol_node_str(l, v, "default_group", &s);

	if (rc != WD_OK)
		return rc;
	if (strcmp(s, "business") == 0)
		*out = GROUP_BUSINESS;
	else if (strcmp(s, "non_business") == 0)
		*out = GROUP_NON_BUSINESS;
	else if (strcmp(s, "blocked") == 0)
		*out = GROUP_BLOCKED;
	else
		return pol_fail(l, v, "unknown group '%s' (expected business, non_business or blocked)", s);
	return WD_OK;
}

static const char *const group_keys[] = {"business", "non_business", "blocked"};

/* Append src's patterns to dst, forcing a platform (connectors.platforms.X). */
static wd_status append_pats(pol_load *l, pol_pats *dst, const pol_pats *src, wd_platform plat)
{
	pol_pat *v;
	size_t i;

	if (!src->n)
		return WD_OK;
	v = pol_zalloc(l, dst->n + src->n, sizeof(*v));
	if (!v)
		return pol_oom(l);
	if (dst->n)
		memcpy(v, dst->v, dst->n * sizeof(*v));
	for (i = 0; i < src->n; i++) {
		pol_pat pt = src->v[i];
		if (plat != WD_PLATFORM_UNKNOWN && pt.platform == WD_PLATFORM_UNKNOWN) {
			pt.platform = plat;
			pt.score += 1000;
		}
		v[dst->n + i] = pt;
	}
	dst->v = v;
	dst->n += src->n;
	return WD_OK;
}

static wd_status read_group_block(pol_load *l, pol_file *f, const wd_yaml_node *v,
                                  wd_platform plat)
{
	static const char *const keys[] = {"default_group", "business", "non_business", "blocked",
	                                   "approved", "ignore", "platforms", NULL};
	static const char *const pkeys[] = {"default_group", "business", "non_business", "blocked",
	                                    "approved", "ignore", NULL};
	const wd_yaml_node *x;
	pol_pats tmp;
	int g = GROUP_NONE;
	size_t i;
	wd_status rc;

	rc = wd_yaml_check_keys(v, plat == WD_PLATFORM_UNKNOWN ? "'connectors'"
	                                                       : "a platform's connectors",
	                        plat == WD_PLATFORM_UNKNOWN ? keys : pkeys, l->err);
	if (rc != WD_OK)
		return rc;
	x = wd_yaml_get(v, "default_group");
	if (x && x->type != WD_YAML_NULL) {
		rc = group_name(l, x, &g);
		if (rc != WD_OK)
			return rc;
		if (plat == WD_PLATFORM_UNKNOWN)
			f->default_group = g;
		else
			f->plat_default[plat] = g;
	}
	for (g = 0; g < NGROUPS; g++) {
		rc = pol_read_pats(l, wd_yaml_get(v, group_keys[g]), group_keys[g], &tmp);
		if (rc == WD_OK)
			rc = append_pats(l, &f->groups[g], &tmp, plat);
		if (rc != WD_OK)
			return rc;
		f->npatterns += tmp.n;
	}
	rc = pol_read_pats(l, wd_yaml_get(v, "approved"), "approved", &tmp);
	if (rc == WD_OK)
		rc = append_pats(l, &f->approved, &tmp, plat);
	f->npatterns += tmp.n;
	if (rc == WD_OK)
		rc = pol_read_pats(l, wd_yaml_get(v, "ignore"), "ignore", &tmp);
	if (rc == WD_OK)
		rc = append_pats(l, &f->ignore, &tmp, plat);
	f->npatterns += tmp.n;
	if (rc != WD_OK || plat != WD_PLATFORM_UNKNOWN)
		return rc;
	x = wd_yaml_get(v, "platforms");
	if (!x || x->type == WD_YAML_NULL)
		return WD_OK;
	if (x->type != WD_YAML_MAP)
		return pol_fail(l, x,
		                "'platforms' must be a mapping of platform names to connector groups");
	for (i = 0; i < x->n; i++) {
		const char *name;
		wd_platform p;
		rc = pol_node_str(l, x->keys[i], "platform name", &name);
		if (rc != WD_OK)
			return rc;
		p = wd_platform_parse(wd_str_c(name));
		if (p == WD_PLATFORM_UNKNOWN)
			return pol_fail(l, x->keys[i],
			            "unknown platform '%s' (expected n8n, node-red, power-automate, make or "
			            "zapier)",
			            name);
		rc = read_group_block(l, f, x->items[i], p);
		if (rc != WD_OK)
			return rc;
	}
	return WD_OK;
}

static wd_status read_endpoints(pol_load *l, pol_file *f, const wd_yaml_node *v)
{
	static const char *const keys[] = {"allow", "deny", "dynamic", NULL};
	pol_globs g;
	const wd_yaml_node *x;
	const char *s;
	size_t i, k;
	wd_status rc;

	if (!v || v->type == WD_YAML_NULL)
		return WD_OK;
	rc = wd_yaml_check_keys(v, "'endpoints'", keys, l->err);
	if (rc != WD_OK)
		return rc;
	f->has_endpoints = 1;
	f->dynamic = 1;
	for (k = 0; k < 2; k++) {
		pol_pats *dst = k ? &f->deny_hosts : &f->allow_hosts;
		x = wd_yaml_get(v, k ? "deny" : "allow");
		rc = pol_read_globs(l, x, k ? "deny" : "allow", &g);
		if (rc != WD_OK)
			return rc;
		dst->v = pol_zalloc(l, g.n, sizeof(*dst->v));
		if (!dst->v)
			return pol_oom(l);
		for (i = 0; i < g.n; i++) {
			const wd_yaml_node *item = x->type == WD_YAML_SEQ ? x->items[i] : x;
			const char *c = strrchr(g.v[i], ':');
			if (strchr(g.v[i], '/'))
				return pol_fail(l, item,
				            "host pattern '%s' contains '/': write the host (and port), not "
				            "a URL",
				            g.v[i]);
			if (c && (!c[1] || strspn(c + 1, "0123456789*?") != strlen(c + 1)))
				return pol_fail(l, item, "bad port in host pattern '%s'", g.v[i]);
			dst->v[i].text = dst->v[i].glob = g.v[i];
			dst->v[i].has_port = c != NULL;
			dst->v[i].source = pol_source(l, item);
			if (!dst->v[i].source)
				return pol_oom(l);
		}
		dst->n = g.n;
	}
	x = wd_yaml_get(v, "dynamic");
	if (x && x->type != WD_YAML_NULL) {
		rc = pol_node_str(l, x, "dynamic", &s);
		if (rc != WD_OK)
			return rc;
		if (strcmp(s, "flag") == 0)
			f->dynamic = 1;
		else if (strcmp(s, "ignore") == 0)
			f->dynamic = 0;
		else
			return pol_fail(l, x, "'dynamic' must be flag or ignore, not '%s'", s);
	}
	return WD_OK;
}

/* ---- settings ------------------------------------------------------------------------ */

typedef struct set_def {
	wd_platform platform;
	const char *key;
	set_id id;
	const char *covers;      /* built-in rule that reports the fact, or NULL */
} set_def;

static const set_def set_defs[] = {
	{WD_PLATFORM_N8N, "error_workflow", SET_ERROR_WORKFLOW, "WD-LOG-001"},
	{WD_PLATFORM_N8N, "save_failed_executions", SET_SAVE_FAILED, "WD-LOG-002"},
	{WD_PLATFORM_N8N, "caller_policy", SET_CALLER_POLICY, "WD-ACL-001"},
	{WD_PLATFORM_N8N, "max_execution_timeout", SET_MAX_TIMEOUT, NULL},
	{WD_PLATFORM_POWER_AUTOMATE, "secure_data", SET_SECURE_DATA, "WD-DATA-002"},
	{WD_PLATFORM_POWER_AUTOMATE, "trigger_authentication", SET_TRIGGER_AUTH, "WD-ENTRY-001"},
	{WD_PLATFORM_POWER_AUTOMATE, "error_handling", SET_ERROR_HANDLING, "WD-LOG-001"},
	{WD_PLATFORM_MAKE, "confidential", SET_CONFIDENTIAL, "WD-DATA-003"},
	{WD_PLATFORM_MAKE, "error_handling", SET_ERROR_HANDLING, "WD-LOG-001"},
	{WD_PLATFORM_NODERED, "error_handling", SET_ERROR_HANDLING, NULL},
};

static const char *const caller_values[] = {"any", "none", "workflowsFromSameOwner",
                                            "workflowsFromAList"};

/* One setting's value (the plain form or `value:` of the long form). */
static wd_status read_setting_value(pol_load *l, const set_def *d, const wd_yaml_node *v,
                                    pol_setting *s, int *on)
{
	size_t i, j;
	wd_status rc;

	*on = 1;
	switch (d->id) {
	case SET_CALLER_POLICY:
		rc = pol_read_globs(l, v, d->key, &s->allowed);
		if (rc != WD_OK)
			return rc;
		if (!s->allowed.n)
			return pol_fail(l, v, "'caller_policy' needs at least one allowed value");
		for (i = 0; i < s->allowed.n; i++) {
			int ok = 0;
			for (j = 0; j < 4; j++)
				ok |= strcmp(s->allowed.v[i], caller_values[j]) == 0;
			if (!ok)
				return pol_fail(l, v->type == WD_YAML_SEQ ? v->items[i] : v,
				            "unknown caller policy '%s' (expected any, none, "
				            "workflowsFromSameOwner or workflowsFromAList)",
				            s->allowed.v[i]);
		}
		return WD_OK;
	case SET_MAX_TIMEOUT: {
		char *end = NULL;
		long long n;
		if (!v || v->type != WD_YAML_SCALAR || v->quoted)
			return pol_fail(l, v, "'max_execution_timeout' must be a number of seconds");
		n = strtoll(v->text, &end, 10);
		if (!end || *end || end == v->text || n < 1 || n > 100000000)
			return pol_fail(l, v, "'max_execution_timeout' must be a number of seconds between 1 "
			                  "and 100000000, not '%s'",
			            v->text);
		s->max = n;
		return WD_OK;
	}
	case SET_CONFIDENTIAL:
		if (scalar_bool(v) == 0) {
			*on = 0;
			return WD_OK;
		}
		if (v && v->type == WD_YAML_SCALAR && strcmp(v->text, "personal_data") == 0)
			return WD_OK;
		if (v && v->type == WD_YAML_SCALAR && strcmp(v->text, "always") == 0) {
			s->always = 1;
			return WD_OK;
		}
		return pol_fail(l, v, "'confidential' must be personal_data, always or false");
	default:
		return node_bool(l, v, d->key, on);
	}
}

static wd_status read_settings(pol_load *l, pol_file *f, const wd_yaml_node *v)
{
	static const char *const long_keys[] = {"value", "severity", NULL};
	size_t i, j, k, n = 0;
	wd_status rc;

	if (!v || v->type == WD_YAML_NULL)
		return WD_OK;
	if (v->type != WD_YAML_MAP)
		return pol_fail(l, v, "'settings' must be a mapping of platform names to settings");
	for (i = 0; i < v->n; i++)
		n += v->items[i]->type == WD_YAML_MAP ? v->items[i]->n : 0;
	f->settings = pol_zalloc(l, n, sizeof(*f->settings));
	if (!f->settings)
		return pol_oom(l);
	for (i = 0; i < v->n; i++) {
		const char *pname, *allowed[8];
		const wd_yaml_node *body = v->items[i];
		wd_platform p;
		size_t na = 0;
		rc = pol_node_str(l, v->keys[i], "platform name", &pname);
		if (rc != WD_OK)
			return rc;
		p = wd_platform_parse(wd_str_c(pname));
		if (p == WD_PLATFORM_UNKNOWN)
			return pol_fail(l, v->keys[i],
			            "unknown platform '%s' (expected n8n, node-red, power-automate or make)",
			            pname);
		for (k = 0; k < sizeof(set_defs) / sizeof(*set_defs); k++)
			if (set_defs[k].platform == p)
				allowed[na++] = set_defs[k].key;
		allowed[na] = NULL;
		if (!na)
			return pol_fail(l, v->keys[i], "Warden knows no settings to require for %s", pname);
		rc = wd_yaml_check_keys(body, "settings", allowed, l->err);
		if (rc != WD_OK)
			return rc;
		for (j = 0; j < body->n; j++) {
			const set_def *d = NULL;
			const wd_yaml_node *val = body->items[j];
			pol_setting *s = &f->settings[f->nsettings];
			int on = 1;
			for (k = 0; k < sizeof(set_defs) / sizeof(*set_defs); k++)
				if (set_defs[k].platform == p && strcmp(set_defs[k].key, body->keys[j]->text) == 0)
					d = &set_defs[k];
			if (!d)
				return pol_fail(l, body->keys[j], "unknown setting"); /* not reached */
			memset(s, 0, sizeof(*s));
			s->id = d->id;
			s->platform = p;
			s->name = d->key;
			s->severity = -1;
			if (val->type == WD_YAML_MAP) {
				const wd_yaml_node *x = wd_yaml_get(val, "value");
				rc = wd_yaml_check_keys(val, "a setting", long_keys, l->err);
				if (rc == WD_OK && !x)
					rc = pol_fail(l, val, "setting '%s' needs a 'value'", d->key);
				if (rc == WD_OK)
					rc = opt_severity(l, val, &s->severity);
				if (rc == WD_OK)
					rc = read_setting_value(l, d, x, s, &on);
			} else {
				rc = read_setting_value(l, d, val, s, &on);
			}
			if (rc != WD_OK)
				return rc;
			if (!on)
				continue;
			s->source = pol_source(l, body->keys[j]);
			if (!s->source)
				return pol_oom(l);
			f->nsettings++;
		}
	}
	return WD_OK;
}

/* ---- data classes -------------------------------------------------------------------- */

static int class_parse(const char *s)
{
	int c;

	for (c = WD_CLASS_PII; c <= WD_CLASS_SECRET; c++)
		if (strcmp(wd_class_name((wd_class)c), s) == 0)
			return c;
	return -1;
}

static wd_status read_data(pol_load *l, pol_file *f, const wd_yaml_node *v)
{
	static const char *const keys[] = {"deny", "allow", "severity", NULL};
	size_t i, j;
	wd_status rc;

	if (!v || v->type == WD_YAML_NULL)
		return WD_OK;
	if (v->type != WD_YAML_MAP)
		return pol_fail(l, v, "'data' must be a mapping of data classes to flow rules");
	for (i = 0; i < v->n; i++) {
		const char *cname;
		pol_globs deny;
		pol_data *d;
		int c;
		rc = pol_node_str(l, v->keys[i], "data class", &cname);
		if (rc != WD_OK)
			return rc;
		c = class_parse(cname);
		if (c < 0)
			return pol_fail(l, v->keys[i],
			            "unknown data class '%s' (expected pii, financial, health, credential or "
			            "secret)",
			            cname);
		d = &f->data[c];
		rc = wd_yaml_check_keys(v->items[i], "a data class", keys, l->err);
		if (rc == WD_OK)
			rc = pol_read_globs(l, wd_yaml_get(v->items[i], "deny"), "deny", &deny);
		if (rc == WD_OK)
			rc = pol_read_pats(l, wd_yaml_get(v->items[i], "allow"), "allow", &d->allow);
		if (rc == WD_OK)
			rc = opt_severity(l, v->items[i], &d->severity);
		if (rc != WD_OK)
			return rc;
		for (j = 0; j < deny.n; j++) {
			const wd_yaml_node *dn = wd_yaml_get(v->items[i], "deny");
			if (strcmp(deny.v[j], "non_business") == 0)
				d->deny |= DENY_NON_BUSINESS;
			else if (strcmp(deny.v[j], "external") == 0)
				d->deny |= DENY_EXTERNAL;
			else if (strcmp(deny.v[j], "ai") == 0)
				d->deny |= DENY_AI;
			else
				return pol_fail(l, dn->type == WD_YAML_SEQ ? dn->items[j] : dn,
				            "unknown flow target '%s' (expected non_business, external or ai)",
				            deny.v[j]);
		}
		if (!d->deny)
			return pol_fail(l, v->items[i],
			                "data class '%s' needs 'deny' (non_business, external, ai)", cname);
		d->present = 1;
		d->source = pol_source(l, v->keys[i]);
		if (!d->source)
			return pol_oom(l);
	}
	return WD_OK;
}

/* ---- rules --------------------------------------------------------------------------- */

/* A rule id or a glob over rule ids; returns the canonical id for exact ones. */
wd_status pol_rule_pattern(pol_load *l, const wd_yaml_node *n, const char **out)
{
	size_t cnt, i;
	const wd_rule *rules = wd_rules_builtin(&cnt);
	const char *s;
	wd_status rc = pol_node_str(l, n, "rule id", &s);

	if (rc != WD_OK)
		return rc;
	for (i = 0; i < cnt; i++) {
		if (has_wildcard(s) ? wd_glob_match(s, rules[i].id, strlen(rules[i].id), 1)
		                    : strcasecmp(s, rules[i].id) == 0) {
			*out = has_wildcard(s) ? s : rules[i].id;
			return WD_OK;
		}
	}
	return pol_fail(l, n, has_wildcard(s) ? "rule pattern '%s' matches no rule"
	                                  : "unknown rule '%s' (see 'warden rules')",
	            s);
}

static int env_defined(pol_load *l, const pol_env *envs, size_t nenvs, const char *name)
{
	size_t i;

	for (i = 0; i < nenvs; i++)
		if (strcmp(envs[i].name, name) == 0)
			return 1;
	for (i = 0; l->p && i < l->p->nenvs; i++)
		if (strcmp(l->p->envs[i].name, name) == 0)
			return 1;
	return 0;
}

static wd_status read_rules(pol_load *l, pol_file *f, const wd_yaml_node *v, const pol_env *envs,
                            size_t nenvs)
{
	static const char *const keys[] = {"enabled", "severity", "environments", "platforms", NULL};
	size_t i, j, k, extra = 0;
	wd_status rc;

	for (k = 0; k < f->nsettings; k++)
		extra++;
	if (v && v->type != WD_YAML_NULL && v->type != WD_YAML_MAP)
		return pol_fail(l, v, "'rules' must be a mapping of rule ids to switches");
	f->rules = pol_zalloc(l, (v && v->type == WD_YAML_MAP ? v->n : 0) + extra, sizeof(*f->rules));
	if (!f->rules)
		return pol_oom(l);
	for (i = 0; v && v->type == WD_YAML_MAP && i < v->n; i++) {
		pol_rule *r = &f->rules[f->nrules];
		const wd_yaml_node *body = v->items[i];
		r->enabled = -1;
		r->severity = -1;
		rc = pol_rule_pattern(l, v->keys[i], &r->pattern);
		if (rc != WD_OK)
			return rc;
		if (body->type == WD_YAML_SCALAR && scalar_bool(body) >= 0) {
			r->enabled = scalar_bool(body);
		} else if (body->type == WD_YAML_SCALAR) {
			rc = severity_of(l, body, &r->severity);
		} else if (body->type == WD_YAML_MAP) {
			const wd_yaml_node *x = wd_yaml_get(body, "enabled");
			rc = wd_yaml_check_keys(body, "a rule entry", keys, l->err);
			if (rc == WD_OK && x)
				rc = node_bool(l, x, "enabled", &r->enabled);
			if (rc == WD_OK)
				rc = opt_severity(l, body, &r->severity);
			if (rc == WD_OK)
				rc = pol_read_globs(l, wd_yaml_get(body, "environments"), "environments",
				                    &r->envs);
			if (rc == WD_OK)
				rc = pol_read_platforms(l, wd_yaml_get(body, "platforms"), &r->platforms);
			for (j = 0; rc == WD_OK && j < r->envs.n; j++)
				if (!has_wildcard(r->envs.v[j]) && !env_defined(l, envs, nenvs, r->envs.v[j]))
					rc = pol_fail(l, wd_yaml_get(body, "environments"),
					          "unknown environment '%s' (define it under 'environments' in this "
					          "file or an earlier one)",
					          r->envs.v[j]);
		} else {
			rc = pol_fail(l, body, "rule '%s' must be true, false, a severity or a mapping",
			          r->pattern);
		}
		if (rc != WD_OK)
			return rc;
		r->source = pol_source(l, v->keys[i]);
		if (!r->source)
			return pol_oom(l);
		f->nrules++;
	}
	f->nrules_explicit = f->nrules;
	/* required settings that a built-in rule reports turn that rule on for
	 * the platform, at the setting's severity (after the file's own entries,
	 * so they win over them) */
	for (k = 0; k < f->nsettings; k++) {
		const pol_setting *s = &f->settings[k];
		const char *covers = NULL;
		for (j = 0; j < sizeof(set_defs) / sizeof(*set_defs); j++)
			if (set_defs[j].platform == s->platform && set_defs[j].id == s->id)
				covers = set_defs[j].covers;
		if (!covers)
			continue;
		if (s->id == SET_CALLER_POLICY) {
			int any_ok = 0;
			for (j = 0; j < s->allowed.n; j++)
				any_ok |= strcmp(s->allowed.v[j], "any") == 0;
			if (any_ok)
				continue;
		}
		f->rules[f->nrules].pattern = covers;
		f->rules[f->nrules].enabled = 1;
		f->rules[f->nrules].severity = s->severity;
		f->rules[f->nrules].platforms = 1u << s->platform;
		f->rules[f->nrules].source = s->source;
		f->nrules++;
	}
	return WD_OK;
}

/* ---- criticality and loss ------------------------------------------------------------ */

static wd_status read_crit(pol_load *l, pol_file *f, const wd_yaml_node *v)
{
	static const char *const keys[] = {"apps", "paths", "platforms", "level", NULL};
	size_t i;
	wd_status rc;

	if (!v || v->type == WD_YAML_NULL)
		return WD_OK;
	if (v->type != WD_YAML_SEQ)
		return pol_fail(l, v, "'criticality' must be a list of {apps, paths, platforms, level}");
	f->crit = pol_zalloc(l, v->n, sizeof(*f->crit));
	if (!f->crit)
		return pol_oom(l);
	for (i = 0; i < v->n; i++) {
		pol_crit *c = &f->crit[i];
		const wd_yaml_node *lv = wd_yaml_get(v->items[i], "level");
		rc = wd_yaml_check_keys(v->items[i], "a criticality entry", keys, l->err);
		if (rc == WD_OK && !lv)
			rc = pol_fail(l, v->items[i], "criticality entry needs a 'level' (1-4)");
		if (rc == WD_OK)
			rc = pol_read_criticality(l, lv, &c->level);
		if (rc == WD_OK)
			rc = pol_read_select(l, v->items[i], &c->sel);
		if (rc != WD_OK)
			return rc;
		c->source = pol_source(l, v->items[i]);
		if (!c->source)
			return pol_oom(l);
	}
	f->ncrit = v->n;
	return WD_OK;
}

static wd_status get_nonneg(pol_load *l, const wd_yaml_node *map, const char *key, double *out,
                            int required)
{
	wd_status rc = wd_yaml_get_num(map, key, out, l->err);

	if (rc == WD_ENOTFOUND)
		return required ? pol_fail(l, map, "missing '%s'", key) : WD_OK;
	if (rc == WD_OK && !(*out >= 0 && *out <= 1e15))
		return pol_fail(l, wd_yaml_get(map, key), "'%s' must be between 0 and 10^15", key);
	return rc;
}

static wd_status read_loss(pol_load *l, pol_file *f, const wd_yaml_node *v)
{
	static const char *const keys[] = {"currency", "per_record", "records", NULL};
	static const char *const mm[] = {"min", "max", NULL};
	static const char *const rkeys[] = {"default", "overrides", NULL};
	static const char *const okeys[] = {"apps", "paths", "platforms", "records", NULL};
	const wd_yaml_node *x, *o;
	size_t i;
	wd_status rc;

	if (!v || v->type == WD_YAML_NULL)
		return WD_OK;
	rc = wd_yaml_check_keys(v, "'loss'", keys, l->err);
	if (rc == WD_OK)
		rc = pol_opt_str(l, v, "currency", &f->currency);
	if (rc != WD_OK)
		return rc;
	if (!f->currency)
		f->currency = "EUR";
	else if (strlen(f->currency) != 3 || strspn(f->currency, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3)
		return pol_fail(l, wd_yaml_get(v, "currency"),
		            "'currency' must be a three-letter ISO 4217 code such as EUR or USD");
	f->has_loss = 1;
	x = wd_yaml_get(v, "per_record");
	if (x && x->type != WD_YAML_NULL) {
		if (x->type != WD_YAML_MAP)
			return pol_fail(l, x, "'per_record' must be a mapping of data classes to {min, max}");
		for (i = 0; i < x->n; i++) {
			const char *cname;
			int c;
			rc = pol_node_str(l, x->keys[i], "data class", &cname);
			if (rc != WD_OK)
				return rc;
			c = class_parse(cname);
			if (c < 0)
				return pol_fail(l, x->keys[i],
				            "unknown data class '%s' (expected pii, financial, health, credential "
				            "or secret)",
				            cname);
			rc = wd_yaml_check_keys(x->items[i], "a per-record value", mm, l->err);
			if (rc == WD_OK)
				rc = get_nonneg(l, x->items[i], "min", &f->per_min[c], 1);
			if (rc == WD_OK)
				rc = get_nonneg(l, x->items[i], "max", &f->per_max[c], 1);
			if (rc != WD_OK)
				return rc;
			if (f->per_min[c] > f->per_max[c])
				return pol_fail(l, x->items[i], "'min' is larger than 'max'");
			f->has_per[c] = 1;
			f->per_source[c] = pol_source(l, x->keys[i]);
			if (!f->per_source[c])
				return pol_oom(l);
		}
	}
	x = wd_yaml_get(v, "records");
	if (!x || x->type == WD_YAML_NULL)
		return WD_OK;
	rc = wd_yaml_check_keys(x, "'records'", rkeys, l->err);
	if (rc != WD_OK)
		return rc;
	if (wd_yaml_get(x, "default")) {
		rc = get_nonneg(l, x, "default", &f->default_records, 1);
		if (rc != WD_OK)
			return rc;
		f->has_default_records = 1;
		f->default_records_source = pol_source(l, wd_yaml_get(x, "default"));
		if (!f->default_records_source)
			return pol_oom(l);
	}
	o = wd_yaml_get(x, "overrides");
	if (!o || o->type == WD_YAML_NULL)
		return WD_OK;
	if (o->type != WD_YAML_SEQ)
		return pol_fail(l, o, "'overrides' must be a list of {apps, paths, platforms, records}");
	f->records = pol_zalloc(l, o->n, sizeof(*f->records));
	if (!f->records)
		return pol_oom(l);
	for (i = 0; i < o->n; i++) {
		pol_records *r = &f->records[i];
		rc = wd_yaml_check_keys(o->items[i], "a records override", okeys, l->err);
		if (rc == WD_OK)
			rc = get_nonneg(l, o->items[i], "records", &r->records, 1);
		if (rc == WD_OK)
			rc = pol_read_select(l, o->items[i], &r->sel);
		if (rc != WD_OK)
			return rc;
		r->source = pol_source(l, o->items[i]);
		if (!r->source)
			return pol_oom(l);
	}
	f->nrecords = o->n;
	return WD_OK;
}

/* ---- one file, validated, then committed --------------------------------------------- */

typedef struct parsed {
	pol_file *file;
	pol_env *envs;
	size_t nenvs;
	wd_suppression *sups;
	size_t nsups;
	pol_owner_rule *owners;
	size_t nowners;
	int is_owners;
} parsed;

static wd_status parse_policy(pol_load *l, const wd_yaml_node *root, parsed *out)
{
	static const char *const keys[] = {"version",  "name",        "description", "environments",
	                                   "connectors", "endpoints", "settings",    "data",
	                                   "rules",    "criticality", "loss",        "suppressions",
	                                   NULL};
	pol_file *f;
	const wd_yaml_node *x;
	int g;
	wd_status rc;

	rc = pol_check_version(l, root, "a policy file");
	if (rc == WD_OK)
		rc = wd_yaml_check_keys(root, "a policy file", keys, l->err);
	if (rc != WD_OK)
		return rc;
	f = pol_zalloc(l, 1, sizeof(*f));
	if (!f)
		return pol_oom(l);
	f->name = wd_arena_strndup(&l->arena, l->name, strlen(l->name));
	if (!f->name)
		return pol_oom(l);
	f->default_group = GROUP_NON_BUSINESS;
	for (g = 0; g < NPLATFORMS; g++)
		f->plat_default[g] = GROUP_NONE;
	rc = pol_opt_str(l, root, "name", &f->title);
	if (rc == WD_OK)
		rc = pol_opt_str(l, root, "description", &f->description);
	if (rc != WD_OK)
		return rc;
	if (!f->title)
		f->title = f->name;
	rc = read_environments(l, wd_yaml_get(root, "environments"), &out->envs, &out->nenvs);
	if (rc != WD_OK)
		return rc;
	x = wd_yaml_get(root, "connectors");
	if (x && x->type != WD_YAML_NULL)
		rc = read_group_block(l, f, x, WD_PLATFORM_UNKNOWN);
	if (rc == WD_OK)
		rc = read_endpoints(l, f, wd_yaml_get(root, "endpoints"));
	if (rc == WD_OK)
		rc = read_settings(l, f, wd_yaml_get(root, "settings"));
	if (rc == WD_OK)
		rc = read_data(l, f, wd_yaml_get(root, "data"));
	if (rc == WD_OK)
		rc = read_rules(l, f, wd_yaml_get(root, "rules"), out->envs, out->nenvs);
	if (rc == WD_OK)
		rc = read_crit(l, f, wd_yaml_get(root, "criticality"));
	if (rc == WD_OK)
		rc = read_loss(l, f, wd_yaml_get(root, "loss"));
	if (rc == WD_OK) {
		x = wd_yaml_get(root, "suppressions");
		if (x && x->type != WD_YAML_NULL)
			rc = pol_read_suppressions(l, x, &out->sups, &out->nsups);
	}
	out->file = f;
	return rc;
}

static wd_status reserve(void **items, size_t *cap, size_t n, size_t more, size_t size)
{
	return more ? wd_grow(items, cap, n + more, size) : WD_OK;
}

/* Append a parsed file to the policy. Reserves every array first, so the
 * policy is unchanged when memory runs out. */
static wd_status commit(wd_policy *p, pol_load *l, wd_yaml_doc *doc, parsed *x)
{
	size_t i, j, newenv = 0;

	for (i = 0; i < x->nenvs; i++)
		newenv++;
	if (reserve((void **)&p->docs, &p->docs_cap, p->ndocs, 1, sizeof(*p->docs)) != WD_OK ||
	    reserve((void **)&p->files, &p->files_cap, p->nfiles, x->file ? 1 : 0,
	            sizeof(*p->files)) != WD_OK ||
	    reserve((void **)&p->envs, &p->envs_cap, p->nenvs, newenv, sizeof(*p->envs)) != WD_OK ||
	    reserve((void **)&p->sups, &p->sups_cap, p->nsups, x->nsups, sizeof(*p->sups)) != WD_OK ||
	    reserve((void **)&p->owners, &p->owners_cap, p->nowners, x->nowners,
	            sizeof(*p->owners)) != WD_OK)
		return wd_error_set(l->err, WD_ENOMEM, "out of memory");
	p->docs[p->ndocs++] = doc;
	if (x->file)
		p->files[p->nfiles++] = x->file;
	for (i = 0; i < x->nenvs; i++) {
		int dup = 0;
		for (j = 0; j < p->nenvs; j++)
			dup |= strcmp(p->envs[j].name, x->envs[i].name) == 0;
		if (!dup) /* the first file defining a name wins */
			p->envs[p->nenvs++] = x->envs[i];
	}
	if (x->nsups)
		memcpy(p->sups + p->nsups, x->sups, x->nsups * sizeof(*x->sups));
	p->nsups += x->nsups;
	if (x->nowners)
		memcpy(p->owners + p->nowners, x->owners, x->nowners * sizeof(*x->owners));
	p->nowners += x->nowners;
	if (x->is_owners)
		p->has_owners = 1;
	wd_arena_adopt(&p->arena, &l->arena);
	return WD_OK;
}

enum { KIND_POLICY, KIND_OWNERS, KIND_SUPPRESSIONS };

static wd_status parse_suppression_file(pol_load *l, const wd_yaml_node *root, parsed *out)
{
	static const char *const keys[] = {"version", "suppressions", NULL};
	const wd_yaml_node *x;
	wd_status rc = pol_check_version(l, root, "a suppressions file");

	if (rc == WD_OK)
		rc = wd_yaml_check_keys(root, "a suppressions file", keys, l->err);
	if (rc != WD_OK)
		return rc;
	x = wd_yaml_get(root, "suppressions");
	if (!x || x->type == WD_YAML_NULL)
		return WD_OK;
	return pol_read_suppressions(l, x, &out->sups, &out->nsups);
}

static wd_status add_doc(wd_policy *p, int kind, const char *name, wd_yaml_doc *doc,
                         wd_error *err)
{
	pol_load l;
	parsed x;
	wd_status rc;

	memset(&x, 0, sizeof(x));
	wd_arena_init(&l.arena, 8 * 1024);
	l.name = name && *name ? name : "<policy>";
	l.err = err;
	l.p = p;
	if (kind == KIND_POLICY) {
		rc = parse_policy(&l, doc->root, &x);
	} else if (kind == KIND_OWNERS) {
		rc = pol_read_owners(&l, doc->root, &x.owners, &x.nowners);
		x.is_owners = 1;
	} else {
		rc = parse_suppression_file(&l, doc->root, &x);
	}
	if (rc == WD_OK)
		rc = commit(p, &l, doc, &x);
	if (rc != WD_OK) {
		wd_arena_release(&l.arena);
		wd_yaml_free(doc);
	}
	return rc;
}

/* A file over the size limit has no better position than its start. */
static wd_status at_start(wd_status rc, wd_error *err)
{
	if (rc == WD_ELIMIT && err && !err->line) {
		err->line = 1;
		err->column = 1;
	}
	return rc;
}

static wd_status add_text(wd_policy *p, int kind, const char *name, const char *data, size_t len,
                          wd_error *err)
{
	wd_yaml_doc *doc = NULL;
	wd_status rc;

	wd_error_clear(err);
	if (!p || (!data && len))
		return wd_error_set(err, WD_EINVAL, "no policy or no data");
	rc = wd_yaml_load(&doc, name ? name : "", data ? data : "", len, NULL, err);
	if (rc != WD_OK)
		return at_start(rc, err);
	return add_doc(p, kind, name, doc, err);
}

static wd_status add_path(wd_policy *p, int kind, const char *path, wd_error *err)
{
	wd_yaml_doc *doc = NULL;
	wd_status rc;

	wd_error_clear(err);
	if (!p || !path)
		return wd_error_set(err, WD_EINVAL, "no policy or no path");
	rc = wd_yaml_load_file(&doc, path, NULL, err);
	if (rc != WD_OK)
		return at_start(rc, err);
	return add_doc(p, kind, path, doc, err);
}

wd_status wd_policy_add_buffer(wd_policy *p, const char *name, const char *data, size_t len,
                               wd_error *err)
{
	return add_text(p, KIND_POLICY, name, data, len, err);
}

wd_status wd_policy_add_file(wd_policy *p, const char *path, wd_error *err)
{
	return add_path(p, KIND_POLICY, path, err);
}

wd_status wd_policy_add_default(wd_policy *p, wd_error *err)
{
	return add_text(p, KIND_POLICY, DEFAULT_NAME, (const char *)wd_policy_default_data,
	                wd_policy_default_data_len, err);
}

wd_status wd_policy_add_owners_buffer(wd_policy *p, const char *name, const char *data,
                                      size_t len, wd_error *err)
{
	return add_text(p, KIND_OWNERS, name, data, len, err);
}

wd_status wd_policy_add_owners_file(wd_policy *p, const char *path, wd_error *err)
{
	return add_path(p, KIND_OWNERS, path, err);
}

wd_status wd_policy_add_suppressions_file(wd_policy *p, const char *path, wd_error *err)
{
	return add_path(p, KIND_SUPPRESSIONS, path, err);
}

wd_status wd_policy_add_suppressions_buffer(wd_policy *p, const char *name, const char *data,
                                            size_t len, wd_error *err)
{
	return add_text(p, KIND_SUPPRESSIONS, name, data, len, err);
}

/* ---- questions ----------------------------------------------------------------------- */

const char *wd_policy_environment(const wd_policy *p, const wd_model *m, uint32_t app)
{
	size_t i;

	if (!p || !m || app == WD_NONE || app >= m->napps)
		return "";
	for (i = 0; i < p->nenvs; i++) {
		const pol_env *e = &p->envs[i];
		if ((e->paths.n && pol_globs_match_path(&e->paths, m->path ? m->path : "")) ||
		    (e->apps.n && app_name_match(&e->apps, m, app)))
			return e->name;
	}
	return "";
}

int pol_rule_state(const wd_policy *p, const char *rule_id, wd_platform plat, const char *env,
                   int *sev)
{
	size_t i, j, k;
	int on = p->nfiles ? 0 : 1, best = -1;
	size_t idlen = strlen(rule_id);

	for (i = 0; i < p->nfiles; i++) {
		const pol_file *f = p->files[i];
		int fon = 1, fsev = -1;
		for (j = 0; j < f->nrules; j++) {
			const pol_rule *r = &f->rules[j];
			if (!wd_glob_match(r->pattern, rule_id, idlen, 1))
				continue;
			if (r->platforms && !(r->platforms & (1u << plat)))
				continue;
			if (r->envs.n) {
				int in = 0;
				for (k = 0; k < r->envs.n && !in; k++)
					in = env && *env && wd_glob_match(r->envs.v[k], env, strlen(env), 1);
				if (!in)
					continue;
			}
			if (r->enabled >= 0)
				fon = r->enabled;
			if (r->severity >= 0)
				fsev = r->severity;
		}
		on |= fon;
		if (fsev > best)
			best = fsev;
	}
	if (best >= 0 && sev)
		*sev = best;
	return on;
}

int wd_policy_rule_enabled(const wd_policy *p, const char *rule_id, const wd_model *m,
                           uint32_t app, int *sev)
{
	if (!p || !rule_id || !m)
		return 1;
	return pol_rule_state(p, rule_id, app_platform(m, app), wd_policy_environment(p, m, app),
	                      sev);
}

int wd_policy_criticality(const wd_policy *p, const wd_model *m, uint32_t app,
                          const char **source)
{
	size_t i, j;
	int level = 0;
	const char *src = NULL;

	if (source)
		*source = NULL;
	if (!p || !m)
		return 0;
	/* the owners file first: the last matching rule that gives one */
	for (i = 0; i < p->nowners; i++) {
		const pol_owner_rule *r = &p->owners[i];
		if (r->criticality && !r->connectors.n && pol_select_match(&r->sel, m, app)) {
			level = r->criticality;
			src = r->source;
		}
	}
	/* else the policy files: the first entry of each file, the highest of them */
	for (i = 0; !src && i < p->nfiles; i++) {
		const pol_file *f = p->files[i];
		for (j = 0; j < f->ncrit; j++)
			if (pol_select_match(&f->crit[j].sel, m, app)) {
				if (f->crit[j].level > level) {
					level = f->crit[j].level;
					if (source)
						*source = f->crit[j].source;
				}
				break;
			}
	}
	if (src && source)
		*source = src;
	return level;
}

int wd_policy_loss_inputs(const wd_policy *p, const wd_model *m, uint32_t app, wd_class cls,
                          wd_loss_inputs *out)
{
	size_t i, j;
	const pol_file *per = NULL;
	int have_records = 0;

	if (out)
		memset(out, 0, sizeof(*out));
	if (!p || !m || !out || (int)cls < 0 || cls > WD_CLASS_SECRET)
		return 0;
	for (i = 0; i < p->nfiles && !per; i++)
		if (p->files[i]->has_per[cls])
			per = p->files[i];
	if (!per)
		return 0;
	for (i = 0; i < p->nfiles && !have_records; i++) {
		const pol_file *f = p->files[i];
		for (j = 0; j < f->nrecords; j++)
			if (pol_select_match(&f->records[j].sel, m, app)) {
				out->records = f->records[j].records;
				have_records = 1;
				break;
			}
	}
	for (i = 0; i < p->nfiles && !have_records; i++)
		if (p->files[i]->has_default_records) {
			out->records = p->files[i]->default_records;
			have_records = 1;
		}
	if (!have_records) {
		memset(out, 0, sizeof(*out));
		return 0;
	}
	out->per_record_min = per->per_min[cls];
	out->per_record_max = per->per_max[cls];
	out->currency = per->currency;
	out->source = per->per_source[cls];
	return 1;
}

const wd_suppression *wd_policy_suppressions(const wd_policy *p, size_t *n)
{
	if (n)
		*n = p ? p->nsups : 0;
	return p ? p->sups : NULL;
}

void wd_policy_stats_get(const wd_policy *p, wd_policy_stats *out)
{
	size_t i, c;

	memset(out, 0, sizeof(*out));
	if (!p)
		return;
	out->files = p->nfiles;
	out->environments = p->nenvs;
	out->owner_rules = p->nowners;
	out->suppressions = p->nsups;
	for (i = 0; i < p->nfiles; i++) {
		const pol_file *f = p->files[i];
		out->connector_patterns += f->npatterns;
		out->endpoint_patterns += f->allow_hosts.n + f->deny_hosts.n;
		out->rules += f->nrules_explicit;
		out->settings += f->nsettings;
		for (c = 0; c <= WD_CLASS_SECRET; c++)
			out->data_rules += f->data[c].present;
	}
}
