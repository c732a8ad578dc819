/*
 * import/nodered.c - the Node-RED flow importer.
 *
 * A Node-RED export is a flat array of node objects (admin API v1, editor
 * "Export"), or the admin API v2 shape {"rev": "...", "flows": [...]}. Every
 * node has an id and a type; flow nodes say which tab or subflow they live on
 * in `z`, carry `wires` (one array of target ids per output port) and x/y;
 * config nodes (brokers, TLS settings, dashboard groups) have neither wires
 * nor x/y and are global unless they have a `z`. Exports of selected nodes
 * leave the tab out, so `z` may name nothing in the file.
 *
 * The importer works in three passes over the nodes, all O(nodes + members):
 *   1. classify every element (tab, subflow, note, flow node, config node),
 *      index ids in an open-addressing table, and decide which app each node
 *      belongs to (its tab or subflow; an app named after the file for nodes
 *      whose `z` names nothing in the file; no app for global config nodes);
 *   2. add apps and their components app by app, so each app's components
 *      are contiguous, then the global config nodes (app = WD_NONE);
 *   3. with every id resolvable to a component: wires, link, subflow, config
 *      and catch edges, targets, flags, env / input references, env arrays.
 * Finally the companion <name>_cred.json, when asked for, adds credentials.
 *
 * Invariants: every element that is an object with a string `type` becomes
 * exactly one of: an app (tab, subflow), a note (comment, group) or a
 * component. Other elements are skipped. Duplicate ids are kept as
 * components; lookups by id resolve to the first. No input aborts the import
 * except an unusable root (WD_EFORMAT) and model limits / out of memory.
 */
#include <stdlib.h>
#include <string.h>

#include "warden/catalog.h"
#include "warden/import.h"
#include "warden/model.h"

/* References recorded per component (env + input), to bound output size. */
#define MAX_REFS_PER_NODE 64
/* Depth to which typed-input and ${ENV} scans descend into node properties. */
#define MAX_SCAN_DEPTH 8
/* Sibling lookups for typed inputs per component (each is linear in members). */
#define MAX_TYPED_LOOKUPS 256
/* Edges expanded from subflow definitions, over all instances of a file:
 * instances x ports x wires is quadratic in the input otherwise. */
#define MAX_SUBFLOW_EDGES (1u << 20)
/* Canonical text hashed for one app's source (bigger apps get no hash). */
#define MAX_HASH_TEXT ((size_t)256 << 20)

enum role {
	ROLE_SKIP = 0,
	ROLE_TAB,
	ROLE_SUBFLOW,
	ROLE_NOTE,
	ROLE_FLOW,    /* a flow node: component with wires or a position */
	ROLE_CONFIG   /* a config node: component without wires or position */
};

typedef struct nr_node {
	const wd_json_val *obj;
	wd_str id;
	wd_str type;
	wd_str z;
	uint8_t role;
	uint8_t disabled;   /* node or its container disabled */
	uint32_t group;     /* app group index, WD_NONE = global config */
	uint32_t comp;      /* component index once added, else WD_NONE */
} nr_node;

/* One future app: a tab, a subflow, or a group of nodes by unknown `z`. */
typedef struct nr_group {
	uint32_t node;      /* the tab / subflow node, WD_NONE for z groups */
	wd_str z;           /* z groups: the shared z value */
	uint32_t count;
	uint32_t first;     /* offset into the order array */
	uint32_t seq;       /* z groups: 1-based number for the name suffix */
} nr_group;

typedef struct nr_ctx {
	wd_model *m;
	uint32_t doc;
	wd_json_doc *jd;
	const wd_import_opts *opts;
	const wd_catalog *cat;
	wd_error *err;
	nr_node *nodes;
	size_t nnodes;
	nr_group *groups;
	size_t ngroups, groups_cap;
	wd_hmap ids;        /* hash of node id -> node index */
	wd_hmap zs;         /* hash of unknown z value -> group index */
	uint32_t nrefs;     /* refs added for the current component */
	uint32_t lookups;   /* typed-input lookups for the current component */
	uint32_t sub_edges; /* edges expanded from subflow definitions so far */
	wd_buf tmp;
} nr_ctx;

/* ---- small helpers --------------------------------------------------------------- */

static uint64_t str_hash(wd_str s)
{
	return wd_hash64(s.ptr ? s.ptr : "", s.len, 0);
}

/* The first node whose id is s (WD_NONE if none). Linear probing returns
 * equal keys in insertion order, so the first occurrence wins. */
static uint32_t node_by_id(const nr_ctx *x, wd_str s)
{
	size_t slot = WD_HMAP_START;
	uint32_t v;

	if (!s.ptr)
		return WD_NONE;
	while ((v = wd_hmap_next(&x->ids, str_hash(s), &slot)) != WD_NONE)
		if (wd_str_eq(x->nodes[v].id, s))
			return v;
	return WD_NONE;
}

/* The z group for an unknown z value (WD_NONE if none yet). */
static uint32_t zgroup_by_key(const nr_ctx *x, wd_str key)
{
	size_t slot = WD_HMAP_START;
	uint32_t v;

	while ((v = wd_hmap_next(&x->zs, str_hash(key), &slot)) != WD_NONE)
		if (x->groups[v].node == WD_NONE && wd_str_eq(x->groups[v].z, key))
			return v;
	return WD_NONE;
}

static const char *doc_path(const nr_ctx *x)
{
	const char *p = x->m->docs[x->doc].path;

	return p ? p : "(flows)";
}

static wd_loc loc_of(const nr_ctx *x, const wd_json_val *v)
{
	return v ? wd_model_loc(x->m, x->doc, v) : WD_LOC_NONE;
}

static wd_str get_str(const nr_ctx *x, const wd_json_val *obj, const char *key)
{
	return wd_json_get_str(x->jd, obj, key);
}

/* JSON false, or the string "false" (some nodes store booleans as text). */
static int is_falsy(const nr_ctx *x, const wd_json_val *v)
{
	return wd_json_is_false(v) || (wd_json_is_str(v) && wd_str_eq_c(wd_json_str(x->jd, v), "false"));
}

static int is_truthy(const nr_ctx *x, const wd_json_val *v)
{
	return wd_json_is_true(v) || (wd_json_is_str(v) && wd_str_eq_c(wd_json_str(x->jd, v), "true"));
}

/* The node whose id is s, as a component index (WD_NONE if none). */
static uint32_t comp_by_id(const nr_ctx *x, wd_str s)
{
	uint32_t n = node_by_id(x, s);

	return n == WD_NONE ? WD_NONE : x->nodes[n].comp;
}

/* Basename of path without a trailing ".json" (a slice of path). */
static wd_str file_stem(const char *path)
{
	const char *b = path ? strrchr(path, '/') : NULL;
	wd_str s;

	b = b ? b + 1 : (path ? path : "");
	s = wd_str_c(b);
	if (wd_str_ends_with(s, ".json") && s.len > 5)
		s.len -= 5;
	return s;
}

/* Copy the temporary buffer into the model arena; {NULL,0} on failure. */
static wd_str tmp_to_arena(nr_ctx *x)
{
	if (wd_buf_failed(&x->tmp))
		return WD_STR_NULL;
	return wd_arena_str(&x->m->arena, wd_str_make(x->tmp.data ? x->tmp.data : "", x->tmp.len));
}

static int has_expr(wd_str s)
{
	return wd_str_find(s, "{{") >= 0 || wd_str_find(s, "${") >= 0;
}

static int is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '$';
}

/*
 * "${NAME}" or the old "$(NAME)" as the whole value: NAME, else {NULL,0}.
 * This is the runtime's rule (flows/util.js: /^\${(\S+)}$/): text around
 * the reference, as in "acme/${SITE}/orders", is not substituted.
 */
static wd_str env_whole(wd_str s)
{
	size_t i;

	if (s.len < 4 || s.ptr[0] != '$' ||
	    !((s.ptr[1] == '{' && s.ptr[s.len - 1] == '}') ||
	      (s.ptr[1] == '(' && s.ptr[s.len - 1] == ')')))
		return WD_STR_NULL;
	for (i = 2; i + 1 < s.len; i++)
		if (s.ptr[i] == ' ' || s.ptr[i] == '\t' || s.ptr[i] == '\n' || s.ptr[i] == '\r' ||
		    s.ptr[i] == '\f' || s.ptr[i] == '\v')
			return WD_STR_NULL;
	return wd_str_make(s.ptr + 2, s.len - 3);
}

/* ---- pass 1: classify ------------------------------------------------------------ */

static int is_note_type(wd_str t)
{
	return wd_str_eq_c(t, "comment") || wd_str_eq_c(t, "group");
}

static wd_status add_group(nr_ctx *x, uint32_t node, wd_str z, uint32_t *idx)
{
	nr_group *g;

	if (x->ngroups == x->groups_cap &&
	    wd_grow((void **)&x->groups, &x->groups_cap, x->ngroups + 1, sizeof(*x->groups)))
		return wd_error_set(x->err, WD_ENOMEM, "out of memory");
	g = &x->groups[x->ngroups];
	memset(g, 0, sizeof(*g));
	g->node = node;
	g->z = z;
	*idx = (uint32_t)x->ngroups++;
	return WD_OK;
}

static wd_status classify(nr_ctx *x, const wd_json_val *arr)
{
	const wd_json_val *e;
	size_t i, n = 0;
	uint32_t zseq = 0;
	wd_status st;

	x->nodes = calloc(wd_json_size(arr) + 1, sizeof(*x->nodes));
	if (!x->nodes)
		return wd_error_set(x->err, WD_ENOMEM, "out of memory");
	WD_JSON_ARR_FOREACH(arr, i, e) {
		nr_node *nd;
		wd_str type;

		if (!wd_json_is_obj(e))
			continue;
		type = get_str(x, e, "type");
		if (!type.ptr)
			continue;
		nd = &x->nodes[n++];
		nd->obj = e;
		nd->type = type;
		nd->id = get_str(x, e, "id");
		nd->z = get_str(x, e, "z");
		nd->group = WD_NONE;
		nd->comp = WD_NONE;
		nd->disabled = wd_json_is_true(wd_json_get(x->jd, e, "d"));
		if (wd_str_eq_c(type, "tab"))
			nd->role = ROLE_TAB;
		else if (wd_str_eq_c(type, "subflow"))
			nd->role = ROLE_SUBFLOW;
		else if (is_note_type(type))
			nd->role = ROLE_NOTE;
		else if (wd_json_get(x->jd, e, "wires") || wd_json_get(x->jd, e, "x") ||
		         wd_json_get(x->jd, e, "y"))
			nd->role = ROLE_FLOW;
		else
			nd->role = ROLE_CONFIG;
	}
	x->nnodes = n;

	for (i = 0; i < n; i++)
		if (x->nodes[i].id.len &&
		    wd_hmap_put(&x->ids, str_hash(x->nodes[i].id), (uint32_t)i) != WD_OK)
			return wd_error_set(x->err, WD_ENOMEM, "out of memory");

	/* Tabs and subflows first, in document order: they own a group each. */
	for (i = 0; i < n; i++) {
		nr_node *nd = &x->nodes[i];
		uint32_t g;

		if (nd->role != ROLE_TAB && nd->role != ROLE_SUBFLOW)
			continue;
		if ((st = add_group(x, (uint32_t)i, WD_STR_NULL, &g)))
			return st;
		nd->group = g;
		/* a tab's own switch is "disabled"; subflows cannot be disabled */
		nd->disabled = nd->role == ROLE_TAB &&
		               wd_json_is_true(wd_json_get(x->jd, nd->obj, "disabled"));
	}

	/* Everything else joins its container's group, a z group, or none. */
	for (i = 0; i < n; i++) {
		nr_node *nd = &x->nodes[i];
		uint32_t owner = WD_NONE;
		wd_str key;

		if (nd->role != ROLE_FLOW && nd->role != ROLE_CONFIG)
			continue;
		if (nd->z.len) {
			uint32_t c = node_by_id(x, nd->z);
			if (c != WD_NONE && (x->nodes[c].role == ROLE_TAB ||
			                     x->nodes[c].role == ROLE_SUBFLOW))
				owner = x->nodes[c].group;
		}
		if (owner == WD_NONE) {
			/* A global config node (no z) belongs to no app. */
			if (!nd->z.len && nd->role == ROLE_CONFIG)
				continue;
			/* Unknown z, or an old export's flow node without z. */
			key = nd->z.len ? nd->z : wd_str_make("", 0);
			owner = zgroup_by_key(x, key);
			if (owner == WD_NONE) {
				if ((st = add_group(x, WD_NONE, key, &owner)))
					return st;
				x->groups[owner].seq = ++zseq;
				if (wd_hmap_put(&x->zs, str_hash(key), owner) != WD_OK)
					return wd_error_set(x->err, WD_ENOMEM, "out of memory");
			}
		} else if (x->nodes[x->groups[owner].node].disabled) {
			nd->disabled = 1;
		}
		nd->group = owner;
		x->groups[owner].count++;
	}
	return WD_OK;
}

/* ---- pass 2: apps and components ------------------------------------------------- */

static void set_config_kind(nr_ctx *x, wd_component *c)
{
	if (!x->cat || !wd_catalog_lookup(x->cat, WD_PLATFORM_NODERED, c->type))
		c->kind = WD_KIND_CONFIG;
}

/* Flags and code that depend on the node alone. */
static void describe_component(nr_ctx *x, const nr_node *nd, wd_component *c)
{
	const wd_json_val *o = nd->obj, *v;
	wd_str t = nd->type;

	if (nd->disabled)
		c->flags |= WD_COMP_DISABLED;
	if (nd->role == ROLE_CONFIG)
		set_config_kind(x, c);
	if (wd_str_eq_c(t, "junction"))
		c->kind = WD_KIND_LOGIC;
	else if (wd_str_starts_with(t, "subflow:"))
		c->kind = WD_KIND_SUBFLOW;

	if (wd_str_eq_c(t, "function")) {
		v = wd_json_get(x->jd, o, "func");
		if (wd_json_is_str(v)) {
			c->code = wd_json_str(x->jd, v);
			c->code_loc = loc_of(x, v);
		}
	} else if (wd_str_eq_c(t, "exec")) {
		v = wd_json_get(x->jd, o, "command");
		if (wd_json_is_str(v)) {
			c->code = wd_json_str(x->jd, v);
			c->code_loc = loc_of(x, v);
			if (has_expr(c->code) || wd_str_find(c->code, "msg.") >= 0)
				c->flags |= WD_COMP_SHELL_DYNAMIC;
		}
		v = wd_json_get(x->jd, o, "addpay");
		if (wd_json_is_true(v) ||
		    (wd_json_is_str(v) && v->len && !is_falsy(x, v))) {
			c->flags |= WD_COMP_SHELL_DYNAMIC | WD_COMP_INPUT_USED;
		}
	} else if (wd_str_eq_c(t, "file") || wd_str_eq_c(t, "file in")) {
		wd_str ft = get_str(x, o, "filenameType");
		v = wd_json_get(x->jd, o, "filename");
		if (wd_str_eq_c(ft, "msg") || wd_str_eq_c(ft, "flow") ||
		    wd_str_eq_c(ft, "global") || wd_str_eq_c(ft, "jsonata"))
			c->flags |= WD_COMP_FS_DYNAMIC;
		else if (!ft.len && (!v || (wd_json_is_str(v) && !v->len)))
			c->flags |= WD_COMP_FS_DYNAMIC; /* before filenameType: msg.filename */
		else if (wd_json_is_str(v) && has_expr(wd_json_str(x->jd, v)) &&
		         !env_whole(wd_json_str(x->jd, v)).ptr)
			c->flags |= WD_COMP_FS_DYNAMIC;
		if (wd_str_eq_c(ft, "msg") || (!ft.len && (!v || (wd_json_is_str(v) && !v->len))))
			c->flags |= WD_COMP_INPUT_USED;
	} else if (wd_str_eq_c(t, "http in")) {
		c->flags |= WD_COMP_PUBLIC;
		c->auth = WD_AUTH_EXTERNAL;
		c->auth_loc = c->loc;
	} else if (wd_str_eq_c(t, "websocket-listener")) {
		c->flags |= WD_COMP_PUBLIC;
		c->auth = WD_AUTH_EXTERNAL;
		c->auth_loc = c->loc;
	} else if (wd_str_eq_c(t, "tcp in")) {
		if (wd_str_eq_c(get_str(x, o, "server"), "server")) {
			c->flags |= WD_COMP_PUBLIC;
			c->auth = WD_AUTH_NONE;
			c->auth_loc = c->loc;
		}
	} else if (wd_str_eq_c(t, "tcp out")) {
		if (wd_str_eq_c(get_str(x, o, "beserver"), "server")) {
			c->flags |= WD_COMP_PUBLIC;
			c->auth = WD_AUTH_NONE;
			c->auth_loc = c->loc;
		}
	} else if (wd_str_eq_c(t, "udp in")) {
		c->flags |= WD_COMP_PUBLIC;
		c->auth = WD_AUTH_NONE;
		c->auth_loc = c->loc;
	} else if (wd_str_eq_c(t, "catch")) {
		c->flags |= WD_COMP_ERROR_HANDLER;
	} else if (wd_str_eq_c(t, "tls-config")) {
		if (is_falsy(x, wd_json_get(x->jd, o, "verifyservercert")))
			c->flags |= WD_COMP_TLS_NOVERIFY;
	} else if (wd_str_eq_c(t, "mqtt-broker")) {
		if (is_truthy(x, wd_json_get(x->jd, o, "usetls")) &&
		    is_falsy(x, wd_json_get(x->jd, o, "verifyservercert")))
			c->flags |= WD_COMP_TLS_NOVERIFY;
	}
	/* Third-party nodes spell "don't check certificates" this way. */
	if (is_falsy(x, wd_json_get(x->jd, o, "rejectUnauthorized")) ||
	    is_falsy(x, wd_json_get(x->jd, o, "rejectUnauthorizedCerts")))
		c->flags |= WD_COMP_TLS_NOVERIFY;
}

static wd_status add_node_component(nr_ctx *x, nr_node *nd, uint32_t app)
{
	wd_component c;
	wd_status st;

	wd_component_init(x->m, &c);
	c.app = app;
	c.id = nd->id;
	c.name = get_str(x, nd->obj, "name");
	if (!c.name.len)
		c.name = nd->type;
	c.type = nd->type;
	c.loc = loc_of(x, nd->obj);
	c.params = c.loc;
	describe_component(x, nd, &c);
	st = wd_model_add_component(x->m, &c, &nd->comp);
	if (st)
		return wd_error_set(x->err, st, "node-red: %s: node %.*s: %s", doc_path(x),
		                    (int)(nd->id.len > 64 ? 64 : nd->id.len),
		                    nd->id.ptr ? nd->id.ptr : "", wd_status_str(st));
	return WD_OK;
}

/*
 * Canonical source text of a node for the app hash: every value of its
 * subtree in document order as type byte, length and content, so the hash
 * ignores whitespace and escaping but sees every key, value and order.
 */
static void hash_text(nr_ctx *x, const wd_json_val *obj)
{
	const wd_json_val *v, *end = wd_json_skip(obj);

	for (v = obj; v < end; v++) {
		wd_str s = wd_json_is_str(v) ? wd_json_str(x->jd, v) : wd_json_num_text(x->jd, v);
		uint32_t n = wd_json_is_container(v) ? v->len : (uint32_t)s.len;
		char len[4];

		/* length little-endian, so the hash is the same on every host */
		len[0] = (char)(n & 0xff);
		len[1] = (char)((n >> 8) & 0xff);
		len[2] = (char)((n >> 16) & 0xff);
		len[3] = (char)((n >> 24) & 0xff);
		wd_buf_putc(&x->tmp, (char)('0' + wd_json_typeof(v)));
		wd_buf_put(&x->tmp, len, sizeof(len));
		wd_buf_put_str(&x->tmp, s);
	}
}

static void app_hash(nr_ctx *x, uint32_t app, const nr_group *g, const uint32_t *order)
{
	uint8_t digest[32];
	uint32_t k;

	wd_buf_release(&x->tmp);
	wd_buf_init(&x->tmp, MAX_HASH_TEXT);
	if (g->node != WD_NONE)
		hash_text(x, x->nodes[g->node].obj);
	for (k = 0; k < g->count; k++)
		hash_text(x, x->nodes[order[g->first + k]].obj);
	if (!wd_buf_failed(&x->tmp)) {
		wd_sha256(x->tmp.data ? x->tmp.data : "", x->tmp.len, digest);
		wd_hex(digest, sizeof(digest), x->m->apps[app].hash);
	}
	wd_buf_release(&x->tmp);
	wd_buf_init(&x->tmp, 1u << 20);
}

static wd_status build_apps(nr_ctx *x)
{
	uint32_t *order = NULL;
	size_t i, off = 0;
	wd_str stem = file_stem(x->m->docs[x->doc].path);
	wd_status st = WD_OK;

	order = malloc((x->nnodes + 1) * sizeof(*order));
	if (!order)
		return wd_error_set(x->err, WD_ENOMEM, "out of memory");
	for (i = 0; i < x->ngroups; i++) {
		x->groups[i].first = (uint32_t)off;
		off += x->groups[i].count;
		x->groups[i].count = 0;
	}
	for (i = 0; i < x->nnodes; i++) {
		nr_group *g;

		if (x->nodes[i].group == WD_NONE ||
		    (x->nodes[i].role != ROLE_FLOW && x->nodes[i].role != ROLE_CONFIG))
			continue;
		g = &x->groups[x->nodes[i].group];
		order[g->first + g->count++] = (uint32_t)i;
	}

	for (i = 0; i < x->ngroups; i++) {
		nr_group *g = &x->groups[i];
		wd_app a;
		uint32_t app, k;

		wd_app_init(&a, WD_PLATFORM_NODERED);
		if (g->node != WD_NONE) {
			const nr_node *t = &x->nodes[g->node];
			a.id = t->id;
			a.loc = loc_of(x, t->obj);
			if (t->role == ROLE_TAB) {
				a.name = get_str(x, t->obj, "label");
				a.active = wd_json_is_true(wd_json_get(x->jd, t->obj, "disabled")) ? 0 : 1;
			} else {
				wd_buf_reset(&x->tmp);
				wd_buf_puts(&x->tmp, "subflow: ");
				wd_buf_put_str(&x->tmp, get_str(x, t->obj, "name"));
				a.name = tmp_to_arena(x);
				if (!a.name.ptr) {
					st = wd_error_set(x->err, WD_ENOMEM, "out of memory");
					goto out;
				}
			}
		} else {
			a.id = g->z;
			a.loc = loc_of(x, wd_json_root(x->jd));
			if (g->seq <= 1) {
				a.name = stem;
			} else {
				wd_buf_reset(&x->tmp);
				wd_buf_put_str(&x->tmp, stem);
				wd_buf_printf(&x->tmp, " (%u)", g->seq);
				a.name = tmp_to_arena(x);
				if (!a.name.ptr) {
					st = wd_error_set(x->err, WD_ENOMEM, "out of memory");
					goto out;
				}
			}
		}
		if ((st = wd_model_add_app(x->m, &a, &app))) {
			wd_error_set(x->err, st, "node-red: %s: %s", doc_path(x),
			             wd_status_str(st));
			goto out;
		}
		for (k = 0; k < g->count; k++)
			if ((st = add_node_component(x, &x->nodes[order[g->first + k]], app)))
				goto out;
		app_hash(x, app, g, order);
	}
	for (i = 0; i < x->nnodes; i++)
		if (x->nodes[i].role == ROLE_CONFIG && x->nodes[i].group == WD_NONE &&
		    (st = add_node_component(x, &x->nodes[i], WD_NONE)))
			goto out;
out:
	free(order);
	return st;
}

/* ---- pass 3: edges, targets, references ------------------------------------------ */

static wd_status edge(nr_ctx *x, uint32_t from, uint32_t to, wd_edge_kind kind, uint32_t port,
                      wd_str label, const wd_json_val *at)
{
	wd_edge e;
	wd_status st;

	if (from == WD_NONE || to == WD_NONE)
		return WD_OK;
	memset(&e, 0, sizeof(e));
	e.from = from;
	e.to = to;
	e.kind = kind;
	e.port = port;
	e.label = label;
	e.loc = loc_of(x, at);
	if ((st = wd_model_add_edge(x->m, &e)))
		return wd_error_set(x->err, st, "node-red: %s: %s", doc_path(x),
		                    wd_status_str(st));
	return WD_OK;
}

static wd_status ref(nr_ctx *x, uint32_t comp, wd_ref_kind kind, wd_str path, const wd_json_val *at)
{
	wd_ref r;
	wd_status st;

	if (x->nrefs >= MAX_REFS_PER_NODE || !path.len)
		return WD_OK;
	x->nrefs++;
	memset(&r, 0, sizeof(r));
	r.comp = comp;
	r.src = WD_NONE;
	r.kind = kind;
	r.path = path;
	r.loc = loc_of(x, at);
	if ((st = wd_model_add_ref(x->m, &r)))
		return wd_error_set(x->err, st, "out of memory");
	return WD_OK;
}

/* wires: [[ids of port 0], [ids of port 1], ...]; a flat ["id"] means port 0. */
static wd_status wire_edges(nr_ctx *x, uint32_t from, const wd_json_val *wires)
{
	const wd_json_val *p, *t;
	size_t i, j;
	wd_status st;

	if (!wd_json_is_arr(wires))
		return WD_OK;
	WD_JSON_ARR_FOREACH(wires, i, p) {
		if (wd_json_is_str(p)) {
			if ((st = edge(x, from, comp_by_id(x, wd_json_str(x->jd, p)), WD_EDGE_FLOW, 0,
			               WD_STR_NULL, p)))
				return st;
			continue;
		}
		if (!wd_json_is_arr(p))
			continue;
		WD_JSON_ARR_FOREACH(p, j, t) {
			if (!wd_json_is_str(t))
				continue;
			if ((st = edge(x, from, comp_by_id(x, wd_json_str(x->jd, t)), WD_EDGE_FLOW,
			               (uint32_t)i, WD_STR_NULL, t)))
				return st;
		}
	}
	return WD_OK;
}

/* Edges for an array of ids (link out links, catch scope). */
static wd_status id_list_edges(nr_ctx *x, uint32_t comp, const wd_json_val *list,
                               wd_edge_kind kind, int reverse)
{
	const wd_json_val *t;
	size_t i;
	wd_status st;

	if (!wd_json_is_arr(list))
		return WD_OK;
	WD_JSON_ARR_FOREACH(list, i, t) {
		uint32_t other;

		if (!wd_json_is_str(t))
			continue;
		other = comp_by_id(x, wd_json_str(x->jd, t));
		if (other == comp)
			continue;
		st = reverse ? edge(x, other, comp, kind, 0, WD_STR_NULL, t)
		             : edge(x, comp, other, kind, 0, WD_STR_NULL, t);
		if (st)
			return st;
	}
	return WD_OK;
}

/*
 * A subflow instance: SUBFLOW edges into the nodes the subflow's inputs feed,
 * and FLOW edges from the nodes feeding the subflow's outputs to whatever the
 * instance's matching output port is wired to.
 */
static wd_status subflow_edges(nr_ctx *x, const nr_node *nd)
{
	wd_str sid = wd_str_make(nd->type.ptr + 8, nd->type.len - 8);
	uint32_t s = node_by_id(x, sid);
	const wd_json_val *ports, *port, *w, *wl = wd_json_get(x->jd, nd->obj, "wires");
	size_t i, j, k;
	wd_status st;

	if (s == WD_NONE || x->nodes[s].role != ROLE_SUBFLOW)
		return WD_OK;
	ports = wd_json_get(x->jd, x->nodes[s].obj, "in");
	if (wd_json_is_arr(ports)) {
		WD_JSON_ARR_FOREACH(ports, i, port) {
			const wd_json_val *ws = wd_json_get(x->jd, port, "wires");
			if (!wd_json_is_obj(port) || !wd_json_is_arr(ws))
				continue;
			WD_JSON_ARR_FOREACH(ws, j, w) {
				const wd_json_val *id = wd_json_is_obj(w) ? wd_json_get(x->jd, w, "id") : NULL;
				if (!wd_json_is_str(id))
					continue;
				if (++x->sub_edges > MAX_SUBFLOW_EDGES)
					return WD_OK;
				if ((st = edge(x, nd->comp, comp_by_id(x, wd_json_str(x->jd, id)),
				               WD_EDGE_SUBFLOW, 0, WD_STR_NULL, id)))
					return st;
			}
		}
	}
	ports = wd_json_get(x->jd, x->nodes[s].obj, "out");
	if (!wd_json_is_arr(ports) || !wd_json_is_arr(wl))
		return WD_OK;
	WD_JSON_ARR_FOREACH(ports, i, port) {
		const wd_json_val *ws = wd_json_get(x->jd, port, "wires");
		const wd_json_val *targets = wd_json_at(wl, i), *t;

		if (!wd_json_is_obj(port) || !wd_json_is_arr(ws) || !wd_json_is_arr(targets))
			continue;
		WD_JSON_ARR_FOREACH(ws, j, w) {
			const wd_json_val *id = wd_json_is_obj(w) ? wd_json_get(x->jd, w, "id") : NULL;
			int64_t pn = 0;
			uint32_t from;

			if (!wd_json_is_str(id))
				continue;
			from = comp_by_id(x, wd_json_str(x->jd, id));
			if (from == WD_NONE)
				continue;
			if (wd_json_int(x->jd, wd_json_get(x->jd, w, "port"), &pn) || pn < 0 ||
			    pn > 65535)
				pn = 0;
			WD_JSON_ARR_FOREACH(targets, k, t) {
				if (!wd_json_is_str(t))
					continue;
				if (++x->sub_edges > MAX_SUBFLOW_EDGES)
					return WD_OK;
				if ((st = edge(x, from, comp_by_id(x, wd_json_str(x->jd, t)), WD_EDGE_FLOW,
				               (uint32_t)pn, WD_STR_NULL, t)))
					return st;
			}
		}
	}
	return WD_OK;
}

/* A string member equal to the id of a config node: the node uses that config. */
static wd_status config_edges(nr_ctx *x, const nr_node *nd)
{
	const wd_json_val *k, *v;
	size_t i;
	wd_status st;

	WD_JSON_OBJ_FOREACH(nd->obj, i, k, v) {
		wd_str key = wd_json_str(x->jd, k), val;
		uint32_t n;

		if (!wd_json_is_str(v) || !v->len || wd_str_eq_c(key, "id") ||
		    wd_str_eq_c(key, "z") || wd_str_eq_c(key, "type") || wd_str_eq_c(key, "g"))
			continue;
		val = wd_json_str(x->jd, v);
		n = node_by_id(x, val);
		if (n == WD_NONE || x->nodes[n].role != ROLE_CONFIG || x->nodes[n].comp == nd->comp)
			continue;
		if ((st = edge(x, nd->comp, x->nodes[n].comp, WD_EDGE_CONFIG, 0, key, v)))
			return st;
	}
	return WD_OK;
}

/*
 * Typed inputs and ${ENV}: a member "<p>Type" (or "<p>t": vt, tot, pt, v2t)
 * with value "env" or "msg" names what member <p> holds; a whole-value
 * "${NAME}" string is substituted from the environment at deploy time.
 */
static wd_status scan_props(nr_ctx *x, uint32_t comp, const wd_json_val *obj, unsigned depth)
{
	const wd_json_val *k, *v;
	size_t i;
	wd_status st;

	if (depth > MAX_SCAN_DEPTH || x->nrefs >= MAX_REFS_PER_NODE)
		return WD_OK;
	if (wd_json_is_arr(obj)) {
		WD_JSON_ARR_FOREACH(obj, i, v) {
			if (wd_json_is_str(v)) {
				wd_str name = env_whole(wd_json_str(x->jd, v));
				if (name.ptr && (st = ref(x, comp, WD_REF_ENV, name, v)))
					return st;
			} else if (wd_json_is_container(v) && (st = scan_props(x, comp, v, depth + 1))) {
				return st;
			}
		}
		return WD_OK;
	}
	if (!wd_json_is_obj(obj))
		return WD_OK;
	WD_JSON_OBJ_FOREACH(obj, i, k, v) {
		wd_str key = wd_json_str(x->jd, k), sv;

		if (wd_json_is_container(v)) {
			if ((st = scan_props(x, comp, v, depth + 1)))
				return st;
			continue;
		}
		if (!wd_json_is_str(v))
			continue;
		sv = wd_json_str(x->jd, v);
		if (env_whole(sv).ptr) {
			if ((st = ref(x, comp, WD_REF_ENV, env_whole(sv), v)))
				return st;
			continue;
		}
		if ((wd_str_eq_c(sv, "env") || wd_str_eq_c(sv, "msg")) && key.len > 1) {
			size_t blen = wd_str_ends_with(key, "Type") ? key.len - 4
			              : key.ptr[key.len - 1] == 't' ? key.len - 1 : 0;
			const wd_json_val *base;
			wd_str path;

			/* change rules: p/pt is the property written, not read */
			if (!blen || wd_str_eq_c(key, "pt") || x->lookups >= MAX_TYPED_LOOKUPS)
				continue;
			x->lookups++;
			base = wd_json_get_n(x->jd, obj, key.ptr, blen);
			if (!wd_json_is_str(base))
				continue;
			path = wd_json_str(x->jd, base);
			if (wd_str_eq_c(sv, "env")) {
				if ((st = ref(x, comp, WD_REF_ENV, path, base)))
					return st;
			} else if (path.len) {
				x->m->comps[comp].flags |= WD_COMP_INPUT_USED;
				if ((st = ref(x, comp, WD_REF_INPUT, path, base)))
					return st;
			}
		}
	}
	return WD_OK;
}

/* msg.<path> in function code: INPUT refs, deduplicated per node. */
static wd_status code_refs(nr_ctx *x, uint32_t comp, wd_str code, const wd_json_val *at)
{
	wd_str seen[MAX_REFS_PER_NODE];
	size_t nseen = 0, i = 0, j;
	wd_status st;

	while (i + 4 < code.len && x->nrefs < MAX_REFS_PER_NODE) {
		const char *p = memchr(code.ptr + i, 'm', code.len - i - 4);
		size_t s, e;
		wd_str path;
		int dup = 0;

		if (!p)
			break;
		s = (size_t)(p - code.ptr);
		i = s + 1;
		if (memcmp(p, "msg.", 4) != 0 || (s > 0 && (is_ident(code.ptr[s - 1]) ||
		                                             code.ptr[s - 1] == '.')))
			continue;
		e = s + 4;
		while (e < code.len && (is_ident(code.ptr[e]) ||
		                        (code.ptr[e] == '.' && e + 1 < code.len &&
		                         is_ident(code.ptr[e + 1]))))
			e++;
		if (e == s + 4)
			continue;
		path = wd_str_make(code.ptr + s + 4, e - s - 4);
		/* msg.topic.split('/'): the method is not part of the path */
		if (e < code.len && code.ptr[e] == '(') {
			while (path.len && path.ptr[path.len - 1] != '.')
				path.len--;
			if (path.len)
				path.len--;
			if (!path.len)
				continue;
		}
		i = e;
		for (j = 0; j < nseen; j++)
			if (wd_str_eq(seen[j], path))
				dup = 1;
		if (dup)
			continue;
		seen[nseen++] = path;
		x->m->comps[comp].flags |= WD_COMP_INPUT_USED;
		if ((st = ref(x, comp, WD_REF_INPUT, path, at)))
			return st;
	}
	return WD_OK;
}

/* Whether the node refers (in member key) to a config node that exists. */
static int uses_config(const nr_ctx *x, const wd_json_val *o, const char *key)
{
	wd_str id = wd_json_get_str(x->jd, o, key);
	uint32_t n = node_by_id(x, id);

	return id.len && n != WD_NONE && x->nodes[n].role == ROLE_CONFIG;
}

/* Append a port (number or numeric string) to tmp as ":port". */
static void put_port(nr_ctx *x, const wd_json_val *v)
{
	wd_str s = wd_json_is_str(v) ? wd_json_str(x->jd, v) : wd_json_num_text(x->jd, v);
	size_t i;

	if (!s.len || s.len > 8)
		return;
	for (i = 0; i < s.len; i++)
		if (s.ptr[i] < '0' || s.ptr[i] > '9')
			return;
	wd_buf_putc(&x->tmp, ':');
	wd_buf_put_str(&x->tmp, s);
}

static wd_status target(nr_ctx *x, uint32_t comp, wd_str url, const wd_json_val *at,
                        uint32_t flags)
{
	wd_status st;

	if (has_expr(url))
		flags |= WD_TARGET_DYNAMIC;
	if ((st = wd_model_add_target(x->m, comp, url, loc_of(x, at), flags)))
		return wd_error_set(x->err, st, "out of memory");
	return WD_OK;
}

/*
 * A target from host and port members: "<scheme>://host:port" built in the
 * arena, or the host as written when it already has a scheme.
 */
static wd_status host_target(nr_ctx *x, uint32_t comp, const wd_json_val *o, const char *hostkey,
                             const char *portkey, const char *scheme, uint32_t flags)
{
	const wd_json_val *hv = wd_json_get(x->jd, o, hostkey);
	wd_str host = wd_json_str(x->jd, hv), url;

	if (!host.len)
		return WD_OK;
	if (wd_str_find(host, "://") >= 0 || env_whole(host).ptr)
		return target(x, comp, host, hv, flags);
	wd_buf_reset(&x->tmp);
	wd_buf_puts(&x->tmp, scheme);
	wd_buf_puts(&x->tmp, "://");
	wd_buf_put_str(&x->tmp, host);
	if (portkey)
		put_port(x, wd_json_get(x->jd, o, portkey));
	url = tmp_to_arena(x);
	if (!url.ptr)
		return wd_error_set(x->err, WD_ENOMEM, "out of memory");
	return target(x, comp, url, hv, flags);
}

static int is_db_type(wd_str t)
{
	static const char *const words[] = {"database", "sql", "mongo", "redis", "influx",
	                                    "postgres", "mariadb", "oracle", "elastic", "db"};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (wd_str_find_ci(t, words[i]) >= 0)
			return 1;
	return 0;
}

static wd_status targets(nr_ctx *x, const nr_node *nd)
{
	const wd_json_val *o = nd->obj, *v;
	wd_str t = nd->type;
	uint32_t c = nd->comp, tls = uses_config(x, o, "tls") ? WD_TARGET_TLS : 0;

	if (wd_str_eq_c(t, "http request")) {
		v = wd_json_get(x->jd, o, "url");
		if (!wd_json_is_str(v) || !v->len)
			return target(x, c, wd_str_make("", 0), v ? v : o, WD_TARGET_DYNAMIC);
		/* a tls-config only matters for https: the scheme decides */
		return target(x, c, wd_json_str(x->jd, v), v, 0);
	}
	if (wd_str_eq_c(t, "mqtt-broker")) {
		int usetls = is_truthy(x, wd_json_get(x->jd, o, "usetls"));
		return host_target(x, c, o, "broker", "port", usetls ? "mqtts" : "mqtt",
		                   usetls || tls ? WD_TARGET_TLS : 0);
	}
	if (wd_str_eq_c(t, "websocket-client")) {
		v = wd_json_get(x->jd, o, "path");
		if (wd_json_is_str(v) && v->len)
			return target(x, c, wd_json_str(x->jd, v), v, 0);
		return WD_OK;
	}
	if (wd_str_eq_c(t, "tcp request"))
		return host_target(x, c, o, "server", "port", "tcp", tls);
	if ((wd_str_eq_c(t, "tcp out") && wd_str_eq_c(get_str(x, o, "beserver"), "client")) ||
	    (wd_str_eq_c(t, "tcp in") && wd_str_eq_c(get_str(x, o, "server"), "client")))
		return host_target(x, c, o, "host", "port", "tcp", tls);
	if (wd_str_eq_c(t, "udp out"))
		return host_target(x, c, o, "addr", "port", "udp", 0);
	if (wd_str_eq_c(t, "e-mail")) {
		int secure = is_truthy(x, wd_json_get(x->jd, o, "secure"));
		return host_target(x, c, o, "server", "port", secure ? "smtps" : "smtp",
		                   secure ? WD_TARGET_TLS : 0);
	}
	if (wd_str_eq_c(t, "e-mail in")) {
		int ssl = is_truthy(x, wd_json_get(x->jd, o, "useSSL"));
		int pop = wd_str_eq_c(get_str(x, o, "protocol"), "POP3");
		return host_target(x, c, o, "server", "port",
		                   pop ? (ssl ? "pop3s" : "pop3") : (ssl ? "imaps" : "imap"),
		                   ssl ? WD_TARGET_TLS : 0);
	}
	if (nd->role == ROLE_CONFIG && is_db_type(t)) {
		int ssl = is_truthy(x, wd_json_get(x->jd, o, "usetls")) ||
		          is_truthy(x, wd_json_get(x->jd, o, "ssl")) ||
		          is_truthy(x, wd_json_get(x->jd, o, "tls"));
		uint32_t f = ssl || tls ? WD_TARGET_TLS : 0;
		wd_str proto = get_str(x, o, "protocol"), dialect = get_str(x, o, "dialect");
		char scheme[16] = "tcp";
		size_t i;

		v = wd_json_get(x->jd, o, "url");
		if (wd_json_is_str(v) && wd_str_find(wd_json_str(x->jd, v), "://") >= 0)
			return target(x, c, wd_json_str(x->jd, v), v, f);
		if (!proto.len)
			proto = dialect;
		if (proto.len && proto.len < sizeof(scheme)) {
			for (i = 0; i < proto.len; i++) {
				char ch = proto.ptr[i];
				if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
				      (ch >= '0' && ch <= '9') || ch == '+' || ch == '-' || ch == '.'))
					break;
				scheme[i] = (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
			}
			if (i == proto.len)
				scheme[i] = '\0';
			else
				memcpy(scheme, "tcp", 4);
		}
		if (get_str(x, o, "host").len)
			return host_target(x, c, o, "host", "port", scheme, f);
		return host_target(x, c, o, "hostname", "port", scheme, f);
	}
	return WD_OK;
}

/* websocket in/out bound to a websocket-listener: a public endpoint. */
static void websocket_server(nr_ctx *x, const nr_node *nd)
{
	const wd_json_val *sv = wd_json_get(x->jd, nd->obj, "server");
	uint32_t n;

	if (!wd_json_is_str(sv) || !sv->len)
		return;
	n = node_by_id(x, wd_json_str(x->jd, sv));
	if (n == WD_NONE || !wd_str_eq_c(x->nodes[n].type, "websocket-listener"))
		return;
	x->m->comps[nd->comp].flags |= WD_COMP_PUBLIC;
	x->m->comps[nd->comp].auth = WD_AUTH_EXTERNAL;
	x->m->comps[nd->comp].auth_loc = loc_of(x, x->nodes[n].obj);
}

/* env: [{name, value, type}] on tabs, subflows, groups and subflow instances. */
static wd_status env_array(nr_ctx *x, const nr_node *nd)
{
	const wd_json_val *env = wd_json_get(x->jd, nd->obj, "env"), *e;
	size_t i;
	wd_status st;

	if (!wd_json_is_arr(env))
		return WD_OK;
	WD_JSON_ARR_FOREACH(env, i, e) {
		wd_str name = get_str(x, e, "name");
		const wd_json_val *val;
		wd_field f;

		if (!wd_json_is_obj(e) || !name.len)
			continue;
		memset(&f, 0, sizeof(f));
		f.name = name;
		f.comp = nd->comp;
		f.cls = WD_CLASS_NONE;
		f.loc = loc_of(x, e);
		if ((st = wd_model_add_field(x->m, &f)))
			return wd_error_set(x->err, st, "out of memory");
		val = wd_json_get(x->jd, e, "value");
		if (wd_str_eq_c(get_str(x, e, "type"), "cred") && wd_json_is_str(val) && val->len &&
		    !env_whole(wd_json_str(x->jd, val)).ptr) {
			wd_credential cr;
			uint32_t ci;

			memset(&cr, 0, sizeof(cr));
			cr.id = name;
			cr.name = name;
			cr.type = nd->type;
			cr.storage = WD_CRED_HARDCODED;
			cr.comp = nd->comp;
			cr.loc = loc_of(x, val);
			if ((st = wd_model_add_credential(x->m, &cr, &ci)))
				return wd_error_set(x->err, st, "out of memory");
			if (nd->comp != WD_NONE && (st = wd_model_add_cred_use(x->m, nd->comp, ci)))
				return wd_error_set(x->err, st, "out of memory");
		}
	}
	return WD_OK;
}

static wd_status link_node(nr_ctx *x, const nr_node *nd)
{
	wd_status st;
	uint32_t c = nd->comp;
	wd_str t = nd->type;

	x->nrefs = 0;
	x->lookups = 0;
	if ((st = wire_edges(x, c, wd_json_get(x->jd, nd->obj, "wires"))))
		return st;
	if ((wd_str_eq_c(t, "link out") || wd_str_eq_c(t, "link call")) &&
	    (st = id_list_edges(x, c, wd_json_get(x->jd, nd->obj, "links"), WD_EDGE_LINK, 0)))
		return st;
	if (wd_str_eq_c(t, "catch") &&
	    (st = id_list_edges(x, c, wd_json_get(x->jd, nd->obj, "scope"), WD_EDGE_ERROR, 1)))
		return st;
	if (wd_str_starts_with(t, "subflow:") && (st = subflow_edges(x, nd)))
		return st;
	if (wd_str_eq_c(t, "websocket in") || wd_str_eq_c(t, "websocket out"))
		websocket_server(x, nd);
	if ((st = config_edges(x, nd)))
		return st;
	if ((st = targets(x, nd)))
		return st;
	if (x->m->comps[c].code.len && wd_str_eq_c(t, "function") &&
	    (st = code_refs(x, c, x->m->comps[c].code, wd_model_val(x->m, x->m->comps[c].code_loc))))
		return st;
	if ((st = scan_props(x, c, nd->obj, 0)))
		return st;
	return env_array(x, nd);
}

static wd_status link_all(nr_ctx *x)
{
	size_t i;
	wd_status st;

	for (i = 0; i < x->nnodes; i++) {
		nr_node *nd = &x->nodes[i];

		if (nd->comp != WD_NONE) {
			if ((st = link_node(x, nd)))
				return st;
		} else if (nd->role == ROLE_TAB || nd->role == ROLE_SUBFLOW || nd->role == ROLE_NOTE) {
			if ((st = env_array(x, nd)))
				return st;
		}
	}
	return WD_OK;
}

/* ---- companion flows_cred.json --------------------------------------------------- */

static wd_status add_file_cred(nr_ctx *x, uint32_t cdoc, wd_str id, wd_str name, wd_str type,
                               wd_cred_storage storage, uint32_t comp, const wd_json_val *at)
{
	wd_credential cr;
	uint32_t ci;
	wd_status st;

	memset(&cr, 0, sizeof(cr));
	cr.id = id;
	cr.name = name;
	cr.type = type;
	cr.storage = storage;
	cr.comp = comp;
	cr.loc = wd_model_loc(x->m, cdoc, at);
	if ((st = wd_model_add_credential(x->m, &cr, &ci)))
		return wd_error_set(x->err, st, "out of memory");
	if (comp != WD_NONE && (st = wd_model_add_cred_use(x->m, comp, ci)))
		return wd_error_set(x->err, st, "out of memory");
	return WD_OK;
}

static wd_status companion(nr_ctx *x)
{
	const char *path = x->m->docs[x->doc].path;
	const char *base;
	wd_str p;
	wd_json_doc *cj = NULL;
	const wd_json_val *root, *k, *v, *pk, *pv;
	uint32_t cdoc;
	size_t i, j;
	wd_status st;
	wd_error cerr;

	if (!path)
		return WD_OK;
	base = strrchr(path, '/');
	p = wd_str_c(base ? base + 1 : path);
	if (wd_str_ends_with(p, "_cred.json"))
		return WD_OK;
	if (wd_str_ends_with(p, ".json"))
		p.len -= 5;
	wd_buf_reset(&x->tmp);
	wd_buf_put_str(&x->tmp, p);
	wd_buf_puts(&x->tmp, "_cred.json");
	if (wd_buf_failed(&x->tmp))
		return WD_OK;
	/* Missing, unreadable or malformed: the flows still import. */
	st = wd_import_companion(x->m, x->opts, wd_buf_cstr(&x->tmp), &cdoc, &cerr);
	if (st == WD_ENOMEM)
		return wd_error_set(x->err, st, "out of memory");
	if (st != WD_OK)
		return WD_OK;
	cj = wd_model_json(x->m, cdoc);
	root = wd_json_root(cj);
	if (!wd_json_is_obj(root))
		return WD_OK;
	v = wd_json_get(cj, root, "$");
	if (v) {
		/* {"$": "<iv hex><base64>"}: AES-256-CTR, nothing to read without the key. */
		const char *cbase = strrchr(x->m->docs[cdoc].path, '/');
		cbase = cbase ? cbase + 1 : x->m->docs[cdoc].path;
		return add_file_cred(x, cdoc, wd_str_make("$", 1), wd_str_c(cbase),
		                     wd_str_c("node-red credentials"), WD_CRED_FILE_ENCRYPTED, WD_NONE, v);
	}
	WD_JSON_OBJ_FOREACH(root, i, k, v) {
		wd_str nid = wd_json_str(cj, k);
		uint32_t comp = comp_by_id(x, nid);
		wd_str type = comp != WD_NONE ? x->m->comps[comp].type : WD_STR_NULL;

		if (!wd_json_is_obj(v))
			continue;
		WD_JSON_OBJ_FOREACH(v, j, pk, pv) {
			if (wd_json_typeof(pv) == WD_JSON_NULL || (wd_json_is_str(pv) && !pv->len))
				continue;
			if ((st = add_file_cred(x, cdoc, nid, wd_json_str(cj, pk), type,
			                        WD_CRED_FILE_PLAINTEXT, comp, pv)))
				return st;
		}
	}
	return WD_OK;
}

/* ---- entry point ------------------------------------------------------------------ */

/* The node array: the root, or its "flows" member (admin API v2). */
static wd_status find_flows(nr_ctx *x, const wd_json_val **flows)
{
	const wd_json_val *root = wd_json_root(x->jd);
	wd_status st;

	*flows = root;
	if (wd_json_is_arr(root))
		return WD_OK;
	if (wd_json_is_obj(root)) {
		*flows = wd_json_get(x->jd, root, "flows");
		if (wd_json_is_arr(*flows))
			return WD_OK;
		st = wd_error_set(x->err, WD_EFORMAT,
		                  "%s: not a Node-RED flow export: an object without a \"flows\" array",
		                  doc_path(x));
	} else {
		st = wd_error_set(x->err, WD_EFORMAT,
		                  "%s: not a Node-RED flow export: the root is neither an array of "
		                  "nodes nor {\"flows\": [...]}", doc_path(x));
	}
	wd_json_error_at(x->jd, root, x->err);
	return st;
}

wd_status wd_import_nodered(wd_model *m, uint32_t doc, const wd_import_opts *opts, wd_error *err)
{
	wd_import_opts dflt;
	nr_ctx x;
	const wd_json_val *flows;
	wd_status st;

	if (!m || !wd_model_json(m, doc))
		return wd_error_set(err, WD_EINVAL, "node-red: no document");
	if (!opts) {
		memset(&dflt, 0, sizeof(dflt));
		opts = &dflt;
	}
	memset(&x, 0, sizeof(x));
	x.m = m;
	x.doc = doc;
	x.jd = wd_model_json(m, doc);
	x.opts = opts;
	x.cat = opts->catalog ? opts->catalog : wd_catalog_default();
	x.err = err;
	wd_buf_init(&x.tmp, 1u << 20);

	if ((st = find_flows(&x, &flows)))
		goto out;
	m->platform = WD_PLATFORM_NODERED;
	if ((st = classify(&x, flows)))
		goto out;
	{
		size_t i;
		for (i = 0; i < x.nnodes; i++)
			if (x.nodes[i].role == ROLE_NOTE)
				m->notes++;
	}
	if ((st = build_apps(&x)))
		goto out;
	if ((st = link_all(&x)))
		goto out;
	if (opts->load_companions && (st = companion(&x)))
		goto out;
	st = WD_OK;
out:
	wd_buf_release(&x.tmp);
	wd_hmap_release(&x.ids);
	wd_hmap_release(&x.zs);
	free(x.nodes);
	free(x.groups);
	return st;
}
