/*
 * threat/write_md.c - the threat-model document of one app in Markdown,
 * for a review meeting: scope, the data-flow diagram (Mermaid, which GitHub
 * and GitLab render), entry points, trust boundaries, the sensitive data
 * inventory, threats with their status, assumptions, mitigations, residual
 * risk and annotation issues.
 *
 * Everything from the export or the annotations file goes through
 * wd_escape_md (table-safe inline text); the Mermaid block is
 * wd_tm_write_mermaid's output, whose labels are escaped for Mermaid and
 * cannot close the code fence (no backquotes survive wd_escape_mermaid).
 * Linear in elements + flows x fields + threats.
 */
#include <stdlib.h>
#include <string.h>

#include "threat/tm_internal.h"
#include "warden/escape.h"

#define MD_LIST_MAX 6        /* names listed per table cell before "and N more" */

static void md(wd_buf *out, const char *s)
{
	if (s)
		wd_escape_md_rendered(out, s, strlen(s));
}

/* The text, or "-" for none (written as is: escaped, a lone '-' comes out
 * as "&#45;"). */
static void md_or_dash(wd_buf *out, const char *s)
{
	if (s && *s)
		md(out, s);
	else
		wd_buf_putc(out, '-');
}

static void md_name(wd_buf *out, const wd_tm *tm, uint32_t e)
{
	if (e < tm->nelements)
		md(out, tm->elements[e].name);
}

/* ---- small sets keyed by (a, b) ------------------------------------------------- */

typedef struct pairset {
	wd_hmap h;
	uint64_t *keys;
	size_t n, cap;
} pairset;

/* 1 if (a, b) was there; adds it otherwise (-1 when out of memory). */
static int pair_add(pairset *s, uint32_t a, uint32_t b)
{
	uint64_t k = ((uint64_t)a << 32) | b;
	uint64_t h = wd_hash64(&k, sizeof(k), 11);
	size_t slot = WD_HMAP_START;
	uint32_t i;

	while ((i = wd_hmap_next(&s->h, h, &slot)) != UINT32_MAX)
		if (s->keys[i] == k)
			return 1;
	if (wd_grow((void **)&s->keys, &s->cap, s->n + 1, sizeof(*s->keys)) != WD_OK ||
	    wd_hmap_put(&s->h, h, (uint32_t)s->n) != WD_OK)
		return -1;
	s->keys[s->n++] = k;
	return 0;
}

static int pair_has(const pairset *s, uint32_t a, uint32_t b)
{
	uint64_t k = ((uint64_t)a << 32) | b;
	uint64_t h = wd_hash64(&k, sizeof(k), 11);
	size_t slot = WD_HMAP_START;
	uint32_t i;

	while ((i = wd_hmap_next(&s->h, h, &slot)) != UINT32_MAX)
		if (s->keys[i] == k)
			return 1;
	return 0;
}

static void pair_release(pairset *s)
{
	wd_hmap_release(&s->h);
	free(s->keys);
}

/* ---- element lists in cells ------------------------------------------------------- */

typedef struct elist {
	uint32_t items[MD_LIST_MAX];
	uint32_t n, more;
} elist;

static void elist_add(elist *l, uint32_t e)
{
	if (l->n < MD_LIST_MAX)
		l->items[l->n++] = e;
	else
		l->more++;
}

static void elist_put(wd_buf *out, const wd_tm *tm, const elist *l)
{
	uint32_t i;

	if (!l->n) {
		wd_buf_puts(out, "-");
		return;
	}
	for (i = 0; i < l->n; i++) {
		if (i)
			wd_buf_puts(out, ", ");
		md_name(out, tm, l->items[i]);
	}
	if (l->more)
		wd_buf_printf(out, " and %u more", l->more);
}

/* ---- sections ------------------------------------------------------------------------- */

static void scope(wd_buf *out, const wd_tm *tm)
{
	size_t i, procs = 0, disabled = 0, people = 0, services = 0, others = 0, stores = 0;
	size_t crossing = 0, sensitive = 0, open = 0;

	for (i = 0; i < tm->nelements; i++) {
		const wd_tm_element *e = &tm->elements[i];
		if (e->kind == WD_TM_PROCESS) {
			procs++;
			disabled += (e->flags & WD_TME_DISABLED) != 0;
		} else if (e->kind == WD_TM_STORE) {
			stores++;
		} else if (e->flags & WD_TME_HUMAN) {
			people++;
		} else if (e->flags & WD_TME_SERVICE) {
			services++;
		} else {
			others++;
		}
	}
	for (i = 0; i < tm->nflows; i++) {
		crossing += (tm->flows[i].flags & WD_TMF_CROSSES) != 0;
		sensitive += (tm->flows[i].flags & WD_TMF_SENSITIVE) != 0;
	}
	for (i = 0; i < tm->nthreats; i++)
		open += (size_t)tm_threat_is_open(&tm->threats[i]);
	wd_buf_puts(out, "## Scope\n\n| | |\n|---|---|\n| App | ");
	md(out, tm->app_name);
	if (tm->app_id && tm->app_id[0]) {
		wd_buf_puts(out, " (id ");
		md(out, tm->app_id);
		wd_buf_putc(out, ')');
	}
	wd_buf_puts(out, " |\n| Platform | ");
	md(out, tm->platform);
	wd_buf_puts(out, " |\n| Export | ");
	md(out, tm->file);
	wd_buf_puts(out, " |\n| Content hash (SHA-256) | ");
	if (strspn(tm->hash, "0123456789abcdef") == strlen(tm->hash))
		wd_buf_puts(out, tm->hash); /* computed, hex only */
	else
		md(out, tm->hash);
	wd_buf_printf(out, " |\n| Components (processes) | %zu", procs);
	if (disabled)
		wd_buf_printf(out, " (%zu disabled)", disabled);
	wd_buf_printf(out, " |\n| External entities | %zu: %zu people, %zu services and hosts, "
	                   "%zu other (the internet, other apps) |\n", people + services + others, people, services, others);
	wd_buf_printf(out, "| Data stores | %zu |\n", stores);
	wd_buf_printf(out, "| Data flows | %zu (%zu cross a trust boundary, %zu carry sensitive "
	                   "data) |\n", tm->nflows, crossing, sensitive);
	wd_buf_printf(out, "| Trust boundaries | %zu |\n", tm->nboundaries);
	wd_buf_printf(out, "| Threats | %zu (%zu open) |\n\n", tm->nthreats, open);
}

static void diagram(wd_buf *out, const wd_tm *tm)
{
	size_t start;

	wd_buf_puts(out, "## Data-flow diagram\n\n```mermaid\n");
	start = out->len;
	wd_tm_write_mermaid(tm, out);
	wd_buf_puts(out, "```\n\n");
	wd_buf_puts(out,
	            "Dashed boxes are trust boundaries. Rectangles are external entities, circles "
	            "processes (the app's components), cylinders data stores. Thick arrows carry "
	            "input from the internet (untrusted), red arrows sensitive data, dotted arrows "
	            "error paths and values read by expression. Entry points have a thick border "
	            "(orange: open to anyone); filled elements have open threats (red: high or "
	            "critical, yellow: medium, blue: low).\n\n");
	if (out->len - start > 50000 || tm->nflows > 500)
		wd_buf_puts(out, "This diagram is larger than GitHub renders (50,000 characters or "
		                 "500 flows): use the SVG or DOT output to view it.\n\n");
}

static void entry_points(wd_buf *out, const wd_tm *tm)
{
	size_t i, n = 0;
	uint32_t *first_in = malloc((tm->nelements + 1) * sizeof(uint32_t));
	elist *from = calloc(tm->nelements + 1, sizeof(elist));

	wd_buf_puts(out, "## Entry points\n\n");
	if (!first_in || !from) {
		out->failed = 1;
		goto out;
	}
	/* per element: who reaches it from outside the processes, and the
	 * first such flow (it lists the fields the entry receives) */
	for (i = 0; i < tm->nelements; i++)
		first_in[i] = WD_NONE;
	for (i = 0; i < tm->nflows; i++) {
		const wd_tm_flow *f = &tm->flows[i];
		if (tm->elements[f->from].kind == WD_TM_PROCESS ||
		    tm->elements[f->to].kind != WD_TM_PROCESS)
			continue;
		elist_add(&from[f->to], f->from);
		if (first_in[f->to] == WD_NONE)
			first_in[f->to] = (uint32_t)i;
	}
	for (i = 0; i < tm->nelements; i++) {
		const wd_tm_element *e = &tm->elements[i];
		size_t k, shown = 0;
		if (e->kind != WD_TM_PROCESS || !(e->flags & WD_TME_ENTRY))
			continue;
		if (n++ == 0)
			wd_buf_puts(out, "| Entry point | Type | Reached by | Open to anyone | "
			                 "Data received |\n|---|---|---|---|---|\n");
		wd_buf_puts(out, "| ");
		md(out, e->name);
		if (e->flags & WD_TME_DISABLED)
			wd_buf_puts(out, " (disabled)");
		wd_buf_puts(out, " | ");
		md(out, e->role);
		wd_buf_puts(out, " | ");
		if (from[i].n)
			elist_put(out, tm, &from[i]);
		else
			wd_buf_puts(out, "the platform (schedule, manual run or another flow)");
		wd_buf_printf(out, " | %s | ", (e->flags & WD_TME_PUBLIC) ? "**yes**" : "no");
		if (first_in[i] != WD_NONE) {
			const wd_tm_flow *f = &tm->flows[first_in[i]];
			for (k = 0; k < f->nfields && shown < 8; k++, shown++) {
				if (shown)
					wd_buf_puts(out, ", ");
				md(out, f->fields[k]);
			}
			if (f->nfields > shown)
				wd_buf_printf(out, " and %zu more", f->nfields - shown);
		}
		if (!shown)
			wd_buf_puts(out, "-");
		wd_buf_puts(out, " |\n");
	}
	wd_buf_puts(out, n ? "\n" : "No entry points: nothing starts this app from outside.\n\n");
out:
	free(first_in);
	free(from);
}

static void boundaries(wd_buf *out, const wd_tm *tm)
{
	size_t i;
	elist *members = calloc(tm->nboundaries + 1, sizeof(elist));
	size_t *in = calloc(tm->nboundaries + 1, sizeof(size_t));
	size_t *outn = calloc(tm->nboundaries + 1, sizeof(size_t));

	wd_buf_puts(out, "## Trust boundaries\n\n");
	if (!members || !in || !outn) {
		out->failed = 1;
		goto out;
	}
	for (i = 0; i < tm->nelements; i++)
		if (tm->elements[i].boundary < tm->nboundaries)
			elist_add(&members[tm->elements[i].boundary], (uint32_t)i);
	for (i = 0; i < tm->nflows; i++) {
		const wd_tm_flow *f = &tm->flows[i];
		uint32_t bf = tm->elements[f->from].boundary, bt = tm->elements[f->to].boundary;
		if (bf == bt || bf >= tm->nboundaries || bt >= tm->nboundaries)
			continue;
		in[bt]++;
		outn[bf]++;
	}
	wd_buf_puts(out, "| Boundary | Kind | Contains | Flows in | Flows out |\n"
	                 "|---|---|---|---|---|\n");
	for (i = 0; i < tm->nboundaries; i++) {
		const wd_tm_boundary *b = &tm->boundaries[i];
		wd_buf_puts(out, "| ");
		md(out, b->name);
		wd_buf_printf(out, " | %s | ", wd_zone_kind_name((wd_zone_kind)b->kind));
		elist_put(out, tm, &members[i]);
		wd_buf_printf(out, " | %zu | %zu |\n", in[i], outn[i]);
	}
	wd_buf_putc(out, '\n');
out:
	free(members);
	free(in);
	free(outn);
}

/* ---- sensitive data inventory -------------------------------------------------- */

typedef struct field_row {
	const char *name;
	uint8_t cls;
	int outside;         /* enters from outside the processes */
	elist enters, goes;
} field_row;

static int cmp_rows(const void *a, const void *b)
{
	const field_row *x = a, *y = b;

	if (x->cls != y->cls)
		return (int)y->cls - (int)x->cls;
	return strcmp(x->name, y->name);
}

static uint32_t row_of(field_row **rows, size_t *n, size_t *cap, wd_hmap *ix, const char *name,
                       uint8_t cls)
{
	uint64_t h = wd_hash64(name, strlen(name), cls);
	size_t slot = WD_HMAP_START;
	uint32_t i;

	while ((i = wd_hmap_next(ix, h, &slot)) != UINT32_MAX)
		if ((*rows)[i].cls == cls && strcmp((*rows)[i].name, name) == 0)
			return i;
	if (wd_grow((void **)rows, cap, *n + 1, sizeof(**rows)) != WD_OK ||
	    wd_hmap_put(ix, h, (uint32_t)*n) != WD_OK)
		return WD_NONE;
	memset(&(*rows)[*n], 0, sizeof(**rows));
	(*rows)[*n].name = name;
	(*rows)[*n].cls = cls;
	return (uint32_t)(*n)++;
}

static int sensitive_class(uint8_t c)
{
	return c <= WD_CLASS_SECRET && (TM_SENSITIVE_CLASSES & (1u << c));
}

static void inventory(wd_buf *out, const wd_tm *tm)
{
	field_row *rows = NULL;
	size_t nrows = 0, cap = 0, i, k;
	int pass;
	wd_hmap ix = WD_HMAP_INIT;
	pairset incoming = {WD_HMAP_INIT, NULL, 0, 0}, listed = {WD_HMAP_INIT, NULL, 0, 0};
	int oom = 0;

	/* rows, and which processes receive each field from another process */
	for (i = 0; i < tm->nflows && !oom; i++) {
		const wd_tm_flow *f = &tm->flows[i];
		for (k = 0; k < f->nfields && !oom; k++) {
			uint8_t c = f->field_classes ? f->field_classes[k] : 0;
			uint32_t r;
			if (!sensitive_class(c))
				continue;
			r = row_of(&rows, &nrows, &cap, &ix, f->fields[k], c);
			if (r == WD_NONE || pair_add(&incoming, r, f->to) < 0)
				oom = 1;
		}
	}
	/* enters at: the receiver of a flow from outside the app's processes;
	 * for data no such flow brings, a process that sends it although no
	 * flow brought it there. goes to: the non-processes it flows to. */
	for (pass = 0; pass < 2 && !oom; pass++) {
		for (i = 0; i < tm->nflows && !oom; i++) {
			const wd_tm_flow *f = &tm->flows[i];
			const wd_tm_element *from = &tm->elements[f->from], *to = &tm->elements[f->to];
			for (k = 0; k < f->nfields && !oom; k++) {
				uint8_t c = f->field_classes ? f->field_classes[k] : 0;
				uint32_t r, at = WD_NONE;
				int seen;
				if (!sensitive_class(c))
					continue;
				r = row_of(&rows, &nrows, &cap, &ix, f->fields[k], c);
				if (r == WD_NONE) {
					oom = 1;
					break;
				}
				if (pass == 0 && from->kind != WD_TM_PROCESS && to->kind == WD_TM_PROCESS)
					at = f->to;
				else if (pass == 1 && !rows[r].outside && from->kind == WD_TM_PROCESS &&
				         !pair_has(&incoming, r, f->from))
					at = f->from;
				if (at != WD_NONE) {
					seen = pair_add(&listed, r * 2, at);
					if (seen < 0)
						oom = 1;
					else if (!seen)
						elist_add(&rows[r].enters, at);
				}
				if (pass == 0 && to->kind != WD_TM_PROCESS) {
					seen = pair_add(&listed, r * 2 + 1, f->to);
					if (seen < 0)
						oom = 1;
					else if (!seen)
						elist_add(&rows[r].goes, f->to);
				}
			}
		}
		for (i = 0; i < nrows && pass == 0; i++)
			rows[i].outside = rows[i].enters.n > 0;
	}
	wd_buf_puts(out, "## Sensitive data inventory\n\n");
	if (oom) {
		out->failed = 1;
	} else if (!nrows) {
		wd_buf_puts(out, "No field classified as personal, financial, health, credential or "
		                 "secret data moves through this app.\n\n");
	} else {
		qsort(rows, nrows, sizeof(*rows), cmp_rows);
		wd_buf_puts(out, "| Field | Class | Enters at | Goes to |\n|---|---|---|---|\n");
		for (i = 0; i < nrows; i++) {
			wd_buf_puts(out, "| ");
			md(out, rows[i].name);
			wd_buf_printf(out, " | %s | ", wd_class_name((wd_class)rows[i].cls));
			elist_put(out, tm, &rows[i].enters);
			wd_buf_puts(out, " | ");
			elist_put(out, tm, &rows[i].goes);
			wd_buf_puts(out, " |\n");
		}
		wd_buf_putc(out, '\n');
	}
	free(rows);
	wd_hmap_release(&ix);
	pair_release(&incoming);
	pair_release(&listed);
}

/* ---- threats ------------------------------------------------------------------------ */

static void status_text(wd_buf *out, const wd_tm_threat *t)
{
	wd_buf_puts(out, wd_tm_status_name(t->status));
	if (t->reopened)
		wd_buf_puts(out, " (reopened: review date passed)");
}

static void threats(wd_buf *out, const wd_tm *tm)
{
	size_t i, j;

	wd_buf_puts(out, "## Threats\n\n");
	if (!tm->nthreats) {
		wd_buf_puts(out, "No threat scenario applies to this model.\n\n");
		return;
	}
	wd_buf_puts(out, "| ID | Threat | STRIDE | OWASP LCNC | LINDDUN | Severity | Status | Owner "
	                 "| Review by |\n|---|---|---|---|---|---|---|---|---|\n");
	for (i = 0; i < tm->nthreats; i++) {
		const wd_tm_threat *t = &tm->threats[i];
		char d[11];
		wd_buf_puts(out, "| ");
		md(out, t->id);
		wd_buf_puts(out, " | ");
		md(out, t->title);
		wd_buf_puts(out, " | ");
		md(out, t->stride);
		wd_buf_puts(out, " | ");
		md(out, t->lcnc);
		wd_buf_puts(out, " | ");
		md_or_dash(out, t->linddun);
		wd_buf_printf(out, " | %s | ", wd_severity_name(t->severity));
		status_text(out, t);
		wd_buf_puts(out, " | ");
		md_or_dash(out, t->owner);
		wd_buf_puts(out, " | ");
		if (t->review_by >= 0) {
			tm_date(t->review_by, d);
			wd_buf_puts(out, d);
		} else {
			wd_buf_puts(out, "-");
		}
		wd_buf_puts(out, " |\n");
	}
	wd_buf_putc(out, '\n');
	for (i = 0; i < tm->nthreats; i++) {
		const wd_tm_threat *t = &tm->threats[i];
		wd_buf_puts(out, "### ");
		md(out, t->id);
		wd_buf_puts(out, ": ");
		md(out, t->title);
		wd_buf_puts(out, "\n\n");
		md(out, t->scenario);
		wd_buf_puts(out, "\n\n- Path: ");
		for (j = 0; j < t->npath; j++) {
			if (j)
				wd_buf_puts(out, " → ");
			md_name(out, tm, t->path[j]);
		}
		if (!t->npath)
			wd_buf_puts(out, "-");
		wd_buf_printf(out, "\n- Severity: %s; residual once mitigated: %s\n- Status: ",
		              wd_severity_name(t->severity), wd_severity_name(t->residual));
		status_text(out, t);
		if (t->justification) {
			wd_buf_puts(out, " (");
			md(out, t->justification);
			wd_buf_putc(out, ')');
		}
		wd_buf_puts(out, "\n- Mitigations:");
		if (!t->nmitigations)
			wd_buf_puts(out, " none known");
		wd_buf_putc(out, '\n');
		for (j = 0; j < t->nmitigations; j++) {
			wd_buf_puts(out, "  - ");
			md(out, t->mitigations[j]);
			wd_buf_putc(out, '\n');
		}
		wd_buf_putc(out, '\n');
	}
}

static void assumptions(wd_buf *out, const wd_tm *tm)
{
	size_t i;

	wd_buf_puts(out, "## Assumptions\n\n");
	if (!tm->nassumptions)
		wd_buf_puts(out, "None recorded. Add them to the annotations file (see "
		                 "docs/model.md) so that reviewers can challenge them.\n");
	for (i = 0; i < tm->nassumptions; i++) {
		wd_buf_puts(out, "- ");
		md(out, tm->assumptions[i]);
		wd_buf_putc(out, '\n');
	}
	wd_buf_putc(out, '\n');
}

typedef struct mitig {
	const char *text;
	uint32_t threats[8];
	uint32_t n, more;
} mitig;

static void mitigations(wd_buf *out, const wd_tm *tm)
{
	mitig *ms = NULL;
	size_t nms = 0, cap = 0, i, j;
	wd_hmap ix = WD_HMAP_INIT;
	uint32_t k;

	wd_buf_puts(out, "## Mitigations\n\n");
	/* distinct mitigations, each with the threats it breaks, in one pass */
	for (i = 0; i < tm->nthreats; i++) {
		const wd_tm_threat *t = &tm->threats[i];
		for (j = 0; j < t->nmitigations; j++) {
			const char *m = t->mitigations[j];
			uint64_t h = wd_hash64(m, strlen(m), 0);
			size_t slot = WD_HMAP_START;
			uint32_t x;
			while ((x = wd_hmap_next(&ix, h, &slot)) != UINT32_MAX)
				if (strcmp(ms[x].text, m) == 0)
					break;
			if (x == UINT32_MAX) {
				if (wd_grow((void **)&ms, &cap, nms + 1, sizeof(*ms)) != WD_OK ||
				    wd_hmap_put(&ix, h, (uint32_t)nms) != WD_OK) {
					out->failed = 1;
					goto out;
				}
				memset(&ms[nms], 0, sizeof(*ms));
				ms[nms].text = m;
				x = (uint32_t)nms++;
			}
			if (ms[x].n && ms[x].threats[ms[x].n - 1] == i)
				continue; /* listed twice by one threat */
			if (ms[x].n < 8)
				ms[x].threats[ms[x].n++] = (uint32_t)i;
			else
				ms[x].more++;
		}
	}
	if (!nms)
		wd_buf_puts(out, "None proposed.\n");
	for (i = 0; i < nms; i++) {
		wd_buf_puts(out, "- ");
		md(out, ms[i].text);
		for (k = 0; k < ms[i].n; k++) {
			wd_buf_puts(out, k ? ", " : " (breaks ");
			md(out, tm->threats[ms[i].threats[k]].id);
		}
		if (ms[i].more)
			wd_buf_printf(out, " and %u more", ms[i].more);
		wd_buf_puts(out, ms[i].n ? ")\n" : "\n");
	}
	wd_buf_putc(out, '\n');
out:
	free(ms);
	wd_hmap_release(&ix);
}

static void residual(wd_buf *out, const wd_tm *tm)
{
	size_t now[5] = {0}, after[5] = {0}, accepted = 0, i;
	int s;

	for (i = 0; i < tm->nthreats; i++) {
		const wd_tm_threat *t = &tm->threats[i];
		if ((unsigned)t->severity > WD_SEV_CRITICAL || (unsigned)t->residual > WD_SEV_CRITICAL)
			continue;
		if (t->status == WD_TM_FALSE_POSITIVE)
			continue;
		if (tm_threat_is_open(t) || t->status == WD_TM_ACCEPTED)
			now[t->severity]++;
		if (t->status == WD_TM_ACCEPTED && !t->reopened)
			accepted++;
		if (t->status != WD_TM_TRANSFERRED)
			after[t->residual]++;
	}
	wd_buf_puts(out, "## Residual risk\n\n| | Critical | High | Medium | Low | Info |\n"
	                 "|---|---|---|---|---|---|\n| As things stand (open and accepted) |");
	for (s = WD_SEV_CRITICAL; s >= WD_SEV_INFO; s--)
		wd_buf_printf(out, " %zu |", now[s]);
	wd_buf_puts(out, "\n| Once every listed mitigation is in place |");
	for (s = WD_SEV_CRITICAL; s >= WD_SEV_INFO; s--)
		wd_buf_printf(out, " %zu |", after[s]);
	wd_buf_printf(out, "\n\nAccepted risks still count as risk (%zu accepted); mitigated, "
	                   "transferred and false-positive threats do not.\n\n", accepted);
}

static void issues(wd_buf *out, const wd_tm *tm)
{
	size_t i;

	wd_buf_puts(out, "## Annotation issues\n\n");
	if (!tm->nissues) {
		wd_buf_puts(out, "None.\n");
		return;
	}
	wd_buf_puts(out, "| Kind | Threat | Message | Source |\n|---|---|---|---|\n");
	for (i = 0; i < tm->nissues; i++) {
		const wd_tm_issue *x = &tm->issues[i];
		wd_buf_puts(out, "| ");
		md(out, x->kind);
		wd_buf_puts(out, " | ");
		md_or_dash(out, x->threat_id);
		wd_buf_puts(out, " | ");
		md(out, x->message);
		wd_buf_puts(out, " | ");
		md_or_dash(out, x->source);
		wd_buf_puts(out, " |\n");
	}
}

void wd_tm_write_md(const wd_tm *tm, wd_buf *out)
{
	wd_buf_puts(out, "# Threat model: ");
	md(out, tm->app_name);
	wd_buf_puts(out, "\n\nDerived by Warden from the export each time it runs: do not edit this "
	                 "document. Record decisions (status, justification, owner, review date) "
	                 "and assumptions in the annotations file instead; see docs/model.md.\n\n");
	scope(out, tm);
	diagram(out, tm);
	entry_points(out, tm);
	boundaries(out, tm);
	inventory(out, tm);
	threats(out, tm);
	assumptions(out, tm);
	mitigations(out, tm);
	residual(out, tm);
	issues(out, tm);
}
