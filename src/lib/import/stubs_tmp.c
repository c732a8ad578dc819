/* temporary: replaced by the real importers */
#include "warden/import.h"
wd_status wd_import_powerautomate(wd_model *m, uint32_t doc, const wd_import_opts *opts, wd_error *err)
{ (void)m; (void)doc; (void)opts; return wd_error_set(err, WD_EFORMAT, "Power Automate import not yet available"); }
wd_status wd_import_make(wd_model *m, uint32_t doc, const wd_import_opts *opts, wd_error *err)
{ (void)m; (void)doc; (void)opts; return wd_error_set(err, WD_EFORMAT, "Make import not yet available"); }
wd_status wd_import_zapier(wd_model *m, uint32_t doc, const wd_import_opts *opts, wd_error *err)
{ (void)m; (void)doc; (void)opts; return wd_error_set(err, WD_EFORMAT, "Zapier import not yet available"); }
