/*
 * warden/report.h - writers for scan results.
 *
 * Writers append to a wd_buf and never print; the CLI decides where bytes
 * go. Every input-derived string passes through the escaping of its format
 * (JSON and SARIF: wd_json_write_str; Markdown: wd_escape_md; JUnit XML:
 * wd_escape_xml; text: control characters replaced), so a hostile node
 * name cannot break or forge output lines. When the buffer fails (out of
 * memory, over its maximum) the output is incomplete: check wd_buf_failed().
 *
 * Per-app counts (open, suppressed, highest risk) are derived from the
 * findings, so the writers agree with each other whether or not the scan
 * filled wd_result_app's own counters.
 */
#ifndef WARDEN_REPORT_H
#define WARDEN_REPORT_H

#include "warden/scan.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WD_REPORT_JSON_VERSION "1.2"

/* The --fail-on value meaning "never fail" (above every severity). */
#define WD_FAIL_NEVER (WD_SEV_CRITICAL + 1)

typedef enum wd_group_by {
	WD_GROUP_APP = 0,       /* a header per app (default) */
	WD_GROUP_OWNER          /* a header per "owner (team)", unowned last */
} wd_group_by;

typedef struct wd_text_opts {
	int color;              /* ANSI colours (only on a terminal) */
	wd_group_by group_by;
	int show_suppressed;    /* list suppressed findings too (always counted) */
} wd_text_opts;

/*
 * Human-readable report: open findings grouped by app or owner (each with
 * its risk level and business impact when scored), errors, and a summary
 * (counts by severity, suppressed, baseline, policy and ownership).
 * opts may be NULL (defaults: no colour, by app, suppressed hidden).
 */
void wd_report_text(const wd_scan_result *r, const wd_text_opts *opts, wd_buf *out);

/* The versioned JSON document (docs/json-output.md, docs/schema/scan-result.schema.json). */
void wd_report_json(const wd_scan_result *r, wd_buf *out);

/*
 * SARIF 2.1.0 (one run) for GitHub code scanning and other SARIF viewers:
 * the rules that have findings (sorted by id, so ruleIndex is stable), one
 * result per finding with level from severity, location, logical locations
 * (app, component), partialFingerprints, risk and owner properties,
 * suppressions for suppressed findings and baselineState when a baseline was
 * applied; unreadable inputs are toolExecutionNotifications. docs/ci.md.
 */
void wd_report_sarif(const wd_scan_result *r, wd_buf *out);

typedef struct wd_markdown_opts {
	int fail_on;            /* the gate the verdict states (WD_SEV_*, or WD_FAIL_NEVER) */
	size_t max_bytes;       /* size budget; 0 = 60000 (GitHub comments hold 65536
	                           characters); the list of all findings is cut to fit.
	                           At least 6400: smaller values are raised to it (the
	                           heading, verdict and summary alone need room) */
	size_t top;             /* "Top risks" entries; 0 = 10 */
} wd_markdown_opts;

/*
 * A pull-request comment: verdict, counts (open / suppressed / new), top
 * risks with owner, business impact and fix, apps ranked by risk, owners,
 * and all findings in a <details> block cut to the size budget. opts may be
 * NULL (gate at high).
 */
void wd_report_markdown(const wd_scan_result *r, const wd_markdown_opts *opts, wd_buf *out);

typedef struct wd_junit_opts {
	int fail_on;            /* findings that fail the gate are <failure>s (WD_SEV_*,
	                           or WD_FAIL_NEVER) */
} wd_junit_opts;

/*
 * JUnit XML: a <testsuite> per app (one testcase per finding: <failure>
 * when it fails the gate, <skipped> when suppressed, passing otherwise; an
 * app without findings gets one passing testcase), one for file-level
 * findings and one with an <error> per unreadable input. opts may be NULL
 * (gate at high).
 */
void wd_report_junit(const wd_scan_result *r, const wd_junit_opts *opts, wd_buf *out);

/* Copy s to out, replacing control characters and invalid UTF-8 with '?'. */
void wd_report_put_safe(wd_buf *out, const char *s);

#ifdef __cplusplus
}
#endif
#endif
