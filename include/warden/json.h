/*
 * warden/json.h - Warden's strict JSON reader (RFC 8259) and writer helpers.
 *
 * A parsed document is one flat array of 16-byte values in document order
 * (yyjson style): a container is followed by its children, and records how
 * many slots its subtree takes, so the next sibling is found in O(1). Strings
 * without escapes point into the caller's input (in situ); strings with
 * escapes are unescaped once into the document's string pool. Numbers keep
 * their text and are converted on request. Every value keeps its byte offset,
 * from which wd_json_locate() computes line, column and JSON pointer.
 *
 * The input is validated fully: grammar, UTF-8 (no overlongs, surrogates or
 * code points past U+10FFFF), escapes (paired \u surrogates), and the limits
 * in wd_limits. A leading UTF-8 BOM is skipped. Errors carry line and column
 * and say what was expected.
 *
 * Ownership: the document borrows the input buffer, which must outlive it,
 * unless it was created by wd_json_parse_file(), which owns its buffer.
 */
#ifndef WARDEN_JSON_H
#define WARDEN_JSON_H

#include "warden/util.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum wd_json_type {
	WD_JSON_NULL = 0,
	WD_JSON_FALSE = 1,
	WD_JSON_TRUE = 2,
	WD_JSON_NUMBER = 3,
	WD_JSON_STRING = 4,
	WD_JSON_ARRAY = 5,
	WD_JSON_OBJECT = 6
} wd_json_type;

#define WD_JSON_TYPE_MASK 7u
#define WD_JSON_F_ESCAPED 8u  /* string: content lives in the string pool */

/*
 * One value. Fields are for the inline accessors below; use those.
 *   tag:  type | flags
 *   len:  string/number: byte length of the content;
 *         array: element count; object: member (key/value pair) count
 *   off:  byte offset of the value's first byte in the input (the quote of a
 *         string, the bracket of a container)
 *   aux:  container: slots taken by its subtree, excluding itself;
 *         escaped string: offset of its content in the string pool
 */
typedef struct wd_json_val {
	uint32_t tag;
	uint32_t len;
	uint32_t off;
	uint32_t aux;
} wd_json_val;

typedef struct wd_json_doc wd_json_doc;

/* Parse len bytes at data. The buffer must outlive the document. */
wd_status wd_json_parse(wd_json_doc **out, const char *data, size_t len,
                        const wd_limits *lim, wd_error *err);
/* Read path (within lim->max_file_size) and parse it; the doc owns the bytes. */
wd_status wd_json_parse_file(wd_json_doc **out, const char *path, const wd_limits *lim,
                             wd_error *err);
/* Take ownership of a malloc'd buffer (freed with the document, even on failure). */
wd_status wd_json_parse_owned(wd_json_doc **out, char *data, size_t len,
                              const wd_limits *lim, wd_error *err);
void wd_json_free(wd_json_doc *doc);

const wd_json_val *wd_json_root(const wd_json_doc *doc);
/* The input bytes and their length (after nothing: the BOM is included). */
const char *wd_json_input(const wd_json_doc *doc, size_t *len);
size_t wd_json_count(const wd_json_doc *doc);

static inline wd_json_type wd_json_typeof(const wd_json_val *v)
{
	return v ? (wd_json_type)(v->tag & WD_JSON_TYPE_MASK) : WD_JSON_NULL;
}
static inline int wd_json_is_str(const wd_json_val *v)
{
	return v && (v->tag & WD_JSON_TYPE_MASK) == WD_JSON_STRING;
}
static inline int wd_json_is_obj(const wd_json_val *v)
{
	return v && (v->tag & WD_JSON_TYPE_MASK) == WD_JSON_OBJECT;
}
static inline int wd_json_is_arr(const wd_json_val *v)
{
	return v && (v->tag & WD_JSON_TYPE_MASK) == WD_JSON_ARRAY;
}
static inline int wd_json_is_container(const wd_json_val *v)
{
	return v && (v->tag & WD_JSON_TYPE_MASK) >= WD_JSON_ARRAY;
}
static inline int wd_json_is_true(const wd_json_val *v)
{
	return v && (v->tag & WD_JSON_TYPE_MASK) == WD_JSON_TRUE;
}
static inline int wd_json_is_false(const wd_json_val *v)
{
	return v && (v->tag & WD_JSON_TYPE_MASK) == WD_JSON_FALSE;
}
/* Element count of an array, member count of an object, 0 otherwise. */
static inline size_t wd_json_size(const wd_json_val *v)
{
	return wd_json_is_container(v) ? v->len : 0;
}
/* The value after v in its container (undefined past the last child). */
static inline const wd_json_val *wd_json_skip(const wd_json_val *v)
{
	return v + 1 + (wd_json_is_container(v) ? v->aux : 0);
}
/* First child of a non-empty container (for objects: the first key). */
static inline const wd_json_val *wd_json_first(const wd_json_val *v)
{
	return v + 1;
}

/* Iterate an array: for (i = 0, e = wd_json_first(a); i < n; i++, e = wd_json_skip(e)) */
/* Iterate an object: k = first; value = k + 1; next key = wd_json_skip(k + 1). */
#define WD_JSON_ARR_FOREACH(arr, i, e)                                            \
	for ((i) = 0, (e) = wd_json_first(arr); (i) < wd_json_size(arr);         \
	     (i)++, (e) = wd_json_skip(e))
#define WD_JSON_OBJ_FOREACH(obj, i, k, v)                                         \
	for ((i) = 0, (k) = wd_json_first(obj), (v) = (k) + 1;                  \
	     (i) < wd_json_size(obj);                                             \
	     (i)++, (k) = wd_json_skip(v), (v) = (k) + 1)

/* String content (not NUL-terminated); {NULL,0} when v is not a string. */
wd_str wd_json_str(const wd_json_doc *doc, const wd_json_val *v);
/* Number text as written in the input; {NULL,0} when not a number. */
wd_str wd_json_num_text(const wd_json_doc *doc, const wd_json_val *v);
/* Number as double / as int64 (WD_EINVAL if not a number or not integral). */
wd_status wd_json_num(const wd_json_doc *doc, const wd_json_val *v, double *out);
wd_status wd_json_int(const wd_json_doc *doc, const wd_json_val *v, int64_t *out);

/* Member of an object by key (the last one if repeated); NULL if absent. */
const wd_json_val *wd_json_get(const wd_json_doc *doc, const wd_json_val *obj, const char *key);
const wd_json_val *wd_json_get_n(const wd_json_doc *doc, const wd_json_val *obj,
                                 const char *key, size_t keylen);
/* Element i of an array; NULL if out of range. O(i). */
const wd_json_val *wd_json_at(const wd_json_val *arr, size_t i);
/* Convenience: string member, {NULL,0} when absent or not a string. */
wd_str wd_json_get_str(const wd_json_doc *doc, const wd_json_val *obj, const char *key);
/* 1 if member key is JSON true, 0 if false or absent, dflt if another type. */
int wd_json_get_bool(const wd_json_doc *doc, const wd_json_val *obj, const char *key, int dflt);

/* Index of a value in the document (stable identity within one doc). */
size_t wd_json_index(const wd_json_doc *doc, const wd_json_val *v);
const wd_json_val *wd_json_by_index(const wd_json_doc *doc, size_t idx);

/*
 * Position of a value: 1-based line and column (column in code points) of its
 * first byte. Lines are indexed on first use (O(n) once, then O(log n)).
 * Returns WD_ENOMEM if the line index cannot be built.
 */
wd_status wd_json_position(wd_json_doc *doc, const wd_json_val *v, uint32_t *line,
                           uint32_t *column);
/* The same for a raw byte offset into the input. */
wd_status wd_json_offset_position(wd_json_doc *doc, size_t offset, uint32_t *line,
                                  uint32_t *column);
/*
 * RFC 6901 JSON pointer of v ("" for the root), appended to out. Found by
 * descending from the root, O(depth * siblings).
 */
void wd_json_pointer(const wd_json_doc *doc, const wd_json_val *v, wd_buf *out);

/*
 * Point err at v: its line, column, byte offset and JSON pointer (cut to
 * fit err->pointer; line and column stay exact). Accepts NULL err or v.
 */
void wd_json_error_at(wd_json_doc *doc, const wd_json_val *v, wd_error *err);

/* ---- writing ---------------------------------------------------------- */

/*
 * Append s as a JSON string literal (with quotes), escaping '"', '\\',
 * control characters, U+2028/U+2029, and replacing invalid UTF-8 with U+FFFD.
 */
void wd_json_write_str(wd_buf *out, wd_str s);
void wd_json_write_cstr(wd_buf *out, const char *s);

#ifdef __cplusplus
}
#endif
#endif
