/*
 * threat/tm_internal.h - helpers shared by the derivation and the writers of
 * the threat model (not public).
 */
#ifndef WARDEN_THREAT_TM_INTERNAL_H
#define WARDEN_THREAT_TM_INTERNAL_H

#include "warden/threat.h"

/* Limits of the derived model (docs/model.md "Limits"). */
#define TM_MAX_NAME 200        /* bytes of an element or boundary name */
#define TM_MAX_FIELD_NAME 128  /* bytes of a field name */
#define TM_MAX_FIELDS 32       /* fields listed per flow; the rest as "(+N more)" */
#define TM_MAX_COMP_LIST 1024  /* fields / references read per component */
#define TM_MAX_TARGETS 16      /* hosts per HTTP component */

/* Classes that make a flow or element sensitive. */
#define TM_SENSITIVE_CLASSES                                                                 \
	((1u << WD_CLASS_PII) | (1u << WD_CLASS_FINANCIAL) | (1u << WD_CLASS_HEALTH) |       \
	 (1u << WD_CLASS_CREDENTIAL) | (1u << WD_CLASS_SECRET))

/* Element ids to indices, for writers that resolve threat ids. */
typedef struct tm_index {
	wd_hmap h;
	const wd_tm *tm;
} tm_index;

wd_status tm_index_build(tm_index *ix, const wd_tm *tm);
/* Element index of id (len bytes), or WD_NONE. */
uint32_t tm_index_find(const tm_index *ix, const char *id, size_t len);
void tm_index_release(tm_index *ix);

/* 1 when the threat still needs attention: open, or accepted past review. */
int tm_threat_is_open(const wd_tm_threat *t);

/*
 * Per element, the highest severity of the open threats whose id names it
 * (every element id after the rule; without one, the end of the path), or
 * -1 (sev has tm->nelements entries). WD_ENOMEM leaves sev all -1.
 */
wd_status tm_open_severity(const wd_tm *tm, int8_t *sev);

/* Elements grouped by boundary, in model order within each: the elements
 * of boundary b are members[off[b] .. off[b + 1]). off has nboundaries + 2
 * zeroed entries, members nelements. WD_OK or WD_ENOMEM. */
wd_status tm_group_by_boundary(const wd_tm *tm, uint32_t *off, uint32_t *members);

/* "YYYY-MM-DD" of days since 1970-01-01 into out[11]. */
void tm_date(int32_t days, char out[11]);

/* Names joined by ", " of the classes in a bitmask, into out (raw text). */
void tm_put_classes(wd_buf *out, uint32_t classes, const char *sep);

/* Appends len bytes of s to out, escaped for some format. */
typedef void (*tm_escape_fn)(wd_buf *out, const char *s, size_t len);

/* A diagram edge label, through esc: the flow label, up to max_fields
 * fields and the sensitive classes ("HTTP request: email, phone +2 [pii]"). */
void tm_flow_caption(wd_buf *out, const wd_tm_flow *f, size_t max_fields, tm_escape_fn esc);

/* Raw text with invalid UTF-8 and control characters replaced (for labels
 * handed to libraries that do their own escaping). */
void tm_put_clean(wd_buf *out, const char *s, size_t len);

/* ---- diagram style, shared by the DOT and SVG writers ------------------------------- */

/*
 * Edge labels: Graphviz lays out labelled edges as extra nodes, which reads
 * best but costs up to ten times the time; above these sizes diagrams use
 * xlabels, placed after layout. Graphviz 2.43 corrupts memory laying out
 * labelled edges in clusters of cyclic graphs unless newrank is set, so
 * every diagram sets newrank=true.
 */
#define TM_LABEL_MAX_NODES 50
#define TM_LABEL_MAX_EDGES 100

static inline const char *tm_edge_label_attr(size_t nodes, size_t edges)
{
	return nodes <= TM_LABEL_MAX_NODES && edges <= TM_LABEL_MAX_EDGES ? "label" : "xlabel";
}

/* Graphviz attributes with fixed values (never input-derived). */
typedef struct tm_attrs {
	const char *name[12];
	const char *value[12];
	size_t n;
	char style[48];
} tm_attrs;

/* Node attributes of element e; open_sev is its highest open threat
 * severity or -1 (tm_open_severity). */
void tm_node_attrs(const wd_tm_element *e, int open_sev, tm_attrs *a);
/* Edge attributes of flow f. */
void tm_edge_attrs(const wd_tm_flow *f, tm_attrs *a);
/* Cluster attributes of a boundary of kind (a wd_zone_kind). */
void tm_cluster_attrs(int kind, tm_attrs *a);
/* The label lines of an element through esc, joined by newline (written
 * as is): name, role, sensitive classes. */
void tm_node_caption(wd_buf *out, const wd_tm_element *e, const char *newline,
                     tm_escape_fn esc);

static inline const char *tm_kind_name(wd_tm_kind k)
{
	return k == WD_TM_PROCESS ? "process" : k == WD_TM_STORE ? "store" : "external";
}

#endif
