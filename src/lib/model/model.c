/*
 * model/model.c - the app model: storage, building, finishing and queries.
 *
 * Tables are realloc'd arrays owned by the model; elements refer to each
 * other by index so growth never invalidates a reference. Text is sliced
 * from the model's JSON documents or copied into its arena. wd_model_finish()
 * is the single place that turns catalog knowledge into component kinds,
 * flags and trust zones, so importers stay about formats only.
 */
#include <stdlib.h>
#include <string.h>

#include "warden/catalog.h"
#include "warden/model.h"

/* ---- names ------------------------------------------------------------------- */

static const char *const platform_names[] = {"unknown", "n8n", "node-red", "power-automate",
                                             "make", "zapier"};

const char *wd_platform_name(wd_platform p)
{
	return (unsigned)p < sizeof(platform_names) / sizeof(*platform_names) ? platform_names[p]
	                                                                       : "unknown";
}

const char *wd_platform_title(wd_platform p)
{
	static const char *const titles[] = {"unknown platform", "n8n", "Node-RED",
	                                     "Power Automate / Logic Apps", "Make", "Zapier"};

	return (unsigned)p < sizeof(titles) / sizeof(*titles) ? titles[p] : titles[0];
}

wd_platform wd_platform_parse(wd_str name)
{
	size_t i;

	for (i = 1; i < sizeof(platform_names) / sizeof(*platform_names); i++)
		if (wd_str_eq_c(name, platform_names[i]))
			return (wd_platform)i;
	return WD_PLATFORM_UNKNOWN;
}

static const char *const kind_names[] = {"other", "trigger", "entry", "action", "datastore",
                                         "code", "ai", "subflow", "ui", "config", "logic",
                                         "note"};

const char *wd_kind_name(wd_kind k)
{
	return (unsigned)k < sizeof(kind_names) / sizeof(*kind_names) ? kind_names[k] : "other";
}

wd_kind wd_kind_parse(wd_str name)
{
	size_t i;

	for (i = 0; i < sizeof(kind_names) / sizeof(*kind_names); i++)
		if (wd_str_eq_c(name, kind_names[i]))
			return (wd_kind)i;
	return WD_KIND_OTHER;
}

const char *wd_auth_name(wd_auth a)
{
	static const char *const names[] = {"unknown", "none", "basic", "header", "jwt",
	                                    "oauth", "api-key", "certificate", "platform",
	                                    "dynamic", "external"};
	return (unsigned)a < sizeof(names) / sizeof(*names) ? names[a] : "unknown";
}

int wd_auth_is_open(wd_auth a)
{
	return a == WD_AUTH_NONE || a == WD_AUTH_UNKNOWN || a == WD_AUTH_EXTERNAL ||
	       a == WD_AUTH_DYNAMIC;
}

int wd_component_open_entry(const wd_component *c)
{
	return (c->flags & WD_COMP_PUBLIC) && !(c->flags & WD_COMP_DISABLED) &&
	       wd_auth_is_open(c->auth);
}

const char *wd_edge_kind_name(wd_edge_kind k)
{
	static const char *const names[] = {"flow", "ai", "error", "link", "expression", "config",
	                                    "subflow"};
	return (unsigned)k < sizeof(names) / sizeof(*names) ? names[k] : "flow";
}

const char *wd_ref_kind_name(wd_ref_kind k)
{
	static const char *const names[] = {"input", "node", "env", "credential", "param", "other"};
	return (unsigned)k < sizeof(names) / sizeof(*names) ? names[k] : "other";
}

const char *wd_class_name(wd_class c)
{
	static const char *const names[] = {"none", "public", "internal", "pii", "financial",
	                                    "health", "credential", "secret"};
	return (unsigned)c < sizeof(names) / sizeof(*names) ? names[c] : "none";
}

const char *wd_zone_kind_name(wd_zone_kind k)
{
	static const char *const names[] = {"platform", "public", "external", "internal", "local"};
	return (unsigned)k < sizeof(names) / sizeof(*names) ? names[k] : "platform";
}

/* ---- lifecycle --------------------------------------------------------------- */

wd_status wd_model_new(wd_model **out, const char *path, const wd_limits *lim)
{
	wd_limits l = lim ? *lim : wd_limits_default();
	wd_model *m;

	*out = NULL;
	wd_limits_resolve(&l);
	m = calloc(1, sizeof(*m));
	if (!m)
		return WD_ENOMEM;
	wd_arena_init(&m->arena, 16 * 1024);
	m->path = wd_arena_strndup(&m->arena, path ? path : "", path ? strlen(path) : 0);
	if (!m->path) {
		free(m);
		return WD_ENOMEM;
	}
	m->max_components = l.max_components;
	*out = m;
	return WD_OK;
}

void wd_model_free(wd_model *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->ndocs; i++)
		wd_json_free(m->docs[i].json);
	free(m->docs);
	free(m->apps);
	free(m->comps);
	free(m->edges);
	free(m->creds);
	free(m->cred_uses);
	free(m->refs);
	free(m->fields);
	free(m->targets);
	free(m->zones);
	free(m->detections);
	wd_hmap_release(&m->field_index);
	wd_hmap_release(&m->expr_index);
	wd_arena_release(&m->arena);
	free(m);
}

wd_status wd_model_add_doc(wd_model *m, const char *path, wd_json_doc *doc, uint32_t *idx)
{
	const char *p;

	if (wd_grow((void **)&m->docs, &m->docs_cap, m->ndocs + 1, sizeof(*m->docs)) != WD_OK) {
		wd_json_free(doc);
		return WD_ENOMEM;
	}
	p = wd_arena_strndup(&m->arena, path ? path : "", path ? strlen(path) : 0);
	if (!p) {
		wd_json_free(doc);
		return WD_ENOMEM;
	}
	m->docs[m->ndocs].path = p;
	m->docs[m->ndocs].json = doc;
	if (idx)
		*idx = (uint32_t)m->ndocs;
	m->ndocs++;
	return WD_OK;
}

const wd_json_val *wd_model_val(const wd_model *m, wd_loc loc)
{
	if (loc.doc == WD_NONE || loc.doc >= m->ndocs)
		return NULL;
	return wd_json_by_index(m->docs[loc.doc].json, loc.val);
}

wd_loc wd_model_loc(const wd_model *m, uint32_t doc, const wd_json_val *v)
{
	wd_loc l;

	if (!v || doc >= m->ndocs)
		return WD_LOC_NONE;
	l.doc = doc;
	l.val = (uint32_t)wd_json_index(m->docs[doc].json, v);
	return l;
}

/* ---- building ------------------------------------------------------------------ */

#define APPEND(m, arr, n, cap, item)                                                     \
	do {                                                                               \
		if (wd_grow((void **)&(m)->arr, &(m)->cap, (m)->n + 1, sizeof(*(m)->arr)) != \
		    WD_OK)                                                                 \
			return WD_ENOMEM;                                                  \
		(m)->arr[(m)->n] = *(item);                                                \
		(m)->n++;                                                                  \
	} while (0)

void wd_app_init(wd_app *a, wd_platform p)
{
	memset(a, 0, sizeof(*a));
	a->platform = p;
	a->loc = WD_LOC_NONE;
	a->active = -1;
	a->save_failed = -1;
	a->save_success = -1;
	a->save_manual = -1;
	a->error_handling = -1;
	a->confidential = -1;
	a->execution_timeout = -1;
	a->settings_loc = WD_LOC_NONE;
	a->pindata_loc = WD_LOC_NONE;
}

void wd_component_init(const wd_model *m, wd_component *c)
{
	memset(c, 0, sizeof(*c));
	c->app = m->napps ? (uint32_t)(m->napps - 1) : WD_NONE;
	c->loc = WD_LOC_NONE;
	c->params = WD_LOC_NONE;
	c->auth_loc = WD_LOC_NONE;
	c->code_loc = WD_LOC_NONE;
	c->zone = WD_NONE;
}

wd_status wd_model_add_app(wd_model *m, const wd_app *a, uint32_t *idx)
{
	wd_app copy = *a;

	copy.comp_first = (uint32_t)m->ncomps;
	copy.comp_count = 0;
	APPEND(m, apps, napps, apps_cap, &copy);
	if (idx)
		*idx = (uint32_t)(m->napps - 1);
	return WD_OK;
}

wd_status wd_model_add_component(wd_model *m, const wd_component *c, uint32_t *idx)
{
	if (m->ncomps >= m->max_components)
		return WD_ELIMIT;
	if (c->app != WD_NONE) {
		wd_app *a;
		/* contiguity: components join the newest app only */
		if (c->app != m->napps - 1)
			return WD_EINVAL;
		a = &m->apps[c->app];
		if (a->comp_first + a->comp_count != m->ncomps)
			return WD_EINVAL;
		a->comp_count++;
	}
	APPEND(m, comps, ncomps, comps_cap, c);
	if (idx)
		*idx = (uint32_t)(m->ncomps - 1);
	return WD_OK;
}

wd_status wd_model_add_edge(wd_model *m, const wd_edge *e)
{
	if (e->from >= m->ncomps || e->to >= m->ncomps)
		return WD_EINVAL;
	APPEND(m, edges, nedges, edges_cap, e);
	return WD_OK;
}

wd_status wd_model_add_credential(wd_model *m, const wd_credential *c, uint32_t *idx)
{
	APPEND(m, creds, ncreds, creds_cap, c);
	if (idx)
		*idx = (uint32_t)(m->ncreds - 1);
	return WD_OK;
}

wd_status wd_model_add_cred_use(wd_model *m, uint32_t comp, uint32_t cred)
{
	wd_cred_use u;

	u.comp = comp;
	u.cred = cred;
	APPEND(m, cred_uses, ncred_uses, cred_uses_cap, &u);
	return WD_OK;
}

wd_status wd_model_add_ref(wd_model *m, const wd_ref *r)
{
	APPEND(m, refs, nrefs, refs_cap, r);
	return WD_OK;
}

wd_status wd_model_add_field(wd_model *m, const wd_field *f)
{
	APPEND(m, fields, nfields, fields_cap, f);
	return WD_OK;
}

wd_status wd_model_add_detection(wd_model *m, const wd_detection *d)
{
	APPEND(m, detections, ndetections, detections_cap, d);
	return WD_OK;
}

wd_status wd_model_add_field_once(wd_model *m, uint32_t comp, wd_str name, wd_class cls,
                                  wd_loc loc)
{
	uint64_t h = wd_hash64(name.ptr ? name.ptr : "", name.len, (uint64_t)comp * 0x9e3779b97f4a7c15ULL + 7);
	size_t slot = WD_HMAP_START;
	uint32_t fi;
	wd_field f;
	wd_status rc;

	if (!name.len)
		return WD_OK;
	while ((fi = wd_hmap_next(&m->field_index, h, &slot)) != WD_NONE)
		if (m->fields[fi].comp == comp && wd_str_eq(m->fields[fi].name, name))
			return WD_OK;
	memset(&f, 0, sizeof(f));
	f.name = name;
	f.comp = comp;
	f.cls = cls;
	f.loc = loc;
	rc = wd_model_add_field(m, &f);
	if (rc != WD_OK)
		return rc;
	return wd_hmap_put(&m->field_index, h, (uint32_t)(m->nfields - 1));
}

wd_status wd_model_add_expr_edge(wd_model *m, uint32_t src, uint32_t dst, wd_loc loc)
{
	uint64_t h = (uint64_t)src << 32 | dst;
	size_t slot = WD_HMAP_START;
	uint32_t v;
	wd_edge e;
	wd_status rc;

	if (src == dst)
		return WD_OK;
	while ((v = wd_hmap_next(&m->expr_index, h, &slot)) != WD_NONE)
		if (m->edges[v].from == src && m->edges[v].to == dst)
			return WD_OK;
	memset(&e, 0, sizeof(e));
	e.from = src;
	e.to = dst;
	e.kind = WD_EDGE_EXPR;
	e.loc = loc;
	rc = wd_model_add_edge(m, &e);
	if (rc != WD_OK)
		return rc;
	return wd_hmap_put(&m->expr_index, h, (uint32_t)(m->nedges - 1));
}

wd_status wd_model_zone(wd_model *m, wd_zone_kind kind, wd_str name, uint32_t *idx)
{
	wd_zone z;
	size_t i;

	for (i = 0; i < m->nzones; i++) {
		if (m->zones[i].kind == kind && wd_str_eq(m->zones[i].name, name)) {
			*idx = (uint32_t)i;
			return WD_OK;
		}
	}
	z.kind = kind;
	z.name = name;
	APPEND(m, zones, nzones, zones_cap, &z);
	*idx = (uint32_t)(m->nzones - 1);
	return WD_OK;
}

/* ---- targets ---------------------------------------------------------------------- */

static int is_dynamic_text(wd_str s)
{
	return wd_str_find(s, "{{") >= 0 || wd_str_find(s, "${") >= 0 ||
	       (s.len && s.ptr[0] == '=') || wd_str_find(s, "@{") >= 0 ||
	       wd_str_starts_with(s, "@");
}

static char ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Private, loopback, link-local and local names are "internal". */
static int host_is_internal(wd_str h)
{
	unsigned a = 0, b = 0;
	size_t i = 0;

	if (h.len == 0)
		return 0;
	if (wd_str_eq_c(h, "localhost") || wd_str_ends_with(h, ".local") ||
	    wd_str_ends_with(h, ".localhost") || wd_str_ends_with(h, ".internal") ||
	    wd_str_ends_with(h, ".lan") || wd_str_ends_with(h, ".home") ||
	    wd_str_eq_c(h, "[::1]") || wd_str_starts_with(h, "[fd") ||
	    wd_str_starts_with(h, "[fe80"))
		return 1;
	/* a bare name without dots (docker service, hostname) is internal */
	if (memchr(h.ptr, '.', h.len) == NULL && h.ptr[0] != '[')
		return 1;
	while (i < h.len && h.ptr[i] >= '0' && h.ptr[i] <= '9' && a < 1000)
		a = a * 10 + (unsigned)(h.ptr[i++] - '0');
	if (i == 0 || i >= h.len || h.ptr[i] != '.')
		return 0;
	i++;
	while (i < h.len && h.ptr[i] >= '0' && h.ptr[i] <= '9' && b < 1000)
		b = b * 10 + (unsigned)(h.ptr[i++] - '0');
	return a == 10 || a == 127 || (a == 192 && b == 168) || (a == 172 && b >= 16 && b <= 31) ||
	       (a == 169 && b == 254) || a == 0;
}

/* Only what a host name or IP literal can hold; anything else ({, (, ', $)
 * is an expression the export leaves to run time. */
static int host_chars_ok(wd_str h)
{
	size_t i;

	for (i = 0; i < h.len; i++) {
		char c = h.ptr[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '-' || c == '_' || c == '[' || c == ']' || c == ':'))
			return 0;
	}
	return 1;
}

static int scheme_is_tls(wd_str s)
{
	static const char *const tls[] = {"https", "wss", "mqtts", "ftps", "sftp", "ssh", "amqps",
	                                  "rediss", "ldaps", "smtps", "imaps", "tls", "ssl",
	                                  "mongodb+srv"};
	size_t i;

	for (i = 0; i < sizeof(tls) / sizeof(*tls); i++)
		if (wd_str_eq_c(s, tls[i]))
			return 1;
	return 0;
}

wd_status wd_model_add_target(wd_model *m, uint32_t comp, wd_str url, wd_loc loc,
                              uint32_t extra_flags)
{
	wd_target t;
	size_t i = 0, hs, he;
	wd_str u = url;

	memset(&t, 0, sizeof(t));
	t.comp = comp;
	t.url = url;
	t.port = -1;
	t.loc = loc;
	t.flags = extra_flags;
	/* n8n marks expressions with a leading '=', Power Automate with '@' */
	if (u.len && (u.ptr[0] == '=' || u.ptr[0] == '@')) {
		u.ptr++;
		u.len--;
	}
	while (u.len && (u.ptr[0] == ' ' || u.ptr[0] == '\t')) {
		u.ptr++;
		u.len--;
	}
	if (u.len == 0 || is_dynamic_text(url))
		t.flags |= WD_TARGET_DYNAMIC;
	/* scheme */
	while (i < u.len && ((u.ptr[i] >= 'a' && u.ptr[i] <= 'z') ||
	                     (u.ptr[i] >= 'A' && u.ptr[i] <= 'Z') ||
	                     (i && ((u.ptr[i] >= '0' && u.ptr[i] <= '9') || u.ptr[i] == '+' ||
	                            u.ptr[i] == '-' || u.ptr[i] == '.'))))
		i++;
	if (i > 0 && i + 2 < u.len + 1 && i + 3 <= u.len && u.ptr[i] == ':' && u.ptr[i + 1] == '/' &&
	    u.ptr[i + 2] == '/') {
		char *sch = wd_arena_alloc(&m->arena, i + 1);
		size_t k;
		if (!sch)
			return WD_ENOMEM;
		for (k = 0; k < i; k++)
			sch[k] = ascii_lower(u.ptr[k]);
		sch[i] = '\0';
		t.scheme = wd_str_make(sch, i);
		hs = i + 3;
	} else {
		hs = 0;
	}
	/* authority: up to '/', '?', '#' */
	he = hs;
	while (he < u.len && u.ptr[he] != '/' && u.ptr[he] != '?' && u.ptr[he] != '#' &&
	       u.ptr[he] != ' ')
		he++;
	if (t.scheme.len || hs == 0) {
		wd_str auth = wd_str_make(u.ptr + hs, he - hs);
		long at = -1;
		size_t k;
		for (k = 0; k < auth.len; k++)
			if (auth.ptr[k] == '@')
				at = (long)k;
		if (at >= 0) {
			/* user:password@ (a colon before the @) */
			if (memchr(auth.ptr, ':', (size_t)at) != NULL && t.scheme.len)
				t.flags |= WD_TARGET_USERINFO;
			auth.ptr += at + 1;
			auth.len -= (size_t)at + 1;
		}
		/* port (after the closing bracket of an IPv6 literal) */
		if (auth.len) {
			const char *from = auth.ptr, *colon;
			if (auth.ptr[0] == '[') {
				const char *rb = memchr(auth.ptr, ']', auth.len);
				from = rb ? rb : auth.ptr + auth.len;
			}
			colon = memchr(from, ':', (size_t)(auth.ptr + auth.len - from));
			if (colon) {
				size_t pl = (size_t)(auth.ptr + auth.len - colon - 1);
				int32_t port = 0;
				size_t d;
				for (d = 0; d < pl && d < 6; d++) {
					char ch = colon[1 + d];
					if (ch < '0' || ch > '9')
						break;
					port = port * 10 + (ch - '0');
				}
				if (d == pl && pl > 0 && port <= 65535)
					t.port = port;
				auth.len = (size_t)(colon - auth.ptr);
			}
		}
		if ((!(t.flags & WD_TARGET_DYNAMIC) || !is_dynamic_text(auth)) && host_chars_ok(auth))
			t.host = auth;
	}
	if (scheme_is_tls(t.scheme))
		t.flags |= WD_TARGET_TLS;
	if (t.host.len && !is_dynamic_text(t.host) && !host_is_internal(t.host))
		t.flags |= WD_TARGET_EXTERNAL;
	APPEND(m, targets, ntargets, targets_cap, &t);
	return WD_OK;
}

/* ---- finishing --------------------------------------------------------------------- */

static const char *runtime_name(wd_platform p)
{
	switch (p) {
	case WD_PLATFORM_N8N: return "n8n runtime";
	case WD_PLATFORM_NODERED: return "Node-RED runtime";
	case WD_PLATFORM_POWER_AUTOMATE: return "Power Automate runtime";
	case WD_PLATFORM_MAKE: return "Make runtime";
	case WD_PLATFORM_ZAPIER: return "Zapier runtime";
	default: return "platform runtime";
	}
}

wd_status wd_model_finish(wd_model *m)
{
	const wd_catalog *cat = wd_catalog_default();
	size_t i;
	wd_status rc;
	uint32_t runtime = WD_NONE;

	rc = wd_model_zone(m, WD_ZONE_PLATFORM, wd_str_c(runtime_name(m->platform)), &runtime);
	if (rc != WD_OK)
		return rc;
	for (i = 0; i < m->ncomps; i++) {
		wd_component *c = &m->comps[i];
		wd_platform p = c->app != WD_NONE ? m->apps[c->app].platform : m->platform;
		const wd_catalog_entry *e = c->connector;
		wd_zone_kind zk = WD_ZONE_PLATFORM;
		wd_str zname = WD_STR_NULL;

		if (!e && cat)
			e = wd_catalog_lookup(cat, p, c->type);
		c->connector = e;
		if (!e) {
			c->flags |= WD_COMP_UNKNOWN_TYPE;
		} else {
			if (c->kind == WD_KIND_OTHER)
				c->kind = e->kind;
			if (e->community)
				c->flags |= WD_COMP_COMMUNITY;
			if (e->flags & WD_CAT_ERROR_TRIGGER)
				c->flags |= WD_COMP_ERROR_HANDLER;
			switch (e->dest) {
			case WD_DEST_EXTERNAL:
				zk = WD_ZONE_EXTERNAL;
				zname = e->service;
				break;
			case WD_DEST_INTERNAL:
				zk = WD_ZONE_INTERNAL;
				zname = e->service;
				break;
			case WD_DEST_LOCAL:
				zk = WD_ZONE_LOCAL;
				zname = wd_str_c("platform host");
				break;
			default:
				break;
			}
		}
		if (c->flags & WD_COMP_PUBLIC) {
			zk = WD_ZONE_PUBLIC;
			zname = wd_str_c("internet");
			if (c->kind == WD_KIND_OTHER || c->kind == WD_KIND_TRIGGER)
				c->kind = WD_KIND_ENTRY;
		}
		if (zk == WD_ZONE_PLATFORM) {
			c->zone = runtime;
		} else {
			rc = wd_model_zone(m, zk, zname, &c->zone);
			if (rc != WD_OK)
				return rc;
		}
	}
	/* a generic client's zone follows its static target host */
	for (i = 0; i < m->ntargets; i++) {
		wd_target *t = &m->targets[i];
		wd_component *c;
		if (t->comp >= m->ncomps || !t->host.len || (t->flags & WD_TARGET_DYNAMIC))
			continue;
		c = &m->comps[t->comp];
		if (c->connector && c->connector->dest == WD_DEST_EXTERNAL &&
		    !(t->flags & WD_TARGET_EXTERNAL)) {
			rc = wd_model_zone(m, WD_ZONE_INTERNAL, t->host, &c->zone);
			if (rc != WD_OK)
				return rc;
		}
	}
	return WD_OK;
}

/* ---- invariants ------------------------------------------------------------------------ */

wd_status wd_model_check(const wd_model *m, wd_error *err)
{
	size_t i, seen = 0;

	for (i = 0; i < m->napps; i++) {
		if (m->apps[i].comp_first != seen)
			return wd_error_set(err, WD_EINVAL, "app %zu: components not contiguous", i);
		if (strlen(m->apps[i].hash) != 64)
			return wd_error_set(err, WD_EINVAL, "app %zu: no content hash", i);
		seen += m->apps[i].comp_count;
	}
	for (i = 0; i < m->ncomps; i++)
		if ((i < seen) != (m->comps[i].app != WD_NONE) ||
		    (m->comps[i].app != WD_NONE && m->comps[i].app >= m->napps))
			return wd_error_set(err, WD_EINVAL, "component %zu: wrong app", i);
	for (i = 0; i < m->nedges; i++) {
		const wd_edge *e = &m->edges[i];
		if (e->from >= m->ncomps || e->to >= m->ncomps)
			return wd_error_set(err, WD_EINVAL, "edge %zu: out of range", i);
		/* flow edges may cross apps (Node-RED subflow outputs, links) */
		if ((e->kind == WD_EDGE_AI || e->kind == WD_EDGE_EXPR) &&
		    m->comps[e->from].app != m->comps[e->to].app)
			return wd_error_set(err, WD_EINVAL, "edge %zu: joins two apps", i);
	}
	for (i = 0; i < m->ncred_uses; i++)
		if (m->cred_uses[i].comp >= m->ncomps || m->cred_uses[i].cred >= m->ncreds)
			return wd_error_set(err, WD_EINVAL, "credential use %zu: out of range", i);
	for (i = 0; i < m->ncreds; i++)
		if (m->creds[i].comp != WD_NONE && m->creds[i].comp >= m->ncomps)
			return wd_error_set(err, WD_EINVAL, "credential %zu: out of range", i);
	for (i = 0; i < m->nrefs; i++)
		if (m->refs[i].comp >= m->ncomps ||
		    (m->refs[i].src != WD_NONE && m->refs[i].src >= m->ncomps))
			return wd_error_set(err, WD_EINVAL, "reference %zu: out of range", i);
	for (i = 0; i < m->nfields; i++) /* WD_NONE: an app-level field (Node-RED tab env) */
		if (m->fields[i].comp != WD_NONE && m->fields[i].comp >= m->ncomps)
			return wd_error_set(err, WD_EINVAL, "field %zu: out of range", i);
	for (i = 0; i < m->ntargets; i++)
		if (m->targets[i].comp >= m->ncomps)
			return wd_error_set(err, WD_EINVAL, "target %zu: out of range", i);
	for (i = 0; i < m->ndetections; i++)
		if ((m->detections[i].comp != WD_NONE && m->detections[i].comp >= m->ncomps) ||
		    (m->detections[i].app != WD_NONE && m->detections[i].app >= m->napps))
			return wd_error_set(err, WD_EINVAL, "detection %zu: out of range", i);
	return WD_OK;
}

/* ---- queries ------------------------------------------------------------------------- */

static void app_range(const wd_model *m, uint32_t app, size_t *lo, size_t *hi)
{
	if (app != WD_NONE && app < m->napps) {
		*lo = m->apps[app].comp_first;
		*hi = *lo + m->apps[app].comp_count;
	} else {
		*lo = 0;
		*hi = m->ncomps;
	}
}

uint32_t wd_model_find_component(const wd_model *m, uint32_t app, wd_str id)
{
	size_t lo, hi, i;

	app_range(m, app, &lo, &hi);
	for (i = lo; i < hi; i++)
		if (wd_str_eq(m->comps[i].id, id))
			return (uint32_t)i;
	return WD_NONE;
}

uint32_t wd_model_find_by_name(const wd_model *m, uint32_t app, wd_str name)
{
	size_t lo, hi, i;

	app_range(m, app, &lo, &hi);
	for (i = lo; i < hi; i++)
		if (wd_str_eq(m->comps[i].name, name))
			return (uint32_t)i;
	return WD_NONE;
}

/* Edges that carry data from e->from to e->to. AI edges point from the
 * sub-node (tool, model) to the agent; data reaches a tool from the agent,
 * so for tools the direction is reversed. */
static int data_dir(const wd_model *m, const wd_edge *e, uint32_t *src, uint32_t *dst)
{
	switch (e->kind) {
	case WD_EDGE_FLOW:
	case WD_EDGE_LINK:
	case WD_EDGE_SUBFLOW:
	case WD_EDGE_EXPR:
		*src = e->from;
		*dst = e->to;
		return 1;
	case WD_EDGE_AI:
		if (wd_str_eq_c(e->label, "ai_tool")) {
			*src = e->to;
			*dst = e->from;
			return 1;
		}
		*src = e->from;
		*dst = e->to;
		return 1;
	default:
		(void)m;
		return 0;
	}
}

/* CSR adjacency over data edges, built per query (models are small). */
static wd_status build_adj(const wd_model *m, uint32_t **off_out, uint32_t **adj_out)
{
	uint32_t *off = calloc(m->ncomps + 1, sizeof(uint32_t));
	uint32_t *adj = malloc((m->nedges ? m->nedges : 1) * sizeof(uint32_t));
	uint32_t *fill = NULL;
	size_t i;

	if (!off || !adj)
		goto oom;
	for (i = 0; i < m->nedges; i++) {
		uint32_t s, d;
		if (data_dir(m, &m->edges[i], &s, &d))
			off[s + 1]++;
	}
	for (i = 0; i < m->ncomps; i++)
		off[i + 1] += off[i];
	fill = malloc((m->ncomps + 1) * sizeof(uint32_t));
	if (!fill)
		goto oom;
	memcpy(fill, off, (m->ncomps + 1) * sizeof(uint32_t));
	for (i = 0; i < m->nedges; i++) {
		uint32_t s, d;
		if (data_dir(m, &m->edges[i], &s, &d))
			adj[fill[s]++] = d;
	}
	free(fill);
	*off_out = off;
	*adj_out = adj;
	return WD_OK;
oom:
	free(off);
	free(adj);
	return WD_ENOMEM;
}

wd_status wd_model_reach_tree(const wd_model *m, const uint8_t *start, uint32_t *label,
                              uint32_t *parent)
{
	uint32_t *off, *adj, *queue;
	size_t head = 0, tail = 0, i;
	wd_status rc;

	memset(label, 0, m->ncomps * sizeof(*label));
	if (parent)
		memset(parent, 0xff, m->ncomps * sizeof(*parent));
	if (m->ncomps == 0)
		return WD_OK;
	rc = build_adj(m, &off, &adj);
	if (rc != WD_OK)
		return rc;
	queue = malloc(m->ncomps * sizeof(uint32_t));
	if (!queue) {
		free(off);
		free(adj);
		return WD_ENOMEM;
	}
	for (i = 0; i < m->ncomps; i++) {
		if (start[i]) {
			label[i] = (uint32_t)i + 1;
			queue[tail++] = (uint32_t)i;
		}
	}
	while (head < tail) {
		uint32_t u = queue[head++], k;
		for (k = off[u]; k < off[u + 1]; k++) {
			uint32_t v = adj[k];
			if (!label[v]) {
				label[v] = label[u];
				if (parent)
					parent[v] = u;
				queue[tail++] = v;
			}
		}
	}
	free(queue);
	free(off);
	free(adj);
	return WD_OK;
}

wd_status wd_model_reach_label(const wd_model *m, const uint8_t *start, uint32_t *label)
{
	return wd_model_reach_tree(m, start, label, NULL);
}

wd_status wd_model_reach(const wd_model *m, const uint8_t *start, uint8_t *out)
{
	uint32_t *label = malloc((m->ncomps + 1) * sizeof(*label));
	size_t i;
	wd_status rc;

	if (!label)
		return WD_ENOMEM;
	rc = wd_model_reach_label(m, start, label);
	for (i = 0; rc == WD_OK && i < m->ncomps; i++)
		out[i] = label[i] != 0;
	free(label);
	return rc;
}

wd_status wd_model_path(const wd_model *m, uint32_t from, uint32_t to, uint32_t *path,
                        size_t max, size_t *n)
{
	uint32_t *off, *adj, *queue, *prev;
	size_t head = 0, tail = 0, len = 0;
	uint32_t cur;
	wd_status rc;

	*n = 0;
	if (from >= m->ncomps || to >= m->ncomps)
		return WD_EINVAL;
	rc = build_adj(m, &off, &adj);
	if (rc != WD_OK)
		return rc;
	queue = malloc(m->ncomps * sizeof(uint32_t));
	prev = malloc(m->ncomps * sizeof(uint32_t));
	if (!queue || !prev) {
		rc = WD_ENOMEM;
		goto out;
	}
	memset(prev, 0xff, m->ncomps * sizeof(uint32_t));
	prev[from] = from;
	queue[tail++] = from;
	while (head < tail && prev[to] == WD_NONE) {
		uint32_t u = queue[head++], k;
		for (k = off[u]; k < off[u + 1]; k++) {
			uint32_t v = adj[k];
			if (prev[v] == WD_NONE) {
				prev[v] = u;
				queue[tail++] = v;
			}
		}
	}
	if (prev[to] == WD_NONE) {
		rc = WD_ENOTFOUND;
		goto out;
	}
	for (cur = to;; cur = prev[cur]) {
		len++;
		if (cur == from)
			break;
	}
	*n = len < max ? len : max;
	/* fill from the end; when truncated keep the start of the path */
	{
		size_t k = len;
		for (cur = to;; cur = prev[cur]) {
			k--;
			if (k < max)
				path[k] = cur;
			if (cur == from)
				break;
		}
	}
	rc = WD_OK;
out:
	free(queue);
	free(prev);
	free(off);
	free(adj);
	return rc;
}

wd_status wd_model_locate(const wd_model *m, wd_loc loc, wd_position *pos, wd_buf *ptr)
{
	const wd_json_val *v;
	wd_status rc;

	pos->file = m->path;
	pos->line = 0;
	pos->column = 0;
	v = wd_model_val(m, loc);
	if (!v)
		return WD_OK;
	pos->file = m->docs[loc.doc].path;
	rc = wd_json_position(m->docs[loc.doc].json, v, &pos->line, &pos->column);
	if (rc != WD_OK)
		return rc;
	if (ptr)
		wd_json_pointer(m->docs[loc.doc].json, v, ptr);
	return WD_OK;
}
