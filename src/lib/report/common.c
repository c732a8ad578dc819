/*
 * report/common.c - the per-app view, risk ordering and small formatting
 * helpers shared by the writers (see common.h for why the view exists).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/common.h"

static uint64_t app_key(const char *file, const char *id, const char *name)
{
	uint64_t h = wd_hash64(file, strlen(file), 1);

	h = wd_hash64(id, strlen(id), h);
	return wd_hash64(name, strlen(name), h);
}

static int same_app(const wd_result_app *a, const wd_result_finding *f)
{
	return strcmp(a->file ? a->file : "", f->app_file ? f->app_file : "") == 0 &&
	       strcmp(a->id ? a->id : "", f->app_id ? f->app_id : "") == 0 &&
	       strcmp(a->name ? a->name : "", f->app_name ? f->app_name : "") == 0;
}

wd_status wd_report_view_init(wd_report_view *v, const wd_scan_result *r)
{
	wd_hmap map = WD_HMAP_INIT;
	size_t i, *fill = NULL;

	memset(v, 0, sizeof(*v));
	v->napps = r->napps;
	v->apps = calloc(r->napps + 1, sizeof(*v->apps));
	v->app_of = calloc(r->nfindings + 1, sizeof(*v->app_of));
	v->by_app = calloc(r->nfindings + 1, sizeof(*v->by_app));
	v->first = calloc(r->napps + 2, sizeof(*v->first));
	fill = calloc(r->napps + 2, sizeof(*fill));
	if (!v->apps || !v->app_of || !v->by_app || !v->first || !fill)
		goto oom;
	for (i = 0; i <= r->napps; i++)
		v->apps[i].level = v->apps[i].sev = -1;
	for (i = 0; i < r->napps && i < UINT32_MAX; i++) {
		const wd_result_app *a = &r->apps[i];
		if (wd_hmap_put(&map, app_key(a->file ? a->file : "", a->id ? a->id : "",
		                              a->name ? a->name : ""), (uint32_t)i) != WD_OK)
			goto oom;
	}
	for (i = 0; i < r->nfindings; i++) {
		const wd_result_finding *f = &r->findings[i];
		uint32_t a = (uint32_t)r->napps;
		/* an app may have an empty name; a finding is file-level when no app of
		 * its file has its (empty) id and name */
		if (f->app_index < r->napps && same_app(&r->apps[f->app_index], f)) {
			a = f->app_index;
		} else {
			size_t slot = WD_HMAP_START;
			uint32_t k;
			uint64_t key = app_key(f->app_file ? f->app_file : "", f->app_id ? f->app_id : "",
			                       f->app_name ? f->app_name : "");
			while ((k = wd_hmap_next(&map, key, &slot)) != UINT32_MAX)
				if (same_app(&r->apps[k], f)) {
					a = k;
					break;
				}
		}
		v->app_of[i] = a;
		v->first[a + 1]++;
		/* accepted risk is still risk: suppressed findings count in the app's
		 * level and score (docs/risk.md), only the open list is shorter */
		if (f->risk.scored) {
			if ((int)f->risk.level > v->apps[a].level)
				v->apps[a].level = (int)f->risk.level;
			v->apps[a].score += (double)f->risk.likelihood * f->risk.impact;
		}
		if (f->status == WD_FINDING_SUPPRESSED) {
			v->apps[a].suppressed++;
			v->suppressed++;
			v->supp_sev[f->severity]++;
			continue;
		}
		v->apps[a].open++;
		v->open++;
		v->open_sev[f->severity]++;
		if ((int)f->severity > v->apps[a].sev)
			v->apps[a].sev = (int)f->severity;
		if (r->has_baseline && f->is_new == 1) {
			v->apps[a].fresh++;
			v->fresh++;
			v->fresh_sev[f->severity]++;
		} else if (r->has_baseline) {
			v->unchanged++;
		}
	}
	for (i = 1; i <= r->napps + 1; i++)
		v->first[i] += v->first[i - 1];
	for (i = 0; i < r->nfindings; i++) {
		uint32_t a = v->app_of[i];
		v->by_app[v->first[a] + fill[a]++] = (uint32_t)i;
	}
	free(fill);
	wd_hmap_release(&map);
	return WD_OK;
oom:
	free(fill);
	wd_hmap_release(&map);
	wd_report_view_release(v);
	return WD_ENOMEM;
}

void wd_report_view_release(wd_report_view *v)
{
	free(v->apps);
	free(v->app_of);
	free(v->by_app);
	free(v->first);
	memset(v, 0, sizeof(*v));
}

wd_severity wd_report_level(const wd_result_finding *f)
{
	return f->risk.scored ? f->risk.level : f->severity;
}

typedef struct ranked {
	const wd_result_finding *f;
	uint32_t i;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
	const ranked *x = a, *y = b;
	int lx = (int)wd_report_level(x->f), ly = (int)wd_report_level(y->f);
	int px = x->f->risk.scored ? x->f->risk.likelihood * x->f->risk.impact : 0;
	int py = y->f->risk.scored ? y->f->risk.likelihood * y->f->risk.impact : 0;

	if (lx != ly)
		return ly - lx;
	if (x->f->severity != y->f->severity)
		return (int)y->f->severity - (int)x->f->severity;
	if (px != py)
		return py - px;
	return x->i < y->i ? -1 : x->i > y->i;
}

void wd_report_sort_by_risk(const wd_scan_result *r, uint32_t *idx, size_t n)
{
	ranked *tmp = malloc((n + 1) * sizeof(*tmp));
	size_t i;

	if (!tmp)
		return; /* result order is still a valid (if unranked) order */
	for (i = 0; i < n; i++) {
		tmp[i].f = &r->findings[idx[i]];
		tmp[i].i = idx[i];
	}
	qsort(tmp, n, sizeof(*tmp), cmp_ranked);
	for (i = 0; i < n; i++)
		idx[i] = tmp[i].i;
	free(tmp);
}

/* Howard Hinnant's civil_from_days. */
void wd_report_date(int32_t days, char out[WD_REPORT_DATE_MAX])
{
	long z = (long)days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
	long m = mp < 10 ? mp + 3 : mp - 9;

	snprintf(out, WD_REPORT_DATE_MAX, "%04d-%02d-%02d", (int)(y + (m <= 2)), (int)m, (int)d);
}

void wd_report_json_num(wd_buf *out, double v)
{
	if (!isfinite(v))
		v = 0;
	wd_buf_printf(out, "%.15g", v);
}

const char *wd_report_app_name(const wd_report_view *v, const wd_scan_result *r, size_t i)
{
	const wd_result_finding *f = &r->findings[i];

	if (f->app_name && f->app_name[0])
		return f->app_name;
	return v->app_of[i] < v->napps ? "(unnamed app)" : "(whole file)";
}
