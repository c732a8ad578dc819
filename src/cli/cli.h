/*
 * cli/cli.h - shared declarations of the warden command-line tool.
 *
 * Exit codes (every command): 0 success / nothing at or above --fail-on,
 * 1 findings at or above --fail-on, 2 usage error or unreadable input.
 */
#ifndef WARDEN_CLI_H
#define WARDEN_CLI_H

#include <stdio.h>

#define WD_EXIT_OK 0
#define WD_EXIT_FINDINGS 1
#define WD_EXIT_ERROR 2

int cmd_scan(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_policy(int argc, char **argv);

/* Write len bytes to path ("-" or NULL = stdout); prints an error and returns 0 on failure. */
int cli_write_output(const char *path, const char *data, size_t len);

#endif
