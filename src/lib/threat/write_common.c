/*
 * threat/write_common.c - what the threat-model writers share: element
 * lookup by id, which elements have open threats, dates, class lists and
 * diagram edge captions. Raw text only; each writer escapes for its format.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "threat/tm_internal.h"

wd_status tm_index_build(tm_index *ix, const wd_tm *tm)
{
	size_t i;

	ix->h = (wd_hmap)WD_HMAP_INIT;
	ix->tm = tm;
	for (i = 0; i < tm->nelements; i++) {
		const char *id = tm->elements[i].id;
		if (wd_hmap_put(&ix->h, wd_hash64(id, strlen(id), 0), (uint32_t)i) != WD_OK) {
			wd_hmap_release(&ix->h);
			return WD_ENOMEM;
		}
	}
	return WD_OK;
}

uint32_t tm_index_find(const tm_index *ix, const char *id, size_t len)
{
	size_t slot = WD_HMAP_START;
	uint32_t i;

	while ((i = wd_hmap_next(&ix->h, wd_hash64(id, len, 0), &slot)) != UINT32_MAX) {
		const char *e = ix->tm->elements[i].id;
		if (strncmp(e, id, len) == 0 && e[len] == '\0')
			return i;
	}
	return WD_NONE;
}

void tm_index_release(tm_index *ix)
{
	wd_hmap_release(&ix->h);
}

int tm_threat_is_open(const wd_tm_threat *t)
{
	return t->status == WD_TM_OPEN || t->reopened;
}

static void raise_sev(int8_t *sev, uint32_t e, wd_severity s)
{
	if ((int)s > sev[e])
		sev[e] = (int8_t)s;
}

wd_status tm_open_severity(const wd_tm *tm, int8_t *sev)
{
	tm_index ix;
	size_t i;

	for (i = 0; i < tm->nelements; i++)
		sev[i] = -1;
	if (!tm->nthreats)
		return WD_OK;
	if (tm_index_build(&ix, tm) != WD_OK)
		return WD_ENOMEM;
	for (i = 0; i < tm->nthreats; i++) {
		const wd_tm_threat *t = &tm->threats[i];
		const char *at = t->id ? strchr(t->id, '@') : NULL;
		int found = 0;
		if (!tm_threat_is_open(t))
			continue;
		/* every element the id names ("rule@source@sink"): both ends of a
		 * path threat are where it can be broken */
		while (at) {
			const char *end = strchr(at + 1, '@');
			size_t len = end ? (size_t)(end - at - 1) : strlen(at + 1);
			uint32_t e = tm_index_find(&ix, at + 1, len);
			if (e != WD_NONE) {
				raise_sev(sev, e, t->severity);
				found = 1;
			}
			at = end;
		}
		if (!found && t->npath && t->path[t->npath - 1] < tm->nelements)
			raise_sev(sev, t->path[t->npath - 1], t->severity);
	}
	tm_index_release(&ix);
	return WD_OK;
}

void tm_date(int32_t days, char out[11])
{
	/* civil date from days since 1970-01-01 (H. Hinnant's algorithm) */
	int64_t z = (int64_t)days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t dd = doy - (153 * mp + 2) / 5 + 1;
	int64_t mm = mp < 10 ? mp + 3 : mp - 9;

	if (mm <= 2)
		y++;
	if (y < 0 || y > 9999) {
		memcpy(out, "0000-00-00", 11);
		return;
	}
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + mm / 10);
	out[6] = (char)('0' + mm % 10);
	out[7] = '-';
	out[8] = (char)('0' + dd / 10);
	out[9] = (char)('0' + dd % 10);
	out[10] = '\0';
}

void tm_put_classes(wd_buf *out, uint32_t classes, const char *sep)
{
	int c, first = 1;

	for (c = WD_CLASS_PUBLIC; c <= WD_CLASS_SECRET; c++) {
		if (!(classes & (1u << c)))
			continue;
		if (!first)
			wd_buf_puts(out, sep);
		wd_buf_puts(out, wd_class_name((wd_class)c));
		first = 0;
	}
}

static void put_esc(wd_buf *out, const char *s, tm_escape_fn esc)
{
	esc(out, s, strlen(s));
}

void tm_flow_caption(wd_buf *out, const wd_tm_flow *f, size_t max_fields, tm_escape_fn esc)
{
	size_t i, shown = 0, real = f->nfields, extra;
	wd_buf tail;

	put_esc(out, f->label ? f->label : "", esc);
	extra = 0;
	if (real && strncmp(f->fields[real - 1], "(+", 2) == 0) {
		/* the "(+N more)" marker */
		extra = (size_t)strtoul(f->fields[real - 1] + 2, NULL, 10);
		real--;
	}
	for (i = 0; i < real && shown < max_fields; i++, shown++) {
		put_esc(out, i == 0 ? ": " : ", ", esc);
		put_esc(out, f->fields[i], esc);
	}
	extra += real - shown;
	wd_buf_init(&tail, 0);
	if (extra)
		wd_buf_printf(&tail, " +%zu", extra);
	if (f->classes & TM_SENSITIVE_CLASSES) {
		wd_buf_puts(&tail, " [");
		tm_put_classes(&tail, f->classes & TM_SENSITIVE_CLASSES, ", ");
		wd_buf_putc(&tail, ']');
	}
	if (f->flags & WD_TMF_CLEARTEXT)
		wd_buf_puts(&tail, " (cleartext)");
	if (tail.len)
		esc(out, tail.data, tail.len);
	wd_buf_release(&tail);
}

/* Length of the valid UTF-8 sequence at s (1..4), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0))
			return 0;
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
		    (s[3] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90))
			return 0;
		return 4;
	}
	return 0;
}

void tm_put_clean(wd_buf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		size_t n = utf8_len(p + i, len - i);
		if (n == 0) {
			wd_buf_putc(out, '?');
			i++;
		} else if (n == 1 && (p[i] < 0x20 || p[i] == 0x7f)) {
			wd_buf_putc(out, ' ');
			i++;
		} else {
			wd_buf_put(out, p + i, n);
			i += n;
		}
	}
}

/* ---- diagram style ------------------------------------------------------------------- */

static void attr(tm_attrs *a, const char *name, const char *value)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (strcmp(a->name[i], name) == 0) {
			a->value[i] = value;
			return;
		}
	if (a->n < sizeof(a->name) / sizeof(*a->name)) {
		a->name[a->n] = name;
		a->value[a->n] = value;
		a->n++;
	}
}

static void style(tm_attrs *a, const char *s)
{
	size_t len = strlen(a->style), n = strlen(s);

	if (len + n + 2 > sizeof(a->style))
		return;
	if (len)
		a->style[len++] = ',';
	memcpy(a->style + len, s, n + 1);
}

static void finish_style(tm_attrs *a)
{
	if (a->style[0])
		attr(a, "style", a->style);
}

void tm_node_attrs(const wd_tm_element *e, int open_sev, tm_attrs *a)
{
	memset(a, 0, sizeof(*a));
	switch (e->kind) {
	case WD_TM_PROCESS:
		attr(a, "shape", "ellipse");
		break;
	case WD_TM_STORE:
		attr(a, "shape", "cylinder");
		break;
	default:
		attr(a, "shape", "box");
		if (e->flags & WD_TME_HUMAN)
			style(a, "rounded");
		if (e->flags & WD_TME_INTERNET) {
			attr(a, "color", "firebrick");
			attr(a, "fontcolor", "firebrick");
		}
		break;
	}
	if (e->flags & WD_TME_ENTRY) {
		attr(a, "peripheries", "2");
		style(a, "bold");
	}
	if (e->flags & WD_TME_PUBLIC)
		attr(a, "color", "darkorange");
	if (open_sev >= WD_SEV_HIGH) {
		style(a, "filled");
		attr(a, "fillcolor", "#f4cccc");
		attr(a, "color", "#cc0000");
	} else if (open_sev == WD_SEV_MEDIUM) {
		style(a, "filled");
		attr(a, "fillcolor", "#fff2cc");
		attr(a, "color", "#b8860b");
	} else if (open_sev >= 0) {
		style(a, "filled");
		attr(a, "fillcolor", "#e8f0fe");
	}
	if (e->flags & WD_TME_DISABLED) {
		style(a, "dashed");
		attr(a, "color", "grey50");
		attr(a, "fontcolor", "grey50");
	}
	finish_style(a);
}

void tm_edge_attrs(const wd_tm_flow *f, tm_attrs *a)
{
	int expr = f->label && strcmp(f->label, "reads output") == 0;

	memset(a, 0, sizeof(*a));
	if (f->flags & WD_TMF_ERROR) {
		style(a, "dotted");
		attr(a, "color", "grey40");
	} else if (expr) {
		style(a, "dashed");
		attr(a, "color", "grey50");
	}
	if (f->flags & WD_TMF_UNTRUSTED) {
		style(a, "bold");
		attr(a, "color", "darkorange");
		attr(a, "fontcolor", "darkorange3");
	}
	if (f->flags & WD_TMF_SENSITIVE) {
		attr(a, "color", "#cc0000");
		attr(a, "fontcolor", "#cc0000");
		attr(a, "penwidth", "2.5");
	}
	if (f->flags & WD_TMF_CLEARTEXT)
		attr(a, "arrowhead", "empty");
	finish_style(a);
}

void tm_cluster_attrs(int kind, tm_attrs *a)
{
	static const char *const colors[] = {"#1f4e79", "firebrick", "#7f6000", "#38761d",
	                                     "#674ea7"};
	const char *c = (unsigned)kind < 5 ? colors[kind] : "black";

	memset(a, 0, sizeof(*a));
	style(a, "dashed");
	style(a, "rounded");
	attr(a, "color", c);
	attr(a, "fontcolor", c);
	finish_style(a);
}

void tm_node_caption(wd_buf *out, const wd_tm_element *e, const char *newline,
                     tm_escape_fn esc)
{
	put_esc(out, e->name, esc);
	if (e->role && e->role[0] && strcasecmp(e->role, e->name) != 0) {
		wd_buf_puts(out, newline);
		put_esc(out, e->role, esc);
	}
	if (e->classes & TM_SENSITIVE_CLASSES) {
		wd_buf tail;
		wd_buf_init(&tail, 0);
		wd_buf_putc(&tail, '[');
		tm_put_classes(&tail, e->classes & TM_SENSITIVE_CLASSES, ", ");
		wd_buf_putc(&tail, ']');
		wd_buf_puts(out, newline);
		esc(out, tail.data, tail.len);
		wd_buf_release(&tail);
	}
}

wd_status tm_group_by_boundary(const wd_tm *tm, uint32_t *off, uint32_t *members)
{
	uint32_t *fill = malloc((tm->nboundaries + 1) * sizeof(uint32_t));
	size_t i;

	if (!fill)
		return WD_ENOMEM;
	for (i = 0; i < tm->nelements; i++)
		off[tm->elements[i].boundary + 1]++;
	for (i = 0; i < tm->nboundaries; i++)
		off[i + 1] += off[i];
	memcpy(fill, off, (tm->nboundaries + 1) * sizeof(uint32_t));
	for (i = 0; i < tm->nelements; i++)
		members[fill[tm->elements[i].boundary]++] = (uint32_t)i;
	free(fill);
	return WD_OK;
}
