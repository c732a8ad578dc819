/*
 * threat/annotations.c - the living annotations file (docs/model-annotations.md).
 *
 * People write it, Warden only reads it: per app (selected by
 * "<platform>:<id>", app id or app name) free-form assumptions and, per
 * threat id or id pattern, a status with justification, owner, review-by
 * date and ticket. Loading goes through the YAML adapter (warden/yaml.h)
 * and is strict: the whole file is validated before anything is built,
 * and every unknown key, wrong type, bad status, bad date or malformed
 * threat id is WD_EFORMAT at its line and column.
 *
 * Matching (Threagile's risk tracking, plus expiry): a '*' in a threat id
 * pattern stands for one or more characters within one '@' segment; an
 * exact entry beats every pattern, a pattern with more literal characters
 * beats one with fewer, and ties go to the earlier entry in the file. Ids
 * compare without regard to ASCII case.
 *
 * wd_tm_annotate() copies what it uses into the wd_tm's arena, so the
 * annotations may be freed before the model.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "warden/threat.h"
#include "warden/yaml.h"

#define MAX_PATTERN 1024

typedef struct annot_threat {
	const char *pattern;
	int wildcard;
	size_t literal;            /* characters that are not '*' */
	wd_tm_status status;
	const char *justification; /* NULL when absent or blank */
	const char *owner;
	const char *ticket;
	int32_t review_by;         /* -1 none */
	uint32_t line, column;
} annot_threat;

typedef struct annot_app {
	const char *selector;
	uint32_t line, column;
	const char **assumptions;
	size_t nassumptions;
	annot_threat *threats;
	size_t nthreats;
} annot_app;

struct wd_tm_annotations {
	wd_yaml_doc *doc;          /* the strings above point into it */
	wd_arena arena;            /* the arrays above */
	const char *path;
	annot_app *apps;
	size_t napps;
};

/* ---- statuses ----------------------------------------------------------------- */

static const char *const status_names[] = {"open", "mitigated", "accepted", "transferred",
                                           "false-positive"};

const char *wd_tm_status_name(wd_tm_status s)
{
	return (unsigned)s < sizeof(status_names) / sizeof(*status_names) ? status_names[s] : "open";
}

int wd_tm_status_parse(const char *s)
{
	size_t i;

	for (i = 0; s && i < sizeof(status_names) / sizeof(*status_names); i++)
		if (strcasecmp(s, status_names[i]) == 0)
			return (int)i;
	return -1;
}

/* ---- loading ------------------------------------------------------------------ */

static int blank(const char *s)
{
	if (!s)
		return 1;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

/* A threat id or pattern: '@'-separated non-empty segments of [A-Za-z0-9._:*-]. */
static wd_status check_pattern(const wd_yaml_node *key, wd_error *err)
{
	const char *s = key->text;
	size_t i, seg = 0;

	if (key->type != WD_YAML_SCALAR || !s || !*s)
		return wd_yaml_error(err, WD_EFORMAT, key, "a threat id must be a non-empty string");
	if (key->len > MAX_PATTERN || strlen(s) != key->len)
		return wd_yaml_error(err, WD_EFORMAT, key, "threat id too long or not text");
	for (i = 0; i < key->len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '@') {
			if (!seg)
				return wd_yaml_error(err, WD_EFORMAT, key,
				                     "threat id '%.80s' has an empty segment", s);
			seg = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.' || c == ':' || c == '*'))
			return wd_yaml_error(err, WD_EFORMAT, key,
			                     "threat id '%.80s' may only hold letters, digits, '-', '_', "
			                     "'.', ':', '@' and '*'",
			                     s);
		seg++;
	}
	if (!seg)
		return wd_yaml_error(err, WD_EFORMAT, key, "threat id '%.80s' has an empty segment", s);
	if (!strchr(s, '@'))
		return wd_yaml_error(err, WD_EFORMAT, key,
		                     "'%.80s' is not a threat id (expected <rule>@<element>[@<element>])",
		                     s);
	return WD_OK;
}

static wd_status opt_str(const wd_yaml_node *map, const char *key, const char **out,
                         wd_error *err)
{
	wd_status rc = wd_yaml_get_str(map, key, out, err);
	if (rc == WD_ENOTFOUND) {
		*out = NULL;
		return WD_OK;
	}
	return rc;
}

static wd_status load_threat(annot_threat *t, const wd_yaml_node *key, const wd_yaml_node *v,
                             wd_error *err)
{
	static const char *const keys[] = {"status", "justification", "owner", "review_by",
	                                   "ticket", NULL};
	const char *status = NULL;
	wd_status rc;
	int st;
	size_t i;

	rc = check_pattern(key, err);
	if (rc != WD_OK)
		return rc;
	if (v->type != WD_YAML_MAP)
		return wd_yaml_error(err, WD_EFORMAT, v,
		                     "the annotation of '%.80s' must be a mapping (status, "
		                     "justification, owner, review_by, ticket), not a %s",
		                     key->text, wd_yaml_type_name(v));
	rc = wd_yaml_check_keys(v, "a threat annotation", keys, err);
	if (rc != WD_OK)
		return rc;
	rc = wd_yaml_get_str(v, "status", &status, err);
	if (rc == WD_ENOTFOUND)
		return wd_yaml_error(err, WD_EFORMAT, v, "the annotation of '%.80s' has no status",
		                     key->text);
	if (rc != WD_OK)
		return rc;
	st = wd_tm_status_parse(status);
	if (st < 0)
		return wd_yaml_error(err, WD_EFORMAT, wd_yaml_get(v, "status"),
		                     "unknown status '%.40s' (expected one of: open, mitigated, "
		                     "accepted, transferred, false-positive)",
		                     status);
	t->status = (wd_tm_status)st;
	if ((rc = opt_str(v, "justification", &t->justification, err)) != WD_OK ||
	    (rc = opt_str(v, "owner", &t->owner, err)) != WD_OK ||
	    (rc = opt_str(v, "ticket", &t->ticket, err)) != WD_OK)
		return rc;
	if (blank(t->justification))
		t->justification = NULL;
	if (blank(t->owner))
		t->owner = NULL;
	if (blank(t->ticket))
		t->ticket = NULL;
	t->review_by = -1;
	rc = wd_yaml_get_date(v, "review_by", &t->review_by, err);
	if (rc == WD_ENOTFOUND)
		t->review_by = -1;
	else if (rc != WD_OK)
		return rc;
	t->pattern = key->text;
	t->line = key->line;
	t->column = key->column;
	t->wildcard = strchr(key->text, '*') != NULL;
	for (i = 0; i < key->len; i++)
		t->literal += key->text[i] != '*';
	return WD_OK;
}

static wd_status load_app(wd_tm_annotations *a, annot_app *app, const wd_yaml_node *key,
                          const wd_yaml_node *v, wd_error *err)
{
	static const char *const keys[] = {"assumptions", "threats", NULL};
	const wd_yaml_node *as, *th;
	wd_status rc;
	size_t i;

	if (key->type != WD_YAML_SCALAR || blank(key->text))
		return wd_yaml_error(err, WD_EFORMAT, key,
		                     "an app must be named by \"<platform>:<id>\", its id or its name");
	app->selector = key->text;
	app->line = key->line;
	app->column = key->column;
	if (v->type == WD_YAML_NULL)
		return WD_OK;
	rc = wd_yaml_check_keys(v, "an app section", keys, err);
	if (rc != WD_OK)
		return rc;

	as = wd_yaml_get(v, "assumptions");
	if (as && as->type != WD_YAML_NULL) {
		if (as->type != WD_YAML_SEQ)
			return wd_yaml_error(err, WD_EFORMAT, as,
			                     "'assumptions' must be a list of strings, not a %s",
			                     wd_yaml_type_name(as));
		app->assumptions = wd_arena_alloc(&a->arena, (as->n + 1) * sizeof(*app->assumptions));
		if (!app->assumptions)
			return wd_error_set(err, WD_ENOMEM, "out of memory");
		for (i = 0; i < as->n; i++) {
			rc = wd_yaml_as_str(as->items[i], "an assumption", &app->assumptions[i], err);
			if (rc != WD_OK)
				return rc;
		}
		app->nassumptions = as->n;
	}

	th = wd_yaml_get(v, "threats");
	if (th && th->type != WD_YAML_NULL) {
		if (th->type != WD_YAML_MAP)
			return wd_yaml_error(err, WD_EFORMAT, th,
			                     "'threats' must be a mapping from threat id to annotation, "
			                     "not a %s",
			                     wd_yaml_type_name(th));
		app->threats = wd_arena_zalloc(&a->arena, (th->n + 1) * sizeof(*app->threats));
		if (!app->threats)
			return wd_error_set(err, WD_ENOMEM, "out of memory");
		for (i = 0; i < th->n; i++) {
			rc = load_threat(&app->threats[i], th->keys[i], th->items[i], err);
			if (rc != WD_OK)
				return rc;
		}
		app->nthreats = th->n;
	}
	return WD_OK;
}

static wd_status load_doc(wd_tm_annotations *a, wd_error *err)
{
	static const char *const keys[] = {"version", "apps", NULL};
	const wd_yaml_node *root = a->doc->root, *apps;
	wd_status rc;
	int64_t version;
	size_t i;

	if (root->type == WD_YAML_NULL)
		return WD_OK; /* an empty file annotates nothing */
	rc = wd_yaml_check_keys(root, "the annotations file", keys, err);
	if (rc != WD_OK)
		return rc;
	rc = wd_yaml_get_int(root, "version", 1, 1, &version, err);
	if (rc != WD_OK && rc != WD_ENOTFOUND)
		return rc;
	apps = wd_yaml_get(root, "apps");
	if (!apps || apps->type == WD_YAML_NULL)
		return WD_OK;
	if (apps->type != WD_YAML_MAP)
		return wd_yaml_error(err, WD_EFORMAT, apps,
		                     "'apps' must be a mapping from app to its section, not a %s",
		                     wd_yaml_type_name(apps));
	a->apps = wd_arena_zalloc(&a->arena, (apps->n + 1) * sizeof(*a->apps));
	if (!a->apps)
		return wd_error_set(err, WD_ENOMEM, "out of memory");
	for (i = 0; i < apps->n; i++) {
		rc = load_app(a, &a->apps[i], apps->keys[i], apps->items[i], err);
		if (rc != WD_OK)
			return rc;
	}
	a->napps = apps->n;
	return WD_OK;
}

static wd_status finish_load(wd_tm_annotations **out, wd_yaml_doc *doc, wd_error *err)
{
	wd_tm_annotations *a = calloc(1, sizeof(*a));
	wd_status rc;

	if (!a) {
		wd_yaml_free(doc);
		return wd_error_set(err, WD_ENOMEM, "out of memory");
	}
	wd_arena_init(&a->arena, 4096);
	a->doc = doc;
	a->path = doc->path ? doc->path : "";
	rc = load_doc(a, err);
	if (rc != WD_OK) {
		wd_tm_annotations_free(a);
		return rc;
	}
	*out = a;
	return WD_OK;
}

wd_status wd_tm_annotations_load_buffer(wd_tm_annotations **out, const char *name,
                                        const char *data, size_t len, wd_error *err)
{
	wd_yaml_doc *doc = NULL;
	wd_status rc;

	if (!out)
		return wd_error_set(err, WD_EINVAL, "no output");
	*out = NULL;
	rc = wd_yaml_load(&doc, name ? name : "", data, len, NULL, err);
	if (rc != WD_OK)
		return rc;
	return finish_load(out, doc, err);
}

wd_status wd_tm_annotations_load(wd_tm_annotations **out, const char *path, wd_error *err)
{
	wd_yaml_doc *doc = NULL;
	wd_status rc;

	if (!out || !path)
		return wd_error_set(err, WD_EINVAL, "no path");
	*out = NULL;
	rc = wd_yaml_load_file(&doc, path, NULL, err);
	if (rc != WD_OK)
		return rc;
	return finish_load(out, doc, err);
}

void wd_tm_annotations_free(wd_tm_annotations *a)
{
	if (!a)
		return;
	wd_yaml_free(a->doc);
	wd_arena_release(&a->arena);
	free(a);
}

/* ---- app sections ----------------------------------------------------------------- */

/* 3 "<platform>:<id>", 2 id, 1 name, 0 no match */
static int selector_rank(const char *sel, const wd_tm *tm)
{
	const char *colon = strchr(sel, ':');

	if (colon && tm->platform && tm->app_id && *tm->app_id &&
	    strlen(tm->platform) == (size_t)(colon - sel) &&
	    strncasecmp(sel, tm->platform, (size_t)(colon - sel)) == 0 &&
	    strcmp(colon + 1, tm->app_id) == 0)
		return 3;
	if (tm->app_id && *tm->app_id && strcmp(sel, tm->app_id) == 0)
		return 2;
	if (tm->app_name && *tm->app_name && strcmp(sel, tm->app_name) == 0)
		return 1;
	return 0;
}

size_t wd_tm_annotations_count(const wd_tm_annotations *a)
{
	return a ? a->napps : 0;
}

const char *wd_tm_annotations_app(const wd_tm_annotations *a, size_t i, uint32_t *line,
                                  uint32_t *column)
{
	if (!a || i >= a->napps)
		return NULL;
	if (line)
		*line = a->apps[i].line;
	if (column)
		*column = a->apps[i].column;
	return a->apps[i].selector;
}

int wd_tm_annotations_match(const wd_tm_annotations *a, size_t i, const wd_tm *tm)
{
	return a && tm && i < a->napps && selector_rank(a->apps[i].selector, tm) > 0;
}

/* ---- matching threats -------------------------------------------------------------- */

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Glob within one segment: '*' is one or more characters ('?' then a classic star;
 * backtracking to the last star only, so linear in practice). */
static int seg_match(const char *p, size_t pn, const char *s, size_t sn)
{
	size_t pi = 0, si = 0, star = (size_t)-1, resume = 0;

	while (si < sn) {
		if (pi < pn && p[pi] == '*') {
			star = pi++;
			resume = ++si; /* the star takes one character at least */
		} else if (pi < pn && lower((unsigned char)p[pi]) == lower((unsigned char)s[si])) {
			pi++;
			si++;
		} else if (star != (size_t)-1) {
			pi = star + 1; /* let the last star take one more character */
			si = ++resume;
		} else {
			return 0;
		}
	}
	return pi == pn;
}

static int id_match(const char *pat, const char *id)
{
	for (;;) {
		const char *pe = strchr(pat, '@'), *ie = strchr(id, '@');
		size_t pn = pe ? (size_t)(pe - pat) : strlen(pat);
		size_t in = ie ? (size_t)(ie - id) : strlen(id);
		if (!in || !seg_match(pat, pn, id, in))
			return 0;
		if (!pe || !ie)
			return !pe && !ie;
		pat = pe + 1;
		id = ie + 1;
	}
}

/* The entry of app for threat id, NULL if none. */
static const annot_threat *lookup(const annot_app *app, const char *id, size_t *which)
{
	const annot_threat *best = NULL;
	size_t i;

	for (i = 0; i < app->nthreats; i++) {
		const annot_threat *t = &app->threats[i];
		if (!t->wildcard && strcasecmp(t->pattern, id) == 0) {
			*which = i;
			return t; /* exact beats every pattern */
		}
	}
	for (i = 0; i < app->nthreats; i++) {
		const annot_threat *t = &app->threats[i];
		if (!t->wildcard || (best && t->literal <= best->literal) || !id_match(t->pattern, id))
			continue;
		best = t;
		*which = i;
	}
	return best;
}

/* ---- merging into a model ------------------------------------------------------------ */

typedef struct issues {
	wd_tm *tm;
	const wd_tm_annotations *a;
	wd_tm_issue *items;
	size_t n, cap;
	wd_status rc;
} issues;

static const char *tm_strdup(wd_tm *tm, const char *s, wd_status *rc)
{
	char *d;

	if (!s)
		return NULL;
	d = wd_arena_strndup(&tm->arena, s, strlen(s));
	if (!d)
		*rc = WD_ENOMEM;
	return d;
}

static void add_issue(issues *is, const char *kind, const char *threat_id, uint32_t line,
                      uint32_t column, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void add_issue(issues *is, const char *kind, const char *threat_id, uint32_t line,
                      uint32_t column, const char *fmt, ...)
{
	wd_tm_issue *x;
	wd_buf b;
	va_list ap;

	if (is->rc != WD_OK)
		return;
	if (wd_grow((void **)&is->items, &is->cap, is->n + 1, sizeof(*is->items)) != WD_OK) {
		is->rc = WD_ENOMEM;
		return;
	}
	x = &is->items[is->n];
	x->kind = kind;
	x->threat_id = tm_strdup(is->tm, threat_id, &is->rc);
	wd_buf_init(&b, 1 << 16);
	va_start(ap, fmt);
	wd_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	x->message = tm_strdup(is->tm, wd_buf_cstr(&b), &is->rc);
	wd_buf_reset(&b);
	wd_buf_printf(&b, "%s:%u:%u", is->a->path, line, column);
	x->source = tm_strdup(is->tm, wd_buf_cstr(&b), &is->rc);
	wd_buf_release(&b);
	if (is->rc == WD_OK)
		is->n++;
}

wd_status wd_tm_annotate(wd_tm *tm, const wd_tm_annotations *a, int32_t today)
{
	const annot_app *app = NULL;
	issues is;
	uint8_t *used = NULL;
	int best = 0;
	size_t i;
	wd_status rc = WD_OK;

	if (!tm || !a)
		return WD_EINVAL;
	/* idempotent: start from the derived state */
	for (i = 0; i < tm->nthreats; i++) {
		wd_tm_threat *t = &tm->threats[i];
		t->status = WD_TM_OPEN;
		t->justification = t->owner = NULL;
		t->review_by = -1;
		t->reopened = 0;
	}
	tm->issues = NULL;
	tm->nissues = 0;
	tm->assumptions = NULL;
	tm->nassumptions = 0;

	memset(&is, 0, sizeof(is));
	is.tm = tm;
	is.a = a;
	for (i = 0; i < a->napps; i++) {
		int r = selector_rank(a->apps[i].selector, tm);
		if (r > best) {
			best = r;
			app = &a->apps[i];
		}
	}
	if (!app)
		return WD_OK;
	/* other sections that also name this app are ignored: say so */
	for (i = 0; i < a->napps; i++)
		if (&a->apps[i] != app && selector_rank(a->apps[i].selector, tm) > 0)
			add_issue(&is, "shadowed", NULL, a->apps[i].line, a->apps[i].column,
			          "app section '%.200s' also matches this app but is ignored: section "
			          "'%.200s' names it more precisely",
			          a->apps[i].selector, app->selector);

	if (app->nassumptions) {
		tm->assumptions = wd_arena_alloc(&tm->arena, app->nassumptions * sizeof(char *));
		if (!tm->assumptions)
			return WD_ENOMEM;
		for (i = 0; i < app->nassumptions; i++)
			tm->assumptions[i] = tm_strdup(tm, app->assumptions[i], &rc);
		tm->nassumptions = app->nassumptions;
	}

	used = calloc(app->nthreats + 1, 1);
	if (!used)
		return WD_ENOMEM;
	for (i = 0; i < tm->nthreats && rc == WD_OK; i++) {
		wd_tm_threat *t = &tm->threats[i];
		size_t w = 0;
		const annot_threat *an = lookup(app, t->id, &w);
		char date[11];
		if (!an)
			continue;
		used[w] = 1;
		t->status = an->status;
		t->justification = tm_strdup(tm, an->justification, &rc);
		t->owner = tm_strdup(tm, an->owner, &rc);
		t->review_by = an->review_by;
		if (an->status != WD_TM_ACCEPTED)
			continue;
		if (!an->justification)
			add_issue(&is, "unjustified", t->id, an->line, an->column,
			          "threat %s is accepted without a justification", t->id);
		if (an->review_by >= 0 && today >= 0 && an->review_by < today) {
			wd_date_format(an->review_by, date);
			t->status = WD_TM_OPEN;
			t->reopened = 1;
			add_issue(&is, "reopened", t->id, an->line, an->column,
			          "the acceptance of threat %s expired on %s: it is open again until "
			          "someone reviews it",
			          t->id, date);
		}
	}
	for (i = 0; i < app->nthreats && rc == WD_OK; i++) {
		const annot_threat *an = &app->threats[i];
		if (used[i])
			continue;
		add_issue(&is, "stale", an->pattern, an->line, an->column,
		          an->wildcard ? "the pattern %.200s annotates no threat of this app (none "
		                         "matches, or a more precise entry wins)"
		                       : "threat %.200s no longer exists in this app (fixed, or its "
		                         "elements changed): remove or update the annotation",
		          an->pattern);
	}
	free(used);
	if (rc == WD_OK)
		rc = is.rc;
	if (rc == WD_OK && is.n) {
		tm->issues = wd_arena_alloc(&tm->arena, is.n * sizeof(*tm->issues));
		if (!tm->issues)
			rc = WD_ENOMEM;
		else {
			memcpy(tm->issues, is.items, is.n * sizeof(*tm->issues));
			tm->nissues = is.n;
		}
	}
	free(is.items);
	return rc;
}
