/*
 * scan/baseline.c - compare a scan with an earlier one, and the --fail-on gate.
 *
 * A baseline is an earlier `warden scan --format json` document (any 1.x
 * version: every one has findings[].fingerprint). Fingerprints ignore file
 * paths and positions (rules.h), so a finding stays "unchanged" across
 * moves, reformatting and node reordering. The document is untrusted: it is
 * validated completely (JSON syntax, tool name, major version, the type of
 * every fingerprint) before the result is touched, so a bad baseline changes
 * nothing and its error names a line and column.
 */
#include <stdlib.h>
#include <string.h>

#include "warden/json.h"
#include "warden/scan.h"

static int is_fingerprint(wd_str s)
{
	size_t i;

	if (s.len != 32)
		return 0;
	for (i = 0; i < s.len; i++)
		if (!((s.ptr[i] >= '0' && s.ptr[i] <= '9') || (s.ptr[i] >= 'a' && s.ptr[i] <= 'f')))
			return 0;
	return 1;
}

/* The error for value v (or the root when v is NULL) of a document. */
static wd_status bad(wd_json_doc *doc, const wd_json_val *v, wd_error *err, const char *what)
{
	wd_error_set(err, WD_EFORMAT, "not a Warden JSON result: %s", what);
	wd_json_error_at(doc, v ? v : wd_json_root(doc), err);
	return WD_EFORMAT;
}

/* Check the document and collect its findings' fingerprints (slices into doc). */
static wd_status collect(wd_json_doc *doc, wd_str **out, size_t *nout, wd_error *err)
{
	const wd_json_val *root = wd_json_root(doc), *tool, *ver, *findings, *f;
	wd_str name, v, *fps = NULL;
	size_t i, cap = 0;

	*out = NULL;
	*nout = 0;
	if (!wd_json_is_obj(root))
		return bad(doc, root, err, "expected an object (the output of `warden scan --format json`)");
	tool = wd_json_get(doc, root, "tool");
	if (!tool)
		return bad(doc, root, err, "no \"tool\" member");
	name = wd_json_get_str(doc, tool, "name");
	if (!wd_json_is_obj(tool) || !wd_str_eq_c(name, "warden"))
		return bad(doc, tool, err, "\"tool\" is not {\"name\": \"warden\", ...}");
	ver = wd_json_get(doc, root, "version");
	if (!ver)
		return bad(doc, root, err, "no \"version\" member");
	v = wd_json_str(doc, ver);
	if (!wd_json_is_str(ver) || !wd_str_starts_with(v, "1.") || v.len < 3) {
		wd_error_set(err, WD_EFORMAT, "unsupported result version (this Warden reads 1.x)");
		wd_json_error_at(doc, ver, err);
		return WD_EFORMAT;
	}
	findings = wd_json_get(doc, root, "findings");
	if (!findings)
		return bad(doc, root, err, "no \"findings\" member");
	if (!wd_json_is_arr(findings))
		return bad(doc, findings, err, "\"findings\" is not an array");
	WD_JSON_ARR_FOREACH(findings, i, f) {
		const wd_json_val *fp = wd_json_is_obj(f) ? wd_json_get(doc, f, "fingerprint") : NULL;
		const char *why = NULL;
		if (!wd_json_is_obj(f))
			why = "a finding is not an object";
		else if (!fp)
			why = "a finding has no \"fingerprint\"";
		else if (!wd_json_is_str(fp) || !is_fingerprint(wd_json_str(doc, fp)))
			why = "a fingerprint is not 32 lower-case hex digits";
		if (why) {
			free(fps);
			return bad(doc, fp ? fp : f, err, why);
		}
		if (wd_grow((void **)&fps, &cap, *nout + 1, sizeof(*fps)) != WD_OK) {
			free(fps);
			return wd_error_set(err, WD_ENOMEM, "out of memory");
		}
		fps[(*nout)++] = wd_json_str(doc, fp);
	}
	*out = fps;
	return WD_OK;
}

wd_status wd_scan_apply_baseline(wd_scan_result *r, const char *json, size_t len,
                                 wd_error *err)
{
	wd_json_doc *doc = NULL;
	wd_hmap map = WD_HMAP_INIT;
	wd_str *fps = NULL;
	unsigned char *matched = NULL;
	size_t nfps = 0, i, nuniq = 0, still = 0;
	wd_status rc;

	rc = wd_json_parse(&doc, json, len, NULL, err);
	if (rc != WD_OK)
		return rc;
	rc = collect(doc, &fps, &nfps, err);
	if (rc != WD_OK)
		goto out;
	if (nfps > UINT32_MAX - 1) {
		rc = wd_error_set(err, WD_ELIMIT, "too many findings in the baseline");
		goto out;
	}
	/* one map entry per distinct fingerprint (a baseline may repeat one) */
	for (i = 0; i < nfps; i++) {
		uint64_t h = wd_hash64(fps[i].ptr, fps[i].len, 0);
		size_t slot = WD_HMAP_START;
		uint32_t k;
		while ((k = wd_hmap_next(&map, h, &slot)) != UINT32_MAX)
			if (wd_str_eq(fps[k], fps[i]))
				break;
		if (k != UINT32_MAX)
			continue;
		if (wd_hmap_put(&map, h, (uint32_t)i) != WD_OK) {
			rc = wd_error_set(err, WD_ENOMEM, "out of memory");
			goto out;
		}
		nuniq++;
	}
	matched = calloc(nfps + 1, 1);
	if (!matched) {
		rc = wd_error_set(err, WD_ENOMEM, "out of memory");
		goto out;
	}
	/* nothing below fails: the result changes all at once or not at all */
	for (i = 0; i < r->nfindings; i++) {
		wd_result_finding *f = &r->findings[i];
		wd_str s = wd_str_c(f->fingerprint ? f->fingerprint : "");
		size_t slot = WD_HMAP_START;
		uint32_t k;
		while ((k = wd_hmap_next(&map, wd_hash64(s.ptr, s.len, 0), &slot)) != UINT32_MAX)
			if (wd_str_eq(fps[k], s))
				break;
		f->is_new = k == UINT32_MAX;
		if (k != UINT32_MAX && !matched[k]) {
			matched[k] = 1;
			still++;
		}
	}
	r->has_baseline = 1;
	r->baseline_fixed = nuniq - still;
out:
	free(matched);
	free(fps);
	wd_hmap_release(&map);
	wd_json_free(doc);
	return rc;
}

int wd_scan_finding_gates(const wd_scan_result *r, const wd_result_finding *f, int fail_on)
{
	if (fail_on > WD_SEV_CRITICAL || f->status != WD_FINDING_OPEN || (int)f->severity < fail_on)
		return 0;
	return !r->has_baseline || f->is_new == 1;
}

size_t wd_scan_count_gate(const wd_scan_result *r, int fail_on)
{
	size_t i, n = 0;

	for (i = 0; i < r->nfindings; i++)
		n += (size_t)wd_scan_finding_gates(r, &r->findings[i], fail_on);
	return n;
}
