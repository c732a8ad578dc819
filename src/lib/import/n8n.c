/*
 * import/n8n.c - the n8n workflow importer.
 *
 * Turns an n8n workflow export ({name, nodes[], connections{}, settings{},
 * pinData{}, active, meta, id, ...}) into the neutral model: one app per
 * workflow, one component per node (sticky notes are only counted), edges
 * for connections (keyed by node *name*) and for the implicit flows that
 * expressions create, credentials by reference, expression references, data
 * field names, HTTP targets, and the security-relevant facts rules key off
 * (entry-point auth, public exposure, TLS verification, dynamic SQL, shell
 * and file paths, sub-workflow calls).
 *
 * Besides a bare workflow object, the importer accepts a workflow wrapped as
 * {"data": {...}} (the REST API's shape), {"data": [...]} and a top-level
 * array of workflows; each becomes an app.
 *
 * Exports are untrusted: every member may have the wrong type. A piece of the
 * wrong shape is skipped; only a file with no usable workflow at all fails,
 * with WD_EFORMAT and the JSON pointer of what is missing. Lookups by name
 * go through hash tables so that no input makes the import quadratic.
 *
 * The expression scanner wd_n8n_scan_expr() is declared in the internal
 * header n8n_expr.h so unit tests and the fuzz target can drive it directly.
 */
#include <stdlib.h>
#include <string.h>

#include "import/n8n_expr.h"
#include "import/path.h"
#include "import/common.h"

/* ---- expression scanner --------------------------------------------------------- */

typedef wd_n8n_ref_fn ref_fn;

#define NAME_MAX_LEN 256
#define CHAIN_MAX_STEPS 16
#define ARGS_MAX_LEN 64


static int is_ident_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '$' || c >= 0x80;
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static size_t ident_len(const char *s, size_t n, size_t i)
{
	size_t j = i;

	if (j < n && is_digit((unsigned char)s[j]))
		return 0;
	while (j < n && is_ident_char((unsigned char)s[j]))
		j++;
	return j - i;
}

static int word_is(const char *s, size_t len, const char *w)
{
	return strlen(w) == len && memcmp(s, w, len) == 0;
}

/*
 * A quoted JS string at s[*i] (', " or `): the content slice in *out, *i past
 * the closing quote. Backslash escapes are skipped, not decoded. 0 if there
 * is no quote at *i or it is not closed (on the same line for ' and ").
 */
static int read_quoted(const char *s, size_t n, size_t *i, wd_str *out)
{
	size_t k;
	char q;

	if (*i >= n || (s[*i] != '\'' && s[*i] != '"' && s[*i] != '`'))
		return 0;
	q = s[*i];
	for (k = *i + 1; k < n; k++) {
		if (s[k] == '\\') {
			k++;
			continue;
		}
		if (s[k] == q)
			break;
		if (s[k] == '\n' && q != '`')
			return 0;
	}
	if (k >= n)
		return 0;
	*out = wd_str_make(s + *i + 1, k - *i - 1);
	*i = k + 1;
	return 1;
}

/* Drop backslashes of a quoted name into scratch (names rarely hold quotes). */
static wd_str unescape_name(wd_str raw, char *scratch, size_t cap)
{
	size_t i, o = 0;

	if (!memchr(raw.ptr, '\\', raw.len) || raw.len >= cap)
		return raw;
	for (i = 0; i < raw.len; i++) {
		if (raw.ptr[i] == '\\' && i + 1 < raw.len)
			i++;
		scratch[o++] = raw.ptr[i];
	}
	return wd_str_make(scratch, o);
}

/*
 * A field path after a value: .a, ?.a, ["a"], ['a'], [0]. Stops before a
 * method call (.toLowerCase()), a computed key ([x]) or anything else.
 */
static size_t parse_path(const char *s, size_t n, size_t j, path_buf *pb)
{
	unsigned steps;

	for (steps = 0; steps < 4 * PATH_MAX_SEGS; steps++) {
		size_t k = j, l;
		wd_str q;

		if (k + 1 < n && s[k] == '?' && s[k + 1] == '.')
			k++;
		if (k >= n)
			break;
		if (s[k] == '.') {
			if (k + 1 < n && s[k + 1] == '[') {
				k++; /* ?.[ */
			} else {
				l = ident_len(s, n, k + 1);
				if (l == 0)
					break;
				if (skip_ws(s, n, k + 1 + l) < n && s[skip_ws(s, n, k + 1 + l)] == '(')
					break; /* a method call, not a field */
				path_add(pb, s + k + 1, l);
				j = k + 1 + l;
				continue;
			}
		}
		if (s[k] != '[')
			break;
		k = skip_ws(s, n, k + 1);
		if (k < n && is_digit((unsigned char)s[k])) {
			size_t d = k;
			while (d < n && is_digit((unsigned char)s[d]))
				d++;
			l = d - k;
			d = skip_ws(s, n, d);
			if (d >= n || s[d] != ']')
				break;
			path_add(pb, s + k, l);
			j = d + 1;
			continue;
		}
		if (!read_quoted(s, n, &k, &q))
			break;
		k = skip_ws(s, n, k);
		if (k >= n || s[k] != ']')
			break;
		path_add(pb, q.ptr, q.len);
		j = k + 1;
	}
	return j;
}

/* Simple call arguments: (), (0), (0, $runIndex). Returns the index past ')'
 * or 0 when the arguments are not simple. */
static size_t skip_args(const char *s, size_t n, size_t j)
{
	size_t k;

	if (j >= n || s[j] != '(')
		return 0;
	for (k = j + 1; k < n && k - j <= ARGS_MAX_LEN; k++) {
		unsigned char c = (unsigned char)s[k];
		if (c == ')')
			return k + 1;
		if (!(is_ident_char(c) || c == ' ' || c == ',' || c == '.' || c == '\t' ||
		      c == '\n' || c == '\r'))
			return 0;
	}
	return 0;
}

/*
 * The accessor chain after a node or input handle, up to its data:
 * .item, .first(), .last(), .all()[0], .itemMatching(i), [0] ... then .json
 * (or .data for $node[...]) and a field path, or .binary. Returns the index
 * where scanning continues; the path stays empty when no data is reached.
 */
static size_t parse_chain(const char *s, size_t n, size_t j, int allow_data, path_buf *pb)
{
	unsigned steps;

	for (steps = 0; steps < CHAIN_MAX_STEPS; steps++) {
		size_t k = j, l, a;

		if (k + 1 < n && s[k] == '?' && s[k + 1] == '.')
			k++;
		if (k < n && s[k] == '[') {
			k = skip_ws(s, n, k + 1);
			while (k < n && is_digit((unsigned char)s[k]))
				k++;
			k = skip_ws(s, n, k);
			if (k >= n || s[k] != ']')
				return j;
			j = k + 1;
			continue;
		}
		if (k >= n || s[k] != '.')
			return j;
		l = ident_len(s, n, k + 1);
		if (l == 0)
			return j;
		if (word_is(s + k + 1, l, "json") || (allow_data && word_is(s + k + 1, l, "data")))
			return parse_path(s, n, k + 1 + l, pb);
		if (word_is(s + k + 1, l, "binary")) {
			path_add(pb, "binary", 6);
			return parse_path(s, n, k + 1 + l, pb);
		}
		if (!(word_is(s + k + 1, l, "item") || word_is(s + k + 1, l, "first") ||
		      word_is(s + k + 1, l, "last") || word_is(s + k + 1, l, "all") ||
		      word_is(s + k + 1, l, "itemMatching") || word_is(s + k + 1, l, "pairedItem")))
			return j;
		j = k + 1 + l;
		if (j < n && s[j] == '(') {
			a = skip_args(s, n, j);
			if (a == 0)
				return j;
			j = a;
		}
	}
	return j;
}

/* Report one reference: (node, path) with path from pb. */
static void emit(ref_fn fn, void *ctx, wd_ref_kind kind, wd_str node, const path_buf *pb,
                 size_t *count)
{
	(*count)++;
	if (fn)
		fn(ctx, kind, node, wd_str_make(pb->b, pb->len));
}

/* Keep only the first segment of a path ($env.X.y reads variable X). */
static void path_first_only(path_buf *pb)
{
	char *dot = memchr(pb->b, '.', pb->len);

	if (dot) {
		pb->len = (size_t)(dot - pb->b);
		pb->b[pb->len] = '\0';
	}
}

/*
 * Scan text for n8n data references and call fn for each one (fn may be
 * NULL to count). Recognised: $json..., $binary..., $input.<chain>,
 * $('Node')/$("Node")/$(`Node`).<chain>, $node["Node"]/$node.Node.<chain>,
 * $items("Node"), $env.X / $env["X"], $credentials.x, $vars.x and
 * $fromAI('key') (a value supplied by the calling AI agent). With python set,
 * the Python Code node's "_" forms (_json, _input, _('Node'), _env) count
 * too. Robust to any bytes: every read is bounded by text.len. Returns the
 * number of references reported.
 */
size_t wd_n8n_scan_expr(wd_str text, int python, ref_fn fn, void *ctx)
{
	const char *s = text.ptr;
	size_t n = text.len, i = 0, count = 0;
	char namebuf[NAME_MAX_LEN];

	if (!s)
		return 0;
	while (i < n) {
		size_t j, l, next;
		wd_str name = WD_STR_NULL;
		path_buf pb;

		if (!(s[i] == '$' || (python && s[i] == '_')) ||
		    (i > 0 && is_ident_char((unsigned char)s[i - 1]))) {
			i++;
			continue;
		}
		pb.len = 0;
		pb.segs = 0;
		pb.full = 0;
		pb.b[0] = '\0';
		j = i + 1;
		next = i + 1;
		if (j < n && s[j] == '(') {
			/* $('Node Name') */
			size_t k = skip_ws(s, n, j + 1);
			if (read_quoted(s, n, &k, &name)) {
				k = skip_ws(s, n, k);
				if (k < n && s[k] == ')') {
					name = unescape_name(name, namebuf, sizeof(namebuf));
					next = parse_chain(s, n, k + 1, 0, &pb);
					emit(fn, ctx, WD_REF_NODE, name, &pb, &count);
				}
			}
			i = next;
			continue;
		}
		l = ident_len(s, n, j);
		if (l == 0) {
			i++;
			continue;
		}
		next = j + l;
		if (word_is(s + j, l, "json")) {
			next = parse_path(s, n, j + l, &pb);
			emit(fn, ctx, WD_REF_INPUT, WD_STR_NULL, &pb, &count);
		} else if (word_is(s + j, l, "binary")) {
			path_add(&pb, "binary", 6);
			next = parse_path(s, n, j + l, &pb);
			emit(fn, ctx, WD_REF_INPUT, WD_STR_NULL, &pb, &count);
		} else if (word_is(s + j, l, "input")) {
			next = parse_chain(s, n, j + l, 0, &pb);
			emit(fn, ctx, WD_REF_INPUT, WD_STR_NULL, &pb, &count);
		} else if (word_is(s + j, l, "node")) {
			size_t k = skip_ws(s, n, j + l);
			if (k < n && s[k] == '[') {
				k = skip_ws(s, n, k + 1);
				if (read_quoted(s, n, &k, &name)) {
					k = skip_ws(s, n, k);
					if (k < n && s[k] == ']') {
						name = unescape_name(name, namebuf, sizeof(namebuf));
						next = parse_chain(s, n, k + 1, 1, &pb);
						emit(fn, ctx, WD_REF_NODE, name, &pb, &count);
					}
				}
			} else if (k < n && s[k] == '.') {
				size_t nl = ident_len(s, n, k + 1);
				if (nl > 0) {
					name = wd_str_make(s + k + 1, nl);
					next = parse_chain(s, n, k + 1 + nl, 1, &pb);
					emit(fn, ctx, WD_REF_NODE, name, &pb, &count);
				}
			}
		} else if (word_is(s + j, l, "items")) {
			size_t k = skip_ws(s, n, j + l);
			if (k < n && s[k] == '(') {
				size_t a;
				k = skip_ws(s, n, k + 1);
				if (k < n && s[k] == ')') {
					next = parse_chain(s, n, k + 1, 0, &pb);
					emit(fn, ctx, WD_REF_INPUT, WD_STR_NULL, &pb, &count);
				} else if (read_quoted(s, n, &k, &name)) {
					name = unescape_name(name, namebuf, sizeof(namebuf));
					/* the rest of the arguments: (name, 0, 1) */
					a = k < n && s[k] == ')' ? k + 1 : 0;
					if (a == 0 && k < n) {
						size_t e = k;
						while (e < n && e - k <= ARGS_MAX_LEN && s[e] != ')' &&
						       s[e] != '(')
							e++;
						if (e < n && s[e] == ')')
							a = e + 1;
					}
					next = a ? parse_chain(s, n, a, 0, &pb) : k;
					emit(fn, ctx, WD_REF_NODE, name, &pb, &count);
				}
			}
		} else if (word_is(s + j, l, "env") || word_is(s + j, l, "credentials") ||
		           word_is(s + j, l, "vars")) {
			wd_ref_kind kind = s[j] == 'e' ? WD_REF_ENV
			                   : s[j] == 'c' ? WD_REF_CREDENTIAL
			                                 : WD_REF_PARAM;
			next = parse_path(s, n, j + l, &pb);
			path_first_only(&pb);
			emit(fn, ctx, kind, WD_STR_NULL, &pb, &count);
		} else if (!python && word_is(s + j, l, "fromAI")) {
			size_t k = skip_ws(s, n, j + l);
			wd_str key;
			if (k < n && s[k] == '(') {
				k = skip_ws(s, n, k + 1);
				if (read_quoted(s, n, &k, &key)) {
					path_add(&pb, key.ptr, key.len);
					next = k;
					emit(fn, ctx, WD_REF_INPUT, WD_STR_NULL, &pb, &count);
				}
			}
		}
		i = next > i ? next : i + 1;
	}
	return count;
}

/* ---- small tables ------------------------------------------------------------------ */

/* ---- importer state ------------------------------------------------------------------ */

typedef struct importer {
	wd_model *m;
	uint32_t doc;
	wd_json_doc *jd;
	wd_error *err;
	uint32_t app;
	wd_hmap names;     /* node name -> component (first of that name), per app */
	wd_hmap creds;     /* (type, id or name) -> credential, whole model */
	wd_hmap refs;      /* (comp, kind, src, path) -> ref, per app */
	/* the expression being scanned */
	uint32_t comp;
	wd_loc loc;
	wd_status st;
} importer;

static wd_loc loc_of(importer *im, const wd_json_val *v)
{
	return v ? wd_model_loc(im->m, im->doc, v) : WD_LOC_NONE;
}

static wd_status fail_at(importer *im, const wd_json_val *v, wd_status code, const char *what)
{
	return imp_fail_at(im->err, im->jd, v, code, "n8n workflow", what);
}

static wd_status fail_rc(importer *im, wd_status rc, const char *what)
{
	return imp_fail_rc(im->err, im->m, "n8n workflow", rc, what);
}

/* A string member, or the text of a numeric one (ids are sometimes numbers). */
static wd_str get_text(const importer *im, const wd_json_val *obj, const char *key)
{
	return imp_val_text(im->jd, wd_json_get(im->jd, obj, key));
}

static int is_expression(wd_str s)
{
	return (s.len && s.ptr[0] == '=') || wd_str_find(s, "{{") >= 0;
}

static int has_braces(wd_str s)
{
	return wd_str_find(s, "{{") >= 0;
}

/* A "set" value: non-empty string or container, a number, or true. */
static int is_set(const wd_json_val *v)
{
	switch (wd_json_typeof(v)) {
	case WD_JSON_STRING:
	case WD_JSON_ARRAY:
	case WD_JSON_OBJECT:
		return v->len > 0;
	case WD_JSON_NUMBER:
	case WD_JSON_TRUE:
		return 1;
	default:
		return 0;
	}
}

static int type_in(wd_str type, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (wd_str_eq_c(type, list[i]))
			return 1;
	return 0;
}

/* ---- names ----------------------------------------------------------------------- */

static wd_status index_names(importer *im)
{
	const wd_app *a = &im->m->apps[im->app];
	uint32_t i;

	for (i = a->comp_first; i < a->comp_first + a->comp_count; i++) {
		wd_str name = im->m->comps[i].name;
		wd_status rc;

		if (!name.ptr)
			continue;
		rc = wd_hmap_put(&im->names, imp_hash_str(name, 1), i);
		if (rc != WD_OK)
			return rc;
	}
	return WD_OK;
}

/* Component of this app with that name (the first one), WD_NONE if none. */
static uint32_t find_name(const importer *im, wd_str name)
{
	uint64_t h = imp_hash_str(name, 1);
	size_t slot = WD_HMAP_START;
	uint32_t c, best = WD_NONE;

	if (!name.ptr)
		return WD_NONE;
	while ((c = wd_hmap_next(&im->names, h, &slot)) != WD_NONE)
		if (wd_str_eq(im->m->comps[c].name, name) && (best == WD_NONE || c < best))
			best = c;
	return best;
}

/* ---- expressions -------------------------------------------------------------------- */

static wd_str last_segment(wd_str path)
{
	size_t end = path.len;

	while (end > 0) {
		size_t start = end, k;
		int digits = 1;
		while (start > 0 && path.ptr[start - 1] != '.')
			start--;
		for (k = start; k < end; k++)
			if (!is_digit((unsigned char)path.ptr[k]))
				digits = 0;
		if (end > start && !digits)
			return wd_str_make(path.ptr + start, end - start);
		if (start == 0)
			break;
		end = start - 1;
	}
	return WD_STR_NULL;
}

static wd_status add_field(importer *im, uint32_t comp, wd_str name, wd_loc loc)
{
	return wd_model_add_field_once(im->m, comp, name, WD_CLASS_NONE, loc);
}

static wd_status add_expr_edge(importer *im, uint32_t src, uint32_t dst, wd_loc loc)
{
	return wd_model_add_expr_edge(im->m, src, dst, loc);
}

/* Scanner callback: dedupe, store the ref, its field and its implicit edge. */
static void on_ref(void *ctx, wd_ref_kind kind, wd_str node, wd_str path)
{
	importer *im = ctx;
	wd_model *m = im->m;
	uint32_t src = WD_NONE, ri;
	uint64_t h;
	size_t slot = WD_HMAP_START;
	wd_ref r;
	wd_status rc;

	if (im->st != WD_OK)
		return;
	if (kind == WD_REF_NODE)
		src = find_name(im, node);
	h = imp_hash_str(path, ((uint64_t)im->comp << 32 | src) ^ ((uint64_t)kind << 60));
	while ((ri = wd_hmap_next(&im->refs, h, &slot)) != WD_NONE) {
		const wd_ref *o = &m->refs[ri];
		if (o->comp == im->comp && o->kind == kind && o->src == src &&
		    wd_str_eq(o->path, path))
			return;
	}
	memset(&r, 0, sizeof(r));
	r.comp = im->comp;
	r.src = src;
	r.kind = kind;
	r.loc = im->loc;
	if (path.len) {
		r.path = wd_arena_str(&m->arena, path);
		if (!r.path.ptr) {
			im->st = WD_ENOMEM;
			return;
		}
	} else {
		r.path = wd_str_make("", 0);
	}
	rc = wd_model_add_ref(m, &r);
	if (rc == WD_OK)
		rc = wd_hmap_put(&im->refs, h, (uint32_t)(m->nrefs - 1));
	if (rc == WD_OK && (kind == WD_REF_INPUT || kind == WD_REF_NODE)) {
		m->comps[im->comp].flags |= WD_COMP_INPUT_USED;
		if (!wd_str_starts_with(r.path, "binary"))
			rc = add_field(im, im->comp, last_segment(r.path), im->loc);
	}
	if (rc == WD_OK && kind == WD_REF_NODE && src != WD_NONE)
		rc = add_expr_edge(im, src, im->comp, im->loc);
	im->st = rc;
}

static wd_status scan_string(importer *im, uint32_t comp, const wd_json_val *v, int python)
{
	im->comp = comp;
	im->loc = loc_of(im, v);
	im->st = WD_OK;
	wd_n8n_scan_expr(wd_json_str(im->jd, v), python, on_ref, im);
	return im->st;
}

static int is_code_key(wd_str key, wd_str parent, int *python)
{
	*python = wd_str_eq_c(key, "pythonCode");
	if (*python || wd_str_eq_c(key, "jsCode") || wd_str_eq_c(key, "functionCode"))
		return 1;
	/* the LangChain Code node: code.execute.code, code.supplyData.code */
	return wd_str_eq_c(key, "code") &&
	       (wd_str_eq_c(parent, "execute") || wd_str_eq_c(parent, "supplyData"));
}

#define WALK_MAX_DEPTH 1024

/*
 * Scan every string in a parameters tree: expressions ("=..." or "{{") and
 * code. The first code string becomes the component's code.
 */
static wd_status walk_params(importer *im, uint32_t comp, const wd_json_val *v, wd_str key,
                             wd_str parent, unsigned depth)
{
	const wd_json_val *k, *e;
	size_t i;
	wd_status rc = WD_OK;

	if (depth > WALK_MAX_DEPTH)
		return WD_OK;
	if (wd_json_is_str(v)) {
		wd_str s = wd_json_str(im->jd, v);
		int python = 0;
		if (is_code_key(key, parent, &python)) {
			wd_component *c = &im->m->comps[comp];
			if (!c->code.ptr) {
				c->code = s;
				c->code_loc = loc_of(im, v);
			}
			return scan_string(im, comp, v, python);
		}
		if (is_expression(s))
			return scan_string(im, comp, v, 0);
		return WD_OK;
	}
	if (wd_json_is_arr(v)) {
		WD_JSON_ARR_FOREACH(v, i, e)
		{
			rc = walk_params(im, comp, e, key, parent, depth + 1);
			if (rc != WD_OK)
				return rc;
		}
	} else if (wd_json_is_obj(v)) {
		WD_JSON_OBJ_FOREACH(v, i, k, e)
		{
			rc = walk_params(im, comp, e, wd_json_str(im->jd, k), key, depth + 1);
			if (rc != WD_OK)
				return rc;
		}
	}
	return rc;
}

/* ---- node facts ------------------------------------------------------------------------ */

static wd_auth auth_of(wd_str s)
{
	if (!s.ptr)
		return WD_AUTH_NONE;
	if (s.len && s.ptr[0] == '=')
		return WD_AUTH_DYNAMIC;
	if (wd_str_eq_c(s, "none"))
		return WD_AUTH_NONE;
	if (wd_str_eq_c(s, "basicAuth"))
		return WD_AUTH_BASIC;
	if (wd_str_eq_c(s, "headerAuth") || wd_str_eq_c(s, "bearerAuth"))
		return WD_AUTH_HEADER;
	if (wd_str_eq_c(s, "jwtAuth"))
		return WD_AUTH_JWT;
	if (wd_str_eq_c(s, "n8nUserAuth"))
		return WD_AUTH_PLATFORM;
	return WD_AUTH_UNKNOWN;
}

/*
 * Inbound auth from the member key of params (absent = none). A member of
 * the wrong type leaves the auth unknown.
 */
static void set_auth(importer *im, wd_component *c, const wd_json_val *params,
                     const wd_json_val *node, const char *key)
{
	const wd_json_val *a = wd_json_get(im->jd, params, key);

	if (!a) {
		c->auth = WD_AUTH_NONE;
		c->auth_loc = loc_of(im, params ? params : node);
	} else {
		c->auth = wd_json_is_str(a) ? auth_of(wd_json_str(im->jd, a)) : WD_AUTH_UNKNOWN;
		c->auth_loc = loc_of(im, a);
	}
}

static void entry_facts(importer *im, wd_component *c, const wd_json_val *node,
                        const wd_json_val *params)
{
	const wd_json_doc *jd = im->jd;
	wd_str t = c->type;

	if (wd_str_eq_c(t, "n8n-nodes-base.webhook") || wd_str_eq_c(t, "n8n-nodes-base.formTrigger") ||
	    wd_str_eq_c(t, "@n8n/n8n-nodes-langchain.mcpTrigger")) {
		set_auth(im, c, params, node, "authentication");
		c->flags |= WD_COMP_PUBLIC;
		c->kind = WD_KIND_ENTRY;
	} else if (wd_str_eq_c(t, "@n8n/n8n-nodes-langchain.chatTrigger")) {
		if (wd_json_get_bool(jd, params, "public", 0) == 1) {
			set_auth(im, c, params, node, "authentication");
			c->flags |= WD_COMP_PUBLIC;
			c->kind = WD_KIND_ENTRY;
		} else {
			/* not public: only the editor's chat, behind the n8n login */
			c->auth = WD_AUTH_PLATFORM;
			c->auth_loc = loc_of(im, params ? params : node);
		}
	} else if (wd_str_eq_c(t, "n8n-nodes-base.wait")) {
		wd_str resume = wd_json_get_str(jd, params, "resume");
		if (wd_str_eq_c(resume, "webhook") || wd_str_eq_c(resume, "form")) {
			const wd_json_val *opt = wd_json_get(jd, params, "options");
			if (wd_json_get(jd, params, "incomingAuthentication") ||
			    !wd_json_get(jd, opt, "incomingAuthentication"))
				set_auth(im, c, params, node, "incomingAuthentication");
			else
				set_auth(im, c, opt, node, "incomingAuthentication");
			c->flags |= WD_COMP_PUBLIC;
		}
	}
}

static const char *const sql_types[] = {
	"n8n-nodes-base.postgres",        "n8n-nodes-base.postgresTool",
	"n8n-nodes-base.mySql",           "n8n-nodes-base.mySqlTool",
	"n8n-nodes-base.microsoftSql",    "n8n-nodes-base.microsoftSqlTool",
	"n8n-nodes-base.snowflake",       "n8n-nodes-base.snowflakeTool",
	"n8n-nodes-base.crateDb",         "n8n-nodes-base.crateDbTool",
	"n8n-nodes-base.questDb",         "n8n-nodes-base.questDbTool",
	"n8n-nodes-base.timescaleDb",     "n8n-nodes-base.timescaleDbTool",
	"n8n-nodes-base.oracleDb",        "n8n-nodes-base.oracleDbTool",
};

static const char *const http_types[] = {
	"n8n-nodes-base.httpRequest",
	"n8n-nodes-base.httpRequestTool",
	"@n8n/n8n-nodes-langchain.toolHttpRequest",
};

static const char *const fs_types[] = {
	"n8n-nodes-base.readWriteFile",   "n8n-nodes-base.readBinaryFile",
	"n8n-nodes-base.writeBinaryFile", "n8n-nodes-base.readBinaryFiles",
	"n8n-nodes-base.readPdf",         "n8n-nodes-base.readWriteFileTool",
};

#define COUNT(a) (sizeof(a) / sizeof(*(a)))

static int member_true(const importer *im, const wd_json_val *obj, const char *key)
{
	return wd_json_is_true(wd_json_get(im->jd, obj, key));
}

/* Flags from parameters that need no other node (TLS, SQL, shell, files). */
static void param_facts(importer *im, wd_component *c, const wd_json_val *params)
{
	const wd_json_doc *jd = im->jd;
	const wd_json_val *opt = wd_json_get(jd, params, "options");
	wd_str t = c->type;

	if (member_true(im, params, "allowUnauthorizedCerts") ||
	    member_true(im, params, "ignoreSSLIssues") ||
	    member_true(im, opt, "allowUnauthorizedCerts") || member_true(im, opt, "ignoreSSLIssues"))
		c->flags |= WD_COMP_TLS_NOVERIFY;

	if (type_in(t, sql_types, COUNT(sql_types))) {
		const wd_json_val *op = wd_json_get(jd, params, "operation");
		const wd_json_val *q = wd_json_get(jd, params, "query");
		int exec = op ? wd_str_eq_c(wd_json_str(jd, op), "executeQuery") : q != NULL;
		if (exec) {
			if (wd_json_is_str(q) && has_braces(wd_json_str(jd, q)))
				c->flags |= WD_COMP_SQL_DYNAMIC;
			if (is_set(wd_json_get(jd, opt, "queryReplacement")) ||
			    is_set(wd_json_get(jd, wd_json_get(jd, params, "additionalFields"),
			                       "queryParams")))
				c->flags |= WD_COMP_SQL_PARAMS;
		}
	}

	if (wd_str_eq_c(t, "n8n-nodes-base.executeCommand") || wd_str_eq_c(t, "n8n-nodes-base.ssh") ||
	    wd_str_eq_c(t, "n8n-nodes-base.executeCommandTool") ||
	    wd_str_eq_c(t, "n8n-nodes-base.sshTool")) {
		const wd_json_val *cmd = wd_json_get(jd, params, "command");
		if (wd_json_is_str(cmd)) {
			wd_str s = wd_json_str(jd, cmd);
			c->code = s;
			c->code_loc = loc_of(im, cmd);
			if (has_braces(s))
				c->flags |= WD_COMP_SHELL_DYNAMIC;
		}
	}

	if (type_in(t, fs_types, COUNT(fs_types))) {
		static const char *const keys[] = {"fileName", "filePath", "fileSelector"};
		size_t i;
		for (i = 0; i < COUNT(keys); i++)
			if (has_braces(wd_json_get_str(jd, params, keys[i])))
				c->flags |= WD_COMP_FS_DYNAMIC;
	}

	if (wd_str_eq_c(t, "n8n-nodes-base.errorTrigger"))
		c->flags |= WD_COMP_ERROR_HANDLER;
	if (wd_str_starts_with(t, "CUSTOM."))
		c->flags |= WD_COMP_CUSTOM;
}

/* Field names a node sets or asks for: form fields, Set assignments. */
static wd_status node_fields(importer *im, uint32_t comp, const wd_json_val *params)
{
	const wd_json_doc *jd = im->jd;
	wd_str t = im->m->comps[comp].type;
	const wd_json_val *arr, *e, *nm;
	size_t i;
	wd_status rc;

	if (wd_str_eq_c(t, "n8n-nodes-base.formTrigger") || wd_str_eq_c(t, "n8n-nodes-base.form")) {
		arr = wd_json_get(jd, wd_json_get(jd, params, "formFields"), "values");
		if (wd_json_is_arr(arr)) {
			WD_JSON_ARR_FOREACH(arr, i, e)
			{
				nm = wd_json_get(jd, e, "fieldLabel");
				if (!wd_json_is_str(nm))
					nm = wd_json_get(jd, e, "fieldName");
				if (!wd_json_is_str(nm))
					continue;
				rc = add_field(im, comp, wd_json_str(jd, nm), loc_of(im, nm));
				if (rc != WD_OK)
					return rc;
			}
		}
	}
	if (wd_str_eq_c(t, "n8n-nodes-base.set")) {
		static const char *const kinds[] = {"string", "number", "boolean", "array", "object"};
		size_t k;
		const wd_json_val *lists[1 + COUNT(kinds)];

		lists[0] = wd_json_get(jd, wd_json_get(jd, params, "assignments"), "assignments");
		for (k = 0; k < COUNT(kinds); k++)
			lists[1 + k] = wd_json_get(jd, wd_json_get(jd, params, "values"), kinds[k]);
		for (k = 0; k < COUNT(lists); k++) {
			if (!wd_json_is_arr(lists[k]))
				continue;
			WD_JSON_ARR_FOREACH(lists[k], i, e)
			{
				nm = wd_json_get(jd, e, "name");
				if (!wd_json_is_str(nm))
					continue;
				rc = add_field(im, comp, wd_json_str(jd, nm), loc_of(im, nm));
				if (rc != WD_OK)
					return rc;
			}
		}
	}
	return WD_OK;
}

static const char *const subflow_types[] = {
	"n8n-nodes-base.executeWorkflow",
	"n8n-nodes-base.executeWorkflowTool",
	"@n8n/n8n-nodes-langchain.toolWorkflow",
};

/*
 * A sub-workflow call: the called workflow's id (a string or a resource
 * locator {"__rl": true, "value": id}) becomes a WD_REF_OTHER reference whose
 * path is the id, so a directory scan can link caller and callee apps. A
 * workflow loaded from a URL is a target; from a file, a file path.
 */
static wd_status subflow_facts(importer *im, uint32_t comp, const wd_json_val *params)
{
	const wd_json_doc *jd = im->jd;
	const wd_json_val *id = wd_json_get(jd, params, "workflowId"), *v;
	wd_component *c = &im->m->comps[comp];
	wd_str src = wd_json_get_str(jd, params, "source");
	wd_ref r;

	if (!type_in(c->type, subflow_types, COUNT(subflow_types)))
		return WD_OK;
	if (wd_json_is_obj(id))
		id = wd_json_get(jd, id, "value");
	if (wd_json_is_str(id) && id->len) {
		memset(&r, 0, sizeof(r));
		r.comp = comp;
		r.src = WD_NONE;
		r.kind = WD_REF_OTHER;
		r.path = wd_json_str(jd, id);
		r.loc = loc_of(im, id);
		if (wd_model_add_ref(im->m, &r) != WD_OK)
			return WD_ENOMEM;
	}
	if (wd_str_eq_c(src, "url")) {
		v = wd_json_get(jd, params, "workflowUrl");
		if (wd_json_is_str(v) && v->len)
			return wd_model_add_target(im->m, comp, wd_json_str(jd, v), loc_of(im, v), 0);
	} else if (wd_str_eq_c(src, "localFile")) {
		if (has_braces(wd_json_get_str(jd, params, "workflowPath")))
			c->flags |= WD_COMP_FS_DYNAMIC;
	}
	return WD_OK;
}

/* ---- credentials ---------------------------------------------------------------------- */

static wd_status add_cred_use(importer *im, uint32_t comp, wd_str type, wd_str id, wd_str name,
                              const wd_json_val *v)
{
	wd_model *m = im->m;
	wd_str key = id.len ? id : name;
	uint64_t h = imp_hash_str(key, imp_hash_str(type, 3)) ^ (id.len ? 0 : 1);
	size_t slot = WD_HMAP_START;
	uint32_t ci;
	wd_credential cr;
	wd_status rc;

	while ((ci = wd_hmap_next(&im->creds, h, &slot)) != WD_NONE) {
		const wd_credential *o = &m->creds[ci];
		if (wd_str_eq(o->type, type) && (id.len ? wd_str_eq(o->id, id)
		                                        : (!o->id.len && wd_str_eq(o->name, name))))
			return wd_model_add_cred_use(m, comp, ci);
	}
	memset(&cr, 0, sizeof(cr));
	cr.id = id;
	cr.name = name;
	cr.type = type;
	cr.storage = WD_CRED_VAULT;
	cr.comp = comp;
	cr.loc = loc_of(im, v);
	rc = wd_model_add_credential(m, &cr, &ci);
	if (rc == WD_OK)
		rc = wd_hmap_put(&im->creds, h, ci);
	if (rc == WD_OK)
		rc = wd_model_add_cred_use(m, comp, ci);
	return rc;
}

/* node.credentials = {type: {id, name}} or {type: "name"}. */
static wd_status node_creds(importer *im, uint32_t comp, const wd_json_val *node)
{
	const wd_json_doc *jd = im->jd;
	const wd_json_val *creds = wd_json_get(jd, node, "credentials"), *k, *v;
	size_t i;
	wd_status rc;

	if (!wd_json_is_obj(creds))
		return WD_OK;
	WD_JSON_OBJ_FOREACH(creds, i, k, v)
	{
		wd_str type = wd_json_str(jd, k), id = WD_STR_NULL, name = WD_STR_NULL;
		if (wd_json_is_str(v)) {
			name = wd_json_str(jd, v);
		} else if (wd_json_is_obj(v)) {
			id = get_text(im, v, "id");
			name = wd_json_get_str(jd, v, "name");
		} else {
			continue;
		}
		if (!id.len && !name.len)
			continue;
		rc = add_cred_use(im, comp, type, id, name, v);
		if (rc != WD_OK)
			return rc;
	}
	return WD_OK;
}

/* ---- connections ---------------------------------------------------------------------- */

static wd_edge_kind edge_kind_of(wd_str type)
{
	if (wd_str_starts_with(type, "ai_"))
		return WD_EDGE_AI;
	if (wd_str_eq_c(type, "error"))
		return WD_EDGE_ERROR;
	return WD_EDGE_FLOW;
}

/*
 * connections = {"Src": {"main": [[{"node": "Dst", "type": "main", "index": 0}],
 * ...], "ai_tool": [[...]]}}. Outputs may be null; targets may name nodes that
 * do not exist (skipped).
 */
static wd_status import_connections(importer *im, const wd_json_val *conns)
{
	const wd_json_doc *jd = im->jd;
	const wd_json_val *sk, *sv, *tk, *tv, *out, *tg;
	size_t i, j, p, q;
	wd_status rc;

	if (!wd_json_is_obj(conns))
		return WD_OK;
	WD_JSON_OBJ_FOREACH(conns, i, sk, sv)
	{
		uint32_t from = find_name(im, wd_json_str(jd, sk));
		if (from == WD_NONE || !wd_json_is_obj(sv))
			continue;
		WD_JSON_OBJ_FOREACH(sv, j, tk, tv)
		{
			wd_str label = wd_json_str(jd, tk);
			wd_edge_kind kind = edge_kind_of(label);
			if (!wd_json_is_arr(tv))
				continue;
			WD_JSON_ARR_FOREACH(tv, p, out)
			{
				if (!wd_json_is_arr(out))
					continue;
				WD_JSON_ARR_FOREACH(out, q, tg)
				{
					wd_edge e;
					uint32_t to = find_name(im, wd_json_get_str(jd, tg, "node"));
					if (to == WD_NONE)
						continue;
					memset(&e, 0, sizeof(e));
					e.from = from;
					e.to = to;
					e.kind = kind;
					e.label = label;
					e.port = (uint32_t)p;
					e.loc = loc_of(im, tg);
					rc = wd_model_add_edge(im->m, &e);
					if (rc != WD_OK)
						return rc;
				}
			}
		}
	}
	return WD_OK;
}

/* ---- workflow ------------------------------------------------------------------------- */

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

static void app_settings(importer *im, wd_app *a, const wd_json_val *wf)
{
	const wd_json_doc *jd = im->jd;
	const wd_json_val *s = wd_json_get(jd, wf, "settings"), *v;
	int64_t n;

	if (!wd_json_is_obj(s))
		return;
	a->settings_loc = loc_of(im, s);
	a->error_workflow = get_text(im, s, "errorWorkflow");
	a->caller_policy = wd_json_get_str(jd, s, "callerPolicy");
	v = wd_json_get(jd, s, "saveDataErrorExecution");
	a->save_failed = wd_str_eq_c(wd_json_str(jd, v), "all")    ? 1
	                 : wd_str_eq_c(wd_json_str(jd, v), "none") ? 0
	                                                           : -1;
	v = wd_json_get(jd, s, "saveDataSuccessExecution");
	a->save_success = wd_str_eq_c(wd_json_str(jd, v), "all")    ? 1
	                  : wd_str_eq_c(wd_json_str(jd, v), "none") ? 0
	                                                            : -1;
	v = wd_json_get(jd, s, "saveManualExecutions");
	a->save_manual = wd_json_is_true(v) ? 1 : wd_json_is_false(v) ? 0 : -1;
	v = wd_json_get(jd, s, "executionTimeout");
	if (wd_json_int(jd, v, &n) == WD_OK)
		a->execution_timeout = n;
}

static wd_status import_workflow(importer *im, const wd_json_val *wf, int whole_file)
{
	wd_model *m = im->m;
	const wd_json_doc *jd = im->jd;
	const wd_json_val *nodes = wd_json_get(jd, wf, "nodes"), *node, *v, *k;
	const char *in;
	size_t len, i;
	uint8_t digest[32];
	wd_app a;
	wd_status rc = WD_OK;
	uint32_t first;

	if (!wd_json_is_arr(nodes))
		return fail_at(im, nodes ? nodes : wf, WD_EFORMAT,
		               nodes ? "\"nodes\" is not an array" : "no \"nodes\" array");

	wd_app_init(&a, WD_PLATFORM_N8N);
	a.id = get_text(im, wf, "id");
	a.name = wd_json_get_str(jd, wf, "name");
	a.loc = loc_of(im, wf);
	v = wd_json_get(jd, wf, "active");
	a.active = wd_json_is_true(v) ? 1 : wd_json_is_false(v) ? 0 : -1;
	app_settings(im, &a, wf);
	v = wd_json_get(jd, wf, "pinData");
	if (wd_json_is_obj(v)) {
		const wd_json_val *pv;
		a.pindata_loc = loc_of(im, v);
		WD_JSON_OBJ_FOREACH(v, i, k, pv)
			if (wd_json_is_container(pv) && wd_json_size(pv) > 0)
				a.pin_nodes++;
	}
	a.owner_hint = wd_json_get_str(jd, wd_json_get(jd, wf, "meta"), "instanceId");
	in = wd_json_input(jd, &len);
	if (!whole_file) {
		size_t end = value_end(in, len, wf->off);
		wd_sha256(in + wf->off, end - wf->off, digest);
	} else {
		wd_sha256(in, len, digest);
	}
	wd_hex(digest, sizeof(digest), a.hash);
	rc = wd_model_add_app(m, &a, &im->app);
	if (rc != WD_OK)
		return fail_rc(im, rc, "adding the workflow");

	/* pass 1: components, so that names resolve in pass 2 */
	first = (uint32_t)m->ncomps;
	WD_JSON_ARR_FOREACH(nodes, i, node)
	{
		wd_component c;
		const wd_json_val *params;

		if (!wd_json_is_obj(node))
			continue;
		wd_component_init(m, &c);
		c.type = wd_json_get_str(jd, node, "type");
		if (wd_str_eq_c(c.type, "n8n-nodes-base.stickyNote")) {
			m->notes++;
			continue;
		}
		c.name = wd_json_get_str(jd, node, "name");
		c.id = get_text(im, node, "id");
		if (!c.id.len)
			c.id = c.name;
		c.loc = loc_of(im, node);
		params = wd_json_get(jd, node, "parameters");
		if (!wd_json_is_obj(params))
			params = NULL;
		c.params = loc_of(im, params);
		if (member_true(im, node, "disabled"))
			c.flags |= WD_COMP_DISABLED;
		entry_facts(im, &c, node, params);
		param_facts(im, &c, params);
		rc = wd_model_add_component(m, &c, NULL);
		if (rc != WD_OK)
			return fail_rc(im, rc, "adding nodes");
	}

	/* failures are handled by an error workflow or an Error Trigger */
	{
		wd_app *app = &m->apps[m->napps - 1];
		size_t ci;
		app->error_handling = app->error_workflow.len ? 1 : 0;
		for (ci = first; ci < m->ncomps; ci++)
			if (m->comps[ci].flags & WD_COMP_ERROR_HANDLER)
				app->error_handling = 1;
	}

	rc = index_names(im);
	if (rc != WD_OK)
		return fail_rc(im, rc, "indexing node names");

	/* pass 2: what needs the other nodes */
	{
		uint32_t ci = first;
		WD_JSON_ARR_FOREACH(nodes, i, node)
		{
			const wd_json_val *params, *url;

			if (!wd_json_is_obj(node) ||
			    wd_str_eq_c(wd_json_get_str(jd, node, "type"), "n8n-nodes-base.stickyNote"))
				continue;
			params = wd_json_get(jd, node, "parameters");
			if (!wd_json_is_obj(params))
				params = NULL;
			rc = node_creds(im, ci, node);
			if (rc == WD_OK && params)
				rc = walk_params(im, ci, params, WD_STR_NULL, WD_STR_NULL, 0);
			if (rc == WD_OK && params)
				rc = node_fields(im, ci, params);
			if (rc == WD_OK && params)
				rc = subflow_facts(im, ci, params);
			if (rc == WD_OK && type_in(m->comps[ci].type, http_types, COUNT(http_types))) {
				url = wd_json_get(jd, params, "url");
				if (wd_json_is_str(url) && url->len)
					rc = wd_model_add_target(m, ci, wd_json_str(jd, url),
					                         loc_of(im, url), 0);
			}
			/* the FTP node talks plain FTP unless its protocol is SFTP; the
			 * server itself is in the credential, not in the export */
			if (rc == WD_OK && wd_str_eq_c(m->comps[ci].type, "n8n-nodes-base.ftp")) {
				const wd_json_val *proto = wd_json_get(jd, params, "protocol");
				if (!wd_str_eq_c(wd_json_str(jd, proto), "sftp"))
					rc = wd_model_add_target(m, ci, wd_str_c("ftp://"),
					                         proto ? loc_of(im, proto) : m->comps[ci].loc, 0);
			}
			if (rc != WD_OK)
				return fail_rc(im, rc, "reading node parameters");
			ci++;
		}
	}

	rc = import_connections(im, wd_json_get(jd, wf, "connections"));
	if (rc != WD_OK)
		return fail_rc(im, rc, "reading connections");
	return WD_OK;
}

static int is_workflow(const importer *im, const wd_json_val *v)
{
	return wd_json_is_obj(v) && wd_json_get(im->jd, v, "nodes") != NULL;
}

/* Import every workflow of an array (elements of other shapes are skipped). */
static wd_status import_array(importer *im, const wd_json_val *arr, size_t *found)
{
	const wd_json_val *e;
	size_t i;
	wd_status rc;

	WD_JSON_ARR_FOREACH(arr, i, e)
	{
		if (!is_workflow(im, e))
			continue;
		rc = import_workflow(im, e, 0);
		if (rc != WD_OK)
			return rc;
		(*found)++;
		wd_hmap_release(&im->names);
		wd_hmap_release(&im->refs);
	}
	return WD_OK;
}

wd_status wd_import_n8n(wd_model *m, uint32_t doc, const wd_import_opts *opts, wd_error *err)
{
	importer im;
	const wd_json_val *root, *data;
	size_t found = 0;
	wd_status rc;

	(void)opts;
	memset(&im, 0, sizeof(im));
	im.m = m;
	im.doc = doc;
	im.err = err;
	im.jd = wd_model_json(m, doc);
	if (!im.jd)
		return wd_error_set(err, WD_EINVAL, "n8n: no document %u in the model", doc);
	root = wd_json_root(im.jd);
	if (m->platform == WD_PLATFORM_UNKNOWN)
		m->platform = WD_PLATFORM_N8N;

	if (wd_json_is_obj(root) && wd_json_get(im.jd, root, "nodes")) {
		rc = import_workflow(&im, root, 1);
		found = rc == WD_OK;
	} else if (wd_json_is_arr(root)) {
		rc = import_array(&im, root, &found);
	} else if (wd_json_is_obj(root) &&
	           (data = wd_json_get(im.jd, root, "data")) != NULL) {
		/* the REST API's {"data": workflow} and {"data": [workflows]} */
		if (is_workflow(&im, data)) {
			rc = import_workflow(&im, data, 0);
			found = rc == WD_OK;
		} else if (wd_json_is_arr(data)) {
			rc = import_array(&im, data, &found);
		} else {
			rc = fail_at(&im, data, WD_EFORMAT, "\"data\" holds no workflow");
		}
	} else {
		rc = fail_at(&im, root, WD_EFORMAT,
		             "expected a workflow object with a \"nodes\" array");
	}
	if (rc == WD_OK && found == 0)
		rc = fail_at(&im, root, WD_EFORMAT, "no workflow with a \"nodes\" array");
	wd_hmap_release(&im.names);
	wd_hmap_release(&im.creds);
	wd_hmap_release(&im.refs);
	return rc;
}
