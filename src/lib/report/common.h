/*
 * report/common.h - what several writers derive from a scan result
 * (internal to src/lib/report).
 *
 * The writers do not trust wd_result_app.open / risk / risk_score or
 * wd_result_finding.app_index blindly: a result built by hand, or by a scan
 * without a policy, may leave them zero. The view recomputes per-app counts
 * from the findings themselves, matching each finding to its app by export
 * file, app id and app name (app_index is used when it agrees), so every
 * format shows the same numbers.
 */
#ifndef WARDEN_REPORT_COMMON_H
#define WARDEN_REPORT_COMMON_H

#include "warden/report.h"

typedef struct wd_report_app {
	uint32_t open, suppressed;
	uint32_t fresh;           /* open findings not in the baseline */
	int level;                /* highest risk level of open scored findings, -1 none */
	int sev;                  /* highest severity of open findings, -1 none */
	double score;             /* sum of likelihood x impact over open scored findings */
} wd_report_app;

typedef struct wd_report_view {
	size_t napps;             /* r->napps; index napps stands for "no app" */
	wd_report_app *apps;      /* napps + 1 */
	uint32_t *app_of;         /* per finding: its app, or napps (file-level) */
	uint32_t *by_app;         /* finding indices grouped by app, in result order */
	size_t *first;            /* by_app[first[a] .. first[a + 1]) are app a's */
	size_t open, suppressed;
	size_t fresh, unchanged;  /* open findings, with a baseline */
	size_t open_sev[5], supp_sev[5], fresh_sev[5];
} wd_report_view;

/* WD_OK or WD_ENOMEM (view left empty, safe to release). */
wd_status wd_report_view_init(wd_report_view *v, const wd_scan_result *r);
void wd_report_view_release(wd_report_view *v);

/* The level a finding ranks by: its risk level when scored, else its severity. */
wd_severity wd_report_level(const wd_result_finding *f);

/* Indices of findings sorted by risk: level, severity, likelihood x impact
 * (all descending), then result order. */
void wd_report_sort_by_risk(const wd_scan_result *r, uint32_t *idx, size_t n);

/* "YYYY-MM-DD" for days since 1970-01-01. */
#define WD_REPORT_DATE_MAX 48
void wd_report_date(int32_t days, char out[WD_REPORT_DATE_MAX]);

/* The name to show for finding i's app: its name, "(unnamed app)", or
 * "(whole file)" for file-level findings. */
const char *wd_report_app_name(const wd_report_view *v, const wd_scan_result *r, size_t i);

/* A finite number for JSON (NaN and infinities become 0), %.15g. */
void wd_report_json_num(wd_buf *out, double v);

#endif
