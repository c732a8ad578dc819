/*
 * report/junit.c - the scan as JUnit XML, for CI systems that show test
 * results (GitLab, Jenkins, Azure DevOps, CircleCI...).
 *
 * One <testsuite> per app, in scan order, with one <testcase> per finding
 * named "RULE component": a <failure> when the finding fails the --fail-on
 * gate (open, severity at or above it, new when a baseline was given),
 * <skipped> when it is suppressed, and passing (with the reason in
 * <system-out>) otherwise. An app without findings gets one passing
 * testcase, so CI lists every app reviewed. File-level findings have a
 * suite of their own, and unreadable inputs are <error>s in an "inputs"
 * suite. Every attribute and text goes through wd_escape_xml; no CDATA.
 */
#include <string.h>

#include "report/common.h"
#include "warden/escape.h"

static void x(wd_buf *out, const char *s)
{
	wd_escape_xml(out, s ? s : "", s ? strlen(s) : 0);
}

/* attr="escaped value" with a leading space */
static void attr(wd_buf *out, const char *name, const char *v)
{
	wd_buf_printf(out, " %s=\"", name);
	x(out, v);
	wd_buf_putc(out, '"');
}

typedef struct counts {
	size_t tests, failures, skipped, errors;
} counts;

static void count(const wd_scan_result *r, const wd_report_view *v, size_t a, int fail_on,
                  counts *c)
{
	size_t k;

	memset(c, 0, sizeof(*c));
	for (k = v->first[a]; k < v->first[a + 1]; k++) {
		const wd_result_finding *f = &r->findings[v->by_app[k]];
		c->tests++;
		if (f->status == WD_FINDING_SUPPRESSED)
			c->skipped++;
		else if (wd_scan_finding_gates(r, f, fail_on))
			c->failures++;
	}
	if (c->tests == 0)
		c->tests = 1; /* the "no findings" case */
}

static void suite_open(wd_buf *out, const char *name, const counts *c)
{
	wd_buf_puts(out, "  <testsuite");
	attr(out, "name", name);
	wd_buf_printf(out, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\">\n",
	              c->tests, c->failures, c->errors, c->skipped);
}

static void property(wd_buf *out, const char *name, const char *value)
{
	wd_buf_puts(out, "      <property");
	attr(out, "name", name);
	attr(out, "value", value);
	wd_buf_puts(out, "/>\n");
}

/* The body of a failure, skip or pass: what, where, why, and the fix. */
static void details(wd_buf *out, const wd_scan_result *r, const wd_result_finding *f)
{
	const char *fix = wd_rule_fix(f->rule, wd_platform_parse(wd_str_c(f->platform)));

	wd_buf_printf(out, "%s %s (%s", f->rule->id, wd_severity_name(f->severity), f->rule->category);
	if (f->rule->cwe)
		wd_buf_printf(out, ", CWE-%d", f->rule->cwe);
	wd_buf_puts(out, "): ");
	x(out, f->rule->title);
	wd_buf_puts(out, "\nLocation: ");
	x(out, f->file);
	if (f->line)
		wd_buf_printf(out, ":%u:%u", f->line, f->column);
	wd_buf_puts(out, "\n");
	x(out, f->message);
	if (f->evidence && f->evidence[0]) {
		wd_buf_puts(out, "\nEvidence: ");
		x(out, f->evidence);
	}
	if (f->risk.scored) {
		wd_buf_printf(out, "\nRisk: %s (likelihood %s, impact %s)", wd_severity_name(f->risk.level),
		              wd_risk_likelihood_name(f->risk.likelihood),
		              wd_risk_impact_name(f->risk.impact));
		if (f->risk.impact_sentence && f->risk.impact_sentence[0]) {
			wd_buf_puts(out, "\nBusiness impact: ");
			x(out, f->risk.impact_sentence);
		}
	}
	if (f->owner.owner) {
		wd_buf_puts(out, "\nOwner: ");
		x(out, f->owner.owner);
		if (f->owner.team && f->owner.team[0]) {
			wd_buf_puts(out, " (");
			x(out, f->owner.team);
			wd_buf_putc(out, ')');
		}
	}
	if (r->has_baseline)
		wd_buf_puts(out, f->is_new == 1 ? "\nBaseline: new" : "\nBaseline: unchanged");
	wd_buf_puts(out, "\nFix: ");
	x(out, fix);
	wd_buf_putc(out, '\n');
}

static void testcase(wd_buf *out, const wd_scan_result *r, const wd_result_finding *f,
                     int fail_on)
{
	wd_buf name;

	wd_buf_init(&name, out->max);
	wd_buf_printf(&name, "%s %s", f->rule->id,
	              f->comp_id ? (f->comp_name ? f->comp_name : "")
	                         : (f->app_name && f->app_name[0] ? f->app_name : "(file)"));
	if (wd_buf_failed(&name))
		out->failed = 1;
	wd_buf_puts(out, "    <testcase");
	attr(out, "name", wd_buf_cstr(&name));
	attr(out, "classname", f->app_name && f->app_name[0] ? f->app_name : f->app_file);
	attr(out, "file", f->file);
	if (f->line)
		wd_buf_printf(out, " line=\"%u\"", f->line);
	wd_buf_puts(out, ">\n");
	wd_buf_release(&name);
	if (f->status == WD_FINDING_SUPPRESSED) {
		const wd_suppression *s = f->suppression;
		wd_buf_puts(out, "      <skipped");
		wd_buf_puts(out, " message=\"suppressed: ");
		x(out, s && s->justification ? s->justification : "");
		if (s && s->approver && s->approver[0]) {
			wd_buf_puts(out, " (approved by ");
			x(out, s->approver);
			wd_buf_putc(out, ')');
		}
		wd_buf_puts(out, "\"/>\n");
	} else if (wd_scan_finding_gates(r, f, fail_on)) {
		wd_buf_puts(out, "      <failure");
		attr(out, "type", wd_severity_name(f->severity));
		attr(out, "message", f->message);
		wd_buf_puts(out, ">");
		details(out, r, f);
		wd_buf_puts(out, "</failure>\n");
	} else {
		wd_buf_printf(out, "      <system-out>%s: ",
		              r->has_baseline && f->is_new != 1 ? "in the baseline" : "below the gate");
		details(out, r, f);
		wd_buf_puts(out, "</system-out>\n");
	}
	wd_buf_puts(out, "    </testcase>\n");
}

void wd_report_junit(const wd_scan_result *r, const wd_junit_opts *opts, wd_buf *out)
{
	int fail_on = opts ? opts->fail_on : WD_SEV_HIGH;
	wd_report_view v;
	counts c, total;
	size_t a, k, i;

	if (wd_report_view_init(&v, r) != WD_OK) {
		out->failed = 1;
		return;
	}
	memset(&total, 0, sizeof(total));
	for (a = 0; a <= r->napps; a++) {
		if (a == r->napps && v.first[a] == v.first[a + 1])
			continue; /* no file-level findings: no such suite */
		count(r, &v, a, fail_on, &c);
		total.tests += c.tests;
		total.failures += c.failures;
		total.skipped += c.skipped;
	}
	if (r->nerrors) {
		total.tests += r->nerrors;
		total.errors += r->nerrors;
	}
	wd_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"Warden\"");
	wd_buf_printf(out, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\">\n",
	              total.tests, total.failures, total.errors, total.skipped);
	for (a = 0; a < r->napps; a++) {
		const wd_result_app *app = &r->apps[a];
		count(r, &v, a, fail_on, &c);
		suite_open(out, app->name && app->name[0] ? app->name : app->file, &c);
		wd_buf_puts(out, "    <properties>\n");
		property(out, "platform", app->platform);
		property(out, "file", app->file);
		if (app->id && app->id[0])
			property(out, "id", app->id);
		if (app->environment && app->environment[0])
			property(out, "environment", app->environment);
		if (r->has_owners)
			property(out, "owner", app->owner.owner ? app->owner.owner : "unowned");
		wd_buf_puts(out, "    </properties>\n");
		if (v.first[a] == v.first[a + 1]) {
			wd_buf_puts(out, "    <testcase name=\"no findings\"");
			attr(out, "classname", app->name && app->name[0] ? app->name : app->file);
			attr(out, "file", app->file);
			wd_buf_puts(out, "/>\n");
		}
		for (k = v.first[a]; k < v.first[a + 1]; k++)
			testcase(out, r, &r->findings[v.by_app[k]], fail_on);
		wd_buf_puts(out, "  </testsuite>\n");
	}
	if (v.first[r->napps] != v.first[r->napps + 1]) {
		count(r, &v, r->napps, fail_on, &c);
		suite_open(out, "file-level findings", &c);
		for (k = v.first[r->napps]; k < v.first[r->napps + 1]; k++)
			testcase(out, r, &r->findings[v.by_app[k]], fail_on);
		wd_buf_puts(out, "  </testsuite>\n");
	}
	if (r->nerrors) {
		memset(&c, 0, sizeof(c));
		c.tests = c.errors = r->nerrors;
		suite_open(out, "inputs", &c);
		for (i = 0; i < r->nerrors; i++) {
			const wd_result_error *e = &r->errors[i];
			wd_buf_puts(out, "    <testcase name=\"read\"");
			attr(out, "classname", e->file);
			attr(out, "file", e->file);
			if (e->line)
				wd_buf_printf(out, " line=\"%u\"", e->line);
			wd_buf_puts(out, ">\n      <error type=\"input\"");
			attr(out, "message", e->message);
			wd_buf_puts(out, ">");
			x(out, e->file);
			if (e->line)
				wd_buf_printf(out, ":%u:%u", e->line, e->column);
			wd_buf_puts(out, ": ");
			x(out, e->message);
			wd_buf_puts(out, "</error>\n    </testcase>\n");
		}
		wd_buf_puts(out, "  </testsuite>\n");
	}
	wd_buf_puts(out, "</testsuites>\n");
	wd_report_view_release(&v);
}
