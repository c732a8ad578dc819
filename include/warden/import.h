/*
 * warden/import.h - turning export files into models.
 *
 * wd_import_file() reads one file, detects its platform from its content,
 * runs that platform's importer and finishes the model (catalog lookup, trust
 * zones, field classes). Importers are the only code that knows a platform's
 * export format.
 */
#ifndef WARDEN_IMPORT_H
#define WARDEN_IMPORT_H

#include "warden/catalog.h"
#include "warden/model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct wd_import_opts {
	wd_limits limits;            /* zero fields = defaults */
	const wd_catalog *catalog;   /* NULL = the embedded catalog */
	int load_companions;         /* read flows_cred.json beside Node-RED flows */
} wd_import_opts;

typedef enum wd_detect_result {
	WD_DETECT_UNKNOWN = 0,       /* valid JSON, not an export Warden reads */
	WD_DETECT_EXPORT,            /* an export of *platform */
	WD_DETECT_COMPANION          /* belongs to another export (flows_cred.json) */
} wd_detect_result;

/* Decide what a parsed document is, from its content (and file name for
 * companions). */
wd_detect_result wd_import_detect(const wd_json_doc *doc, const char *path,
                                  wd_platform *platform);

/*
 * Import path. On success *out is a finished model. WD_EFORMAT when the file
 * is valid JSON but no known export (err says so), WD_EPARSE / WD_ELIMIT /
 * WD_EIO with position when unreadable. A companion file gives WD_EFORMAT
 * with *companion set to 1.
 */
wd_status wd_import_file(wd_model **out, const char *path, const wd_import_opts *opts,
                         int *companion, wd_error *err);

/*
 * The same for bytes already in memory: takes ownership of data (a malloc'd
 * buffer, freed with the model or on failure); path names it in locations
 * and is where companions are looked for.
 */
wd_status wd_import_buffer(wd_model **out, const char *path, char *data, size_t len,
                           const wd_import_opts *opts, int *companion, wd_error *err);

/* Per-platform importers: fill m from document doc (already added to m). */
wd_status wd_import_n8n(wd_model *m, uint32_t doc, const wd_import_opts *opts, wd_error *err);
wd_status wd_import_nodered(wd_model *m, uint32_t doc, const wd_import_opts *opts,
                            wd_error *err);

#ifdef __cplusplus
}
#endif
#endif
