/*
 * replay_main.c - run a libFuzzer target over saved inputs, without libFuzzer.
 *
 * Linked with one tests/fuzz/fuzz_<name>.c into replay_<name>, which ctest
 * runs over tests/fuzz/corpus/<name> in every build, so every seed and every
 * past crash is re-checked by the ordinary test suite (and under ASan in the
 * asan preset). Arguments are files or folders (walked recursively); inputs
 * run in sorted order so a failure is reproducible. Each input is copied into
 * a buffer of exactly its size, so a read past the end is caught by ASan.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct path_list {
	char **items;
	size_t n;
	size_t cap;
} path_list;

static int add_path(path_list *l, const char *path)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		char **p = realloc(l->items, cap * sizeof(*p));
		if (!p)
			return -1;
		l->items = p;
		l->cap = cap;
	}
	l->items[l->n] = strdup(path);
	if (!l->items[l->n])
		return -1;
	l->n++;
	return 0;
}

/* Collect regular files under path; -1 if path does not exist or on error. */
static int collect(path_list *l, const char *path, int depth)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	int rc = 0;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "replay: %s: no such file or folder\n", path);
		return -1;
	}
	if (S_ISREG(st.st_mode))
		return add_path(l, path);
	if (!S_ISDIR(st.st_mode) || depth > 32)
		return 0;
	d = opendir(path);
	if (!d) {
		fprintf(stderr, "replay: %s: cannot open folder\n", path);
		return -1;
	}
	while (rc == 0 && (e = readdir(d)) != NULL) {
		char child[4096];

		if (e->d_name[0] == '.')
			continue; /* ".", "..", and hidden files such as .gitkeep */
		if ((size_t)snprintf(child, sizeof(child), "%s/%s", path, e->d_name) >= sizeof(child))
			continue;
		rc = collect(l, child, depth + 1);
	}
	closedir(d);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;

	if (!f) {
		fprintf(stderr, "replay: %s: cannot open\n", path);
		return -1;
	}
	for (;;) {
		size_t n;
		if (len == cap) {
			size_t ncap = cap ? 2 * cap : 4096;
			uint8_t *p = realloc(buf, ncap);
			if (!p) {
				free(buf);
				fclose(f);
				return -1;
			}
			buf = p;
			cap = ncap;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	fclose(f);
	{
		/* exactly len bytes, so overreads are visible to ASan */
		uint8_t *exact = malloc(len ? len : 1);
		if (!exact) {
			free(buf);
			return -1;
		}
		if (len)
			memcpy(exact, buf, len);
		free(buf);
		LLVMFuzzerTestOneInput(exact, len);
		free(exact);
	}
	return 0;
}

int main(int argc, char **argv)
{
	path_list l = {NULL, 0, 0};
	size_t i;
	int rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE-OR-FOLDER...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < (size_t)argc; i++)
		if (collect(&l, argv[i], 0) != 0)
			rc = 1;
	if (rc == 0) {
		if (l.n)
			qsort(l.items, l.n, sizeof(*l.items), cmp_str);
		for (i = 0; i < l.n; i++) {
			if (run_file(l.items[i]) != 0) {
				rc = 1;
				break;
			}
		}
		if (rc == 0)
			printf("replayed %zu inputs\n", l.n);
	}
	for (i = 0; i < l.n; i++)
		free(l.items[i]);
	free(l.items);
	return rc;
}
