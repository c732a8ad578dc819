/*
 * fuzz_baseline.c - wd_scan_apply_baseline on arbitrary bytes.
 *
 * The baseline file is untrusted input. For any bytes the call must either
 * fail with a status and a positioned message and leave the result exactly as
 * it was, or succeed with every finding marked 0 or 1 and a fixed count no
 * larger than the number of findings in the document.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "warden/scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fps[] = {
	"00000000000000000000000000000000",
	"0123456789abcdef0123456789abcdef",
	"ffffffffffffffffffffffffffffffff",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wd_scan_result r;
	wd_error err;
	wd_status rc;
	size_t i;

	if (size > (1u << 20))
		return 0;
	wd_scan_result_init(&r);
	r.findings = calloc(3, sizeof(*r.findings));
	if (!r.findings)
		return 0;
	r.nfindings = r.findings_cap = 3;
	for (i = 0; i < 3; i++) {
		r.findings[i].fingerprint = fps[i];
		r.findings[i].is_new = -1;
	}
	wd_error_clear(&err);
	rc = wd_scan_apply_baseline(&r, (const char *)data, size, &err);
	if (rc != WD_OK) {
		if (r.has_baseline || r.baseline_fixed || err.message[0] == '\0')
			abort();
		for (i = 0; i < 3; i++)
			if (r.findings[i].is_new != -1)
				abort();
	} else {
		if (!r.has_baseline || r.baseline_fixed > size / 16)
			abort();
		for (i = 0; i < 3; i++)
			if (r.findings[i].is_new != 0 && r.findings[i].is_new != 1)
				abort();
	}
	wd_scan_result_release(&r);
	return 0;
}
