/*
 * report/json.c - the versioned JSON result (schema in docs/schema/).
 *
 * Field order is fixed so outputs diff cleanly; every string goes through
 * wd_json_write_str. Bump WD_REPORT_JSON_VERSION's minor for added fields,
 * its major for removed or changed ones.
 */
#include <string.h>

#include "report/common.h"

static void key(wd_buf *out, const char *k)
{
	wd_json_write_cstr(out, k);
	wd_buf_putc(out, ':');
}

static void kv_str(wd_buf *out, const char *k, const char *v, int comma)
{
	key(out, k);
	if (v)
		wd_json_write_cstr(out, v);
	else
		wd_buf_puts(out, "null");
	if (comma)
		wd_buf_putc(out, ',');
}

static void kv_num(wd_buf *out, const char *k, unsigned long long v, int comma)
{
	key(out, k);
	wd_buf_printf(out, "%llu", v);
	if (comma)
		wd_buf_putc(out, ',');
}

static void owner_obj(wd_buf *out, const wd_owner *o)
{
	if (!o->owner) {
		wd_buf_puts(out, "null");
		return;
	}
	wd_buf_putc(out, '{');
	kv_str(out, "owner", o->owner, 1);
	kv_str(out, "team", o->team, 1);
	kv_str(out, "escalation", o->escalation, 1);
	kv_str(out, "source", o->source, 0);
	wd_buf_putc(out, '}');
}

static void level_or_null(wd_buf *out, int level)
{
	if (level < 0)
		wd_buf_puts(out, "null");
	else
		wd_json_write_cstr(out, wd_severity_name((wd_severity)level));
}

static void risk_obj(wd_buf *out, const wd_risk *k)
{
	size_t i;

	if (!k->scored) {
		wd_buf_puts(out, "null");
		return;
	}
	wd_buf_putc(out, '{');
	kv_str(out, "level", wd_severity_name(k->level), 1);
	kv_num(out, "likelihood", (unsigned long long)k->likelihood, 1);
	kv_str(out, "likelihood_name", wd_risk_likelihood_name(k->likelihood), 1);
	kv_num(out, "impact", (unsigned long long)k->impact, 1);
	kv_str(out, "impact_name", wd_risk_impact_name(k->impact), 1);
	wd_buf_puts(out, "\"factors\":[");
	for (i = 0; i < k->nfactors; i++) {
		const wd_risk_factor *x = &k->factors[i];
		wd_buf_puts(out, i ? ",{" : "{");
		kv_str(out, "side", x->side, 1);
		kv_str(out, "name", x->name, 1);
		kv_str(out, "value", x->value, 1);
		key(out, "score");
		wd_buf_printf(out, "%d}", x->score);
	}
	wd_buf_puts(out, "],");
	kv_str(out, "business_impact", k->impact_sentence, 1);
	key(out, "loss");
	if (k->loss_max > 0) {
		wd_buf_puts(out, "{\"min\":");
		wd_report_json_num(out, k->loss_min);
		wd_buf_puts(out, ",\"max\":");
		wd_report_json_num(out, k->loss_max);
		wd_buf_putc(out, ',');
		kv_str(out, "currency", k->currency, 1);
		kv_str(out, "assumptions", k->loss_assumptions, 0);
		wd_buf_puts(out, "}}");
	} else {
		wd_buf_puts(out, "null}");
	}
}

static void suppression_obj(wd_buf *out, const wd_result_finding *f)
{
	const wd_suppression *s = f->suppression;
	char date[WD_REPORT_DATE_MAX];

	if (f->status != WD_FINDING_SUPPRESSED) {
		wd_buf_puts(out, "null");
		return;
	}
	wd_buf_putc(out, '{');
	kv_str(out, "justification", s ? s->justification : NULL, 1);
	kv_str(out, "approver", s ? s->approver : NULL, 1);
	key(out, "expires");
	if (s && s->expires >= 0) {
		wd_report_date(s->expires, date);
		wd_json_write_cstr(out, date);
	} else {
		wd_buf_puts(out, "null");
	}
	wd_buf_putc(out, ',');
	kv_str(out, "source", s ? s->source : NULL, 0);
	wd_buf_putc(out, '}');
}

void wd_report_json(const wd_scan_result *r, wd_buf *out)
{
	size_t i, by_sev[5] = {0};
	wd_report_view v;

	if (wd_report_view_init(&v, r) != WD_OK) {
		out->failed = 1;
		return;
	}
	for (i = 0; i < r->nfindings; i++)
		by_sev[r->findings[i].severity]++;
	wd_buf_puts(out, "{\n");
	wd_buf_puts(out, "  ");
	kv_str(out, "version", WD_REPORT_JSON_VERSION, 1);
	wd_buf_puts(out, "\n  \"tool\":{");
	kv_str(out, "name", "warden", 1);
	kv_str(out, "version", WARDEN_VERSION, 0);
	wd_buf_puts(out, "},\n  \"summary\":{");
	kv_num(out, "files", r->files, 1);
	kv_num(out, "exports", r->imported, 1);
	kv_num(out, "skipped", r->nskips, 1);
	kv_num(out, "companions", r->companions, 1);
	kv_num(out, "errors", r->nerrors, 1);
	kv_num(out, "apps", r->napps, 1);
	kv_num(out, "components", r->components, 1);
	kv_num(out, "findings", r->nfindings, 1);
	kv_num(out, "open", v.open, 1);
	kv_num(out, "suppressed", v.suppressed, 1);
	wd_buf_puts(out, "\"by_severity\":{");
	kv_num(out, "critical", by_sev[WD_SEV_CRITICAL], 1);
	kv_num(out, "high", by_sev[WD_SEV_HIGH], 1);
	kv_num(out, "medium", by_sev[WD_SEV_MEDIUM], 1);
	kv_num(out, "low", by_sev[WD_SEV_LOW], 1);
	kv_num(out, "info", by_sev[WD_SEV_INFO], 0);
	wd_buf_puts(out, "}},\n  ");
	kv_str(out, "policy", r->has_policy ? (r->policy_names ? r->policy_names : "") : NULL, 1);
	key(out, "ownership_checked");
	wd_buf_puts(out, r->has_owners ? "true," : "false,");
	key(out, "baseline");
	if (r->has_baseline) {
		wd_buf_putc(out, '{');
		kv_num(out, "new", v.fresh, 1);
		kv_num(out, "unchanged", v.unchanged, 1);
		kv_num(out, "fixed", r->baseline_fixed, 0);
		wd_buf_putc(out, '}');
	} else {
		wd_buf_puts(out, "null");
	}
	wd_buf_puts(out, ",\n  \"apps\":[");
	for (i = 0; i < r->napps; i++) {
		const wd_result_app *a = &r->apps[i];
		wd_buf_puts(out, i ? ",\n    {" : "\n    {");
		kv_str(out, "name", a->name, 1);
		kv_str(out, "id", a->id, 1);
		kv_str(out, "platform", a->platform, 1);
		kv_str(out, "file", a->file, 1);
		kv_num(out, "components", a->components, 1);
		kv_num(out, "edges", a->edges, 1);
		key(out, "active");
		wd_buf_puts(out, a->active < 0 ? "null," : a->active ? "true," : "false,");
		kv_str(out, "hash", a->hash, 1);
		kv_str(out, "environment", a->environment ? a->environment : "", 1);
		kv_str(out, "owner_hint", a->owner_hint ? a->owner_hint : "", 1);
		key(out, "owner");
		owner_obj(out, &a->owner);
		wd_buf_putc(out, ',');
		key(out, "criticality");
		if (a->criticality >= 1 && a->criticality <= 4)
			wd_buf_printf(out, "%d,", a->criticality);
		else
			wd_buf_puts(out, "null,");
		kv_str(out, "criticality_source",
		       a->criticality >= 1 && a->criticality <= 4 ? a->criticality_source : NULL, 1);
		key(out, "risk");
		level_or_null(out, v.apps[i].level);
		wd_buf_putc(out, ',');
		key(out, "risk_score");
		wd_report_json_num(out, v.apps[i].score);
		wd_buf_putc(out, ',');
		kv_num(out, "open", v.apps[i].open, 1);
		kv_num(out, "suppressed", v.apps[i].suppressed, 0);
		wd_buf_putc(out, '}');
	}
	wd_buf_puts(out, r->napps ? "\n  ],\n  \"findings\":[" : "],\n  \"findings\":[");
	for (i = 0; i < r->nfindings; i++) {
		const wd_result_finding *f = &r->findings[i];
		wd_buf_puts(out, i ? ",\n    {" : "\n    {");
		kv_str(out, "rule", f->rule->id, 1);
		kv_str(out, "title", f->rule->title, 1);
		kv_str(out, "severity", wd_severity_name(f->severity), 1);
		kv_str(out, "category", f->rule->category, 1);
		kv_str(out, "category_name", f->rule->category_name, 1);
		key(out, "cwe");
		if (f->rule->cwe)
			wd_buf_printf(out, "\"CWE-%d\",", f->rule->cwe);
		else
			wd_buf_puts(out, "null,");
		kv_str(out, "stride", f->rule->stride, 1);
		kv_str(out, "fingerprint", f->fingerprint, 1);
		kv_str(out, "platform", f->platform, 1);
		wd_buf_puts(out, "\"app\":{");
		kv_str(out, "name", f->app_name, 1);
		kv_str(out, "id", f->app_id, 1);
		kv_str(out, "file", f->app_file, 0);
		wd_buf_puts(out, "},\"component\":");
		if (f->comp_id) {
			wd_buf_putc(out, '{');
			kv_str(out, "id", f->comp_id, 1);
			kv_str(out, "name", f->comp_name, 1);
			kv_str(out, "type", f->comp_type, 0);
			wd_buf_puts(out, "},");
		} else {
			wd_buf_puts(out, "null,");
		}
		wd_buf_puts(out, "\"location\":{");
		kv_str(out, "file", f->file, 1);
		kv_num(out, "line", f->line, 1);
		kv_num(out, "column", f->column, 1);
		kv_str(out, "pointer", f->pointer, 0);
		wd_buf_puts(out, "},");
		kv_str(out, "message", f->message, 1);
		kv_str(out, "evidence", f->evidence, 1);
		key(out, "confidence");
		if (f->confidence >= 0)
			wd_buf_printf(out, "%d,", f->confidence);
		else
			wd_buf_puts(out, "null,");
		kv_str(out, "remediation", wd_rule_fix(f->rule, wd_platform_parse(wd_str_c(f->platform))),
		       1);
		kv_str(out, "status", f->status == WD_FINDING_SUPPRESSED ? "suppressed" : "open", 1);
		key(out, "suppression");
		suppression_obj(out, f);
		wd_buf_putc(out, ',');
		key(out, "owner");
		owner_obj(out, &f->owner);
		wd_buf_putc(out, ',');
		key(out, "risk");
		risk_obj(out, &f->risk);
		if (r->has_baseline) {
			wd_buf_putc(out, ',');
			kv_str(out, "baseline", f->is_new == 1 ? "new" : "unchanged", 0);
		}
		wd_buf_putc(out, '}');
	}
	wd_buf_puts(out, r->nfindings ? "\n  ],\n  \"skipped\":[" : "],\n  \"skipped\":[");
	for (i = 0; i < r->nskips; i++) {
		wd_buf_puts(out, i ? ",\n    {" : "\n    {");
		kv_str(out, "file", r->skips[i].file, 1);
		kv_str(out, "reason", r->skips[i].reason, 0);
		wd_buf_putc(out, '}');
	}
	wd_buf_puts(out, r->nskips ? "\n  ],\n  \"errors\":[" : "],\n  \"errors\":[");
	for (i = 0; i < r->nerrors; i++) {
		const wd_result_error *e = &r->errors[i];
		wd_buf_puts(out, i ? ",\n    {" : "\n    {");
		kv_str(out, "file", e->file, 1);
		kv_num(out, "line", e->line, 1);
		kv_num(out, "column", e->column, 1);
		kv_str(out, "message", e->message, 0);
		wd_buf_putc(out, '}');
	}
	wd_buf_puts(out, r->nerrors ? "\n  ]\n}\n" : "]\n}\n");
	wd_report_view_release(&v);
}
