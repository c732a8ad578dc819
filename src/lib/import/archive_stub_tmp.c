/* temporary: weak stand-ins until import/archive.c lands (the real, strong
 * definitions override these); deleted with it */
#include "warden/import.h"
__attribute__((weak)) wd_status wd_archive_open_file(wd_archive **out, const char *path, const wd_limits *lim, wd_error *err)
{ (void)path; (void)lim; *out = NULL; return wd_error_set(err, WD_EFORMAT, "zip archives are not supported yet"); }
__attribute__((weak)) wd_status wd_archive_open_memory(wd_archive **out, const void *data, size_t len, const wd_limits *lim, wd_error *err)
{ (void)data; (void)len; (void)lim; *out = NULL; return wd_error_set(err, WD_EFORMAT, "zip archives are not supported yet"); }
__attribute__((weak)) void wd_archive_free(wd_archive *a) { (void)a; }
__attribute__((weak)) size_t wd_archive_count(const wd_archive *a) { (void)a; return 0; }
__attribute__((weak)) const wd_archive_entry *wd_archive_at(const wd_archive *a, size_t i) { (void)a; (void)i; return NULL; }
__attribute__((weak)) size_t wd_archive_refused(const wd_archive *a) { (void)a; return 0; }
__attribute__((weak)) const wd_source *wd_archive_source(wd_archive *a) { (void)a; return NULL; }
