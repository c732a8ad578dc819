/*
 * warden/catalog.h - the connector catalog: node type -> service.
 *
 * The catalog is data (data/catalog.json, format in docs/internals/catalog.md),
 * embedded in the binary at build time. wd_catalog_default() parses the
 * embedded copy once (thread-safe) and keeps it for the process lifetime.
 */
#ifndef WARDEN_CATALOG_H
#define WARDEN_CATALOG_H

#include "warden/model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum wd_dest {
	WD_DEST_NONE = 0,   /* pure logic, data stays in the run */
	WD_DEST_LOCAL,      /* the platform host (files, processes) */
	WD_DEST_INTERNAL,   /* a server the organisation runs or chooses */
	WD_DEST_EXTERNAL    /* a third-party service on the internet */
} wd_dest;

const char *wd_dest_name(wd_dest d);

enum {
	WD_CAP_READ = 1u << 0,
	WD_CAP_WRITE = 1u << 1,
	WD_CAP_SEND = 1u << 2,
	WD_CAP_EXECUTE = 1u << 3
};

/* Roles that rules key off (catalog "flags"). */
enum {
	WD_CAT_HTTP = 1u << 0,
	WD_CAT_WEBHOOK = 1u << 1,
	WD_CAT_SQL = 1u << 2,
	WD_CAT_SHELL = 1u << 3,
	WD_CAT_CODE = 1u << 4,
	WD_CAT_FS = 1u << 5,
	WD_CAT_MQTT = 1u << 6,
	WD_CAT_FTP = 1u << 7,
	WD_CAT_SSH = 1u << 8,
	WD_CAT_EMAIL_SEND = 1u << 9,
	WD_CAT_EMAIL_READ = 1u << 10,
	WD_CAT_AI_AGENT = 1u << 11,
	WD_CAT_AI_MODEL = 1u << 12,
	WD_CAT_AI_TOOL = 1u << 13,
	WD_CAT_VECTOR_STORE = 1u << 14,
	WD_CAT_EMBEDDING = 1u << 15,
	WD_CAT_MEMORY = 1u << 16,
	WD_CAT_SUBWORKFLOW = 1u << 17,
	WD_CAT_ERROR_TRIGGER = 1u << 18,
	WD_CAT_TLS_CONFIG = 1u << 19,
	WD_CAT_PROXY_CONFIG = 1u << 20,
	WD_CAT_CREDENTIAL_CONFIG = 1u << 21
};

typedef struct wd_catalog_entry {
	wd_platform platform;
	wd_str type;        /* exact type, or a prefix when prefix != 0 */
	int prefix;
	wd_str service;
	wd_str vendor;
	wd_str category;
	wd_str package;
	wd_dest dest;
	uint32_t caps;      /* WD_CAP_* */
	wd_kind kind;
	int community;      /* origin "community" */
	uint32_t flags;     /* WD_CAT_* */
} wd_catalog_entry;

typedef struct wd_catalog wd_catalog;

/* Parse a catalog from JSON text (the buffer must outlive the catalog). */
wd_status wd_catalog_load(wd_catalog **out, const char *json, size_t len, wd_error *err);
void wd_catalog_free(wd_catalog *c);
/* The embedded catalog; NULL only if it failed to parse (a build error). */
const wd_catalog *wd_catalog_default(void);

/* Exact match first, then the longest matching prefix entry; NULL if none. */
const wd_catalog_entry *wd_catalog_lookup(const wd_catalog *c, wd_platform p, wd_str type);
size_t wd_catalog_count(const wd_catalog *c);
/* The WD_CAT_* bit of a role name as written in the catalog and in policies
 * ("http", "shell", "ai-agent"...; case-insensitive), 0 when unknown. */
uint32_t wd_catalog_role(const char *name, size_t len);
const wd_catalog_entry *wd_catalog_at(const wd_catalog *c, size_t i);

#ifdef __cplusplus
}
#endif
#endif
