/*
 * warden/rules.h - rule descriptors, the built-in rule table, and findings.
 *
 * A rule is a descriptor (data: id, title, severity, OWASP LCNC category,
 * STRIDE, CWE, why, remediation per platform) plus a check function over a
 * finished wd_model. Descriptors feed the engine, `warden explain`, the JSON
 * and SARIF outputs and the docs; the ids (WD-AREA-NNN) never change meaning.
 * Rules see the model only, never raw JSON.
 */
#ifndef WARDEN_RULES_H
#define WARDEN_RULES_H

#include "warden/model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum wd_severity {
	WD_SEV_INFO = 0,
	WD_SEV_LOW,
	WD_SEV_MEDIUM,
	WD_SEV_HIGH,
	WD_SEV_CRITICAL
} wd_severity;

const char *wd_severity_name(wd_severity s);
/* Parses "info", "low", "medium", "high", "critical" (any case); -1 if none. */
int wd_severity_parse(const char *s);

struct wd_findings;

/*
 * What every check gets: the finished model and facts derived from it once
 * per run. entry_of[i] is 1 + the index of an unauthenticated public entry
 * point whose data reaches component i (the nearest one), 0 if none;
 * entry_parent gives the path back to it.
 */
typedef struct wd_rule_ctx {
	const wd_model *m;
	const uint32_t *entry_of;
	const uint32_t *entry_parent; /* the component before i on the path from
	                                 entry_of[i], WD_NONE at the entry */
} wd_rule_ctx;

typedef struct wd_rule {
	const char *id;            /* WD-AREA-NNN */
	const char *title;
	wd_severity severity;      /* default; a finding may raise or lower it */
	const char *category;      /* OWASP LCNC-SEC-01..10 */
	const char *category_name;
	const char *stride;        /* STRIDE letter(s): S T R I D E */
	int cwe;                   /* 0 when none fits */
	const char *why;           /* one paragraph: the risk in plain words */
	const char *fix_n8n;       /* where to click in the n8n editor */
	const char *fix_nodered;   /* where to click in the Node-RED editor */
	const char *fix_pa;        /* ... in Power Automate / Logic Apps */
	const char *fix_make;      /* ... in Make */
	const char *fix_zapier;    /* ... in Zapier */
	wd_status (*check)(const wd_rule_ctx *cx, struct wd_findings *out);
	const char *example;       /* a concrete case that triggers it, for `warden explain`
	                              and SARIF help; NULL only for rules without a check */
} wd_rule;

/* The remediation text for a platform. */
const char *wd_rule_fix(const wd_rule *r, wd_platform p);

/* The built-in rules, in a stable order. */
const wd_rule *wd_rules_builtin(size_t *count);
const wd_rule *wd_rules_find(const char *id);

typedef struct wd_finding {
	const wd_rule *rule;
	wd_severity severity;
	uint32_t app;              /* WD_NONE when file-level */
	uint32_t comp;             /* WD_NONE when app-level */
	wd_loc loc;
	const char *message;       /* one line, specific to this app */
	const char *evidence;      /* short, secrets redacted; may be "" */
	char fingerprint[33];      /* 128-bit hex, see wd_findings_fingerprint */
	int confidence;            /* 0..100 how sure the evidence is; -1 not scored */
} wd_finding;

typedef struct wd_findings {
	wd_arena arena;            /* messages and evidence */
	wd_finding *items;
	size_t n, cap;
} wd_findings;

void wd_findings_init(wd_findings *f);
void wd_findings_release(wd_findings *f);

/*
 * Add a finding. message is printf-style; evidence is copied as given (the
 * caller redacts secrets first, see wd_redact). The fingerprint is computed
 * here from rule id, platform, app identity, component identity and
 * evidence_key (normalised, e.g. the parameter path), so it survives file
 * moves, line shifts and renames of other nodes.
 */
wd_status wd_findings_add(wd_findings *f, const wd_model *m, const wd_rule *rule,
                          wd_severity sev, uint32_t app, uint32_t comp, wd_loc loc,
                          const char *evidence, const char *evidence_key, const char *fmt, ...)
	__attribute__((format(printf, 10, 11)));

/* Run every built-in rule over m. */
wd_status wd_rules_run(const wd_model *m, wd_findings *out);


#ifdef __cplusplus
}
#endif
#endif
