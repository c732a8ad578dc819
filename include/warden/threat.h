/*
 * warden/threat.h - the living threat model: a data-flow model derived from
 * one app, threat scenarios over it, human annotations merged in, diffs
 * between two versions, and its writers (docs/model.md).
 *
 * wd_tm_derive() turns one app of a wd_model into a self-contained wd_tm:
 * every string is copied into the wd_tm's arena, so the wd_model may be
 * freed right after. Element, flow, boundary and threat ids are stable:
 * they come from the platform, app and component identity (never from
 * positions or array order), so re-deriving an edited export keeps the ids
 * of what did not change - annotations and diffs key on them.
 *
 * Elements (DFD vocabulary):
 *   external entities - the public internet behind each public entry point,
 *                       each third-party service, each human actor (form
 *                       submitter, chat user, approver, e-mail sender);
 *   processes         - the app's components;
 *   data stores       - databases, sheets, files, vector stores, memory,
 *                       and the platform's execution history.
 * Flows carry the data fields (and their classes) that move along them.
 * Boundaries: the platform runtime, each external service, the public
 * internet, the internal network, the local host.
 *
 * Threats come from graph rules (threat/threats.c) with a STRIDE letter, an
 * OWASP LCNC category and, for personal data, a LINDDUN category; each has a
 * concrete scenario in the app's own names, the element path it follows, the
 * mitigations that would break it and the residual severity once mitigated.
 */
#ifndef WARDEN_THREAT_H
#define WARDEN_THREAT_H

#include "warden/rules.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum wd_tm_kind {
	WD_TM_EXTERNAL = 0,
	WD_TM_PROCESS,
	WD_TM_STORE
} wd_tm_kind;

/* Element flags */
enum {
	WD_TME_ENTRY = 1u << 0,      /* an entry point (process) */
	WD_TME_PUBLIC = 1u << 1,     /* reachable from the internet without a credential */
	WD_TME_HUMAN = 1u << 2,      /* external entity that is a person */
	WD_TME_INTERNET = 1u << 3,   /* the public internet */
	WD_TME_SERVICE = 1u << 4,    /* a third-party or internal service */
	WD_TME_CODE = 1u << 5,       /* runs code or commands */
	WD_TME_AI = 1u << 6,         /* AI model / agent / tool */
	WD_TME_SENSITIVE = 1u << 7,  /* handles classified data */
	WD_TME_DISABLED = 1u << 8,
	WD_TME_HISTORY = 1u << 9     /* the platform's execution history store */
};

typedef struct wd_tm_element {
	wd_tm_kind kind;
	const char *id;           /* stable, [a-z0-9-] only: safe in every format */
	const char *name;         /* as in the app (escape on output!) */
	const char *type;         /* platform type or service name; "" */
	const char *role;         /* "form submitter", "Slack", "code", ...; "" */
	uint32_t boundary;        /* index into boundaries */
	uint32_t comp;            /* model component index at derive time, WD_NONE */
	const char *comp_id;      /* platform id of the component; "" */
	uint32_t flags;           /* WD_TME_* */
	uint32_t classes;         /* bit (1u << wd_class) for each data class handled */
} wd_tm_element;

/* Flow flags */
enum {
	WD_TMF_CROSSES = 1u << 0,    /* from and to are in different boundaries */
	WD_TMF_SENSITIVE = 1u << 1,  /* carries PII, financial, health, credentials, secrets */
	WD_TMF_UNTRUSTED = 1u << 2,  /* carries input from the public internet */
	WD_TMF_CLEARTEXT = 1u << 3,  /* no TLS to an external host */
	WD_TMF_ERROR = 1u << 4       /* error path */
};

typedef struct wd_tm_flow {
	const char *id;           /* stable: "<from id>--<to id>" */
	uint32_t from, to;        /* element indices */
	const char *label;        /* short: "webhook call", "HTTPS", "rows" */
	const char **fields;      /* data field names carried */
	size_t nfields;
	uint32_t classes;         /* bit (1u << wd_class) per class carried */
	uint32_t flags;           /* WD_TMF_* */
	const uint8_t *field_classes; /* the wd_class of each field (parallel to fields,
	                                 nfields entries); NULL = all WD_CLASS_NONE */
} wd_tm_flow;

typedef struct wd_tm_boundary {
	const char *id;           /* stable */
	int kind;                 /* a wd_zone_kind */
	const char *name;
} wd_tm_boundary;

typedef enum wd_tm_status {
	WD_TM_OPEN = 0,
	WD_TM_MITIGATED,
	WD_TM_ACCEPTED,
	WD_TM_TRANSFERRED,
	WD_TM_FALSE_POSITIVE
} wd_tm_status;

const char *wd_tm_status_name(wd_tm_status s);
int wd_tm_status_parse(const char *s); /* -1 when unknown */

typedef struct wd_tm_threat {
	const char *id;           /* stable: "<rule>@<element id>[@<element id>]" */
	const char *rule;         /* threat rule id, e.g. "TM-INJ-01" */
	const char *stride;       /* "T", "I", "E"... */
	const char *lcnc;         /* "LCNC-SEC-06" */
	const char *linddun;      /* "Disclosure", ... for personal data; NULL */
	const char *title;
	const char *scenario;     /* concrete, app's names */
	uint32_t *path;           /* element indices the scenario follows (at most
	                             64: a longer path keeps its first and last 32) */
	size_t npath;
	const char **mitigations; /* each breaks the path */
	size_t nmitigations;
	wd_severity severity;     /* as things stand */
	wd_severity residual;     /* once the mitigations are in place */
	/* merged from annotations (wd_tm_annotate) */
	wd_tm_status status;
	const char *justification;/* NULL when none */
	const char *owner;
	int32_t review_by;        /* days since 1970-01-01, -1 none */
	int reopened;             /* accepted, but review_by has passed */
} wd_tm_threat;

/* Something wrong with the annotations, reported beside the model. */
typedef struct wd_tm_issue {
	const char *kind;         /* "stale", "reopened", "unjustified", "shadowed",
	                             "unknown-app" */
	const char *threat_id;    /* may be NULL */
	const char *message;
	const char *source;       /* "annotations.yaml:12:5" */
} wd_tm_issue;

typedef struct wd_tm {
	wd_arena arena;
	const char *platform;
	const char *app_id;
	const char *app_name;
	const char *file;
	const char *hash;
	wd_tm_element *elements;
	size_t nelements;
	wd_tm_flow *flows;
	size_t nflows;
	wd_tm_boundary *boundaries;
	size_t nboundaries;
	wd_tm_threat *threats;
	size_t nthreats;
	const char **assumptions; /* from annotations */
	size_t nassumptions;
	wd_tm_issue *issues;
	size_t nissues;
} wd_tm;

/* Derive the model of app `app` of m, with its threats (status open). */
wd_status wd_tm_derive(wd_tm **out, const wd_model *m, uint32_t app, wd_error *err);
void wd_tm_free(wd_tm *tm);

/* Threat rules (threat/threats.c): fill tm->threats from the derived
 * elements and flows. Called by wd_tm_derive; m is the source model. */
wd_status wd_tm_find_threats(wd_tm *tm, const wd_model *m, uint32_t app);

/* ---- annotations (threat/annotations.c, docs/model.md) ------------------------- */

typedef struct wd_tm_annotations wd_tm_annotations;

/* Load an annotations file; strict like every YAML loader (wd_yaml). */
wd_status wd_tm_annotations_load(wd_tm_annotations **out, const char *path, wd_error *err);
wd_status wd_tm_annotations_load_buffer(wd_tm_annotations **out, const char *name,
                                        const char *data, size_t len, wd_error *err);
void wd_tm_annotations_free(wd_tm_annotations *a);

/*
 * App sections, for callers that report sections matching no app ("unknown-
 * app"): their count, the selector of section i as written ("n8n:W1", an
 * app id or name; NULL past the end) with its position in the file, and
 * whether section i applies to tm's app.
 */
size_t wd_tm_annotations_count(const wd_tm_annotations *a);
const char *wd_tm_annotations_app(const wd_tm_annotations *a, size_t i, uint32_t *line,
                                  uint32_t *column);
int wd_tm_annotations_match(const wd_tm_annotations *a, size_t i, const wd_tm *tm);

/* Merge the annotations for tm's app into tm (statuses, assumptions) and
 * record tm->issues: stale annotations, accepted risks past review_by
 * (reopened), accepted without justification; "shadowed" for a second
 * section naming the same app. today: days since epoch (< 0: nothing
 * expires). Idempotent: statuses and issues are reset first. Strings are
 * copied into tm's arena. WD_OK, WD_EINVAL or WD_ENOMEM. */
wd_status wd_tm_annotate(wd_tm *tm, const wd_tm_annotations *a, int32_t today);

/* ---- diff (threat/diff.c) ------------------------------------------------------ */

/* What changed from old to new (matched by stable ids): components, flows,
 * entry points, external services, threats. Markdown or JSON. Either side
 * may be NULL (app added / removed). */
void wd_tm_diff_md(const wd_tm *old_tm, const wd_tm *new_tm, wd_buf *out);
void wd_tm_diff_json(const wd_tm *old_tm, const wd_tm *new_tm, wd_buf *out);
/* 1 when the two differ in anything the diff reports. */
int wd_tm_differs(const wd_tm *old_tm, const wd_tm *new_tm);

/* ---- writers (threat/write_*.c) ------------------------------------------------ */

void wd_tm_write_json(const wd_tm *tm, wd_buf *out);
void wd_tm_write_dot(const wd_tm *tm, wd_buf *out);
void wd_tm_write_mermaid(const wd_tm *tm, wd_buf *out);
/* The threat-model document: scope, DFD (Mermaid), entry points, trust
 * boundaries, sensitive data, threats with status, assumptions,
 * mitigations, residual risk. */
void wd_tm_write_md(const wd_tm *tm, wd_buf *out);
/* SVG through Graphviz (libgvc; only threat/write_svg.c includes it). */
wd_status wd_tm_write_svg(const wd_tm *tm, wd_buf *out, wd_error *err);

#ifdef __cplusplus
}
#endif
#endif
