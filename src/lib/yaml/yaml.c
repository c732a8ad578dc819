/*
 * yaml/yaml.c - the libyaml adapter: hand-written YAML files (policy, owners,
 * threat-model annotations) as a small tree with positions.
 *
 * The only file that includes <yaml.h>. libyaml's event parser does the
 * syntax; the tree is built here, in the document's arena, so that every
 * rule of include/warden/yaml.h is enforced while reading, before a caller
 * sees anything:
 *   - one document; keys are scalars; no duplicate key in a mapping;
 *   - an alias shares the pointer of its completed anchored node, and counts
 *     the anchored node's whole expanded size against max_nodes (so a
 *     "billion laughs" bomb stops at the alias that crosses the limit), and
 *     its height against max_depth (so a walker never recurses deeper than
 *     max_depth, aliases included);
 *   - only the core schema's tags.
 *
 * Invariants of a loaded tree: every node has a 1-based position; scalars
 * (WD_YAML_SCALAR and WD_YAML_NULL) have a NUL-terminated text; mappings
 * have n keys, each a scalar or null, pairwise different; the expanded tree
 * has at most max_nodes nodes and max_depth levels of collections. Nodes
 * may be shared (aliases), so the tree is a DAG: never free or mutate one.
 *
 * Load state (the anchor table, the child stack, the duplicate-key index) is
 * malloc'd and freed before returning, on every path.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "warden/yaml.h"

#define CORE_TAG "tag:yaml.org,2002:"
#define SHOW_MAX 64 /* bytes of input text quoted in a message */

wd_yaml_limits wd_yaml_limits_default(void)
{
	wd_yaml_limits lim;

	lim.max_size = (size_t)1 << 20;
	lim.max_depth = 64;
	lim.max_nodes = 100000;
	return lim;
}

/* ---- messages ------------------------------------------------------------ */

/*
 * Input text for a message: at most SHOW_MAX bytes, cut at a character
 * boundary ("..." added), control characters and DEL as '?'. libyaml has
 * already checked the UTF-8, but quoted escapes may produce any code point,
 * NUL included.
 */
static const char *show(char *buf, size_t cap, const char *s, size_t len)
{
	size_t i, o = 0, lim = len;
	int cut = 0;

	if (lim > SHOW_MAX) {
		lim = SHOW_MAX;
		while (lim > 0 && ((unsigned char)s[lim] & 0xC0) == 0x80)
			lim--;
		cut = 1;
	}
	for (i = 0; i < lim && o + 4 < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		buf[o++] = (c < 0x20 || c == 0x7F) ? '?' : (char)c;
	}
	if (cut && o + 4 <= cap) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

static wd_status verror_at(wd_error *err, wd_status code, uint32_t line, uint32_t col,
                           const char *fmt, va_list ap)
{
	if (!err)
		return code;
	err->code = code;
	err->line = line;
	err->column = col;
	err->offset = 0;
	err->pointer[0] = '\0';
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	return code;
}

static wd_status error_at(wd_error *err, wd_status code, uint32_t line, uint32_t col,
                          const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static wd_status error_at(wd_error *err, wd_status code, uint32_t line, uint32_t col,
                          const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror_at(err, code, line, col, fmt, ap);
	va_end(ap);
	return code;
}

wd_status wd_yaml_error(wd_error *err, wd_status code, const wd_yaml_node *n, const char *fmt,
                        ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror_at(err, code, n ? n->line : 0, n ? n->column : 0, fmt, ap);
	va_end(ap);
	return code;
}

const char *wd_yaml_type_name(const wd_yaml_node *n)
{
	if (!n)
		return "nothing";
	switch (n->type) {
	case WD_YAML_NULL: return "null";
	case WD_YAML_SCALAR: return "string";
	case WD_YAML_SEQ: return "list";
	case WD_YAML_MAP: return "mapping";
	}
	return "unknown";
}

/* ---- loading ------------------------------------------------------------- */

typedef struct anchor {
	const char *name;       /* in the load state's scratch arena */
	wd_yaml_node *node;
	int open;               /* its collection has not ended yet */
	uint64_t weight;        /* nodes of the expanded subtree */
	uint32_t height;        /* collection levels of the expanded subtree */
} anchor;

typedef struct frame {
	wd_yaml_node *node;
	size_t start;           /* first child in the child stack */
	uint64_t count_start;   /* st->count before this node was counted */
	uint64_t serial;        /* unique per collection: seeds key hashes */
	uint32_t height;        /* 1 + the highest child's height */
	size_t anchor;          /* index + 1 in st->anchors, 0 for none */
} frame;

typedef struct load_state {
	wd_yaml_doc *doc;
	wd_yaml_limits lim;
	const char *data;
	size_t len;
	int bom;                /* input starts with a UTF-8 BOM (not a column) */
	wd_error *err;

	wd_arena scratch;       /* anchor names */
	anchor *anchors;
	size_t n_anchors, cap_anchors;
	wd_hmap anchor_index;   /* hash of name -> index in anchors */

	frame *frames;
	size_t depth, cap_frames;
	wd_yaml_node **kids;    /* children of every open collection, innermost last */
	size_t n_kids, cap_kids;
	wd_hmap key_index;      /* hash of (serial, key text) -> position in kids */
	uint64_t serial;

	uint64_t count;         /* nodes so far, aliases expanded */
	int documents;
} load_state;

static void mark_pos(yaml_mark_t m, uint32_t *line, uint32_t *col)
{
	size_t l = m.line, c = m.column; /* 0-based; a BOM is not counted */

	*line = l + 1 > UINT32_MAX ? UINT32_MAX : (uint32_t)(l + 1);
	*col = c + 1 > UINT32_MAX ? UINT32_MAX : (uint32_t)(c + 1);
}

/*
 * Line and column of a byte offset (reader errors carry only the offset).
 * Breaks as libyaml counts them: LF, CR, CRLF (NEL and U+2028/9 too, but a
 * reader error comes before libyaml has seen those as breaks anyway).
 */
static void offset_pos(const load_state *st, size_t off, uint32_t *line, uint32_t *col)
{
	size_t i, ls = 0;
	uint64_t l = 1, c = 1;

	if (off > st->len)
		off = st->len;
	for (i = 0; i < off; i++) {
		if (st->data[i] == '\n' ||
		    (st->data[i] == '\r' && (i + 1 >= st->len || st->data[i + 1] != '\n'))) {
			l++;
			ls = i + 1;
		}
	}
	if (ls == 0 && st->bom && off >= 3)
		ls = 3;
	for (i = ls; i < off; i++)
		if (((unsigned char)st->data[i] & 0xC0) != 0x80)
			c++;
	*line = l > UINT32_MAX ? UINT32_MAX : (uint32_t)l;
	*col = c > UINT32_MAX ? UINT32_MAX : (uint32_t)c;
}

static wd_status st_error(load_state *st, wd_status code, yaml_mark_t m, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static wd_status st_error(load_state *st, wd_status code, yaml_mark_t m, const char *fmt, ...)
{
	uint32_t line, col;
	va_list ap;

	mark_pos(m, &line, &col);
	va_start(ap, fmt);
	verror_at(st->err, code, line, col, fmt, ap);
	va_end(ap);
	return code;
}

static wd_status nomem(load_state *st)
{
	return error_at(st->err, WD_ENOMEM, 0, 0, "out of memory");
}

/* libyaml's error as a wd_error. */
static wd_status parser_error(load_state *st, const yaml_parser_t *p)
{
	const char *problem = p->problem ? p->problem : "syntax error";
	uint32_t line, col;

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		return nomem(st);
	case YAML_READER_ERROR:
		offset_pos(st, p->problem_offset, &line, &col);
		if (p->problem_value >= 0)
			error_at(st->err, WD_EPARSE, line, col, "%s (#%X)", problem,
			         (unsigned)p->problem_value);
		else
			error_at(st->err, WD_EPARSE, line, col, "%s", problem);
		if (st->err)
			st->err->offset = p->problem_offset > st->len ? st->len : p->problem_offset;
		return WD_EPARSE;
	default:
		break;
	}
	mark_pos(p->problem_mark, &line, &col);
	if (p->context) {
		uint32_t cl, cc;
		mark_pos(p->context_mark, &cl, &cc);
		return error_at(st->err, WD_EPARSE, line, col, "%s (%s at line %u, column %u)",
		                problem, p->context, cl, cc);
	}
	return error_at(st->err, WD_EPARSE, line, col, "%s", problem);
}

/* Count n more nodes of the expanded tree. */
static wd_status count_nodes(load_state *st, uint64_t n, yaml_mark_t m, int alias)
{
	st->count += n;
	if (st->count > st->lim.max_nodes) {
		if (alias)
			return st_error(st, WD_ELIMIT, m, "aliases expand to more than %u nodes",
			                st->lim.max_nodes);
		return st_error(st, WD_ELIMIT, m, "more than %u nodes", st->lim.max_nodes);
	}
	return WD_OK;
}

static wd_yaml_node *new_node(load_state *st, wd_yaml_type type, yaml_mark_t m)
{
	wd_yaml_node *n = wd_arena_zalloc(&st->doc->arena, sizeof(*n));

	if (!n)
		return NULL;
	n->type = type;
	mark_pos(m, &n->line, &n->column);
	return n;
}

/* The most recent anchor of that name, or NULL. */
static anchor *find_anchor(load_state *st, const char *name)
{
	size_t slot = WD_HMAP_START;
	uint32_t idx;
	anchor *best = NULL;

	while ((idx = wd_hmap_next(&st->anchor_index, wd_hash64(name, strlen(name), 0), &slot)) !=
	       UINT32_MAX) {
		if (strcmp(st->anchors[idx].name, name) == 0)
			best = &st->anchors[idx];
	}
	return best;
}

/* Register an anchor; *index is its index + 1. */
static wd_status add_anchor(load_state *st, const char *name, wd_yaml_node *node, int open,
                            size_t *index)
{
	anchor *a;
	size_t len = strlen(name);

	if (st->n_anchors >= UINT32_MAX - 1)
		return nomem(st);
	if (wd_grow((void **)&st->anchors, &st->cap_anchors, st->n_anchors + 1,
	            sizeof(*st->anchors)) != WD_OK)
		return nomem(st);
	a = &st->anchors[st->n_anchors];
	a->name = wd_arena_strndup(&st->scratch, name, len);
	if (!a->name)
		return nomem(st);
	if (wd_hmap_put(&st->anchor_index, wd_hash64(name, len, 0), (uint32_t)st->n_anchors) !=
	    WD_OK)
		return nomem(st);
	a->node = node;
	a->open = open;
	a->weight = 1;
	a->height = 0;
	*index = ++st->n_anchors;
	return WD_OK;
}

static wd_status push_kid(load_state *st, wd_yaml_node *n)
{
	if (wd_grow((void **)&st->kids, &st->cap_kids, st->n_kids + 1, sizeof(*st->kids)) != WD_OK)
		return nomem(st);
	st->kids[st->n_kids++] = n;
	return WD_OK;
}

static int is_key_position(const load_state *st)
{
	const frame *f;

	if (st->depth == 0)
		return 0;
	f = &st->frames[st->depth - 1];
	return f->node->type == WD_YAML_MAP && (st->n_kids - f->start) % 2 == 0;
}

/*
 * Attach a finished node (of expanded height h) to the open collection, or
 * make it the root. A key is checked for kind and duplicates here.
 */
static wd_status attach(load_state *st, wd_yaml_node *n, uint32_t h, yaml_mark_t m)
{
	frame *f;

	if (st->depth == 0) {
		st->doc->root = n;
		return WD_OK;
	}
	f = &st->frames[st->depth - 1];
	if (is_key_position(st)) {
		uint64_t hash;
		size_t slot = WD_HMAP_START;
		uint32_t pos;
		char buf[SHOW_MAX + 8];

		if (n->type == WD_YAML_SEQ || n->type == WD_YAML_MAP)
			return st_error(st, WD_EPARSE, m,
			                "a mapping key must be a scalar, not a %s",
			                wd_yaml_type_name(n));
		hash = wd_hash64(n->text, n->len, f->serial);
		while ((pos = wd_hmap_next(&st->key_index, hash, &slot)) != UINT32_MAX) {
			const wd_yaml_node *k;
			/* an entry of a closed collection may name a reused slot: only
			 * a key position of this mapping holding equal text counts */
			if (pos < f->start || pos >= st->n_kids || (pos - f->start) % 2 != 0)
				continue;
			k = st->kids[pos];
			if (k->len == n->len && memcmp(k->text, n->text, n->len) == 0)
				return st_error(st, WD_EPARSE, m,
				                "duplicate key '%s' (first at line %u)",
				                show(buf, sizeof(buf), n->text, n->len), k->line);
		}
		if (st->n_kids >= UINT32_MAX)
			return nomem(st);
		if (wd_hmap_put(&st->key_index, hash, (uint32_t)st->n_kids) != WD_OK)
			return nomem(st);
	}
	if (h + 1 > f->height)
		f->height = h + 1;
	return push_kid(st, n);
}

static int is_null_text(const char *s, size_t len)
{
	return len == 0 || (len == 1 && s[0] == '~') ||
	       (len == 4 && (memcmp(s, "null", 4) == 0 || memcmp(s, "Null", 4) == 0 ||
	                     memcmp(s, "NULL", 4) == 0));
}

/* "!!int" for a core tag, the tag as written otherwise. */
static const char *show_tag(char *buf, size_t cap, const char *tag)
{
	size_t n = strlen(CORE_TAG);
	char inner[SHOW_MAX + 8];

	if (strncmp(tag, CORE_TAG, n) == 0) {
		snprintf(buf, cap, "!!%s", show(inner, sizeof(inner), tag + n, strlen(tag + n)));
		return buf;
	}
	return show(buf, cap, tag, strlen(tag));
}

/*
 * The core-schema name of tag ("str", "map"...), "" for the non-specific
 * "!", NULL for none; *bad set for any other tag.
 */
static const char *core_tag(const char *tag, int *bad)
{
	static const char *const names[] = {"str", "int", "float", "bool", "null", "map", "seq"};
	size_t i, n = strlen(CORE_TAG);

	*bad = 0;
	if (!tag)
		return NULL;
	if (strcmp(tag, "!") == 0)
		return "";
	if (strncmp(tag, CORE_TAG, n) == 0)
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strcmp(tag + n, names[i]) == 0)
				return names[i];
	*bad = 1;
	return NULL;
}

static wd_status check_tag(load_state *st, const char *tag, const char *kind, yaml_mark_t m,
                           const char **core)
{
	char buf[SHOW_MAX + 16];
	int bad;

	*core = core_tag(tag, &bad);
	if (bad)
		return st_error(st, WD_EPARSE, m,
		                "tag '%s' is not allowed (only the core schema's)",
		                show_tag(buf, sizeof(buf), tag));
	if (!*core || !**core)
		return WD_OK;
	if (strcmp(kind, "scalar") == 0 ? (strcmp(*core, "map") == 0 || strcmp(*core, "seq") == 0)
	                                : strcmp(*core, kind) != 0)
		return st_error(st, WD_EPARSE, m, "tag '!!%s' does not fit a %s", *core,
		                strcmp(kind, "scalar") == 0 ? "scalar"
		                : strcmp(kind, "map") == 0  ? "mapping"
		                                            : "list");
	return WD_OK;
}

static wd_status on_scalar(load_state *st, const yaml_event_t *ev)
{
	const char *text = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	int plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	const char *core;
	wd_yaml_node *n;
	size_t idx;
	wd_status rc;

	rc = check_tag(st, (const char *)ev->data.scalar.tag, "scalar", ev->start_mark, &core);
	if (rc != WD_OK)
		return rc;
	if (core && strcmp(core, "null") == 0 && !is_null_text(text, len))
		return st_error(st, WD_EPARSE, ev->start_mark,
		                "a '!!null' value must be empty, '~' or 'null'");
	rc = count_nodes(st, 1, ev->start_mark, 0);
	if (rc != WD_OK)
		return rc;
	n = new_node(st, WD_YAML_SCALAR, ev->start_mark);
	if (!n)
		return nomem(st);
	if (core && strcmp(core, "null") == 0)
		n->type = WD_YAML_NULL;
	else if (!core && plain && is_null_text(text, len))
		n->type = WD_YAML_NULL;
	/* "!" and "!!str" make a plain scalar a string, as quotes do */
	n->quoted = !plain || (core && (!*core || strcmp(core, "str") == 0));
	n->text = wd_arena_strndup(&st->doc->arena, text ? text : "", text ? len : 0);
	if (!n->text)
		return nomem(st);
	n->len = text ? len : 0;
	if (ev->data.scalar.anchor) {
		rc = add_anchor(st, (const char *)ev->data.scalar.anchor, n, 0, &idx);
		if (rc != WD_OK)
			return rc;
	}
	return attach(st, n, 0, ev->start_mark);
}

static wd_status on_alias(load_state *st, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	char buf[SHOW_MAX + 8];
	anchor *a = find_anchor(st, name);
	wd_status rc;

	if (!a)
		return st_error(st, WD_EPARSE, ev->start_mark, "unknown alias '*%s'",
		                show(buf, sizeof(buf), name, strlen(name)));
	if (a->open)
		return st_error(st, WD_EPARSE, ev->start_mark,
		                "alias '*%s' refers to a node that contains it (recursion)",
		                show(buf, sizeof(buf), name, strlen(name)));
	if (a->height > 0 && st->depth + a->height > st->lim.max_depth)
		return st_error(st, WD_ELIMIT, ev->start_mark,
		                "aliases nest deeper than %u levels", st->lim.max_depth);
	rc = count_nodes(st, a->weight, ev->start_mark, 1);
	if (rc != WD_OK)
		return rc;
	return attach(st, a->node, a->height, ev->start_mark);
}

static wd_status on_start(load_state *st, const yaml_event_t *ev, wd_yaml_type type)
{
	const char *tag, *anchor_name, *core;
	wd_yaml_node *n;
	frame *f;
	wd_status rc;

	if (type == WD_YAML_SEQ) {
		tag = (const char *)ev->data.sequence_start.tag;
		anchor_name = (const char *)ev->data.sequence_start.anchor;
	} else {
		tag = (const char *)ev->data.mapping_start.tag;
		anchor_name = (const char *)ev->data.mapping_start.anchor;
	}
	rc = check_tag(st, tag, type == WD_YAML_SEQ ? "seq" : "map", ev->start_mark, &core);
	if (rc != WD_OK)
		return rc;
	if (is_key_position(st))
		return st_error(st, WD_EPARSE, ev->start_mark,
		                "a mapping key must be a scalar, not a %s",
		                type == WD_YAML_SEQ ? "list" : "mapping");
	if (st->depth + 1 > st->lim.max_depth)
		return st_error(st, WD_ELIMIT, ev->start_mark, "nesting deeper than %u levels",
		                st->lim.max_depth);
	if (wd_grow((void **)&st->frames, &st->cap_frames, st->depth + 1, sizeof(*st->frames)) !=
	    WD_OK)
		return nomem(st);
	n = new_node(st, type, ev->start_mark);
	if (!n)
		return nomem(st);
	f = &st->frames[st->depth];
	f->node = n;
	f->start = st->n_kids;
	f->count_start = st->count;
	f->serial = ++st->serial;
	f->height = 1;
	f->anchor = 0;
	st->depth++;
	if (anchor_name) {
		rc = add_anchor(st, anchor_name, n, 1, &f->anchor);
		if (rc != WD_OK)
			return rc;
	}
	return count_nodes(st, 1, ev->start_mark, 0);
}

static wd_status on_end(load_state *st, const yaml_event_t *ev)
{
	frame f = st->frames[st->depth - 1];
	wd_yaml_node *n = f.node;
	size_t k = st->n_kids - f.start, i;

	st->depth--;
	if (n->type == WD_YAML_SEQ) {
		n->n = k;
		if (k) {
			n->items = wd_arena_alloc(&st->doc->arena, k * sizeof(*n->items));
			if (!n->items)
				return nomem(st);
			memcpy(n->items, st->kids + f.start, k * sizeof(*n->items));
		}
	} else {
		/* libyaml ends a mapping only after a value for every key */
		n->n = k / 2;
		if (n->n) {
			n->keys = wd_arena_alloc(&st->doc->arena, n->n * sizeof(*n->keys));
			n->items = wd_arena_alloc(&st->doc->arena, n->n * sizeof(*n->items));
			if (!n->keys || !n->items)
				return nomem(st);
			for (i = 0; i < n->n; i++) {
				n->keys[i] = st->kids[f.start + 2 * i];
				n->items[i] = st->kids[f.start + 2 * i + 1];
			}
		}
	}
	st->n_kids = f.start;
	if (f.anchor) {
		anchor *a = &st->anchors[f.anchor - 1];
		a->open = 0;
		a->weight = st->count - f.count_start;
		a->height = f.height;
	}
	/* a collection in a key position was refused at its start */
	return attach(st, n, f.height, ev->start_mark);
}

static wd_status on_event(load_state *st, const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (st->documents++ > 0)
			return st_error(st, WD_EPARSE, ev->start_mark,
			                "a second document starts here (one document per file)");
		return WD_OK;
	case YAML_SCALAR_EVENT:
		return on_scalar(st, ev);
	case YAML_ALIAS_EVENT:
		return on_alias(st, ev);
	case YAML_SEQUENCE_START_EVENT:
		return on_start(st, ev, WD_YAML_SEQ);
	case YAML_MAPPING_START_EVENT:
		return on_start(st, ev, WD_YAML_MAP);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return on_end(st, ev);
	default:
		return WD_OK;
	}
}

static void resolve_limits(wd_yaml_limits *out, const wd_yaml_limits *lim)
{
	wd_yaml_limits def = wd_yaml_limits_default();

	*out = def;
	if (!lim)
		return;
	if (lim->max_size)
		out->max_size = lim->max_size;
	if (lim->max_depth)
		out->max_depth = lim->max_depth;
	if (lim->max_nodes)
		out->max_nodes = lim->max_nodes;
}

static wd_yaml_doc *new_doc(const char *path)
{
	wd_yaml_doc *doc = calloc(1, sizeof(*doc));

	if (!doc)
		return NULL;
	wd_arena_init(&doc->arena, 0);
	doc->path = wd_arena_strndup(&doc->arena, path ? path : "", path ? strlen(path) : 0);
	if (!doc->path) {
		wd_yaml_free(doc);
		return NULL;
	}
	return doc;
}

wd_status wd_yaml_load(wd_yaml_doc **out, const char *path, const char *data, size_t len,
                       const wd_yaml_limits *lim, wd_error *err)
{
	load_state st;
	yaml_parser_t parser;
	int parser_ok = 0;
	wd_status rc = WD_OK;

	*out = NULL;
	wd_error_clear(err);
	memset(&st, 0, sizeof(st));
	resolve_limits(&st.lim, lim);
	st.err = err;
	st.data = data ? data : "";
	st.len = data ? len : 0;
	st.bom = st.len >= 3 && memcmp(st.data, "\xEF\xBB\xBF", 3) == 0;
	wd_arena_init(&st.scratch, 4096);
	st.anchor_index = (wd_hmap)WD_HMAP_INIT;
	st.key_index = (wd_hmap)WD_HMAP_INIT;

	if (st.len > st.lim.max_size) {
		rc = error_at(err, WD_ELIMIT, 0, 0, "input is %zu bytes, over the limit of %zu",
		              st.len, st.lim.max_size);
		goto out;
	}
	st.doc = new_doc(path);
	if (!st.doc) {
		rc = nomem(&st);
		goto out;
	}
	if (!yaml_parser_initialize(&parser)) {
		rc = nomem(&st);
		goto out;
	}
	parser_ok = 1;
	yaml_parser_set_input_string(&parser, (const unsigned char *)st.data, st.len);
	for (;;) {
		yaml_event_t ev;
		int done;

		memset(&ev, 0, sizeof(ev));
		if (!yaml_parser_parse(&parser, &ev)) {
			rc = parser_error(&st, &parser);
			goto out;
		}
		rc = on_event(&st, &ev);
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
		if (rc != WD_OK)
			goto out;
		if (done)
			break;
	}
	if (!st.doc->root) {
		yaml_mark_t m;
		memset(&m, 0, sizeof(m));
		st.doc->root = new_node(&st, WD_YAML_NULL, m);
		if (!st.doc->root ||
		    !(st.doc->root->text = wd_arena_strndup(&st.doc->arena, "", 0))) {
			rc = nomem(&st);
			goto out;
		}
		st.doc->root->line = st.doc->root->column = 1;
	}
	*out = st.doc;
	st.doc = NULL;
out:
	if (parser_ok)
		yaml_parser_delete(&parser);
	wd_yaml_free(st.doc);
	wd_arena_release(&st.scratch);
	wd_hmap_release(&st.anchor_index);
	wd_hmap_release(&st.key_index);
	free(st.anchors);
	free(st.frames);
	free(st.kids);
	return rc;
}

wd_status wd_yaml_load_file(wd_yaml_doc **out, const char *path, const wd_yaml_limits *lim,
                            wd_error *err)
{
	wd_yaml_limits l;
	char *data = NULL;
	size_t len = 0;
	wd_status rc;

	*out = NULL;
	wd_error_clear(err);
	resolve_limits(&l, lim);
	/* wd_read_file refuses an oversized file from its stat, before reading */
	rc = wd_read_file(path, l.max_size, &data, &len, err);
	if (rc != WD_OK)
		return rc;
	rc = wd_yaml_load(out, path, data, len, &l, err);
	free(data);
	return rc;
}

void wd_yaml_free(wd_yaml_doc *doc)
{
	if (!doc)
		return;
	wd_arena_release(&doc->arena);
	free(doc);
}

/* ---- reading the tree ---------------------------------------------------- */

const wd_yaml_node *wd_yaml_get(const wd_yaml_node *map, const char *key)
{
	size_t i, len;

	if (!map || map->type != WD_YAML_MAP || !key)
		return NULL;
	len = strlen(key);
	for (i = 0; i < map->n; i++) {
		const wd_yaml_node *k = map->keys[i];
		if (k->len == len && memcmp(k->text, key, len) == 0)
			return map->items[i];
	}
	return NULL;
}

/* "a list" / "null" for messages. */
static const char *a_type(const wd_yaml_node *n)
{
	if (!n)
		return "nothing";
	switch (n->type) {
	case WD_YAML_NULL: return "null";
	case WD_YAML_SCALAR: return n->quoted ? "a quoted string" : "a string";
	case WD_YAML_SEQ: return "a list";
	case WD_YAML_MAP: return "a mapping";
	}
	return "unknown";
}

wd_status wd_yaml_check_keys(const wd_yaml_node *map, const char *what,
                             const char *const *allowed, wd_error *err)
{
	size_t i, j;

	if (!map || map->type != WD_YAML_MAP)
		return wd_yaml_error(err, WD_EFORMAT, map, "%s must be a mapping, not %s", what,
		                     a_type(map));
	for (i = 0; i < map->n; i++) {
		const wd_yaml_node *k = map->keys[i];
		int ok = 0;

		for (j = 0; allowed && allowed[j]; j++) {
			if (strlen(allowed[j]) == k->len &&
			    memcmp(allowed[j], k->text, k->len) == 0) {
				ok = 1;
				break;
			}
		}
		if (!ok) {
			char buf[SHOW_MAX + 8];
			wd_buf list;
			wd_status rc;

			wd_buf_init(&list, WD_ERROR_MSG_MAX);
			for (j = 0; allowed && allowed[j]; j++) {
				if (j)
					wd_buf_puts(&list, ", ");
				wd_buf_puts(&list, allowed[j]);
			}
			rc = wd_yaml_error(err, WD_EFORMAT, k,
			                   "unknown key '%s' in %s (expected one of: %s)",
			                   show(buf, sizeof(buf), k->text, k->len), what,
			                   wd_buf_cstr(&list));
			wd_buf_release(&list);
			return rc;
		}
	}
	return WD_OK;
}

static wd_status want_scalar(const wd_yaml_node *n, const char *what, const char *kind,
                             wd_error *err)
{
	if (n->type == WD_YAML_SCALAR)
		return WD_OK;
	return wd_yaml_error(err, WD_EFORMAT, n, "%s must be %s, not %s", what, kind, a_type(n));
}

wd_status wd_yaml_as_str(const wd_yaml_node *n, const char *what, const char **out,
                         wd_error *err)
{
	wd_status rc;

	if (!n)
		return WD_ENOTFOUND;
	rc = want_scalar(n, what, "a string", err);
	if (rc != WD_OK)
		return rc;
	*out = n->text;
	return WD_OK;
}

wd_status wd_yaml_as_date(const wd_yaml_node *n, const char *what, int32_t *out, wd_error *err)
{
	char buf[SHOW_MAX + 8];
	int32_t d;
	wd_status rc;

	if (!n)
		return WD_ENOTFOUND;
	rc = want_scalar(n, what, "a date (YYYY-MM-DD)", err);
	if (rc != WD_OK)
		return rc;
	d = wd_date_parse(n->text, n->len);
	if (d < 0)
		return wd_yaml_error(err, WD_EFORMAT, n, "%s must be a date (YYYY-MM-DD), not '%s'",
		                     what, show(buf, sizeof(buf), n->text, n->len));
	*out = d;
	return WD_OK;
}

/* "'key'" for messages, shortened like any input text. */
static const char *key_what(char *buf, size_t cap, const char *key)
{
	char inner[SHOW_MAX + 8];

	snprintf(buf, cap, "'%s'", show(inner, sizeof(inner), key, strlen(key)));
	return buf;
}

#define WHAT_MAX (SHOW_MAX + 16)

wd_status wd_yaml_get_str(const wd_yaml_node *map, const char *key, const char **out,
                          wd_error *err)
{
	char what[WHAT_MAX];
	const wd_yaml_node *n = wd_yaml_get(map, key);

	if (!n)
		return WD_ENOTFOUND;
	return wd_yaml_as_str(n, key_what(what, sizeof(what), key), out, err);
}

wd_status wd_yaml_get_date(const wd_yaml_node *map, const char *key, int32_t *out,
                           wd_error *err)
{
	char what[WHAT_MAX];
	const wd_yaml_node *n = wd_yaml_get(map, key);

	if (!n)
		return WD_ENOTFOUND;
	return wd_yaml_as_date(n, key_what(what, sizeof(what), key), out, err);
}

static int ieq(const char *s, size_t len, const char *word)
{
	size_t i;

	if (strlen(word) != len)
		return 0;
	for (i = 0; i < len; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != word[i])
			return 0;
	}
	return 1;
}

wd_status wd_yaml_get_bool(const wd_yaml_node *map, const char *key, int *out, wd_error *err)
{
	static const char *const yes[] = {"true", "yes", "on"};
	static const char *const no[] = {"false", "no", "off"};
	char what[WHAT_MAX], buf[SHOW_MAX + 8];
	const wd_yaml_node *n = wd_yaml_get(map, key);
	size_t i;
	wd_status rc;

	if (!n)
		return WD_ENOTFOUND;
	key_what(what, sizeof(what), key);
	rc = want_scalar(n, what, "true or false", err);
	if (rc != WD_OK)
		return rc;
	if (!n->quoted) {
		for (i = 0; i < 3; i++) {
			if (ieq(n->text, n->len, yes[i])) {
				*out = 1;
				return WD_OK;
			}
			if (ieq(n->text, n->len, no[i])) {
				*out = 0;
				return WD_OK;
			}
		}
	}
	return wd_yaml_error(err, WD_EFORMAT, n, "%s must be true or false, not %s'%s'", what,
	                     n->quoted ? "the quoted string " : "",
	                     show(buf, sizeof(buf), n->text, n->len));
}

/* A plain decimal integer: optional sign, digits, no leading zero. */
static int parse_int(const char *s, size_t len, int64_t *out, int *overflow)
{
	size_t i = 0;
	int neg = 0;
	uint64_t v = 0, lim;

	*overflow = 0;
	if (i < len && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	if (i == len || (s[i] == '0' && len - i > 1))
		return 0;
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < len; i++) {
		unsigned d;
		if (s[i] < '0' || s[i] > '9')
			return 0;
		d = (unsigned)(s[i] - '0');
		if (v > (lim - d) / 10)
			*overflow = 1;
		else
			v = v * 10 + d;
	}
	if (*overflow)
		return 1;
	*out = neg ? (v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v) : (int64_t)v;
	return 1;
}

wd_status wd_yaml_get_int(const wd_yaml_node *map, const char *key, int64_t min, int64_t max,
                          int64_t *out, wd_error *err)
{
	char what[WHAT_MAX], buf[SHOW_MAX + 8];
	const wd_yaml_node *n = wd_yaml_get(map, key);
	int64_t v = 0;
	int overflow;
	wd_status rc;

	if (!n)
		return WD_ENOTFOUND;
	key_what(what, sizeof(what), key);
	rc = want_scalar(n, what, "an integer", err);
	if (rc != WD_OK)
		return rc;
	if (n->quoted || !parse_int(n->text, n->len, &v, &overflow))
		return wd_yaml_error(err, WD_EFORMAT, n, "%s must be an integer, not %s'%s'", what,
		                     n->quoted ? "the quoted string " : "",
		                     show(buf, sizeof(buf), n->text, n->len));
	if (overflow || v < min || v > max)
		return wd_yaml_error(err, WD_EFORMAT, n, "%s must be between %lld and %lld, not %s",
		                     what, (long long)min, (long long)max,
		                     show(buf, sizeof(buf), n->text, n->len));
	*out = v;
	return WD_OK;
}

/* A plain decimal number: [+-] digits [. digits] [e [+-] digits], or [+-] . digits. */
static int number_syntax(const char *s, size_t len)
{
	size_t i = 0, digits = 0;

	if (i < len && (s[i] == '-' || s[i] == '+'))
		i++;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++, digits++;
	if (i < len && s[i] == '.') {
		i++;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++, digits++;
	}
	if (!digits)
		return 0;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t e = 0;
		i++;
		if (i < len && (s[i] == '-' || s[i] == '+'))
			i++;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++, e++;
		if (!e)
			return 0;
	}
	return i == len;
}

wd_status wd_yaml_get_num(const wd_yaml_node *map, const char *key, double *out, wd_error *err)
{
	char what[WHAT_MAX], buf[SHOW_MAX + 8];
	const wd_yaml_node *n = wd_yaml_get(map, key);
	double d = 0;
	wd_status rc;

	if (!n)
		return WD_ENOTFOUND;
	key_what(what, sizeof(what), key);
	rc = want_scalar(n, what, "a number", err);
	if (rc != WD_OK)
		return rc;
	if (!n->quoted && number_syntax(n->text, n->len)) {
		/* the syntax check leaves no room for strtod's hex, inf or nan; the
		 * library runs in the C locale (nothing calls setlocale) */
		errno = 0;
		d = strtod(n->text, NULL);
		if (isfinite(d)) {
			*out = d;
			return WD_OK;
		}
	}
	return wd_yaml_error(err, WD_EFORMAT, n, "%s must be a number, not %s'%s'", what,
	                     n->quoted ? "the quoted string " : "",
	                     show(buf, sizeof(buf), n->text, n->len));
}

/* ---- dates --------------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

#define MAX_DAYS 2932896 /* 9999-12-31 */

int32_t wd_date_parse(const char *s, size_t len)
{
	static const unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	unsigned y = 0, m, d, dim;
	size_t i;

	if (!s || len != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	for (i = 0; i < 4; i++)
		y = y * 10 + (unsigned)(s[i] - '0');
	m = (unsigned)(s[5] - '0') * 10 + (unsigned)(s[6] - '0');
	d = (unsigned)(s[8] - '0') * 10 + (unsigned)(s[9] - '0');
	/* before 1970 the day count is negative, and -1 means "no date" */
	if (y < 1970 || m < 1 || m > 12 || d < 1)
		return -1;
	dim = mdays[m - 1] + (m == 2 && leap(y));
	if (d > dim)
		return -1;
	return (int32_t)days_from_civil(y, m, d);
}

void wd_date_format(int32_t days, char out[11])
{
	int64_t y;
	unsigned m, d, yy;
	int64_t z = days < 0 ? 0 : days > MAX_DAYS ? MAX_DAYS : days;

	civil_from_days(z, &y, &m, &d);
	yy = (unsigned)y;
	out[0] = (char)('0' + yy / 1000 % 10);
	out[1] = (char)('0' + yy / 100 % 10);
	out[2] = (char)('0' + yy / 10 % 10);
	out[3] = (char)('0' + yy % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}
