/*
 * fuzz_scan.c - the whole review of one file on arbitrary bytes: detection,
 * import (either platform), every rule, the result copy, and both reports.
 *
 * The JSON report must always parse back with Warden's own reader, and the
 * text report must hold no control character other than newline: a hostile
 * export must not be able to break or forge either. Inputs are parsed with
 * small limits so time goes to the rules, not to huge documents.
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
	size_t i;

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
		wd_buf_reset(&out);
		wd_report_text(&r, NULL, &out);
		for (i = 0; i < out.len; i++)
			if (((unsigned char)out.data[i] < 0x20 && out.data[i] != '\n') ||
			    out.data[i] == 0x7f)
				abort(); /* no escape sequences or forged lines */
		wd_buf_release(&out);
	}
	wd_scan_result_release(&r);
	wd_findings_release(&f);
	wd_model_free(m);
	return 0;
}
