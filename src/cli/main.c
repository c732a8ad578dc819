/*
 * cli/main.c - entry point: dispatch to one cmd_<name>.c per subcommand.
 *
 * Only this layer prints, reads the environment or exits; the library
 * below it does none of these.
 */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: warden <command> [options]\n"
	        "\n"
	        "Security review for no-code and low-code workflow exports\n"
	        "(n8n, Node-RED, Power Automate / Logic Apps, Make, Zapier).\n"
	        "\n"
	        "commands:\n"
	        "  scan PATH...     review exports in files and folders\n"
	        "  rules            list the built-in rules\n"
	        "  explain RULE     what a rule checks, why it matters, how to fix it\n"
	        "  policy check F   validate policy, owners and suppressions files\n"
	        "\n"
	        "Run 'warden <command> --help' for a command's options.\n"
	        "Exit codes: 0 ok, 1 findings at or above --fail-on, 2 usage or input error.\n");
}

int cli_write_output(const char *path, const char *data, size_t len)
{
	FILE *f = stdout;

	if (path && strcmp(path, "-") != 0) {
		f = fopen(path, "wb");
		if (!f) {
			fprintf(stderr, "warden: cannot write %s: %s\n", path, strerror(errno));
			return 0;
		}
	}
	if (len && fwrite(data, 1, len, f) != len) {
		fprintf(stderr, "warden: write failed: %s\n", strerror(errno));
		if (f != stdout)
			fclose(f);
		return 0;
	}
	if (f != stdout) {
		if (fclose(f) != 0) {
			fprintf(stderr, "warden: cannot write %s: %s\n", path, strerror(errno));
			return 0;
		}
	} else if (fflush(stdout) != 0) {
		fprintf(stderr, "warden: write failed: %s\n", strerror(errno));
		return 0;
	}
	return 1;
}

int main(int argc, char **argv)
{
	/* exports are parsed one after another into similar-sized buffers: keep
	 * freed memory for reuse instead of returning it to the kernel and taking
	 * page faults for every file */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024 * 1024);
	mallopt(M_TRIM_THRESHOLD, 512 * 1024 * 1024);
	if (argc < 2) {
		usage(stderr);
		return WD_EXIT_ERROR;
	}
	if (strcmp(argv[1], "scan") == 0)
		return cmd_scan(argc - 1, argv + 1);
	if (strcmp(argv[1], "explain") == 0)
		return cmd_explain(argc - 1, argv + 1);
	if (strcmp(argv[1], "rules") == 0)
		return cmd_rules(argc - 1, argv + 1);
	if (strcmp(argv[1], "policy") == 0)
		return cmd_policy(argc - 1, argv + 1);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return WD_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("warden %s\n", WARDEN_VERSION);
		return WD_EXIT_OK;
	}
	fprintf(stderr, "warden: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return WD_EXIT_ERROR;
}
