/*
 * policy/owners.c - the owners file (docs/owners.md): who answers for an
 * app or a component.
 *
 * A list of rules, each selecting apps (name or id globs, export path
 * globs, platforms) and optionally connectors (then it is about the
 * components using them), and giving owner, team, escalation contact and
 * criticality. As in CODEOWNERS the last matching rule wins: put broad
 * rules first and exceptions after them. Owner (with its team and
 * escalation) and criticality are resolved separately, so a rule may give
 * only a criticality without clearing the owner.
 */
#include <string.h>

#include "policy/policy_int.h"

static wd_status read_rule(pol_load *l, const wd_yaml_node *item, pol_owner_rule *r)
{
	static const char *const keys[] = {"apps",  "paths", "platforms",  "connectors", "owner",
	                                   "team",  "escalation", "criticality", NULL};
	const wd_yaml_node *x;
	wd_status rc;

	memset(r, 0, sizeof(*r));
	rc = wd_yaml_check_keys(item, "an owners rule", keys, l->err);
	if (rc == WD_OK)
		rc = pol_read_select(l, item, &r->sel);
	if (rc == WD_OK)
		rc = pol_read_pats(l, wd_yaml_get(item, "connectors"), "connectors", &r->connectors);
	if (rc == WD_OK)
		rc = pol_opt_str(l, item, "owner", &r->owner);
	if (rc == WD_OK)
		rc = pol_opt_str(l, item, "team", &r->team);
	if (rc == WD_OK)
		rc = pol_opt_str(l, item, "escalation", &r->escalation);
	if (rc != WD_OK)
		return rc;
	x = wd_yaml_get(item, "criticality");
	if (x && x->type != WD_YAML_NULL) {
		rc = pol_read_criticality(l, x, &r->criticality);
		if (rc != WD_OK)
			return rc;
	}
	if (r->owner && !*r->owner)
		r->owner = NULL;
	if (r->team && !*r->team)
		r->team = NULL;
	if (r->escalation && !*r->escalation)
		r->escalation = NULL;
	if (!r->owner && !r->team && !r->escalation && !r->criticality)
		return pol_fail(l, item,
		                "an owners rule must give an owner, team, escalation or criticality");
	if ((r->team || r->escalation) && !r->owner)
		return pol_fail(l, item, "an owners rule with a team or escalation needs an 'owner'");
	r->source = pol_source(l, item);
	return r->source ? WD_OK : pol_oom(l);
}

wd_status pol_read_owners(pol_load *l, const wd_yaml_node *root, pol_owner_rule **out,
                          size_t *n)
{
	static const char *const keys[] = {"version", "owners", NULL};
	const wd_yaml_node *list;
	size_t i;
	wd_status rc;

	*out = NULL;
	*n = 0;
	rc = pol_check_version(l, root, "an owners file");
	if (rc == WD_OK)
		rc = wd_yaml_check_keys(root, "an owners file", keys, l->err);
	if (rc != WD_OK)
		return rc;
	list = wd_yaml_get(root, "owners");
	if (!list || list->type == WD_YAML_NULL)
		return WD_OK;
	if (list->type != WD_YAML_SEQ)
		return pol_fail(l, list, "'owners' must be a list of rules, not a %s",
		                wd_yaml_type_name(list));
	*out = pol_zalloc(l, list->n, sizeof(**out));
	if (!*out)
		return pol_oom(l);
	for (i = 0; i < list->n; i++) {
		rc = read_rule(l, list->items[i], &(*out)[i]);
		if (rc != WD_OK)
			return rc;
	}
	*n = list->n;
	return WD_OK;
}

wd_owner wd_policy_owner(const wd_policy *p, const wd_model *m, uint32_t app, uint32_t comp)
{
	wd_owner o;
	const wd_component *c = NULL;
	size_t i;

	memset(&o, 0, sizeof(o));
	if (!p || !m)
		return o;
	if (comp != WD_NONE && comp < m->ncomps) {
		c = &m->comps[comp];
		if (c->app != WD_NONE)
			app = c->app;
	}
	for (i = 0; i < p->nowners; i++) {
		const pol_owner_rule *r = &p->owners[i];
		if (!r->owner)
			continue;
		if (r->connectors.n && (!c || !pol_pats_first(&r->connectors, m, c)))
			continue;
		if (!pol_select_match(&r->sel, m, app))
			continue;
		o.owner = r->owner;
		o.team = r->team;
		o.escalation = r->escalation;
		o.source = r->source;
	}
	return o;
}
