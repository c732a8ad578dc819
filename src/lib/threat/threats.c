/*
 * threat/threats.c - threat scenarios from graph rules over a derived model.
 *
 * wd_tm_find_threats() reads the elements and flows wd_tm_derive() built
 * (and, where the graph says too little, the source model: component auth
 * and flags, catalog roles, targets, credentials, detections) and fills
 * tm->threats. Every rule is a row of the table at the bottom: id, title,
 * STRIDE letter, OWASP LCNC category, LINDDUN category (used when personal
 * data is involved), when it fires, a scenario template and mitigation
 * templates. docs/threats.md lists the same table; keep both in step.
 *
 * Invariants:
 *   - A threat id is "<rule>@<element id>[@<element id>]", made of stable
 *     element ids only, so it survives re-derivation, node reordering and
 *     renames; at most one threat per id (the first found wins).
 *   - Path rules run one breadth-first search per open entry point over the
 *     flows with a visited set: cycles terminate and a search is O(elements
 *     + flows). Only processes are expanded (data is not followed through
 *     stores or external services). Out-lists are sorted by target id,
 *     entries are taken in id order, so paths and scenarios do not depend
 *     on the order of nodes in the export. Stored paths keep at most
 *     MAX_PATH elements; a path rule reports at most MAX_PER_SINK entry
 *     points per sink; per-element facts are computed once, so hostile
 *     apps (thousands of converging entry points) stay bounded.
 *   - m may be NULL (a model built by hand): rules that need the source
 *     model then fall back to the element flags or stay silent.
 *   - Everything a threat holds lives in tm->arena.
 */
#include <stdlib.h>
#include <string.h>

#include "warden/catalog.h"
#include "warden/threat.h"

#define MAX_PATH 64            /* elements kept in a threat's path (first and last 32) */
#define MAX_ENTRIES 1000       /* open entry points followed per app */
#define NAME_MAX_BYTES 120     /* names quoted in scenarios */
#define MAX_PER_SINK 8         /* threats of one path rule into one element (entries in id order) */
#define MAX_MITIGATIONS 4

/* ---- the rule table ------------------------------------------------------------ */

typedef struct tm_rule {
	const char *id;
	const char *title;
	const char *stride;
	const char *lcnc;
	const char *linddun;       /* set on a threat only when personal data is involved */
	wd_severity severity;      /* default; checks may raise or lower it */
	wd_severity residual;      /* once the mitigations are in place */
	const char *when;          /* when the rule fires (docs/threats.md) */
	const char *scenario;      /* template, see expand() */
	const char *mitigations[MAX_MITIGATIONS + 1];
} tm_rule;

enum {
	R_SPOOF_01,
	R_INJ_01,
	R_INJ_02,
	R_INJ_03,
	R_INJ_04,
	R_INJ_05,
	R_SSRF_01,
	R_TAMP_01,
	R_TAMP_02,
	R_DISC_01,
	R_DISC_02,
	R_DISC_03,
	R_DISC_04,
	R_DISC_05,
	R_DISC_06,
	R_REPUD_01,
	R_REPUD_02,
	R_DOS_01,
	R_EOP_01,
	R_EOP_02,
	R_PRIV_01,
	R_PRIV_02,
	R_COUNT
};

#define AUTH_ENTRY "Require authentication on '{entry}' (a header secret, basic auth or JWT)"

/*
 * Template variables: {entry} the open entry point, {element} the element
 * the threat is about (sink, store, component), {service} the other side of
 * a flow, {app} the app, {reach} how the public reaches the entry ("learns
 * the URL of"), {via} " through 'A' and 'B'" (or ""), {data} the data
 * carried ("personal data ('email')"), {extra} rule-specific detail.
 * Values are raw names; writers escape them.
 */
static const tm_rule rules[R_COUNT] = {
	[R_SPOOF_01] = {"TM-SPOOF-01", "Anyone can pose as a legitimate caller", "S", "LCNC-SEC-05",
	                NULL, WD_SEV_HIGH, WD_SEV_LOW,
	                "A public entry point (webhook, form, chat, HTTP listener) takes requests "
	                "without a credential. High when what it starts has side effects (code, AI, "
	                "writes, messages), medium otherwise or when the protection lives outside "
	                "the export, low when the authentication mode is an expression.",
	                "Anyone who {reach} '{entry}' can start '{app}' as if they were a legitimate "
	                "caller{extra}.",
	                {AUTH_ENTRY,
	                 "Restrict who can reach '{entry}' (an IP allow-list, or a gateway that "
	                 "checks callers)",
	                 NULL}},
	[R_INJ_01] = {"TM-INJ-01", "Public input executed as code", "T", "LCNC-SEC-06", NULL,
	              WD_SEV_MEDIUM, WD_SEV_LOW,
	              "Data from an open entry point reaches a code node (Code, Function, AI code "
	              "tool). High when the code evaluates, spawns, reads files or sends requests.",
	              "Anyone who {reach} '{entry}' can make '{element}' execute their input{via}"
	              "{extra}.",
	              {AUTH_ENTRY, "Validate the input in an IF node before '{element}'",
	               "Replace '{element}' with a built-in node", NULL}},
	[R_INJ_02] = {"TM-INJ-02", "Public input reaches an operating-system command", "E",
	              "LCNC-SEC-06", NULL, WD_SEV_CRITICAL, WD_SEV_LOW,
	              "Data from an open entry point reaches a shell or SSH node whose command line "
	              "is built from workflow data.",
	              "Anyone who {reach} '{entry}' can inject commands that '{element}' runs on "
	              "{extra}{via}.",
	              {AUTH_ENTRY,
	               "Run a fixed command in '{element}' and pass input only as allow-listed "
	               "arguments",
	               "Replace '{element}' with a built-in node that runs no command", NULL}},
	[R_INJ_03] = {"TM-INJ-03", "Public input changes an SQL query", "T", "LCNC-SEC-06", NULL,
	              WD_SEV_CRITICAL, WD_SEV_LOW,
	              "Data from an open entry point reaches a database node whose query text is "
	              "built from an expression.",
	              "Anyone who {reach} '{entry}' can change the SQL that '{element}' runs"
	              "{via}, reading or destroying data in the database{extra}.",
	              {AUTH_ENTRY, "Use query parameters in '{element}' instead of building the SQL text",
	               "Validate the input in an IF node before '{element}'", NULL}},
	[R_INJ_04] = {"TM-INJ-04", "Prompt injection steers an AI agent", "T", "LCNC-SEC-06", NULL,
	              WD_SEV_HIGH, WD_SEV_MEDIUM,
	              "Data from an open entry point reaches an AI agent or model. High when the "
	              "agent has tools that run code, send requests or messages, or write data; "
	              "medium otherwise. Residual stays medium: no filter stops prompt injection.",
	              "Anyone who {reach} '{entry}' can write instructions that '{element}' follows"
	              "{via}{extra}.",
	              {AUTH_ENTRY,
	               "Remove side-effect tools from '{element}' or require human approval before "
	               "they run",
	               "Give the tools of '{element}' least-privilege credentials", NULL}},
	[R_INJ_05] = {"TM-INJ-05", "Public input chooses a file path", "T", "LCNC-SEC-06", NULL,
	              WD_SEV_HIGH, WD_SEV_LOW,
	              "Data from an open entry point reaches a file node whose path is built from "
	              "workflow data (path traversal).",
	              "Anyone who {reach} '{entry}' can make '{element}' read or write a file of "
	              "their choice on the platform host{via}.",
	              {AUTH_ENTRY,
	               "Build the path in '{element}' from a fixed folder and an allow-listed name",
	               NULL}},
	[R_SSRF_01] = {"TM-SSRF-01", "Public input chooses where a request goes (SSRF)", "I",
	               "LCNC-SEC-06", NULL, WD_SEV_MEDIUM, WD_SEV_LOW,
	               "Data from an open entry point reaches an HTTP request whose host is chosen "
	               "at run time from that data.",
	               "Anyone who {reach} '{entry}' can make '{element}' send requests to a host "
	               "of their choice{via}, internal services included.",
	               {AUTH_ENTRY,
	                "Fix the host of '{element}' (let only the path vary) or check it against "
	                "an allow-list",
	                "Block private and metadata addresses for outbound requests from the "
	                "platform",
	                NULL}},
	[R_TAMP_01] = {"TM-TAMP-01", "Public input written to a data store", "T", "LCNC-SEC-06",
	               NULL, WD_SEV_MEDIUM, WD_SEV_LOW,
	               "Data from an open entry point reaches a process that writes to a data "
	               "store. High for vector stores and AI memory (what the AI retrieves later "
	               "can be poisoned).",
	               "Anyone who {reach} '{entry}' can write what they like into '{element}'"
	               "{via}{extra}.",
	               {AUTH_ENTRY, "Validate the input before it is written to '{element}'",
	                "Keep data from public callers apart from trusted data in '{element}'",
	                NULL}},
	[R_TAMP_02] = {"TM-TAMP-02", "TLS certificate verification turned off", "T", "LCNC-SEC-04",
	               NULL, WD_SEV_HIGH, WD_SEV_LOW,
	               "A component accepts any TLS certificate (n8n allowUnauthorizedCerts / "
	               "ignoreSSLIssues, Node-RED tls-config without verification).",
	               "Someone on the network path of '{element}' can read and change its traffic"
	               "{extra}: it accepts any certificate.",
	               {"Turn TLS certificate verification back on for '{element}'",
	                "Trust the service's own CA in the platform instead of disabling checks",
	                NULL}},
	[R_DISC_01] = {"TM-DISC-01", "Sensitive data sent to a third party", "I", "LCNC-SEC-03",
	               "Data disclosure", WD_SEV_MEDIUM, WD_SEV_LOW,
	               "A flow carries personal, financial, health data, credentials or secrets "
	               "from a process to a service or store outside the organisation. High for "
	               "credentials, secrets and health data. (AI services are TM-DISC-05.)",
	               "'{element}' sends {data} to '{service}', outside the organisation.",
	               {"Send '{service}' only the fields it needs (drop the rest before '{element}')",
	                "Mask or pseudonymise personal fields before '{element}'",
	                "Have a data processing agreement with the provider of '{service}'", NULL}},
	[R_DISC_02] = {"TM-DISC-02", "Data crosses the network unencrypted", "I", "LCNC-SEC-04",
	               "Data disclosure", WD_SEV_MEDIUM, WD_SEV_LOW,
	               "A flow to an external host uses a cleartext protocol (http, mqtt, ws, ftp, "
	               "...). High when it carries sensitive data.",
	               "Anyone on the network path between '{element}' and '{service}' can read "
	               "and change {data}.",
	               {"Use an encrypted protocol (https, mqtts, wss, sftp) between '{element}' and "
	                "'{service}'",
	                NULL}},
	[R_DISC_03] = {"TM-DISC-03", "Sensitive data kept in the execution history", "I",
	               "LCNC-SEC-08", "Non-compliance", WD_SEV_MEDIUM, WD_SEV_LOW,
	               "The platform's execution history stores sensitive data and the app does not "
	               "hide it (n8n saves execution data, Power Automate steps without Secure "
	               "inputs/outputs, Make scenarios not marked confidential).",
	               "Everyone who can read the run history of '{app}' sees {data}, kept in "
	               "'{element}'{extra}.",
	               {"Hide the inputs and outputs of sensitive steps in the run history (Power "
	                "Automate Secure inputs/outputs, Make confidential, n8n: do not save "
	                "execution data)",
	                "Shorten how long '{element}' keeps runs", NULL}},
	[R_DISC_04] = {"TM-DISC-04", "Secret written into the app", "I", "LCNC-SEC-08", NULL,
	               WD_SEV_HIGH, WD_SEV_LOW,
	               "A key, token or password is a literal in a component's configuration (found "
	               "by the detection engine, or a credential stored as text).",
	               "Everyone who can open, export or copy '{app}' has the {extra} written into "
	               "'{element}'.",
	               {"Move the secret of '{element}' into the platform's credential store",
	                "Rotate the exposed secret at its provider", NULL}},
	[R_DISC_05] = {"TM-DISC-05", "Sensitive data sent to an AI service", "I", "LCNC-SEC-03",
	               "Unawareness", WD_SEV_HIGH, WD_SEV_MEDIUM,
	               "A flow carries personal, financial, health data, credentials or secrets to "
	               "an AI model or AI service. LINDDUN Unawareness: the people concerned rarely "
	               "know an AI processes their data.",
	               "'{element}' hands {data} to the AI service '{service}', which may keep or "
	               "learn from it; the people concerned are not told.",
	               {"Remove personal and secret fields before '{element}' sends them to "
	                "'{service}'",
	                "Use an AI service under a contract that excludes training and retention",
	                "Tell the people concerned that an AI processes their data", NULL}},
	[R_DISC_06] = {"TM-DISC-06", "Sensitive data returned to public callers", "I",
	               "LCNC-SEC-03", "Data disclosure", WD_SEV_MEDIUM, WD_SEV_LOW,
	               "An open entry point leads to a response (a flow back to the internet) that "
	               "carries sensitive data, or whatever sensitive data reaches the responding "
	               "step when the response names no fields. High for credentials, secrets and "
	               "health data.",
	               "Anyone who {reach} '{entry}' gets {data} back from '{element}'.",
	               {AUTH_ENTRY, "Return only the fields the caller needs from '{element}'",
	                NULL}},
	[R_REPUD_01] = {"TM-REPUD-01", "Runs started from outside leave no record", "R",
	                "LCNC-SEC-10", NULL, WD_SEV_MEDIUM, WD_SEV_LOW,
	                "An app with entry points does not save the data of successful or failed "
	                "executions (n8n saveDataSuccessExecution / saveDataErrorExecution "
	                "\"none\").",
	                "Whoever calls '{entry}' can deny what their requests did: '{app}' keeps no "
	                "record of {extra}.",
	                {"Save execution data of '{app}' for failed and successful runs",
	                 "Log who called '{entry}' (address, identity) outside the platform", NULL}},
	[R_REPUD_02] = {"TM-REPUD-02", "Failures of runs started from outside go unnoticed", "R",
	                "LCNC-SEC-10", NULL, WD_SEV_LOW, WD_SEV_INFO,
	                "An app with entry points has no error handling (no error workflow, Error "
	                "Trigger, failure branch or error route).",
	                "Requests to '{entry}' that make '{app}' fail leave no alert, so abuse that "
	                "breaks it goes unnoticed.",
	                {"Set an error workflow (or an error path) for '{app}' that alerts someone",
	                 NULL}},
	[R_DOS_01] = {"TM-DOS-01", "Public callers can exhaust expensive actions", "D",
	              "LCNC-SEC-05", NULL, WD_SEV_MEDIUM, WD_SEV_LOW,
	              "An open entry point reaches something costly (an AI model or agent, code, a "
	              "paid or rate-limited service) and the export shows no rate limit. High when "
	              "the cost is AI usage.",
	              "Anyone who {reach} '{entry}' can call it in a loop and make '{element}' run "
	              "each time{via}{extra}.",
	              {AUTH_ENTRY, "Put a rate limit in front of '{entry}' (gateway or proxy)",
	               "Set an execution timeout and a spending cap for '{element}'", NULL}},
	[R_EOP_01] = {"TM-EOP-01", "Invokers act with the maker's connection", "E", "LCNC-SEC-01",
	              NULL, WD_SEV_MEDIUM, WD_SEV_LOW,
	              "An app started by other people (button, app, HTTP caller) uses a connection "
	              "embedded by its maker, so every invoker acts with the maker's rights.",
	              "Whoever starts '{entry}' makes '{element}' act with the maker's own "
	              "connection{extra}, with rights the invoker may not have.",
	              {"Make invokers use their own connection for '{element}'",
	               "Give the connection of '{element}' only the rights this app needs", NULL}},
	[R_EOP_02] = {"TM-EOP-02", "Third-party code runs inside the platform", "E", "LCNC-SEC-07",
	              NULL, WD_SEV_LOW, WD_SEV_LOW,
	              "A component comes from a community package or a locally installed custom "
	              "node (Node-RED contrib nodes are not reported: nearly every flow uses them). "
	              "Medium for custom nodes.",
	              "'{element}' runs code from {extra} with the platform's privileges and "
	              "credentials; a malicious or compromised version takes them over.",
	              {"Review the package behind '{element}' and pin its version",
	               "Replace '{element}' with a built-in node", NULL}},
	[R_PRIV_01] = {"TM-PRIV-01", "Personal data to a destination nobody can review",
	               "I", "LCNC-SEC-03", "Non-compliance", WD_SEV_MEDIUM, WD_SEV_LOW,
	               "Personal data flows to a service whose destination is unknown: a "
	               "component type missing from the connector catalog, or a host chosen at "
	               "run time. No processing agreement or region can be checked.",
	               "'{element}' sends {data} to {extra}, so nobody can check where it is "
	               "processed or under which agreement.",
	               {"Fix the destination of '{element}' so it can be reviewed",
	                "Use a known connector whose processing location is documented", NULL}},
	[R_PRIV_02] = {"TM-PRIV-02", "Personal data kept in AI memory or a vector store", "I",
	               "LCNC-SEC-03", "Linking", WD_SEV_MEDIUM, WD_SEV_LOW,
	               "Personal data is written to a vector store or an AI memory, where later "
	               "conversations can retrieve and link it.",
	               "{data} written to '{element}' can be retrieved and linked in later AI "
	               "conversations, including other people's{extra}.",
	               {"Do not store personal data in '{element}'",
	                "Scope '{element}' per person and expire what it keeps", NULL}},
};

/* ---- context ------------------------------------------------------------------- */

typedef struct ctx {
	wd_tm *tm;
	const wd_model *m;
	const wd_app *app;             /* NULL without a model */
	size_t nel;
	uint32_t *order;               /* element indices sorted by id */
	uint32_t *out_off, *out_flow;  /* CSR of outgoing flows, sorted by target id */
	uint32_t *in_off, *in_flow;    /* CSR of incoming flows */
	uint32_t *comp2el;             /* model component -> element, WD_NONE */
	/* breadth-first search scratch */
	uint32_t *mark, *parent, *queue, *depth, gen;
	uint32_t *reached;
	size_t nreached;
	uint32_t *taint;               /* sensitive classes reaching each process */
	uint8_t *dyn_host;             /* per model component: a request host chosen at run time */
	const char **tools;            /* per element: an agent's side-effect tools, lazily */
	uint32_t *ntools;
	uint8_t *per_sink;             /* per (path rule, element): threats so far, capped */
	uint16_t *facts;               /* per element: F_* computed once */
	int pass_disabled;             /* data flows through disabled steps (n8n) */
	/* output */
	wd_tm_threat *items;
	size_t n, cap;
	wd_hmap ids;
	wd_status rc;                  /* first failure (ENOMEM) */
} ctx;

typedef struct vars {
	const char *entry, *element, *service, *reach, *via, *data, *extra;
} vars;

static const wd_tm_element *EL(const ctx *cx, uint32_t i)
{
	return &cx->tm->elements[i];
}

static const char *el_id(const ctx *cx, uint32_t i)
{
	const char *s = EL(cx, i)->id;
	return s ? s : "";
}

/* The source component of element i, NULL without one (or without a model). */
static const wd_component *comp_of(const ctx *cx, uint32_t i)
{
	uint32_t c = EL(cx, i)->comp;
	if (!cx->m || c == WD_NONE || c >= cx->m->ncomps)
		return NULL;
	return &cx->m->comps[c];
}

static int cat_has(const wd_component *c, uint32_t flag)
{
	return c && c->connector && (c->connector->flags & flag);
}

static int disabled(const ctx *cx, uint32_t i)
{
	const wd_component *c = comp_of(cx, i);
	return (EL(cx, i)->flags & WD_TME_DISABLED) || (c && (c->flags & WD_COMP_DISABLED));
}

static int is_process(const ctx *cx, uint32_t i)
{
	return EL(cx, i)->kind == WD_TM_PROCESS && !disabled(cx, i);
}

static int boundary_kind(const ctx *cx, uint32_t i)
{
	uint32_t b = EL(cx, i)->boundary;
	return b < cx->tm->nboundaries ? cx->tm->boundaries[b].kind : -1;
}

/* Outside the organisation: a third-party service or a store hosted by one. */
static int is_external(const ctx *cx, uint32_t i)
{
	const wd_tm_element *e = EL(cx, i);
	if (e->flags & (WD_TME_INTERNET | WD_TME_HUMAN))
		return 0;
	if (boundary_kind(cx, i) == WD_ZONE_EXTERNAL)
		return 1;
	return e->kind == WD_TM_EXTERNAL && (e->flags & WD_TME_SERVICE) &&
	       boundary_kind(cx, i) != WD_ZONE_INTERNAL && boundary_kind(cx, i) != WD_ZONE_LOCAL;
}

#define SENSITIVE_CLASSES                                                                    \
	((1u << WD_CLASS_PII) | (1u << WD_CLASS_FINANCIAL) | (1u << WD_CLASS_HEALTH) |           \
	 (1u << WD_CLASS_CREDENTIAL) | (1u << WD_CLASS_SECRET))
#define PERSONAL_CLASSES ((1u << WD_CLASS_PII) | (1u << WD_CLASS_FINANCIAL) | (1u << WD_CLASS_HEALTH))
#define GRAVE_CLASSES ((1u << WD_CLASS_CREDENTIAL) | (1u << WD_CLASS_SECRET) | (1u << WD_CLASS_HEALTH))

static uint32_t flow_sensitive(const wd_tm_flow *f)
{
	uint32_t c = f->classes & SENSITIVE_CLASSES;
	/* flagged sensitive without a class: count it as personal data */
	if (!c && (f->flags & WD_TMF_SENSITIVE))
		c = 1u << WD_CLASS_PII;
	return c;
}

/* ---- small text helpers -------------------------------------------------------- */

/* At most NAME_MAX_BYTES of s, cut on a UTF-8 boundary, "..." when cut. */
static void put_name(wd_buf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n <= NAME_MAX_BYTES) {
		wd_buf_put(b, s ? s : "", n);
		return;
	}
	n = NAME_MAX_BYTES;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	wd_buf_put(b, s, n);
	wd_buf_puts(b, "...");
}

/* The same for a slice of the source model (not NUL-terminated). */
static void put_str_name(wd_buf *b, wd_str s)
{
	size_t n = s.len;

	if (!s.ptr)
		return;
	if (n <= NAME_MAX_BYTES) {
		wd_buf_put(b, s.ptr, n);
		return;
	}
	n = NAME_MAX_BYTES;
	while (n > 0 && ((unsigned char)s.ptr[n] & 0xC0) == 0x80)
		n--;
	wd_buf_put(b, s.ptr, n);
	wd_buf_puts(b, "...");
}

static const char *el_name(const ctx *cx, uint32_t i)
{
	const wd_tm_element *e = EL(cx, i);
	return e->name && *e->name ? e->name : el_id(cx, i);
}

static int role_has(const char *role, const char *word)
{
	return role && wd_str_find_ci(wd_str_c(role), word) >= 0;
}

/* How the public reaches an entry point, for "Anyone who {reach} 'X'": from its
 * type and role, and the roles of the actors that feed it. */
static const char *reach_phrase(const ctx *cx, uint32_t i)
{
	static const struct {
		const char *word, *phrase;
	} words[] = {
		{"chat", "can chat with"},         {"form", "can open the form of"},
		{"mail", "can send e-mail to"},    {"imap", "can send e-mail to"},
		{"tcp", "can send messages to"},   {"udp", "can send messages to"},
		{"mqtt", "can send messages to"},  {"websocket", "can send messages to"},
	};
	const wd_component *c = comp_of(cx, i);
	const wd_tm_element *e = EL(cx, i);
	size_t w;
	uint32_t k;

	for (w = 0; w < sizeof(words) / sizeof(*words); w++) {
		if ((c && wd_str_find_ci(c->type, words[w].word) >= 0) ||
		    role_has(e->type, words[w].word) || role_has(e->role, words[w].word))
			return words[w].phrase;
		for (k = cx->in_off[i]; k < cx->in_off[i + 1]; k++) {
			const wd_tm_element *s = EL(cx, cx->tm->flows[cx->in_flow[k]].from);
			if (s->kind == WD_TM_EXTERNAL && (s->flags & (WD_TME_HUMAN | WD_TME_INTERNET)) &&
			    role_has(s->role, words[w].word))
				return words[w].phrase;
		}
	}
	return "learns the URL of";
}

static const char *class_word(uint32_t classes)
{
	if (classes & (1u << WD_CLASS_SECRET))
		return "secrets";
	if (classes & (1u << WD_CLASS_CREDENTIAL))
		return "credentials";
	if (classes & (1u << WD_CLASS_HEALTH))
		return "health data";
	if (classes & (1u << WD_CLASS_FINANCIAL))
		return "financial data";
	if (classes & (1u << WD_CLASS_PII))
		return "personal data";
	return "its data";
}

/* "personal data and secrets ('email', 'token')" */
static void describe_data(wd_buf *b, uint32_t classes, const wd_tm_flow *f)
{
	static const int order[] = {WD_CLASS_SECRET, WD_CLASS_CREDENTIAL, WD_CLASS_HEALTH,
	                            WD_CLASS_FINANCIAL, WD_CLASS_PII};
	size_t i, k = 0, nc = 0;
	int pass;

	for (i = 0; i < sizeof(order) / sizeof(*order); i++) {
		uint32_t bit = 1u << order[i];
		if (!(classes & bit))
			continue;
		if (nc)
			wd_buf_puts(b, nc + 1 < (size_t)__builtin_popcount(classes & SENSITIVE_CLASSES)
			                   ? ", "
			                   : " and ");
		wd_buf_puts(b, class_word(bit));
		nc++;
	}
	if (!nc)
		wd_buf_puts(b, "its data");
	if (!f || !f->nfields)
		return;
	/* the fields of the classes named first (when the flow knows each field's
	 * class), then the others */
	wd_buf_puts(b, " (");
	for (pass = f->field_classes ? 0 : 1; pass < 2 && k < 3; pass++)
		for (i = 0; i < f->nfields && k < 3; i++) {
			int named = f->field_classes && f->field_classes[i] < 32 &&
			            (classes & (1u << f->field_classes[i]));
			if (!f->fields[i] || (pass == 0) != named)
				continue;
			wd_buf_puts(b, k ? ", '" : "'");
			put_name(b, f->fields[i]);
			wd_buf_putc(b, '\'');
			k++;
		}
	if (f->nfields > k)
		wd_buf_printf(b, "%s%zu more", k ? ", " : "", f->nfields - k);
	wd_buf_putc(b, ')');
}

/* Expand {name} variables of a template into b. */
static void expand(wd_buf *b, const char *t, const vars *v, const char *app)
{
	while (*t) {
		const char *close, *val = NULL;
		size_t n;
		int name = 0;
		if (*t != '{' || !(close = strchr(t, '}'))) {
			wd_buf_putc(b, *t++);
			continue;
		}
		n = (size_t)(close - t - 1);
#define VAR(key, field, isname)                                                               \
	if (n == sizeof(key) - 1 && memcmp(t + 1, key, n) == 0) {                                  \
		val = field;                                                                       \
		name = isname;                                                                     \
	}
		VAR("entry", v->entry, 1)
		VAR("element", v->element, 1)
		VAR("service", v->service, 1)
		VAR("app", app, 1)
		VAR("reach", v->reach, 0)
		VAR("via", v->via, 0)
		VAR("data", v->data, 0)
		VAR("extra", v->extra, 0)
#undef VAR
		if (name)
			put_name(b, val ? val : "");
		else
			wd_buf_puts(b, val ? val : "");
		t = close + 1;
	}
}

static char *arena_buf(ctx *cx, const wd_buf *b)
{
	char *s = wd_arena_strndup(&cx->tm->arena, wd_buf_cstr(b), b->len);
	if (!s && cx->rc == WD_OK)
		cx->rc = WD_ENOMEM;
	return s;
}

/* ---- emitting threats ------------------------------------------------------------ */

static int has_id(const ctx *cx, const char *id, uint64_t h)
{
	size_t slot = WD_HMAP_START;
	uint32_t v;

	while ((v = wd_hmap_next(&cx->ids, h, &slot)) != UINT32_MAX)
		if (strcmp(cx->items[v].id, id) == 0)
			return 1;
	return 0;
}

/*
 * Add a threat of rule r about elements a (and b, WD_NONE for none), with
 * the element path it follows. personal: the data involved is personal, so
 * the rule's LINDDUN category applies. Returns the new threat or NULL
 * (duplicate id, or out of memory recorded in cx->rc).
 */
static wd_tm_threat *emit(ctx *cx, int r, wd_severity sev, uint32_t a, uint32_t b,
                          const uint32_t *path, size_t npath, const vars *v, int personal)
{
	const tm_rule *rule = &rules[r];
	wd_tm *tm = cx->tm;
	wd_tm_threat *t;
	wd_buf buf;
	uint64_t h;
	size_t i, nm = 0;
	char *id;
	const char *app = tm->app_name && *tm->app_name ? tm->app_name : (tm->app_id ? tm->app_id : "");

	if (cx->rc != WD_OK)
		return NULL;
	wd_buf_init(&buf, 1 << 20);
	wd_buf_printf(&buf, "%s@%s", rule->id, el_id(cx, a));
	if (b != WD_NONE)
		wd_buf_printf(&buf, "@%s", el_id(cx, b));
	h = wd_hash64(wd_buf_cstr(&buf), buf.len, 0);
	if (has_id(cx, wd_buf_cstr(&buf), h)) {
		wd_buf_release(&buf);
		return NULL;
	}
	if (wd_grow((void **)&cx->items, &cx->cap, cx->n + 1, sizeof(*cx->items)) != WD_OK ||
	    !(id = arena_buf(cx, &buf))) {
		cx->rc = WD_ENOMEM;
		wd_buf_release(&buf);
		return NULL;
	}
	t = &cx->items[cx->n];
	memset(t, 0, sizeof(*t));
	t->id = id;
	t->rule = rule->id;
	t->stride = rule->stride;
	t->lcnc = rule->lcnc;
	t->linddun = personal ? rule->linddun : NULL;
	t->title = rule->title;
	t->severity = sev;
	t->residual = rule->residual < sev ? rule->residual : sev;
	t->status = WD_TM_OPEN;
	t->review_by = -1;

	wd_buf_reset(&buf);
	expand(&buf, rule->scenario, v, app);
	t->scenario = arena_buf(cx, &buf);

	t->path = wd_arena_alloc(&tm->arena, (npath ? npath : 1) * sizeof(*t->path));
	t->mitigations = wd_arena_alloc(&tm->arena, MAX_MITIGATIONS * sizeof(*t->mitigations));
	if (!t->path || !t->mitigations) {
		cx->rc = WD_ENOMEM;
		wd_buf_release(&buf);
		return NULL;
	}
	if (npath)
		memcpy(t->path, path, npath * sizeof(*path));
	t->npath = npath;
	for (i = 0; i < MAX_MITIGATIONS && rule->mitigations[i]; i++) {
		/* mitigations about the entry point only make sense when there is one */
		if (!v->entry && strstr(rule->mitigations[i], "{entry}"))
			continue;
		wd_buf_reset(&buf);
		expand(&buf, rule->mitigations[i], v, app);
		t->mitigations[nm++] = arena_buf(cx, &buf);
	}
	t->nmitigations = nm;
	wd_buf_release(&buf);
	if (cx->rc != WD_OK)
		return NULL;
	if (wd_hmap_put(&cx->ids, h, (uint32_t)cx->n) != WD_OK) {
		cx->rc = WD_ENOMEM;
		return NULL;
	}
	cx->n++;
	return t;
}

/* ---- graph scaffolding ------------------------------------------------------------ */

typedef struct sort_item {
	const char *key;           /* element id (of the element, or the flow's far end) */
	uint32_t a;                /* flows: the near end */
	uint32_t b;                /* element or flow index */
} sort_item;

static int cmp_by_key(const void *x, const void *y)
{
	const sort_item *p = x, *q = y;
	int c = strcmp(p->key, q->key);

	if (c)
		return c;
	return p->b < q->b ? -1 : p->b > q->b;
}

static int cmp_by_end_key(const void *x, const void *y)
{
	const sort_item *p = x, *q = y;

	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	return cmp_by_key(x, y);
}

/* Element order by id, and the CSR adjacency (outgoing sorted by target id). */
static wd_status build_graph(ctx *cx)
{
	wd_tm *tm = cx->tm;
	size_t n = tm->nelements, nf = tm->nflows, i;
	sort_item *it = malloc((n > nf ? n : nf) * sizeof(*it) + sizeof(*it));

	cx->order = malloc((n + 1) * sizeof(*cx->order));
	cx->out_off = calloc(n + 1, sizeof(*cx->out_off));
	cx->in_off = calloc(n + 1, sizeof(*cx->in_off));
	cx->out_flow = malloc((nf + 1) * sizeof(*cx->out_flow));
	cx->in_flow = malloc((nf + 1) * sizeof(*cx->in_flow));
	cx->mark = calloc(n + 1, sizeof(*cx->mark));
	cx->parent = malloc((n + 1) * sizeof(*cx->parent));
	cx->queue = malloc((n + 1) * sizeof(*cx->queue));
	cx->depth = malloc((n + 1) * sizeof(*cx->depth));
	cx->reached = malloc((n + 1) * sizeof(*cx->reached));
	if (!it || !cx->order || !cx->out_off || !cx->in_off || !cx->out_flow || !cx->in_flow ||
	    !cx->mark || !cx->parent || !cx->queue || !cx->depth || !cx->reached) {
		free(it);
		return WD_ENOMEM;
	}
	for (i = 0; i < n; i++) {
		it[i].key = el_id(cx, (uint32_t)i);
		it[i].a = 0;
		it[i].b = (uint32_t)i;
	}
	qsort(it, n, sizeof(*it), cmp_by_key);
	for (i = 0; i < n; i++)
		cx->order[i] = it[i].b;

	/* outgoing: sort flows by (from, target id); invalid flows are dropped */
	{
		size_t k = 0;
		for (i = 0; i < nf; i++) {
			const wd_tm_flow *f = &tm->flows[i];
			if (f->from >= n || f->to >= n)
				continue;
			it[k].a = f->from;
			it[k].key = el_id(cx, f->to);
			it[k].b = (uint32_t)i;
			k++;
		}
		qsort(it, k, sizeof(*it), cmp_by_end_key);
		for (i = 0; i < k; i++)
			cx->out_off[it[i].a + 1]++;
		for (i = 0; i < n; i++)
			cx->out_off[i + 1] += cx->out_off[i];
		for (i = 0; i < k; i++)
			cx->out_flow[i] = it[i].b; /* sorted by from, so already in CSR order */
		/* incoming, by (to, source id) */
		k = 0;
		for (i = 0; i < nf; i++) {
			const wd_tm_flow *f = &tm->flows[i];
			if (f->from >= n || f->to >= n)
				continue;
			it[k].a = f->to;
			it[k].key = el_id(cx, f->from);
			it[k].b = (uint32_t)i;
			k++;
		}
		qsort(it, k, sizeof(*it), cmp_by_end_key);
		for (i = 0; i < k; i++)
			cx->in_off[it[i].a + 1]++;
		for (i = 0; i < n; i++)
			cx->in_off[i + 1] += cx->in_off[i];
		for (i = 0; i < k; i++)
			cx->in_flow[i] = it[i].b;
	}
	free(it);

	cx->tools = calloc(n + 1, sizeof(*cx->tools));
	cx->ntools = calloc(n + 1, sizeof(*cx->ntools));
	cx->per_sink = calloc((n + 1) * R_COUNT, 1);
	if (!cx->tools || !cx->ntools || !cx->per_sink)
		return WD_ENOMEM;
	if (cx->m) {
		cx->comp2el = malloc((cx->m->ncomps + 1) * sizeof(*cx->comp2el));
		cx->dyn_host = calloc(cx->m->ncomps + 1, 1);
		if (!cx->comp2el || !cx->dyn_host)
			return WD_ENOMEM;
		for (i = 0; i < cx->m->ntargets; i++) {
			const wd_target *t = &cx->m->targets[i];
			if (t->comp < cx->m->ncomps && (t->flags & WD_TARGET_DYNAMIC) && !t->host.len)
				cx->dyn_host[t->comp] = 1;
		}
		for (i = 0; i < cx->m->ncomps; i++)
			cx->comp2el[i] = WD_NONE;
		for (i = 0; i < n; i++) {
			uint32_t c = tm->elements[i].comp;
			if (tm->elements[i].kind == WD_TM_PROCESS && c != WD_NONE && c < cx->m->ncomps &&
			    cx->comp2el[c] == WD_NONE)
				cx->comp2el[c] = (uint32_t)i;
		}
	}
	return WD_OK;
}

/* The internet or human actor that feeds entry e (lowest id), WD_NONE if none. */
static uint32_t outside_of(const ctx *cx, uint32_t e)
{
	uint32_t k, human = WD_NONE;

	for (k = cx->in_off[e]; k < cx->in_off[e + 1]; k++) {
		uint32_t s = cx->tm->flows[cx->in_flow[k]].from;
		if (EL(cx, s)->flags & WD_TME_INTERNET)
			return s;
		if ((EL(cx, s)->flags & WD_TME_HUMAN) && human == WD_NONE)
			human = s;
	}
	return human;
}

/* An entry point anyone on the internet can use without a credential. */
static int open_entry(const ctx *cx, uint32_t i)
{
	const wd_tm_element *e = EL(cx, i);
	const wd_component *c = comp_of(cx, i);

	if (!is_process(cx, i) || !(e->flags & WD_TME_PUBLIC))
		return 0;
	if (c) /* the model knows the authentication; the flag only says "internet" */
		return wd_auth_is_open(c->auth);
	return (e->flags & WD_TME_ENTRY) != 0;
}

/*
 * Breadth-first from element s over the flows: every element reached is
 * recorded (in BFS order) in cx->reached with its parent and depth; only
 * processes are expanded. Disabled steps are passed through where the
 * platform does so (n8n hands the items on) but never recorded; elsewhere
 * they stop the search. Cycles end at the visited mark: every element is
 * visited once, so a search is O(elements + flows) whatever the shape.
 */
static void bfs(ctx *cx, uint32_t s)
{
	size_t head = 0, tail = 0;

	cx->gen++;
	cx->nreached = 0;
	cx->mark[s] = cx->gen;
	cx->parent[s] = WD_NONE;
	cx->depth[s] = 0;
	cx->queue[tail++] = s;
	while (head < tail) {
		uint32_t u = cx->queue[head++], k;
		for (k = cx->out_off[u]; k < cx->out_off[u + 1]; k++) {
			uint32_t v = cx->tm->flows[cx->out_flow[k]].to;
			int off = disabled(cx, v);
			if (cx->mark[v] == cx->gen || (off && !cx->pass_disabled))
				continue;
			cx->mark[v] = cx->gen;
			cx->parent[v] = u;
			cx->depth[v] = cx->depth[u] + 1;
			if (!off) /* a disabled step is passed through, never a sink */
				cx->reached[cx->nreached++] = v;
			if (EL(cx, v)->kind == WD_TM_PROCESS)
				cx->queue[tail++] = v;
		}
	}
}

/* The path outside actor -> s -> ... -> v (from the last bfs(s)) into a new
 * array of cx->depth[v] + 2 elements at most; NULL when out of memory. */
static uint32_t *path_to(const ctx *cx, uint32_t s, uint32_t v, size_t *np)
{
	size_t n = 0, i;
	uint32_t u, o = outside_of(cx, s);
	uint32_t *path = malloc(((size_t)cx->depth[v] + 3) * sizeof(*path));

	*np = 0;
	if (!path)
		return NULL;
	for (u = v; u != WD_NONE && n <= cx->depth[v]; u = cx->parent[u])
		path[n++] = u;
	if (o != WD_NONE && o != v)
		path[n++] = o;
	for (i = 0; i < n / 2; i++) {
		uint32_t t = path[i];
		path[i] = path[n - 1 - i];
		path[n - 1 - i] = t;
	}
	*np = n;
	return path;
}

/* Keep the first and last MAX_PATH / 2 elements of a long path (in place). */
static size_t clip_path(uint32_t *path, size_t n)
{
	if (n <= MAX_PATH)
		return n;
	memmove(path + MAX_PATH / 2, path + n - MAX_PATH / 2, (MAX_PATH / 2) * sizeof(*path));
	return MAX_PATH;
}

/* " through 'A' and 'B'" for the processes strictly between s and v. */
static void via_text(const ctx *cx, const uint32_t *path, size_t n, uint32_t s, uint32_t v,
                     wd_buf *b)
{
	size_t i, first = 0, last = n, k;

	for (i = 0; i < n; i++)
		if (path[i] == s)
			first = i + 1;
	if (n && path[n - 1] == v)
		last = n - 1;
	if (last <= first)
		return;
	if (last - first > 3) {
		wd_buf_printf(b, " through %zu steps ('", last - first);
		put_name(b, el_name(cx, path[first]));
		wd_buf_puts(b, "' ... '");
		put_name(b, el_name(cx, path[last - 1]));
		wd_buf_puts(b, "')");
		return;
	}
	wd_buf_puts(b, " through ");
	for (k = first; k < last; k++) {
		if (k > first)
			wd_buf_puts(b, k + 1 == last ? " and " : ", ");
		wd_buf_putc(b, '\'');
		put_name(b, el_name(cx, path[k]));
		wd_buf_putc(b, '\'');
	}
}

/* ---- sinks ------------------------------------------------------------------------ */

static int is_shell(const wd_component *c)
{
	return cat_has(c, WD_CAT_SHELL) || cat_has(c, WD_CAT_SSH);
}

static int is_code(const ctx *cx, uint32_t i)
{
	const wd_component *c = comp_of(cx, i);
	if (!c)
		return (EL(cx, i)->flags & WD_TME_CODE) != 0;
	if (cat_has(c, WD_CAT_AI_TOOL) && !is_shell(c) && !cat_has(c, WD_CAT_CODE))
		return 0; /* an AI tool that is an ordinary service */
	return c->kind == WD_KIND_CODE || cat_has(c, WD_CAT_CODE) || is_shell(c);
}

static int is_ai(const ctx *cx, uint32_t i)
{
	const wd_component *c = comp_of(cx, i);
	if (!c)
		return (EL(cx, i)->flags & WD_TME_AI) != 0;
	return cat_has(c, WD_CAT_AI_AGENT) || cat_has(c, WD_CAT_AI_MODEL) ||
	       (c->kind == WD_KIND_AI && !cat_has(c, WD_CAT_AI_TOOL) &&
	        !cat_has(c, WD_CAT_VECTOR_STORE) && !cat_has(c, WD_CAT_MEMORY) &&
	        !cat_has(c, WD_CAT_EMBEDDING));
}

/* Calls in code that turn data into code, commands, files or requests. */
static const char *dangerous_call(wd_str code)
{
	static const char *const calls[] = {
		"eval(", "new Function", "child_process", "execSync", "spawn(", "exec(", "require(",
		"import(", "fs.", "readFile", "writeFile", "vm.run", "os.system", "subprocess",
		"__import__", "open(", "$executeCommand", "this.helpers.httpRequest", "fetch(", "axios",
	};
	size_t i;

	for (i = 0; i < sizeof(calls) / sizeof(*calls); i++)
		if (wd_str_find(code, calls[i]) >= 0)
			return calls[i];
	return NULL;
}

/* Side-effect tools of AI agent element i: "'Run Code', 'Send Mail'" into b. */
static size_t scan_agent_tools(const ctx *cx, uint32_t i, wd_buf *b)
{
	const wd_component *a = comp_of(cx, i);
	const wd_model *m = cx->m;
	size_t j, n = 0;
	uint32_t ci;

	if (!a)
		return 0;
	ci = EL(cx, i)->comp;
	for (j = 0; j < m->nedges; j++) {
		const wd_edge *e = &m->edges[j];
		const wd_component *t;
		if (e->kind != WD_EDGE_AI || e->to != ci || !wd_str_eq_c(e->label, "ai_tool") ||
		    e->from >= m->ncomps)
			continue;
		t = &m->comps[e->from];
		if (t->flags & WD_COMP_DISABLED)
			continue;
		if (t->kind == WD_KIND_CODE || cat_has(t, WD_CAT_CODE) || cat_has(t, WD_CAT_HTTP) ||
		    cat_has(t, WD_CAT_SQL) || cat_has(t, WD_CAT_SHELL) || cat_has(t, WD_CAT_FS) ||
		    cat_has(t, WD_CAT_EMAIL_SEND) ||
		    (t->connector &&
		     (t->connector->caps & (WD_CAP_WRITE | WD_CAP_SEND | WD_CAP_EXECUTE)))) {
			if (n < 4) {
				wd_buf_puts(b, n ? ", '" : "'");
				put_str_name(b, t->name);
				wd_buf_putc(b, '\'');
			}
			n++;
		}
	}
	if (n > 4)
		wd_buf_printf(b, " and %zu more", n - 4);
	return n;
}

/* The same, computed once per agent (an agent is reached from every entry). */
static size_t agent_tools(ctx *cx, uint32_t i, wd_buf *b)
{
	if (!cx->tools[i]) {
		wd_buf t;
		wd_buf_init(&t, 1 << 16);
		cx->ntools[i] = (uint32_t)scan_agent_tools(cx, i, &t);
		cx->tools[i] = wd_arena_strndup(&cx->tm->arena, wd_buf_cstr(&t), t.len);
		wd_buf_release(&t);
		if (!cx->tools[i]) {
			cx->rc = WD_ENOMEM;
			return 0;
		}
	}
	wd_buf_puts(b, cx->tools[i]);
	return cx->ntools[i];
}

/* The component has a request target whose host is chosen at run time. */
static int dynamic_host(const ctx *cx, uint32_t comp)
{
	return cx->dyn_host && comp < cx->m->ncomps && cx->dyn_host[comp];
}

/* A vector store or AI memory: by its component, else by role ("vector store",
 * "memory") or flag. */
static int store_for_ai(const ctx *cx, uint32_t i)
{
	const wd_component *c = comp_of(cx, i);
	const wd_tm_element *e = EL(cx, i);
	if (c)
		return cat_has(c, WD_CAT_VECTOR_STORE) || cat_has(c, WD_CAT_MEMORY);
	return (e->flags & WD_TME_AI) || role_has(e->role, "vector") || role_has(e->role, "memory");
}

/* Something a caller pays for per run: AI, code, or a send to an external service. */
static int costly(const ctx *cx, uint32_t i, int *ai)
{
	uint32_t k;

	*ai = 0;
	if (!is_process(cx, i))
		return 0;
	if (is_ai(cx, i)) {
		*ai = 1;
		return 1;
	}
	if (is_code(cx, i))
		return 1;
	for (k = cx->out_off[i]; k < cx->out_off[i + 1]; k++)
		if (is_external(cx, cx->tm->flows[cx->out_flow[k]].to))
			return 1;
	return 0;
}

/* A process that writes somewhere, runs code or uses AI. */
static int side_effect(const ctx *cx, uint32_t i)
{
	uint32_t k;

	if (!is_process(cx, i))
		return EL(cx, i)->kind == WD_TM_STORE && !(EL(cx, i)->flags & WD_TME_HISTORY);
	if (is_code(cx, i) || is_ai(cx, i))
		return 1;
	for (k = cx->out_off[i]; k < cx->out_off[i + 1]; k++) {
		const wd_tm_element *t = EL(cx, cx->tm->flows[cx->out_flow[k]].to);
		if (t->kind != WD_TM_PROCESS && !(t->flags & (WD_TME_INTERNET | WD_TME_HUMAN | WD_TME_HISTORY)))
			return 1;
	}
	return 0;
}

/* ---- path rules: from each open entry point --------------------------------------- */

/* The per-sink cap of rule r into v is reached (checked before any text is built). */
static int capped(const ctx *cx, int r, uint32_t v)
{
	return cx->per_sink[(size_t)v * R_COUNT + (size_t)r] >= MAX_PER_SINK;
}

static void path_threat(ctx *cx, int r, wd_severity sev, uint32_t s, uint32_t v, const char *extra,
                        int personal)
{
	uint32_t *path;
	wd_buf via;
	vars vs;
	size_t n;

	/* many entry points converging on one sink: the first few (by id) say it all,
	 * and the work stays bounded on hostile apps */
	if (r != R_DOS_01) { /* one per entry point, bounded by them */
		if (capped(cx, r, v))
			return;
		cx->per_sink[(size_t)v * R_COUNT + (size_t)r]++;
	}
	path = path_to(cx, s, v, &n);
	if (!path) {
		cx->rc = WD_ENOMEM;
		return;
	}
	wd_buf_init(&via, 1 << 16);
	via_text(cx, path, n, s, v, &via);
	memset(&vs, 0, sizeof(vs));
	vs.entry = el_name(cx, s);
	vs.element = el_name(cx, v);
	vs.reach = reach_phrase(cx, s);
	vs.via = wd_buf_cstr(&via);
	vs.extra = extra ? extra : "";
	emit(cx, r, sev, s, v, path, clip_path(path, n), &vs, personal);
	wd_buf_release(&via);
	free(path);
}

/* The flow from a to b, WD_NONE if none (first in target-id order). */
static uint32_t flow_between(const ctx *cx, uint32_t a, uint32_t b)
{
	uint32_t k;

	for (k = cx->out_off[a]; k < cx->out_off[a + 1]; k++)
		if (cx->tm->flows[cx->out_flow[k]].to == b)
			return cx->out_flow[k];
	return WD_NONE;
}

static void response_threat(ctx *cx, uint32_t s, uint32_t p, uint32_t net)
{
	uint32_t fi = flow_between(cx, p, net), *path;
	const wd_tm_flow *f;
	uint32_t sens;
	wd_buf d;
	vars vs;
	size_t n;

	if (fi == WD_NONE)
		return;
	f = &cx->tm->flows[fi];
	sens = flow_sensitive(f);
	if (!f->nfields)
		sens |= cx->taint[p];
	if (!sens)
		return;
	path = path_to(cx, s, net, &n);
	if (!path) {
		cx->rc = WD_ENOMEM;
		return;
	}
	wd_buf_init(&d, 1 << 16);
	describe_data(&d, sens, sens == (flow_sensitive(f)) ? f : NULL);
	memset(&vs, 0, sizeof(vs));
	vs.entry = el_name(cx, s);
	vs.element = el_name(cx, p);
	vs.service = el_name(cx, net);
	vs.reach = reach_phrase(cx, s);
	vs.data = wd_buf_cstr(&d);
	vs.via = "";
	vs.extra = "";
	emit(cx, R_DISC_06, (sens & GRAVE_CLASSES) ? WD_SEV_HIGH : WD_SEV_MEDIUM, p, net, path,
	     clip_path(path, n), &vs, (sens & PERSONAL_CLASSES) != 0);
	wd_buf_release(&d);
	free(path);
}

/* Element facts the per-entry searches test on every visit, computed once. */
enum {
	F_PROC = 1u << 0,      /* an enabled process */
	F_SIDE = 1u << 1,      /* side effects (side_effect) */
	F_COSTLY = 1u << 2,    /* costs per run (costly) */
	F_AI = 1u << 3,        /* an AI model or agent */
	F_CODE = 1u << 4,      /* runs code (not a shell) */
	F_SHELL = 1u << 5,     /* runs a command built from data */
	F_SQL = 1u << 6,       /* SQL text built from data */
	F_FS = 1u << 7,        /* file path built from data */
	F_SSRF = 1u << 8,      /* request host from incoming data */
	F_STORE = 1u << 9      /* a data store other than the run history */
};

static wd_status compute_facts(ctx *cx)
{
	size_t i;

	cx->facts = calloc(cx->nel + 1, sizeof(*cx->facts));
	if (!cx->facts)
		return WD_ENOMEM;
	for (i = 0; i < cx->nel; i++) {
		uint32_t v = (uint32_t)i;
		const wd_tm_element *e = EL(cx, v);
		const wd_component *c = comp_of(cx, v);
		uint16_t f = 0;
		int ai = 0;
		if (side_effect(cx, v))
			f |= F_SIDE;
		if (costly(cx, v, &ai))
			f |= F_COSTLY;
		if (e->kind == WD_TM_STORE && !(e->flags & WD_TME_HISTORY) && !disabled(cx, v))
			f |= F_STORE;
		if (is_process(cx, v)) {
			f |= F_PROC;
			if (is_ai(cx, v))
				f |= F_AI;
			if (is_code(cx, v)) {
				if (c && is_shell(c))
					f |= (c->flags & WD_COMP_SHELL_DYNAMIC) ? F_SHELL : 0;
				else
					f |= F_CODE;
			}
			if (c && (c->flags & WD_COMP_SQL_DYNAMIC))
				f |= F_SQL;
			if (c && (c->flags & WD_COMP_FS_DYNAMIC) && cat_has(c, WD_CAT_FS))
				f |= F_FS;
			if (c && cat_has(c, WD_CAT_HTTP) && (c->flags & WD_COMP_INPUT_USED) &&
			    dynamic_host(cx, e->comp))
				f |= F_SSRF;
		}
		cx->facts[i] = f;
	}
	return WD_OK;
}

static void entry_rules(ctx *cx, uint32_t s)
{
	size_t k;
	int effects = 0;
	uint32_t dos_el = WD_NONE, ai_el = WD_NONE;
	wd_buf x;

	bfs(cx, s);
	wd_buf_init(&x, 1 << 16);
	for (k = 0; k < cx->nreached && cx->rc == WD_OK; k++) {
		uint32_t v = cx->reached[k];
		const wd_tm_element *e = EL(cx, v);
		const wd_component *c = comp_of(cx, v);
		uint16_t f = cx->facts[v];

		if (f & F_SIDE)
			effects = 1;
		if (f & F_COSTLY) {
			if ((f & F_AI) && ai_el == WD_NONE)
				ai_el = v;
			if (dos_el == WD_NONE)
				dos_el = v;
		}
		wd_buf_reset(&x);
		if ((e->flags & WD_TME_INTERNET) && cx->parent[v] != WD_NONE &&
		    is_process(cx, cx->parent[v])) {
			/* TM-DISC-06: a response to the caller carries sensitive data */
			response_threat(cx, s, cx->parent[v], v);
			continue;
		}
		if (f & F_STORE) {
			/* written by a process the input reaches */
			uint32_t p = cx->parent[v];
			int aist;
			if (p == WD_NONE || !is_process(cx, p) || capped(cx, R_TAMP_01, v))
				continue;
			aist = store_for_ai(cx, v);
			if (aist)
				wd_buf_puts(&x, ", poisoning what the AI retrieves from it later");
			path_threat(cx, R_TAMP_01, aist ? WD_SEV_HIGH : WD_SEV_MEDIUM, s, v,
			            wd_buf_cstr(&x), 0);
			continue;
		}
		if (!(f & F_PROC))
			continue;
		if (f & F_SHELL)
			path_threat(cx, R_INJ_02, WD_SEV_CRITICAL, s, v, "the platform host", 0);
		if ((f & F_CODE) && !capped(cx, R_INJ_01, v)) {
			const char *call = c ? dangerous_call(c->code) : NULL;
			if (call) {
				size_t cl = strlen(call);
				wd_buf_puts(&x, "; the code calls ");
				wd_buf_put(&x, call, call[cl - 1] == '(' ? cl - 1 : cl);
				if (call[cl - 1] == '(')
					wd_buf_puts(&x, "()");
			}
			path_threat(cx, R_INJ_01, call ? WD_SEV_HIGH : WD_SEV_MEDIUM, s, v,
			            wd_buf_cstr(&x), 0);
			wd_buf_reset(&x);
		}
		if (f & F_SQL) {
			if (c->flags & WD_COMP_SQL_PARAMS)
				wd_buf_puts(&x, " (query parameters are set, but the text is still built "
				                "from input)");
			path_threat(cx, R_INJ_03, WD_SEV_CRITICAL, s, v, wd_buf_cstr(&x), 0);
			wd_buf_reset(&x);
		}
		if ((f & F_AI) && !capped(cx, R_INJ_04, v)) {
			size_t nt;
			wd_buf_puts(&x, ", using its tools ");
			nt = agent_tools(cx, v, &x);
			if (!nt)
				wd_buf_reset(&x); /* without tools only its answers are steered */
			path_threat(cx, R_INJ_04, nt ? WD_SEV_HIGH : WD_SEV_MEDIUM, s, v,
			            wd_buf_cstr(&x), 0);
			wd_buf_reset(&x);
		}
		if (f & F_FS)
			path_threat(cx, R_INJ_05, WD_SEV_HIGH, s, v, "", 0);
		if (f & F_SSRF)
			path_threat(cx, R_SSRF_01, WD_SEV_MEDIUM, s, v, "", 0);
	}

	/* denial of service: the nearest AI use, else the nearest costly step */
	if (cx->rc == WD_OK && (ai_el != WD_NONE || dos_el != WD_NONE)) {
		uint32_t v = ai_el != WD_NONE ? ai_el : dos_el;
		wd_buf_reset(&x);
		if (ai_el != WD_NONE)
			wd_buf_puts(&x, ", spending AI usage on every call");
		else
			wd_buf_puts(&x, ", with no rate limit in the export");
		path_threat(cx, R_DOS_01, ai_el != WD_NONE ? WD_SEV_HIGH : WD_SEV_MEDIUM, s, v,
		            wd_buf_cstr(&x), 0);
	}

	/* spoofing of the entry point itself */
	if (cx->rc == WD_OK) {
		const wd_component *c = comp_of(cx, s);
		wd_severity sev = effects ? WD_SEV_HIGH : WD_SEV_MEDIUM;
		uint32_t path[2], o = outside_of(cx, s);
		size_t n = 0;
		vars vs;
		wd_buf_reset(&x);
		if (c && (c->auth == WD_AUTH_UNKNOWN || c->auth == WD_AUTH_EXTERNAL)) {
			sev = WD_SEV_MEDIUM;
			wd_buf_puts(&x, "; the export shows no authentication, so only settings outside "
			                "it can protect it");
		} else if (c && c->auth == WD_AUTH_DYNAMIC) {
			sev = WD_SEV_LOW;
			wd_buf_puts(&x, "; its authentication mode comes from an expression, so it may "
			                "be off");
		} else if (effects) {
			wd_buf_puts(&x, " and trigger everything it does");
		}
		if (o != WD_NONE)
			path[n++] = o;
		path[n++] = s;
		memset(&vs, 0, sizeof(vs));
		vs.entry = el_name(cx, s);
		vs.element = vs.entry;
		vs.reach = reach_phrase(cx, s);
		vs.via = "";
		vs.extra = wd_buf_cstr(&x);
		emit(cx, R_SPOOF_01, sev, s, WD_NONE, path, n, &vs, 0);
	}
	wd_buf_release(&x);
}

/* ---- flow rules ------------------------------------------------------------------- */

static void flow_threat(ctx *cx, int r, wd_severity sev, const wd_tm_flow *f, uint32_t classes,
                        const char *extra)
{
	uint32_t path[2];
	wd_buf d;
	vars vs;

	path[0] = f->from;
	path[1] = f->to;
	wd_buf_init(&d, 1 << 16);
	describe_data(&d, classes, classes ? f : NULL);
	memset(&vs, 0, sizeof(vs));
	vs.element = el_name(cx, f->from);
	vs.service = el_name(cx, f->to);
	vs.data = wd_buf_cstr(&d);
	vs.via = "";
	vs.extra = extra ? extra : "";
	emit(cx, r, sev, f->from, f->to, path, 2, &vs, (classes & PERSONAL_CLASSES) != 0);
	wd_buf_release(&d);
}

/*
 * What sensitive data reaches each process: its own classes, what flows into
 * it from outside the app's processes (actors, services, stores), and what
 * reaches the processes that feed it. A worklist over the flows; a process
 * is queued again only when its mask grows, and masks have five bits, so the
 * work is linear. Disabled processes pass data on where the platform does
 * (n8n).
 */
static wd_status compute_taint(ctx *cx, uint32_t **out)
{
	wd_tm *tm = cx->tm;
	size_t n = cx->nel, head = 0, tail = 0, i;
	uint32_t *taint = calloc(n + 1, sizeof(*taint));
	uint32_t *queue = malloc((n + 1) * sizeof(*queue));
	uint8_t *queued = calloc(n + 1, 1);

	if (!taint || !queue || !queued) {
		free(taint);
		free(queue);
		free(queued);
		return WD_ENOMEM;
	}
	for (i = 0; i < n; i++) {
		uint32_t k;
		if (EL(cx, (uint32_t)i)->kind != WD_TM_PROCESS)
			continue;
		taint[i] = EL(cx, (uint32_t)i)->classes & SENSITIVE_CLASSES;
		for (k = cx->in_off[i]; k < cx->in_off[i + 1]; k++) {
			const wd_tm_flow *f = &tm->flows[cx->in_flow[k]];
			if (EL(cx, f->from)->kind != WD_TM_PROCESS)
				taint[i] |= flow_sensitive(f);
		}
		queue[tail++ % (n + 1)] = (uint32_t)i;
		queued[i] = 1;
	}
	while (head != tail) {
		uint32_t u = queue[head++ % (n + 1)], k;
		queued[u] = 0;
		if (disabled(cx, u) && !cx->pass_disabled)
			continue;
		for (k = cx->out_off[u]; k < cx->out_off[u + 1]; k++) {
			const wd_tm_flow *f = &tm->flows[cx->out_flow[k]];
			uint32_t v = f->to, add = taint[u] | flow_sensitive(f);
			if (EL(cx, v)->kind != WD_TM_PROCESS || (taint[v] | add) == taint[v])
				continue;
			taint[v] |= add;
			if (!queued[v]) {
				queue[tail++ % (n + 1)] = v;
				queued[v] = 1;
			}
		}
	}
	free(queue);
	free(queued);
	*out = taint;
	return WD_OK;
}

/* Processes talking to an AI service: the flow's source is an AI process, or its target
 * an AI service outside. */
static int ai_flow(const ctx *cx, const wd_tm_flow *f)
{
	/* is_ai, not the flag: an AI tool (an HTTP or app call an agent makes) is an
	 * ordinary service call */
	return (EL(cx, f->to)->flags & WD_TME_AI) || is_ai(cx, f->from);
}

static void flow_rules(ctx *cx)
{
	wd_tm *tm = cx->tm;
	size_t oi;
	const uint32_t *taint = cx->taint;

	/* walk flows in (source id, target id) order for a stable result */
	for (oi = 0; oi < cx->nel && cx->rc == WD_OK; oi++) {
		uint32_t from = cx->order[oi], k;
		if (!is_process(cx, from))
			continue;
		for (k = cx->out_off[from]; k < cx->out_off[from + 1] && cx->rc == WD_OK; k++) {
			const wd_tm_flow *f = &tm->flows[cx->out_flow[k]];
			const wd_tm_element *to = EL(cx, f->to);
			uint32_t sens = flow_sensitive(f);
			const wd_component *c = comp_of(cx, from);

			/* a flow that names no fields may send whatever reaches its process */
			if (!f->nfields && to->kind != WD_TM_PROCESS)
				sens |= taint[from];

			if (disabled(cx, f->to))
				continue;
			if (to->flags & WD_TME_INTERNET)
				continue; /* responses: TM-DISC-06, per open entry point */
			/* TM-DISC-02: cleartext to an external host */
			if (f->flags & WD_TMF_CLEARTEXT)
				flow_threat(cx, R_DISC_02, sens ? WD_SEV_HIGH : WD_SEV_MEDIUM, f, sens, "");
			if (!sens || !is_external(cx, f->to) || (to->flags & WD_TME_HISTORY))
				continue;
			if (ai_flow(cx, f)) {
				flow_threat(cx, R_DISC_05, WD_SEV_HIGH, f, sens, "");
			} else {
				flow_threat(cx, R_DISC_01,
				            (sens & GRAVE_CLASSES) ? WD_SEV_HIGH : WD_SEV_MEDIUM, f, sens, "");
			}
			/* TM-PRIV-01: personal data to a destination nobody can review */
			if ((sens & PERSONAL_CLASSES) && c &&
			    ((c->flags & WD_COMP_UNKNOWN_TYPE) || dynamic_host(cx, EL(cx, from)->comp))) {
				flow_threat(cx, R_PRIV_01, WD_SEV_MEDIUM, f, sens & PERSONAL_CLASSES,
				            (c->flags & WD_COMP_UNKNOWN_TYPE)
				                ? "a service of a type Warden does not know"
				                : "a host chosen at run time");
			}
		}
	}
}

/* ---- element rules ---------------------------------------------------------------- */

static void element_threat(ctx *cx, int r, wd_severity sev, uint32_t e, const char *data,
                           const char *extra, const char *entry, int personal,
                           const uint32_t *path, size_t npath)
{
	vars vs;
	uint32_t one = e;

	memset(&vs, 0, sizeof(vs));
	vs.element = el_name(cx, e);
	vs.entry = entry;
	vs.data = data ? data : "";
	vs.via = "";
	vs.extra = extra ? extra : "";
	if (!path) {
		path = &one;
		npath = 1;
	}
	emit(cx, r, sev, e, WD_NONE, path, npath, &vs, personal);
}

/* TM-DISC-03: the execution history keeps sensitive data nobody hid. */
static void history_rule(ctx *cx, uint32_t h)
{
	uint32_t classes = 0, k;
	const wd_tm_flow *sample = NULL;
	wd_buf d;

	if (cx->app && cx->app->confidential == 1)
		return;
	if (cx->app && cx->app->save_success == 0 && cx->app->save_failed == 0)
		return; /* nothing is kept */
	for (k = cx->in_off[h]; k < cx->in_off[h + 1]; k++) {
		const wd_tm_flow *f = &cx->tm->flows[cx->in_flow[k]];
		const wd_component *c = comp_of(cx, f->from);
		uint32_t s = flow_sensitive(f);
		if (!s || disabled(cx, f->from) || (c && (c->flags & WD_COMP_SECURE_IO)))
			continue;
		classes |= s;
		if (!sample)
			sample = f;
	}
	if (cx->in_off[h] == cx->in_off[h + 1])
		classes = EL(cx, h)->classes & SENSITIVE_CLASSES;
	if (!classes)
		return;
	wd_buf_init(&d, 1 << 16);
	describe_data(&d, classes, sample);
	element_threat(cx, R_DISC_03, (classes & GRAVE_CLASSES) ? WD_SEV_HIGH : WD_SEV_MEDIUM, h,
	               wd_buf_cstr(&d), "", NULL, (classes & PERSONAL_CLASSES) != 0, NULL, 0);
	wd_buf_release(&d);
}

/* TM-PRIV-02: personal data written to a vector store or AI memory. */
static void ai_store_rule(ctx *cx, uint32_t s)
{
	uint32_t classes = 0, k, from = WD_NONE;
	const wd_tm_flow *sample = NULL;
	wd_buf d;

	if (!store_for_ai(cx, s))
		return;
	for (k = cx->in_off[s]; k < cx->in_off[s + 1]; k++) {
		const wd_tm_flow *f = &cx->tm->flows[cx->in_flow[k]];
		uint32_t p = flow_sensitive(f) & PERSONAL_CLASSES;
		if (!p || disabled(cx, f->from))
			continue;
		classes |= p;
		if (!sample) {
			sample = f;
			from = f->from;
		}
	}
	if (!classes)
		return;
	wd_buf_init(&d, 1 << 16);
	describe_data(&d, classes, sample);
	/* capitalise: the template starts with {data} */
	if (d.len && d.data[0] >= 'a' && d.data[0] <= 'z')
		d.data[0] = (char)(d.data[0] - 'a' + 'A');
	{
		uint32_t path[2] = {from, s};
		element_threat(cx, R_PRIV_02, WD_SEV_MEDIUM, s, wd_buf_cstr(&d), "", NULL, 1, path, 2);
	}
	wd_buf_release(&d);
}

/* Rules that read the source model: secrets, components, credentials, app settings. */
static void model_rules(ctx *cx)
{
	const wd_model *m = cx->m;
	const wd_app *a = cx->app;
	uint32_t first, end, i;
	size_t j, oi;
	uint32_t entry = WD_NONE, history = WD_NONE, invoked = WD_NONE;
	wd_buf x;

	if (!m || !a)
		return;
	first = a->comp_first;
	end = a->comp_first + a->comp_count;
	wd_buf_init(&x, 1 << 16);

	/* TM-DISC-04: hard-coded secrets, one threat per element */
	for (j = 0; j < m->ndetections && cx->rc == WD_OK; j++) {
		const wd_detection *d = &m->detections[j];
		uint32_t e;
		if (d->comp == WD_NONE || d->comp >= m->ncomps || d->comp < first || d->comp >= end)
			continue;
		e = cx->comp2el[d->comp];
		if (e == WD_NONE)
			continue;
		wd_buf_reset(&x);
		if (d->provider.len) {
			wd_buf_put_str(&x, d->provider);
			wd_buf_putc(&x, ' ');
		}
		wd_buf_puts(&x, "secret");
		if (d->key.len) {
			wd_buf_puts(&x, " ('");
			wd_buf_put(&x, d->key.ptr, d->key.len > 60 ? 60 : d->key.len);
			wd_buf_puts(&x, "')");
		}
		element_threat(cx, R_DISC_04,
		               d->severity >= WD_SEV_HIGH ? WD_SEV_HIGH : (wd_severity)d->severity, e,
		               "", wd_buf_cstr(&x), NULL, 0, NULL, 0);
	}
	for (j = 0; j < m->ncreds && cx->rc == WD_OK; j++) {
		const wd_credential *cr = &m->creds[j];
		uint32_t e;
		if (cr->storage != WD_CRED_HARDCODED || cr->comp == WD_NONE || cr->comp >= m->ncomps ||
		    cr->comp < first || cr->comp >= end || (e = cx->comp2el[cr->comp]) == WD_NONE)
			continue;
		wd_buf_reset(&x);
		wd_buf_puts(&x, "credential");
		if (cr->name.len) {
			wd_buf_puts(&x, " '");
			wd_buf_put(&x, cr->name.ptr, cr->name.len > 60 ? 60 : cr->name.len);
			wd_buf_putc(&x, '\'');
		}
		element_threat(cx, R_DISC_04, WD_SEV_HIGH, e, "", wd_buf_cstr(&x), NULL, 0, NULL, 0);
	}

	/* elements in id order */
	for (oi = 0; oi < cx->nel && cx->rc == WD_OK; oi++) {
		uint32_t e = cx->order[oi];
		const wd_component *c = comp_of(cx, e);
		if (EL(cx, e)->flags & WD_TME_HISTORY && history == WD_NONE)
			history = e;
		if (!c || !is_process(cx, e))
			continue;
		/* started from outside: an endpoint, public, or invoked by people (not a
		 * schedule or a poll, which nobody outside can start) */
		if ((c->kind == WD_KIND_ENTRY || (c->flags & (WD_COMP_PUBLIC | WD_COMP_INVOKED))) &&
		    entry == WD_NONE)
			entry = e;
		if ((c->flags & WD_COMP_INVOKED) && invoked == WD_NONE)
			invoked = e;
		/* TM-TAMP-02 */
		if (c->flags & WD_COMP_TLS_NOVERIFY) {
			uint32_t k, svc = WD_NONE;
			wd_buf_reset(&x);
			for (k = cx->out_off[e]; k < cx->out_off[e + 1]; k++)
				if (is_external(cx, cx->tm->flows[cx->out_flow[k]].to)) {
					svc = cx->tm->flows[cx->out_flow[k]].to;
					break;
				}
			if (svc != WD_NONE) {
				wd_buf_puts(&x, " to '");
				put_name(&x, el_name(cx, svc));
				wd_buf_putc(&x, '\'');
			}
			element_threat(cx, R_TAMP_02, WD_SEV_HIGH, e, "", wd_buf_cstr(&x), NULL, 0, NULL,
			               0);
		}
		/* TM-EOP-02 */
		if ((c->flags & WD_COMP_CUSTOM) ||
		    ((c->flags & WD_COMP_COMMUNITY) && m->platform != WD_PLATFORM_NODERED)) {
			wd_buf_reset(&x);
			if (c->flags & WD_COMP_CUSTOM) {
				wd_buf_puts(&x, "a custom node installed outside any package registry");
			} else {
				wd_buf_puts(&x, "the community package ");
				if (c->connector && c->connector->package.len)
					wd_buf_put_str(&x, c->connector->package);
				else
					wd_buf_put(&x, c->type.ptr, c->type.len > 80 ? 80 : c->type.len);
			}
			element_threat(cx, R_EOP_02,
			               (c->flags & WD_COMP_CUSTOM) ? WD_SEV_MEDIUM : WD_SEV_LOW, e, "",
			               wd_buf_cstr(&x), NULL, 0, NULL, 0);
		}
	}

	/* TM-TAMP-02 through a TLS configuration node (Node-RED tls-config) its users share */
	for (j = 0; j < m->nedges && cx->rc == WD_OK; j++) {
		const wd_edge *ed = &m->edges[j];
		const wd_component *cfg;
		uint32_t e;
		if (ed->kind != WD_EDGE_CONFIG || ed->from < first || ed->from >= end ||
		    ed->to >= m->ncomps || (e = cx->comp2el[ed->from]) == WD_NONE ||
		    !is_process(cx, e))
			continue;
		cfg = &m->comps[ed->to];
		if (!(cfg->flags & WD_COMP_TLS_NOVERIFY) || (cfg->flags & WD_COMP_DISABLED) ||
		    cx->comp2el[ed->to] != WD_NONE)
			continue;
		wd_buf_reset(&x);
		wd_buf_puts(&x, " (through its TLS configuration '");
		put_str_name(&x, cfg->name);
		wd_buf_puts(&x, "')");
		element_threat(cx, R_TAMP_02, WD_SEV_HIGH, e, "", wd_buf_cstr(&x), NULL, 0, NULL, 0);
	}

	/* TM-EOP-01: components using the maker's embedded connection behind an invoked trigger */
	if (invoked != WD_NONE) {
		bfs(cx, invoked);
		for (oi = 0; oi < cx->nel && cx->rc == WD_OK; oi++) {
			uint32_t e = cx->order[oi], ci = EL(cx, e)->comp, two[2], *path = two;
			const wd_credential *cr = NULL;
			size_t n;
			if (!is_process(cx, e) || ci == WD_NONE || ci >= m->ncomps || ci < first || ci >= end)
				continue;
			for (j = 0; j < m->ncred_uses && !cr; j++)
				if (m->cred_uses[j].comp == ci && m->cred_uses[j].cred < m->ncreds &&
				    (m->creds[m->cred_uses[j].cred].flags & WD_CREDF_EMBEDDED))
					cr = &m->creds[m->cred_uses[j].cred];
			if (!cr)
				continue;
			wd_buf_reset(&x);
			if (cr->type.len) {
				wd_buf_puts(&x, " (");
				wd_buf_put(&x, cr->type.ptr, cr->type.len > 60 ? 60 : cr->type.len);
				wd_buf_putc(&x, ')');
			}
			if (e == invoked || cx->mark[e] == cx->gen) {
				path = path_to(cx, invoked, e, &n);
				if (!path) {
					cx->rc = WD_ENOMEM;
					break;
				}
			} else {
				two[0] = invoked;
				two[1] = e;
				n = 2;
			}
			element_threat(cx, R_EOP_01, WD_SEV_MEDIUM, e, "", wd_buf_cstr(&x),
			               el_name(cx, invoked), 0, path, clip_path(path, n));
			if (path != two)
				free(path);
		}
	}

	/* TM-REPUD-01 / 02: app settings, for apps with entry points */
	i = history != WD_NONE ? history : entry;
	if (entry != WD_NONE && cx->rc == WD_OK) {
		wd_buf_reset(&x);
		if (a->save_success == 0 && a->save_failed == 0)
			wd_buf_puts(&x, "any run");
		else if (a->save_success == 0)
			wd_buf_puts(&x, "successful runs");
		else if (a->save_failed == 0)
			wd_buf_puts(&x, "failed runs");
		if (x.len) {
			uint32_t path[2] = {entry, i};
			element_threat(cx, R_REPUD_01, WD_SEV_MEDIUM, i, "", wd_buf_cstr(&x),
			               el_name(cx, entry), 0, path, i == entry ? 1 : 2);
		}
		if (a->error_handling == 0 && cx->rc == WD_OK)
			element_threat(cx, R_REPUD_02, WD_SEV_LOW, entry, "", "", el_name(cx, entry), 0,
			               NULL, 0);
	}
	wd_buf_release(&x);
}

/* ---- entry point ------------------------------------------------------------------ */

static int cmp_threats(const void *x, const void *y)
{
	const wd_tm_threat *p = x, *q = y;

	if (p->severity != q->severity)
		return p->severity > q->severity ? -1 : 1;
	return strcmp(p->id, q->id);
}

wd_status wd_tm_find_threats(wd_tm *tm, const wd_model *m, uint32_t app)
{
	ctx cx;
	size_t oi, entries = 0;
	wd_status rc;

	if (!tm)
		return WD_EINVAL;
	memset(&cx, 0, sizeof(cx));
	cx.tm = tm;
	cx.m = m;
	cx.app = m && app < m->napps ? &m->apps[app] : NULL;
	cx.nel = tm->nelements;
	cx.pass_disabled = tm->platform && strcmp(tm->platform, "n8n") == 0;
	tm->threats = NULL;
	tm->nthreats = 0;
	rc = build_graph(&cx);
	if (rc == WD_OK)
		rc = compute_taint(&cx, &cx.taint);
	if (rc == WD_OK)
		rc = compute_facts(&cx);
	if (rc != WD_OK)
		goto out;

	for (oi = 0; oi < cx.nel && cx.rc == WD_OK && entries < MAX_ENTRIES; oi++) {
		uint32_t e = cx.order[oi];
		if (!open_entry(&cx, e))
			continue;
		entries++;
		entry_rules(&cx, e);
	}
	if (cx.rc == WD_OK)
		flow_rules(&cx);
	for (oi = 0; oi < cx.nel && cx.rc == WD_OK; oi++) {
		uint32_t e = cx.order[oi];
		if (EL(&cx, e)->kind == WD_TM_STORE && (EL(&cx, e)->flags & WD_TME_HISTORY))
			history_rule(&cx, e);
		else if (EL(&cx, e)->kind == WD_TM_STORE && !disabled(&cx, e))
			ai_store_rule(&cx, e);
	}
	if (cx.rc == WD_OK)
		model_rules(&cx);
	rc = cx.rc;
	if (rc == WD_OK && cx.n) {
		qsort(cx.items, cx.n, sizeof(*cx.items), cmp_threats);
		tm->threats = wd_arena_alloc(&tm->arena, cx.n * sizeof(*tm->threats));
		if (!tm->threats) {
			rc = WD_ENOMEM;
		} else {
			memcpy(tm->threats, cx.items, cx.n * sizeof(*tm->threats));
			tm->nthreats = cx.n;
		}
	}
out:
	free(cx.order);
	free(cx.out_off);
	free(cx.out_flow);
	free(cx.in_off);
	free(cx.in_flow);
	free(cx.comp2el);
	free(cx.mark);
	free(cx.parent);
	free(cx.queue);
	free(cx.depth);
	free(cx.reached);
	free(cx.taint);
	free(cx.dyn_host);
	free(cx.tools);
	free(cx.ntools);
	free(cx.per_sink);
	free(cx.facts);
	free(cx.items);
	wd_hmap_release(&cx.ids);
	return rc;
}
