/*
 * rules/engine.c - findings storage, fingerprints, redaction, the rule loop.
 *
 * Fingerprint = first 128 bits of SHA-256 over
 *   rule id \0 platform \0 app identity \0 component identity \0 evidence key
 * where identities are platform ids (n8n node ids, Node-RED ids), falling back
 * to names only when the export has no ids. File paths and positions are not
 * part of it, so moving a file or editing another node keeps it stable.
 */
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>

#include "warden/rules.h"

const char *wd_severity_name(wd_severity s)
{
	static const char *const names[] = {"info", "low", "medium", "high", "critical"};
	return (unsigned)s < 5 ? names[s] : "info";
}

int wd_severity_parse(const char *s)
{
	static const char *const names[] = {"info", "low", "medium", "high", "critical"};
	int i;

	for (i = 0; i < 5; i++)
		if (s && strcasecmp(s, names[i]) == 0)
			return i;
	return -1;
}

const char *wd_rule_fix(const wd_rule *r, wd_platform p)
{
	const char *t;

	switch (p) {
	case WD_PLATFORM_NODERED: t = r->fix_nodered; break;
	case WD_PLATFORM_POWER_AUTOMATE: t = r->fix_pa; break;
	case WD_PLATFORM_MAKE: t = r->fix_make; break;
	case WD_PLATFORM_ZAPIER: t = r->fix_zapier; break;
	default: t = r->fix_n8n; break;
	}
	return t ? t : r->fix_n8n;
}

void wd_findings_init(wd_findings *f)
{
	memset(f, 0, sizeof(*f));
	wd_arena_init(&f->arena, 8 * 1024);
}

void wd_findings_release(wd_findings *f)
{
	free(f->items);
	wd_arena_release(&f->arena);
	memset(f, 0, sizeof(*f));
}

static void put_identity(wd_buf *b, wd_str id, wd_str name)
{
	wd_buf_put_str(b, id.len ? id : name);
	wd_buf_putc(b, '\0');
}

wd_status wd_findings_add(wd_findings *f, const wd_model *m, const wd_rule *rule,
                          wd_severity sev, uint32_t app, uint32_t comp, wd_loc loc,
                          const char *evidence, const char *evidence_key, const char *fmt, ...)
{
	wd_finding *x;
	wd_buf key, msg;
	uint8_t digest[32];
	va_list ap;
	wd_status rc = WD_OK;

	if (wd_grow((void **)&f->items, &f->cap, f->n + 1, sizeof(*f->items)) != WD_OK)
		return WD_ENOMEM;
	x = &f->items[f->n];
	memset(x, 0, sizeof(*x));
	x->rule = rule;
	x->severity = sev;
	x->app = app;
	x->comp = comp;
	x->loc = loc;
	x->confidence = -1;

	wd_buf_init(&msg, 4096);
	va_start(ap, fmt);
	wd_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	x->message = wd_arena_strndup(&f->arena, wd_buf_cstr(&msg), msg.len);
	x->evidence = wd_arena_strndup(&f->arena, evidence ? evidence : "",
	                               evidence ? strlen(evidence) : 0);
	wd_buf_release(&msg);

	wd_buf_init(&key, 1 << 16);
	wd_buf_puts(&key, rule->id);
	wd_buf_putc(&key, '\0');
	wd_buf_puts(&key, wd_platform_name(m->platform));
	wd_buf_putc(&key, '\0');
	if (app != WD_NONE && app < m->napps)
		put_identity(&key, m->apps[app].id, m->apps[app].name);
	else
		wd_buf_putc(&key, '\0');
	if (comp != WD_NONE && comp < m->ncomps)
		put_identity(&key, m->comps[comp].id, m->comps[comp].name);
	else
		wd_buf_putc(&key, '\0');
	if (evidence_key)
		wd_buf_puts(&key, evidence_key);
	wd_sha256(key.data ? key.data : "", key.len, digest);
	wd_hex(digest, 16, x->fingerprint);
	wd_buf_release(&key);

	if (!x->message || !x->evidence)
		rc = WD_ENOMEM;
	else
		f->n++;
	return rc;
}



wd_status wd_rules_run(const wd_model *m, wd_findings *out)
{
	size_t n, i;
	const wd_rule *rules = wd_rules_builtin(&n);
	wd_rule_ctx cx;
	uint8_t *start = calloc(m->ncomps + 1, 1);
	uint32_t *entry_of = calloc(m->ncomps + 1, sizeof(*entry_of));
	uint32_t *parent = calloc(m->ncomps + 1, sizeof(*parent));
	wd_status rc = WD_OK;

	if (!start || !entry_of || !parent) {
		rc = WD_ENOMEM;
		goto out;
	}
	/* which components untrusted public input reaches, computed once */
	for (i = 0; i < m->ncomps; i++)
		start[i] = (uint8_t)wd_component_open_entry(&m->comps[i]);
	rc = wd_model_reach_tree(m, start, entry_of, parent);
	cx.m = m;
	cx.entry_of = entry_of;
	cx.entry_parent = parent;
	for (i = 0; i < n && rc == WD_OK; i++) {
		if (!rules[i].check)
			continue; /* reported by a sibling rule's check */
		rc = rules[i].check(&cx, out);
	}
out:
	free(start);
	free(entry_of);
	free(parent);
	return rc;
}
