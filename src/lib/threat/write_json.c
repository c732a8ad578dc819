/*
 * threat/write_json.c - the threat model as a versioned JSON document
 * (docs/model.md "JSON"). One element, flow or threat per line, in model
 * order, so that two runs diff line by line. Every string goes through
 * wd_json_write_str.
 */
#include <stdlib.h>
#include <string.h>

#include "threat/tm_internal.h"

#define TM_JSON_VERSION "1"

static void str(wd_buf *out, const char *s)
{
	wd_json_write_cstr(out, s ? s : "");
}

static void str_or_null(wd_buf *out, const char *s)
{
	if (s)
		wd_json_write_cstr(out, s);
	else
		wd_buf_puts(out, "null");
}

static void flag_list(wd_buf *out, uint32_t flags, const char *const *names, size_t n)
{
	size_t i;
	int first = 1;

	wd_buf_putc(out, '[');
	for (i = 0; i < n; i++) {
		if (!(flags & (1u << i)))
			continue;
		if (!first)
			wd_buf_putc(out, ',');
		wd_buf_printf(out, "\"%s\"", names[i]);
		first = 0;
	}
	wd_buf_putc(out, ']');
}

static void class_list(wd_buf *out, uint32_t classes)
{
	int c, first = 1;

	wd_buf_putc(out, '[');
	for (c = WD_CLASS_PUBLIC; c <= WD_CLASS_SECRET; c++) {
		if (!(classes & (1u << c)))
			continue;
		if (!first)
			wd_buf_putc(out, ',');
		wd_buf_printf(out, "\"%s\"", wd_class_name((wd_class)c));
		first = 0;
	}
	wd_buf_putc(out, ']');
}

static const char *const element_flags[] = {"entry", "public", "human", "internet", "service",
                                            "code", "ai", "sensitive", "disabled", "history"};
static const char *const flow_flags[] = {"crosses", "sensitive", "untrusted", "cleartext",
                                         "error"};

static const char *zone_name(int kind)
{
	return wd_zone_kind_name((wd_zone_kind)kind);
}

static void element_json(wd_buf *out, const wd_tm *tm, const wd_tm_element *e)
{
	wd_buf_puts(out, "{\"id\":");
	str(out, e->id);
	wd_buf_printf(out, ",\"kind\":\"%s\",\"name\":", tm_kind_name(e->kind));
	str(out, e->name);
	wd_buf_puts(out, ",\"type\":");
	str(out, e->type);
	wd_buf_puts(out, ",\"role\":");
	str(out, e->role);
	wd_buf_puts(out, ",\"boundary\":");
	str(out, e->boundary < tm->nboundaries ? tm->boundaries[e->boundary].id : "");
	wd_buf_puts(out, ",\"component_id\":");
	if (e->kind == WD_TM_PROCESS)
		str(out, e->comp_id);
	else
		wd_buf_puts(out, "null");
	wd_buf_puts(out, ",\"flags\":");
	flag_list(out, e->flags, element_flags, sizeof(element_flags) / sizeof(*element_flags));
	wd_buf_puts(out, ",\"classes\":");
	class_list(out, e->classes);
	wd_buf_putc(out, '}');
}

static void flow_json(wd_buf *out, const wd_tm *tm, const wd_tm_flow *f)
{
	size_t i, n = f->nfields;
	unsigned long more = 0;

	if (n && strncmp(f->fields[n - 1], "(+", 2) == 0) {
		more = strtoul(f->fields[n - 1] + 2, NULL, 10);
		n--;
	}
	wd_buf_puts(out, "{\"id\":");
	str(out, f->id);
	wd_buf_puts(out, ",\"from\":");
	str(out, f->from < tm->nelements ? tm->elements[f->from].id : "");
	wd_buf_puts(out, ",\"to\":");
	str(out, f->to < tm->nelements ? tm->elements[f->to].id : "");
	wd_buf_puts(out, ",\"label\":");
	str(out, f->label);
	wd_buf_puts(out, ",\"fields\":[");
	for (i = 0; i < n; i++) {
		wd_class c = f->field_classes ? (wd_class)f->field_classes[i] : WD_CLASS_NONE;
		if (i)
			wd_buf_putc(out, ',');
		wd_buf_puts(out, "{\"name\":");
		str(out, f->fields[i]);
		wd_buf_printf(out, ",\"class\":\"%s\"}", wd_class_name(c));
	}
	wd_buf_printf(out, "],\"fields_more\":%lu,\"classes\":", more);
	class_list(out, f->classes);
	wd_buf_puts(out, ",\"flags\":");
	flag_list(out, f->flags, flow_flags, sizeof(flow_flags) / sizeof(*flow_flags));
	wd_buf_putc(out, '}');
}

static void threat_json(wd_buf *out, const wd_tm *tm, const wd_tm_threat *t)
{
	size_t i;

	wd_buf_puts(out, "{\"id\":");
	str(out, t->id);
	wd_buf_puts(out, ",\"rule\":");
	str(out, t->rule);
	wd_buf_puts(out, ",\"stride\":");
	str(out, t->stride);
	wd_buf_puts(out, ",\"lcnc\":");
	str(out, t->lcnc);
	wd_buf_puts(out, ",\"linddun\":");
	str_or_null(out, t->linddun);
	wd_buf_puts(out, ",\"title\":");
	str(out, t->title);
	wd_buf_puts(out, ",\"scenario\":");
	str(out, t->scenario);
	wd_buf_puts(out, ",\"path\":[");
	for (i = 0; i < t->npath; i++) {
		if (i)
			wd_buf_putc(out, ',');
		str(out, t->path[i] < tm->nelements ? tm->elements[t->path[i]].id : "");
	}
	wd_buf_puts(out, "],\"mitigations\":[");
	for (i = 0; i < t->nmitigations; i++) {
		if (i)
			wd_buf_putc(out, ',');
		str(out, t->mitigations[i]);
	}
	wd_buf_printf(out, "],\"severity\":\"%s\",\"residual\":\"%s\",\"status\":\"%s\"",
	              wd_severity_name(t->severity), wd_severity_name(t->residual),
	              wd_tm_status_name(t->status));
	wd_buf_puts(out, ",\"justification\":");
	str_or_null(out, t->justification);
	wd_buf_puts(out, ",\"owner\":");
	str_or_null(out, t->owner);
	wd_buf_puts(out, ",\"review_by\":");
	if (t->review_by >= 0) {
		char d[11];
		tm_date(t->review_by, d);
		wd_buf_printf(out, "\"%s\"", d);
	} else {
		wd_buf_puts(out, "null");
	}
	wd_buf_printf(out, ",\"reopened\":%s}", t->reopened ? "true" : "false");
}

void wd_tm_write_json(const wd_tm *tm, wd_buf *out)
{
	size_t i, counts[3] = {0, 0, 0}, open = 0;

	for (i = 0; i < tm->nelements; i++)
		if ((unsigned)tm->elements[i].kind < 3)
			counts[tm->elements[i].kind]++;
	for (i = 0; i < tm->nthreats; i++)
		open += (size_t)tm_threat_is_open(&tm->threats[i]);
	wd_buf_printf(out, "{\n\"version\":\"%s\",\n\"platform\":", TM_JSON_VERSION);
	str(out, tm->platform);
	wd_buf_puts(out, ",\n\"app\":{\"id\":");
	str(out, tm->app_id);
	wd_buf_puts(out, ",\"name\":");
	str(out, tm->app_name);
	wd_buf_puts(out, "},\n\"file\":");
	str(out, tm->file);
	wd_buf_puts(out, ",\n\"hash\":");
	str(out, tm->hash);
	wd_buf_printf(out,
	              ",\n\"summary\":{\"processes\":%zu,\"externals\":%zu,\"stores\":%zu,"
	              "\"flows\":%zu,\"boundaries\":%zu,\"threats\":%zu,\"open_threats\":%zu},",
	              counts[WD_TM_PROCESS], counts[WD_TM_EXTERNAL], counts[WD_TM_STORE],
	              tm->nflows, tm->nboundaries, tm->nthreats, open);
	wd_buf_puts(out, "\n\"boundaries\":[");
	for (i = 0; i < tm->nboundaries; i++) {
		wd_buf_puts(out, i ? ",\n" : "\n");
		wd_buf_puts(out, "{\"id\":");
		str(out, tm->boundaries[i].id);
		wd_buf_printf(out, ",\"kind\":\"%s\",\"name\":", zone_name(tm->boundaries[i].kind));
		str(out, tm->boundaries[i].name);
		wd_buf_putc(out, '}');
	}
	wd_buf_puts(out, "],\n\"elements\":[");
	for (i = 0; i < tm->nelements; i++) {
		wd_buf_puts(out, i ? ",\n" : "\n");
		element_json(out, tm, &tm->elements[i]);
	}
	wd_buf_puts(out, "],\n\"flows\":[");
	for (i = 0; i < tm->nflows; i++) {
		wd_buf_puts(out, i ? ",\n" : "\n");
		flow_json(out, tm, &tm->flows[i]);
	}
	wd_buf_puts(out, "],\n\"threats\":[");
	for (i = 0; i < tm->nthreats; i++) {
		wd_buf_puts(out, i ? ",\n" : "\n");
		threat_json(out, tm, &tm->threats[i]);
	}
	wd_buf_puts(out, "],\n\"assumptions\":[");
	for (i = 0; i < tm->nassumptions; i++) {
		wd_buf_puts(out, i ? ",\n" : "\n");
		str(out, tm->assumptions[i]);
	}
	wd_buf_puts(out, "],\n\"issues\":[");
	for (i = 0; i < tm->nissues; i++) {
		const wd_tm_issue *x = &tm->issues[i];
		wd_buf_puts(out, i ? ",\n" : "\n");
		wd_buf_puts(out, "{\"kind\":");
		str(out, x->kind);
		wd_buf_puts(out, ",\"threat\":");
		str_or_null(out, x->threat_id);
		wd_buf_puts(out, ",\"message\":");
		str(out, x->message);
		wd_buf_puts(out, ",\"source\":");
		str(out, x->source);
		wd_buf_putc(out, '}');
	}
	wd_buf_puts(out, "]\n}\n");
}
