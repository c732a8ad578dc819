/*
 * risk/internal.h - what risk.c (factors, matrix, FAIR-lite) and sentence.c
 * (business-impact sentences) share, plus a seam for tests.
 *
 * The scoring inputs that come from the policy (criticality, values per
 * record) are read through wd_risk_inputs, so tests can score with inputs of
 * their own without writing a policy file; wd_risk_ctx_new() fills it from
 * the wd_policy it is given.
 */
#ifndef WARDEN_RISK_INTERNAL_H
#define WARDEN_RISK_INTERNAL_H

#include "warden/risk.h"

/* Where scoring inputs come from. Either function may be NULL (unknown). */
typedef struct wd_risk_inputs {
	/* 1..4, 0 unknown; *source names where it came from (may stay NULL) */
	int (*criticality)(void *ud, const wd_model *m, uint32_t app, const char **source);
	/* nonzero and *out filled when values per record are known for cls */
	int (*loss)(void *ud, const wd_model *m, uint32_t app, wd_class cls, wd_loss_inputs *out);
	void *ud;
} wd_risk_inputs;

/* wd_risk_ctx_new() with explicit inputs (in may be NULL: none known). */
wd_status wd_risk_ctx_new_with(wd_risk_ctx **out, const wd_model *m, const wd_risk_inputs *in);

/* Rule families: each has its factor defaults (risk.c) and sentence (sentence.c). */
typedef enum risk_family {
	FAM_DEFAULT = 0,
	FAM_ENTRY,          /* WD-ENTRY-001 */
	FAM_ENTRY_RUNTIME,  /* WD-ENTRY-002 */
	FAM_INJ_EXEC,       /* WD-INJ-001 */
	FAM_INJ_SQL,        /* WD-INJ-002 */
	FAM_INJ_AGENT,      /* WD-INJ-003 */
	FAM_HTTP_SSRF,      /* WD-HTTP-001 */
	FAM_HTTP_DYNAMIC,   /* WD-HTTP-002 */
	FAM_CODE,           /* WD-CODE-001 */
	FAM_CODE_SHELL,     /* WD-CODE-002 */
	FAM_FS,             /* WD-FS-001 */
	FAM_TLS_VERIFY,     /* WD-TLS-001 */
	FAM_TLS_CLEAR,      /* WD-TLS-002 */
	FAM_SECRET,         /* WD-SEC-001, WD-SEC-101..111 */
	FAM_SECRET_FILE,    /* WD-SEC-002 */
	FAM_DATA_PINNED,    /* WD-DATA-001 */
	FAM_DATA_HISTORY,   /* WD-DATA-002 */
	FAM_DATA_LOGS,      /* WD-DATA-003 */
	FAM_DATA_EGRESS,    /* WD-DATA-004 */
	FAM_COMP_COMMUNITY, /* WD-COMP-001 */
	FAM_COMP_CUSTOM,    /* WD-COMP-002 */
	FAM_COMP_UNKNOWN,   /* WD-COMP-003 */
	FAM_LOG_ERRORS,     /* WD-LOG-001 */
	FAM_LOG_FAILED,     /* WD-LOG-002 */
	FAM_ACL_CALLERS,    /* WD-ACL-001 */
	FAM_ACL_EMBEDDED,   /* WD-ACL-002 */
	FAM_POLICY,         /* WD-POL-* */
	FAM_OWNER,          /* WD-OWN-* */
	FAM_SUPPRESSION,    /* WD-SUP-* */
	FAM_COUNT
} risk_family;

risk_family wd_risk_family(const char *rule_id);

/* Who can reach a finding (the exposure factor's kind). */
typedef enum risk_reach {
	REACH_OPEN = 0,     /* a public entry point without authentication */
	REACH_AUTH,         /* a public entry point with authentication */
	REACH_INVOKED,      /* started by users in the tenant */
	REACH_INTERNAL,     /* schedules, other workflows, internal events */
	REACH_EXPORT,       /* the export file itself (secrets, captured data) */
	REACH_PACKAGE,      /* installed code (supply chain) */
	REACH_FILE          /* a file-level finding: no app */
} risk_reach;

/* Everything a sentence template may use; names are model slices. */
typedef struct risk_view {
	const wd_model *m;
	const wd_finding *f;
	risk_family fam;
	uint32_t app;        /* WD_NONE when file-level */
	uint32_t comp;       /* WD_NONE when app-level */
	risk_reach reach;
	uint32_t entry;      /* the entry point behind reach, or WD_NONE */
	const char *data;    /* "e-mail addresses and dates of birth", "" when none */
	int sensitive;       /* data holds personal, financial, health or secret classes */
	const wd_str *egress;/* external destinations (up to 2) */
	uint32_t negress;    /* how many there are in all */
	const wd_detection *det; /* the detection behind a secret finding, or NULL */
	uint32_t cred;       /* the widest credential involved, or WD_NONE */
	int embedded;        /* that credential is the maker's own, used for invokers */
} risk_view;

/* Longest name (in characters) quoted in a sentence or a factor; longer
 * names are cut and end in "...". */
#define RISK_NAME_MAX 60

/* Append 'name' capped at RISK_NAME_MAX characters (fallback when empty). */
void wd_risk_put_name(wd_buf *b, wd_str name, const char *fallback);

/* Write the business-impact sentence for v into out. */
void wd_risk_sentence(const risk_view *v, wd_buf *out);

#endif
