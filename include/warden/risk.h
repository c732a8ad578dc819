/*
 * warden/risk.h - explainable risk scoring and business impact (docs/risk.md).
 *
 * Every finding gets a likelihood (1 unlikely .. 4 frequent) from named
 * factors (exposure, exploitability, credential blast radius) and an impact
 * (1 low .. 4 very high) from named factors (data classes involved, app
 * criticality, external egress), combined by the matrix in docs/risk.md into
 * a level (info .. critical). Each factor keeps the value it took and why,
 * so a reader can dispute one factor instead of the whole number. A
 * one-sentence business impact is written from the app's own names. When the
 * policy gives values per record and record counts, a yearly loss range is
 * added with its assumptions (FAIR-lite).
 *
 * Scoring reads the model, so it runs per model inside the scan, before the
 * model is freed; the result is self-contained text in the caller's arena.
 */
#ifndef WARDEN_RISK_H
#define WARDEN_RISK_H

#include "warden/policy.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct wd_risk_factor {
	const char *side;         /* "likelihood" or "impact" */
	const char *name;         /* "exposure", "exploitability", "credential blast radius",
	                             "data classes", "technical impact", "criticality",
	                             "egress"; "rule severity" when the rule's severity
	                             bounded the side (docs/risk.md) */
	const char *value;        /* "public entry point without authentication" */
	int score;                /* 1..4 as used in the combination */
} wd_risk_factor;

typedef struct wd_risk {
	int scored;               /* 0 when not computed */
	int likelihood;           /* 1..4 */
	int impact;               /* 1..4 */
	wd_severity level;        /* from the matrix */
	const wd_risk_factor *factors;
	size_t nfactors;
	const char *impact_sentence; /* one sentence, the app's own names */
	double loss_min, loss_max;   /* yearly loss range; 0/0 when not estimated */
	const char *currency;        /* NULL when not estimated */
	const char *loss_assumptions;/* NULL when not estimated */
} wd_risk;

/* "unlikely", "likely", "very likely", "frequent" for 1..4 */
const char *wd_risk_likelihood_name(int l);
/* "low", "medium", "high", "very high" for 1..4 */
const char *wd_risk_impact_name(int i);
/* The documented matrix. */
wd_severity wd_risk_matrix(int likelihood, int impact);

/*
 * Per-model scoring context: facts computed once per model (reachability
 * from public entry points, data classes per app, egress, credential use),
 * so scoring every finding stays linear. policy may be NULL (criticality
 * unknown, no loss estimate). m must outlive the context.
 */
typedef struct wd_risk_ctx wd_risk_ctx;

wd_status wd_risk_ctx_new(wd_risk_ctx **out, const wd_model *m, const wd_policy *policy);
void wd_risk_ctx_free(wd_risk_ctx *cx);

/* Score finding f of the context's model; all text is allocated in arena.
 * WD_OK or WD_ENOMEM. */
wd_status wd_risk_assess(wd_risk_ctx *cx, const wd_finding *f, wd_arena *arena, wd_risk *out);

#ifdef __cplusplus
}
#endif
#endif
