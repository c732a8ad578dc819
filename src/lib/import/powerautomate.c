/*
 * import/powerautomate.c - the Power Automate / Azure Logic Apps importer.
 *
 * Power Automate cloud flows and Logic Apps share one workflow definition
 * language: {"$schema", "parameters", "triggers": {name: trigger}, "actions":
 * {name: action}}. An action runs after the actions its `runAfter` names, once
 * they end in the statuses listed; containers (If, Switch, Foreach, Until,
 * Scope) hold further actions in `actions`, `else.actions`, `cases.*.actions`
 * and `default.actions`. Exports wrap the definition in five shapes:
 *   1. ARM templates: every Microsoft.Logic/workflows resource (also child
 *      resources and nested deployments) is a workflow; Microsoft.Web/
 *      connections resources are connections, whose parameterValues can hold
 *      API keys. Template expressions ("[parameters('x')]", variables(),
 *      concat(), resourceId()) are resolved from the template's own defaults
 *      where possible, and otherwise kept as written and treated as dynamic;
 *   2. solution exports (Workflows/<name>-<guid>.json): properties.definition
 *      and properties.connectionReferences (runtimeSource embedded / invoker);
 *   3. legacy packages (Microsoft.Flow/flows/<id>/definition.json) with the
 *      companions apisMap.json and connectionsMap.json beside it, the flows
 *      manifest one folder up and the package manifest at the package root;
 *   4. Logic Apps Standard workflow.json ({definition, kind}) with
 *      connections.json and parameters.json beside it or one folder up;
 *   5. bare definitions.
 *
 * Mapping: one app per workflow; one component per trigger and per action,
 * nested ones included (an app's components are contiguous and in document
 * order, a container before its children). Connections with parameters
 * (ARM connection resources, connections.json entries with parameterValues)
 * become configuration components of no app, after all apps. runAfter gives
 * flow edges (error edges when only failure statuses are awaited); a
 * container flows into its first actions and the triggers into the top-level
 * first actions. Expressions (@body('X'), @{triggerBody()?['a']},
 * variables(), parameters(), appsetting()) become references and expression
 * edges. Every connection reference is a credential kept in the platform's
 * vault, used by the actions that name it.
 *
 * Exports are untrusted: every member may have the wrong type and is then
 * skipped. Only a document without any usable workflow fails (WD_EFORMAT),
 * and containers nested deeper than limits.max_nesting fail with WD_ELIMIT
 * and the JSON pointer. Names resolve through hash tables, ARM evaluation
 * has depth and step budgets, and every per-component list (references,
 * trigger fan-out, variable writers) is capped, so no input makes the import
 * quadratic or unbounded.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "import/path.h"
#include "import/common.h"

#define COUNT(a) (sizeof(a) / sizeof(*(a)))

/* References recorded per component (expressions beyond are not stored). */
#define MAX_REFS_PER_COMP 128
/* Triggers wired to each top-level first action and to each input reference. */
#define MAX_TRIGGERS 16
/* Writers of one variable that a reader gets expression edges from. */
#define MAX_VAR_EDGES 32
/* Data fields taken from one Request trigger's schema, and its depth. */
#define MAX_SCHEMA_FIELDS 256
#define MAX_SCHEMA_DEPTH 16
/* Connection references of one workflow. */
#define MAX_CONNS 1024
/* Objects searched member by member (companion maps, ARM parameters). */
#define MAX_LOOKUP_MEMBERS 4096
/* Depth of the walk over a component's inputs for expressions. */
#define WALK_MAX_DEPTH 1024
/* ARM evaluation: parameter / variable hops, call nesting, calls per string,
 * text of one value, arguments of one call, accessors after one call. */
#define ARM_MAX_HOPS 8
#define ARM_MAX_NEST 32
#define ARM_MAX_STEPS 4096
/* ARM evaluation work for a whole document (calls plus members searched);
 * past it, every further expression is left unresolved. */
#define ARM_BUDGET ((uint64_t)1 << 24)
#define ARM_MAX_TEXT 8192
#define ARM_MAX_ARGS 16
#define ARM_MAX_ACC 4
/* Nesting of ARM resources (child resources, nested deployments). */
#define ARM_MAX_RES_DEPTH 16
/* Expression scanner: field path and name sizes. */
#define NAME_MAX_LEN 256
/* An operation written as "<method> <path>" (ApiConnection without an id). */
#define OP_MAX_LEN 128

/* ---- text helpers ------------------------------------------------------------------ */

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static int eq_ci(wd_str a, const char *b)
{
	size_t n = strlen(b), i;

	if (a.len != n)
		return 0;
	for (i = 0; i < n; i++)
		if (lower(a.ptr[i]) != lower(b[i]))
			return 0;
	return 1;
}

static int str_eq_ci(wd_str a, wd_str b)
{
	size_t i;

	if (a.len != b.len)
		return 0;
	for (i = 0; i < a.len; i++)
		if (lower(a.ptr[i]) != lower(b.ptr[i]))
			return 0;
	return 1;
}

/*
 * Hash table keys go through a full 64-bit mixer (splitmix64's finaliser):
 * the tables probe linearly from the low bits, and FNV or a product alone
 * leave those bits equal for keys that differ only high up (compound keys).
 * Every table holds each key once, so no input builds long probe chains.
 */
static uint64_t mix64(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t hash_ci(wd_str s, uint64_t seed)
{
	uint64_t h = 1469598103934665603ULL ^ seed;
	size_t i;

	for (i = 0; i < s.len; i++) {
		h ^= (unsigned char)lower(s.ptr[i]);
		h *= 1099511628211ULL;
	}
	return mix64(h);
}

/*
 * Action names compare ASCII case-insensitively with '_' and ' ' the same:
 * the designer shows "Get item" for the key "Get_item", and expressions
 * written by hand use either.
 */
static char name_char(char c)
{
	c = lower(c);
	return c == ' ' ? '_' : c;
}

static uint64_t name_hash(wd_str s)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < s.len; i++) {
		h ^= (unsigned char)name_char(s.ptr[i]);
		h *= 1099511628211ULL;
	}
	return mix64(h);
}

static int name_eq(wd_str a, wd_str b)
{
	size_t i;

	if (a.len != b.len)
		return 0;
	for (i = 0; i < a.len; i++)
		if (name_char(a.ptr[i]) != name_char(b.ptr[i]))
			return 0;
	return 1;
}

static int is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int is_ident_char(unsigned char c)
{
	return is_alpha(c) || is_digit(c);
}

static int is_hex(unsigned char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static size_t ident_len(const char *s, size_t n, size_t i)
{
	size_t j = i;

	if (j >= n || !is_alpha((unsigned char)s[j]))
		return 0;
	while (j < n && is_ident_char((unsigned char)s[j]))
		j++;
	return j - i;
}

/* The text after the last '/' (trailing slashes ignored); empty if none. */
static wd_str last_seg(wd_str s)
{
	size_t end = s.len, start;

	if (!s.ptr)
		return WD_STR_NULL;
	while (end > 0 && s.ptr[end - 1] == '/')
		end--;
	start = end;
	while (start > 0 && s.ptr[start - 1] != '/')
		start--;
	return wd_str_make(s.ptr + start, end - start);
}

/* Basename of a path, and the name of the folder holding it (slices). */
static wd_str base_name(const char *path)
{
	const char *b = path ? strrchr(path, '/') : NULL;

	return wd_str_c(b ? b + 1 : (path ? path : ""));
}

static wd_str folder_name(const char *path)
{
	const char *b = path ? strrchr(path, '/') : NULL;
	const char *a;

	if (!b)
		return WD_STR_NULL;
	for (a = b; a > path && a[-1] != '/'; a--)
		;
	/* archive members: "pkg.zip!/x/workflow.json" has folder "x", never "pkg.zip!" */
	if (b - a >= 1 && b[-1] == '!')
		return WD_STR_NULL;
	return wd_str_make(a, (size_t)(b - a));
}

/*
 * Connector api names: "shared_sharepointonline_1" -> "sharepointonline":
 * lower-case, without the "shared_" prefix, a template placeholder suffix
 * ("_#workflowname#", Logic Apps templates) and a trailing "_<digits>" or
 * "-<digits>". Writes into buf (cap bytes); returns the slice.
 */
static wd_str normalise_api(wd_str api, char *buf, size_t cap)
{
	size_t i, n = 0, end;

	if (api.len > 7 && eq_ci(wd_str_make(api.ptr, 7), "shared_")) {
		api.ptr += 7;
		api.len -= 7;
	}
	end = api.len;
	if (end > 2 && api.ptr[end - 1] == '#') {
		for (i = end - 1; i > 0 && api.ptr[i - 1] != '#'; i--)
			;
		if (i > 2 && (api.ptr[i - 2] == '_' || api.ptr[i - 2] == '-'))
			end = i - 2;
	}
	i = end;
	while (i > 0 && is_digit((unsigned char)api.ptr[i - 1]))
		i--;
	if (i < end && i > 1 && (api.ptr[i - 1] == '_' || api.ptr[i - 1] == '-'))
		end = i - 1;
	for (i = 0; i < end && n + 1 < cap; i++)
		buf[n++] = lower(api.ptr[i]);
	buf[n] = '\0';
	return wd_str_make(buf, n);
}

/*
 * A custom connector: its api name ends in "-<hex id>" (the environment's
 * copy of the connector), as in "shared_graphapi-5f04d5eb22c34423fb-5f448e0b83a75acf03".
 */
static int looks_custom(wd_str api)
{
	size_t end = api.len, i, digits = 0;

	while (end > 0 && is_digit((unsigned char)api.ptr[end - 1]))
		end--;
	if (end < api.len && end > 0 && api.ptr[end - 1] == '_')
		end--;
	else
		end = api.len;
	i = end;
	while (i > 0 && is_hex((unsigned char)api.ptr[i - 1])) {
		digits += is_digit((unsigned char)api.ptr[i - 1]);
		i--;
	}
	return i > 0 && api.ptr[i - 1] == '-' && end - i >= 8 && digits > 0;
}

/* ---- expression scanner ------------------------------------------------------------- */

/* What an expression reads. */
enum ex_kind {
	EX_TRIGGER = 0,   /* triggerBody(), triggerOutputs(), trigger(), form data */
	EX_NODE,          /* body('X'), outputs('X'), actions('X'), items('X'), result('X') */
	EX_VAR,           /* variables('x'): path = name + accessors */
	EX_PARAM,         /* parameters('x'): path = x */
	EX_ENV,           /* appsetting('x') (Logic Apps Standard): path = x */
	EX_OTHER          /* workflow(): path = "workflow" + accessors */
};

typedef void (*ex_fn)(void *ctx, enum ex_kind kind, wd_str name, wd_str path);


/*
 * A single-quoted literal at s[*i] ('' stands for one quote): its raw
 * content in *out and *i past the closing quote. 0 if not closed before n.
 */
static int read_lit(const char *s, size_t n, size_t *i, wd_str *out)
{
	size_t k;

	if (*i >= n || s[*i] != '\'')
		return 0;
	for (k = *i + 1; k < n; k++) {
		if (s[k] != '\'')
			continue;
		if (k + 1 < n && s[k + 1] == '\'') {
			k++;
			continue;
		}
		*out = wd_str_make(s + *i + 1, k - *i - 1);
		*i = k + 1;
		return 1;
	}
	return 0;
}

/* Undo '' in a literal into scratch (cap bytes); the raw slice if it fits not. */
static wd_str unquote(wd_str raw, char *scratch, size_t cap)
{
	size_t i, o = 0;

	if (!memchr(raw.ptr, '\'', raw.len) || raw.len >= cap)
		return raw;
	for (i = 0; i < raw.len; i++) {
		scratch[o++] = raw.ptr[i];
		if (raw.ptr[i] == '\'' && i + 1 < raw.len && raw.ptr[i + 1] == '\'')
			i++;
	}
	return wd_str_make(scratch, o);
}

/* Field accessors after a value: ?['a'], ['a'], [0], .a, ?.a. */
static size_t parse_path(const char *s, size_t n, size_t j, path_buf *pb)
{
	char scratch[NAME_MAX_LEN];
	unsigned steps;

	for (steps = 0; steps < 4 * PATH_MAX_SEGS; steps++) {
		size_t k = j, l;
		wd_str q;

		if (k < n && s[k] == '?')
			k++;
		if (k >= n)
			break;
		if (s[k] == '.') {
			l = ident_len(s, n, k + 1);
			if (l == 0)
				break;
			if (skip_ws(s, n, k + 1 + l) < n && s[skip_ws(s, n, k + 1 + l)] == '(')
				break; /* a method-like call, not a field */
			path_add(pb, s + k + 1, l);
			j = k + 1 + l;
			continue;
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
		if (!read_lit(s, n, &k, &q))
			break;
		k = skip_ws(s, n, k);
		if (k >= n || s[k] != ']')
			break;
		q = unquote(q, scratch, sizeof(scratch));
		path_add(pb, q.ptr, q.len);
		j = k + 1;
	}
	return j;
}

static const struct {
	const char *name;
	enum ex_kind kind;
	int named;       /* takes the quoted name of an action / variable / key */
} ex_funcs[] = {
	{"triggerBody", EX_TRIGGER, 0},
	{"triggerOutputs", EX_TRIGGER, 0},
	{"trigger", EX_TRIGGER, 0},
	{"triggerMultipartBody", EX_TRIGGER, 0},
	{"triggerFormDataValue", EX_TRIGGER, 1},
	{"triggerFormDataMultiValues", EX_TRIGGER, 1},
	{"body", EX_NODE, 1},
	{"outputs", EX_NODE, 1},
	{"actions", EX_NODE, 1},
	{"actionBody", EX_NODE, 1},
	{"actionOutputs", EX_NODE, 1},
	{"items", EX_NODE, 1},
	{"result", EX_NODE, 1},
	{"variables", EX_VAR, 1},
	{"parameters", EX_PARAM, 1},
	{"appsetting", EX_ENV, 1},
	{"workflow", EX_OTHER, 0},
};

static int ex_func(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < COUNT(ex_funcs); i++)
		if (eq_ci(wd_str_make(s, len), ex_funcs[i].name))
			return (int)i;
	return -1;
}

/* Simple arguments: (), (0), ( 1 ). The index past ')' or 0. */
static size_t skip_simple_args(const char *s, size_t n, size_t j)
{
	size_t k;

	for (k = j + 1; k < n && k - j <= 32; k++) {
		if (s[k] == ')')
			return k + 1;
		if (!(is_digit((unsigned char)s[k]) || s[k] == ' ' || s[k] == ','))
			return 0;
	}
	return 0;
}

/*
 * One known call at s[j] == '(' of function f: report it and return where
 * scanning continues (past its accessors), or j + 1 to look inside its
 * arguments (body(variables('x')) names no action itself).
 */
static size_t ex_call(const char *s, size_t n, size_t j, int f, ex_fn fn, void *ctx,
                      size_t *count)
{
	char scratch[NAME_MAX_LEN];
	path_buf pb;
	wd_str name = WD_STR_NULL;
	size_t k, next;

	pb.len = 0;
	pb.segs = 0;
	pb.full = 0;
	pb.b[0] = '\0';
	if (ex_funcs[f].named) {
		k = skip_ws(s, n, j + 1);
		if (!read_lit(s, n, &k, &name))
			return j + 1;
		k = skip_ws(s, n, k);
		if (k >= n || s[k] != ')') {
			if (ex_funcs[f].kind != EX_TRIGGER)
				return j + 1;
			/* triggerFormDataValue('key', ...): the key is the field read */
			name = unquote(name, scratch, sizeof(scratch));
			path_add(&pb, name.ptr, name.len);
			(*count)++;
			if (fn)
				fn(ctx, EX_TRIGGER, name, wd_str_make(pb.b, pb.len));
			return k;
		}
		name = unquote(name, scratch, sizeof(scratch));
		k++;
	} else {
		k = skip_simple_args(s, n, j);
		if (k == 0)
			return j + 1;
	}
	switch (ex_funcs[f].kind) {
	case EX_TRIGGER:
		if (name.len)
			path_add(&pb, name.ptr, name.len);
		break;
	case EX_VAR:
	case EX_PARAM:
	case EX_ENV:
		path_add(&pb, name.ptr, name.len);
		break;
	case EX_OTHER:
		path_add(&pb, "workflow", 8);
		break;
	default:
		break;
	}
	next = parse_path(s, n, k, &pb);
	if (ex_funcs[f].kind == EX_PARAM && name.len && name.ptr[0] == '$')
		return next; /* $connections, $authentication: plumbing, not data */
	(*count)++;
	if (fn)
		fn(ctx, ex_funcs[f].kind, name, wd_str_make(pb.b, pb.len));
	return next;
}

/* Scan one expression region [a, b): calls outside string literals. */
static void scan_region(const char *s, size_t a, size_t b, ex_fn fn, void *ctx, size_t *count)
{
	size_t i = a;

	while (i < b) {
		unsigned char c = (unsigned char)s[i];
		size_t l, j;
		int f;

		if (c == '\'') {
			wd_str lit;
			size_t k = i;
			if (!read_lit(s, b, &k, &lit))
				return; /* an unterminated literal runs to the end */
			i = k;
			continue;
		}
		if (!is_alpha(c) || (i > a && (is_ident_char((unsigned char)s[i - 1]) || s[i - 1] == '.'))) {
			i++;
			continue;
		}
		l = ident_len(s, b, i);
		j = skip_ws(s, b, i + l);
		if (j >= b || s[j] != '(') {
			i += l;
			continue;
		}
		f = ex_func(s + i, l);
		if (f < 0) {
			i = j + 1;
			continue;
		}
		i = ex_call(s, b, j, f, fn, ctx, count);
	}
}

/* End of an "@{" interpolation starting at i: the index of its '}' or n. */
static size_t region_end(const char *s, size_t n, size_t i)
{
	while (i < n) {
		if (s[i] == '\'') {
			wd_str lit;
			size_t k = i;
			if (!read_lit(s, n, &k, &lit))
				return n;
			i = k;
			continue;
		}
		if (s[i] == '}')
			return i;
		i++;
	}
	return n;
}

/*
 * Scan a workflow-definition string for data references and call fn (may be
 * NULL to count) for each: a string starting with "@" (not "@@") is one
 * expression; otherwise each "@{...}" interpolation is. Robust to any bytes:
 * every read is bounded by text.len, work is linear in it. Returns the
 * number of references reported.
 */
static size_t scan_expr(wd_str text, ex_fn fn, void *ctx)
{
	const char *s = text.ptr;
	size_t n = text.len, i = 0, count = 0;

	if (!s || n < 2)
		return 0;
	if (s[0] == '@' && s[1] != '@' && s[1] != '{') {
		scan_region(s, 1, n, fn, ctx, &count);
		return count;
	}
	while (i + 1 < n) {
		if (s[i] == '@' && s[i + 1] == '@') {
			i += 2;
			continue;
		}
		if (s[i] == '@' && s[i + 1] == '{') {
			size_t end = region_end(s, n, i + 2);
			scan_region(s, i + 2, end, fn, ctx, &count);
			i = end + 1;
			continue;
		}
		i++;
	}
	return count;
}

static int is_expression(wd_str s)
{
	return (s.len > 1 && s.ptr[0] == '@') || wd_str_find(s, "@{") >= 0;
}

/* ---- importer state ---------------------------------------------------------------------- */

enum shape { SHAPE_ARM, SHAPE_SOLUTION, SHAPE_LEGACY, SHAPE_STANDARD, SHAPE_BARE };

/* Where ARM expressions look up parameters('x') and variables('y'). */
typedef struct arm_scope {
	const wd_json_val *params;   /* the template's "parameters" (defaultValue) */
	const wd_json_val *vars;     /* its "variables" */
} arm_scope;

/*
 * A connection with configuration of its own: an ARM Microsoft.Web/
 * connections resource or a connections.json entry with parameterValues.
 * Becomes a configuration component after all apps.
 */
typedef struct pa_cfg {
	uint32_t doc;
	const wd_json_val *obj;
	const wd_json_val *params;   /* parameterValues, or the object */
	wd_str name;                 /* resolved name, or as written */
	wd_str api;
	uint32_t cred;
	uint32_t comp;
	int tls_off;
} pa_cfg;

/* A connection reference of the current workflow, by key. */
typedef struct pa_conn {
	wd_str key;
	wd_str api;
	uint32_t cred;
	uint32_t cfg;                /* pa_cfg index or WD_NONE */
	int custom;
} pa_conn;

/* A trigger or action of the current workflow; nodes[i] is component first + i. */
typedef struct pa_node {
	const wd_json_val *obj;
	uint32_t parent;             /* container component, WD_NONE at the top */
	const char *branch;          /* "actions", "else", "case", "default" */
	uint32_t conn;               /* pa_conn index or WD_NONE */
	int trigger;
} pa_node;

/*
 * One write of a variable (InitializeVariable, SetVariable, ...). The table
 * indexes the first write of each name; later writes of the same name are
 * chained from it through next.
 */
typedef struct pa_var {
	wd_str name;
	uint32_t comp;
	uint32_t next;               /* next write of the same name, WD_NONE */
	uint32_t last;               /* first write only: the chain's last */
	uint32_t src;                /* first write only: declaring action, WD_NONE */
} pa_var;

typedef struct cfg_use {
	uint32_t comp;
	uint32_t cfg;
	wd_loc loc;
} cfg_use;

typedef struct pa_ctx {
	wd_model *m;
	uint32_t doc;
	wd_json_doc *jd;
	const wd_import_opts *opts;
	wd_error *err;
	uint32_t max_nesting;
	int arm;                     /* the document is an ARM template */
	arm_scope scope;
	uint64_t arm_budget;         /* ARM_BUDGET, spent by evaluation */
	enum shape shape;
	/* companions, WD_NONE when absent */
	uint32_t apis_doc, cmap_doc, manifest_doc, lacon_doc;
	/* connections with configuration, whole file */
	pa_cfg *cfgs;
	size_t ncfgs, cfgs_cap;
	wd_hmap cfg_names;
	cfg_use *uses;
	size_t nuses, uses_cap;
	/* the current workflow */
	uint32_t app, first;
	const wd_json_val *access;   /* resource accessControl */
	pa_node *nodes;
	size_t nnodes, nodes_cap;
	pa_conn *conns;
	size_t nconns, conns_cap;
	pa_var *vars;
	size_t nvars, vars_cap;
	uint32_t triggers[MAX_TRIGGERS];
	size_t ntriggers;
	wd_hmap names, var_names, conn_keys, refs;
	int error_handling;
	/* the expression being scanned */
	uint32_t comp;
	wd_loc loc;
	uint32_t nrefs;
	wd_status st;
	size_t found;
} pa_ctx;

static const char *doc_path(const pa_ctx *x)
{
	const char *p = x->m->docs[x->doc].path;

	return p ? p : "(workflow)";
}

static wd_loc loc_of(const pa_ctx *x, const wd_json_val *v)
{
	return v ? wd_model_loc(x->m, x->doc, v) : WD_LOC_NONE;
}

static const wd_json_val *get(const pa_ctx *x, const wd_json_val *obj, const char *key)
{
	return wd_json_get(x->jd, obj, key);
}

static wd_str get_str(const pa_ctx *x, const wd_json_val *obj, const char *key)
{
	return wd_json_get_str(x->jd, obj, key);
}

/* An error naming the file, the JSON pointer and position of v. */
static wd_status fail_at(pa_ctx *x, const wd_json_val *v, wd_status code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static wd_status fail_at(pa_ctx *x, const wd_json_val *v, wd_status code, const char *fmt, ...)
{
	wd_buf msg;
	va_list ap;

	if (!x->err)
		return code;
	wd_buf_init(&msg, WD_ERROR_MSG_MAX);
	va_start(ap, fmt);
	wd_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	wd_error_set(x->err, code, "power-automate: %s: %s", doc_path(x), wd_buf_cstr(&msg));
	wd_buf_release(&msg);
	wd_json_error_at(x->jd, v, x->err);
	return code;
}

static wd_status fail_rc(pa_ctx *x, wd_status rc, const char *what)
{
	wd_buf prefix;

	wd_buf_init(&prefix, 1 << 16);
	wd_buf_printf(&prefix, "power-automate: %s", doc_path(x));
	rc = imp_fail_rc(x->err, x->m, wd_buf_cstr(&prefix), rc, what);
	wd_buf_release(&prefix);
	return rc;
}

/* a + sep + b in the model arena ({NULL,0} when out of memory). */
static wd_str arena_join(pa_ctx *x, wd_str a, const char *sep, wd_str b)
{
	size_t sl = strlen(sep), n = a.len + sl + b.len;
	char *p = wd_arena_alloc(&x->m->arena, n + 1);

	if (!p)
		return WD_STR_NULL;
	if (a.len)
		memcpy(p, a.ptr, a.len);
	memcpy(p + a.len, sep, sl);
	if (b.len)
		memcpy(p + a.len + sl, b.ptr, b.len);
	p[n] = '\0';
	return wd_str_make(p, n);
}

/* Member by key: exact first, then ASCII case-insensitive (ARM names are).
 * NULL when absent, when obj is too big to search member by member, or when
 * the document's ARM budget cannot pay for the search. */
static const wd_json_val *get_ci(const wd_json_doc *jd, const wd_json_val *obj, wd_str key,
                                 uint64_t *budget)
{
	const wd_json_val *k, *v, *found;
	size_t i;

	if (!wd_json_is_obj(obj) || wd_json_size(obj) > MAX_LOOKUP_MEMBERS ||
	    *budget < 2 * wd_json_size(obj))
		return NULL;
	*budget -= 2 * wd_json_size(obj);
	found = wd_json_get_n(jd, obj, key.ptr ? key.ptr : "", key.len);
	if (found)
		return found;
	WD_JSON_OBJ_FOREACH(obj, i, k, v)
		if (str_eq_ci(wd_json_str(jd, k), key))
			return v;
	return NULL;
}

/* ---- ARM template expressions ---------------------------------------------------------------- */

typedef struct arm_eval {
	pa_ctx *x;
	arm_scope sc;
	unsigned steps;
} arm_eval;

/* "[...]" is an expression, "[[..." a literal starting with '['. */
static int is_arm_expr(wd_str s)
{
	return s.len >= 2 && s.ptr[0] == '[' && s.ptr[1] != '[' && s.ptr[s.len - 1] == ']';
}

static size_t arm_ident_len(const char *s, size_t n, size_t i)
{
	size_t j = i;

	if (j >= n || !is_alpha((unsigned char)s[j]))
		return 0;
	while (j < n && (is_ident_char((unsigned char)s[j]) || s[j] == '.') )
		j++;
	/* a trailing dot belongs to an accessor, not to the name */
	while (j > i + 1 && s[j - 1] == '.')
		j--;
	return j - i;
}

static int arm_expr(arm_eval *ev, const char *s, size_t n, size_t *i, wd_buf *out, unsigned nest,
                    unsigned hops);

/* Append the value of a parameter default or variable; 1 when fully known. */
static int arm_json_value(arm_eval *ev, const wd_json_val *v, wd_buf *out, unsigned nest,
                          unsigned hops)
{
	wd_json_doc *jd = ev->x->jd;

	if (wd_json_is_str(v)) {
		wd_str s = wd_json_str(jd, v);
		if (is_arm_expr(s)) {
			size_t i = 0;
			int ok;
			if (hops >= ARM_MAX_HOPS)
				return 0;
			ok = arm_expr(ev, s.ptr + 1, s.len - 2, &i, out, nest + 1, hops + 1);
			return ok && skip_ws(s.ptr + 1, s.len - 2, i) == s.len - 2;
		}
		if (s.len >= 2 && s.ptr[0] == '[' && s.ptr[1] == '[') {
			s.ptr++;
			s.len--;
		}
		wd_buf_put_str(out, s);
		return 1;
	}
	if (wd_json_typeof(v) == WD_JSON_NUMBER) {
		wd_buf_put_str(out, wd_json_num_text(jd, v));
		return 1;
	}
	if (wd_json_is_true(v) || wd_json_is_false(v)) {
		wd_buf_puts(out, wd_json_is_true(v) ? "True" : "False");
		return 1;
	}
	return 0;
}

static int ends_with_ci(wd_str s, const char *suffix)
{
	size_t n = strlen(suffix);

	return s.len >= n && eq_ci(wd_str_make(s.ptr + s.len - n, n), suffix);
}

/*
 * resourceId('Microsoft.Web/connections', name) and its relatives: the type
 * segments interleaved with the names, "Microsoft.Web/connections/name".
 * Leading subscription / resource-group arguments (no '/') are skipped.
 */
static void arm_resource_id(wd_buf *args, size_t nargs, wd_buf *out)
{
	size_t t, a, seg = 0, k;
	const char *ty;
	size_t tl;

	for (t = 0; t < nargs && !memchr(wd_buf_cstr(&args[t]), '/', args[t].len); t++)
		;
	if (t == nargs) {
		for (a = 0; a < nargs; a++) {
			if (a)
				wd_buf_putc(out, '/');
			wd_buf_put(out, wd_buf_cstr(&args[a]), args[a].len);
		}
		return;
	}
	ty = wd_buf_cstr(&args[t]);
	tl = args[t].len;
	a = t + 1;
	for (k = 0; k <= tl; k++) {
		if (k < tl && ty[k] != '/')
			continue;
		if (k > seg) {
			if (out->len)
				wd_buf_putc(out, '/');
			wd_buf_put(out, ty + seg, k - seg);
			/* after the provider namespace, each type segment takes a name */
			if (seg > 0 && a < nargs) {
				wd_buf_putc(out, '/');
				wd_buf_put(out, wd_buf_cstr(&args[a]), args[a].len);
				a++;
			}
		}
		seg = k + 1;
	}
	for (; a < nargs; a++) {
		wd_buf_putc(out, '/');
		wd_buf_put(out, wd_buf_cstr(&args[a]), args[a].len);
	}
}

/* Unknown parts are written "${<expression>}" so readers see they are dynamic. */
static void arm_unknown(wd_buf *out, const char *s, size_t from, size_t to)
{
	wd_buf_puts(out, "${");
	wd_buf_put(out, s + from, to > from ? to - from : 0);
	wd_buf_putc(out, '}');
}

/*
 * Evaluate the ARM expression at s[*i] (bounded by n), appending its value
 * to out; *i moves past it (to n on a syntax error). Returns 1 when the value
 * is fully known. Handles literals, numbers, parameters(), variables() (with
 * .member / ['member'] accessors on object values), concat(), toLower(),
 * toUpper() and the resourceId() family; anything else is unknown.
 */
static int arm_expr(arm_eval *ev, const char *s, size_t n, size_t *i, wd_buf *out, unsigned nest,
                    unsigned hops)
{
	wd_buf args[ARM_MAX_ARGS], acc[ARM_MAX_ACC];
	int ok[ARM_MAX_ARGS];
	size_t nargs = 0, nacc = 0, j, k, l, a;
	wd_str fname;
	int all = 1, res = 0;

	if (nest > ARM_MAX_NEST || ++ev->steps > ARM_MAX_STEPS || ev->x->arm_budget == 0) {
		*i = n;
		return 0;
	}
	ev->x->arm_budget--;
	j = skip_ws(s, n, *i);
	if (j >= n) {
		*i = n;
		return 0;
	}
	if (s[j] == '\'') {
		for (k = j + 1; k < n; k++) {
			if (s[k] == '\'') {
				if (k + 1 < n && s[k + 1] == '\'') {
					wd_buf_putc(out, '\'');
					k++;
					continue;
				}
				*i = k + 1;
				return 1;
			}
			wd_buf_putc(out, s[k]);
		}
		*i = n;
		return 0;
	}
	if (is_digit((unsigned char)s[j]) || s[j] == '-') {
		k = j + 1;
		while (k < n && is_digit((unsigned char)s[k]))
			k++;
		wd_buf_put(out, s + j, k - j);
		*i = k;
		return 1;
	}
	l = arm_ident_len(s, n, j);
	if (l == 0) {
		*i = n;
		return 0;
	}
	fname = wd_str_make(s + j, l);
	k = skip_ws(s, n, j + l);
	if (k >= n || s[k] != '(') {
		wd_buf_put_str(out, fname);
		*i = k;
		return eq_ci(fname, "true") || eq_ci(fname, "false");
	}
	k++;
	for (;;) {
		k = skip_ws(s, n, k);
		if (k < n && s[k] == ')') {
			k++;
			break;
		}
		if (k >= n)
			goto bad;
		if (nargs < ARM_MAX_ARGS) {
			wd_buf_init(&args[nargs], ARM_MAX_TEXT);
			ok[nargs] = arm_expr(ev, s, n, &k, &args[nargs], nest + 1, hops);
			all &= ok[nargs];
			nargs++;
		} else {
			wd_buf scratch;
			wd_buf_init(&scratch, ARM_MAX_TEXT);
			(void)arm_expr(ev, s, n, &k, &scratch, nest + 1, hops);
			wd_buf_release(&scratch);
			all = 0;
		}
		k = skip_ws(s, n, k);
		if (k < n && s[k] == ',') {
			k++;
			continue;
		}
		if (k < n && s[k] == ')') {
			k++;
			break;
		}
		goto bad;
	}
	/* accessors: .member, ['member'], [0] */
	for (;;) {
		size_t q = skip_ws(s, n, k);
		if (q < n && s[q] == '.') {
			size_t m = ident_len(s, n, q + 1);
			if (m == 0)
				break;
			if (nacc < ARM_MAX_ACC) {
				wd_buf_init(&acc[nacc], ARM_MAX_TEXT);
				wd_buf_put(&acc[nacc], s + q + 1, m);
				nacc++;
			} else {
				all = 0;
			}
			k = q + 1 + m;
		} else if (q < n && s[q] == '[') {
			wd_buf tmp;
			int good;
			q++;
			wd_buf_init(&tmp, ARM_MAX_TEXT);
			good = arm_expr(ev, s, n, &q, &tmp, nest + 1, hops);
			q = skip_ws(s, n, q);
			if (q >= n || s[q] != ']') {
				wd_buf_release(&tmp);
				goto bad;
			}
			if (good && nacc < ARM_MAX_ACC)
				acc[nacc++] = tmp;
			else {
				wd_buf_release(&tmp);
				all = 0;
			}
			k = q + 1;
		} else {
			break;
		}
	}

	if ((eq_ci(fname, "parameters") || eq_ci(fname, "variables")) && nargs == 1 && ok[0]) {
		int param = eq_ci(fname, "parameters");
		wd_str key = wd_str_make(wd_buf_cstr(&args[0]), args[0].len);
		const wd_json_val *v = get_ci(ev->x->jd, param ? ev->sc.params : ev->sc.vars, key,
		                              &ev->x->arm_budget);
		if (param)
			v = wd_json_get(ev->x->jd, v, "defaultValue");
		for (a = 0; a < nacc && v; a++) {
			wd_str m = wd_str_make(wd_buf_cstr(&acc[a]), acc[a].len);
			int64_t idx = 0;
			if (wd_json_is_arr(v)) {
				size_t d;
				for (d = 0; d < m.len && d < 9 && is_digit((unsigned char)m.ptr[d]); d++)
					idx = idx * 10 + (m.ptr[d] - '0');
				v = d == m.len && m.len ? wd_json_at(v, (size_t)idx) : NULL;
			} else {
				v = get_ci(ev->x->jd, v, m, &ev->x->arm_budget);
			}
		}
		if (all && v) {
			size_t mark = out->len;
			res = arm_json_value(ev, v, out, nest, hops);
			if (!res && !out->failed && out->data) {
				out->len = mark;
				out->data[mark] = '\0';
			}
		}
	} else if (eq_ci(fname, "concat") && nacc == 0) {
		for (a = 0; a < nargs; a++)
			wd_buf_put(out, wd_buf_cstr(&args[a]), args[a].len);
		res = all;
		goto done;
	} else if ((eq_ci(fname, "toLower") || eq_ci(fname, "toUpper")) && nargs == 1 && ok[0] &&
	           nacc == 0) {
		const char *p = wd_buf_cstr(&args[0]);
		int up = eq_ci(fname, "toUpper");
		for (a = 0; a < args[0].len; a++)
			wd_buf_putc(out, up ? ((p[a] >= 'a' && p[a] <= 'z') ? (char)(p[a] - 32) : p[a])
			                    : lower(p[a]));
		res = 1;
		goto done;
	} else if (ends_with_ci(fname, "resourceId") && nacc == 0) {
		wd_buf id;
		wd_buf_init(&id, ARM_MAX_TEXT);
		arm_resource_id(args, nargs, &id);
		wd_buf_put(out, wd_buf_cstr(&id), id.len);
		wd_buf_release(&id);
		res = all;
		goto done;
	}
	if (!res)
		arm_unknown(out, s, j, k);
done:
	for (a = 0; a < nargs; a++)
		wd_buf_release(&args[a]);
	for (a = 0; a < nacc; a++)
		wd_buf_release(&acc[a]);
	*i = k;
	return res && !out->failed;
bad:
	for (a = 0; a < nargs; a++)
		wd_buf_release(&args[a]);
	for (a = 0; a < nacc; a++)
		wd_buf_release(&acc[a]);
	*i = n;
	return 0;
}

/*
 * Resolve an ARM template string in the current scope. Returns 1 with the
 * value in *out (in the arena, or s itself) when it is fully known; else 0
 * with *out = s as written. partial, when given, receives the best-effort
 * text, unknown parts written as "${...}". Outside ARM templates every
 * string is its own value.
 */
static int arm_resolve(pa_ctx *x, wd_str s, wd_str *out, wd_buf *partial)
{
	arm_eval ev;
	wd_buf b;
	size_t i = 0;
	int ok;

	*out = s;
	if (!x->arm || !is_arm_expr(s)) {
		if (x->arm && s.len >= 2 && s.ptr[0] == '[' && s.ptr[1] == '[') {
			out->ptr++;
			out->len--;
		}
		if (partial)
			wd_buf_put_str(partial, *out);
		return 1;
	}
	ev.x = x;
	ev.sc = x->scope;
	ev.steps = 0;
	wd_buf_init(&b, ARM_MAX_TEXT);
	ok = arm_expr(&ev, s.ptr + 1, s.len - 2, &i, &b, 0, 0);
	if (skip_ws(s.ptr + 1, s.len - 2, i) != s.len - 2 || wd_buf_failed(&b))
		ok = 0;
	if (partial) {
		if (wd_buf_failed(&b) || (!ok && !b.len))
			arm_unknown(partial, s.ptr, 1, s.len - 1);
		else
			wd_buf_put(partial, wd_buf_cstr(&b), b.len);
	}
	if (ok) {
		wd_str r = wd_arena_str(&x->m->arena, wd_str_make(wd_buf_cstr(&b), b.len));
		if (r.ptr)
			*out = r;
		else
			ok = 0;
	}
	wd_buf_release(&b);
	return ok;
}

/* The last path segment of a resolved-as-possible string, unless unknown. */
static wd_str arm_last_seg(pa_ctx *x, wd_str s)
{
	wd_buf b;
	wd_str seg, r = WD_STR_NULL;

	if (!s.len)
		return WD_STR_NULL;
	if (!x->arm || !is_arm_expr(s))
		return last_seg(s);
	wd_buf_init(&b, ARM_MAX_TEXT);
	(void)arm_resolve(x, s, &seg, &b);
	if (!wd_buf_failed(&b)) {
		seg = last_seg(wd_str_make(wd_buf_cstr(&b), b.len));
		if (seg.len && wd_str_find(seg, "${") < 0 && wd_str_find(seg, "}") < 0)
			r = wd_arena_str(&x->m->arena, seg);
	}
	wd_buf_release(&b);
	return r;
}

/*
 * The raw text of the last top-level argument of a call "[f(a, b)]": for a
 * connectionId "[resourceId('Microsoft.Web/connections', variables('c'))]"
 * that is "variables('c')". {NULL,0} when s is no such call.
 */
static wd_str arm_last_arg(wd_str s, wd_str *fname)
{
	size_t n = s.len - 1, i = 1, start = 0, depth = 0;
	int inlit = 0;

	*fname = WD_STR_NULL;
	if (!is_arm_expr(s))
		return WD_STR_NULL;
	i = skip_ws(s.ptr, n, i);
	start = i;
	while (i < n && (is_ident_char((unsigned char)s.ptr[i]) || s.ptr[i] == '.'))
		i++;
	*fname = wd_str_make(s.ptr + start, i - start);
	i = skip_ws(s.ptr, n, i);
	if (i >= n || s.ptr[i] != '(')
		return WD_STR_NULL;
	start = ++i;
	for (; i < n; i++) {
		char c = s.ptr[i];
		if (inlit) {
			if (c == '\'')
				inlit = 0;
			continue;
		}
		if (c == '\'')
			inlit = 1;
		else if (c == '(' || c == '[')
			depth++;
		else if ((c == ')' || c == ']') && depth > 0)
			depth--;
		else if (c == ',' && depth == 0)
			start = i + 1;
		else if (c == ')' && depth == 0) {
			size_t a = skip_ws(s.ptr, i, start), e = i;
			while (e > a && (s.ptr[e - 1] == ' ' || s.ptr[e - 1] == '\t'))
				e--;
			return e > a ? wd_str_make(s.ptr + a, e - a) : WD_STR_NULL;
		}
	}
	return WD_STR_NULL;
}

/* ---- connections ------------------------------------------------------------------------- */

/* The match key of a connection resource name: resolved text, else as written. */
static wd_str cfg_key(pa_ctx *x, wd_str name)
{
	wd_str r;

	(void)arm_resolve(x, name, &r, NULL);
	return r;
}

static uint32_t cfg_find(const pa_ctx *x, wd_str key)
{
	size_t slot = WD_HMAP_START;
	uint32_t v;

	if (!key.len)
		return WD_NONE;
	while ((v = wd_hmap_next(&x->cfg_names, hash_ci(key, 5), &slot)) != WD_NONE)
		if (str_eq_ci(x->cfgs[v].name, key))
			return v;
	return WD_NONE;
}

/* The connection resource a $connections entry's connectionId / connectionName names. */
static uint32_t cfg_for_entry(pa_ctx *x, const wd_json_val *e)
{
	wd_str cid = get_str(x, e, "connectionId"), cname = get_str(x, e, "connectionName");
	uint32_t c = WD_NONE;

	if (!x->ncfgs)
		return WD_NONE;
	if (cid.len) {
		wd_str fname, arg = arm_last_arg(cid, &fname);
		if (arg.ptr && ends_with_ci(fname, "resourceId")) {
			wd_str wrapped = arena_join(x, wd_str_c("["), "", arg);
			if (wrapped.ptr)
				wrapped = arena_join(x, wrapped, "]", WD_STR_NULL);
			if (wrapped.ptr)
				c = cfg_find(x, cfg_key(x, wrapped));
		} else {
			c = cfg_find(x, last_seg(cfg_key(x, cid)));
		}
	}
	if (c == WD_NONE && cname.len)
		c = cfg_find(x, cfg_key(x, cname));
	return c;
}

static wd_status new_cred(pa_ctx *x, uint32_t doc, wd_str id, wd_str name, wd_str type,
                          uint32_t flags, const wd_json_val *at, uint32_t *idx)
{
	wd_credential cr;

	memset(&cr, 0, sizeof(cr));
	cr.id = id;
	cr.name = name.len ? name : id;
	cr.type = type;
	cr.storage = WD_CRED_VAULT;
	cr.flags = flags;
	cr.comp = WD_NONE;
	cr.loc = at ? wd_model_loc(x->m, doc, at) : WD_LOC_NONE;
	return wd_model_add_credential(x->m, &cr, idx);
}

static uint32_t find_conn(const pa_ctx *x, wd_str key)
{
	size_t slot = WD_HMAP_START;
	uint32_t v;

	if (!key.len)
		return WD_NONE;
	while ((v = wd_hmap_next(&x->conn_keys, mix64(wd_hash64(key.ptr, key.len, 9)), &slot)) !=
	       WD_NONE)
		if (wd_str_eq(x->conns[v].key, key))
			return v;
	return WD_NONE;
}

static wd_status add_conn(pa_ctx *x, wd_str key, wd_str api, uint32_t cred, uint32_t cfg,
                          int custom)
{
	pa_conn *c;

	if (find_conn(x, key) != WD_NONE)
		return WD_OK;
	if (x->nconns == x->conns_cap &&
	    wd_grow((void **)&x->conns, &x->conns_cap, x->nconns + 1, sizeof(*x->conns)) != WD_OK)
		return WD_ENOMEM;
	c = &x->conns[x->nconns];
	c->key = key;
	c->api = api;
	c->cred = cred;
	c->cfg = cfg;
	c->custom = custom || looks_custom(api);
	if (wd_hmap_put(&x->conn_keys, mix64(wd_hash64(key.ptr, key.len, 9)), (uint32_t)x->nconns) !=
	    WD_OK)
		return WD_ENOMEM;
	x->nconns++;
	return WD_OK;
}

static wd_status add_cfg(pa_ctx *x, uint32_t doc, const wd_json_val *obj,
                         const wd_json_val *params, wd_str name, wd_str api, uint32_t cred,
                         uint32_t *idx)
{
	wd_json_doc *jd = wd_model_json(x->m, doc);
	const wd_json_val *tv;
	pa_cfg *c;

	if (x->ncfgs == x->cfgs_cap &&
	    wd_grow((void **)&x->cfgs, &x->cfgs_cap, x->ncfgs + 1, sizeof(*x->cfgs)) != WD_OK)
		return WD_ENOMEM;
	c = &x->cfgs[x->ncfgs];
	memset(c, 0, sizeof(*c));
	c->doc = doc;
	c->obj = obj;
	c->params = wd_json_is_obj(params) ? params : obj;
	c->name = name;
	c->api = api;
	c->cred = cred;
	c->comp = WD_NONE;
	tv = wd_json_get(jd, params, "disableCertificateValidation");
	c->tls_off = wd_json_is_true(tv) ||
	             (wd_json_is_str(tv) && eq_ci(wd_json_str(jd, tv), "true"));
	/* the first resource of a name is the one connections resolve to */
	if (name.len && cfg_find(x, name) == WD_NONE &&
	    wd_hmap_put(&x->cfg_names, hash_ci(name, 5), (uint32_t)x->ncfgs) != WD_OK)
		return WD_ENOMEM;
	*idx = (uint32_t)x->ncfgs++;
	return WD_OK;
}

/* The manifest resource that apisMap / connectionsMap (doc) gives for key. */
static const wd_json_val *manifest_entry(pa_ctx *x, uint32_t mapdoc, wd_str key)
{
	wd_json_doc *mj = wd_model_json(x->m, mapdoc), *pj = wd_model_json(x->m, x->manifest_doc);
	const wd_json_val *root, *v, *res;
	wd_str guid;

	if (!mj || !pj)
		return NULL;
	root = wd_json_root(mj);
	if (!wd_json_is_obj(root) || wd_json_size(root) > MAX_LOOKUP_MEMBERS)
		return NULL;
	v = wd_json_get_n(mj, root, key.ptr ? key.ptr : "", key.len);
	guid = wd_json_str(mj, v);
	res = wd_json_get(pj, wd_json_root(pj), "resources");
	if (!guid.len || !wd_json_is_obj(res) || wd_json_size(res) > MAX_LOOKUP_MEMBERS)
		return NULL;
	return wd_json_get_n(pj, res, guid.ptr, guid.len);
}

/*
 * properties.connectionReferences: solution exports {api: {name},
 * connection: {connectionReferenceLogicalName}, runtimeSource} and legacy
 * packages {connectionName, source, id}; legacy packages name custom
 * connectors and connection accounts through apisMap / connectionsMap.
 */
static wd_status connection_refs(pa_ctx *x, const wd_json_val *refs)
{
	wd_json_doc *pj = wd_model_json(x->m, x->manifest_doc);
	const wd_json_val *k, *v;
	size_t i;
	wd_status rc;

	if (!wd_json_is_obj(refs))
		return WD_OK;
	WD_JSON_OBJ_FOREACH(refs, i, k, v)
	{
		wd_str key = wd_json_str(x->jd, k), api, name, rs, src;
		const wd_json_val *conn = get(x, v, "connection"), *me;
		uint32_t flags = 0, cred;
		int custom = 0;

		if (!wd_json_is_obj(v) || !key.len)
			continue;
		if (x->nconns >= MAX_CONNS)
			break;
		api = get_str(x, get(x, v, "api"), "name");
		if (!api.len)
			api = last_seg(get_str(x, v, "id"));
		if (!api.len)
			api = last_seg(get_str(x, get(x, v, "api"), "id"));
		if (!api.len)
			api = key;
		name = get_str(x, conn, "connectionReferenceLogicalName");
		if (!name.len)
			name = get_str(x, conn, "name");
		if (!name.len)
			name = get_str(x, v, "connectionName");
		rs = get_str(x, v, "runtimeSource");
		src = get_str(x, v, "source");
		if (eq_ci(rs, "embedded") || eq_ci(src, "embedded"))
			flags = WD_CREDF_EMBEDDED;
		else if (eq_ci(rs, "invoker") || eq_ci(src, "invoker"))
			flags = WD_CREDF_INVOKER;
		custom = wd_json_is_true(get(x, v, "isCustomApiConnection"));
		me = manifest_entry(x, x->apis_doc, key);
		if (me && eq_ci(wd_json_get_str(pj, me, "type"), "Microsoft.PowerApps/apis") &&
		    !wd_json_get(pj, me, "name") && !wd_json_get(pj, me, "id"))
			custom = 1; /* a standard connector names its api; a custom one does not */
		if (!name.len) {
			me = manifest_entry(x, x->cmap_doc, key);
			name = wd_json_get_str(pj, wd_json_get(pj, me, "details"), "displayName");
		}
		rc = new_cred(x, x->doc, key, name, api, flags, v, &cred);
		if (rc == WD_OK)
			rc = add_conn(x, key, api, cred, WD_NONE, custom);
		if (rc != WD_OK)
			return rc;
	}
	return WD_OK;
}

/* parameters.$connections.value (Logic Apps): {key: {id, connectionId, connectionName}}. */
static wd_status dollar_connections(pa_ctx *x, const wd_json_val *params)
{
	const wd_json_val *val = get(x, get(x, params, "$connections"), "value"), *k, *v;
	size_t i;
	wd_status rc;

	if (!wd_json_is_obj(val))
		return WD_OK;
	WD_JSON_OBJ_FOREACH(val, i, k, v)
	{
		wd_str key = wd_json_str(x->jd, k), api, name;
		uint32_t cfg, cred;

		if (!wd_json_is_obj(v) || !key.len || find_conn(x, key) != WD_NONE)
			continue;
		if (x->nconns >= MAX_CONNS)
			break;
		api = arm_last_seg(x, get_str(x, v, "id"));
		cfg = cfg_for_entry(x, v);
		if (cfg != WD_NONE) {
			cred = x->cfgs[cfg].cred;
			if (!api.len)
				api = x->cfgs[cfg].api;
		} else {
			if (!api.len)
				api = key;
			(void)arm_resolve(x, get_str(x, v, "connectionName"), &name, NULL);
			rc = new_cred(x, x->doc, key, name, api, 0, v, &cred);
			if (rc != WD_OK)
				return rc;
		}
		rc = add_conn(x, key, api, cred, cfg, 0);
		if (rc != WD_OK)
			return rc;
	}
	return WD_OK;
}

/*
 * Logic Apps Standard connections.json: managedApiConnections {key: {api:
 * {id}, connection: {id}, parameterValues?}} and serviceProviderConnections
 * {key: {serviceProvider: {id}, parameterValues, displayName}}. Entries with
 * parameterValues also become configuration components (keys live there).
 */
static wd_status standard_connections(pa_ctx *x)
{
	static const char *const groups[] = {"managedApiConnections", "serviceProviderConnections"};
	wd_json_doc *cj = wd_model_json(x->m, x->lacon_doc);
	const wd_json_val *root = wd_json_root(cj), *k, *v;
	size_t g, i;
	wd_status rc;

	if (!cj || !wd_json_is_obj(root))
		return WD_OK;
	for (g = 0; g < COUNT(groups); g++) {
		const wd_json_val *grp = wd_json_get(cj, root, groups[g]);
		if (!wd_json_is_obj(grp))
			continue;
		WD_JSON_OBJ_FOREACH(grp, i, k, v)
		{
			wd_str key = wd_json_str(cj, k), api, name;
			const wd_json_val *pv = wd_json_get(cj, v, "parameterValues");
			uint32_t cred, cfg = WD_NONE;

			if (!wd_json_is_obj(v) || !key.len || find_conn(x, key) != WD_NONE)
				continue;
			if (x->nconns >= MAX_CONNS)
				return WD_OK;
			api = last_seg(wd_json_get_str(cj, wd_json_get(cj, v, g ? "serviceProvider" : "api"),
			                               "id"));
			if (!api.len)
				api = key;
			name = wd_json_get_str(cj, v, "displayName");
			rc = new_cred(x, x->lacon_doc, key, name, api, 0, v, &cred);
			if (rc == WD_OK && wd_json_is_obj(pv))
				rc = add_cfg(x, x->lacon_doc, v, pv, key, api, cred, &cfg);
			if (rc == WD_OK)
				rc = add_conn(x, key, api, cred, cfg, 0);
			if (rc != WD_OK)
				return rc;
		}
	}
	return WD_OK;
}

/*
 * The connection key an action's inputs.host names: connectionName
 * (OpenApiConnection), connection.referenceName (Logic Apps Standard), or
 * the key in connection.name = "@parameters('$connections')['KEY']['connectionId']".
 */
static wd_str host_conn_key(const pa_ctx *x, const wd_json_val *host)
{
	wd_str s = get_str(x, host, "connectionName");
	const wd_json_val *conn = get(x, host, "connection");
	long at;
	size_t i, j;

	if (s.len)
		return s;
	s = get_str(x, conn, "referenceName");
	if (s.len)
		return s;
	s = get_str(x, conn, "name");
	at = wd_str_find(s, "$connections");
	if (at < 0)
		return s.len && s.ptr[0] != '@' ? s : WD_STR_NULL;
	for (i = (size_t)at; i + 1 < s.len; i++)
		if (s.ptr[i] == '[' && s.ptr[i + 1] == '\'')
			break;
	if (i + 1 >= s.len)
		return WD_STR_NULL;
	for (j = i + 2; j < s.len && s.ptr[j] != '\''; j++)
		;
	if (j >= s.len)
		return WD_STR_NULL;
	return wd_str_make(s.ptr + i + 2, j - i - 2);
}

/* ---- components --------------------------------------------------------------------------- */

/* Built-in types with their canonical spelling (the definition language ignores case). */
static const char *const builtin_types[] = {
	"Request", "Response", "Http", "HttpWebhook", "Recurrence", "SlidingWindow", "Compose",
	"If", "Switch", "Foreach", "Until", "Scope", "Terminate", "Wait", "InitializeVariable",
	"SetVariable", "IncrementVariable", "DecrementVariable", "AppendToArrayVariable",
	"AppendToStringVariable", "ParseJson", "Query", "Select", "Table", "Join", "Expression",
	"JavaScriptCode", "CSharpScriptCode", "PowerShellCode", "Function", "Workflow",
	"ServiceProvider", "ApiConnection", "ApiConnectionWebhook", "ApiConnectionNotification",
	"OpenApiConnection", "OpenApiConnectionWebhook", "OpenApiConnectionNotification",
	"ApiManagement", "ChunkText", "ParseDocument", "Xslt", "XmlValidation", "Liquid",
	"FlatFileEncoding", "FlatFileDecoding", "IntegrationAccountArtifactLookup", "Batch",
	"SendToBatch", "Agent",
};

static wd_str canonical_type(wd_str t)
{
	size_t i;

	for (i = 0; i < COUNT(builtin_types); i++)
		if (eq_ci(t, builtin_types[i]))
			return wd_str_c(builtin_types[i]);
	return t;
}

static int is_connector_type(wd_str t)
{
	return wd_str_eq_c(t, "ApiConnection") || wd_str_eq_c(t, "OpenApiConnection") ||
	       wd_str_eq_c(t, "ApiConnectionWebhook") || wd_str_eq_c(t, "OpenApiConnectionWebhook") ||
	       wd_str_eq_c(t, "ApiConnectionNotification") ||
	       wd_str_eq_c(t, "OpenApiConnectionNotification");
}

/* "<method> <path>" for an ApiConnection without an operation id, with
 * "@{...}" parts shown as "{}", at most OP_MAX_LEN bytes. */
static wd_str method_path(pa_ctx *x, const wd_json_val *in)
{
	wd_str meth = get_str(x, in, "method"), path = get_str(x, in, "path");
	char buf[OP_MAX_LEN + 1];
	size_t n = 0, i;

	if (!meth.len && !path.len)
		return WD_STR_NULL;
	for (i = 0; i < meth.len && n < OP_MAX_LEN; i++)
		buf[n++] = lower(meth.ptr[i]);
	if (meth.len && path.len && n < OP_MAX_LEN)
		buf[n++] = ' ';
	for (i = 0; i < path.len && n < OP_MAX_LEN; i++) {
		if (path.ptr[i] == '@' && i + 1 < path.len && path.ptr[i + 1] == '{') {
			i = region_end(path.ptr, path.len, i + 2);
			buf[n++] = '{';
			if (n < OP_MAX_LEN)
				buf[n++] = '}';
			continue;
		}
		buf[n++] = path.ptr[i];
	}
	return wd_arena_str(&x->m->arena, wd_str_make(buf, n));
}

/*
 * The catalog entry of a connector api, most specific first:
 * "<api>.<operation>", "<api>" (normalised), and, when the api name is only
 * a connection key ("cosmosdb-connection"), the key's first word.
 */
static const wd_catalog_entry *lookup_api(const pa_ctx *x, wd_str api, wd_str op, int from_key)
{
	char nb[NAME_MAX_LEN], ob[NAME_MAX_LEN * 2];
	wd_str cand[3], norm = normalise_api(api, nb, sizeof(nb));
	size_t n = 0, w;

	if (!norm.len)
		return NULL;
	if (op.len && norm.len + 1 + op.len < sizeof(ob)) {
		memcpy(ob, norm.ptr, norm.len);
		ob[norm.len] = '.';
		memcpy(ob + norm.len + 1, op.ptr, op.len);
		cand[n++] = wd_str_make(ob, norm.len + 1 + op.len);
	}
	cand[n++] = norm;
	if (from_key) {
		for (w = 0; w < norm.len && norm.ptr[w] != '-' && norm.ptr[w] != '_'; w++)
			;
		if (w > 0 && w < norm.len)
			cand[n++] = wd_str_make(norm.ptr, w);
	}
	return wd_import_lookup(x->opts, WD_PLATFORM_POWER_AUTOMATE, cand, n);
}

/* Connector action or trigger: type "<api>.<operation>", connector, custom flag. */
/*
 * A SQL connector action whose query text (a member named "query" or ending
 * in "/query", as in parameters["query/query"]) holds an expression: the
 * statement is assembled from run-time data (SQL injection).
 */
static int query_is_dynamic(pa_ctx *x, const wd_json_val *v, int depth)
{
	const wd_json_val *k, *e;
	size_t i;

	if (!v || depth > 16)
		return 0;
	if (wd_json_is_obj(v)) {
		WD_JSON_OBJ_FOREACH(v, i, k, e)
		{
			wd_str name = wd_json_str(x->jd, k);
			if (wd_json_is_str(e) &&
			    (wd_str_eq_c(name, "query") || wd_str_ends_with(name, "/query"))) {
				wd_str q = wd_json_str(x->jd, e);
				if (wd_str_find(q, "@{") >= 0 || (q.len && q.ptr[0] == '@'))
					return 1;
			}
			if (wd_json_is_container(e) && query_is_dynamic(x, e, depth + 1))
				return 1;
		}
	} else if (wd_json_is_arr(v)) {
		WD_JSON_ARR_FOREACH(v, i, e)
		if (query_is_dynamic(x, e, depth + 1))
			return 1;
	}
	return 0;
}

static uint32_t connector_facts(pa_ctx *x, wd_component *c, const wd_json_val *a,
                                const wd_json_val *in)
{
	const wd_json_val *host = get(x, in, "host");
	wd_str key = host_conn_key(x, host), api, op;
	uint32_t conn = find_conn(x, key);
	int from_key = 0;

	api = last_seg(get_str(x, host, "apiId"));
	if (!api.len && conn != WD_NONE)
		api = x->conns[conn].api;
	if (!api.len)
		api = last_seg(get_str(x, get(x, host, "api"), "id"));
	if (!api.len)
		api = last_seg(get_str(x, get(x, host, "api"), "runtimeUrl"));
	if (!api.len) {
		api = key;
		from_key = 1;
	}
	op = get_str(x, host, "operationId");
	if (!op.len)
		op = get_str(x, get(x, get(x, a, "metadata"), "flowSystemMetadata"), "swaggerOperationId");
	if (!op.len)
		op = method_path(x, in);
	if (!api.len)
		return conn;
	if (op.len) {
		wd_str t = arena_join(x, api, ".", op);
		if (t.ptr)
			c->type = t;
	} else {
		c->type = api;
	}
	if (looks_custom(api) || (conn != WD_NONE && x->conns[conn].custom))
		c->flags |= WD_COMP_CUSTOM;
	c->connector = lookup_api(x, api, op, from_key);
	if (c->connector && (c->connector->flags & WD_CAT_SQL) && query_is_dynamic(x, in, 0))
		c->flags |= WD_COMP_SQL_DYNAMIC;
	return conn;
}

/* ServiceProvider (Logic Apps Standard built-in connector): "ServiceProvider:<id>.<op>". */
static uint32_t service_provider_facts(pa_ctx *x, wd_component *c, const wd_json_val *in)
{
	const wd_json_val *cfg = get(x, in, "serviceProviderConfiguration");
	wd_str prov = last_seg(get_str(x, cfg, "serviceProviderId")), op = get_str(x, cfg, "operationId");
	wd_str pre, t, cand[4];
	char nb[NAME_MAX_LEN];
	size_t n = 0;

	if (!prov.len)
		return find_conn(x, get_str(x, cfg, "connectionName"));
	pre = arena_join(x, wd_str_c("ServiceProvider:"), "", prov);
	t = op.len ? arena_join(x, pre, ".", op) : pre;
	if (pre.ptr && t.ptr) {
		c->type = t;
		if (op.len)
			cand[n++] = t;
		cand[n++] = pre;
		cand[n] = normalise_api(prov, nb, sizeof(nb));
		n += cand[n].len > 0;
		cand[n++] = wd_str_c("ServiceProvider");
		c->connector = wd_import_lookup(x->opts, WD_PLATFORM_POWER_AUTOMATE, cand, n);
	}
	return find_conn(x, get_str(x, cfg, "connectionName"));
}

/* Non-empty array. */
static int has_items(const wd_json_val *v)
{
	return wd_json_is_arr(v) && wd_json_size(v) > 0;
}

/*
 * The Request trigger. kind "Http" (or none): a public endpoint; who may
 * call it is inputs.triggerAuthenticationType (Power Automate: All = anyone,
 * Tenant, User) and, for Logic Apps, the resource's accessControl.triggers
 * (OAuth policies, caller IP ranges). Other kinds (Button, PowerApp,
 * PowerAppV2, Skills, VirtualAgent, ...) are started by a signed-in person.
 */
static void request_facts(pa_ctx *x, wd_component *c, const wd_json_val *a, const wd_json_val *in)
{
	wd_str kind = get_str(x, a, "kind");
	const wd_json_val *tat, *tr;
	wd_str t;

	c->flags |= WD_COMP_INVOKED;
	if (kind.len && !eq_ci(kind, "Http")) {
		c->auth = WD_AUTH_PLATFORM;
		c->auth_loc = loc_of(x, a);
		return;
	}
	c->kind = WD_KIND_ENTRY;
	c->flags |= WD_COMP_PUBLIC;
	c->auth_loc = loc_of(x, in ? in : a);
	tat = get(x, in, "triggerAuthenticationType");
	t = wd_json_str(x->jd, tat);
	if (tat && !wd_json_is_str(tat)) {
		c->auth = WD_AUTH_UNKNOWN;
	} else if (!tat || eq_ci(t, "All")) {
		c->auth = WD_AUTH_NONE;
		tr = get(x, x->access, "triggers");
		if (wd_json_is_obj(get(x, tr, "openAuthenticationPolicies"))) {
			c->auth = WD_AUTH_OAUTH;
			c->auth_loc = loc_of(x, get(x, tr, "openAuthenticationPolicies"));
		} else if (has_items(get(x, tr, "allowedCallerIpAddresses"))) {
			c->auth = WD_AUTH_EXTERNAL;
			c->auth_loc = loc_of(x, get(x, tr, "allowedCallerIpAddresses"));
		}
	} else if (eq_ci(t, "Tenant") || eq_ci(t, "User")) {
		c->auth = WD_AUTH_PLATFORM;
		c->auth_loc = loc_of(x, tat);
	} else if (t.len && (t.ptr[0] == '@' || t.ptr[0] == '[')) {
		c->auth = WD_AUTH_DYNAMIC;
		c->auth_loc = loc_of(x, tat);
	} else {
		c->auth = WD_AUTH_UNKNOWN;
		c->auth_loc = loc_of(x, tat);
	}
}

/* Outbound authentication of an HTTP call (inputs.authentication). */
static void http_auth(pa_ctx *x, wd_component *c, const wd_json_val *a, const wd_json_val *in)
{
	const wd_json_val *au = get(x, in, "authentication");
	wd_str t;

	if (!au) {
		c->auth = WD_AUTH_NONE;
		c->auth_loc = loc_of(x, in ? in : a);
		return;
	}
	c->auth_loc = loc_of(x, au);
	t = wd_json_is_str(au) ? wd_json_str(x->jd, au) : get_str(x, au, "type");
	if (wd_json_is_str(au) || (t.len && (t.ptr[0] == '@' || t.ptr[0] == '[')))
		c->auth = WD_AUTH_DYNAMIC;
	else if (eq_ci(t, "None"))
		c->auth = WD_AUTH_NONE;
	else if (eq_ci(t, "Basic"))
		c->auth = WD_AUTH_BASIC;
	else if (eq_ci(t, "ClientCertificate"))
		c->auth = WD_AUTH_CERT;
	else if (eq_ci(t, "ActiveDirectoryOAuth"))
		c->auth = WD_AUTH_OAUTH;
	else if (eq_ci(t, "Raw"))
		c->auth = WD_AUTH_HEADER;
	else if (eq_ci(t, "ManagedServiceIdentity"))
		c->auth = WD_AUTH_PLATFORM;
	else
		c->auth = WD_AUTH_UNKNOWN;
}

/*
 * runtimeConfiguration.secureData.properties: the flag needs both "inputs"
 * and "outputs" secured; with one of them, half of the data still lands in
 * run history, which the rule must still see.
 */
static int secure_io(const pa_ctx *x, const wd_json_val *a)
{
	const wd_json_val *p = get(x, get(x, get(x, a, "runtimeConfiguration"), "secureData"),
	                           "properties"), *e;
	size_t i;
	int in = 0, out = 0;

	if (!wd_json_is_arr(p))
		return 0;
	WD_JSON_ARR_FOREACH(p, i, e)
	{
		wd_str s = wd_json_str(x->jd, e);
		in |= eq_ci(s, "inputs");
		out |= eq_ci(s, "outputs");
	}
	return in && out;
}

/* Type, kind hints, flags, auth, code and connector of one trigger or action;
 * returns the connection it uses (WD_NONE if none). */
static uint32_t describe(pa_ctx *x, wd_component *c, const wd_json_val *a, int trigger)
{
	const wd_json_val *in = get(x, a, "inputs");
	wd_str t = canonical_type(get_str(x, a, "type"));
	uint32_t conn = WD_NONE;

	c->type = t;
	if (trigger)
		c->kind = WD_KIND_TRIGGER;
	if (is_connector_type(t)) {
		conn = connector_facts(x, c, a, in);
	} else if (wd_str_eq_c(t, "ServiceProvider")) {
		conn = service_provider_facts(x, c, in);
	} else if (wd_str_eq_c(t, "Request") && trigger) {
		request_facts(x, c, a, in);
		conn = find_conn(x, host_conn_key(x, get(x, in, "host")));
	} else if (wd_str_eq_c(t, "Http") || (wd_str_eq_c(t, "HttpWebhook") && !trigger)) {
		http_auth(x, c, a, in);
	} else if (wd_str_eq_c(t, "JavaScriptCode") || wd_str_eq_c(t, "CSharpScriptCode") ||
	           wd_str_eq_c(t, "PowerShellCode")) {
		const wd_json_val *code = get(x, in, "code");
		c->kind = WD_KIND_CODE;
		if (wd_json_is_str(code)) {
			c->code = wd_json_str(x->jd, code);
			c->code_loc = loc_of(x, code);
		}
	} else if (wd_str_eq_c(t, "Function")) {
		c->kind = WD_KIND_CODE;
	}
	/* webhook triggers: the service calls the flow back (inbound) */
	if (trigger && (wd_str_eq_c(t, "HttpWebhook") || wd_str_eq_c(t, "ApiConnectionWebhook") ||
	                wd_str_eq_c(t, "OpenApiConnectionWebhook")))
		c->kind = WD_KIND_ENTRY;
	if (secure_io(x, a))
		c->flags |= WD_COMP_SECURE_IO;
	return conn;
}

/*
 * The configuration tree of an action: its inputs; without inputs, the
 * action object, except for containers, whose object holds their children
 * (the children's settings must not count twice): their condition or array
 * (expression, foreach), or nothing.
 */
static const wd_json_val *params_of(const pa_ctx *x, const wd_json_val *a)
{
	const wd_json_val *in = get(x, a, "inputs");

	if (in)
		return in;
	if (!get(x, a, "actions") && !get(x, a, "else") && !get(x, a, "cases") &&
	    !get(x, a, "default"))
		return a;
	in = get(x, a, "expression");
	return in ? in : get(x, a, "foreach");
}

static wd_status add_node(pa_ctx *x, const wd_json_val *k, const wd_json_val *a, uint32_t parent,
                          const char *branch, int trigger, uint32_t *idx)
{
	wd_component c;
	pa_node *nd;
	uint32_t conn;
	wd_status rc;

	wd_component_init(x->m, &c);
	c.id = wd_json_str(x->jd, k);
	c.name = c.id;
	c.loc = loc_of(x, a);
	c.params = loc_of(x, params_of(x, a));
	conn = describe(x, &c, a, trigger);
	rc = wd_model_add_component(x->m, &c, idx);
	if (rc != WD_OK)
		return fail_rc(x, rc, "adding actions");
	if (x->nnodes == x->nodes_cap &&
	    wd_grow((void **)&x->nodes, &x->nodes_cap, x->nnodes + 1, sizeof(*x->nodes)) != WD_OK)
		return fail_rc(x, WD_ENOMEM, "adding actions");
	nd = &x->nodes[x->nnodes++];
	nd->obj = a;
	nd->parent = parent;
	nd->branch = branch;
	nd->conn = conn;
	nd->trigger = trigger;
	if (trigger && x->ntriggers < MAX_TRIGGERS)
		x->triggers[x->ntriggers++] = *idx;
	return WD_OK;
}

/* The actions of a container and, recursively, theirs. */
static wd_status add_actions(pa_ctx *x, const wd_json_val *acts, uint32_t parent,
                             const char *branch, unsigned depth)
{
	const wd_json_val *k, *a, *ck, *cv;
	size_t i, j;
	wd_status rc;

	if (!wd_json_is_obj(acts))
		return WD_OK;
	if (depth > x->max_nesting)
		return fail_at(x, acts, WD_ELIMIT, "actions nested more than %u deep (If, Switch, "
		               "Foreach, Until, Scope)", (unsigned)x->max_nesting);
	WD_JSON_OBJ_FOREACH(acts, i, k, a)
	{
		const wd_json_val *e, *d, *cases;
		uint32_t idx;

		if (!wd_json_is_obj(a))
			continue;
		rc = add_node(x, k, a, parent, branch, 0, &idx);
		if (rc == WD_OK)
			rc = add_actions(x, get(x, a, "actions"), idx, "actions", depth + 1);
		e = get(x, a, "else");
		if (rc == WD_OK && wd_json_is_obj(e))
			rc = add_actions(x, get(x, e, "actions"), idx, "else", depth + 1);
		cases = get(x, a, "cases");
		if (rc == WD_OK && wd_json_is_obj(cases)) {
			WD_JSON_OBJ_FOREACH(cases, j, ck, cv)
			{
				if (!wd_json_is_obj(cv))
					continue;
				rc = add_actions(x, get(x, cv, "actions"), idx, "case", depth + 1);
				if (rc != WD_OK)
					break;
			}
		}
		d = get(x, a, "default");
		if (rc == WD_OK && wd_json_is_obj(d))
			rc = add_actions(x, get(x, d, "actions"), idx, "default", depth + 1);
		if (rc != WD_OK)
			return rc;
	}
	return WD_OK;
}

/* ---- names and variables --------------------------------------------------------------------- */

/*
 * The component named name. Names match ignoring case and '_' / ' ' (the
 * definition language treats action names case-insensitively, and
 * expressions write the designer's spaces as underscores); when several
 * actions share a name that way, the first in document order is the one.
 */
static uint32_t find_name(const pa_ctx *x, wd_str name)
{
	size_t slot = WD_HMAP_START;
	uint32_t c;

	if (!name.len)
		return WD_NONE;
	while ((c = wd_hmap_next(&x->names, name_hash(name), &slot)) != WD_NONE)
		if (name_eq(x->m->comps[c].name, name))
			return c;
	return WD_NONE;
}

static wd_status index_names(pa_ctx *x)
{
	size_t i;

	for (i = 0; i < x->nnodes; i++) {
		wd_str name = x->m->comps[x->first + i].name;
		if (!name.len || find_name(x, name) != WD_NONE)
			continue;
		if (wd_hmap_put(&x->names, name_hash(name), (uint32_t)(x->first + i)) != WD_OK)
			return WD_ENOMEM;
	}
	return WD_OK;
}

/* The first write of variable name (case-insensitive), WD_NONE if none. */
static uint32_t find_var(const pa_ctx *x, wd_str name)
{
	size_t slot = WD_HMAP_START;
	uint32_t v;

	while ((v = wd_hmap_next(&x->var_names, hash_ci(name, 11), &slot)) != WD_NONE)
		if (str_eq_ci(x->vars[v].name, name))
			return v;
	return WD_NONE;
}

static wd_status add_var(pa_ctx *x, wd_str name, uint32_t comp, int init)
{
	uint32_t head, idx = (uint32_t)x->nvars;
	pa_var *v;

	if (!name.len)
		return WD_OK;
	if (x->nvars == x->vars_cap &&
	    wd_grow((void **)&x->vars, &x->vars_cap, x->nvars + 1, sizeof(*x->vars)) != WD_OK)
		return WD_ENOMEM;
	head = find_var(x, name);
	v = &x->vars[idx];
	v->name = name;
	v->comp = comp;
	v->next = WD_NONE;
	v->last = idx;
	v->src = init ? comp : WD_NONE;
	x->nvars++;
	if (head == WD_NONE)
		return wd_hmap_put(&x->var_names, hash_ci(name, 11), idx);
	x->vars[x->vars[head].last].next = idx;
	x->vars[head].last = idx;
	if (init && x->vars[head].src == WD_NONE)
		x->vars[head].src = comp;
	return WD_OK;
}

/* Variables are declared by InitializeVariable and written by the setters. */
static wd_status index_vars(pa_ctx *x)
{
	size_t i, j;
	wd_status rc;

	for (i = 0; i < x->nnodes; i++) {
		uint32_t comp = (uint32_t)(x->first + i);
		wd_str t = x->m->comps[comp].type;
		const wd_json_val *in = get(x, x->nodes[i].obj, "inputs"), *vs, *e;

		if (wd_str_eq_c(t, "InitializeVariable")) {
			vs = get(x, in, "variables");
			if (!wd_json_is_arr(vs))
				continue;
			WD_JSON_ARR_FOREACH(vs, j, e)
			{
				rc = add_var(x, get_str(x, e, "name"), comp, 1);
				if (rc != WD_OK)
					return rc;
			}
		} else if (wd_str_eq_c(t, "SetVariable") || wd_str_eq_c(t, "IncrementVariable") ||
		           wd_str_eq_c(t, "DecrementVariable") ||
		           wd_str_eq_c(t, "AppendToArrayVariable") ||
		           wd_str_eq_c(t, "AppendToStringVariable")) {
			rc = add_var(x, get_str(x, in, "name"), comp, 0);
			if (rc != WD_OK)
				return rc;
		}
	}
	return WD_OK;
}

/* The action declaring variable name (else its first writer), WD_NONE if none. */
static uint32_t var_source(const pa_ctx *x, wd_str name)
{
	uint32_t v = find_var(x, name);

	if (v == WD_NONE)
		return WD_NONE;
	return x->vars[v].src != WD_NONE ? x->vars[v].src : x->vars[v].comp;
}

/* ---- expressions ----------------------------------------------------------------------------- */

/* The last path segment that is not a number ("body/value.0.Title" -> "Title"). */
static wd_str field_of(wd_str path)
{
	size_t end = path.len;

	while (end > 0) {
		size_t start = end, k;
		int digits = 1;
		while (start > 0 && path.ptr[start - 1] != '.' && path.ptr[start - 1] != '/')
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

static wd_status add_field(pa_ctx *x, uint32_t comp, wd_str name, wd_loc loc)
{
	/* connector plumbing (X-MS-APIM-Tokens, x-ms-* headers), not app data */
	if (name.len >= 5 && wd_str_find_ci(name, "x-ms-") == 0)
		return WD_OK;
	return wd_model_add_field_once(x->m, comp, name, WD_CLASS_NONE, loc);
}

static wd_status add_edge(pa_ctx *x, uint32_t from, uint32_t to, wd_edge_kind kind,
                          const char *label, wd_loc loc)
{
	wd_edge e;

	if (from == WD_NONE || to == WD_NONE || from == to)
		return WD_OK;
	memset(&e, 0, sizeof(e));
	e.from = from;
	e.to = to;
	e.kind = kind;
	e.label = label ? wd_str_c(label) : WD_STR_NULL;
	e.loc = loc;
	return wd_model_add_edge(x->m, &e);
}

/* One expression edge per (src, dst). */
static wd_status add_expr_edge(pa_ctx *x, uint32_t src, uint32_t dst, wd_loc loc)
{
	return wd_model_add_expr_edge(x->m, src, dst, loc);
}

/* Scanner callback: dedupe, store the reference, its field and its edges. */
static void on_expr(void *ctx, enum ex_kind kind, wd_str name, wd_str path)
{
	pa_ctx *x = ctx;
	wd_model *m = x->m;
	uint32_t src = WD_NONE, ri;
	wd_ref_kind rk;
	uint64_t h;
	size_t slot = WD_HMAP_START, i;
	wd_ref r;
	wd_status rc = WD_OK;

	if (x->st != WD_OK)
		return;
	switch (kind) {
	case EX_TRIGGER:
		rk = WD_REF_INPUT;
		break;
	case EX_NODE:
		rk = WD_REF_NODE;
		src = find_name(x, name);
		break;
	case EX_VAR:
		src = var_source(x, name);
		rk = src != WD_NONE ? WD_REF_NODE : WD_REF_PARAM;
		break;
	case EX_PARAM:
		rk = WD_REF_PARAM;
		break;
	case EX_ENV:
		rk = WD_REF_ENV;
		break;
	default:
		rk = WD_REF_OTHER;
		break;
	}
	h = mix64(wd_hash64(path.ptr ? path.ptr : "", path.len, 13) ^
	          mix64(((uint64_t)x->comp << 32 | src) ^ ((uint64_t)rk << 60)));
	while ((ri = wd_hmap_next(&x->refs, h, &slot)) != WD_NONE) {
		const wd_ref *o = &m->refs[ri];
		if (o->comp == x->comp && o->kind == rk && o->src == src && wd_str_eq(o->path, path))
			return;
	}
	if (x->nrefs >= MAX_REFS_PER_COMP)
		return;
	x->nrefs++;
	memset(&r, 0, sizeof(r));
	r.comp = x->comp;
	r.src = src;
	r.kind = rk;
	r.loc = x->loc;
	r.path = path.len ? wd_arena_str(&m->arena, path) : wd_str_make("", 0);
	if (!r.path.ptr) {
		x->st = WD_ENOMEM;
		return;
	}
	rc = wd_model_add_ref(m, &r);
	if (rc == WD_OK)
		rc = wd_hmap_put(&x->refs, h, (uint32_t)(m->nrefs - 1));
	if (rc == WD_OK && (rk == WD_REF_INPUT || rk == WD_REF_NODE)) {
		m->comps[x->comp].flags |= WD_COMP_INPUT_USED;
		rc = add_field(x, x->comp, field_of(r.path), x->loc);
	}
	if (rc == WD_OK && rk == WD_REF_INPUT)
		for (i = 0; i < x->ntriggers && rc == WD_OK; i++)
			rc = add_expr_edge(x, x->triggers[i], x->comp, x->loc);
	if (rc == WD_OK && kind == EX_VAR && src != WD_NONE) {
		/* the writers of the variable feed the reader (the first few) */
		uint32_t v = find_var(x, name);
		size_t n;
		for (n = 0; rc == WD_OK && v != WD_NONE && n < MAX_VAR_EDGES; n++, v = x->vars[v].next)
			rc = add_expr_edge(x, x->vars[v].comp, x->comp, x->loc);
	} else if (rc == WD_OK && rk == WD_REF_NODE && src != WD_NONE) {
		rc = add_expr_edge(x, src, x->comp, x->loc);
	}
	x->st = rc;
}

/* Every expression string under v (keys are not scanned). */
static wd_status walk_exprs(pa_ctx *x, const wd_json_val *v, unsigned depth)
{
	const wd_json_val *k, *e;
	size_t i;

	if (depth > WALK_MAX_DEPTH || x->st != WD_OK)
		return x->st;
	if (wd_json_is_str(v)) {
		wd_str s = wd_json_str(x->jd, v);
		if (is_expression(s)) {
			x->loc = loc_of(x, v);
			scan_expr(s, on_expr, x);
		}
	} else if (wd_json_is_arr(v)) {
		WD_JSON_ARR_FOREACH(v, i, e)
		{
			if (walk_exprs(x, e, depth + 1) != WD_OK)
				break;
		}
	} else if (wd_json_is_obj(v)) {
		WD_JSON_OBJ_FOREACH(v, i, k, e)
		{
			if (walk_exprs(x, e, depth + 1) != WD_OK)
				break;
		}
	}
	return x->st;
}

/* What an action reads: inputs, the condition of If / Until / Switch, the
 * array of Foreach, a trigger's splitOn and conditions. */
static wd_status node_exprs(pa_ctx *x, uint32_t comp, const wd_json_val *a)
{
	static const char *const keys[] = {"inputs", "expression", "foreach", "splitOn", "conditions"};
	size_t i;

	x->comp = comp;
	x->nrefs = 0;
	x->st = WD_OK;
	for (i = 0; i < COUNT(keys) && x->st == WD_OK; i++) {
		const wd_json_val *v = get(x, a, keys[i]);
		if (v)
			(void)walk_exprs(x, v, 0);
	}
	return x->st;
}

/* ---- edges, targets, fields ------------------------------------------------------------------ */

/* Status lists: any "Succeeded" is a normal flow; only failure states an error path. */
static wd_edge_kind status_kind(const pa_ctx *x, const wd_json_val *st, int *handles)
{
	const wd_json_val *e;
	size_t i;
	int ok = 0, bad = 0;

	if (!wd_json_is_arr(st))
		return WD_EDGE_FLOW;
	WD_JSON_ARR_FOREACH(st, i, e)
	{
		wd_str s = wd_json_str(x->jd, e);
		if (eq_ci(s, "Succeeded"))
			ok = 1;
		else if (eq_ci(s, "Failed") || eq_ci(s, "TimedOut")) {
			bad = 1;
			*handles = 1;
		} else if (eq_ci(s, "Skipped"))
			bad = 1;
	}
	return !ok && bad ? WD_EDGE_ERROR : WD_EDGE_FLOW;
}

static wd_status flow_edges(pa_ctx *x, size_t ni)
{
	const pa_node *nd = &x->nodes[ni];
	uint32_t comp = (uint32_t)(x->first + ni);
	const wd_json_val *ra = get(x, nd->obj, "runAfter"), *k, *v;
	size_t i;
	wd_status rc;

	if (nd->trigger)
		return WD_OK;
	if (wd_json_is_obj(ra) && wd_json_size(ra) > 0) {
		WD_JSON_OBJ_FOREACH(ra, i, k, v)
		{
			int handles = 0;
			wd_edge_kind kind = status_kind(x, v, &handles);
			if (handles)
				x->error_handling = 1;
			rc = add_edge(x, find_name(x, wd_json_str(x->jd, k)), comp, kind, "runAfter",
			              loc_of(x, k));
			if (rc != WD_OK)
				return rc;
		}
		return WD_OK;
	}
	if (nd->parent != WD_NONE)
		return add_edge(x, nd->parent, comp, WD_EDGE_FLOW, nd->branch, loc_of(x, nd->obj));
	for (i = 0; i < x->ntriggers; i++) {
		rc = add_edge(x, x->triggers[i], comp, WD_EDGE_FLOW, "trigger", loc_of(x, nd->obj));
		if (rc != WD_OK)
			return rc;
	}
	return WD_OK;
}

static wd_status uri_target(pa_ctx *x, uint32_t comp, const wd_json_val *v)
{
	wd_str s, r;
	uint32_t flags = 0;

	if (!wd_json_is_str(v) || !v->len)
		return WD_OK;
	s = wd_json_str(x->jd, v);
	if (x->arm && is_arm_expr(s)) {
		wd_buf b;
		wd_buf_init(&b, ARM_MAX_TEXT);
		if (!arm_resolve(x, s, &r, &b)) {
			flags |= WD_TARGET_DYNAMIC;
			r = wd_buf_failed(&b) ? s
			                      : wd_arena_str(&x->m->arena, wd_str_make(wd_buf_cstr(&b), b.len));
		}
		wd_buf_release(&b);
		if (!r.ptr)
			return WD_ENOMEM;
		s = r;
	}
	return wd_model_add_target(x->m, comp, s, loc_of(x, v), flags);
}

static wd_status node_targets(pa_ctx *x, uint32_t comp, const wd_json_val *a)
{
	wd_str t = x->m->comps[comp].type;
	const wd_json_val *in = get(x, a, "inputs");
	wd_status rc = WD_OK;

	if (wd_str_eq_c(t, "Http")) {
		rc = uri_target(x, comp, get(x, in, "uri"));
	} else if (wd_str_eq_c(t, "HttpWebhook")) {
		rc = uri_target(x, comp, get(x, get(x, in, "subscribe"), "uri"));
		if (rc == WD_OK)
			rc = uri_target(x, comp, get(x, get(x, in, "unsubscribe"), "uri"));
	}
	return rc;
}

/* Property names of a JSON schema, recursively (objects and array items). */
static wd_status schema_fields(pa_ctx *x, uint32_t comp, const wd_json_val *schema,
                               unsigned depth, unsigned *count)
{
	const wd_json_val *props, *k, *v;
	size_t i;
	wd_status rc;

	if (!wd_json_is_obj(schema) || depth > MAX_SCHEMA_DEPTH)
		return WD_OK;
	props = get(x, schema, "properties");
	if (wd_json_is_obj(props)) {
		WD_JSON_OBJ_FOREACH(props, i, k, v)
		{
			if (*count >= MAX_SCHEMA_FIELDS)
				return WD_OK;
			(*count)++;
			rc = add_field(x, comp, wd_json_str(x->jd, k), loc_of(x, k));
			if (rc == WD_OK)
				rc = schema_fields(x, comp, v, depth + 1, count);
			if (rc != WD_OK)
				return rc;
		}
	}
	return schema_fields(x, comp, get(x, schema, "items"), depth + 1, count);
}

/* A call of another workflow: a WD_REF_OTHER whose path is the callee's id. */
static wd_status workflow_call(pa_ctx *x, uint32_t comp, const wd_json_val *a)
{
	const wd_json_val *host = get(x, get(x, a, "inputs"), "host");
	const wd_json_val *id = get(x, get(x, host, "workflow"), "id");
	wd_ref r;

	if (!wd_json_is_str(id))
		id = get(x, host, "workflowReferenceName");
	if (!wd_json_is_str(id) || !id->len)
		return WD_OK;
	memset(&r, 0, sizeof(r));
	r.comp = comp;
	r.src = WD_NONE;
	r.kind = WD_REF_OTHER;
	r.path = wd_json_str(x->jd, id);
	r.loc = loc_of(x, id);
	return wd_model_add_ref(x->m, &r);
}

static wd_status use_conn(pa_ctx *x, uint32_t comp, uint32_t conn)
{
	const pa_conn *c = &x->conns[conn];
	wd_status rc;

	if (c->cred != WD_NONE) {
		rc = wd_model_add_cred_use(x->m, comp, c->cred);
		if (rc != WD_OK)
			return rc;
		if (x->m->creds[c->cred].comp == WD_NONE)
			x->m->creds[c->cred].comp = comp;
	}
	if (c->cfg != WD_NONE) {
		cfg_use *u;
		if (x->nuses == x->uses_cap &&
		    wd_grow((void **)&x->uses, &x->uses_cap, x->nuses + 1, sizeof(*x->uses)) != WD_OK)
			return WD_ENOMEM;
		u = &x->uses[x->nuses++];
		u->comp = comp;
		u->cfg = c->cfg;
		u->loc = x->m->comps[comp].loc;
	}
	return WD_OK;
}

/* ---- workflows --------------------------------------------------------------------------- */

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
			if (depth == 0)
				return i + 1 < len ? i + 1 : len;
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

/* A person from createdBy / creator: a string, or an object naming them. */
static wd_str person(const pa_ctx *x, const wd_json_val *v)
{
	static const char *const keys[] = {"userPrincipalName", "email", "displayName", "userId",
	                                   "objectId", "id"};
	size_t i;

	if (wd_json_is_str(v))
		return eq_ci(wd_json_str(x->jd, v), "N/A") ? WD_STR_NULL : wd_json_str(x->jd, v);
	for (i = 0; i < COUNT(keys); i++) {
		wd_str s = get_str(x, v, keys[i]);
		if (s.len)
			return s;
	}
	return WD_STR_NULL;
}

/* The package manifest's details (legacy packages), NULL when absent. */
static const wd_json_val *manifest_details(const pa_ctx *x, wd_json_doc **pj)
{
	*pj = wd_model_json(x->m, x->manifest_doc);
	return *pj ? wd_json_get(*pj, wd_json_root(*pj), "details") : NULL;
}

typedef struct wf_src {
	const wd_json_val *obj;      /* the workflow object: app location, hashed */
	const wd_json_val *def;      /* the definition */
	const wd_json_val *props;    /* properties of the resource / export, or NULL */
	const wd_json_val *wrapper;  /* holds "parameters" with $connections, or NULL */
	wd_str name, id;
	int whole_file;
} wf_src;

static void app_owner(pa_ctx *x, wd_app *a, const wf_src *w)
{
	wd_json_doc *pj;
	const wd_json_val *d = manifest_details(x, &pj);

	a->owner_hint = person(x, get(x, w->props, "createdBy"));
	if (!a->owner_hint.len)
		a->owner_hint = person(x, get(x, w->props, "creator"));
	if (!a->owner_hint.len && pj) {
		wd_str s = wd_json_get_str(pj, d, "createdBy");
		if (!s.len)
			s = wd_json_get_str(pj, d, "creator");
		if (s.len && !eq_ci(s, "N/A"))
			a->owner_hint = s;
	}
	if (!a->owner_hint.len)
		a->owner_hint = person(x, get(x, get(x, w->def, "metadata"), "creator"));
}

static wd_status import_workflow(pa_ctx *x, const wf_src *w)
{
	wd_model *m = x->m;
	const wd_json_val *trig = get(x, w->def, "triggers"), *k, *v;
	const char *in;
	size_t len, i;
	uint8_t digest[32];
	wd_str state = get_str(x, w->props, "state");
	wd_app a;
	wd_status rc;
	uint32_t idx;

	wd_app_init(&a, WD_PLATFORM_POWER_AUTOMATE);
	a.id = w->id;
	a.name = w->name;
	a.loc = loc_of(x, w->obj);
	a.settings_loc = loc_of(x, w->def);
	if (eq_ci(state, "Enabled") || eq_ci(state, "Started"))
		a.active = 1;
	else if (eq_ci(state, "Disabled") || eq_ci(state, "Stopped") || eq_ci(state, "Suspended"))
		a.active = 0;
	app_owner(x, &a, w);
	in = wd_json_input(x->jd, &len);
	if (w->whole_file) {
		wd_sha256(in, len, digest);
	} else {
		size_t end = value_end(in, len, w->obj->off);
		wd_sha256(in + w->obj->off, end - w->obj->off, digest);
	}
	wd_hex(digest, sizeof(digest), a.hash);
	rc = wd_model_add_app(m, &a, &x->app);
	if (rc != WD_OK)
		return fail_rc(x, rc, "adding the workflow");

	/* per-workflow tables */
	x->first = (uint32_t)m->ncomps;
	x->nnodes = x->nconns = x->nvars = x->ntriggers = 0;
	x->error_handling = 0;
	x->access = get(x, w->props, "accessControl");
	wd_hmap_release(&x->names);
	wd_hmap_release(&x->var_names);
	wd_hmap_release(&x->conn_keys);
	wd_hmap_release(&x->refs);

	rc = connection_refs(x, get(x, w->props, "connectionReferences"));
	if (rc == WD_OK)
		rc = dollar_connections(x, get(x, w->wrapper, "parameters"));
	if (rc == WD_OK && x->lacon_doc != WD_NONE)
		rc = standard_connections(x);
	if (rc != WD_OK)
		return fail_rc(x, rc, "reading connection references");

	/* pass 1: components, so that names resolve in pass 2 */
	if (wd_json_is_obj(trig)) {
		WD_JSON_OBJ_FOREACH(trig, i, k, v)
		{
			if (!wd_json_is_obj(v))
				continue;
			rc = add_node(x, k, v, WD_NONE, NULL, 1, &idx);
			if (rc != WD_OK)
				return rc;
		}
	}
	rc = add_actions(x, get(x, w->def, "actions"), WD_NONE, NULL, 0);
	if (rc != WD_OK)
		return rc;
	rc = index_names(x);
	if (rc == WD_OK)
		rc = index_vars(x);
	if (rc != WD_OK)
		return fail_rc(x, rc, "indexing action names");

	/* pass 2: edges, references, targets, fields, connections */
	for (i = 0; i < x->nnodes; i++) {
		uint32_t comp = (uint32_t)(x->first + i);
		const pa_node *nd = &x->nodes[i];
		const wd_json_val *av = nd->obj;

		rc = flow_edges(x, i);
		if (rc == WD_OK)
			rc = node_exprs(x, comp, av);
		if (rc == WD_OK)
			rc = node_targets(x, comp, av);
		if (rc == WD_OK && nd->conn != WD_NONE)
			rc = use_conn(x, comp, nd->conn);
		if (rc == WD_OK && wd_str_eq_c(m->comps[comp].type, "Workflow"))
			rc = workflow_call(x, comp, av);
		if (rc == WD_OK && nd->trigger && wd_str_eq_c(m->comps[comp].type, "Request")) {
			unsigned count = 0;
			rc = schema_fields(x, comp, get(x, get(x, av, "inputs"), "schema"), 0, &count);
		}
		if (rc != WD_OK)
			return fail_rc(x, rc, "reading actions");
	}
	m->apps[x->app].error_handling = (int8_t)x->error_handling;
	x->found++;
	return WD_OK;
}

/* ---- the five shapes ------------------------------------------------------------------------- */

static int is_definition(const pa_ctx *x, const wd_json_val *v)
{
	return wd_json_is_obj(v) &&
	       (wd_json_is_obj(get(x, v, "triggers")) || wd_json_is_obj(get(x, v, "actions")));
}

/* Read an optional companion; a missing or broken one is not an error. */
static wd_status companion(pa_ctx *x, const char *rel, uint32_t *doc)
{
	wd_error cerr;
	wd_status rc;

	memset(&cerr, 0, sizeof(cerr));
	rc = wd_import_companion(x->m, x->opts, rel, doc, &cerr);
	if (rc == WD_ENOMEM)
		return wd_error_set(x->err, rc, "power-automate: %s: out of memory reading %s",
		                    doc_path(x), rel);
	if (rc != WD_OK)
		*doc = WD_NONE;
	return WD_OK;
}

/* "<name>-<GUID>" (solution file names): the GUID in *id, the name returned. */
static wd_str split_guid(wd_str stem, wd_str *id)
{
	static const int dash[] = {8, 13, 18, 23};
	wd_str g;
	size_t i, d = 0;

	*id = stem;
	if (stem.len < 38 || stem.ptr[stem.len - 37] != '-')
		return stem;
	g = wd_str_make(stem.ptr + stem.len - 36, 36);
	for (i = 0; i < 36; i++) {
		if (d < COUNT(dash) && (int)i == dash[d]) {
			if (g.ptr[i] != '-')
				return stem;
			d++;
		} else if (!is_hex((unsigned char)g.ptr[i])) {
			return stem;
		}
	}
	*id = g;
	return wd_str_make(stem.ptr, stem.len - 37);
}

static wd_str file_stem(const char *path)
{
	wd_str b = base_name(path);

	if (b.len > 5 && eq_ci(wd_str_make(b.ptr + b.len - 5, 5), ".json"))
		b.len -= 5;
	return b;
}

/* properties.definition: solution Workflows/ files and legacy definition.json. */
static wd_status import_properties(pa_ctx *x, const wd_json_val *root, const wd_json_val *props)
{
	const char *path = doc_path(x);
	wf_src w;
	wd_status rc;

	memset(&w, 0, sizeof(w));
	w.obj = root;
	w.def = get(x, props, "definition");
	w.props = props;
	w.wrapper = props;
	w.whole_file = 1;
	w.name = get_str(x, props, "displayName");
	if (eq_ci(base_name(path), "definition.json")) {
		x->shape = SHAPE_LEGACY;
		if ((rc = companion(x, "apisMap.json", &x->apis_doc)) != WD_OK ||
		    (rc = companion(x, "connectionsMap.json", &x->cmap_doc)) != WD_OK ||
		    (rc = companion(x, "../../../manifest.json", &x->manifest_doc)) != WD_OK)
			return rc;
		{
			uint32_t flows = WD_NONE;
			if ((rc = companion(x, "../manifest.json", &flows)) != WD_OK)
				return rc;
		}
		w.id = get_str(x, root, "name");
		if (!w.id.len)
			w.id = folder_name(path);
		if (!w.name.len && x->manifest_doc != WD_NONE) {
			wd_json_doc *pj = wd_model_json(x->m, x->manifest_doc);
			wd_str fid = folder_name(path);
			const wd_json_val *res = wd_json_get(pj, wd_json_root(pj), "resources");
			const wd_json_val *e = fid.len && wd_json_size(res) <= MAX_LOOKUP_MEMBERS
			                           ? wd_json_get_n(pj, res, fid.ptr, fid.len)
			                           : NULL;
			w.name = wd_json_get_str(pj, wd_json_get(pj, e, "details"), "displayName");
		}
		if (!w.name.len)
			w.name = w.id;
	} else {
		x->shape = SHAPE_SOLUTION;
		{
			wd_str id, nm = split_guid(file_stem(path), &id);
			if (!w.name.len)
				w.name = nm;
			w.id = get_str(x, root, "name");
			if (!w.id.len)
				w.id = id;
		}
	}
	return import_workflow(x, &w);
}

/* Logic Apps Standard companions: beside workflow.json, or in the project root. */
static wd_status standard_companions(pa_ctx *x)
{
	uint32_t params = WD_NONE;
	wd_status rc;

	if ((rc = companion(x, "connections.json", &x->lacon_doc)) != WD_OK)
		return rc;
	if (x->lacon_doc == WD_NONE && (rc = companion(x, "../connections.json", &x->lacon_doc)) != WD_OK)
		return rc;
	if ((rc = companion(x, "parameters.json", &params)) != WD_OK)
		return rc;
	if (params == WD_NONE && (rc = companion(x, "../parameters.json", &params)) != WD_OK)
		return rc;
	return WD_OK;
}

/* {definition, kind} (Logic Apps Standard) or a bare definition. */
static wd_status import_definition(pa_ctx *x, const wd_json_val *root, const wd_json_val *def)
{
	const char *path = doc_path(x);
	wf_src w;
	wd_status rc;

	memset(&w, 0, sizeof(w));
	w.obj = root;
	w.def = def;
	w.wrapper = def == root ? NULL : root;
	w.props = def == root ? NULL : get(x, root, "properties");
	w.whole_file = 1;
	x->shape = def == root ? SHAPE_BARE : SHAPE_STANDARD;
	if (eq_ci(base_name(path), "workflow.json")) {
		w.name = folder_name(path);
		if ((rc = standard_companions(x)) != WD_OK)
			return rc;
	} else if (x->shape == SHAPE_STANDARD && get(x, root, "kind")) {
		if ((rc = standard_companions(x)) != WD_OK)
			return rc;
	}
	if (!w.name.len)
		w.name = file_stem(path);
	w.id = w.name;
	return import_workflow(x, &w);
}

static int res_type_is(const pa_ctx *x, const wd_json_val *r, const char *t)
{
	return eq_ci(get_str(x, r, "type"), t);
}

/* The scope a nested deployment's template evaluates its expressions in. */
static arm_scope nested_scope(const pa_ctx *x, const wd_json_val *props,
                              const wd_json_val *tmpl, arm_scope outer)
{
	arm_scope in;

	if (!eq_ci(get_str(x, get(x, props, "expressionEvaluationOptions"), "scope"), "inner"))
		return outer;
	in.params = get(x, tmpl, "parameters");
	in.vars = get(x, tmpl, "variables");
	return in;
}

/* An ARM Microsoft.Web/connections resource: a credential and, later, a component. */
static wd_status arm_connection(pa_ctx *x, const wd_json_val *r)
{
	const wd_json_val *props = get(x, r, "properties");
	wd_str name, disp, api;
	uint32_t cred, cfg;
	wd_status rc;

	(void)arm_resolve(x, get_str(x, r, "name"), &name, NULL);
	api = arm_last_seg(x, get_str(x, get(x, props, "api"), "id"));
	if (!api.len)
		api = get_str(x, get(x, props, "api"), "name");
	if (!api.len)
		api = wd_str_c("connection");
	if (!arm_resolve(x, get_str(x, props, "displayName"), &disp, NULL) || !disp.len)
		disp = name;
	rc = new_cred(x, x->doc, name, disp, api, 0, r, &cred);
	if (rc == WD_OK)
		rc = add_cfg(x, x->doc, r, get(x, props, "parameterValues"), name, api, cred, &cfg);
	return rc;
}

static wd_status arm_logic_app(pa_ctx *x, const wd_json_val *r)
{
	const wd_json_val *props = get(x, r, "properties");
	wf_src w;

	memset(&w, 0, sizeof(w));
	w.obj = r;
	w.def = get(x, props, "definition");
	if (!wd_json_is_obj(w.def))
		return WD_OK;
	w.props = props;
	w.wrapper = props;
	(void)arm_resolve(x, get_str(x, r, "name"), &w.name, NULL);
	if (!w.name.len)
		w.name = get_str(x, props, "displayName");
	w.id = w.name;
	return import_workflow(x, &w);
}

/*
 * Walk an ARM resources array (child resources and nested deployments
 * included, in document order): pass 0 collects connection resources,
 * pass 1 imports workflows.
 */
static wd_status arm_walk(pa_ctx *x, const wd_json_val *res, arm_scope sc, int pass,
                          unsigned depth)
{
	const wd_json_val *r;
	size_t i;
	wd_status rc = WD_OK;

	if (!wd_json_is_arr(res) || depth > ARM_MAX_RES_DEPTH)
		return WD_OK;
	WD_JSON_ARR_FOREACH(res, i, r)
	{
		const wd_json_val *props, *tmpl;

		if (!wd_json_is_obj(r))
			continue;
		x->scope = sc;
		if (pass == 0 && res_type_is(x, r, "Microsoft.Web/connections"))
			rc = arm_connection(x, r);
		else if (pass == 1 && res_type_is(x, r, "Microsoft.Logic/workflows"))
			rc = arm_logic_app(x, r);
		if (rc == WD_OK)
			rc = arm_walk(x, get(x, r, "resources"), sc, pass, depth + 1);
		props = get(x, r, "properties");
		tmpl = get(x, props, "template");
		if (rc == WD_OK && wd_json_is_obj(tmpl))
			rc = arm_walk(x, get(x, tmpl, "resources"), nested_scope(x, props, tmpl, sc), pass,
			              depth + 1);
		if (rc != WD_OK)
			return rc;
	}
	return WD_OK;
}

static wd_status import_arm(pa_ctx *x, const wd_json_val *root)
{
	arm_scope sc;
	wd_status rc;

	x->arm = 1;
	x->shape = SHAPE_ARM;
	sc.params = get(x, root, "parameters");
	sc.vars = get(x, root, "variables");
	rc = arm_walk(x, get(x, root, "resources"), sc, 0, 0);
	if (rc != WD_OK)
		return fail_rc(x, rc, "reading connection resources");
	return arm_walk(x, get(x, root, "resources"), sc, 1, 0);
}

/* Connections with configuration: components of no app, then the edges to them. */
static wd_status add_config_components(pa_ctx *x)
{
	size_t i;
	wd_status rc;

	for (i = 0; i < x->ncfgs; i++) {
		pa_cfg *g = &x->cfgs[i];
		wd_component c;

		wd_component_init(x->m, &c);
		c.app = WD_NONE;
		c.id = g->name;
		c.name = g->name;
		c.type = arena_join(x, wd_str_c("connection:"), "", g->api);
		if (!c.type.ptr)
			return WD_ENOMEM;
		c.kind = WD_KIND_CONFIG;
		c.loc = wd_model_loc(x->m, g->doc, g->obj);
		c.params = wd_model_loc(x->m, g->doc, g->params);
		if (g->tls_off)
			c.flags |= WD_COMP_TLS_NOVERIFY;
		if (looks_custom(g->api))
			c.flags |= WD_COMP_CUSTOM;
		c.connector = lookup_api(x, g->api, WD_STR_NULL, 0);
		rc = wd_model_add_component(x->m, &c, &g->comp);
		if (rc != WD_OK)
			return rc;
		if (g->cred != WD_NONE && x->m->creds[g->cred].comp == WD_NONE)
			x->m->creds[g->cred].comp = g->comp;
	}
	for (i = 0; i < x->nuses; i++) {
		rc = add_edge(x, x->uses[i].comp, x->cfgs[x->uses[i].cfg].comp, WD_EDGE_CONFIG,
		              "connection", x->uses[i].loc);
		if (rc != WD_OK)
			return rc;
	}
	return WD_OK;
}

static wd_status run(pa_ctx *x)
{
	const wd_json_val *root = wd_json_root(x->jd), *props;
	wd_status rc;

	if (!wd_json_is_obj(root))
		return fail_at(x, root, WD_EFORMAT, "expected a workflow definition, an exported flow "
		               "or an ARM template (an object)");
	props = get(x, root, "properties");
	if (is_definition(x, get(x, props, "definition")))
		rc = import_properties(x, root, props);
	else if (is_definition(x, get(x, root, "definition")))
		rc = import_definition(x, root, get(x, root, "definition"));
	else if (is_definition(x, root))
		rc = import_definition(x, root, root);
	else if (wd_json_is_arr(get(x, root, "resources")))
		rc = import_arm(x, root);
	else
		return fail_at(x, root, WD_EFORMAT, "no workflow definition (\"triggers\" / "
		               "\"actions\"), \"properties.definition\" or ARM \"resources\"");
	if (rc != WD_OK)
		return rc;
	if (x->found == 0)
		return fail_at(x, get(x, root, "resources"), WD_EFORMAT,
		               "no Microsoft.Logic/workflows resource with a \"definition\" object");
	rc = add_config_components(x);
	if (rc != WD_OK)
		return fail_rc(x, rc, "adding connection resources");
	return WD_OK;
}

wd_status wd_import_powerautomate(wd_model *m, uint32_t doc, const wd_import_opts *opts,
                                  wd_error *err)
{
	wd_import_opts dflt;
	wd_limits lim;
	pa_ctx x;
	wd_status rc;

	if (!m || !wd_model_json(m, doc))
		return wd_error_set(err, WD_EINVAL, "power-automate: no document %u in the model", doc);
	if (!opts) {
		memset(&dflt, 0, sizeof(dflt));
		opts = &dflt;
	}
	lim = opts->limits;
	wd_limits_resolve(&lim);
	memset(&x, 0, sizeof(x));
	x.m = m;
	x.doc = doc;
	x.jd = wd_model_json(m, doc);
	x.opts = opts;
	x.err = err;
	x.max_nesting = lim.max_nesting;
	x.arm_budget = ARM_BUDGET;
	x.apis_doc = x.cmap_doc = x.manifest_doc = x.lacon_doc = WD_NONE;
	if (m->platform == WD_PLATFORM_UNKNOWN)
		m->platform = WD_PLATFORM_POWER_AUTOMATE;

	rc = run(&x);

	wd_hmap_release(&x.names);
	wd_hmap_release(&x.var_names);
	wd_hmap_release(&x.conn_keys);
	wd_hmap_release(&x.refs);
	wd_hmap_release(&x.cfg_names);
	free(x.nodes);
	free(x.conns);
	free(x.vars);
	free(x.cfgs);
	free(x.uses);
	return rc;
}
