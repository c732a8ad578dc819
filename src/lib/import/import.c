/*
 * import/import.c - platform detection by content and the import driver.
 *
 * Detection looks at the shape of the parsed document, never at file
 * extensions (exports are often renamed), except for companions whose role
 * is defined by their name (Node-RED's <flows>_cred.json).
 */
#include <string.h>
#include <sys/stat.h>

#include "warden/detect.h"
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

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');

	return b ? b + 1 : path;
}

static int is_cred_companion_name(const char *path)
{
	const char *base = base_name(path);
	size_t n = strlen(base);

	return n >= 10 && strcmp(base + n - 10, "_cred.json") == 0;
}

/* A workflow definition: {"$schema"?, "triggers": {}, "actions": {}}. */
static int is_definition(const wd_json_doc *doc, const wd_json_val *v)
{
	return wd_json_is_obj(v) && (wd_json_is_obj(wd_json_get(doc, v, "triggers")) ||
	                             wd_json_is_obj(wd_json_get(doc, v, "actions")));
}

/* ARM template with at least one Microsoft.Logic/workflows resource. */
static int is_arm_logic(const wd_json_doc *doc, const wd_json_val *root)
{
	const wd_json_val *res = wd_json_get(doc, root, "resources"), *r;
	size_t i;

	if (!wd_json_is_arr(res))
		return 0;
	WD_JSON_ARR_FOREACH(res, i, r)
	{
		wd_str t = wd_json_get_str(doc, r, "type");
		if (t.len == 25 && wd_str_find_ci(t, "Microsoft.Logic/workflows") == 0)
			return 1;
		/* nested deployments keep their resources one level down */
		if (wd_json_is_obj(r)) {
			const wd_json_val *props = wd_json_get(doc, r, "properties");
			const wd_json_val *tmpl = wd_json_get(doc, props, "template");
			if (wd_json_is_obj(tmpl) && is_arm_logic(doc, tmpl))
				return 1;
		}
	}
	return 0;
}

static int looks_like_powerautomate(const wd_json_doc *doc, const wd_json_val *root)
{
	const wd_json_val *props = wd_json_get(doc, root, "properties");

	if (is_definition(doc, root))
		return 1; /* bare definition */
	if (is_definition(doc, wd_json_get(doc, root, "definition")))
		return 1; /* Logic Apps Standard workflow.json, legacy definition.json */
	if (is_definition(doc, wd_json_get(doc, props, "definition")))
		return 1; /* solution Workflows/ files, legacy definition.json */
	return is_arm_logic(doc, root);
}

/* Make blueprint: {"name", "flow": [modules with "module"], "metadata"}. */
static int looks_like_make(const wd_json_doc *doc, const wd_json_val *root)
{
	const wd_json_val *flow = wd_json_get(doc, root, "flow"), *e;
	size_t i;

	if (!wd_json_is_arr(flow))
		return 0;
	if (wd_json_size(flow) == 0)
		return wd_json_is_obj(wd_json_get(doc, root, "metadata"));
	WD_JSON_ARR_FOREACH(flow, i, e)
	{
		if (wd_json_is_str(wd_json_get(doc, e, "module")))
			return 1;
		if (i > 4)
			break;
	}
	return 0;
}

/* Zapier export: {"metadata", "zaps": [{"nodes": {...}}]}. */
static int looks_like_zapier(const wd_json_doc *doc, const wd_json_val *root)
{
	const wd_json_val *zaps = wd_json_get(doc, root, "zaps");

	return wd_json_is_arr(zaps) &&
	       (wd_json_size(zaps) == 0 || wd_json_is_obj(wd_json_get(doc, wd_json_first(zaps), "nodes")));
}

/*
 * Files that belong to a Power Automate / Logic Apps export and are read
 * with its workflow: legacy package manifest.json, apisMap.json,
 * connectionsMap.json; Logic Apps Standard connections.json and
 * parameters.json.
 */
static int is_pa_companion(const wd_json_doc *doc, const wd_json_val *root, const char *path)
{
	const char *b = base_name(path);
	const wd_json_val *k, *v;
	size_t i;

	if (!wd_json_is_obj(root))
		return 0;
	if (strcmp(b, "apisMap.json") == 0 || strcmp(b, "connectionsMap.json") == 0) {
		WD_JSON_OBJ_FOREACH(root, i, k, v)
		if (!wd_json_is_str(v))
			return 0;
		return 1;
	}
	if (strcmp(b, "manifest.json") == 0)
		return wd_json_get(doc, root, "resources") || wd_json_get(doc, root, "flowAssets") ||
		       wd_json_get(doc, root, "packageSchemaVersion");
	if (strcmp(b, "connections.json") == 0)
		return wd_json_get(doc, root, "managedApiConnections") ||
		       wd_json_get(doc, root, "serviceProviderConnections") ||
		       wd_json_get(doc, root, "functionConnections");
	if (strcmp(b, "parameters.json") == 0 && wd_json_size(root) > 0) {
		WD_JSON_OBJ_FOREACH(root, i, k, v)
		if (!wd_json_is_obj(v) || !wd_json_get(doc, v, "value"))
			return 0;
		return 1;
	}
	return 0;
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
		if (path && is_pa_companion(doc, root, path)) {
			*platform = WD_PLATFORM_POWER_AUTOMATE;
			return WD_DETECT_COMPANION;
		}
		if (looks_like_n8n_any(doc, root)) {
			*platform = WD_PLATFORM_N8N;
			return WD_DETECT_EXPORT;
		}
		if (looks_like_make(doc, root)) {
			*platform = WD_PLATFORM_MAKE;
			return WD_DETECT_EXPORT;
		}
		if (looks_like_zapier(doc, root)) {
			*platform = WD_PLATFORM_ZAPIER;
			return WD_DETECT_EXPORT;
		}
		if (looks_like_powerautomate(doc, root)) {
			*platform = WD_PLATFORM_POWER_AUTOMATE;
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
		return wd_error_set(err, WD_EFORMAT, "a companion file (read with the export beside it)");
	}
	if (det != WD_DETECT_EXPORT) {
		wd_json_free(doc);
		return wd_error_set(err, WD_EFORMAT,
		                    "not a workflow export Warden reads (n8n, Node-RED, Power Automate / "
		                    "Logic Apps, Make, Zapier)");
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
	case WD_PLATFORM_POWER_AUTOMATE:
		rc = wd_import_powerautomate(m, di, opts, err);
		break;
	case WD_PLATFORM_MAKE:
		rc = wd_import_make(m, di, opts, err);
		break;
	case WD_PLATFORM_ZAPIER:
		rc = wd_import_zapier(m, di, opts, err);
		break;
	default:
		rc = wd_error_set(err, WD_EFORMAT, "no importer for %s", wd_platform_name(platform));
		break;
	}
	if (rc == WD_OK) {
		rc = wd_model_finish(m);
		if (rc != WD_OK)
			wd_error_set(err, rc, "%s", wd_status_str(rc));
	}
	/* the enrichers: secrets and sensitive data (detect/) */
	if (rc == WD_OK)
		rc = wd_detect_enrich(m, opts->detector ? opts->detector : wd_detector_default(),
		                      opts->scratch, err);
	if (rc == WD_OK) {
		/* done */
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

/* ---- companions and the filesystem source ---------------------------------------- */

static wd_status fs_read(void *ctx, const char *path, uint64_t max_size, char **data,
                         size_t *len, wd_error *err)
{
	struct stat st;

	(void)ctx;
	if (stat(path, &st) != 0)
		return WD_ENOTFOUND;
	return wd_read_file(path, max_size, data, len, err);
}

static const wd_source fs_source = {fs_read, NULL};

/*
 * dirname(main) + "/" + rel, with "." and ".." segments resolved as text.
 * Fails (returns 0) when ".." would climb above the first segment, so a
 * companion can never be looked for outside the export's own tree.
 */
static int join_rel(const char *main, const char *rel, wd_buf *out)
{
	const char *slash = strrchr(main, '/');
	const char *bang = NULL, *p;
	size_t keep, root;

	/* archive member paths ("pkg.zip!/a/b.json"): never leave the archive */
	for (p = main; (p = strstr(p, "!/")) != NULL; p += 2)
		bang = p;
	root = bang ? (size_t)(bang - main) + 2 : 0;
	keep = slash ? (size_t)(slash - main) + 1 : 0;
	if (keep < root)
		keep = root;
	wd_buf_put(out, main, keep);
	while (*rel) {
		const char *end = strchr(rel, '/');
		size_t n = end ? (size_t)(end - rel) : strlen(rel);
		if (n == 0 || (n == 1 && rel[0] == '.')) {
			/* skip */
		} else if (n == 2 && rel[0] == '.' && rel[1] == '.') {
			size_t l = out->len;
			if (l <= root || l == 0)
				return 0;
			/* drop the last segment (out ends with '/') */
			l--;
			while (l > root && out->data[l - 1] != '/')
				l--;
			if (l < root)
				return 0;
			out->len = l;
			out->data[l] = '\0';
		} else {
			wd_buf_put(out, rel, n);
			if (end)
				wd_buf_putc(out, '/');
		}
		if (!end)
			break;
		rel = end + 1;
	}
	return !wd_buf_failed(out);
}

wd_status wd_import_companion(wd_model *m, const wd_import_opts *opts, const char *rel,
                              uint32_t *doc, wd_error *err)
{
	const wd_source *src = opts && opts->source ? opts->source : &fs_source;
	wd_limits lim = opts ? opts->limits : wd_limits_default();
	wd_json_doc *jd = NULL;
	wd_buf path;
	char *data = NULL;
	size_t len = 0;
	wd_status rc;

	if (!opts || !opts->load_companions || !m->ndocs)
		return WD_ENOTFOUND;
	wd_limits_resolve(&lim);
	wd_buf_init(&path, 1 << 16);
	if (!join_rel(m->docs[0].path, rel, &path)) {
		wd_buf_release(&path);
		return WD_ENOTFOUND;
	}
	rc = src->read(src->ctx, wd_buf_cstr(&path), lim.max_file_size, &data, &len, err);
	if (rc == WD_OK)
		rc = wd_json_parse_owned(&jd, data, len, &lim, err);
	if (rc == WD_OK)
		rc = wd_model_add_doc(m, wd_buf_cstr(&path), jd, doc);
	wd_buf_release(&path);
	return rc;
}

const wd_catalog_entry *wd_import_lookup(const wd_import_opts *opts, wd_platform p,
                                         const wd_str *types, size_t ntypes)
{
	const wd_catalog *cat = opts && opts->catalog ? opts->catalog : wd_catalog_default();
	size_t i;

	for (i = 0; i < ntypes; i++) {
		const wd_catalog_entry *e = wd_catalog_lookup(cat, p, types[i]);
		if (e)
			return e;
	}
	return NULL;
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
