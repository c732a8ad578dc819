/*
 * threat/diff.c - what changed between two derived models of one app
 * (docs/model-diff.md).
 *
 * Everything is matched by stable id: components (processes and data
 * stores), data flows, entry points, external services, trust boundaries
 * and threats. The diff is computed once into a small list of entries
 * (added, removed, or changed with the fields that changed) and written
 * as Markdown for reviewers or as JSON for programs; wd_tm_differs()
 * answers whether the list is empty. A NULL side stands for an app that
 * did not exist: everything on the other side is added (or removed).
 *
 * Invariants: entries come out in id order (the Markdown lists new
 * threats by severity first), so the output depends only on the two
 * models, never on element order. Every input-derived string goes through
 * wd_escape_md or wd_json_write_cstr.
 */
#include <stdlib.h>
#include <string.h>

#include "warden/escape.h"
#include "warden/json.h"
#include "warden/threat.h"

enum { SEC_THREATS, SEC_COMPONENTS, SEC_FLOWS, SEC_ENTRIES, SEC_SERVICES, SEC_BOUNDARIES, SEC_N };

static const char *const sec_key[SEC_N] = {"threats", "components", "flows",
                                           "entry_points", "services", "boundaries"};
static const char *const sec_title[SEC_N] = {"Threats", "Components", "Data flows",
                                             "Entry points", "External services",
                                             "Trust boundaries"};

typedef enum { D_ADDED, D_REMOVED, D_CHANGED } dkind;

typedef enum { V_STR, V_BOOL, V_CLASSES, V_FIELDS } vtype;

typedef struct change {
	const char *field;
	vtype type;
	const char *os, *ns;
	int ob, nb;
	uint32_t oc, nc;
	const wd_tm_flow *of, *nf;
} change;

#define MAX_CHANGES 16

typedef struct dentry {
	dkind kind;
	uint32_t o, n;             /* indices on each side, WD_NONE when absent */
	change ch[MAX_CHANGES];
	size_t nch;
} dentry;

typedef struct diff {
	const wd_tm *o, *n;
	dentry *items[SEC_N];
	size_t count[SEC_N], cap[SEC_N];
	int failed;
} diff;

/* ---- collections -------------------------------------------------------------- */

typedef struct keyed {
	const char *id;
	uint32_t idx;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
	const keyed *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	return c ? c : (x->idx < y->idx ? -1 : x->idx > y->idx);
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

static int is_component(const wd_tm_element *e)
{
	return e->kind == WD_TM_PROCESS || e->kind == WD_TM_STORE;
}

static int is_entry(const wd_tm_element *e)
{
	return e->kind == WD_TM_PROCESS && (e->flags & WD_TME_ENTRY);
}

/* Services and hosts the app talks to, and data stores that live outside the
 * platform (a SaaS file store, a database on the internal network). */
static int is_service(const wd_tm *tm, const wd_tm_element *e)
{
	int bk = e->boundary < tm->nboundaries ? tm->boundaries[e->boundary].kind : -1;

	if (e->flags & (WD_TME_INTERNET | WD_TME_HUMAN))
		return 0;
	if (e->kind == WD_TM_EXTERNAL)
		return (e->flags & WD_TME_SERVICE) != 0;
	return e->kind == WD_TM_STORE && !(e->flags & WD_TME_HISTORY) &&
	       (bk == WD_ZONE_EXTERNAL || bk == WD_ZONE_INTERNAL);
}

/* Ids of one side's collection sec, sorted; *n set. NULL side: empty. */
static keyed *collect(const wd_tm *tm, int sec, size_t *n)
{
	size_t cap = 1, i, k = 0;
	keyed *v;

	*n = 0;
	if (tm) {
		cap = sec == SEC_THREATS   ? tm->nthreats
		      : sec == SEC_FLOWS    ? tm->nflows
		      : sec == SEC_BOUNDARIES ? tm->nboundaries
		                            : tm->nelements;
		cap++;
	}
	v = malloc(cap * sizeof(*v));
	if (!v || !tm)
		return v;
	switch (sec) {
	case SEC_THREATS:
		for (i = 0; i < tm->nthreats; i++)
			v[k++] = (keyed){nz(tm->threats[i].id), (uint32_t)i};
		break;
	case SEC_FLOWS:
		for (i = 0; i < tm->nflows; i++)
			v[k++] = (keyed){nz(tm->flows[i].id), (uint32_t)i};
		break;
	case SEC_BOUNDARIES:
		for (i = 0; i < tm->nboundaries; i++)
			v[k++] = (keyed){nz(tm->boundaries[i].id), (uint32_t)i};
		break;
	default:
		for (i = 0; i < tm->nelements; i++) {
			const wd_tm_element *e = &tm->elements[i];
			if ((sec == SEC_COMPONENTS && is_component(e)) ||
			    (sec == SEC_ENTRIES && is_entry(e)) ||
			    (sec == SEC_SERVICES && is_service(tm, e)))
				v[k++] = (keyed){nz(e->id), (uint32_t)i};
		}
		break;
	}
	qsort(v, k, sizeof(*v), cmp_keyed);
	*n = k;
	return v;
}

/* ---- comparing -------------------------------------------------------------------- */

static void ch_str(dentry *d, const char *field, const char *o, const char *n)
{
	if (strcmp(nz(o), nz(n)) == 0 || d->nch >= MAX_CHANGES)
		return;
	d->ch[d->nch++] = (change){.field = field, .type = V_STR, .os = nz(o), .ns = nz(n)};
}

static void ch_bool(dentry *d, const char *field, int o, int n)
{
	if (!o == !n || d->nch >= MAX_CHANGES)
		return;
	d->ch[d->nch++] = (change){.field = field, .type = V_BOOL, .ob = !!o, .nb = !!n};
}

static void ch_classes(dentry *d, uint32_t o, uint32_t n)
{
	if (o == n || d->nch >= MAX_CHANGES)
		return;
	d->ch[d->nch++] = (change){.field = "classes", .type = V_CLASSES, .oc = o, .nc = n};
}

static int same_fields(const wd_tm_flow *a, const wd_tm_flow *b)
{
	size_t i, j;

	/* as sets: derive may list them in any order */
	for (i = 0; i < a->nfields; i++) {
		for (j = 0; j < b->nfields; j++)
			if (strcmp(nz(a->fields[i]), nz(b->fields[j])) == 0)
				break;
		if (j == b->nfields)
			return 0;
	}
	for (j = 0; j < b->nfields; j++) {
		for (i = 0; i < a->nfields; i++)
			if (strcmp(nz(a->fields[i]), nz(b->fields[j])) == 0)
				break;
		if (i == a->nfields)
			return 0;
	}
	return 1;
}

static const char *boundary_id(const wd_tm *tm, uint32_t b)
{
	return b < tm->nboundaries ? nz(tm->boundaries[b].id) : "";
}

static const char *kind_name(wd_tm_kind k)
{
	return k == WD_TM_EXTERNAL ? "external" : k == WD_TM_STORE ? "store" : "process";
}

static void compare(const diff *df, int sec, dentry *d)
{
	const wd_tm *o = df->o, *n = df->n;

	switch (sec) {
	case SEC_THREATS: {
		const wd_tm_threat *a = &o->threats[d->o], *b = &n->threats[d->n];
		ch_str(d, "severity", wd_severity_name(a->severity), wd_severity_name(b->severity));
		ch_str(d, "residual", wd_severity_name(a->residual), wd_severity_name(b->residual));
		ch_str(d, "status", wd_tm_status_name(a->status), wd_tm_status_name(b->status));
		ch_bool(d, "reopened", a->reopened, b->reopened);
		break;
	}
	case SEC_COMPONENTS: {
		const wd_tm_element *a = &o->elements[d->o], *b = &n->elements[d->n];
		ch_str(d, "kind", kind_name(a->kind), kind_name(b->kind));
		ch_str(d, "name", a->name, b->name);
		ch_str(d, "type", a->type, b->type);
		ch_str(d, "boundary", boundary_id(o, a->boundary), boundary_id(n, b->boundary));
		ch_bool(d, "entry", a->flags & WD_TME_ENTRY, b->flags & WD_TME_ENTRY);
		ch_bool(d, "public", a->flags & WD_TME_PUBLIC, b->flags & WD_TME_PUBLIC);
		ch_bool(d, "code", a->flags & WD_TME_CODE, b->flags & WD_TME_CODE);
		ch_bool(d, "ai", a->flags & WD_TME_AI, b->flags & WD_TME_AI);
		ch_bool(d, "disabled", a->flags & WD_TME_DISABLED, b->flags & WD_TME_DISABLED);
		ch_classes(d, a->classes, b->classes);
		break;
	}
	case SEC_FLOWS: {
		const wd_tm_flow *a = &o->flows[d->o], *b = &n->flows[d->n];
		ch_str(d, "label", a->label, b->label);
		if (!same_fields(a, b) && d->nch < MAX_CHANGES)
			d->ch[d->nch++] = (change){.field = "fields", .type = V_FIELDS, .of = a, .nf = b};
		ch_classes(d, a->classes, b->classes);
		ch_bool(d, "crosses", a->flags & WD_TMF_CROSSES, b->flags & WD_TMF_CROSSES);
		ch_bool(d, "untrusted", a->flags & WD_TMF_UNTRUSTED, b->flags & WD_TMF_UNTRUSTED);
		ch_bool(d, "cleartext", a->flags & WD_TMF_CLEARTEXT, b->flags & WD_TMF_CLEARTEXT);
		ch_bool(d, "error", a->flags & WD_TMF_ERROR, b->flags & WD_TMF_ERROR);
		break;
	}
	case SEC_ENTRIES: {
		const wd_tm_element *a = &o->elements[d->o], *b = &n->elements[d->n];
		ch_bool(d, "public", a->flags & WD_TME_PUBLIC, b->flags & WD_TME_PUBLIC);
		ch_bool(d, "disabled", a->flags & WD_TME_DISABLED, b->flags & WD_TME_DISABLED);
		break;
	}
	case SEC_BOUNDARIES: {
		const wd_tm_boundary *a = &o->boundaries[d->o], *b = &n->boundaries[d->n];
		ch_str(d, "name", a->name, b->name);
		break;
	}
	default: /* services: new or removed only */
		break;
	}
}

static void push(diff *df, int sec, dentry *d)
{
	if (df->failed)
		return;
	if (wd_grow((void **)&df->items[sec], &df->cap[sec], df->count[sec] + 1,
	            sizeof(**df->items)) != WD_OK) {
		df->failed = 1;
		return;
	}
	df->items[sec][df->count[sec]++] = *d;
}

static void compute(diff *df, const wd_tm *o, const wd_tm *n)
{
	int sec;

	memset(df, 0, sizeof(*df));
	df->o = o;
	df->n = n;
	for (sec = 0; sec < SEC_N && !df->failed; sec++) {
		size_t no, nn, i = 0, j = 0;
		keyed *a = collect(o, sec, &no), *b = collect(n, sec, &nn);
		if (!a || !b) {
			df->failed = 1;
			free(a);
			free(b);
			break;
		}
		while (i < no || j < nn) {
			dentry d;
			int c = i == no ? 1 : j == nn ? -1 : strcmp(a[i].id, b[j].id);
			memset(&d, 0, sizeof(d));
			d.o = d.n = WD_NONE;
			if (c < 0) {
				d.kind = D_REMOVED;
				d.o = a[i++].idx;
			} else if (c > 0) {
				d.kind = D_ADDED;
				d.n = b[j++].idx;
			} else {
				d.kind = D_CHANGED;
				d.o = a[i++].idx;
				d.n = b[j++].idx;
				compare(df, sec, &d);
				if (!d.nch)
					continue;
			}
			push(df, sec, &d);
		}
		free(a);
		free(b);
	}
}

static void release(diff *df)
{
	int sec;
	for (sec = 0; sec < SEC_N; sec++)
		free(df->items[sec]);
}

static size_t count_kind(const diff *df, int sec, dkind k)
{
	size_t i, c = 0;
	for (i = 0; i < df->count[sec]; i++)
		c += df->items[sec][i].kind == k;
	return c;
}

int wd_tm_differs(const wd_tm *old_tm, const wd_tm *new_tm)
{
	diff df;
	int sec, any = 0;

	compute(&df, old_tm, new_tm);
	for (sec = 0; sec < SEC_N; sec++)
		any |= df.count[sec] != 0;
	any |= df.failed; /* cannot tell: say it differs */
	release(&df);
	return any;
}

/* ---- Markdown ---------------------------------------------------------------------- */

static void md(wd_buf *out, const char *s)
{
	s = nz(s);
	wd_escape_md_rendered(out, s, strlen(s));
}

static void md_q(wd_buf *out, const char *s)
{
	wd_buf_putc(out, '\'');
	md(out, s);
	wd_buf_putc(out, '\'');
}

static const wd_tm *side(const diff *df, const dentry *d)
{
	return d->kind == D_REMOVED ? df->o : df->n;
}

static uint32_t idx(const dentry *d)
{
	return d->kind == D_REMOVED ? d->o : d->n;
}

static const char *el_label(const wd_tm *tm, uint32_t i)
{
	if (i >= tm->nelements)
		return "";
	return tm->elements[i].name && *tm->elements[i].name ? tm->elements[i].name
	                                                      : nz(tm->elements[i].id);
}

static void md_classes(wd_buf *out, uint32_t c)
{
	int k, first = 1;

	if (!c) {
		wd_buf_puts(out, "none");
		return;
	}
	for (k = 0; k < 32; k++)
		if (c & (1u << k)) {
			wd_buf_puts(out, first ? "" : ", ");
			wd_buf_puts(out, wd_class_name((wd_class)k));
			first = 0;
		}
}

static void md_fields(wd_buf *out, const wd_tm_flow *f)
{
	size_t i;

	if (!f->nfields) {
		wd_buf_puts(out, "none");
		return;
	}
	for (i = 0; i < f->nfields && i < 12; i++) {
		wd_buf_puts(out, i ? ", " : "");
		md(out, f->fields[i]);
	}
	if (f->nfields > 12)
		wd_buf_printf(out, " and %zu more", f->nfields - 12);
}

static void md_changes(wd_buf *out, const dentry *d)
{
	size_t i;

	for (i = 0; i < d->nch; i++) {
		const change *c = &d->ch[i];
		wd_buf_puts(out, i ? "; " : "");
		wd_buf_puts(out, c->field);
		wd_buf_puts(out, ": ");
		switch (c->type) {
		case V_STR:
			md_q(out, c->os);
			wd_buf_puts(out, " → ");
			md_q(out, c->ns);
			break;
		case V_BOOL:
			wd_buf_puts(out, c->ob ? "yes → no" : "no → yes");
			break;
		case V_CLASSES:
			md_classes(out, c->oc);
			wd_buf_puts(out, " → ");
			md_classes(out, c->nc);
			break;
		case V_FIELDS:
			md_fields(out, c->of);
			wd_buf_puts(out, " → ");
			md_fields(out, c->nf);
			break;
		}
	}
}

static const char *change_word(dkind k)
{
	return k == D_ADDED ? "new" : k == D_REMOVED ? "removed" : "changed";
}

/* One row per entry of a non-threat section. */
static void md_row(wd_buf *out, const diff *df, int sec, const dentry *d)
{
	const wd_tm *tm = side(df, d);
	uint32_t i = idx(d);

	wd_buf_printf(out, "| %s | ", change_word(d->kind));
	switch (sec) {
	case SEC_FLOWS: {
		const wd_tm_flow *f = &tm->flows[i];
		md_q(out, el_label(tm, f->from));
		wd_buf_puts(out, " → ");
		md_q(out, el_label(tm, f->to));
		wd_buf_puts(out, " | ");
		if (d->kind == D_CHANGED) {
			md_changes(out, d);
		} else {
			wd_buf_puts(out, "fields: ");
			md_fields(out, f);
			wd_buf_puts(out, "; data: ");
			md_classes(out, f->classes);
			if (f->flags & WD_TMF_UNTRUSTED)
				wd_buf_puts(out, "; untrusted input");
			if (f->flags & WD_TMF_CLEARTEXT)
				wd_buf_puts(out, "; unencrypted");
		}
		break;
	}
	case SEC_BOUNDARIES: {
		const wd_tm_boundary *b = &tm->boundaries[i];
		md_q(out, b->name);
		wd_buf_puts(out, " | ");
		if (d->kind == D_CHANGED)
			md_changes(out, d);
		else
			wd_buf_puts(out, wd_zone_kind_name((wd_zone_kind)b->kind));
		break;
	}
	default: {
		const wd_tm_element *e = &tm->elements[i];
		md_q(out, el_label(tm, i));
		wd_buf_puts(out, " | ");
		if (d->kind == D_CHANGED) {
			md_changes(out, d);
		} else if (sec == SEC_ENTRIES) {
			wd_buf_puts(out, (e->flags & WD_TME_PUBLIC) ? "public, no credential"
			                                            : "not public");
			if (e->type && *e->type) {
				wd_buf_puts(out, "; ");
				md(out, e->type);
			}
		} else {
			wd_buf_puts(out, sec != SEC_SERVICES       ? kind_name(e->kind)
			                 : e->kind == WD_TM_STORE ? "data store"
			                                          : "service");
			if (e->type && *e->type) {
				wd_buf_puts(out, "; ");
				md(out, e->type);
			}
			if (e->classes) {
				wd_buf_puts(out, "; data: ");
				md_classes(out, e->classes);
			}
		}
		break;
	}
	}
	wd_buf_puts(out, " |\n");
}

static int cmp_threat_rows(const void *a, const void *b, const diff *df)
{
	const dentry *x = a, *y = b;
	const wd_tm_threat *p = &side(df, x)->threats[idx(x)], *q = &side(df, y)->threats[idx(y)];
	if (p->severity != q->severity)
		return p->severity > q->severity ? -1 : 1;
	return strcmp(nz(p->id), nz(q->id));
}

/* Insertion sort (qsort has no context argument): lists are short. */
static void sort_threat_rows(const diff *df, const dentry **rows, size_t n)
{
	size_t i, j;
	for (i = 1; i < n; i++) {
		const dentry *v = rows[i];
		for (j = i; j > 0 && cmp_threat_rows(rows[j - 1], v, df) > 0; j--)
			rows[j] = rows[j - 1];
		rows[j] = v;
	}
}

static void md_threats(wd_buf *out, const diff *df, dkind k, const char *title)
{
	const dentry **rows;
	size_t i, n = 0, nk = count_kind(df, SEC_THREATS, k);

	if (!nk)
		return;
	rows = malloc(nk * sizeof(*rows));
	if (!rows) {
		out->failed = 1;
		return;
	}
	for (i = 0; i < df->count[SEC_THREATS]; i++)
		if (df->items[SEC_THREATS][i].kind == k)
			rows[n++] = &df->items[SEC_THREATS][i];
	sort_threat_rows(df, rows, n);
	wd_buf_printf(out, "\n### %s (%zu)\n\n", title, n);
	if (k == D_CHANGED)
		wd_buf_puts(out, "| Threat | Change | Id |\n|---|---|---|\n");
	else
		wd_buf_puts(out, "| Severity | Threat | Scenario | Id |\n|---|---|---|---|\n");
	for (i = 0; i < n; i++) {
		const wd_tm_threat *t = &side(df, rows[i])->threats[idx(rows[i])];
		if (k == D_CHANGED) {
			wd_buf_puts(out, "| ");
			md(out, t->title);
			wd_buf_puts(out, " | ");
			md_changes(out, rows[i]);
		} else {
			wd_buf_printf(out, "| %s | ", wd_severity_name(t->severity));
			md(out, t->title);
			wd_buf_puts(out, " (");
			md(out, t->stride);
			wd_buf_puts(out, ", ");
			md(out, t->lcnc);
			if (t->linddun) {
				wd_buf_puts(out, ", LINDDUN ");
				md(out, t->linddun);
			}
			wd_buf_puts(out, ") | ");
			md(out, t->scenario);
		}
		wd_buf_puts(out, " | ");
		md(out, t->id);
		wd_buf_puts(out, " |\n");
	}
	free(rows);
}

static void app_title(wd_buf *out, const wd_tm *tm)
{
	md_q(out, tm->app_name && *tm->app_name ? tm->app_name : tm->app_id);
	wd_buf_puts(out, " (");
	md(out, tm->platform);
	wd_buf_puts(out, ":");
	md(out, tm->app_id);
	wd_buf_puts(out, ")");
}

static void md_side(wd_buf *out, const char *label, const wd_tm *tm)
{
	wd_buf_printf(out, "%s: ", label);
	if (!tm) {
		wd_buf_puts(out, "(none)");
		return;
	}
	md(out, tm->file && *tm->file ? tm->file : "(unnamed)");
	if (tm->hash && *tm->hash) {
		wd_buf_puts(out, ", sha256 ");
		wd_buf_put(out, tm->hash, strnlen(tm->hash, 12));
	}
}

void wd_tm_diff_md(const wd_tm *old_tm, const wd_tm *new_tm, wd_buf *out)
{
	const wd_tm *any = new_tm ? new_tm : old_tm;
	diff df;
	int sec, total = 0;

	compute(&df, old_tm, new_tm);
	if (df.failed) {
		out->failed = 1;
		release(&df);
		return;
	}
	wd_buf_puts(out, "## Model changes");
	if (any) {
		wd_buf_puts(out, ": ");
		app_title(out, any);
	}
	wd_buf_puts(out, "\n\n");
	if (!old_tm && new_tm)
		wd_buf_puts(out, "A new app: everything below is new.\n\n");
	else if (old_tm && !new_tm)
		wd_buf_puts(out, "The app was removed: everything below is gone.\n\n");
	md_side(out, "Old", old_tm);
	wd_buf_puts(out, "  \n");
	md_side(out, "New", new_tm);
	wd_buf_puts(out, "\n\n");

	for (sec = 0; sec < SEC_N; sec++)
		total += df.count[sec] != 0;
	if (!total) {
		wd_buf_puts(out, "No differences.\n");
		release(&df);
		return;
	}
	/* headline counts */
	wd_buf_printf(out, "**Threats: %zu new, %zu fixed, %zu changed.**",
	              count_kind(&df, SEC_THREATS, D_ADDED), count_kind(&df, SEC_THREATS, D_REMOVED),
	              count_kind(&df, SEC_THREATS, D_CHANGED));
	for (sec = SEC_COMPONENTS; sec < SEC_N; sec++) {
		wd_buf_printf(out, " %s: +%zu −%zu", sec_title[sec], count_kind(&df, sec, D_ADDED),
		              count_kind(&df, sec, D_REMOVED));
		if (sec != SEC_SERVICES)
			wd_buf_printf(out, " ~%zu", count_kind(&df, sec, D_CHANGED));
		wd_buf_putc(out, '.');
	}
	wd_buf_putc(out, '\n');

	md_threats(out, &df, D_ADDED, "New threats");
	md_threats(out, &df, D_REMOVED, "Fixed threats");
	md_threats(out, &df, D_CHANGED, "Changed threats");
	for (sec = SEC_COMPONENTS; sec < SEC_N; sec++) {
		size_t i;
		if (!df.count[sec])
			continue;
		wd_buf_printf(out, "\n### %s\n\n| Change | %s | Details |\n|---|---|---|\n",
		              sec_title[sec],
		              sec == SEC_FLOWS ? "Flow" : sec == SEC_BOUNDARIES ? "Boundary"
		              : sec == SEC_SERVICES ? "Service" : sec == SEC_ENTRIES ? "Entry point"
		                                                                     : "Component");
		for (i = 0; i < df.count[sec]; i++)
			md_row(out, &df, sec, &df.items[sec][i]);
	}
	release(&df);
}

/* ---- JSON ---------------------------------------------------------------------------- */

static void js(wd_buf *out, const char *s)
{
	wd_json_write_cstr(out, nz(s));
}

static void js_classes(wd_buf *out, uint32_t c)
{
	int k, first = 1;

	wd_buf_putc(out, '[');
	for (k = 0; k < 32; k++)
		if (c & (1u << k)) {
			wd_buf_puts(out, first ? "" : ",");
			js(out, wd_class_name((wd_class)k));
			first = 0;
		}
	wd_buf_putc(out, ']');
}

static void js_fields(wd_buf *out, const wd_tm_flow *f)
{
	size_t i;

	wd_buf_putc(out, '[');
	for (i = 0; i < f->nfields; i++) {
		wd_buf_puts(out, i ? "," : "");
		js(out, f->fields[i]);
	}
	wd_buf_putc(out, ']');
}

static void js_value(wd_buf *out, const change *c, int new_side)
{
	switch (c->type) {
	case V_STR:
		js(out, new_side ? c->ns : c->os);
		break;
	case V_BOOL:
		wd_buf_puts(out, (new_side ? c->nb : c->ob) ? "true" : "false");
		break;
	case V_CLASSES:
		js_classes(out, new_side ? c->nc : c->oc);
		break;
	case V_FIELDS:
		js_fields(out, new_side ? c->nf : c->of);
		break;
	}
}

static void js_element(wd_buf *out, const wd_tm *tm, uint32_t i, int sec)
{
	const wd_tm_element *e = &tm->elements[i];

	wd_buf_puts(out, "{\"id\":");
	js(out, e->id);
	wd_buf_puts(out, ",\"name\":");
	js(out, e->name);
	wd_buf_puts(out, ",\"kind\":");
	js(out, kind_name(e->kind));
	wd_buf_puts(out, ",\"type\":");
	js(out, e->type);
	if (sec == SEC_ENTRIES || sec == SEC_COMPONENTS)
		wd_buf_printf(out, ",\"public\":%s", (e->flags & WD_TME_PUBLIC) ? "true" : "false");
	if (sec == SEC_COMPONENTS) {
		wd_buf_printf(out, ",\"entry\":%s", (e->flags & WD_TME_ENTRY) ? "true" : "false");
		wd_buf_puts(out, ",\"boundary\":");
		js(out, boundary_id(tm, e->boundary));
	}
	wd_buf_puts(out, ",\"classes\":");
	js_classes(out, e->classes);
	wd_buf_putc(out, '}');
}

static void js_flow(wd_buf *out, const wd_tm *tm, uint32_t i)
{
	const wd_tm_flow *f = &tm->flows[i];

	wd_buf_puts(out, "{\"id\":");
	js(out, f->id);
	wd_buf_puts(out, ",\"from\":");
	js(out, f->from < tm->nelements ? tm->elements[f->from].id : "");
	wd_buf_puts(out, ",\"to\":");
	js(out, f->to < tm->nelements ? tm->elements[f->to].id : "");
	wd_buf_puts(out, ",\"from_name\":");
	js(out, el_label(tm, f->from));
	wd_buf_puts(out, ",\"to_name\":");
	js(out, el_label(tm, f->to));
	wd_buf_puts(out, ",\"label\":");
	js(out, f->label);
	wd_buf_puts(out, ",\"fields\":");
	js_fields(out, f);
	wd_buf_puts(out, ",\"classes\":");
	js_classes(out, f->classes);
	wd_buf_printf(out, ",\"untrusted\":%s,\"cleartext\":%s,\"crosses\":%s}",
	              (f->flags & WD_TMF_UNTRUSTED) ? "true" : "false",
	              (f->flags & WD_TMF_CLEARTEXT) ? "true" : "false",
	              (f->flags & WD_TMF_CROSSES) ? "true" : "false");
}

static void js_threat(wd_buf *out, const wd_tm_threat *t)
{
	wd_buf_puts(out, "{\"id\":");
	js(out, t->id);
	wd_buf_puts(out, ",\"rule\":");
	js(out, t->rule);
	wd_buf_puts(out, ",\"title\":");
	js(out, t->title);
	wd_buf_puts(out, ",\"stride\":");
	js(out, t->stride);
	wd_buf_puts(out, ",\"lcnc\":");
	js(out, t->lcnc);
	wd_buf_puts(out, ",\"linddun\":");
	if (t->linddun)
		js(out, t->linddun);
	else
		wd_buf_puts(out, "null");
	wd_buf_puts(out, ",\"severity\":");
	js(out, wd_severity_name(t->severity));
	wd_buf_puts(out, ",\"residual\":");
	js(out, wd_severity_name(t->residual));
	wd_buf_puts(out, ",\"status\":");
	js(out, wd_tm_status_name(t->status));
	wd_buf_puts(out, ",\"scenario\":");
	js(out, t->scenario);
	wd_buf_putc(out, '}');
}

static void js_item(wd_buf *out, const diff *df, int sec, const dentry *d)
{
	const wd_tm *tm = side(df, d);
	uint32_t i = idx(d);

	if (d->kind == D_CHANGED) {
		size_t k;
		wd_buf_puts(out, "{\"id\":");
		switch (sec) {
		case SEC_THREATS:
			js(out, tm->threats[i].id);
			wd_buf_puts(out, ",\"rule\":");
			js(out, tm->threats[i].rule);
			wd_buf_puts(out, ",\"title\":");
			js(out, tm->threats[i].title);
			break;
		case SEC_FLOWS:
			js(out, tm->flows[i].id);
			break;
		case SEC_BOUNDARIES:
			js(out, tm->boundaries[i].id);
			break;
		default:
			js(out, tm->elements[i].id);
			wd_buf_puts(out, ",\"name\":");
			js(out, tm->elements[i].name);
			break;
		}
		wd_buf_puts(out, ",\"changes\":[");
		for (k = 0; k < d->nch; k++) {
			wd_buf_puts(out, k ? ",{\"field\":" : "{\"field\":");
			js(out, d->ch[k].field);
			wd_buf_puts(out, ",\"old\":");
			js_value(out, &d->ch[k], 0);
			wd_buf_puts(out, ",\"new\":");
			js_value(out, &d->ch[k], 1);
			wd_buf_putc(out, '}');
		}
		wd_buf_puts(out, "]}");
		return;
	}
	switch (sec) {
	case SEC_THREATS:
		js_threat(out, &tm->threats[i]);
		break;
	case SEC_FLOWS:
		js_flow(out, tm, i);
		break;
	case SEC_BOUNDARIES:
		wd_buf_puts(out, "{\"id\":");
		js(out, tm->boundaries[i].id);
		wd_buf_puts(out, ",\"name\":");
		js(out, tm->boundaries[i].name);
		wd_buf_puts(out, ",\"kind\":");
		js(out, wd_zone_kind_name((wd_zone_kind)tm->boundaries[i].kind));
		wd_buf_putc(out, '}');
		break;
	default:
		js_element(out, tm, i, sec);
		break;
	}
}

static void js_side(wd_buf *out, const wd_tm *tm)
{
	if (!tm) {
		wd_buf_puts(out, "null");
		return;
	}
	wd_buf_puts(out, "{\"file\":");
	js(out, tm->file);
	wd_buf_puts(out, ",\"hash\":");
	js(out, tm->hash);
	wd_buf_printf(out, ",\"threats\":%zu}", tm->nthreats);
}

void wd_tm_diff_json(const wd_tm *old_tm, const wd_tm *new_tm, wd_buf *out)
{
	static const char *const kind_key[] = {"added", "removed", "changed"};
	const wd_tm *any = new_tm ? new_tm : old_tm;
	diff df;
	int sec, k, total = 0;

	compute(&df, old_tm, new_tm);
	if (df.failed) {
		out->failed = 1;
		release(&df);
		return;
	}
	for (sec = 0; sec < SEC_N; sec++)
		total += df.count[sec] != 0;
	wd_buf_puts(out, "{\"diff_version\":1,\"app\":");
	if (any) {
		wd_buf_puts(out, "{\"platform\":");
		js(out, any->platform);
		wd_buf_puts(out, ",\"id\":");
		js(out, any->app_id);
		wd_buf_puts(out, ",\"name\":");
		js(out, any->app_name);
		wd_buf_putc(out, '}');
	} else {
		wd_buf_puts(out, "null");
	}
	wd_buf_puts(out, ",\"status\":");
	js(out, !any                    ? "unchanged"
	        : !old_tm               ? "added"
	        : !new_tm               ? "removed"
	        : total                 ? "changed"
	                                : "unchanged");
	wd_buf_puts(out, ",\"old\":");
	js_side(out, old_tm);
	wd_buf_puts(out, ",\"new\":");
	js_side(out, new_tm);
	wd_buf_puts(out, ",\"counts\":{");
	for (sec = 0; sec < SEC_N; sec++) {
		wd_buf_printf(out, "%s\"%s\":{", sec ? "," : "", sec_key[sec]);
		for (k = 0; k < 3; k++)
			wd_buf_printf(out, "%s\"%s\":%zu", k ? "," : "", kind_key[k],
			              count_kind(&df, sec, (dkind)k));
		wd_buf_putc(out, '}');
	}
	wd_buf_putc(out, '}');
	for (sec = 0; sec < SEC_N; sec++) {
		wd_buf_printf(out, ",\"%s\":{", sec_key[sec]);
		for (k = 0; k < 3; k++) {
			size_t i, n = 0;
			wd_buf_printf(out, "%s\"%s\":[", k ? "," : "", kind_key[k]);
			for (i = 0; i < df.count[sec]; i++) {
				if (df.items[sec][i].kind != (dkind)k)
					continue;
				wd_buf_puts(out, n++ ? "," : "");
				js_item(out, &df, sec, &df.items[sec][i]);
			}
			wd_buf_putc(out, ']');
		}
		wd_buf_putc(out, '}');
	}
	wd_buf_puts(out, "}\n");
	release(&df);
}
