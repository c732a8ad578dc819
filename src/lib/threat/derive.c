/*
 * threat/derive.c - the data-flow model of one app (wd_tm_derive).
 *
 * Reads the finished wd_model (components, edges, fields, references,
 * targets, trust zones, catalog entries) and builds the DFD of one app:
 *
 *   processes   one per component (notes and configuration nodes excluded);
 *               disabled components stay, flagged WD_TME_DISABLED, with their
 *               model edges (n8n passes data through a disabled node) but
 *               no traffic to services, actors or the run history;
 *   externals   "Internet" (one per app, one flow to every public entry),
 *               human actors (form submitter, chat user, e-mail sender,
 *               approver, invoking user), one per third-party service or
 *               host, and other apps of the same export that edges lead to;
 *   stores      what store-like components talk to (databases, sheets,
 *               files, vector stores, agent memory) and the platform's run
 *               history when the app's data is logged there;
 *   flows       model edges between processes (multi-edges merged), process
 *               <-> service / store, Internet / actor -> entry, process ->
 *               run history; each with the field names it carries (capped).
 *
 * Invariants: every id is [a-z0-9-] and depends only on the platform, app and
 * component identity (or the service / host name), never on positions; the
 * work is linear in the size of the export: one pass over its edges, fields,
 * references and targets (the model does not group them by app) and work
 * per component of the app bounded by the caps in tm_internal.h; cycles cost
 * nothing since nothing recurses. Every string is copied into the tm's
 * arena.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "threat/tm_internal.h"
#include "warden/catalog.h"
#include "warden/detect.h"

/* ---- small helpers -------------------------------------------------------------------- */

/* Copy at most cap bytes of s, cut on a UTF-8 boundary, "..." marking a cut. */
static const char *copy_capped(wd_arena *a, const char *s, size_t len, size_t cap)
{
	char *p;

	if (len <= cap)
		return wd_arena_strndup(a, s ? s : "", s ? len : 0);
	while (cap > 0 && ((unsigned char)s[cap] & 0xC0) == 0x80)
		cap--;
	p = wd_arena_alloc(a, cap + 4);
	if (!p)
		return NULL;
	memcpy(p, s, cap);
	memcpy(p + cap, "...", 4);
	return p;
}

/* Lower-case ASCII slug of s: [a-z0-9] runs joined by '-', at most 40 bytes. */
static void slug(wd_buf *out, const char *s, size_t len)
{
	size_t i, start = out->len, n = 0;
	int dash = 0;

	for (i = 0; i < len && n < 40; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash && n > 0) {
				wd_buf_putc(out, '-');
				n++;
			}
			dash = 0;
			wd_buf_putc(out, (char)c);
			n++;
		} else {
			dash = 1;
		}
	}
	if (out->len == start)
		wd_buf_puts(out, "x");
}

/* n hex digits of SHA-256 over the parts (each followed by a NUL). */
static void hash_hex(char *out, size_t n, const wd_str *parts, size_t nparts)
{
	wd_buf b;
	uint8_t d[32];
	char hex[65];
	size_t i;

	wd_buf_init(&b, 0);
	for (i = 0; i < nparts; i++) {
		wd_buf_put_str(&b, parts[i]);
		wd_buf_putc(&b, '\0');
	}
	wd_sha256(b.data ? b.data : "", b.len, d);
	wd_buf_release(&b);
	wd_hex(d, 32, hex);
	memcpy(out, hex, n);
	out[n] = '\0';
}

static int has_ci(wd_str hay, const char *needle)
{
	return wd_str_find_ci(hay, needle) >= 0;
}

static uint32_t bit(wd_class c)
{
	return c > WD_CLASS_NONE && c <= WD_CLASS_SECRET ? 1u << c : 0;
}

/* ---- the deriver ------------------------------------------------------------------------ */

typedef struct tname {
	const char *s;       /* arena copy, capped */
	uint32_t stamp;      /* 1 + index of the flow that last listed it */
} tname;

typedef struct centry {
	uint32_t name;       /* index into names */
	uint32_t src;        /* references: the component read, WD_NONE = the input */
	uint8_t cls;
} centry;

typedef struct tel {
	wd_tm_element e;     /* e.id set at creation (fixed ids) or in finish_ids */
	const char *prefix;  /* slug ids: "x-svc", "s"...; NULL when e.id is final */
	const char *key;     /* name the element is found by */
} tel;

typedef struct tbound {
	wd_tm_boundary b;
	const char *prefix;
	const char *key;
} tbound;

typedef struct tflow {
	uint32_t from, to;
	const char *label;
	int rank;            /* priority of the label's edge kind (lower wins) */
	uint32_t classes, flags;
	uint32_t names[TM_MAX_FIELDS];
	uint8_t cls[TM_MAX_FIELDS];
	uint32_t n, more;
	uint32_t edges, error_edges;
} tflow;

typedef struct deriver {
	const wd_model *m;
	uint32_t app;
	const wd_app *a;
	uint32_t lo, hi;              /* the app's components */
	wd_tm *tm;
	wd_arena *ar;

	tel *el;
	size_t nel, elcap;
	wd_hmap el_index;             /* hash(prefix, key) -> el */
	tflow *fl;
	size_t nfl, flcap;
	wd_hmap fl_index;             /* hash(from, to) -> fl */
	tbound *bd;
	size_t nbd, bdcap;
	wd_hmap bd_index;

	tname *names;
	size_t nnames, namescap;
	wd_hmap name_index;

	uint32_t *proc_of;            /* component - lo -> element, WD_NONE */
	uint32_t *f_off, *r_off, *t_off; /* per component: fields, references, targets */
	centry *f_ent, *r_ent;
	uint32_t *t_ent;              /* target indices */
	uint32_t *fmask, *rmask;      /* classes of fields / of all references */

	uint32_t internet, any_host, history;
	uint32_t b_runtime;
} deriver;

static uint64_t key_hash(const char *prefix, const char *key)
{
	return wd_hash64(key, strlen(key), wd_hash64(prefix, strlen(prefix), 0));
}

/* ---- names -------------------------------------------------------------------------- */

static wd_status intern(deriver *d, wd_str s, uint32_t *out)
{
	uint64_t h;
	size_t slot = WD_HMAP_START, len = s.len;
	uint32_t i;
	const char *c;

	if (len > TM_MAX_FIELD_NAME)
		len = TM_MAX_FIELD_NAME;
	h = wd_hash64(s.ptr, len, 7);
	while ((i = wd_hmap_next(&d->name_index, h, &slot)) != UINT32_MAX) {
		const char *t = d->names[i].s;
		if (strncmp(t, s.ptr, len) == 0 && (t[len] == '\0' || len < s.len)) {
			*out = i;
			return WD_OK;
		}
	}
	c = copy_capped(d->ar, s.ptr, s.len, TM_MAX_FIELD_NAME);
	if (!c || wd_grow((void **)&d->names, &d->namescap, d->nnames + 1, sizeof(*d->names)) ||
	    wd_hmap_put(&d->name_index, h, (uint32_t)d->nnames))
		return WD_ENOMEM;
	d->names[d->nnames].s = c;
	d->names[d->nnames].stamp = 0;
	*out = (uint32_t)d->nnames++;
	return WD_OK;
}

/* ---- boundaries and elements -------------------------------------------------------- */

/* Find or add a boundary. Fixed ids ("b-runtime") pass prefix NULL; service
 * boundaries get "b-svc-<slug>" in finish_ids. */
static wd_status boundary(deriver *d, const char *fixed_id, const char *prefix, int kind,
                          const char *name, size_t name_len, uint32_t *out)
{
	const char *key_prefix = prefix ? prefix : fixed_id;
	wd_buf kb;
	uint64_t h;
	size_t slot = WD_HMAP_START;
	uint32_t i;
	tbound *b;

	wd_buf_init(&kb, 0);
	wd_buf_put(&kb, name, name_len);
	if (wd_buf_failed(&kb))
		return WD_ENOMEM;
	h = key_hash(key_prefix, wd_buf_cstr(&kb));
	while ((i = wd_hmap_next(&d->bd_index, h, &slot)) != UINT32_MAX) {
		b = &d->bd[i];
		if ((prefix ? b->prefix == prefix : (!b->prefix && strcmp(b->b.id, fixed_id) == 0)) &&
		    strcmp(b->key, wd_buf_cstr(&kb)) == 0) {
			wd_buf_release(&kb);
			*out = i;
			return WD_OK;
		}
	}
	if (wd_grow((void **)&d->bd, &d->bdcap, d->nbd + 1, sizeof(*d->bd)) ||
	    wd_hmap_put(&d->bd_index, h, (uint32_t)d->nbd)) {
		wd_buf_release(&kb);
		return WD_ENOMEM;
	}
	b = &d->bd[d->nbd];
	memset(b, 0, sizeof(*b));
	b->prefix = prefix;
	b->key = wd_arena_strndup(d->ar, kb.data ? kb.data : "", kb.len);
	b->b.id = prefix ? NULL : fixed_id;
	b->b.kind = kind;
	b->b.name = copy_capped(d->ar, name, name_len, TM_MAX_NAME);
	wd_buf_release(&kb);
	if (!b->key || !b->b.name)
		return WD_ENOMEM;
	*out = (uint32_t)d->nbd++;
	return WD_OK;
}

static wd_status b_runtime(deriver *d, uint32_t *out)
{
	const char *name = "platform runtime";
	size_t i;

	for (i = 0; i < d->m->nzones; i++)
		if (d->m->zones[i].kind == WD_ZONE_PLATFORM) {
			return boundary(d, "b-runtime", NULL, WD_ZONE_PLATFORM, d->m->zones[i].name.ptr,
			                d->m->zones[i].name.len, out);
		}
	return boundary(d, "b-runtime", NULL, WD_ZONE_PLATFORM, name, strlen(name), out);
}

static wd_status b_fixed(deriver *d, const char *id, int kind, const char *name, uint32_t *out)
{
	return boundary(d, id, NULL, kind, name, strlen(name), out);
}

/* Find an element by (prefix, key); WD_NONE if absent. */
static uint32_t find_el(const deriver *d, const char *prefix, const char *key)
{
	size_t slot = WD_HMAP_START;
	uint32_t i;
	uint64_t h = key_hash(prefix, key);

	while ((i = wd_hmap_next(&d->el_index, h, &slot)) != UINT32_MAX)
		if (strcmp(d->el[i].prefix ? d->el[i].prefix : d->el[i].e.id, prefix) == 0 &&
		    strcmp(d->el[i].key, key) == 0)
			return i;
	return WD_NONE;
}

/*
 * Find or add a non-process element. fixed_id: a final id ("x-internet");
 * otherwise prefix ("x-svc", "s") and the id becomes prefix-slug(key) in
 * finish_ids. key is also the element's name unless name is given.
 */
static wd_status element(deriver *d, wd_tm_kind kind, const char *fixed_id, const char *prefix,
                         const char *key, size_t key_len, const char *role, uint32_t bnd,
                         uint32_t flags, uint32_t *out)
{
	const char *p = prefix ? prefix : fixed_id;
	wd_buf kb;
	uint32_t i;
	tel *t;

	wd_buf_init(&kb, 0);
	wd_buf_put(&kb, key, key_len);
	if (wd_buf_failed(&kb))
		return WD_ENOMEM;
	i = find_el(d, p, wd_buf_cstr(&kb));
	if (i != WD_NONE) {
		wd_buf_release(&kb);
		d->el[i].e.flags |= flags;
		*out = i;
		return WD_OK;
	}
	if (wd_grow((void **)&d->el, &d->elcap, d->nel + 1, sizeof(*d->el)) ||
	    wd_hmap_put(&d->el_index, key_hash(p, wd_buf_cstr(&kb)), (uint32_t)d->nel)) {
		wd_buf_release(&kb);
		return WD_ENOMEM;
	}
	t = &d->el[d->nel];
	memset(t, 0, sizeof(*t));
	t->prefix = prefix;
	t->key = copy_capped(d->ar, kb.data ? kb.data : "", kb.len, TM_MAX_NAME);
	wd_buf_release(&kb);
	t->e.kind = kind;
	t->e.id = prefix ? NULL : fixed_id;
	t->e.name = t->key;
	t->e.type = "";
	t->e.role = role ? role : "";
	t->e.boundary = bnd;
	t->e.comp = WD_NONE;
	t->e.comp_id = "";
	t->e.flags = flags;
	if (!t->key)
		return WD_ENOMEM;
	*out = (uint32_t)d->nel++;
	return WD_OK;
}

/* ---- flows ---------------------------------------------------------------------------- */

static wd_status flow(deriver *d, uint32_t from, uint32_t to, const char *label, int rank,
                      uint32_t *out)
{
	uint64_t k[2] = {from, to};
	uint64_t h = wd_hash64(k, sizeof(k), 3);
	size_t slot = WD_HMAP_START;
	uint32_t i;
	tflow *f;

	while ((i = wd_hmap_next(&d->fl_index, h, &slot)) != UINT32_MAX) {
		f = &d->fl[i];
		if (f->from == from && f->to == to) {
			uint32_t j;
			if (rank < f->rank) {
				f->rank = rank;
				f->label = label;
			}
			/* other flows may have stamped its names since: claim them back */
			for (j = 0; j < f->n; j++)
				d->names[f->names[j]].stamp = i + 1;
			*out = i;
			return WD_OK;
		}
	}
	if (wd_grow((void **)&d->fl, &d->flcap, d->nfl + 1, sizeof(*d->fl)) ||
	    wd_hmap_put(&d->fl_index, h, (uint32_t)d->nfl))
		return WD_ENOMEM;
	f = &d->fl[d->nfl];
	memset(f, 0, sizeof(*f));
	f->from = from;
	f->to = to;
	f->label = label;
	f->rank = rank;
	*out = (uint32_t)d->nfl++;
	return WD_OK;
}

static void add_name(deriver *d, uint32_t fi, uint32_t name, uint8_t cls)
{
	tflow *f = &d->fl[fi];
	uint32_t j;

	f->classes |= bit((wd_class)cls);
	if (d->names[name].stamp == fi + 1) {
		/* listed already: keep the most specific class */
		if (cls)
			for (j = 0; j < f->n; j++)
				if (f->names[j] == name && f->cls[j] < cls)
					f->cls[j] = cls;
		return;
	}
	d->names[name].stamp = fi + 1;
	if (f->n < TM_MAX_FIELDS) {
		f->names[f->n] = name;
		f->cls[f->n] = cls;
		f->n++;
	} else {
		f->more++;
	}
}

/* Fields set or entering at component c (model index). */
static void add_fields_of(deriver *d, uint32_t fi, uint32_t c)
{
	uint32_t r = c - d->lo, j;

	for (j = d->f_off[r]; j < d->f_off[r + 1]; j++)
		add_name(d, fi, d->f_ent[j].name, d->f_ent[j].cls);
}

/* References of component c: input ones, and those reading component src
 * (all of them when src is WD_NONE and all is set). */
static void add_refs_of(deriver *d, uint32_t fi, uint32_t c, uint32_t src, int input, int all)
{
	uint32_t r = c - d->lo, j;

	for (j = d->r_off[r]; j < d->r_off[r + 1]; j++) {
		const centry *e = &d->r_ent[j];
		if (all || (input && e->src == WD_NONE) || (src != WD_NONE && e->src == src))
			add_name(d, fi, e->name, e->cls);
	}
}

/* ---- per-component indexes -------------------------------------------------------- */

static wd_class class_of_path(wd_str path)
{
	size_t i = path.len;

	while (i > 0 && path.ptr[i - 1] != '.')
		i--;
	return wd_detect_class_of_name(wd_str_make(path.ptr + i, path.len - i));
}

static wd_status build_indexes(deriver *d)
{
	const wd_model *m = d->m;
	size_t n = d->hi - d->lo, i;
	uint32_t *fill = NULL;
	wd_status rc = WD_ENOMEM;

	d->proc_of = malloc((n + 1) * sizeof(uint32_t));
	d->f_off = calloc(n + 2, sizeof(uint32_t));
	d->r_off = calloc(n + 2, sizeof(uint32_t));
	d->t_off = calloc(n + 2, sizeof(uint32_t));
	d->fmask = calloc(n + 1, sizeof(uint32_t));
	d->rmask = calloc(n + 1, sizeof(uint32_t));
	fill = malloc((n + 1) * sizeof(uint32_t));
	if (!d->proc_of || !d->f_off || !d->r_off || !d->t_off || !d->fmask || !d->rmask ||
	    !fill)
		goto out;
	for (i = 0; i < n; i++)
		d->proc_of[i] = WD_NONE;

	/* fields: count (capped per component), then fill */
	for (i = 0; i < m->nfields; i++) {
		uint32_t c = m->fields[i].comp;
		if (c >= d->lo && c < d->hi && d->f_off[c - d->lo + 1] < TM_MAX_COMP_LIST)
			d->f_off[c - d->lo + 1]++;
	}
	for (i = 0; i < n; i++)
		d->f_off[i + 1] += d->f_off[i];
	d->f_ent = malloc((d->f_off[n] + 1) * sizeof(centry));
	if (!d->f_ent)
		goto out;
	memcpy(fill, d->f_off, n * sizeof(uint32_t));
	for (i = 0; i < m->nfields; i++) {
		const wd_field *f = &m->fields[i];
		uint32_t r;
		if (f->comp < d->lo || f->comp >= d->hi)
			continue;
		r = f->comp - d->lo;
		d->fmask[r] |= bit(f->cls);
		if (fill[r] >= d->f_off[r + 1])
			continue;
		if (intern(d, f->name, &d->f_ent[fill[r]].name) != WD_OK)
			goto out;
		d->f_ent[fill[r]].src = WD_NONE;
		d->f_ent[fill[r]].cls = (uint8_t)f->cls;
		fill[r]++;
	}

	/* references: input ones and those naming a component of this app */
	for (i = 0; i < m->nrefs; i++) {
		const wd_ref *x = &m->refs[i];
		if (x->comp < d->lo || x->comp >= d->hi || !x->path.len)
			continue;
		if (x->kind != WD_REF_INPUT &&
		    !(x->kind == WD_REF_NODE && x->src >= d->lo && x->src < d->hi))
			continue;
		if (d->r_off[x->comp - d->lo + 1] < TM_MAX_COMP_LIST)
			d->r_off[x->comp - d->lo + 1]++;
	}
	for (i = 0; i < n; i++)
		d->r_off[i + 1] += d->r_off[i];
	d->r_ent = malloc((d->r_off[n] + 1) * sizeof(centry));
	if (!d->r_ent)
		goto out;
	memcpy(fill, d->r_off, n * sizeof(uint32_t));
	for (i = 0; i < m->nrefs; i++) {
		const wd_ref *x = &m->refs[i];
		uint32_t r;
		wd_class cls;
		if (x->comp < d->lo || x->comp >= d->hi || !x->path.len)
			continue;
		if (x->kind != WD_REF_INPUT &&
		    !(x->kind == WD_REF_NODE && x->src >= d->lo && x->src < d->hi))
			continue;
		r = x->comp - d->lo;
		if (fill[r] >= d->r_off[r + 1])
			continue;
		cls = class_of_path(x->path);
		d->rmask[r] |= bit(cls);
		if (intern(d, x->path, &d->r_ent[fill[r]].name) != WD_OK)
			goto out;
		d->r_ent[fill[r]].src = x->kind == WD_REF_INPUT ? WD_NONE : x->src;
		d->r_ent[fill[r]].cls = (uint8_t)cls;
		fill[r]++;
	}

	/* targets of the app's components */
	for (i = 0; i < m->ntargets; i++) {
		uint32_t c = m->targets[i].comp;
		if (c >= d->lo && c < d->hi && d->t_off[c - d->lo + 1] < TM_MAX_TARGETS)
			d->t_off[c - d->lo + 1]++;
	}
	for (i = 0; i < n; i++)
		d->t_off[i + 1] += d->t_off[i];
	d->t_ent = malloc((d->t_off[n] + 1) * sizeof(uint32_t));
	if (!d->t_ent)
		goto out;
	memcpy(fill, d->t_off, n * sizeof(uint32_t));
	for (i = 0; i < m->ntargets; i++) {
		uint32_t c = m->targets[i].comp;
		if (c >= d->lo && c < d->hi && fill[c - d->lo] < d->t_off[c - d->lo + 1])
			d->t_ent[fill[c - d->lo]++] = (uint32_t)i;
	}
	rc = WD_OK;
out:
	free(fill);
	return rc;
}

/* ---- component facts ------------------------------------------------------------- */

static int is_entry_kind(wd_kind k)
{
	return k == WD_KIND_ENTRY || k == WD_KIND_TRIGGER;
}

/* Public and open to anyone (the rule engine's definition, disabled aside). */
static int open_entry(const wd_component *c)
{
	return (c->flags & WD_COMP_PUBLIC) && wd_auth_is_open(c->auth);
}

static int cat_is(const wd_component *c, const char *category)
{
	return c->connector && wd_str_eq_c(c->connector->category, category);
}

static uint32_t cat_flags(const wd_component *c)
{
	return c->connector ? c->connector->flags : 0;
}

static int store_like(const wd_component *c)
{
	return c->kind == WD_KIND_DATASTORE || cat_is(c, "database") || cat_is(c, "storage") ||
	       cat_is(c, "file") || cat_is(c, "vector-store") ||
	       (cat_flags(c) & (WD_CAT_VECTOR_STORE | WD_CAT_MEMORY | WD_CAT_FS));
}

static int is_form(const wd_component *c)
{
	static const char *const pats[] = {"formtrigger", "n8n-nodes-base.form", "ui_form",
	                                   "ui-form", "microsoftforms", "google-forms",
	                                   "googleforms", "typeform", "jotform", "tallyforms",
	                                   "formstack", "wufoo", "cognitoforms"};
	size_t i;

	if (!is_entry_kind(c->kind) && c->kind != WD_KIND_UI)
		return 0;
	for (i = 0; i < sizeof(pats) / sizeof(*pats); i++)
		if (has_ci(c->type, pats[i]))
			return 1;
	return 0;
}

static int is_chat(const wd_component *c)
{
	if (!is_entry_kind(c->kind))
		return 0;
	return has_ci(c->type, "chat") ||
	       (c->kind == WD_KIND_TRIGGER && cat_is(c, "communication"));
}

static int is_mail_in(const wd_component *c)
{
	return is_entry_kind(c->kind) && (cat_flags(c) & WD_CAT_EMAIL_READ);
}

/* Approval steps: Power Automate's Approvals connector, n8n "send and wait
 * for response" operations. The one place the model's parameters are read
 * here: the importers record no approval flag. */
static int is_approval(const wd_model *m, const wd_component *c)
{
	const wd_json_val *p;

	if (has_ci(c->type, "approval"))
		return 1;
	if (m->apps[c->app].platform != WD_PLATFORM_N8N)
		return 0;
	p = wd_model_val(m, c->params);
	return p && wd_json_is_obj(p) &&
	       wd_str_eq_c(wd_json_get_str(wd_model_json(m, c->params.doc), p, "operation"),
	                   "sendAndWait");
}

/* n8n Wait node resumed by a form ("form") or a call ("webhook"). */
static wd_str wait_resume(const wd_model *m, const wd_component *c)
{
	const wd_json_val *p;

	if (m->apps[c->app].platform != WD_PLATFORM_N8N ||
	    !wd_str_eq_c(c->type, "n8n-nodes-base.wait"))
		return WD_STR_NULL;
	p = wd_model_val(m, c->params);
	if (!p || !wd_json_is_obj(p))
		return WD_STR_NULL;
	return wd_json_get_str(wd_model_json(m, c->params.doc), p, "resume");
}

/* ---- building ------------------------------------------------------------------------ */

#define TRY(x)                                                                               \
	do {                                                                                 \
		wd_status rc_ = (x);                                                         \
		if (rc_ != WD_OK)                                                            \
			return rc_;                                                          \
	} while (0)

/* Label ranks: when edges of several kinds join the same two elements, the
 * flow keeps the label of the most direct kind. */
enum { R_FLOW = 0, R_SUBFLOW, R_LINK, R_AI, R_PEER, R_EXPR, R_ERROR };

static wd_status add_processes(deriver *d)
{
	const wd_model *m = d->m;
	wd_str app_id = d->a->id.len ? d->a->id : d->a->name;
	wd_str platform = wd_str_c(wd_platform_name(d->a->platform));
	uint32_t i;

	for (i = d->lo; i < d->hi; i++) {
		const wd_component *c = &m->comps[i];
		uint32_t r = i - d->lo;
		char hex[16], id[40];
		wd_str parts[3];
		tel *t;
		uint32_t flags = 0;
		const wd_str *nm;

		if (c->kind == WD_KIND_NOTE || c->kind == WD_KIND_CONFIG)
			continue;
		parts[0] = platform;
		parts[1] = app_id;
		parts[2] = c->id.len ? c->id : c->name;
		hash_hex(hex, 10, parts, 3);
		snprintf(id, sizeof(id), "p-%s", hex);
		/* a duplicate component id (a broken export): the later one gets its
		 * position in the app, the only thing that tells the two apart */
		if (find_el(d, id, "") != WD_NONE)
			snprintf(id, sizeof(id), "p-%s-%u", hex, r);
		if (wd_grow((void **)&d->el, &d->elcap, d->nel + 1, sizeof(*d->el)) ||
		    wd_hmap_put(&d->el_index, key_hash(id, ""), (uint32_t)d->nel))
			return WD_ENOMEM;
		t = &d->el[d->nel];
		memset(t, 0, sizeof(*t));
		t->key = "";
		t->e.kind = WD_TM_PROCESS;
		t->e.id = wd_arena_strndup(d->ar, id, strlen(id));
		nm = c->name.len ? &c->name : c->id.len ? &c->id : &c->type;
		t->e.name = copy_capped(d->ar, nm->ptr, nm->len, TM_MAX_NAME);
		t->e.type = copy_capped(d->ar, c->type.ptr, c->type.len, TM_MAX_NAME);
		if (c->connector && c->connector->service.len)
			t->e.role = copy_capped(d->ar, c->connector->service.ptr,
			                        c->connector->service.len, TM_MAX_NAME);
		else
			t->e.role = wd_kind_name(c->kind);
		t->e.boundary = d->b_runtime;
		t->e.comp = i;
		t->e.comp_id = copy_capped(d->ar, c->id.ptr, c->id.len, TM_MAX_NAME);
		if (is_entry_kind(c->kind) || (c->flags & WD_COMP_PUBLIC))
			flags |= WD_TME_ENTRY;
		if (open_entry(c) && !(c->flags & WD_COMP_DISABLED))
			flags |= WD_TME_PUBLIC;
		if (c->kind == WD_KIND_CODE || (cat_flags(c) & (WD_CAT_CODE | WD_CAT_SHELL)))
			flags |= WD_TME_CODE;
		if (c->kind == WD_KIND_AI || (cat_flags(c) & (WD_CAT_AI_AGENT | WD_CAT_AI_MODEL |
		                                                WD_CAT_AI_TOOL | WD_CAT_EMBEDDING)))
			flags |= WD_TME_AI;
		if (c->flags & WD_COMP_DISABLED)
			flags |= WD_TME_DISABLED;
		t->e.flags = flags;
		t->e.classes = d->fmask[r] | d->rmask[r];
		if (!t->e.id || !t->e.name || !t->e.type || !t->e.role || !t->e.comp_id)
			return WD_ENOMEM;
		d->proc_of[r] = (uint32_t)d->nel++;
	}
	/* hard-coded secrets count as secret data the component handles */
	for (i = 0; i < m->ndetections; i++) {
		uint32_t c = m->detections[i].comp;
		if (c >= d->lo && c < d->hi && d->proc_of[c - d->lo] != WD_NONE)
			d->el[d->proc_of[c - d->lo]].e.classes |= bit(WD_CLASS_SECRET);
	}
	return WD_OK;
}

static wd_status internet(deriver *d, uint32_t *out)
{
	uint32_t b;

	if (d->internet == WD_NONE) {
		TRY(b_fixed(d, "b-internet", WD_ZONE_PUBLIC, "Public internet", &b));
		TRY(element(d, WD_TM_EXTERNAL, "x-internet", NULL, "Internet", 8, "internet", b,
		            WD_TME_INTERNET, &d->internet));
	}
	*out = d->internet;
	return WD_OK;
}

typedef enum actor_kind { A_FORM, A_CHAT, A_MAIL, A_APPROVER, A_INVOKER } actor_kind;

static wd_status actor(deriver *d, actor_kind k, uint32_t *out)
{
	static const char *const ids[] = {"x-actor-form-submitter", "x-actor-chat-user",
	                                  "x-actor-email-sender", "x-actor-approver",
	                                  "x-actor-invoker"};
	static const char *const names[] = {"Form submitter", "Chat user", "E-mail sender",
	                                    "Approver", "Invoking user"};
	static const char *const roles[] = {"form submitter", "chat user", "e-mail sender",
	                                    "approver", "invoking user"};
	uint32_t b;

	if (k == A_APPROVER || k == A_INVOKER)
		TRY(b_fixed(d, "b-users", WD_ZONE_INTERNAL, "Organisation users", &b));
	else
		TRY(b_fixed(d, "b-internet", WD_ZONE_PUBLIC, "Public internet", &b));
	return element(d, WD_TM_EXTERNAL, ids[k], NULL, names[k], strlen(names[k]), roles[k], b,
	               WD_TME_HUMAN, out);
}

/* The host of a target is known when written literally, even if the path
 * or query holds expressions ("https://shop.example/orders?id={{...}}"). */
static int static_host(const wd_target *t)
{
	size_t i;

	if (!t->host.len)
		return 0;
	for (i = 0; i < t->host.len; i++) {
		char c = t->host.ptr[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '-' || c == '_' || c == ':' || c == '[' || c == ']'))
			return 0;
	}
	return 1;
}

/* A static target host of c; WD_NONE if none. */
static uint32_t static_target(const deriver *d, uint32_t c, uint32_t *cleartext)
{
	uint32_t r = c - d->lo, j, found = WD_NONE;

	for (j = d->t_off[r]; j < d->t_off[r + 1]; j++) {
		const wd_target *t = &d->m->targets[d->t_ent[j]];
		if (!static_host(t))
			continue;
		if (found == WD_NONE)
			found = d->t_ent[j];
		if (!(t->flags & WD_TARGET_TLS) && (t->flags & WD_TARGET_EXTERNAL) && t->scheme.len)
			*cleartext = 1;
	}
	return found;
}

static const char *store_noun(const wd_component *c)
{
	uint32_t f = cat_flags(c);

	if (f & WD_CAT_MEMORY)
		return "memory";
	if (f & WD_CAT_VECTOR_STORE || cat_is(c, "vector-store"))
		return "vectors";
	if ((f & WD_CAT_FS) || cat_is(c, "file") || cat_is(c, "storage"))
		return "files";
	return "rows";
}

static const char *store_role(const wd_component *c)
{
	uint32_t f = cat_flags(c);

	if (f & WD_CAT_MEMORY)
		return "memory";
	if (f & WD_CAT_VECTOR_STORE || cat_is(c, "vector-store"))
		return "vector store";
	if ((f & WD_CAT_FS) || cat_is(c, "file"))
		return "files";
	if (cat_is(c, "storage"))
		return "file storage";
	if (cat_is(c, "database"))
		return "database";
	return "records";
}

static const char *entity_label(const wd_component *c)
{
	uint32_t f = cat_flags(c);

	if (f & (WD_CAT_AI_MODEL | WD_CAT_EMBEDDING))
		return "prompt";
	if (f & WD_CAT_EMAIL_SEND)
		return "e-mail";
	if (f & WD_CAT_SHELL)
		return "command";
	if (f & WD_CAT_MQTT)
		return "MQTT message";
	if (f & (WD_CAT_FTP | WD_CAT_SSH))
		return "file transfer";
	if (cat_is(c, "communication"))
		return "message";
	return "API call";
}

/* The flow between process p (component c) and the service or store t. */
static wd_status peer_flow(deriver *d, uint32_t p, uint32_t c, uint32_t t, int store,
                           uint32_t cleartext)
{
	const wd_component *comp = &d->m->comps[c];
	uint32_t caps = comp->connector ? comp->connector->caps : 0;
	uint32_t fi;
	const char *label;
	int inbound;

	if (is_entry_kind(comp->kind)) {
		inbound = 1;
		label = is_mail_in(comp) ? "e-mail" : is_chat(comp) ? "message" : "event";
	} else if ((caps & WD_CAP_READ) && !(caps & (WD_CAP_WRITE | WD_CAP_SEND | WD_CAP_EXECUTE))) {
		inbound = 1;
		label = store ? (strcmp(store_noun(comp), "rows") == 0 ? "read rows" : "read")
		              : "read";
	} else {
		inbound = 0;
		if (store)
			label = (caps & WD_CAP_READ) ? "read/write" : "write";
		else
			label = entity_label(comp);
	}
	if (inbound) {
		TRY(flow(d, t, p, label, R_PEER, &fi));
		add_fields_of(d, fi, c);
	} else {
		TRY(flow(d, p, t, label, R_PEER, &fi));
		add_fields_of(d, fi, c);
		add_refs_of(d, fi, c, WD_NONE, 1, 1);
	}
	d->fl[fi].edges++;
	if (cleartext)
		d->fl[fi].flags |= WD_TMF_CLEARTEXT;
	return WD_OK;
}

/* Services, hosts and stores component c talks to. */
static wd_status add_peers(deriver *d, uint32_t c, const uint32_t *cfg_target)
{
	const wd_model *m = d->m;
	const wd_component *comp = &m->comps[c];
	uint32_t p = d->proc_of[c - d->lo], r = c - d->lo, j, t, b = d->b_runtime;
	const wd_zone *z = comp->zone < m->nzones ? &m->zones[comp->zone] : NULL;
	uint32_t cleartext = 0, host;
	int store = store_like(comp);
	wd_buf name;

	if (cat_is(comp, "webhook") && !(cat_flags(comp) & WD_CAT_HTTP))
		return WD_OK; /* endpoints: the Internet and responses, not a service */
	if ((cat_flags(comp) & WD_CAT_HTTP) && !is_entry_kind(comp->kind)) {
		size_t n = 0;
		for (j = d->t_off[r]; j < d->t_off[r + 1]; j++) {
			const wd_target *tg = &m->targets[d->t_ent[j]];
			int ext = (tg->flags & WD_TARGET_EXTERNAL) != 0;
			uint32_t fi;
			if (!static_host(tg)) {
				if (d->any_host == WD_NONE) {
					TRY(b_fixed(d, "b-internet", WD_ZONE_PUBLIC, "Public internet", &b));
					TRY(element(d, WD_TM_EXTERNAL, "x-any-host", NULL,
					            "Any host (URL from data)", 24, "host", b, WD_TME_SERVICE,
					            &d->any_host));
				}
				t = d->any_host;
			} else {
				if (ext)
					TRY(boundary(d, NULL, "b-svc", WD_ZONE_EXTERNAL, tg->host.ptr,
					             tg->host.len, &b));
				else
					TRY(b_fixed(d, "b-internal", WD_ZONE_INTERNAL, "Internal network",
					            &b));
				TRY(element(d, WD_TM_EXTERNAL, NULL, "x-svc", tg->host.ptr, tg->host.len,
				            "host", b, WD_TME_SERVICE, &t));
			}
			TRY(flow(d, p, t, (tg->flags & WD_TARGET_TLS) ? "HTTPS" : "HTTP", R_PEER, &fi));
			add_fields_of(d, fi, c);
			add_refs_of(d, fi, c, WD_NONE, 1, 1);
			d->fl[fi].edges++;
			if (!(tg->flags & WD_TARGET_TLS) && static_host(tg) && ext && tg->scheme.len)
				d->fl[fi].flags |= WD_TMF_CLEARTEXT;
			n++;
		}
		if (n == 0) {
			uint32_t fi;
			if (d->any_host == WD_NONE) {
				TRY(b_fixed(d, "b-internet", WD_ZONE_PUBLIC, "Public internet", &b));
				TRY(element(d, WD_TM_EXTERNAL, "x-any-host", NULL, "Any host (URL from data)",
				            24, "host", b, WD_TME_SERVICE, &d->any_host));
			}
			TRY(flow(d, p, d->any_host, "HTTP request", R_PEER, &fi));
			add_fields_of(d, fi, c);
			add_refs_of(d, fi, c, WD_NONE, 1, 1);
			d->fl[fi].edges++;
		}
		return WD_OK;
	}
	if (!z)
		return WD_OK;
	host = static_target(d, c, &cleartext);
	if (host == WD_NONE && cfg_target && cfg_target[r] != WD_NONE) {
		const wd_target *tg = &m->targets[cfg_target[r]];
		host = cfg_target[r];
		if (!(tg->flags & WD_TARGET_TLS) && (tg->flags & WD_TARGET_EXTERNAL) && tg->scheme.len)
			cleartext = 1;
	}
	wd_buf_init(&name, 0);
	switch (z->kind) {
	case WD_ZONE_EXTERNAL:
		TRY(boundary(d, NULL, "b-svc", WD_ZONE_EXTERNAL, z->name.ptr, z->name.len, &b));
		wd_buf_put_str(&name, z->name);
		break;
	case WD_ZONE_INTERNAL:
		TRY(b_fixed(d, "b-internal", WD_ZONE_INTERNAL, "Internal network", &b));
		wd_buf_put_str(&name, z->name);
		if (host != WD_NONE && !wd_str_eq(m->targets[host].host, z->name)) {
			wd_buf_puts(&name, " (");
			wd_buf_put_str(&name, m->targets[host].host);
			wd_buf_putc(&name, ')');
		}
		break;
	case WD_ZONE_LOCAL:
		TRY(b_fixed(d, "b-local", WD_ZONE_LOCAL, "Local host", &b));
		if (cat_flags(comp) & WD_CAT_SHELL) {
			store = 0;
			wd_buf_puts(&name, "Host operating system");
		} else if (store) {
			if (comp->connector && comp->connector->service.len)
				wd_buf_put_str(&name, comp->connector->service);
			else
				wd_buf_puts(&name, "Local files");
		}
		break;
	case WD_ZONE_PLATFORM:
		if (store && comp->connector && comp->connector->service.len) {
			b = d->b_runtime;
			wd_buf_put_str(&name, comp->connector->service);
		}
		break;
	default:
		break;
	}
	if (wd_buf_failed(&name)) {
		wd_buf_release(&name);
		return WD_ENOMEM;
	}
	if (name.len) {
		wd_status rc;
		if (store)
			rc = element(d, WD_TM_STORE, NULL, "s", name.data, name.len, store_role(comp), b,
			             0, &t);
		else
			rc = element(d, WD_TM_EXTERNAL, NULL, "x-svc", name.data, name.len,
			             z->kind == WD_ZONE_LOCAL ? "host" : "service", b, WD_TME_SERVICE, &t);
		if (rc == WD_OK && comp->connector && !d->el[t].e.type[0])
			d->el[t].e.type = copy_capped(d->ar, comp->connector->service.ptr,
			                              comp->connector->service.len, TM_MAX_NAME);
		if (rc == WD_OK && !d->el[t].e.type)
			rc = WD_ENOMEM;
		if (rc == WD_OK)
			rc = peer_flow(d, p, c, t, store, cleartext);
		wd_buf_release(&name);
		return rc;
	}
	wd_buf_release(&name);
	return WD_OK;
}

static wd_status actor_flows(deriver *d, uint32_t c, uint32_t via)
{
	const wd_model *m = d->m;
	const wd_component *comp = &m->comps[c];
	uint32_t p = d->proc_of[c - d->lo], a, fi, inet;
	wd_str resume = wait_resume(m, comp);

	if ((comp->flags & WD_COMP_PUBLIC) && !(comp->flags & WD_COMP_DISABLED)) {
		TRY(internet(d, &inet));
		TRY(flow(d, inet, p,
		         is_chat(comp) ? "chat message" : is_form(comp) ? "form post" : "HTTP request",
		         R_PEER, &fi));
		add_fields_of(d, fi, c);
		d->fl[fi].edges++;
	}
	if (is_form(comp) || wd_str_eq_c(resume, "form")) {
		TRY(actor(d, A_FORM, &a));
		TRY(flow(d, a, via != WD_NONE ? via : p, "form submission", R_PEER, &fi));
		add_fields_of(d, fi, c);
		d->fl[fi].edges++;
	}
	if (is_chat(comp)) {
		TRY(actor(d, A_CHAT, &a));
		TRY(flow(d, a, via != WD_NONE ? via : p, "chat message", R_PEER, &fi));
		add_fields_of(d, fi, c);
		d->fl[fi].edges++;
	}
	if (is_mail_in(comp)) {
		TRY(actor(d, A_MAIL, &a));
		TRY(flow(d, a, via != WD_NONE ? via : p, "e-mail", R_PEER, &fi));
		add_fields_of(d, fi, c);
		d->fl[fi].edges++;
	}
	if (is_approval(m, comp)) {
		TRY(actor(d, A_APPROVER, &a));
		TRY(flow(d, p, a, "approval request", R_PEER, &fi));
		add_fields_of(d, fi, c);
		add_refs_of(d, fi, c, WD_NONE, 1, 1);
		d->fl[fi].edges++;
		TRY(flow(d, a, p, "decision", R_PEER, &fi));
		d->fl[fi].edges++;
	}
	if (wd_str_eq_c(resume, "webhook")) {
		TRY(internet(d, &inet));
		TRY(flow(d, inet, p, "resume call", R_PEER, &fi));
		d->fl[fi].edges++;
	}
	if ((comp->flags & WD_COMP_INVOKED) && !(comp->flags & WD_COMP_PUBLIC)) {
		TRY(actor(d, A_INVOKER, &a));
		TRY(flow(d, a, p, "run request", R_PEER, &fi));
		add_fields_of(d, fi, c);
		d->fl[fi].edges++;
	}
	return WD_OK;
}

/* The element a component's service peer became (for actor -> service). */
static uint32_t peer_of(const deriver *d, uint32_t p, size_t flows_before)
{
	size_t i;

	for (i = flows_before; i < d->nfl; i++)
		if (d->fl[i].to == p && d->el[d->fl[i].from].e.kind != WD_TM_PROCESS)
			return d->fl[i].from;
	return WD_NONE;
}

static void edge_dir(const wd_edge *e, uint32_t *src, uint32_t *dst)
{
	/* AI tool edges point from the tool to the agent; data goes to the tool */
	if (e->kind == WD_EDGE_AI && wd_str_eq_c(e->label, "ai_tool")) {
		*src = e->to;
		*dst = e->from;
	} else {
		*src = e->from;
		*dst = e->to;
	}
}

static const char *edge_label(const wd_edge *e, int *rank)
{
	switch (e->kind) {
	case WD_EDGE_FLOW: *rank = R_FLOW; return "data";
	case WD_EDGE_SUBFLOW: *rank = R_SUBFLOW; return "sub-flow call";
	case WD_EDGE_LINK: *rank = R_LINK; return "link";
	case WD_EDGE_EXPR: *rank = R_EXPR; return "reads output";
	case WD_EDGE_ERROR: *rank = R_ERROR; return "on error";
	case WD_EDGE_AI:
		*rank = R_AI;
		if (wd_str_eq_c(e->label, "ai_tool")) return "tool call";
		if (wd_str_eq_c(e->label, "ai_languageModel")) return "model";
		if (wd_str_eq_c(e->label, "ai_memory")) return "memory";
		if (wd_str_eq_c(e->label, "ai_embedding")) return "embeddings";
		if (wd_str_eq_c(e->label, "ai_vectorStore")) return "vector store";
		if (wd_str_eq_c(e->label, "ai_document")) return "documents";
		if (wd_str_eq_c(e->label, "ai_outputParser")) return "output parser";
		if (wd_str_eq_c(e->label, "ai_retriever")) return "retriever";
		return "AI";
	default: *rank = R_FLOW; return "data";
	}
}

/* Another app of the export that an edge leads to or comes from. */
static wd_status other_app(deriver *d, uint32_t app, uint32_t *out)
{
	const wd_app *o = &d->m->apps[app];
	wd_str parts[2];
	char hex[16], id[32];
	const char *idc;
	uint32_t i;

	parts[0] = wd_str_c(wd_platform_name(o->platform));
	parts[1] = o->id.len ? o->id : o->name;
	hash_hex(hex, 10, parts, 2);
	snprintf(id, sizeof(id), "x-app-%s", hex);
	i = find_el(d, id, "");
	if (i != WD_NONE) {
		*out = i;
		return WD_OK;
	}
	idc = wd_arena_strndup(d->ar, id, strlen(id));
	if (!idc)
		return WD_ENOMEM;
	TRY(element(d, WD_TM_EXTERNAL, idc, NULL, "", 0, "other app", d->b_runtime, 0, out));
	d->el[*out].e.name = copy_capped(d->ar, o->name.ptr, o->name.len, TM_MAX_NAME);
	return d->el[*out].e.name ? WD_OK : WD_ENOMEM;
}

static wd_status add_edges(deriver *d)
{
	const wd_model *m = d->m;
	size_t i;

	for (i = 0; i < m->nedges; i++) {
		const wd_edge *e = &m->edges[i];
		uint32_t s, t, ps, pt, fi;
		int in_s, in_t, rank;
		const char *label;

		if (e->kind == WD_EDGE_CONFIG)
			continue;
		edge_dir(e, &s, &t);
		if (s >= m->ncomps || t >= m->ncomps || s == t)
			continue;
		in_s = s >= d->lo && s < d->hi;
		in_t = t >= d->lo && t < d->hi;
		if (!in_s && !in_t)
			continue;
		ps = in_s ? d->proc_of[s - d->lo] : WD_NONE;
		pt = in_t ? d->proc_of[t - d->lo] : WD_NONE;
		if ((in_s && ps == WD_NONE) || (in_t && pt == WD_NONE))
			continue;
		if (!in_s) {
			if (m->comps[s].app == WD_NONE)
				continue;
			TRY(other_app(d, m->comps[s].app, &ps));
		}
		if (!in_t) {
			if (m->comps[t].app == WD_NONE)
				continue;
			TRY(other_app(d, m->comps[t].app, &pt));
		}
		label = edge_label(e, &rank);
		TRY(flow(d, ps, pt, label, rank, &fi));
		d->fl[fi].edges++;
		if (e->kind == WD_EDGE_ERROR)
			d->fl[fi].error_edges++;
		/* what the source holds, and what the target reads from its input
		 * (not for expression edges: those read one named component) or
		 * from the source by name */
		if (in_s)
			add_fields_of(d, fi, s);
		if (in_t)
			add_refs_of(d, fi, t, in_s ? s : WD_NONE, e->kind != WD_EDGE_EXPR, 0);
	}
	return WD_OK;
}

/* Responses to HTTP callers (Respond to Webhook, http response, Response). */
static wd_status add_responses(deriver *d)
{
	uint32_t i, fi;

	if (d->internet == WD_NONE)
		return WD_OK;
	for (i = d->lo; i < d->hi; i++) {
		const wd_component *c = &d->m->comps[i];
		uint32_t p = d->proc_of[i - d->lo];
		if (p == WD_NONE || (c->flags & WD_COMP_DISABLED) || !cat_is(c, "webhook") ||
		    is_entry_kind(c->kind) || (cat_flags(c) & WD_CAT_HTTP))
			continue;
		TRY(flow(d, p, d->internet, "HTTP response", R_PEER, &fi));
		add_fields_of(d, fi, i);
		add_refs_of(d, fi, i, WD_NONE, 1, 1);
		d->fl[fi].edges++;
	}
	return WD_OK;
}

/* Is the app's run data kept in the platform's history, for component c? */
static int logged(const deriver *d, const wd_component *c)
{
	const wd_app *a = d->a;

	switch (a->platform) {
	case WD_PLATFORM_N8N:
		return a->save_success != 0 || a->save_failed != 0 || a->save_manual != 0;
	case WD_PLATFORM_POWER_AUTOMATE:
		return !(c->flags & WD_COMP_SECURE_IO);
	case WD_PLATFORM_MAKE:
		return a->confidential != 1;
	case WD_PLATFORM_ZAPIER:
		return 1;
	default:
		return 0;
	}
}

static const char *history_name(wd_platform p)
{
	switch (p) {
	case WD_PLATFORM_N8N: return "n8n execution history";
	case WD_PLATFORM_POWER_AUTOMATE: return "Power Automate run history";
	case WD_PLATFORM_MAKE: return "Make scenario history";
	case WD_PLATFORM_ZAPIER: return "Zap history";
	default: return "run history";
	}
}

static wd_status add_history(deriver *d)
{
	uint32_t i, fi;

	for (i = d->lo; i < d->hi; i++) {
		const wd_component *c = &d->m->comps[i];
		uint32_t p = d->proc_of[i - d->lo];
		const wd_tm_element *e;
		if (p == WD_NONE || (c->flags & WD_COMP_DISABLED) || !logged(d, c))
			continue;
		e = &d->el[p].e;
		if (!(e->flags & WD_TME_ENTRY) && !(e->classes & TM_SENSITIVE_CLASSES))
			continue;
		if (d->history == WD_NONE) {
			const char *n = history_name(d->a->platform);
			TRY(element(d, WD_TM_STORE, "s-history", NULL, n, strlen(n), "execution history",
			            d->b_runtime, WD_TME_HISTORY, &d->history));
		}
		TRY(flow(d, p, d->history, "run data", R_PEER, &fi));
		add_fields_of(d, fi, i);
		add_refs_of(d, fi, i, WD_NONE, 1, 1);
		d->fl[fi].edges++;
	}
	return WD_OK;
}

/* ---- finishing ------------------------------------------------------------------------ */

typedef struct idslot {
	const char *prefix;
	const char *key;
	const char **id;
} idslot;

static int cmp_slot(const void *a, const void *b)
{
	const idslot *x = a, *y = b;
	int c = strcmp(x->prefix, y->prefix);
	return c ? c : strcmp(x->key, y->key);
}

/*
 * Give slug ids to service elements, stores and boundaries: prefix-slug(key),
 * and where two different keys share a slug, each gets -<6 hex of its key>,
 * so the result depends on the set of names only, never on their order.
 */
static wd_status finish_ids(deriver *d)
{
	idslot *s;
	size_t n = 0, i, j;
	wd_buf b, sl;
	wd_status rc = WD_OK;

	s = malloc((d->nel + d->nbd + 1) * sizeof(*s));
	if (!s)
		return WD_ENOMEM;
	for (i = 0; i < d->nel; i++)
		if (d->el[i].prefix) {
			s[n].prefix = d->el[i].prefix;
			s[n].key = d->el[i].key;
			s[n++].id = &d->el[i].e.id;
		}
	for (i = 0; i < d->nbd; i++)
		if (d->bd[i].prefix) {
			s[n].prefix = d->bd[i].prefix;
			s[n].key = d->bd[i].key;
			s[n++].id = &d->bd[i].b.id;
		}
	wd_buf_init(&b, 0);
	wd_buf_init(&sl, 0);
	/* slug first, to sort by it */
	for (i = 0; i < n && rc == WD_OK; i++) {
		wd_buf_reset(&sl);
		wd_buf_puts(&sl, s[i].prefix);
		wd_buf_putc(&sl, '-');
		slug(&sl, s[i].key, strlen(s[i].key));
		*s[i].id = wd_arena_strndup(d->ar, wd_buf_cstr(&sl), sl.len);
		if (!*s[i].id || wd_buf_failed(&sl))
			rc = WD_ENOMEM;
	}
	if (rc == WD_OK) {
		/* group by id; a group with several keys is disambiguated */
		for (i = 0; i < n; i++)
			s[i].prefix = *s[i].id;
		qsort(s, n, sizeof(*s), cmp_slot);
		for (i = 0; i < n && rc == WD_OK; i = j) {
			for (j = i + 1; j < n && strcmp(*s[j].id, *s[i].id) == 0; j++)
				;
			if (j - i > 1) {
				size_t k;
				for (k = i; k < j && rc == WD_OK; k++) {
					char hex[8];
					wd_str part = wd_str_c(s[k].key);
					hash_hex(hex, 6, &part, 1);
					wd_buf_reset(&b);
					wd_buf_printf(&b, "%s-%s", *s[k].id, hex);
					*s[k].id = wd_arena_strndup(d->ar, wd_buf_cstr(&b), b.len);
					if (!*s[k].id)
						rc = WD_ENOMEM;
				}
			}
		}
	}
	wd_buf_release(&b);
	wd_buf_release(&sl);
	free(s);
	return rc;
}

/* Flows reached from the internet and public actors carry untrusted input. */
static wd_status mark_untrusted(deriver *d)
{
	uint32_t *off = calloc(d->nel + 2, sizeof(uint32_t));
	uint32_t *adj = malloc((d->nfl + 1) * sizeof(uint32_t));
	uint32_t *queue = malloc((d->nel + 1) * sizeof(uint32_t));
	uint8_t *seen = calloc(d->nel + 1, 1);
	size_t i, head = 0, tail = 0;
	wd_status rc = WD_ENOMEM;

	if (!off || !adj || !queue || !seen)
		goto out;
	for (i = 0; i < d->nfl; i++)
		off[d->fl[i].from + 1]++;
	for (i = 0; i < d->nel; i++)
		off[i + 1] += off[i];
	{
		uint32_t *fill = malloc((d->nel + 1) * sizeof(uint32_t));
		if (!fill)
			goto out;
		memcpy(fill, off, (d->nel + 1) * sizeof(uint32_t));
		for (i = 0; i < d->nfl; i++)
			adj[fill[d->fl[i].from]++] = (uint32_t)i;
		free(fill);
	}
	for (i = 0; i < d->nel; i++) {
		const wd_tm_element *e = &d->el[i].e;
		int public_actor = (e->flags & WD_TME_HUMAN) && d->bd[e->boundary].b.kind == WD_ZONE_PUBLIC;
		if ((e->flags & WD_TME_INTERNET) || public_actor) {
			seen[i] = 1;
			queue[tail++] = (uint32_t)i;
		}
	}
	while (head < tail) {
		uint32_t u = queue[head++], j;
		if ((d->el[u].e.flags & WD_TME_DISABLED) && d->el[u].e.kind == WD_TM_PROCESS &&
		    d->a->platform != WD_PLATFORM_N8N)
			continue; /* only n8n passes data through a disabled node */
		for (j = off[u]; j < off[u + 1]; j++) {
			tflow *f = &d->fl[adj[j]];
			f->flags |= WD_TMF_UNTRUSTED;
			if (!seen[f->to]) {
				seen[f->to] = 1;
				queue[tail++] = f->to;
			}
		}
	}
	rc = WD_OK;
out:
	free(off);
	free(adj);
	free(queue);
	free(seen);
	return rc;
}

static wd_status finish(deriver *d)
{
	wd_tm *tm = d->tm;
	size_t i, j, used = 0;
	uint32_t *bmap = NULL;
	wd_buf id;
	wd_status rc;

	rc = finish_ids(d);
	if (rc != WD_OK)
		return rc;
	rc = mark_untrusted(d);
	if (rc != WD_OK)
		return rc;
	/* flow flags and the classes of what non-processes send and receive */
	for (i = 0; i < d->nfl; i++) {
		tflow *f = &d->fl[i];
		wd_tm_element *a = &d->el[f->from].e, *b = &d->el[f->to].e;
		if (a->boundary != b->boundary)
			f->flags |= WD_TMF_CROSSES;
		if (f->classes & TM_SENSITIVE_CLASSES)
			f->flags |= WD_TMF_SENSITIVE;
		if (f->edges && f->error_edges == f->edges)
			f->flags |= WD_TMF_ERROR;
		if (a->kind != WD_TM_PROCESS)
			a->classes |= f->classes;
		if (b->kind != WD_TM_PROCESS)
			b->classes |= f->classes;
	}
	/* only boundaries something sits in, in first-use order */
	bmap = malloc((d->nbd + 1) * sizeof(uint32_t));
	if (!bmap)
		return WD_ENOMEM;
	for (i = 0; i < d->nbd; i++)
		bmap[i] = WD_NONE;
	for (i = 0; i < d->nel; i++) {
		uint32_t b = d->el[i].e.boundary;
		if (bmap[b] == WD_NONE)
			bmap[b] = (uint32_t)used++;
	}
	tm->boundaries = wd_arena_zalloc(&tm->arena, (used + 1) * sizeof(wd_tm_boundary));
	tm->elements = wd_arena_zalloc(&tm->arena, (d->nel + 1) * sizeof(wd_tm_element));
	tm->flows = wd_arena_zalloc(&tm->arena, (d->nfl + 1) * sizeof(wd_tm_flow));
	if (!tm->boundaries || !tm->elements || !tm->flows) {
		free(bmap);
		return WD_ENOMEM;
	}
	for (i = 0; i < d->nbd; i++)
		if (bmap[i] != WD_NONE)
			tm->boundaries[bmap[i]] = d->bd[i].b;
	tm->nboundaries = used;
	for (i = 0; i < d->nel; i++) {
		wd_tm_element *e = &tm->elements[i];
		*e = d->el[i].e;
		e->boundary = bmap[e->boundary];
		if (e->classes & TM_SENSITIVE_CLASSES)
			e->flags |= WD_TME_SENSITIVE;
	}
	tm->nelements = d->nel;
	free(bmap);
	wd_buf_init(&id, 0);
	for (i = 0; i < d->nfl; i++) {
		const tflow *f = &d->fl[i];
		wd_tm_flow *o = &tm->flows[i];
		size_t n = f->n + (f->more ? 1 : 0);
		const char **fields = wd_arena_alloc(&tm->arena, (n + 1) * sizeof(char *));
		uint8_t *cls = wd_arena_alloc(&tm->arena, n + 1);
		wd_buf_reset(&id);
		wd_buf_printf(&id, "%s--%s", tm->elements[f->from].id, tm->elements[f->to].id);
		o->id = wd_arena_strndup(&tm->arena, wd_buf_cstr(&id), id.len);
		if (!fields || !cls || !o->id || wd_buf_failed(&id)) {
			wd_buf_release(&id);
			return WD_ENOMEM;
		}
		o->from = f->from;
		o->to = f->to;
		o->label = f->label;
		for (j = 0; j < f->n; j++) {
			fields[j] = d->names[f->names[j]].s;
			cls[j] = f->cls[j];
		}
		if (f->more) {
			char more[40];
			snprintf(more, sizeof(more), "(+%u more)", f->more);
			fields[j] = wd_arena_strndup(&tm->arena, more, strlen(more));
			cls[j] = WD_CLASS_NONE;
			if (!fields[j]) {
				wd_buf_release(&id);
				return WD_ENOMEM;
			}
		}
		o->fields = fields;
		o->field_classes = cls;
		o->nfields = n;
		o->classes = f->classes;
		o->flags = f->flags;
	}
	wd_buf_release(&id);
	tm->nflows = d->nfl;
	return WD_OK;
}

static void deriver_release(deriver *d)
{
	free(d->el);
	free(d->fl);
	free(d->bd);
	free(d->names);
	wd_hmap_release(&d->el_index);
	wd_hmap_release(&d->fl_index);
	wd_hmap_release(&d->bd_index);
	wd_hmap_release(&d->name_index);
	free(d->proc_of);
	free(d->f_off);
	free(d->r_off);
	free(d->t_off);
	free(d->f_ent);
	free(d->r_ent);
	free(d->t_ent);
	free(d->fmask);
	free(d->rmask);
}

/* Static targets of the configuration nodes each component uses. */
static wd_status config_targets(deriver *d, uint32_t **out)
{
	const wd_model *m = d->m;
	size_t n = d->hi - d->lo, i;
	uint32_t *cfg, *of = NULL;
	int any = 0;

	*out = NULL;
	for (i = 0; i < m->nedges && !any; i++)
		any = m->edges[i].kind == WD_EDGE_CONFIG && m->edges[i].from >= d->lo &&
		      m->edges[i].from < d->hi;
	if (!any)
		return WD_OK;
	cfg = malloc((n + 1) * sizeof(uint32_t));
	of = malloc((m->ncomps + 1) * sizeof(uint32_t));
	if (!cfg || !of) {
		free(cfg);
		free(of);
		return WD_ENOMEM;
	}
	for (i = 0; i < n; i++)
		cfg[i] = WD_NONE;
	for (i = 0; i < m->ncomps; i++)
		of[i] = WD_NONE;
	for (i = 0; i < m->ntargets; i++) {
		const wd_target *t = &m->targets[i];
		if (t->comp < m->ncomps && of[t->comp] == WD_NONE && static_host(t))
			of[t->comp] = (uint32_t)i;
	}
	for (i = 0; i < m->nedges; i++) {
		const wd_edge *e = &m->edges[i];
		if (e->kind == WD_EDGE_CONFIG && e->from >= d->lo && e->from < d->hi &&
		    e->to < m->ncomps && cfg[e->from - d->lo] == WD_NONE)
			cfg[e->from - d->lo] = of[e->to];
	}
	free(of);
	*out = cfg;
	return WD_OK;
}

static wd_status derive(deriver *d)
{
	uint32_t i, *cfg = NULL;
	wd_status rc;

	TRY(build_indexes(d));
	TRY(b_runtime(d, &d->b_runtime));
	TRY(add_processes(d));
	TRY(config_targets(d, &cfg));
	rc = WD_OK;
	for (i = d->lo; i < d->hi && rc == WD_OK; i++) {
		uint32_t p = d->proc_of[i - d->lo];
		size_t before = d->nfl;
		if (p == WD_NONE || (d->m->comps[i].flags & WD_COMP_DISABLED))
			continue;
		rc = add_peers(d, i, cfg);
		if (rc == WD_OK) {
			/* a trigger fed by a service: the actor reaches it through the service */
			uint32_t via = is_entry_kind(d->m->comps[i].kind) ? peer_of(d, p, before) : WD_NONE;
			rc = actor_flows(d, i, via);
		}
	}
	free(cfg);
	if (rc != WD_OK)
		return rc;
	TRY(add_edges(d));
	TRY(add_responses(d));
	TRY(add_history(d));
	return finish(d);
}

wd_status wd_tm_derive(wd_tm **out, const wd_model *m, uint32_t app, wd_error *err)
{
	deriver d;
	wd_tm *tm;
	const wd_app *a;
	wd_status rc;

	*out = NULL;
	if (!m || app >= m->napps)
		return wd_error_set(err, WD_EINVAL, "no app %u in the model", app);
	a = &m->apps[app];
	if (a->comp_first > m->ncomps || a->comp_count > m->ncomps - a->comp_first)
		return wd_error_set(err, WD_EINVAL, "app %u: components out of range", app);
	tm = calloc(1, sizeof(*tm));
	if (!tm)
		return wd_error_set(err, WD_ENOMEM, "out of memory");
	wd_arena_init(&tm->arena, 64 * 1024);
	memset(&d, 0, sizeof(d));
	d.m = m;
	d.app = app;
	d.a = a;
	d.lo = a->comp_first;
	d.hi = a->comp_first + a->comp_count;
	d.tm = tm;
	d.ar = &tm->arena;
	d.internet = d.any_host = d.history = WD_NONE;
	tm->platform = wd_platform_name(a->platform);
	tm->app_id = copy_capped(d.ar, a->id.ptr, a->id.len, TM_MAX_NAME);
	if (a->name.len) {
		tm->app_name = copy_capped(d.ar, a->name.ptr, a->name.len, TM_MAX_NAME);
	} else {
		/* unnamed (an n8n export without "name"): the file's name, for people */
		const char *base = m->path ? strrchr(m->path, '/') : NULL;
		base = base ? base + 1 : m->path ? m->path : "";
		tm->app_name = copy_capped(d.ar, base, strlen(base), TM_MAX_NAME);
	}
	tm->file = wd_arena_strndup(d.ar, m->path ? m->path : "", m->path ? strlen(m->path) : 0);
	tm->hash = wd_arena_strndup(d.ar, a->hash, strlen(a->hash));
	rc = (tm->app_id && tm->app_name && tm->file && tm->hash) ? derive(&d) : WD_ENOMEM;
	deriver_release(&d);
	if (rc == WD_OK)
		rc = wd_tm_find_threats(tm, m, app);
	if (rc != WD_OK) {
		wd_tm_free(tm);
		return wd_error_set(err, rc, "deriving the threat model: %s", wd_status_str(rc));
	}
	*out = tm;
	return WD_OK;
}

void wd_tm_free(wd_tm *tm)
{
	if (!tm)
		return;
	wd_arena_release(&tm->arena);
	free(tm);
}
