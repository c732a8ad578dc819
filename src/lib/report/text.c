/*
 * report/text.c - the human report: findings grouped by app or by owner.
 *
 * Layout per group: a header (app: platform, file, owner; owner: "owner
 * (team)"), then one block per finding: "SEVERITY  RULE  file:line:col" /
 * message / title, category, CWE, evidence / risk and business impact when
 * scored. Suppressed findings are counted but listed only when asked.
 * Colour only when asked (the CLI asks only on a terminal). Input-derived
 * text is sanitised: control characters would let a node name forge lines
 * or terminal escapes. Without risk, owner, suppression or baseline data the
 * finding blocks are exactly those of JSON 1.1-era reports.
 */
#include <stdlib.h>
#include <string.h>

#include "report/common.h"

void wd_report_put_safe(wd_buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	while (*p) {
		if (*p < 0x20 || *p == 0x7f) {
			wd_buf_putc(out, '?');
			p++;
		} else if (*p < 0x80) {
			wd_buf_putc(out, (char)*p);
			p++;
		} else {
			/* copy a valid UTF-8 sequence, else '?' */
			size_t n = (*p >= 0xF0) ? 4 : (*p >= 0xE0) ? 3 : (*p >= 0xC2) ? 2 : 0, i;
			for (i = 1; i < n; i++)
				if ((p[i] & 0xC0) != 0x80)
					break;
			if (n && i == n && !(*p == 0xC2 && p[1] >= 0x80 && p[1] < 0xA0)) {
				wd_buf_put(out, p, n);
				p += n;
			} else {
				wd_buf_putc(out, '?');
				p++;
			}
		}
	}
}

static const char *sev_color(wd_severity s)
{
	switch (s) {
	case WD_SEV_CRITICAL: return "\033[1;35m";
	case WD_SEV_HIGH: return "\033[1;31m";
	case WD_SEV_MEDIUM: return "\033[33m";
	case WD_SEV_LOW: return "\033[36m";
	default: return "\033[2m";
	}
}

static void upper(wd_buf *out, const char *s, int width)
{
	int n = 0;

	for (; *s; s++, n++)
		wd_buf_putc(out, (*s >= 'a' && *s <= 'z') ? (char)(*s - 32) : *s);
	for (; n < width; n++)
		wd_buf_putc(out, ' ');
}

static int same_app(const wd_result_finding *a, const wd_result_finding *b)
{
	return strcmp(a->app_file, b->app_file) == 0 && strcmp(a->app_name, b->app_name) == 0 &&
	       strcmp(a->app_id, b->app_id) == 0;
}

static int same_owner(const wd_owner *a, const wd_owner *b)
{
	if (!a->owner || !b->owner)
		return !a->owner && !b->owner;
	return strcmp(a->owner, b->owner) == 0 &&
	       strcmp(a->team ? a->team : "", b->team ? b->team : "") == 0;
}

static void owner_label(wd_buf *out, const wd_owner *o)
{
	if (!o->owner) {
		wd_buf_puts(out, "unowned");
		return;
	}
	wd_report_put_safe(out, o->owner);
	if (o->team && o->team[0]) {
		wd_buf_puts(out, " (");
		wd_report_put_safe(out, o->team);
		wd_buf_putc(out, ')');
	}
}

typedef struct style {
	const char *bold, *dim, *reset;
	int color;
} style;

static void finding_block(wd_buf *out, const wd_scan_result *r, const wd_result_finding *f,
                          const wd_owner *group_owner, int show_app, const style *st)
{
	wd_buf_puts(out, "  ");
	if (st->color)
		wd_buf_puts(out, sev_color(f->severity));
	upper(out, wd_severity_name(f->severity), 9);
	wd_buf_puts(out, st->reset);
	wd_buf_printf(out, "%s  ", f->rule->id);
	wd_report_put_safe(out, f->file);
	if (f->line)
		wd_buf_printf(out, ":%u:%u", f->line, f->column);
	if (r->has_baseline && f->is_new == 1)
		wd_buf_printf(out, "  %sNEW%s", st->bold, st->reset);
	if (f->status == WD_FINDING_SUPPRESSED)
		wd_buf_puts(out, "  (suppressed)");
	wd_buf_puts(out, "\n           ");
	wd_report_put_safe(out, f->message);
	wd_buf_putc(out, '\n');
	if (show_app) {
		wd_buf_puts(out, "           in ");
		if (f->app_name[0])
			wd_report_put_safe(out, f->app_name);
		else
			wd_buf_puts(out, "(whole file)");
		wd_buf_printf(out, " %s(%s · ", st->dim, f->platform);
		wd_report_put_safe(out, f->app_file);
		wd_buf_printf(out, ")%s\n", st->reset);
	}
	wd_buf_printf(out, "           %s%s · %s", st->dim, f->rule->title, f->rule->category);
	if (f->rule->cwe)
		wd_buf_printf(out, " · CWE-%d", f->rule->cwe);
	if (f->evidence[0]) {
		wd_buf_puts(out, " · evidence: ");
		wd_report_put_safe(out, f->evidence);
	}
	wd_buf_printf(out, "%s\n", st->reset);
	if (f->risk.scored) {
		wd_buf_puts(out, "           risk ");
		if (st->color)
			wd_buf_puts(out, sev_color(f->risk.level));
		upper(out, wd_severity_name(f->risk.level), 0);
		wd_buf_printf(out, "%s (likelihood %s, impact %s)", st->reset,
		              wd_risk_likelihood_name(f->risk.likelihood),
		              wd_risk_impact_name(f->risk.impact));
		if (f->risk.impact_sentence && f->risk.impact_sentence[0]) {
			wd_buf_puts(out, ": ");
			wd_report_put_safe(out, f->risk.impact_sentence);
		}
		wd_buf_putc(out, '\n');
	}
	{
		wd_buf loss;
		wd_buf_init(&loss, 4096);
		if (wd_report_loss(&loss, &f->risk)) {
			wd_buf_puts(out, "           ");
			wd_report_put_safe(out, wd_buf_cstr(&loss));
			if (f->risk.loss_assumptions && f->risk.loss_assumptions[0]) {
				wd_buf_puts(out, ". ");
				wd_report_put_safe(out, f->risk.loss_assumptions);
			}
			wd_buf_putc(out, '\n');
		}
		wd_buf_release(&loss);
	}
	if (r->has_owners && group_owner && !same_owner(group_owner, &f->owner)) {
		wd_buf_puts(out, "           owner: ");
		owner_label(out, &f->owner);
		wd_buf_putc(out, '\n');
	}
	if (f->status == WD_FINDING_SUPPRESSED) {
		const wd_suppression *sp = f->suppression;
		wd_buf_puts(out, "           suppressed: ");
		wd_report_put_safe(out, sp && sp->justification ? sp->justification : "");
		if (sp && sp->approver && sp->approver[0]) {
			wd_buf_puts(out, " · approved by ");
			wd_report_put_safe(out, sp->approver);
		}
		if (sp && sp->expires >= 0) {
			char date[WD_REPORT_DATE_MAX];
			wd_report_date(sp->expires, date);
			wd_buf_printf(out, " · until %s", date);
		}
		if (sp && sp->source && sp->source[0]) {
			wd_buf_puts(out, " · ");
			wd_report_put_safe(out, sp->source);
		}
		wd_buf_putc(out, '\n');
	}
}

static void app_header(wd_buf *out, const wd_scan_result *r, const wd_result_finding *f,
                       const wd_result_app *a, int first, const style *st)
{
	wd_buf_printf(out, "%s%s", first ? "" : "\n", st->bold);
	if (f->app_name[0])
		wd_report_put_safe(out, f->app_name);
	else
		wd_buf_puts(out, "(whole file)");
	wd_buf_printf(out, "%s  %s%s · ", st->reset, st->dim, f->platform);
	wd_report_put_safe(out, f->app_file);
	if (a && a->environment && a->environment[0]) {
		wd_buf_puts(out, " · ");
		wd_report_put_safe(out, a->environment);
	}
	if (a && r->has_owners) {
		wd_buf_puts(out, " · owner: ");
		owner_label(out, &a->owner);
		/* unowned: what the export itself says about who made it */
		if (!a->owner.owner && a->owner_hint && a->owner_hint[0]) {
			wd_buf_puts(out, " (export names ");
			wd_report_put_safe(out, a->owner_hint);
			wd_buf_putc(out, ')');
		}
	}
	wd_buf_printf(out, "%s\n", st->reset);
}

static int shown(const wd_result_finding *f, const wd_text_opts *opts)
{
	return f->status == WD_FINDING_OPEN || opts->show_suppressed;
}

static void by_app(wd_buf *out, const wd_scan_result *r, const wd_report_view *v,
                   const wd_text_opts *opts, const style *st)
{
	const wd_result_finding *prev = NULL;
	size_t i;

	for (i = 0; i < r->nfindings; i++) {
		const wd_result_finding *f = &r->findings[i];
		const wd_result_app *a = v->app_of[i] < r->napps ? &r->apps[v->app_of[i]] : NULL;
		if (!shown(f, opts))
			continue;
		if (!prev || !same_app(f, prev))
			app_header(out, r, f, a, prev == NULL, st);
		finding_block(out, r, f, a ? &a->owner : &f->owner, 0, st);
		prev = f;
	}
}

typedef struct owner_ref {
	const wd_owner *o;
	size_t first;   /* first finding: ties keep result order */
} owner_ref;

static int cmp_owner(const void *a, const void *b)
{
	const owner_ref *x = a, *y = b;
	int c;

	if (!x->o->owner || !y->o->owner) {
		if (x->o->owner || y->o->owner)
			return x->o->owner ? -1 : 1;
		return 0;
	}
	if ((c = strcmp(x->o->owner, y->o->owner)) != 0)
		return c;
	if ((c = strcmp(x->o->team ? x->o->team : "", y->o->team ? y->o->team : "")) != 0)
		return c;
	return x->first < y->first ? -1 : x->first > y->first;
}

static void by_owner(wd_buf *out, const wd_scan_result *r, const wd_text_opts *opts,
                     const style *st)
{
	owner_ref *groups = malloc((r->nfindings + 1) * sizeof(*groups));
	size_t ng = 0, i, g;

	if (!groups) {
		out->failed = 1;
		return;
	}
	/* distinct owners; quadratic only in the number of owners */
	for (i = 0; i < r->nfindings; i++) {
		const wd_result_finding *f = &r->findings[i];
		if (!shown(f, opts))
			continue;
		for (g = 0; g < ng; g++)
			if (same_owner(groups[g].o, &f->owner))
				break;
		if (g == ng) {
			groups[ng].o = &f->owner;
			groups[ng++].first = i;
		}
	}
	qsort(groups, ng, sizeof(*groups), cmp_owner);
	for (g = 0; g < ng; g++) {
		wd_buf_printf(out, "%s%s", g ? "\n" : "", st->bold);
		owner_label(out, groups[g].o);
		if (groups[g].o->owner && groups[g].o->escalation && groups[g].o->escalation[0]) {
			wd_buf_printf(out, "%s  %sescalation: ", st->reset, st->dim);
			wd_report_put_safe(out, groups[g].o->escalation);
		}
		wd_buf_printf(out, "%s\n", st->reset);
		for (i = groups[g].first; i < r->nfindings; i++) {
			const wd_result_finding *f = &r->findings[i];
			if (shown(f, opts) && same_owner(groups[g].o, &f->owner))
				finding_block(out, r, f, groups[g].o, 1, st);
		}
	}
	free(groups);
}

void wd_report_text(const wd_scan_result *r, const wd_text_opts *opts, wd_buf *out)
{
	static const wd_text_opts defaults = {0, WD_GROUP_APP, 0};
	style st = {"", "", "", 0};
	wd_report_view v;
	size_t i, listed = 0;

	if (!opts)
		opts = &defaults;
	if (opts->color) {
		st.bold = "\033[1m";
		st.dim = "\033[2m";
		st.reset = "\033[0m";
		st.color = 1;
	}
	if (wd_report_view_init(&v, r) != WD_OK) {
		out->failed = 1;
		return;
	}
	for (i = 0; i < r->nfindings; i++)
		listed += (size_t)shown(&r->findings[i], opts);
	if (opts->group_by == WD_GROUP_OWNER)
		by_owner(out, r, opts, &st);
	else
		by_app(out, r, &v, opts, &st);
	if (r->nerrors) {
		wd_buf_printf(out, "%s%sErrors%s\n", listed ? "\n" : "", st.bold, st.reset);
		for (i = 0; i < r->nerrors; i++) {
			const wd_result_error *e = &r->errors[i];
			wd_buf_puts(out, "  ");
			wd_report_put_safe(out, e->file);
			if (e->line)
				wd_buf_printf(out, ":%u:%u", e->line, e->column);
			wd_buf_puts(out, ": ");
			wd_report_put_safe(out, e->message);
			wd_buf_putc(out, '\n');
		}
	}
	wd_buf_printf(out, "%s%s%zu finding%s%s", (listed || r->nerrors) ? "\n" : "", st.bold,
	              v.open, v.open == 1 ? "" : "s", st.reset);
	if (v.open)
		wd_buf_printf(out, " (%zu critical, %zu high, %zu medium, %zu low, %zu info)",
		              v.open_sev[WD_SEV_CRITICAL], v.open_sev[WD_SEV_HIGH],
		              v.open_sev[WD_SEV_MEDIUM], v.open_sev[WD_SEV_LOW],
		              v.open_sev[WD_SEV_INFO]);
	wd_buf_printf(out, " in %zu app%s from %llu export%s", r->napps, r->napps == 1 ? "" : "s",
	              (unsigned long long)r->imported, r->imported == 1 ? "" : "s");
	if (v.suppressed)
		wd_buf_printf(out, "; %zu suppressed%s", v.suppressed,
		              opts->show_suppressed ? "" : " (not listed)");
	if (r->nskips)
		wd_buf_printf(out, "; %zu JSON file%s skipped (not an export)", r->nskips,
		              r->nskips == 1 ? "" : "s");
	if (r->companions)
		wd_buf_printf(out, "; %llu companion file%s", (unsigned long long)r->companions,
		              r->companions == 1 ? "" : "s");
	if (r->nerrors)
		wd_buf_printf(out, "; %zu input%s could not be read", r->nerrors,
		              r->nerrors == 1 ? "" : "s");
	wd_buf_puts(out, "\n");
	if (r->has_baseline)
		wd_buf_printf(out, "baseline: %zu new, %zu unchanged, %zu fixed\n", v.fresh,
		              v.unchanged, r->baseline_fixed);
	if (r->has_policy) {
		wd_buf_puts(out, "policy: ");
		wd_report_put_safe(out, r->policy_names && r->policy_names[0] ? r->policy_names
		                                                               : "(unnamed)");
	} else {
		wd_buf_puts(out, "policy: none (built-in rules only)");
	}
	if (r->has_owners) {
		size_t unowned = 0;
		for (i = 0; i < r->napps; i++)
			unowned += !r->apps[i].owner.owner;
		wd_buf_printf(out, "; ownership checked: %zu of %zu app%s unowned\n", unowned, r->napps,
		              r->napps == 1 ? "" : "s");
	} else {
		wd_buf_puts(out, "; ownership not checked: no owners file\n");
	}
	wd_report_view_release(&v);
}
