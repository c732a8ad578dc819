/*
 * threat/write_dot.c - the data-flow diagram as Graphviz DOT text, always
 * complete (every element and flow).
 *
 * Boundaries are dashed clusters ("cluster_<boundary id>"), external
 * entities boxes, processes ellipses, stores cylinders; entry points have a
 * double border, public ones an orange one; sensitive flows are red and
 * thick, untrusted ones bold orange, error paths dotted; elements with open
 * threats are filled by their highest severity. Node and cluster names are
 * the stable ids ([a-z0-9-], quoted); every label goes through
 * wd_escape_dot. Edge labels are labels for small diagrams and xlabels for
 * big ones, with newrank=true (tm_edge_label_attr).
 */
#include <stdlib.h>
#include <string.h>

#include "threat/tm_internal.h"
#include "warden/escape.h"

static void attrs(wd_buf *out, const tm_attrs *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		wd_buf_printf(out, ", %s=\"%s\"", a->name[i], a->value[i]);
}

static void node(wd_buf *out, const wd_tm_element *e, int sev, const char *indent)
{
	tm_attrs a;

	tm_node_attrs(e, sev, &a);
	wd_buf_printf(out, "%s\"%s\" [label=\"", indent, e->id);
	tm_node_caption(out, e, "\\n", wd_escape_dot);
	wd_buf_putc(out, '"');
	attrs(out, &a);
	wd_buf_puts(out, "];\n");
}

void wd_tm_write_dot(const wd_tm *tm, wd_buf *out)
{
	int8_t *sev = malloc(tm->nelements + 1);
	uint32_t *off = calloc(tm->nboundaries + 2, sizeof(uint32_t));
	uint32_t *members = malloc((tm->nelements + 1) * sizeof(uint32_t));
	size_t i, j;
	const char *label;

	if (!sev || !off || !members) {
		out->failed = 1;
		goto out;
	}
	if (tm_open_severity(tm, sev) != WD_OK)
		memset(sev, -1, tm->nelements + 1);
	if (tm_group_by_boundary(tm, off, members) != WD_OK) {
		out->failed = 1;
		goto out;
	}

	wd_buf_puts(out, "digraph \"threat-model\" {\n"
	                 "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=12, labelloc=t, "
	                 "forcelabels=true, newrank=true, nodesep=0.35, ranksep=0.7, label=\"");
	wd_escape_dot(out, "Data-flow diagram: ", 19);
	wd_escape_dot(out, tm->app_name, strlen(tm->app_name));
	wd_buf_puts(out, " (");
	wd_escape_dot(out, tm->platform, strlen(tm->platform));
	wd_buf_puts(out, ")\"];\n"
	                 "  node [fontname=\"Helvetica\", fontsize=10];\n"
	                 "  edge [fontname=\"Helvetica\", fontsize=8];\n");
	for (i = 0; i < tm->nboundaries; i++) {
		const wd_tm_boundary *b = &tm->boundaries[i];
		tm_attrs a;
		if (off[i] == off[i + 1])
			continue;
		tm_cluster_attrs(b->kind, &a);
		wd_buf_printf(out, "  subgraph \"cluster_%s\" {\n    label=\"", b->id);
		wd_escape_dot(out, b->name, strlen(b->name));
		wd_buf_printf(out, " (%s)\"", wd_zone_kind_name((wd_zone_kind)b->kind));
		for (j = 0; j < a.n; j++)
			wd_buf_printf(out, "; %s=\"%s\"", a.name[j], a.value[j]);
		wd_buf_puts(out, ";\n");
		for (j = off[i]; j < off[i + 1]; j++)
			node(out, &tm->elements[members[j]], sev[members[j]], "    ");
		wd_buf_puts(out, "  }\n");
	}
	label = tm_edge_label_attr(tm->nelements, tm->nflows);
	for (i = 0; i < tm->nflows; i++) {
		const wd_tm_flow *f = &tm->flows[i];
		tm_attrs a;
		if (f->from >= tm->nelements || f->to >= tm->nelements)
			continue;
		tm_edge_attrs(f, &a);
		wd_buf_printf(out, "  \"%s\" -> \"%s\" [%s=\"", tm->elements[f->from].id,
		              tm->elements[f->to].id, label);
		tm_flow_caption(out, f, 3, wd_escape_dot);
		wd_buf_putc(out, '"');
		attrs(out, &a);
		wd_buf_puts(out, "];\n");
	}
	wd_buf_puts(out, "}\n");
out:
	free(sev);
	free(off);
	free(members);
}
