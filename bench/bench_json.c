/*
 * bench/bench_json.c - JSON read throughput: Warden's reader vs jansson.
 *
 * Usage: bench_json [--rounds N] FILE...
 * Loads every file into memory first (I/O is not measured), then parses the
 * whole set N times with each reader, alternating, and prints MB/s of the
 * best round for each plus their ratio. Both run in the same process on the
 * same bytes, so the ratio holds on a noisy machine.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "warden/json.h"

typedef struct input {
	char *data;
	size_t len;
} input;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	input *in;
	size_t n = 0, total = 0, i;
	int rounds = 5, r, a = 1;
	double best_wd = 1e30, best_js = 1e30;
	size_t fails_wd = 0, fails_js = 0;

	if (argc > 2 && strcmp(argv[1], "--rounds") == 0) {
		rounds = (int)strtol(argv[2], NULL, 10);
		a = 3;
	}
	in = calloc((size_t)argc, sizeof(*in));
	if (!in)
		return 2;
	for (; a < argc; a++) {
		wd_error err;
		if (wd_read_file(argv[a], (uint64_t)1 << 30, &in[n].data, &in[n].len, &err) != WD_OK) {
			fprintf(stderr, "%s: %s\n", argv[a], err.message);
			continue;
		}
		total += in[n].len;
		n++;
	}
	if (n == 0) {
		fprintf(stderr, "usage: bench_json [--rounds N] FILE...\n");
		return 2;
	}
	for (r = 0; r < rounds; r++) {
		double t0 = now(), t;
		fails_wd = 0;
		for (i = 0; i < n; i++) {
			wd_json_doc *d;
			if (wd_json_parse(&d, in[i].data, in[i].len, NULL, NULL) != WD_OK)
				fails_wd++;
			wd_json_free(d);
		}
		t = now() - t0;
		if (t < best_wd)
			best_wd = t;
		t0 = now();
		fails_js = 0;
		for (i = 0; i < n; i++) {
			json_error_t e;
			size_t off = (in[i].len >= 3 && memcmp(in[i].data, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
			json_t *j = json_loadb(in[i].data + off, in[i].len - off,
			                       JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
			if (!j)
				fails_js++;
			json_decref(j);
		}
		t = now() - t0;
		if (t < best_js)
			best_js = t;
	}
	printf("files            %zu (%.1f MB)\n", n, (double)total / 1e6);
	printf("warden json      %8.1f MB/s  (%zu failed)\n", (double)total / 1e6 / best_wd, fails_wd);
	printf("jansson          %8.1f MB/s  (%zu failed)\n", (double)total / 1e6 / best_js, fails_js);
	printf("ratio            %8.1fx\n", best_js / best_wd);
	for (i = 0; i < n; i++)
		free(in[i].data);
	free(in);
	return 0;
}
