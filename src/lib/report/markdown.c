/*
 * report/markdown.c - the scan as a pull-request comment (GitHub Markdown).
 *
 * Sections: a one-line verdict against the --fail-on gate, counts by
 * severity (open, suppressed, new), the top risks (each with owner, business
 * impact and the fix for its platform; at most two per app while other apps
 * have findings), apps ranked by risk, owners, and every finding inside a
 * <details> block.
 *
 * A GitHub comment holds at most 65536 characters, so the document has a
 * byte budget (bytes >= characters): every item is written to a scratch
 * buffer first and added only if it fits with room left for the closing
 * lines; what does not fit is counted and said. Input strings are cut to a
 * bounded length before escaping, then go through wd_escape_md (with
 * @-mentions defused), and never inside code spans (where escapes do not
 * work); only Warden's own rule ids are put in backticks.
 */
#include <stdlib.h>
#include <string.h>

#include "report/common.h"
#include "warden/escape.h"

#define NAME_MAX_IN 120    /* bytes of an app, component or owner name shown */
#define TEXT_MAX_IN 400    /* bytes of a message or sentence shown */
/* Room kept for the fixed text that may follow the last committed item:
 * every later section heading, table header, "N more" line, the closing
 * </details> and the footer together stay under this (about 1,100 bytes
 * today), so the whole comment stays within the budget. */
#define RESERVE 1600
#define TABLE_ROWS 25      /* apps and owners tables */

typedef struct md {
	wd_buf *out;
	size_t start, budget;
	wd_buf item;           /* one row or entry before it is committed */
} md;

/* Escaped text (no @-mentions either), cut to max_in bytes (at a UTF-8
 * boundary) with an ellipsis. */
static void text(wd_buf *b, const char *s, size_t max_in)
{
	size_t n = s ? strlen(s) : 0;
	int cut = 0;

	if (n > max_in) {
		n = max_in;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
		cut = 1;
	}
	wd_escape_md_rendered(b, s ? s : "", n);
	if (cut)
		wd_buf_puts(b, "…");
}

static void name(wd_buf *b, const char *s)
{
	if (s && s[0])
		text(b, s, NAME_MAX_IN);
	else
		wd_buf_puts(b, "–");
}

/* Append the pending item if it fits the budget; 1 if it did. */
static int commit(md *m)
{
	int ok = !wd_buf_failed(&m->item) &&
	         m->out->len - m->start + m->item.len + RESERVE <= m->budget;

	if (ok)
		wd_buf_put(m->out, m->item.data ? m->item.data : "", m->item.len);
	wd_buf_reset(&m->item);
	return ok;
}

static const char *sev_title(int s)
{
	static const char *t[] = {"Info", "Low", "Medium", "High", "Critical"};
	return s >= 0 && s <= WD_SEV_CRITICAL ? t[s] : "–";
}

static void owner_text(wd_buf *b, const wd_scan_result *r, const wd_owner *o)
{
	if (!r->has_owners && !o->owner) {
		wd_buf_puts(b, "–");
		return;
	}
	if (!o->owner) {
		wd_buf_puts(b, "unowned");
		return;
	}
	name(b, o->owner);
	if (o->team && o->team[0]) {
		wd_buf_puts(b, " (");
		name(b, o->team);
		wd_buf_putc(b, ')');
	}
}

static void location(wd_buf *b, const wd_result_finding *f)
{
	text(b, f->file, TEXT_MAX_IN);
	if (f->line)
		wd_buf_printf(b, ":%u:%u", f->line, f->column);
}

static void verdict(wd_buf *out, const wd_scan_result *r, const wd_report_view *v, int fail_on)
{
	size_t gate = wd_scan_count_gate(r, fail_on);

	if (fail_on > WD_SEV_CRITICAL)
		wd_buf_printf(out, "ℹ️ **No gate** (`--fail-on none`): %zu open finding%s.", v->open,
		              v->open == 1 ? "" : "s");
	else if (gate)
		wd_buf_printf(out, "❌ **Fails the gate:** %zu open finding%s at or above %s%s.", gate,
		              gate == 1 ? "" : "s", wd_severity_name((wd_severity)fail_on),
		              r->has_baseline ? ", new since the baseline" : "");
	else
		wd_buf_printf(out, "✅ **Passes the gate:** no open finding at or above %s%s.",
		              wd_severity_name((wd_severity)fail_on),
		              r->has_baseline ? " among the new ones" : "");
	if (r->nerrors)
		wd_buf_printf(out, " ⚠️ %zu input%s could not be read.", r->nerrors,
		              r->nerrors == 1 ? "" : "s");
	wd_buf_puts(out, "\n\n");
}

static void summary(wd_buf *out, const wd_scan_result *r, const wd_report_view *v)
{
	int s;

	wd_buf_printf(out, "Reviewed %zu app%s from %llu export%s", r->napps,
	              r->napps == 1 ? "" : "s", (unsigned long long)r->imported,
	              r->imported == 1 ? "" : "s");
	if (r->has_policy) {
		wd_buf_puts(out, " · policy: ");
		text(out, r->policy_names && r->policy_names[0] ? r->policy_names : "(unnamed)",
		     TEXT_MAX_IN);
	} else {
		wd_buf_puts(out, " · no policy (built-in rules only)");
	}
	if (r->has_baseline)
		wd_buf_printf(out, " · baseline: %zu new, %zu unchanged, %zu fixed", v->fresh,
		              v->unchanged, r->baseline_fixed);
	wd_buf_puts(out, "\n\n");
	wd_buf_puts(out, r->has_baseline ? "| Severity | Open | Suppressed | New |\n|---|---:|---:|---:|\n"
	                                 : "| Severity | Open | Suppressed |\n|---|---:|---:|\n");
	for (s = WD_SEV_CRITICAL; s >= WD_SEV_INFO; s--) {
		wd_buf_printf(out, "| %s | %zu | %zu |", sev_title(s), v->open_sev[s], v->supp_sev[s]);
		if (r->has_baseline)
			wd_buf_printf(out, " %zu |", v->fresh_sev[s]);
		wd_buf_putc(out, '\n');
	}
	wd_buf_printf(out, "| **Total** | **%zu** | **%zu** |", v->open, v->suppressed);
	if (r->has_baseline)
		wd_buf_printf(out, " **%zu** |", v->fresh);
	wd_buf_puts(out, "\n\n");
}

/*
 * Choose the top entries from findings ranked by risk: at most PER_APP from
 * one app on a first pass, so one workflow with ten command nodes does not
 * hide every other app; a second pass fills what is left in rank order.
 * Keeps the chosen ones at the front of idx, in rank order; returns how many.
 */
#define PER_APP 2
static size_t choose_top(const wd_report_view *v, uint32_t *idx, size_t n, size_t top)
{
	unsigned char *chosen = calloc(n + 1, 1);
	uint32_t *per_app = calloc(v->napps + 1, sizeof(*per_app));
	size_t i, k = 0, pass;

	if (!chosen || !per_app) {
		free(chosen);
		free(per_app);
		return n < top ? n : top; /* plain rank order */
	}
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < n && k < top; i++) {
			uint32_t a = v->app_of[idx[i]];
			if (chosen[i] || (pass == 0 && per_app[a] >= PER_APP))
				continue;
			chosen[i] = 1;
			per_app[a]++;
			k++;
		}
	for (i = 0, k = 0; i < n; i++)
		if (chosen[i])
			idx[k++] = idx[i];
	free(chosen);
	free(per_app);
	return k;
}

static void top_risks(md *m, const wd_scan_result *r, const wd_report_view *v, size_t top)
{
	uint32_t *idx = malloc((r->nfindings + 1) * sizeof(*idx));
	size_t n = 0, i, shown = 0, left = 0;

	if (!idx) {
		m->out->failed = 1;
		return;
	}
	for (i = 0; i < r->nfindings; i++)
		if (r->findings[i].status == WD_FINDING_OPEN)
			idx[n++] = (uint32_t)i;
	wd_buf_puts(m->out, "### Top risks\n\n");
	if (n == 0) {
		wd_buf_puts(m->out, "No open findings.\n\n");
		free(idx);
		return;
	}
	wd_report_sort_by_risk(r, idx, n);
	n = choose_top(v, idx, n, top);
	for (i = 0; i < n; i++) {
		const wd_result_finding *f = &r->findings[idx[i]];
		wd_buf *b = &m->item;
		const char *fix = wd_rule_fix(f->rule, wd_platform_parse(wd_str_c(f->platform)));
		wd_buf_printf(b, "%zu. **%s**", shown + 1, sev_title((int)wd_report_level(f)));
		if (f->risk.scored)
			wd_buf_printf(b, " risk (likelihood %s, impact %s; severity %s)",
			              wd_risk_likelihood_name(f->risk.likelihood),
			              wd_risk_impact_name(f->risk.impact), wd_severity_name(f->severity));
		wd_buf_printf(b, " · `%s` ", f->rule->id);
		text(b, f->rule->title, TEXT_MAX_IN);
		if (r->has_baseline && f->is_new == 1)
			wd_buf_puts(b, " · **new**");
		wd_buf_puts(b, "<br>\n   App: ");
		name(b, wd_report_app_name(v, r, idx[i]));
		wd_buf_printf(b, " (%s)", f->platform);
		if (f->comp_id) {
			wd_buf_puts(b, " · component: ");
			name(b, f->comp_name);
		}
		if (r->has_owners || f->owner.owner) {
			wd_buf_puts(b, " · owner: ");
			owner_text(b, r, &f->owner);
		}
		wd_buf_puts(b, " · ");
		location(b, f);
		wd_buf_puts(b, "<br>\n   ");
		text(b, f->message, TEXT_MAX_IN);
		if (f->risk.scored && f->risk.impact_sentence && f->risk.impact_sentence[0]) {
			wd_buf_puts(b, "<br>\n   **Business impact:** ");
			text(b, f->risk.impact_sentence, TEXT_MAX_IN);
		}
		{
			wd_buf loss;
			wd_buf_init(&loss, 4096);
			if (wd_report_loss(&loss, &f->risk)) {
				wd_buf_puts(b, "<br>\n   **Money at risk:** ");
				text(b, wd_buf_cstr(&loss), TEXT_MAX_IN);
				if (f->risk.loss_assumptions && f->risk.loss_assumptions[0]) {
					wd_buf_puts(b, " &#40;");
					text(b, f->risk.loss_assumptions, TEXT_MAX_IN);
					wd_buf_puts(b, "&#41;");
				}
			}
			wd_buf_release(&loss);
		}
		wd_buf_puts(b, "<br>\n   **Fix:** ");
		text(b, fix, 2 * TEXT_MAX_IN);
		wd_buf_putc(b, '\n');
		if (commit(m))
			shown++;
		else
			left++;
	}
	if (left)
		wd_buf_printf(m->out, "\n%zu more not shown (size limit).\n", left);
	wd_buf_putc(m->out, '\n');
	free(idx);
}

typedef struct app_rank {
	size_t i;
	int level;
	double score;
	uint32_t open, suppressed;
} app_rank;

static int cmp_app(const void *a, const void *b)
{
	const app_rank *x = a, *y = b;

	if (x->level != y->level)
		return y->level - x->level;
	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	if (x->open != y->open)
		return x->open < y->open ? 1 : -1;
	if (x->suppressed != y->suppressed)
		return x->suppressed < y->suppressed ? 1 : -1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static void apps_by_risk(md *m, const wd_scan_result *r, const wd_report_view *v)
{
	app_rank *rank = malloc((r->napps + 1) * sizeof(*rank));
	size_t i, shown = 0, clean = 0;

	if (!rank) {
		m->out->failed = 1;
		return;
	}
	for (i = 0; i < r->napps; i++) {
		const wd_report_app *a = &v->apps[i];
		rank[i].i = i;
		rank[i].level = a->level >= 0 ? a->level : a->sev;
		rank[i].score = a->score;
		rank[i].open = a->open;
		rank[i].suppressed = a->suppressed;
		clean += a->open == 0;
	}
	qsort(rank, r->napps, sizeof(*rank), cmp_app);
	wd_buf_puts(m->out, "### Apps by risk\n\n");
	if (r->napps == 0) {
		wd_buf_puts(m->out, "No apps were read.\n\n");
		free(rank);
		return;
	}
	/* the Owner column only when ownership was checked */
	wd_buf_puts(m->out, r->has_owners
	                        ? "| App | Platform | Owner | Environment | Risk | Score | Open | "
	                          "Suppressed |\n|---|---|---|---|---|---:|---:|---:|\n"
	                        : "| App | Platform | Environment | Risk | Score | Open | "
	                          "Suppressed |\n|---|---|---|---|---:|---:|---:|\n");
	for (i = 0; i < r->napps && shown < TABLE_ROWS; i++) {
		const wd_result_app *a = &r->apps[rank[i].i];
		const wd_report_app *va = &v->apps[rank[i].i];
		wd_buf *b = &m->item;
		if (va->open == 0 && va->suppressed == 0)
			break; /* apps without findings are only counted */
		wd_buf_puts(b, "| ");
		name(b, a->name);
		wd_buf_printf(b, " | %s | ", a->platform ? a->platform : "");
		if (r->has_owners) {
			owner_text(b, r, &a->owner);
			wd_buf_puts(b, " | ");
		}
		name(b, a->environment);
		wd_buf_printf(b, " | %s%s | ", sev_title(rank[i].level),
		              va->level < 0 && va->sev >= 0 ? " (severity)" : "");
		if (va->score > 0)
			wd_buf_printf(b, "%.0f", va->score);
		else
			wd_buf_puts(b, "–");
		wd_buf_printf(b, " | %u | %u |\n", va->open, va->suppressed);
		if (!commit(m))
			break;
		shown++;
	}
	wd_buf_putc(m->out, '\n');
	if (shown < r->napps)
		wd_buf_printf(m->out, "%zu more app%s not listed; %zu of %zu app%s %s no open findings.\n\n",
		              r->napps - shown, r->napps - shown == 1 ? "" : "s", clean, r->napps,
		              r->napps == 1 ? "" : "s", r->napps == 1 ? "has" : "have");
	free(rank);
}

typedef struct owner_row {
	const wd_owner *o;
	size_t apps, open;
	int level;
} owner_row;

static int same_owner(const wd_owner *a, const wd_owner *b)
{
	if (!a->owner || !b->owner)
		return !a->owner && !b->owner;
	return strcmp(a->owner, b->owner) == 0 &&
	       strcmp(a->team ? a->team : "", b->team ? b->team : "") == 0;
}

static owner_row *row_of(owner_row *rows, size_t *n, const wd_owner *o)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (same_owner(rows[i].o, o))
			return &rows[i];
	rows[*n].o = o;
	rows[*n].apps = rows[*n].open = 0;
	rows[*n].level = -1;
	return &rows[(*n)++];
}

static int cmp_owner_row(const void *a, const void *b)
{
	const owner_row *x = a, *y = b;

	if (!x->o->owner != !y->o->owner)
		return x->o->owner ? -1 : 1;
	if (x->level != y->level)
		return y->level - x->level;
	if (x->open != y->open)
		return x->open < y->open ? 1 : -1;
	if (x->o->owner && y->o->owner)
		return strcmp(x->o->owner, y->o->owner);
	return 0;
}

static void owners(md *m, const wd_scan_result *r)
{
	owner_row *rows;
	size_t n = 0, i, shown = 0;

	wd_buf_puts(m->out, "### Owners\n\n");
	if (!r->has_owners) {
		wd_buf_puts(m->out, "Ownership was not checked (no owners file).\n\n");
		return;
	}
	rows = malloc((r->napps + r->nfindings + 1) * sizeof(*rows));
	if (!rows) {
		m->out->failed = 1;
		return;
	}
	for (i = 0; i < r->napps; i++)
		row_of(rows, &n, &r->apps[i].owner)->apps++;
	for (i = 0; i < r->nfindings; i++) {
		const wd_result_finding *f = &r->findings[i];
		owner_row *row;
		if (f->status != WD_FINDING_OPEN)
			continue;
		row = row_of(rows, &n, &f->owner);
		row->open++;
		if ((int)wd_report_level(f) > row->level)
			row->level = (int)wd_report_level(f);
	}
	qsort(rows, n, sizeof(*rows), cmp_owner_row);
	wd_buf_puts(m->out, "| Owner | Team | Apps | Open findings | Highest risk |\n"
	                    "|---|---|---:|---:|---|\n");
	for (i = 0; i < n && shown < TABLE_ROWS; i++) {
		wd_buf *b = &m->item;
		wd_buf_puts(b, "| ");
		if (rows[i].o->owner)
			name(b, rows[i].o->owner);
		else
			wd_buf_puts(b, "**unowned**");
		wd_buf_puts(b, " | ");
		name(b, rows[i].o->owner ? rows[i].o->team : NULL);
		wd_buf_printf(b, " | %zu | %zu | %s |\n", rows[i].apps, rows[i].open,
		              sev_title(rows[i].level));
		if (!commit(m))
			break;
		shown++;
	}
	wd_buf_putc(m->out, '\n');
	if (shown < n)
		wd_buf_printf(m->out, "%zu more owner%s not listed.\n\n", n - shown,
		              n - shown == 1 ? "" : "s");
	free(rows);
}

static void details(md *m, const wd_scan_result *r, const wd_report_view *v)
{
	size_t i, shown = 0;

	if (r->nfindings == 0)
		return;
	wd_buf_printf(m->out, "<details><summary>All findings (%zu open, %zu suppressed)</summary>\n\n",
	              v->open, v->suppressed);
	wd_buf_puts(m->out, r->has_owners
	                        ? "| Severity | Risk | Rule | App | Component | Owner | Location | "
	                          "Status |\n|---|---|---|---|---|---|---|---|\n"
	                        : "| Severity | Risk | Rule | App | Component | Location | Status |\n"
	                          "|---|---|---|---|---|---|---|\n");
	for (i = 0; i < r->nfindings; i++) {
		const wd_result_finding *f = &r->findings[i];
		wd_buf *b = &m->item;
		wd_buf_printf(b, "| %s | %s | `%s` | ", sev_title((int)f->severity),
		              f->risk.scored ? sev_title((int)f->risk.level) : "–", f->rule->id);
		name(b, wd_report_app_name(v, r, i));
		wd_buf_puts(b, " | ");
		name(b, f->comp_id ? f->comp_name : NULL);
		wd_buf_puts(b, " | ");
		if (r->has_owners) {
			owner_text(b, r, &f->owner);
			wd_buf_puts(b, " | ");
		}
		location(b, f);
		wd_buf_printf(b, " | %s%s |\n", f->status == WD_FINDING_SUPPRESSED ? "suppressed" : "open",
		              r->has_baseline && f->is_new == 1 ? ", new" : "");
		if (!commit(m))
			break;
		shown++;
	}
	if (shown < r->nfindings)
		wd_buf_printf(m->out, "\n%zu more finding%s not shown (comment size limit); "
		                      "see the SARIF or JSON output.\n",
		              r->nfindings - shown, r->nfindings - shown == 1 ? "" : "s");
	wd_buf_puts(m->out, "\n</details>\n");
}

void wd_report_markdown(const wd_scan_result *r, const wd_markdown_opts *opts, wd_buf *out)
{
	wd_markdown_opts o = {WD_SEV_HIGH, 0, 0};
	wd_report_view v;
	md m;

	if (opts)
		o = *opts;
	if (o.max_bytes == 0)
		o.max_bytes = 60000;
	if (o.max_bytes < 4 * RESERVE)
		o.max_bytes = 4 * RESERVE;
	if (o.top == 0)
		o.top = 10;
	if (wd_report_view_init(&v, r) != WD_OK) {
		out->failed = 1;
		return;
	}
	m.out = out;
	m.start = out->len;
	m.budget = o.max_bytes;
	wd_buf_init(&m.item, o.max_bytes);
	wd_buf_puts(out, "## Warden security review\n\n");
	verdict(out, r, &v, o.fail_on);
	summary(out, r, &v);
	top_risks(&m, r, &v, o.top);
	apps_by_risk(&m, r, &v);
	owners(&m, r);
	details(&m, r, &v);
	wd_buf_printf(out, "\n<sub>Warden %s · fingerprints and full details: "
	                   "`warden scan --format json` or `--format sarif`</sub>\n",
	              WARDEN_VERSION);
	wd_buf_release(&m.item);
	wd_report_view_release(&v);
}
