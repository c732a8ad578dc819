/*
 * cli/cmd_scan.c - `warden scan PATH...`: review exports, report, gate.
 *
 * Everything that configures the scan (policy, owners, suppressions,
 * baseline) is loaded and checked before the first export is read, so a
 * typo in a policy fails in a second, not after a long scan. The date that
 * suppressions expire against is decided here (the library reads no clock).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "warden/policy.h"
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
	        "  -f, --format FMT     text (default), json, sarif, markdown or junit\n"
	        "  -o, --output FILE    write the report to FILE instead of stdout\n"
	        "      --fail-on SEV    exit 1 when an open finding is at or above SEV:\n"
	        "                       info, low, medium, high (default), critical, none;\n"
	        "                       suppressed findings never count, and with --baseline\n"
	        "                       only new findings count\n"
	        "      --baseline FILE  an earlier 'warden scan --format json' output: findings\n"
	        "                       in it are 'unchanged', the others 'new'\n"
	        "      --policy FILE    a policy file (repeatable; they combine strictly); with\n"
	        "                       --policy the built-in default policy is not applied...\n"
	        "      --default-policy ...unless this is given too\n"
	        "      --no-policy      built-in rules only, no policy\n"
	        "      --owners FILE    an owners file: every app gets an owner or is unowned\n"
	        "      --suppressions FILE  suppressions (justification, approver, expiry)\n"
	        "      --today DATE     the date suppressions expire against (YYYY-MM-DD;\n"
	        "                       default: today in UTC)\n"
	        "      --group-by KEY   text report: app (default) or owner\n"
	        "      --show-suppressed  text report: list suppressed findings too\n"
	        "      --color WHEN     auto (default: only on a terminal), always, never\n"
	        "  -j, --jobs N         review N files in parallel (default: one per CPU)\n"
	        "  -q, --quiet          no progress line on stderr\n"
	        "  -h, --help           this help\n"
	        "\n"
	        "Exit codes: 0 no finding fails --fail-on, 1 findings, 2 usage error, a policy,\n"
	        "owners, suppressions or baseline file that cannot be used (nothing is scanned),\n"
	        "or an input that could not be read (after scanning the rest).\n");
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

/*
 * "--name VALUE" or "--name=VALUE" (and the short form, if any): 1 and *val
 * set when argv[*i] is this option (*i moves past its value), else 0.
 */
static int opt(int argc, char **argv, int *i, const char *shrt, const char *lng,
               const char **val)
{
	const char *a = argv[*i];
	size_t n = strlen(lng);

	if ((strcmp(a, lng) == 0 || (shrt && strcmp(a, shrt) == 0)) && *i + 1 < argc) {
		*val = argv[++*i];
		return 1;
	}
	if (strncmp(a, lng, n) == 0 && a[n] == '=') {
		*val = a + n + 1;
		return 1;
	}
	return 0;
}

/* Days since 1970-01-01 of a YYYY-MM-DD date; 0 and *days unset when invalid. */
static int parse_date(const char *s, int32_t *days)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d, n = 0;
	long era, yoe, doy, doe;

	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
	    y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1)
		return 0;
	if (d > mdays[m - 1] + (m == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))))
		return 0;
	/* Howard Hinnant's days_from_civil */
	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153L * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	*days = (int32_t)(era * 146097 + doe - 719468);
	return 1;
}

/* "warden scan: FILE:LINE:COL: message" for a file that cannot be used. */
static void file_error(const char *what, const char *path, const wd_error *err)
{
	wd_buf line;

	wd_buf_init(&line, 1 << 16);
	wd_buf_puts(&line, "warden scan: ");
	wd_report_put_safe(&line, path ? path : what);
	if (err->line)
		wd_buf_printf(&line, ":%u:%u", err->line, err->column);
	wd_buf_puts(&line, ": ");
	wd_report_put_safe(&line, err->message[0] ? err->message : wd_status_str(err->code));
	fprintf(stderr, "%s\n", wd_buf_cstr(&line));
	wd_buf_release(&line);
}

typedef struct policy_args {
	const char **files;
	size_t nfiles;
	int default_too, none;
	const char *owners, *suppressions;
} policy_args;

/*
 * Build the policy the flags ask for: the embedded default (no flags, or
 * --default-policy), --policy files, owners and suppressions. *out stays
 * NULL for --no-policy without owners or suppressions. 0 after printing an
 * error.
 */
static int load_policy(wd_policy **out, const policy_args *pa)
{
	wd_policy *p = NULL;
	wd_error err;
	size_t i;

	*out = NULL;
	if (pa->none && !pa->owners && !pa->suppressions)
		return 1;
	if (wd_policy_new(&p) != WD_OK) {
		fprintf(stderr, "warden scan: out of memory\n");
		return 0;
	}
	wd_error_clear(&err);
	if (!pa->none && (pa->nfiles == 0 || pa->default_too) &&
	    wd_policy_add_default(p, &err) != WD_OK) {
		file_error("default policy", NULL, &err);
		goto fail;
	}
	for (i = 0; !pa->none && i < pa->nfiles; i++) {
		wd_error_clear(&err);
		if (wd_policy_add_file(p, pa->files[i], &err) != WD_OK) {
			file_error(NULL, pa->files[i], &err);
			goto fail;
		}
	}
	wd_error_clear(&err);
	if (pa->owners && wd_policy_add_owners_file(p, pa->owners, &err) != WD_OK) {
		file_error(NULL, pa->owners, &err);
		goto fail;
	}
	wd_error_clear(&err);
	if (pa->suppressions && wd_policy_add_suppressions_file(p, pa->suppressions, &err) != WD_OK) {
		file_error(NULL, pa->suppressions, &err);
		goto fail;
	}
	*out = p;
	return 1;
fail:
	wd_policy_free(p);
	return 0;
}

/*
 * The names the reports show for the policy ("default", "default, a.yaml"):
 * only the CLI knows which files it loaded (policy.h has no accessor), so it
 * names them when the scan applied a policy but left policy_names unset.
 * 0 when out of memory.
 */
static int name_policies(wd_scan_result *r, const policy_args *pa)
{
	wd_buf names;
	size_t i;
	int ok;

	if (pa->none)
		return 1; /* owners or suppressions only: no policy */
	wd_buf_init(&names, 1 << 20);
	if (pa->nfiles == 0 || pa->default_too)
		wd_buf_puts(&names, "default");
	for (i = 0; i < pa->nfiles; i++) {
		if (names.len)
			wd_buf_puts(&names, ", ");
		wd_buf_puts(&names, pa->files[i]);
	}
	r->policy_names = wd_arena_strndup(&r->arena, wd_buf_cstr(&names), names.len);
	ok = r->policy_names && !wd_buf_failed(&names);
	wd_buf_release(&names);
	return ok;
}

int cmd_scan(int argc, char **argv)
{
	const char *format = "text", *output = NULL, *color = "auto", *group = "app";
	const char *baseline = NULL, *today = NULL, *v;
	int fail_on = WD_SEV_HIGH, quiet = 0, show_suppressed = 0, i, rc = WD_EXIT_ERROR;
	unsigned jobs = 0;
	const char **paths;
	size_t npaths = 0;
	char *base_json = NULL;
	size_t base_len = 0;
	policy_args pa;
	wd_policy *policy = NULL;
	wd_scan_opts opts;
	wd_scan_result res;
	progress prog = {0, 0};
	wd_buf out;
	wd_error err;

	memset(&pa, 0, sizeof(pa));
	wd_scan_result_init(&res);
	wd_buf_init(&out, 0);
	paths = calloc((size_t)argc + 1, sizeof(*paths));
	pa.files = calloc((size_t)argc + 1, sizeof(*pa.files));
	if (!paths || !pa.files) {
		fprintf(stderr, "warden: out of memory\n");
		goto done;
	}
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			rc = WD_EXIT_OK;
			goto done;
		} else if (opt(argc, argv, &i, "-f", "--format", &v)) {
			format = v;
		} else if (opt(argc, argv, &i, "-o", "--output", &v)) {
			output = v;
		} else if (opt(argc, argv, &i, NULL, "--fail-on", &v)) {
			if (strcmp(v, "none") == 0) {
				fail_on = WD_FAIL_NEVER;
			} else if ((fail_on = wd_severity_parse(v)) < 0) {
				fprintf(stderr, "warden scan: --fail-on takes info, low, medium, high, "
				                "critical or none, not '%s'\n", v);
				goto done;
			}
		} else if (opt(argc, argv, &i, NULL, "--color", &v)) {
			color = v;
		} else if (opt(argc, argv, &i, NULL, "--group-by", &v)) {
			group = v;
		} else if (opt(argc, argv, &i, NULL, "--baseline", &v)) {
			baseline = v;
		} else if (opt(argc, argv, &i, NULL, "--policy", &v)) {
			pa.files[pa.nfiles++] = v;
		} else if (opt(argc, argv, &i, NULL, "--owners", &v)) {
			pa.owners = v;
		} else if (opt(argc, argv, &i, NULL, "--suppressions", &v)) {
			pa.suppressions = v;
		} else if (opt(argc, argv, &i, NULL, "--today", &v)) {
			today = v;
		} else if (strcmp(a, "--default-policy") == 0) {
			pa.default_too = 1;
		} else if (strcmp(a, "--no-policy") == 0) {
			pa.none = 1;
		} else if (strcmp(a, "--show-suppressed") == 0) {
			show_suppressed = 1;
		} else if (((strcmp(a, "-j") == 0 || strcmp(a, "--jobs") == 0) && i + 1 < argc) ||
		           (strncmp(a, "-j", 2) == 0 && a[2]) || strncmp(a, "--jobs=", 7) == 0) {
			char *end;
			long n;
			v = strncmp(a, "--jobs=", 7) == 0 ? a + 7 : (a[1] == 'j' && a[2]) ? a + 2 : argv[++i];
			n = strtol(v, &end, 10);
			if (*end != '\0' || n < 1 || n > 256) {
				fprintf(stderr, "warden scan: --jobs takes a number from 1 to 256, not '%s'\n",
				        v);
				goto done;
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
			goto done;
		} else {
			paths[npaths++] = a;
		}
	}
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0 &&
	    strcmp(format, "sarif") != 0 && strcmp(format, "markdown") != 0 &&
	    strcmp(format, "junit") != 0) {
		fprintf(stderr, "warden scan: --format takes text, json, sarif, markdown or junit, "
		                "not '%s'\n", format);
		goto done;
	}
	if (strcmp(color, "auto") != 0 && strcmp(color, "always") != 0 &&
	    strcmp(color, "never") != 0) {
		fprintf(stderr, "warden scan: --color takes auto, always or never, not '%s'\n", color);
		goto done;
	}
	if (strcmp(group, "app") != 0 && strcmp(group, "owner") != 0) {
		fprintf(stderr, "warden scan: --group-by takes app or owner, not '%s'\n", group);
		goto done;
	}
	if (pa.none && (pa.nfiles || pa.default_too)) {
		fprintf(stderr, "warden scan: --no-policy cannot be combined with --policy or "
		                "--default-policy\n");
		goto done;
	}
	memset(&opts, 0, sizeof(opts));
	if (today) {
		if (!parse_date(today, &opts.today)) {
			fprintf(stderr, "warden scan: --today takes a date YYYY-MM-DD, not '%s'\n", today);
			goto done;
		}
	} else {
		/* the library reads no clock: today's UTC date is decided here */
		opts.today = (int32_t)(time(NULL) / 86400);
	}
	if (npaths == 0) {
		fprintf(stderr, "warden scan: no PATH given\n");
		usage(stderr);
		goto done;
	}
	/* every file that configures the scan is checked before scanning */
	if (!load_policy(&policy, &pa))
		goto done;
	if (baseline) {
		wd_scan_result empty;
		wd_limits lim = wd_limits_default();
		wd_status st;
		wd_error_clear(&err);
		st = wd_read_file(baseline, lim.max_file_size, &base_json, &base_len, &err);
		if (st == WD_OK) {
			/* validated now, applied after the scan */
			wd_scan_result_init(&empty);
			st = wd_scan_apply_baseline(&empty, base_json, base_len, &err);
			wd_scan_result_release(&empty);
		}
		if (st != WD_OK) {
			file_error(NULL, baseline, &err);
			goto done;
		}
	}

	opts.import.load_companions = 1;
	opts.jobs = jobs;
	opts.policy = policy;
	prog.on = !quiet && isatty(STDERR_FILENO);
	opts.progress = show_progress;
	opts.progress_ud = &prog;
	if (wd_scan_paths(&res, paths, npaths, &opts) != WD_OK) {
		fprintf(stderr, "warden scan: out of memory\n");
		goto done;
	}
	if (prog.last)
		fprintf(stderr, "\r\033[K");
	if (res.has_policy && !res.policy_names && !name_policies(&res, &pa)) {
		fprintf(stderr, "warden scan: out of memory\n");
		goto done;
	}
	if (baseline) {
		wd_error_clear(&err);
		if (wd_scan_apply_baseline(&res, base_json, base_len, &err) != WD_OK) {
			file_error(NULL, baseline, &err);
			goto done;
		}
	}

	if (strcmp(format, "json") == 0) {
		wd_report_json(&res, &out);
	} else if (strcmp(format, "sarif") == 0) {
		wd_report_sarif(&res, &out);
	} else if (strcmp(format, "markdown") == 0) {
		wd_markdown_opts mo;
		memset(&mo, 0, sizeof(mo));
		mo.fail_on = fail_on;
		wd_report_markdown(&res, &mo, &out);
	} else if (strcmp(format, "junit") == 0) {
		wd_junit_opts jo;
		memset(&jo, 0, sizeof(jo));
		jo.fail_on = fail_on;
		wd_report_junit(&res, &jo, &out);
	} else {
		wd_text_opts to;
		memset(&to, 0, sizeof(to));
		to.group_by = strcmp(group, "owner") == 0 ? WD_GROUP_OWNER : WD_GROUP_APP;
		to.show_suppressed = show_suppressed;
		to.color = strcmp(color, "always") == 0 ||
		           (strcmp(color, "auto") == 0 && !output && isatty(STDOUT_FILENO) &&
		            !getenv("NO_COLOR"));
		wd_report_text(&res, &to, &out);
	}
	if (wd_buf_failed(&out)) {
		fprintf(stderr, "warden scan: out of memory writing the report\n");
	} else if (cli_write_output(output, wd_buf_cstr(&out), out.len)) {
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
		else if (wd_scan_count_gate(&res, fail_on))
			rc = WD_EXIT_FINDINGS;
		else
			rc = WD_EXIT_OK;
	}
done:
	wd_buf_release(&out);
	wd_scan_result_release(&res);
	wd_policy_free(policy);
	free(base_json);
	free(pa.files);
	free(paths);
	return rc;
}
