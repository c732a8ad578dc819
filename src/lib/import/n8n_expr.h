/*
 * import/n8n_expr.h - internal: the n8n expression scanner (import/n8n.c).
 *
 * Not a public header: the importer uses it, and the unit test and fuzz
 * target drive it directly. It reads arbitrary text and never reads outside
 * it.
 */
#ifndef WARDEN_IMPORT_N8N_EXPR_H
#define WARDEN_IMPORT_N8N_EXPR_H

#include "warden/model.h"

/*
 * Callback of the scanner: one reference. node is the quoted node name of
 * WD_REF_NODE references (a slice of the text or of scanner-owned scratch),
 * path the dotted field path (scanner-owned scratch). Both are valid only
 * during the call.
 */
typedef void (*wd_n8n_ref_fn)(void *ctx, wd_ref_kind kind, wd_str node, wd_str path);

/* Scan text (JavaScript, or Python when python != 0) for references; returns
 * how many were reported. fn may be NULL to only count. */
size_t wd_n8n_scan_expr(wd_str text, int python, wd_n8n_ref_fn fn, void *ctx);

#endif
