/*
 * import/zapier.c - the Zapier export importer.
 *
 * A Zapier export is {"metadata": {"version"}, "zaps": [{"id", "title",
 * "nodes": {"<id>": {"id", "parent_id", "root_id", "selected_api",
 * "action", "type_of", "params", "authentication_id", "title", "paused",
 * "meta"}}}]}. The nodes of a zap form a tree through parent_id: the root
 * (no parent, type_of "read") is the trigger, every other node runs after
 * its parent; paths (BranchingAPI) fork the tree.
 *
 * One app per zap, one component per node in document order (the nodes
 * object is keyed by id, so document order is the only order there is),
 * added zap by zap so each zap's components stay contiguous. Edges: parent ->
 * child (FLOW) and one EXPR edge per (source, reader) pair of mappings
 * ({{1__user__name}} reads field user.name of node 1; filter and path rules
 * name fields the same way without braces, "1__channel__name"). Zapier
 * authentications (authentication_id) become vault credentials. Webhooks by
 * Zapier "catch" triggers are public entry points with no authentication
 * (Zapier offers none for them); Code by Zapier steps are code; Webhooks by
 * Zapier actions send to params.url.
 *
 * Exports are untrusted: members of the wrong type are skipped; only a root
 * without a "zaps" array fails (WD_EFORMAT). Node ids are looked up through a
 * hash table, so no input makes the import quadratic; references are capped
 * per component.
 */
#include <stdlib.h>
#include <string.h>

#include "import/common.h"

/* Distinct references recorded per component (bounds refs and EXPR edges). */
#define MAX_REFS_PER_COMP 512
/* Depth to which params trees are walked. */
#define WALK_MAX_DEPTH 256
#define PATH_MAX_LEN 256

typedef struct zp {
	wd_model *m;
	uint32_t doc;
	wd_json_doc *jd;
	const wd_import_opts *opts;
	wd_error *err;
	uint32_t first;           /* first component of the current zap */
	const wd_json_val **nodes; /* node object of component first + i */
	size_t nnodes, nodes_cap;
	wd_hmap ids;              /* node id -> component, per zap */
	wd_hmap creds;            /* authentication id -> credential, per file */
	wd_hmap refs;             /* (comp, src, path) -> ref */
	/* the node whose params are being scanned */
	uint32_t comp;
	wd_loc loc;
	uint32_t nrefs;
	wd_status st;
} zp;

/* ---- small helpers --------------------------------------------------------------- */

static wd_loc loc_of(const zp *x, const wd_json_val *v)
{
	return v ? wd_model_loc(x->m, x->doc, v) : WD_LOC_NONE;
}

static wd_status fail_at(zp *x, const wd_json_val *v, wd_status code, const char *what)
{
	return imp_fail_at(x->err, x->jd, v, code, "zapier export", what);
}

static wd_status fail_rc(zp *x, wd_status rc, const char *what)
{
	return imp_fail_rc(x->err, x->m, "zapier export", rc, what);
}

static wd_str val_text(const zp *x, const wd_json_val *v)
{
	return imp_val_text(x->jd, v);
}

static wd_str get_text(const zp *x, const wd_json_val *obj, const char *key)
{
	return val_text(x, wd_json_get(x->jd, obj, key));
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* "QuipCLIAPI" of "QuipCLIAPI@1.10.0" (the app without its version). */
static wd_str api_base(wd_str api)
{
	const char *at = api.ptr ? memchr(api.ptr, '@', api.len) : NULL;

	return at ? wd_str_make(api.ptr, (size_t)(at - api.ptr)) : api;
}

/* "<api>.<action>" in the model arena; {NULL,0} when out of memory. */
static wd_str join_type(zp *x, wd_str api, wd_str action)
{
	size_t n = api.len + 1 + action.len;
	char *p = wd_arena_alloc(&x->m->arena, n + 1);

	if (!p)
		return WD_STR_NULL;
	if (api.len)
		memcpy(p, api.ptr, api.len);
	p[api.len] = '.';
	if (action.len)
		memcpy(p + api.len + 1, action.ptr, action.len);
	p[n] = '\0';
	return wd_str_make(p, n);
}

/* The component of this zap whose node id is id (the first), WD_NONE if none. */
static uint32_t find_node(const zp *x, wd_str id)
{
	size_t slot = WD_HMAP_START;
	uint32_t c, best = WD_NONE;

	if (!id.len)
		return WD_NONE;
	while ((c = wd_hmap_next(&x->ids, imp_hash_str(id, 1), &slot)) != WD_NONE)
		if (wd_str_eq(x->m->comps[c].id, id) && (best == WD_NONE || c < best))
			best = c;
	return best;
}

static wd_status add_field(zp *x, uint32_t comp, wd_str name, wd_loc loc)
{
	return wd_model_add_field_once(x->m, comp, name, WD_CLASS_NONE, loc);
}

static wd_status add_expr_edge(zp *x, uint32_t src, uint32_t dst, wd_loc loc)
{
	return wd_model_add_expr_edge(x->m, src, dst, loc);
}

/* ---- mapping scanner ------------------------------------------------------------ */

/*
 * One mapping "<node id>__<field>__<sub>" at t (exactly n bytes): the node
 * id and the path with "__" turned into "." ("user.name") in buf. 0 when t
 * is not a mapping.
 */
static int parse_mapping(const char *t, size_t n, wd_str *node, char *buf, size_t cap,
                         size_t *plen)
{
	size_t k = 0, i, o = 0;

	while (k < n && is_digit((unsigned char)t[k]))
		k++;
	if (k == 0 || k > 20 || k + 2 >= n || t[k] != '_' || t[k + 1] != '_')
		return 0;
	*node = wd_str_make(t, k);
	for (i = k + 2; i < n && o + 1 < cap; i++) {
		if (t[i] == '_' && i + 1 < n && t[i + 1] == '_' && o > 0) {
			buf[o++] = '.';
			i++;
			continue;
		}
		buf[o++] = t[i];
	}
	*plen = o;
	return o > 0;
}

typedef void (*ref_fn)(void *ctx, wd_str node, wd_str path);

/*
 * Scan text for Zapier mappings {{<node id>__<field path>}} and call fn for
 * each (fn may be NULL to count). Robust to any bytes: every read is bounded
 * by text.len. Returns the number found.
 */
static size_t scan_mappings(wd_str text, ref_fn fn, void *ctx)
{
	const char *s = text.ptr;
	size_t n = text.len, i = 0, count = 0;
	char buf[PATH_MAX_LEN];

	if (!s)
		return 0;
	while (i + 1 < n) {
		const char *open = memchr(s + i, '{', n - i - 1);
		size_t start, k, plen = 0;
		wd_str node;

		if (!open)
			break;
		i = (size_t)(open - s);
		if (s[i + 1] != '{') {
			i++;
			continue;
		}
		start = i + 2;
		/* a mapping has no spaces or braces; stop at the first one */
		for (k = start; k < n && k - start <= PATH_MAX_LEN; k++)
			if (s[k] == '}' || s[k] == '{' || s[k] == ' ' || s[k] == '\n')
				break;
		if (k + 1 < n && s[k] == '}' && s[k + 1] == '}' &&
		    parse_mapping(s + start, k - start, &node, buf, sizeof(buf), &plen)) {
			count++;
			if (fn)
				fn(ctx, node, wd_str_make(buf, plen));
			i = k + 2;
			continue;
		}
		i = start;
	}
	return count;
}

static wd_str last_segment(wd_str path)
{
	size_t start = path.len;

	while (start > 0 && path.ptr[start - 1] != '.')
		start--;
	return wd_str_make(path.ptr + start, path.len - start);
}

static void on_ref(void *ctx, wd_str node, wd_str path)
{
	zp *x = ctx;
	wd_model *m = x->m;
	uint32_t src, ri;
	uint64_t h;
	size_t slot = WD_HMAP_START;
	wd_ref r;
	wd_status rc;

	if (x->st != WD_OK || x->nrefs >= MAX_REFS_PER_COMP)
		return;
	src = find_node(x, node);
	m->comps[x->comp].flags |= WD_COMP_INPUT_USED;
	h = imp_hash_str(path, ((uint64_t)x->comp << 32 | src) ^ imp_hash_str(node, 5));
	while ((ri = wd_hmap_next(&x->refs, h, &slot)) != WD_NONE) {
		const wd_ref *o = &m->refs[ri];
		if (o->comp == x->comp && o->src == src && wd_str_eq(o->path, path))
			return;
	}
	memset(&r, 0, sizeof(r));
	r.comp = x->comp;
	r.src = src;
	r.kind = WD_REF_NODE;
	r.loc = x->loc;
	r.path = wd_arena_str(&m->arena, path);
	if (!r.path.ptr) {
		x->st = WD_ENOMEM;
		return;
	}
	rc = wd_model_add_ref(m, &r);
	if (rc == WD_OK)
		rc = wd_hmap_put(&x->refs, h, (uint32_t)(m->nrefs - 1));
	x->nrefs++;
	if (rc == WD_OK)
		rc = add_field(x, x->comp, last_segment(r.path), x->loc);
	if (rc == WD_OK && src != WD_NONE)
		rc = add_expr_edge(x, src, x->comp, x->loc);
	x->st = rc;
}

/*
 * Scan every string of a params tree for mappings; the "key" of filter and
 * path rules ("1__channel__name") names a field without braces.
 */
static wd_status walk_params(zp *x, const wd_json_val *v, wd_str key, unsigned depth)
{
	const wd_json_val *k, *e;
	size_t i;
	wd_status rc;

	if (depth > WALK_MAX_DEPTH || x->nrefs >= MAX_REFS_PER_COMP)
		return WD_OK;
	if (wd_json_is_str(v)) {
		wd_str s = wd_json_str(x->jd, v);
		x->loc = loc_of(x, v);
		x->st = WD_OK;
		if (wd_str_eq_c(key, "key") && s.len < PATH_MAX_LEN) {
			char buf[PATH_MAX_LEN];
			size_t plen = 0;
			wd_str node;
			if (parse_mapping(s.ptr, s.len, &node, buf, sizeof(buf), &plen))
				on_ref(x, node, wd_str_make(buf, plen));
		} else if (wd_str_find(s, "{{") >= 0) {
			scan_mappings(s, on_ref, x);
		}
		return x->st;
	}
	if (wd_json_is_arr(v)) {
		WD_JSON_ARR_FOREACH(v, i, e)
		{
			rc = walk_params(x, e, key, depth + 1);
			if (rc != WD_OK)
				return rc;
		}
	} else if (wd_json_is_obj(v)) {
		WD_JSON_OBJ_FOREACH(v, i, k, e)
		{
			rc = walk_params(x, e, wd_json_str(x->jd, k), depth + 1);
			if (rc != WD_OK)
				return rc;
		}
	}
	return WD_OK;
}

/* ---- nodes ---------------------------------------------------------------------- */

static int has_parent(const zp *x, const wd_json_val *node)
{
	return val_text(x, wd_json_get(x->jd, node, "parent_id")).len > 0;
}

/* A Webhooks by Zapier trigger that Zapier calls for anyone: Catch (Raw) Hook. */
static int is_catch_hook(wd_str api, wd_str action)
{
	return wd_str_eq_c(api_base(api), "WebHookAPI") &&
	       (wd_str_find(action, "hook") >= 0 || wd_str_find(action, "catch") >= 0);
}

static wd_status add_node(zp *x, const wd_json_val *key, const wd_json_val *node)
{
	wd_model *m = x->m;
	const wd_json_val *params = wd_json_get(x->jd, node, "params");
	wd_str api = wd_json_get_str(x->jd, node, "selected_api");
	wd_str action = wd_json_get_str(x->jd, node, "action");
	wd_str cand[2];
	wd_component c;
	uint32_t ci;
	wd_status rc;

	if (!wd_json_is_obj(params))
		params = NULL;
	wd_component_init(m, &c);
	c.id = get_text(x, node, "id");
	if (!c.id.len)
		c.id = wd_json_str(x->jd, key);
	c.type = join_type(x, api, action);
	if (!c.type.ptr)
		return WD_ENOMEM;
	c.name = wd_json_get_str(x->jd, node, "title");
	if (!c.name.len) /* real exports leave title null and keep the editor's name here */
		c.name = wd_json_get_str(x->jd, wd_json_get(x->jd, node, "meta"), "stepTitle");
	if (!c.name.len)
		c.name = c.type;
	c.loc = loc_of(x, node);
	c.params = loc_of(x, params);
	cand[0] = api;
	cand[1] = api_base(api);
	c.connector = wd_import_lookup(x->opts, WD_PLATFORM_ZAPIER, cand,
	                               cand[1].len < api.len ? 2 : 1);
	if (!has_parent(x, node) && wd_str_eq_c(wd_json_get_str(x->jd, node, "type_of"), "read")) {
		if (is_catch_hook(api, action)) {
			c.kind = WD_KIND_ENTRY;
			c.flags |= WD_COMP_PUBLIC;
			/* Zapier's catch hooks have no authentication setting */
			c.auth = WD_AUTH_NONE;
			c.auth_loc = c.loc;
		} else {
			c.kind = WD_KIND_TRIGGER;
		}
	}
	if (wd_str_eq_c(api_base(api), "CodeAPI")) {
		const wd_json_val *code = wd_json_get(x->jd, params, "code");
		c.kind = WD_KIND_CODE;
		if (wd_json_is_str(code)) {
			c.code = wd_json_str(x->jd, code);
			c.code_loc = loc_of(x, code);
		}
	}
	if (wd_str_eq_c(api_base(api), "WebHookAPI") && !(c.flags & WD_COMP_PUBLIC)) {
		const wd_json_val *ba = wd_json_get(x->jd, params, "basic_auth");
		c.auth = wd_json_is_str(ba) && ba->len ? WD_AUTH_BASIC : WD_AUTH_NONE;
		c.auth_loc = loc_of(x, ba ? ba : params ? params : node);
	}
	rc = wd_model_add_component(m, &c, &ci);
	if (rc != WD_OK)
		return rc;
	if (x->nnodes == x->nodes_cap &&
	    wd_grow((void **)&x->nodes, &x->nodes_cap, x->nnodes + 1, sizeof(*x->nodes)) != WD_OK)
		return WD_ENOMEM;
	x->nodes[x->nnodes++] = node;
	if (c.id.len)
		return wd_hmap_put(&x->ids, imp_hash_str(c.id, 1), ci);
	return WD_OK;
}

static wd_status add_cred(zp *x, uint32_t comp, const wd_json_val *node)
{
	wd_model *m = x->m;
	const wd_json_val *v = wd_json_get(x->jd, node, "authentication_id");
	wd_str id = val_text(x, v);
	uint64_t h = imp_hash_str(id, 11);
	size_t slot = WD_HMAP_START;
	uint32_t ci;
	wd_credential cr;
	wd_status rc;

	if (!id.len)
		return WD_OK;
	while ((ci = wd_hmap_next(&x->creds, h, &slot)) != WD_NONE)
		if (wd_str_eq(m->creds[ci].id, id))
			return wd_model_add_cred_use(m, comp, ci);
	memset(&cr, 0, sizeof(cr));
	cr.id = id;
	cr.type = wd_json_get_str(x->jd, node, "selected_api");
	cr.storage = WD_CRED_VAULT;
	cr.comp = comp;
	cr.loc = loc_of(x, v);
	rc = wd_model_add_credential(m, &cr, &ci);
	if (rc == WD_OK)
		rc = wd_hmap_put(&x->creds, h, ci);
	if (rc == WD_OK)
		rc = wd_model_add_cred_use(m, comp, ci);
	return rc;
}

static wd_status node_facts(zp *x, uint32_t comp, const wd_json_val *node)
{
	wd_model *m = x->m;
	const wd_json_val *params = wd_json_get(x->jd, node, "params");
	const wd_json_val *pid = wd_json_get(x->jd, node, "parent_id");
	uint32_t parent;
	wd_status rc;

	parent = find_node(x, val_text(x, pid));
	if (parent != WD_NONE && parent != comp) {
		wd_edge e;
		memset(&e, 0, sizeof(e));
		e.from = parent;
		e.to = comp;
		e.kind = WD_EDGE_FLOW;
		e.loc = loc_of(x, pid);
		rc = wd_model_add_edge(m, &e);
		if (rc != WD_OK)
			return rc;
	}
	rc = add_cred(x, comp, node);
	if (rc != WD_OK)
		return rc;
	if (!wd_json_is_obj(params))
		return WD_OK;
	x->comp = comp;
	x->nrefs = 0;
	rc = walk_params(x, params, WD_STR_NULL, 0);
	if (rc != WD_OK)
		return rc;
	if (wd_str_eq_c(api_base(wd_json_get_str(x->jd, node, "selected_api")), "WebHookAPI")) {
		const wd_json_val *url = wd_json_get(x->jd, params, "url");
		if (wd_json_is_str(url) && url->len)
			return wd_model_add_target(m, comp, wd_json_str(x->jd, url), loc_of(x, url), 0);
	}
	return WD_OK;
}

/* Byte just past the JSON value starting at off (validated input). */
static size_t value_end(const char *in, size_t len, size_t off)
{
	size_t i, depth = 0;

	for (i = off; i < len; i++) {
		char ch = in[i];
		if (ch == '"') {
			for (i++; i < len && in[i] != '"'; i++)
				if (in[i] == '\\')
					i++;
		} else if (ch == '{' || ch == '[') {
			depth++;
		} else if (ch == '}' || ch == ']') {
			if (depth <= 1)
				return i + 1;
			depth--;
		}
	}
	return len;
}

static wd_status import_zap(zp *x, const wd_json_val *zap)
{
	wd_model *m = x->m;
	const wd_json_val *nodes = wd_json_get(x->jd, zap, "nodes"), *k, *v, *root = NULL;
	const char *in;
	size_t len, i, end;
	uint8_t digest[32];
	wd_app a;
	uint32_t ai;
	wd_status rc;

	wd_app_init(&a, WD_PLATFORM_ZAPIER);
	a.id = get_text(x, zap, "id");
	a.name = wd_json_get_str(x->jd, zap, "title");
	a.loc = loc_of(x, zap);
	in = wd_json_input(x->jd, &len);
	end = value_end(in, len, zap->off);
	wd_sha256(in + zap->off, end - zap->off, digest);
	wd_hex(digest, sizeof(digest), a.hash);
	/* a zap is on when its trigger is not paused */
	if (wd_json_is_obj(nodes)) {
		WD_JSON_OBJ_FOREACH(nodes, i, k, v)
		{
			if (wd_json_is_obj(v) && !has_parent(x, v)) {
				root = v;
				break;
			}
		}
	}
	if (root) {
		const wd_json_val *p = wd_json_get(x->jd, root, "paused");
		a.active = wd_json_is_true(p) ? 0 : wd_json_is_false(p) ? 1 : -1;
	}
	rc = wd_model_add_app(m, &a, &ai);
	if (rc != WD_OK)
		return fail_rc(x, rc, "adding a zap");
	if (!wd_json_is_obj(nodes))
		return WD_OK;

	x->first = (uint32_t)m->ncomps;
	x->nnodes = 0;
	WD_JSON_OBJ_FOREACH(nodes, i, k, v)
	{
		if (!wd_json_is_obj(v))
			continue;
		rc = add_node(x, k, v);
		if (rc != WD_OK)
			return fail_rc(x, rc, "adding nodes");
	}
	for (i = 0; i < x->nnodes; i++) {
		rc = node_facts(x, x->first + (uint32_t)i, x->nodes[i]);
		if (rc != WD_OK)
			return fail_rc(x, rc, "reading node parameters");
	}
	return WD_OK;
}

wd_status wd_import_zapier(wd_model *m, uint32_t doc, const wd_import_opts *opts,
                           wd_error *err)
{
	zp x;
	const wd_json_val *root, *zaps, *zap;
	size_t i;
	wd_status rc = WD_OK;

	memset(&x, 0, sizeof(x));
	x.m = m;
	x.doc = doc;
	x.opts = opts;
	x.err = err;
	x.jd = wd_model_json(m, doc);
	if (!x.jd)
		return wd_error_set(err, WD_EINVAL, "zapier: no document %u in the model", doc);
	if (m->platform == WD_PLATFORM_UNKNOWN)
		m->platform = WD_PLATFORM_ZAPIER;
	root = wd_json_root(x.jd);
	zaps = wd_json_get(x.jd, root, "zaps");
	if (!wd_json_is_obj(root)) {
		rc = fail_at(&x, root, WD_EFORMAT, "expected an export object with a \"zaps\" array");
	} else if (!wd_json_is_arr(zaps)) {
		rc = fail_at(&x, zaps ? zaps : root, WD_EFORMAT,
		             zaps ? "\"zaps\" is not an array" : "no \"zaps\" array");
	} else {
		WD_JSON_ARR_FOREACH(zaps, i, zap)
		{
			if (!wd_json_is_obj(zap))
				continue;
			rc = import_zap(&x, zap);
			if (rc != WD_OK)
				break;
			wd_hmap_release(&x.ids);
			wd_hmap_release(&x.refs);
		}
	}
	free(x.nodes);
	wd_hmap_release(&x.ids);
	wd_hmap_release(&x.creds);
	wd_hmap_release(&x.refs);
	return rc;
}
