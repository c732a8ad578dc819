/*
 * test_rules.c - every built-in rule, a positive and a negative case at least,
 * on small exports written inline; plus redaction and fingerprint stability.
 *
 * Each case imports a buffer through wd_import_buffer (detection included),
 * runs all rules and counts the findings of one rule (and checks the highest
 * severity among them when the case names one). The WD-POL-* cases also
 * review the model against a small inline policy (wd_policy_review).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "warden/detect.h"
#include "warden/import.h"
#include "warden/policy.h"
#include "warden/rules.h"

/* ---- n8n building blocks ---------------------------------------------------------- */

#define WF(nodes, conns, settings)                                                         \
	"{\"name\":\"wf\",\"id\":\"W1\",\"active\":true,\"nodes\":[" nodes                   \
	"],\"connections\":{" conns "},\"settings\":{" settings "}}"
#define ERRWF "\"errorWorkflow\":\"42\""
#define NODE(id, name, type, params)                                                         \
	"{\"id\":\"" id "\",\"name\":\"" name "\",\"type\":\"" type                              \
	"\",\"typeVersion\":1,\"position\":[0,0],\"parameters\":{" params "}}"
#define NODE_X(id, name, type, params, extra)                                                \
	"{\"id\":\"" id "\",\"name\":\"" name "\",\"type\":\"" type                              \
	"\",\"typeVersion\":1,\"position\":[0,0],\"parameters\":{" params "}," extra "}"
#define MAIN(from, to) "\"" from "\":{\"main\":[[{\"node\":\"" to "\",\"type\":\"main\",\"index\":0}]]}"
#define AI(from, type, to)                                                                   \
	"\"" from "\":{\"" type "\":[[{\"node\":\"" to "\",\"type\":\"" type "\",\"index\":0}]]}"

#define HOOK NODE("h", "Hook", "n8n-nodes-base.webhook", "\"path\":\"in\",\"httpMethod\":\"POST\"")
#define HOOK_AUTH                                                                            \
	NODE("h", "Hook", "n8n-nodes-base.webhook",                                          \
	     "\"path\":\"in\",\"authentication\":\"headerAuth\"")
#define SCHED NODE("s", "Every day", "n8n-nodes-base.scheduleTrigger", "")
#define CODE(name) NODE("c", name, "n8n-nodes-base.code", "\"jsCode\":\"return $input.all();\"")

typedef struct rule_case {
	const char *name;
	const char *path;      /* label; decides companions and file-level names */
	const char *json;
	const char *rule;
	int count;             /* expected findings of this rule */
	int severity;          /* highest severity expected, -1 = don't check */
} rule_case;

/* The same with a YAML policy reviewed after the rules (WD-POL-*). */
typedef struct policy_case {
	rule_case c;
	const char *policy;
} policy_case;

/* Policies for the WD-POL-* cases (docs/policy.md). */
#define POL_GROUPS                                                                           \
	"version: 1\n"                                                                        \
	"connectors:\n"                                                                       \
	"  business: [Slack, PostgreSQL]\n"                                                   \
	"  non_business: [\"X (Twitter)\"]\n"                                                 \
	"  blocked: [\"role:shell\"]\n"                                                       \
	"  approved: [Slack, PostgreSQL, \"X (Twitter)\"]\n"
#define POL_HOSTS "version: 1\nendpoints:\n  deny: [pastebin.com]\n  allow: [\"*.example.com\"]\n"
#define POL_DYNAMIC "version: 1\nendpoints:\n  dynamic: flag\nrules:\n  WD-HTTP-002: false\n"
#define POL_TIMEOUT "version: 1\nsettings:\n  n8n:\n    max_execution_timeout: 300\n"
#define POL_PII "version: 1\ndata:\n  pii:\n    deny: [ai]\n"
#define POL_PII_ALLOW "version: 1\ndata:\n  pii:\n    deny: [ai]\n    allow: [OpenAI]\n"
#define SLACK NODE("k", "Post", "n8n-nodes-base.slack", "\"text\":\"hi\"")
#define TWEET NODE("x", "Tweet", "n8n-nodes-base.twitter", "\"text\":\"hi\"")
#define PG NODE("p", "Rows", "n8n-nodes-base.postgres", "\"operation\":\"select\"")

static const rule_case cases[] = {
	/* WD-ENTRY-001 */
	{"webhook without auth", "a.json", WF(HOOK, "", ERRWF), "WD-ENTRY-001", 1, WD_SEV_HIGH},
	{"webhook explicit none", "a.json",
	 WF(NODE("h", "Hook", "n8n-nodes-base.webhook", "\"path\":\"x\",\"authentication\":\"none\""), "", ERRWF),
	 "WD-ENTRY-001", 1, WD_SEV_HIGH},
	{"webhook with header auth", "a.json", WF(HOOK_AUTH, "", ERRWF), "WD-ENTRY-001", 0, -1},
	{"webhook auth from expression", "a.json",
	 WF(NODE("h", "Hook", "n8n-nodes-base.webhook", "\"authentication\":\"={{ $env.MODE }}\""), "", ERRWF),
	 "WD-ENTRY-001", 1, WD_SEV_LOW},
	{"webhook then IF: lowered, still reported", "a.json",
	 WF(HOOK "," NODE("i", "Check secret", "n8n-nodes-base.if", ""), MAIN("Hook", "Check secret"), ERRWF),
	 "WD-ENTRY-001", 1, WD_SEV_MEDIUM},
	{"disabled webhook", "a.json",
	 WF(NODE_X("h", "Hook", "n8n-nodes-base.webhook", "", "\"disabled\":true"), "", ERRWF),
	 "WD-ENTRY-001", 0, -1},
	{"public chat trigger", "a.json",
	 WF(NODE("t", "Chat", "@n8n/n8n-nodes-langchain.chatTrigger", "\"public\":true"), "", ERRWF),
	 "WD-ENTRY-001", 1, WD_SEV_HIGH},
	{"chat trigger not public", "a.json",
	 WF(NODE("t", "Chat", "@n8n/n8n-nodes-langchain.chatTrigger", "\"public\":false"), "", ERRWF),
	 "WD-ENTRY-001", 0, -1},
	{"form trigger without auth", "a.json",
	 WF(NODE("f", "Form", "n8n-nodes-base.formTrigger", "\"formTitle\":\"Apply\""), "", ERRWF),
	 "WD-ENTRY-001", 1, WD_SEV_HIGH},
	{"form trigger with basic auth", "a.json",
	 WF(NODE("f", "Form", "n8n-nodes-base.formTrigger", "\"authentication\":\"basicAuth\""), "", ERRWF),
	 "WD-ENTRY-001", 0, -1},
	{"schedule is not an entry point", "a.json", WF(SCHED, "", ERRWF), "WD-ENTRY-001", 0, -1},

	/* WD-INJ-001 */
	{"public webhook -> code", "a.json", WF(HOOK "," CODE("Run"), MAIN("Hook", "Run"), ERRWF),
	 "WD-INJ-001", 1, WD_SEV_MEDIUM},
	{"public webhook -> code that evals", "a.json",
	 WF(HOOK "," NODE("c", "Run", "n8n-nodes-base.code", "\"jsCode\":\"return eval($json.body.expr);\""),
	    MAIN("Hook", "Run"), ERRWF),
	 "WD-INJ-001", 1, WD_SEV_HIGH},
	{"schedule -> code", "a.json", WF(SCHED "," CODE("Run"), MAIN("Every day", "Run"), ERRWF),
	 "WD-INJ-001", 0, -1},
	{"authenticated webhook -> code", "a.json",
	 WF(HOOK_AUTH "," CODE("Run"), MAIN("Hook", "Run"), ERRWF), "WD-INJ-001", 0, -1},
	{"public webhook -> command with input", "a.json",
	 WF(HOOK "," NODE("e", "Zip", "n8n-nodes-base.executeCommand",
	                  "\"command\":\"=zip /tmp/{{ $json.body.name }}\""),
	    MAIN("Hook", "Zip"), ERRWF),
	 "WD-INJ-001", 1, WD_SEV_CRITICAL},
	{"public webhook -> fixed command", "a.json",
	 WF(HOOK "," NODE("e", "Zip", "n8n-nodes-base.executeCommand", "\"command\":\"uptime\""),
	    MAIN("Hook", "Zip"), ERRWF),
	 "WD-INJ-001", 0, -1},

	/* WD-CODE-001 / 002 */
	{"code node", "a.json", WF(SCHED "," CODE("Run"), MAIN("Every day", "Run"), ERRWF),
	 "WD-CODE-001", 1, WD_SEV_LOW},
	{"disabled code node", "a.json",
	 WF(NODE_X("c", "Run", "n8n-nodes-base.code", "\"jsCode\":\"1\"", "\"disabled\":true"), "", ERRWF),
	 "WD-CODE-001", 0, -1},
	{"fixed command", "a.json",
	 WF(NODE("e", "Up", "n8n-nodes-base.executeCommand", "\"command\":\"uptime\""), "", ERRWF),
	 "WD-CODE-002", 1, WD_SEV_MEDIUM},
	{"code node is not a command", "a.json", WF(CODE("Run"), "", ERRWF), "WD-CODE-002", 0, -1},
	{"command from data", "a.json",
	 WF(NODE("e", "Up", "n8n-nodes-base.executeCommand", "\"command\":\"=ls {{ $json.dir }}\""), "", ERRWF),
	 "WD-CODE-002", 1, WD_SEV_HIGH},

	/* WD-INJ-002 */
	{"SQL from expression, internal", "a.json",
	 WF(SCHED "," NODE("q", "Query", "n8n-nodes-base.postgres",
	                   "\"operation\":\"executeQuery\",\"query\":\"=SELECT * FROM t WHERE id = '{{ $json.id }}'\""),
	    MAIN("Every day", "Query"), ERRWF),
	 "WD-INJ-002", 1, WD_SEV_MEDIUM},
	{"SQL from public input", "a.json",
	 WF(HOOK "," NODE("q", "Query", "n8n-nodes-base.mySql",
	                  "\"operation\":\"executeQuery\",\"query\":\"=DELETE FROM t WHERE id = {{ $json.body.id }}\""),
	    MAIN("Hook", "Query"), ERRWF),
	 "WD-INJ-002", 1, WD_SEV_CRITICAL},
	{"static SQL", "a.json",
	 WF(HOOK "," NODE("q", "Query", "n8n-nodes-base.postgres",
	                  "\"operation\":\"executeQuery\",\"query\":\"SELECT 1\""),
	    MAIN("Hook", "Query"), ERRWF),
	 "WD-INJ-002", 0, -1},

	/* WD-INJ-003 */
	{"public chat -> agent with code tool", "a.json",
	 WF(NODE("t", "Chat", "@n8n/n8n-nodes-langchain.chatTrigger", "\"public\":true") ","
	    NODE("a", "Agent", "@n8n/n8n-nodes-langchain.agent", "") ","
	    NODE("k", "Calc", "@n8n/n8n-nodes-langchain.toolCode", "\"jsCode\":\"return 1\""),
	    MAIN("Chat", "Agent") "," AI("Calc", "ai_tool", "Agent"), ERRWF),
	 "WD-INJ-003", 1, WD_SEV_HIGH},
	{"private chat -> agent with code tool", "a.json",
	 WF(NODE("t", "Chat", "@n8n/n8n-nodes-langchain.chatTrigger", "\"public\":false") ","
	    NODE("a", "Agent", "@n8n/n8n-nodes-langchain.agent", "") ","
	    NODE("k", "Calc", "@n8n/n8n-nodes-langchain.toolCode", "\"jsCode\":\"return 1\""),
	    MAIN("Chat", "Agent") "," AI("Calc", "ai_tool", "Agent"), ERRWF),
	 "WD-INJ-003", 0, -1},

	/* WD-HTTP-001 */
	{"URL from public input", "a.json",
	 WF(HOOK "," NODE("r", "Fetch", "n8n-nodes-base.httpRequest", "\"url\":\"={{ $json.body.url }}\""),
	    MAIN("Hook", "Fetch"), ERRWF),
	 "WD-HTTP-001", 1, WD_SEV_MEDIUM},
	{"fixed host, path from public input", "a.json",
	 WF(HOOK "," NODE("r", "Fetch", "n8n-nodes-base.httpRequest",
	                  "\"url\":\"=https://api.example.com/items/{{ $json.body.id }}\""),
	    MAIN("Hook", "Fetch"), ERRWF),
	 "WD-HTTP-001", 0, -1},
	{"host chosen at run time", "a.json",
	 WF(SCHED "," NODE("r", "Fetch", "n8n-nodes-base.httpRequest", "\"url\":\"={{ $json.target }}\""),
	    MAIN("Every day", "Fetch"), ERRWF),
	 "WD-HTTP-002", 1, WD_SEV_LOW},
	{"fixed host is visible", "a.json",
	 WF(SCHED "," NODE("r", "Fetch", "n8n-nodes-base.httpRequest",
	                   "\"url\":\"=https://api.example.com/{{ $json.id }}\""),
	    MAIN("Every day", "Fetch"), ERRWF),
	 "WD-HTTP-002", 0, -1},
	{"fixed URL after public input", "a.json",
	 WF(HOOK "," NODE("r", "Fetch", "n8n-nodes-base.httpRequest", "\"url\":\"https://api.example.com/x\""),
	    MAIN("Hook", "Fetch"), ERRWF),
	 "WD-HTTP-001", 0, -1},

	/* WD-FS-001 */
	{"read file with fixed path", "a.json",
	 WF(NODE("f", "Read", "n8n-nodes-base.readWriteFile", "\"fileSelector\":\"/data/in.csv\""), "", ERRWF),
	 "WD-FS-001", 1, WD_SEV_LOW},
	{"no filesystem node", "a.json", WF(SCHED, "", ERRWF), "WD-FS-001", 0, -1},

	/* WD-TLS-001 / 002 */
	{"n8n ignores certificates", "a.json",
	 WF(NODE("r", "Call", "n8n-nodes-base.httpRequest",
	         "\"url\":\"https://api.example.com\",\"options\":{\"allowUnauthorizedCerts\":true}"), "", ERRWF),
	 "WD-TLS-001", 1, WD_SEV_HIGH},
	{"n8n verifies certificates", "a.json",
	 WF(NODE("r", "Call", "n8n-nodes-base.httpRequest",
	         "\"url\":\"https://api.example.com\",\"options\":{\"allowUnauthorizedCerts\":false}"), "", ERRWF),
	 "WD-TLS-001", 0, -1},
	{"http to external host", "a.json",
	 WF(NODE("r", "Call", "n8n-nodes-base.httpRequest", "\"url\":\"http://api.example.com/v1\""), "", ERRWF),
	 "WD-TLS-002", 1, WD_SEV_MEDIUM},
	{"http to private address", "a.json",
	 WF(NODE("r", "Call", "n8n-nodes-base.httpRequest", "\"url\":\"http://10.1.2.3:8080/v1\""), "", ERRWF),
	 "WD-TLS-002", 0, -1},
	{"plain FTP node", "a.json",
	 WF(NODE("f", "Upload", "n8n-nodes-base.ftp", "\"operation\":\"upload\",\"path\":\"/in/a.csv\""), "", ERRWF),
	 "WD-TLS-002", 1, WD_SEV_MEDIUM},
	{"SFTP node", "a.json",
	 WF(NODE("f", "Upload", "n8n-nodes-base.ftp", "\"protocol\":\"sftp\",\"path\":\"/in/a.csv\""), "", ERRWF),
	 "WD-TLS-002", 0, -1},
	{"https to external host", "a.json",
	 WF(NODE("r", "Call", "n8n-nodes-base.httpRequest", "\"url\":\"https://api.example.com/v1\""), "", ERRWF),
	 "WD-TLS-002", 0, -1},

	/* WD-SEC-001 */
	{"bearer token in header", "a.json",
	 WF(NODE("r", "Call", "n8n-nodes-base.httpRequest",
	         "\"url\":\"https://api.example.com\",\"headerParameters\":{\"parameters\":[{\"name\":"
	         "\"Authorization\",\"value\":\"Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0\"}]}"), "", ERRWF),
	 "WD-SEC-001", 1, WD_SEV_HIGH},
	{"token from environment", "a.json",
	 WF(NODE("r", "Call", "n8n-nodes-base.httpRequest",
	         "\"headerParameters\":{\"parameters\":[{\"name\":\"Authorization\",\"value\":"
	         "\"=Bearer {{ $env.API_TOKEN }}\"}]}"), "", ERRWF),
	 "WD-SEC-001", 0, -1},
	{"placeholder token", "a.json",
	 WF(NODE("r", "Call", "n8n-nodes-base.httpRequest",
	         "\"headerParameters\":{\"parameters\":[{\"name\":\"Authorization\",\"value\":"
	         "\"Bearer YOUR_API_KEY_HERE\"}]}"), "", ERRWF),
	 "WD-SEC-001", 0, -1},
	{"placeholder in another language", "a.json",
	 WF(NODE("r", "Call", "n8n-nodes-base.httpRequest",
	         "\"headerParameters\":{\"parameters\":[{\"name\":\"Authorization\",\"value\":"
	         "\"Bearer \u4f60\u7684\u98de\u4e66\u5e94\u7528\u4ee4\u724c\"}]}"), "", ERRWF),
	 "WD-SEC-001", 0, -1},
	{"variable names are not secrets", "a.json",
	 WF(NODE("r", "Call", "n8n-nodes-base.httpRequest",
	         "\"headerParameters\":{\"parameters\":[{\"name\":\"Authorization\",\"value\":"
	         "\"Bearer BRIGHT_DATA_API_KEY\"},{\"name\":\"x-api-key\",\"value\":\"$LOADER_API_TOKEN\"},"
	         "{\"name\":\"api_key\",\"value\":\"add_imgbb_api_key\"},{\"name\":\"X-Token\",\"value\":\"Bearer undefined\"}]}"),
	    "", ERRWF),
	 "WD-SEC-001", 0, -1},
	{"literal password", "a.json",
	 WF(NODE("r", "Mail", "n8n-nodes-base.emailSend", "\"password\":\"Winter2024!\""), "", ERRWF),
	 "WD-SEC-001", 1, WD_SEV_HIGH},
	{"JSON Web Token in a header", "a.json",
	 WF(NODE("r", "Call", "n8n-nodes-base.httpRequest",
	         "\"jsonHeaders\":\"{\\\"Cookie\\\": \\\"session=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk\\\"}\""),
	    "", ERRWF),
	 "WD-SEC-109", 1, -1},
	{"Telegram bot token in a command", "a.json",
	 WF(NODE("e", "Notify", "n8n-nodes-base.executeCommand",
	         "\"command\":\"curl https://api.telegram.org/bot123456789:AAFakeTokenForTestsOnly0123456789abcdefgh/sendMessage\""),
	    "", ERRWF),
	 "WD-SEC-103", 1, -1},
	{"placeholder with a provider prefix", "a.json",
	 WF(NODE("r", "Call", "n8n-nodes-base.httpRequest",
	         "\"jsonHeaders\":\"{\\\"Authorization\\\": \\\"Bearer glpat-xxxxxxxxxxxxxxxxxxxxxxxx\\\"}\""),
	    "", ERRWF),
	 "WD-SEC-001", 0, -1},
	{"token captured in pinned data", "a.json",
	 "{\"name\":\"p\",\"nodes\":[" SCHED "],\"connections\":{},\"settings\":{" ERRWF "},"
	 "\"pinData\":{\"Every day\":[{\"json\":{\"headers\":{\"authorization\":"
	 "\"Bearer 7f3c9a1e5b2d4f6a8c0e1b3d5f7a9c2e\"}}}]}}",
	 "WD-SEC-001", 1, WD_SEV_HIGH},
	{"provider key inside code", "a.json",
	 WF(NODE("c", "Run", "n8n-nodes-base.code",
	         "\"jsCode\":\"const key = 'sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk';\""), "", ERRWF),
	 "WD-SEC-105", 1, -1},
	{"ids and hashes are not secrets", "a.json",
	 WF(NODE("r", "Sheet", "n8n-nodes-base.googleSheets",
	         "\"documentId\":\"1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms\","
	         "\"sheetId\":\"6b2c1f0e-3a4d-4c5b-9e8f-7a6b5c4d3e2f\""), "", ERRWF),
	 "WD-SEC-001", 0, -1},

	/* WD-DATA-004 */
	{"personal data from a form to an AI model", "a.json",
	 WF(NODE("f", "Apply", "n8n-nodes-base.formTrigger",
	         "\"authentication\":\"basicAuth\",\"formFields\":{\"values\":[{\"fieldLabel\":\"email\"}]}") ","
	    NODE("o", "Summarise", "@n8n/n8n-nodes-langchain.openAi", "\"text\":\"={{ $json.email }}\""),
	    MAIN("Apply", "Summarise"), ERRWF),
	 "WD-DATA-004", 1, WD_SEV_HIGH},
	{"personal data from a form to a spreadsheet", "a.json",
	 WF(NODE("f", "Apply", "n8n-nodes-base.formTrigger",
	         "\"authentication\":\"basicAuth\",\"formFields\":{\"values\":[{\"fieldLabel\":\"Phone number\"}]}") ","
	    NODE("g", "Store", "n8n-nodes-base.googleSheets", "\"operation\":\"append\""),
	    MAIN("Apply", "Store"), ERRWF),
	 "WD-DATA-004", 1, WD_SEV_MEDIUM},
	{"no personal fields", "a.json",
	 WF(NODE("f", "Apply", "n8n-nodes-base.formTrigger",
	         "\"authentication\":\"basicAuth\",\"formFields\":{\"values\":[{\"fieldLabel\":\"favourite colour\"}]}") ","
	    NODE("o", "Summarise", "@n8n/n8n-nodes-langchain.openAi", "\"text\":\"={{ $json.colour }}\""),
	    MAIN("Apply", "Summarise"), ERRWF),
	 "WD-DATA-004", 0, -1},

	/* WD-DATA-001 */
	{"pinned data", "a.json",
	 "{\"name\":\"p\",\"nodes\":[" HOOK "],\"connections\":{},\"settings\":{" ERRWF "},"
	 "\"pinData\":{\"Hook\":[{\"json\":{\"email\":\"ann@example.com\"}}]}}",
	 "WD-DATA-001", 1, WD_SEV_MEDIUM},
	{"empty pinned data", "a.json",
	 "{\"name\":\"p\",\"nodes\":[" SCHED "],\"connections\":{},\"settings\":{" ERRWF "},\"pinData\":{}}",
	 "WD-DATA-001", 0, -1},

	/* WD-COMP-* */
	{"community node", "a.json",
	 WF(NODE("x", "Docs", "n8n-nodes-document-generator.DocumentGenerator", ""), "", ERRWF),
	 "WD-COMP-001", 1, WD_SEV_LOW},
	{"core node", "a.json", WF(SCHED, "", ERRWF), "WD-COMP-001", 0, -1},
	{"custom node", "a.json", WF(NODE("x", "Mine", "CUSTOM.myNode", ""), "", ERRWF), "WD-COMP-002", 1,
	 WD_SEV_MEDIUM},
	{"community node is not custom", "a.json",
	 WF(NODE("x", "Docs", "n8n-nodes-document-generator.DocumentGenerator", ""), "", ERRWF),
	 "WD-COMP-002", 0, -1},
	{"known node type", "a.json", WF(SCHED, "", ERRWF), "WD-COMP-003", 0, -1},
	{"unknown node type", "a.json",
	 WF(NODE("x", "What", "n8n-nodes-nonexistent.thing", ""), "", ERRWF), "WD-COMP-003", 1, WD_SEV_LOW},

	/* WD-LOG-* */
	{"no error workflow", "a.json", WF(SCHED "," CODE("Run"), MAIN("Every day", "Run"), ""),
	 "WD-LOG-001", 1, WD_SEV_LOW},
	{"error workflow set", "a.json", WF(SCHED "," CODE("Run"), MAIN("Every day", "Run"), ERRWF),
	 "WD-LOG-001", 0, -1},
	{"error trigger in the workflow", "a.json",
	 WF(SCHED "," CODE("Run") "," NODE("e", "On error", "n8n-nodes-base.errorTrigger", ""),
	    MAIN("Every day", "Run"), ""),
	 "WD-LOG-001", 0, -1},
	{"failed executions not saved", "a.json",
	 WF(SCHED "," CODE("Run"), MAIN("Every day", "Run"), ERRWF ",\"saveDataErrorExecution\":\"none\""),
	 "WD-LOG-002", 1, WD_SEV_MEDIUM},
	{"failed executions saved", "a.json",
	 WF(SCHED "," CODE("Run"), MAIN("Every day", "Run"), ERRWF ",\"saveDataErrorExecution\":\"all\""),
	 "WD-LOG-002", 0, -1},

	/* WD-ACL-001 */
	{"callable by any workflow", "a.json",
	 WF(NODE("t", "Called", "n8n-nodes-base.executeWorkflowTrigger", ""), "", ERRWF ",\"callerPolicy\":\"any\""),
	 "WD-ACL-001", 1, WD_SEV_MEDIUM},
	{"callable by same owner", "a.json",
	 WF(NODE("t", "Called", "n8n-nodes-base.executeWorkflowTrigger", ""), "",
	    ERRWF ",\"callerPolicy\":\"workflowsFromSameOwner\""),
	 "WD-ACL-001", 0, -1},

	/* Power Automate (bare definitions) */
	{"power automate SQL query from an expression", "def.json",
	 "{\"triggers\":{\"t\":{\"type\":\"Recurrence\"}},\"actions\":{\"Q\":{\"type\":\"ApiConnection\","
	 "\"inputs\":{\"host\":{\"connection\":{\"name\":\"@parameters('$connections')['sql']['connectionId']\"}},"
	 "\"method\":\"post\",\"path\":\"/datasets/default/query/sql\",\"body\":{\"query\":"
	 "\"SELECT * FROM t WHERE id = '@{triggerBody()?['id']}'\"}},\"runAfter\":{}}}}",
	 "WD-INJ-002", 1, WD_SEV_MEDIUM},
	{"power automate static SQL query", "def.json",
	 "{\"triggers\":{\"t\":{\"type\":\"Recurrence\"}},\"actions\":{\"Q\":{\"type\":\"ApiConnection\","
	 "\"inputs\":{\"host\":{\"connection\":{\"name\":\"@parameters('$connections')['sql']['connectionId']\"}},"
	 "\"method\":\"post\",\"path\":\"/datasets/default/query/sql\",\"body\":{\"query\":\"SELECT 1\"}},\"runAfter\":{}}}}",
	 "WD-INJ-002", 0, -1},
	{"power automate URI from a variable", "def.json",
	 "{\"triggers\":{\"t\":{\"type\":\"Recurrence\"}},\"actions\":{\"H\":{\"type\":\"Http\","
	 "\"inputs\":{\"method\":\"GET\",\"uri\":\"@{variables('endpoint')}/api/x\"},\"runAfter\":{}}}}",
	 "WD-HTTP-002", 1, WD_SEV_LOW},
	{"power automate secret from an app setting", "def.json",
	 "{\"triggers\":{\"t\":{\"type\":\"Recurrence\"}},\"actions\":{\"H\":{\"type\":\"Http\","
	 "\"inputs\":{\"method\":\"GET\",\"uri\":\"https://api.example.com\",\"headers\":{\"x-api-key\":"
	 "\"@appsetting('partner_api_key')\"}},\"runAfter\":{}}}}",
	 "WD-SEC-001", 0, -1},
	{"power automate public HTTP trigger", "def.json",
	 "{\"triggers\":{\"manual\":{\"type\":\"Request\",\"kind\":\"Http\",\"inputs\":{\"schema\":{}}}},\"actions\":{}}",
	 "WD-ENTRY-001", 1, WD_SEV_HIGH},
	{"power automate tenant-only HTTP trigger", "def.json",
	 "{\"triggers\":{\"manual\":{\"type\":\"Request\",\"kind\":\"Http\",\"inputs\":{\"schema\":{},"
	 "\"triggerAuthenticationType\":\"Tenant\"}}},\"actions\":{}}",
	 "WD-ENTRY-001", 0, -1},

	/* Node-RED */
	{"node-red http in -> function", "flows.json",
	 "[{\"id\":\"t1\",\"type\":\"tab\",\"label\":\"API\"},"
	 "{\"id\":\"a\",\"type\":\"http in\",\"z\":\"t1\",\"url\":\"/x\",\"method\":\"post\",\"wires\":[[\"b\"]]},"
	 "{\"id\":\"b\",\"type\":\"function\",\"z\":\"t1\",\"func\":\"return msg;\",\"wires\":[[]]}]",
	 "WD-INJ-001", 1, WD_SEV_MEDIUM},
	{"node-red http in is runtime-protected only", "flows.json",
	 "[{\"id\":\"t1\",\"type\":\"tab\",\"label\":\"API\"},"
	 "{\"id\":\"a\",\"type\":\"http in\",\"z\":\"t1\",\"url\":\"/x\",\"method\":\"post\",\"wires\":[[]]}]",
	 "WD-ENTRY-002", 1, WD_SEV_MEDIUM},
	{"node-red flow without endpoints", "flows.json",
	 "[{\"id\":\"t1\",\"type\":\"tab\",\"label\":\"T\"},"
	 "{\"id\":\"a\",\"type\":\"inject\",\"z\":\"t1\",\"wires\":[[]]}]",
	 "WD-ENTRY-002", 0, -1},
	{"node-red exec appends payload", "flows.json",
	 "[{\"id\":\"t1\",\"type\":\"tab\",\"label\":\"API\"},"
	 "{\"id\":\"a\",\"type\":\"http in\",\"z\":\"t1\",\"url\":\"/x\",\"method\":\"post\",\"wires\":[[\"b\"]]},"
	 "{\"id\":\"b\",\"type\":\"exec\",\"z\":\"t1\",\"command\":\"lp\",\"addpay\":true,\"wires\":[[],[],[]]}]",
	 "WD-INJ-001", 1, WD_SEV_CRITICAL},
	{"node-red exec fixed command", "flows.json",
	 "[{\"id\":\"t1\",\"type\":\"tab\",\"label\":\"API\"},"
	 "{\"id\":\"a\",\"type\":\"http in\",\"z\":\"t1\",\"url\":\"/x\",\"method\":\"post\",\"wires\":[[\"b\"]]},"
	 "{\"id\":\"b\",\"type\":\"exec\",\"z\":\"t1\",\"command\":\"uptime\",\"addpay\":false,\"wires\":[[],[],[]]}]",
	 "WD-INJ-001", 0, -1},
	{"node-red tls-config without verification", "flows.json",
	 "[{\"id\":\"t1\",\"type\":\"tab\",\"label\":\"T\"},"
	 "{\"id\":\"c\",\"type\":\"tls-config\",\"name\":\"tls\",\"verifyservercert\":false},"
	 "{\"id\":\"r\",\"type\":\"http request\",\"z\":\"t1\",\"url\":\"https://x.example.com\",\"tls\":\"c\",\"wires\":[[]]}]",
	 "WD-TLS-001", 1, WD_SEV_HIGH},
	{"node-red tls-config with verification", "flows.json",
	 "[{\"id\":\"c\",\"type\":\"tls-config\",\"name\":\"tls\",\"verifyservercert\":true}]",
	 "WD-TLS-001", 0, -1},
	{"node-red external broker without TLS", "flows.json",
	 "[{\"id\":\"t1\",\"type\":\"tab\",\"label\":\"T\"},"
	 "{\"id\":\"b\",\"type\":\"mqtt-broker\",\"broker\":\"broker.example.com\",\"port\":\"1883\",\"usetls\":false},"
	 "{\"id\":\"m\",\"type\":\"mqtt in\",\"z\":\"t1\",\"topic\":\"x\",\"broker\":\"b\",\"wires\":[[]]}]",
	 "WD-TLS-002", 1, WD_SEV_MEDIUM},
	{"node-red external broker with TLS", "flows.json",
	 "[{\"id\":\"b\",\"type\":\"mqtt-broker\",\"broker\":\"broker.example.com\",\"port\":\"8883\",\"usetls\":true}]",
	 "WD-TLS-002", 0, -1},
	{"node-red local broker without TLS", "flows.json",
	 "[{\"id\":\"b\",\"type\":\"mqtt-broker\",\"broker\":\"localhost\",\"port\":\"1883\",\"usetls\":false}]",
	 "WD-TLS-002", 0, -1},
	{"node-red file path from msg", "flows.json",
	 "[{\"id\":\"t1\",\"type\":\"tab\",\"label\":\"T\"},"
	 "{\"id\":\"f\",\"type\":\"file\",\"z\":\"t1\",\"filename\":\"path\",\"filenameType\":\"msg\",\"wires\":[[]]}]",
	 "WD-FS-001", 1, WD_SEV_MEDIUM},
	{"node-red disabled function", "flows.json",
	 "[{\"id\":\"t1\",\"type\":\"tab\",\"label\":\"T\"},"
	 "{\"id\":\"b\",\"type\":\"function\",\"z\":\"t1\",\"d\":true,\"func\":\"return msg;\",\"wires\":[[]]}]",
	 "WD-CODE-001", 0, -1},
	{"node-red password in URL", "flows.json",
	 "[{\"id\":\"t1\",\"type\":\"tab\",\"label\":\"T\"},"
	 "{\"id\":\"r\",\"type\":\"http request\",\"z\":\"t1\",\"url\":\"https://bob:s3cr3tpass@x.example.com/a\",\"wires\":[[]]}]",
	 "WD-SEC-110", 1, -1},
};

static const policy_case policy_cases[] = {
	{{"blocked connector", "a.json",
	 WF(SCHED "," NODE("e", "Up", "n8n-nodes-base.executeCommand", "\"command\":\"uptime\""),
	    MAIN("Every day", "Up"), ERRWF),
	 "WD-POL-001", 1, WD_SEV_HIGH},
	 POL_GROUPS},
	{{"no blocked connector", "a.json", WF(SCHED "," SLACK, MAIN("Every day", "Post"), ERRWF),
	 "WD-POL-001", 0, -1},
	 POL_GROUPS},
	{{"business and non-business in one workflow", "a.json",
	 WF(SCHED "," SLACK "," TWEET, MAIN("Every day", "Post"), ERRWF), "WD-POL-002", 1,
	 WD_SEV_HIGH},
	 POL_GROUPS},
	{{"business connectors only", "a.json", WF(SCHED "," SLACK "," PG, MAIN("Every day", "Post"), ERRWF),
	 "WD-POL-002", 0, -1},
	 POL_GROUPS},
	{{"connector not approved", "a.json",
	 WF(SCHED "," NODE("t", "Tell", "n8n-nodes-base.telegram", "\"text\":\"hi\""),
	    MAIN("Every day", "Tell"), ERRWF),
	 "WD-POL-003", 1, WD_SEV_MEDIUM},
	 POL_GROUPS},
	{{"approved connector", "a.json", WF(SCHED "," SLACK, MAIN("Every day", "Post"), ERRWF),
	 "WD-POL-003", 0, -1},
	 POL_GROUPS},
	{{"denied host", "a.json",
	 WF(SCHED "," NODE("r", "Paste", "n8n-nodes-base.httpRequest", "\"url\":\"https://pastebin.com/api\""),
	    MAIN("Every day", "Paste"), ERRWF),
	 "WD-POL-004", 1, WD_SEV_HIGH},
	 POL_HOSTS},
	{{"host outside the allow-list", "a.json",
	 WF(SCHED "," NODE("r", "Get", "n8n-nodes-base.httpRequest", "\"url\":\"https://api.other.org/x\""),
	    MAIN("Every day", "Get"), ERRWF),
	 "WD-POL-004", 1, WD_SEV_MEDIUM},
	 POL_HOSTS},
	{{"allowed host", "a.json",
	 WF(SCHED "," NODE("r", "Get", "n8n-nodes-base.httpRequest", "\"url\":\"https://api.example.com/x\""),
	    MAIN("Every day", "Get"), ERRWF),
	 "WD-POL-004", 0, -1},
	 POL_HOSTS},
	{{"dynamic endpoint, WD-HTTP-002 off", "a.json",
	 WF(SCHED "," NODE("r", "Fetch", "n8n-nodes-base.httpRequest", "\"url\":\"={{ $json.target }}\""),
	    MAIN("Every day", "Fetch"), ERRWF),
	 "WD-POL-005", 1, WD_SEV_MEDIUM},
	 POL_DYNAMIC},
	{{"dynamic endpoint already WD-HTTP-002", "a.json",
	 WF(SCHED "," NODE("r", "Fetch", "n8n-nodes-base.httpRequest", "\"url\":\"={{ $json.target }}\""),
	    MAIN("Every day", "Fetch"), ERRWF),
	 "WD-POL-005", 0, -1},
	 "version: 1\nendpoints:\n  dynamic: flag\n"},
	{{"static endpoint", "a.json",
	 WF(SCHED "," NODE("r", "Get", "n8n-nodes-base.httpRequest", "\"url\":\"https://api.example.com/x\""),
	    MAIN("Every day", "Get"), ERRWF),
	 "WD-POL-005", 0, -1},
	 POL_DYNAMIC},
	{{"no execution timeout", "a.json", WF(SCHED "," SLACK, MAIN("Every day", "Post"), ERRWF),
	 "WD-POL-006", 1, WD_SEV_MEDIUM},
	 POL_TIMEOUT},
	{{"execution timeout within the limit", "a.json",
	 WF(SCHED "," SLACK, MAIN("Every day", "Post"), ERRWF ",\"executionTimeout\":120"), "WD-POL-006",
	 0, -1},
	 POL_TIMEOUT},
	{{"personal data to an AI service the policy rules out", "a.json",
	 WF(NODE("f", "Apply", "n8n-nodes-base.formTrigger",
	         "\"authentication\":\"basicAuth\",\"formFields\":{\"values\":[{\"fieldLabel\":\"email\"}]}") ","
	    NODE("o", "Summarise", "@n8n/n8n-nodes-langchain.openAi", "\"text\":\"={{ $json.email }}\""),
	    MAIN("Apply", "Summarise"), ERRWF),
	 "WD-POL-007", 1, WD_SEV_HIGH},
	 POL_PII},
	{{"personal data to an allowed AI service", "a.json",
	 WF(NODE("f", "Apply", "n8n-nodes-base.formTrigger",
	         "\"authentication\":\"basicAuth\",\"formFields\":{\"values\":[{\"fieldLabel\":\"email\"}]}") ","
	    NODE("o", "Summarise", "@n8n/n8n-nodes-langchain.openAi", "\"text\":\"={{ $json.email }}\""),
	    MAIN("Apply", "Summarise"), ERRWF),
	 "WD-POL-007", 0, -1},
	 POL_PII_ALLOW},
};

static wd_status run_case_policy(const char *path, const char *json, const char *policy,
                                 wd_model **m, wd_findings *f)
{
	wd_error err;
	char *copy = strdup(json);
	wd_import_opts opts;
	wd_policy *p = NULL;
	wd_status rc;

	memset(&opts, 0, sizeof(opts));
	assert_non_null(copy);
	rc = wd_import_buffer(m, path, copy, strlen(json), &opts, NULL, &err);
	if (rc != WD_OK) {
		print_error("import failed: %s (line %u col %u)\n", err.message, err.line, err.column);
		return rc;
	}
	wd_findings_init(f);
	rc = wd_rules_run(*m, f);
	if (rc != WD_OK || !policy)
		return rc;
	assert_int_equal(wd_policy_new(&p), WD_OK);
	rc = wd_policy_add_buffer(p, "case.yaml", policy, strlen(policy), &err);
	if (rc != WD_OK)
		print_error("policy: %u:%u: %s\n", err.line, err.column, err.message);
	else
		rc = wd_policy_review(p, *m, f);
	wd_policy_free(p);
	return rc;
}

static wd_status run_case(const char *path, const char *json, wd_model **m, wd_findings *f)
{
	return run_case_policy(path, json, NULL, m, f);
}

/* Run one case; returns 1 when it holds. */
static int check_case(const rule_case *c, const char *policy)
{
	wd_model *m = NULL;
	wd_findings f;
	size_t j;
	int n = 0, top = -1, ok = 1;

	assert_non_null(wd_rules_find(c->rule));
	if (run_case_policy(c->path, c->json, policy, &m, &f) != WD_OK) {
		print_error("case '%s': import, rules or policy failed\n", c->name);
		wd_findings_release(&f);
		wd_model_free(m);
		return 0;
	}
	for (j = 0; j < f.n; j++) {
		if (strcmp(f.items[j].rule->id, c->rule) != 0)
			continue;
		n++;
		if ((int)f.items[j].severity > top)
			top = (int)f.items[j].severity;
	}
	if (n != c->count || (c->severity >= 0 && top != c->severity)) {
		print_error("case '%s': %s expected %d finding(s) at %s, got %d at %s\n", c->name,
		            c->rule, c->count, c->severity >= 0 ? wd_severity_name(c->severity) : "-",
		            n, top >= 0 ? wd_severity_name(top) : "-");
		for (j = 0; j < f.n; j++)
			print_error("    %s %s %s\n", f.items[j].rule->id,
			            wd_severity_name(f.items[j].severity), f.items[j].message);
		ok = 0;
	}
	wd_findings_release(&f);
	wd_model_free(m);
	return ok;
}

static void test_rule_cases(void **state)
{
	size_t i, failures = 0;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		failures += !check_case(&cases[i], NULL);
	for (i = 0; i < sizeof(policy_cases) / sizeof(*policy_cases); i++)
		failures += !check_case(&policy_cases[i].c, policy_cases[i].policy);
	assert_int_equal(failures, 0);
}

/* Every rule in the table has at least one positive and one negative case. */
static void test_every_rule_has_cases(void **state)
{
	size_t n, i, j;
	const wd_rule *rules = wd_rules_builtin(&n);

	(void)state;
	for (i = 0; i < n; i++) {
		int pos = 0, neg = 0;
		for (j = 0; j < sizeof(cases) / sizeof(*cases); j++) {
			if (strcmp(cases[j].rule, rules[i].id) != 0)
				continue;
			if (cases[j].count > 0)
				pos = 1;
			else
				neg = 1;
		}
		for (j = 0; j < sizeof(policy_cases) / sizeof(*policy_cases); j++) {
			if (strcmp(policy_cases[j].c.rule, rules[i].id) != 0)
				continue;
			if (policy_cases[j].c.count > 0)
				pos = 1;
			else
				neg = 1;
		}
		/* covered by hand-built models or companion files (test_secure_data,
		 * test_embedded_connection, test_confidential, test_import_nodered);
		 * the secret families WD-SEC-1xx by the detector's own true/false
		 * examples (test_detect_secrets) plus the cases above for several */
		/* WD-OWN-001 and WD-SUP-* are reported by the scan stage from the owners
		 * file and the suppressions of a whole result, not by a check over one
		 * model: their cases are in the scan tests */
		if (strncmp(rules[i].id, "WD-OWN-", 7) == 0 || strncmp(rules[i].id, "WD-SUP-", 7) == 0)
			continue;
		if (strncmp(rules[i].id, "WD-SEC-1", 8) == 0 ||
		    strcmp(rules[i].id, "WD-SEC-002") == 0 || strcmp(rules[i].id, "WD-DATA-002") == 0 ||
		    strcmp(rules[i].id, "WD-ACL-002") == 0 || strcmp(rules[i].id, "WD-DATA-003") == 0)
			continue;
		if (!pos || !neg)
			print_error("rule %s lacks a %s case\n", rules[i].id, pos ? "negative" : "positive");
		assert_true(pos && neg);
	}
}

static void test_rule_descriptors(void **state)
{
	size_t n, i, j;
	const wd_rule *rules = wd_rules_builtin(&n);

	(void)state;
	assert_true(n >= 15);
	for (i = 0; i < n; i++) {
		const wd_rule *r = &rules[i];
		assert_non_null(r->id);
		assert_true(strncmp(r->id, "WD-", 3) == 0);
		assert_true(strncmp(r->category, "LCNC-SEC-", 9) == 0);
		assert_true(strlen(r->title) > 5 && strlen(r->why) > 40);
		assert_true(strlen(r->fix_n8n) > 10 && strlen(r->fix_nodered) > 10);
		assert_true(r->fix_pa && strlen(r->fix_pa) > 10);
		assert_true(r->fix_make && strlen(r->fix_make) > 10);
		assert_true(r->fix_zapier && strlen(r->fix_zapier) > 10);
		assert_ptr_equal(wd_rule_fix(r, WD_PLATFORM_MAKE), r->fix_make);
		assert_ptr_equal(wd_rules_find(r->id), r);
		for (j = 0; j < i; j++)
			assert_string_not_equal(rules[j].id, r->id);
	}
}

/*
 * `warden explain` and SARIF help show an example for each rule: every rule
 * with a check has one, and so has every rule reported by another's check
 * (the policy families WD-POL, WD-OWN and WD-SUP describe policy files and
 * are left to their own tests).
 */
static void test_rule_examples(void **state)
{
	size_t n, i, with = 0;
	const wd_rule *rules = wd_rules_builtin(&n);

	(void)state;
	for (i = 0; i < n; i++) {
		const wd_rule *r = &rules[i];
		int policy = strncmp(r->id, "WD-POL-", 7) == 0 || strncmp(r->id, "WD-OWN-", 7) == 0 ||
		             strncmp(r->id, "WD-SUP-", 7) == 0;
		if (!r->check && policy)
			continue;
		if (!r->example || strlen(r->example) < 40 || r->example[strlen(r->example) - 1] != '.')
			fail_msg("rule %s has no example sentence", r->id);
		with++;
	}
	assert_true(with >= 36);
}

/* Evidence of a secret keeps at most four characters. */
static const rule_case *case_named(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		if (strcmp(cases[i].name, name) == 0)
			return &cases[i];
	fail_msg("no case %s", name);
	return NULL;
}

static void test_redaction(void **state)
{
	static const char *secret = "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk";
	const rule_case *c = case_named("provider key inside code");
	wd_model *m = NULL;
	wd_findings f;
	wd_buf b;
	size_t j;
	int seen = 0;

	(void)state;
	assert_int_equal(run_case("a.json", c->json, &m, &f), WD_OK);
	assert_non_null(strstr(c->json, secret));
	for (j = 0; j < f.n; j++) {
		assert_null(strstr(f.items[j].evidence, "Ab3dEf6h"));
		assert_null(strstr(f.items[j].message, "Ab3dEf6h"));
		if (strcmp(f.items[j].rule->id, "WD-SEC-105") == 0) {
			assert_string_equal(f.items[j].evidence, "sk-p****");
			seen = 1;
		}
	}
	assert_true(seen);
	wd_findings_release(&f);
	wd_model_free(m);

	wd_buf_init(&b, 0);
	wd_redact(wd_str_c("short"), &b);
	assert_string_equal(wd_buf_cstr(&b), "****");
	wd_buf_reset(&b);
	wd_redact(wd_str_c("abcdefghij"), &b);
	assert_string_equal(wd_buf_cstr(&b), "ab****");
	wd_buf_release(&b);
}

static const char *fingerprint_of(const char *path, const char *json, const char *rule, char *out)
{
	wd_model *m = NULL;
	wd_findings f;
	size_t j;

	out[0] = '\0';
	assert_int_equal(run_case(path, json, &m, &f), WD_OK);
	for (j = 0; j < f.n; j++)
		if (strcmp(f.items[j].rule->id, rule) == 0)
			memcpy(out, f.items[j].fingerprint, 33);
	wd_findings_release(&f);
	wd_model_free(m);
	return out;
}

/* Fingerprints survive file moves, line shifts and renames of other nodes,
 * and differ between components. */
static void test_fingerprint_stability(void **state)
{
	char a[33], b[33], c[33], d[33];
	const char *base = WF(HOOK "," CODE("Run"), MAIN("Hook", "Run"), ERRWF);
	const char *moved = "\n\n\n" WF(HOOK "," CODE("Run"), MAIN("Hook", "Run"), ERRWF);
	const char *renamed = WF(HOOK "," NODE("c", "Renamed code", "n8n-nodes-base.code", "\"jsCode\":\"1\""),
	                         MAIN("Hook", "Renamed code"), ERRWF);
	const char *other = WF(NODE("h2", "Hook", "n8n-nodes-base.webhook", "\"path\":\"in\""), "", ERRWF);

	(void)state;
	fingerprint_of("dir1/a.json", base, "WD-ENTRY-001", a);
	fingerprint_of("elsewhere/b.json", moved, "WD-ENTRY-001", b);
	fingerprint_of("a.json", renamed, "WD-ENTRY-001", c);
	fingerprint_of("a.json", other, "WD-ENTRY-001", d);
	assert_int_equal(strlen(a), 32);
	assert_string_equal(a, b);
	assert_string_equal(a, c);
	assert_string_not_equal(a, d);
}

/* ---- platform rules on hand-built models (importer-independent) ---------------------- */

typedef struct hand {
	wd_model *m;
	wd_findings f;
} hand;

static uint32_t hand_comp(wd_model *m, const char *name, const char *type, wd_kind kind,
                          uint32_t flags, wd_auth auth)
{
	wd_component c;
	uint32_t idx;

	wd_component_init(m, &c);
	c.id = wd_str_c(name);
	c.name = wd_str_c(name);
	c.type = wd_str_c(type);
	c.kind = kind;
	c.flags = flags;
	c.auth = auth;
	assert_int_equal(wd_model_add_component(m, &c, &idx), WD_OK);
	return idx;
}

static int count_rule(wd_model *m, const char *rule)
{
	wd_findings f;
	size_t j;
	int n = 0;

	assert_int_equal(wd_model_finish(m), WD_OK);
	assert_int_equal(wd_detect_enrich(m, NULL, NULL, NULL), WD_OK); /* field classes only */
	wd_findings_init(&f);
	assert_int_equal(wd_rules_run(m, &f), WD_OK);
	for (j = 0; j < f.n; j++)
		if (strcmp(f.items[j].rule->id, rule) == 0)
			n++;
	wd_findings_release(&f);
	return n;
}

static wd_model *hand_app(wd_platform p, int8_t confidential)
{
	wd_model *m = NULL;
	wd_app a;

	assert_int_equal(wd_model_new(&m, "hand.json", NULL), WD_OK);
	m->platform = p;
	wd_app_init(&a, p);
	a.name = wd_str_c("app");
	a.id = wd_str_c("A1");
	a.confidential = confidential;
	assert_int_equal(wd_model_add_app(m, &a, NULL), WD_OK);
	return m;
}

static void add_field(wd_model *m, uint32_t comp, const char *name)
{
	wd_field fl;

	memset(&fl, 0, sizeof(fl));
	fl.name = wd_str_c(name);
	fl.comp = comp;
	fl.loc = WD_LOC_NONE;
	assert_int_equal(wd_model_add_field(m, &fl), WD_OK);
}

static void test_secure_data(void **state)
{
	wd_model *m;
	uint32_t c;

	(void)state;
	/* an HTTP action sending basic-auth credentials, run history on */
	m = hand_app(WD_PLATFORM_POWER_AUTOMATE, -1);
	hand_comp(m, "Call", "Http", WD_KIND_ACTION, 0, WD_AUTH_BASIC);
	assert_int_equal(count_rule(m, "WD-DATA-002"), 1);
	wd_model_free(m);
	/* the same with Secure inputs/outputs */
	m = hand_app(WD_PLATFORM_POWER_AUTOMATE, -1);
	hand_comp(m, "Call", "Http", WD_KIND_ACTION, WD_COMP_SECURE_IO, WD_AUTH_BASIC);
	assert_int_equal(count_rule(m, "WD-DATA-002"), 0);
	wd_model_free(m);
	/* personal data on an action */
	m = hand_app(WD_PLATFORM_POWER_AUTOMATE, -1);
	c = hand_comp(m, "Create item", "shared_sharepointonline.PostItem", WD_KIND_ACTION, 0,
	              WD_AUTH_UNKNOWN);
	add_field(m, c, "email");
	assert_int_equal(count_rule(m, "WD-DATA-002"), 1);
	wd_model_free(m);
	/* other platforms have no secureData */
	m = hand_app(WD_PLATFORM_N8N, -1);
	hand_comp(m, "Call", "n8n-nodes-base.httpRequest", WD_KIND_ACTION, 0, WD_AUTH_BASIC);
	assert_int_equal(count_rule(m, "WD-DATA-002"), 0);
	wd_model_free(m);
}

static void test_embedded_connection(void **state)
{
	int pass;

	(void)state;
	for (pass = 0; pass < 3; pass++) {
		wd_model *m = hand_app(WD_PLATFORM_POWER_AUTOMATE, -1);
		wd_credential cr;
		uint32_t act, ci;

		hand_comp(m, "manual", "Request", WD_KIND_TRIGGER, pass == 2 ? 0 : WD_COMP_INVOKED,
		          WD_AUTH_PLATFORM);
		act = hand_comp(m, "Send", "shared_office365.SendEmailV2", WD_KIND_ACTION, 0,
		                WD_AUTH_UNKNOWN);
		memset(&cr, 0, sizeof(cr));
		cr.id = wd_str_c("shared_office365");
		cr.type = wd_str_c("office365");
		cr.flags = pass == 1 ? WD_CREDF_INVOKER : WD_CREDF_EMBEDDED;
		cr.comp = act;
		cr.loc = WD_LOC_NONE;
		assert_int_equal(wd_model_add_credential(m, &cr, &ci), WD_OK);
		assert_int_equal(wd_model_add_cred_use(m, act, ci), WD_OK);
		/* only an invoked trigger with the maker's (embedded) connection */
		assert_int_equal(count_rule(m, "WD-ACL-002"), pass == 0 ? 1 : 0);
		wd_model_free(m);
	}
}

static void test_confidential(void **state)
{
	int conf;

	(void)state;
	for (conf = -1; conf <= 1; conf++) {
		wd_model *m = hand_app(WD_PLATFORM_MAKE, (int8_t)conf);
		uint32_t hook = hand_comp(m, "Webhook", "gateway:CustomWebHook", WD_KIND_ENTRY, 0,
		                          WD_AUTH_UNKNOWN);
		uint32_t out = hand_comp(m, "Send", "x", WD_KIND_ACTION, 0, WD_AUTH_UNKNOWN);
		static wd_catalog_entry ext;
		memset(&ext, 0, sizeof(ext));
		ext.platform = WD_PLATFORM_MAKE;
		ext.type = wd_str_c("x");
		ext.service = wd_str_c("Some SaaS");
		ext.dest = WD_DEST_EXTERNAL;
		ext.caps = WD_CAP_SEND;
		ext.kind = WD_KIND_ACTION;
		m->comps[out].connector = &ext;
		add_field(m, hook, "customer_email");
		/* only confidential == 0 (stated off) is reported */
		assert_int_equal(count_rule(m, "WD-DATA-003"), conf == 0 ? 1 : 0);
		wd_model_free(m);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_descriptors),
		cmocka_unit_test(test_rule_examples),
		cmocka_unit_test(test_rule_cases),
		cmocka_unit_test(test_every_rule_has_cases),
		cmocka_unit_test(test_redaction),
		cmocka_unit_test(test_fingerprint_stability),
		cmocka_unit_test(test_secure_data),
		cmocka_unit_test(test_embedded_connection),
		cmocka_unit_test(test_confidential),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
