/*
 * cli/cmd_policy.c - `warden policy check FILE...` (validate policy, owners
 * and suppressions files the way a scan would load them) and `warden policy
 * show-default` (print the embedded default policy).
 *
 * Files are loaded in the order given into one policy, so an environment
 * defined in an earlier file may be used by a later one, as in a scan. A
 * file with an error is reported as "FILE:LINE:COLUMN: message" and left
 * out; the exit code is then 2.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "warden/policy.h"

static void policy_usage(FILE *f)
{
	fprintf(f,
	        "usage: warden policy check [--owners FILE] [--suppressions FILE] [FILE...]\n"
	        "       warden policy show-default\n"
	        "\n"
	        "check         validate policy files (and owners / suppressions files); prints\n"
	        "              'FILE: ok (...)' or 'FILE:LINE:COLUMN: message' (exit code 2)\n"
	        "show-default  print the default policy built into warden, a starting point\n"
	        "              for your own (docs/policy.md)\n");
}

static void print_error(const char *path, const wd_error *err)
{
	if (err->line)
		fprintf(stderr, "%s:%u:%u: %s\n", path, err->line, err->column, err->message);
	else
		fprintf(stderr, "%s: %s\n", path, err->message[0] ? err->message : "cannot load");
}

enum { F_POLICY, F_OWNERS, F_SUPPRESSIONS };

static int check_one(wd_policy *p, int kind, const char *path)
{
	wd_policy_stats a, b;
	wd_error err;
	wd_status rc;

	wd_policy_stats_get(p, &a);
	if (kind == F_OWNERS)
		rc = wd_policy_add_owners_file(p, path, &err);
	else if (kind == F_SUPPRESSIONS)
		rc = wd_policy_add_suppressions_file(p, path, &err);
	else
		rc = wd_policy_add_file(p, path, &err);
	if (rc != WD_OK) {
		print_error(path, &err);
		return 0;
	}
	wd_policy_stats_get(p, &b);
	if (kind == F_OWNERS)
		printf("%s: ok (%zu owner rules)\n", path, b.owner_rules - a.owner_rules);
	else if (kind == F_SUPPRESSIONS)
		printf("%s: ok (%zu suppressions)\n", path, b.suppressions - a.suppressions);
	else
		printf("%s: ok (%zu connector patterns, %zu rules, %zu required settings, "
		       "%zu data rules, %zu endpoint patterns, %zu environments, %zu suppressions)\n",
		       path, b.connector_patterns - a.connector_patterns, b.rules - a.rules,
		       b.settings - a.settings, b.data_rules - a.data_rules,
		       b.endpoint_patterns - a.endpoint_patterns, b.environments - a.environments,
		       b.suppressions - a.suppressions);
	return 1;
}

static int policy_check(int argc, char **argv)
{
	wd_policy *p = NULL;
	int i, ok = 1, n = 0;

	if (wd_policy_new(&p) != WD_OK) {
		fprintf(stderr, "warden policy: out of memory\n");
		return WD_EXIT_ERROR;
	}
	/* policy files first (in order), then owners and suppressions, as a scan loads them */
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--owners") == 0 || strcmp(argv[i], "--suppressions") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "warden policy check: %s needs a file\n", argv[i]);
				wd_policy_free(p);
				return WD_EXIT_ERROR;
			}
			i++;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "warden policy check: unknown option '%s'\n", argv[i]);
			policy_usage(stderr);
			wd_policy_free(p);
			return WD_EXIT_ERROR;
		} else {
			ok &= check_one(p, F_POLICY, argv[i]);
			n++;
		}
	}
	for (i = 1; i + 1 < argc; i++) {
		if (strcmp(argv[i], "--owners") == 0)
			ok &= check_one(p, F_OWNERS, argv[++i]);
		else if (strcmp(argv[i], "--suppressions") == 0)
			ok &= check_one(p, F_SUPPRESSIONS, argv[++i]);
		else
			continue;
		n++;
	}
	wd_policy_free(p);
	if (!n) {
		fprintf(stderr, "warden policy check: no files given\n");
		policy_usage(stderr);
		return WD_EXIT_ERROR;
	}
	return ok ? WD_EXIT_OK : WD_EXIT_ERROR;
}

int cmd_policy(int argc, char **argv)
{
	if (argc < 2) {
		policy_usage(stderr);
		return WD_EXIT_ERROR;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		policy_usage(stdout);
		return WD_EXIT_OK;
	}
	if (strcmp(argv[1], "check") == 0)
		return policy_check(argc - 1, argv + 1);
	if (strcmp(argv[1], "show-default") == 0) {
		size_t len;
		const char *text = wd_policy_default_text(&len);
		if (argc > 2) {
			fprintf(stderr, "warden policy show-default: unexpected argument '%s'\n", argv[2]);
			return WD_EXIT_ERROR;
		}
		return cli_write_output(NULL, text, len) ? WD_EXIT_OK : WD_EXIT_ERROR;
	}
	fprintf(stderr, "warden policy: unknown subcommand '%s'\n", argv[1]);
	policy_usage(stderr);
	return WD_EXIT_ERROR;
}
