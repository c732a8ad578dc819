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
#include "warden/risk.h"

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
	const char *environment;  /* from the policy; "" when none */
	const char *owner_hint;   /* from the export: creator, account, instance id; "" */
	wd_owner owner;           /* from the owners file; owner.owner NULL = unowned
	                             (or no owners file: see has_owners) */
	int criticality;          /* 1..4, 0 unknown */
	const char *criticality_source;
} wd_result_app;

typedef enum wd_finding_status {
	WD_FINDING_OPEN = 0,
	WD_FINDING_SUPPRESSED     /* matched a valid suppression: still residual risk */
} wd_finding_status;

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
	uint32_t app_index;       /* index into apps; UINT32_MAX when file-level */
	wd_owner owner;           /* component owner, else the app's */
	wd_risk risk;             /* likelihood x impact, factors, business impact */
	wd_finding_status status;
	const wd_suppression *suppression; /* the one that matched (status suppressed) */
	int is_new;               /* with --baseline: 1 not in the baseline, 0 in it;
	                             -1 no baseline given */
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
	int has_owners;           /* an owners file was given: unowned apps are findings */
	int has_policy;           /* a policy was applied */
	const char *policy_names; /* "default", "a.yaml, b.yaml" */
	int has_baseline;         /* wd_scan_apply_baseline ran: every is_new is 0 or 1 */
	size_t baseline_fixed;    /* findings of the baseline that no longer occur */
} wd_scan_result;

typedef void (*wd_progress_fn)(void *ud, uint64_t files_done, const char *path);

typedef struct wd_scan_opts {
	wd_import_opts import;
	unsigned jobs;            /* files reviewed in parallel; 0 = one per CPU */
	wd_progress_fn progress;  /* called as files finish (serialised); may be NULL */
	void *progress_ud;
	const wd_policy *policy;  /* NULL: built-in rules only, no owners, no scoring
	                             inputs from a policy (findings are still scored) */
	int32_t today;            /* days since 1970-01-01, for suppression expiry;
	                             0 = unknown (expiry not judged) */
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

/*
 * Import one model's findings into the result (used by wd_scan_paths):
 * environment, owners and risk scores are resolved here, while the model is
 * alive. policy may be NULL.
 */
wd_status wd_scan_add_model(wd_scan_result *r, wd_model *m, const wd_findings *f,
                            const wd_policy *policy);

/*
 * After the last file (wd_scan_paths calls it): apply the policy's
 * suppressions (a suppression without justification, approver or expiry,
 * an expired one, or one that matches nothing is itself a finding), then
 * set has_policy / has_owners. (Per-app totals are the reporters' view,
 * report/common.c.) today is days since
 * 1970-01-01 (the library reads no clock); 0 = unknown, expiry not judged.
 */
wd_status wd_scan_finish(wd_scan_result *r, const wd_policy *policy, int32_t today);

/*
 * Compare with an earlier `warden scan --format json` output: findings whose
 * fingerprint is in it get is_new = 0, the others 1; has_baseline is set and
 * baseline_fixed counts the baseline's fingerprints no finding has any more.
 * WD_EPARSE / WD_EFORMAT with err (line, column) when it is not such an
 * output; r is then unchanged. json must stay valid during the call only.
 */
wd_status wd_scan_apply_baseline(wd_scan_result *r, const char *json, size_t len,
                                 wd_error *err);

/*
 * Whether finding f fails the --fail-on gate at severity fail_on (a value
 * above WD_SEV_CRITICAL means never): it is open (suppressed findings never
 * fail), its severity is at least fail_on, and, when a baseline was applied,
 * it is new. wd_scan_count_gate counts such findings.
 */
int wd_scan_finding_gates(const wd_scan_result *r, const wd_result_finding *f, int fail_on);
size_t wd_scan_count_gate(const wd_scan_result *r, int fail_on);


#ifdef __cplusplus
}
#endif
#endif
