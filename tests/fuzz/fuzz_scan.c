/*
 * fuzz_scan.c - the whole review of one file on arbitrary bytes: detection,
 * import (either platform), every rule, the result copy, and every report.
 *
 * The JSON and SARIF reports must always parse back with Warden's own
 * reader; the JSON report, used as a baseline for the same result, must mark
 * every finding unchanged and none fixed; the text, Markdown and JUnit
 * reports must hold no control character other than newline: a hostile
 * export must not be able to break or forge any of them. Inputs are parsed
 * with small limits so time goes to the rules, not to huge documents.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "warden/report.h"
#include "warden/scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wd_import_opts opts;
	wd_model *m = NULL;
	wd_findings f;
	wd_scan_result r;
	wd_error err;
	wd_buf out;
	wd_json_doc *check = NULL;
	char *copy;
	size_t i, k;

	if (size > (1u << 20))
		return 0;
	copy = malloc(size + 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	memset(&opts, 0, sizeof(opts));
	opts.limits.max_depth = 64;
	opts.limits.max_elements = 100000;
	opts.limits.max_components = 5000;
	/* the path decides nothing but companion detection; load none */
	if (wd_import_buffer(&m, "fuzz/flows.json", copy, size, &opts, NULL, &err) != WD_OK)
		return 0;
	wd_findings_init(&f);
	wd_scan_result_init(&r);
	if (wd_rules_run(m, &f) == WD_OK && wd_scan_add_model(&r, m, &f, NULL) == WD_OK) {
		wd_buf_init(&out, 0);
		wd_report_json(&r, &out);
		if (!wd_buf_failed(&out) &&
		    wd_json_parse(&check, out.data, out.len, NULL, &err) != WD_OK)
			abort(); /* the JSON report must always be valid JSON */
		wd_json_free(check);
		check = NULL;
		if (!wd_buf_failed(&out)) {
			/* its own output as a baseline: nothing new, nothing fixed */
			if (wd_scan_apply_baseline(&r, out.data, out.len, &err) != WD_OK ||
			    !r.has_baseline || r.baseline_fixed != 0)
				abort();
			for (i = 0; i < r.nfindings; i++)
				if (r.findings[i].is_new != 0)
					abort();
		}
		wd_buf_reset(&out);
		wd_report_sarif(&r, &out);
		if (!wd_buf_failed(&out) &&
		    wd_json_parse(&check, out.data, out.len, NULL, &err) != WD_OK)
			abort(); /* SARIF is JSON too */
		wd_json_free(check);
		for (k = 0; k < 3; k++) {
			wd_buf_reset(&out);
			if (k == 0) {
				wd_report_text(&r, NULL, &out);
			} else if (k == 1) {
				wd_markdown_opts mo = {WD_SEV_HIGH, 8000, 0};
				wd_report_markdown(&r, &mo, &out);
				if (out.len > 8000)
					abort(); /* the size budget holds */
			} else {
				wd_report_junit(&r, NULL, &out);
			}
			for (i = 0; i < out.len; i++)
				if (((unsigned char)out.data[i] < 0x20 && out.data[i] != '\n') ||
				    out.data[i] == 0x7f)
					abort(); /* no escape sequences or forged lines */
		}
		wd_buf_release(&out);
	}
	wd_scan_result_release(&r);
	wd_findings_release(&f);
	wd_model_free(m);
	return 0;
}
