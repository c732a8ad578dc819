/*
 * import/make.c - the Make (formerly Integromat) blueprint importer.
 *
 * A blueprint is {"name", "flow": [modules], "metadata": {"scenario": {...},
 * "zone", ...}}. A module is {"id": 3, "module": "app:moduleName",
 * "parameters": {...}, "mapper": {...}, "filter": {...}, "metadata":
 * {"designer": {"name"}, "restore": {...labels...}, "parameters": [...],
 * "interface": [...]}}. Routers (builtin:BasicRouter) hold "routes":
 * [{"flow": [...]}], If-else modules hold "branches": [{"flow": [...],
 * "merge"}], and any module may hold an error handler route "onerror":
 * [...]; all three nest recursively.
 *
 * The whole file is one app (the scenario); every module, at any depth, is
 * one component, in document order (a module, then everything nested in it,
 * then its next sibling), so the components stay contiguous. Edges: module
 * order in a flow array (FLOW), router -> first module of each route (FLOW,
 * label "route"), if-else -> first module of each branch (FLOW, label
 * "branch"), failing module -> first module of its error route (ERROR), and
 * one EXPR edge per (source, reader) pair of mapper expressions such as
 * {{1.email}}. Connections (__IMTCONN__ and any parameter the module declares
 * as an account or keychain) become vault credentials named after their
 * restore label; account labels holding an e-mail address become PII fields.
 *
 * What a blueprint does not say: a custom webhook's IP restriction and data
 * structure validation are settings of the hook (a separate Make object the
 * blueprint names by id only), so webhook authentication stays "unknown".
 * The webhook's metadata.interface (the structure Make learned from sample
 * requests) gives its field names.
 *
 * Exports are untrusted: members of the wrong type are skipped; only a root
 * without a "flow" array fails (WD_EFORMAT), and routes nested deeper than
 * limits.max_nesting fail with WD_ELIMIT and the JSON pointer. Lookups by
 * module id and connection id go through hash tables, so no input makes the
 * import quadratic; references are capped per component.
 */
#include <stdlib.h>
#include <string.h>

#include "import/path.h"
#include "import/common.h"

/* Distinct references recorded per component (bounds refs and EXPR edges). */
#define MAX_REFS_PER_COMP 512
/* Depth to which parameter / mapper / restore trees are walked. */
#define WALK_MAX_DEPTH 256
/* Hard cap on route nesting whatever the limits say (bounds the C stack). */
#define NESTING_HARD_MAX 1024
/* Account / keychain declarations looked at per module. */
#define MAX_DECLS 64
/* Interface (webhook data structure) fields recorded per component. */
#define MAX_IFACE_FIELDS 256

#define COUNT(a) (sizeof(a) / sizeof(*(a)))

typedef struct mk {
	wd_model *m;
	uint32_t doc;
	wd_json_doc *jd;
	const wd_import_opts *opts;
	wd_error *err;
	uint32_t app;
	uint32_t first;           /* first component of the scenario */
	uint32_t max_nesting;
	const wd_json_val **mods; /* module object of component first + i */
	size_t nmods, mods_cap;
	int error_handling;
	wd_str owner;
	wd_hmap ids;              /* module id -> component */
	wd_hmap creds;            /* connection id -> credential */
	wd_hmap refs;             /* (comp, src, path) -> ref */
	/* the module whose expressions are being scanned */
	uint32_t comp;
	wd_loc loc;
	uint32_t nrefs;
	int input;                /* references here mean the module uses input */
	wd_status st;
} mk;

/* ---- small helpers --------------------------------------------------------------- */

static wd_loc loc_of(const mk *x, const wd_json_val *v)
{
	return v ? wd_model_loc(x->m, x->doc, v) : WD_LOC_NONE;
}

static wd_status fail_at(mk *x, const wd_json_val *v, wd_status code, const char *what)
{
	return imp_fail_at(x->err, x->jd, v, code, "make blueprint", what);
}

static wd_status fail_rc(mk *x, wd_status rc, const char *what)
{
	return imp_fail_rc(x->err, x->m, "make blueprint", rc, what);
}

static wd_str val_text(const mk *x, const wd_json_val *v)
{
	return imp_val_text(x->jd, v);
}

static wd_str get_text(const mk *x, const wd_json_val *obj, const char *key)
{
	return val_text(x, wd_json_get(x->jd, obj, key));
}

static const wd_json_val *get_obj(const mk *x, const wd_json_val *obj, const char *key)
{
	const wd_json_val *v = wd_json_get(x->jd, obj, key);

	return wd_json_is_obj(v) ? v : NULL;
}

static const wd_json_val *get_arr(const mk *x, const wd_json_val *obj, const char *key)
{
	const wd_json_val *v = wd_json_get(x->jd, obj, key);

	return wd_json_is_arr(v) ? v : NULL;
}

static int type_in(wd_str type, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (wd_str_eq_c(type, list[i]))
			return 1;
	return 0;
}

/* "google-sheets" of "google-sheets:addRow" (the whole text without ':'). */
static wd_str app_part(wd_str module)
{
	const char *colon = module.ptr ? memchr(module.ptr, ':', module.len) : NULL;

	return colon ? wd_str_make(module.ptr, (size_t)(colon - module.ptr)) : module;
}

/* The part after ':' ("addRow"), empty when there is none. */
static wd_str action_part(wd_str module)
{
	const char *colon = module.ptr ? memchr(module.ptr, ':', module.len) : NULL;

	return colon ? wd_str_make(colon + 1, module.len - (size_t)(colon + 1 - module.ptr))
	             : WD_STR_NULL;
}

/* JSON false or the text "false" (some modules store booleans as text). */
static int is_falsy(const mk *x, const wd_json_val *v)
{
	return wd_json_is_false(v) ||
	       (wd_json_is_str(v) && wd_str_eq_c(wd_json_str(x->jd, v), "false"));
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* A character of an unquoted Make field name. */
static int is_name_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' ||
	       c == '$' || c >= 0x80;
}

/*
 * An e-mail address somewhere in s: a local part, '@', and a domain with a
 * dot followed by at least two letters.
 */
static int has_email(wd_str s)
{
	size_t i;

	for (i = 1; i + 3 < s.len; i++) {
		size_t j, dot = 0, tld = 0;
		unsigned char p = (unsigned char)s.ptr[i - 1];

		if (s.ptr[i] != '@')
			continue;
		if (!(is_name_char(p) || p == '.' || p == '-' || p == '+' || p == '%') || p >= 0x80)
			continue;
		for (j = i + 1; j < s.len; j++) {
			unsigned char c = (unsigned char)s.ptr[j];
			if (c == '.') {
				dot = j;
				tld = 0;
			} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
				tld++;
			} else if (is_digit(c) || c == '-') {
				tld = 0;
			} else {
				break;
			}
		}
		if (dot > i + 1 && tld >= 2)
			return 1;
	}
	return 0;
}

/* ---- model helpers ---------------------------------------------------------------- */

/* The component whose module id is id (the first one), WD_NONE if none. */
static uint32_t find_module(const mk *x, wd_str id)
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

static wd_status add_edge(mk *x, uint32_t from, uint32_t to, wd_edge_kind kind,
                          const char *label, uint32_t port, const wd_json_val *at)
{
	wd_edge e;

	memset(&e, 0, sizeof(e));
	e.from = from;
	e.to = to;
	e.kind = kind;
	e.label = label ? wd_str_c(label) : WD_STR_NULL;
	e.port = port;
	e.loc = loc_of(x, at);
	return wd_model_add_edge(x->m, &e);
}

static wd_status add_field(mk *x, uint32_t comp, wd_str name, wd_class cls, wd_loc loc)
{
	return wd_model_add_field_once(x->m, comp, name, cls, loc);
}

static wd_status add_expr_edge(mk *x, uint32_t src, uint32_t dst, wd_loc loc)
{
	return wd_model_add_expr_edge(x->m, src, dst, loc);
}

/* ---- expression scanner --------------------------------------------------------- */

/*
 * Called for each module reference: module is the id digits, path the field
 * path with backquotes removed ("data.items[].id"), valid only during the
 * call.
 */
typedef void (*ref_fn)(void *ctx, wd_str module, wd_str path);

static void path_put(path_buf *pb, const char *s, size_t n)
{
	if (pb->full || pb->len + n >= sizeof(pb->b)) {
		pb->full = 1;
		return;
	}
	memcpy(pb->b + pb->len, s, n);
	pb->len += n;
}

/*
 * A field path at t[p]: segments name or `quoted name`, joined by '.', each
 * optionally followed by index suffixes [] or [n]. Returns the index past
 * the path; pb holds the segments joined by '.'.
 */
static size_t parse_path(const char *t, size_t n, size_t p, path_buf *pb)
{
	while (p < n && pb->segs < PATH_MAX_SEGS) {
		size_t s = p, e;

		if (t[p] == '`') {
			const char *close = memchr(t + p + 1, '`', n - p - 1);
			if (!close)
				break;
			e = (size_t)(close - t);
			s = p + 1;
			p = e + 1;
		} else if (is_name_char((unsigned char)t[p]) &&
		           (pb->segs > 0 || !is_digit((unsigned char)t[p]))) {
			while (p < n && is_name_char((unsigned char)t[p]))
				p++;
			e = p;
		} else {
			break;
		}
		if (pb->segs)
			path_put(pb, ".", 1);
		path_put(pb, t + s, e - s);
		pb->segs++;
		/* index suffixes: [] [1] */
		while (p < n && t[p] == '[') {
			size_t k = p + 1;
			while (k < n && k - p <= 12 && is_digit((unsigned char)t[k]))
				k++;
			if (k >= n || t[k] != ']')
				break;
			path_put(pb, t + p, k + 1 - p);
			p = k + 1;
		}
		if (p + 1 < n && t[p] == '.' && (t[p + 1] == '`' || is_name_char((unsigned char)t[p + 1])))
			p++;
		else
			break;
	}
	return p;
}

/* References inside one {{...}} body. */
static size_t scan_body(const char *t, size_t n, ref_fn fn, void *ctx)
{
	size_t j = 0, count = 0;

	while (j < n) {
		unsigned char c = (unsigned char)t[j];

		if (c == '"') {
			/* a string literal: nothing in it is a reference */
			const char *close = memchr(t + j + 1, '"', n - j - 1);
			j = close ? (size_t)(close - t) + 1 : n;
			continue;
		}
		if (is_digit(c) && (j == 0 || (!is_name_char((unsigned char)t[j - 1]) &&
		                               t[j - 1] != '.' && t[j - 1] != '`'))) {
			size_t k = j;
			while (k < n && is_digit((unsigned char)t[k]))
				k++;
			/* N.name or N.`name`; N.5 is a number, not a reference */
			if (k - j <= 10 && k + 1 < n && t[k] == '.' &&
			    (t[k + 1] == '`' ||
			     (is_name_char((unsigned char)t[k + 1]) && !is_digit((unsigned char)t[k + 1])))) {
				path_buf pb;
				size_t end;
				pb.len = 0;
				pb.segs = 0;
				pb.full = 0;
				end = parse_path(t, n, k + 1, &pb);
				if (pb.segs) {
					count++;
					if (fn)
						fn(ctx, wd_str_make(t + j, k - j), wd_str_make(pb.b, pb.len));
				}
				j = end > k + 1 ? end : k + 1;
				continue;
			}
			j = k;
			continue;
		}
		if (is_name_char(c)) {
			/* skip a whole identifier (function name, variable) */
			while (j < n && is_name_char((unsigned char)t[j]))
				j++;
			continue;
		}
		j++;
	}
	return count;
}

/*
 * Scan text for Make module references inside {{...}}: {{1.email}},
 * {{2.data.items[].id}}, {{formatDate(3.date; "YYYY")}}, {{4.`Full Name`}}.
 * A number followed by a field name is a reference; numbers followed by
 * digits (3.14) and text inside string literals are not. Robust to any
 * bytes: every read is bounded by text.len. Returns the number found.
 */
static size_t scan_expr(wd_str text, ref_fn fn, void *ctx)
{
	const char *s = text.ptr;
	size_t n = text.len, i = 0, count = 0;

	if (!s)
		return 0;
	while (i + 1 < n) {
		const char *open = memchr(s + i, '{', n - i - 1), *close;
		size_t start, k;

		if (!open)
			break;
		i = (size_t)(open - s);
		if (s[i + 1] != '{') {
			i++;
			continue;
		}
		start = i + 2;
		close = NULL;
		for (k = start; k + 1 < n; k++) {
			if (s[k] == '}' && s[k + 1] == '}') {
				close = s + k;
				break;
			}
		}
		if (!close)
			break;
		count += scan_body(s + start, (size_t)(close - s) - start, fn, ctx);
		i = (size_t)(close - s) + 2;
	}
	return count;
}

/* The last path segment without index suffixes; empty for digits only. */
static wd_str last_segment(wd_str path)
{
	size_t end = path.len, start;
	size_t k;
	int digits = 1;

	while (end > 0 && path.ptr[end - 1] == ']') {
		const char *open = NULL;
		for (k = end; k > 0; k--)
			if (path.ptr[k - 1] == '[') {
				open = path.ptr + k - 1;
				break;
			}
		if (!open)
			break;
		end = (size_t)(open - path.ptr);
	}
	start = end;
	while (start > 0 && path.ptr[start - 1] != '.')
		start--;
	for (k = start; k < end; k++)
		if (!is_digit((unsigned char)path.ptr[k]))
			digits = 0;
	if (end == start || digits)
		return WD_STR_NULL;
	return wd_str_make(path.ptr + start, end - start);
}

/* Scanner callback: dedupe, store the ref, its field and its implicit edge. */
static void on_ref(void *ctx, wd_str module, wd_str path)
{
	mk *x = ctx;
	wd_model *m = x->m;
	uint32_t src, ri;
	uint64_t h;
	size_t slot = WD_HMAP_START;
	wd_ref r;
	wd_str name;
	wd_status rc;

	if (x->st != WD_OK || x->nrefs >= MAX_REFS_PER_COMP)
		return;
	src = find_module(x, module);
	if (x->input)
		m->comps[x->comp].flags |= WD_COMP_INPUT_USED;
	h = imp_hash_str(path, ((uint64_t)x->comp << 32 | src) ^ imp_hash_str(module, 5));
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
	name = last_segment(r.path);
	if (rc == WD_OK && !wd_str_starts_with(name, "__IMT"))
		rc = add_field(x, x->comp, name, WD_CLASS_NONE, x->loc);
	if (rc == WD_OK && src != WD_NONE)
		rc = add_expr_edge(x, src, x->comp, x->loc);
	x->st = rc;
}

/* Scan every string of a tree for {{...}} references. */
static wd_status walk_exprs(mk *x, const wd_json_val *v, unsigned depth)
{
	const wd_json_val *k, *e;
	size_t i;
	wd_status rc;

	if (depth > WALK_MAX_DEPTH || x->nrefs >= MAX_REFS_PER_COMP)
		return WD_OK;
	if (wd_json_is_str(v)) {
		wd_str s = wd_json_str(x->jd, v);
		if (wd_str_find(s, "{{") < 0)
			return WD_OK;
		x->loc = loc_of(x, v);
		x->st = WD_OK;
		scan_expr(s, on_ref, x);
		return x->st;
	}
	if (wd_json_is_arr(v)) {
		WD_JSON_ARR_FOREACH(v, i, e)
		{
			rc = walk_exprs(x, e, depth + 1);
			if (rc != WD_OK)
				return rc;
		}
	} else if (wd_json_is_obj(v)) {
		WD_JSON_OBJ_FOREACH(v, i, k, e)
		{
			rc = walk_exprs(x, e, depth + 1);
			if (rc != WD_OK)
				return rc;
		}
	}
	return WD_OK;
}

/* ---- module facts (pass 1) ------------------------------------------------------- */

static const char *const code_types[] = {
	"code:ExecuteCode", "custom-js:execute", "onesaas:Python",
};

/* Mapper / parameter keys that hold code in Make's code-running modules. */
static const char *const code_keys[] = {
	"codeEditorJavascript", "codeEditorPython", "jscode", "pythonCode", "javascriptCode",
};

static void code_facts(mk *x, wd_component *c, const wd_json_val *params,
                       const wd_json_val *mapper)
{
	const wd_json_val *trees[2];
	size_t t, i;
	int code_app = wd_str_eq_c(app_part(c->type), "code");

	trees[0] = mapper;
	trees[1] = params;
	for (t = 0; t < COUNT(trees) && !c->code.ptr; t++) {
		for (i = 0; i < COUNT(code_keys) && !c->code.ptr; i++) {
			const wd_json_val *v = wd_json_get(x->jd, trees[t], code_keys[i]);
			if (wd_json_is_str(v) && v->len) {
				c->code = wd_json_str(x->jd, v);
				c->code_loc = loc_of(x, v);
			}
		}
		if (!c->code.ptr && code_app) {
			const wd_json_val *v = wd_json_get(x->jd, trees[t], "code");
			if (wd_json_is_str(v) && v->len) {
				c->code = wd_json_str(x->jd, v);
				c->code_loc = loc_of(x, v);
			}
		}
	}
	if (c->code.ptr || code_app || type_in(c->type, code_types, COUNT(code_types)))
		c->kind = WD_KIND_CODE;
}

/* An Authorization / API key header among the mapper's headers [{name, value}]. */
static int has_auth_header(const mk *x, const wd_json_val *mapper)
{
	const wd_json_val *hs = get_arr(x, mapper, "headers"), *h;
	size_t i;

	if (!hs)
		return 0;
	WD_JSON_ARR_FOREACH(hs, i, h)
	{
		wd_str name = wd_json_get_str(x->jd, h, "name");
		if (wd_str_find_ci(name, "authorization") >= 0 || wd_str_find_ci(name, "api-key") >= 0 ||
		    wd_str_find_ci(name, "apikey") >= 0 || wd_str_find_ci(name, "token") >= 0)
			return 1;
		if (i >= 64)
			break;
	}
	return 0;
}

/* The HTTP app: outbound authentication and certificate checks. */
static void http_facts(mk *x, wd_component *c, const wd_json_val *node,
                       const wd_json_val *params, const wd_json_val *mapper)
{
	wd_str action = action_part(c->type);
	wd_str at = wd_json_get_str(x->jd, params, "authenticationType");

	if (is_falsy(x, wd_json_get(x->jd, mapper, "rejectUnauthorized")) ||
	    is_falsy(x, wd_json_get(x->jd, params, "rejectUnauthorized")))
		c->flags |= WD_COMP_TLS_NOVERIFY;

	c->auth_loc = loc_of(x, params ? params : node);
	if (wd_str_ends_with(action, "BasicAuth")) {
		c->auth = WD_AUTH_BASIC;
	} else if (wd_str_ends_with(action, "APIKeyAuth")) {
		c->auth = WD_AUTH_API_KEY;
	} else if (wd_str_find(action, "OAuth") >= 0) {
		c->auth = WD_AUTH_OAUTH;
	} else if (wd_str_find(action, "ClientCert") >= 0) {
		c->auth = WD_AUTH_CERT;
	} else if (at.ptr) {
		/* http:MakeRequest (v4): authenticationType noAuth/apiKey/basicAuth/oAuth */
		c->auth_loc = loc_of(x, wd_json_get(x->jd, params, "authenticationType"));
		c->auth = wd_str_eq_c(at, "apiKey")      ? WD_AUTH_API_KEY
		          : wd_str_eq_c(at, "basicAuth") ? WD_AUTH_BASIC
		          : wd_str_eq_c(at, "oAuth")     ? WD_AUTH_OAUTH
		          : wd_str_eq_c(at, "noAuth")    ? WD_AUTH_NONE
		                                         : WD_AUTH_UNKNOWN;
	} else {
		const wd_json_val *user = wd_json_get(x->jd, mapper, "authUser");
		if (wd_json_is_str(user) && user->len) {
			c->auth = WD_AUTH_BASIC;
			c->auth_loc = loc_of(x, user);
		} else {
			c->auth = WD_AUTH_NONE;
		}
	}
	if ((c->auth == WD_AUTH_NONE || c->auth == WD_AUTH_UNKNOWN) && has_auth_header(x, mapper)) {
		c->auth = WD_AUTH_HEADER;
		c->auth_loc = loc_of(x, wd_json_get(x->jd, mapper, "headers"));
	}
}

/* Entry points: custom webhooks and mailhooks are public; app webhooks are not. */
static void entry_facts(mk *x, wd_component *c, const wd_json_val *node,
                        const wd_json_val *params)
{
	const wd_json_val *hook = wd_json_get(x->jd, params, "hook");

	if (wd_str_eq_c(c->type, "gateway:CustomWebHook") ||
	    wd_str_eq_c(c->type, "gateway:CustomMailHook")) {
		c->kind = WD_KIND_ENTRY;
		c->flags |= WD_COMP_PUBLIC;
		/* IP restrictions and data structure validation are settings of
		 * the hook itself, which the blueprint names by id only */
		c->auth = WD_AUTH_UNKNOWN;
		c->auth_loc = loc_of(x, hook ? hook : params ? params : node);
	} else if (hook || wd_json_get(x->jd, params, "__IMTHOOK__")) {
		/* an instant trigger: the app's own webhook, called by that service */
		c->kind = WD_KIND_TRIGGER;
	}
}

/* Add one module as a component; its index in *idx. */
static wd_status add_module(mk *x, const wd_json_val *node, uint32_t *idx)
{
	wd_model *m = x->m;
	const wd_json_val *params = get_obj(x, node, "parameters");
	const wd_json_val *mapper = get_obj(x, node, "mapper");
	const wd_json_val *meta = get_obj(x, node, "metadata");
	wd_component c;
	wd_str cand[2], id;
	wd_status rc;

	wd_component_init(m, &c);
	c.type = wd_json_get_str(x->jd, node, "module");
	id = get_text(x, node, "id");
	c.id = id.ptr ? id : wd_str_make("", 0);
	c.name = wd_json_get_str(x->jd, get_obj(x, meta, "designer"), "name");
	if (!c.name.len)
		c.name = c.type;
	c.loc = loc_of(x, node);
	/* parameters and mapper both matter, so the module object is the tree;
	 * but modules that hold other modules (routers, if-else) keep only their
	 * parameters, or the routed modules' values would be reported twice */
	if (wd_json_get(x->jd, node, "routes") || wd_json_get(x->jd, node, "branches"))
		c.params = loc_of(x, get_obj(x, node, "parameters"));
	else
		c.params = c.loc;
	cand[0] = c.type;
	cand[1] = app_part(c.type);
	c.connector = wd_import_lookup(x->opts, WD_PLATFORM_MAKE, cand,
	                               cand[1].len && cand[1].len < c.type.len ? 2 : 1);
	entry_facts(x, &c, node, params);
	code_facts(x, &c, params, mapper);
	if (wd_str_eq_c(app_part(c.type), "http"))
		http_facts(x, &c, node, params, mapper);

	rc = wd_model_add_component(m, &c, idx);
	if (rc != WD_OK)
		return rc;
	if (x->nmods == x->mods_cap &&
	    wd_grow((void **)&x->mods, &x->mods_cap, x->nmods + 1, sizeof(*x->mods)) != WD_OK)
		return WD_ENOMEM;
	x->mods[x->nmods++] = node;
	if (c.id.len)
		return wd_hmap_put(&x->ids, imp_hash_str(c.id, 1), *idx);
	return WD_OK;
}

static wd_status add_flow(mk *x, const wd_json_val *flow, uint32_t depth, uint32_t *first,
                          uint32_t *last);

/*
 * The nested flows of a module: routes[].flow, branches[].flow (if-else) and
 * onerror. next is the module after it in its own flow (if-else branches
 * with "merge" rejoin there), WD_NONE when it is the last.
 */
static wd_status add_nested(mk *x, uint32_t comp, const wd_json_val *node, uint32_t depth,
                            uint32_t *merge_from, size_t merge_cap, size_t *nmerge)
{
	static const char *const kinds[] = {"routes", "branches"};
	const wd_json_val *arr, *r, *fl;
	size_t k, i;
	uint32_t f, l;
	wd_status rc;

	for (k = 0; k < COUNT(kinds); k++) {
		arr = get_arr(x, node, kinds[k]);
		if (!arr)
			continue;
		WD_JSON_ARR_FOREACH(arr, i, r)
		{
			fl = get_arr(x, r, "flow");
			if (!fl)
				continue;
			rc = add_flow(x, fl, depth + 1, &f, &l);
			if (rc != WD_OK)
				return rc;
			if (f == WD_NONE)
				continue;
			rc = add_edge(x, comp, f, WD_EDGE_FLOW, k == 0 ? "route" : "branch", (uint32_t)i, r);
			if (rc != WD_OK)
				return fail_rc(x, rc, "adding route edges");
			if (k == 1 && wd_json_is_true(wd_json_get(x->jd, r, "merge")) && *nmerge < merge_cap)
				merge_from[(*nmerge)++] = l;
		}
	}
	fl = get_arr(x, node, "onerror");
	if (fl && wd_json_size(fl) > 0) {
		rc = add_flow(x, fl, depth + 1, &f, &l);
		if (rc != WD_OK)
			return rc;
		if (f != WD_NONE) {
			x->error_handling = 1;
			x->m->comps[f].flags |= WD_COMP_ERROR_HANDLER;
			rc = add_edge(x, comp, f, WD_EDGE_ERROR, "error", 0, fl);
			if (rc != WD_OK)
				return fail_rc(x, rc, "adding error edges");
		}
	}
	return WD_OK;
}

#define MAX_MERGE 16

/*
 * Add the modules of a flow array (and everything nested in them) in
 * document order, with FLOW edges from each module to the next. *first and
 * *last receive the first and last top-level component (WD_NONE if none).
 */
static wd_status add_flow(mk *x, const wd_json_val *flow, uint32_t depth, uint32_t *first,
                          uint32_t *last)
{
	const wd_json_val *node;
	uint32_t prev = WD_NONE, merge_from[MAX_MERGE];
	size_t i, nmerge = 0, k;
	wd_status rc;

	*first = *last = WD_NONE;
	if (depth > x->max_nesting)
		return fail_at(x, flow, WD_ELIMIT, "routes nested deeper than the nesting limit");
	WD_JSON_ARR_FOREACH(flow, i, node)
	{
		uint32_t ci;

		if (!wd_json_is_obj(node) || !wd_json_is_str(wd_json_get(x->jd, node, "module")))
			continue;
		rc = add_module(x, node, &ci);
		if (rc != WD_OK)
			return fail_rc(x, rc, "adding modules");
		if (*first == WD_NONE)
			*first = ci;
		if (prev != WD_NONE) {
			rc = add_edge(x, prev, ci, WD_EDGE_FLOW, NULL, 0, node);
			if (rc != WD_OK)
				return fail_rc(x, rc, "adding flow edges");
		}
		/* merged if-else branches continue at this module */
		for (k = 0; k < nmerge; k++) {
			rc = add_edge(x, merge_from[k], ci, WD_EDGE_FLOW, "merge", 0, node);
			if (rc != WD_OK)
				return fail_rc(x, rc, "adding merge edges");
		}
		nmerge = 0;
		rc = add_nested(x, ci, node, depth, merge_from, MAX_MERGE, &nmerge);
		if (rc != WD_OK)
			return rc;
		prev = ci;
	}
	*last = prev;
	return WD_OK;
}

/* ---- module facts (pass 2) ------------------------------------------------------- */

/* The restore label of parameter key (new and old blueprint shapes). */
static const wd_json_val *restore_label(const mk *x, const wd_json_val *meta, wd_str key)
{
	const wd_json_val *restore = get_obj(x, meta, "restore"), *v;

	v = wd_json_get_n(x->jd, get_obj(x, restore, "parameters"), key.ptr, key.len);
	if (!wd_json_is_obj(v))
		v = wd_json_get_n(x->jd, restore, key.ptr, key.len);
	v = wd_json_get(x->jd, wd_json_is_obj(v) ? v : NULL, "label");
	return wd_json_is_str(v) ? v : NULL;
}

static wd_status add_cred(mk *x, uint32_t comp, const wd_json_val *meta, wd_str key,
                          const wd_json_val *val)
{
	wd_model *m = x->m;
	wd_str id = val_text(x, val);
	uint64_t h;
	size_t slot = WD_HMAP_START;
	uint32_t ci;
	const wd_json_val *label;
	wd_credential cr;
	wd_status rc;

	if (!id.len)
		return WD_OK;
	label = restore_label(x, meta, key);
	if (label && label->len && !x->owner.len)
		x->owner = wd_json_str(x->jd, label);
	h = imp_hash_str(id, 11);
	while ((ci = wd_hmap_next(&x->creds, h, &slot)) != WD_NONE)
		if (wd_str_eq(m->creds[ci].id, id))
			return wd_model_add_cred_use(m, comp, ci);
	memset(&cr, 0, sizeof(cr));
	cr.id = id;
	cr.name = label ? wd_json_str(x->jd, label) : WD_STR_NULL;
	cr.type = app_part(m->comps[comp].type);
	cr.storage = WD_CRED_VAULT;
	cr.comp = comp;
	cr.loc = loc_of(x, val);
	rc = wd_model_add_credential(m, &cr, &ci);
	if (rc == WD_OK)
		rc = wd_hmap_put(&x->creds, h, ci);
	if (rc == WD_OK)
		rc = wd_model_add_cred_use(m, comp, ci);
	return rc;
}

/*
 * Connections: __IMTCONN__, and every parameter the module declares with an
 * "account..." or "keychain..." type (old "account", HTTP "auth", ...).
 */
static wd_status module_creds(mk *x, uint32_t comp, const wd_json_val *node)
{
	const wd_json_val *params = get_obj(x, node, "parameters");
	const wd_json_val *meta = get_obj(x, node, "metadata");
	const wd_json_val *decls = get_arr(x, meta, "parameters"), *d, *v;
	size_t i;
	wd_status rc;

	if (!params)
		return WD_OK;
	v = wd_json_get(x->jd, params, "__IMTCONN__");
	if (v) {
		rc = add_cred(x, comp, meta, wd_str_c("__IMTCONN__"), v);
		if (rc != WD_OK)
			return rc;
	}
	if (!decls)
		return WD_OK;
	WD_JSON_ARR_FOREACH(decls, i, d)
	{
		wd_str name = wd_json_get_str(x->jd, d, "name");
		wd_str type = wd_json_get_str(x->jd, d, "type");

		if (i >= MAX_DECLS)
			break;
		if (!name.len || wd_str_eq_c(name, "__IMTCONN__") ||
		    !(wd_str_starts_with(type, "account") || wd_str_starts_with(type, "keychain")))
			continue;
		v = wd_json_get_n(x->jd, params, name.ptr, name.len);
		if (!v)
			continue;
		rc = add_cred(x, comp, meta, name, v);
		if (rc != WD_OK)
			return rc;
	}
	return WD_OK;
}

/* Hooks (parameters.hook, __IMTHOOK__): a WD_REF_OTHER whose path is the hook id. */
static wd_status module_hooks(mk *x, uint32_t comp, const wd_json_val *node)
{
	static const char *const keys[] = {"hook", "__IMTHOOK__"};
	const wd_json_val *params = get_obj(x, node, "parameters");
	size_t i;
	wd_status rc;

	for (i = 0; i < COUNT(keys); i++) {
		const wd_json_val *v = wd_json_get(x->jd, params, keys[i]);
		wd_str id = val_text(x, v);
		wd_ref r;
		if (!id.len)
			continue;
		memset(&r, 0, sizeof(r));
		r.comp = comp;
		r.src = WD_NONE;
		r.kind = WD_REF_OTHER;
		r.path = id;
		r.loc = loc_of(x, v);
		rc = wd_model_add_ref(x->m, &r);
		if (rc != WD_OK)
			return rc;
	}
	return WD_OK;
}

/* Restore labels holding an e-mail address: the account's personal data. */
static wd_status restore_pii(mk *x, uint32_t comp, const wd_json_val *v, unsigned depth)
{
	const wd_json_val *k, *e;
	size_t i;
	wd_status rc;

	if (depth > WALK_MAX_DEPTH || !wd_json_is_container(v))
		return WD_OK;
	if (wd_json_is_arr(v)) {
		WD_JSON_ARR_FOREACH(v, i, e)
		{
			rc = restore_pii(x, comp, e, depth + 1);
			if (rc != WD_OK)
				return rc;
		}
		return WD_OK;
	}
	WD_JSON_OBJ_FOREACH(v, i, k, e)
	{
		if (wd_json_is_str(e) && wd_str_eq_c(wd_json_str(x->jd, k), "label") &&
		    has_email(wd_json_str(x->jd, e)))
			rc = add_field(x, comp, wd_str_c("account e-mail"), WD_CLASS_PII, loc_of(x, e));
		else
			rc = restore_pii(x, comp, e, depth + 1);
		if (rc != WD_OK)
			return rc;
	}
	return WD_OK;
}

/*
 * The data structure of a custom webhook, as Make learned it from sample
 * requests (metadata.interface: [{name, type, spec}]): one field per name,
 * nested specs included. Make's own entries (__IMTHEADERS__...) are skipped.
 */
static wd_status iface_fields(mk *x, uint32_t comp, const wd_json_val *arr, unsigned depth,
                              unsigned *n)
{
	const wd_json_val *e, *spec;
	size_t i;
	wd_status rc;

	if (depth > 8)
		return WD_OK;
	WD_JSON_ARR_FOREACH(arr, i, e)
	{
		const wd_json_val *nm = wd_json_get(x->jd, e, "name");
		wd_str name = wd_json_str(x->jd, nm);

		if (*n >= MAX_IFACE_FIELDS)
			return WD_OK;
		if (name.len && !wd_str_starts_with(name, "__IMT")) {
			rc = add_field(x, comp, name, WD_CLASS_NONE, loc_of(x, nm));
			if (rc != WD_OK)
				return rc;
			(*n)++;
		}
		spec = wd_json_get(x->jd, e, "spec");
		if (wd_json_is_obj(spec))
			spec = wd_json_get(x->jd, spec, "spec");
		if (wd_json_is_arr(spec) && !wd_str_starts_with(name, "__IMT")) {
			rc = iface_fields(x, comp, spec, depth + 1, n);
			if (rc != WD_OK)
				return rc;
		}
	}
	return WD_OK;
}

static wd_status module_facts(mk *x, uint32_t comp, const wd_json_val *node)
{
	wd_model *m = x->m;
	const wd_json_val *params = get_obj(x, node, "parameters");
	const wd_json_val *mapper = get_obj(x, node, "mapper");
	const wd_json_val *meta = get_obj(x, node, "metadata");
	const wd_json_val *v;
	wd_status rc;

	rc = module_creds(x, comp, node);
	if (rc == WD_OK)
		rc = module_hooks(x, comp, node);
	if (rc == WD_OK)
		rc = restore_pii(x, comp, wd_json_get(x->jd, meta, "restore"), 0);
	if (rc == WD_OK && wd_str_eq_c(m->comps[comp].type, "gateway:CustomWebHook")) {
		unsigned n = 0;
		v = get_arr(x, meta, "interface");
		if (v)
			rc = iface_fields(x, comp, v, 0, &n);
	}
	/* mapper expressions: {{1.email}} */
	x->comp = comp;
	x->nrefs = 0;
	x->input = 1;
	if (rc == WD_OK && mapper)
		rc = walk_exprs(x, mapper, 0);
	if (rc == WD_OK && params)
		rc = walk_exprs(x, params, 0);
	x->input = 0;
	if (rc == WD_OK && (v = get_obj(x, node, "filter")) != NULL)
		rc = walk_exprs(x, v, 0);
	if (rc == WD_OK && wd_str_eq_c(app_part(m->comps[comp].type), "http")) {
		v = wd_json_get(x->jd, mapper, "url");
		if (wd_json_is_str(v) && v->len)
			rc = wd_model_add_target(m, comp, wd_json_str(x->jd, v), loc_of(x, v), 0);
	}
	return rc;
}

/* ---- the scenario ------------------------------------------------------------------ */

static wd_status import_scenario(mk *x, const wd_json_val *root)
{
	wd_model *m = x->m;
	const wd_json_val *flow = get_arr(x, root, "flow");
	const wd_json_val *meta = get_obj(x, root, "metadata");
	const wd_json_val *scen = get_obj(x, meta, "scenario"), *v;
	const char *in;
	size_t len, i;
	uint8_t digest[32];
	uint32_t f, l;
	wd_app a;
	wd_status rc;

	if (!flow)
		return fail_at(x, wd_json_get(x->jd, root, "flow") ? wd_json_get(x->jd, root, "flow")
		                                                     : root,
		               WD_EFORMAT,
		               wd_json_get(x->jd, root, "flow") ? "\"flow\" is not an array"
		                                                : "no \"flow\" array of modules");
	wd_app_init(&a, WD_PLATFORM_MAKE);
	a.name = wd_json_get_str(x->jd, root, "name");
	a.id = a.name.ptr ? a.name : wd_str_make("", 0);
	a.loc = loc_of(x, root);
	v = wd_json_get(x->jd, scen, "confidential");
	a.confidential = wd_json_is_true(v) ? 1 : wd_json_is_false(v) ? 0 : -1;
	a.settings_loc = loc_of(x, scen);
	in = wd_json_input(x->jd, &len);
	wd_sha256(in, len, digest);
	wd_hex(digest, sizeof(digest), a.hash);
	rc = wd_model_add_app(m, &a, &x->app);
	if (rc != WD_OK)
		return fail_rc(x, rc, "adding the scenario");

	/* pass 1: every module, so that references resolve in pass 2 */
	x->first = (uint32_t)m->ncomps;
	rc = add_flow(x, flow, 0, &f, &l);
	if (rc != WD_OK)
		return rc;

	/* pass 2: connections, hooks, personal data, expressions, targets */
	for (i = 0; i < x->nmods; i++) {
		rc = module_facts(x, x->first + (uint32_t)i, x->mods[i]);
		if (rc != WD_OK)
			return fail_rc(x, rc, "reading module parameters");
	}
	m->apps[x->app].error_handling = (int8_t)x->error_handling;
	m->apps[x->app].owner_hint = x->owner;
	return WD_OK;
}

wd_status wd_import_make(wd_model *m, uint32_t doc, const wd_import_opts *opts, wd_error *err)
{
	mk x;
	const wd_json_val *root;
	wd_status rc;

	memset(&x, 0, sizeof(x));
	x.m = m;
	x.doc = doc;
	x.opts = opts;
	x.err = err;
	x.jd = wd_model_json(m, doc);
	if (!x.jd)
		return wd_error_set(err, WD_EINVAL, "make: no document %u in the model", doc);
	x.max_nesting = opts && opts->limits.max_nesting ? opts->limits.max_nesting
	                                                 : wd_limits_default().max_nesting;
	if (x.max_nesting > NESTING_HARD_MAX)
		x.max_nesting = NESTING_HARD_MAX;
	if (m->platform == WD_PLATFORM_UNKNOWN)
		m->platform = WD_PLATFORM_MAKE;
	root = wd_json_root(x.jd);
	if (!wd_json_is_obj(root))
		rc = fail_at(&x, root, WD_EFORMAT, "expected a blueprint object with a \"flow\" array");
	else
		rc = import_scenario(&x, root);
	free(x.mods);
	wd_hmap_release(&x.ids);
	wd_hmap_release(&x.creds);
	wd_hmap_release(&x.refs);
	return rc;
}
