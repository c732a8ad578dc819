/*
 * import/import.c - platform detection by content and the import driver.
 *
 * Detection looks at the shape of the parsed document, never at file
 * extensions (exports are often renamed), except for companions whose role
 * is defined by their name (Node-RED's <flows>_cred.json).
 */
#include <string.h>

#include "warden/import.h"

static int looks_like_n8n(const wd_json_doc *doc, const wd_json_val *root)
{
	const wd_json_val *nodes = wd_json_get(doc, root, "nodes");
	const wd_json_val *conns = wd_json_get(doc, root, "connections");
	const wd_json_val *n;
	size_t i;

	if (!wd_json_is_arr(nodes))
		return 0;
	if (wd_json_is_obj(conns))
		return 1;
	/* no connections object: accept when the nodes look like n8n nodes */
	WD_JSON_ARR_FOREACH(nodes, i, n)
	{
		if (wd_json_is_obj(n) && wd_json_get(doc, n, "type") &&
		    (wd_json_get(doc, n, "typeVersion") || wd_json_get(doc, n, "parameters")))
			return 1;
		if (i > 8)
			break;
	}
	return 0;
}

/* n8n exports also come wrapped: {"data": workflow}, {"data": [workflows]}
 * (API responses) or as an array of workflows (n8n export:workflow --all). */
static int looks_like_n8n_any(const wd_json_doc *doc, const wd_json_val *v)
{
	const wd_json_val *e;
	size_t i;

	if (wd_json_is_obj(v)) {
		const wd_json_val *data = wd_json_get(doc, v, "data");
		if (looks_like_n8n(doc, v))
			return 1;
		if (wd_json_is_obj(data))
			return looks_like_n8n(doc, data);
		v = data;
	}
	if (!wd_json_is_arr(v) || wd_json_size(v) == 0)
		return 0;
	WD_JSON_ARR_FOREACH(v, i, e)
	{
		if (!looks_like_n8n(doc, e))
			return 0;
		if (i >= 3)
			break;
	}
	return 1;
}

static int looks_like_nodered_array(const wd_json_doc *doc, const wd_json_val *arr)
{
	const wd_json_val *n;
	size_t i, typed = 0, objs = 0;

	if (!wd_json_is_arr(arr) || wd_json_size(arr) == 0)
		return 0;
	WD_JSON_ARR_FOREACH(arr, i, n)
	{
		if (!wd_json_is_obj(n))
			continue;
		objs++;
		if (wd_json_is_str(wd_json_get(doc, n, "id")) &&
		    wd_json_is_str(wd_json_get(doc, n, "type")))
			typed++;
	}
	/* most elements must be node objects with an id and a type */
	return objs > 0 && typed * 2 > objs;
}

static int is_cred_companion_name(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	return n >= 10 && strcmp(base + n - 10, "_cred.json") == 0;
}

wd_detect_result wd_import_detect(const wd_json_doc *doc, const char *path,
                                  wd_platform *platform)
{
	const wd_json_val *root = wd_json_root(doc);

	*platform = WD_PLATFORM_UNKNOWN;
	if (!root)
		return WD_DETECT_UNKNOWN;
	if (wd_json_is_obj(root)) {
		if (path && is_cred_companion_name(path)) {
			*platform = WD_PLATFORM_NODERED;
			return WD_DETECT_COMPANION;
		}
		if (looks_like_n8n_any(doc, root)) {
			*platform = WD_PLATFORM_N8N;
			return WD_DETECT_EXPORT;
		}
		if (wd_json_get(doc, root, "rev") &&
		    looks_like_nodered_array(doc, wd_json_get(doc, root, "flows"))) {
			*platform = WD_PLATFORM_NODERED;
			return WD_DETECT_EXPORT;
		}
		return WD_DETECT_UNKNOWN;
	}
	if (looks_like_n8n_any(doc, root)) {
		*platform = WD_PLATFORM_N8N;
		return WD_DETECT_EXPORT;
	}
	if (looks_like_nodered_array(doc, root)) {
		*platform = WD_PLATFORM_NODERED;
		return WD_DETECT_EXPORT;
	}
	return WD_DETECT_UNKNOWN;
}

static void resolve_opts(wd_import_opts *opts, const wd_import_opts *in)
{
	if (in) {
		*opts = *in;
	} else {
		memset(opts, 0, sizeof(*opts));
		opts->load_companions = 1;
	}
	wd_limits_resolve(&opts->limits);
}

/* Detect, build and finish a model from a parsed document (which it takes). */
static wd_status import_doc(wd_model **out, const char *path, wd_json_doc *doc,
                            const wd_import_opts *opts, int *companion, wd_error *err)
{
	wd_model *m = NULL;
	wd_platform platform;
	wd_detect_result det;
	uint32_t di;
	wd_status rc;

	det = wd_import_detect(doc, path, &platform);
	if (det == WD_DETECT_COMPANION) {
		wd_json_free(doc);
		if (companion)
			*companion = 1;
		return wd_error_set(err, WD_EFORMAT,
		                    "a Node-RED credentials file (read with the flow file beside it)");
	}
	if (det != WD_DETECT_EXPORT) {
		wd_json_free(doc);
		return wd_error_set(err, WD_EFORMAT,
		                    "not a workflow export Warden reads (n8n workflow, Node-RED flow)");
	}
	rc = wd_model_new(&m, path, &opts->limits);
	if (rc != WD_OK) {
		wd_json_free(doc);
		return wd_error_set(err, rc, "out of memory");
	}
	m->platform = platform;
	rc = wd_model_add_doc(m, path, doc, &di);
	if (rc != WD_OK) {
		wd_model_free(m);
		return wd_error_set(err, rc, "out of memory");
	}
	switch (platform) {
	case WD_PLATFORM_N8N:
		rc = wd_import_n8n(m, di, opts, err);
		break;
	case WD_PLATFORM_NODERED:
		rc = wd_import_nodered(m, di, opts, err);
		break;
	default:
		rc = wd_error_set(err, WD_EFORMAT, "no importer for %s", wd_platform_name(platform));
		break;
	}
	if (rc == WD_OK) {
		rc = wd_model_finish(m);
		if (rc != WD_OK)
			wd_error_set(err, rc, "%s", wd_status_str(rc));
	} else if (err && err->message[0] == '\0') {
		wd_error_set(err, rc, "%s", wd_status_str(rc));
	}
	if (rc != WD_OK) {
		wd_model_free(m);
		return rc;
	}
	*out = m;
	return WD_OK;
}

wd_status wd_import_file(wd_model **out, const char *path, const wd_import_opts *opts_in,
                         int *companion, wd_error *err)
{
	wd_import_opts opts;
	wd_json_doc *doc = NULL;
	wd_status rc;

	*out = NULL;
	if (companion)
		*companion = 0;
	resolve_opts(&opts, opts_in);
	rc = wd_json_parse_file(&doc, path, &opts.limits, err);
	if (rc != WD_OK)
		return rc;
	return import_doc(out, path, doc, &opts, companion, err);
}

wd_status wd_import_buffer(wd_model **out, const char *path, char *data, size_t len,
                           const wd_import_opts *opts_in, int *companion, wd_error *err)
{
	wd_import_opts opts;
	wd_json_doc *doc = NULL;
	wd_status rc;

	*out = NULL;
	if (companion)
		*companion = 0;
	resolve_opts(&opts, opts_in);
	rc = wd_json_parse_owned(&doc, data, len, &opts.limits, err);
	if (rc != WD_OK)
		return rc;
	return import_doc(out, path, doc, &opts, companion, err);
}
