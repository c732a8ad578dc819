/*
 * fuzz_import_n8n.c - the n8n importer and its expression scanner on
 * arbitrary bytes.
 *
 * The raw input is first handed to the expression scanner as text (JS and
 * Python modes), so the scanner sees every byte pattern the fuzzer invents.
 * Then the input is parsed with small limits (so the fuzzer spends its time
 * in the importer, not on huge documents), imported as n8n whatever its
 * shape, finished, checked for the model's index invariants and one location
 * is resolved; everything is freed. Any crash, leak, sanitizer report, hang
 * or broken invariant (abort) is a bug: the importer must reject or tolerate.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "warden/import.h"
#include "warden/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#include "import/n8n_expr.h"

static volatile size_t sink; /* keeps the scanner's reads observable */

static void touch_ref(void *ctx, wd_ref_kind kind, wd_str node, wd_str path)
{
	size_t *sum = ctx;
	size_t i;

	/* read every byte handed out, so ASan checks the slices */
	for (i = 0; i < node.len; i++)
		*sum += (unsigned char)node.ptr[i];
	for (i = 0; i < path.len; i++)
		*sum += (unsigned char)path.ptr[i];
	*sum += (size_t)kind;
}

static void check_model(const wd_model *m)
{
	if (wd_model_check(m, NULL) != WD_OK)
		abort(); /* an importer broke the model's invariants */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wd_import_opts opts;
	wd_json_doc *doc = NULL;
	wd_model *m = NULL;
	wd_error err;
	uint32_t di;
	size_t sum = 0;

	memset(&opts, 0, sizeof(opts));
	opts.limits.max_file_size = 1u << 20;
	opts.limits.max_depth = 64;
	opts.limits.max_string_len = 1u << 16;
	opts.limits.max_elements = 1u << 17;
	opts.limits.max_components = 4096;
	wd_limits_resolve(&opts.limits);
	if (size > opts.limits.max_file_size)
		return 0;
	wd_n8n_scan_expr(wd_str_make((const char *)data, size), 0, touch_ref, &sum);
	wd_n8n_scan_expr(wd_str_make((const char *)data, size), 1, touch_ref, &sum);
	if (wd_json_parse(&doc, (const char *)data, size, &opts.limits, &err) != WD_OK)
		return 0;
	if (wd_model_new(&m, "fuzz/workflow.json", &opts.limits) != WD_OK) {
		wd_json_free(doc);
		return 0;
	}
	m->platform = WD_PLATFORM_N8N;
	if (wd_model_add_doc(m, "fuzz/workflow.json", doc, &di) == WD_OK &&
	    wd_import_n8n(m, di, &opts, &err) == WD_OK && wd_model_finish(m) == WD_OK) {
		check_model(m);
		if (m->ncomps > 0) {
			wd_position pos;
			wd_buf ptr;

			wd_buf_init(&ptr, 4096);
			(void)wd_model_locate(m, m->comps[m->ncomps - 1].loc, &pos, &ptr);
			wd_buf_release(&ptr);
		}
	}
	wd_model_free(m);
	sink = sum;
	return 0;
}
