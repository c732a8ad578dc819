/*
 * fuzz_archive.c - the zip reader (import/archive.c) on arbitrary bytes.
 *
 * Opens the input as a zip from memory under small limits, then checks
 * every kept entry: its path is normalised (not empty, no leading or
 * trailing '/', no '\', no empty, "." or ".." segment, no control
 * character, no "!/"), its data is NUL-terminated and within the limits,
 * and the archive's wd_source returns the same bytes for the bare path and
 * for a display path ("fuzz.zip!/<path>"), those of the first entry of that
 * path. A nested *.zip entry is opened the same way, one level deep. A
 * failure must leave no archive and a one-line message. Any crash, leak,
 * sanitizer report, hang or abort() here is a bug.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "warden/import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_path(const char *p)
{
	size_t n = strlen(p), i, seg = 0;

	if (n == 0 || p[0] == '/' || p[n - 1] == '/' || strstr(p, "!/") || strchr(p, '\\'))
		abort();
	for (i = 0; i <= n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (i < n && (c < 0x20 || c == 0x7f))
			abort();
		if (i == n || c == '/') {
			size_t len = i - seg;
			if (len == 0 || (len == 1 && p[seg] == '.') ||
			    (len == 2 && p[seg] == '.' && p[seg + 1] == '.'))
				abort();
			seg = i + 1;
		}
	}
}

static void check_archive(wd_archive *a, const wd_limits *lim, int depth)
{
	const wd_source *src = wd_archive_source(a);
	uint64_t total = 0;
	size_t i, j;

	for (i = 0; i < wd_archive_count(a); i++) {
		const wd_archive_entry *e = wd_archive_at(a, i), *first = e;
		char display[4200];
		char *got = NULL;
		size_t len = 0, n;
		wd_error err;

		check_path(e->path);
		if (!e->data || e->data[e->len] != '\0' || e->len > lim->max_file_size)
			abort();
		total += e->len;
		for (j = 0; j < i; j++)
			if (!strcmp(wd_archive_at(a, j)->path, e->path)) {
				first = wd_archive_at(a, j);
				break;
			}
		if (src->read(src->ctx, e->path, lim->max_file_size, &got, &len, &err) != WD_OK ||
		    len != first->len || memcmp(got, first->data, len + 1) != 0)
			abort();
		free(got);
		got = NULL;
		n = strlen(e->path);
		if (n + 11 < sizeof(display)) {
			memcpy(display, "fuzz.zip!/", 10);
			memcpy(display + 10, e->path, n + 1);
			if (src->read(src->ctx, display, lim->max_file_size, &got, &len, &err) !=
			            WD_OK ||
			    len != first->len || memcmp(got, first->data, len + 1) != 0)
				abort();
			free(got);
		}
		if (depth == 0 && n > 4 && !strcmp(e->path + n - 4, ".zip")) {
			wd_archive *inner = NULL;
			if (wd_archive_open_memory(&inner, e->data, e->len, lim, &err) == WD_OK)
				check_archive(inner, lim, depth + 1);
			else if (inner || strchr(err.message, '\n'))
				abort();
			wd_archive_free(inner);
		}
	}
	if (total > lim->max_archive_total)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wd_archive *a = NULL;
	wd_limits lim;
	wd_error err;

	memset(&lim, 0, sizeof(lim));
	lim.max_file_size = 1u << 20;
	lim.max_archive_entries = 256;
	lim.max_archive_total = 4u << 20;
	wd_limits_resolve(&lim);
	wd_error_clear(&err);
	if (wd_archive_open_memory(&a, data, size, &lim, &err) != WD_OK) {
		if (a || err.message[0] == '\0' || strchr(err.message, '\n'))
			abort();
		return 0;
	}
	check_archive(a, &lim, 0);
	wd_archive_free(a);
	return 0;
}
