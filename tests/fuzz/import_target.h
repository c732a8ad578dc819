/*
 * import_target.h - the body of an importer fuzz target, shared by the
 * targets whose importer takes one document (Make, Zapier). The including
 * file defines FUZZ_IMPORTER (the wd_import_<platform> function) and
 * FUZZ_PATH (the name the document is given), then includes this.
 *
 * The input is parsed with small limits (so the fuzzer spends its time in
 * the importer, not on huge documents) and imported twice: by the importer
 * directly, whatever the document's shape, and through wd_import_buffer()
 * (detection, importer, finish) with companions off, so no file is ever
 * read. Each finished model is checked for its index invariants and one
 * location is resolved; everything is freed. Any crash, leak, sanitizer
 * report, hang or broken invariant (abort) is a bug: the importer must
 * reject or tolerate.
 */
#ifndef WARDEN_FUZZ_IMPORT_TARGET_H
#define WARDEN_FUZZ_IMPORT_TARGET_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "warden/import.h"
#include "warden/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_model(const wd_model *m)
{
	if (wd_model_check(m, NULL) != WD_OK)
		abort(); /* an importer broke the model's invariants */
}

static void locate_last(const wd_model *m)
{
	wd_position pos;
	wd_buf ptr;

	if (m->ncomps == 0)
		return;
	wd_buf_init(&ptr, 4096);
	(void)wd_model_locate(m, m->comps[m->ncomps - 1].loc, &pos, &ptr);
	wd_buf_release(&ptr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wd_import_opts opts;
	wd_json_doc *doc = NULL;
	wd_model *m = NULL;
	wd_error err;
	uint32_t di;
	char *copy;

	memset(&opts, 0, sizeof(opts));
	opts.limits.max_file_size = 1u << 20;
	opts.limits.max_depth = 64;
	opts.limits.max_string_len = 1u << 16;
	opts.limits.max_elements = 1u << 17;
	opts.limits.max_components = 4096;
	opts.limits.max_nesting = 8;
	opts.load_companions = 0;
	wd_limits_resolve(&opts.limits);
	if (size > opts.limits.max_file_size)
		return 0;

	/* the importer alone, on any well-formed document */
	if (wd_json_parse(&doc, (const char *)data, size, &opts.limits, &err) != WD_OK)
		return 0;
	if (wd_model_new(&m, FUZZ_PATH, &opts.limits) != WD_OK) {
		wd_json_free(doc);
		return 0;
	}
	if (wd_model_add_doc(m, FUZZ_PATH, doc, &di) == WD_OK &&
	    FUZZ_IMPORTER(m, di, &opts, &err) == WD_OK && wd_model_finish(m) == WD_OK) {
		check_model(m);
		locate_last(m);
	}
	wd_model_free(m);
	m = NULL;

	/* the whole import path: detection, importer, finish */
	copy = malloc(size + 1);
	if (!copy)
		return 0;
	if (size)
		memcpy(copy, data, size);
	copy[size] = '\0';
	if (wd_import_buffer(&m, FUZZ_PATH, copy, size, &opts, NULL, &err) == WD_OK) {
		check_model(m);
		locate_last(m);
		wd_model_free(m);
	}
	return 0;
}

#endif
