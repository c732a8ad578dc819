/*
 * test_import_nodered.c - the Node-RED flow importer.
 *
 * Small inline flows, each written to a file in a private temporary folder
 * (the file name matters: selected-node exports are named after it, and
 * flows_cred.json is found beside it), then imported and finished. One test
 * per mapping rule; then the whole shared corpus, where every node must be
 * accounted for as an app, a note or a component, counted independently
 * from the JSON.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#ifdef WARDEN_HAVE_JANSSON
#include <jansson.h>
#endif

#include "warden/import.h"
#include "warden/model.h"

/* ---- helpers ------------------------------------------------------------- */

static char g_dir[256];

static int setup_dir(void **state)
{
	(void)state;
	snprintf(g_dir, sizeof(g_dir), "/tmp/wd-nodered-XXXXXX");
	return mkdtemp(g_dir) ? 0 : -1;
}

static void rm_rf(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[512];

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

static int teardown_dir(void **state)
{
	(void)state;
	rm_rf(g_dir);
	return 0;
}

static void write_file(const char *name, const char *text)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", g_dir, name);
	f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	fclose(f);
}

/* Import path as Node-RED (no detection), finish, and return the model. */
static wd_status import_path(const char *path, int companions, wd_model **out, wd_error *err)
{
	wd_import_opts opts;
	wd_json_doc *doc = NULL;
	wd_model *m = NULL;
	uint32_t di;
	wd_status rc;

	memset(&opts, 0, sizeof(opts));
	opts.load_companions = companions;
	wd_limits_resolve(&opts.limits);
	*out = NULL;
	rc = wd_json_parse_file(&doc, path, &opts.limits, err);
	if (rc)
		return rc;
	rc = wd_model_new(&m, path, &opts.limits);
	if (rc) {
		wd_json_free(doc);
		return rc;
	}
	rc = wd_model_add_doc(m, path, doc, &di);
	if (!rc)
		rc = wd_import_nodered(m, di, &opts, err);
	if (!rc)
		rc = wd_model_finish(m);
	if (rc) {
		wd_model_free(m);
		return rc;
	}
	*out = m;
	return WD_OK;
}

/* Write text as name in the temp folder and import it; must succeed. */
static wd_model *import_text(const char *name, const char *text, int companions)
{
	char p[512];
	wd_model *m = NULL;
	wd_error err;

	write_file(name, text);
	snprintf(p, sizeof(p), "%s/%s", g_dir, name);
	memset(&err, 0, sizeof(err));
	if (import_path(p, companions, &m, &err) != WD_OK)
		fail_msg("import of %s failed: %s", name, err.message);
	return m;
}

static uint32_t comp(const wd_model *m, const char *id)
{
	size_t i;

	for (i = 0; i < m->ncomps; i++)
		if (wd_str_eq_c(m->comps[i].id, id))
			return (uint32_t)i;
	fail_msg("no component %s", id);
	return WD_NONE;
}

static size_t count_edges(const wd_model *m, const char *from, const char *to, wd_edge_kind k)
{
	size_t i, n = 0;

	for (i = 0; i < m->nedges; i++)
		if (m->edges[i].kind == k && wd_str_eq_c(m->comps[m->edges[i].from].id, from) &&
		    wd_str_eq_c(m->comps[m->edges[i].to].id, to))
			n++;
	return n;
}

static const wd_target *target_of(const wd_model *m, uint32_t c)
{
	size_t i;

	for (i = 0; i < m->ntargets; i++)
		if (m->targets[i].comp == c)
			return &m->targets[i];
	return NULL;
}

static int has_ref(const wd_model *m, uint32_t c, wd_ref_kind k, const char *path)
{
	size_t i;

	for (i = 0; i < m->nrefs; i++)
		if (m->refs[i].comp == c && m->refs[i].kind == k && wd_str_eq_c(m->refs[i].path, path))
			return 1;
	return 0;
}

/* Components of each app are contiguous; app-less ones come last. */
static void check_contiguous(const wd_model *m)
{
	size_t a, i, next = 0;

	for (a = 0; a < m->napps; a++) {
		assert_int_equal(m->apps[a].comp_first, next);
		for (i = m->apps[a].comp_first; i < m->apps[a].comp_first + m->apps[a].comp_count; i++)
			assert_int_equal(m->comps[i].app, a);
		next += m->apps[a].comp_count;
	}
	for (i = next; i < m->ncomps; i++)
		assert_int_equal(m->comps[i].app, WD_NONE);
}

static void check_str(wd_str s, const char *want)
{
	if (!wd_str_eq_c(s, want))
		fail_msg("got \"%.*s\", want \"%s\"", (int)s.len, s.ptr ? s.ptr : "", want);
}

/* ---- mapping tests --------------------------------------------------------- */

static void test_tabs_are_apps(void **state)
{
	/* nodes of two tabs interleaved: components must still be grouped */
	wd_model *m = import_text("tabs.json",
		"[{\"id\":\"t1\",\"type\":\"tab\",\"label\":\"Orders\"},"
		"{\"id\":\"t2\",\"type\":\"tab\",\"label\":\"Off\",\"disabled\":true},"
		"{\"id\":\"a\",\"type\":\"inject\",\"z\":\"t1\",\"x\":1,\"y\":1,\"wires\":[[\"b\"]]},"
		"{\"id\":\"c\",\"type\":\"debug\",\"z\":\"t2\",\"x\":1,\"y\":1,\"wires\":[]},"
		"{\"id\":\"b\",\"type\":\"debug\",\"z\":\"t1\",\"name\":\"out\",\"x\":1,\"y\":1,\"wires\":[]},"
		"{\"id\":\"n\",\"type\":\"comment\",\"z\":\"t1\",\"x\":1,\"y\":1,\"wires\":[]},"
		"{\"id\":\"g\",\"type\":\"group\",\"z\":\"t1\",\"nodes\":[\"a\"]}]", 0);

	(void)state;
	assert_int_equal(m->platform, WD_PLATFORM_NODERED);
	assert_int_equal(m->napps, 2);
	check_str(m->apps[0].name, "Orders");
	check_str(m->apps[0].id, "t1");
	assert_int_equal(m->apps[0].active, 1);
	assert_int_equal(m->apps[0].platform, WD_PLATFORM_NODERED);
	check_str(m->apps[1].name, "Off");
	assert_int_equal(m->apps[1].active, 0);
	assert_int_equal(m->apps[0].comp_count, 2);
	assert_int_equal(m->apps[1].comp_count, 1);
	assert_int_equal(m->ncomps, 3);
	assert_int_equal(m->notes, 2);
	check_contiguous(m);
	check_str(m->comps[comp(m, "b")].name, "out");
	check_str(m->comps[comp(m, "a")].name, "inject");  /* type when unnamed */
	assert_true(m->comps[comp(m, "c")].flags & WD_COMP_DISABLED);
	assert_false(m->comps[comp(m, "a")].flags & WD_COMP_DISABLED);
	assert_int_equal(strlen(m->apps[0].hash), 64);
	assert_int_equal(count_edges(m, "a", "b", WD_EDGE_FLOW), 1);
	wd_model_free(m);
}

static void test_selected_nodes_grouped_by_z(void **state)
{
	wd_model *m = import_text("Kitchen lights.json",
		"[{\"id\":\"a\",\"type\":\"inject\",\"z\":\"zz1\",\"x\":1,\"y\":1,\"wires\":[[\"b\"]]},"
		"{\"id\":\"c\",\"type\":\"debug\",\"z\":\"zz2\",\"x\":1,\"y\":1,\"wires\":[]},"
		"{\"id\":\"b\",\"type\":\"debug\",\"z\":\"zz1\",\"x\":1,\"y\":1,\"wires\":[]},"
		"{\"id\":\"old\",\"type\":\"debug\",\"x\":1,\"y\":1,\"wires\":[]},"
		"{\"id\":\"cfg\",\"type\":\"ui_group\",\"z\":\"zz2\",\"name\":\"g\"},"
		"{\"id\":\"glob\",\"type\":\"mqtt-broker\",\"broker\":\"localhost\"},"
		"{\"id\":\"glob2\",\"type\":\"ui_tab\",\"z\":\"\"}]", 0);

	(void)state;
	assert_int_equal(m->napps, 3);
	check_str(m->apps[0].name, "Kitchen lights");
	check_str(m->apps[0].id, "zz1");
	check_str(m->apps[1].name, "Kitchen lights (2)");
	check_str(m->apps[2].name, "Kitchen lights (3)");
	assert_int_equal(m->apps[0].comp_count, 2);
	assert_int_equal(m->apps[1].comp_count, 2); /* debug + config with that z */
	assert_int_equal(m->apps[2].comp_count, 1); /* old-style node without z */
	assert_int_equal(m->ncomps, 7);
	check_contiguous(m);
	assert_int_equal(m->comps[comp(m, "glob")].app, WD_NONE);
	assert_int_equal(m->comps[comp(m, "glob2")].app, WD_NONE);
	assert_int_equal(m->comps[comp(m, "cfg")].app, 1);
	assert_true(comp(m, "glob") >= 5 && comp(m, "glob2") >= 5);
	wd_model_free(m);
}

static void test_wires(void **state)
{
	wd_model *m = import_text("wires.json",
		"[{\"id\":\"t\",\"type\":\"tab\"},"
		"{\"id\":\"a\",\"type\":\"switch\",\"z\":\"t\",\"wires\":[[\"b\",\"c\",\"nowhere\"],[],[\"c\",42]]},"
		"{\"id\":\"b\",\"type\":\"inject\",\"z\":\"t\",\"wires\":[\"c\",\"d\"]},"
		"{\"id\":\"c\",\"type\":\"debug\",\"z\":\"t\",\"wires\":\"c\"},"
		"{\"id\":\"d\",\"type\":\"debug\",\"z\":\"t\",\"wires\":[{\"x\":1}, null]},"
		"{\"id\":\"j\",\"type\":\"junction\",\"z\":\"t\",\"wires\":[[\"d\"]]}]", 0);
	size_t i;
	int port2 = 0;

	(void)state;
	assert_int_equal(count_edges(m, "a", "b", WD_EDGE_FLOW), 1);
	assert_int_equal(count_edges(m, "a", "c", WD_EDGE_FLOW), 2);
	assert_int_equal(count_edges(m, "b", "c", WD_EDGE_FLOW), 1); /* flat shape */
	assert_int_equal(count_edges(m, "b", "d", WD_EDGE_FLOW), 1);
	assert_int_equal(count_edges(m, "j", "d", WD_EDGE_FLOW), 1);
	assert_int_equal(m->nedges, 6);
	for (i = 0; i < m->nedges; i++)
		if (wd_str_eq_c(m->comps[m->edges[i].from].id, "a") && m->edges[i].port == 2)
			port2 = 1;
	assert_true(port2);
	assert_int_equal(m->comps[comp(m, "j")].kind, WD_KIND_LOGIC);
	wd_model_free(m);
}

static void test_links_and_catch(void **state)
{
	wd_model *m = import_text("links.json",
		"[{\"id\":\"t\",\"type\":\"tab\"},{\"id\":\"t2\",\"type\":\"tab\"},"
		"{\"id\":\"lo\",\"type\":\"link out\",\"z\":\"t\",\"links\":[\"li\",\"gone\"],\"wires\":[]},"
		"{\"id\":\"li\",\"type\":\"link in\",\"z\":\"t2\",\"links\":[\"lo\"],\"wires\":[[\"f\"]]},"
		"{\"id\":\"lc\",\"type\":\"link call\",\"z\":\"t\",\"links\":[\"li\"],\"wires\":[[]]},"
		"{\"id\":\"f\",\"type\":\"function\",\"z\":\"t2\",\"func\":\"return msg;\",\"wires\":[[]]},"
		"{\"id\":\"k\",\"type\":\"catch\",\"z\":\"t2\",\"scope\":[\"f\"],\"wires\":[[]]},"
		"{\"id\":\"k2\",\"type\":\"catch\",\"z\":\"t2\",\"scope\":null,\"wires\":[[]]}]", 0);

	(void)state;
	assert_int_equal(count_edges(m, "lo", "li", WD_EDGE_LINK), 1);
	assert_int_equal(count_edges(m, "lc", "li", WD_EDGE_LINK), 1);
	assert_int_equal(count_edges(m, "li", "lo", WD_EDGE_LINK), 0);
	assert_int_equal(count_edges(m, "f", "k", WD_EDGE_ERROR), 1);
	assert_true(m->comps[comp(m, "k")].flags & WD_COMP_ERROR_HANDLER);
	assert_true(m->comps[comp(m, "k2")].flags & WD_COMP_ERROR_HANDLER);
	check_str(m->comps[comp(m, "f")].code, "return msg;");
	wd_model_free(m);
}

static void test_subflow(void **state)
{
	wd_model *m = import_text("subflow.json",
		"[{\"id\":\"sf\",\"type\":\"subflow\",\"name\":\"Format\","
		"\"in\":[{\"x\":1,\"y\":1,\"wires\":[{\"id\":\"s1\"}]}],"
		"\"out\":[{\"x\":1,\"y\":1,\"wires\":[{\"id\":\"s2\",\"port\":0}]}],"
		"\"env\":[{\"name\":\"API_TOKEN\",\"type\":\"cred\",\"value\":\"hunter2\"},"
		"{\"name\":\"UNIT\",\"type\":\"str\",\"value\":\"C\"}]},"
		"{\"id\":\"s1\",\"type\":\"change\",\"z\":\"sf\",\"wires\":[[\"s2\"]]},"
		"{\"id\":\"s2\",\"type\":\"function\",\"z\":\"sf\",\"func\":\"\",\"wires\":[[]]},"
		"{\"id\":\"t\",\"type\":\"tab\",\"label\":\"Main\"},"
		"{\"id\":\"i\",\"type\":\"mqtt in\",\"z\":\"t\",\"wires\":[[\"inst\"]]},"
		"{\"id\":\"inst\",\"type\":\"subflow:sf\",\"z\":\"t\",\"wires\":[[\"w\"]]},"
		"{\"id\":\"w\",\"type\":\"file\",\"z\":\"t\",\"filename\":\"topic\","
		"\"filenameType\":\"msg\",\"wires\":[[]]}]", 0);
	size_t i;
	int cred = 0;

	(void)state;
	assert_int_equal(m->napps, 2);
	check_str(m->apps[0].name, "subflow: Format");
	check_str(m->apps[1].name, "Main");
	check_contiguous(m);
	assert_int_equal(count_edges(m, "inst", "s1", WD_EDGE_SUBFLOW), 1);
	assert_int_equal(count_edges(m, "s2", "w", WD_EDGE_FLOW), 1);
	assert_int_equal(count_edges(m, "i", "inst", WD_EDGE_FLOW), 1);
	assert_int_equal(m->comps[comp(m, "inst")].kind, WD_KIND_SUBFLOW);
	assert_true(m->comps[comp(m, "w")].flags & WD_COMP_FS_DYNAMIC);
	assert_true(has_ref(m, comp(m, "w"), WD_REF_INPUT, "topic"));
	assert_int_equal(m->nfields, 2);
	for (i = 0; i < m->ncreds; i++)
		if (m->creds[i].storage == WD_CRED_HARDCODED && wd_str_eq_c(m->creds[i].name, "API_TOKEN"))
			cred = 1;
	assert_true(cred);
	assert_int_equal(m->ncreds, 1);
	wd_model_free(m);
}

static void test_config_tls_mqtt(void **state)
{
	wd_model *m = import_text("cfg.json",
		"[{\"id\":\"t\",\"type\":\"tab\"},"
		"{\"id\":\"tls\",\"type\":\"tls-config\",\"verifyservercert\":false},"
		"{\"id\":\"tls2\",\"type\":\"tls-config\",\"verifyservercert\":true},"
		"{\"id\":\"br\",\"type\":\"mqtt-broker\",\"broker\":\"broker.example.com\","
		"\"port\":\"1883\",\"usetls\":false},"
		"{\"id\":\"br2\",\"type\":\"mqtt-broker\",\"broker\":\"mqtts://secure.example.com:8883\","
		"\"usetls\":true,\"tls\":\"tls2\",\"verifyservercert\":false},"
		"{\"id\":\"r\",\"type\":\"http request\",\"z\":\"t\",\"url\":\"https://api.example.com/x\","
		"\"tls\":\"tls\",\"wires\":[[]]},"
		"{\"id\":\"r2\",\"type\":\"http request\",\"z\":\"t\",\"url\":\"\",\"tls\":\"\",\"wires\":[[]]},"
		"{\"id\":\"r3\",\"type\":\"http request\",\"z\":\"t\",\"url\":\"http://{{host}}/a\",\"wires\":[[]]},"
		"{\"id\":\"mi\",\"type\":\"mqtt in\",\"z\":\"t\",\"broker\":\"br\",\"topic\":\"${SITE}\",\"wires\":[[]]},"
		"{\"id\":\"mo\",\"type\":\"mqtt out\",\"z\":\"t\",\"broker\":\"br\",\"topic\":\"a/${NOPE}/b\","
		"\"name\":\"$(OLDVAR)\",\"wires\":[]},"
		"{\"id\":\"r4\",\"type\":\"http request\",\"z\":\"t\",\"url\":\"http://api.example.com/x\","
		"\"tls\":\"tls2\",\"wires\":[[]]}]",
		0);
	const wd_target *tg;

	(void)state;
	assert_true(m->comps[comp(m, "tls")].flags & WD_COMP_TLS_NOVERIFY);
	assert_false(m->comps[comp(m, "tls2")].flags & WD_COMP_TLS_NOVERIFY);
	assert_true(m->comps[comp(m, "br2")].flags & WD_COMP_TLS_NOVERIFY);
	assert_false(m->comps[comp(m, "br")].flags & WD_COMP_TLS_NOVERIFY);
	assert_int_equal(m->comps[comp(m, "tls")].app, WD_NONE);
	assert_int_equal(count_edges(m, "r", "tls", WD_EDGE_CONFIG), 1);
	assert_int_equal(count_edges(m, "mi", "br", WD_EDGE_CONFIG), 1);
	assert_int_equal(count_edges(m, "br2", "tls2", WD_EDGE_CONFIG), 1);
	assert_int_equal(count_edges(m, "r2", "tls", WD_EDGE_CONFIG), 0);

	tg = target_of(m, comp(m, "br"));
	assert_non_null(tg);
	check_str(tg->url, "mqtt://broker.example.com:1883");
	check_str(tg->host, "broker.example.com");
	assert_int_equal(tg->port, 1883);
	assert_false(tg->flags & WD_TARGET_TLS);
	assert_true(tg->flags & WD_TARGET_EXTERNAL);
	tg = target_of(m, comp(m, "br2"));
	assert_non_null(tg);
	assert_true(tg->flags & WD_TARGET_TLS);
	tg = target_of(m, comp(m, "r"));
	assert_non_null(tg);
	assert_true(tg->flags & WD_TARGET_TLS);
	tg = target_of(m, comp(m, "r2"));
	assert_non_null(tg);
	assert_int_equal(tg->url.len, 0);
	assert_true(tg->flags & WD_TARGET_DYNAMIC);
	tg = target_of(m, comp(m, "r3"));
	assert_non_null(tg);
	assert_true(tg->flags & WD_TARGET_DYNAMIC);
	tg = target_of(m, comp(m, "r4"));
	assert_non_null(tg);
	assert_false(tg->flags & WD_TARGET_TLS); /* http:// with an unused tls-config */
	assert_true(has_ref(m, comp(m, "mi"), WD_REF_ENV, "SITE"));
	assert_false(has_ref(m, comp(m, "mo"), WD_REF_ENV, "NOPE")); /* not substituted */
	assert_true(has_ref(m, comp(m, "mo"), WD_REF_ENV, "OLDVAR"));
	wd_model_free(m);
}

static void test_entry_points_and_code(void **state)
{
	wd_model *m = import_text("entry.json",
		"[{\"id\":\"t\",\"type\":\"tab\"},"
		"{\"id\":\"h\",\"type\":\"http in\",\"z\":\"t\",\"url\":\"/orders\",\"method\":\"post\",\"wires\":[[\"f\"]]},"
		"{\"id\":\"f\",\"type\":\"function\",\"z\":\"t\",\"func\":"
		"\"const e = msg.payload.email; msg.req.headers; msg.payload.email; newmsg.x; "
		"msg.topic.split('/'); msg.toString(); msg.\","
		"\"wires\":[[\"e1\"]]},"
		"{\"id\":\"e1\",\"type\":\"exec\",\"z\":\"t\",\"command\":\"lp\",\"addpay\":true,\"wires\":[[],[],[]]},"
		"{\"id\":\"e2\",\"type\":\"exec\",\"z\":\"t\",\"command\":\"lp\",\"addpay\":\"payload\",\"wires\":[[],[],[]]},"
		"{\"id\":\"e3\",\"type\":\"exec\",\"z\":\"t\",\"command\":\"uptime\",\"addpay\":false,\"wires\":[[],[],[]]},"
		"{\"id\":\"e4\",\"type\":\"exec\",\"z\":\"t\",\"command\":\"ls {{payload}}\",\"addpay\":\"\",\"wires\":[[],[],[]]},"
		"{\"id\":\"fs\",\"type\":\"file\",\"z\":\"t\",\"filename\":\"/tmp/x\",\"filenameType\":\"str\",\"wires\":[[]]},"
		"{\"id\":\"fs2\",\"type\":\"file in\",\"z\":\"t\",\"filename\":\"\",\"wires\":[[]]},"
		"{\"id\":\"fs3\",\"type\":\"file\",\"z\":\"t\",\"filename\":\"LOGFILE\",\"filenameType\":\"env\",\"wires\":[[]]},"
		"{\"id\":\"tcp\",\"type\":\"tcp in\",\"z\":\"t\",\"server\":\"server\",\"port\":\"9000\",\"wires\":[[]]},"
		"{\"id\":\"tcpc\",\"type\":\"tcp in\",\"z\":\"t\",\"server\":\"client\",\"host\":\"10.0.0.5\",\"port\":\"9000\",\"wires\":[[]]},"
		"{\"id\":\"udp\",\"type\":\"udp in\",\"z\":\"t\",\"port\":\"9001\",\"wires\":[[]]},"
		"{\"id\":\"ws\",\"type\":\"websocket in\",\"z\":\"t\",\"server\":\"wl\",\"client\":\"\",\"wires\":[[]]},"
		"{\"id\":\"wl\",\"type\":\"websocket-listener\",\"path\":\"/ws\"},"
		"{\"id\":\"dis\",\"type\":\"debug\",\"z\":\"t\",\"d\":true,\"wires\":[]}]", 0);
	uint32_t h = comp(m, "h"), f = comp(m, "f");

	(void)state;
	assert_true(m->comps[h].flags & WD_COMP_PUBLIC);
	assert_int_equal(m->comps[h].auth, WD_AUTH_EXTERNAL);
	assert_int_equal(m->comps[h].auth_loc.val, m->comps[h].loc.val);
	assert_true(m->comps[f].flags & WD_COMP_INPUT_USED);
	assert_true(has_ref(m, f, WD_REF_INPUT, "payload.email"));
	assert_true(has_ref(m, f, WD_REF_INPUT, "req.headers"));
	assert_false(has_ref(m, f, WD_REF_INPUT, "x"));
	assert_true(has_ref(m, f, WD_REF_INPUT, "topic"));
	assert_false(has_ref(m, f, WD_REF_INPUT, "topic.split"));
	assert_false(has_ref(m, f, WD_REF_INPUT, "toString"));
	assert_int_equal(m->comps[f].code_loc.doc, 0);
	assert_true(m->comps[comp(m, "e1")].flags & WD_COMP_SHELL_DYNAMIC);
	assert_true(m->comps[comp(m, "e2")].flags & WD_COMP_SHELL_DYNAMIC);
	assert_false(m->comps[comp(m, "e3")].flags & WD_COMP_SHELL_DYNAMIC);
	assert_true(m->comps[comp(m, "e4")].flags & WD_COMP_SHELL_DYNAMIC);
	check_str(m->comps[comp(m, "e3")].code, "uptime");
	assert_false(m->comps[comp(m, "fs")].flags & WD_COMP_FS_DYNAMIC);
	assert_true(m->comps[comp(m, "fs2")].flags & WD_COMP_FS_DYNAMIC);
	assert_false(m->comps[comp(m, "fs3")].flags & WD_COMP_FS_DYNAMIC);
	assert_true(has_ref(m, comp(m, "fs3"), WD_REF_ENV, "LOGFILE"));
	assert_true(m->comps[comp(m, "tcp")].flags & WD_COMP_PUBLIC);
	assert_int_equal(m->comps[comp(m, "tcp")].auth, WD_AUTH_NONE);
	assert_false(m->comps[comp(m, "tcpc")].flags & WD_COMP_PUBLIC);
	assert_non_null(target_of(m, comp(m, "tcpc")));
	assert_true(m->comps[comp(m, "udp")].flags & WD_COMP_PUBLIC);
	assert_true(m->comps[comp(m, "ws")].flags & WD_COMP_PUBLIC);
	assert_true(m->comps[comp(m, "wl")].flags & WD_COMP_PUBLIC);
	assert_int_equal(count_edges(m, "ws", "wl", WD_EDGE_CONFIG), 1);
	assert_true(m->comps[comp(m, "dis")].flags & WD_COMP_DISABLED);
	wd_model_free(m);
}

static void test_rev_flows_shape(void **state)
{
	wd_model *m = import_text("v2.json",
		"{\"rev\":\"abc\",\"flows\":[{\"id\":\"t\",\"type\":\"tab\",\"label\":\"L\"},"
		"{\"id\":\"a\",\"type\":\"inject\",\"z\":\"t\",\"wires\":[[]]}]}", 0);

	(void)state;
	assert_int_equal(m->napps, 1);
	check_str(m->apps[0].name, "L");
	assert_int_equal(m->ncomps, 1);
	wd_model_free(m);
}

static void test_odd_elements(void **state)
{
	wd_model *m = import_text("odd.json",
		"[1, \"x\", null, [], {}, {\"type\":7}, {\"id\":\"a\"},"
		"{\"id\":\"d\",\"type\":\"debug\",\"z\":\"d\",\"wires\":[[\"d\"]]},"
		"{\"id\":\"d\",\"type\":\"debug\",\"z\":\"q\",\"wires\":[]},"
		"{\"type\":\"inject\",\"wires\":[[\"d\"]]},"
		"{\"id\":\"s\",\"type\":\"subflow:nothere\",\"z\":\"q\",\"wires\":[[\"d\"]]},"
		"{\"id\":\"s2\",\"type\":\"subflow:\",\"z\":\"q\",\"wires\":7},"
		"{\"id\":\"t\",\"type\":\"tab\",\"env\":[1,{\"name\":7},{\"name\":\"A\",\"type\":\"cred\",\"value\":\"\"}]},"
		"{\"id\":\"\",\"type\":\"\",\"z\":\"t\",\"x\":1}]", 0);

	(void)state;
	/* typed objects: d, d, inject, s, s2, tab, "" -> 6 components + 1 app */
	assert_int_equal(m->ncomps, 6);
	assert_int_equal(m->ncreds, 0);
	check_contiguous(m);
	wd_model_free(m);
}

static void test_bad_roots(void **state)
{
	static const char *const bad[] = {"{\"rev\":\"1\"}", "{\"flows\":{}}", "42", "\"x\"", "null"};
	size_t i;
	char p[512];

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		wd_model *m = NULL;
		wd_error err;

		memset(&err, 0, sizeof(err));
		write_file("bad.json", bad[i]);
		snprintf(p, sizeof(p), "%s/bad.json", g_dir);
		assert_int_equal(import_path(p, 1, &m, &err), WD_EFORMAT);
		assert_null(m);
		assert_non_null(strstr(err.message, "Node-RED"));
	}
}

static const char *const k_cred_flows =
	"[{\"id\":\"t\",\"type\":\"tab\"},"
	"{\"id\":\"br\",\"type\":\"mqtt-broker\",\"broker\":\"b.example.com\",\"port\":1883},"
	"{\"id\":\"r\",\"type\":\"http request\",\"z\":\"t\",\"url\":\"http://x.example.com\",\"wires\":[[]]}]";

static void test_cred_plaintext(void **state)
{
	wd_model *m;
	size_t i, with_comp = 0;

	(void)state;
	write_file("flows_pi_cred.json",
	           "{\"br\":{\"user\":\"u\",\"password\":\"p\"},\"r\":{\"user\":\"\",\"password\":\"q\"},"
	           "\"ghost\":{\"password\":\"z\"},\"bad\":7}");
	m = import_text("flows_pi.json", k_cred_flows, 1);
	assert_int_equal(m->ndocs, 2);
	assert_int_equal(m->ncreds, 4);
	for (i = 0; i < m->ncreds; i++) {
		assert_int_equal(m->creds[i].storage, WD_CRED_FILE_PLAINTEXT);
		assert_int_equal(m->creds[i].loc.doc, 1);
		if (m->creds[i].comp != WD_NONE) {
			with_comp++;
			assert_true(wd_str_eq(m->creds[i].type, m->comps[m->creds[i].comp].type));
		}
	}
	assert_int_equal(with_comp, 3);
	assert_int_equal(m->ncred_uses, 3);
	check_str(m->creds[0].name, "user");
	check_str(m->creds[1].name, "password");
	wd_model_free(m);

	/* companions off: the file is not read */
	m = import_text("flows_pi.json", k_cred_flows, 0);
	assert_int_equal(m->ndocs, 1);
	assert_int_equal(m->ncreds, 0);
	wd_model_free(m);
}

static void test_cred_encrypted_and_broken(void **state)
{
	wd_model *m;

	(void)state;
	write_file("flows_cred.json", "{\"$\":\"69a3914e3154312f4a2d487e70f77512TfaYVP+NIH13832j5h\"}");
	m = import_text("flows.json", k_cred_flows, 1);
	assert_int_equal(m->ncreds, 1);
	assert_int_equal(m->creds[0].storage, WD_CRED_FILE_ENCRYPTED);
	check_str(m->creds[0].name, "flows_cred.json");
	assert_int_equal(m->creds[0].comp, WD_NONE);
	assert_int_equal(m->creds[0].loc.doc, 1);
	wd_model_free(m);

	/* malformed companion: ignored, the flows still import */
	write_file("flows_cred.json", "{\"$\":");
	m = import_text("flows.json", k_cred_flows, 1);
	assert_int_equal(m->ncreds, 0);
	assert_int_equal(m->ndocs, 1);
	assert_int_equal(m->ncomps, 2);
	wd_model_free(m);
}

static void test_examples_warehouse(void **state)
{
	wd_model *m = NULL;
	wd_error err;
	size_t i, plain = 0;
	int exec_dyn = 0, tls_nv = 0, http_pub = 0;

	(void)state;
	memset(&err, 0, sizeof(err));
	if (import_path(WARDEN_SOURCE_DIR "/examples/node-red/flows.json", 1, &m, &err) != WD_OK)
		fail_msg("%s", err.message);
	check_contiguous(m);
	for (i = 0; i < m->ncomps; i++) {
		const wd_component *c = &m->comps[i];
		if (wd_str_eq_c(c->type, "exec") && (c->flags & WD_COMP_SHELL_DYNAMIC))
			exec_dyn = 1;
		if (wd_str_eq_c(c->type, "tls-config") && (c->flags & WD_COMP_TLS_NOVERIFY))
			tls_nv = 1;
		if (wd_str_eq_c(c->type, "http in") && (c->flags & WD_COMP_PUBLIC))
			http_pub = 1;
	}
	for (i = 0; i < m->ncreds; i++)
		plain += m->creds[i].storage == WD_CRED_FILE_PLAINTEXT;
	assert_true(exec_dyn && tls_nv && http_pub);
	assert_int_equal(plain, 4);
	wd_model_free(m);
}

/* ---- the corpus ---------------------------------------------------------------- */

typedef struct corpus_stats {
	size_t files, apps, comps, edges, creds, plain, notes, targets, refs;
	double seconds;
} corpus_stats;

/* Typed node objects and tab/subflow nodes, counted straight from the JSON. */
static void count_json(const char *path, size_t *typed, size_t *containers)
{
	*typed = *containers = 0;
#ifdef WARDEN_HAVE_JANSSON
	{
		json_error_t je;
		json_t *root = json_load_file(path, 0, &je), *arr, *n;
		size_t i;

		if (!root)
			fail_msg("jansson cannot read %s: %s", path, je.text);
		arr = json_is_object(root) ? json_object_get(root, "flows") : root;
		json_array_foreach(arr, i, n) {
			json_t *t = json_object_get(n, "type");
			if (!json_is_object(n) || !json_is_string(t))
				continue;
			(*typed)++;
			if (!strcmp(json_string_value(t), "tab") || !strcmp(json_string_value(t), "subflow"))
				(*containers)++;
		}
		json_decref(root);
	}
#else
	{
		wd_json_doc *doc = NULL;
		const wd_json_val *root, *arr, *n;
		size_t i;

		assert_int_equal(wd_json_parse_file(&doc, path, NULL, NULL), WD_OK);
		root = wd_json_root(doc);
		arr = wd_json_is_obj(root) ? wd_json_get(doc, root, "flows") : root;
		if (wd_json_is_arr(arr)) {
			WD_JSON_ARR_FOREACH(arr, i, n) {
				wd_str t = wd_json_get_str(doc, n, "type");
				if (!wd_json_is_obj(n) || !t.ptr)
					continue;
				(*typed)++;
				if (wd_str_eq_c(t, "tab") || wd_str_eq_c(t, "subflow"))
					(*containers)++;
			}
		}
		wd_json_free(doc);
	}
#endif
}

static void import_corpus_file(const char *path, corpus_stats *st)
{
	wd_model *m = NULL;
	wd_error err;
	size_t typed, containers, i;
	struct timespec a, b;

	memset(&err, 0, sizeof(err));
	clock_gettime(CLOCK_MONOTONIC, &a);
	if (import_path(path, 1, &m, &err) != WD_OK)
		fail_msg("%s: %s (line %u)", path, err.message, err.line);
	clock_gettime(CLOCK_MONOTONIC, &b);
	st->seconds += (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	count_json(path, &typed, &containers);
	if (m->ncomps + m->notes + containers != typed)
		fail_msg("%s: %zu components + %u notes + %zu tabs/subflows != %zu nodes", path,
		         m->ncomps, m->notes, containers, typed);
	assert_true(m->napps >= containers);
	check_contiguous(m);
	for (i = 0; i < m->ncreds; i++)
		st->plain += m->creds[i].storage == WD_CRED_FILE_PLAINTEXT;
	st->files++;
	st->apps += m->napps;
	st->comps += m->ncomps;
	st->edges += m->nedges;
	st->creds += m->ncreds;
	st->notes += m->notes;
	st->targets += m->ntargets;
	st->refs += m->nrefs;
	wd_model_free(m);
}

static void walk(const char *dir, corpus_stats *st, unsigned depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[4096];
	struct stat sb;

	assert_non_null(d);
	assert_true(depth < 32);
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);

		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		if (stat(p, &sb) != 0)
			continue;
		if (S_ISDIR(sb.st_mode))
			walk(p, st, depth + 1);
		else if (n > 5 && !strcmp(e->d_name + n - 5, ".json") &&
		         !(n >= 10 && !strcmp(e->d_name + n - 10, "_cred.json")))
			import_corpus_file(p, st);
	}
	closedir(d);
}

static void test_corpus(void **state)
{
	corpus_stats st;
	struct stat sb;

	(void)state;
	if (stat(WARDEN_CORPUS_DIR "/node-red", &sb) != 0)
		skip();
	memset(&st, 0, sizeof(st));
	walk(WARDEN_CORPUS_DIR "/node-red", &st, 0);
	printf("node-red corpus: %zu files, %zu apps, %zu components, %zu notes, %zu edges, "
	       "%zu targets, %zu refs, %zu credentials (%zu plaintext), import %.3f s\n",
	       st.files, st.apps, st.comps, st.notes, st.edges, st.targets, st.refs, st.creds,
	       st.plain, st.seconds);
	assert_int_equal(st.files, 371);
	assert_true(st.plain > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tabs_are_apps),
		cmocka_unit_test(test_selected_nodes_grouped_by_z),
		cmocka_unit_test(test_wires),
		cmocka_unit_test(test_links_and_catch),
		cmocka_unit_test(test_subflow),
		cmocka_unit_test(test_config_tls_mqtt),
		cmocka_unit_test(test_entry_points_and_code),
		cmocka_unit_test(test_rev_flows_shape),
		cmocka_unit_test(test_odd_elements),
		cmocka_unit_test(test_bad_roots),
		cmocka_unit_test(test_cred_plaintext),
		cmocka_unit_test(test_cred_encrypted_and_broken),
		cmocka_unit_test(test_examples_warehouse),
		cmocka_unit_test(test_corpus),
	};

	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
