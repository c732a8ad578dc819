/*
 * test_model.c - model building rules, URL/target parsing, graph queries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "warden/model.h"

static wd_model *new_model(void)
{
	wd_model *m = NULL;

	assert_int_equal(wd_model_new(&m, "x.json", NULL), WD_OK);
	return m;
}

static uint32_t add_comp(wd_model *m, const char *name)
{
	wd_component c;
	uint32_t idx;

	wd_component_init(m, &c);
	c.name = wd_str_c(name);
	c.id = wd_str_c(name);
	c.type = wd_str_c("t");
	assert_int_equal(wd_model_add_component(m, &c, &idx), WD_OK);
	return idx;
}

static void add_edge(wd_model *m, uint32_t a, uint32_t b, wd_edge_kind k, const char *label)
{
	wd_edge e;

	memset(&e, 0, sizeof(e));
	e.from = a;
	e.to = b;
	e.kind = k;
	e.label = wd_str_c(label);
	e.loc = WD_LOC_NONE;
	assert_int_equal(wd_model_add_edge(m, &e), WD_OK);
}

static void test_contiguity(void **state)
{
	wd_model *m = new_model();
	wd_app a;
	wd_component c;

	(void)state;
	wd_app_init(&a, WD_PLATFORM_N8N);
	assert_int_equal(wd_model_add_app(m, &a, NULL), WD_OK);
	add_comp(m, "a1");
	assert_int_equal(wd_model_add_app(m, &a, NULL), WD_OK);
	add_comp(m, "b1");
	/* a component for the first app after the second began is refused */
	wd_component_init(m, &c);
	c.app = 0;
	assert_int_equal(wd_model_add_component(m, &c, NULL), WD_EINVAL);
	assert_int_equal(m->apps[0].comp_count, 1);
	assert_int_equal(m->apps[1].comp_first, 1);
	assert_int_equal(wd_model_find_by_name(m, 1, wd_str_c("b1")), 1);
	assert_int_equal(wd_model_find_by_name(m, 0, wd_str_c("b1")), WD_NONE);
	/* edges must join existing components */
	{
		wd_edge e;
		memset(&e, 0, sizeof(e));
		e.from = 0;
		e.to = 7;
		assert_int_equal(wd_model_add_edge(m, &e), WD_EINVAL);
	}
	wd_model_free(m);
}

typedef struct url_case {
	const char *url;
	const char *scheme;
	const char *host;
	int port;
	uint32_t flags;
} url_case;

static void test_targets(void **state)
{
	static const url_case cases[] = {
		{"https://api.example.com/v1?x=1", "https", "api.example.com", -1,
		 WD_TARGET_TLS | WD_TARGET_EXTERNAL},
		{"http://api.example.com:8080/", "http", "api.example.com", 8080, WD_TARGET_EXTERNAL},
		{"HTTP://Bob:pw@api.example.com/", "http", "api.example.com", -1,
		 WD_TARGET_EXTERNAL | WD_TARGET_USERINFO},
		{"http://10.0.0.7/x", "http", "10.0.0.7", -1, 0},
		{"http://192.168.1.20:1880", "http", "192.168.1.20", 1880, 0},
		{"http://localhost:5678/webhook", "http", "localhost", 5678, 0},
		{"mqtt://homeassistant:1883", "mqtt", "homeassistant", 1883, 0},
		{"mqtts://broker.example.com:8883", "mqtts", "broker.example.com", 8883,
		 WD_TARGET_TLS | WD_TARGET_EXTERNAL},
		{"={{ $json.url }}", "", "", -1, WD_TARGET_DYNAMIC},
		{"=https://api.example.com/{{ $json.id }}", "https", "api.example.com", -1,
		 WD_TARGET_DYNAMIC | WD_TARGET_TLS | WD_TARGET_EXTERNAL},
		{"https://{{ $env.HOST }}/x", "https", "", -1, WD_TARGET_DYNAMIC | WD_TARGET_TLS},
		{"", "", "", -1, WD_TARGET_DYNAMIC},
		{"http://[::1]:80/", "http", "[::1]", 80, 0},
		{"http://a.example.com:99999/", "http", "a.example.com", -1, WD_TARGET_EXTERNAL},
		{"@{variables('endpoint')}/api", "", "", -1, WD_TARGET_DYNAMIC},
		{"@concat('https://', parameters('h'))", "", "", -1, WD_TARGET_DYNAMIC},
	};
	wd_model *m = new_model();
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const wd_target *t;
		assert_int_equal(wd_model_add_target(m, 0, wd_str_c(cases[i].url), WD_LOC_NONE, 0), WD_OK);
		t = &m->targets[m->ntargets - 1];
		if (!wd_str_eq_c(t->scheme, cases[i].scheme) || !wd_str_eq_c(t->host, cases[i].host) ||
		    t->port != cases[i].port || t->flags != cases[i].flags)
			fail_msg("%s: got scheme '%.*s' host '%.*s' port %d flags %u", cases[i].url,
			         (int)t->scheme.len, t->scheme.ptr, (int)t->host.len, t->host.ptr, t->port,
			         t->flags);
	}
	wd_model_free(m);
}

static void test_reach_and_path(void **state)
{
	wd_model *m = new_model();
	wd_app a;
	uint8_t start[6] = {0}, out[6];
	uint32_t path[8];
	size_t n;

	(void)state;
	wd_app_init(&a, WD_PLATFORM_N8N);
	assert_int_equal(wd_model_add_app(m, &a, NULL), WD_OK);
	add_comp(m, "hook");   /* 0 */
	add_comp(m, "agent");  /* 1 */
	add_comp(m, "tool");   /* 2 */
	add_comp(m, "model");  /* 3 */
	add_comp(m, "loop");   /* 4 */
	add_comp(m, "alone");  /* 5 */
	add_edge(m, 0, 1, WD_EDGE_FLOW, "main");
	add_edge(m, 2, 1, WD_EDGE_AI, "ai_tool");        /* tool is called by the agent */
	add_edge(m, 3, 1, WD_EDGE_AI, "ai_languageModel");
	add_edge(m, 1, 4, WD_EDGE_FLOW, "main");
	add_edge(m, 4, 1, WD_EDGE_FLOW, "main");           /* a cycle */
	add_edge(m, 5, 0, WD_EDGE_CONFIG, "");             /* not a data edge */
	start[0] = 1;
	assert_int_equal(wd_model_reach(m, start, out), WD_OK);
	assert_int_equal(out[0], 1);
	assert_int_equal(out[1], 1);
	assert_int_equal(out[2], 1);
	assert_int_equal(out[3], 0);
	assert_int_equal(out[4], 1);
	assert_int_equal(out[5], 0);
	assert_int_equal(wd_model_path(m, 0, 2, path, 8, &n), WD_OK);
	assert_int_equal(n, 3);
	assert_int_equal(path[0], 0);
	assert_int_equal(path[1], 1);
	assert_int_equal(path[2], 2);
	assert_int_equal(wd_model_path(m, 0, 5, path, 8, &n), WD_ENOTFOUND);
	/* truncated paths keep their start */
	assert_int_equal(wd_model_path(m, 0, 2, path, 2, &n), WD_OK);
	assert_int_equal(n, 2);
	assert_int_equal(path[0], 0);
	wd_model_free(m);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(wd_platform_name(WD_PLATFORM_NODERED), "node-red");
	assert_int_equal(wd_platform_parse(wd_str_c("n8n")), WD_PLATFORM_N8N);
	assert_int_equal(wd_kind_parse(wd_str_c("entry")), WD_KIND_ENTRY);
	assert_string_equal(wd_kind_name(WD_KIND_CODE), "code");
	assert_string_equal(wd_auth_name(WD_AUTH_EXTERNAL), "external");
	assert_string_equal(wd_class_name(WD_CLASS_PII), "pii");
}

static void test_check(void **state)
{
	wd_model *m = new_model();
	wd_app a;
	wd_error err;

	(void)state;
	wd_app_init(&a, WD_PLATFORM_N8N);
	memset(a.hash, 'a', 64);
	assert_int_equal(wd_model_add_app(m, &a, NULL), WD_OK);
	add_comp(m, "x");
	add_comp(m, "y");
	assert_int_equal(wd_model_check(m, &err), WD_OK);
	/* break an invariant by hand: a field on a component that does not exist */
	{
		wd_field f;
		memset(&f, 0, sizeof(f));
		f.comp = 9; /* neither a component nor WD_NONE */
		f.loc = WD_LOC_NONE;
		assert_int_equal(wd_model_add_field(m, &f), WD_OK);
	}
	assert_int_equal(wd_model_check(m, &err), WD_EINVAL);
	assert_non_null(strstr(err.message, "field"));
	wd_model_free(m);
}

static void test_limits(void **state)
{
	wd_limits lim;
	wd_model *m = NULL;

	(void)state;
	memset(&lim, 0, sizeof(lim));
	lim.max_components = 2;
	assert_int_equal(wd_model_new(&m, "x", &lim), WD_OK);
	add_comp(m, "a");
	add_comp(m, "b");
	{
		wd_component c;
		wd_component_init(m, &c);
		assert_int_equal(wd_model_add_component(m, &c, NULL), WD_ELIMIT);
	}
	wd_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_contiguity),
		cmocka_unit_test(test_targets),
		cmocka_unit_test(test_reach_and_path),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
