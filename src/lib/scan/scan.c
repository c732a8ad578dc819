/*
 * scan/scan.c - walk inputs, import, run rules, collect a self-contained result.
 *
 * Traversal is depth-first in byte order of names, so output is stable.
 * Directories are identified by (device, inode): one already on the current
 * path is a symlink loop (reported, not followed); one seen before by another
 * route is skipped silently, as is a file seen before. Only *.json and *.zip
 * files are considered inside folders; files named on the command line are
 * always read. A zip's JSON members are reviewed as if found in a folder.
 *
 * The walk only lists files; a pool of threads then reviews them, each into
 * a result of its own, and the parts are merged in listing order, so output
 * is the same for any number of threads.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "warden/detect.h"
#include "warden/policy.h"
#include "warden/risk.h"
#include "warden/scan.h"

/* ---- result storage ---------------------------------------------------------- */

void wd_scan_result_init(wd_scan_result *r)
{
	memset(r, 0, sizeof(*r));
	wd_arena_init(&r->arena, 64 * 1024);
}

void wd_scan_result_release(wd_scan_result *r)
{
	free(r->apps);
	free(r->findings);
	free(r->errors);
	free(r->skips);
	wd_arena_release(&r->arena);
	memset(r, 0, sizeof(*r));
}

static const char *dup_str(wd_scan_result *r, wd_str s)
{
	return wd_arena_strndup(&r->arena, s.ptr ? s.ptr : "", s.ptr ? s.len : 0);
}

static const char *dup_c(wd_scan_result *r, const char *s)
{
	return wd_arena_strndup(&r->arena, s ? s : "", s ? strlen(s) : 0);
}

static wd_status add_error(wd_scan_result *r, const char *file, const wd_error *err)
{
	wd_result_error *e;

	if (wd_grow((void **)&r->errors, &r->errors_cap, r->nerrors + 1, sizeof(*r->errors)) != WD_OK)
		return WD_ENOMEM;
	e = &r->errors[r->nerrors];
	e->file = dup_c(r, file);
	e->line = err ? err->line : 0;
	e->column = err ? err->column : 0;
	e->code = err ? err->code : WD_EIO;
	e->message = dup_c(r, err && err->message[0] ? err->message : "unreadable");
	if (!e->file || !e->message)
		return WD_ENOMEM;
	r->nerrors++;
	return WD_OK;
}

static wd_status add_skip(wd_scan_result *r, const char *file, const char *reason)
{
	wd_result_skip *s;

	if (wd_grow((void **)&r->skips, &r->skips_cap, r->nskips + 1, sizeof(*r->skips)) != WD_OK)
		return WD_ENOMEM;
	s = &r->skips[r->nskips];
	s->file = dup_c(r, file);
	s->reason = dup_c(r, reason);
	if (!s->file || !s->reason)
		return WD_ENOMEM;
	r->nskips++;
	return WD_OK;
}

/* An owner with its strings copied into the result (the policy may go first). */
static wd_status dup_owner(wd_scan_result *r, wd_owner o, wd_owner *out)
{
	memset(out, 0, sizeof(*out));
	if (!o.owner)
		return WD_OK;
	out->owner = dup_c(r, o.owner);
	out->team = dup_c(r, o.team);
	out->escalation = dup_c(r, o.escalation);
	out->source = dup_c(r, o.source);
	return out->owner && out->team && out->escalation && out->source ? WD_OK : WD_ENOMEM;
}

static int cmp_finding(const void *a, const void *b)
{
	const wd_result_finding *x = a, *y = b;
	int c = strcmp(x->app_name, y->app_name);

	/* one block per app (file-level findings last), then by position */
	if (c && (!x->app_name[0] || !y->app_name[0]))
		return x->app_name[0] ? -1 : 1;
	if (c)
		return c;
	if ((c = strcmp(x->app_id, y->app_id)) != 0)
		return c;
	if ((c = strcmp(x->file, y->file)) != 0)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->column != y->column)
		return x->column < y->column ? -1 : 1;
	return strcmp(x->rule->id, y->rule->id);
}

/* Findings located in document order let position lookups on long
 * (minified) lines continue from the previous one instead of the line start. */
typedef struct loc_order {
	uint64_t key;   /* doc << 32 | value index */
	size_t idx;
} loc_order;

static int cmp_loc(const void *a, const void *b)
{
	const loc_order *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

wd_status wd_scan_add_model(wd_scan_result *r, wd_model *m, const wd_findings *f,
                            const wd_policy *policy)
{
	size_t i, k, first = r->nfindings, first_app = r->napps;
	wd_buf ptr;
	loc_order *order;
	wd_risk_ctx *rcx = NULL;

	for (i = 0; i < m->napps; i++) {
		const wd_app *a = &m->apps[i];
		wd_result_app *ra;
		size_t j;
		uint32_t edges = 0;
		if (wd_grow((void **)&r->apps, &r->apps_cap, r->napps + 1, sizeof(*r->apps)) != WD_OK)
			return WD_ENOMEM;
		ra = &r->apps[r->napps];
		memset(ra, 0, sizeof(*ra));
		ra->name = dup_str(r, a->name);
		ra->id = dup_str(r, a->id);
		ra->platform = wd_platform_name(a->platform);
		ra->file = dup_c(r, m->path);
		ra->components = a->comp_count;
		for (j = 0; j < m->nedges; j++)
			if (m->edges[j].from >= a->comp_first &&
			    m->edges[j].from < a->comp_first + a->comp_count)
				edges++;
		ra->edges = edges;
		ra->active = a->active;
		ra->hash = dup_c(r, a->hash);
		ra->environment = dup_c(r, policy ? wd_policy_environment(policy, m, (uint32_t)i) : "");
		ra->owner_hint = dup_str(r, a->owner_hint);
		ra->criticality_source = "";
		if (policy) {
			const char *src = NULL;
			if (dup_owner(r, wd_policy_owner(policy, m, (uint32_t)i, WD_NONE), &ra->owner) !=
			    WD_OK)
				return WD_ENOMEM;
			ra->criticality = wd_policy_criticality(policy, m, (uint32_t)i, &src);
			ra->criticality_source = dup_c(r, src);
		}
		if (!ra->name || !ra->id || !ra->file || !ra->hash || !ra->environment ||
		    !ra->owner_hint || !ra->criticality_source)
			return WD_ENOMEM;
		r->napps++;
	}
	r->components += m->ncomps;
	if (wd_risk_ctx_new(&rcx, m, policy) != WD_OK)
		return WD_ENOMEM;
	order = malloc((f->n + 1) * sizeof(*order));
	if (!order) {
		wd_risk_ctx_free(rcx);
		return WD_ENOMEM;
	}
	for (i = 0; i < f->n; i++) {
		order[i].key = ((uint64_t)f->items[i].loc.doc << 32) | f->items[i].loc.val;
		order[i].idx = i;
	}
	if (f->n > 1)
		qsort(order, f->n, sizeof(*order), cmp_loc);
	wd_buf_init(&ptr, 1 << 16);
	for (k = 0; k < f->n; k++) {
		const wd_finding *x = &f->items[order[k].idx];
		wd_result_finding *y;
		wd_position pos;
		if (wd_grow((void **)&r->findings, &r->findings_cap, r->nfindings + 1,
		            sizeof(*r->findings)) != WD_OK)
			goto oom;
		y = &r->findings[r->nfindings];
		memset(y, 0, sizeof(*y));
		y->rule = x->rule;
		y->severity = x->severity;
		y->fingerprint = dup_c(r, x->fingerprint);
		y->platform = wd_platform_name(x->app != WD_NONE && x->app < m->napps
		                                   ? m->apps[x->app].platform
		                                   : m->platform);
		if (x->app != WD_NONE && x->app < m->napps) {
			y->app_name = dup_str(r, m->apps[x->app].name);
			y->app_id = dup_str(r, m->apps[x->app].id);
		} else {
			y->app_name = dup_c(r, "");
			y->app_id = dup_c(r, "");
		}
		y->app_file = dup_c(r, m->path);
		if (x->comp != WD_NONE && x->comp < m->ncomps) {
			const wd_component *c = &m->comps[x->comp];
			y->comp_id = dup_str(r, c->id);
			y->comp_name = dup_str(r, c->name);
			y->comp_type = dup_str(r, c->type);
		}
		wd_buf_reset(&ptr);
		if (wd_model_locate(m, x->loc, &pos, &ptr) != WD_OK)
			goto oom;
		y->file = dup_c(r, pos.file);
		y->line = pos.line;
		y->column = pos.column;
		y->pointer = dup_c(r, wd_buf_cstr(&ptr));
		y->message = dup_c(r, x->message);
		y->evidence = dup_c(r, x->evidence);
		y->confidence = x->confidence;
		y->is_new = -1;
		y->app_index = UINT32_MAX;
		if (x->app != WD_NONE && x->app < m->napps) {
			y->app_index = (uint32_t)(first_app + x->app);
			y->owner = r->apps[y->app_index].owner;
		}
		if (policy && x->comp != WD_NONE && x->comp < m->ncomps) {
			wd_owner o = wd_policy_owner(policy, m, x->app, x->comp);
			/* most components are owned by the app's own rule: share its
			 * copy instead of copying the same strings for every finding */
			if (o.owner && !(y->owner.source && strcmp(o.source, y->owner.source) == 0) &&
			    dup_owner(r, o, &y->owner) != WD_OK)
				goto oom;
		}
		if (wd_risk_assess(rcx, x, &r->arena, &y->risk) != WD_OK)
			goto oom;
		if (!y->fingerprint || !y->app_name || !y->file || !y->pointer || !y->message ||
		    !y->evidence || wd_buf_failed(&ptr))
			goto oom;
		r->nfindings++;
	}
	wd_buf_release(&ptr);
	free(order);
	wd_risk_ctx_free(rcx);
	if (r->nfindings > first)
		qsort(r->findings + first, r->nfindings - first, sizeof(*r->findings), cmp_finding);
	return WD_OK;
oom:
	wd_buf_release(&ptr);
	free(order);
	wd_risk_ctx_free(rcx);
	return WD_ENOMEM;
}

/* ---- one file ----------------------------------------------------------------------- */

static int has_ext(const char *name, const char *ext)
{
	size_t n = strlen(name), e = strlen(ext);

	return n > e && strcasecmp(name + n - e, ext) == 0;
}

/*
 * WD-OWN-001: with an owners file, every app resolves to an owner. One
 * finding per unowned app (its components have no owner either unless a
 * connector rule gives them one, which the finding counts); without an
 * owners file nothing is reported here (the report says ownership was not
 * checked).
 */
static wd_status check_owners(const wd_policy *p, const wd_model *m, wd_findings *f)
{
	const wd_rule *rule = wd_rules_find("WD-OWN-001");
	size_t i, j;
	int sev;
	wd_buf hint;
	wd_status rc = WD_OK;

	if (!rule || !wd_policy_has_owners(p))
		return WD_OK;
	wd_buf_init(&hint, 4096);
	for (i = 0; i < m->napps; i++) {
		const wd_app *a = &m->apps[i];
		uint32_t owned = 0;
		sev = rule->severity;
		if (!wd_policy_rule_enabled(p, rule->id, m, (uint32_t)i, &sev))
			continue;
		if (wd_policy_owner(p, m, (uint32_t)i, WD_NONE).owner)
			continue;
		for (j = a->comp_first; j < a->comp_first + a->comp_count; j++)
			if (wd_policy_owner(p, m, (uint32_t)i, (uint32_t)j).owner)
				owned++;
		/* the export's own hint (creator, account, instance) is the evidence
		 * a reviewer starts from when finding the owner */
		wd_buf_reset(&hint);
		if (a->owner_hint.len) {
			size_t n = a->owner_hint.len > 120 ? 120 : a->owner_hint.len;
			while (n < a->owner_hint.len && n > 0 &&
			       ((unsigned char)a->owner_hint.ptr[n] & 0xC0) == 0x80)
				n--; /* cut at a character boundary */
			wd_buf_puts(&hint, "export names ");
			wd_buf_put(&hint, a->owner_hint.ptr, n);
		}
		if (owned)
			rc = wd_findings_add(f, m, rule, (wd_severity)sev, (uint32_t)i, WD_NONE, a->loc,
			                     wd_buf_cstr(&hint), "app",
			                     "No owner for '%.*s' in the owners file (%u of its %u "
			                     "components are owned through connector rules)",
			                     (int)a->name.len, a->name.ptr, owned, a->comp_count);
		else
			rc = wd_findings_add(f, m, rule, (wd_severity)sev, (uint32_t)i, WD_NONE, a->loc,
			                     wd_buf_cstr(&hint), "app",
			                     "No owner for '%.*s' in the owners file: nobody is "
			                     "accountable for its %u components",
			                     (int)a->name.len, a->name.ptr, a->comp_count);
		if (rc != WD_OK)
			break;
	}
	wd_buf_release(&hint);
	return rc;
}

/*
 * The outcome of one import: a model to review, a companion to count, a
 * non-export to skip (or, when named on the command line, to report), or
 * an input error.
 */
static wd_status review(wd_scan_result *r, const char *path, int named, wd_status rc,
                        wd_model *m, int companion, const wd_error *err,
                        const wd_scan_opts *opts)
{
	wd_findings f;
	size_t i;

	if (rc == WD_ENOMEM)
		return rc;
	if (rc == WD_EFORMAT) {
		if (companion) {
			r->companions++;
			return WD_OK;
		}
		if (named)
			return add_error(r, path, err);
		return add_skip(r, path, err->message);
	}
	if (rc != WD_OK)
		return add_error(r, path, err);
#ifndef NDEBUG
	{
		/* debug builds (and so the test suite) check every model they review */
		wd_error cerr, rep;
		if (wd_model_check(m, &cerr) != WD_OK) {
			wd_error_clear(&rep);
			wd_error_set(&rep, WD_EINVAL, "internal error: importer broke a model invariant (%s)",
			             cerr.message);
			wd_model_free(m);
			return add_error(r, path, &rep);
		}
	}
#endif
	r->imported++;
	for (i = 0; i < m->ndocs; i++) {
		size_t len;
		wd_json_input(m->docs[i].json, &len);
		r->bytes += len;
	}
	wd_findings_init(&f);
	rc = wd_rules_run(m, &f);
	if (rc == WD_OK && opts->policy)
		rc = wd_policy_review(opts->policy, m, &f);
	if (rc == WD_OK && opts->policy)
		rc = check_owners(opts->policy, m, &f);
	if (rc == WD_OK)
		rc = wd_scan_add_model(r, m, &f, opts->policy);
	wd_findings_release(&f);
	wd_model_free(m);
	return rc;
}

/*
 * Every JSON member of an archive is reviewed like a file found in a folder,
 * named "<archive>!/<member>"; companions are read from the same archive.
 * Zips inside the zip are opened from memory up to max_archive_depth.
 */
static wd_status scan_archive(wd_scan_result *r, const char *display, wd_archive *a,
                              uint32_t depth, const wd_scan_opts *opts)
{
	wd_import_opts io = opts->import;
	wd_buf name;
	size_t i;
	wd_status rc = WD_OK;

	io.source = wd_archive_source(a);
	wd_buf_init(&name, 1 << 16);
	if (wd_archive_refused(a)) {
		wd_error err;
		wd_error_clear(&err);
		wd_error_set(&err, WD_EFORMAT,
		             "%zu member%s with an unsafe or unreadable name (absolute, '..', "
		             "encrypted) not read",
		             wd_archive_refused(a), wd_archive_refused(a) == 1 ? "" : "s");
		rc = add_error(r, display, &err);
	}
	for (i = 0; i < wd_archive_count(a) && rc == WD_OK; i++) {
		const wd_archive_entry *e = wd_archive_at(a, i);
		wd_error err;
		wd_model *m = NULL;
		int companion = 0;

		wd_buf_reset(&name);
		wd_buf_puts(&name, display);
		wd_buf_puts(&name, "!/");
		wd_buf_puts(&name, e->path);
		if (wd_buf_failed(&name))
			continue;
		wd_error_clear(&err);
		r->files++;
		if (has_ext(e->path, ".zip")) {
			wd_archive *inner = NULL;
			if (depth >= opts->import.limits.max_archive_depth) {
				wd_error_set(&err, WD_ELIMIT, "archive nested deeper than %u levels (not read)",
				             opts->import.limits.max_archive_depth);
				rc = add_error(r, wd_buf_cstr(&name), &err);
				continue;
			}
			rc = wd_archive_open_memory(&inner, e->data, e->len, &opts->import.limits, &err);
			if (rc == WD_OK)
				rc = scan_archive(r, wd_buf_cstr(&name), inner, depth + 1, opts);
			else if (rc != WD_ENOMEM)
				rc = add_error(r, wd_buf_cstr(&name), &err);
			wd_archive_free(inner);
			continue;
		}
		{
			char *copy = malloc(e->len + 1);
			if (!copy) {
				rc = WD_ENOMEM;
				break;
			}
			memcpy(copy, e->data, e->len);
			copy[e->len] = '\0';
			rc = wd_import_buffer(&m, wd_buf_cstr(&name), copy, e->len, &io, &companion, &err);
			rc = review(r, wd_buf_cstr(&name), 0, rc, m, companion, &err, opts);
		}
	}
	wd_buf_release(&name);
	return rc;
}

/* ---- one file ----------------------------------------------------------------------- */

static wd_status scan_file(wd_scan_result *r, const char *path, int named,
                           const wd_scan_opts *opts)
{
	wd_model *m = NULL;
	wd_error err;
	int companion = 0;
	wd_status rc;

	wd_error_clear(&err);
	if (has_ext(path, ".zip")) {
		wd_archive *a = NULL;
		rc = wd_archive_open_file(&a, path, &opts->import.limits, &err);
		if (rc == WD_OK)
			rc = scan_archive(r, path, a, 1, opts);
		else if (rc != WD_ENOMEM) {
			rc = add_error(r, path, &err);
		}
		wd_archive_free(a);
		return rc;
	}
	rc = wd_import_file(&m, path, &opts->import, &companion, &err);
	return review(r, path, named, rc, m, companion, &err, opts);
}

/* ---- traversal --------------------------------------------------------------------------- */

typedef struct devino {
	dev_t dev;
	ino_t ino;
} devino;

typedef struct job {
	char *path;
	int named;
} job;

typedef struct walker {
	wd_scan_result *r;
	job *jobs;
	size_t njobs, jobs_cap;
	const wd_scan_opts *opts;
	devino *seen;          /* visited files and folders ... */
	size_t nseen, seen_cap;
	wd_hmap seen_index;    /* ... found by hash of (device, inode) */
	devino *stack;         /* directories on the current path */
	size_t depth, stack_cap;
	uint32_t max_depth;
} walker;

/* 1 if st was visited before; otherwise records it (when add) and returns 0. */
static int seen_before(walker *w, const struct stat *st, int add)
{
	uint64_t k[2] = {(uint64_t)st->st_dev, (uint64_t)st->st_ino};
	uint64_t h = wd_hash64(k, sizeof(k), 0);
	size_t slot = WD_HMAP_START;
	uint32_t i;

	while ((i = wd_hmap_next(&w->seen_index, h, &slot)) != UINT32_MAX)
		if (w->seen[i].dev == st->st_dev && w->seen[i].ino == st->st_ino)
			return 1;
	/* out of memory: at worst a file is read twice */
	if (add && wd_grow((void **)&w->seen, &w->seen_cap, w->nseen + 1, sizeof(*w->seen)) == WD_OK &&
	    wd_hmap_put(&w->seen_index, h, (uint32_t)w->nseen) == WD_OK) {
		w->seen[w->nseen].dev = st->st_dev;
		w->seen[w->nseen].ino = st->st_ino;
		w->nseen++;
	}
	return 0;
}

static int on_stack(const walker *w, const struct stat *st)
{
	size_t i;

	for (i = 0; i < w->depth; i++)
		if (w->stack[i].dev == st->st_dev && w->stack[i].ino == st->st_ino)
			return 1;
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}


static wd_status walk(walker *w, const char *path, int named);

static wd_status walk_dir(walker *w, const char *path, const struct stat *st)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	wd_status rc = WD_OK;
	wd_error err;

	if (on_stack(w, st)) {
		wd_error_set(&err, WD_EIO, "directory loop through a symbolic link (not followed)");
		err.line = err.column = 0;
		return add_error(w->r, path, &err);
	}
	if (seen_before(w, st, 1))
		return WD_OK;
	if (w->depth >= w->max_depth) {
		wd_error_set(&err, WD_ELIMIT, "folder nesting deeper than %u levels (not scanned)",
		             w->max_depth);
		err.line = err.column = 0;
		return add_error(w->r, path, &err);
	}
	d = opendir(path);
	if (!d) {
		wd_error_set(&err, WD_EIO, "cannot open folder: %s", strerror(errno));
		err.line = err.column = 0;
		return add_error(w->r, path, &err);
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (wd_grow((void **)&names, &cap, n + 1, sizeof(*names)) != WD_OK) {
			rc = WD_ENOMEM;
			break;
		}
		names[n] = strdup(de->d_name);
		if (!names[n]) {
			rc = WD_ENOMEM;
			break;
		}
		n++;
	}
	closedir(d);
	if (rc == WD_OK) {
		if (n > 1)
			qsort(names, n, sizeof(*names), cmp_names);
		if (wd_grow((void **)&w->stack, &w->stack_cap, w->depth + 1, sizeof(*w->stack)) != WD_OK)
			rc = WD_ENOMEM;
	}
	if (rc == WD_OK) {
		wd_buf child;
		w->stack[w->depth].dev = st->st_dev;
		w->stack[w->depth].ino = st->st_ino;
		w->depth++;
		wd_buf_init(&child, 1 << 16);
		for (i = 0; i < n && rc == WD_OK; i++) {
			wd_buf_reset(&child);
			wd_buf_puts(&child, path);
			if (child.len && child.data[child.len - 1] != '/')
				wd_buf_putc(&child, '/');
			wd_buf_puts(&child, names[i]);
			if (wd_buf_failed(&child))
				continue; /* path too long: not reachable anyway */
			rc = walk(w, wd_buf_cstr(&child), 0);
		}
		wd_buf_release(&child);
		w->depth--;
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

static wd_status walk(walker *w, const char *path, int named)
{
	struct stat st;
	wd_error err;

	if (stat(path, &st) != 0) {
		struct stat lst;
		if (!named && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
			return WD_OK; /* dangling link inside a folder: nothing to read */
		wd_error_set(&err, WD_EIO, "%s", strerror(errno));
		err.line = err.column = 0;
		return add_error(w->r, path, &err);
	}
	if (S_ISDIR(st.st_mode))
		return walk_dir(w, path, &st);
	if (!named) {
		const char *base = strrchr(path, '/');
		const char *name = base ? base + 1 : path;
		if (!S_ISREG(st.st_mode) || !(has_ext(name, ".json") || has_ext(name, ".zip")))
			return WD_OK;
	}
	if (S_ISREG(st.st_mode) && seen_before(w, &st, 1))
		return WD_OK;
	if (w->njobs >= w->opts->import.limits.max_files) {
		wd_error_set(&err, WD_ELIMIT, "file limit reached (%llu files); not scanned",
		             (unsigned long long)w->opts->import.limits.max_files);
		err.line = err.column = 0;
		return add_error(w->r, path, &err);
	}
	if (wd_grow((void **)&w->jobs, &w->jobs_cap, w->njobs + 1, sizeof(*w->jobs)) != WD_OK)
		return WD_ENOMEM;
	w->jobs[w->njobs].path = strdup(path);
	if (!w->jobs[w->njobs].path)
		return WD_ENOMEM;
	w->jobs[w->njobs].named = named;
	w->njobs++;
	return WD_OK;
}

/* ---- the pool ------------------------------------------------------------------------ */

typedef struct pool {
	const job *jobs;
	size_t njobs;
	wd_scan_result *parts;     /* one per job */
	wd_status *rcs;
	const wd_scan_opts *opts;
	pthread_mutex_t lock;
	size_t next;               /* next job to take (under lock) */
	uint64_t done;
} pool;

static void *worker(void *arg)
{
	pool *p = arg;
	wd_scan_opts opts = *p->opts;
	const wd_detector *d = opts.import.detector ? opts.import.detector : wd_detector_default();
	wd_detect_scratch *scratch = NULL;

	/* one matcher scratch per thread, reused for every file it reviews */
	if (d && !opts.import.scratch && wd_detect_scratch_new(d, &scratch, NULL) == WD_OK)
		opts.import.scratch = scratch;
	for (;;) {
		size_t i;
		pthread_mutex_lock(&p->lock);
		i = p->next++;
		pthread_mutex_unlock(&p->lock);
		if (i >= p->njobs)
			break;
		p->rcs[i] = scan_file(&p->parts[i], p->jobs[i].path, p->jobs[i].named, &opts);
		if (p->opts->progress) {
			pthread_mutex_lock(&p->lock);
			p->done++;
			p->opts->progress(p->opts->progress_ud, p->done, p->jobs[i].path);
			pthread_mutex_unlock(&p->lock);
		}
	}
	wd_detect_scratch_free(scratch);
	return NULL;
}

#define APPEND_ALL(dst, src, arr, n, cap)                                                     \
	do {                                                                                  \
		if ((src)->n) {                                                               \
			if (wd_grow((void **)&(dst)->arr, &(dst)->cap, (dst)->n + (src)->n,   \
			            sizeof(*(dst)->arr)) != WD_OK)                            \
				return WD_ENOMEM;                                             \
			memcpy((dst)->arr + (dst)->n, (src)->arr, (src)->n * sizeof(*(dst)->arr)); \
			(dst)->n += (src)->n;                                                 \
		}                                                                             \
	} while (0)

/* Append part's contents to r; part keeps nothing. */
static wd_status merge(wd_scan_result *r, wd_scan_result *part)
{
	size_t i;

	for (i = 0; i < part->nfindings; i++)
		if (part->findings[i].app_index != UINT32_MAX)
			part->findings[i].app_index += (uint32_t)r->napps;
	APPEND_ALL(r, part, apps, napps, apps_cap);
	APPEND_ALL(r, part, findings, nfindings, findings_cap);
	APPEND_ALL(r, part, errors, nerrors, errors_cap);
	APPEND_ALL(r, part, skips, nskips, skips_cap);
	r->files += part->files;   /* archive members; the pool counts the files */
	r->imported += part->imported;
	r->companions += part->companions;
	r->bytes += part->bytes;
	r->components += part->components;
	wd_arena_adopt(&r->arena, &part->arena);
	return WD_OK;
}

static wd_status run_pool(wd_scan_result *r, const job *jobs, size_t njobs,
                          const wd_scan_opts *opts)
{
	pool p;
	pthread_t tids[16];
	size_t i, nthreads = opts->jobs, started = 0;
	wd_status rc = WD_OK;

	if (nthreads == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		nthreads = n > 0 ? (size_t)n : 1;
	}
	if (nthreads > 16)
		nthreads = 16;
	if (nthreads > njobs)
		nthreads = njobs ? njobs : 1;
	memset(&p, 0, sizeof(p));
	p.jobs = jobs;
	p.njobs = njobs;
	p.opts = opts;
	p.parts = calloc(njobs + 1, sizeof(*p.parts));
	p.rcs = calloc(njobs + 1, sizeof(*p.rcs));
	if (!p.parts || !p.rcs) {
		free(p.parts);
		free(p.rcs);
		return WD_ENOMEM;
	}
	for (i = 0; i < njobs; i++)
		wd_scan_result_init(&p.parts[i]);
	pthread_mutex_init(&p.lock, NULL);
	for (i = 1; i < nthreads; i++) {
		if (pthread_create(&tids[started], NULL, worker, &p) != 0)
			break; /* fewer threads: the calling thread still works */
		started++;
	}
	worker(&p);
	for (i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	pthread_mutex_destroy(&p.lock);
	r->files += njobs;
	for (i = 0; i < njobs; i++) {
		if (rc == WD_OK && p.rcs[i] != WD_OK)
			rc = p.rcs[i];
		if (rc == WD_OK)
			rc = merge(r, &p.parts[i]);
		wd_scan_result_release(&p.parts[i]);
	}
	free(p.parts);
	free(p.rcs);
	return rc;
}

wd_status wd_scan_paths(wd_scan_result *r, const char *const *paths, size_t npaths,
                        const wd_scan_opts *opts_in)
{
	wd_scan_opts opts;
	walker w;
	size_t i;
	wd_status rc = WD_OK;

	if (opts_in) {
		opts = *opts_in;
	} else {
		memset(&opts, 0, sizeof(opts));
		opts.import.load_companions = 1;
	}
	wd_limits_resolve(&opts.import.limits);
	memset(&w, 0, sizeof(w));
	w.r = r;
	w.opts = &opts;
	w.max_depth = opts.import.limits.max_dir_depth;
	for (i = 0; i < npaths && rc == WD_OK; i++)
		rc = walk(&w, paths[i], 1);
	if (rc == WD_OK)
		rc = run_pool(r, w.jobs, w.njobs, &opts);
	if (rc == WD_OK)
		rc = wd_scan_finish(r, opts.policy, opts.today);
	for (i = 0; i < w.njobs; i++)
		free(w.jobs[i].path);
	free(w.jobs);
	free(w.seen);
	wd_hmap_release(&w.seen_index);
	free(w.stack);
	return rc;
}
