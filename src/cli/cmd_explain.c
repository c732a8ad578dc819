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

static const struct {
	wd_platform p;
	const char *name;
} platforms[] = {
	{WD_PLATFORM_N8N, "n8n"},
	{WD_PLATFORM_NODERED, "Node-RED"},
	{WD_PLATFORM_POWER_AUTOMATE, "Power Automate / Logic Apps"},
	{WD_PLATFORM_MAKE, "Make"},
	{WD_PLATFORM_ZAPIER, "Zapier"},
};

static const char *stride_name(char c)
{
	switch (c) {
	case 'S': return "Spoofing";
	case 'T': return "Tampering";
	case 'R': return "Repudiation";
	case 'I': return "Information disclosure";
	case 'D': return "Denial of service";
	case 'E': return "Elevation of privilege";
	default: return "?";
	}
}

int cmd_explain(int argc, char **argv)
{
	size_t n, i;
	const wd_rule *rules = wd_rules_builtin(&n), *r = NULL;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		FILE *f = argc < 2 ? stderr : stdout;
		fprintf(f, "usage: warden explain RULE\n\nWhat a rule checks, why it matters, an "
		           "example of what triggers it, and how to fix it on every platform\n"
		           "(see 'warden rules' for ids).\n");
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
	if (r->stride && r->stride[0]) {
		const char *c;
		printf("STRIDE:           %s (", r->stride);
		for (c = r->stride; *c; c++)
			printf("%s%s", c == r->stride ? "" : ", ", stride_name(*c));
		printf(")\n");
	}
	if (r->cwe)
		printf("CWE:              CWE-%d\n", r->cwe);
	printf("\nWhy it matters\n  %s\n", r->why ? r->why : "-");
	if (r->example)
		printf("\nExample\n  %s\n", r->example);
	for (i = 0; i < sizeof(platforms) / sizeof(*platforms); i++) {
		const char *fix = wd_rule_fix(r, platforms[i].p);
		printf("\nFix in %s\n  %s\n", platforms[i].name, fix ? fix : "-");
	}
	return WD_EXIT_OK;
}
