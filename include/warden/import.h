/*
 * warden/import.h - turning export files into models.
 *
 * wd_import_file() reads one file, detects its platform from its content,
 * runs that platform's importer, finishes the model (catalog lookup, trust
 * zones) and runs the enrichers (secrets, field classes: warden/detect.h). Importers are the only code that knows a platform's
 * export format.
 */
#ifndef WARDEN_IMPORT_H
#define WARDEN_IMPORT_H

#include "warden/catalog.h"
#include "warden/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Where companion files come from: the filesystem (the default), or the zip
 * archive being scanned. read() returns the whole file in a malloc'd,
 * NUL-terminated buffer, WD_ENOTFOUND when there is no such file, or an
 * error (WD_ELIMIT past max_size).
 */
typedef struct wd_source {
	wd_status (*read)(void *ctx, const char *path, uint64_t max_size, char **data, size_t *len,
	                  wd_error *err);
	void *ctx;
} wd_source;

typedef struct wd_import_opts {
	wd_limits limits;            /* zero fields = defaults */
	const wd_catalog *catalog;   /* NULL = the embedded catalog */
	int load_companions;         /* read companions (flows_cred.json, apisMap.json...) */
	const wd_source *source;     /* NULL = the filesystem */
	const struct wd_detector *detector; /* NULL = the embedded secrets rules */
	struct wd_detect_scratch *scratch;  /* per-thread matcher scratch; NULL = one per call */
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
wd_status wd_import_powerautomate(wd_model *m, uint32_t doc, const wd_import_opts *opts,
                                  wd_error *err);
wd_status wd_import_make(wd_model *m, uint32_t doc, const wd_import_opts *opts, wd_error *err);
wd_status wd_import_zapier(wd_model *m, uint32_t doc, const wd_import_opts *opts,
                           wd_error *err);

/*
 * For importers: read the companion file `rel` (a path relative to the folder
 * of the model's main document, "../manifest.json" allowed; resolved as text,
 * never outside the source), through opts->source, parse it under
 * opts->limits and add it to the model; *doc receives its index.
 * WD_ENOTFOUND when absent (not an error); a parse or limit error is returned
 * with err filled, and the importer decides whether to go on without it.
 * Does nothing and returns WD_ENOTFOUND when opts->load_companions is 0.
 */
wd_status wd_import_companion(wd_model *m, const wd_import_opts *opts, const char *rel,
                              uint32_t *doc, wd_error *err);

/* Catalog lookup for importers: the first of the candidate types (most
 * specific first) that the catalog knows; NULL when none. */
const wd_catalog_entry *wd_import_lookup(const wd_import_opts *opts, wd_platform p,
                                         const wd_str *types, size_t ntypes);

/* ---- archives (import/archive.c, libarchive) ------------------------------------ */

typedef struct wd_archive wd_archive;

typedef struct wd_archive_entry {
	const char *path;            /* normalised in-archive path (no "..", no leading "/") */
	char *data;                  /* whole member, NUL-terminated */
	size_t len;
} wd_archive_entry;

/*
 * Read the members of a zip archive that Warden may need (*.json, and *.zip
 * up to lim->max_archive_depth) into memory; nothing is ever written to disk.
 * Limits: lim->max_archive_entries members, lim->max_archive_total bytes in
 * all, lim->max_file_size per member, lim->max_archive_ratio between a
 * member's uncompressed and compressed sizes. Member names that are absolute
 * or climb out with ".." are refused (the member is skipped and counted in
 * wd_archive_refused). Exceeding a limit fails the whole archive with
 * WD_ELIMIT and a message naming the member.
 */
wd_status wd_archive_open_file(wd_archive **out, const char *path, const wd_limits *lim,
                               wd_error *err);
wd_status wd_archive_open_memory(wd_archive **out, const void *data, size_t len,
                                 const wd_limits *lim, wd_error *err);
void wd_archive_free(wd_archive *a);
size_t wd_archive_count(const wd_archive *a);
const wd_archive_entry *wd_archive_at(const wd_archive *a, size_t i);
size_t wd_archive_refused(const wd_archive *a);
/* A wd_source reading members of a (by normalised in-archive path). */
const wd_source *wd_archive_source(wd_archive *a);

#ifdef __cplusplus
}
#endif
#endif
