/*
 * risk/risk.c - explainable risk scores: likelihood and impact from named
 * factors, the matrix, and FAIR-lite loss ranges. docs/risk.md is the
 * user-facing description of every number here; tests/unit/test_risk.c
 * checks its tables against this code.
 *
 * wd_risk_ctx_new() derives the per-model facts once (who reaches each
 * component, data classes and external destinations per app, credential
 * reuse, criticality), so scoring a finding is a constant amount of work
 * plus the text it writes.
 *
 *   likelihood = clamp(exposure + (exploitability - 2) + wide credential, 1, 4)
 *   impact     = clamp(max(data classes, technical impact)
 *                      + (criticality - 2) + sensitive egress, 1, 4)
 * then both are kept inside the bounds the rule's own severity sets, so the
 * level is never more than one step from the rule's severity; the level is
 * wd_risk_matrix(likelihood, impact).
 *
 * Invariants: the context reads the model and never changes it; every text
 * of a wd_risk lives in the caller's arena (names are copied, capped at
 * RISK_NAME_MAX characters); the library reads no policy file here, only
 * the wd_risk_inputs callbacks.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "risk/internal.h"
#include "warden/catalog.h"

/* ---- names and the matrix ---------------------------------------------------------- */

const char *wd_risk_likelihood_name(int l)
{
	static const char *const names[] = {"unknown", "unlikely", "likely", "very likely",
	                                    "frequent"};
	return l >= 1 && l <= 4 ? names[l] : names[0];
}

const char *wd_risk_impact_name(int i)
{
	static const char *const names[] = {"unknown", "low", "medium", "high", "very high"};
	return i >= 1 && i <= 4 ? names[i] : names[0];
}

static int clamp4(int v)
{
	return v < 1 ? 1 : v > 4 ? 4 : v;
}

/*
 * Threagile's combination (pkg/types/model.go CalculateSeverity): weights
 * 1..4 multiplied, the product mapped with Threagile's thresholds onto our
 * five levels: 1 info, 2-3 low, 4-8 medium, 9-12 high, 16 critical.
 */
wd_severity wd_risk_matrix(int likelihood, int impact)
{
	int p = clamp4(likelihood) * clamp4(impact);

	if (p <= 1)
		return WD_SEV_INFO;
	if (p <= 3)
		return WD_SEV_LOW;
	if (p <= 8)
		return WD_SEV_MEDIUM;
	if (p <= 12)
		return WD_SEV_HIGH;
	return WD_SEV_CRITICAL;
}

/* ---- rule families ------------------------------------------------------------------ */

static const struct {
	const char *id;
	risk_family fam;
} family_ids[] = {
	{"WD-ENTRY-001", FAM_ENTRY},       {"WD-ENTRY-002", FAM_ENTRY_RUNTIME},
	{"WD-INJ-001", FAM_INJ_EXEC},      {"WD-INJ-002", FAM_INJ_SQL},
	{"WD-INJ-003", FAM_INJ_AGENT},     {"WD-HTTP-001", FAM_HTTP_SSRF},
	{"WD-HTTP-002", FAM_HTTP_DYNAMIC}, {"WD-CODE-001", FAM_CODE},
	{"WD-CODE-002", FAM_CODE_SHELL},   {"WD-FS-001", FAM_FS},
	{"WD-TLS-001", FAM_TLS_VERIFY},    {"WD-TLS-002", FAM_TLS_CLEAR},
	{"WD-SEC-002", FAM_SECRET_FILE},   {"WD-DATA-001", FAM_DATA_PINNED},
	{"WD-DATA-002", FAM_DATA_HISTORY}, {"WD-DATA-003", FAM_DATA_LOGS},
	{"WD-DATA-004", FAM_DATA_EGRESS},  {"WD-COMP-001", FAM_COMP_COMMUNITY},
	{"WD-COMP-002", FAM_COMP_CUSTOM},  {"WD-COMP-003", FAM_COMP_UNKNOWN},
	{"WD-LOG-001", FAM_LOG_ERRORS},    {"WD-LOG-002", FAM_LOG_FAILED},
	{"WD-ACL-001", FAM_ACL_CALLERS},   {"WD-ACL-002", FAM_ACL_EMBEDDED},
};

static const struct {
	const char *prefix;
	risk_family fam;
} family_prefixes[] = {
	{"WD-SEC-", FAM_SECRET},
	{"WD-POL-", FAM_POLICY},
	{"WD-OWN-", FAM_OWNER},
	{"WD-SUP-", FAM_SUPPRESSION},
};

risk_family wd_risk_family(const char *rule_id)
{
	size_t i;

	if (!rule_id)
		return FAM_DEFAULT;
	for (i = 0; i < sizeof(family_ids) / sizeof(*family_ids); i++)
		if (strcmp(rule_id, family_ids[i].id) == 0)
			return family_ids[i].fam;
	for (i = 0; i < sizeof(family_prefixes) / sizeof(*family_prefixes); i++)
		if (strncmp(rule_id, family_prefixes[i].prefix,
		            strlen(family_prefixes[i].prefix)) == 0)
			return family_prefixes[i].fam;
	return FAM_DEFAULT;
}

/*
 * Factor defaults per family (docs/risk.md, "Exploitability" and "Technical
 * impact"). exploit 0 means "2, or 3 when untrusted public input reaches
 * the component"; exposure REACH_INTERNAL means "from the model's
 * reachability"; the few values that depend on the component (shell or
 * code, fixed or dynamic path, ...) are adjusted by the score_* functions.
 */
typedef struct fam_info {
	risk_reach expo;
	int exploit;
	const char *exploit_text;
	int tech;
	const char *tech_text;
	int exposes;   /* the app's data is at stake: data classes and FAIR-lite apply */
	int egress;    /* sensitive data leaving to third parties raises impact */
} fam_info;

#define REACH REACH_INTERNAL
#define INJ_TEXT                                                                             \
	"attacker-controlled data reaches code, a query or a request here (an injection path)"
#define DIRECT_TEXT "usable by whoever can reach it, no further weakness needed"
#define EXPORT_TEXT "usable as it is by anyone with a copy of the export"
#define GOV_TEXT "a governance gap, not an attack path by itself"

static const fam_info families[FAM_COUNT] = {
	/* [family] = {exposure, exploitability, why,
	 *             technical impact, what, exposes data, egress counts} */
	[FAM_DEFAULT] = {REACH, 0, NULL,
		2, "not rated for this rule (ordinary)",
		1, 1},
	[FAM_ENTRY] = {REACH, 2, DIRECT_TEXT,
		2, "anyone can start the workflow and read its answer",
		1, 0},
	[FAM_ENTRY_RUNTIME] = {REACH, 2, DIRECT_TEXT,
		2, "anyone can start the workflow and read its answer",
		1, 0},
	[FAM_INJ_EXEC] = {REACH, 3, INJ_TEXT,
		2, "crafted input can change what the code does",
		1, 1},
	[FAM_INJ_SQL] = {REACH, 3, INJ_TEXT,
		3, "read or change the database",
		1, 1},
	[FAM_INJ_AGENT] = {REACH, 3, INJ_TEXT,
		3, "make the agent use tools with side effects",
		1, 1},
	[FAM_HTTP_SSRF] = {REACH, 3, INJ_TEXT,
		3, "reach internal services from the platform (server-side request forgery)",
		1, 1},
	[FAM_HTTP_DYNAMIC] = {REACH, 1,
		"the destination is decided at run time, not by public input",
		2, "data may go to a destination nobody reviewed",
		1, 0},
	[FAM_CODE] = {REACH, 1,
		"only if crafted data reaches the code (WD-INJ-001 covers that path)",
		2, "custom code runs with the platform's rights",
		1, 0},
	[FAM_CODE_SHELL] = {REACH, 1, "the command line is fixed: only through another weakness",
		4, "run commands on the platform host",
		1, 1},
	[FAM_FS] = {REACH, 1, "fixed paths: only through another weakness",
		2, "files on the platform host",
		1, 0},
	[FAM_TLS_VERIFY] = {REACH, 1, "needs a position on the network path",
		2, "traffic can be read and changed",
		1, 0},
	[FAM_TLS_CLEAR] = {REACH, 1, "needs a position on the network path",
		2, "traffic can be read",
		1, 0},
	[FAM_SECRET] = {REACH_EXPORT, 4, EXPORT_TEXT,
		3, "access to the account the secret opens",
		0, 0},
	[FAM_SECRET_FILE] = {REACH_EXPORT, 4, "readable as it is by anyone with a copy of the file",
		3, "every stored password and key",
		0, 0},
	[FAM_DATA_PINNED] = {REACH_EXPORT, 4,
		"readable as it is by anyone with a copy of the export",
		1, "the harm is the data itself",
		1, 0},
	[FAM_DATA_HISTORY] = {REACH, 2, "no further weakness needed: it happens on every run",
		1, "the harm is the data itself",
		1, 0},
	[FAM_DATA_LOGS] = {REACH, 2, "no further weakness needed: it happens on every run",
		1, "the harm is the data itself",
		1, 0},
	[FAM_DATA_EGRESS] = {REACH, 2, "no further weakness needed: it happens on every run",
		1, "the harm is the data itself",
		1, 0},
	[FAM_COMP_COMMUNITY] = {REACH_PACKAGE, 1, "only if the package is malicious or taken over",
		2, "third-party code runs inside the platform",
		1, 0},
	[FAM_COMP_CUSTOM] = {REACH_PACKAGE, 1,
		"only if the locally installed code is flawed or tampered with",
		2, "third-party code runs inside the platform",
		1, 0},
	[FAM_COMP_UNKNOWN] = {REACH_PACKAGE, 1, "unknown: Warden cannot see what the node does",
		1, "unknown behaviour",
		1, 0},
	[FAM_LOG_ERRORS] = {REACH, 1,
		"not an attack by itself: it lets failures and attacks go unnoticed",
		1, "no direct harm: less visibility",
		0, 0},
	[FAM_LOG_FAILED] = {REACH, 1,
		"not an attack by itself: it lets failures and attacks go unnoticed",
		1, "no direct harm: less visibility",
		0, 0},
	[FAM_ACL_CALLERS] = {REACH, 1, "needs another workflow on the instance to call it",
		2, "other workflows can use its connections",
		1, 1},
	[FAM_ACL_EMBEDDED] = {REACH, 2, "usable by whoever can start the flow",
		3, "invokers act with the maker's permissions",
		1, 1},
	[FAM_POLICY] = {REACH, 0, NULL,
		1, "set by the policy's severity",
		1, 1},
	[FAM_OWNER] = {REACH, 1, GOV_TEXT,
		1, "no direct harm: no one answerable",
		0, 0},
	[FAM_SUPPRESSION] = {REACH, 1, GOV_TEXT,
		1, "no direct harm: a risk may be hidden",
		0, 0},
};



/*
 * The rule's severity as the technical baseline: floors and ceilings on
 * likelihood and impact chosen so that wd_risk_matrix() of the bounded
 * values is never more than one level from the severity:
 *   critical >= matrix(3,3) = high      high <= anything
 *   high     >= matrix(2,2) = medium
 *   medium   >= matrix(1,2) = low,      medium <= matrix(3,4) = high
 *   low      <= matrix(2,4) = medium
 *   info     <= matrix(1,3) = low
 */
static const struct {
	int lmin, imin, lmax, imax;
} bounds[5] = {
	[WD_SEV_INFO] = {1, 1, 1, 3},
	[WD_SEV_LOW] = {1, 1, 2, 4},
	[WD_SEV_MEDIUM] = {1, 2, 3, 4},
	[WD_SEV_HIGH] = {2, 2, 4, 4},
	[WD_SEV_CRITICAL] = {3, 3, 4, 4},
};

/* Yearly loss-event frequency bands by likelihood (FAIR-lite). */
static const struct {
	double min, max;
} freq_band[5] = {
	{0, 0}, {0.01, 0.05}, {0.02, 0.2}, {0.05, 0.5}, {0.1, 1.0},
};

/* ---- the context -------------------------------------------------------------------- */

#define APP_PHRASES 8

typedef struct app_facts {
	int exposure;            /* 1, 2 or 4: the most exposed way in */
	risk_reach reach;
	uint32_t entry;          /* entry point behind it, WD_NONE */
	uint16_t classes;        /* 1u << wd_class of data it handles */
	int acts;                /* writes, sends or runs something */
	int invoked;             /* an active trigger started by other people */
	uint32_t cred;           /* its widest credential, WD_NONE */
	uint32_t egress_first;   /* into cx->egress */
	uint32_t negress;
	int crit;                /* 1..4, 0 unknown */
	const char *crit_src;
	char data[128];          /* phrase: "e-mail addresses and dates of birth" */
	struct {
		const char *phrase;
		int cls;
	} ph[APP_PHRASES];
	int nph;
} app_facts;

struct wd_risk_ctx {
	const wd_model *m;
	wd_risk_inputs in;
	uint32_t *open_of;       /* per component: unauthenticated public entry + 1, 0 none */
	uint32_t *auth_of;       /* authenticated public entry + 1 */
	uint32_t *inv_of;        /* trigger started by tenant users + 1 */
	uint32_t *data_of;       /* component with classified fields whose data reaches it + 1 */
	uint8_t *comp_secret;    /* a secret was found in the component */
	uint32_t *comp_cred;     /* widest credential a component uses, WD_NONE */
	uint8_t *cred_score;     /* per credential: blast radius 2..4 */
	uint32_t *cred_ncomps;   /* per credential: distinct components using it */
	uint32_t *cred_napps;
	app_facts *apps;
	wd_str *egress;          /* external destinations, grouped by app */
	size_t negress, egress_cap;
	wd_hmap det_by_loc;      /* detection location -> index */
};

static int active(const wd_component *c)
{
	return !(c->flags & WD_COMP_DISABLED) && c->kind != WD_KIND_NOTE;
}


static uint64_t loc_key(wd_loc l)
{
	uint32_t k[2];

	k[0] = l.doc;
	k[1] = l.val;
	return wd_hash64(k, sizeof(k), 0x7269736b);
}

static int cmp_use(const void *a, const void *b)
{
	const wd_cred_use *x = a, *y = b;

	if (x->cred != y->cred)
		return x->cred < y->cred ? -1 : 1;
	return x->comp < y->comp ? -1 : x->comp > y->comp;
}

/* Plain-word vocabulary for field names, by class (docs/risk.md). A word
 * matches where a word of the name starts (see name_words). */
static const struct {
	wd_class cls;      /* WD_CLASS_NONE: any class */
	const char *words; /* '|'-separated */
	const char *phrase;
} vocab[] = {
	{WD_CLASS_PII, "ipaddr|clientip|remoteip|userip|forwardedfor", "IP addresses"},
	{WD_CLASS_PII, "email|mail|courriel|correo", "e-mail addresses"},
	{WD_CLASS_PII, "birth|dob|geburt|naissance|nacimiento|cumplea|nascita", "dates of birth"},
	{WD_CLASS_PII, "phone|mobil|telef|handy|fax|msisdn|celular|cellul|rufnummer|festnetz",
	 "phone numbers"},
	{WD_CLASS_PII, "passport|ssn|socialsecurity|nationalid|nationalinsurance|taxid|taxnumber|"
	 "steuer|idcard|identity|licen|ausweis|dni|nif|cpf|aadha|pesel|codicefiscale|curp|nino|"
	 "sozialversicherung|securitesociale|reisepass|passeport|pasaporte|fuhrerschein",
	 "identity numbers"},
	{WD_CLASS_PII, "address|addr|street|adress|strasse|anschrift|wohnort|rue|direccion|"
	 "domicilio|calle|indirizzo|zip|postcode|postal|plz|postleitzahl|hausnummer|pobox",
	 "postal addresses"},
	{WD_CLASS_PII, "name|nom|apellido|cognome|prenom", "names"},
	{WD_CLASS_PII, "gender|sex|geschlecht|genero", "gender"},
	{WD_CLASS_PII, "age|edad", "ages"},
	{WD_CLASS_FINANCIAL, "card|cvv|cvc|kreditkarte|tarjeta|carte", "card numbers"},
	{WD_CLASS_FINANCIAL, "salar|income|wage|gehalt|lohn|einkommen|revenu|sueldo|ingreso|"
	 "creditscore", "income details"},
	{WD_CLASS_FINANCIAL, "iban|bic|swift|account|acct|bank|routing|sortcode|konto|blz|compte|"
	 "cuenta|clabe|rib", "bank details"},
	{WD_CLASS_HEALTH, "diagnos", "diagnoses"},
	{WD_CLASS_HEALTH, "medic|prescri", "medication details"},
	{WD_CLASS_HEALTH, "allerg", "allergies"},
	{WD_CLASS_CREDENTIAL, "password|passwd|pwd|passwort|kennwort|contrasena|motdepasse",
	 "passwords"},
	{WD_CLASS_CREDENTIAL, "token", "access tokens"},
};

static const char *class_phrase(wd_class c)
{
	switch (c) {
	case WD_CLASS_PII: return "personal data";
	case WD_CLASS_FINANCIAL: return "financial data";
	case WD_CLASS_HEALTH: return "health data";
	case WD_CLASS_CREDENTIAL: return "credentials";
	case WD_CLASS_SECRET: return "secrets";
	case WD_CLASS_INTERNAL: return "internal data";
	default: return NULL;
	}
}

/*
 * The name's letters and digits in lower case, with the positions where a
 * word starts (after a separator, at a lower-to-upper hump, between letters
 * and digits), so "age" matches "user_age" and "ageRange" but not "message".
 */
static size_t name_words(wd_str name, char *low, uint8_t *start, size_t cap)
{
	size_t n = 0, i;
	int prev = 0; /* 0 separator, 1 lower, 2 upper, 3 digit */

	for (i = 0; i < name.len && n + 1 < cap; i++) {
		unsigned char ch = (unsigned char)name.ptr[i];
		int k = ch >= 'a' && ch <= 'z'   ? 1
		        : ch >= 'A' && ch <= 'Z' ? 2
		        : ch >= '0' && ch <= '9' ? 3
		                                 : 0;
		if (!k) {
			prev = 0;
			continue;
		}
		start[n] = (uint8_t)(prev == 0 || (prev == 1 && k == 2) ||
		                     ((prev == 3) != (k == 3)));
		low[n++] = (char)(k == 2 ? ch - 'A' + 'a' : ch);
		prev = k;
	}
	low[n] = '\0';
	return n;
}

static int word_at_start(const char *low, const uint8_t *start, size_t n, const char *w,
                         size_t wl)
{
	size_t i;

	for (i = 0; i + wl <= n; i++)
		if (start[i] && memcmp(low + i, w, wl) == 0)
			return 1;
	return 0;
}

static const char *field_phrase(wd_str name, wd_class cls)
{
	char low[96];
	uint8_t start[96];
	size_t n = name_words(name, low, start, sizeof(low)), i;

	for (i = 0; i < sizeof(vocab) / sizeof(*vocab); i++) {
		const char *w = vocab[i].words;
		if (vocab[i].cls != cls)
			continue;
		while (*w) {
			const char *bar = strchr(w, '|');
			size_t wl = bar ? (size_t)(bar - w) : strlen(w);
			if (word_at_start(low, start, n, w, wl))
				return vocab[i].phrase;
			w += wl + (bar ? 1 : 0);
		}
	}
	return class_phrase(cls);
}

static void app_add_phrase(app_facts *a, const char *phrase, wd_class cls)
{
	int i;

	if (!phrase)
		return;
	for (i = 0; i < a->nph; i++)
		if (a->ph[i].phrase == phrase || strcmp(a->ph[i].phrase, phrase) == 0) {
			if ((int)cls > a->ph[i].cls)
				a->ph[i].cls = (int)cls;
			return;
		}
	if (a->nph < APP_PHRASES) {
		a->ph[a->nph].phrase = phrase;
		a->ph[a->nph].cls = (int)cls;
		a->nph++;
	}
}

/* Order of phrases in a sentence: what a reader of a breach notice cares
 * about first. */
static int phrase_rank(int cls)
{
	switch (cls) {
	case WD_CLASS_HEALTH: return 5;
	case WD_CLASS_FINANCIAL: return 4;
	case WD_CLASS_PII: return 3;
	case WD_CLASS_CREDENTIAL: return 2;
	case WD_CLASS_SECRET: return 1;
	default: return 0;
	}
}

/* "a", "a and b", "a, b and c": the first three by rank; a class's general
 * phrase ("personal data") only when no specific one of that class is known. */
static void app_finish_phrase(app_facts *a)
{
	int used[APP_PHRASES] = {0};
	const char *pick[3];
	int npick = 0, i, j, k;

	for (i = 0; i < a->nph; i++) {
		if (a->ph[i].phrase != class_phrase((wd_class)a->ph[i].cls))
			continue;
		for (j = 0; j < a->nph; j++)
			if (j != i && a->ph[j].cls == a->ph[i].cls &&
			    a->ph[j].phrase != class_phrase((wd_class)a->ph[j].cls))
				used[i] = 1;
	}
	for (k = 0; k < 3; k++) {
		int best = -1;
		for (i = 0; i < a->nph; i++)
			if (!used[i] &&
			    (best < 0 || phrase_rank(a->ph[i].cls) > phrase_rank(a->ph[best].cls)))
				best = i;
		if (best < 0)
			break;
		used[best] = 1;
		pick[npick++] = a->ph[best].phrase;
	}
	a->data[0] = '\0';
	if (npick == 1)
		snprintf(a->data, sizeof(a->data), "%s", pick[0]);
	else if (npick == 2)
		snprintf(a->data, sizeof(a->data), "%s and %s", pick[0], pick[1]);
	else if (npick == 3)
		snprintf(a->data, sizeof(a->data), "%s, %s and %s", pick[0], pick[1], pick[2]);
}

static uint64_t fold_hash(uint32_t app, wd_str s)
{
	uint64_t h = 1469598103934665603ull ^ app;
	size_t i;

	for (i = 0; i < s.len; i++) {
		unsigned char ch = (unsigned char)s.ptr[i];
		if (ch >= 'A' && ch <= 'Z')
			ch = (unsigned char)(ch - 'A' + 'a');
		h = (h ^ ch) * 1099511628211ull;
	}
	return h;
}

static int fold_eq(wd_str a, wd_str b)
{
	size_t i;

	if (a.len != b.len)
		return 0;
	for (i = 0; i < a.len; i++) {
		unsigned char x = (unsigned char)a.ptr[i], y = (unsigned char)b.ptr[i];
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y)
			return 0;
	}
	return 1;
}

/* Record an external destination of app a once (case-insensitive). */
static wd_status add_egress(wd_risk_ctx *cx, wd_hmap *seen, uint32_t app, wd_str name)
{
	uint64_t key;
	size_t slot = WD_HMAP_START;
	uint32_t v;

	if (!name.len || !name.ptr)
		return WD_OK;
	key = fold_hash(app, name);
	while ((v = wd_hmap_next(seen, key, &slot)) != UINT32_MAX)
		if (v >= cx->apps[app].egress_first && fold_eq(cx->egress[v], name))
			return WD_OK;
	if (wd_grow((void **)&cx->egress, &cx->egress_cap, cx->negress + 1, sizeof(*cx->egress)) !=
	    WD_OK)
		return WD_ENOMEM;
	if (wd_hmap_put(seen, key, (uint32_t)cx->negress) != WD_OK)
		return WD_ENOMEM;
	cx->egress[cx->negress++] = name;
	cx->apps[app].negress++;
	return WD_OK;
}

/* Exposure of one component from the reach labels: 4, 2, 2 or 1. */
static int comp_exposure(const wd_risk_ctx *cx, uint32_t i, risk_reach *reach, uint32_t *entry)
{
	if (cx->open_of[i]) {
		*reach = REACH_OPEN;
		*entry = cx->open_of[i] - 1;
		return 4;
	}
	if (cx->auth_of[i]) {
		*reach = REACH_AUTH;
		*entry = cx->auth_of[i] - 1;
		return 2;
	}
	if (cx->inv_of[i]) {
		*reach = REACH_INVOKED;
		*entry = cx->inv_of[i] - 1;
		return 2;
	}
	*reach = REACH_INTERNAL;
	*entry = WD_NONE;
	return 1;
}

static wd_status reach_from(const wd_model *m, uint8_t *start, uint32_t *label)
{
	return m->ncomps ? wd_model_reach_label(m, start, label) : WD_OK;
}

/* Distinct components and apps per credential, its blast radius, and each
 * component's widest credential. */
static wd_status credential_facts(wd_risk_ctx *cx)
{
	const wd_model *m = cx->m;
	wd_cred_use *uses = NULL;
	size_t i, n = m->ncred_uses;

	if (n) {
		uses = malloc(n * sizeof(*uses));
		if (!uses)
			return WD_ENOMEM;
		memcpy(uses, m->cred_uses, n * sizeof(*uses));
		qsort(uses, n, sizeof(*uses), cmp_use);
	}
	for (i = 0; i < n; i++) {
		const wd_cred_use *u = &uses[i];
		uint32_t app;
		if (u->cred >= m->ncreds || u->comp >= m->ncomps)
			continue;
		if (i && uses[i - 1].cred == u->cred && uses[i - 1].comp == u->comp)
			continue;
		cx->cred_ncomps[u->cred]++;
		/* components of one app are contiguous, so sorted uses meet each app once */
		app = m->comps[u->comp].app;
		if (app != WD_NONE &&
		    !(i && uses[i - 1].cred == u->cred && uses[i - 1].comp < m->ncomps &&
		      m->comps[uses[i - 1].comp].app == app))
			cx->cred_napps[u->cred]++;
		if (app != WD_NONE && cx->apps[app].invoked &&
		    (m->creds[u->cred].flags & WD_CREDF_EMBEDDED))
			cx->cred_score[u->cred] = 4;
	}
	for (i = 0; i < m->ncreds; i++)
		if (cx->cred_score[i] < 4)
			cx->cred_score[i] =
				(cx->cred_ncomps[i] >= 3 || cx->cred_napps[i] >= 2) ? 3 : 2;
	for (i = 0; i < n; i++) {
		const wd_cred_use *u = &uses[i];
		uint32_t *best, app;
		if (u->cred >= m->ncreds || u->comp >= m->ncomps)
			continue;
		best = &cx->comp_cred[u->comp];
		if (*best == WD_NONE || cx->cred_score[u->cred] > cx->cred_score[*best] ||
		    (cx->cred_score[u->cred] == cx->cred_score[*best] &&
		     cx->cred_ncomps[u->cred] > cx->cred_ncomps[*best]))
			*best = u->cred;
		app = m->comps[u->comp].app;
		if (app != WD_NONE) {
			best = &cx->apps[app].cred;
			if (*best == WD_NONE || cx->cred_score[u->cred] > cx->cred_score[*best] ||
			    (cx->cred_score[u->cred] == cx->cred_score[*best] &&
			     cx->cred_ncomps[u->cred] > cx->cred_ncomps[*best]))
				*best = u->cred;
		}
	}
	free(uses);
	return WD_OK;
}

/*
 * External destinations of app a: third-party services data is written or
 * sent to, external zones of components that are not triggers, external
 * target hosts. A generic client (HTTP Request) is named by its hosts, not
 * by its service.
 */
static wd_status app_egress(wd_risk_ctx *cx, wd_hmap *seen, uint32_t a, const uint32_t *tgt_head,
                            const uint32_t *tgt_next)
{
	const wd_model *m = cx->m;
	const wd_app *app = &m->apps[a];
	size_t j, end = app->comp_first + app->comp_count;
	wd_status rc = WD_OK;

	cx->apps[a].egress_first = (uint32_t)cx->negress;
	for (j = app->comp_first; j < end && j < m->ncomps && rc == WD_OK; j++) {
		const wd_component *c = &m->comps[j];
		const wd_catalog_entry *e = c->connector;
		uint32_t t = tgt_head ? tgt_head[j] : WD_NONE;
		int generic = (e && (e->flags & WD_CAT_HTTP)) || t != WD_NONE;
		if (!active(c))
			continue;
		if (!generic && e && e->dest == WD_DEST_EXTERNAL &&
		    (e->caps & (WD_CAP_WRITE | WD_CAP_SEND)))
			rc = add_egress(cx, seen, a, e->service);
		if (rc == WD_OK && !generic && c->zone < m->nzones &&
		    m->zones[c->zone].kind == WD_ZONE_EXTERNAL && c->kind != WD_KIND_TRIGGER &&
		    c->kind != WD_KIND_ENTRY)
			rc = add_egress(cx, seen, a, m->zones[c->zone].name);
		for (; t != WD_NONE && rc == WD_OK; t = tgt_next[t]) {
			const wd_target *tg = &m->targets[t];
			if ((tg->flags & WD_TARGET_EXTERNAL) && !(tg->flags & WD_TARGET_DYNAMIC))
				rc = add_egress(cx, seen, a, tg->host);
		}
	}
	return rc;
}

/* A field whose data counts: classified, not the maker's own account label
 * (Make "account ..."), on a component of the model. */
static int classified(const wd_model *m, const wd_field *f)
{
	return f->comp < m->ncomps && f->cls != WD_CLASS_NONE && f->cls != WD_CLASS_PUBLIC &&
	       !wd_str_starts_with(f->name, "account ");
}

/* Data classes, external destinations and the rest, per app. */
static wd_status app_facts_build(wd_risk_ctx *cx)
{
	const wd_model *m = cx->m;
	wd_hmap seen = WD_HMAP_INIT;
	uint32_t *tgt_head = NULL, *tgt_next = NULL;
	size_t i, a, j;
	wd_status rc = WD_OK;

	for (a = 0; a < m->napps; a++) {
		app_facts *af = &cx->apps[a];
		af->exposure = 0;
		af->entry = WD_NONE;
		af->cred = WD_NONE;
		for (j = m->apps[a].comp_first;
		     j < m->apps[a].comp_first + m->apps[a].comp_count && j < m->ncomps; j++) {
			const wd_component *c = &m->comps[j];
			risk_reach r;
			uint32_t e;
			int x;
			if (!active(c))
				continue;
			x = comp_exposure(cx, (uint32_t)j, &r, &e);
			if (x > af->exposure) {
				af->exposure = x;
				af->reach = r;
				af->entry = e;
			}
			if (c->flags & WD_COMP_INVOKED)
				af->invoked = 1;
			if (c->kind == WD_KIND_CODE ||
			    (c->connector && (c->connector->caps & (WD_CAP_WRITE | WD_CAP_SEND |
			                                            WD_CAP_EXECUTE))))
				af->acts = 1;
		}
		if (!af->exposure) {
			af->exposure = 1;
			af->reach = REACH_INTERNAL;
		}
		if (cx->in.criticality) {
			const char *src = NULL;
			int c = cx->in.criticality(cx->in.ud, m, (uint32_t)a, &src);
			af->crit = c >= 1 && c <= 4 ? c : 0;
			af->crit_src = af->crit ? src : NULL;
		}
	}

	/* data classes: fields by the app of their component; the maker's own
	 * account labels (Make "account ...") are not data that moves */
	for (i = 0; i < m->nfields; i++) {
		const wd_field *f = &m->fields[i];
		app_facts *af;
		if (!classified(m, f) || m->comps[f->comp].app == WD_NONE)
			continue;
		af = &cx->apps[m->comps[f->comp].app];
		af->classes |= (uint16_t)(1u << f->cls);
		app_add_phrase(af, field_phrase(f->name, f->cls), f->cls);
	}
	for (i = 0; i < m->ndetections; i++) {
		const wd_detection *d = &m->detections[i];
		if (d->app < m->napps)
			cx->apps[d->app].classes |= (uint16_t)(1u << WD_CLASS_SECRET);
		if (wd_hmap_put(&cx->det_by_loc, loc_key(d->loc), (uint32_t)i) != WD_OK)
			return WD_ENOMEM;
	}
	for (i = 0; i < m->ncreds; i++) {
		const wd_credential *cr = &m->creds[i];
		if (cr->storage != WD_CRED_HARDCODED && cr->storage != WD_CRED_FILE_PLAINTEXT)
			continue;
		if (cr->comp < m->ncomps && m->comps[cr->comp].app != WD_NONE)
			cx->apps[m->comps[cr->comp].app].classes |=
				(uint16_t)(1u << WD_CLASS_CREDENTIAL);
	}
	for (a = 0; a < m->napps; a++)
		app_finish_phrase(&cx->apps[a]);

	/* external destinations: third-party services data is written or sent
	 * to, external zones of non-trigger components, external target hosts */
	if (m->ntargets) {
		tgt_head = malloc(m->ncomps * sizeof(*tgt_head) + 1);
		tgt_next = malloc(m->ntargets * sizeof(*tgt_next));
		if (!tgt_head || !tgt_next) {
			rc = WD_ENOMEM;
			goto out;
		}
		for (i = 0; i < m->ncomps; i++)
			tgt_head[i] = WD_NONE;
		for (i = m->ntargets; i-- > 0;) {
			uint32_t c = m->targets[i].comp;
			tgt_next[i] = WD_NONE;
			if (c < m->ncomps) {
				tgt_next[i] = tgt_head[c];
				tgt_head[c] = (uint32_t)i;
			}
		}
	}
	for (a = 0; a < m->napps && rc == WD_OK; a++)
		rc = app_egress(cx, &seen, (uint32_t)a, tgt_head, tgt_next);
out:
	free(tgt_head);
	free(tgt_next);
	wd_hmap_release(&seen);
	return rc;
}

wd_status wd_risk_ctx_new_with(wd_risk_ctx **out, const wd_model *m, const wd_risk_inputs *in)
{
	wd_risk_ctx *cx;
	uint8_t *start = NULL;
	size_t n, i;
	wd_status rc = WD_ENOMEM;

	*out = NULL;
	if (!m)
		return WD_EINVAL;
	cx = calloc(1, sizeof(*cx));
	if (!cx)
		return WD_ENOMEM;
	cx->m = m;
	if (in)
		cx->in = *in;
	n = m->ncomps + 1;
	cx->open_of = calloc(n, sizeof(*cx->open_of));
	cx->auth_of = calloc(n, sizeof(*cx->auth_of));
	cx->inv_of = calloc(n, sizeof(*cx->inv_of));
	cx->comp_cred = malloc(n * sizeof(*cx->comp_cred));
	cx->cred_score = calloc(m->ncreds + 1, sizeof(*cx->cred_score));
	cx->cred_ncomps = calloc(m->ncreds + 1, sizeof(*cx->cred_ncomps));
	cx->cred_napps = calloc(m->ncreds + 1, sizeof(*cx->cred_napps));
	cx->apps = calloc(m->napps + 1, sizeof(*cx->apps));
	cx->data_of = calloc(n, sizeof(*cx->data_of));
	cx->comp_secret = calloc(n, 1);
	start = calloc(n, 1);
	if (!cx->open_of || !cx->auth_of || !cx->inv_of || !cx->comp_cred || !cx->cred_score ||
	    !cx->cred_ncomps || !cx->cred_napps || !cx->apps || !cx->data_of || !cx->comp_secret ||
	    !start)
		goto out;
	for (i = 0; i < m->ncomps; i++)
		cx->comp_cred[i] = WD_NONE;

	/* who reaches each component: anyone (as rules/engine.c), holders of
	 * an entry's credentials, users of the tenant */
	for (i = 0; i < m->ncomps; i++)
		start[i] = (uint8_t)wd_component_open_entry(&m->comps[i]);
	if ((rc = reach_from(m, start, cx->open_of)) != WD_OK)
		goto out;
	for (i = 0; i < m->ncomps; i++) {
		const wd_component *c = &m->comps[i];
		start[i] = (uint8_t)((c->flags & WD_COMP_PUBLIC) && active(c) &&
		                     !wd_component_open_entry(c));
	}
	if ((rc = reach_from(m, start, cx->auth_of)) != WD_OK)
		goto out;
	for (i = 0; i < m->ncomps; i++) {
		const wd_component *c = &m->comps[i];
		start[i] = (uint8_t)((c->flags & WD_COMP_INVOKED) && !(c->flags & WD_COMP_PUBLIC) &&
		                     active(c));
	}
	if ((rc = reach_from(m, start, cx->inv_of)) != WD_OK)
		goto out;
	/* which components see classified data: those with such fields and
	 * everything downstream of them */
	memset(start, 0, n);
	for (i = 0; i < m->nfields; i++) {
		const wd_field *fl = &m->fields[i];
		if (classified(m, fl) && active(&m->comps[fl->comp]))
			start[fl->comp] = 1;
	}
	if ((rc = reach_from(m, start, cx->data_of)) != WD_OK)
		goto out;
	for (i = 0; i < m->ndetections; i++)
		if (m->detections[i].comp < m->ncomps)
			cx->comp_secret[m->detections[i].comp] = 1;
	if ((rc = app_facts_build(cx)) != WD_OK)
		goto out;
	rc = credential_facts(cx);
out:
	free(start);
	if (rc != WD_OK) {
		wd_risk_ctx_free(cx);
		return rc;
	}
	*out = cx;
	return WD_OK;
}

static int policy_criticality(void *ud, const wd_model *m, uint32_t app, const char **source)
{
	return wd_policy_criticality((const wd_policy *)ud, m, app, source);
}

static int policy_loss(void *ud, const wd_model *m, uint32_t app, wd_class cls,
                       wd_loss_inputs *out)
{
	return wd_policy_loss_inputs((const wd_policy *)ud, m, app, cls, out);
}

wd_status wd_risk_ctx_new(wd_risk_ctx **out, const wd_model *m, const wd_policy *policy)
{
	wd_risk_inputs in;

	if (!policy)
		return wd_risk_ctx_new_with(out, m, NULL);
	in.criticality = policy_criticality;
	in.loss = policy_loss;
	in.ud = (void *)(uintptr_t)policy;
	return wd_risk_ctx_new_with(out, m, &in);
}

void wd_risk_ctx_free(wd_risk_ctx *cx)
{
	if (!cx)
		return;
	free(cx->open_of);
	free(cx->auth_of);
	free(cx->inv_of);
	free(cx->data_of);
	free(cx->comp_secret);
	free(cx->comp_cred);
	free(cx->cred_score);
	free(cx->cred_ncomps);
	free(cx->cred_napps);
	free(cx->apps);
	free(cx->egress);
	wd_hmap_release(&cx->det_by_loc);
	free(cx);
}

/* ---- scoring one finding ------------------------------------------------------------ */

typedef struct factors {
	wd_risk_factor f[12];
	size_t n;
	wd_buf b;          /* the value being written */
	wd_arena *arena;
	int failed;
} factors;

/* Finish the value in fs->b as a factor. */
static void factor_add(factors *fs, const char *side, const char *name, int score)
{
	wd_risk_factor *x;
	char *v;

	if (fs->n >= sizeof(fs->f) / sizeof(*fs->f) || wd_buf_failed(&fs->b)) {
		fs->failed = 1;
		return;
	}
	v = wd_arena_strndup(fs->arena, wd_buf_cstr(&fs->b), fs->b.len);
	wd_buf_reset(&fs->b);
	if (!v) {
		fs->failed = 1;
		return;
	}
	x = &fs->f[fs->n++];
	x->side = side;
	x->name = name;
	x->value = v;
	x->score = score;
}

static const char *reach_text(risk_reach r)
{
	switch (r) {
	case REACH_OPEN: return "public entry point without authentication";
	case REACH_AUTH: return "public entry point with authentication";
	case REACH_INVOKED: return "started by users in the tenant";
	case REACH_INTERNAL: return "internal or scheduled only: no public entry point reaches it";
	case REACH_EXPORT: return "the export itself: whoever can open, share or back up the file";
	case REACH_PACKAGE: return "installed code: not reached through a request";
	default: return "file-level: not tied to an entry point";
	}
}

static void put_classes(wd_buf *b, uint16_t classes)
{
	static const wd_class order[] = {WD_CLASS_SECRET, WD_CLASS_CREDENTIAL, WD_CLASS_HEALTH,
	                                 WD_CLASS_FINANCIAL, WD_CLASS_PII, WD_CLASS_INTERNAL};
	size_t i, k = 0, n = 0;

	for (i = 0; i < sizeof(order) / sizeof(*order); i++)
		if (classes & (1u << order[i]))
			n++;
	for (i = 0; i < sizeof(order) / sizeof(*order); i++) {
		if (!(classes & (1u << order[i])))
			continue;
		if (k)
			wd_buf_puts(b, k + 1 == n ? " and " : ", ");
		wd_buf_puts(b, class_phrase(order[i]));
		k++;
	}
}

/* "1,234,567" for whole amounts, two decimals below 100. */
static void put_amount(wd_buf *b, double v)
{
	char digits[64];
	int len, i, lead;

	if (!isfinite(v))
		v = 0;
	if (v < 100 && v != floor(v)) {
		wd_buf_printf(b, "%.2f", v);
		return;
	}
	len = snprintf(digits, sizeof(digits), "%.0f", v);
	if (len <= 0 || (size_t)len >= sizeof(digits)) {
		wd_buf_printf(b, "%g", v);
		return;
	}
	lead = len % 3 ? len % 3 : 3;
	for (i = 0; i < len; i++) {
		if (i && (i - lead) % 3 == 0 && i >= lead)
			wd_buf_putc(b, ',');
		wd_buf_putc(b, digits[i]);
	}
}

static int loss_ok(const wd_loss_inputs *li)
{
	return isfinite(li->records) && isfinite(li->per_record_min) &&
	       isfinite(li->per_record_max) && li->records > 0 && li->per_record_max > 0 &&
	       li->per_record_min >= 0 && li->per_record_min <= li->per_record_max;
}

static int is_shell(const wd_component *c)
{
	return c->connector && (c->connector->flags & (WD_CAT_SHELL | WD_CAT_SSH));
}

/*
 * Families whose weakness sits in one component, so only the data that
 * reaches that component is at stake; for the others (entry points, shell
 * access to the host, packages, app settings) the whole app's data is.
 */
static int component_scope(risk_family fam, const wd_component *c)
{
	switch (fam) {
	case FAM_INJ_EXEC: return !is_shell(c);
	case FAM_INJ_SQL:
	case FAM_INJ_AGENT:
	case FAM_HTTP_SSRF:
	case FAM_HTTP_DYNAMIC:
	case FAM_CODE:
	case FAM_FS:
	case FAM_TLS_VERIFY:
	case FAM_TLS_CLEAR:
	case FAM_DATA_HISTORY:
	case FAM_POLICY:
	case FAM_DEFAULT:
		return 1;
	default:
		return 0;
	}
}

static const wd_detection *detection_at(const wd_risk_ctx *cx, const wd_finding *f)
{
	size_t slot = WD_HMAP_START;
	uint32_t v;

	while ((v = wd_hmap_next(&cx->det_by_loc, loc_key(f->loc), &slot)) != UINT32_MAX) {
		const wd_detection *d = &cx->m->detections[v];
		if (d->loc.doc == f->loc.doc && d->loc.val == f->loc.val &&
		    (f->comp == WD_NONE || d->comp == f->comp))
			return d;
	}
	return NULL;
}

/* One finding being scored: its context, the view the sentence reads, the
 * factors written so far. */
typedef struct scoring {
	wd_risk_ctx *cx;
	const wd_model *m;
	const fam_info *fi;
	const app_facts *af;     /* NULL when file-level */
	const wd_component *c;   /* NULL when app-level */
	risk_view v;
	factors fs;
	uint16_t classes;        /* 1u << wd_class of the data at stake */
} scoring;

static int open_reaches(const scoring *sc)
{
	const wd_risk_ctx *cx = sc->cx;

	return sc->c && cx->open_of[sc->v.comp] && cx->open_of[sc->v.comp] - 1 != sc->v.comp;
}

static int score_exposure(scoring *sc)
{
	risk_view *v = &sc->v;
	wd_buf *b = &sc->fs.b;
	int e;

	if (sc->fi->expo == REACH_EXPORT || sc->fi->expo == REACH_PACKAGE) {
		v->reach = sc->fi->expo;
		e = 1;
	} else if (sc->c && (sc->c->app != WD_NONE || (sc->c->flags & WD_COMP_PUBLIC))) {
		e = comp_exposure(sc->cx, v->comp, &v->reach, &v->entry);
	} else if (sc->af) {
		/* app-level, or a shared config node: the app's most exposed way in */
		e = sc->af->exposure;
		v->reach = sc->af->reach;
		v->entry = sc->af->entry;
	} else {
		v->reach = REACH_FILE;
		e = 1;
	}
	wd_buf_puts(b, reach_text(v->reach));
	if (v->entry != WD_NONE) {
		wd_buf_puts(b, " (");
		wd_risk_put_name(b, sc->m->comps[v->entry].name, "an unnamed entry point");
		if (v->reach == REACH_AUTH)
			wd_buf_printf(b, ", %s", wd_auth_name(sc->m->comps[v->entry].auth));
		wd_buf_putc(b, ')');
	}
	factor_add(&sc->fs, "likelihood", "exposure", e);
	return e;
}

static int score_exploitability(scoring *sc)
{
	const wd_component *c = sc->c;
	wd_buf *b = &sc->fs.b;
	int x = sc->fi->exploit;
	const char *text = sc->fi->exploit_text;

	if (sc->v.fam == FAM_CODE_SHELL && c && (c->flags & WD_COMP_SHELL_DYNAMIC)) {
		if (open_reaches(sc)) {
			/* WD-INJ-001 scores the public path to this command */
			x = 1;
			text = "the path from public input is scored as WD-INJ-001; this finding "
			       "is the capability";
		} else {
			x = 3;
			text = "the command line is built from workflow data (an injection path)";
		}
	} else if (sc->v.fam == FAM_FS && c && (c->flags & WD_COMP_FS_DYNAMIC)) {
		x = 3;
		text = "the file path is built from workflow data (an injection path)";
	}
	if (x == 0 && open_reaches(sc)) {
		x = 3;
		wd_buf_puts(b, "untrusted input from ");
		wd_risk_put_name(b, sc->m->comps[sc->cx->open_of[sc->v.comp] - 1].name,
		                 "an unnamed entry point");
		text = " reaches it";
	} else if (x == 0) {
		x = 2;
		text = DIRECT_TEXT;
	}
	wd_buf_puts(b, text);
	factor_add(&sc->fs, "likelihood", "exploitability", x);
	return x;
}

static int score_blast_radius(scoring *sc)
{
	const wd_risk_ctx *cx = sc->cx;
	wd_buf *b = &sc->fs.b;
	const wd_credential *cr;
	uint32_t cred;
	int r;

	if (sc->fi->expo == REACH_EXPORT) {
		wd_buf_puts(b, "not a stored credential: the value itself is in the export");
		factor_add(&sc->fs, "likelihood", "credential blast radius", 1);
		return 1;
	}
	cred = sc->c ? cx->comp_cred[sc->v.comp] : sc->af ? sc->af->cred : WD_NONE;
	if (cred == WD_NONE) {
		wd_buf_puts(b, "no stored credential involved");
		factor_add(&sc->fs, "likelihood", "credential blast radius", 1);
		return 1;
	}
	r = cx->cred_score[cred];
	cr = &sc->m->creds[cred];
	wd_buf_puts(b, "credential ");
	wd_risk_put_name(b, cr->name.len ? cr->name : cr->id.len ? cr->id : cr->type, "(unnamed)");
	if (r == 4)
		wd_buf_puts(b, " is the maker's own connection, used for everyone who starts the "
		               "flow");
	else if (r == 3)
		wd_buf_printf(b, " is shared by %u components in %u app%s", cx->cred_ncomps[cred],
		              cx->cred_napps[cred], cx->cred_napps[cred] == 1 ? "" : "s");
	else
		wd_buf_printf(b, " is used by %u component%s", cx->cred_ncomps[cred],
		              cx->cred_ncomps[cred] == 1 ? "" : "s");
	sc->v.cred = cred;
	sc->v.embedded = r == 4;
	factor_add(&sc->fs, "likelihood", "credential blast radius", r);
	return r;
}

static int score_data(scoring *sc)
{
	const app_facts *af = sc->af;
	wd_buf *b = &sc->fs.b;
	int d = 1, k, comp_only = 0;

	sc->classes = 0;
	if (sc->v.fam == FAM_SECRET) {
		sc->classes = (uint16_t)(1u << WD_CLASS_SECRET);
		wd_buf_puts(b, "a secret written into the export");
	} else if (sc->v.fam == FAM_SECRET_FILE) {
		sc->classes = (uint16_t)(1u << WD_CLASS_CREDENTIAL);
		wd_buf_puts(b, "stored passwords and keys");
	} else if (!sc->fi->exposes) {
		wd_buf_puts(b, "not involved: this finding does not expose data itself");
	} else if (af && sc->c && component_scope(sc->v.fam, sc->c) &&
	           !sc->cx->data_of[sc->v.comp]) {
		/* the weakness is in one component: only the data that reaches it counts */
		comp_only = 1;
		if (sc->cx->comp_secret[sc->v.comp]) {
			sc->classes = (uint16_t)(1u << WD_CLASS_SECRET);
			wd_buf_puts(b, "a secret found in this component; no classified data "
			               "reaches it");
		} else {
			wd_buf_puts(b, "no personal, financial, health or secret data reaches it");
		}
	} else if (af && af->classes) {
		sc->classes = af->classes;
		put_classes(b, sc->classes);
		if (af->data[0])
			wd_buf_printf(b, " (%s)", af->data);
	} else {
		wd_buf_puts(b, "no personal, financial, health or secret data found");
	}
	for (k = WD_CLASS_PII; k <= WD_CLASS_SECRET; k++)
		if (sc->classes & (1u << k))
			d = 3;
	if (d == 1 && (sc->classes & (1u << WD_CLASS_INTERNAL)))
		d = 2;
	sc->v.sensitive = d == 3;
	sc->v.data = sc->fi->exposes && af && !comp_only ? af->data : "";
	factor_add(&sc->fs, "impact", "data classes", d);
	return d;
}

static int score_technical(scoring *sc, const wd_finding *f)
{
	const wd_component *c = sc->c;
	const wd_detection *det = sc->v.det;
	risk_family fam = sc->v.fam;
	int t = sc->fi->tech;
	const char *text = sc->fi->tech_text;

	if ((fam == FAM_ENTRY || fam == FAM_ENTRY_RUNTIME) && sc->af && sc->af->acts) {
		t = 3;
		text = "anyone can make the workflow write, send or run what it was built to";
	} else if (fam == FAM_INJ_EXEC && c && is_shell(c)) {
		t = 4;
		text = "run commands on the platform host";
	} else if (fam == FAM_INJ_EXEC && f->severity >= WD_SEV_HIGH) {
		/* the rule rates code that evals, spawns or opens files high */
		t = 3;
		text = "run code on the platform";
	} else if (fam == FAM_FS && c && (c->flags & WD_COMP_FS_DYNAMIC)) {
		t = 3;
		text = "read or overwrite files anywhere the platform can";
	} else if (fam == FAM_SECRET && det && wd_str_eq_c(det->family, "cloud")) {
		t = 4;
		text = "access to a cloud account";
	} else if (fam == FAM_SECRET && det && wd_str_eq_c(det->family, "private-key")) {
		t = 4;
		text = "the identity a private key proves";
	}
	wd_buf_puts(&sc->fs.b, text);
	factor_add(&sc->fs, "impact", "technical impact", t);
	return t;
}

/* Returns the criticality 1..4, or 0 when not stated. */
static int score_criticality(scoring *sc)
{
	static const char *const names[] = {"", "low", "moderate", "high", "mission-critical"};
	wd_buf *b = &sc->fs.b;
	int c = sc->af ? sc->af->crit : 0;

	if (c) {
		wd_buf_printf(b, "%s (%d)", names[c], c);
		if (sc->af->crit_src && sc->af->crit_src[0])
			wd_buf_printf(b, " from %.200s", sc->af->crit_src);
	} else {
		wd_buf_puts(b, "not stated in the policy or owners file: treated as moderate (2)");
	}
	factor_add(&sc->fs, "impact", "criticality", c ? c : 2);
	return c;
}

static int score_egress(scoring *sc)
{
	const app_facts *af = sc->af;
	wd_buf *b = &sc->fs.b;
	uint32_t k, shown;
	int counted;

	if (!af || !af->negress) {
		wd_buf_puts(b, af ? "no external destination found" : "file-level: none");
		factor_add(&sc->fs, "impact", "egress", 1);
		return 1;
	}
	shown = af->negress < 2 ? af->negress : 2;
	counted = sc->fi->egress && sc->v.sensitive;
	if (counted) {
		put_classes(b, sc->classes);
		wd_buf_puts(b, " can leave to ");
	} else {
		wd_buf_puts(b, "data goes to ");
	}
	for (k = 0; k < shown; k++) {
		if (k)
			wd_buf_puts(b, " and ");
		wd_risk_put_name(b, sc->cx->egress[af->egress_first + k], "");
	}
	if (af->negress > shown)
		wd_buf_printf(b, " (and %u more)", af->negress - shown);
	if (!counted)
		wd_buf_puts(b, sc->fi->egress ? "; not counted: no sensitive data involved"
		                              : "; not counted for this kind of finding");
	sc->v.egress = &sc->cx->egress[af->egress_first];
	sc->v.negress = af->negress;
	factor_add(&sc->fs, "impact", "egress", counted ? 3 : 2);
	return counted ? 3 : 2;
}

/* Keep v inside [lo, hi]; a factor says so when that changed it. */
static int bound(scoring *sc, const char *side, int v, int lo, int hi, int sev)
{
	int w = v < lo ? lo : v > hi ? hi : v;
	int lik = side[0] == 'l';

	if (w != v) {
		wd_buf_printf(&sc->fs.b, "%s finding: %s from %s to %s",
		              wd_severity_name((wd_severity)sev), w > v ? "raised" : "lowered",
		              lik ? wd_risk_likelihood_name(v) : wd_risk_impact_name(v),
		              lik ? wd_risk_likelihood_name(w) : wd_risk_impact_name(w));
		factor_add(&sc->fs, side, "rule severity", w);
	}
	return w;
}

/* FAIR-lite: the most valuable record class the finding exposes. */
static wd_status estimate_loss(scoring *sc, int l, wd_arena *arena, wd_risk *out)
{
	const wd_risk_ctx *cx = sc->cx;
	wd_buf *b = &sc->fs.b;
	wd_loss_inputs best, li;
	wd_class best_cls = WD_CLASS_NONE;
	const char *cur;
	int k;

	if (!cx->in.loss || sc->v.app == WD_NONE || !sc->classes)
		return WD_OK;
	memset(&best, 0, sizeof(best));
	for (k = WD_CLASS_INTERNAL; k <= WD_CLASS_SECRET; k++) {
		if (!(sc->classes & (1u << k)))
			continue;
		memset(&li, 0, sizeof(li));
		if (!cx->in.loss(cx->in.ud, sc->m, sc->v.app, (wd_class)k, &li) || !loss_ok(&li))
			continue;
		if (best_cls == WD_CLASS_NONE ||
		    li.records * li.per_record_max > best.records * best.per_record_max) {
			best = li;
			best_cls = (wd_class)k;
		}
	}
	if (best_cls == WD_CLASS_NONE)
		return WD_OK;
	cur = best.currency && best.currency[0] ? best.currency : "";
	wd_buf_reset(b);
	wd_buf_puts(b, "Assumes ");
	put_amount(b, best.records);
	wd_buf_printf(b, " records of %s at ", class_phrase(best_cls));
	put_amount(b, best.per_record_min);
	wd_buf_puts(b, " to ");
	put_amount(b, best.per_record_max);
	wd_buf_printf(b, "%s%.16s per record", cur[0] ? " " : "", cur);
	if (best.source && best.source[0])
		wd_buf_printf(b, " (%.200s)", best.source);
	wd_buf_printf(b, ", and %g to %g loss events a year for a finding that is %s; ",
	              freq_band[l].min, freq_band[l].max, wd_risk_likelihood_name(l));
	wd_buf_puts(b, "yearly loss = records x value per record x events per year, a range, "
	               "not a forecast.");
	out->currency = wd_arena_strndup(arena, cur, strnlen(cur, 16));
	out->loss_assumptions = wd_buf_failed(b) ? NULL
	                                         : wd_arena_strndup(arena, wd_buf_cstr(b), b->len);
	wd_buf_reset(b);
	if (!out->currency || !out->loss_assumptions)
		return WD_ENOMEM;
	out->loss_min = best.records * best.per_record_min * freq_band[l].min;
	out->loss_max = best.records * best.per_record_max * freq_band[l].max;
	return WD_OK;
}

wd_status wd_risk_assess(wd_risk_ctx *cx, const wd_finding *f, wd_arena *arena, wd_risk *out)
{
	scoring sc;
	wd_risk_factor *fa;
	int e, x, r, d, t, c, g, l, i, sev;
	wd_status rc = WD_ENOMEM;

	if (!out)
		return WD_EINVAL;
	memset(out, 0, sizeof(*out));
	if (!cx || !f || !arena)
		return WD_EINVAL;
	memset(&sc, 0, sizeof(sc));
	sc.cx = cx;
	sc.m = cx->m;
	wd_buf_init(&sc.fs.b, 4096);
	sc.fs.arena = arena;
	sc.v.m = cx->m;
	sc.v.f = f;
	sc.v.fam = wd_risk_family(f->rule ? f->rule->id : NULL);
	sc.fi = &families[sc.v.fam];
	sc.v.app = f->app < cx->m->napps ? f->app : WD_NONE;
	sc.v.comp = f->comp < cx->m->ncomps ? f->comp : WD_NONE;
	sc.v.entry = WD_NONE;
	sc.v.cred = WD_NONE;
	sc.af = sc.v.app != WD_NONE ? &cx->apps[sc.v.app] : NULL;
	sc.c = sc.v.comp != WD_NONE ? &cx->m->comps[sc.v.comp] : NULL;
	if (sc.v.fam == FAM_SECRET)
		sc.v.det = detection_at(cx, f);
	sev = (int)f->severity < 0 ? 0 : (int)f->severity > 4 ? 4 : (int)f->severity;

	e = score_exposure(&sc);
	x = score_exploitability(&sc);
	r = score_blast_radius(&sc);
	d = score_data(&sc);
	t = score_technical(&sc, f);
	c = score_criticality(&sc);
	g = score_egress(&sc);
	l = bound(&sc, "likelihood", clamp4(e + (x - 2) + (r >= 3)), bounds[sev].lmin,
	          bounds[sev].lmax, sev);
	i = bound(&sc, "impact", clamp4((d > t ? d : t) + (c ? c - 2 : 0) + (g == 3)),
	          bounds[sev].imin, bounds[sev].imax, sev);
	out->likelihood = l;
	out->impact = i;
	out->level = wd_risk_matrix(l, i);

	wd_risk_sentence(&sc.v, &sc.fs.b);
	if (wd_buf_failed(&sc.fs.b) ||
	    !(out->impact_sentence = wd_arena_strndup(arena, wd_buf_cstr(&sc.fs.b), sc.fs.b.len)))
		goto out;
	if (estimate_loss(&sc, l, arena, out) != WD_OK || sc.fs.failed)
		goto out;
	fa = wd_arena_alloc(arena, sc.fs.n * sizeof(*fa) + 1);
	if (!fa)
		goto out;
	memcpy(fa, sc.fs.f, sc.fs.n * sizeof(*fa));
	out->factors = fa;
	out->nfactors = sc.fs.n;
	out->scored = 1;
	rc = WD_OK;
out:
	wd_buf_release(&sc.fs.b);
	if (rc != WD_OK)
		memset(out, 0, sizeof(*out));
	return rc;
}
