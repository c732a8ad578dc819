/*
 * scan/finish.c - what is decided over a whole scan result, after the last
 * file: suppressions (justified exceptions) and the per-app risk totals.
 *
 * A suppression applies only when it is complete and current: it names a
 * justification and an approver and has an expiry date that has not passed.
 * An incomplete one (WD-SUP-001) or an expired one (WD-SUP-002) suppresses
 * nothing and is itself a finding, so an exception can never silently
 * outlive its reason; one that matches no finding any more is stale
 * (WD-SUP-003). Suppressed findings stay in the result with their status:
 * accepted risk is still residual risk (the reporters count it in the app
 * totals, report/common.c).
 */
#include <stdlib.h>
#include <string.h>

#include "warden/policy.h"
#include "warden/scan.h"
#include "warden/yaml.h"

static const char *dup_c(wd_scan_result *r, const char *s)
{
	return wd_arena_strndup(&r->arena, s ? s : "", s ? strlen(s) : 0);
}

static int sup_complete(const wd_suppression *s)
{
	return s->justification && s->justification[0] && s->approver && s->approver[0] &&
	       s->expires >= 0;
}

/* today <= 0 means the caller gave no date: expiry cannot be judged. */
static int sup_expired(const wd_suppression *s, int32_t today)
{
	return today > 0 && s->expires >= 0 && s->expires < today;
}

/* Split "file:line:col" (the suppression's source) from the right. */
static void split_source(const char *src, wd_buf *file, uint32_t *line, uint32_t *col)
{
	const char *c2 = src ? strrchr(src, ':') : NULL, *c1 = NULL;

	*line = *col = 0;
	if (c2 && c2 > src) {
		for (c1 = c2 - 1; c1 > src && *c1 != ':'; c1--)
			;
		if (*c1 == ':') {
			*line = (uint32_t)strtoul(c1 + 1, NULL, 10);
			*col = (uint32_t)strtoul(c2 + 1, NULL, 10);
			wd_buf_put(file, src, (size_t)(c1 - src));
			return;
		}
	}
	wd_buf_puts(file, src ? src : "");
}

/* The identity of a suppression for fingerprints: its criteria, not its
 * position, so reformatting or moving the policy file keeps it stable. */
static void sup_identity(const wd_suppression *s, wd_buf *b)
{
	const char *parts[5] = {s->fingerprint, s->rule, s->app, s->path, s->component};
	int i;

	for (i = 0; i < 5; i++) {
		wd_buf_puts(b, parts[i] ? parts[i] : "");
		wd_buf_putc(b, '\0');
	}
}

static wd_status add_sup_finding(wd_scan_result *r, const char *rule_id,
                                 const wd_suppression *s, const char *message)
{
	const wd_rule *rule = wd_rules_find(rule_id);
	wd_result_finding *y;
	wd_buf key, file;
	uint8_t digest[32];
	char fp[33];
	uint32_t line, col;

	if (!rule)
		return WD_OK; /* descriptor not in this build's table */
	if (wd_grow((void **)&r->findings, &r->findings_cap, r->nfindings + 1,
	            sizeof(*r->findings)) != WD_OK)
		return WD_ENOMEM;
	wd_buf_init(&key, 1 << 16);
	wd_buf_init(&file, 1 << 16);
	wd_buf_puts(&key, rule->id);
	wd_buf_putc(&key, '\0');
	sup_identity(s, &key);
	wd_sha256(key.data ? key.data : "", key.len, digest);
	wd_hex(digest, 16, fp);
	split_source(s->source, &file, &line, &col);

	y = &r->findings[r->nfindings];
	memset(y, 0, sizeof(*y));
	y->rule = rule;
	y->severity = rule->severity;
	y->fingerprint = dup_c(r, fp);
	y->platform = "policy";
	y->app_name = "";
	y->app_id = "";
	y->file = wd_arena_strndup(&r->arena, file.data ? file.data : "", file.len);
	y->app_file = y->file;
	y->line = line;
	y->column = col;
	y->pointer = "";
	y->message = dup_c(r, message);
	y->evidence = "";
	y->confidence = -1;
	y->app_index = UINT32_MAX;
	y->is_new = -1;
	wd_buf_release(&key);
	wd_buf_release(&file);
	if (!y->fingerprint || !y->file || !y->message)
		return WD_ENOMEM;
	r->nfindings++;
	return WD_OK;
}

/* A short description of what a suppression targets, for messages. */
static void describe(const wd_suppression *s, wd_buf *b)
{
	const char *sep = "";

	if (s->rule && s->rule[0]) {
		wd_buf_printf(b, "rule %s", s->rule);
		sep = ", ";
	}
	if (s->app && s->app[0]) {
		wd_buf_printf(b, "%sapp '%s'", sep, s->app);
		sep = ", ";
	}
	if (s->component && s->component[0]) {
		wd_buf_printf(b, "%scomponent '%s'", sep, s->component);
		sep = ", ";
	}
	if (s->path && s->path[0]) {
		wd_buf_printf(b, "%spath '%s'", sep, s->path);
		sep = ", ";
	}
	if (s->fingerprint && s->fingerprint[0])
		wd_buf_printf(b, "%sfingerprint %.12s...", sep, s->fingerprint);
	if (!b->len)
		wd_buf_puts(b, "nothing (no criteria)");
}

/* A copy in the result's arena: the result outlives the policy. */
static const wd_suppression *copy_sup(wd_scan_result *r, const wd_suppression *s)
{
	wd_suppression *c = wd_arena_alloc(&r->arena, sizeof(*c));

	if (!c)
		return NULL;
	*c = *s;
#define COPY(f)                                              \
	if (s->f && !(c->f = dup_c(r, s->f)))                \
		return NULL;
	COPY(fingerprint) COPY(rule) COPY(app) COPY(path) COPY(component)
	COPY(justification) COPY(approver) COPY(source)
#undef COPY
	return c;
}

static wd_status apply_suppressions(wd_scan_result *r, const wd_policy *p, int32_t today)
{
	size_t ns = 0, i, j, nfind = r->nfindings;
	const wd_suppression *sups = wd_policy_suppressions(p, &ns);
	const wd_suppression **copies;
	size_t *hits;
	wd_status rc = WD_OK;

	if (!ns)
		return WD_OK;
	hits = calloc(ns, sizeof(*hits));
	copies = calloc(ns, sizeof(*copies));
	if (!hits || !copies) {
		free(hits);
		free(copies);
		return WD_ENOMEM;
	}
	for (i = 0; i < nfind; i++) {
		wd_result_finding *f = &r->findings[i];
		for (j = 0; j < ns; j++) {
			if (!wd_suppression_match(&sups[j], f->fingerprint, f->rule->id, f->app_name,
			                          f->app_id, f->app_file, f->comp_name, f->comp_id))
				continue;
			hits[j]++;
			if (f->status == WD_FINDING_OPEN && sup_complete(&sups[j]) &&
			    !sup_expired(&sups[j], today)) {
				if (!copies[j] && !(copies[j] = copy_sup(r, &sups[j]))) {
					rc = WD_ENOMEM;
					goto out;
				}
				f->status = WD_FINDING_SUPPRESSED;
				f->suppression = copies[j];
			}
		}
	}
	for (j = 0; j < ns && rc == WD_OK; j++) {
		const wd_suppression *s = &sups[j];
		wd_buf what, msg;
		wd_buf_init(&what, 4096);
		wd_buf_init(&msg, 8192);
		describe(s, &what);
		if (!sup_complete(s)) {
			wd_buf_printf(&msg, "Suppression of %s is missing %s%s%s: it suppresses nothing until "
			              "it says why, who approved it and until when",
			              wd_buf_cstr(&what),
			              !(s->justification && s->justification[0]) ? "a justification " : "",
			              !(s->approver && s->approver[0]) ? "an approver " : "",
			              s->expires < 0 ? "an expiry date" : "");
			rc = add_sup_finding(r, "WD-SUP-001", s, wd_buf_cstr(&msg));
		} else if (sup_expired(s, today)) {
			char date[11];
			wd_date_format(s->expires, date);
			wd_buf_printf(&msg, "Suppression of %s (approved by %s) expired on %s: the %zu "
			              "finding(s) it covered are open again",
			              wd_buf_cstr(&what), s->approver, date, hits[j]);
			rc = add_sup_finding(r, "WD-SUP-002", s, wd_buf_cstr(&msg));
		}
		if (rc == WD_OK && hits[j] == 0) {
			wd_buf_reset(&msg);
			wd_buf_printf(&msg, "Suppression of %s matches no finding any more: remove it, or "
			              "it will silently hide a future finding",
			              wd_buf_cstr(&what));
			rc = add_sup_finding(r, "WD-SUP-003", s, wd_buf_cstr(&msg));
		}
		if (rc == WD_OK && (wd_buf_failed(&what) || wd_buf_failed(&msg)))
			rc = WD_ENOMEM;
		wd_buf_release(&what);
		wd_buf_release(&msg);
	}
out:
	free(hits);
	free(copies);
	return rc;
}

wd_status wd_scan_finish(wd_scan_result *r, const wd_policy *policy, int32_t today)
{
	if (policy) {
		r->has_policy = 1;
		r->has_owners = wd_policy_has_owners(policy);
		return apply_suppressions(r, policy, today);
	}
	return WD_OK;
}
