/*
 * test_detect_secrets.c - the secrets matcher (detect/matcher.c) and its
 * validators (detect/validate.c).
 *
 * The per-family true/false tests are data: every rule of data/secrets.json
 * carries fabricated examples, and for each rule every "true" example must
 * give exactly one hit of that rule inside the example, every "false" example
 * none. An example is a string, or {"key": member name, "text": value}; rules
 * with key_names scan plain-string examples under their first key name.
 * The rest checks the rule set's coverage, the validators, placeholder and
 * expression suppression, overlap resolution, pathological input in bounded
 * time, broken rules files, and one scratch per thread.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pthread.h>

#include <cmocka.h>

#include "warden/detect.h"
#include "warden/json.h"

extern const unsigned char wd_secrets_data[];
extern const size_t wd_secrets_data_len;

#define MAX_HITS 64

typedef struct hits {
	wd_secret_hit h[MAX_HITS];
	size_t n;
} hits;

static int collect(void *ud, const wd_secret_hit *hit)
{
	hits *hs = ud;

	if (hs->n < MAX_HITS)
		hs->h[hs->n++] = *hit;
	return 0;
}

static const wd_detector *det(void)
{
	const wd_detector *d = wd_detector_default();

	assert_non_null(d);
	return d;
}

static wd_detect_scratch *scratch(const wd_detector *d)
{
	wd_detect_scratch *s = NULL;
	wd_error err;

	assert_int_equal(wd_detect_scratch_new(d, &s, &err), WD_OK);
	assert_non_null(s);
	return s;
}

static void scan(wd_detect_scratch *s, const char *text, size_t len, const char *key, hits *out)
{
	memset(out, 0, sizeof(*out));
	assert_int_equal(wd_detect_secrets(det(), s, wd_str_make(text, len), wd_str_c(key ? key : ""),
	                                   collect, out),
	                 WD_OK);
}

static size_t count_rule(const hits *hs, const char *id)
{
	size_t i, n = 0;

	for (i = 0; i < hs->n; i++)
		if (strcmp(hs->h[i].rule_id, id) == 0)
			n++;
	return n;
}

/* ---- the rules file as data --------------------------------------------- */

static wd_json_doc *rules_doc(void)
{
	wd_json_doc *doc = NULL;

	assert_int_equal(wd_json_parse(&doc, (const char *)wd_secrets_data, wd_secrets_data_len, NULL,
	                               NULL),
	                 WD_OK);
	return doc;
}

static const wd_json_val *rules_arr(const wd_json_doc *doc)
{
	const wd_json_val *r = wd_json_get(doc, wd_json_root(doc), "rules");

	assert_true(wd_json_is_arr(r));
	return r;
}

static void cstr(const wd_json_doc *doc, const wd_json_val *v, char *out, size_t cap)
{
	wd_str s = wd_json_str(doc, v);

	snprintf(out, cap, "%.*s", (int)s.len, s.ptr ? s.ptr : "");
}

/* Run every example of every rule; returns the number of failures (each
 * printed). want_true selects the "true" or the "false" list. */
static int run_examples(int want_true)
{
	wd_json_doc *doc = rules_doc();
	const wd_json_val *rules = rules_arr(doc), *r;
	wd_detect_scratch *s = scratch(det());
	size_t i, nex = 0;
	int fails = 0;
	hits *hs = malloc(sizeof(*hs));

	assert_non_null(hs);
	WD_JSON_ARR_FOREACH(rules, i, r)
	{
		char id[128], key0[128] = "";
		const wd_json_val *ex = wd_json_get(doc, wd_json_get(doc, r, "examples"),
		                                    want_true ? "true" : "false");
		const wd_json_val *kn = wd_json_get(doc, r, "key_names"), *e;
		size_t j;

		cstr(doc, wd_json_get(doc, r, "id"), id, sizeof(id));
		if (want_true)
			assert_true(wd_json_size(ex) >= 1);
		if (wd_json_is_arr(kn) && wd_json_size(kn) > 0)
			cstr(doc, wd_json_first(kn), key0, sizeof(key0));
		if (!wd_json_is_arr(ex))
			continue;
		WD_JSON_ARR_FOREACH(ex, j, e)
		{
			wd_str text = wd_json_is_str(e) ? wd_json_str(doc, e) : wd_json_get_str(doc, e, "text");
			char key[128];
			size_t n, k;

			if (wd_json_is_obj(e))
				cstr(doc, wd_json_get(doc, e, "key"), key, sizeof(key));
			else
				snprintf(key, sizeof(key), "%s", key0);
			scan(s, text.ptr, text.len, key, hs);
			nex++;
			n = count_rule(hs, id);
			for (k = 0; k < hs->n; k++)
				assert_true(hs->h[k].start < hs->h[k].end && hs->h[k].end <= text.len);
			if (want_true ? n != 1 : n != 0) {
				fails++;
				fprintf(stderr, "rule %s, %s example %zu (key '%s'): %zu hits of the rule, %zu in all",
				        id, want_true ? "true" : "false", j, key, n, hs->n);
				for (k = 0; k < hs->n; k++)
					fprintf(stderr, " [%s %zu..%zu]", hs->h[k].rule_id, hs->h[k].start,
					        hs->h[k].end);
				fprintf(stderr, "\n");
			}
		}
	}
	print_message("%s examples run: %zu\n", want_true ? "true" : "false", nex);
	free(hs);
	wd_detect_scratch_free(s);
	wd_json_free(doc);
	return fails;
}

static void test_examples_true(void **state)
{
	(void)state;
	assert_int_equal(run_examples(1), 0);
}

static void test_examples_false(void **state)
{
	(void)state;
	assert_int_equal(run_examples(0), 0);
}

/* Every true example holds one of its rule's keywords (the documented
 * anchors of the pattern). */
static void test_keywords_anchor_examples(void **state)
{
	wd_json_doc *doc = rules_doc();
	const wd_json_val *rules = rules_arr(doc), *r;
	size_t i;

	(void)state;
	WD_JSON_ARR_FOREACH(rules, i, r)
	{
		const wd_json_val *kw = wd_json_get(doc, r, "keywords"), *ex, *e, *k;
		size_t j, m;

		assert_true(wd_json_is_arr(kw));
		if (wd_json_size(kw) == 0)
			continue;
		ex = wd_json_get(doc, wd_json_get(doc, r, "examples"), "true");
		WD_JSON_ARR_FOREACH(ex, j, e)
		{
			wd_str text = wd_json_is_str(e) ? wd_json_str(doc, e) : wd_json_get_str(doc, e, "text");
			int found = 0;
			WD_JSON_ARR_FOREACH(kw, m, k)
			{
				char w[64];
				cstr(doc, k, w, sizeof(w));
				if (wd_str_find_ci(text, w) >= 0)
					found = 1;
			}
			if (!found) {
				char id[128];
				cstr(doc, wd_json_get(doc, r, "id"), id, sizeof(id));
				fail_msg("rule %s: true example %zu holds none of its keywords", id, j);
			}
		}
	}
	wd_json_free(doc);
}

static void test_coverage(void **state)
{
	static const char *const families[] = {"cloud", "code-hosting", "chat", "payment", "ai",
	                                       "messaging", "saas", "private-key", "jwt",
	                                       "url-credentials", "basic-auth", "generic"};
	static const char *const providers[] = {
		"AWS", "Google Cloud", "Azure", "GitHub", "GitLab", "Slack", "Discord", "Telegram",
		"Microsoft Teams", "Stripe", "Square", "PayPal", "OpenAI", "Anthropic", "Google AI",
		"Hugging Face", "Groq", "Mistral AI", "Replicate", "Perplexity", "Cohere", "Twilio",
		"SendGrid", "Mailgun", "Mailchimp", "Airtable", "Notion", "HubSpot", "Shopify",
		"Atlassian", "Supabase", "Pinecone", "Zapier", "npm", "Dropbox", "Linear", "Asana",
		"Postman", "DigitalOcean", "Heroku"};
	wd_json_doc *doc = rules_doc();
	const wd_json_val *rules = rules_arr(doc), *r;
	size_t i, j;

	(void)state;
	assert_true(wd_json_size(rules) >= 60);
	assert_int_equal(wd_detector_count(det()), wd_json_size(rules));
	for (j = 0; j < sizeof(families) / sizeof(*families); j++) {
		int found = 0;
		WD_JSON_ARR_FOREACH(rules, i, r)
		if (wd_str_eq_c(wd_json_get_str(doc, r, "family"), families[j]))
			found = 1;
		if (!found)
			fail_msg("no rule of family %s", families[j]);
	}
	for (j = 0; j < sizeof(providers) / sizeof(*providers); j++) {
		int found = 0;
		WD_JSON_ARR_FOREACH(rules, i, r)
		if (wd_str_eq_c(wd_json_get_str(doc, r, "provider"), providers[j]))
			found = 1;
		if (!found)
			fail_msg("no rule for provider %s", providers[j]);
	}
	wd_json_free(doc);
}

/* ---- validators --------------------------------------------------------- */

static void test_entropy(void **state)
{
	(void)state;
	assert_true(wd_entropy(wd_str_c("")) == 0.0);
	assert_true(wd_entropy(wd_str_c("aaaaaaaa")) == 0.0);
	assert_true(wd_entropy(wd_str_c("abcd")) > 1.999 && wd_entropy(wd_str_c("abcd")) < 2.001);
	assert_true(wd_entropy(wd_str_c("0123456789abcdef")) > 3.999);
}

static void test_luhn(void **state)
{
	(void)state;
	assert_true(wd_luhn_ok(wd_str_c("4539148803436467")));
	assert_true(wd_luhn_ok(wd_str_c("4539 1488 0343 6467")));
	assert_true(wd_luhn_ok(wd_str_c("5555-5555-5555-4444")));
	assert_false(wd_luhn_ok(wd_str_c("4539148803436468")));
	assert_false(wd_luhn_ok(wd_str_c("4539x48803436467")));
	assert_false(wd_luhn_ok(wd_str_c("0")));
	assert_false(wd_luhn_ok(wd_str_c("")));
}

static void test_iban(void **state)
{
	(void)state;
	assert_true(wd_iban_ok(wd_str_c("GB82 WEST 1234 5698 7654 32")));
	assert_true(wd_iban_ok(wd_str_c("DE89370400440532013000")));
	assert_true(wd_iban_ok(wd_str_c("FR1420041010050500013M02606")));
	assert_false(wd_iban_ok(wd_str_c("GB82 WEST 1234 5698 7654 33")));
	assert_false(wd_iban_ok(wd_str_c("DE89-3704-0044-0532-0130-00")));
	assert_false(wd_iban_ok(wd_str_c("12GB370400440532013000")));
	assert_false(wd_iban_ok(wd_str_c("")));
}

/* The test's own CRC32 and base62, independent of validate.c. */
static uint32_t test_crc32(const char *p, size_t n)
{
	uint32_t table[256], c;
	size_t i;
	int k;

	for (i = 0; i < 256; i++) {
		c = (uint32_t)i;
		for (k = 0; k < 8; k++)
			c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		table[i] = c;
	}
	c = 0xFFFFFFFFu;
	for (i = 0; i < n; i++)
		c = table[(c ^ (unsigned char)p[i]) & 0xFF] ^ (c >> 8);
	return c ^ 0xFFFFFFFFu;
}

static void make_github_token(const char *prefix, const char *body30, char out[41])
{
	static const char b62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	uint32_t crc = test_crc32(body30, 30);
	int i;

	memcpy(out, prefix, 4);
	memcpy(out + 4, body30, 30);
	for (i = 5; i >= 0; i--) {
		out[34 + i] = b62[crc % 62];
		crc /= 62;
	}
	out[40] = '\0';
}

static void test_github_checksum(void **state)
{
	char tok[41];
	hits hs;
	wd_detect_scratch *s = scratch(det());

	(void)state;
	make_github_token("ghp_", "Zq8EXAMPLE1111w3TvR9kLmN2pQ7xY", tok);
	assert_true(wd_github_token_ok(wd_str_c(tok)));
	scan(s, tok, strlen(tok), "", &hs);
	assert_int_equal(hs.n, 1);
	assert_string_equal(hs.h[0].rule_id, "github-pat");
	make_github_token("ghs_", "0000000000aaaaaaaaaaZZZZZZZZZ1", tok);
	assert_true(wd_github_token_ok(wd_str_c(tok)));
	tok[39] = tok[39] == 'A' ? 'B' : 'A';
	assert_false(wd_github_token_ok(wd_str_c(tok)));
	scan(s, tok, strlen(tok), "", &hs);
	assert_int_equal(count_rule(&hs, "github-server-to-server-token"), 0);
	make_github_token("ghx_", "Zq8EXAMPLE1111w3TvR9kLmN2pQ7xY", tok);
	assert_false(wd_github_token_ok(wd_str_c(tok)));
	assert_false(wd_github_token_ok(wd_str_c("ghp_short")));
	wd_detect_scratch_free(s);
}

static void test_jwt(void **state)
{
	/* {"alg":"HS256","typ":"JWT"} . {"sub":"1111","name":"Example"} . sig */
	const char *good = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMTExIiwibmFtZSI6IkV4YW1wbGUifQ."
	                   "c2lnbmF0dXJlLWV4YW1wbGUtMTExMS1hYmNkZWZnaGlqa2xtbm9w";
	/* header {"typ":"JWT"}: no alg */
	const char *no_alg = "eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiIxMTExIiwibmFtZSI6IkV4YW1wbGUifQ."
	                     "c2lnbmF0dXJlLWV4YW1wbGUtMTExMS1hYmNkZWZnaGlqa2xtbm9w";
	/* header is not JSON */
	const char *not_json = "eyJub3QganNvbg.eyJzdWIiOiIxMTExIiwibmFtZSI6IkV4YW1wbGUifQ.c2lnbmF0dXJl";
	/* claims not JSON */
	const char *bad_claims = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJub3QganNvbg.c2lnbmF0dXJl";

	(void)state;
	assert_true(wd_jwt_ok(wd_str_c(good)));
	assert_false(wd_jwt_ok(wd_str_c(no_alg)));
	assert_false(wd_jwt_ok(wd_str_c(not_json)));
	assert_false(wd_jwt_ok(wd_str_c(bad_claims)));
	assert_false(wd_jwt_ok(wd_str_c("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMTExIn0")));
	assert_false(wd_jwt_ok(wd_str_c("a.b.c")));
	assert_false(wd_jwt_ok(wd_str_c("")));
}

static void test_placeholders(void **state)
{
	static const char *const yes[] = {
		"YOUR_API_KEY", "your-token-here", "xxxxxxxxxxxxxxxx", "<token>", "[Your key]",
		"changeme", "dummy-secret-123", "example_key_123", "sk-...", "****************",
		"null", "undefined", "MY_API_KEY", "my_api_key", "apiKey", "={{ $env.OPENAI_API_KEY }}",
		"{{connection.apiKey}}", "${OPENAI_KEY}", "$API_KEY", "%API_KEY%", "@{parameters('k')}",
		"@parameters('apiKey')", "@appsetting('x')", "[parameters('apiKey')]",
		"{{ $credentials.token }}", "process.env.TOKEN", "AKIAIOSFODNN7EXAMPLE",
		"Schl\xc3\xbcssel hier eintragen", "00000000000000000000", "api-key-goes-here", ""};
	static const char *const no[] = {"Tr0ub4dor&3x!", "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
	                                 "kX7!qLp2#vRm9z", "d8FqEXAMPLE2LmZ7wPx9Kc",
	                                 "ghp_Zq8EXAMPLE1111w3TvR9kLmN2pQ7xY000000"};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(yes) / sizeof(*yes); i++)
		if (!wd_placeholder(wd_str_c(yes[i])))
			fail_msg("not seen as a placeholder: %s", yes[i]);
	for (i = 0; i < sizeof(no) / sizeof(*no); i++)
		if (wd_placeholder(wd_str_c(no[i])))
			fail_msg("seen as a placeholder: %s", no[i]);
}

/* ---- scanning behaviour -------------------------------------------------- */

static void test_expressions_suppressed(void **state)
{
	static const struct {
		const char *key, *text;
	} cases[] = {
		{"apiKey", "={{ $env.OPENAI_API_KEY }}"},
		{"Authorization", "Bearer YOUR_TOKEN"},
		{"Authorization", "=Bearer {{ $json.access_token }}"},
		{"apiKey", "sk-..."},
		{"token", "<token>"},
		{"apiKey", "@appsetting('x')"},
		{"apiKey", "@parameters('openAiKey')"},
		{"password", "[parameters('adminPassword')]"},
		{"password", "${DB_PASSWORD}"},
		{"x-api-key", "{{connection.apiKey}}"},
		{"token", "={{ $credentials.token }}"},
		{"", "const key = process.env.OPENAI_API_KEY;"},
		{"Authorization", "Basic {{ $json.basic }}"},
		{"url", "postgres://user:{{ $env.PG_PASSWORD }}@db:5432/app"},
	};
	wd_detect_scratch *s = scratch(det());
	hits hs;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		scan(s, cases[i].text, strlen(cases[i].text), cases[i].key, &hs);
		if (hs.n)
			fail_msg("'%s' (key %s) gave %zu hits, first %s", cases[i].text, cases[i].key, hs.n,
			         hs.h[0].rule_id);
	}
	wd_detect_scratch_free(s);
}

static void test_key_context(void **state)
{
	const char *pw = "Tr0ub4dor&3x!";
	wd_detect_scratch *s = scratch(det());
	hits hs;

	(void)state;
	scan(s, pw, strlen(pw), "password", &hs);
	assert_int_equal(count_rule(&hs, "generic-password"), 1);
	assert_int_equal(hs.h[0].start, 0);
	assert_int_equal(hs.h[0].end, strlen(pw));
	scan(s, pw, strlen(pw), "DB_PASSWORD", &hs);
	assert_int_equal(count_rule(&hs, "generic-password"), 1);
	scan(s, pw, strlen(pw), "", &hs);
	assert_int_equal(hs.n, 0);
	scan(s, pw, strlen(pw), "description", &hs);
	assert_int_equal(hs.n, 0);
	wd_detect_scratch_free(s);
}

/* secret_after / secret_before / secret_quoted: the span is the secret alone */
static void test_secret_spans(void **state)
{
	static const struct {
		const char *key, *text, *rule, *secret;
	} cases[] = {
		{"jsCode", "const apiKey = \"k3R9xEXAMPLE2mQ7vL4pZ8wN1\";", "generic-assignment",
		 "k3R9xEXAMPLE2mQ7vL4pZ8wN1"},
		{"", "x = {'password': 'Zr7!EXAMPLEk2q'}, y = {'secret': 'Qm4EXAMPLEz9Lp2w'}",
		 "generic-assignment", "Zr7!EXAMPLEk2q"},
		{"url", "postgres://app_user:Q7vEXAMPLEx9Lk2@db.example.com:5432/app",
		 "database-connection-string", "Q7vEXAMPLEx9Lk2"},
		{"Authorization", "Bearer Zk3EXAMPLE9Lmq2Wx7Pv4Rt8", "generic-bearer-token",
		 "Zk3EXAMPLE9Lmq2Wx7Pv4Rt8"},
		{"Authorization", "Token 0a1b2c3d4e5fEXAMPLE6a7b8c9d0e1f2a3b4c5d", "generic-authorization",
		 "0a1b2c3d4e5fEXAMPLE6a7b8c9d0e1f2a3b4c5d"},
	};
	wd_detect_scratch *s = scratch(det());
	hits hs;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		scan(s, cases[i].text, strlen(cases[i].text), cases[i].key, &hs);
		assert_true(hs.n >= 1);
		assert_string_equal(hs.h[0].rule_id, cases[i].rule);
		assert_int_equal(hs.h[0].end - hs.h[0].start, strlen(cases[i].secret));
		assert_memory_equal(cases[i].text + hs.h[0].start, cases[i].secret,
		                    strlen(cases[i].secret));
	}
	/* two assignments in one code literal: two hits */
	scan(s, cases[1].text, strlen(cases[1].text), "", &hs);
	assert_int_equal(count_rule(&hs, "generic-assignment"), 2);
	wd_detect_scratch_free(s);
}

static void test_overlap_provider_wins(void **state)
{
	char tok[41], text[128];
	wd_detect_scratch *s = scratch(det());
	hits hs;

	(void)state;
	make_github_token("ghp_", "Zq8EXAMPLE1111w3TvR9kLmN2pQ7xY", tok);
	snprintf(text, sizeof(text), "Authorization: Bearer %s", tok);
	scan(s, text, strlen(text), "", &hs);
	assert_int_equal(hs.n, 1);
	assert_string_equal(hs.h[0].rule_id, "github-pat");
	assert_string_equal(hs.h[0].provider, "GitHub");
	assert_string_equal(hs.h[0].family, "code-hosting");
	assert_int_equal(hs.h[0].start, strlen("Authorization: Bearer "));
	assert_int_equal(hs.h[0].end, strlen(text));
	/* the header value under its own name: still one hit, still GitHub */
	snprintf(text, sizeof(text), "Bearer %s", tok);
	scan(s, text, strlen(text), "Authorization", &hs);
	assert_int_equal(hs.n, 1);
	assert_string_equal(hs.h[0].rule_id, "github-pat");
	/* a token under a generic key name: the provider rule, once */
	scan(s, tok, strlen(tok), "api_token", &hs);
	assert_int_equal(hs.n, 1);
	assert_string_equal(hs.h[0].rule_id, "github-pat");
	wd_detect_scratch_free(s);
}

static void test_several_in_text_order(void **state)
{
	const char *text = "const a = 'sk_live_4eC39HqLyjWDarjtEXAMPLE1'; // and SG.ab1EXAMPLEcd2ef3gh4ij5."
	                   "Lm6no7pq8rs9tu0vw1xy2zA3BC4DE5EXAMPLEfg6hi7";
	wd_detect_scratch *s = scratch(det());
	hits hs;

	(void)state;
	scan(s, text, strlen(text), "jsCode", &hs);
	assert_int_equal(hs.n, 2);
	assert_string_equal(hs.h[0].rule_id, "stripe-secret-key");
	assert_string_equal(hs.h[1].rule_id, "sendgrid-api-key");
	assert_true(hs.h[0].end <= hs.h[1].start);
	wd_detect_scratch_free(s);
}

static int stop_first(void *ud, const wd_secret_hit *hit)
{
	(void)hit;
	(*(int *)ud)++;
	return 1;
}

static void test_callback_stops(void **state)
{
	const char *text = "sk_live_4eC39HqLyjWDarjtEXAMPLE1 sk_live_9zX18HqLyjWDarjtEXAMPLE2";
	wd_detect_scratch *s = scratch(det());
	int calls = 0;

	(void)state;
	assert_int_equal(wd_detect_secrets(det(), s, wd_str_c(text), WD_STR_NULL, stop_first, &calls),
	                 WD_OK);
	assert_int_equal(calls, 1);
	wd_detect_scratch_free(s);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int check_span(void *ud, const wd_secret_hit *hit)
{
	size_t len = *(size_t *)ud;

	assert_true(hit->start < hit->end && hit->end <= len);
	return 0;
}

static void scan_timed(wd_detect_scratch *s, const char *what, const char *text, size_t len,
                       const char *key)
{
	double t0 = now(), dt;

	assert_int_equal(wd_detect_secrets(det(), s, wd_str_make(text, len), wd_str_c(key), check_span,
	                                   &len),
	                 WD_OK);
	dt = now() - t0;
	print_message("%s: %zu bytes in %.3f s\n", what, len, dt);
	assert_true(dt < 20.0); /* generous for sanitizer builds; ~0.05 s optimised */
}

static void test_pathological(void **state)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t n = (size_t)10 << 20, i;
	char *buf = malloc(n);
	uint32_t x = 12345;
	wd_detect_scratch *s = scratch(det());

	(void)state;
	assert_non_null(buf);
	for (i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = b64[(x >> 16) & 63];
	}
	scan_timed(s, "10 MB base64", buf, n, "token");
	/* prefixes everywhere: every window starts like a token */
	for (i = 0; i + 4 <= n; i += 4)
		memcpy(buf + i, i % 8 ? "eyJ." : "ghp_", 4);
	scan_timed(s, "10 MB of token prefixes", buf, n, "apiKey");
	memset(buf, 'A', n);
	scan_timed(s, "10 MB of one letter", buf, n, "password");
	for (i = 0; i < n; i++)
		buf[i] = (char)(i % 7 == 0 ? 0 : (i % 5 == 0 ? 0xff : 'k'));
	scan_timed(s, "NUL bytes and invalid UTF-8", buf, n, "secret");
	memcpy(buf, "Bearer ", 7);
	for (i = 7; i < n; i++)
		buf[i] = (char)('a' + (i % 26));
	scan_timed(s, "one 10 MB bearer token", buf, n, "Authorization");
	memcpy(buf, "-----BEGIN PRIVATE KEY-----\n", 28);
	for (i = 28; i < n; i++)
		buf[i] = i % 65 == 64 ? '\n' : b64[(i * 7) % 64];
	scan_timed(s, "10 MB private key without END", buf, n, "");
	scan_timed(s, "empty", "", 0, "");
	free(buf);
	wd_detect_scratch_free(s);
}

static void test_nul_inside(void **state)
{
	const char text[] = "x\0y sk_live_4eC39HqLyjWDarjtEXAMPLE1\0\xff\xfe";
	wd_detect_scratch *s = scratch(det());
	hits hs;

	(void)state;
	scan(s, text, sizeof(text) - 1, "", &hs);
	assert_int_equal(hs.n, 1);
	assert_string_equal(hs.h[0].rule_id, "stripe-secret-key");
	assert_int_equal(hs.h[0].start, 4);
	wd_detect_scratch_free(s);
}

/* ---- broken rules files ------------------------------------------------------ */

static void expect_error(const char *json, const char *needle)
{
	wd_detector *d = (wd_detector *)1;
	wd_error err;

	wd_error_clear(&err);
	assert_int_not_equal(wd_detector_new(&d, json, strlen(json), &err), WD_OK);
	assert_null(d);
	if (!strstr(err.message, needle))
		fail_msg("error '%s' does not name '%s'", err.message, needle);
}

static void test_broken_rules(void **state)
{
	wd_detector *d = NULL;
	wd_detect_scratch *s = NULL;
	wd_error err;
	const char *good = "{\"version\":1,\"rules\":[{\"id\":\"t-one\",\"family\":\"generic\","
	                   "\"pattern\":\"tok_[a-z]{8}\",\"keywords\":[\"tok_\"]}]}";

	(void)state;
	expect_error("{\"version\":1,\"rules\":[", "");
	expect_error("{\"version\":2,\"rules\":[]}", "version");
	expect_error("{\"version\":1,\"rules\":[{\"id\":\"ok-rule\",\"family\":\"cloud\",\"pattern\":\"abc\"},"
	             "{\"id\":\"bad-paren\",\"family\":\"cloud\",\"pattern\":\"(abc\"}]}",
	             "bad-paren");
	expect_error("{\"version\":1,\"rules\":[{\"id\":\"backref\",\"family\":\"cloud\","
	             "\"pattern\":\"(a)\\\\1\"}]}",
	             "backref");
	expect_error("{\"version\":1,\"rules\":[{\"id\":\"fam\",\"family\":\"weather\",\"pattern\":\"a\"}]}",
	             "fam");
	expect_error("{\"version\":1,\"rules\":[{\"id\":\"val\",\"family\":\"ai\",\"pattern\":\"a\","
	             "\"validator\":\"magic\"}]}",
	             "val");
	expect_error("{\"version\":1,\"rules\":[{\"id\":\"dup\",\"family\":\"ai\",\"pattern\":\"a\"},"
	             "{\"id\":\"dup\",\"family\":\"ai\",\"pattern\":\"b\"}]}",
	             "dup");
	expect_error("{\"version\":1,\"rules\":[{\"id\":\"conf\",\"family\":\"ai\",\"pattern\":\"a\","
	             "\"confidence\":101}]}",
	             "conf");
	expect_error("{\"version\":1,\"rules\":[{\"family\":\"ai\",\"pattern\":\"a\"}]}", "id");

	assert_int_equal(wd_detector_new(&d, good, strlen(good), &err), WD_OK);
	assert_int_equal(wd_detector_count(d), 1);
	assert_int_equal(wd_detect_scratch_new(d, &s, &err), WD_OK);
	/* a scratch belongs to its detector */
	assert_int_equal(wd_detect_secrets(det(), s, wd_str_c("x"), WD_STR_NULL, collect, NULL),
	                 WD_EINVAL);
	wd_detect_scratch_free(s);
	wd_detector_free(d);
	wd_detector_free(NULL);
	wd_detect_scratch_free(NULL);
	assert_int_not_equal(wd_detect_scratch_new(NULL, &s, &err), WD_OK);
}

/* ---- threads -------------------------------------------------------------- */

typedef struct worker {
	size_t found;
	int rc;
} worker;

static void *work(void *arg)
{
	const char *text = "x = 'sk_live_4eC39HqLyjWDarjtEXAMPLE1'; y = \"xoxb-111122223333-4444555566667-"
	                   "Ab1Cd2Ef3Gh4EXAMPLEIj5Kl6\"";
	worker *w = arg;
	wd_detect_scratch *s = NULL;
	hits hs;
	int i;

	w->rc = wd_detect_scratch_new(det(), &s, NULL);
	for (i = 0; i < 2000 && w->rc == WD_OK; i++) {
		hs.n = 0;
		w->rc = wd_detect_secrets(det(), s, wd_str_c(text), wd_str_c("jsCode"), collect, &hs);
		w->found += hs.n;
	}
	wd_detect_scratch_free(s);
	return NULL;
}

static void test_scratch_per_thread(void **state)
{
	pthread_t t[4];
	worker w[4];
	int i;

	(void)state;
	memset(w, 0, sizeof(w));
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, work, &w[i]), 0);
	for (i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(w[i].rc, WD_OK);
		assert_int_equal(w[i].found, 2 * 2000);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_coverage),
		cmocka_unit_test(test_examples_true),
		cmocka_unit_test(test_examples_false),
		cmocka_unit_test(test_keywords_anchor_examples),
		cmocka_unit_test(test_entropy),
		cmocka_unit_test(test_luhn),
		cmocka_unit_test(test_iban),
		cmocka_unit_test(test_github_checksum),
		cmocka_unit_test(test_jwt),
		cmocka_unit_test(test_placeholders),
		cmocka_unit_test(test_expressions_suppressed),
		cmocka_unit_test(test_key_context),
		cmocka_unit_test(test_secret_spans),
		cmocka_unit_test(test_overlap_provider_wins),
		cmocka_unit_test(test_several_in_text_order),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_pathological),
		cmocka_unit_test(test_nul_inside),
		cmocka_unit_test(test_broken_rules),
		cmocka_unit_test(test_scratch_per_thread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
