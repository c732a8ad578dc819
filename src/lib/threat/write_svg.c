/*
 * threat/write_svg.c - the data-flow diagram as SVG through Graphviz: the
 * only file that includes <gvc.h>.
 *
 * The graph is built with cgraph calls straight from the wd_tm (never by
 * parsing DOT text, so no name can inject syntax): node and cluster names
 * are the stable ids, labels are set as plain (non-HTML) strings after
 * replacing invalid UTF-8 and control characters, doubling backslashes and
 * writing '&' as "&amp;" (gv_text); Graphviz escapes text for SVG itself.
 * Styling is tm_node_attrs / tm_edge_attrs and edge labels follow
 * tm_edge_label_attr, as in the DOT writer.
 *
 * Above TM_SVG_FULL_ELEMENTS elements or TM_SVG_FULL_FLOWS flows a full dot
 * layout takes seconds to minutes (a 280-process app: 87 s), so the SVG
 * shows a levelled diagram instead: the most telling processes (entry
 * points, those with open threats, those that talk to services and stores,
 * code and AI) up to TM_SVG_KEEP_PROCESSES, the rest collapsed into one
 * "N more components" node per boundary; at most TM_SVG_KEEP_OTHERS
 * external entities and stores, the rest collapsed the same way; parallel
 * flows between the shown nodes merged. The graph label says how many were
 * collapsed; DOT, Mermaid, JSON and Markdown always hold everything. Above
 * TM_SVG_FAST_NODES drawn nodes, dot's crossing minimisation and network
 * simplex are capped (mclimit, nslimit), which trades a few more crossings
 * for a layout 4 to 10 times faster.
 *
 * Graphviz keeps global state and is not thread-safe: renders are
 * serialized by a mutex, and its messages are silenced (the library never
 * prints); its error text is returned in err instead. One Graphviz context
 * serves the whole process: Graphviz 2.43's pango plugin keeps a pointer to
 * the last font name, which gvFreeContext() frees, so a second context
 * would read freed memory. Every graph, layout and rendered buffer is
 * freed after each call.
 */
#include <gvc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "threat/tm_internal.h"

#define TM_SVG_FULL_ELEMENTS 120
#define TM_SVG_FULL_FLOWS 240
#define TM_SVG_KEEP_PROCESSES 40
#define TM_SVG_KEEP_OTHERS 30
#define TM_SVG_FAST_NODES 60     /* above this, fewer crossing-minimisation passes */

static pthread_mutex_t gv_lock = PTHREAD_MUTEX_INITIALIZER;
static GVC_t *gv_context;     /* under gv_lock; lives as long as the process */

/* ---- the view: what is drawn ------------------------------------------------------- */

typedef struct vnode {
	uint32_t element;     /* WD_NONE for a collapsed group */
	uint32_t boundary;    /* tm boundary, or tm->nboundaries for "other boundaries" */
	uint32_t count;       /* elements in a group */
	int processes;        /* a group of processes (1) or of entities and stores (0) */
} vnode;

typedef struct vedge {
	uint32_t from, to;    /* vnode indices */
	uint32_t flow;        /* the tm flow when only one, else WD_NONE */
	uint32_t count;
	uint32_t flags;
} vedge;

typedef struct view {
	vnode *nodes;
	size_t nnodes;
	vedge *edges;
	size_t nedges;
	uint32_t *rep;        /* element -> vnode */
	size_t collapsed;     /* elements inside groups */
	int other_cluster;    /* a cluster for groups of dropped boundaries */
} view;

static void view_release(view *v)
{
	free(v->nodes);
	free(v->edges);
	free(v->rep);
}

typedef struct rank {
	uint32_t element;
	int score;
} rank;

static int cmp_rank(const void *a, const void *b)
{
	const rank *x = a, *y = b;

	if (x->score != y->score)
		return y->score - x->score;
	return x->element < y->element ? -1 : x->element > y->element;
}

static wd_status build_view(view *v, const wd_tm *tm, const int8_t *sev, int full)
{
	size_t n = tm->nelements, i, nr = 0, np = 0, no = 0;
	uint8_t *keep = calloc(n + 1, 1), *io = calloc(n + 1, 1);
	rank *r = malloc((n + 1) * sizeof(*r));
	uint32_t *group = NULL; /* boundary * 2 + processes -> vnode */
	uint8_t *bkept = calloc(tm->nboundaries + 2, 1);
	wd_hmap seen = WD_HMAP_INIT;
	wd_status rc = WD_ENOMEM;

	memset(v, 0, sizeof(*v));
	v->nodes = malloc((n + 2 * tm->nboundaries + 4) * sizeof(vnode));
	v->edges = malloc((tm->nflows + 1) * sizeof(vedge));
	v->rep = malloc((n + 1) * sizeof(uint32_t));
	group = malloc((2 * tm->nboundaries + 4) * sizeof(uint32_t));
	if (!keep || !io || !r || !bkept || !v->nodes || !v->edges || !v->rep || !group)
		goto out;
	for (i = 0; i < 2 * tm->nboundaries + 4; i++)
		group[i] = WD_NONE;
	if (full) {
		memset(keep, 1, n);
	} else {
		for (i = 0; i < tm->nflows; i++) {
			const wd_tm_flow *f = &tm->flows[i];
			int a = tm->elements[f->from].kind == WD_TM_PROCESS;
			int b = tm->elements[f->to].kind == WD_TM_PROCESS;
			if (a != b)
				io[a ? f->from : f->to] = 1;
		}
		/* processes by how much they tell about threats */
		for (i = 0; i < n; i++) {
			const wd_tm_element *e = &tm->elements[i];
			int s = 0;
			if (e->kind != WD_TM_PROCESS)
				continue;
			s += (e->flags & WD_TME_ENTRY) ? 8 : 0;
			s += sev[i] >= 0 ? 4 + sev[i] : 0;
			s += io[i] ? 2 : 0;
			s += (e->flags & (WD_TME_CODE | WD_TME_AI)) ? 1 : 0;
			if (s) {
				r[nr].element = (uint32_t)i;
				r[nr++].score = s;
			}
		}
		qsort(r, nr, sizeof(*r), cmp_rank);
		for (i = 0; i < nr && np < TM_SVG_KEEP_PROCESSES; i++, np++)
			keep[r[i].element] = 1;
		/* external entities and stores: the internet, people and the history first */
		nr = 0;
		for (i = 0; i < n; i++) {
			const wd_tm_element *e = &tm->elements[i];
			if (e->kind == WD_TM_PROCESS)
				continue;
			r[nr].element = (uint32_t)i;
			r[nr++].score = (e->flags & (WD_TME_INTERNET | WD_TME_HUMAN)) ? 4
			                : (e->flags & WD_TME_HISTORY) ? 3
			                : sev[i] >= 0 ? 2 : (e->flags & WD_TME_SENSITIVE) ? 1 : 0;
		}
		qsort(r, nr, sizeof(*r), cmp_rank);
		for (i = 0; i < nr && no < TM_SVG_KEEP_OTHERS; i++, no++)
			keep[r[i].element] = 1;
	}
	for (i = 0; i < n; i++)
		if (keep[i])
			bkept[tm->elements[i].boundary] = 1;
	for (i = 0; i < n; i++) {
		const wd_tm_element *e = &tm->elements[i];
		vnode *vn;
		if (keep[i]) {
			vn = &v->nodes[v->nnodes];
			vn->element = (uint32_t)i;
			vn->boundary = e->boundary;
			vn->count = 1;
			vn->processes = e->kind == WD_TM_PROCESS;
			v->rep[i] = (uint32_t)v->nnodes++;
		} else {
			uint32_t b = bkept[e->boundary] ? e->boundary : (uint32_t)tm->nboundaries;
			uint32_t g = b * 2 + (e->kind == WD_TM_PROCESS);
			if (b == tm->nboundaries)
				v->other_cluster = 1;
			if (group[g] == WD_NONE) {
				vn = &v->nodes[v->nnodes];
				vn->element = WD_NONE;
				vn->boundary = b;
				vn->count = 0;
				vn->processes = e->kind == WD_TM_PROCESS;
				group[g] = (uint32_t)v->nnodes++;
			}
			v->nodes[group[g]].count++;
			v->rep[i] = group[g];
			v->collapsed++;
		}
	}
	/* edges between shown nodes; parallel ones merged */
	for (i = 0; i < tm->nflows; i++) {
		const wd_tm_flow *f = &tm->flows[i];
		uint32_t a = v->rep[f->from], b = v->rep[f->to], k;
		uint64_t key[2] = {a, b};
		uint64_t h = wd_hash64(key, sizeof(key), 0);
		size_t slot = WD_HMAP_START;
		if (a == b)
			continue;
		while ((k = wd_hmap_next(&seen, h, &slot)) != UINT32_MAX)
			if (v->edges[k].from == a && v->edges[k].to == b)
				break;
		if (k != UINT32_MAX) {
			v->edges[k].count++;
			v->edges[k].flags |= f->flags;
			v->edges[k].flow = WD_NONE;
			continue;
		}
		if (wd_hmap_put(&seen, h, (uint32_t)v->nedges) != WD_OK)
			goto out;
		v->edges[v->nedges].from = a;
		v->edges[v->nedges].to = b;
		v->edges[v->nedges].flow = (uint32_t)i;
		v->edges[v->nedges].count = 1;
		v->edges[v->nedges].flags = f->flags;
		v->nedges++;
	}
	rc = WD_OK;
out:
	free(keep);
	free(io);
	free(r);
	free(group);
	free(bkept);
	wd_hmap_release(&seen);
	if (rc != WD_OK)
		view_release(v);
	return rc;
}

/* ---- cgraph ------------------------------------------------------------------------ */

/* Label text for cgraph: clean UTF-8, no control characters, backslashes
 * doubled so that Graphviz shows them instead of expanding escapes (\N,
 * \G, \l...), '&' as &amp; since Graphviz decodes HTML entities. */
static void gv_text(wd_buf *out, const char *s, size_t len)
{
	wd_buf clean;
	size_t i;

	wd_buf_init(&clean, 0);
	tm_put_clean(&clean, s, len);
	for (i = 0; i < clean.len; i++) {
		if (clean.data[i] == '\\')
			wd_buf_puts(out, "\\\\");
		else if (clean.data[i] == '&')
			wd_buf_puts(out, "&amp;"); /* Graphviz decodes entities in labels */
		else
			wd_buf_putc(out, clean.data[i]);
	}
	if (wd_buf_failed(&clean))
		out->failed = 1;
	wd_buf_release(&clean);
}

static void set(void *obj, const char *name, const char *value)
{
	agsafeset(obj, (char *)name, (char *)value, "");
}

static void set_attrs(void *obj, const tm_attrs *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		set(obj, a->name[i], a->value[i]);
}

static int quiet(char *msg)
{
	(void)msg;
	return 0;
}

static wd_status render(const wd_tm *tm, const view *v, const int8_t *sev, wd_buf *out,
                        wd_error *err)
{
	GVC_t *gvc = NULL;
	Agraph_t *g = NULL, **sub = NULL;
	Agnode_t **nodes = NULL;
	char *data = NULL;
	unsigned int len = 0;
	wd_buf label, name;
	size_t i;
	wd_status rc = WD_ENOMEM;
	int laid_out = 0;

	wd_buf_init(&label, 0);
	wd_buf_init(&name, 0);
	sub = calloc(tm->nboundaries + 2, sizeof(*sub));
	nodes = calloc(v->nnodes + 1, sizeof(*nodes));
	if (!sub || !nodes)
		goto out;
	if (!gv_context)
		gv_context = gvContext();
	gvc = gv_context;
	if (!gvc)
		goto out;
	g = agopen("threat-model", Agdirected, NULL);
	if (!g)
		goto out;
	set(g, "rankdir", "LR");
	set(g, "fontname", "Helvetica");
	set(g, "fontsize", "12");
	set(g, "labelloc", "t");
	set(g, "forcelabels", "true");
	set(g, "newrank", "true");
	set(g, "nodesep", "0.35");
	set(g, "ranksep", "0.7");
	if (v->nnodes > TM_SVG_FAST_NODES) {
		set(g, "mclimit", "0.2");
		set(g, "nslimit", "2");
		set(g, "nslimit1", "2");
	}
	gv_text(&label, "Data-flow diagram: ", 19);
	gv_text(&label, tm->app_name, strlen(tm->app_name));
	gv_text(&label, " (", 2);
	gv_text(&label, tm->platform, strlen(tm->platform));
	gv_text(&label, ")", 1);
	if (v->collapsed)
		wd_buf_printf(&label, "\\n%zu elements collapsed; see the JSON or Mermaid output for "
		                      "all of them", v->collapsed);
	if (wd_buf_failed(&label))
		goto out;
	set(g, "label", wd_buf_cstr(&label));
	for (i = 0; i <= tm->nboundaries; i++) {
		tm_attrs a;
		int used = 0;
		size_t j;
		for (j = 0; j < v->nnodes && !used; j++)
			used = v->nodes[j].boundary == i;
		if (!used)
			continue;
		wd_buf_reset(&name);
		wd_buf_reset(&label);
		if (i < tm->nboundaries) {
			wd_buf_printf(&name, "cluster_%s", tm->boundaries[i].id);
			gv_text(&label, tm->boundaries[i].name, strlen(tm->boundaries[i].name));
			wd_buf_printf(&label, " (%s)", wd_zone_kind_name((wd_zone_kind)tm->boundaries[i].kind));
			tm_cluster_attrs(tm->boundaries[i].kind, &a);
		} else {
			wd_buf_puts(&name, "cluster_other");
			wd_buf_puts(&label, "Other boundaries");
			tm_cluster_attrs(-1, &a);
		}
		if (wd_buf_failed(&name) || wd_buf_failed(&label))
			goto out;
		sub[i] = agsubg(g, (char *)wd_buf_cstr(&name), 1);
		if (!sub[i])
			goto out;
		set(sub[i], "label", wd_buf_cstr(&label));
		set_attrs(sub[i], &a);
	}
	for (i = 0; i < v->nnodes; i++) {
		const vnode *vn = &v->nodes[i];
		Agraph_t *parent = sub[vn->boundary] ? sub[vn->boundary] : g;
		tm_attrs a;
		wd_buf_reset(&name);
		wd_buf_reset(&label);
		if (vn->element != WD_NONE) {
			const wd_tm_element *e = &tm->elements[vn->element];
			wd_buf_puts(&name, e->id);
			tm_node_caption(&label, e, "\\n", gv_text);
			tm_node_attrs(e, sev[vn->element], &a);
		} else {
			wd_buf_printf(&name, "group-%zu", i);
			wd_buf_printf(&label, "%u more %s", vn->count,
			              vn->processes ? (vn->count == 1 ? "component" : "components")
			                            : "entities and stores");
			memset(&a, 0, sizeof(a));
			a.name[0] = "shape";
			a.value[0] = vn->processes ? "doubleoctagon" : "folder";
			a.name[1] = "style";
			a.value[1] = "dashed";
			a.n = 2;
		}
		if (wd_buf_failed(&name) || wd_buf_failed(&label))
			goto out;
		nodes[i] = agnode(parent, (char *)wd_buf_cstr(&name), 1);
		if (!nodes[i])
			goto out;
		set(nodes[i], "label", wd_buf_cstr(&label));
		set(nodes[i], "fontname", "Helvetica");
		set(nodes[i], "fontsize", "10");
		set_attrs(nodes[i], &a);
	}
	for (i = 0; i < v->nedges; i++) {
		const vedge *ve = &v->edges[i];
		Agedge_t *e = agedge(g, nodes[ve->from], nodes[ve->to], NULL, 1);
		tm_attrs a;
		wd_tm_flow merged;
		if (!e)
			goto out;
		wd_buf_reset(&label);
		if (ve->flow != WD_NONE) {
			tm_flow_caption(&label, &tm->flows[ve->flow], 3, gv_text);
			tm_edge_attrs(&tm->flows[ve->flow], &a);
		} else {
			memset(&merged, 0, sizeof(merged));
			merged.flags = ve->flags;
			merged.label = "";
			wd_buf_printf(&label, "%u flows", ve->count);
			tm_edge_attrs(&merged, &a);
		}
		if (wd_buf_failed(&label))
			goto out;
		set(e, tm_edge_label_attr(v->nnodes, v->nedges), wd_buf_cstr(&label));
		set(e, "fontname", "Helvetica");
		set(e, "fontsize", "8");
		set_attrs(e, &a);
	}
	if (gvLayout(gvc, g, "dot") != 0) {
		rc = wd_error_set(err, WD_EINVAL, "Graphviz could not lay out the diagram%s%s",
		                  aglasterr() ? ": " : "", aglasterr() ? aglasterr() : "");
		goto out;
	}
	laid_out = 1;
	if (gvRenderData(gvc, g, "svg", &data, &len) != 0 || !data) {
		rc = wd_error_set(err, WD_EINVAL, "Graphviz could not render SVG");
		goto out;
	}
	wd_buf_put(out, data, len);
	rc = wd_buf_failed(out) ? WD_ENOMEM : WD_OK;
out:
	if (data)
		gvFreeRenderData(data);
	if (laid_out)
		gvFreeLayout(gvc, g);
	if (g)
		agclose(g);
	free(sub);
	free(nodes);
	wd_buf_release(&label);
	wd_buf_release(&name);
	if (rc == WD_ENOMEM)
		wd_error_set(err, WD_ENOMEM, "out of memory rendering SVG");
	return rc;
}

wd_status wd_tm_write_svg(const wd_tm *tm, wd_buf *out, wd_error *err)
{
	int8_t *sev = malloc(tm->nelements + 1);
	view v;
	wd_status rc;
	int full = tm->nelements <= TM_SVG_FULL_ELEMENTS && tm->nflows <= TM_SVG_FULL_FLOWS;

	if (!sev)
		return wd_error_set(err, WD_ENOMEM, "out of memory rendering SVG");
	if (tm_open_severity(tm, sev) != WD_OK)
		memset(sev, -1, tm->nelements + 1);
	rc = build_view(&v, tm, sev, full);
	if (rc != WD_OK) {
		free(sev);
		return wd_error_set(err, rc, "out of memory rendering SVG");
	}
	pthread_mutex_lock(&gv_lock);
	{
		agerrlevel_t level = agseterr(AGMAX);
		agusererrf prev = agseterrf(quiet);
		rc = render(tm, &v, sev, out, err);
		agseterrf(prev);
		agseterr(level);
	}
	pthread_mutex_unlock(&gv_lock);
	view_release(&v);
	free(sev);
	return rc;
}
