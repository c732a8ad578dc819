/*
 * fuzz_import_zapier.c - the Zapier export importer on arbitrary bytes (the body is
 * import_target.h: direct import and the whole wd_import_buffer path).
 */
#define FUZZ_IMPORTER wd_import_zapier
#define FUZZ_PATH "fuzz/zaps.json"
#include "import_target.h"
