/*
 * cli/cmd_scan.c - `warden scan PATH...`: review exports, report, gate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "warden/report.h"
#include "warden/scan.h"

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: warden scan [options] PATH...\n"
	        "\n"
	        "Review n8n, Node-RED, Power Automate / Logic Apps, Make and Zapier exports\n"
	        "in files, folders (recursive) and zip archives (read in memory).\n"
	        "\n"
	        "options:\n"
	        "  -f, --format FMT     text (default) or json\n"
	        "  -o, --output FILE    write the report to FILE instead of stdout\n"
	        "      --fail-on SEV    exit 1 when a finding is at or above SEV:\n"
	        "                       info, low, medium, high (default), critical, none\n"
	        "      --color WHEN     auto (default: only on a terminal), always, never\n"
	        "  -j, --jobs N         review N files in parallel (default: one per CPU)\n"
	        "  -q, --quiet          no progress line on stderr\n"
	        "  -h, --help           this help\n"
	        "\n"
	        "Exit codes: 0 no finding at or above --fail-on, 1 findings,\n"
	        "2 usage error or an input that could not be read (after scanning the rest).\n");
}

typedef struct progress {
	int on;
	uint64_t last;
} progress;

static void show_progress(void *ud, uint64_t n, const char *path)
{
	progress *p = ud;

	(void)path;
	if (!p->on || n - p->last < 64)
		return;
	p->last = n;
	fprintf(stderr, "\rwarden: %llu files...", (unsigned long long)n);
}

int cmd_scan(int argc, char **argv)
{
	const char *format = "text", *output = NULL, *color = "auto";
	int fail_on = WD_SEV_HIGH, quiet = 0, i, rc = WD_EXIT_OK;
	unsigned jobs = 0;
	const char **paths;
	size_t npaths = 0;
	wd_scan_opts opts;
	wd_scan_result res;
	progress prog = {0, 0};
	wd_buf out;

	paths = calloc((size_t)argc + 1, sizeof(*paths));
	if (!paths) {
		fprintf(stderr, "warden: out of memory\n");
		return WD_EXIT_ERROR;
	}
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			free(paths);
			return WD_EXIT_OK;
		} else if ((strcmp(a, "-f") == 0 || strcmp(a, "--format") == 0) && i + 1 < argc) {
			format = argv[++i];
		} else if (strncmp(a, "--format=", 9) == 0) {
			format = a + 9;
		} else if ((strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) && i + 1 < argc) {
			output = argv[++i];
		} else if (strncmp(a, "--output=", 9) == 0) {
			output = a + 9;
		} else if (strcmp(a, "--fail-on") == 0 && i + 1 < argc) {
			a = argv[++i];
			goto fail_on;
		} else if (strncmp(a, "--fail-on=", 10) == 0) {
			a += 10;
fail_on:
			if (strcmp(a, "none") == 0) {
				fail_on = WD_SEV_CRITICAL + 1;
			} else if ((fail_on = wd_severity_parse(a)) < 0) {
				fprintf(stderr, "warden scan: --fail-on takes info, low, medium, high, "
				                "critical or none, not '%s'\n", a);
				free(paths);
				return WD_EXIT_ERROR;
			}
		} else if (strcmp(a, "--color") == 0 && i + 1 < argc) {
			color = argv[++i];
		} else if (strncmp(a, "--color=", 8) == 0) {
			color = a + 8;
		} else if (((strcmp(a, "-j") == 0 || strcmp(a, "--jobs") == 0) && i + 1 < argc) ||
		           (strncmp(a, "-j", 2) == 0 && a[2]) || strncmp(a, "--jobs=", 7) == 0) {
			const char *v = strncmp(a, "--jobs=", 7) == 0 ? a + 7
			                : (a[1] == 'j' && a[2]) ? a + 2 : argv[++i];
			char *end;
			long n = strtol(v, &end, 10);
			if (*end != '\0' || n < 1 || n > 256) {
				fprintf(stderr, "warden scan: --jobs takes a number from 1 to 256, not '%s'\n",
				        v);
				free(paths);
				return WD_EXIT_ERROR;
			}
			jobs = (unsigned)n;
		} else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
			quiet = 1;
		} else if (strcmp(a, "--") == 0) {
			for (i++; i < argc; i++)
				paths[npaths++] = argv[i];
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "warden scan: unknown or incomplete option '%s'\n", a);
			usage(stderr);
			free(paths);
			return WD_EXIT_ERROR;
		} else {
			paths[npaths++] = a;
		}
	}
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
		fprintf(stderr, "warden scan: --format takes text or json, not '%s'\n", format);
		free(paths);
		return WD_EXIT_ERROR;
	}
	if (strcmp(color, "auto") != 0 && strcmp(color, "always") != 0 &&
	    strcmp(color, "never") != 0) {
		fprintf(stderr, "warden scan: --color takes auto, always or never, not '%s'\n", color);
		free(paths);
		return WD_EXIT_ERROR;
	}
	if (npaths == 0) {
		fprintf(stderr, "warden scan: no PATH given\n");
		usage(stderr);
		free(paths);
		return WD_EXIT_ERROR;
	}

	memset(&opts, 0, sizeof(opts));
	opts.import.load_companions = 1;
	opts.jobs = jobs;
	prog.on = !quiet && isatty(STDERR_FILENO);
	opts.progress = show_progress;
	opts.progress_ud = &prog;
	wd_scan_result_init(&res);
	if (wd_scan_paths(&res, paths, npaths, &opts) != WD_OK) {
		fprintf(stderr, "warden scan: out of memory\n");
		wd_scan_result_release(&res);
		free(paths);
		return WD_EXIT_ERROR;
	}
	if (prog.last)
		fprintf(stderr, "\r\033[K");

	wd_buf_init(&out, 0);
	if (strcmp(format, "json") == 0) {
		wd_report_json(&res, &out);
	} else {
		wd_text_opts to = {0, 1};
		to.color = strcmp(color, "always") == 0 ||
		           (strcmp(color, "auto") == 0 && !output && isatty(STDOUT_FILENO) &&
		            !getenv("NO_COLOR"));
		wd_report_text(&res, &to, &out);
	}
	if (wd_buf_failed(&out)) {
		fprintf(stderr, "warden scan: out of memory writing the report\n");
		rc = WD_EXIT_ERROR;
	} else if (!cli_write_output(output, wd_buf_cstr(&out), out.len)) {
		rc = WD_EXIT_ERROR;
	} else {
		/* unreadable inputs are also reported on stderr, one line each */
		for (i = 0; (size_t)i < res.nerrors; i++) {
			const wd_result_error *e = &res.errors[i];
			wd_buf line;
			wd_buf_init(&line, 1 << 16);
			wd_buf_puts(&line, "warden: ");
			wd_report_put_safe(&line, e->file);
			if (e->line)
				wd_buf_printf(&line, ":%u:%u", e->line, e->column);
			wd_buf_puts(&line, ": ");
			wd_report_put_safe(&line, e->message);
			fprintf(stderr, "%s\n", wd_buf_cstr(&line));
			wd_buf_release(&line);
		}
		if (res.nerrors)
			rc = WD_EXIT_ERROR;
		else if (fail_on <= WD_SEV_CRITICAL && wd_scan_count_at_least(&res, (wd_severity)fail_on))
			rc = WD_EXIT_FINDINGS;
	}
	wd_buf_release(&out);
	wd_scan_result_release(&res);
	free(paths);
	return rc;
}
