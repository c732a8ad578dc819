/*
 * fuzz_import_make.c - the Make blueprint importer on arbitrary bytes (the body is
 * import_target.h: direct import and the whole wd_import_buffer path).
 */
#define FUZZ_IMPORTER wd_import_make
#define FUZZ_PATH "fuzz/blueprint.json"
#include "import_target.h"
