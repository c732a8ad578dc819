/*
 * cli/cmd_explain.c - `warden rules` and `warden explain RULE`, from the
 * rule descriptors (the same data the engine and the JSON output use).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "warden/rules.h"

int cmd_rules(int argc, char **argv)
{
	size_t n, i;
	const wd_rule *rules = wd_rules_builtin(&n);

	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("usage: warden rules\n\nList the built-in rules: id, default severity, OWASP "
		       "LCNC category, title.\n");
		return WD_EXIT_OK;
	}
	if (argc > 1) {
		fprintf(stderr, "warden rules: unexpected argument '%s'\n", argv[1]);
		return WD_EXIT_ERROR;
	}
	for (i = 0; i < n; i++)
		printf("%-12s  %-8s  %-11s  %s\n", rules[i].id, wd_severity_name(rules[i].severity),
		       rules[i].category, rules[i].title);
	return WD_EXIT_OK;
}

int cmd_explain(int argc, char **argv)
{
	size_t n, i;
	const wd_rule *rules = wd_rules_builtin(&n), *r = NULL;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		FILE *f = argc < 2 ? stderr : stdout;
		fprintf(f, "usage: warden explain RULE\n\nWhat a rule checks, why it matters and how "
		           "to fix it (see 'warden rules' for ids).\n");
		return argc < 2 ? WD_EXIT_ERROR : WD_EXIT_OK;
	}
	for (i = 0; i < n; i++)
		if (strcasecmp(rules[i].id, argv[1]) == 0)
			r = &rules[i];
	if (!r) {
		fprintf(stderr, "warden explain: no rule '%s' (see 'warden rules')\n", argv[1]);
		return WD_EXIT_ERROR;
	}
	printf("%s  %s\n\n", r->id, r->title);
	printf("Default severity: %s\n", wd_severity_name(r->severity));
	printf("OWASP LCNC:       %s %s\n", r->category, r->category_name);
	if (r->cwe)
		printf("CWE:              CWE-%d\n", r->cwe);
	if (r->stride[0])
		printf("STRIDE:           %s\n", r->stride);
	printf("\nWhy it matters\n  %s\n", r->why);
	printf("\nFix in n8n\n  %s\n", r->fix_n8n);
	printf("\nFix in Node-RED\n  %s\n", r->fix_nodered);
	printf("\nFix in Power Automate / Logic Apps\n  %s\n", r->fix_pa);
	printf("\nFix in Make\n  %s\n", r->fix_make);
	printf("\nFix in Zapier\n  %s\n", r->fix_zapier);
	return WD_EXIT_OK;
}
