/*
 * fuzz_risk.c - risk scoring of every finding of one file on arbitrary
 * bytes: detection, import (any platform), every rule, then the scoring
 * context and wd_risk_assess() for each finding at its own severity and at
 * every other one.
 *
 * Besides crashes, leaks and sanitizer reports, a broken promise of
 * docs/risk.md aborts: a level more than one step from the severity, a
 * level that is not the matrix of likelihood and impact, a factor score
 * outside 1..4, an empty sentence or one that does not end in '.', a loss
 * range that is negative or reversed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "warden/import.h"
#include "warden/risk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const wd_risk *r, int sev)
{
	size_t i, len;

	if (!r->scored || r->likelihood < 1 || r->likelihood > 4 || r->impact < 1 || r->impact > 4)
		abort();
	if (r->level != wd_risk_matrix(r->likelihood, r->impact))
		abort();
	if ((int)r->level > sev + 1 || (int)r->level < sev - 1)
		abort();
	for (i = 0; i < r->nfactors; i++)
		if (r->factors[i].score < 1 || r->factors[i].score > 4 || !r->factors[i].value)
			abort();
	len = r->impact_sentence ? strlen(r->impact_sentence) : 0;
	if (len < 2 || r->impact_sentence[len - 1] != '.')
		abort();
	if (r->loss_min < 0 || r->loss_max < r->loss_min)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wd_import_opts opts;
	wd_model *m = NULL;
	wd_findings f;
	wd_risk_ctx *cx = NULL;
	wd_arena arena;
	wd_error err;
	char *copy;
	size_t i;
	int sev;

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
	wd_findings_init(&f);
	wd_arena_init(&arena, 4096);
	if (wd_rules_run(m, &f) == WD_OK && wd_risk_ctx_new(&cx, m, NULL) == WD_OK) {
		for (i = 0; i < f.n; i++) {
			wd_finding x = f.items[i];
			wd_risk r;
			if (wd_risk_assess(cx, &x, &arena, &r) != WD_OK)
				abort(); /* only out of memory may fail */
			check(&r, (int)x.severity);
			if (i < 8) /* every severity, as a policy override could set */
				for (sev = WD_SEV_INFO; sev <= WD_SEV_CRITICAL; sev++) {
					x.severity = (wd_severity)sev;
					if (wd_risk_assess(cx, &x, &arena, &r) != WD_OK)
						abort();
					check(&r, sev);
				}
		}
	}
	wd_risk_ctx_free(cx);
	wd_arena_release(&arena);
	wd_findings_release(&f);
	wd_model_free(m);
	return 0;
}
