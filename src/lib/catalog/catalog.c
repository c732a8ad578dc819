/*
 * catalog/catalog.c - load the connector catalog and look types up.
 *
 * The catalog file is parsed with Warden's own JSON reader; entries keep
 * slices into the parsed document, which the catalog owns. Lookups go
 * through an open-addressing hash table of exact types; the few prefix
 * entries (Node-RED "subflow:*") are checked linearly after a miss.
 * The embedded catalog is parsed once per process (pthread_once).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "warden/catalog.h"

extern const unsigned char wd_catalog_data[];
extern const size_t wd_catalog_data_len;

struct wd_catalog {
	wd_json_doc *doc;
	wd_catalog_entry *entries;
	size_t n;
	wd_hmap exact;         /* hash of (platform, type) -> entry index */
};

const char *wd_dest_name(wd_dest d)
{
	static const char *const names[] = {"none", "local", "internal", "external"};
	return (unsigned)d < 4 ? names[d] : "none";
}

static uint64_t key_hash(wd_platform p, wd_str type)
{
	return wd_hash64(type.ptr, type.len, (uint64_t)p * 0x9E3779B97F4A7C15ULL);
}

static const struct {
	const char *name;
	uint32_t bit;
} role_names[] = {
	{"http", WD_CAT_HTTP},           {"webhook", WD_CAT_WEBHOOK},
	{"sql", WD_CAT_SQL},             {"shell", WD_CAT_SHELL},
	{"code", WD_CAT_CODE},           {"fs", WD_CAT_FS},
	{"mqtt", WD_CAT_MQTT},           {"ftp", WD_CAT_FTP},
	{"ssh", WD_CAT_SSH},             {"email-send", WD_CAT_EMAIL_SEND},
	{"email-read", WD_CAT_EMAIL_READ}, {"ai-agent", WD_CAT_AI_AGENT},
	{"ai-model", WD_CAT_AI_MODEL},   {"ai-tool", WD_CAT_AI_TOOL},
	{"vector-store", WD_CAT_VECTOR_STORE}, {"embedding", WD_CAT_EMBEDDING},
	{"memory", WD_CAT_MEMORY},       {"subworkflow", WD_CAT_SUBWORKFLOW},
	{"error-trigger", WD_CAT_ERROR_TRIGGER}, {"tls-config", WD_CAT_TLS_CONFIG},
	{"proxy-config", WD_CAT_PROXY_CONFIG},
	{"credential-config", WD_CAT_CREDENTIAL_CONFIG},
};

uint32_t wd_catalog_role(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(role_names) / sizeof(*role_names); i++)
		if (strlen(role_names[i].name) == len && strncasecmp(role_names[i].name, name, len) == 0)
			return role_names[i].bit;
	return 0;
}

static wd_status parse_entry(const wd_json_doc *doc, const wd_json_val *o, wd_catalog_entry *e,
                             wd_error *err)
{
	const wd_json_val *caps, *flags, *x;
	wd_str dest, kind;
	size_t i;

	memset(e, 0, sizeof(*e));
	if (!wd_json_is_obj(o))
		return wd_error_set(err, WD_EFORMAT, "catalog entry is not an object");
	e->platform = wd_platform_parse(wd_json_get_str(doc, o, "platform"));
	e->type = wd_json_get_str(doc, o, "type");
	if (e->platform == WD_PLATFORM_UNKNOWN || !e->type.len)
		return wd_error_set(err, WD_EFORMAT, "catalog entry without a known platform and type");
	if (e->type.ptr[e->type.len - 1] == '*') {
		e->prefix = 1;
		e->type.len--;
	}
	e->service = wd_json_get_str(doc, o, "service");
	e->vendor = wd_json_get_str(doc, o, "vendor");
	e->category = wd_json_get_str(doc, o, "category");
	e->package = wd_json_get_str(doc, o, "package");
	if (!e->service.ptr)
		e->service = e->type;
	dest = wd_json_get_str(doc, o, "dest");
	e->dest = wd_str_eq_c(dest, "external")   ? WD_DEST_EXTERNAL
	          : wd_str_eq_c(dest, "internal") ? WD_DEST_INTERNAL
	          : wd_str_eq_c(dest, "local")    ? WD_DEST_LOCAL
	                                          : WD_DEST_NONE;
	kind = wd_json_get_str(doc, o, "kind");
	e->kind = wd_kind_parse(kind);
	e->community = wd_str_eq_c(wd_json_get_str(doc, o, "origin"), "community");
	caps = wd_json_get(doc, o, "caps");
	if (wd_json_is_arr(caps)) {
		WD_JSON_ARR_FOREACH(caps, i, x)
		{
			wd_str s = wd_json_str(doc, x);
			if (wd_str_eq_c(s, "read"))
				e->caps |= WD_CAP_READ;
			else if (wd_str_eq_c(s, "write"))
				e->caps |= WD_CAP_WRITE;
			else if (wd_str_eq_c(s, "send"))
				e->caps |= WD_CAP_SEND;
			else if (wd_str_eq_c(s, "execute"))
				e->caps |= WD_CAP_EXECUTE;
		}
	}
	flags = wd_json_get(doc, o, "flags");
	if (wd_json_is_arr(flags)) {
		WD_JSON_ARR_FOREACH(flags, i, x)
		{
			wd_str s = wd_json_str(doc, x);
			e->flags |= wd_catalog_role(s.ptr, s.len);
		}
	}
	return WD_OK;
}

static const wd_catalog_entry *find_exact(const wd_catalog *c, wd_platform p, wd_str type)
{
	size_t slot = WD_HMAP_START;
	uint32_t i;

	while ((i = wd_hmap_next(&c->exact, key_hash(p, type), &slot)) != WD_NONE) {
		const wd_catalog_entry *e = &c->entries[i];
		if (e->platform == p && wd_str_eq(e->type, type))
			return e;
	}
	return NULL;
}

wd_status wd_catalog_load(wd_catalog **out, const char *json, size_t len, wd_error *err)
{
	wd_catalog *c;
	const wd_json_val *root, *entries, *x;
	size_t i;
	wd_status rc;

	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return wd_error_set(err, WD_ENOMEM, "out of memory");
	rc = wd_json_parse(&c->doc, json, len, NULL, err);
	if (rc != WD_OK)
		goto fail;
	root = wd_json_root(c->doc);
	entries = wd_json_get(c->doc, root, "entries");
	if (!wd_json_is_arr(entries)) {
		rc = wd_error_set(err, WD_EFORMAT, "catalog has no \"entries\" array");
		goto fail;
	}
	c->entries = calloc(wd_json_size(entries) + 1, sizeof(*c->entries));
	if (!c->entries) {
		rc = wd_error_set(err, WD_ENOMEM, "out of memory");
		goto fail;
	}
	WD_JSON_ARR_FOREACH(entries, i, x)
	{
		wd_catalog_entry *e = &c->entries[c->n];
		rc = parse_entry(c->doc, x, e, err);
		if (rc != WD_OK)
			goto fail;
		if (!e->prefix) {
			if (find_exact(c, e->platform, e->type)) {
				rc = wd_error_set(err, WD_EFORMAT, "catalog entry %zu repeats type %.*s", i,
				                  (int)e->type.len, e->type.ptr);
				goto fail;
			}
			if (wd_hmap_put(&c->exact, key_hash(e->platform, e->type), (uint32_t)c->n) !=
			    WD_OK) {
				rc = wd_error_set(err, WD_ENOMEM, "out of memory");
				goto fail;
			}
		}
		c->n++;
	}
	*out = c;
	return WD_OK;
fail:
	wd_catalog_free(c);
	return rc;
}

void wd_catalog_free(wd_catalog *c)
{
	if (!c)
		return;
	wd_json_free(c->doc);
	free(c->entries);
	wd_hmap_release(&c->exact);
	free(c);
}

static wd_catalog *embedded;
static pthread_once_t embedded_once = PTHREAD_ONCE_INIT;

static void load_embedded(void)
{
	wd_catalog *c = NULL;

	if (wd_catalog_load(&c, (const char *)wd_catalog_data, wd_catalog_data_len, NULL) == WD_OK)
		embedded = c;
}

const wd_catalog *wd_catalog_default(void)
{
	pthread_once(&embedded_once, load_embedded);
	return embedded;
}

const wd_catalog_entry *wd_catalog_lookup(const wd_catalog *c, wd_platform p, wd_str type)
{
	const wd_catalog_entry *e, *best = NULL;
	size_t i;

	if (!c || !type.len)
		return NULL;
	e = find_exact(c, p, type);
	if (e)
		return e;
	for (i = 0; i < c->n; i++) {
		e = &c->entries[i];
		if (e->prefix && e->platform == p && type.len >= e->type.len &&
		    memcmp(type.ptr, e->type.ptr, e->type.len) == 0 &&
		    (!best || e->type.len > best->type.len))
			best = e;
	}
	return best;
}

size_t wd_catalog_count(const wd_catalog *c)
{
	return c ? c->n : 0;
}

const wd_catalog_entry *wd_catalog_at(const wd_catalog *c, size_t i)
{
	return c && i < c->n ? &c->entries[i] : NULL;
}
