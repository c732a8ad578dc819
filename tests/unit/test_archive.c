/*
 * test_archive.c - zip archives read into memory (import/archive.c).
 *
 * Every zip is built at test time with libarchive's writer (no external
 * tool) in a private temporary folder, then read back from the file and from
 * memory: members kept and skipped, lookups through the wd_source, zip-slip
 * names refused, each limit (entries, member size by header and by count,
 * total, compression ratio with a 200 MB streamed bomb), corrupt, truncated
 * and non-zip input, empty and encrypted archives, nested zips.
 */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "warden/import.h"

/* ---- building zips ------------------------------------------------------- */

enum {
	M_DIR = 1,      /* a directory entry */
	M_NOSIZE = 2,   /* size left out of the header (streamed, data descriptor) */
	M_STORE = 4,    /* stored, not deflated */
	M_RANDOM = 8,   /* len pseudo-random bytes (incompressible) */
	M_ZEROS = 16,   /* len zero bytes, written in 1 MiB blocks */
	M_SYMLINK = 32  /* a symbolic link to data */
};

typedef struct zmember {
	const char *name;
	const char *data;   /* NUL-terminated text, unless M_RANDOM / M_ZEROS */
	size_t len;         /* for M_RANDOM / M_ZEROS */
	int flags;
} zmember;

static char g_dir[256];

static int setup_dir(void **state)
{
	(void)state;
	snprintf(g_dir, sizeof(g_dir), "/tmp/wd-archive-XXXXXX");
	return mkdtemp(g_dir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
	DIR *d = opendir(g_dir);
	struct dirent *e;
	char p[512];

	(void)state;
	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", g_dir, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(g_dir);
	return 0;
}

static const char *tmp_path(const char *name)
{
	static char p[512];

	snprintf(p, sizeof(p), "%s/%s", g_dir, name);
	return p;
}

static void fill_random(unsigned char *p, size_t n, uint64_t *seed)
{
	size_t i;

	for (i = 0; i < n; i++) {
		*seed ^= *seed << 13;
		*seed ^= *seed >> 7;
		*seed ^= *seed << 17;
		p[i] = (unsigned char)*seed;
	}
}

/* Write members to file `name` in the temp folder; options for the zip
 * writer (e.g. "zip:encryption=zipcrypt"), passphrase when encrypting.
 * Returns 0 when the writer refused the options. */
static int write_zip_opts(const char *name, const zmember *m, size_t n, const char *options,
                          const char *passphrase)
{
	static unsigned char block[1 << 20];
	struct archive *w = archive_write_new();
	uint64_t seed = 0x9E3779B97F4A7C15ULL;
	size_t i;

	assert_non_null(w);
	assert_int_equal(archive_write_set_format_zip(w), ARCHIVE_OK);
	archive_write_set_bytes_in_last_block(w, 1);
	if (options && archive_write_set_options(w, options) != ARCHIVE_OK) {
		archive_write_free(w);
		return 0;
	}
	if (passphrase)
		assert_int_equal(archive_write_set_passphrase(w, passphrase), ARCHIVE_OK);
	assert_int_equal(archive_write_open_filename(w, tmp_path(name)), ARCHIVE_OK);
	for (i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		size_t len = (m[i].flags & (M_RANDOM | M_ZEROS)) ? m[i].len
		             : m[i].data                     ? strlen(m[i].data)
		                                              : 0;
		size_t done;

		if (m[i].flags & M_STORE)
			assert_int_equal(archive_write_zip_set_compression_store(w), ARCHIVE_OK);
		else
			assert_int_equal(archive_write_zip_set_compression_deflate(w), ARCHIVE_OK);
		archive_entry_set_pathname(e, m[i].name);
		if (m[i].flags & M_DIR) {
			archive_entry_set_filetype(e, AE_IFDIR);
			archive_entry_set_perm(e, 0755);
			len = 0;
		} else if (m[i].flags & M_SYMLINK) {
			archive_entry_set_filetype(e, AE_IFLNK);
			archive_entry_set_perm(e, 0777);
			archive_entry_set_symlink(e, m[i].data);
			len = 0;
		} else {
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_perm(e, 0644);
		}
		if (!(m[i].flags & M_NOSIZE))
			archive_entry_set_size(e, (la_int64_t)len);
		assert_int_equal(archive_write_header(w, e), ARCHIVE_OK);
		if (m[i].flags & M_ZEROS)
			memset(block, 0, sizeof(block));
		for (done = 0; done < len;) {
			size_t k = len - done < sizeof(block) ? len - done : sizeof(block);
			const void *p = block;
			if (m[i].flags & M_RANDOM)
				fill_random(block, k, &seed);
			else if (!(m[i].flags & M_ZEROS))
				p = m[i].data + done;
			assert_int_equal(archive_write_data(w, p, k), (la_ssize_t)k);
			done += k;
		}
		archive_entry_free(e);
	}
	assert_int_equal(archive_write_close(w), ARCHIVE_OK);
	archive_write_free(w);
	return 1;
}

static void write_zip(const char *name, const zmember *m, size_t n)
{
	assert_true(write_zip_opts(name, m, n, NULL, NULL));
}

static char *slurp(const char *name, size_t *len)
{
	char *data = NULL;

	assert_int_equal(wd_read_file(tmp_path(name), (uint64_t)1 << 30, &data, len, NULL), WD_OK);
	return data;
}

static void put_file(const char *name, const void *data, size_t len)
{
	FILE *f = fopen(tmp_path(name), "wb");

	assert_non_null(f);
	if (len)
		assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

/* Open `name` from the file and from memory; both must agree on the status
 * (and the message). Returns the file-opened archive (NULL on failure). */
static wd_archive *open_both(const char *name, const wd_limits *lim, wd_status want,
                             wd_error *err)
{
	wd_archive *a = NULL, *b = NULL;
	wd_error e2;
	char *data;
	size_t len, i;

	wd_error_clear(err);
	if (wd_archive_open_file(&a, tmp_path(name), lim, err) != want)
		fail_msg("%s from the file: %s", name, err->message);
	data = slurp(name, &len);
	wd_error_clear(&e2);
	if (wd_archive_open_memory(&b, data, len, lim, &e2) != want)
		fail_msg("%s from memory: %s", name, e2.message);
	if (want != WD_OK) {
		assert_null(a);
		assert_null(b);
		assert_string_equal(err->message, e2.message);
		assert_true(err->message[0] != '\0');
		assert_null(strchr(err->message, '\n'));
	} else {
		assert_int_equal(wd_archive_count(a), wd_archive_count(b));
		assert_int_equal(wd_archive_refused(a), wd_archive_refused(b));
		for (i = 0; i < wd_archive_count(a); i++) {
			const wd_archive_entry *x = wd_archive_at(a, i), *y = wd_archive_at(b, i);
			assert_string_equal(x->path, y->path);
			assert_int_equal(x->len, y->len);
			assert_memory_equal(x->data, y->data, x->len);
			assert_int_equal(x->data[x->len], '\0');
		}
	}
	wd_archive_free(b);
	free(data);
	return a;
}

static const wd_archive_entry *entry_named(const wd_archive *a, const char *path)
{
	size_t i;

	for (i = 0; i < wd_archive_count(a); i++)
		if (!strcmp(wd_archive_at(a, i)->path, path))
			return wd_archive_at(a, i);
	return NULL;
}

static wd_status src_read(wd_archive *a, const char *path, uint64_t max, char **data,
                          size_t *len)
{
	const wd_source *s = wd_archive_source(a);

	return s->read(s->ctx, path, max, data, len, NULL);
}

/* ---- tests --------------------------------------------------------------- */

static const zmember g_normal[] = {
	{"Microsoft.Flow/", NULL, 0, M_DIR},
	{"Microsoft.Flow/flows/abc/definition.json", "{\"properties\":{}}", 0, 0},
	{"manifest.json", "{\"schema\":\"1.0\"}", 0, M_NOSIZE},
	{"docs/readme.txt", "not JSON, never read", 0, 0},
	{"./x/./y//z.json", "[1,2,3]", 0, 0},
	{"UPPER.JSON", "{}", 0, M_STORE},
	{"empty.json", "", 0, 0},
	{"link.json", "manifest.json", 0, M_SYMLINK},
	{"big/random.json", NULL, 300000, M_RANDOM | M_NOSIZE},
};

static void test_normal(void **state)
{
	wd_archive *a;
	wd_error err;
	const wd_archive_entry *e;

	(void)state;
	write_zip("normal.zip", g_normal, sizeof(g_normal) / sizeof(g_normal[0]));
	a = open_both("normal.zip", NULL, WD_OK, &err);
	assert_non_null(a);
	assert_int_equal(wd_archive_count(a), 6);
	assert_int_equal(wd_archive_refused(a), 0);
	/* in archive order, normalised */
	assert_string_equal(wd_archive_at(a, 0)->path, "Microsoft.Flow/flows/abc/definition.json");
	assert_string_equal(wd_archive_at(a, 0)->data, "{\"properties\":{}}");
	assert_string_equal(wd_archive_at(a, 1)->path, "manifest.json");
	assert_string_equal(wd_archive_at(a, 2)->path, "x/y/z.json");
	assert_string_equal(wd_archive_at(a, 2)->data, "[1,2,3]");
	assert_string_equal(wd_archive_at(a, 3)->path, "UPPER.JSON");
	e = wd_archive_at(a, 4);
	assert_string_equal(e->path, "empty.json");
	assert_int_equal(e->len, 0);
	assert_non_null(e->data);
	assert_int_equal(e->data[0], '\0');
	e = wd_archive_at(a, 5);
	assert_string_equal(e->path, "big/random.json");
	assert_int_equal(e->len, 300000);
	/* skipped: the directory, the text file, the symbolic link */
	assert_null(entry_named(a, "docs/readme.txt"));
	assert_null(entry_named(a, "link.json"));
	assert_null(wd_archive_at(a, 6));
	wd_archive_free(a);
}

static void test_source(void **state)
{
	wd_archive *a;
	wd_error err;
	char *data = NULL;
	size_t len = 0;

	(void)state;
	write_zip("source.zip", g_normal, sizeof(g_normal) / sizeof(g_normal[0]));
	a = open_both("source.zip", NULL, WD_OK, &err);
	assert_non_null(a);
	/* display path, as wd_import_companion builds it */
	assert_int_equal(src_read(a, "exports/pkg.zip!/Microsoft.Flow/flows/abc/definition.json",
	                          1 << 20, &data, &len),
	                 WD_OK);
	assert_int_equal(len, strlen("{\"properties\":{}}"));
	assert_string_equal(data, "{\"properties\":{}}");
	free(data);
	/* bare member path, un-normalised */
	assert_int_equal(src_read(a, "x\\y/./z.json", 1 << 20, &data, &len), WD_OK);
	assert_string_equal(data, "[1,2,3]");
	free(data);
	/* nested display path: the text after the last "!/" */
	assert_int_equal(src_read(a, "a.zip!/inner.zip!/manifest.json", 1 << 20, &data, &len),
	                 WD_OK);
	assert_string_equal(data, "{\"schema\":\"1.0\"}");
	free(data);
	assert_int_equal(src_read(a, "pkg.zip!/empty.json", 1 << 20, &data, &len), WD_OK);
	assert_int_equal(len, 0);
	assert_string_equal(data, "");
	free(data);
	/* absent, skipped, or a name that would be refused */
	assert_int_equal(src_read(a, "pkg.zip!/nope.json", 1 << 20, &data, &len), WD_ENOTFOUND);
	assert_null(data);
	assert_int_equal(src_read(a, "docs/readme.txt", 1 << 20, &data, &len), WD_ENOTFOUND);
	assert_int_equal(src_read(a, "pkg.zip!/../manifest.json", 1 << 20, &data, &len),
	                 WD_ENOTFOUND);
	assert_int_equal(src_read(a, "/manifest.json", 1 << 20, &data, &len), WD_ENOTFOUND);
	assert_int_equal(src_read(a, "pkg.zip!/", 1 << 20, &data, &len), WD_ENOTFOUND);
	assert_int_equal(src_read(a, "", 1 << 20, &data, &len), WD_ENOTFOUND);
	/* case matters in member names */
	assert_int_equal(src_read(a, "MANIFEST.json", 1 << 20, &data, &len), WD_ENOTFOUND);
	/* over the caller's size limit */
	wd_error_clear(&err);
	assert_int_equal(wd_archive_source(a)->read(wd_archive_source(a)->ctx, "big/random.json",
	                                            1000, &data, &len, &err),
	                 WD_ELIMIT);
	assert_null(data);
	assert_non_null(strstr(err.message, "big/random.json"));
	wd_archive_free(a);
}

static void test_zip_slip(void **state)
{
	static const zmember m[] = {
		{"../evil.json", "{}", 0, 0},
		{"/abs.json", "{}", 0, 0},
		{"a/../../x.json", "{}", 0, 0},
		{"C:\\x.json", "{}", 0, 0},
		{"c:x.json", "{}", 0, 0},
		/* found by fuzz_archive (crash_drive_after_dot.zip): kept, then not
		 * found by its own path, which normalised to a drive */
		{"./C:/x.json", "{}", 0, 0},
		{".//z:y.json", "{}", 0, 0},
		{"\\\\server\\share\\x.json", "{}", 0, 0},
		{"a\\..\\..\\y.json", "{}", 0, 0},
		{"a/.../z.json", "{}", 0, 0},
		{"a/ ../z.json", "{}", 0, 0},
		{"ctl\x01.json", "{}", 0, 0},
		{"tab\t.json", "{}", 0, 0},
		{"del\x7f.json", "{}", 0, 0},
		{"x.zip!/y.json", "{}", 0, 0},
		{"../readme.txt", "text", 0, 0},   /* refused whatever the member */
		{"ok.json", "{\"ok\":true}", 0, 0},
		{"sub/..json", "{}", 0, 0},        /* a name, not a climb */
	};
	wd_archive *a;
	wd_error err;
	size_t i;

	(void)state;
	write_zip("slip.zip", m, sizeof(m) / sizeof(m[0]));
	a = open_both("slip.zip", NULL, WD_OK, &err);
	assert_non_null(a);
	assert_int_equal(wd_archive_refused(a), 16);
	assert_int_equal(wd_archive_count(a), 2);
	assert_string_equal(wd_archive_at(a, 0)->path, "ok.json");
	assert_string_equal(wd_archive_at(a, 1)->path, "sub/..json");
	for (i = 0; i < wd_archive_count(a); i++) {
		const char *p = wd_archive_at(a, i)->path;
		assert_true(p[0] != '/');
		assert_null(strstr(p, "../"));
		assert_null(strchr(p, '\\'));
	}
	wd_archive_free(a);
}

/* The writer cannot make every hostile name (it rewrites some): patch them
 * into the bytes of an archive of same-length placeholders. */
static void test_zip_slip_patched(void **state)
{
	static const zmember m[] = {
		{"AAAAAAAAAA.json", "{}", 0, 0},
		{"BBBBBBBBBB.json", "{}", 0, 0},
		{"CCCCCCCCCC.json", "{}", 0, 0},
		{"DDDDDDDDDD.json", "{}", 0, 0},
	};
	static const char *hostile[] = {
		"..\\..\\x.json\0\0\0", "\\\\srv\\x.json\0\0\0", "C:\\tmp\\x.json\0", "./../x.json\0\0\0\0",
	};
	wd_archive *a;
	wd_error err;
	char *data;
	size_t len, i, k;

	(void)state;
	write_zip("patched.zip", m, 4);
	data = slurp("patched.zip", &len);
	for (k = 0; k < 4; k++) {
		char from[16];
		snprintf(from, sizeof(from), "%.10s.json", m[k].name);
		/* replace every occurrence (local and central headers), same length */
		for (i = 0; i + 15 <= len; i++)
			if (!memcmp(data + i, from, 15))
				memcpy(data + i, hostile[k], 15);
	}
	/* embedded NULs cut names short: pad with '_' instead */
	for (i = 0; i + 15 <= len; i++)
		for (k = 0; k < 4; k++)
			if (!memcmp(data + i, hostile[k], strlen(hostile[k])) && data[i + 14] == '\0') {
				size_t j;
				for (j = strlen(hostile[k]); j < 15; j++)
					data[i + j] = '_';
			}
	put_file("patched2.zip", data, len);
	free(data);
	a = open_both("patched2.zip", NULL, WD_OK, &err);
	assert_non_null(a);
	for (i = 0; i < wd_archive_count(a); i++)
		print_message("kept %s\n", wd_archive_at(a, i)->path);
	assert_int_equal(wd_archive_count(a), 0);
	assert_int_equal(wd_archive_refused(a), 4);
	wd_archive_free(a);
}

/* 200 MB of zeros deflate to about 200 KB: stopped by the ratio after the
 * first blocks, long before the size limits (raised here) would apply. */
static void test_bomb_ratio(void **state)
{
	static const zmember m[] = {
		{"ok.json", "{}", 0, 0},
		{"bomb.json", NULL, (size_t)200 << 20, M_ZEROS | M_NOSIZE},
	};
	wd_limits lim;
	wd_archive *a;
	wd_error err;

	(void)state;
	memset(&lim, 0, sizeof(lim));
	lim.max_file_size = (uint64_t)1 << 30;
	lim.max_archive_total = (uint64_t)1 << 30;
	write_zip("bomb.zip", m, 2);
	a = open_both("bomb.zip", &lim, WD_ELIMIT, &err);
	assert_null(a);
	assert_non_null(strstr(err.message, "compression ratio over 200: possible zip bomb"));
	assert_non_null(strstr(err.message, "bomb.json"));
	/* a lower ratio trips on a smaller bomb; a higher one lets it through */
	lim.max_file_size = 0;
	lim.max_archive_total = 0;
	{
		static const zmember small[] = {{"z.json", NULL, 1 << 20, M_ZEROS}};
		write_zip("small.zip", small, 1);
		lim.max_archive_ratio = 10;
		a = open_both("small.zip", &lim, WD_ELIMIT, &err);
		assert_non_null(strstr(err.message, "compression ratio over 10"));
		lim.max_archive_ratio = 100000;
		a = open_both("small.zip", &lim, WD_OK, &err);
		assert_non_null(a);
		assert_int_equal(wd_archive_at(a, 0)->len, 1 << 20);
		wd_archive_free(a);
	}
}

/* A bomb that declares its size is refused before a byte is inflated. */
static void test_bomb_declared(void **state)
{
	static const zmember m[] = {{"big.json", NULL, (size_t)2 << 20, M_ZEROS}};
	wd_limits lim;
	wd_error err;

	(void)state;
	memset(&lim, 0, sizeof(lim));
	lim.max_file_size = 1 << 20;
	lim.max_archive_ratio = 100000;
	write_zip("declared.zip", m, 1);
	assert_null(open_both("declared.zip", &lim, WD_ELIMIT, &err));
	assert_string_equal(err.message, "'big.json': 2097152 bytes, over the limit of 1048576");
}

/* Offset of the central directory (its first "PK\1\2"), or len. */
static size_t central_dir(const char *data, size_t len)
{
	size_t i;

	for (i = 0; i + 4 <= len; i++)
		if (!memcmp(data + i, "PK\x01\x02", 4))
			return i;
	return len;
}

/*
 * Sizes counted while reading. The central directory always gives a size,
 * so the header check would catch these: cut it off (libarchive then
 * streams the local headers, where a data descriptor leaves the size
 * unknown), or make both headers lie.
 */
static void test_size_counted(void **state)
{
	static const zmember m[] = {
		{"ok.json", "{}", 0, M_NOSIZE},
		{"r.json", NULL, 100000, M_RANDOM | M_NOSIZE},
	};
	static const zmember lie[] = {{"lie.json", NULL, 1 << 20, M_RANDOM}};
	wd_limits lim;
	wd_archive *a;
	wd_error err;
	char *data;
	size_t len, i, patched = 0;

	(void)state;
	memset(&lim, 0, sizeof(lim));
	lim.max_file_size = 50000;
	write_zip("counted.zip", m, 2);
	assert_null(open_both("counted.zip", &lim, WD_ELIMIT, &err));
	assert_string_equal(err.message, "'r.json': 100000 bytes, over the limit of 50000");
	data = slurp("counted.zip", &len);
	put_file("counted_nocd.zip", data, central_dir(data, len));
	free(data);
	assert_null(open_both("counted_nocd.zip", &lim, WD_ELIMIT, &err));
	assert_string_equal(err.message, "'r.json': more than 50000 bytes");

	/* uncompressed size 1 MiB rewritten to 1000 in both headers; over
	 * libarchive's 256 KiB inflate buffer, else it sees the lie first */
	write_zip("lie.zip", lie, 1);
	data = slurp("lie.zip", &len);
	for (i = 0; i + 30 <= len; i++) {
		if (!memcmp(data + i, "PK\x03\x04", 4)) {
			memcpy(data + i + 22, "\xe8\x03\x00\x00", 4);
			patched++;
		} else if (!memcmp(data + i, "PK\x01\x02", 4)) {
			memcpy(data + i + 24, "\xe8\x03\x00\x00", 4);
			patched++;
		}
	}
	assert_int_equal(patched, 2);
	put_file("lie2.zip", data, len);
	free(data);
	lim.max_file_size = 100000;
	a = open_both("lie2.zip", &lim, WD_ELIMIT, &err);
	assert_null(a);
	assert_string_equal(err.message, "'lie.json': more than 100000 bytes");
}

static void test_entries_limit(void **state)
{
	zmember m[150];
	char names[150][32];
	wd_limits lim;
	wd_archive *a;
	wd_error err;
	size_t i;

	(void)state;
	for (i = 0; i < 150; i++) {
		/* every header counts, read or skipped */
		snprintf(names[i], sizeof(names[i]), i % 2 ? "e%zu.json" : "e%zu.txt", i);
		m[i].name = names[i];
		m[i].data = "";
		m[i].len = 0;
		m[i].flags = 0;
	}
	memset(&lim, 0, sizeof(lim));
	lim.max_archive_entries = 100;
	write_zip("entries150.zip", m, 150);
	assert_null(open_both("entries150.zip", &lim, WD_ELIMIT, &err));
	assert_string_equal(err.message, "more than 100 entries");
	write_zip("entries100.zip", m, 100);
	a = open_both("entries100.zip", &lim, WD_OK, &err);
	assert_non_null(a);
	assert_int_equal(wd_archive_count(a), 50);
	wd_archive_free(a);
}

static void test_total_limit(void **state)
{
	static const zmember sized[] = {
		{"a.json", NULL, 1000, M_RANDOM}, {"b.json", NULL, 1000, M_RANDOM},
		{"c.json", NULL, 1000, M_RANDOM}, {"d.json", NULL, 1000, M_RANDOM},
	};
	static const zmember streamed[] = {
		{"a.json", NULL, 1000, M_RANDOM | M_NOSIZE}, {"b.json", NULL, 1000, M_RANDOM | M_NOSIZE},
		{"c.json", NULL, 1000, M_RANDOM | M_NOSIZE}, {"d.json", NULL, 1000, M_RANDOM | M_NOSIZE},
	};
	wd_limits lim;
	wd_archive *a;
	wd_error err;

	(void)state;
	memset(&lim, 0, sizeof(lim));
	lim.max_archive_total = 3000;
	write_zip("total_sized.zip", sized, 4);
	assert_null(open_both("total_sized.zip", &lim, WD_ELIMIT, &err));
	assert_string_equal(err.message, "'d.json': more than 3000 bytes in the archive in all");
	write_zip("total_streamed.zip", streamed, 4);
	assert_null(open_both("total_streamed.zip", &lim, WD_ELIMIT, &err));
	assert_string_equal(err.message, "'d.json': more than 3000 bytes in the archive in all");
	/* exactly at the limit is fine */
	write_zip("total_ok.zip", sized, 3);
	a = open_both("total_ok.zip", &lim, WD_OK, &err);
	assert_non_null(a);
	assert_int_equal(wd_archive_count(a), 3);
	wd_archive_free(a);
}

static void test_corrupt(void **state)
{
	static const zmember m[] = {
		{"first.json", "{\"a\":1}", 0, 0},
		{"second.json", NULL, 20000, M_RANDOM},
		{"third.json", "{\"c\":3}", 0, 0},
	};
	wd_archive *a;
	wd_error err;
	char *data;
	size_t len, cut, ok = 0, failed = 0;

	(void)state;
	write_zip("corrupt.zip", m, 3);
	data = slurp("corrupt.zip", &len);
	/* cut inside the second member's data */
	put_file("truncated.zip", data, 1000);
	assert_null(open_both("truncated.zip", NULL, WD_EPARSE, &err));
	assert_non_null(strstr(err.message, "second.json"));
	print_message("truncated: %s\n", err.message);
	/* every cut either fails cleanly or reads a prefix of the members */
	for (cut = 0; cut < len; cut += 7) {
		wd_error e;
		a = NULL;
		if (wd_archive_open_memory(&a, data, cut, NULL, &e) == WD_OK) {
			assert_true(wd_archive_count(a) <= 3);
			ok++;
		} else {
			assert_null(a);
			assert_true(e.message[0] != '\0');
			failed++;
		}
		wd_archive_free(a);
	}
	assert_true(failed > 0);
	/* a flipped byte in deflated data: bad CRC or bad stream */
	data[len / 3] ^= 0x55;
	put_file("flipped.zip", data, len);
	a = NULL;
	assert_null(open_both("flipped.zip", NULL, WD_EPARSE, &err));
	assert_non_null(strstr(err.message, "second.json"));
	print_message("flipped: %s (%zu cuts read, %zu failed)\n", err.message, ok, failed);
	free(data);
}

static void test_not_zip(void **state)
{
	wd_archive *a = NULL;
	wd_error err;

	(void)state;
	put_file("text.zip", "this is not a zip archive, only text\n", 37);
	assert_null(open_both("text.zip", NULL, WD_EFORMAT, &err));
	assert_non_null(strstr(err.message, "not a readable zip archive"));
	put_file("zero.zip", "", 0);
	assert_null(open_both("zero.zip", NULL, WD_EFORMAT, &err));
	/* a tar is not a zip: no other format is enabled */
	put_file("tar.zip", "ustar", 5);
	assert_null(open_both("tar.zip", NULL, WD_EFORMAT, &err));
	assert_int_equal(wd_archive_open_file(&a, tmp_path("missing.zip"), NULL, &err), WD_EIO);
	assert_null(a);
	assert_int_equal(wd_archive_open_file(&a, g_dir, NULL, &err), WD_EIO);
	assert_null(a);
	assert_int_equal(wd_archive_open_memory(&a, NULL, 0, NULL, &err), WD_EFORMAT);
	assert_int_equal(wd_archive_open_memory(&a, NULL, 5, NULL, &err), WD_EINVAL);
	assert_int_equal(wd_archive_open_file(&a, NULL, NULL, &err), WD_EINVAL);
	/* NULL archives */
	wd_archive_free(NULL);
	assert_int_equal(wd_archive_count(NULL), 0);
	assert_int_equal(wd_archive_refused(NULL), 0);
	assert_null(wd_archive_at(NULL, 0));
	assert_null(wd_archive_source(NULL));
}

static void test_empty_zip(void **state)
{
	wd_archive *a;
	wd_error err;
	char *data = NULL;
	size_t len;

	(void)state;
	write_zip("empty.zip", NULL, 0);
	a = open_both("empty.zip", NULL, WD_OK, &err);
	assert_non_null(a);
	assert_int_equal(wd_archive_count(a), 0);
	assert_int_equal(wd_archive_refused(a), 0);
	assert_int_equal(src_read(a, "x.json", 100, &data, &len), WD_ENOTFOUND);
	wd_archive_free(a);
}

static void test_encrypted(void **state)
{
	static const zmember m[] = {
		{"secret.json", "{\"password\":\"hunter2\"}", 0, 0},
		{"secret.txt", "text", 0, 0},
		{"also.json", NULL, 5000, M_RANDOM | M_NOSIZE},
	};
	wd_archive *a;
	wd_error err;

	(void)state;
	if (!write_zip_opts("encrypted.zip", m, 3, "zip:encryption=zipcrypt", "pw"))
		skip();
	a = open_both("encrypted.zip", NULL, WD_OK, &err);
	assert_non_null(a);
	assert_int_equal(wd_archive_count(a), 0);
	/* only the members Warden would have read count as refused */
	assert_int_equal(wd_archive_refused(a), 2);
	wd_archive_free(a);
	if (write_zip_opts("aes.zip", m, 3, "zip:encryption=aes256", "pw")) {
		a = open_both("aes.zip", NULL, WD_OK, &err);
		assert_non_null(a);
		assert_int_equal(wd_archive_count(a), 0);
		assert_int_equal(wd_archive_refused(a), 2);
		wd_archive_free(a);
	}
}

/*
 * Only stored and deflated members are read. Found by fuzz_archive
 * (corpus crash_lzma_dictionary.zip): an lzma member of a few bytes made
 * liblzma allocate a 2 GiB dictionary. Here the method field of stored
 * members is patched to lzma (14), xz (95) and bzip2 (12).
 */
static void test_other_methods_refused(void **state)
{
	static const zmember m[] = {
		{"lzma.json", "{\"m\":14}", 0, M_STORE},
		{"xz.json", "{\"m\":95}", 0, M_STORE},
		{"bzip2.json", "{\"m\":12}", 0, M_STORE},
		{"lzma.txt", "skipped", 0, M_STORE},
		{"stored.json", "{\"m\":0}", 0, M_STORE},
	};
	static const unsigned char method[] = {14, 95, 12, 14, 0};
	wd_archive *a;
	wd_error err;
	char *data;
	size_t len, i, k = 0, c = 0;

	(void)state;
	write_zip("methods.zip", m, 5);
	data = slurp("methods.zip", &len);
	for (i = 0; i + 30 <= len; i++) {
		if (!memcmp(data + i, "PK\x03\x04", 4) && k < 5)
			data[i + 8] = (char)method[k++];
		else if (!memcmp(data + i, "PK\x01\x02", 4) && c < 5)
			data[i + 10] = (char)method[c++];
	}
	assert_int_equal(k, 5);
	assert_int_equal(c, 5);
	put_file("methods2.zip", data, len);
	free(data);
	a = open_both("methods2.zip", NULL, WD_OK, &err);
	assert_non_null(a);
	assert_int_equal(wd_archive_count(a), 1);
	assert_string_equal(wd_archive_at(a, 0)->path, "stored.json");
	assert_int_equal(wd_archive_refused(a), 3);
	wd_archive_free(a);
}

static void test_nested(void **state)
{
	static const zmember inner[] = {
		{"inner/flow.json", "{\"inner\":true}", 0, 0},
		{"../escape.json", "{}", 0, 0},
	};
	wd_archive *a, *b = NULL;
	wd_error err;
	const wd_archive_entry *e;
	char *zip, *data = NULL;
	size_t zlen, len;

	(void)state;
	write_zip("inner.zip", inner, 2);
	zip = slurp("inner.zip", &zlen);
	{
		/* the inner zip's bytes as a stored member */
		struct archive *w = archive_write_new();
		struct archive_entry *en = archive_entry_new();
		archive_write_set_format_zip(w);
		archive_write_set_options(w, "zip:compression=store");
		assert_int_equal(archive_write_open_filename(w, tmp_path("outer.zip")), ARCHIVE_OK);
		archive_entry_set_pathname(en, "pkg/Inner.ZIP");
		archive_entry_set_filetype(en, AE_IFREG);
		archive_entry_set_perm(en, 0644);
		archive_entry_set_size(en, (la_int64_t)zlen);
		assert_int_equal(archive_write_header(w, en), ARCHIVE_OK);
		assert_int_equal(archive_write_data(w, zip, zlen), (la_ssize_t)zlen);
		archive_entry_clear(en);
		archive_entry_set_pathname(en, "top.json");
		archive_entry_set_filetype(en, AE_IFREG);
		archive_entry_set_perm(en, 0644);
		archive_entry_set_size(en, 2);
		assert_int_equal(archive_write_header(w, en), ARCHIVE_OK);
		assert_int_equal(archive_write_data(w, "{}", 2), 2);
		archive_entry_free(en);
		assert_int_equal(archive_write_close(w), ARCHIVE_OK);
		archive_write_free(w);
	}
	a = open_both("outer.zip", NULL, WD_OK, &err);
	assert_non_null(a);
	assert_int_equal(wd_archive_count(a), 2);
	e = wd_archive_at(a, 0);
	assert_string_equal(e->path, "pkg/Inner.ZIP");
	assert_int_equal(e->len, zlen);
	assert_memory_equal(e->data, zip, zlen);
	/* the caller opens it as an archive of its own */
	assert_int_equal(wd_archive_open_memory(&b, e->data, e->len, NULL, &err), WD_OK);
	assert_int_equal(wd_archive_count(b), 1);
	assert_int_equal(wd_archive_refused(b), 1);
	assert_string_equal(wd_archive_at(b, 0)->path, "inner/flow.json");
	assert_int_equal(src_read(b, "exports/a.zip!/pkg/Inner.ZIP!/inner/flow.json", 1 << 20, &data,
	                          &len),
	                 WD_OK);
	assert_string_equal(data, "{\"inner\":true}");
	free(data);
	wd_archive_free(b);
	wd_archive_free(a);
	free(zip);
}

static void test_names_utf8_and_duplicates(void **state)
{
	static const zmember m[] = {
		{"\xc3\xa9t\xc3\xa9/\xc3\xbc.json", "{\"n\":1}", 0, 0},
		{"dup.json", "{\"first\":1}", 0, 0},
		{"dup.json", "{\"second\":2}", 0, 0},
		{"./dup.json", "{\"third\":3}", 0, 0},
	};
	wd_archive *a;
	wd_error err;
	char *data = NULL;
	size_t len;

	(void)state;
	write_zip("names.zip", m, 4);
	a = open_both("names.zip", NULL, WD_OK, &err);
	assert_non_null(a);
	assert_int_equal(wd_archive_count(a), 4);
	assert_string_equal(wd_archive_at(a, 0)->path, "\xc3\xa9t\xc3\xa9/\xc3\xbc.json");
	assert_int_equal(src_read(a, "p.zip!/\xc3\xa9t\xc3\xa9/\xc3\xbc.json", 100, &data, &len),
	                 WD_OK);
	free(data);
	/* every copy is kept for the scan; a lookup finds the first */
	assert_string_equal(wd_archive_at(a, 3)->path, "dup.json");
	assert_int_equal(src_read(a, "dup.json", 100, &data, &len), WD_OK);
	assert_string_equal(data, "{\"first\":1}");
	free(data);
	wd_archive_free(a);
}

/*
 * Found by fuzz_archive (crash_duplicate_order.zip): with many copies of a
 * name, the hash map's probe chain wraps around and its order among equal
 * keys is lost on growth; the lookup must still return the first copy.
 */
static void test_many_duplicates(void **state)
{
	enum { N = 1000 };
	zmember *m = calloc(N, sizeof(*m));
	char (*bodies)[32] = calloc(N, sizeof(*bodies));
	wd_archive *a;
	wd_error err;
	char *data = NULL;
	size_t i, len;

	(void)state;
	assert_non_null(m);
	assert_non_null(bodies);
	for (i = 0; i < N; i++) {
		snprintf(bodies[i], sizeof(bodies[i]), "{\"copy\":%zu}", i);
		m[i].name = "same.json";
		m[i].data = bodies[i];
	}
	write_zip("dups.zip", m, N);
	a = open_both("dups.zip", NULL, WD_OK, &err);
	assert_non_null(a);
	assert_int_equal(wd_archive_count(a), N);
	assert_int_equal(src_read(a, "x.zip!/same.json", 100, &data, &len), WD_OK);
	assert_string_equal(data, "{\"copy\":0}");
	free(data);
	wd_archive_free(a);
	free(m);
	free(bodies);
}

/* Many members: lookups through the hash index, not a scan. */
static void test_many_lookups(void **state)
{
	enum { N = 2000 };
	zmember *m = calloc(N, sizeof(*m));
	char (*names)[32] = calloc(N, sizeof(*names));
	char (*bodies)[32] = calloc(N, sizeof(*bodies));
	wd_archive *a;
	wd_error err;
	size_t i, len;
	char *data;

	(void)state;
	assert_non_null(m);
	for (i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "d%zu/f%zu.json", i % 37, i);
		snprintf(bodies[i], sizeof(bodies[i]), "{\"i\":%zu}", i);
		m[i].name = names[i];
		m[i].data = bodies[i];
	}
	write_zip("many.zip", m, N);
	a = open_both("many.zip", NULL, WD_OK, &err);
	assert_non_null(a);
	assert_int_equal(wd_archive_count(a), N);
	for (i = 0; i < N; i++) {
		assert_int_equal(src_read(a, names[i], 100, &data, &len), WD_OK);
		assert_string_equal(data, bodies[i]);
		free(data);
	}
	wd_archive_free(a);
	free(m);
	free(names);
	free(bodies);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normal),
		cmocka_unit_test(test_source),
		cmocka_unit_test(test_zip_slip),
		cmocka_unit_test(test_zip_slip_patched),
		cmocka_unit_test(test_bomb_ratio),
		cmocka_unit_test(test_bomb_declared),
		cmocka_unit_test(test_size_counted),
		cmocka_unit_test(test_entries_limit),
		cmocka_unit_test(test_total_limit),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_not_zip),
		cmocka_unit_test(test_empty_zip),
		cmocka_unit_test(test_encrypted),
		cmocka_unit_test(test_other_methods_refused),
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_names_utf8_and_duplicates),
		cmocka_unit_test(test_many_duplicates),
		cmocka_unit_test(test_many_lookups),
	};

	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
