/*
 * cli/cmd_model.c - `warden model PATH...`: the living threat model of each
 * app (data-flow model, threats, annotations) as Markdown, JSON, DOT,
 * Mermaid or SVG, and `warden model --diff OLD NEW`. See docs/model.md.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "warden/import.h"
#include "warden/report.h"
#include "warden/threat.h"

enum { F_MD = 1, F_JSON = 2, F_DOT = 4, F_MERMAID = 8, F_SVG = 16, F_ALL = 31 };

static const struct {
	const char *name;
	const char *ext;
	int bit;
} formats[] = {{"md", ".md", F_MD},
               {"json", ".json", F_JSON},
               {"dot", ".dot", F_DOT},
               {"mermaid", ".mmd", F_MERMAID},
               {"svg", ".svg", F_SVG}};

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: warden model [options] PATH...\n"
	        "       warden model --diff OLD NEW [options]\n"
	        "\n"
	        "The threat model of each app in the exports (files or folders): its data-flow\n"
	        "model, threat scenarios and your annotations, as a document or a diagram.\n"
	        "\n"
	        "options:\n"
	        "  -f, --format FMT       md (default), json, dot, mermaid or svg\n"
	        "  -o, --out DIR          write <app>.md, .json, .dot, .mmd and .svg per app into DIR\n"
	        "                         (only --format's file when it is given)\n"
	        "      --annotations FILE annotations for every app (default: <export>.warden.yaml\n"
	        "                         next to each export, when there is one)\n"
	        "      --today YYYY-MM-DD the day accepted risks are checked against (default: today)\n"
	        "      --diff OLD NEW     what changed from OLD to NEW (exports or folders); md, or\n"
	        "                         json with --format json\n"
	        "      --fail-on SEV      exit 1 when an open threat is at or above SEV (with --diff:\n"
	        "                         a threat that is new in NEW): info, low, medium, high,\n"
	        "                         critical, or none (default)\n"
	        "  -h, --help             this help\n"
	        "\n"
	        "Exit codes: 0 ok, 1 open threats at or above --fail-on, 2 usage or input error.\n");
}

/* ---- messages ---------------------------------------------------------------------- */

static void say(const char *prefix, const char *a, const char *b)
{
	wd_buf line;

	wd_buf_init(&line, 1 << 16);
	wd_buf_puts(&line, "warden model: ");
	if (prefix) {
		wd_report_put_safe(&line, prefix);
		wd_buf_puts(&line, ": ");
	}
	wd_report_put_safe(&line, a ? a : "");
	if (b)
		wd_report_put_safe(&line, b);
	fprintf(stderr, "%s\n", wd_buf_cstr(&line));
	wd_buf_release(&line);
}

static void say_error(const char *path, const wd_error *err)
{
	wd_buf where;

	wd_buf_init(&where, 1 << 16);
	wd_buf_puts(&where, path);
	if (err->line)
		wd_buf_printf(&where, ":%u:%u", err->line, err->column);
	say(wd_buf_cstr(&where), err->message, NULL);
	wd_buf_release(&where);
}

/* ---- finding exports ----------------------------------------------------------------- */

typedef struct devino {
	dev_t dev;
	ino_t ino;
} devino;

typedef struct walk {
	char **files;
	int *named;
	size_t nfiles, cap;
	devino *seen;        /* folders and files visited (symlink loops, duplicates) */
	size_t nseen, seen_cap;
	wd_hmap seen_index;
	int errors;
} walk;

static int seen_before(walk *w, const struct stat *st)
{
	uint64_t k[2] = {(uint64_t)st->st_dev, (uint64_t)st->st_ino};
	uint64_t h = wd_hash64(k, sizeof(k), 0);
	size_t slot = WD_HMAP_START;
	uint32_t i;

	while ((i = wd_hmap_next(&w->seen_index, h, &slot)) != UINT32_MAX)
		if (w->seen[i].dev == st->st_dev && w->seen[i].ino == st->st_ino)
			return 1;
	/* out of memory here: at worst a file is read twice */
	if (wd_grow((void **)&w->seen, &w->seen_cap, w->nseen + 1, sizeof(*w->seen)) == WD_OK &&
	    wd_hmap_put(&w->seen_index, h, (uint32_t)w->nseen) == WD_OK) {
		w->seen[w->nseen].dev = st->st_dev;
		w->seen[w->nseen].ino = st->st_ino;
		w->nseen++;
	}
	return 0;
}

static int add_file(walk *w, const char *path, int named)
{
	if (w->nfiles >= 1000000) {
		say(path, "too many files (limit 1,000,000); not read", NULL);
		w->errors++;
		return 0;
	}
	if (wd_grow((void **)&w->files, &w->cap, w->nfiles + 1, sizeof(*w->files)) != WD_OK)
		return -1;
	w->named = realloc(w->named, w->cap * sizeof(int));
	if (!w->named || !(w->files[w->nfiles] = strdup(path)))
		return -1;
	w->named[w->nfiles++] = named;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Files named on the command line are read whatever their name; inside
 * folders only *.json, in name order, each file and folder once, at most 64
 * levels deep (symbolic links to folders already visited are not followed). */
static int walk_path(walk *w, const char *path, int named, unsigned depth)
{
	struct stat st;
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int rc = 0;

	if (stat(path, &st) != 0) {
		if (named) {
			say(path, strerror(errno), NULL);
			w->errors++;
		}
		return 0;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (!named && (!S_ISREG(st.st_mode) || !ends_with(path, ".json")))
			return 0;
		if (seen_before(w, &st))
			return 0;
		return add_file(w, path, named);
	}
	if (seen_before(w, &st))
		return 0;
	if (depth >= 64) {
		say(path, "folders nested deeper than 64 levels; not read", NULL);
		w->errors++;
		return 0;
	}
	d = opendir(path);
	if (!d) {
		say(path, strerror(errno), NULL);
		w->errors++;
		return 0;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' && (!de->d_name[1] || (de->d_name[1] == '.' && !de->d_name[2])))
			continue;
		if (wd_grow((void **)&names, &cap, n + 1, sizeof(*names)) != WD_OK ||
		    !(names[n] = strdup(de->d_name))) {
			rc = -1;
			break;
		}
		n++;
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n && rc == 0; i++) {
		size_t len = strlen(path) + strlen(names[i]) + 2;
		char *child = malloc(len);
		if (!child) {
			rc = -1;
			break;
		}
		snprintf(child, len, "%s%s%s", path, ends_with(path, "/") ? "" : "/", names[i]);
		rc = walk_path(w, child, 0, depth + 1);
		free(child);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

static void walk_release(walk *w)
{
	size_t i;

	for (i = 0; i < w->nfiles; i++)
		free(w->files[i]);
	free(w->files);
	free(w->named);
	free(w->seen);
	wd_hmap_release(&w->seen_index);
}

/* ---- models -------------------------------------------------------------------------- */

typedef struct app {
	wd_tm *tm;
} app;

typedef struct set {
	app *apps;
	size_t napps, cap;
	int errors;
} set;

typedef struct run {
	const char *annotations;       /* --annotations */
	wd_tm_annotations *shared;     /* loaded --annotations */
	int32_t today;
} run;

/* The annotations next to an export ("<export>.warden.yaml"), when there is
 * such a file; NULL otherwise or when unreadable (reported). */
static wd_tm_annotations *annotations_for(const char *export_path, set *s)
{
	wd_tm_annotations *a = NULL;
	size_t len = strlen(export_path) + 16;
	char *path = malloc(len);
	struct stat st;
	wd_error err;

	if (!path)
		return NULL;
	snprintf(path, len, "%s.warden.yaml", export_path);
	if (stat(path, &st) == 0) {
		wd_error_clear(&err);
		if (wd_tm_annotations_load(&a, path, &err) != WD_OK) {
			say_error(path, &err);
			s->errors++;
			a = NULL;
		}
	}
	free(path);
	return a;
}

/* Merge the annotations into tm and print its annotation issues on stderr. */
static void annotate(run *r, wd_tm *tm, const wd_tm_annotations *a, set *s)
{
	size_t i;

	if (a && wd_tm_annotate(tm, a, r->today) != WD_OK) {
		say(tm->file, "out of memory applying annotations", NULL);
		s->errors++;
	}
	for (i = 0; i < tm->nissues; i++) {
		const wd_tm_issue *x = &tm->issues[i];
		wd_buf msg;
		wd_buf_init(&msg, 1 << 16);
		wd_buf_puts(&msg, x->kind ? x->kind : "issue");
		wd_buf_puts(&msg, ": ");
		wd_buf_puts(&msg, x->message ? x->message : "");
		say(x->source && x->source[0] ? x->source : tm->file, wd_buf_cstr(&msg), NULL);
		wd_buf_release(&msg);
	}
}

/*
 * Sections of an annotations file that name no derived app (apps[from..to))
 * are reported: a renamed or deleted app leaves its decisions behind, and a
 * typo in an app name would otherwise silently annotate nothing.
 */
static void report_unmatched(const wd_tm_annotations *a, const char *path, const set *s,
                             size_t from, size_t to)
{
	size_t i, k, n = a ? wd_tm_annotations_count(a) : 0;

	for (i = 0; i < n; i++) {
		uint32_t line = 0, col = 0;
		const char *name = wd_tm_annotations_app(a, i, &line, &col);
		wd_buf where;
		int hit = 0;
		for (k = from; k < to && !hit; k++)
			hit = wd_tm_annotations_match(a, i, s->apps[k].tm);
		if (hit)
			continue;
		wd_buf_init(&where, 1 << 16);
		wd_buf_printf(&where, "%s:%u:%u", path, line, col);
		say(wd_buf_cstr(&where), "unknown-app: no app matches the annotations for ", name);
		wd_buf_release(&where);
	}
}

/* Import every export under paths and derive one model per app. */
static int load(set *s, run *r, const char *const *paths, size_t npaths)
{
	walk w;
	size_t i, first;
	uint32_t a;
	wd_import_opts opts;

	memset(&w, 0, sizeof(w));
	memset(&opts, 0, sizeof(opts));
	opts.load_companions = 1;
	for (i = 0; i < npaths; i++)
		if (walk_path(&w, paths[i], 1, 0) < 0) {
			walk_release(&w);
			return -1;
		}
	s->errors += w.errors;
	for (i = 0; i < w.nfiles; i++) {
		wd_model *m = NULL;
		wd_tm_annotations *own;
		wd_error err;
		int companion = 0;
		wd_status rc;
		wd_error_clear(&err);
		rc = wd_import_file(&m, w.files[i], &opts, &companion, &err);
		if (rc == WD_EFORMAT && (companion || !w.named[i]))
			continue; /* a companion file, or some other JSON in a folder */
		if (rc != WD_OK) {
			say_error(w.files[i], &err);
			s->errors++;
			if (rc == WD_ENOMEM)
				break;
			continue;
		}
		own = r->shared ? NULL : annotations_for(w.files[i], s);
		first = s->napps;
		for (a = 0; a < m->napps; a++) {
			wd_tm *tm = NULL;
			wd_error_clear(&err);
			if (wd_tm_derive(&tm, m, a, &err) != WD_OK) {
				say_error(w.files[i], &err);
				s->errors++;
				continue;
			}
			if (wd_grow((void **)&s->apps, &s->cap, s->napps + 1, sizeof(*s->apps)) != WD_OK) {
				wd_tm_free(tm);
				wd_tm_annotations_free(own);
				wd_model_free(m);
				walk_release(&w);
				return -1;
			}
			s->apps[s->napps++].tm = tm;
			annotate(r, tm, r->shared ? r->shared : own, s);
		}
		if (own) {
			wd_buf ap;
			wd_buf_init(&ap, 1 << 16);
			wd_buf_printf(&ap, "%s.warden.yaml", w.files[i]);
			report_unmatched(own, wd_buf_cstr(&ap), s, first, s->napps);
			wd_buf_release(&ap);
		}
		wd_tm_annotations_free(own);
		wd_model_free(m);
	}
	walk_release(&w);
	return 0;
}

static void set_release(set *s)
{
	size_t i;

	for (i = 0; i < s->napps; i++)
		wd_tm_free(s->apps[i].tm);
	free(s->apps);
}

/* ---- output -------------------------------------------------------------------------- */

static int render(const wd_tm *tm, int fmt, wd_buf *out)
{
	wd_error err;

	switch (fmt) {
	case F_MD: wd_tm_write_md(tm, out); break;
	case F_JSON: wd_tm_write_json(tm, out); break;
	case F_DOT: wd_tm_write_dot(tm, out); break;
	case F_MERMAID: wd_tm_write_mermaid(tm, out); break;
	case F_SVG:
		wd_error_clear(&err);
		if (wd_tm_write_svg(tm, out, &err) != WD_OK) {
			say(tm->file, err.message, NULL);
			return 0;
		}
		break;
	default: return 0;
	}
	if (wd_buf_failed(out)) {
		say(tm->file, "out of memory writing the model", NULL);
		return 0;
	}
	return 1;
}

/* A file name for an app: slug of its name, '-', 8 hex of its identity. */
static void app_slug(wd_buf *out, const wd_tm *tm)
{
	const char *s = tm->app_name;
	size_t n = 0;
	int dash = 0;
	uint8_t d[32];
	char hex[65];
	wd_buf id;

	for (; *s && n < 40; s++) {
		char c = *s;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash && n) {
				wd_buf_putc(out, '-');
				n++;
			}
			wd_buf_putc(out, c);
			n++;
			dash = 0;
		} else {
			dash = 1;
		}
	}
	if (!n)
		wd_buf_puts(out, "app");
	wd_buf_init(&id, 0);
	wd_buf_puts(&id, tm->platform);
	wd_buf_putc(&id, '\0');
	wd_buf_puts(&id, tm->app_id[0] ? tm->app_id : tm->app_name);
	wd_sha256(id.data ? id.data : "", id.len, d);
	wd_buf_release(&id);
	wd_hex(d, 4, hex);
	wd_buf_printf(out, "-%s", hex);
}

static int make_dirs(const char *dir)
{
	char *p = strdup(dir), *q;
	int ok = 1;

	if (!p)
		return 0;
	for (q = p + 1; *q && ok; q++) {
		if (*q != '/')
			continue;
		*q = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST)
			ok = 0;
		*q = '/';
	}
	if (ok && mkdir(p, 0777) != 0 && errno != EEXIST)
		ok = 0;
	if (!ok)
		fprintf(stderr, "warden model: cannot create %s: %s\n", dir, strerror(errno));
	free(p);
	return ok;
}

/* Write a file in the output folder, never through a symbolic link. */
static int write_file(const char *path, const wd_buf *b)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	size_t done = 0;

	if (fd < 0) {
		fprintf(stderr, "warden model: cannot write %s: %s\n", path, strerror(errno));
		return 0;
	}
	while (done < b->len) {
		ssize_t w = write(fd, b->data + done, b->len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			fprintf(stderr, "warden model: cannot write %s: %s\n", path, strerror(errno));
			close(fd);
			return 0;
		}
		done += (size_t)w;
	}
	if (close(fd) != 0) {
		fprintf(stderr, "warden model: cannot write %s: %s\n", path, strerror(errno));
		return 0;
	}
	return 1;
}

static int write_out_dir(const set *s, const char *dir, int fmts)
{
	/* slugs[i]: app i's base name; copies of one export share a base, and
	 * the n-th copy gets "-n": a counter per distinct base (found through
	 * the hash map) keeps that linear in the number of apps */
	char **slugs = calloc(s->napps + 1, sizeof(char *));
	uint32_t *seen = calloc(s->napps + 1, sizeof(uint32_t)); /* copies per first app */
	wd_hmap by_base = WD_HMAP_INIT;
	size_t i, k;
	int ok = 1;

	if (!slugs || !seen || !make_dirs(dir)) {
		free(slugs);
		free(seen);
		return 0;
	}
	for (i = 0; i < s->napps && ok; i++) {
		wd_buf slug, path, b;
		uint64_t key;
		size_t slot = WD_HMAP_START;
		uint32_t first = UINT32_MAX, j;
		wd_buf_init(&slug, 1 << 12);
		app_slug(&slug, s->apps[i].tm);
		slugs[i] = strdup(wd_buf_cstr(&slug));
		if (!slugs[i] || wd_buf_failed(&slug)) {
			ok = 0;
			wd_buf_release(&slug);
			break;
		}
		key = wd_hash64(slugs[i], strlen(slugs[i]), 7);
		while ((j = wd_hmap_next(&by_base, key, &slot)) != UINT32_MAX)
			if (strcmp(slugs[j], slugs[i]) == 0) {
				first = j;
				break;
			}
		if (first == UINT32_MAX) {
			if (wd_hmap_put(&by_base, key, (uint32_t)i) != WD_OK)
				ok = 0;
		} else {
			/* "-2", "-3"...: a plain name always ends in 8 hex digits, so a
			 * numbered copy can never equal another app's plain name */
			wd_buf_printf(&slug, "-%u", ++seen[first] + 1);
		}
		for (k = 0; k < sizeof(formats) / sizeof(*formats) && ok; k++) {
			if (!(fmts & formats[k].bit))
				continue;
			wd_buf_init(&b, 0);
			wd_buf_init(&path, 1 << 16);
			wd_buf_printf(&path, "%s/%s%s", dir, wd_buf_cstr(&slug), formats[k].ext);
			if (!render(s->apps[i].tm, formats[k].bit, &b) || wd_buf_failed(&path) ||
			    !write_file(wd_buf_cstr(&path), &b))
				ok = 0;
			wd_buf_release(&b);
			wd_buf_release(&path);
		}
		wd_buf_release(&slug);
	}
	for (i = 0; i < s->napps; i++)
		free(slugs[i]);
	free(slugs);
	free(seen);
	wd_hmap_release(&by_base);
	return ok;
}

static int write_stdout(const set *s, int fmt)
{
	wd_buf b;
	size_t i;
	int ok = 1;

	if (fmt == F_SVG && s->napps > 1) {
		fprintf(stderr, "warden model: %zu apps found; SVG holds one diagram: use --out DIR "
		                "for one file per app\n", s->napps);
		return 0;
	}
	wd_buf_init(&b, 0);
	if (fmt == F_JSON)
		wd_buf_puts(&b, "[\n");
	for (i = 0; i < s->napps && ok; i++) {
		if (i)
			wd_buf_puts(&b, fmt == F_JSON ? ",\n" : fmt == F_MD ? "\n---\n\n" : "\n");
		ok = render(s->apps[i].tm, fmt, &b);
	}
	if (fmt == F_JSON)
		wd_buf_puts(&b, "]\n");
	if (ok && wd_buf_failed(&b)) {
		fprintf(stderr, "warden model: out of memory writing the model\n");
		ok = 0;
	}
	if (ok)
		ok = cli_write_output(NULL, wd_buf_cstr(&b), b.len);
	wd_buf_release(&b);
	return ok;
}

/* ---- gates and diff ---------------------------------------------------------------- */

static int open_at_least(const wd_tm_threat *t, int sev)
{
	return (t->status == WD_TM_OPEN || t->reopened) && (int)t->severity >= sev;
}

static int has_threat(const wd_tm *tm, const char *id)
{
	size_t i;

	for (i = 0; tm && i < tm->nthreats; i++)
		if (strcmp(tm->threats[i].id, id) == 0)
			return 1;
	return 0;
}

static int same_app(const wd_tm *a, const wd_tm *b)
{
	if (strcmp(a->platform, b->platform) != 0)
		return 0;
	if (a->app_id[0] || b->app_id[0])
		return strcmp(a->app_id, b->app_id) == 0;
	return strcmp(a->app_name, b->app_name) == 0;
}

static int diff(const set *olds, const set *news, int fmt, int fail_on, int *gate)
{
	uint8_t *matched = calloc(olds->napps + 1, 1);
	wd_buf b;
	size_t i, j, n = 0;
	int ok;

	if (!matched) {
		fprintf(stderr, "warden model: out of memory\n");
		return 0;
	}
	wd_buf_init(&b, 0);
	if (fmt == F_JSON)
		wd_buf_puts(&b, "[\n");
	for (i = 0; i <= news->napps + olds->napps; i++) {
		const wd_tm *o = NULL, *nw = NULL;
		if (i < news->napps) {
			nw = news->apps[i].tm;
			for (j = 0; j < olds->napps && !o; j++)
				if (!matched[j] && same_app(olds->apps[j].tm, nw)) {
					matched[j] = 1;
					o = olds->apps[j].tm;
				}
		} else if (i - news->napps < olds->napps && !matched[i - news->napps]) {
			o = olds->apps[i - news->napps].tm;
		} else {
			continue;
		}
		if (n++)
			wd_buf_puts(&b, fmt == F_JSON ? ",\n" : "\n");
		if (fmt == F_JSON)
			wd_tm_diff_json(o, nw, &b);
		else
			wd_tm_diff_md(o, nw, &b);
		for (j = 0; nw && j < nw->nthreats; j++)
			if (open_at_least(&nw->threats[j], fail_on) && !has_threat(o, nw->threats[j].id))
				*gate = 1;
	}
	if (fmt == F_JSON)
		wd_buf_puts(&b, "]\n");
	ok = !wd_buf_failed(&b);
	if (!ok)
		fprintf(stderr, "warden model: out of memory writing the diff\n");
	else
		ok = cli_write_output(NULL, wd_buf_cstr(&b), b.len);
	wd_buf_release(&b);
	free(matched);
	return ok;
}

/* ---- arguments -------------------------------------------------------------------- */

/* Days since 1970-01-01 of a YYYY-MM-DD date; -1 if malformed. */
static int32_t parse_date(const char *s)
{
	int y, m, d;
	char tail;
	int64_t yy, era, yoe, doy, doe;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
		return -1;
	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return -1;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return -1;
	yy = m <= 2 ? y - 1 : y;
	era = yy / 400;
	yoe = yy - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + doe - 719468);
}

/* a is the option (short or long) or "--long=value" (value in *v). */
static int opt(const char *a, const char *shortn, const char *longn, const char **v)
{
	size_t n = strlen(longn);

	if ((shortn && strcmp(a, shortn) == 0) || strcmp(a, longn) == 0)
		return 1;
	if (strncmp(a, longn, n) == 0 && a[n] == '=') {
		*v = a + n + 1;
		return 1;
	}
	return 0;
}

static int parse_format(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(*formats); i++)
		if (strcmp(s, formats[i].name) == 0)
			return formats[i].bit;
	return 0;
}

int cmd_model(int argc, char **argv)
{
	const char *out_dir = NULL, *diff_old = NULL, *diff_new = NULL, *today_s = NULL;
	const char **paths = calloc((size_t)argc + 1, sizeof(char *));
	int fmt = 0, fail_on = WD_SEV_CRITICAL + 1, i, rc = WD_EXIT_OK, gate = 0;
	size_t npaths = 0, k, j;
	run r;
	set s, olds;

	memset(&r, 0, sizeof(r));
	memset(&s, 0, sizeof(s));
	memset(&olds, 0, sizeof(olds));
	if (!paths) {
		fprintf(stderr, "warden: out of memory\n");
		return WD_EXIT_ERROR;
	}
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			free(paths);
			return WD_EXIT_OK;
		} else if (opt(a, "-f", "--format", &v)) {
			if (!v && i + 1 < argc)
				v = argv[++i];
			if (!v || !(fmt = parse_format(v))) {
				fprintf(stderr, "warden model: --format takes md, json, dot, mermaid or svg, "
				                "not '%s'\n", v ? v : "");
				goto usage_error;
			}
		} else if (opt(a, "-o", "--out", &v)) {
			if (!v && i + 1 < argc)
				v = argv[++i];
			if (!v || !*v)
				goto incomplete;
			out_dir = v;
		} else if (opt(a, NULL, "--annotations", &v)) {
			if (!v && i + 1 < argc)
				v = argv[++i];
			if (!v || !*v)
				goto incomplete;
			r.annotations = v;
		} else if (opt(a, NULL, "--today", &v)) {
			if (!v && i + 1 < argc)
				v = argv[++i];
			if (!v || parse_date(v) < 0) {
				fprintf(stderr, "warden model: --today takes a date YYYY-MM-DD, not '%s'\n",
				        v ? v : "");
				goto usage_error;
			}
			today_s = v;
		} else if (strcmp(a, "--diff") == 0) {
			if (i + 2 >= argc)
				goto incomplete;
			diff_old = argv[++i];
			diff_new = argv[++i];
		} else if (opt(a, NULL, "--fail-on", &v)) {
			if (!v && i + 1 < argc)
				v = argv[++i];
			if (!v)
				goto incomplete;
			if (strcmp(v, "none") == 0) {
				fail_on = WD_SEV_CRITICAL + 1;
			} else if ((fail_on = wd_severity_parse(v)) < 0) {
				fprintf(stderr, "warden model: --fail-on takes info, low, medium, high, "
				                "critical or none, not '%s'\n", v);
				goto usage_error;
			}
		} else if (strcmp(a, "--") == 0) {
			for (i++; i < argc; i++)
				paths[npaths++] = argv[i];
		} else if (a[0] == '-' && a[1] != '\0') {
			goto incomplete;
		} else {
			paths[npaths++] = a;
		}
		continue;
incomplete:
		fprintf(stderr, "warden model: unknown or incomplete option '%s'\n", a);
		goto usage_error;
	}
	if (diff_old && (npaths || out_dir)) {
		fprintf(stderr, "warden model: --diff takes exactly OLD and NEW (no other PATH, no "
		                "--out)\n");
		goto usage_error;
	}
	if (diff_old && fmt && fmt != F_MD && fmt != F_JSON) {
		fprintf(stderr, "warden model: --diff writes md or json\n");
		goto usage_error;
	}
	if (!diff_old && npaths == 0) {
		fprintf(stderr, "warden model: no PATH given\n");
		goto usage_error;
	}
	r.today = today_s ? parse_date(today_s) : (int32_t)(time(NULL) / 86400);
	if (r.annotations) {
		wd_error err;
		wd_error_clear(&err);
		if (wd_tm_annotations_load(&r.shared, r.annotations, &err) != WD_OK) {
			say_error(r.annotations, &err);
			free(paths);
			return WD_EXIT_ERROR;
		}
	}

	if (diff_old) {
		const char *o[1] = {diff_old}, *nw[1] = {diff_new};
		if (load(&olds, &r, o, 1) < 0 || load(&s, &r, nw, 1) < 0) {
			fprintf(stderr, "warden model: out of memory\n");
			rc = WD_EXIT_ERROR;
		} else if (!diff(&olds, &s, fmt ? fmt : F_MD, fail_on, &gate)) {
			rc = WD_EXIT_ERROR;
		}
	} else {
		int loaded = load(&s, &r, paths, npaths);
		if (loaded == 0 && r.shared)
			report_unmatched(r.shared, r.annotations, &s, 0, s.napps);
		if (loaded < 0) {
			fprintf(stderr, "warden model: out of memory\n");
			rc = WD_EXIT_ERROR;
		} else if (s.napps == 0) {
			if (!s.errors)
				fprintf(stderr, "warden model: no export found in the given paths\n");
			rc = WD_EXIT_ERROR;
		} else if (out_dir ? !write_out_dir(&s, out_dir, fmt ? fmt : F_ALL)
		                   : !write_stdout(&s, fmt ? fmt : F_MD)) {
			rc = WD_EXIT_ERROR;
		}
		for (k = 0; k < s.napps; k++)
			for (j = 0; j < s.apps[k].tm->nthreats; j++)
				if (open_at_least(&s.apps[k].tm->threats[j], fail_on))
					gate = 1;
	}
	if (rc == WD_EXIT_OK && (s.errors || olds.errors))
		rc = WD_EXIT_ERROR;
	if (rc == WD_EXIT_OK && gate)
		rc = WD_EXIT_FINDINGS;
	set_release(&s);
	set_release(&olds);
	wd_tm_annotations_free(r.shared);
	free(paths);
	return rc;
usage_error:
	usage(stderr);
	free(paths);
	return WD_EXIT_ERROR;
}
