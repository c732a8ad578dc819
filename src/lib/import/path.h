/*
 * import/path.h - internal: the dotted field paths the expression scanners
 * of the importers build ("body.email", "items.0.id").
 *
 * Paths are bounded (PATH_MAX_LEN bytes, PATH_MAX_SEGS segments); once a
 * path is too long it is marked full and stops growing, so hostile
 * expressions cost bounded time and memory.
 */
#ifndef WARDEN_IMPORT_PATH_H
#define WARDEN_IMPORT_PATH_H

#include <string.h>

#define PATH_MAX_LEN 256
#define PATH_MAX_SEGS 32

typedef struct path_buf {
	char b[PATH_MAX_LEN];
	size_t len;
	unsigned segs;
	int full;
} path_buf;

/* Append one segment, joined with '.'. */
static inline void path_add(path_buf *pb, const char *seg, size_t len)
{
	size_t need = len + (pb->len ? 1 : 0);

	if (pb->full || pb->segs >= PATH_MAX_SEGS || pb->len + need >= sizeof(pb->b)) {
		pb->full = 1;
		return;
	}
	if (pb->len)
		pb->b[pb->len++] = '.';
	memcpy(pb->b + pb->len, seg, len);
	pb->len += len;
	pb->b[pb->len] = '\0';
	pb->segs++;
}

/* Index of the first non-blank character at or after i. */
static inline size_t skip_ws(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	return i;
}

#endif
