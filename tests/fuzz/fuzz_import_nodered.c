/*
 * fuzz_import_nodered.c - the Node-RED importer on arbitrary bytes.
 *
 * Parses the input with small limits (so the fuzzer spends its time in the
 * importer, not on huge documents), imports it as a Node-RED flow whatever
 * its shape, without companion files (no file system access), finishes the
 * model and resolves one location, then frees everything. Any crash, leak,
 * sanitizer report or hang is a bug: the importer must reject or tolerate.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "warden/import.h"
#include "warden/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wd_import_opts opts;
	wd_json_doc *doc = NULL;
	wd_model *m = NULL;
	wd_error err;
	uint32_t di;

	memset(&opts, 0, sizeof(opts));
	opts.limits.max_file_size = 1u << 20;
	opts.limits.max_depth = 64;
	opts.limits.max_string_len = 1u << 16;
	opts.limits.max_elements = 1u << 17;
	opts.limits.max_components = 4096;
	opts.load_companions = 0;
	wd_limits_resolve(&opts.limits);
	if (size > opts.limits.max_file_size)
		return 0;
	if (wd_json_parse(&doc, (const char *)data, size, &opts.limits, &err) != WD_OK)
		return 0;
	if (wd_model_new(&m, "fuzz/flows.json", &opts.limits) != WD_OK) {
		wd_json_free(doc);
		return 0;
	}
	if (wd_model_add_doc(m, "fuzz/flows.json", doc, &di) == WD_OK &&
	    wd_import_nodered(m, di, &opts, &err) == WD_OK && wd_model_finish(m) == WD_OK &&
	    m->ncomps > 0) {
		wd_position pos;
		wd_buf ptr;

		if (wd_model_check(m, NULL) != WD_OK)
			abort(); /* the importer broke the model's invariants */
		wd_buf_init(&ptr, 4096);
		(void)wd_model_locate(m, m->comps[m->ncomps - 1].loc, &pos, &ptr);
		wd_buf_release(&ptr);
	}
	wd_model_free(m);
	return 0;
}
