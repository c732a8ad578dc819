/*
 * warden/model.h - the neutral app model every importer fills and every rule
 * reads. See docs/internals/model.md.
 *
 * One wd_model holds one export file (plus its companions, such as a
 * Node-RED flows_cred.json) and everything derived from it: apps, components,
 * edges, credentials, expression references, data fields, targets and trust
 * zones. Everything is owned by the model: the parsed JSON documents, an
 * arena for derived text, and the tables below. wd_model_free() releases all
 * of it in one call.
 *
 * Elements refer to each other by index (uint32_t, WD_NONE for "none"), so
 * tables may grow while an importer works. Every element keeps a wd_loc
 * (document + JSON value) from which wd_model_locate() gives file, line,
 * column and JSON pointer.
 *
 * Components of one app are contiguous: app->comp_first .. + comp_count.
 * Components that belong to no app (Node-RED global config nodes) come after
 * all apps' components and have app == WD_NONE.
 */
#ifndef WARDEN_MODEL_H
#define WARDEN_MODEL_H

#include "warden/json.h"
#include "warden/util.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WD_NONE UINT32_MAX

struct wd_catalog_entry;

typedef enum wd_platform {
	WD_PLATFORM_UNKNOWN = 0,
	WD_PLATFORM_N8N,
	WD_PLATFORM_NODERED,
	WD_PLATFORM_POWER_AUTOMATE,
	WD_PLATFORM_MAKE,
	WD_PLATFORM_ZAPIER
} wd_platform;

/* "n8n", "node-red", "power-automate", "make", "zapier", "unknown" */
const char *wd_platform_name(wd_platform p);
wd_platform wd_platform_parse(wd_str name);
/* For people: "n8n", "Node-RED", "Power Automate / Logic Apps", "Make", "Zapier". */
const char *wd_platform_title(wd_platform p);
#define WD_PLATFORM_FIRST WD_PLATFORM_N8N
#define WD_PLATFORM_LAST WD_PLATFORM_ZAPIER

typedef enum wd_kind {
	WD_KIND_OTHER = 0,
	WD_KIND_TRIGGER,   /* schedule, app event, poll */
	WD_KIND_ENTRY,     /* inbound endpoint: webhook, form, chat, MCP, HTTP-in */
	WD_KIND_ACTION,
	WD_KIND_DATASTORE,
	WD_KIND_CODE,      /* runs user code or commands */
	WD_KIND_AI,        /* model, agent, chain, AI tool */
	WD_KIND_SUBFLOW,   /* calls another workflow / subflow */
	WD_KIND_UI,        /* dashboard widget, form page */
	WD_KIND_CONFIG,    /* configuration node (Node-RED tls-config, broker) */
	WD_KIND_LOGIC,     /* flow control, data shaping */
	WD_KIND_NOTE       /* sticky note, comment: never a component */
} wd_kind;

const char *wd_kind_name(wd_kind k);
wd_kind wd_kind_parse(wd_str name);

typedef enum wd_auth {
	WD_AUTH_UNKNOWN = 0, /* not stated in the export */
	WD_AUTH_NONE,        /* explicitly or by default no authentication */
	WD_AUTH_BASIC,
	WD_AUTH_HEADER,      /* shared secret in a header */
	WD_AUTH_JWT,
	WD_AUTH_OAUTH,
	WD_AUTH_API_KEY,
	WD_AUTH_CERT,
	WD_AUTH_PLATFORM,    /* the platform's own login (n8n user auth, tenant) */
	WD_AUTH_DYNAMIC,     /* set by an expression: cannot be checked statically */
	WD_AUTH_EXTERNAL     /* decided outside the export (Node-RED httpNodeAuth) */
} wd_auth;

const char *wd_auth_name(wd_auth a);
/* Inbound authentication that keeps nobody out: none, not stated, decided
 * outside the export, or set at run time (cannot be checked). */
int wd_auth_is_open(wd_auth a);

/* Component flags */
enum {
	WD_COMP_DISABLED = 1u << 0,      /* disabled in the editor: never runs */
	WD_COMP_PUBLIC = 1u << 1,        /* reachable from the internet (entry points) */
	WD_COMP_COMMUNITY = 1u << 2,     /* third-party node package */
	WD_COMP_UNKNOWN_TYPE = 1u << 3,  /* type not in the connector catalog */
	WD_COMP_TLS_NOVERIFY = 1u << 4,  /* TLS certificate verification turned off */
	WD_COMP_SQL_DYNAMIC = 1u << 5,   /* SQL text built from an expression / input */
	WD_COMP_SQL_PARAMS = 1u << 6,    /* the query uses bound parameters */
	WD_COMP_SHELL_DYNAMIC = 1u << 7, /* command line built from an expression / input */
	WD_COMP_FS_DYNAMIC = 1u << 8,    /* file path built from an expression / input */
	WD_COMP_CUSTOM = 1u << 9,        /* a locally installed custom node (n8n CUSTOM.*) */
	WD_COMP_ERROR_HANDLER = 1u << 10,/* error trigger / catch node */
	WD_COMP_INPUT_USED = 1u << 11,   /* parameters reference incoming data */
	WD_COMP_SECURE_IO = 1u << 12,    /* run history hides its inputs and outputs
	                                    (Power Automate secureData) */
	WD_COMP_INVOKED = 1u << 13       /* a trigger started by another person (app,
	                                    button, HTTP caller): connections act for them */
};

typedef struct wd_loc {
	uint32_t doc;  /* index into the model's documents; WD_NONE = no location */
	uint32_t val;  /* index of the JSON value in that document */
} wd_loc;

#define WD_LOC_NONE ((wd_loc){WD_NONE, WD_NONE})

typedef struct wd_app {
	wd_platform platform;
	wd_str id;
	wd_str name;
	wd_loc loc;
	int8_t active;              /* 1 active, 0 inactive, -1 not stated */
	uint32_t comp_first;
	uint32_t comp_count;
	/* settings that rules check (n8n settings; -1 / empty = not set) */
	wd_str error_workflow;
	int8_t save_failed;         /* failed executions saved: 1 yes, 0 no, -1 default */
	int8_t save_success;
	int8_t save_manual;
	int8_t error_handling;      /* 1 failures are handled (error workflow / trigger,
	                               runAfter failure branch, error route), 0 none,
	                               -1 the platform gives no way to tell */
	int8_t confidential;        /* run data hidden from logs (Make confidential); -1 n/a */
	wd_str caller_policy;
	int64_t execution_timeout;  /* seconds; -1 not set */
	wd_loc settings_loc;
	uint32_t pin_nodes;         /* components with captured (pinned) data */
	wd_loc pindata_loc;
	wd_str owner_hint;          /* instance id, creator, account label */
	char hash[65];              /* SHA-256 hex of the app's source text */
} wd_app;

typedef struct wd_component {
	uint32_t app;
	wd_str id;          /* platform id; n8n exports without ids use the name */
	wd_str name;
	wd_str type;        /* platform type string */
	wd_kind kind;
	uint32_t flags;
	wd_auth auth;       /* entry points: inbound auth; clients: outbound auth */
	const struct wd_catalog_entry *connector; /* NULL if unknown */
	wd_loc loc;         /* the node object */
	wd_loc params;      /* its configuration tree (n8n parameters; Node-RED node) */
	wd_loc auth_loc;    /* where auth is (or should be) configured */
	wd_str code;        /* code / command text for code nodes */
	wd_loc code_loc;
	uint32_t zone;      /* trust zone it runs in or talks to */
} wd_component;

typedef enum wd_edge_kind {
	WD_EDGE_FLOW = 0,  /* data passes along a connection / wire */
	WD_EDGE_AI,        /* AI sub-connection (model, tool, memory...) */
	WD_EDGE_ERROR,     /* error output / catch */
	WD_EDGE_LINK,      /* Node-RED link out -> link in */
	WD_EDGE_EXPR,      /* implicit: an expression reads another node's output */
	WD_EDGE_CONFIG,    /* component uses a config node */
	WD_EDGE_SUBFLOW    /* call into a subflow / sub-workflow */
} wd_edge_kind;

const char *wd_edge_kind_name(wd_edge_kind k);

typedef struct wd_edge {
	uint32_t from;
	uint32_t to;
	wd_edge_kind kind;
	wd_str label;       /* connection type ("main", "ai_tool"...) */
	uint32_t port;      /* output index of the source */
	wd_loc loc;
} wd_edge;

typedef enum wd_cred_storage {
	WD_CRED_VAULT = 0,          /* the platform's credential store, by reference */
	WD_CRED_HARDCODED,          /* a literal in parameters */
	WD_CRED_FILE_PLAINTEXT,     /* companion file, unencrypted */
	WD_CRED_FILE_ENCRYPTED      /* companion file, encrypted */
} wd_cred_storage;

typedef struct wd_credential {
	wd_str id;
	wd_str name;
	wd_str type;        /* n8n credential type, Node-RED node type... */
	wd_cred_storage storage;
	uint32_t flags;     /* WD_CREDF_* */
	uint32_t comp;      /* the component it belongs to / is used by first */
	wd_loc loc;
} wd_credential;

/* Credential flags */
enum {
	WD_CREDF_EMBEDDED = 1u << 0,  /* the maker's own connection, used for every invoker */
	WD_CREDF_INVOKER = 1u << 1    /* each invoker's own connection */
};

/* One use of a credential by a component (n8n nodes share credentials). */
typedef struct wd_cred_use {
	uint32_t comp;
	uint32_t cred;
} wd_cred_use;

typedef enum wd_ref_kind {
	WD_REF_INPUT = 0,   /* the incoming item: $json.x, msg.payload.x */
	WD_REF_NODE,        /* a named node's output: $('X').item.json.y */
	WD_REF_ENV,         /* environment: $env.X, ${X} */
	WD_REF_CREDENTIAL,  /* $credentials.x */
	WD_REF_PARAM,       /* workflow parameter / variable: $vars.x, @parameters() */
	WD_REF_OTHER
} wd_ref_kind;

const char *wd_ref_kind_name(wd_ref_kind k);

/* An expression in a component's parameters that reads a value. */
typedef struct wd_ref {
	uint32_t comp;      /* where the expression is */
	uint32_t src;       /* referenced component, WD_NONE for input/env/... */
	wd_ref_kind kind;
	wd_str path;        /* field path read: "body.email", "API_KEY" */
	wd_loc loc;         /* the string holding the expression */
} wd_ref;

typedef enum wd_class {
	WD_CLASS_NONE = 0,
	WD_CLASS_PUBLIC,
	WD_CLASS_INTERNAL,
	WD_CLASS_PII,
	WD_CLASS_FINANCIAL,
	WD_CLASS_HEALTH,
	WD_CLASS_CREDENTIAL,
	WD_CLASS_SECRET
} wd_class;

const char *wd_class_name(wd_class c);

/* A named value that moves through the app. */
typedef struct wd_field {
	wd_str name;
	uint32_t comp;      /* where it enters or is set; WD_NONE for app-level
	                       values (Node-RED tab env) */
	wd_class cls;
	wd_loc loc;
} wd_field;

/* Where a component sends data (HTTP URL, broker, database host). */
enum {
	WD_TARGET_DYNAMIC = 1u << 0,  /* built from an expression / variable */
	WD_TARGET_TLS = 1u << 1,      /* https, mqtts, wss, ftps... or TLS enabled */
	WD_TARGET_EXTERNAL = 1u << 2, /* not loopback / private / .local */
	WD_TARGET_USERINFO = 1u << 3  /* user:password@ in the URL */
};

typedef struct wd_target {
	uint32_t comp;
	wd_str url;         /* as written (userinfo redacted by reporters) */
	wd_str scheme;      /* lower-case; empty when unknown */
	wd_str host;
	int32_t port;       /* -1 when not stated */
	uint32_t flags;
	wd_loc loc;
} wd_target;

typedef enum wd_zone_kind {
	WD_ZONE_PLATFORM = 0, /* the platform runtime itself */
	WD_ZONE_PUBLIC,       /* the public internet, behind public entry points */
	WD_ZONE_EXTERNAL,     /* a third-party service */
	WD_ZONE_INTERNAL,     /* an internal network service / database */
	WD_ZONE_LOCAL         /* the platform host: filesystem, processes */
} wd_zone_kind;

const char *wd_zone_kind_name(wd_zone_kind k);

typedef struct wd_zone {
	wd_zone_kind kind;
	wd_str name;        /* "n8n runtime", "Slack", "internet", "api.example.com" */
} wd_zone;

/* A secret found in a value by the detection engine (detect/enrich.c). */
typedef struct wd_detection {
	uint32_t app;       /* WD_NONE for file-level values (companions) */
	uint32_t comp;      /* WD_NONE for pinned data and app-level values */
	wd_loc loc;         /* the JSON string holding it */
	wd_str rule_id;     /* detector rule ("github-pat"), arena copy */
	wd_str provider;    /* "GitHub"; empty for generic rules */
	wd_str family;      /* "code-hosting", "generic", ... */
	wd_str key;         /* member or header name holding the value; may be empty */
	char evidence[24];  /* redacted: at most 4 characters then **** */
	int severity;       /* a wd_severity value */
	int confidence;     /* 0..100 */
} wd_detection;

/* A companion or main document of the export. */
typedef struct wd_model_doc {
	const char *path;   /* as given (arena copy) */
	wd_json_doc *json;
} wd_model_doc;

typedef struct wd_model {
	wd_arena arena;
	wd_platform platform;
	const char *path;            /* the main file */
	wd_model_doc *docs;
	size_t ndocs, docs_cap;
	wd_app *apps;
	size_t napps, apps_cap;
	wd_component *comps;
	size_t ncomps, comps_cap;
	wd_edge *edges;
	size_t nedges, edges_cap;
	wd_credential *creds;
	size_t ncreds, creds_cap;
	wd_cred_use *cred_uses;
	size_t ncred_uses, cred_uses_cap;
	wd_ref *refs;
	size_t nrefs, refs_cap;
	wd_field *fields;
	size_t nfields, fields_cap;
	wd_target *targets;
	size_t ntargets, targets_cap;
	wd_zone *zones;
	size_t nzones, zones_cap;
	wd_detection *detections;
	size_t ndetections, detections_cap;
	uint32_t notes;              /* sticky notes / comments seen (not components) */
	uint32_t max_components;
	wd_hmap field_index;         /* (comp, name) -> field, for wd_model_add_field_once */
	wd_hmap expr_index;          /* (src, dst) -> edge, for wd_model_add_expr_edge */
} wd_model;

/* ---- lifecycle ---------------------------------------------------------------- */

wd_status wd_model_new(wd_model **out, const char *path, const wd_limits *lim);
void wd_model_free(wd_model *m);

/* Hand a parsed document to the model (it frees it); returns its index in *idx. */
wd_status wd_model_add_doc(wd_model *m, const char *path, wd_json_doc *doc, uint32_t *idx);
static inline wd_json_doc *wd_model_json(const wd_model *m, uint32_t doc)
{
	return doc < m->ndocs ? m->docs[doc].json : NULL;
}
/* The JSON value a location points at, NULL for WD_LOC_NONE. */
const wd_json_val *wd_model_val(const wd_model *m, wd_loc loc);
/* Location of a JSON value of document doc. */
wd_loc wd_model_loc(const wd_model *m, uint32_t doc, const wd_json_val *v);

/* ---- building (importers) ------------------------------------------------------ */
/* Each add returns WD_OK and the new index in *idx (idx may be NULL),
 * WD_ENOMEM, or WD_ELIMIT past max_components. Text slices must point into a
 * document of the model or into m->arena. */

wd_status wd_model_add_app(wd_model *m, const wd_app *a, uint32_t *idx);
/* Adds to the app m->napps - 1 (or to no app when app == WD_NONE). */
wd_status wd_model_add_component(wd_model *m, const wd_component *c, uint32_t *idx);
wd_status wd_model_add_edge(wd_model *m, const wd_edge *e);
wd_status wd_model_add_credential(wd_model *m, const wd_credential *c, uint32_t *idx);
wd_status wd_model_add_cred_use(wd_model *m, uint32_t comp, uint32_t cred);
wd_status wd_model_add_ref(wd_model *m, const wd_ref *r);
wd_status wd_model_add_field(wd_model *m, const wd_field *f);
/* A field named `name` on comp, unless comp already has one of that name. */
wd_status wd_model_add_field_once(wd_model *m, uint32_t comp, wd_str name, wd_class cls,
                                  wd_loc loc);
/* One implicit WD_EDGE_EXPR edge src -> dst (an expression in dst reads src's
 * output), unless there is one already; src == dst is ignored. */
wd_status wd_model_add_expr_edge(wd_model *m, uint32_t src, uint32_t dst, wd_loc loc);
/* Parses url into scheme/host/port/flags; dynamic when it holds an expression. */
wd_status wd_model_add_target(wd_model *m, uint32_t comp, wd_str url, wd_loc loc,
                              uint32_t extra_flags);
wd_status wd_model_add_detection(wd_model *m, const wd_detection *d);
/* Find or add a zone; returns its index. */
wd_status wd_model_zone(wd_model *m, wd_zone_kind kind, wd_str name, uint32_t *idx);

/* An app with sensible "not set" defaults (active -1, timeout -1...). */
void wd_app_init(wd_app *a, wd_platform p);
/* A component with no location and app = m->napps - 1 (or WD_NONE). */
void wd_component_init(const wd_model *m, wd_component *c);
/* An enabled entry point anyone on the internet can call without a
 * credential (public, not disabled, wd_auth_is_open). Rules, risk scoring
 * and the threat model all start their "untrusted input" paths here. */
int wd_component_open_entry(const wd_component *c);

/*
 * After an importer is done: look up every component in the catalog (kind
 * and flags from it unless the importer set them), assign trust zones, and
 * classify data fields by name. Called by wd_import(), not by importers.
 */
wd_status wd_model_finish(wd_model *m);

/*
 * Check the model's invariants: apps' components contiguous and in order,
 * components without an app after all apps, every index inside its table,
 * AI and expression edges inside one app, app hashes 64 hex digits.
 * WD_OK, or WD_EINVAL with err naming the first broken invariant. For tests
 * and fuzzers: importers must never produce a model that fails it.
 */
wd_status wd_model_check(const wd_model *m, wd_error *err);

/* ---- queries --------------------------------------------------------------------- */

/* Component index by platform id within an app (linear; WD_NONE if absent). */
uint32_t wd_model_find_component(const wd_model *m, uint32_t app, wd_str id);
/* Component index by name within an app (n8n connections use names). */
uint32_t wd_model_find_by_name(const wd_model *m, uint32_t app, wd_str name);

/*
 * Mark every component reachable from any start component (start[i] != 0)
 * through data edges (FLOW, LINK, SUBFLOW, EXPR, AI tool edges in the
 * direction data moves). out has m->ncomps bytes; it is set to 1 for reached
 * components (starts included). O(nodes + edges).
 */
wd_status wd_model_reach(const wd_model *m, const uint8_t *start, uint8_t *out);

/*
 * The same from all starts at once, labelling each reached component with
 * the start that reaches it first (breadth-first from every start together,
 * so the nearest start; ties go to the lower index): label[i] = start index
 * + 1, or 0 when unreached. label has m->ncomps entries. O(nodes + edges).
 */
wd_status wd_model_reach_label(const wd_model *m, const uint8_t *start, uint32_t *label);
/* The same, also recording the breadth-first tree: parent[i] is the
 * component before i on a shortest path from its start (WD_NONE for starts
 * and unreached components), so every path can be read back in O(length). */
wd_status wd_model_reach_tree(const wd_model *m, const uint8_t *start, uint32_t *label,
                              uint32_t *parent);

/*
 * Shortest data path from `from` to `to`: writes up to max component indices
 * (from .. to) into path and their count into *n; WD_ENOTFOUND if none.
 */
wd_status wd_model_path(const wd_model *m, uint32_t from, uint32_t to, uint32_t *path,
                        size_t max, size_t *n);

/* Resolved location of an element. The pointer is appended to ptr if given. */
typedef struct wd_position {
	const char *file;
	uint32_t line;
	uint32_t column;
} wd_position;

wd_status wd_model_locate(const wd_model *m, wd_loc loc, wd_position *pos, wd_buf *ptr);

#ifdef __cplusplus
}
#endif
#endif
