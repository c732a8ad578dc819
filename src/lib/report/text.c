/*
 * report/text.c - the human report: findings grouped by app.
 *
 * Layout per app: a header with platform and file, then one block per
 * finding: "SEVERITY  RULE  file:line:col" / message / component / evidence.
 * Colour only when asked (the CLI asks only on a terminal). Input-derived
 * text is sanitised: control characters would let a node name forge lines
 * or terminal escapes.
 */
#include <string.h>

#include "warden/report.h"

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

void wd_report_text(const wd_scan_result *r, const wd_text_opts *opts, wd_buf *out)
{
	static const wd_text_opts defaults = {0, 1};
	const char *bold = "", *dim = "", *reset = "";
	size_t i, by_sev[5] = {0};

	if (!opts)
		opts = &defaults;
	if (opts->color) {
		bold = "\033[1m";
		dim = "\033[2m";
		reset = "\033[0m";
	}
	for (i = 0; i < r->nfindings; i++) {
		const wd_result_finding *f = &r->findings[i];
		if (i == 0 || !same_app(f, &r->findings[i - 1])) {
			wd_buf_printf(out, "%s%s", i ? "\n" : "", bold);
			if (f->app_name[0])
				wd_report_put_safe(out, f->app_name);
			else
				wd_buf_puts(out, "(whole file)");
			wd_buf_printf(out, "%s  %s%s · ", reset, dim, f->platform);
			wd_report_put_safe(out, f->app_file);
			wd_buf_printf(out, "%s\n", reset);
		}
		by_sev[f->severity]++;
		wd_buf_puts(out, "  ");
		if (opts->color)
			wd_buf_puts(out, sev_color(f->severity));
		upper(out, wd_severity_name(f->severity), 9);
		wd_buf_puts(out, reset);
		wd_buf_printf(out, "%s  ", f->rule->id);
		wd_report_put_safe(out, f->file);
		if (f->line)
			wd_buf_printf(out, ":%u:%u", f->line, f->column);
		wd_buf_puts(out, "\n           ");
		wd_report_put_safe(out, f->message);
		wd_buf_putc(out, '\n');
		wd_buf_printf(out, "           %s%s · %s", dim, f->rule->title, f->rule->category);
		if (f->rule->cwe)
			wd_buf_printf(out, " · CWE-%d", f->rule->cwe);
		if (f->evidence[0]) {
			wd_buf_puts(out, " · evidence: ");
			wd_report_put_safe(out, f->evidence);
		}
		wd_buf_printf(out, "%s\n", reset);
	}
	if (r->nerrors) {
		wd_buf_printf(out, "%s%sErrors%s\n", r->nfindings ? "\n" : "", bold, reset);
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
	wd_buf_printf(out, "%s%s%zu finding%s%s", (r->nfindings || r->nerrors) ? "\n" : "", bold,
	              r->nfindings, r->nfindings == 1 ? "" : "s", reset);
	if (r->nfindings)
		wd_buf_printf(out, " (%zu critical, %zu high, %zu medium, %zu low, %zu info)",
		              by_sev[WD_SEV_CRITICAL], by_sev[WD_SEV_HIGH], by_sev[WD_SEV_MEDIUM],
		              by_sev[WD_SEV_LOW], by_sev[WD_SEV_INFO]);
	wd_buf_printf(out, " in %zu app%s from %llu export%s", r->napps, r->napps == 1 ? "" : "s",
	              (unsigned long long)r->imported, r->imported == 1 ? "" : "s");
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
}
