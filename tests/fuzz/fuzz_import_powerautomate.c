/*
 * fuzz_import_powerautomate.c - the Power Automate / Logic Apps importer on
 * arbitrary bytes.
 *
 * Imports the input through wd_import_buffer() with small limits (so the
 * fuzzer spends its time in the importer, not on huge documents) and
 * without companion files (no file system access): detection decides the
 * platform, as in a scan. Inputs that parse but are not detected as Power
 * Automate are also fed to wd_import_powerautomate() directly, so every
 * object shape reaches the importer. Then the model's index invariants are
 * checked and everything is freed. Any crash, leak, sanitizer report, hang
 * or broken invariant is a bug: the importer must reject or tolerate.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "warden/import.h"
#include "warden/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static wd_import_opts fuzz_opts(void)
{
	wd_import_opts opts;

	memset(&opts, 0, sizeof(opts));
	opts.limits.max_file_size = 1u << 20;
	opts.limits.max_depth = 64;
	opts.limits.max_string_len = 1u << 16;
	opts.limits.max_elements = 1u << 17;
	opts.limits.max_components = 4096;
	opts.limits.max_nesting = 16;
	opts.load_companions = 0;
	wd_limits_resolve(&opts.limits);
	return opts;
}

/* Every index in the model points inside its table; apps are contiguous. */
static void check(const wd_model *m)
{
	if (wd_model_check(m, NULL) != WD_OK)
		abort(); /* an importer broke the model's invariants */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wd_import_opts opts = fuzz_opts();
	wd_model *m = NULL;
	wd_json_doc *doc = NULL;
	wd_error err;
	char *buf;
	uint32_t di;

	if (size > opts.limits.max_file_size)
		return 0;
	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	/* as a scan does it: detection, import, finish (takes buf) */
	if (wd_import_buffer(&m, "fuzz/Workflows/flow.json", buf, size, &opts, NULL, &err) == WD_OK) {
		check(m);
		wd_model_free(m);
		return 0;
	}
	/* whatever detection said: the importer itself on the same document */
	if (wd_json_parse(&doc, (const char *)data, size, &opts.limits, &err) != WD_OK)
		return 0;
	if (wd_model_new(&m, "fuzz/azuredeploy.json", &opts.limits) != WD_OK) {
		wd_json_free(doc);
		return 0;
	}
	m->platform = WD_PLATFORM_POWER_AUTOMATE;
	if (wd_model_add_doc(m, "fuzz/azuredeploy.json", doc, &di) == WD_OK &&
	    wd_import_powerautomate(m, di, &opts, &err) == WD_OK && wd_model_finish(m) == WD_OK) {
		check(m);
		if (m->ncomps > 0) {
			wd_position pos;
			wd_buf ptr;

			wd_buf_init(&ptr, 4096);
			(void)wd_model_locate(m, m->comps[m->ncomps - 1].loc, &pos, &ptr);
			wd_buf_release(&ptr);
		}
	}
	wd_model_free(m);
	return 0;
}
