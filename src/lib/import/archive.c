/*
 * import/archive.c - zip archives read into memory, through libarchive.
 *
 * The only file of Warden that includes <archive.h>, and only its zip
 * reader is enabled. A zip is read once, front to back: every header is
 * counted; the regular-file members Warden may need (*.json, and *.zip for
 * the caller to open as nested archives) are decompressed into malloc'd
 * buffers; every other member (directories, links, other files) is skipped
 * without being decompressed (except that libarchive must inflate a
 * deflated member with no size in any header to find where it ends).
 * Nothing is written to disk and no member name is ever resolved on the
 * filesystem: names are only text, normalised (backslashes to '/', no "."
 * segments or duplicate slashes) and refused when absolute ("/x", "\\srv",
 * "C:x"), climbing (a ".." or dots-only segment), holding control
 * characters or "!/" (which separates archive and member in display paths,
 * "pkg.zip!/a/b.json"), or empty.
 *
 * wd_archive_refused counts the members skipped for safety: every regular
 * member with a refused name, and every *.json / *.zip member that is
 * encrypted or compressed otherwise than stored or deflated. Duplicate
 * names are all kept; a lookup finds the first.
 *
 * Limits (wd_limits) are enforced while reading, never trusted from
 * headers alone: header sizes are checked when present, and the bytes that
 * come out are counted as well. The compression ratio of a member is
 * measured as it is read: libarchive does not expose a zip member's
 * compressed size, so the bytes it consumed from the raw archive
 * (archive_filter_bytes(ar, -1)) since the member's header are compared
 * with the bytes decompressed so far. The same check runs over the whole
 * archive (all bytes read against the archive's size). Below RATIO_FLOOR
 * decompressed bytes neither check applies: small, very repetitive JSON
 * compresses well and is no bomb.
 *
 * Errors: not a zip at all gives WD_EFORMAT; a damaged or truncated one
 * (including one whose central directory is missing) WD_EPARSE with
 * libarchive's message and the member; a limit WD_ELIMIT. Any failure
 * discards the whole archive.
 *
 * Member names are read as UTF-8: libarchive converts names to the
 * current locale's charset, which in the "C" locale fails for every
 * non-ASCII name, so the reading runs under a thread-local C.UTF-8 locale
 * (uselocale; nothing global changes). Names that are not valid UTF-8
 * although flagged so (or any non-ASCII UTF-8 name, on a system without
 * C.UTF-8) come back NULL and are refused.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "warden/import.h"

#define CHUNK ((size_t)64 << 10)        /* bytes asked of libarchive per read */
#define FIRST_ALLOC ((size_t)1 << 20)   /* most trusted from a header size */
#define RATIO_FLOOR ((uint64_t)64 << 10)
#define NAME_CAP 4096                   /* longest normalised member name + 1 */
#define NAME_SHOWN 160                  /* bytes of a name quoted in messages */

/* libarchive's errno for "not this format" (ARCHIVE_ERRNO_FILE_FORMAT, private) */
#ifdef EFTYPE
#define ERRNO_FORMAT EFTYPE
#else
#define ERRNO_FORMAT EILSEQ
#endif

struct wd_archive {
	wd_archive_entry *entries;
	size_t n;
	size_t cap;
	size_t refused;
	wd_hmap index;                  /* wd_hash64(path) -> entry index */
	wd_arena names;                 /* entry paths */
	wd_source source;
};

/* Where the zip comes from: memory (data) or an open regular file (fd). */
typedef struct input {
	const void *data;
	size_t len;
	int fd;
	uint64_t size;                  /* bytes of the zip itself */
} input;

/* State of one pass over an archive. */
typedef struct reader {
	struct archive *ar;
	wd_archive *a;
	wd_limits lim;
	uint64_t size;                  /* bytes of the zip itself */
	uint64_t total;                 /* bytes decompressed from all members */
	uint64_t headers;               /* headers seen, of any kind */
	char name[NAME_CAP];            /* normalised name of the current member */
	size_t name_len;
	char last[NAME_CAP];            /* the last member read, for messages */
} reader;

/* A segment made only of dots and spaces ("..", "...", ". .") climbs or is
 * treated as ".." by some extractors: never a name Warden accepts. */
static int dots_only(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != '.' && s[i] != ' ')
			return 0;
	return 1;
}

/*
 * Normalise member name in into out (cap bytes, NUL-terminated): '\' is a
 * separator, empty and "." segments are dropped. Returns 0 (refused) for an
 * absolute name ("/x", "\\server\x", "C:x"), a dots-only segment ("..",
 * "..."), a control character, "!/" in the result, a result that is empty
 * or does not fit.
 */
static int normalise(const char *in, char *out, size_t cap, size_t *out_len)
{
	size_t n = 0, i = 0;

	if (in[0] == '/' || in[0] == '\\')
		return 0;
	while (in[i]) {
		size_t start = i, len;

		while (in[i] && in[i] != '/' && in[i] != '\\') {
			unsigned char c = (unsigned char)in[i];
			if (c < 0x20 || c == 0x7f)
				return 0;
			i++;
		}
		len = i - start;
		if (in[i])
			i++;
		if (len == 0 || (len == 1 && in[start] == '.'))
			continue;
		if (dots_only(in + start, len))
			return 0;
		if (n + (n ? 1 : 0) + len >= cap)
			return 0;
		if (n)
			out[n++] = '/';
		memcpy(out + n, in + start, len);
		n += len;
	}
	if (n == 0)
		return 0;
	out[n] = '\0';
	/* a drive ("C:x", "./C:/x"), checked on the result so that normalising
	 * twice gives the same answer (lookups normalise again) */
	if (n >= 2 && (out[0] | 0x20) >= 'a' && (out[0] | 0x20) <= 'z' && out[1] == ':')
		return 0;
	if (strstr(out, "!/"))
		return 0;
	*out_len = n;
	return 1;
}

static int ends_with_ci(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix), i;

	if (n < k)
		return 0;
	for (i = 0; i < k; i++) {
		char c = s[n - k + i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c | 0x20);
		if (c != suffix[i])
			return 0;
	}
	return 1;
}

/* The members Warden reads: JSON documents and nested zips. */
static int wanted(const char *name, size_t n)
{
	return ends_with_ci(name, n, ".json") || ends_with_ci(name, n, ".zip");
}

/*
 * Whether the current member is stored or deflated, the two methods
 * no-code platforms write. The others libarchive reads (lzma, xz, bzip2,
 * zstd, ppmd) are refused: their headers choose the decoder's memory (an
 * lzma member of 50 bytes asks for a 2 GiB dictionary) and they add decoder
 * code to the attack surface. libarchive names the method of the member
 * just read in its format name, "ZIP 2.0 (deflation)"; this is the only
 * place it is exposed.
 */
static int plain_method(struct archive *ar)
{
	const char *name = archive_format_name(ar);
	const char *paren = name ? strrchr(name, '(') : NULL;

	return paren && (!strcmp(paren, "(deflation)") || !strcmp(paren, "(uncompressed)"));
}

/* libarchive's message for ar, one line, no control characters. */
static const char *ar_message(struct archive *ar, char *buf, size_t cap)
{
	const char *msg = archive_error_string(ar);
	size_t i;

	if (!msg || !*msg)
		msg = "archive ends early or is damaged";
	for (i = 0; msg[i] && i + 1 < cap; i++) {
		unsigned char c = (unsigned char)msg[i];
		buf[i] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
	}
	buf[i] = '\0';
	return buf;
}

/* The first entry (in archive order) named path; duplicates are kept, and
 * the map does not promise an order among equal keys. */
static const wd_archive_entry *find(const wd_archive *a, const char *path, size_t len)
{
	size_t slot = WD_HMAP_START;
	uint32_t i, best = UINT32_MAX;

	while ((i = wd_hmap_next(&a->index, wd_hash64(path, len, 0), &slot)) != UINT32_MAX) {
		const wd_archive_entry *e = &a->entries[i];
		if (i < best && strlen(e->path) == len && memcmp(e->path, path, len) == 0)
			best = i;
	}
	return best == UINT32_MAX ? NULL : &a->entries[best];
}

/* Append an entry owning data (freed here on failure). */
static wd_status add_entry(wd_archive *a, const char *path, size_t plen, char *data,
                           size_t len)
{
	wd_archive_entry *e;
	char *p;

	if (wd_grow((void **)&a->entries, &a->cap, a->n + 1, sizeof(*a->entries)) != WD_OK ||
	    (p = wd_arena_strndup(&a->names, path, plen)) == NULL ||
	    wd_hmap_put(&a->index, wd_hash64(path, plen, 0), (uint32_t)a->n) != WD_OK) {
		free(data);
		return WD_ENOMEM;
	}
	e = &a->entries[a->n++];
	e->path = p;
	e->data = data;
	e->len = len;
	return WD_OK;
}

/*
 * Ratio checks after each block: the member (decompressed bytes against the
 * raw bytes consumed since its header) and the whole archive (all bytes
 * decompressed against the archive's size).
 */
static int over_ratio(const reader *r, uint64_t len, int64_t base)
{
	uint64_t ratio = r->lim.max_archive_ratio;
	int64_t now = archive_filter_bytes(r->ar, -1);

	if (len >= RATIO_FLOOR && base >= 0 && now >= base &&
	    len / ratio > (uint64_t)(now - base))
		return 1;
	return r->size && r->total >= RATIO_FLOOR && r->total / ratio > r->size;
}

/* Grow buf to at least need bytes (doubling, never past limit). */
static int grow(char **buf, size_t *cap, size_t need, uint64_t limit)
{
	size_t ncap = *cap * 2;
	char *p;

	if (ncap < need)
		ncap = need;
	if ((uint64_t)ncap > limit)
		ncap = (size_t)limit;
	p = realloc(*buf, ncap);
	if (!p)
		return 0;
	*buf = p;
	*cap = ncap;
	return 1;
}

/*
 * Decompress the current member (named r->name) into a NUL-terminated
 * buffer. The buffer is sized from the header when it gives a size (at most
 * FIRST_ALLOC on its word) and grows as bytes come; at most one byte past
 * the limit is ever asked for, enough to see it broken.
 */
static wd_status read_member(reader *r, struct archive_entry *e, char **out, size_t *out_len,
                             wd_error *err)
{
	uint64_t max = r->lim.max_file_size;
	int64_t base = archive_filter_bytes(r->ar, -1);
	char *buf = NULL, msg[WD_ERROR_MSG_MAX];
	size_t len = 0, cap = 4096;
	wd_status rc = WD_OK;

	if (archive_entry_size_is_set(e) && archive_entry_size(e) >= 0) {
		uint64_t declared = (uint64_t)archive_entry_size(e);
		if (declared > max) {
			rc = wd_error_set(err, WD_ELIMIT, "'%.*s': %llu bytes, over the limit of %llu",
			                  NAME_SHOWN, r->name, (unsigned long long)declared,
			                  (unsigned long long)max);
			goto out;
		}
		if (declared > r->lim.max_archive_total - r->total) {
			rc = wd_error_set(err, WD_ELIMIT,
			                  "'%.*s': more than %llu bytes in the archive in all",
			                  NAME_SHOWN, r->name,
			                  (unsigned long long)r->lim.max_archive_total);
			goto out;
		}
		cap = declared + 1 > FIRST_ALLOC ? FIRST_ALLOC : (size_t)declared + 1;
	}
	buf = malloc(cap);
	if (!buf) {
		rc = wd_error_set(err, WD_ENOMEM, "out of memory");
		goto out;
	}
	for (;;) {
		size_t want = cap - 1 - len;
		ssize_t got;

		if (want == 0) {
			/* full: a one-byte probe tells the end from more data */
			char probe;
			got = archive_read_data(r->ar, &probe, 1);
			if (got == 1) {
				if (!grow(&buf, &cap, len + 2, max + 2)) {
					rc = wd_error_set(err, WD_ENOMEM, "out of memory");
					goto out;
				}
				buf[len] = probe;
			}
		} else {
			if (want > CHUNK)
				want = CHUNK;
			got = archive_read_data(r->ar, buf + len, want);
		}
		if (got == 0)
			break;
		if (got < 0) {
			rc = wd_error_set(err, WD_EPARSE, "'%.*s': %s", NAME_SHOWN, r->name,
			                  ar_message(r->ar, msg, sizeof(msg)));
			goto out;
		}
		len += (size_t)got;
		r->total += (uint64_t)got;
		if (len > max) {
			rc = wd_error_set(err, WD_ELIMIT, "'%.*s': more than %llu bytes", NAME_SHOWN,
			                  r->name, (unsigned long long)max);
			goto out;
		}
		if (r->total > r->lim.max_archive_total) {
			rc = wd_error_set(err, WD_ELIMIT,
			                  "'%.*s': more than %llu bytes in the archive in all",
			                  NAME_SHOWN, r->name,
			                  (unsigned long long)r->lim.max_archive_total);
			goto out;
		}
		if (over_ratio(r, len, base)) {
			rc = wd_error_set(err, WD_ELIMIT,
			                  "'%.*s': compression ratio over %u: possible zip bomb",
			                  NAME_SHOWN, r->name, r->lim.max_archive_ratio);
			goto out;
		}
	}
	/* give back what a lying header or the doubling left unused */
	if (cap - len > 4096) {
		char *p = realloc(buf, len + 1);
		if (p)
			buf = p;
	}
	buf[len] = '\0';
	*out = buf;
	*out_len = len;
	buf = NULL;
out:
	free(buf);
	return rc;
}

/* Skip the current member's data; name is the member for messages (NULL =
 * an unnamed one, after r->last). */
static wd_status skip_member(reader *r, const char *name, wd_error *err)
{
	char msg[WD_ERROR_MSG_MAX];

	if (archive_read_data_skip(r->ar) >= ARCHIVE_WARN)
		return WD_OK;
	if (name)
		return wd_error_set(err, WD_EPARSE, "'%.*s': %s", NAME_SHOWN, name,
		                    ar_message(r->ar, msg, sizeof(msg)));
	return wd_error_set(err, WD_EPARSE, "after '%.*s': %s", NAME_SHOWN, r->last,
	                    ar_message(r->ar, msg, sizeof(msg)));
}

/* Walk every header of the open archive r->ar, filling r->a. */
static wd_status read_all(reader *r, wd_error *err)
{
	char msg[WD_ERROR_MSG_MAX];
	wd_status rc;

	for (;;) {
		struct archive_entry *e;
		const char *raw;
		char *data = NULL;
		size_t len = 0;
		int st = archive_read_next_header(r->ar, &e);

		if (st == ARCHIVE_EOF)
			return WD_OK;
		if (st < ARCHIVE_WARN)
			return wd_error_set(err, WD_EPARSE, "after '%.*s': %s", NAME_SHOWN, r->last,
			                    ar_message(r->ar, msg, sizeof(msg)));
		if (++r->headers > r->lim.max_archive_entries)
			return wd_error_set(err, WD_ELIMIT, "more than %u entries",
			                    r->lim.max_archive_entries);
		if (archive_entry_filetype(e) != AE_IFREG) {
			rc = skip_member(r, NULL, err);
			if (rc != WD_OK)
				return rc;
			continue;
		}
		raw = archive_entry_pathname_utf8(e);
		if (!raw)
			raw = archive_entry_pathname(e);
		if (!raw || !normalise(raw, r->name, sizeof(r->name), &r->name_len)) {
			/* a climbing or absolute name is suspect whatever the member */
			r->a->refused++;
			rc = skip_member(r, NULL, err);
			if (rc != WD_OK)
				return rc;
			continue;
		}
		memcpy(r->last, r->name, r->name_len + 1);
		if (!wanted(r->name, r->name_len)) {
			rc = skip_member(r, r->name, err);
			if (rc != WD_OK)
				return rc;
			continue;
		}
		if (archive_entry_is_encrypted(e) || !plain_method(r->ar)) {
			r->a->refused++;
			rc = skip_member(r, r->name, err);
			if (rc != WD_OK)
				return rc;
			continue;
		}
		rc = read_member(r, e, &data, &len, err);
		if (rc != WD_OK)
			return rc;
		rc = add_entry(r->a, r->name, r->name_len, data, len);
		if (rc != WD_OK)
			return wd_error_set(err, rc, "out of memory");
	}
}

static wd_status source_read(void *ctx, const char *path, uint64_t max_size, char **data,
                             size_t *len, wd_error *err)
{
	const wd_archive *a = ctx;
	const wd_archive_entry *e;
	const char *member = path, *p;
	char name[NAME_CAP];
	size_t n;

	*data = NULL;
	*len = 0;
	if (!path)
		return WD_ENOTFOUND;
	/* "outer.zip!/inner.zip!/x.json": the member is what follows the last "!/" */
	for (p = path; (p = strstr(p, "!/")) != NULL; p += 2)
		member = p + 2;
	if (!normalise(member, name, sizeof(name), &n) || (e = find(a, name, n)) == NULL)
		return WD_ENOTFOUND;
	if ((uint64_t)e->len > max_size)
		return wd_error_set(err, WD_ELIMIT, "'%.*s': %llu bytes, over the limit of %llu",
		                    NAME_SHOWN, e->path, (unsigned long long)e->len,
		                    (unsigned long long)max_size);
	*data = malloc(e->len + 1);
	if (!*data)
		return wd_error_set(err, WD_ENOMEM, "out of memory");
	memcpy(*data, e->data, e->len + 1);
	*len = e->len;
	return WD_OK;
}

/* Open and read a whole archive from in. */
static wd_status load(wd_archive **out, const input *in, const wd_limits *lim, wd_error *err)
{
	locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	locale_t prev = (locale_t)0;
	reader *r = NULL;
	char msg[WD_ERROR_MSG_MAX];
	wd_status rc = WD_OK;
	int st;

	if (utf8 != (locale_t)0)
		prev = uselocale(utf8);
	r = calloc(1, sizeof(*r));
	if (!r) {
		rc = wd_error_set(err, WD_ENOMEM, "out of memory");
		goto out;
	}
	r->lim = lim ? *lim : wd_limits_default();
	wd_limits_resolve(&r->lim);
	r->size = in->size;
	memcpy(r->last, "(start)", sizeof("(start)"));
	r->a = calloc(1, sizeof(*r->a));
	if (r->a)
		wd_arena_init(&r->a->names, 0);
	r->ar = archive_read_new();
	if (!r->a || !r->ar) {
		rc = wd_error_set(err, WD_ENOMEM, "out of memory");
		goto out;
	}
	r->a->source.read = source_read;
	r->a->source.ctx = r->a;
	archive_read_support_format_zip(r->ar);
	if (in->fd >= 0)
		st = archive_read_open_fd(r->ar, in->fd, CHUNK);
	else
		st = archive_read_open_memory(r->ar, in->data ? in->data : "", in->len);
	if (st != ARCHIVE_OK) {
		int format = archive_errno(r->ar) == ERRNO_FORMAT;
		rc = wd_error_set(err, format ? WD_EFORMAT : WD_EIO, "not a readable zip archive: %s",
		                  ar_message(r->ar, msg, sizeof(msg)));
		goto out;
	}
	rc = read_all(r, err);
out:
	if (r) {
		if (r->ar)
			archive_read_free(r->ar);
		if (rc == WD_OK)
			*out = r->a;
		else
			wd_archive_free(r->a);
		free(r);
	}
	if (utf8 != (locale_t)0) {
		uselocale(prev);
		freelocale(utf8);
	}
	return rc;
}

wd_status wd_archive_open_memory(wd_archive **out, const void *data, size_t len,
                                 const wd_limits *lim, wd_error *err)
{
	input in;

	if (!out)
		return wd_error_set(err, WD_EINVAL, "no output");
	*out = NULL;
	if (!data && len)
		return wd_error_set(err, WD_EINVAL, "no data");
	in.data = data;
	in.len = len;
	in.fd = -1;
	in.size = len;
	return load(out, &in, lim, err);
}

wd_status wd_archive_open_file(wd_archive **out, const char *path, const wd_limits *lim,
                               wd_error *err)
{
	struct stat st;
	input in;
	wd_status rc;

	if (!out || !path)
		return wd_error_set(err, WD_EINVAL, "no path");
	*out = NULL;
	in.data = NULL;
	in.len = 0;
	in.fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (in.fd < 0)
		return wd_error_set(err, WD_EIO, "cannot open: %s", strerror(errno));
	if (fstat(in.fd, &st) != 0) {
		rc = wd_error_set(err, WD_EIO, "cannot stat: %s", strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = wd_error_set(err, WD_EIO, "not a regular file");
		goto out;
	}
	in.size = (uint64_t)st.st_size;
	rc = load(out, &in, lim, err);
out:
	close(in.fd);
	return rc;
}

void wd_archive_free(wd_archive *a)
{
	size_t i;

	if (!a)
		return;
	for (i = 0; i < a->n; i++)
		free(a->entries[i].data);
	free(a->entries);
	wd_hmap_release(&a->index);
	wd_arena_release(&a->names);
	free(a);
}

size_t wd_archive_count(const wd_archive *a)
{
	return a ? a->n : 0;
}

const wd_archive_entry *wd_archive_at(const wd_archive *a, size_t i)
{
	return a && i < a->n ? &a->entries[i] : NULL;
}

size_t wd_archive_refused(const wd_archive *a)
{
	return a ? a->refused : 0;
}

const wd_source *wd_archive_source(wd_archive *a)
{
	return a ? &a->source : NULL;
}
