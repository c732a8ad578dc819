/*
 * fuzz_policy.c - libFuzzer target for the policy library (warden/policy.h).
 *
 * For each input:
 *   1. Load it as a policy file, an owners file and a suppressions file. A
 *      rejection must be a known status with a message and (for format and
 *      parse errors) a position, and must leave the policy empty: nothing is
 *      partly applied.
 *   2. When a policy loads, review two fixed models (an n8n workflow and a
 *      Power Automate flow that touch every check) with it: the review must
 *      succeed, keep every finding's rule and severity valid and its
 *      fingerprint 32 hex digits, and the questions other stages ask
 *      (environment, rule switch, owner, criticality, loss inputs) must
 *      answer without crashing.
 *   3. Loaded suppressions are matched against a few findings' fields.
 *   4. The glob matcher and the path matcher on the input split at its first
 *      newline (pattern, text), both cases.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "warden/import.h"
#include "warden/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond, ...)                                                                     \
	do {                                                                                 \
		if (!(cond)) {                                                               \
			fprintf(stderr, "fuzz_policy: %s:%d: check failed: %s: ", __FILE__,   \
			        __LINE__, #cond);                                            \
			fprintf(stderr, __VA_ARGS__);                                        \
			fputc('\n', stderr);                                                 \
			abort();                                                             \
		}                                                                            \
	} while (0)

#define NODE(id, name, type, params)                                                         \
	"{\"id\":\"" id "\",\"name\":\"" name "\",\"type\":\"" type                              \
	"\",\"typeVersion\":1,\"position\":[0,0],\"parameters\":{" params "}}"

static const char n8n_json[] =
	"{\"name\":\"PROD intake\",\"id\":\"W1\",\"active\":true,\"nodes\":["
	NODE("f", "Apply", "n8n-nodes-base.formTrigger",
	     "\"formFields\":{\"values\":[{\"fieldLabel\":\"email\"}]}") ","
	NODE("k", "Post", "n8n-nodes-base.slack", "\"text\":\"={{ $json.email }}\"") ","
	NODE("x", "Tweet", "n8n-nodes-base.twitter", "\"text\":\"hi\"") ","
	NODE("p", "Rows", "n8n-nodes-base.postgres", "\"operation\":\"select\"") ","
	NODE("e", "Up", "n8n-nodes-base.executeCommand", "\"command\":\"uptime\"") ","
	NODE("r", "Paste", "n8n-nodes-base.httpRequest", "\"url\":\"https://pastebin.com/api\"") ","
	NODE("d", "Fetch", "n8n-nodes-base.httpRequest", "\"url\":\"={{ $json.u }}\"") ","
	NODE("a", "Agent", "@n8n/n8n-nodes-langchain.agent", "\"text\":\"={{ $json.email }}\"") ","
	NODE("m", "Model", "@n8n/n8n-nodes-langchain.lmChatOpenAi", "")
	"],\"connections\":{"
	"\"Apply\":{\"main\":[[{\"node\":\"Post\",\"type\":\"main\",\"index\":0},"
	"{\"node\":\"Tweet\",\"type\":\"main\",\"index\":0},"
	"{\"node\":\"Agent\",\"type\":\"main\",\"index\":0},"
	"{\"node\":\"Fetch\",\"type\":\"main\",\"index\":0}]]},"
	"\"Model\":{\"ai_languageModel\":"
	"[[{\"node\":\"Agent\",\"type\":\"ai_languageModel\",\"index\":0}]]}"
	"},\"settings\":{\"callerPolicy\":\"workflowsFromAList\",\"executionTimeout\":9000}}";

static const char pa_json[] =
	"{\"triggers\":{\"t\":{\"type\":\"Recurrence\"}},\"actions\":{"
	"\"Get items\":{\"type\":\"OpenApiConnection\",\"inputs\":{\"host\":{\"apiId\":"
	"\"/providers/Microsoft.PowerApps/apis/shared_sharepointonline\",\"connectionName\":"
	"\"shared_sharepointonline\",\"operationId\":\"GetItems\"}},\"runAfter\":{}},"
	"\"Save file\":{\"type\":\"OpenApiConnection\",\"inputs\":{\"host\":{\"apiId\":"
	"\"/providers/Microsoft.PowerApps/apis/shared_dropbox\",\"connectionName\":\"shared_dropbox\","
	"\"operationId\":\"CreateFile\"}},\"runAfter\":{\"Get items\":[\"Succeeded\"]}},"
	"\"Call\":{\"type\":\"Http\",\"inputs\":{\"method\":\"POST\",\"uri\":"
	"\"@{variables('u')}/x\"},\"runAfter\":{\"Save file\":[\"Succeeded\"]}}}}";

static wd_model *models[2];

static wd_model *load_model(const char *path, const char *json)
{
	wd_model *m = NULL;
	wd_import_opts opts;
	wd_error err;
	char *copy = strdup(json);

	memset(&opts, 0, sizeof(opts));
	CHECK(copy != NULL, "oom");
	CHECK(wd_import_buffer(&m, path, copy, strlen(json), &opts, NULL, &err) == WD_OK,
	      "fixed model %s: %s", path, err.message);
	return m;
}

static void init_models(void)
{
	if (models[0])
		return;
	models[0] = load_model("exports/prod/intake.json", n8n_json);
	models[1] = load_model("exports/dev/flow.json", pa_json);
}

static int empty(const wd_policy *p)
{
	wd_policy_stats st;
	size_t n;

	wd_policy_stats_get(p, &st);
	wd_policy_suppressions(p, &n);
	return st.files == 0 && st.owner_rules == 0 && st.suppressions == 0 && n == 0 &&
	       st.environments == 0 && !wd_policy_has_owners(p);
}

static void check_rejection(wd_status rc, const wd_error *err, const wd_policy *p)
{
	CHECK(rc == WD_EPARSE || rc == WD_EFORMAT || rc == WD_ELIMIT || rc == WD_ENOMEM,
	      "status %d", (int)rc);
	CHECK(err->message[0] != '\0', "empty message");
	CHECK(strlen(err->message) < sizeof(err->message), "message not terminated");
	if (rc != WD_ENOMEM)
		CHECK(err->line >= 1 && err->column >= 1, "error without a position: %s",
		      err->message);
	CHECK(empty(p), "a rejected file changed the policy");
}

static void review_models(const wd_policy *p)
{
	size_t k, i;

	for (k = 0; k < 2; k++) {
		const wd_model *m = models[k];
		wd_findings f;
		wd_loss_inputs li;
		const char *src;
		int sev = WD_SEV_LOW, c;

		wd_findings_init(&f);
		CHECK(wd_rules_run(m, &f) == WD_OK, "rules");
		CHECK(wd_policy_review(p, m, &f) == WD_OK, "review failed");
		for (i = 0; i < f.n; i++) {
			const wd_finding *x = &f.items[i];
			CHECK(x->rule && wd_rules_find(x->rule->id) == x->rule, "unknown rule");
			CHECK((unsigned)x->severity <= WD_SEV_CRITICAL, "severity %d", (int)x->severity);
			CHECK(strlen(x->fingerprint) == 32, "fingerprint");
			CHECK(x->message && x->evidence, "message");
		}
		wd_findings_release(&f);
		(void)wd_policy_environment(p, m, 0);
		(void)wd_policy_rule_enabled(p, "WD-CODE-001", m, 0, &sev);
		CHECK((unsigned)sev <= WD_SEV_CRITICAL, "rule severity %d", sev);
		for (i = 0; i < m->ncomps; i++)
			(void)wd_policy_owner(p, m, 0, (uint32_t)i);
		(void)wd_policy_owner(p, m, 0, WD_NONE);
		c = wd_policy_criticality(p, m, 0, &src);
		CHECK(c >= 0 && c <= 4 && (c == 0 || src), "criticality %d", c);
		for (c = WD_CLASS_NONE; c <= WD_CLASS_SECRET; c++)
			if (wd_policy_loss_inputs(p, m, 0, (wd_class)c, &li))
				CHECK(li.per_record_min <= li.per_record_max && li.records >= 0 && li.currency,
				      "loss inputs");
	}
}

static void match_suppressions(const wd_policy *p)
{
	size_t n, i;
	const wd_suppression *s = wd_policy_suppressions(p, &n);

	for (i = 0; i < n; i++) {
		CHECK(s[i].source && (s[i].fingerprint || s[i].rule || s[i].app || s[i].path ||
		                      s[i].component),
		      "suppression without a target");
		CHECK(s[i].expires >= -1, "expiry");
		(void)wd_suppression_match(&s[i], "5f2b9c0e4d1a3b7c8e9f0a1b2c3d4e5f", "WD-CODE-001",
		                           "PROD intake", "W1", "exports/prod/intake.json", "Run", "c");
		(void)wd_suppression_match(&s[i], NULL, NULL, NULL, NULL, NULL, NULL, NULL);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	wd_policy *p = NULL;
	wd_error err;
	wd_status rc;
	int kind;

	init_models();
	for (kind = 0; kind < 3; kind++) {
		CHECK(wd_policy_new(&p) == WD_OK, "oom");
		memset(&err, 0, sizeof(err));
		if (kind == 0)
			rc = wd_policy_add_buffer(p, "fuzz.yaml", text, size, &err);
		else if (kind == 1)
			rc = wd_policy_add_owners_buffer(p, "fuzz.yaml", text, size, &err);
		else
			rc = wd_policy_add_suppressions_buffer(p, "fuzz.yaml", text, size, &err);
		if (rc != WD_OK) {
			check_rejection(rc, &err, p);
		} else {
			review_models(p);
			match_suppressions(p);
			/* the same file again, without an error record */
			(void)wd_policy_add_buffer(p, "again.yaml", text, size, NULL);
		}
		wd_policy_free(p);
	}

	/* the matchers on (pattern, text) */
	{
		const char *nl = memchr(text, '\n', size);
		size_t plen = nl ? (size_t)(nl - text) : size;
		char *pat = malloc(plen + 1), *s;
		size_t slen = nl ? size - plen - 1 : 0;
		if (!pat)
			return 0;
		memcpy(pat, text, plen);
		pat[plen] = '\0';
		s = malloc(slen + 1);
		if (s) {
			memcpy(s, nl ? nl + 1 : "", slen);
			s[slen] = '\0';
			(void)wd_glob_match(pat, s, slen, 0);
			(void)wd_glob_match(pat, s, slen, 1);
			/* a pattern without wildcards matches exactly itself */
			if (!strchr(pat, '*') && !strchr(pat, '?'))
				CHECK(wd_glob_match(pat, pat, strlen(pat), 0), "literal");
			/* "**" matches everything */
			CHECK(wd_glob_match("**", s, slen, 0), "double star");
			(void)wd_policy_match_path(pat, s);
			free(s);
		}
		free(pat);
	}
	return 0;
}
