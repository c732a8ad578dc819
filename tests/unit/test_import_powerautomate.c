/*
 * test_import_powerautomate.c - the Power Automate / Logic Apps importer.
 *
 * One small inline export per shape (bare definition, solution file, legacy
 * package with its companions, Logic Apps Standard workflow.json with
 * connections.json, ARM template), then one test per mapping rule: nested
 * containers, runAfter edges, expressions, Request trigger authentication,
 * secure inputs/outputs, connection flags, ARM expressions, custom
 * connectors, error handling, hostile shapes. Files with companions are
 * written into a private temporary folder. Finally the whole shared corpus,
 * where every trigger and action (and every ARM connection resource) must
 * be one component, counted independently from the JSON.
 *
 * ARM templates are imported through wd_import_powerautomate() directly
 * (parse, model, import, finish), so these tests do not depend on
 * detection; test_detect_shapes checks detection on its own.
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

#include "warden/import.h"
#include "warden/model.h"

/* ---- helpers ------------------------------------------------------------- */

static char g_dir[256];

static int setup_dir(void **state)
{
	(void)state;
	snprintf(g_dir, sizeof(g_dir), "/tmp/wd-pa-XXXXXX");
	return mkdtemp(g_dir) ? 0 : -1;
}

static void rm_rf(const char *dir, unsigned depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat sb;
	char p[1024];

	if (!d || depth > 16) {
		if (d)
			closedir(d);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
			rm_rf(p, depth + 1);
		else
			unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

static int teardown_dir(void **state)
{
	(void)state;
	rm_rf(g_dir, 0);
	return 0;
}

/* Write text to g_dir/rel, creating folders on the way. */
static void write_file(const char *rel, const char *text)
{
	char p[1024];
	char *s;
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", g_dir, rel);
	for (s = p + strlen(g_dir) + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		mkdir(p, 0700);
		*s = '/';
	}
	f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	fclose(f);
}

static wd_import_opts default_opts(int companions)
{
	wd_import_opts o;

	memset(&o, 0, sizeof(o));
	o.load_companions = companions;
	return o;
}

/* Parse text, run the Power Automate importer on it directly, finish. */
static wd_status direct_opts(const char *path, const char *text, const wd_import_opts *opts,
                             wd_model **out, wd_error *err)
{
	wd_import_opts o = *opts;
	wd_json_doc *doc = NULL;
	wd_model *m = NULL;
	size_t n = strlen(text);
	char *buf = malloc(n + 1);
	uint32_t di;
	wd_status rc;

	*out = NULL;
	assert_non_null(buf);
	memcpy(buf, text, n + 1);
	wd_limits_resolve(&o.limits);
	memset(err, 0, sizeof(*err));
	rc = wd_json_parse_owned(&doc, buf, n, &o.limits, err);
	if (rc != WD_OK)
		return rc;
	assert_int_equal(wd_model_new(&m, path, &o.limits), WD_OK);
	assert_int_equal(wd_model_add_doc(m, path, doc, &di), WD_OK);
	m->platform = WD_PLATFORM_POWER_AUTOMATE;
	rc = wd_import_powerautomate(m, di, &o, err);
	if (rc == WD_OK)
		rc = wd_model_finish(m);
	if (rc != WD_OK) {
		wd_model_free(m);
		return rc;
	}
	*out = m;
	return WD_OK;
}

static wd_model *direct(const char *path, const char *text)
{
	wd_import_opts o = default_opts(0);
	wd_model *m = NULL;
	wd_error err;

	if (direct_opts(path, text, &o, &m, &err) != WD_OK)
		fail_msg("%s: %s (pointer %s)", path, err.message, err.pointer);
	return m;
}

/* wd_import_buffer: detection, import and finish, as a scan does it. */
static wd_model *buffer(const char *path, const char *text)
{
	wd_import_opts o = default_opts(0);
	wd_model *m = NULL;
	wd_error err;
	size_t n = strlen(text);
	char *buf = malloc(n + 1);

	assert_non_null(buf);
	memcpy(buf, text, n + 1);
	memset(&err, 0, sizeof(err));
	if (wd_import_buffer(&m, path, buf, n, &o, NULL, &err) != WD_OK)
		fail_msg("%s: %s", path, err.message);
	assert_int_equal(m->platform, WD_PLATFORM_POWER_AUTOMATE);
	return m;
}

static wd_model *file_with_companions(const char *rel)
{
	wd_import_opts o = default_opts(1);
	wd_model *m = NULL;
	wd_error err;
	char p[1024];

	snprintf(p, sizeof(p), "%s/%s", g_dir, rel);
	memset(&err, 0, sizeof(err));
	if (wd_import_file(&m, p, &o, NULL, &err) != WD_OK)
		fail_msg("%s: %s", p, err.message);
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

static int has_edge(const wd_model *m, uint32_t from, uint32_t to, wd_edge_kind kind)
{
	size_t i;

	for (i = 0; i < m->nedges; i++)
		if (m->edges[i].from == from && m->edges[i].to == to && m->edges[i].kind == kind)
			return 1;
	return 0;
}

static const char *edge_label(const wd_model *m, uint32_t from, uint32_t to, wd_edge_kind kind)
{
	static char buf[64];
	size_t i;

	for (i = 0; i < m->nedges; i++)
		if (m->edges[i].from == from && m->edges[i].to == to && m->edges[i].kind == kind) {
			snprintf(buf, sizeof(buf), "%.*s", (int)m->edges[i].label.len,
			         m->edges[i].label.ptr ? m->edges[i].label.ptr : "");
			return buf;
		}
	return NULL;
}

static const wd_ref *find_ref(const wd_model *m, uint32_t c, wd_ref_kind kind, const char *path)
{
	size_t i;

	for (i = 0; i < m->nrefs; i++)
		if (m->refs[i].comp == c && m->refs[i].kind == kind && wd_str_eq_c(m->refs[i].path, path))
			return &m->refs[i];
	return NULL;
}

static size_t refs_of(const wd_model *m, uint32_t c)
{
	size_t i, n = 0;

	for (i = 0; i < m->nrefs; i++)
		n += m->refs[i].comp == c;
	return n;
}

static int has_field(const wd_model *m, uint32_t c, const char *name)
{
	size_t i;

	for (i = 0; i < m->nfields; i++)
		if (m->fields[i].comp == c && wd_str_eq_c(m->fields[i].name, name))
			return 1;
	return 0;
}

static const wd_credential *find_cred(const wd_model *m, const char *id)
{
	size_t i;

	for (i = 0; i < m->ncreds; i++)
		if (wd_str_eq_c(m->creds[i].id, id))
			return &m->creds[i];
	return NULL;
}

static int uses(const wd_model *m, uint32_t c, const wd_credential *cr)
{
	size_t i;

	for (i = 0; i < m->ncred_uses; i++)
		if (m->cred_uses[i].comp == c && &m->creds[m->cred_uses[i].cred] == cr)
			return 1;
	return 0;
}

static const wd_target *target_of(const wd_model *m, uint32_t c, size_t nth)
{
	size_t i;

	for (i = 0; i < m->ntargets; i++)
		if (m->targets[i].comp == c && nth-- == 0)
			return &m->targets[i];
	return NULL;
}

static void check_contiguous(const wd_model *m)
{
	size_t a, c, seen = 0;

	for (a = 0; a < m->napps; a++) {
		assert_int_equal(m->apps[a].comp_first, seen);
		for (c = m->apps[a].comp_first; c < m->apps[a].comp_first + m->apps[a].comp_count; c++)
			assert_int_equal(m->comps[c].app, a);
		seen += m->apps[a].comp_count;
	}
	for (c = seen; c < m->ncomps; c++)
		assert_int_equal(m->comps[c].app, WD_NONE);
}

/* ---- the five shapes ------------------------------------------------------ */

static const char bare_def[] =
	"{\"$schema\": \"https://schema.management.azure.com/providers/Microsoft.Logic/schemas/"
	"2016-06-01/workflowdefinition.json#\",\n"
	" \"contentVersion\": \"1.0.0.0\",\n"
	" \"triggers\": {\"manual\": {\"type\": \"Request\", \"kind\": \"Http\", \"inputs\": {\"schema\":"
	"  {\"type\": \"object\", \"properties\": {\"email\": {\"type\": \"string\"},"
	"   \"address\": {\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"}}}}}}}},\n"
	" \"actions\": {\n"
	"  \"Get_item\": {\"type\": \"OpenApiConnection\", \"runAfter\": {}, \"inputs\": {\"host\":"
	"   {\"apiId\": \"/providers/Microsoft.PowerApps/apis/shared_sharepointonline\","
	"    \"connectionName\": \"shared_sharepointonline\", \"operationId\": \"GetItem\"},"
	"   \"parameters\": {\"id\": \"@triggerBody()?['id']\"}}},\n"
	"  \"Compose\": {\"type\": \"Compose\", \"runAfter\": {\"Get_item\": [\"Succeeded\"]},"
	"   \"inputs\": \"Hello @{triggerBody()?['email']} from @{body('Get_item')?['Title']}\"},\n"
	"  \"Send\": {\"type\": \"Http\", \"runAfter\": {\"Compose\": [\"Succeeded\"]},"
	"   \"inputs\": {\"method\": \"POST\", \"uri\": \"https://api.example.com/hook\","
	"    \"body\": \"@outputs('Compose')\"}}\n"
	" }}";

static void test_bare_definition(void **state)
{
	wd_model *m;
	uint32_t t, g, c, s;
	const wd_ref *r;

	(void)state;
	m = buffer("flows/hello.json", bare_def);
	assert_int_equal(m->napps, 1);
	assert_int_equal(m->ncomps, 4);
	assert_true(wd_str_eq_c(m->apps[0].name, "hello"));
	assert_int_equal(m->apps[0].platform, WD_PLATFORM_POWER_AUTOMATE);
	assert_int_equal(m->apps[0].active, -1);
	assert_int_equal(m->apps[0].error_handling, 0);
	assert_int_equal(strlen(m->apps[0].hash), 64);
	check_contiguous(m);
	t = comp(m, "manual");
	g = comp(m, "Get_item");
	c = comp(m, "Compose");
	s = comp(m, "Send");
	/* the Request trigger: a public entry point anyone can call */
	assert_int_equal(m->comps[t].kind, WD_KIND_ENTRY);
	assert_true(m->comps[t].flags & WD_COMP_PUBLIC);
	assert_true(m->comps[t].flags & WD_COMP_INVOKED);
	assert_int_equal(m->comps[t].auth, WD_AUTH_NONE);
	assert_true(wd_str_eq_c(m->comps[t].type, "Request"));
	/* the connector action */
	assert_true(wd_str_eq_c(m->comps[g].type, "shared_sharepointonline.GetItem"));
	assert_true(wd_str_eq_c(m->comps[c].type, "Compose"));
	/* flow: trigger -> Get_item -> Compose -> Send */
	assert_true(has_edge(m, t, g, WD_EDGE_FLOW));
	assert_true(has_edge(m, g, c, WD_EDGE_FLOW));
	assert_string_equal(edge_label(m, g, c, WD_EDGE_FLOW), "runAfter");
	assert_true(has_edge(m, c, s, WD_EDGE_FLOW));
	/* expressions: @{triggerBody()?['email']} and @{body('Get_item')?['Title']} */
	assert_non_null(find_ref(m, c, WD_REF_INPUT, "email"));
	r = find_ref(m, c, WD_REF_NODE, "Title");
	assert_non_null(r);
	assert_int_equal(r->src, g);
	assert_true(has_edge(m, g, c, WD_EDGE_EXPR));
	assert_true(has_edge(m, t, c, WD_EDGE_EXPR));
	assert_true(m->comps[c].flags & WD_COMP_INPUT_USED);
	assert_true(has_edge(m, c, s, WD_EDGE_EXPR));
	assert_true(has_field(m, c, "email"));
	assert_true(has_field(m, c, "Title"));
	/* the Request schema's property names are data fields of the trigger */
	assert_true(has_field(m, t, "email"));
	assert_true(has_field(m, t, "address"));
	assert_true(has_field(m, t, "city"));
	/* the HTTP action's target and (absent) authentication */
	assert_non_null(target_of(m, s, 0));
	assert_true(wd_str_eq_c(target_of(m, s, 0)->host, "api.example.com"));
	assert_false(target_of(m, s, 0)->flags & WD_TARGET_DYNAMIC);
	assert_int_equal(m->comps[s].auth, WD_AUTH_NONE);
	wd_model_free(m);
}

static const char solution_flow[] =
	"{\"properties\": {\"connectionReferences\": {\n"
	"  \"shared_office365\": {\"runtimeSource\": \"embedded\", \"connection\":"
	"   {\"connectionReferenceLogicalName\": \"cr_office\"}, \"api\": {\"name\": \"shared_office365\"}},\n"
	"  \"shared_sharepointonline_1\": {\"runtimeSource\": \"invoker\", \"connection\":"
	"   {\"connectionReferenceLogicalName\": \"cr_sp\"}, \"api\": {\"name\": \"shared_sharepointonline\"}}},\n"
	" \"definition\": {\"$schema\": \"x\", \"contentVersion\": \"1.0.0.0\",\n"
	"  \"triggers\": {\"manual\": {\"type\": \"Request\", \"kind\": \"Button\", \"inputs\": {\"schema\": {}}}},\n"
	"  \"actions\": {\n"
	"   \"Get_items\": {\"type\": \"OpenApiConnection\", \"runAfter\": {}, \"inputs\": {\"host\":"
	"    {\"apiId\": \"/providers/Microsoft.PowerApps/apis/shared_sharepointonline\","
	"     \"connectionName\": \"shared_sharepointonline_1\", \"operationId\": \"GetItems\"}}},\n"
	"   \"Send_an_email_(V2)\": {\"type\": \"OpenApiConnection\", \"runAfter\": {\"Get_items\": [\"Succeeded\"]},"
	"    \"inputs\": {\"host\": {\"connectionName\": \"shared_office365\", \"operationId\": \"SendEmailV2\","
	"     \"apiId\": \"/providers/Microsoft.PowerApps/apis/shared_office365\"},"
	"     \"parameters\": {\"emailMessage/To\": \"@{outputs('Get_items')?['body/value']}\"}}}\n"
	"  }}}, \"schemaVersion\": \"1.0.0.0\"}";

static void test_solution_shape(void **state)
{
	wd_model *m;
	uint32_t t, g, s;
	const wd_credential *o, *sp;

	(void)state;
	m = buffer("pkg/Workflows/Notify-0A1B2C3D-4E5F-6071-8293-A4B5C6D7E8F9.json", solution_flow);
	assert_int_equal(m->napps, 1);
	assert_true(wd_str_eq_c(m->apps[0].name, "Notify"));
	assert_true(wd_str_eq_c(m->apps[0].id, "0A1B2C3D-4E5F-6071-8293-A4B5C6D7E8F9"));
	t = comp(m, "manual");
	g = comp(m, "Get_items");
	s = comp(m, "Send_an_email_(V2)");
	/* a button: started by a person, not reachable from the internet */
	assert_int_equal(m->comps[t].kind, WD_KIND_TRIGGER);
	assert_true(m->comps[t].flags & WD_COMP_INVOKED);
	assert_false(m->comps[t].flags & WD_COMP_PUBLIC);
	assert_true(wd_str_eq_c(m->comps[g].type, "shared_sharepointonline.GetItems"));
	assert_true(wd_str_eq_c(m->comps[s].type, "shared_office365.SendEmailV2"));
	/* connection references: embedded vs invoker */
	assert_int_equal(m->ncreds, 2);
	o = find_cred(m, "shared_office365");
	sp = find_cred(m, "shared_sharepointonline_1");
	assert_non_null(o);
	assert_non_null(sp);
	assert_int_equal(o->flags, WD_CREDF_EMBEDDED);
	assert_int_equal(sp->flags, WD_CREDF_INVOKER);
	assert_int_equal(o->storage, WD_CRED_VAULT);
	assert_true(wd_str_eq_c(o->name, "cr_office"));
	assert_true(wd_str_eq_c(o->type, "shared_office365"));
	assert_true(uses(m, s, o));
	assert_true(uses(m, g, sp));
	assert_false(uses(m, g, o));
	assert_int_equal(o->comp, s);
	/* the path of outputs('Get_items')?['body/value'] */
	assert_non_null(find_ref(m, s, WD_REF_NODE, "body/value"));
	assert_true(has_field(m, s, "value"));
	wd_model_free(m);
}

static void test_legacy_package(void **state)
{
	wd_model *m;
	uint32_t t, c, g;
	const wd_credential *cr;

	(void)state;
	write_file("legacy/manifest.json",
	           "{\"schema\": \"1.0\", \"details\": {\"displayName\": \"Pkg\", \"createdBy\": "
	           "\"maker@example.com\"}, \"resources\": {\n"
	           " \"f1\": {\"type\": \"Microsoft.Flow/flows\", \"details\": {\"displayName\": \"From manifest\"}},\n"
	           " \"api1\": {\"id\": \"/providers/Microsoft.PowerApps/apis/shared_office365\", \"name\": "
	           "\"shared_office365\", \"type\": \"Microsoft.PowerApps/apis\"},\n"
	           " \"api2\": {\"type\": \"Microsoft.PowerApps/apis\", \"details\": {\"displayName\": \"MyApi\"}},\n"
	           " \"con2\": {\"type\": \"Microsoft.PowerApps/apis/connections\", \"details\": "
	           "{\"displayName\": \"svc@example.com\"}}}}");
	write_file("legacy/Microsoft.Flow/flows/manifest.json",
	           "{\"packageSchemaVersion\": \"1.0\", \"flowAssets\": {\"assetPaths\": [\"f1\"]}}");
	write_file("legacy/Microsoft.Flow/flows/f1/apisMap.json",
	           "{\"shared_office365\": \"api1\", \"shared_myapi\": \"api2\"}");
	write_file("legacy/Microsoft.Flow/flows/f1/connectionsMap.json",
	           "{\"shared_office365\": \"con1\", \"shared_myapi\": \"con2\"}");
	write_file("legacy/Microsoft.Flow/flows/f1/definition.json",
	           "{\"name\": \"guid-1\", \"type\": \"Microsoft.Flow/flows\", \"properties\": {\n"
	           " \"connectionReferences\": {\n"
	           "  \"shared_office365\": {\"connectionName\": \"shared-office365-1\", \"source\": \"Embedded\","
	           "   \"id\": \"/providers/Microsoft.PowerApps/apis/shared_office365\"},\n"
	           "  \"shared_myapi\": {\"source\": \"Invoker\", \"id\": \"/providers/Microsoft.PowerApps/apis/shared_myapi\"}},\n"
	           " \"definition\": {\"triggers\": {\"Recurrence\": {\"type\": \"Recurrence\", \"recurrence\": "
	           "{\"frequency\": \"Day\"}}},\n"
	           "  \"actions\": {\n"
	           "   \"Call_custom\": {\"type\": \"ApiConnection\", \"runAfter\": {}, \"inputs\": {\"host\": {\"connection\":"
	           "    {\"name\": \"@parameters('$connections')['shared_myapi']['connectionId']\"}},"
	           "    \"method\": \"get\", \"path\": \"/items/@{encodeURIComponent('x')}\"}},\n"
	           "   \"Send_email\": {\"type\": \"ApiConnection\", \"runAfter\": {\"Call_custom\": [\"Succeeded\"]},"
	           "    \"metadata\": {\"flowSystemMetadata\": {\"swaggerOperationId\": \"SendEmailV2\"}},"
	           "    \"inputs\": {\"host\": {\"connection\": {\"name\": "
	           "\"@parameters('$connections')['shared_office365']['connectionId']\"}},"
	           "     \"method\": \"post\", \"path\": \"/v2/Mail\", \"body\": {\"To\": \"@{body('Call_custom')}\"}}}\n"
	           "  }}}}");
	m = file_with_companions("legacy/Microsoft.Flow/flows/f1/definition.json");
	/* the workflow, apisMap, connectionsMap, the package and flows manifests */
	assert_int_equal(m->ndocs, 5);
	assert_int_equal(m->napps, 1);
	assert_true(wd_str_eq_c(m->apps[0].name, "From manifest"));
	assert_true(wd_str_eq_c(m->apps[0].id, "guid-1"));
	assert_true(wd_str_eq_c(m->apps[0].owner_hint, "maker@example.com"));
	t = comp(m, "Recurrence");
	c = comp(m, "Call_custom");
	g = comp(m, "Send_email");
	assert_int_equal(m->comps[t].kind, WD_KIND_TRIGGER);
	assert_true(wd_str_eq_c(m->comps[g].type, "shared_office365.SendEmailV2"));
	assert_true(wd_str_eq_c(m->comps[c].type, "shared_myapi.get /items/{}"));
	/* apisMap -> manifest: an api without a name is a custom connector */
	assert_true(m->comps[c].flags & WD_COMP_CUSTOM);
	assert_false(m->comps[g].flags & WD_COMP_CUSTOM);
	cr = find_cred(m, "shared_office365");
	assert_non_null(cr);
	assert_int_equal(cr->flags, WD_CREDF_EMBEDDED);
	assert_true(uses(m, g, cr));
	cr = find_cred(m, "shared_myapi");
	assert_non_null(cr);
	assert_int_equal(cr->flags, WD_CREDF_INVOKER);
	/* no connectionName: the account from connectionsMap -> manifest */
	assert_true(wd_str_eq_c(cr->name, "svc@example.com"));
	assert_true(uses(m, c, cr));
	assert_true(has_edge(m, c, g, WD_EDGE_EXPR));
	wd_model_free(m);
}

static void test_standard_shape(void **state)
{
	wd_model *m;
	uint32_t t, u, s, cfg;
	const wd_credential *blob, *sp;

	(void)state;
	write_file("std/connections.json",
	           "{\"managedApiConnections\": {\"sharepointonline\": {\"api\": {\"id\": "
	           "\"/subscriptions/s/providers/Microsoft.Web/locations/westeurope/managedApis/sharepointonline\"},"
	           " \"connection\": {\"id\": \"/subscriptions/s/resourceGroups/r/providers/Microsoft.Web/"
	           "connections/sp-conn\"}, \"authentication\": {\"type\": \"ManagedServiceIdentity\"}}},\n"
	           " \"serviceProviderConnections\": {\"AzureBlob\": {\"parameterValues\": {\"connectionString\":"
	           " \"@appsetting('AzureWebJobsStorage')\"}, \"serviceProvider\": {\"id\": \"/serviceProviders/AzureBlob\"},"
	           " \"displayName\": \"blob\"}}}");
	write_file("std/parameters.json", "{\"site\": {\"type\": \"String\", \"value\": \"https://x\"}}");
	write_file("std/orders/workflow.json",
	           "{\"definition\": {\"$schema\": \"x\", \"contentVersion\": \"1.0.0.0\",\n"
	           " \"triggers\": {\"When_a_HTTP_request_is_received\": {\"type\": \"Request\", \"kind\": \"Http\"}},\n"
	           " \"actions\": {\n"
	           "  \"Upload\": {\"type\": \"ServiceProvider\", \"runAfter\": {}, \"inputs\": {\"parameters\": "
	           "{\"content\": \"@triggerBody()\", \"key\": \"@appsetting('BlobKey')\"},"
	           "   \"serviceProviderConfiguration\": {\"connectionName\": \"AzureBlob\", \"operationId\": \"uploadBlob\","
	           "    \"serviceProviderId\": \"/serviceProviders/AzureBlob\"}}},\n"
	           "  \"Get_file\": {\"type\": \"ApiConnection\", \"runAfter\": {\"Upload\": [\"SUCCEEDED\"]}, \"inputs\": "
	           "{\"host\": {\"connection\": {\"referenceName\": \"sharepointonline\"}}, \"method\": \"get\","
	           "   \"path\": \"/datasets/@{parameters('site')}/files\"}}\n"
	           " }}, \"kind\": \"Stateful\"}");
	m = file_with_companions("std/orders/workflow.json");
	assert_int_equal(m->ndocs, 3);
	assert_int_equal(m->napps, 1);
	assert_true(wd_str_eq_c(m->apps[0].name, "orders"));
	check_contiguous(m);
	t = comp(m, "When_a_HTTP_request_is_received");
	u = comp(m, "Upload");
	s = comp(m, "Get_file");
	assert_int_equal(m->comps[t].kind, WD_KIND_ENTRY);
	assert_true(wd_str_eq_c(m->comps[u].type, "ServiceProvider:AzureBlob.uploadBlob"));
	assert_true(wd_str_eq_c(m->comps[s].type, "sharepointonline.get /datasets/{}/files"));
	/* "SUCCEEDED" is a status like "Succeeded" */
	assert_true(has_edge(m, u, s, WD_EDGE_FLOW));
	assert_non_null(find_ref(m, u, WD_REF_ENV, "BlobKey"));
	assert_non_null(find_ref(m, s, WD_REF_PARAM, "site"));
	/* credentials from connections.json; the one with parameterValues is a component */
	assert_int_equal(m->ncreds, 2);
	blob = find_cred(m, "AzureBlob");
	sp = find_cred(m, "sharepointonline");
	assert_non_null(blob);
	assert_non_null(sp);
	assert_true(wd_str_eq_c(sp->type, "sharepointonline"));
	assert_true(wd_str_eq_c(blob->name, "blob"));
	assert_true(uses(m, u, blob));
	assert_true(uses(m, s, sp));
	assert_int_equal(m->ncomps, 4);
	cfg = comp(m, "AzureBlob");
	assert_int_equal(cfg, 3);
	assert_int_equal(m->comps[cfg].app, WD_NONE);
	assert_int_equal(m->comps[cfg].kind, WD_KIND_CONFIG);
	assert_true(wd_str_eq_c(m->comps[cfg].type, "connection:AzureBlob"));
	assert_int_equal(m->comps[cfg].params.doc, 1); /* inside connections.json */
	assert_true(has_edge(m, u, cfg, WD_EDGE_CONFIG));
	wd_model_free(m);
}

static const char arm_template[] =
	"{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n"
	" \"parameters\": {\"logicAppName\": {\"type\": \"string\", \"defaultValue\": \"orders-app\"},\n"
	"  \"base\": {\"type\": \"string\", \"defaultValue\": \"https://api.example.com\"},\n"
	"  \"location\": {\"type\": \"string\", \"defaultValue\": \"[resourceGroup().location]\"},\n"
	"  \"host\": {\"type\": \"string\"},\n"
	"  \"LoopA\": {\"type\": \"string\", \"defaultValue\": \"[variables('loopB')]\"},\n"
	"  \"slackName\": {\"type\": \"string\", \"defaultValue\": \"SlackConnection\"}},\n"
	" \"variables\": {\"conn\": \"[concat('slack-', parameters('logicAppName'))]\",\n"
	"  \"app\": {\"name\": \"second-app\"}, \"loopB\": \"[parameters('LoopA')]\"},\n"
	" \"resources\": [\n"
	"  {\"type\": \"Microsoft.Web/connections\", \"name\": \"[variables('conn')]\", \"properties\": {\n"
	"    \"displayName\": \"Slack\", \"api\": {\"id\": \"[subscriptionResourceId('Microsoft.Web/locations/managedApis',"
	" parameters('location'), 'slack')]\"},\n"
	"    \"parameterValues\": {\"token\": \"not-a-real-token\", \"disableCertificateValidation\": true}}},\n"
	"  {\"type\": \"Microsoft.Logic/workflows\", \"name\": \"[parameters('logicAppName')]\", \"properties\": {\n"
	"    \"state\": \"Disabled\",\n"
	"    \"accessControl\": {\"triggers\": {\"allowedCallerIpAddresses\": [{\"addressRange\": \"10.0.0.0/8\"}]}},\n"
	"    \"definition\": {\"triggers\": {\"manual\": {\"type\": \"request\", \"kind\": \"Http\"}},\n"
	"     \"actions\": {\n"
	"      \"Call\": {\"type\": \"Http\", \"runAfter\": {}, \"inputs\": {\"method\": \"GET\","
	"       \"uri\": \"[concat(parameters('base'), '/orders')]\"}},\n"
	"      \"Call_dynamic\": {\"type\": \"Http\", \"runAfter\": {\"Call\": [\"Succeeded\"]}, \"inputs\": {\"method\": \"GET\","
	"       \"uri\": \"[concat('https://', parameters('host'), '/x')]\"}},\n"
	"      \"Call_cyclic\": {\"type\": \"Http\", \"runAfter\": {\"Call\": [\"Succeeded\"]}, \"inputs\": {\"method\": \"GET\","
	"       \"uri\": \"[parameters('LoopA')]\"}},\n"
	"      \"Post\": {\"type\": \"ApiConnection\", \"runAfter\": {\"Call\": [\"Succeeded\"]}, \"inputs\": {\"host\":"
	"       {\"connection\": {\"name\": \"@parameters('$connections')['slack']['connectionId']\"}},"
	"       \"method\": \"post\", \"path\": \"/chat.postMessage\"}}}},\n"
	"    \"parameters\": {\"$connections\": {\"value\": {\"slack\": {\n"
	"     \"id\": \"[subscriptionResourceId('Microsoft.Web/locations/managedApis', parameters('location'), 'slack')]\",\n"
	"     \"connectionId\": \"[resourceId('Microsoft.Web/connections', variables('conn'))]\"}}}}}},\n"
	"  {\"type\": \"Microsoft.Resources/deployments\", \"name\": \"nested\", \"properties\": {\n"
	"    \"expressionEvaluationOptions\": {\"scope\": \"inner\"},\n"
	"    \"template\": {\"parameters\": {\"inner\": {\"type\": \"string\", \"defaultValue\": \"inner-app\"}},\n"
	"     \"resources\": [{\"type\": \"Microsoft.Logic/workflows\", \"name\": \"[parameters('inner')]\","
	"      \"properties\": {\"state\": \"Enabled\", \"definition\": {\"triggers\": {\"r\": {\"type\": \"Recurrence\"}},"
	"       \"actions\": {}}}}]}}},\n"
	"  {\"type\": \"Microsoft.Logic/workflows\", \"name\": \"[variables('app').name]\", \"properties\": {\n"
	"    \"definition\": {\"triggers\": {\"manual\": {\"type\": \"Request\", \"kind\": \"Http\"}}, \"actions\": {}}}},\n"
	"  {\"type\": \"Microsoft.Logic/workflows\", \"name\": \"[parameters('host')]\", \"properties\": {\n"
	"    \"definition\": {\"triggers\": {}, \"actions\": {}}}}\n"
	" ]}";

static void test_arm_template(void **state)
{
	wd_model *m;
	uint32_t t, call, dyn, cyc, post, conn;
	const wd_credential *cr;
	const wd_target *tg;

	(void)state;
	m = direct("arm/azuredeploy.json", arm_template);
	check_contiguous(m);
	assert_int_equal(m->napps, 4);
	/* names: resolved from defaults, from an object variable's member, from an
	 * inner-scope nested deployment, or kept as written when unknown */
	assert_true(wd_str_eq_c(m->apps[0].name, "orders-app"));
	assert_true(wd_str_eq_c(m->apps[1].name, "inner-app"));
	assert_true(wd_str_eq_c(m->apps[2].name, "second-app"));
	assert_true(wd_str_eq_c(m->apps[3].name, "[parameters('host')]"));
	assert_int_equal(m->apps[0].active, 0);
	assert_int_equal(m->apps[1].active, 1);
	assert_int_equal(m->apps[2].active, -1);
	/* each workflow hashes its own resource object */
	assert_string_not_equal(m->apps[0].hash, m->apps[1].hash);
	assert_string_not_equal(m->apps[2].hash, m->apps[3].hash);
	/* 5 + 1 + 1 + 0 components of workflows, then the connection resource */
	assert_int_equal(m->ncomps, 8);
	t = comp(m, "manual");
	call = comp(m, "Call");
	dyn = comp(m, "Call_dynamic");
	cyc = comp(m, "Call_cyclic");
	post = comp(m, "Post");
	conn = 7;
	assert_true(wd_str_eq_c(m->comps[t].type, "Request")); /* "request" as written */
	/* caller IP restrictions only: decided outside the flow */
	assert_int_equal(m->comps[t].auth, WD_AUTH_EXTERNAL);
	tg = target_of(m, call, 0);
	assert_non_null(tg);
	assert_true(wd_str_eq_c(tg->url, "https://api.example.com/orders"));
	assert_true(wd_str_eq_c(tg->host, "api.example.com"));
	assert_false(tg->flags & WD_TARGET_DYNAMIC);
	tg = target_of(m, dyn, 0);
	assert_non_null(tg);
	assert_true(tg->flags & WD_TARGET_DYNAMIC);
	assert_int_equal(tg->host.len, 0);
	tg = target_of(m, cyc, 0);
	assert_non_null(tg);
	assert_true(tg->flags & WD_TARGET_DYNAMIC);
	/* the connection resource: a credential and a configuration component */
	assert_true(wd_str_eq_c(m->comps[conn].name, "slack-orders-app"));
	assert_true(wd_str_eq_c(m->comps[conn].type, "connection:slack"));
	assert_int_equal(m->comps[conn].kind, WD_KIND_CONFIG);
	assert_int_equal(m->comps[conn].app, WD_NONE);
	assert_true(m->comps[conn].flags & WD_COMP_TLS_NOVERIFY);
	{
		const wd_json_val *pv = wd_model_val(m, m->comps[conn].params);
		assert_true(wd_json_is_obj(pv));
		assert_non_null(wd_json_get(wd_model_json(m, 0), pv, "token"));
	}
	assert_int_equal(m->ncreds, 1);
	cr = find_cred(m, "slack-orders-app");
	assert_non_null(cr);
	assert_true(wd_str_eq_c(cr->type, "slack"));
	assert_true(wd_str_eq_c(cr->name, "Slack"));
	assert_true(uses(m, post, cr));
	assert_true(wd_str_eq_c(m->comps[post].type, "slack.post /chat.postMessage"));
	assert_true(has_edge(m, post, conn, WD_EDGE_CONFIG));
	wd_model_free(m);
}

static void test_detect_shapes(void **state)
{
	static const struct {
		const char *path;
		const char *text;
	} cases[] = {
		{"a/bare.json", bare_def},
		{"a/Workflows/x.json", solution_flow},
		{"a/azuredeploy.json", arm_template},
		{"a/wf/workflow.json", "{\"definition\": {\"triggers\": {}, \"actions\": {}}, \"kind\": \"Stateful\"}"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		wd_json_doc *doc = NULL;
		wd_platform p;
		wd_detect_result det;

		assert_int_equal(wd_json_parse(&doc, cases[i].text, strlen(cases[i].text), NULL, NULL),
		                 WD_OK);
		det = wd_import_detect(doc, cases[i].path, &p);
		wd_json_free(doc);
		if (det != WD_DETECT_EXPORT || p != WD_PLATFORM_POWER_AUTOMATE)
			fail_msg("%s is not detected as a Power Automate export", cases[i].path);
	}
}

/* ---- mapping rules -------------------------------------------------------- */

static void test_nesting(void **state)
{
	static const char def[] =
		"{\"triggers\": {\"t\": {\"type\": \"Recurrence\"}}, \"actions\": {\n"
		" \"Cond\": {\"type\": \"If\", \"runAfter\": {}, \"expression\": {\"equals\": [\"@body('Cond')\", 1]},\n"
		"  \"actions\": {\"Yes\": {\"type\": \"Compose\", \"runAfter\": {}, \"inputs\": 1},\n"
		"              \"Yes2\": {\"type\": \"Compose\", \"runAfter\": {\"Yes\": [\"Succeeded\"]}}},\n"
		"  \"else\": {\"actions\": {\"No\": {\"type\": \"Compose\", \"runAfter\": {}}}}},\n"
		" \"Sw\": {\"type\": \"Switch\", \"runAfter\": {\"Cond\": [\"Succeeded\"]}, \"expression\": \"@triggerBody()\",\n"
		"  \"cases\": {\"Case\": {\"case\": 1, \"actions\": {\"C1\": {\"type\": \"Compose\"}}},\n"
		"            \"Case_2\": {\"case\": 2, \"actions\": {\"C2\": {\"type\": \"Scope\", \"actions\":"
		"             {\"Deep\": {\"type\": \"Until\", \"expression\": \"@true\", \"actions\":"
		"              {\"Deeper\": {\"type\": \"Compose\"}}}}}}}},\n"
		"  \"default\": {\"actions\": {\"D\": {\"type\": \"Compose\"}}}},\n"
		" \"Loop\": {\"type\": \"Foreach\", \"foreach\": \"@body('Sw')\", \"runAfter\": {\"Sw\": [\"Succeeded\"]},\n"
		"  \"actions\": {\"Inner\": {\"type\": \"Compose\", \"inputs\": \"@items('Loop')?['id']\"}}}}}";
	wd_model *m;
	uint32_t cond, yes, yes2, no, sw, c1, c2, deep, deeper, d, loop, inner;

	(void)state;
	m = buffer("nest.json", def);
	assert_int_equal(m->ncomps, 13);
	check_contiguous(m);
	cond = comp(m, "Cond");
	yes = comp(m, "Yes");
	yes2 = comp(m, "Yes2");
	no = comp(m, "No");
	sw = comp(m, "Sw");
	c1 = comp(m, "C1");
	c2 = comp(m, "C2");
	deep = comp(m, "Deep");
	deeper = comp(m, "Deeper");
	d = comp(m, "D");
	loop = comp(m, "Loop");
	inner = comp(m, "Inner");
	/* a container before its children, in document order */
	assert_true(cond < yes && yes < yes2 && yes2 < no && no < sw);
	/* first actions of a branch run after their container */
	assert_string_equal(edge_label(m, cond, yes, WD_EDGE_FLOW), "actions");
	assert_false(has_edge(m, cond, yes2, WD_EDGE_FLOW));
	assert_true(has_edge(m, yes, yes2, WD_EDGE_FLOW));
	assert_string_equal(edge_label(m, cond, no, WD_EDGE_FLOW), "else");
	assert_string_equal(edge_label(m, sw, c1, WD_EDGE_FLOW), "case");
	assert_string_equal(edge_label(m, sw, d, WD_EDGE_FLOW), "default");
	assert_true(has_edge(m, c2, deep, WD_EDGE_FLOW));
	assert_true(has_edge(m, deep, deeper, WD_EDGE_FLOW));
	assert_true(has_edge(m, loop, inner, WD_EDGE_FLOW));
	/* the Foreach array and items('Loop') */
	assert_true(has_edge(m, sw, loop, WD_EDGE_EXPR));
	assert_non_null(find_ref(m, inner, WD_REF_NODE, "id"));
	assert_true(has_edge(m, loop, inner, WD_EDGE_EXPR));
	/* the Switch expression reads the trigger */
	assert_non_null(find_ref(m, sw, WD_REF_INPUT, ""));
	/* a container's configuration is its condition or array, never its children */
	assert_true(wd_json_is_obj(wd_model_val(m, m->comps[cond].params)));
	assert_true(wd_json_is_str(wd_model_val(m, m->comps[loop].params)));
	assert_int_equal(m->comps[c2].params.doc, WD_NONE);
	assert_true(wd_json_is_obj(wd_model_val(m, m->comps[d].params)));
	wd_model_free(m);
}

/* Scopes nested n deep. */
static char *deep_scopes(unsigned n)
{
	wd_buf b;
	unsigned i;
	char *out;

	wd_buf_init(&b, 1u << 24);
	wd_buf_puts(&b, "{\"triggers\": {\"t\": {\"type\": \"Recurrence\"}}, \"actions\": ");
	for (i = 0; i < n; i++)
		wd_buf_printf(&b, "{\"S%u\": {\"type\": \"Scope\", \"actions\": ", i);
	wd_buf_puts(&b, "{}");
	for (i = 0; i < n; i++)
		wd_buf_puts(&b, "}}");
	wd_buf_puts(&b, "}");
	assert_false(wd_buf_failed(&b));
	out = strdup(wd_buf_cstr(&b));
	wd_buf_release(&b);
	return out;
}

static void test_nesting_limit(void **state)
{
	wd_import_opts o = default_opts(0);
	wd_model *m = NULL;
	wd_error err;
	char *text;

	(void)state;
	o.limits.max_nesting = 8;
	text = deep_scopes(8);
	assert_int_equal(direct_opts("deep.json", text, &o, &m, &err), WD_OK);
	assert_int_equal(m->ncomps, 9);
	wd_model_free(m);
	free(text);
	text = deep_scopes(20);
	assert_int_equal(direct_opts("deep.json", text, &o, &m, &err), WD_ELIMIT);
	assert_null(m);
	assert_non_null(strstr(err.message, "nested"));
	assert_true(strlen(err.pointer) > 0);
	assert_non_null(strstr(err.pointer, "/actions/S8/actions"));
	assert_true(err.line > 0);
	free(text);
}

static void test_run_after(void **state)
{
	static const char def[] =
		"{\"triggers\": {\"t\": {\"type\": \"Recurrence\"}}, \"actions\": {\n"
		" \"Try\": {\"type\": \"Scope\", \"runAfter\": {}, \"actions\": {\"Work\": {\"type\": \"Http\","
		"  \"inputs\": {\"uri\": \"https://x.example\", \"method\": \"GET\"}}}},\n"
		" \"Catch\": {\"type\": \"Scope\", \"runAfter\": {\"Try\": [\"Failed\", \"TimedOut\"]}},\n"
		" \"Skip\": {\"type\": \"Compose\", \"runAfter\": {\"Try\": [\"Skipped\"]}},\n"
		" \"Finally\": {\"type\": \"Compose\", \"runAfter\": {\"Try\": [\"Succeeded\", \"Failed\"]}},\n"
		" \"A\": {\"type\": \"Compose\", \"runAfter\": {\"B\": [\"Succeeded\"]}},\n"
		" \"B\": {\"type\": \"Compose\", \"runAfter\": {\"A\": [\"Succeeded\"]}},\n"
		" \"Lost\": {\"type\": \"Compose\", \"runAfter\": {\"Nowhere\": [\"Succeeded\"], \"Lost\": [\"Succeeded\"]}},\n"
		" \"Odd\": {\"type\": \"Compose\", \"runAfter\": {\"Try\": \"Succeeded\"}}}}";
	static const char ok_only[] =
		"{\"triggers\": {\"t\": {\"type\": \"Recurrence\"}}, \"actions\": {\n"
		" \"A\": {\"type\": \"Compose\", \"runAfter\": {}},\n"
		" \"B\": {\"type\": \"Compose\", \"runAfter\": {\"A\": [\"Succeeded\", \"Skipped\"]}}}}";
	wd_model *m;
	uint32_t t, try_, work, catch_, skip, fin, a, b, lost, odd;

	(void)state;
	m = buffer("ra.json", def);
	t = comp(m, "t");
	try_ = comp(m, "Try");
	work = comp(m, "Work");
	catch_ = comp(m, "Catch");
	skip = comp(m, "Skip");
	fin = comp(m, "Finally");
	a = comp(m, "A");
	b = comp(m, "B");
	lost = comp(m, "Lost");
	odd = comp(m, "Odd");
	assert_int_equal(m->apps[0].error_handling, 1);
	assert_true(has_edge(m, t, try_, WD_EDGE_FLOW));
	assert_true(has_edge(m, try_, work, WD_EDGE_FLOW));
	assert_true(has_edge(m, try_, catch_, WD_EDGE_ERROR));
	assert_false(has_edge(m, try_, catch_, WD_EDGE_FLOW));
	assert_true(has_edge(m, try_, skip, WD_EDGE_ERROR));
	assert_true(has_edge(m, try_, fin, WD_EDGE_FLOW));
	/* a runAfter cycle is two edges, nothing more */
	assert_true(has_edge(m, a, b, WD_EDGE_FLOW));
	assert_true(has_edge(m, b, a, WD_EDGE_FLOW));
	/* unknown predecessors and self references add nothing, and no trigger edge */
	assert_false(has_edge(m, t, lost, WD_EDGE_FLOW));
	assert_false(has_edge(m, lost, lost, WD_EDGE_FLOW));
	assert_true(has_edge(m, try_, odd, WD_EDGE_FLOW));
	wd_model_free(m);

	m = buffer("ok.json", ok_only);
	assert_int_equal(m->apps[0].error_handling, 0);
	assert_true(has_edge(m, comp(m, "A"), comp(m, "B"), WD_EDGE_FLOW));
	wd_model_free(m);
}

static void test_expressions(void **state)
{
	static const char def[] =
		"{\"triggers\": {\"manual\": {\"type\": \"Request\", \"kind\": \"Http\"}}, \"actions\": {\n"
		" \"Get_item\": {\"type\": \"Compose\", \"runAfter\": {}, \"inputs\": \"x\"},\n"
		" \"Init\": {\"type\": \"InitializeVariable\", \"runAfter\": {}, \"inputs\": {\"variables\":"
		"  [{\"name\": \"Total\", \"type\": \"integer\", \"value\": 0}]}},\n"
		" \"Set\": {\"type\": \"SetVariable\", \"runAfter\": {}, \"inputs\": {\"name\": \"Total\","
		"  \"value\": \"@triggerBody()?['amount']\"}},\n"
		" \"Use\": {\"type\": \"Compose\", \"runAfter\": {}, \"inputs\": {\n"
		"  \"a\": \"@body('Get_item')?['Title']\",\n"
		"  \"b\": \"@{triggerBody()?['email']} and @{TriggerOutputs()['headers']['x-key']}\",\n"
		"  \"c\": \"@@body('Nope') is literal\",\n"
		"  \"d\": \"@{outputs('Get item')?.body.name}\",\n"
		"  \"e\": \"@variables('total')\",\n"
		"  \"f\": \"@parameters('$connections')\",\n"
		"  \"g\": \"@parameters('Site URL')\",\n"
		"  \"h\": \"@concat('it''s body(''Not'')', body('Get_item')[0]['x'])\",\n"
		"  \"i\": \"@body('Get_item\",\n"
		"  \"j\": \"plain body('Nope') text\",\n"
		"  \"k\": \"@workflow().run.name\",\n"
		"  \"l\": [\"@{body('Missing')}\", {\"m\": \"@triggerFormDataValue('field')\","
		"   \"n\": \"@triggerFormDataMultiValues('multi', 2)\"}]}}}}";
	wd_model *m;
	uint32_t g, init, set, use;
	const wd_ref *r;
	size_t i;

	(void)state;
	m = buffer("expr.json", def);
	g = comp(m, "Get_item");
	init = comp(m, "Init");
	set = comp(m, "Set");
	use = comp(m, "Use");
	r = find_ref(m, use, WD_REF_NODE, "Title");
	assert_non_null(r);
	assert_int_equal(r->src, g);
	assert_non_null(find_ref(m, use, WD_REF_INPUT, "email"));
	assert_non_null(find_ref(m, use, WD_REF_INPUT, "headers.x-key"));
	/* "Get item" in an expression names the action Get_item */
	r = find_ref(m, use, WD_REF_NODE, "body.name");
	assert_non_null(r);
	assert_int_equal(r->src, g);
	/* variables: from the declaration, case-insensitive; every writer feeds the reader */
	r = find_ref(m, use, WD_REF_NODE, "total");
	assert_non_null(r);
	assert_int_equal(r->src, init);
	assert_true(has_edge(m, init, use, WD_EDGE_EXPR));
	assert_true(has_edge(m, set, use, WD_EDGE_EXPR));
	assert_non_null(find_ref(m, set, WD_REF_INPUT, "amount"));
	assert_non_null(find_ref(m, use, WD_REF_PARAM, "Site URL"));
	assert_non_null(find_ref(m, use, WD_REF_NODE, "0.x"));
	assert_non_null(find_ref(m, use, WD_REF_OTHER, "workflow.run.name"));
	assert_non_null(find_ref(m, use, WD_REF_INPUT, "field"));
	assert_non_null(find_ref(m, use, WD_REF_INPUT, "multi"));
	r = find_ref(m, use, WD_REF_NODE, "");
	assert_non_null(r); /* body('Missing'): a reference to nothing known */
	assert_int_equal(r->src, WD_NONE);
	for (i = 0; i < m->nrefs; i++) {
		const wd_ref *x = &m->refs[i];
		/* literals, escaped @@ and $connections give nothing */
		assert_false(x->kind == WD_REF_PARAM && wd_str_eq_c(x->path, "$connections"));
		assert_false(x->src == WD_NONE && x->kind == WD_REF_NODE && x->path.len);
	}
	/* one expression edge per pair, whatever the number of references */
	{
		size_t n = 0;
		for (i = 0; i < m->nedges; i++)
			n += m->edges[i].kind == WD_EDGE_EXPR && m->edges[i].from == g &&
			     m->edges[i].to == use;
		assert_int_equal(n, 1);
	}
	assert_true(m->comps[use].flags & WD_COMP_INPUT_USED);
	assert_false(m->comps[g].flags & WD_COMP_INPUT_USED);
	wd_model_free(m);
}

/* Huge and hostile expression strings: linear, capped, no crash. */
static void test_expression_limits(void **state)
{
	wd_buf b;
	wd_model *m;
	char *text;
	uint32_t use;
	unsigned i;

	(void)state;
	wd_buf_init(&b, 1u << 26);
	wd_buf_puts(&b, "{\"triggers\": {}, \"actions\": {\"A\": {\"type\": \"Compose\"},"
	                " \"Use\": {\"type\": \"Compose\", \"inputs\": [\"");
	for (i = 0; i < 100000; i++)
		wd_buf_puts(&b, "@{body('A')}");
	wd_buf_puts(&b, "\", \"");
	for (i = 0; i < 1000; i++)
		wd_buf_printf(&b, "@{triggerBody()?['f%u']}", i);
	wd_buf_puts(&b, "\", \"@");
	for (i = 0; i < 10000; i++)
		wd_buf_puts(&b, "body(");
	wd_buf_puts(&b, "\", \"@{'unterminated\", \"@body('A')?['a']?['b'");
	wd_buf_puts(&b, "\", \"@{");
	for (i = 0; i < 10000; i++)
		wd_buf_puts(&b, "['x']");
	wd_buf_puts(&b, "\"]}}}");
	assert_false(wd_buf_failed(&b));
	text = strdup(wd_buf_cstr(&b));
	wd_buf_release(&b);
	m = buffer("huge.json", text);
	use = comp(m, "Use");
	assert_true(refs_of(m, use) <= 128);
	assert_true(refs_of(m, use) >= 100);
	assert_true(has_edge(m, comp(m, "A"), use, WD_EDGE_EXPR));
	wd_model_free(m);
	free(text);
}

/* The Request trigger's caller settings, in a solution-shaped export. */
static wd_model *request_flow(const char *trigger, const char *access)
{
	char text[2048];

	snprintf(text, sizeof(text),
	         "{\"properties\": {%s%s%s\"definition\": {\"triggers\": {\"manual\": %s}, "
	         "\"actions\": {}}}}",
	         access ? "\"accessControl\": " : "", access ? access : "", access ? ", " : "", trigger);
	return buffer("Workflows/req.json", text);
}

static void test_request_auth(void **state)
{
	static const struct {
		const char *trigger;
		const char *access;
		wd_auth auth;
		int pub;
	} cases[] = {
		{"{\"type\": \"Request\", \"kind\": \"Http\", \"inputs\": {\"triggerAuthenticationType\": \"All\"}}",
		 NULL, WD_AUTH_NONE, 1},
		{"{\"type\": \"Request\", \"kind\": \"Http\"}", NULL, WD_AUTH_NONE, 1},
		{"{\"type\": \"Request\"}", NULL, WD_AUTH_NONE, 1},
		{"{\"type\": \"Request\", \"kind\": \"Http\", \"inputs\": {\"triggerAuthenticationType\": \"Tenant\"}}",
		 NULL, WD_AUTH_PLATFORM, 1},
		{"{\"type\": \"Request\", \"kind\": \"Http\", \"inputs\": {\"triggerAuthenticationType\": \"User\","
		 " \"triggerAllowedUsers\": \"a@example.com\"}}", NULL, WD_AUTH_PLATFORM, 1},
		{"{\"type\": \"Request\", \"kind\": \"Http\"}",
		 "{\"triggers\": {\"openAuthenticationPolicies\": {\"policies\": {\"p\": {\"type\": \"AAD\"}}}}}",
		 WD_AUTH_OAUTH, 1},
		{"{\"type\": \"Request\", \"kind\": \"Http\"}",
		 "{\"triggers\": {\"allowedCallerIpAddresses\": [{\"addressRange\": \"10.0.0.1\"}]}}",
		 WD_AUTH_EXTERNAL, 1},
		{"{\"type\": \"Request\", \"kind\": \"Http\"}",
		 "{\"triggers\": {\"allowedCallerIpAddresses\": []}}", WD_AUTH_NONE, 1},
		{"{\"type\": \"Request\", \"kind\": \"Http\", \"inputs\": {\"triggerAuthenticationType\": 5}}",
		 NULL, WD_AUTH_UNKNOWN, 1},
		{"{\"type\": \"Request\", \"kind\": \"PowerAppV2\", \"inputs\": {\"schema\": {}}}", NULL,
		 WD_AUTH_PLATFORM, 0},
		{"{\"type\": \"Request\", \"kind\": \"Button\"}", NULL, WD_AUTH_PLATFORM, 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		wd_model *m = request_flow(cases[i].trigger, cases[i].access);
		const wd_component *c = &m->comps[0];
		if (c->auth != cases[i].auth)
			fail_msg("case %zu: auth %s, expected %s", i, wd_auth_name(c->auth),
			         wd_auth_name(cases[i].auth));
		assert_int_equal(!!(c->flags & WD_COMP_PUBLIC), cases[i].pub);
		assert_int_equal(c->kind, cases[i].pub ? WD_KIND_ENTRY : WD_KIND_TRIGGER);
		assert_true(c->flags & WD_COMP_INVOKED);
		assert_true(c->auth_loc.doc != WD_NONE);
		wd_model_free(m);
	}
}

static void test_secure_data_and_http(void **state)
{
	static const char def[] =
		"{\"triggers\": {\"t\": {\"type\": \"Recurrence\"}}, \"actions\": {\n"
		" \"Both\": {\"type\": \"Http\", \"inputs\": {\"uri\": \"https://a.example\", \"authentication\":"
		"  {\"type\": \"Basic\", \"username\": \"u\", \"password\": \"@parameters('pw')\"}},\n"
		"  \"runtimeConfiguration\": {\"secureData\": {\"properties\": [\"inputs\", \"outputs\"]}}},\n"
		" \"InOnly\": {\"type\": \"Http\", \"inputs\": {\"uri\": \"@{variables('u')}/x\", \"authentication\":"
		"  {\"type\": \"Raw\", \"value\": \"@parameters('k')\"}},\n"
		"  \"runtimeConfiguration\": {\"secureData\": {\"properties\": [\"inputs\"]}}},\n"
		" \"Msi\": {\"type\": \"Http\", \"inputs\": {\"uri\": \"https://management.azure.com/x\","
		"  \"authentication\": {\"type\": \"ManagedServiceIdentity\"}}},\n"
		" \"Aad\": {\"type\": \"Http\", \"inputs\": {\"uri\": \"https://b.example\", \"authentication\":"
		"  {\"type\": \"ActiveDirectoryOAuth\"}}},\n"
		" \"Cert\": {\"type\": \"Http\", \"inputs\": {\"uri\": \"https://c.example\", \"authentication\":"
		"  {\"type\": \"ClientCertificate\"}}},\n"
		" \"Dyn\": {\"type\": \"Http\", \"inputs\": {\"uri\": \"https://d.example\", \"authentication\":"
		"  \"@parameters('$authentication')\"}},\n"
		" \"Hook\": {\"type\": \"HttpWebhook\", \"inputs\": {\"subscribe\": {\"uri\": \"https://e.example/sub\"},"
		"  \"unsubscribe\": {\"uri\": \"https://e.example/unsub\"}}},\n"
		" \"Js\": {\"type\": \"JavaScriptCode\", \"inputs\": {\"code\": \"return workflowContext.trigger;\"}},\n"
		" \"Fn\": {\"type\": \"Function\", \"inputs\": {\"function\": {\"id\": \"/x\"}}},\n"
		" \"Child\": {\"type\": \"Workflow\", \"inputs\": {\"host\": {\"workflow\": {\"id\": \"/sub/child\"},"
		"  \"triggerName\": \"manual\"}}}}}";
	wd_model *m;
	uint32_t both, in_only, hook, js;

	(void)state;
	m = buffer("http.json", def);
	both = comp(m, "Both");
	in_only = comp(m, "InOnly");
	assert_true(m->comps[both].flags & WD_COMP_SECURE_IO);
	assert_false(m->comps[in_only].flags & WD_COMP_SECURE_IO);
	assert_int_equal(m->comps[both].auth, WD_AUTH_BASIC);
	assert_int_equal(m->comps[in_only].auth, WD_AUTH_HEADER);
	assert_int_equal(m->comps[comp(m, "Msi")].auth, WD_AUTH_PLATFORM);
	assert_int_equal(m->comps[comp(m, "Aad")].auth, WD_AUTH_OAUTH);
	assert_int_equal(m->comps[comp(m, "Cert")].auth, WD_AUTH_CERT);
	assert_int_equal(m->comps[comp(m, "Dyn")].auth, WD_AUTH_DYNAMIC);
	assert_true(target_of(m, in_only, 0)->flags & WD_TARGET_DYNAMIC);
	assert_false(target_of(m, both, 0)->flags & WD_TARGET_DYNAMIC);
	hook = comp(m, "Hook");
	assert_true(wd_str_eq_c(target_of(m, hook, 0)->url, "https://e.example/sub"));
	assert_true(wd_str_eq_c(target_of(m, hook, 1)->url, "https://e.example/unsub"));
	js = comp(m, "Js");
	assert_int_equal(m->comps[js].kind, WD_KIND_CODE);
	assert_true(wd_str_eq_c(m->comps[js].code, "return workflowContext.trigger;"));
	assert_int_equal(m->comps[comp(m, "Fn")].kind, WD_KIND_CODE);
	assert_non_null(find_ref(m, comp(m, "Child"), WD_REF_OTHER, "/sub/child"));
	wd_model_free(m);
}

static void test_custom_connector(void **state)
{
	static const char def[] =
		"{\"properties\": {\"connectionReferences\": {\n"
		"  \"shared_graphapi-5f04d5eb22c34423fb-5f448e0b83a75acf03_1\": {\"runtimeSource\": \"embedded\","
		"   \"api\": {\"name\": \"shared_graphapi-5f04d5eb22c34423fb-5f448e0b83a75acf03\"}},\n"
		"  \"shared_office365_2\": {\"runtimeSource\": \"invoker\", \"api\": {\"name\": \"shared_office365\"}}},\n"
		" \"definition\": {\"triggers\": {}, \"actions\": {\n"
		"  \"Custom\": {\"type\": \"OpenApiConnection\", \"inputs\": {\"host\": {\"connectionName\":"
		"   \"shared_graphapi-5f04d5eb22c34423fb-5f448e0b83a75acf03_1\", \"operationId\": \"GetUser\"}}},\n"
		"  \"Standard\": {\"type\": \"OpenApiConnection\", \"inputs\": {\"host\": {\"connectionName\":"
		"   \"shared_office365_2\", \"operationId\": \"SendEmailV2\"}}}}}}}";
	wd_model *m;
	uint32_t c, s;

	(void)state;
	m = buffer("Workflows/custom.json", def);
	c = comp(m, "Custom");
	s = comp(m, "Standard");
	assert_true(m->comps[c].flags & WD_COMP_CUSTOM);
	assert_false(m->comps[s].flags & WD_COMP_CUSTOM);
	/* the api comes from the connection reference when the host has no apiId */
	assert_true(wd_str_eq_c(m->comps[c].type,
	                        "shared_graphapi-5f04d5eb22c34423fb-5f448e0b83a75acf03.GetUser"));
	assert_true(wd_str_eq_c(m->comps[s].type, "shared_office365.SendEmailV2"));
	assert_null(m->comps[c].connector);
	assert_true(m->comps[c].flags & WD_COMP_UNKNOWN_TYPE);
	wd_model_free(m);
}

static void test_wrong_types(void **state)
{
	static const char *const ok[] = {
		"{\"triggers\": {\"t\": 5, \"u\": {\"type\": 7, \"inputs\": [1]}}, \"actions\": []}",
		"{\"triggers\": {}, \"actions\": {\"A\": \"x\", \"B\": {\"type\": [], \"runAfter\": [],"
		" \"inputs\": 3, \"actions\": 5, \"else\": [], \"cases\": {\"c\": 1, \"d\": {\"actions\": []}},"
		" \"default\": \"x\", \"runtimeConfiguration\": {\"secureData\": {\"properties\": \"inputs\"}}},"
		" \"C\": {\"type\": \"Http\", \"inputs\": {\"uri\": 5, \"authentication\": 7}},"
		" \"D\": {\"type\": \"OpenApiConnection\", \"inputs\": {\"host\": {\"connectionName\": 5,"
		"  \"connection\": {\"name\": \"@parameters('$connections')['\"}}}},"
		" \"E\": {\"type\": \"InitializeVariable\", \"inputs\": {\"variables\": [5, {\"name\": 3}]}}}}",
		"{\"properties\": {\"connectionReferences\": [1], \"state\": 5, \"accessControl\": 3,"
		" \"definition\": {\"triggers\": {\"r\": {\"type\": \"Request\", \"inputs\": {\"schema\": "
		"{\"properties\": [1, 2]}}}}}}}",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		wd_model *m = buffer(i == 2 ? "Workflows/w.json" : "w.json", ok[i]);
		assert_int_equal(m->napps, 1);
		wd_model_free(m);
	}
}

static void test_bad_roots(void **state)
{
	static const char *const bad[] = {
		"[1, 2]",
		"\"text\"",
		"{\"resources\": []}",
		"{\"resources\": [{\"type\": \"Microsoft.Logic/workflows\", \"properties\": {\"definition\": 5}},"
		" {\"type\": \"Microsoft.Web/connections\", \"name\": \"c\"}]}",
		"{\"name\": \"x\"}",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		wd_import_opts o = default_opts(0);
		wd_model *m = NULL;
		wd_error err;
		wd_status rc = direct_opts("bad.json", bad[i], &o, &m, &err);
		if (rc != WD_EFORMAT)
			fail_msg("case %zu: %s, expected a format error", i, wd_status_str(rc));
		assert_null(m);
		assert_non_null(strstr(err.message, "power-automate"));
	}
}

/* An ARM template with a cyclic dependsOn and cyclic variables imports. */
static void test_arm_cycles(void **state)
{
	static const char text[] =
		"{\"variables\": {\"a\": \"[variables('b')]\", \"b\": \"[concat(variables('a'), variables('a'))]\"},"
		" \"resources\": [{\"type\": \"Microsoft.Logic/workflows\", \"name\": \"[variables('a')]\","
		"  \"dependsOn\": [\"[resourceId('Microsoft.Logic/workflows', variables('a'))]\"],"
		"  \"properties\": {\"definition\": {\"triggers\": {}, \"actions\": {\"H\": {\"type\": \"Http\","
		"   \"inputs\": {\"uri\": \"[concat(variables('b'), variables('b'), variables('b'))]\"}}}}}},"
		"  {\"type\": \"Microsoft.Web/connections\", \"name\": \"[concat(\", \"properties\": "
		"{\"api\": {\"id\": \"[resourceId(]\"}}}]}";
	wd_model *m;

	(void)state;
	m = direct("cyc.json", text);
	assert_int_equal(m->napps, 1);
	assert_true(wd_str_eq_c(m->apps[0].name, "[variables('a')]"));
	assert_true(m->targets[0].flags & WD_TARGET_DYNAMIC);
	assert_int_equal(m->ncomps, 2);
	wd_model_free(m);
}

/* ---- the corpus ---------------------------------------------------------------- */

typedef struct corpus_stats {
	size_t files, detected, apps, comps, edges, creds, embedded, invoker, targets, refs, fields;
	double seconds;
} corpus_stats;

static int is_def(const wd_json_doc *d, const wd_json_val *v)
{
	return wd_json_is_obj(v) && (wd_json_is_obj(wd_json_get(d, v, "triggers")) ||
	                             wd_json_is_obj(wd_json_get(d, v, "actions")));
}

/* Actions of a container and theirs, counted straight from the JSON. */
static size_t count_actions(const wd_json_doc *d, const wd_json_val *acts)
{
	const wd_json_val *k, *v, *ck, *cv;
	size_t i, j, n = 0;

	if (!wd_json_is_obj(acts))
		return 0;
	WD_JSON_OBJ_FOREACH(acts, i, k, v)
	{
		const wd_json_val *cases = wd_json_get(d, v, "cases");
		if (!wd_json_is_obj(v))
			continue;
		n++;
		n += count_actions(d, wd_json_get(d, v, "actions"));
		n += count_actions(d, wd_json_get(d, wd_json_get(d, v, "else"), "actions"));
		n += count_actions(d, wd_json_get(d, wd_json_get(d, v, "default"), "actions"));
		if (wd_json_is_obj(cases)) {
			WD_JSON_OBJ_FOREACH(cases, j, ck, cv)
				n += count_actions(d, wd_json_get(d, cv, "actions"));
		}
	}
	return n;
}

static size_t count_definition(const wd_json_doc *d, const wd_json_val *def)
{
	const wd_json_val *trig = wd_json_get(d, def, "triggers"), *k, *v;
	size_t i, n = 0;

	if (wd_json_is_obj(trig)) {
		WD_JSON_OBJ_FOREACH(trig, i, k, v)
			n += wd_json_is_obj(v);
	}
	return n + count_actions(d, wd_json_get(d, def, "actions"));
}

static int type_is(const wd_json_doc *d, const wd_json_val *r, const char *t)
{
	wd_str s = wd_json_get_str(d, r, "type");
	size_t i, n = strlen(t);

	if (s.len != n)
		return 0;
	for (i = 0; i < n; i++)
		if ((s.ptr[i] | 0x20) != (t[i] | 0x20))
			return 0;
	return 1;
}

/* ARM resources: workflows' triggers and actions, and connection resources. */
static void count_arm(const wd_json_doc *d, const wd_json_val *res, size_t *comps, size_t *apps,
                      unsigned depth)
{
	const wd_json_val *r;
	size_t i;

	if (!wd_json_is_arr(res) || depth > 16)
		return;
	WD_JSON_ARR_FOREACH(res, i, r)
	{
		const wd_json_val *props = wd_json_get(d, r, "properties");
		const wd_json_val *def = wd_json_get(d, props, "definition");
		if (type_is(d, r, "Microsoft.Web/connections"))
			(*comps)++;
		if (type_is(d, r, "Microsoft.Logic/workflows") && wd_json_is_obj(def)) {
			*comps += count_definition(d, def);
			(*apps)++;
		}
		count_arm(d, wd_json_get(d, r, "resources"), comps, apps, depth + 1);
		count_arm(d, wd_json_get(d, wd_json_get(d, props, "template"), "resources"), comps, apps,
		          depth + 1);
	}
}

static void count_json(const wd_json_doc *d, size_t *comps, size_t *apps)
{
	const wd_json_val *root = wd_json_root(d);
	const wd_json_val *pd = wd_json_get(d, wd_json_get(d, root, "properties"), "definition");

	*comps = *apps = 0;
	if (is_def(d, pd)) {
		*comps = count_definition(d, pd);
		*apps = 1;
	} else if (is_def(d, wd_json_get(d, root, "definition"))) {
		*comps = count_definition(d, wd_json_get(d, root, "definition"));
		*apps = 1;
	} else if (is_def(d, root)) {
		*comps = count_definition(d, root);
		*apps = 1;
	} else {
		count_arm(d, wd_json_get(d, root, "resources"), comps, apps, 0);
	}
}

static void import_corpus_file(const char *path, corpus_stats *st)
{
	wd_import_opts o = default_opts(1);
	wd_json_doc *doc = NULL;
	wd_model *m = NULL;
	wd_error err;
	wd_platform p;
	wd_detect_result det;
	size_t want, apps, i;
	struct timespec a, b;
	uint32_t di;
	wd_status rc;

	wd_limits_resolve(&o.limits);
	memset(&err, 0, sizeof(err));
	if (wd_json_parse_file(&doc, path, &o.limits, &err) != WD_OK)
		fail_msg("%s: %s", path, err.message);
	det = wd_import_detect(doc, path, &p);
	if (det == WD_DETECT_COMPANION) {
		wd_json_free(doc);
		return;
	}
	st->detected += det == WD_DETECT_EXPORT && p == WD_PLATFORM_POWER_AUTOMATE;
	count_json(doc, &want, &apps);
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(wd_model_new(&m, path, &o.limits), WD_OK);
	assert_int_equal(wd_model_add_doc(m, path, doc, &di), WD_OK);
	m->platform = WD_PLATFORM_POWER_AUTOMATE;
	rc = wd_import_powerautomate(m, di, &o, &err);
	if (rc == WD_OK)
		rc = wd_model_finish(m);
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (rc != WD_OK)
		fail_msg("%s: %s (pointer %s)", path, err.message, err.pointer);
	st->seconds += (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	if (m->ncomps != want || m->napps != apps)
		fail_msg("%s: %zu components in %zu apps, the JSON has %zu in %zu", path, m->ncomps,
		         m->napps, want, apps);
	check_contiguous(m);
	for (i = 0; i < m->ncreds; i++) {
		st->embedded += !!(m->creds[i].flags & WD_CREDF_EMBEDDED);
		st->invoker += !!(m->creds[i].flags & WD_CREDF_INVOKER);
	}
	for (i = 0; i < m->napps; i++)
		assert_int_equal(strlen(m->apps[i].hash), 64);
	st->files++;
	st->apps += m->napps;
	st->comps += m->ncomps;
	st->edges += m->nedges;
	st->creds += m->ncreds;
	st->targets += m->ntargets;
	st->refs += m->nrefs;
	st->fields += m->nfields;
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
		else if (n > 5 && !strcmp(e->d_name + n - 5, ".json"))
			import_corpus_file(p, st);
	}
	closedir(d);
}

static void test_corpus(void **state)
{
	corpus_stats st;
	struct stat sb;

	(void)state;
	if (stat(WARDEN_CORPUS_DIR "/power-automate", &sb) != 0)
		skip();
	memset(&st, 0, sizeof(st));
	walk(WARDEN_CORPUS_DIR "/power-automate", &st, 0);
	printf("power-automate corpus: %zu files (%zu detected), %zu apps, %zu components, %zu edges, "
	       "%zu credentials (%zu embedded, %zu invoker), %zu targets, %zu refs, %zu fields, "
	       "import %.3f s\n",
	       st.files, st.detected, st.apps, st.comps, st.edges, st.creds, st.embedded, st.invoker,
	       st.targets, st.refs, st.fields, st.seconds);
	assert_int_equal(st.files, 296);
	assert_true(st.embedded > 0 && st.invoker > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bare_definition),
		cmocka_unit_test(test_solution_shape),
		cmocka_unit_test(test_legacy_package),
		cmocka_unit_test(test_standard_shape),
		cmocka_unit_test(test_arm_template),
		cmocka_unit_test(test_detect_shapes),
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test(test_run_after),
		cmocka_unit_test(test_expressions),
		cmocka_unit_test(test_expression_limits),
		cmocka_unit_test(test_request_auth),
		cmocka_unit_test(test_secure_data_and_http),
		cmocka_unit_test(test_custom_connector),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_bad_roots),
		cmocka_unit_test(test_arm_cycles),
		cmocka_unit_test(test_corpus),
	};

	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
