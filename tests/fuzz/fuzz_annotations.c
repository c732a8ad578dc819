/*
 * fuzz_annotations.c - libFuzzer target for the threat-model annotations
 * loader and merger (threat/annotations.c).
 *
 * For each input: load it as an annotations file. A rejection must carry
 * its status in err.code. When accepted, walk the app sections through the
 * accessors, annotate a small fixed model (threat ids of every shape the
 * rules produce) twice with the same date, and check: the two results are
 * identical (annotating is idempotent), every status is a known one, a
 * reopened threat is open, every issue has a known kind, a message and a
 * "name:line:col" source. Then free everything (ASan checks the model's
 * strings do not point into the freed annotations).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "warden/threat.h"

static const char *const ids[] = {
	"TM-SPOOF-01@p-0a1b2c3d4e",
	"TM-INJ-01@p-0a1b2c3d4e@p-99ff00aa11",
	"TM-INJ-04@p-0a1b2c3d4e@p-agent",
	"TM-DISC-01@p-99ff00aa11@x-svc-slack",
	"TM-DISC-03@s-run-history",
	"TM-DOS-01@p-0a1b2c3d4e@p-99ff00aa11",
	"TM-EOP-02@p-community",
};
#define NIDS (sizeof(ids) / sizeof(*ids))

static wd_tm *fixed_tm(void)
{
	wd_tm *tm = calloc(1, sizeof(*tm));
	size_t i;

	if (!tm)
		abort();
	wd_arena_init(&tm->arena, 4096);
	tm->platform = "n8n";
	tm->app_id = "W1";
	tm->app_name = "Orders";
	tm->threats = wd_arena_zalloc(&tm->arena, NIDS * sizeof(*tm->threats));
	if (!tm->threats)
		abort();
	for (i = 0; i < NIDS; i++) {
		tm->threats[i].id = ids[i];
		tm->threats[i].rule = "TM-X-01";
		tm->threats[i].review_by = -1;
	}
	tm->nthreats = NIDS;
	return tm;
}

static void check(const wd_tm *tm)
{
	size_t i;

	for (i = 0; i < tm->nthreats; i++) {
		const wd_tm_threat *t = &tm->threats[i];
		if ((unsigned)t->status > WD_TM_FALSE_POSITIVE)
			abort();
		if (t->reopened && t->status != WD_TM_OPEN)
			abort();
		if (t->justification && !*t->justification)
			abort();
	}
	for (i = 0; i < tm->nissues; i++) {
		const wd_tm_issue *x = &tm->issues[i];
		if (!x->kind || !x->message || !x->source || strncmp(x->source, "fuzz.yaml:", 10))
			abort();
		if (strcmp(x->kind, "stale") && strcmp(x->kind, "reopened") &&
		    strcmp(x->kind, "unjustified") && strcmp(x->kind, "shadowed"))
			abort();
	}
	for (i = 0; i < tm->nassumptions; i++)
		if (!tm->assumptions[i])
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wd_tm_annotations *a = NULL;
	wd_tm *tm;
	wd_error err;
	wd_status rc;
	size_t i, n, nissues;
	wd_tm_status st[NIDS];

	wd_error_clear(&err);
	rc = wd_tm_annotations_load_buffer(&a, "fuzz.yaml", (const char *)data, size, &err);
	if (rc != WD_OK) {
		if (a || err.code != rc)
			abort();
		return 0;
	}
	tm = fixed_tm();
	n = wd_tm_annotations_count(a);
	for (i = 0; i < n; i++) {
		uint32_t line = 0, col = 0;
		if (!wd_tm_annotations_app(a, i, &line, &col) || !line || !col)
			abort();
		(void)wd_tm_annotations_match(a, i, tm);
	}
	if (wd_tm_annotations_app(a, n, NULL, NULL))
		abort();
	if (wd_tm_annotate(tm, a, 20500) != WD_OK)
		abort();
	check(tm);
	nissues = tm->nissues;
	for (i = 0; i < NIDS; i++)
		st[i] = tm->threats[i].status;
	if (wd_tm_annotate(tm, a, 20500) != WD_OK || tm->nissues != nissues)
		abort();
	for (i = 0; i < NIDS; i++)
		if (tm->threats[i].status != st[i])
			abort();
	wd_tm_annotations_free(a);
	check(tm); /* the model's copies survive the annotations */
	wd_tm_free(tm);
	return 0;
}
