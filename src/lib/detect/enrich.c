/*
 * detect/enrich.c - run the detection engine over a finished model.
 *
 * Walks every string value an export carries for its components (their
 * configuration trees), its apps' pinned data, and gives each confirmed
 * secret a wd_detection with its exact location and redacted evidence.
 * Field classes come from names and, for pinned and static values, from
 * validated values. Rules then read m->detections and m->fields; nothing
 * here knows a platform's format beyond "objects, arrays and strings".
 *
 * Bounds: at most WALK_DEPTH levels, MAX_PER_COMP detections per component
 * or app, and the detector's own per-value cap.
 */
#include <string.h>

#include "warden/detect.h"

#define WALK_DEPTH 64
#define MAX_PER_COMP 16

typedef struct walk {
	wd_model *m;
	const wd_detector *d;
	wd_detect_scratch *s;
	uint32_t doc;
	const wd_json_doc *jd;
	uint32_t app;
	uint32_t comp;
	uint32_t found;
	const wd_json_val *val;
	wd_str key;
	wd_str text;
	wd_status rc;
	int pinned;          /* walking pinned data: also classify values */
} walk;

static wd_str arena_copy(wd_model *m, const char *s)
{
	return wd_arena_str(&m->arena, wd_str_c(s ? s : ""));
}

static int on_hit(void *ud, const wd_secret_hit *h)
{
	walk *w = ud;
	wd_detection det;
	wd_buf red;
	size_t n;

	if (w->found >= MAX_PER_COMP)
		return 1;
	memset(&det, 0, sizeof(det));
	det.app = w->app;
	det.comp = w->comp;
	det.loc = wd_model_loc(w->m, w->doc, w->val);
	det.rule_id = arena_copy(w->m, h->rule_id);
	det.provider = arena_copy(w->m, h->provider);
	det.family = arena_copy(w->m, h->family);
	det.key = w->key.len ? wd_arena_str(&w->m->arena, w->key) : WD_STR_NULL;
	det.severity = h->severity;
	det.confidence = h->confidence;
	wd_buf_init(&red, sizeof(det.evidence));
	wd_redact(wd_str_make(w->text.ptr + h->start, h->end - h->start), &red);
	n = red.len < sizeof(det.evidence) - 1 ? red.len : sizeof(det.evidence) - 1;
	memcpy(det.evidence, wd_buf_cstr(&red), n);
	det.evidence[n] = '\0';
	wd_buf_release(&red);
	if (!det.rule_id.ptr || !det.family.ptr) {
		w->rc = WD_ENOMEM;
		return 1;
	}
	w->rc = wd_model_add_detection(w->m, &det);
	w->found++;
	return w->rc != WD_OK;
}

/* Bookkeeping members that never hold secrets (Node-RED, n8n). */
static int skip_key(wd_str k)
{
	return wd_str_eq_c(k, "id") || wd_str_eq_c(k, "z") || wd_str_eq_c(k, "wires") ||
	       wd_str_eq_c(k, "type") || wd_str_eq_c(k, "x") || wd_str_eq_c(k, "y") ||
	       wd_str_eq_c(k, "position") || wd_str_eq_c(k, "typeVersion") ||
	       wd_str_eq_c(k, "webhookId");
}

static void scan_value(walk *w, const wd_json_val *v, wd_str key)
{
	wd_str t = wd_json_str(w->jd, v);

	if (t.len < 8 || w->rc != WD_OK || w->found >= MAX_PER_COMP)
		return;
	w->val = v;
	w->key = key;
	w->text = t;
	w->rc = wd_detect_secrets(w->d, w->s, t, key, on_hit, w);
	/* captured values that validate as personal data become fields */
	if (w->rc == WD_OK && w->pinned && key.len) {
		wd_class c = wd_detect_class_of_value(t);
		if (c != WD_CLASS_NONE)
			w->rc = wd_model_add_field_once(w->m, w->comp, key, c,
			                                wd_model_loc(w->m, w->doc, v));
	}
}

static void walk_tree(walk *w, const wd_json_val *v, wd_str key, int depth)
{
	size_t i;

	if (depth > WALK_DEPTH || w->rc != WD_OK)
		return;
	if (wd_json_is_str(v)) {
		scan_value(w, v, key);
	} else if (wd_json_is_arr(v)) {
		const wd_json_val *e;
		WD_JSON_ARR_FOREACH(v, i, e)
		walk_tree(w, e, key, depth + 1);
	} else if (wd_json_is_obj(v)) {
		const wd_json_val *k, *x, *nm = wd_json_get(w->jd, v, "name");
		/* {name, value} pairs (headers, query parameters): the name is the context */
		wd_str pair = wd_json_is_str(nm) ? wd_json_str(w->jd, nm) : WD_STR_NULL;
		WD_JSON_OBJ_FOREACH(v, i, k, x)
		{
			wd_str ks = wd_json_str(w->jd, k);
			if (skip_key(ks))
				continue;
			if (pair.len && wd_str_eq_c(ks, "value"))
				walk_tree(w, x, pair, depth + 1);
			else
				walk_tree(w, x, ks, depth + 1);
		}
	}
}

wd_status wd_detect_enrich(wd_model *m, const wd_detector *d, wd_detect_scratch *scratch,
                           wd_error *err)
{
	wd_detect_scratch *s = scratch;
	wd_status rc;
	size_t i;
	walk w;

	for (i = 0; i < m->nfields; i++)
		if (m->fields[i].cls == WD_CLASS_NONE)
			m->fields[i].cls = wd_detect_class_of_name(m->fields[i].name);
	if (!d)
		return WD_OK;
	if (!s) {
		rc = wd_detect_scratch_new(d, &s, err);
		if (rc != WD_OK)
			return rc;
	}
	memset(&w, 0, sizeof(w));
	w.m = m;
	w.d = d;
	w.s = s;
	for (i = 0; i < m->ncomps && w.rc == WD_OK; i++) {
		const wd_component *c = &m->comps[i];
		const wd_json_val *p = wd_model_val(m, c->params);
		if (!p || c->kind == WD_KIND_NOTE)
			continue;
		w.doc = c->params.doc;
		w.jd = wd_model_json(m, w.doc);
		w.app = c->app;
		w.comp = (uint32_t)i;
		w.found = 0;
		w.pinned = 0;
		walk_tree(&w, p, WD_STR_NULL, 0);
	}
	/* pinned data: keyed by node name; values are captured real data */
	for (i = 0; i < m->napps && w.rc == WD_OK; i++) {
		const wd_json_val *pd = wd_model_val(m, m->apps[i].pindata_loc), *k, *x;
		size_t j;
		if (!wd_json_is_obj(pd))
			continue;
		w.doc = m->apps[i].pindata_loc.doc;
		w.jd = wd_model_json(m, w.doc);
		w.app = (uint32_t)i;
		w.found = 0;
		w.pinned = 1;
		WD_JSON_OBJ_FOREACH(pd, j, k, x)
		{
			/* WD_NONE when the pinned node is gone: the data is still in the file */
			w.comp = wd_model_find_by_name(m, (uint32_t)i, wd_json_str(w.jd, k));
			walk_tree(&w, x, WD_STR_NULL, 0);
		}
	}
	if (s != scratch)
		wd_detect_scratch_free(s);
	if (w.rc != WD_OK)
		return wd_error_set(err, w.rc, "detection: %s", wd_status_str(w.rc));
	return WD_OK;
}
