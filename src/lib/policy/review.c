/*
 * policy/review.c - wd_policy_review(): the WD-POL-* checks of one model
 * against a policy, and the policy's rule switches applied to its findings.
 *
 * Order: first the switches, severities and scopes are applied to the
 * findings the built-in rules produced (disabled ones are removed and f is
 * compacted); then the policy's own findings are added, each already passed
 * through the same switches. Checks that would repeat a built-in finding
 * look only at the built-in findings that survived the switches.
 *
 * Connector groups follow Power Platform DLP (docs/policy.md): per policy
 * file, every connector of an app falls in business, non-business or
 * blocked (most specific pattern wins, ties go to the stricter group,
 * unclassified connectors to the default group); blocked anywhere is a
 * WD-POL-001, and a file that sees business and non-business connectors in
 * one app gives WD-POL-002. Evidence keys are connector ids, hosts, setting
 * names and class:target pairs, never positions, so fingerprints survive
 * edits elsewhere in the export.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "policy/policy_int.h"

typedef struct rv {
	const wd_policy *p;
	const wd_model *m;
	wd_findings *f;
	const char **env;      /* per app */
	size_t n0;             /* findings of the built-in rules (after the switches) */
	uint8_t *comp_has;     /* per component: HAS_* of the built-in findings */
	uint8_t *app_has;      /* per app */
} rv;

#define NAMEF(c) (int)((c)->name.len > 120 ? 120 : (c)->name.len), (c)->name.ptr
#define APPF(a) (int)((a)->name.len > 120 ? 120 : (a)->name.len), (a)->name.ptr

static wd_platform app_platform(const wd_model *m, uint32_t app)
{
	return app != WD_NONE && app < m->napps ? m->apps[app].platform : m->platform;
}

static const char *env_of(const rv *x, uint32_t app)
{
	return app != WD_NONE && app < x->m->napps ? x->env[app] : "";
}

static wd_status emit(rv *x, const char *rule_id, int sev, uint32_t app, uint32_t comp,
                      wd_loc loc, const char *evidence, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 9, 10)));

/* Add a finding of rule_id unless the policy turns the rule off here. */
static wd_status emit(rv *x, const char *rule_id, int sev, uint32_t app, uint32_t comp,
                      wd_loc loc, const char *evidence, const char *key, const char *fmt, ...)
{
	const wd_rule *r = wd_rules_find(rule_id);
	wd_buf b;
	va_list ap;
	wd_status rc;

	if (!r)
		return WD_EINVAL;
	if (!pol_rule_state(x->p, rule_id, app_platform(x->m, app), env_of(x, app), &sev))
		return WD_OK;
	wd_buf_init(&b, 4096);
	va_start(ap, fmt);
	wd_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	rc = wd_findings_add(x->f, x->m, r, (wd_severity)sev, app, comp, loc, evidence, key, "%s",
	                     wd_buf_cstr(&b));
	wd_buf_release(&b);
	return rc;
}

/* Switches, severities and scopes over f->items[from..n). */
static void apply_switches(rv *x, size_t from)
{
	wd_findings *f = x->f;
	size_t i, out = from;

	for (i = from; i < f->n; i++) {
		wd_finding *it = &f->items[i];
		int sev = (int)it->severity;
		if (!pol_rule_state(x->p, it->rule->id, app_platform(x->m, it->app), env_of(x, it->app),
		                    &sev))
			continue;
		it->severity = (wd_severity)sev;
		if (out != i)
			f->items[out] = *it;
		out++;
	}
	f->n = out;
}

/* Built-in findings that policy checks must not repeat, indexed once so
 * that the checks stay linear in the size of the model. */
enum { HAS_HTTP_DYNAMIC = 1, HAS_CONFIDENTIAL = 2 };

static wd_status index_builtin(rv *x)
{
	size_t i;

	x->comp_has = calloc(x->m->ncomps + 1, 1);
	x->app_has = calloc(x->m->napps + 1, 1);
	if (!x->comp_has || !x->app_has)
		return WD_ENOMEM;
	for (i = 0; i < x->n0; i++) {
		const wd_finding *it = &x->f->items[i];
		if ((strcmp(it->rule->id, "WD-HTTP-001") == 0 ||
		     strcmp(it->rule->id, "WD-HTTP-002") == 0) &&
		    it->comp < x->m->ncomps)
			x->comp_has[it->comp] |= HAS_HTTP_DYNAMIC;
		if (strcmp(it->rule->id, "WD-DATA-003") == 0 && it->app < x->m->napps)
			x->app_has[it->app] |= HAS_CONFIDENTIAL;
	}
	return WD_OK;
}

/* ---- connector facts ----------------------------------------------------------------- */

static int active(const wd_component *c)
{
	return !(c->flags & WD_COMP_DISABLED) && c->kind != WD_KIND_NOTE;
}

/* A connector to a service (counts for groups even when no pattern names
 * it): a catalog entry that reaches a server, or an HTTP or webhook role;
 * components unknown to the catalog count unless they are plain logic. */
static int is_connector(const wd_component *c)
{
	const wd_catalog_entry *e = c->connector;

	if (e)
		return e->dest == WD_DEST_EXTERNAL || e->dest == WD_DEST_INTERNAL ||
		       (e->flags & (WD_CAT_HTTP | WD_CAT_WEBHOOK));
	return c->kind != WD_KIND_LOGIC && c->kind != WD_KIND_NOTE && c->kind != WD_KIND_CONFIG &&
	       c->kind != WD_KIND_UI;
}

/* A model or agent (not an AI tool, which is an ordinary service it calls);
 * the same test as rule WD-DATA-004. */
static int is_ai(const wd_component *c)
{
	const wd_catalog_entry *e = c->connector;

	return e && ((e->flags & (WD_CAT_AI_MODEL | WD_CAT_AI_AGENT)) ||
	             (c->kind == WD_KIND_AI && !(e->flags & WD_CAT_AI_TOOL) &&
	              wd_str_eq_c(e->category, "ai")));
}

/* An AI service that receives data (a model or hosted agent), not the
 * platform's own agent or chain node, whose model is attached to it. */
static int is_ai_service(const wd_component *c)
{
	return is_ai(c) && c->connector->dest != WD_DEST_NONE;
}

static int is_external(const wd_component *c)
{
	const wd_catalog_entry *e = c->connector;

	return e && e->dest == WD_DEST_EXTERNAL &&
	       ((e->caps & (WD_CAP_WRITE | WD_CAP_SEND)) || is_ai(c));
}

/* What the component is, for messages: the catalog's service name or its type. */
static wd_str service(const wd_component *c)
{
	return c->connector && c->connector->service.len ? c->connector->service : c->type;
}

/* The connector id for evidence keys: catalog type, else the component type. */
static wd_str conn_id(const wd_component *c)
{
	return c->connector && c->connector->type.len ? c->connector->type : c->type;
}

static wd_platform comp_platform(const wd_model *m, const wd_component *c)
{
	return app_platform(m, c->app);
}

/*
 * The group a file gives c, GROUP_NONE when c does not count there. Only
 * connectors are grouped; any component can be blocked (role:shell blocks a
 * command node, which is no connector).
 */
static int file_group(const pol_file *f, const wd_model *m, const wd_component *c,
                      const pol_pat **why)
{
	const pol_pat *best = NULL;
	int g, bg = GROUP_NONE, d, conn = is_connector(c);

	*why = NULL;
	if (pol_pats_first(&f->ignore, m, c))
		return GROUP_NONE;
	for (g = conn ? 0 : GROUP_BLOCKED; g < NGROUPS; g++) {
		const pol_pat *pt = pol_pats_best(&f->groups[g], m, c);
		if (pt && (!best || pt->score >= best->score)) {
			best = pt;
			bg = g;
		}
	}
	if (best) {
		*why = best;
		return bg;
	}
	if (!conn)
		return GROUP_NONE;
	d = f->plat_default[comp_platform(m, c)];
	return d != GROUP_NONE ? d : f->default_group;
}

static wd_status check_connectors(rv *x)
{
	const wd_policy *p = x->p;
	const wd_model *m = x->m;
	size_t nc = m->ncomps, na = m->napps, fi, a, j;
	uint32_t *blocked = calloc(nc + 1, sizeof(*blocked));    /* file index + 1 */
	const pol_pat **bpat = calloc(nc + 1, sizeof(*bpat));
	uint32_t *unapproved = calloc(nc + 1, sizeof(*unapproved));
	uint32_t *mixed = calloc(na + 1, sizeof(*mixed));        /* file index + 1 */
	uint32_t *mix_bus = calloc(na + 1, sizeof(*mix_bus));
	uint32_t *mix_non = calloc(na + 1, sizeof(*mix_non));
	wd_status rc = WD_OK;
	char key[320];

	if (!blocked || !bpat || !unapproved || !mixed || !mix_bus || !mix_non) {
		rc = WD_ENOMEM;
		goto out;
	}
	for (fi = 0; fi < p->nfiles; fi++) {
		const pol_file *f = p->files[fi];
		for (a = 0; a < na; a++) {
			const wd_app *ap = &m->apps[a];
			uint32_t bus = WD_NONE, non = WD_NONE;
			for (j = ap->comp_first; j < ap->comp_first + ap->comp_count && j < nc; j++) {
				const wd_component *c = &m->comps[j];
				const pol_pat *why;
				int g;
				if (!active(c))
					continue;
				g = file_group(f, m, c, &why);
				if (g == GROUP_NONE)
					continue;
				if (g == GROUP_BLOCKED) {
					if (!blocked[j]) {
						blocked[j] = (uint32_t)fi + 1;
						bpat[j] = why;
					}
					continue;
				}
				if (g == GROUP_BUSINESS && bus == WD_NONE)
					bus = (uint32_t)j;
				if (g == GROUP_NON_BUSINESS && non == WD_NONE)
					non = (uint32_t)j;
				if (f->approved.n && !unapproved[j] && !pol_pats_first(&f->approved, m, c))
					unapproved[j] = (uint32_t)fi + 1;
			}
			if (bus != WD_NONE && non != WD_NONE && !mixed[a]) {
				mixed[a] = (uint32_t)fi + 1;
				mix_bus[a] = bus;
				mix_non[a] = non;
			}
		}
	}
	for (j = 0; j < nc && rc == WD_OK; j++) {
		const wd_component *c = &m->comps[j];
		wd_str svc = service(c), id = conn_id(c);
		if (blocked[j]) {
			const pol_file *f = p->files[blocked[j] - 1];
			snprintf(key, sizeof(key), "connector:%.*s", (int)(id.len > 300 ? 300 : id.len),
			         id.ptr);
			if (bpat[j])
				rc = emit(x, "WD-POL-001", WD_SEV_HIGH, c->app, (uint32_t)j, c->loc, "", key,
				          "'%.*s' uses %.*s, which policy '%s' blocks (pattern '%s' at %s)",
				          NAMEF(c), (int)svc.len, svc.ptr, f->title, bpat[j]->text,
				          bpat[j]->source);
			else
				rc = emit(x, "WD-POL-001", WD_SEV_HIGH, c->app, (uint32_t)j, c->loc, "", key,
				          "'%.*s' uses %.*s, which policy '%s' does not classify; its "
				          "default group for unclassified connectors is 'blocked'",
				          NAMEF(c), (int)svc.len, svc.ptr, f->title);
		} else if (unapproved[j]) {
			const pol_file *f = p->files[unapproved[j] - 1];
			snprintf(key, sizeof(key), "approved:%.*s", (int)(id.len > 300 ? 300 : id.len),
			         id.ptr);
			rc = emit(x, "WD-POL-003", WD_SEV_MEDIUM, c->app, (uint32_t)j, c->loc, "", key,
			          "'%.*s' uses %.*s, which is not on the approved connector list of "
			          "policy '%s'",
			          NAMEF(c), (int)svc.len, svc.ptr, f->title);
		}
	}
	for (a = 0; a < na && rc == WD_OK; a++) {
		const wd_app *ap = &m->apps[a];
		const wd_component *b, *n;
		wd_str bs, ns;
		char ev[160];
		if (!mixed[a])
			continue;
		b = &m->comps[mix_bus[a]];
		n = &m->comps[mix_non[a]];
		bs = service(b);
		ns = service(n);
		snprintf(ev, sizeof(ev), "%.*s + %.*s", (int)(bs.len > 70 ? 70 : bs.len), bs.ptr,
		         (int)(ns.len > 70 ? 70 : ns.len), ns.ptr);
		rc = emit(x, "WD-POL-002", WD_SEV_HIGH, (uint32_t)a, WD_NONE, n->loc, ev, "dlp-groups",
		          "'%.*s' combines business connector '%.*s' (%.*s) with non-business "
		          "connector '%.*s' (%.*s): policy '%s' does not let data pass between the two "
		          "groups",
		          APPF(ap), NAMEF(b), (int)bs.len, bs.ptr, NAMEF(n), (int)ns.len, ns.ptr,
		          p->files[mixed[a] - 1]->title);
	}
out:
	free(blocked);
	free(bpat);
	free(unapproved);
	free(mixed);
	free(mix_bus);
	free(mix_non);
	return rc;
}

/* ---- endpoints ----------------------------------------------------------------------- */

static int default_port(wd_str scheme)
{
	static const struct {
		const char *s;
		int port;
	} ports[] = {{"http", 80},    {"https", 443}, {"ws", 80},       {"wss", 443},
	             {"ftp", 21},     {"ftps", 990},  {"sftp", 22},     {"ssh", 22},
	             {"mqtt", 1883},  {"mqtts", 8883}, {"smtp", 25},    {"smtps", 465},
	             {"imap", 143},   {"imaps", 993}, {"postgres", 5432}, {"postgresql", 5432},
	             {"mysql", 3306}, {"mssql", 1433}, {"amqp", 5672},  {"amqps", 5671},
	             {"redis", 6379}, {"rediss", 6380}, {"mongodb", 27017}, {"ldap", 389},
	             {"ldaps", 636}};
	size_t i;

	for (i = 0; i < sizeof(ports) / sizeof(*ports); i++)
		if (scheme.len == strlen(ports[i].s) &&
		    strncasecmp(scheme.ptr, ports[i].s, scheme.len) == 0)
			return ports[i].port;
	return -1;
}

static const pol_pat *host_match(const pol_pats *ps, wd_str host, const char *hostport)
{
	size_t i;

	for (i = 0; i < ps->n; i++) {
		const pol_pat *pt = &ps->v[i];
		if (pt->has_port ? (hostport && wd_glob_match(pt->glob, hostport, strlen(hostport), 1))
		                 : wd_glob_match(pt->glob, host.ptr, host.len, 1))
			return pt;
	}
	return NULL;
}

/* For each component, the first component that uses it as a config node
 * (WD_NONE if none), so a broker's address belongs to its user's app.
 * NULL when out of memory (or when the model has no components). */
static uint32_t *config_users(const wd_model *m)
{
	uint32_t *u = malloc((m->ncomps + 1) * sizeof(*u));
	size_t i;

	if (!u)
		return NULL;
	memset(u, 0xff, (m->ncomps + 1) * sizeof(*u));
	for (i = m->nedges; i-- > 0;) /* backwards, so the first edge wins */
		if (m->edges[i].kind == WD_EDGE_CONFIG && m->edges[i].to < m->ncomps &&
		    m->edges[i].from < m->ncomps)
			u[m->edges[i].to] = m->edges[i].from;
	return u;
}

static uint32_t target_app(const wd_model *m, const uint32_t *users, uint32_t comp)
{
	uint32_t u;

	if (m->comps[comp].app != WD_NONE)
		return m->comps[comp].app;
	u = users[comp];
	return u != WD_NONE ? m->comps[u].app : WD_NONE;
}

static int same_host(wd_str a, wd_str b)
{
	return a.len == b.len && (a.len == 0 || strncasecmp(a.ptr, b.ptr, a.len) == 0);
}

/* (component, host ignoring case): targets reported once per pair. */
static uint64_t target_key(const wd_target *t)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ ((uint64_t)t->comp * 0x9E3779B97F4A7C15ULL);
	size_t i;

	for (i = 0; i < t->host.len; i++) {
		unsigned char c = (unsigned char)t->host.ptr[i];
		h ^= c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Whether an earlier target had the same key; adds this one. */
static wd_status seen_target(const wd_model *m, wd_hmap *seen, size_t i, int *dup)
{
	const wd_target *t = &m->targets[i];
	uint64_t key = target_key(t);
	size_t slot = WD_HMAP_START;
	uint32_t k;

	*dup = 0;
	while ((k = wd_hmap_next(seen, key, &slot)) != UINT32_MAX)
		if (m->targets[k].comp == t->comp && same_host(m->targets[k].host, t->host) &&
		    (t->host.len || (m->targets[k].flags & WD_TARGET_DYNAMIC))) {
			*dup = 1;
			return WD_OK;
		}
	return wd_hmap_put(seen, key, (uint32_t)i);
}

static wd_status check_endpoints(rv *x)
{
	const wd_policy *p = x->p;
	const wd_model *m = x->m;
	size_t i, k, fi;
	int any_rules = 0, any_dynamic = 0;
	uint32_t *users;
	wd_hmap seen = WD_HMAP_INIT;
	wd_status rc = WD_OK;

	for (fi = 0; fi < p->nfiles; fi++) {
		any_rules |= p->files[fi]->allow_hosts.n || p->files[fi]->deny_hosts.n;
		any_dynamic |= p->files[fi]->has_endpoints && p->files[fi]->dynamic;
	}
	if (!any_rules && !any_dynamic)
		return WD_OK;
	users = config_users(m);
	if (!users)
		return WD_ENOMEM;
	for (i = 0; i < m->ntargets && rc == WD_OK; i++) {
		const wd_target *t = &m->targets[i];
		const wd_component *c;
		uint32_t app;
		int dup = 0;
		if (t->comp >= m->ncomps || !active(&m->comps[t->comp]))
			continue;
		c = &m->comps[t->comp];
		app = target_app(m, users, t->comp);
		if (app == WD_NONE)
			continue;
		rc = seen_target(m, &seen, i, &dup);
		if (rc != WD_OK || dup)
			continue;
		if (t->host.len && any_rules) {
			char hostport[300], key[300];
			const pol_pat *deny = NULL;
			const pol_file *df = NULL, *nf = NULL;
			int port = t->port >= 0 ? t->port : default_port(t->scheme);
			int hl = (int)(t->host.len > 255 ? 255 : t->host.len);
			if (port >= 0)
				snprintf(hostport, sizeof(hostport), "%.*s:%d", hl, t->host.ptr, port);
			else
				hostport[0] = '\0';
			snprintf(key, sizeof(key), "host:%.*s", hl, t->host.ptr);
			for (k = 0; key[k]; k++)
				if (key[k] >= 'A' && key[k] <= 'Z')
					key[k] = (char)(key[k] + 32);
			for (fi = 0; fi < p->nfiles && !deny; fi++) {
				deny = host_match(&p->files[fi]->deny_hosts, t->host,
				                  hostport[0] ? hostport : NULL);
				df = p->files[fi];
			}
			for (fi = 0; fi < p->nfiles && !deny && !nf; fi++)
				if (p->files[fi]->allow_hosts.n &&
				    !host_match(&p->files[fi]->allow_hosts, t->host,
				                hostport[0] ? hostport : NULL))
					nf = p->files[fi];
			if (deny)
				rc = emit(x, "WD-POL-004", WD_SEV_HIGH, app, t->comp, t->loc, key + 5, key,
				          "'%.*s' sends data to %.*s, which policy '%s' denies (pattern '%s' "
				          "at %s)",
				          NAMEF(c), hl, t->host.ptr, df->title, deny->text, deny->source);
			else if (nf)
				rc = emit(x, "WD-POL-004", WD_SEV_MEDIUM, app, t->comp, t->loc, key + 5, key,
				          "'%.*s' sends data to %.*s, which is not among the hosts policy '%s' "
				          "allows",
				          NAMEF(c), hl, t->host.ptr, nf->title);
		} else if (!t->host.len && (t->flags & WD_TARGET_DYNAMIC) && any_dynamic) {
			/* WD-HTTP-001/002 already say it for HTTP requests */
			if (x->comp_has[t->comp] & HAS_HTTP_DYNAMIC)
				continue;
			rc = emit(x, "WD-POL-005", WD_SEV_MEDIUM, app, t->comp, t->loc, "", "dynamic",
			          "'%.*s' (%.*s) connects to an endpoint built at run time, which the "
			          "policy's endpoint rules cannot check",
			          NAMEF(c), (int)service(c).len, service(c).ptr);
		}
	}
	free(users);
	wd_hmap_release(&seen);
	return rc;
}

/* ---- required settings --------------------------------------------------------------- */

static wd_loc settings_loc(const wd_app *a)
{
	return a->settings_loc.doc != WD_NONE ? a->settings_loc : a->loc;
}

static int real_components(const wd_model *m, const wd_app *a)
{
	size_t j;

	for (j = a->comp_first; j < a->comp_first + a->comp_count && j < m->ncomps; j++) {
		const wd_component *c = &m->comps[j];
		if (active(c) && c->kind != WD_KIND_LOGIC && c->kind != WD_KIND_CONFIG &&
		    c->kind != WD_KIND_UI)
			return 1;
	}
	return 0;
}

static int has_error_handler(const wd_model *m, const wd_app *a)
{
	size_t j;

	for (j = a->comp_first; j < a->comp_first + a->comp_count && j < m->ncomps; j++)
		if ((m->comps[j].flags & WD_COMP_ERROR_HANDLER) && active(&m->comps[j]))
			return 1;
	return 0;
}

static wd_status check_settings(rv *x)
{
	const wd_policy *p = x->p;
	const wd_model *m = x->m;
	uint8_t *done = calloc(m->napps + 1, 1); /* bit per set_id already reported */
	size_t fi, k, a, j;
	wd_status rc = WD_OK;

	if (!done)
		return WD_ENOMEM;
	for (fi = 0; fi < p->nfiles && rc == WD_OK; fi++) {
		const pol_file *f = p->files[fi];
		for (k = 0; k < f->nsettings && rc == WD_OK; k++) {
			const pol_setting *s = &f->settings[k];
			int sev = s->severity >= 0 ? s->severity : WD_SEV_MEDIUM;
			for (a = 0; a < m->napps && rc == WD_OK; a++) {
				const wd_app *ap = &m->apps[a];
				uint8_t bit = (uint8_t)(1u << s->id);
				if (ap->platform != s->platform || (done[a] & bit))
					continue;
				switch (s->id) {
				case SET_CALLER_POLICY: {
					wd_str v = ap->caller_policy.len ? ap->caller_policy
					                                 : wd_str_c("workflowsFromSameOwner");
					char val[64];
					int ok = 0;
					snprintf(val, sizeof(val), "%.*s", (int)(v.len > 60 ? 60 : v.len), v.ptr);
					for (j = 0; j < s->allowed.n; j++)
						ok |= strcmp(s->allowed.v[j], val) == 0;
					/* "any" is WD-ACL-001's (turned on by this setting) */
					if (ok || strcmp(val, "any") == 0)
						continue;
					done[a] |= bit;
					rc = emit(x, "WD-POL-006", sev, (uint32_t)a, WD_NONE, settings_loc(ap), val,
					          "callerPolicy",
					          "workflow '%.*s' has caller policy '%s', which policy '%s' does "
					          "not allow (%s)",
					          APPF(ap), val, f->title, s->source);
					break;
				}
				case SET_MAX_TIMEOUT:
					if (ap->execution_timeout > 0 && ap->execution_timeout <= s->max)
						continue;
					if (!real_components(m, ap))
						continue;
					done[a] |= bit;
					if (ap->execution_timeout <= 0)
						rc = emit(x, "WD-POL-006", sev, (uint32_t)a, WD_NONE, settings_loc(ap),
						          "no timeout", "executionTimeout",
						          "workflow '%.*s' sets no execution timeout; policy '%s' "
						          "requires one of at most %lld s",
						          APPF(ap), f->title, (long long)s->max);
					else
						rc = emit(x, "WD-POL-006", sev, (uint32_t)a, WD_NONE, settings_loc(ap),
						          "", "executionTimeout",
						          "workflow '%.*s' may run for %lld s; policy '%s' allows at "
						          "most %lld s",
						          APPF(ap), (long long)ap->execution_timeout, f->title,
						          (long long)s->max);
					break;
				case SET_ERROR_HANDLING:
					/* n8n, Power Automate and Make: WD-LOG-001; Node-RED: a catch node */
					if (s->platform != WD_PLATFORM_NODERED || has_error_handler(m, ap) ||
					    !real_components(m, ap))
						continue;
					done[a] |= bit;
					rc = emit(x, "WD-POL-006", sev, (uint32_t)a, WD_NONE, ap->loc, "no catch node",
					          "catch",
					          "flow '%.*s' has no catch node, so its errors reach no one; policy "
					          "'%s' requires error handling (%s)",
					          APPF(ap), f->title, s->source);
					break;
				case SET_CONFIDENTIAL:
					if (!s->always || ap->confidential == 1 ||
					    (x->app_has[a] & HAS_CONFIDENTIAL))
						continue;
					done[a] |= bit;
					rc = emit(x, "WD-POL-006", sev, (uint32_t)a, WD_NONE, settings_loc(ap),
					          "confidential off", "confidential",
					          "scenario '%.*s' is not marked confidential, so its run data is "
					          "kept in the execution log; policy '%s' requires it (%s)",
					          APPF(ap), f->title, s->source);
					break;
				default:
					/* reported by the built-in rule the setting turns on */
					break;
				}
			}
		}
	}
	free(done);
	return rc;
}

/* ---- data classes -------------------------------------------------------------------- */

static const char *class_words(int cls)
{
	switch (cls) {
	case WD_CLASS_PII: return "personal data";
	case WD_CLASS_FINANCIAL: return "financial data";
	case WD_CLASS_HEALTH: return "health data";
	case WD_CLASS_CREDENTIAL: return "credentials";
	default: return "secrets";
	}
}

/* What the triggers of one service reach, computed when first asked, for
 * at most ECHO_MAX services per model (after that, no echo is assumed). */
#define ECHO_MAX 64
typedef struct reach_cache {
	wd_str service[ECHO_MAX];
	uint8_t *reach[ECHO_MAX];  /* NULL: the service has no trigger */
	size_t n;
	uint8_t *start;
} reach_cache;

/*
 * Whether the data at src may have come from the same service as target:
 * a trigger of target's service reaches src. A Telegram bot answering the
 * user who wrote to it sends that user's name back where it came from,
 * which the policy does not forbid.
 */
static wd_status echoes_source(const wd_model *m, reach_cache *rc_, uint32_t target, uint32_t src,
                               int *out)
{
	const wd_component *c = &m->comps[target];
	size_t j, k;
	int any = 0;
	wd_status rc;

	*out = 0;
	if (!c->connector || !c->connector->service.len)
		return WD_OK;
	for (k = 0; k < rc_->n; k++)
		if (wd_str_eq(rc_->service[k], c->connector->service))
			break;
	if (k == rc_->n) {
		if (k == ECHO_MAX)
			return WD_OK;
		memset(rc_->start, 0, m->ncomps);
		for (j = 0; j < m->ncomps; j++) {
			const wd_component *t = &m->comps[j];
			if ((t->kind == WD_KIND_TRIGGER || t->kind == WD_KIND_ENTRY) && active(t) &&
			    t->connector && wd_str_eq(t->connector->service, c->connector->service))
				rc_->start[j] = any = 1;
		}
		rc_->service[k] = c->connector->service;
		rc_->reach[k] = NULL;
		rc_->n++;
		if (any) {
			rc_->reach[k] = calloc(m->ncomps, 1);
			if (!rc_->reach[k])
				return WD_ENOMEM;
			rc = wd_model_reach(m, rc_->start, rc_->reach[k]);
			if (rc != WD_OK)
				return rc;
		}
	}
	*out = rc_->reach[k] && rc_->reach[k][src];
	return WD_OK;
}

static wd_status check_data(rv *x)
{
	const wd_policy *p = x->p;
	const wd_model *m = x->m;
	uint8_t *start = NULL;
	uint32_t *label = NULL, *field_of = NULL;
	reach_cache cache;
	size_t i, fi;
	int cls;
	wd_status rc = WD_OK;

	if (!m->ncomps || !m->nfields)
		return WD_OK;
	start = malloc(m->ncomps);
	label = malloc(m->ncomps * sizeof(*label));
	field_of = malloc(m->ncomps * sizeof(*field_of));
	memset(&cache, 0, sizeof(cache));
	cache.start = malloc(m->ncomps);
	if (!start || !label || !field_of || !cache.start) {
		rc = WD_ENOMEM;
		goto out;
	}
	for (cls = WD_CLASS_PII; cls <= WD_CLASS_SECRET && rc == WD_OK; cls++) {
		int wanted = 0, any = 0;
		for (fi = 0; fi < p->nfiles; fi++)
			wanted |= p->files[fi]->data[cls].present;
		if (!wanted)
			continue;
		memset(start, 0, m->ncomps);
		memset(field_of, 0, m->ncomps * sizeof(*field_of));
		for (i = 0; i < m->nfields; i++) {
			const wd_field *fl = &m->fields[i];
			if (fl->comp >= m->ncomps || (int)fl->cls != cls ||
			    wd_str_starts_with(fl->name, "account ") || !active(&m->comps[fl->comp]))
				continue; /* "account ...": the maker's own account labels (Make) */
			start[fl->comp] = 1;
			any = 1;
			if (!field_of[fl->comp])
				field_of[fl->comp] = (uint32_t)i + 1;
		}
		if (!any)
			continue;
		rc = wd_model_reach_label(m, start, label);
		/* what reaches an agent or chain reaches the model attached to it
		 * (AI edges point from the model to the agent) */
		for (i = 0; i < m->nedges && rc == WD_OK; i++) {
			const wd_edge *e = &m->edges[i];
			if (e->kind == WD_EDGE_AI && !wd_str_eq_c(e->label, "ai_tool") &&
			    e->from < m->ncomps && e->to < m->ncomps && label[e->to] && !label[e->from] &&
			    m->comps[e->from].connector &&
			    m->comps[e->from].connector->dest != WD_DEST_NONE)
				label[e->from] = label[e->to];
		}
		for (i = 0; i < m->ncomps && rc == WD_OK; i++) {
			const wd_component *c = &m->comps[i];
			const wd_field *fl;
			const pol_file *vf = NULL;
			const char *target = NULL, *why = NULL;
			const pol_pat *gp;
			uint32_t src;
			char key[48];
			if (!label[i] || !active(c) || c->app == WD_NONE || c->kind == WD_KIND_TRIGGER ||
			    c->kind == WD_KIND_ENTRY)
				continue;
			src = label[i] - 1;
			{
				int echo = 0;
				rc = echoes_source(m, &cache, (uint32_t)i, src, &echo);
				if (rc != WD_OK || echo)
					continue;
			}
			for (fi = 0; fi < p->nfiles && !target; fi++) {
				const pol_data *d = &p->files[fi]->data[cls];
				if (!d->present || pol_pats_first(&d->allow, m, c))
					continue;
				vf = p->files[fi];
				if ((d->deny & DENY_AI) && is_ai_service(c)) {
					target = "ai";
					why = "an AI service the policy does not list for it";
				} else if ((d->deny & DENY_NON_BUSINESS) &&
				           file_group(vf, m, c, &gp) == GROUP_NON_BUSINESS) {
					target = "non_business";
					why = "a non-business connector";
				} else if ((d->deny & DENY_EXTERNAL) && is_external(c)) {
					target = "external";
					why = "an external service";
				}
			}
			if (!target)
				continue;
			fl = &m->fields[field_of[src] - 1];
			snprintf(key, sizeof(key), "%s:%s", wd_class_name((wd_class)cls), target);
			{
				const pol_data *d = &vf->data[cls];
				int sev = d->severity >= 0 ? d->severity : WD_SEV_HIGH;
				int fln = (int)(fl->name.len > 60 ? 60 : fl->name.len);
				wd_str svc = service(c);
				if (src == i)
					rc = emit(x, "WD-POL-007", sev, c->app, (uint32_t)i, c->loc, key, key,
					          "'%.*s' sends %s ('%.*s') to %.*s, %s; policy '%s' forbids that "
					          "(%s)",
					          NAMEF(c), class_words(cls), fln, fl->name.ptr, (int)svc.len,
					          svc.ptr, why, vf->title, d->source);
				else
					rc = emit(x, "WD-POL-007", sev, c->app, (uint32_t)i, c->loc, key, key,
					          "%s ('%.*s') entering at '%.*s' reaches '%.*s' (%.*s), %s; policy "
					          "'%s' forbids that (%s)",
					          class_words(cls), fln, fl->name.ptr, NAMEF(&m->comps[src]),
					          NAMEF(c), (int)svc.len, svc.ptr, why, vf->title, d->source);
			}
		}
	}
out:
	for (i = 0; i < cache.n; i++)
		free(cache.reach[i]);
	free(cache.start);
	free(start);
	free(label);
	free(field_of);
	return rc;
}

/*
 * Where the policy forbids personal data to flow to a component (WD-POL-007
 * for pii, financial or health data), the built-in inventory finding for the
 * same component (WD-DATA-004: personal data reaches an external service or
 * AI model) says the same thing with less: keep the policy's verdict, which
 * names the rule broken, at the higher of the two severities, and drop the
 * other. A WD-POL-007 about credentials or secrets says nothing about
 * personal data, so it replaces nothing.
 */
static int personal_key(const char *evidence)
{
	return strncmp(evidence, "pii:", 4) == 0 || strncmp(evidence, "financial:", 10) == 0 ||
	       strncmp(evidence, "health:", 7) == 0;
}

static wd_status supersede_data_findings(rv *x)
{
	wd_findings *f = x->f;
	uint32_t *pol = NULL; /* per component: 1 + index of its personal-data WD-POL-007 */
	size_t i, k;

	for (i = x->n0; i < f->n; i++)
		if (strcmp(f->items[i].rule->id, "WD-POL-007") == 0 && f->items[i].comp < x->m->ncomps &&
		    personal_key(f->items[i].evidence)) {
			if (!pol && !(pol = calloc(x->m->ncomps, sizeof(*pol))))
				return WD_ENOMEM;
			if (!pol[f->items[i].comp])
				pol[f->items[i].comp] = (uint32_t)i + 1;
		}
	if (!pol)
		return WD_OK;
	/* policy findings come after every built-in one, so raising one's
	 * severity here happens before compaction moves it */
	for (i = k = 0; i < f->n; i++) {
		const wd_finding *y = &f->items[i];
		if (i < x->n0 && y->comp < x->m->ncomps && pol[y->comp] &&
		    strcmp(y->rule->id, "WD-DATA-004") == 0) {
			wd_finding *p = &f->items[pol[y->comp] - 1];
			if (y->severity > p->severity)
				p->severity = y->severity;
			continue;
		}
		f->items[k++] = f->items[i];
	}
	f->n = k;
	free(pol);
	return WD_OK;
}

/* ---- the review ---------------------------------------------------------------------- */

wd_status wd_policy_review(const wd_policy *p, const wd_model *m, wd_findings *f)
{
	rv x;
	size_t a;
	wd_status rc;

	if (!p || !m || !f || !p->nfiles)
		return WD_OK;
	memset(&x, 0, sizeof(x));
	x.p = p;
	x.m = m;
	x.f = f;
	x.env = calloc(m->napps + 1, sizeof(*x.env));
	if (!x.env)
		return WD_ENOMEM;
	for (a = 0; a < m->napps; a++)
		x.env[a] = wd_policy_environment(p, m, (uint32_t)a);
	apply_switches(&x, 0);
	x.n0 = f->n;
	rc = index_builtin(&x);
	if (rc == WD_OK)
		rc = check_connectors(&x);
	if (rc == WD_OK)
		rc = check_endpoints(&x);
	if (rc == WD_OK)
		rc = check_settings(&x);
	if (rc == WD_OK)
		rc = check_data(&x);
	if (rc == WD_OK)
		rc = supersede_data_findings(&x);
	free(x.env);
	free(x.comp_has);
	free(x.app_has);
	return rc;
}
