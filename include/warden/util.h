/*
 * warden/util.h - status codes, errors, limits, arena, string buffer, slices.
 *
 * The lowest layer of libwarden. Nothing here prints, exits or reads the
 * environment. Every fallible function returns a wd_status (WD_OK == 0,
 * failures negative) and fills an optional wd_error passed last.
 */
#ifndef WARDEN_UTIL_H
#define WARDEN_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- status and errors ------------------------------------------------ */

typedef enum wd_status {
	WD_OK = 0,
	WD_ENOMEM = -1,       /* out of memory */
	WD_EINVAL = -2,       /* bad argument from the caller */
	WD_EIO = -3,          /* a file could not be opened or read */
	WD_ELIMIT = -4,       /* input exceeds a configured limit */
	WD_EPARSE = -5,       /* input is not well-formed (JSON syntax, UTF-8) */
	WD_EFORMAT = -6,      /* well-formed, but not a known export format */
	WD_ENOTFOUND = -7     /* a looked-up item does not exist */
} wd_status;

#define WD_ERROR_MSG_MAX 256
#define WD_ERROR_PTR_MAX 256

/*
 * Where and why something failed. line and column are 1-based (0 = not
 * applicable); column counts characters (UTF-8 code points), not bytes.
 * pointer is an RFC 6901 JSON pointer, empty when not applicable.
 */
typedef struct wd_error {
	wd_status code;
	uint32_t line;
	uint32_t column;
	uint64_t offset;
	char message[WD_ERROR_MSG_MAX];
	char pointer[WD_ERROR_PTR_MAX];
} wd_error;

/* Reset an error record to "no error". Accepts NULL. */
void wd_error_clear(wd_error *err);

/* Record a failure (printf-style message) and return code. Accepts NULL err. */
wd_status wd_error_set(wd_error *err, wd_status code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A short English name for a status ("out of memory", ...). */
const char *wd_status_str(wd_status code);

/* ---- limits ----------------------------------------------------------- */

/*
 * Every limit on untrusted input, in one place. wd_limits_default() gives the
 * documented defaults (docs/internals/limits.md). A zero field means "use the
 * default", so callers may set only what they change.
 */
typedef struct wd_limits {
	uint64_t max_file_size;     /* bytes of one input file (default 128 MiB) */
	uint32_t max_depth;         /* JSON nesting depth (default 512) */
	uint64_t max_string_len;    /* bytes of one JSON string (default 16 MiB) */
	uint64_t max_elements;      /* JSON values in one document (default 16 M) */
	uint32_t max_components;    /* components in one export (default 200,000) */
	uint32_t max_dir_depth;     /* directory recursion depth (default 64) */
	uint64_t max_files;         /* files in one scan (default 10 M) */
	uint32_t max_archive_entries; /* members of one zip (default 10,000) */
	uint64_t max_archive_total; /* uncompressed bytes read from one zip (default 512 MiB) */
	uint32_t max_archive_ratio; /* uncompressed / compressed size of a member (default 200) */
	uint32_t max_archive_depth; /* zips inside zips (default 2) */
	uint32_t max_nesting;       /* nested scopes / routes / branches (default 256) */
} wd_limits;

wd_limits wd_limits_default(void);
/* Fill zero fields of *lim with defaults. */
void wd_limits_resolve(wd_limits *lim);

/* ---- slices ----------------------------------------------------------- */

/* A (pointer, length) view of text owned by someone else; not NUL-terminated. */
typedef struct wd_str {
	const char *ptr;
	size_t len;
} wd_str;

#define WD_STR_NULL ((wd_str){NULL, 0})

static inline wd_str wd_str_make(const char *p, size_t n)
{
	wd_str s;
	s.ptr = p;
	s.len = n;
	return s;
}
wd_str wd_str_c(const char *cstr);
int wd_str_eq(wd_str a, wd_str b);
/* Inline so that strlen of a literal folds at compile time (hot in rules). */
static inline int wd_str_eq_c(wd_str a, const char *cstr)
{
	size_t n = __builtin_strlen(cstr);

	return a.len == n && (n == 0 || __builtin_memcmp(a.ptr, cstr, n) == 0);
}
static inline int wd_str_starts_with(wd_str s, const char *prefix)
{
	size_t n = __builtin_strlen(prefix);

	return s.len >= n && (n == 0 || __builtin_memcmp(s.ptr, prefix, n) == 0);
}
static inline int wd_str_ends_with(wd_str s, const char *suffix)
{
	size_t n = __builtin_strlen(suffix);

	return s.len >= n && (n == 0 || __builtin_memcmp(s.ptr + s.len - n, suffix, n) == 0);
}
/* Case-insensitive ASCII search; returns offset or -1. */
long wd_str_find_ci(wd_str hay, const char *needle);
long wd_str_find(wd_str hay, const char *needle);

/* ---- arena ------------------------------------------------------------ */

/*
 * A bump allocator: many allocations, one release. Built with
 * WD_ARENA_DEBUG (the asan preset), every allocation is its own malloc so
 * AddressSanitizer sees overflows between them.
 */
typedef struct wd_arena_chunk wd_arena_chunk;
typedef struct wd_arena {
	wd_arena_chunk *head;
	size_t chunk_size;
	size_t total;       /* bytes handed out, for statistics */
} wd_arena;

void wd_arena_init(wd_arena *a, size_t chunk_size);
void wd_arena_release(wd_arena *a);
/* Returns NULL when out of memory. Memory is 16-byte aligned, not zeroed. */
void *wd_arena_alloc(wd_arena *a, size_t n);
void *wd_arena_zalloc(wd_arena *a, size_t n);
/* Copy n bytes and NUL-terminate; NULL when out of memory. */
char *wd_arena_strndup(wd_arena *a, const char *s, size_t n);
wd_str wd_arena_str(wd_arena *a, wd_str s);
/* Move every allocation of src into dst (src is left empty); pointers stay valid. */
void wd_arena_adopt(wd_arena *dst, wd_arena *src);

/* ---- string buffer ---------------------------------------------------- */

/*
 * A growable byte buffer with a hard maximum. Once an append fails (out of
 * memory or over max), the buffer is marked failed and further appends are
 * ignored; check wd_buf_failed() once at the end.
 */
typedef struct wd_buf {
	char *data;         /* always NUL-terminated when non-NULL */
	size_t len;
	size_t cap;
	size_t max;
	int failed;
} wd_buf;

#define WD_BUF_DEFAULT_MAX ((size_t)1 << 30)

void wd_buf_init(wd_buf *b, size_t max);
void wd_buf_release(wd_buf *b);
void wd_buf_reset(wd_buf *b);
void wd_buf_put(wd_buf *b, const void *p, size_t n);
void wd_buf_puts(wd_buf *b, const char *s);
void wd_buf_putc(wd_buf *b, char c);
void wd_buf_put_str(wd_buf *b, wd_str s);
void wd_buf_printf(wd_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void wd_buf_vprintf(wd_buf *b, const char *fmt, va_list ap);
int wd_buf_failed(const wd_buf *b);
/* "" when empty (never NULL). */
const char *wd_buf_cstr(const wd_buf *b);

/*
 * Redact a secret for display: keep a recognisable prefix of at most 4
 * characters (fewer for short values) and replace the rest with "****".
 * Every output path shows secrets only through this.
 */
void wd_redact(wd_str secret, wd_buf *out);

/*
 * Decode base64 in either alphabet (+/ or -_), padding optional, into
 * out[cap]. Returns 1 and the length in *outlen, or 0 on a bad character,
 * an impossible length, or when out is too small.
 */
int wd_base64_decode(const char *p, size_t n, unsigned char *out, size_t cap, size_t *outlen);

/* ---- growable array --------------------------------------------------- */

/*
 * Grow *items (of elem_size each) so at least need elements fit; *cap is
 * updated. Returns WD_OK or WD_ENOMEM (leaving *items untouched).
 */
wd_status wd_grow(void **items, size_t *cap, size_t need, size_t elem_size);

/* ---- hash multimap ---------------------------------------------------- */

/*
 * Open-addressing multimap from a 64-bit hash to a uint32_t value (an index
 * into the caller's own table). Callers verify each candidate against their
 * real keys, so collisions cost time, never correctness. The one hash table
 * of libwarden: string maps, compound keys and sets are built on it.
 */
typedef struct wd_hmap {
	uint64_t *keys;
	uint32_t *vals;     /* UINT32_MAX = empty slot */
	size_t cap;         /* power of two, or 0 */
	size_t n;
} wd_hmap;

#define WD_HMAP_INIT {NULL, NULL, 0, 0}
#define WD_HMAP_START SIZE_MAX

void wd_hmap_release(wd_hmap *h);
/* Add (key, val); duplicates are kept. WD_ENOMEM leaves h as it was. */
wd_status wd_hmap_put(wd_hmap *h, uint64_t key, uint32_t val);
/*
 * Iterate the values stored under key, in the order they were added: start
 * with *slot = WD_HMAP_START; returns UINT32_MAX when there are no more.
 */
uint32_t wd_hmap_next(const wd_hmap *h, uint64_t key, size_t *slot);

/* ---- hashing ---------------------------------------------------------- */

/* 64-bit FNV-1a, for hash tables (not for security). */
uint64_t wd_hash64(const void *p, size_t n, uint64_t seed);

/* SHA-256 of data into out[32] (hardware SHA extensions when the CPU has them). */
void wd_sha256(const void *data, size_t n, uint8_t out[32]);
/* The same, always through the portable implementation (tests compare both). */
void wd_sha256_portable(const void *data, size_t n, uint8_t out[32]);
/* Lower-case hex of n bytes into out (2n+1 bytes). */
void wd_hex(const uint8_t *in, size_t n, char *out);

/* ---- files ------------------------------------------------------------ */

/*
 * Read a whole regular file into a malloc'd buffer (NUL-terminated, the NUL
 * not counted). Fails with WD_ELIMIT past max_size, WD_EIO when unreadable.
 */
wd_status wd_read_file(const char *path, uint64_t max_size, char **out, size_t *out_len,
                       wd_error *err);

#ifdef __cplusplus
}
#endif
#endif
