/*
 * report/sarif.c - SARIF 2.1.0 for GitHub code scanning and other viewers.
 *
 * One run. tool.driver.rules holds the rules that have findings, sorted by
 * id, so a rule's ruleIndex only changes when the set of rules found does
 * (GitHub keys alerts on ruleId and partialFingerprints, not on the index).
 * Each result carries the severity as level, the exact line and column
 * (columnKind unicodeCodePoints: Warden counts characters), the app and
 * component as logical locations, Warden's fingerprint (stable across
 * moves and reformatting) in partialFingerprints, risk and owner in its
 * property bag, suppressions for suppressed findings (GitHub then shows them
 * as dismissed) and baselineState when a baseline was applied.
 *
 * Artifact URIs are the paths as given, percent-encoded (RFC 3986) so that
 * spaces, '#', '?' or ':' in a file name cannot change what the URI means;
 * absolute paths become file:// URIs. Every string goes through
 * wd_json_write_str, Markdown help through wd_escape_md.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/common.h"
#include "warden/escape.h"

#define SARIF_SCHEMA                                                                               \
	"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

static void key(wd_buf *out, const char *k)
{
	wd_json_write_cstr(out, k);
	wd_buf_putc(out, ':');
}

static void kv_str(wd_buf *out, const char *k, const char *v)
{
	key(out, k);
	wd_json_write_cstr(out, v ? v : "");
}

/* {"text": s} */
static void text_obj(wd_buf *out, const char *k, const char *s)
{
	key(out, k);
	wd_buf_putc(out, '{');
	kv_str(out, "text", s);
	wd_buf_putc(out, '}');
}

static const char *level_of(wd_severity s)
{
	return s >= WD_SEV_HIGH ? "error" : s == WD_SEV_MEDIUM ? "warning" : "note";
}

/* GitHub's numeric severity (critical >= 9.0, high 7.0-8.9, medium 4.0-6.9, low < 4). */
static const char *security_severity(wd_severity s)
{
	static const char *v[] = {"1.0", "3.0", "5.5", "8.0", "9.5"};
	return v[s <= WD_SEV_CRITICAL ? s : WD_SEV_CRITICAL];
}

static const char *stride_name(char c)
{
	switch (c) {
	case 'S': return "spoofing";
	case 'T': return "tampering";
	case 'R': return "repudiation";
	case 'I': return "information-disclosure";
	case 'D': return "denial-of-service";
	case 'E': return "elevation-of-privilege";
	default: return NULL;
	}
}

/* RFC 3986: keep unreserved, sub-delims, '@' and '/'; encode the rest. */
static void uri(wd_buf *out, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)(path ? path : "");
	wd_buf u;

	wd_buf_init(&u, out->max);
	if (*p == '/')
		wd_buf_puts(&u, "file://");
	for (; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~!$&'()*+,;=@/", *p)) {
			wd_buf_putc(&u, (char)*p);
		} else {
			wd_buf_putc(&u, '%');
			wd_buf_putc(&u, hex[*p >> 4]);
			wd_buf_putc(&u, hex[*p & 15]);
		}
	}
	if (wd_buf_failed(&u))
		out->failed = 1;
	wd_json_write_cstr(out, wd_buf_cstr(&u));
	wd_buf_release(&u);
}

/* "Public entry point without authentication" -> "PublicEntryPointWithoutAuthentication" */
static void camel(wd_buf *out, const char *title)
{
	wd_buf n;
	int up = 1;

	wd_buf_init(&n, 1024);
	for (; *title; title++) {
		char c = *title;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
			wd_buf_putc(&n, up && c >= 'a' && c <= 'z' ? (char)(c - 32) : c);
			up = 0;
		} else if (c != '\'') {
			up = 1;
		}
	}
	wd_json_write_cstr(out, wd_buf_cstr(&n));
	wd_buf_release(&n);
}

static void md(wd_buf *out, const char *s)
{
	wd_escape_md(out, s ? s : "", s ? strlen(s) : 0);
}

static const struct {
	wd_platform p;
	const char *name;
} platforms[] = {
	{WD_PLATFORM_N8N, "n8n"},
	{WD_PLATFORM_NODERED, "Node-RED"},
	{WD_PLATFORM_POWER_AUTOMATE, "Power Automate / Logic Apps"},
	{WD_PLATFORM_MAKE, "Make"},
	{WD_PLATFORM_ZAPIER, "Zapier"},
};

static void rule_obj(wd_buf *out, const wd_rule *rule)
{
	wd_buf t, m;
	size_t i;
	const char *s;

	wd_buf_puts(out, "{");
	kv_str(out, "id", rule->id);
	wd_buf_putc(out, ',');
	key(out, "name");
	camel(out, rule->title);
	wd_buf_putc(out, ',');
	text_obj(out, "shortDescription", rule->title);
	wd_buf_putc(out, ',');
	text_obj(out, "fullDescription", rule->why);
	wd_buf_putc(out, ',');
	/* help: why, example, and the fix on every platform */
	wd_buf_init(&t, out->max);
	wd_buf_init(&m, out->max);
	wd_buf_printf(&t, "%s\n\nWhy it matters: %s\n", rule->title, rule->why);
	wd_buf_puts(&m, "**Why it matters.** ");
	md(&m, rule->why);
	wd_buf_puts(&m, "\n\n");
	if (rule->example) {
		wd_buf_printf(&t, "\nExample: %s\n", rule->example);
		wd_buf_puts(&m, "**Example.** ");
		md(&m, rule->example);
		wd_buf_puts(&m, "\n\n");
	}
	wd_buf_puts(&m, "**How to fix**\n\n");
	for (i = 0; i < sizeof(platforms) / sizeof(*platforms); i++) {
		s = wd_rule_fix(rule, platforms[i].p);
		wd_buf_printf(&t, "\nFix in %s: %s\n", platforms[i].name, s ? s : "");
		wd_buf_printf(&m, "- **%s:** ", platforms[i].name);
		md(&m, s);
		wd_buf_putc(&m, '\n');
	}
	if (wd_buf_failed(&t) || wd_buf_failed(&m))
		out->failed = 1;
	wd_buf_puts(out, "\"help\":{");
	kv_str(out, "text", wd_buf_cstr(&t));
	wd_buf_putc(out, ',');
	kv_str(out, "markdown", wd_buf_cstr(&m));
	wd_buf_puts(out, "},");
	wd_buf_release(&t);
	wd_buf_release(&m);
	wd_buf_puts(out, "\"defaultConfiguration\":{");
	kv_str(out, "level", level_of(rule->severity));
	wd_buf_puts(out, "},\"properties\":{\"tags\":[\"security\",");
	wd_json_write_cstr(out, rule->category);
	for (s = rule->stride; s && *s; s++)
		if (stride_name(*s)) {
			wd_buf_puts(out, ",");
			wd_json_write_cstr(out, stride_name(*s));
		}
	if (rule->cwe)
		wd_buf_printf(out, ",\"external/cwe/cwe-%d\"", rule->cwe);
	wd_buf_puts(out, "],");
	kv_str(out, "security-severity", security_severity(rule->severity));
	wd_buf_putc(out, ',');
	kv_str(out, "severity", wd_severity_name(rule->severity));
	wd_buf_putc(out, ',');
	kv_str(out, "category", rule->category);
	wd_buf_putc(out, ',');
	kv_str(out, "categoryName", rule->category_name);
	wd_buf_putc(out, ',');
	kv_str(out, "stride", rule->stride);
	wd_buf_putc(out, ',');
	key(out, "cwe");
	if (rule->cwe)
		wd_buf_printf(out, "\"CWE-%d\"", rule->cwe);
	else
		wd_buf_puts(out, "null");
	wd_buf_puts(out, "}}");
}

typedef struct rule_ref {
	const wd_rule *rule;
} rule_ref;

static int cmp_rule(const void *a, const void *b)
{
	const rule_ref *x = a, *y = b;
	int c = strcmp(x->rule->id, y->rule->id);

	if (c)
		return c;
	return (uintptr_t)x->rule < (uintptr_t)y->rule ? -1 : (uintptr_t)x->rule > (uintptr_t)y->rule;
}

static uint64_t ptr_key(const wd_rule *r)
{
	uintptr_t p = (uintptr_t)r;

	return wd_hash64(&p, sizeof(p), 7);
}

static uint32_t rule_index(const wd_hmap *map, const rule_ref *rules, const wd_rule *r)
{
	size_t slot = WD_HMAP_START;
	uint32_t k;

	while ((k = wd_hmap_next(map, ptr_key(r), &slot)) != UINT32_MAX)
		if (rules[k].rule == r)
			return k;
	return UINT32_MAX;
}

static void location(wd_buf *out, const char *file, uint32_t line, uint32_t column)
{
	wd_buf_puts(out, "\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
	uri(out, file);
	wd_buf_putc(out, '}');
	if (line)
		wd_buf_printf(out, ",\"region\":{\"startLine\":%u,\"startColumn\":%u}", line,
		              column ? column : 1);
	wd_buf_putc(out, '}');
}

static void logical_locations(wd_buf *out, const wd_result_finding *f)
{
	int app = f->app_name && f->app_name[0], comp = f->comp_id != NULL;
	wd_buf fq;

	if (!app && !comp)
		return;
	wd_buf_puts(out, ",\"logicalLocations\":[");
	if (app) {
		wd_buf_putc(out, '{');
		kv_str(out, "name", f->app_name);
		wd_buf_puts(out, ",\"kind\":\"module\"}");
	}
	if (comp) {
		wd_buf_init(&fq, out->max);
		wd_buf_printf(&fq, "%s/%s", f->app_name ? f->app_name : "",
		              f->comp_name ? f->comp_name : "");
		if (wd_buf_failed(&fq))
			out->failed = 1;
		wd_buf_puts(out, app ? ",{" : "{");
		kv_str(out, "name", f->comp_name);
		wd_buf_putc(out, ',');
		kv_str(out, "fullyQualifiedName", wd_buf_cstr(&fq));
		wd_buf_puts(out, ",\"kind\":\"function\"}");
		wd_buf_release(&fq);
	}
	wd_buf_putc(out, ']');
}

static void result_props(wd_buf *out, const wd_result_finding *f)
{
	size_t i;

	wd_buf_puts(out, ",\"properties\":{");
	kv_str(out, "severity", wd_severity_name(f->severity));
	wd_buf_putc(out, ',');
	kv_str(out, "platform", f->platform);
	wd_buf_putc(out, ',');
	kv_str(out, "app", f->app_name);
	if (f->comp_id) {
		wd_buf_putc(out, ',');
		kv_str(out, "component", f->comp_name);
		wd_buf_putc(out, ',');
		kv_str(out, "componentType", f->comp_type);
	}
	wd_buf_putc(out, ',');
	kv_str(out, "pointer", f->pointer);
	if (f->evidence && f->evidence[0]) {
		wd_buf_putc(out, ',');
		kv_str(out, "evidence", f->evidence);
	}
	if (f->confidence >= 0)
		wd_buf_printf(out, ",\"confidence\":%d", f->confidence);
	if (f->risk.scored) {
		wd_buf_putc(out, ',');
		kv_str(out, "riskLevel", wd_severity_name(f->risk.level));
		wd_buf_printf(out, ",\"likelihood\":%d,\"impact\":%d,", f->risk.likelihood,
		              f->risk.impact);
		kv_str(out, "likelihoodName", wd_risk_likelihood_name(f->risk.likelihood));
		wd_buf_putc(out, ',');
		kv_str(out, "impactName", wd_risk_impact_name(f->risk.impact));
		wd_buf_puts(out, ",\"riskFactors\":[");
		for (i = 0; i < f->risk.nfactors; i++) {
			const wd_risk_factor *x = &f->risk.factors[i];
			wd_buf_puts(out, i ? ",{" : "{");
			kv_str(out, "side", x->side);
			wd_buf_putc(out, ',');
			kv_str(out, "name", x->name);
			wd_buf_putc(out, ',');
			kv_str(out, "value", x->value);
			wd_buf_printf(out, ",\"score\":%d}", x->score);
		}
		wd_buf_putc(out, ']');
		if (f->risk.impact_sentence && f->risk.impact_sentence[0]) {
			wd_buf_putc(out, ',');
			kv_str(out, "businessImpact", f->risk.impact_sentence);
		}
	}
	if (f->owner.owner) {
		wd_buf_putc(out, ',');
		kv_str(out, "owner", f->owner.owner);
		if (f->owner.team && f->owner.team[0]) {
			wd_buf_putc(out, ',');
			kv_str(out, "team", f->owner.team);
		}
	}
	wd_buf_putc(out, '}');
}

static void suppressions(wd_buf *out, const wd_result_finding *f)
{
	const wd_suppression *s = f->suppression;
	char date[WD_REPORT_DATE_MAX];

	if (f->status != WD_FINDING_SUPPRESSED)
		return;
	wd_buf_puts(out, ",\"suppressions\":[{\"kind\":\"external\",\"status\":\"accepted\"");
	if (s && s->justification && s->justification[0]) {
		wd_buf_putc(out, ',');
		kv_str(out, "justification", s->justification);
	}
	if (s) {
		wd_buf_puts(out, ",\"properties\":{");
		kv_str(out, "approver", s->approver);
		wd_buf_putc(out, ',');
		key(out, "expires");
		if (s->expires >= 0) {
			wd_report_date(s->expires, date);
			wd_json_write_cstr(out, date);
		} else {
			wd_buf_puts(out, "null");
		}
		wd_buf_putc(out, ',');
		kv_str(out, "source", s->source);
		wd_buf_putc(out, '}');
	}
	wd_buf_puts(out, "}]");
}

void wd_report_sarif(const wd_scan_result *r, wd_buf *out)
{
	rule_ref *rules = malloc((r->nfindings + 1) * sizeof(*rules));
	wd_hmap map = WD_HMAP_INIT;
	wd_report_view v;
	size_t nrules = 0, i;

	if (!rules || wd_report_view_init(&v, r) != WD_OK) {
		free(rules);
		out->failed = 1;
		return;
	}
	/* the distinct rules found, sorted by id */
	for (i = 0; i < r->nfindings; i++) {
		const wd_rule *rule = r->findings[i].rule;
		if (rule_index(&map, rules, rule) != UINT32_MAX)
			continue;
		if (wd_hmap_put(&map, ptr_key(rule), (uint32_t)nrules) != WD_OK)
			goto oom;
		rules[nrules++].rule = rule;
	}
	qsort(rules, nrules, sizeof(*rules), cmp_rule);
	wd_hmap_release(&map);
	for (i = 0; i < nrules; i++)
		if (wd_hmap_put(&map, ptr_key(rules[i].rule), (uint32_t)i) != WD_OK)
			goto oom;

	wd_buf_puts(out, "{\n  ");
	kv_str(out, "$schema", SARIF_SCHEMA);
	wd_buf_puts(out, ",\n  \"version\":\"2.1.0\",\n  \"runs\":[{\n    \"tool\":{\"driver\":{");
	kv_str(out, "name", "Warden");
	wd_buf_putc(out, ',');
	kv_str(out, "version", WARDEN_VERSION);
	wd_buf_putc(out, ',');
	kv_str(out, "semanticVersion", WARDEN_VERSION);
	wd_buf_puts(out, ",\"rules\":[");
	for (i = 0; i < nrules; i++) {
		wd_buf_puts(out, i ? ",\n      " : "\n      ");
		rule_obj(out, rules[i].rule);
	}
	wd_buf_puts(out, nrules ? "\n    ]}},\n" : "]}},\n");

	wd_buf_printf(out, "    \"invocations\":[{\"executionSuccessful\":%s",
	              r->nerrors ? "false" : "true");
	if (r->nerrors) {
		wd_buf_puts(out, ",\"toolExecutionNotifications\":[");
		for (i = 0; i < r->nerrors; i++) {
			const wd_result_error *e = &r->errors[i];
			wd_buf_puts(out, i ? ",\n      {" : "\n      {");
			wd_buf_puts(out, "\"level\":\"error\",");
			text_obj(out, "message", e->message);
			wd_buf_puts(out, ",\"locations\":[{");
			location(out, e->file, e->line, e->column);
			wd_buf_puts(out, "}]}");
		}
		wd_buf_puts(out, "\n    ]");
	}
	wd_buf_puts(out, "}],\n    \"columnKind\":\"unicodeCodePoints\",\n    \"results\":[");

	for (i = 0; i < r->nfindings; i++) {
		const wd_result_finding *f = &r->findings[i];
		wd_buf_puts(out, i ? ",\n      {" : "\n      {");
		kv_str(out, "ruleId", f->rule->id);
		wd_buf_printf(out, ",\"ruleIndex\":%u,", rule_index(&map, rules, f->rule));
		kv_str(out, "level", level_of(f->severity));
		wd_buf_putc(out, ',');
		text_obj(out, "message", f->message);
		wd_buf_puts(out, ",\"locations\":[{");
		location(out, f->file, f->line, f->column);
		logical_locations(out, f);
		wd_buf_puts(out, "}],\"partialFingerprints\":{");
		kv_str(out, "wardenFingerprint/v1", f->fingerprint);
		wd_buf_putc(out, '}');
		suppressions(out, f);
		if (r->has_baseline)
			wd_buf_printf(out, ",\"baselineState\":\"%s\"",
			              f->is_new == 1 ? "new" : "unchanged");
		result_props(out, f);
		wd_buf_putc(out, '}');
	}
	wd_buf_puts(out, r->nfindings ? "\n    ],\n" : "],\n");
	wd_buf_puts(out, "    \"properties\":{");
	key(out, "policy");
	if (r->has_policy)
		wd_json_write_cstr(out, r->policy_names ? r->policy_names : "");
	else
		wd_buf_puts(out, "null");
	wd_buf_printf(out, ",\"ownershipChecked\":%s,\"open\":%zu,\"suppressed\":%zu",
	              r->has_owners ? "true" : "false", v.open, v.suppressed);
	if (r->has_baseline)
		wd_buf_printf(out, ",\"baseline\":{\"new\":%zu,\"unchanged\":%zu,\"fixed\":%zu}",
		              v.fresh, v.unchanged, r->baseline_fixed);
	wd_buf_puts(out, "}\n  }]\n}\n");
	goto out;
oom:
	out->failed = 1;
out:
	wd_hmap_release(&map);
	wd_report_view_release(&v);
	free(rules);
}
