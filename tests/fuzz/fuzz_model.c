/*
 * fuzz_model.c - the threat model of arbitrary bytes: import (any
 * platform), wd_tm_derive for every app, and the JSON, DOT, Mermaid and
 * Markdown writers (SVG is left out: Graphviz layout is slow and not ours).
 *
 * Invariants checked on every input: ids are [a-z0-9-], element ids are
 * unique, flow and path indices are in range, flow ids are "<from>--<to>",
 * the JSON document parses back with Warden's reader, and no DOT, Mermaid
 * or Markdown output holds a control character other than newline.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "warden/import.h"
#include "warden/threat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_id(const char *id)
{
	if (!id || !*id || strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(id))
		abort();
}

static void check_text(const wd_buf *b)
{
	size_t i;

	if (wd_buf_failed(b))
		return;
	for (i = 0; i < b->len; i++)
		if (((unsigned char)b->data[i] < 0x20 && b->data[i] != '\n') || b->data[i] == 0x7f)
			abort();
}

static void check_model(const wd_tm *tm)
{
	size_t i, j;
	wd_buf b;
	wd_json_doc *doc = NULL;
	wd_error err;

	for (i = 0; i < tm->nboundaries; i++)
		check_id(tm->boundaries[i].id);
	for (i = 0; i < tm->nelements; i++) {
		check_id(tm->elements[i].id);
		if (tm->elements[i].boundary >= tm->nboundaries)
			abort();
	}
	/* unique element ids (small models only: quadratic) */
	for (i = 0; i < tm->nelements && tm->nelements < 400; i++)
		for (j = i + 1; j < tm->nelements; j++)
			if (strcmp(tm->elements[i].id, tm->elements[j].id) == 0)
				abort();
	for (i = 0; i < tm->nflows; i++) {
		const wd_tm_flow *f = &tm->flows[i];
		size_t a;
		if (f->from >= tm->nelements || f->to >= tm->nelements || f->from == f->to)
			abort();
		a = strlen(tm->elements[f->from].id);
		if (strncmp(f->id, tm->elements[f->from].id, a) != 0 || strncmp(f->id + a, "--", 2) ||
		    strcmp(f->id + a + 2, tm->elements[f->to].id) != 0)
			abort();
		if (f->nfields > 33)
			abort();
	}
	for (i = 0; i < tm->nthreats; i++)
		for (j = 0; j < tm->threats[i].npath; j++)
			if (tm->threats[i].path[j] >= tm->nelements)
				abort();
	wd_buf_init(&b, 0);
	wd_tm_write_json(tm, &b);
	if (!wd_buf_failed(&b) && wd_json_parse(&doc, b.data, b.len, NULL, &err) != WD_OK)
		abort();
	wd_json_free(doc);
	wd_buf_reset(&b);
	wd_tm_write_dot(tm, &b);
	check_text(&b);
	wd_buf_reset(&b);
	wd_tm_write_mermaid(tm, &b);
	check_text(&b);
	wd_buf_reset(&b);
	wd_tm_write_md(tm, &b);
	check_text(&b);
	wd_buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wd_import_opts opts;
	wd_model *m = NULL;
	wd_error err;
	char *copy;
	uint32_t a;

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
	if (wd_import_buffer(&m, "fuzz/flows.json", copy, size, &opts, NULL, &err) != WD_OK)
		return 0;
	for (a = 0; a < m->napps && a < 16; a++) {
		wd_tm *tm = NULL;
		if (wd_tm_derive(&tm, m, a, &err) == WD_OK)
			check_model(tm);
		wd_tm_free(tm);
	}
	wd_model_free(m);
	return 0;
}
