/*
 * util/error.c - status names and the wd_error record.
 *
 * The library never prints; it fills a caller-owned wd_error. Messages are
 * truncated to WD_ERROR_MSG_MAX, never overflowed.
 */
#include <stdio.h>
#include <string.h>

#include "warden/util.h"

void wd_error_clear(wd_error *err)
{
	if (!err)
		return;
	memset(err, 0, sizeof(*err));
}

wd_status wd_error_set(wd_error *err, wd_status code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return code;
}

const char *wd_status_str(wd_status code)
{
	switch (code) {
	case WD_OK: return "ok";
	case WD_ENOMEM: return "out of memory";
	case WD_EINVAL: return "invalid argument";
	case WD_EIO: return "input/output error";
	case WD_ELIMIT: return "limit exceeded";
	case WD_EPARSE: return "parse error";
	case WD_EFORMAT: return "unknown format";
	case WD_ENOTFOUND: return "not found";
	}
	return "unknown error";
}
