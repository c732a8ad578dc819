/*
 * warden/report.h - writers for scan results.
 *
 * Writers append to a wd_buf and never print; the CLI decides where bytes
 * go. Every input-derived string passes through the escaping of its format
 * (JSON: wd_json_write_str; text: control characters replaced), so a hostile
 * node name cannot break or forge output lines.
 */
#ifndef WARDEN_REPORT_H
#define WARDEN_REPORT_H

#include "warden/scan.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WD_REPORT_JSON_VERSION "1.1"

typedef struct wd_text_opts {
	int color;              /* ANSI colours (only on a terminal) */
	int group_by_app;       /* 1: a header per app (default) */
} wd_text_opts;

/* Human-readable report: findings grouped by app, summary, errors. */
void wd_report_text(const wd_scan_result *r, const wd_text_opts *opts, wd_buf *out);

/* The versioned JSON document (docs/json-output.md, docs/schema/scan-result.schema.json). */
void wd_report_json(const wd_scan_result *r, wd_buf *out);

/* Copy s to out, replacing control characters and invalid UTF-8 with '?'. */
void wd_report_put_safe(wd_buf *out, const char *s);

#ifdef __cplusplus
}
#endif
#endif
