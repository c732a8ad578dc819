/*
 * risk/sentence.c - one-sentence business impact per finding, written for a
 * manager from the app's own names (docs/risk.md, "Sentences").
 *
 * Each rule family has a template; the parts that vary are who can do it
 * (from the exposure: "anyone who finds the URL of 'Webhook'"), the app and
 * component names, the data the app handles in plain words ("e-mail
 * addresses and dates of birth", from a fixed vocabulary, never from field
 * names) and where data goes. Names are input: they are copied as given,
 * quoted, and cut at RISK_NAME_MAX characters (at a UTF-8 boundary) with
 * "..."; escaping is the writers' job.
 */
#include <string.h>

#include "risk/internal.h"
#include "warden/catalog.h"

void wd_risk_put_name(wd_buf *b, wd_str name, const char *fallback)
{
	size_t i = 0, chars = 0;

	if (!name.len || !name.ptr) {
		wd_buf_puts(b, fallback);
		return;
	}
	while (i < name.len && chars < RISK_NAME_MAX) {
		unsigned char ch = (unsigned char)name.ptr[i];
		size_t n = ch < 0x80            ? 1
		           : (ch >> 5) == 6     ? 2
		           : (ch >> 4) == 14    ? 3
		           : (ch >> 3) == 30    ? 4
		                                : 1; /* a stray byte counts as one */
		if (n > name.len - i)
			n = name.len - i;
		i += n;
		chars++;
	}
	wd_buf_putc(b, '\'');
	wd_buf_put(b, name.ptr, i);
	if (i < name.len)
		wd_buf_puts(b, "...");
	wd_buf_putc(b, '\'');
}

static wd_str name_or_id(wd_str name, wd_str id)
{
	return name.len ? name : id;
}

static void put_app(const risk_view *v, wd_buf *b)
{
	const wd_app *a;
	const char *path, *slash;

	if (v->app == WD_NONE) {
		wd_buf_puts(b, "this export");
		return;
	}
	a = &v->m->apps[v->app];
	if (a->name.len || a->id.len) {
		wd_risk_put_name(b, name_or_id(a->name, a->id), "");
		return;
	}
	/* no name and no id: say which file it is in */
	path = a->loc.doc < v->m->ndocs ? v->m->docs[a->loc.doc].path : v->m->path;
	if (!path || !path[0]) {
		wd_buf_puts(b, "an unnamed workflow");
		return;
	}
	slash = strrchr(path, '/');
	wd_buf_puts(b, "the unnamed workflow in ");
	wd_risk_put_name(b, wd_str_c(slash ? slash + 1 : path), "");
}

static void put_comp(const risk_view *v, uint32_t comp, wd_buf *b)
{
	const wd_component *c = &v->m->comps[comp];

	wd_risk_put_name(b, name_or_id(c->name, c->id), "an unnamed step");
}

/* "'Run' in 'Ops bot'", or just the app when the finding has no component. */
static void put_where(const risk_view *v, wd_buf *b)
{
	if (v->comp != WD_NONE) {
		put_comp(v, v->comp, b);
		if (v->app != WD_NONE) {
			wd_buf_puts(b, " in ");
			put_app(v, b);
		}
	} else {
		put_app(v, b);
	}
}

/* Who can do it, from the exposure; otherwise the template's own words. */
static void put_who(const risk_view *v, wd_buf *b, const char *otherwise)
{
	if (v->entry == WD_NONE) {
		wd_buf_puts(b, otherwise);
		return;
	}
	switch (v->reach) {
	case REACH_OPEN: wd_buf_puts(b, "anyone who finds the URL of "); break;
	case REACH_AUTH: wd_buf_puts(b, "anyone with the credentials for "); break;
	case REACH_INVOKED: wd_buf_puts(b, "any user who can start "); break;
	default: wd_buf_puts(b, otherwise); return;
	}
	put_comp(v, v->entry, b);
}

static const char *server(const risk_view *v)
{
	wd_platform p = v->app != WD_NONE ? v->m->apps[v->app].platform : v->m->platform;

	switch (p) {
	case WD_PLATFORM_N8N: return "the n8n server";
	case WD_PLATFORM_NODERED: return "the Node-RED server";
	case WD_PLATFORM_POWER_AUTOMATE: return "the Power Automate service";
	case WD_PLATFORM_MAKE: return "Make's servers";
	case WD_PLATFORM_ZAPIER: return "Zapier's servers";
	default: return "the platform's server";
	}
}

/*
 * The start of an injection sentence: "<who><verb>" when an entry point
 * reaches the component (returns 1, the template goes on), or a whole
 * clause about crafted data when only internal data does (returns 0, the
 * template adds only its tail).
 */
static int put_attacker(const risk_view *v, wd_buf *b, const char *verb)
{
	if (v->entry != WD_NONE &&
	    (v->reach == REACH_OPEN || v->reach == REACH_AUTH || v->reach == REACH_INVOKED)) {
		put_who(v, b, "");
		wd_buf_puts(b, verb);
		return 1;
	}
	wd_buf_puts(b, "a crafted value in the data that ");
	put_where(v, b);
	wd_buf_puts(b, " receives can ");
	switch (v->fam) {
	case FAM_INJ_EXEC:
		if (v->comp != WD_NONE && v->m->comps[v->comp].connector &&
		    (v->m->comps[v->comp].connector->flags & (WD_CAT_SHELL | WD_CAT_SSH)))
			wd_buf_printf(b, "run its own commands on %s", server(v));
		else
			wd_buf_printf(b, "change what its code does on %s", server(v));
		break;
	case FAM_INJ_SQL: wd_buf_puts(b, "change its database query to read or alter "); break;
	case FAM_INJ_AGENT: wd_buf_puts(b, "steer the AI agent into using its tools"); break;
	default:
		wd_buf_puts(b, "send its requests to a server of the sender's choosing, including "
		               "systems inside the network");
		break;
	}
	return 0;
}

static int has_data(const risk_view *v)
{
	return v->data && v->data[0];
}

/* " and reach the e-mail addresses it handles" / "" */
static void put_data_tail(const risk_view *v, wd_buf *b, const char *lead)
{
	if (has_data(v))
		wd_buf_printf(b, "%sthe %s it handles", lead, v->data);
}

static void put_egress(const risk_view *v, wd_buf *b)
{
	uint32_t k, shown = v->negress < 2 ? v->negress : 2;

	for (k = 0; k < shown; k++) {
		if (k)
			wd_buf_puts(b, shown == 2 && v->negress == 2 ? " and " : ", ");
		wd_risk_put_name(b, v->egress[k], "");
	}
	if (v->negress > shown)
		wd_buf_printf(b, " and %u other service%s", v->negress - shown,
		              v->negress - shown == 1 ? "" : "s");
}

/* "the GitHub token", "the AI service key", "the credential" */
static void put_secret_what(const risk_view *v, wd_buf *b)
{
	static const struct {
		const char *family, *with_provider, *alone;
	} nouns[] = {
		{"cloud", "key", "cloud provider key"},
		{"code-hosting", "token", "code-hosting token"},
		{"chat", "token", "chat token"},
		{"payment", "key", "payment key"},
		{"ai", "API key", "AI service key"},
		{"messaging", "key", "messaging key"},
		{"saas", "API token", "API token"},
		{"private-key", "private key", "private key"},
		{"jwt", "login token", "login token"},
		{"url-credentials", "password in the URL", "password in the URL"},
		{"basic-auth", "password", "password"},
		{"generic", "credential", "credential"},
	};
	size_t i;

	wd_buf_puts(b, "the ");
	if (!v->det) {
		wd_buf_puts(b, "credential");
		return;
	}
	for (i = 0; i < sizeof(nouns) / sizeof(*nouns); i++)
		if (wd_str_eq_c(v->det->family, nouns[i].family))
			break;
	if (v->det->provider.len) {
		int pl = (int)(v->det->provider.len > 40 ? 40 : v->det->provider.len);
		wd_buf_printf(b, "%.*s %s", pl, v->det->provider.ptr,
		              i < sizeof(nouns) / sizeof(*nouns) ? nouns[i].with_provider
		                                                 : "credential");
	} else
		wd_buf_puts(b, i < sizeof(nouns) / sizeof(*nouns) ? nouns[i].alone : "credential");
}

/* The service of the component the finding's credential belongs to ("Office
 * 365 Outlook"), or empty. Credential types of Power Automate connections
 * are ids, not names a reader knows. */
static wd_str cred_service(const risk_view *v)
{
	const wd_credential *cr;
	const wd_component *c;

	if (v->cred == WD_NONE || v->cred >= v->m->ncreds)
		return WD_STR_NULL;
	cr = &v->m->creds[v->cred];
	if (cr->comp >= v->m->ncomps)
		return WD_STR_NULL;
	c = &v->m->comps[cr->comp];
	return c->connector ? c->connector->service : WD_STR_NULL;
}

/* The rule's title with its first word in lower case ("TLS ..." stays). */
static void put_title(const risk_view *v, wd_buf *b)
{
	const char *t = v->f->rule && v->f->rule->title ? v->f->rule->title : "a problem";

	if (t[0] >= 'A' && t[0] <= 'Z' && !(t[1] >= 'A' && t[1] <= 'Z'))
		wd_buf_putc(b, (char)(t[0] - 'A' + 'a'));
	else if (t[0])
		wd_buf_putc(b, t[0]);
	if (t[0])
		wd_buf_puts(b, t + 1);
}

/* WD-POL-*: what breaking that part of the policy means for the business. */
static void put_policy(const risk_view *v, wd_buf *b)
{
	const char *id = v->f->rule->id;

	if (strcmp(id, "WD-POL-001") == 0) {
		put_where(v, b);
		wd_buf_puts(b, " uses a connector the organisation has blocked, so ");
		wd_buf_puts(b, has_data(v) ? "" : "its data ");
		if (has_data(v))
			wd_buf_printf(b, "the %s it handles ", v->data);
		wd_buf_puts(b, "can go where nobody agreed it may");
	} else if (strcmp(id, "WD-POL-002") == 0) {
		put_app(v, b);
		wd_buf_puts(b, " moves data between business and non-business services in one flow, "
		               "so business data ");
		if (has_data(v))
			wd_buf_printf(b, "(%s) ", v->data);
		wd_buf_puts(b, "can end up in a consumer service the company does not control");
	} else if (strcmp(id, "WD-POL-003") == 0) {
		put_where(v, b);
		wd_buf_puts(b, " uses a connector nobody has approved, so how that service handles ");
		wd_buf_puts(b, has_data(v) ? v->data : "the data");
		wd_buf_puts(b, " was never reviewed");
	} else if (strcmp(id, "WD-POL-004") == 0) {
		put_where(v, b);
		wd_buf_puts(b, " sends ");
		wd_buf_puts(b, has_data(v) ? v->data : "data");
		wd_buf_puts(b, " to a host the policy does not allow, such as a paste or "
		               "request-capture site where anyone may read it");
	} else if (strcmp(id, "WD-POL-005") == 0) {
		put_where(v, b);
		wd_buf_puts(b, " chooses where to send ");
		wd_buf_puts(b, has_data(v) ? v->data : "its data");
		wd_buf_puts(b, " only when it runs, so no allow-list or review can tell where it goes");
	} else if (strcmp(id, "WD-POL-006") == 0) {
		put_app(v, b);
		wd_buf_puts(b, " lacks a setting the organisation requires, so its failures or "
		               "misuse may go unrecorded or reach more than intended");
	} else if (strcmp(id, "WD-POL-007") == 0) {
		wd_buf_puts(b, has_data(v) ? v->data : "sensitive data");
		wd_buf_puts(b, " handled by ");
		put_app(v, b);
		if (v->comp != WD_NONE) {
			wd_buf_puts(b, " reach ");
			put_comp(v, v->comp, b);
		} else {
			wd_buf_puts(b, " reach a service");
		}
		wd_buf_puts(b, ", where the organisation's data policy says they must not go");
	} else {
		put_where(v, b);
		wd_buf_puts(b, " does not follow the organisation's policy: ");
		put_title(v, b);
	}
}

void wd_risk_sentence(const risk_view *v, wd_buf *b)
{
	size_t start = b->len;
	const wd_component *c = v->comp != WD_NONE ? &v->m->comps[v->comp] : NULL;

	switch (v->fam) {
	case FAM_ENTRY:
	case FAM_ENTRY_RUNTIME:
		if (v->fam == FAM_ENTRY_RUNTIME)
			wd_buf_puts(b, "unless settings outside this export stop them, ");
		put_who(v, b, "anyone who finds its address");
		wd_buf_puts(b, " can run ");
		if (v->app != WD_NONE)
			put_app(v, b);
		else
			wd_buf_puts(b, "the flow behind it");
		if (has_data(v))
			put_data_tail(v, b, " and reach ");
		else
			wd_buf_puts(b, " whenever they like");
		break;
	case FAM_INJ_EXEC:
		if (c && c->connector && (c->connector->flags & (WD_CAT_SHELL | WD_CAT_SSH))) {
			if (!put_attacker(v, b, " can make "))
				break;
			put_where(v, b);
			wd_buf_printf(b, " run their own commands on %s", server(v));
		} else {
			if (!put_attacker(v, b, " can feed their own input to the code in "))
				break;
			put_where(v, b);
			wd_buf_printf(b, ", which runs on %s", server(v));
			put_data_tail(v, b, " next to ");
		}
		break;
	case FAM_INJ_SQL:
		if (put_attacker(v, b, " can change the database query in ")) {
			put_where(v, b);
			wd_buf_puts(b, " to read or alter ");
		}
		if (has_data(v))
			wd_buf_printf(b, "the %s it handles and more", v->data);
		else
			wd_buf_puts(b, "whatever that database holds");
		break;
	case FAM_INJ_AGENT:
		if (put_attacker(v, b, " can talk the AI agent ")) {
			put_where(v, b);
			wd_buf_puts(b, " into using its tools");
		}
		put_data_tail(v, b, ", which reach ");
		break;
	case FAM_HTTP_SSRF:
		if (put_attacker(v, b, " can make ")) {
			put_where(v, b);
			wd_buf_puts(b, " send requests to a server of their choosing, including "
			               "systems inside the network");
		}
		break;
	case FAM_HTTP_DYNAMIC:
		put_where(v, b);
		wd_buf_puts(b, " sends ");
		if (has_data(v))
			wd_buf_printf(b, "the %s it handles", v->data);
		else
			wd_buf_puts(b, "data");
		wd_buf_puts(b, " to an address decided only at run time, so no one can check where "
		               "it goes");
		break;
	case FAM_CODE:
		put_where(v, b);
		wd_buf_printf(b, " runs custom code on %s with the platform's rights", server(v));
		put_data_tail(v, b, " and sees ");
		break;
	case FAM_CODE_SHELL:
		put_where(v, b);
		wd_buf_printf(b, " runs operating-system commands on %s, so a mistake or a crafted "
		                 "value there can take over the server", server(v));
		break;
	case FAM_FS:
		put_where(v, b);
		wd_buf_printf(b, " reads or writes files on %s", server(v));
		if (c && (c->flags & WD_COMP_FS_DYNAMIC)) {
			if (v->reach == REACH_OPEN || v->reach == REACH_AUTH ||
			    v->reach == REACH_INVOKED) {
				wd_buf_puts(b, " at a path that ");
				put_who(v, b, "");
				wd_buf_puts(b, " can choose");
			} else {
				wd_buf_puts(b, " at a path built from workflow data");
			}
		}
		break;
	case FAM_TLS_VERIFY:
		wd_buf_puts(b, "someone on the network path can read and change what ");
		put_where(v, b);
		wd_buf_puts(b, " sends and receives");
		put_data_tail(v, b, ", including ");
		break;
	case FAM_TLS_CLEAR:
		put_where(v, b);
		wd_buf_puts(b, " sends ");
		if (has_data(v))
			wd_buf_printf(b, "the %s it handles", v->data);
		else
			wd_buf_puts(b, "its data and passwords");
		wd_buf_puts(b, " unencrypted, so anyone on the network path can read them");
		break;
	case FAM_SECRET:
		put_secret_what(v, b);
		if (v->comp != WD_NONE) {
			wd_buf_puts(b, " written into ");
			put_where(v, b);
		} else if (v->app != WD_NONE) {
			wd_buf_puts(b, " captured in the pinned data of ");
			put_app(v, b);
		} else {
			wd_buf_puts(b, " in this export");
		}
		wd_buf_puts(b, " works for anyone who gets a copy of this export");
		break;
	case FAM_SECRET_FILE:
		wd_buf_puts(b, "every password and key in the credentials file next to this flow "
		               "can be read by anyone who gets a copy of the file");
		break;
	case FAM_DATA_PINNED:
		wd_buf_puts(b, "real ");
		wd_buf_puts(b, has_data(v) ? v->data : "data");
		wd_buf_puts(b, " captured while building ");
		put_app(v, b);
		wd_buf_puts(b, " travels with every copy of this export");
		break;
	case FAM_DATA_HISTORY:
		wd_buf_puts(b, has_data(v) ? v->data : "the credentials and data");
		wd_buf_puts(b, " handled by ");
		put_where(v, b);
		wd_buf_puts(b, " stay readable in the run history for anyone who can open it");
		break;
	case FAM_DATA_LOGS:
		wd_buf_puts(b, has_data(v) ? v->data : "personal data");
		wd_buf_puts(b, " that ");
		put_app(v, b);
		wd_buf_puts(b, " sends to ");
		if (v->negress)
			put_egress(v, b);
		else
			wd_buf_puts(b, "outside services");
		wd_buf_puts(b, " stay readable in its execution logs");
		break;
	case FAM_DATA_EGRESS:
		wd_buf_puts(b, has_data(v) ? v->data : "personal data");
		wd_buf_puts(b, " handled by ");
		put_app(v, b);
		wd_buf_puts(b, " leave the organisation through ");
		if (c) {
			put_comp(v, v->comp, b);
			if (c->connector && c->connector->service.len) {
				wd_buf_puts(b, " (");
				wd_risk_put_name(b, c->connector->service, "");
				wd_buf_putc(b, ')');
			}
		} else {
			wd_buf_puts(b, "an outside service");
		}
		break;
	case FAM_COMP_COMMUNITY:
		put_where(v, b);
		wd_buf_puts(b, " runs code from a community package; if that package is malicious "
		               "or taken over, it gets ");
		if (has_data(v))
			wd_buf_printf(b, "the %s the workflow handles", v->data);
		else
			wd_buf_puts(b, "everything the workflow handles");
		break;
	case FAM_COMP_CUSTOM:
		put_where(v, b);
		wd_buf_puts(b, " runs a custom node installed outside any registry, so no one vets "
		               "the code that handles ");
		wd_buf_puts(b, has_data(v) ? "the " : "its data");
		if (has_data(v))
			wd_buf_puts(b, v->data);
		break;
	case FAM_COMP_UNKNOWN:
		wd_buf_puts(b, "no one can tell from this export what ");
		put_where(v, b);
		wd_buf_puts(b, " does with ");
		if (has_data(v))
			wd_buf_printf(b, "the %s it handles", v->data);
		else
			wd_buf_puts(b, "its data");
		break;
	case FAM_LOG_ERRORS:
		wd_buf_puts(b, "when ");
		put_app(v, b);
		wd_buf_puts(b, " fails, nobody is told, so lost work or an attack can go "
		               "unnoticed");
		break;
	case FAM_LOG_FAILED:
		wd_buf_puts(b, "if ");
		put_app(v, b);
		wd_buf_puts(b, " fails or is attacked, no record of the failed run is kept");
		break;
	case FAM_ACL_CALLERS:
		wd_buf_puts(b, "any other workflow on the instance can run ");
		put_app(v, b);
		wd_buf_puts(b, " and use its connections");
		put_data_tail(v, b, " to ");
		break;
	case FAM_ACL_EMBEDDED:
		wd_buf_puts(b, "everyone who starts ");
		put_app(v, b);
		wd_buf_puts(b, " acts with the maker's own ");
		if (cred_service(v).len) {
			wd_risk_put_name(b, cred_service(v), "");
			wd_buf_putc(b, ' ');
		}
		wd_buf_puts(b, "connection, so they can do whatever the maker can there");
		break;
	case FAM_POLICY:
		put_policy(v, b);
		break;
	case FAM_OWNER:
		wd_buf_puts(b, "no one is named as owner of ");
		put_where(v, b);
		wd_buf_puts(b, ", so no one is answerable for fixing its risks");
		break;
	case FAM_SUPPRESSION:
		wd_buf_puts(b, "a risk exception in the policy is not in order (");
		put_title(v, b);
		wd_buf_puts(b, "), so a risk may be hidden without anyone answerable for it");
		break;
	default:
		wd_buf_puts(b, "in ");
		put_where(v, b);
		wd_buf_puts(b, ": ");
		put_title(v, b);
		break;
	}
	wd_buf_putc(b, '.');
	/* a sentence starts with a capital; names keep their own case */
	if (b->data && b->len > start && b->data[start] >= 'a' && b->data[start] <= 'z')
		b->data[start] = (char)(b->data[start] - 'a' + 'A');
}
