/*
 * warden/yaml.h - the libyaml adapter: a small YAML document tree with
 * positions, for the files people write by hand (policy, owners,
 * threat-model annotations).
 *
 * libyaml is used only in src/lib/yaml/. A loaded document is a tree of
 * scalars, sequences and mappings, each node carrying its 1-based line and
 * column, all owned by one arena and freed with wd_yaml_free().
 *
 * Loading is strict, because a half-read policy is worse than none:
 *   - one document per file (a second `---` document is an error);
 *   - duplicate keys in a mapping are an error naming both lines;
 *   - keys must be scalars;
 *   - aliases are expanded, but the expanded tree may not exceed
 *     lim.max_nodes nodes (the "billion laughs" bomb stops early, with the
 *     line of the alias that crossed the limit), and an alias may not
 *     refer to an anchor that is still open (recursion);
 *   - the input may not exceed lim.max_size bytes, nesting lim.max_depth;
 *   - tags other than the core schema's (!!str, !!int...) are an error.
 * Every error gives line and column in wd_error (err->line, err->column).
 *
 * On top of the tree, small typed getters (wd_yaml_get_*) and a key check
 * (wd_yaml_check_keys) let loaders reject unknown keys and wrong types with
 * the position of the offending node, and build nothing until the whole file
 * has been validated.
 */
#ifndef WARDEN_YAML_H
#define WARDEN_YAML_H

#include "warden/util.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum wd_yaml_type {
	WD_YAML_NULL = 0,   /* empty value, "~", "null" (plain scalars only) */
	WD_YAML_SCALAR,     /* every other scalar: text as written */
	WD_YAML_SEQ,
	WD_YAML_MAP
} wd_yaml_type;

typedef struct wd_yaml_node wd_yaml_node;

struct wd_yaml_node {
	wd_yaml_type type;
	uint32_t line;        /* 1-based */
	uint32_t column;      /* 1-based, in characters */
	int quoted;           /* scalar was quoted ('' or "") or a block scalar:
	                         never a number, boolean or null */
	const char *text;     /* scalar text, NUL-terminated (NULL for others) */
	size_t len;           /* scalar length (may contain NUL bytes if quoted) */
	/* sequences: items[0..n); mappings: keys[i] -> items[i] */
	wd_yaml_node **items;
	wd_yaml_node **keys;
	size_t n;
};

typedef struct wd_yaml_limits {
	size_t max_size;      /* bytes; default 1 MiB */
	uint32_t max_depth;   /* default 64 */
	uint32_t max_nodes;   /* after alias expansion; default 100000 */
} wd_yaml_limits;

typedef struct wd_yaml_doc {
	wd_arena arena;
	wd_yaml_node *root;   /* never NULL after a successful load: an empty
	                         file gives a WD_YAML_NULL root */
	const char *path;     /* as given, for messages (arena copy; may be "") */
} wd_yaml_doc;

/* The default limits (documented in docs/internals/limits.md). */
wd_yaml_limits wd_yaml_limits_default(void);

/*
 * Parse len bytes of YAML. path names the input in error messages (err's
 * message starts with neither the path nor the position: callers print
 * "path:line:column: message"). lim may be NULL for the defaults.
 * WD_OK and *out, or WD_EPARSE / WD_ELIMIT / WD_ENOMEM with err filled
 * (err->line, err->column set when there is a position) and *out NULL.
 */
wd_status wd_yaml_load(wd_yaml_doc **out, const char *path, const char *data, size_t len,
                       const wd_yaml_limits *lim, wd_error *err);
/* The same for a file (WD_EIO when unreadable; the size limit is checked
 * before reading the whole file). */
wd_status wd_yaml_load_file(wd_yaml_doc **out, const char *path, const wd_yaml_limits *lim,
                            wd_error *err);
void wd_yaml_free(wd_yaml_doc *doc);

/* ---- reading the tree -------------------------------------------------------- */

/* The value of key in a mapping, NULL when absent or when map is no mapping. */
const wd_yaml_node *wd_yaml_get(const wd_yaml_node *map, const char *key);
/* The type name for messages: "null", "string", "list", "mapping". */
const char *wd_yaml_type_name(const wd_yaml_node *n);

/*
 * Check that every key of map is one of the NULL-terminated list `allowed`.
 * WD_OK, or WD_EFORMAT with err = "unknown key 'x' in <what> (expected one
 * of: a, b, c)" at the key's position. Also fails when map is not a mapping
 * ("<what> must be a mapping, not a list").
 */
wd_status wd_yaml_check_keys(const wd_yaml_node *map, const char *what,
                             const char *const *allowed, wd_error *err);

/*
 * Typed getters. Each reads key from map (absent: WD_ENOTFOUND, out left
 * as it was, no error recorded; a present value of the wrong type:
 * WD_EFORMAT with err at the value's position, e.g. "'severity' must be a
 * string, not a list").
 *   _str:  a scalar (plain or quoted), returned as a NUL-terminated pointer
 *          into the document (valid until wd_yaml_free);
 *   _bool: plain true/false/yes/no/on/off (any case);
 *   _int:  a plain decimal integer within [min, max];
 *   _num:  a plain decimal number (integer or fraction, no exponent needed);
 *   _date: a YYYY-MM-DD date, as days since 1970-01-01 (UTC).
 */
wd_status wd_yaml_get_str(const wd_yaml_node *map, const char *key, const char **out,
                          wd_error *err);
wd_status wd_yaml_get_bool(const wd_yaml_node *map, const char *key, int *out, wd_error *err);
wd_status wd_yaml_get_int(const wd_yaml_node *map, const char *key, int64_t min, int64_t max,
                          int64_t *out, wd_error *err);
wd_status wd_yaml_get_num(const wd_yaml_node *map, const char *key, double *out,
                          wd_error *err);
wd_status wd_yaml_get_date(const wd_yaml_node *map, const char *key, int32_t *out,
                           wd_error *err);

/* The same conversions for a node already in hand (a list item). */
wd_status wd_yaml_as_str(const wd_yaml_node *n, const char *what, const char **out,
                         wd_error *err);
wd_status wd_yaml_as_date(const wd_yaml_node *n, const char *what, int32_t *out,
                          wd_error *err);

/* Record an error at node n (sets err->line / err->column). Returns code. */
wd_status wd_yaml_error(wd_error *err, wd_status code, const wd_yaml_node *n, const char *fmt,
                        ...) __attribute__((format(printf, 4, 5)));

/* Days since 1970-01-01 for a YYYY-MM-DD string; -1 when it is not one
 * (also checks the day exists: 2026-02-30 is refused). */
int32_t wd_date_parse(const char *s, size_t len);
/* Writes YYYY-MM-DD (11 bytes with the NUL) for days since 1970-01-01. */
void wd_date_format(int32_t days, char out[11]);

#ifdef __cplusplus
}
#endif
#endif
