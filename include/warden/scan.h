/*
 * warden/scan.h - the review pipeline over files and folders.
 *
 * wd_scan_paths() walks the given paths (folders recursively, symlinks
 * followed with loop detection), imports every export, runs the rules, and
 * keeps a self-contained result: every string is copied into the result's
 * arena, so each file's model is freed as soon as its findings are out and
 * memory stays bounded by the largest single export (times the number of
 * parallel jobs). Results are merged in traversal order, so the output does
 * not depend on the number of jobs or on timing.
 */
#ifndef WARDEN_SCAN_H
#define WARDEN_SCAN_H

#include "warden/import.h"
#include "warden/rules.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct wd_result_app {
	const char *name;
	const char *id;
	const char *platform;
	const char *file;
	uint32_t components;
	uint32_t edges;
	int active;               /* 1, 0, -1 not stated */
	const char *hash;
} wd_result_app;

typedef struct wd_result_finding {
	const wd_rule *rule;
	wd_severity severity;
	const char *fingerprint;
	const char *platform;
	const char *app_name;     /* "" when file-level */
	const char *app_id;
	const char *file;         /* file of the location */
	const char *app_file;     /* the export file */
	const char *comp_id;      /* NULL when app-level */
	const char *comp_name;
	const char *comp_type;
	uint32_t line;            /* 0 when unknown */
	uint32_t column;
	const char *pointer;
	const char *message;
	const char *evidence;
	int confidence;           /* 0..100, -1 when the rule does not score it */
} wd_result_finding;

typedef struct wd_result_error {
	const char *file;
	uint32_t line;
	uint32_t column;
	wd_status code;
	const char *message;
} wd_result_error;

typedef struct wd_result_skip {
	const char *file;
	const char *reason;
} wd_result_skip;

typedef struct wd_scan_result {
	wd_arena arena;
	wd_result_app *apps;
	size_t napps, apps_cap;
	wd_result_finding *findings;
	size_t nfindings, findings_cap;
	wd_result_error *errors;
	size_t nerrors, errors_cap;
	wd_result_skip *skips;
	size_t nskips, skips_cap;
	uint64_t files;           /* JSON files looked at */
	uint64_t imported;        /* exports read */
	uint64_t companions;      /* companion files (read with their export) */
	uint64_t bytes;           /* bytes of the files imported */
	uint64_t components;
} wd_scan_result;

typedef void (*wd_progress_fn)(void *ud, uint64_t files_done, const char *path);

typedef struct wd_scan_opts {
	wd_import_opts import;
	unsigned jobs;            /* files reviewed in parallel; 0 = one per CPU */
	wd_progress_fn progress;  /* called as files finish (serialised); may be NULL */
	void *progress_ud;
} wd_scan_opts;

void wd_scan_result_init(wd_scan_result *r);
void wd_scan_result_release(wd_scan_result *r);

/*
 * Scan paths. Files named directly must be exports (or companions); a JSON
 * file found inside a folder that is not an export is skipped and counted.
 * Problems with single inputs are recorded in r->errors and the scan goes
 * on; the return value is WD_OK unless memory ran out.
 */
wd_status wd_scan_paths(wd_scan_result *r, const char *const *paths, size_t npaths,
                        const wd_scan_opts *opts);

/* Import one model's findings into the result (used by wd_scan_paths). */
wd_status wd_scan_add_model(wd_scan_result *r, wd_model *m, const wd_findings *f);

/* Findings at or above sev. */
size_t wd_scan_count_at_least(const wd_scan_result *r, wd_severity sev);

#ifdef __cplusplus
}
#endif
#endif
